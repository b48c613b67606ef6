"""The bundled knowledge base: coverage of DPUP, plain language, and the pages people reach."""

import statistics
from pathlib import Path

import pytest
import textstat

from dpup import config
from dpup.engine import load_library
from dpup.engine.coverage import coverage

LIBRARY = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR))
GUIDELINE_TREES = ["purpose-matters", "transparency-and-choice", "access-to-information", "sharing-value",
                   "safe-and-respectful-use"]
CHECKLISTS = ["before-collecting", "no-surprises", "see-or-correct", "before-sharing", "consent-conversation",
              "purpose-statement"]
MAX_GRADE_TREE, MAX_GRADE_CHECKLIST = 11, 9


def test_every_guideline_has_its_tree_and_every_checklist_exists():
    assert set(GUIDELINE_TREES + ["idi-data-sharing", "where-to-start"]) <= set(LIBRARY.trees)
    for tree_id in GUIDELINE_TREES:
        assert LIBRARY.trees[tree_id].guideline == tree_id
    assert set(CHECKLISTS) <= set(LIBRARY.checklists)


@pytest.mark.parametrize("tree_id", GUIDELINE_TREES + ["idi-data-sharing"])
def test_assessment_trees_are_substantial(tree_id):
    tree = LIBRARY.trees[tree_id]
    assert len(tree.questions) >= 10 and len(tree.outcomes) >= 4
    assert len({o.verdict for o in tree.outcomes}) >= 3, "outcomes should range from go ahead to stop or advice"
    for node in tree.questions:
        assert node.help.strip(), f"{tree_id}:{node.id} has no help text"
        assert node.why in LIBRARY.pages, f"{tree_id}:{node.id} has no 'why we ask' page"
        assert node.principles, f"{tree_id}:{node.id} is not tagged with a principle"
    for node in tree.outcomes:
        assert node.actions, f"{tree_id}:{node.id} does not say what to do next"


def test_each_principle_is_served_by_questions_in_at_least_three_trees():
    cov = coverage(LIBRARY)
    for principle in LIBRARY.vocabulary.principles:
        trees = [s.id for s in cov.serving(principle.id, kind="tree")]
        assert len(trees) >= 3, f"{principle.name} is served only by {trees}"


def test_every_privacy_principle_including_3a_is_touched():
    assert coverage(LIBRARY).ipps_touched() >= {ipp.id for ipp in LIBRARY.vocabulary.ipps}


def _grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def test_reading_level():
    prompts = [n.prompt for t in LIBRARY.trees.values() for n in t.questions]
    items = [i.text for c in LIBRARY.checklists.values() for i in c.items]
    too_hard = [(round(_grade(p), 1), p) for p in prompts if _grade(p) > MAX_GRADE_TREE]
    too_hard += [(round(_grade(i), 1), i) for i in items if _grade(i) > MAX_GRADE_CHECKLIST]
    print(f"median grade: tree prompts {statistics.median(map(_grade, prompts)):.1f}, "
          f"checklist items {statistics.median(map(_grade, items)):.1f}")
    assert too_hard == []


def test_macrons_are_used_for_maori_words():
    texts = [p.title + p.body for p in LIBRARY.pages.values()]
    texts += [n.prompt + n.help for t in LIBRARY.trees.values() for n in t.questions]
    for wrong in ("He Tangata ", "whanau", "Maori ", "Nga Tikanga", "hapu "):
        offenders = [t[:60] for t in texts if wrong in t]
        assert not offenders, f"'{wrong.strip()}' without macrons in: {offenders[:3]}"


def test_every_content_page_cites_its_sources():
    for page in LIBRARY.pages.values():
        assert page.meta.sources, f"{page.slug} cites no sources"


def test_coverage_page_shows_principles_by_tree(bundled_app):
    html = bundled_app.test_client().get("/trees/coverage").get_data(as_text=True)
    assert "Mana Whakahaere" in html and "Purpose Matters" in html and "IPP 3A" in html
    assert "Every information privacy principle, including IPP 3A, is covered" in html


def test_tree_explorer_shows_every_question_and_outcome(bundled_app):
    client = bundled_app.test_client()
    for tree in LIBRARY.trees.values():
        html = client.get(f"/trees/{tree.id}").get_data(as_text=True)
        for node in tree.nodes:
            assert f'id="node-{node.id}"' in html, f"{tree.id}:{node.id} missing from the explorer"
