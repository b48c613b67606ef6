"""The maturity framework: the bundled file is valid, a broken one is reported as file:node: reason
(line N), and the roll-up rule in the file is the one applied."""

from pathlib import Path

import pytest

from dpup import config
from dpup.engine import load_library
from dpup.engine.maturity import roll_up
from tests.conftest import TEST_CONTENT, TEST_TREES

FRAMEWORK = TEST_TREES / "maturity" / "framework.yaml"


def problems_in(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "maturity"
    folder.mkdir(exist_ok=True)
    path = folder / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(p).replace(str(path), "framework.yaml") for p in
            load_library(TEST_TREES, TEST_CONTENT, only=path).problems]


def test_the_bundled_framework_is_valid_and_usable():
    library = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR), verdict_rule=False)
    framework = library.maturity
    assert framework is not None and not library.problems
    assert 15 <= len(framework.criteria) <= 25
    principles = {t.id for t in library.vocabulary.principles}
    assert {s.principle for s in framework.sections} == principles  # organised by DPUP's five principles
    assert {c.pmaf for c in framework.criteria} >= {"core-expectations", "leadership", "planning-policies-practice",
                                                    "privacy-domains"}
    assert all(c.sources and c.expect_to_see for c in framework.criteria)
    assert [lv.label for lv in framework.levels] == ["Informal", "Foundational", "Managed"]


def test_the_test_framework_is_valid(tmp_path):
    assert problems_in(tmp_path, FRAMEWORK.read_text()) == []


@pytest.mark.parametrize("change, expected", [
    (("asks: Do we write down why?", "colour: red"),
     ["framework.yaml:purpose-written: 'asks' is required (line 26)",
      "framework.yaml:purpose-written: unknown key 'colour' (line 27)"]),
    (("managed: Always.}", "manage: Always.}"),
     ["framework.yaml:assess-first: 'levels' does not say what managed looks like (line 35)",
      "framework.yaml:assess-first: 'levels' names manage, which is not one of the framework's levels "
      "(informal, foundational, managed) (line 35)"]),
    (("pmaf: leadership", "pmaf: leadershp"),
     ["framework.yaml:board-hears: PMAF section 'leadershp' is not in 'pmaf_sections' (line 59)"]),
    (("principle: kaitiakitanga", "principle: stewardship"),
     ["framework.yaml:stewards: unknown principle 'stewardship' (line 49)"]),
    (("evidence: [actions]", "evidence: [rumours]"),
     ["framework.yaml:actions-done: evidence.0: Input should be 'assessments', 'actions', 'checklists', "
      "'reviews' or 'documents' (line 66)"]),
    (("id: frontline", "id: purpose-written"),
     ["framework.yaml:purpose-written: id 'purpose-written' is used more than once in the framework (line 42)"]),
    (('worst: "Their most serious finding with an action: {worst}."', 'worst: "Worst: {worst} of {total}."'),
     ["framework.yaml:evidence_wording: '{total}' is not a fact this phrase is given (it may use: {worst}) "
      "(line 80)"]),
    (("    no-assessments:", "    no-assesments:"),
     ["framework.yaml:evidence_wording: the phrase 'no-assessments' is missing (line 110)",
      "framework.yaml:evidence_wording: 'no-assesments' is not a phrase dpup uses (it uses: heading, drafted, "
      "none-drafted, document, no-assessments) (line 120)"]),
    (("  element: lowest", "  element: average"),
     ["framework.yaml:(file): rollup.element: Input should be 'lowest' or 'median' (line 10)"]),
])
def test_a_broken_framework_is_reported_as_file_node_reason(tmp_path, change, expected):
    old, new = change
    text = FRAMEWORK.read_text()
    assert old in text
    assert problems_in(tmp_path, text.replace(old, new, 1)) == expected


def test_dpup_validate_reports_the_framework(tmp_path):
    from click.testing import CliRunner

    from dpup.cli import main

    folder = tmp_path / "maturity"
    folder.mkdir()
    (folder / "framework.yaml").write_text(FRAMEWORK.read_text().replace("pmaf: leadership", "pmaf: nowhere"))
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "framework.yaml:board-hears: PMAF section 'nowhere' is not in 'pmaf_sections' (line 59)" in result.output
    ok = CliRunner().invoke(main, ["validate", str(FRAMEWORK.parent)])
    assert ok.exit_code == 0 and "ok  maturity   test-maturity: 2 sections, 5 criteria" in ok.output


def test_roll_up_follows_the_rule_in_the_file():
    framework = load_library(TEST_TREES, TEST_CONTENT).maturity
    ratings = {"purpose-written": "managed", "assess-first": "foundational", "frontline": "managed",
               "board-hears": "managed", "actions-done": None}
    rolled = roll_up(framework, ratings)
    assert rolled.elements == {"purpose": "foundational", "practice": "managed", "oversight": None}
    assert rolled.sections == {"people": "foundational", "stewards": None}  # a criterion not rated yet
    median = framework.model_copy(update={"rollup": framework.rollup.model_copy(update={"element": "median"})})
    three = {"purpose-written": "informal", "assess-first": "managed"}
    assert roll_up(median, three).elements["purpose"] == "informal"  # the lower of the two middles
    assert framework.one_up("informal") == "foundational" and framework.one_up("managed") == "managed"
    assert framework.one_up(None) == "informal"
