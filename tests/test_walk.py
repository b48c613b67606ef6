"""Walking trees: the path, the next question, findings, and random walks over every bundled tree."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpup import config
from dpup.engine import Answer, load_library, walk
from dpup.engine.model import AnswerKind, QuestionNode
from tests.conftest import TEST_CONTENT, TEST_TREES

JOURNEY = load_library(TEST_TREES, TEST_CONTENT).raise_for_problems().trees["journey"]
BUNDLED = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR))


def test_no_answers_asks_the_first_question():
    result = walk(JOURNEY, {})
    assert result.current.id == "purpose" and result.steps == () and not result.is_complete


def test_path_findings_and_outcome():
    answers = {
        "purpose": Answer(value="no", action_owner="Aroha", action_due="2027-01-31"),
        "personal": Answer(value="identifying"),
        "why-identifying": Answer(value="Follow-up"),
        "matching": Answer(value="yes"),
    }
    result = walk(JOURNEY, answers)
    assert [s.node.id for s in result.steps] == ["purpose", "personal", "why-identifying", "matching"]
    assert result.outcome.id == "seek-advice"
    [finding] = result.findings
    assert finding.text == "The purpose is not written down." and finding.action_owner == "Aroha"
    assert finding.principles == ("he-tangata",) and finding.guideline == "purpose-matters"


def test_changing_an_earlier_answer_recomputes_the_path_and_keeps_unused_answers():
    answers = {
        "purpose": Answer(value="yes"),
        "personal": Answer(value="aggregate"),
        "why-identifying": Answer(value="Left over from before"),
        "matching": Answer(value="yes"),
    }
    result = walk(JOURNEY, answers)
    assert [s.node.id for s in result.steps] == ["purpose", "personal", "matching"]
    assert result.current.id == "views"  # the route to seek-advice needs identifying data
    assert result.unused == ("why-identifying",)


def test_routes_ignore_answers_left_on_other_branches():
    answers = {"purpose": Answer(value="yes"), "personal": Answer(value="deidentified"),
               "matching": Answer(value="yes")}
    assert walk(JOURNEY, answers).current.id == "views"


def test_several_of_raises_a_finding_per_chosen_option():
    answers = {"purpose": Answer(value="yes"), "personal": Answer(value="aggregate"),
               "matching": Answer(value="no"), "views": Answer(value=("whanau", "nobody"))}
    result = walk(JOURNEY, answers)
    assert result.outcome.id == "done"
    assert [f.text for f in result.findings] == ["Nobody has been asked."]
    assert result.findings[0].guideline == "transparency-and-choice"


def test_an_answer_that_no_longer_fits_the_tree_is_asked_again():
    result = walk(JOURNEY, {"purpose": Answer(value="perhaps")})
    assert result.current.id == "purpose"


def test_bundled_knowledge_base_is_valid():
    assert [str(p) for p in BUNDLED.problems] == []
    assert "purpose-matters" in BUNDLED.trees


def answer_strategy(node: QuestionNode):
    values = [o.value for o in node.options]
    if node.kind == AnswerKind.TEXT:
        return st.text(min_size=1, max_size=40).filter(str.strip).map(lambda v: Answer(value=v))
    if node.kind == AnswerKind.SEVERAL_OF:
        alone = {o.value for o in node.options if o.exclusive}  # "None of these" is valid only on its own
        return st.lists(st.sampled_from(values), min_size=1, unique=True).filter(
            lambda vs: len(vs) == 1 or not alone.intersection(vs)).map(
            lambda vs: Answer(value=tuple(v for v in values if v in vs)))
    return st.sampled_from(node.options).map(
        lambda o: Answer(value=o.value, reason="Because." if o.ask_reason else ""))


@pytest.mark.parametrize("tree_id", sorted(BUNDLED.trees) + ["journey"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_valid_answers_always_reach_an_outcome(tree_id, data):
    tree = JOURNEY if tree_id == "journey" else BUNDLED.trees[tree_id]
    answers: dict[str, Answer] = {}
    for _ in range(len(tree.nodes)):
        result = walk(tree, answers)
        if result.is_complete:
            assert tree.node(result.outcome.id) is result.outcome
            assert len(result.steps) <= len(tree.questions)
            return
        assert result.current is not None, "the walk stopped on a dangling node"
        answers[result.current.id] = data.draw(answer_strategy(result.current), label=result.current.id)
    pytest.fail(f"no outcome reached in {len(tree.nodes)} steps")
