"""The findings catalogue and the verdict rule: one finding, one wording and severity everywhere;
no outcome milder than the findings on its path; old assessments keep the wording they were given."""

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from dpup.engine import load_library
from dpup.reports.model import build_report
from dpup.storage.db import db
from dpup.storage.models import Assessment, AssessmentTree, TreeVersion
from tests.conftest import TEST_CONTENT, TEST_TREES
from tests.helpers import text_of
from tests.test_reports import answer, officer_of, start
from tests.test_validate import GOOD_HEADER, problems_in

LEGACY_JOURNEY = TEST_TREES.parent / "legacy" / "journey-inline-findings.yaml"


def one_question(option_no: str, routes: str = "", outcomes: str = "") -> str:
    return GOOD_HEADER + f"""\
nodes:
  - id: q1
    type: question
    prompt: Is the purpose written down?
    kind: yes_no
    options:
      - {{value: yes}}
      - {{value: no, {option_no}}}
{routes}    next: end
  - id: end
    type: outcome
    verdict: proceed
    title: End
    body: Done.
{outcomes}"""


def relative(problems: list[str], tmp_path: Path) -> list[str]:
    return [p.replace(f"{tmp_path}/", "") for p in problems]


ACTIONS_OUTCOME = """\
  - id: end-actions
    type: outcome
    verdict: proceed_with_actions
    title: Do the actions
    body: First the actions.
"""


def test_a_tree_names_catalogue_findings_and_gets_their_wording(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(one_question("finding: purpose-not-written", "    routes:\n      - when: {worst: action_required}\n"
                                 "        next: end-actions\n", ACTIONS_OUTCOME))
    library = load_library(TEST_TREES, TEST_CONTENT, only=path)
    assert library.problems == []
    option = library.trees["t"].node("q1").option("no")
    assert (option.finding.id, option.finding.text, option.finding.basis) == (
        "purpose-not-written", "The purpose is not written down.", "law")


@pytest.mark.parametrize("option_no, expected", [
    ("finding: no-such-finding",
     "t.yaml:q1: option 'no' names finding 'no-such-finding', which is not in the findings catalogue (line 14)"),
    ("finding: {severity: advisory, text: Not so.}",
     "t.yaml:q1: option 'no' writes its finding inline: put it in the findings catalogue"),
])
def test_findings_must_come_from_the_catalogue(tmp_path, option_no, expected):
    problems = relative(problems_in(tmp_path, one_question(option_no)), tmp_path)
    assert any(p.startswith(expected) for p in problems), problems


def test_the_verdict_rule_names_the_outcome_the_finding_and_a_path(tmp_path):
    problems = relative(problems_in(tmp_path, one_question("finding: purpose-not-written")), tmp_path)
    assert problems == [
        "t.yaml:end: verdict 'proceed' is milder than finding 'purpose-not-written' (action_required, raised at 'q1')"
        " allows: a path with it must end at 'proceed_with_actions' or more serious (for example: q1=no)"]


def test_routing_on_findings_satisfies_the_verdict_rule(tmp_path):
    routes = "    routes:\n      - when: {raised: purpose-not-written}\n        next: end-actions\n"
    assert problems_in(tmp_path, one_question("finding: purpose-not-written", routes, ACTIONS_OUTCOME)) == []


def test_a_route_may_only_ask_about_catalogue_findings(tmp_path):
    routes = "    routes:\n      - when: {raised: not-a-finding}\n        next: end\n"
    problems = relative(problems_in(tmp_path, one_question("next: end", routes)), tmp_path)
    assert problems == ["t.yaml:q1: a route condition asks whether finding 'not-a-finding' was raised, but it is "
                        "not in the findings catalogue (line 8)"]


def test_stop_and_seek_advice_outcomes_say_who_can_help(tmp_path):
    text = one_question("next: end").replace("verdict: proceed", "verdict: stop")
    assert relative(problems_in(tmp_path, text), tmp_path) == [
        "t.yaml:end: a 'stop' outcome must say who can help ('help_from', pages under help/) (line 16)"]
    text = text.replace("body: Done.", "body: Done.\n    help_from: [lawyer]")
    assert relative(problems_in(tmp_path, text), tmp_path) == [
        "t.yaml:end: 'help_from' names 'lawyer', but there is no page help/lawyer (line 21)"]


def copy_of_test_trees(tmp_path: Path) -> Path:
    trees = tmp_path / "trees"
    shutil.copytree(TEST_TREES, trees)
    return trees


@pytest.mark.parametrize("entry, expected", [
    ("{id: x, severity: advisory, basis: law, text: X.}",
     "journey.yaml:x: a finding whose basis is the law must name the provision ('law')"),
    ("{id: x, severity: advisory, text: X.}", "journey.yaml:x: a catalogue finding needs 'basis'"),
    ("{id: purpose-not-written, severity: advisory, basis: good_practice, text: X.}",
     "journey.yaml:purpose-not-written: finding id 'purpose-not-written' is already used in"),
    ("{id: x, severity: advisory, basis: good_practice, text: X., principles: [rangatiratanga]}",
     "journey.yaml:x: unknown principle 'rangatiratanga' in 'principles'"),
    ("{id: x, severity: stop, basis: good_practice, text: X.}",
     "journey.yaml:x: a finding of severity 'stop' must say what to do ('action')"),
    ("{id: x, severity: advisory, basis: good_practice, text: X.}",
     "journey.yaml:x: no tree names this finding: use it or remove it"),
])
def test_catalogue_problems_name_file_finding_and_reason(tmp_path, entry, expected):
    trees = copy_of_test_trees(tmp_path)
    catalogue = trees / "findings" / "journey.yaml"
    catalogue.write_text(catalogue.read_text() + f"  - {entry}\n")
    problems = [str(p) for p in load_library(trees, TEST_CONTENT).problems]
    assert any(expected in p for p in problems), problems


def report_findings(app, public_id, library=None):
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
        report = build_report(library or app.extensions["dpup.library"], assessment)
        return [(f.severity_label, f.text, f.action, f.raised_by) for f in report.findings], report.sections[0].status


def officer_with_answers(app, *answers: tuple[str, object]):
    """A privacy officer and an assessment of the test journey answered through the forms."""
    officer = officer_of(app, "Te Puna Trust", "tp")
    pid = start(officer)
    for node_id, value in answers:
        answer(officer, pid, node_id, answer=value)
    return officer, pid


@pytest.fixture
def answered(app):
    return officer_with_answers(app, ("purpose", "no"), ("personal", "aggregate"), ("matching", "no"),
                                ("views", ["nobody"]))[1]


def test_an_assessment_keeps_its_findings_wording_after_the_catalogue_changes(app, answered, tmp_path):
    before = report_findings(app, answered)
    assert before[0][0][1] == "The purpose is not written down."
    # A new release rewords the finding: new assessments get the new words, this one keeps its own.
    trees = copy_of_test_trees(tmp_path)
    catalogue = trees / "findings" / "journey.yaml"
    catalogue.write_text(catalogue.read_text().replace("The purpose is not written down.", "No purpose statement."))
    upgraded = load_library(trees, TEST_CONTENT).raise_for_problems()
    assert upgraded.trees["journey"].node("purpose").option("no").finding.text == "No purpose statement."
    assert report_findings(app, answered, upgraded) == before


def test_an_assessment_answered_before_the_catalogue_still_reads_the_same(app, answered):
    """Tree versions pinned before findings moved to the catalogue wrote them inline; they still load."""
    legacy = LEGACY_JOURNEY.read_text()
    content_hash = hashlib.sha256(legacy.encode()).hexdigest()[:16]
    with app.app_context():
        db.session.add(TreeVersion(content_hash=content_hash, tree_id="journey", path="decision_trees/journey.yaml",
                                   source=legacy))
        pinned = db.session.scalar(select(AssessmentTree).join(Assessment).where(Assessment.public_id == answered))
        pinned.content_hash = content_hash
        db.session.commit()
    findings, status = report_findings(app, answered)
    assert [(label, text) for label, text, _, _ in findings] == [
        ("Action required", "The purpose is not written down."), ("Advisory", "Nobody has been asked.")]
    # The old tree's own outcome, as it was answered, named once (#14: headings never repeat the verdict).
    assert status == "Go ahead"


def test_a_seek_advice_outcome_says_who_can_help_on_screen_and_in_the_report(app):
    officer, pid = officer_with_answers(app, ("purpose", "yes"), ("personal", "identifying"),
                                        ("why-identifying", "To call people back."), ("matching", "yes"))
    summary = officer.get(f"/assessments/{pid}/trees/journey/summary")
    html = summary.get_data(as_text=True)
    assert "Seek advice before matching identifying data" in text_of(summary)
    assert 'Who can help</h3>' in html and 'href="/pages/help/privacy-officer">Your privacy officer</a>' in html
    for url in (f"/assessments/{pid}/report", f"/assessments/{pid}/report.md"):
        assert "Who can help:" in officer.get(url).get_data(as_text=True)
