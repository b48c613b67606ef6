"""The expert scenario suite: realistic cases, each with the verdict and findings a specialist gives.

Scenarios are data (tests/scenarios/*.yaml), so a reviewer adds a case without writing code; the
README says how. Each case walks a bundled tree or checklist with the engine and checks what a
privacy specialist said the answer must be, and why (``source``).
"""

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from dpup import config
from dpup.engine import load_library, parse_answer, walk
from dpup.engine.checklist import evaluate_checklist
from dpup.engine.model import Verdict
from dpup.engine.yamlfile import parse_yaml

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
LIBRARY = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR))


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Verdict | None = None
    outcome: str | None = None
    findings: list[str] = []
    not_findings: list[str] = []
    links: list[str] = []
    all_clear: bool | None = None
    to_do: list[str] = []


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    who: str
    tree: str | None = None
    checklist: str | None = None
    answers: dict[str, str | list[str]]
    reasons: dict[str, str] = {}
    expect: Expect
    source: str = Field(min_length=10)

    @model_validator(mode="after")
    def _one_subject(self):
        if (self.tree is None) == (self.checklist is None):
            raise ValueError("a scenario names exactly one of 'tree' or 'checklist'")
        return self


def _load() -> list[tuple[str, Scenario]]:
    found = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for raw in parse_yaml(path.read_text(encoding="utf-8")).data["scenarios"]:
            scenario = Scenario.model_validate(raw)
            found.append((f"{path.stem}:{scenario.id}", scenario))
    return found


CASES = _load()


def test_the_suite_is_broad():
    """At least 25 cases, covering every tree and checklist, with some whose honest answer is stop."""
    scenarios = [s for _, s in CASES]
    assert len(scenarios) >= 25
    assert len({s.id for s in scenarios}) == len(scenarios), "scenario ids must be unique"
    assert {s.tree for s in scenarios if s.tree} >= set(LIBRARY.trees)
    assert {s.checklist for s in scenarios if s.checklist} >= set(LIBRARY.checklists)
    assert any(s.expect.verdict == Verdict.STOP for s in scenarios)


@pytest.mark.parametrize("name,scenario", CASES, ids=[name for name, _ in CASES])
def test_scenario(name, scenario: Scenario):
    subject = scenario.tree or scenario.checklist
    problems = [str(p) for p in LIBRARY.problems if Path(p.file).stem == subject]
    assert not problems, "\n".join(problems)
    if scenario.checklist:
        _check_checklist(scenario)
        return
    tree = LIBRARY.trees[scenario.tree]
    answers = {}
    for node_id, value in scenario.answers.items():
        node = tree.node(node_id)
        assert node is not None and hasattr(node, "prompt"), f"{node_id} is not a question of {tree.id}"
        answers[node_id] = parse_answer(node, value, reason=scenario.reasons.get(node_id, ""))
    result = walk(tree, answers)
    assert result.is_complete, f"the answers stop at '{result.current.id}' before an outcome"
    assert not result.unused, f"answers not on the path: {', '.join(result.unused)}"
    expect = scenario.expect
    raised = {f.id for f in result.findings}
    if expect.verdict:
        assert result.outcome.verdict == expect.verdict, f"ended at '{result.outcome.id}'"
    if expect.outcome:
        assert result.outcome.id == expect.outcome
    assert set(expect.findings) <= raised, f"missing findings; raised: {sorted(raised)}"
    assert not set(expect.not_findings) & raised, f"raised: {sorted(raised)}"
    assert set(expect.links) <= set(result.outcome.links)


def _check_checklist(scenario: Scenario) -> None:
    checklist = LIBRARY.checklists[scenario.checklist]
    for item_id in scenario.answers:
        assert checklist.item(item_id), f"{item_id} is not an item of {checklist.id}"
    outcome = evaluate_checklist(checklist, dict(scenario.answers), scenario.reasons)
    if scenario.expect.all_clear is not None:
        assert outcome.all_clear == scenario.expect.all_clear
    assert {i.id for i in outcome.to_do} == set(scenario.expect.to_do)
