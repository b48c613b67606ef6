"""Trees that read other trees: each cross-reference rule failing on small files, the walk taking known
answers, and the verdict rule following both ways of a route that reads another tree."""

import textwrap
from pathlib import Path

from dpup.engine import load_library, parse_answer
from dpup.engine.assessment import recommended, walk_assessment, walk_order
from tests.conftest import TEST_CONTENT, TEST_TREES

PROFILE = """\
id: about
kind: profile
title: About this work
version: "1"
summary: s
sources: [{title: x}]
start: who
nodes:
  - id: who
    type: question
    prompt: Whose information is it?
    kind: several_of
    options:
      - {value: children, label: Children}
      - {value: adults, label: Adults}
    next: done
  - id: done
    type: outcome
    verdict: proceed
    title: Done
    body: Done.
recommends:
  - tree: t
    when: {includes: {node: who, value: children}}
    because: The information is about children.
"""


def tree(known_from: str = "", routes: str = "", tree_id: str = "t", name_option: str = "yes") -> str:
    return f"""\
id: {tree_id}
title: T
version: "1"
summary: s
sources: [{{title: x}}]
start: q1
nodes:
  - id: q1
    type: question
    prompt: Is it about children?
    kind: yes_no
    options:
      - {{value: {name_option}, next: end}}
      - {{value: no, next: fix}}
{textwrap.indent(known_from, "    ")}{textwrap.indent(routes, "    ")}  - id: end
    type: outcome
    verdict: proceed
    title: End
    body: Done.
  - id: fix
    type: outcome
    verdict: proceed_with_actions
    title: Fix it
    body: Do the actions.
"""


KNOWN = """\
known_from:
  - when: {includes: {node: about:who, value: children}}
    answer: "yes"
  - when: {answered: about:who}
    answer: "no"
"""


def library_of(tmp_path: Path, **files: str):
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return load_library(TEST_TREES, TEST_CONTENT, only=tmp_path)


def problems(library) -> list[str]:
    # (the test catalogue's findings are unused by these small trees: not what is tested here)
    return [str(p) for p in library.problems if "no tree names this finding" not in p.reason]


def test_a_tree_reading_the_profile_is_valid_and_takes_its_answer(tmp_path):
    library = library_of(tmp_path, about=PROFILE, t=tree(KNOWN))
    assert problems(library) == []
    profile, t = library.trees["about"], library.trees["t"]
    assert walk_order({"t": t, "about": profile}) == ["about", "t"]
    walks = walk_assessment({"t": t, "about": profile},
                            {"about": {"who": parse_answer(profile.node("who"), ["children"])}})
    step = walks["t"].steps[0]
    assert (step.answer.value, step.known_from) == ("yes", "about:who")
    assert walks["t"].is_complete and walks["t"].asked == []
    assert recommended(profile, walks["about"]) == {"t": "The information is about children."}
    # Without the profile's answer the question is asked, as it always was.
    assert walk_assessment({"t": t}, {})["t"].current.id == "q1"


def test_an_own_answer_to_a_known_question_is_kept_unused(tmp_path):
    library = library_of(tmp_path, about=PROFILE, t=tree(KNOWN))
    profile, t = library.trees["about"], library.trees["t"]
    answers = {"about": {"who": parse_answer(profile.node("who"), ["adults"])},
               "t": {"q1": parse_answer(t.node("q1"), "yes")}}
    walked = walk_assessment({"about": profile, "t": t}, answers)["t"]
    assert walked.steps[0].answer.value == "no" and walked.unused == ("q1",)


def test_each_cross_reference_mistake_is_named(tmp_path):
    cases = {
        "a condition reads tree 'nope', which does not exist":
            "known_from:\n  - when: {answered: nope:who}\n    answer: \"yes\"\n",
        "a condition reads 'about:done', which is not a question of 'about'":
            "known_from:\n  - when: {answered: about:done}\n    answer: \"yes\"\n",
        "a condition expects 'elders' from 'about:who', which has no such option":
            "known_from:\n  - when: {includes: {node: about:who, value: elders}}\n    answer: \"yes\"\n",
        "'known_from' gives 'maybe', which is not an option of 'q1'":
            "known_from:\n  - when: {answered: about:who}\n    answer: maybe\n",
        "a 'known_from' condition may only read other trees' answers":
            "known_from:\n  - when: {answered: q1}\n    answer: \"yes\"\n",
    }
    for expected, known in cases.items():
        found = problems(library_of(tmp_path, about=PROFILE, t=tree(known)))
        assert any(expected in p and "t.yaml:q1" in p for p in found), (expected, found)


def test_trees_reading_each_other_in_a_loop_are_refused(tmp_path):
    reads_u = "known_from:\n  - when: {answered: u:q1}\n    answer: \"yes\"\n"
    reads_t = "known_from:\n  - when: {answered: t:q1}\n    answer: \"yes\"\n"
    found = problems(library_of(tmp_path, t=tree(reads_u), u=tree(reads_t, tree_id="u")))
    assert any("trees read each other's answers in a loop: t -> u -> t" in p for p in found), found


def test_a_profile_may_not_read_other_trees_and_recommends_only_trees(tmp_path):
    bad = PROFILE.replace("    next: done\n", "    next: done\n    routes:\n      - when: {answered: t:q1}\n"
                                              "        next: done\n", 1).replace("  - tree: t\n", "  - tree: nope\n")
    found = problems(library_of(tmp_path, about=bad, t=tree()))
    assert any("the profile is asked first, so it cannot read other trees' answers" in p for p in found), found
    assert any("recommends 'nope', which is not a tree" in p for p in found), found


def test_the_verdict_rule_follows_both_ways_of_a_route_that_reads_another_tree(tmp_path):
    """A route reads the profile, which the rule cannot know, so it checks both ways: the way where
    'no' raises an action-required finding and still ends at 'go ahead' is reported."""
    routes = "routes:\n  - when: {includes: {node: about:who, value: children}}\n    next: end\n"
    risky = tree(routes=routes).replace("      - {value: no, next: fix}",
                                        "      - {value: no, next: fix, finding: purpose-not-written}")
    found = problems(library_of(tmp_path, about=PROFILE, t=risky))
    assert any("t.yaml:end: verdict 'proceed' is milder than finding 'purpose-not-written'" in p for p in found), found
    safe = problems(library_of(tmp_path, about=PROFILE, t=risky.replace("    next: end\n  - id: end", "    next: fix\n  - id: end")))
    assert not any("milder" in p for p in safe), safe
