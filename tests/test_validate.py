"""Each validation rule, shown failing on a small broken file, with file, node, reason and line."""

import textwrap
from pathlib import Path

import pytest

from dpup.engine import LibraryError, load_library
from tests.conftest import TEST_CONTENT, TEST_TREES

GOOD_HEADER = """\
id: t
title: T
version: "1"
summary: s
sources: [{title: x}]
start: q1
"""

OUTCOME = """\
  - id: end
    type: outcome
    verdict: proceed
    title: End
    body: Done.
"""


def problems_in(tmp_path: Path, text: str, name: str = "t.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    library = load_library(TEST_TREES, TEST_CONTENT, only=path)
    return [str(p) for p in library.problems]


def question(node_id="q1", extra="", next_="end"):
    return f"""\
  - id: {node_id}
    type: question
    prompt: Is it so?
    kind: yes_no
    options:
      - {{value: yes, next: {next_}}}
      - {{value: no, next: {next_}}}
{extra}"""


def test_a_good_file_has_no_problems(tmp_path):
    assert problems_in(tmp_path, GOOD_HEADER + "nodes:\n" + question() + OUTCOME) == []


@pytest.mark.parametrize(
    "nodes, expected",
    [
        (question() + question() + OUTCOME, "t.yaml:q1: duplicate node id 'q1' (line 15)"),
        (question(next_="nowhere") + OUTCOME, "t.yaml:q1: next node 'nowhere' does not exist (line 13)"),
        (question() + OUTCOME + """\
  - id: island
    type: outcome
    verdict: stop
    title: Island
    body: Nobody gets here.
""", "t.yaml:island: unreachable: no path from the start leads here (line 20)"),
        (question(next_="q2") + question("q2", next_="q1") + OUTCOME, "cycle: q1 -> q2 -> q1"),
        (question(extra="    principles: [rangatiratanga]\n") + OUTCOME,
         "t.yaml:q1: unknown principle 'rangatiratanga' in 'principles' (line 15)"),
        (question(extra="    guideline: safe-use\n") + OUTCOME, "unknown guideline 'safe-use'"),
        (question(extra='    ipps: ["14"]\n') + OUTCOME, "unknown ipp '14'"),
        (question(extra="    why: topics/missing\n") + OUTCOME,
         "t.yaml:q1: 'why' links to content page 'topics/missing', which does not exist (line 15)"),
        (question(extra="    colour: red\n") + OUTCOME, "t.yaml:q1: unknown key 'colour' (line 15)"),
        ("""\
  - id: q1
    type: question
    prompt: Pick
    kind: yes_no
    options: [{value: yes, next: end}, {value: maybe, next: end}]
""" + OUTCOME, "a yes_no question needs options with exactly the values yes, no"),
        ("""\
  - id: q1
    type: question
    prompt: Write
    kind: text
    options: [{value: a}]
""" + OUTCOME, "a text question has no options"),
        ("""\
  - id: q1
    type: question
    prompt: Pick
    kind: one_of
    options: [{value: a, next: end}, {value: b}]
""" + OUTCOME, "option 'b' leads nowhere"),
        ("""\
  - id: q1
    type: question
    prompt: Applies?
    kind: yes_no_na
    options: [{value: yes}, {value: no}, {value: na}]
    next: end
""" + OUTCOME, "the 'na' (not applicable) option must ask for a reason"),
        (question(extra="    required: true\n") + OUTCOME, "a required point must raise a finding with an action"),
        ("""\
  - id: q1
    type: question
    prompt: Is it so?
    kind: yes_no
    options:
      - {value: yes, next: end}
      - value: no
        next: end
        finding: {severity: action_required, text: Not so.}
""" + OUTCOME, "a finding of severity 'action_required' must say what to do"),
        ("""\
  - id: q1
    type: question
    prompt: Is it so?
    kind: yes_no
    options: [{value: yes, next: end}, {value: no, next: end}]
    routes:
      - when: {equals: {node: q1, value: perhaps}}
        next: end
""" + OUTCOME, "a route condition expects 'perhaps' from 'q1', which has no such option"),
        ("""\
  - id: q1
    type: question
    prompt: Is it so?
    kind: yes_no
    options: [{value: yes, next: end}, {value: no, next: end}]
    routes:
      - when: {equals: {node: q1, value: "yes"}, answered: q1}
        next: end
""" + OUTCOME, "a condition needs exactly one of"),
        ("""\
  - id: q1
    type: decision
    prompt: Is it so?
""" + OUTCOME, "t.yaml:q1: 'type' must be 'question' or 'outcome'"),
        (question(next_="q2") + """\
  - id: q2
    type: question
    prompt: Stuck?
    kind: text
""", "a text question needs 'next'"),
    ],
)
def test_each_rule_names_file_node_and_reason(tmp_path, nodes, expected):
    found = problems_in(tmp_path, GOOD_HEADER + "nodes:\n" + nodes)
    assert any(expected in p for p in found), found


def test_no_outcome_reachable(tmp_path):
    nodes = """\
  - id: q1
    type: question
    prompt: Write
    kind: text
    next: q2
  - id: q2
    type: question
    prompt: Write more
    kind: text
    next: q1
"""
    found = problems_in(tmp_path, GOOD_HEADER + "nodes:\n" + nodes)
    assert any("cycle: q1 -> q2 -> q1" in p for p in found)


def test_unknown_start(tmp_path):
    text = GOOD_HEADER.replace("start: q1", "start: begin") + "nodes:\n" + question() + OUTCOME
    found = problems_in(tmp_path, text)
    assert any(p.endswith("t.yaml:(file): start node 'begin' does not exist (line 6)") for p in found), found


def test_every_problem_is_reported_at_once(tmp_path):
    nodes = question(extra="    colour: red\n", next_="nowhere") + question("q2") + OUTCOME
    found = problems_in(tmp_path, GOOD_HEADER.replace("title: T\n", "") + "nodes:\n" + nodes)
    assert any("'title' is required" in p for p in found)
    assert any("unknown key 'colour'" in p for p in found)
    assert any("next node 'nowhere' does not exist" in p for p in found)
    assert any("q2: unreachable" in p for p in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "t.yaml:(file): the file is empty"),
        ("- just\n- a list\n", "the file must be a mapping of keys to values, not a list"),
        ("id: t\n  title: [unclosed\n", "t.yaml:(file): YAML syntax error"),
        ("id: t\n", "'nodes' is required"),
    ],
)
def test_broken_files(tmp_path, text, expected):
    found = problems_in(tmp_path, text)
    assert any(expected in p for p in found), found


def test_yaml_syntax_error_has_line(tmp_path):
    found = problems_in(tmp_path, "id: t\ntitle: T\n  bad: [\n")
    assert found and found[0].endswith("(line 3)")


def test_bare_yes_and_no_stay_strings(tmp_path):
    """YAML 1.1 would read bare yes/no as booleans; option values must stay the strings."""
    library = load_library(TEST_TREES, TEST_CONTENT, only=TEST_TREES / "journey.yaml")
    values = [o.value for o in library.trees["journey"].node("purpose").options]
    assert values == ["yes", "no"]


def test_checklist_required_item_needs_if_no(tmp_path):
    (tmp_path / "checklists").mkdir()
    path = tmp_path / "checklists" / "c.yaml"
    path.write_text(textwrap.dedent("""\
        id: c
        title: C
        audience: Frontline
        summary: s
        version: "1"
        sources: [{title: x}]
        items:
          - id: one
            text: I know why.
            required: true
          - id: two
            text: I told them.
            principles: [nobody]
            if_no: Tell them.
        result: {all_clear: Fine, not_clear: Not yet}
    """))
    found = [str(p) for p in load_library(TEST_TREES, TEST_CONTENT, only=path).problems]
    assert any("c.yaml:one: a required item must say what to do" in p and "(line 8)" in p for p in found), found
    assert any("c.yaml:two: unknown principle 'nobody'" in p for p in found), found


def test_links_between_pages_must_resolve(tmp_path):
    content = tmp_path / "content"
    (content / "topics").mkdir(parents=True)
    (content / "topics" / "a.md").write_text(
        "---\ntitle: A\nsources: [{title: x}]\n---\nSee [B](/pages/topics/b) and [why](/pages/topics/why#purpose).\n")
    (content / "topics" / "why.md").write_text("---\ntitle: Why\nsources: [{title: x}]\n---\nBody\n")
    problems = [str(p) for p in load_library(TEST_TREES, content).problems]
    assert any(p.endswith("a.md:topics/a: link to /pages/topics/b, which does not exist") for p in problems), problems
    assert not any("topics/why" in p for p in problems)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda t: t.replace("seek_advice: Pause and seek advice, ", ""),
         "vocabulary.yaml:(file): verdicts has no wording for seek_advice"),
        (lambda t: t.replace("advisory: Advisory", "advsory: Advisory"),
         "vocabulary.yaml:(file): severities.advsory.[key]: Input should be"),
        (lambda t: t.replace(', na: Not applicable', ''), "vocabulary.yaml:(file): answers has no wording for na"),
    ],
)
def test_every_answer_verdict_and_severity_needs_wording_in_the_vocabulary(tmp_path, change, expected):
    (tmp_path / "vocabulary.yaml").write_text(change((TEST_TREES / "vocabulary.yaml").read_text(encoding="utf-8")),
                                              encoding="utf-8")
    with pytest.raises(LibraryError) as raised:
        load_library(tmp_path, TEST_CONTENT)
    assert any(expected in str(p) for p in raised.value.problems), raised.value.problems


def test_the_vocabulary_gives_verdicts_and_severities_their_words(tmp_path):
    from dpup.engine.model import Severity, Verdict

    text = (TEST_TREES / "vocabulary.yaml").read_text(encoding="utf-8").replace("proceed: Go ahead,", "proceed: Kia haere,")
    (tmp_path / "vocabulary.yaml").write_text(text, encoding="utf-8")
    vocabulary = load_library(tmp_path, TEST_CONTENT).vocabulary
    assert vocabulary.label(Verdict.PROCEED) == "Kia haere"
    assert vocabulary.label(Severity.STOP) == "Stop" and vocabulary.label(Verdict.STOP) == "Stop"
