"""The expert scenario suite: realistic cases, each with the verdict and findings a specialist gives.

Scenarios are data (tests/scenarios/*.yaml), so a reviewer adds a case without writing code; the
README says how. Each case walks a bundled tree or checklist with the engine and checks what a
privacy specialist said the answer must be, and why (``source``).
"""

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, model_validator

from dpup import config
from dpup.engine import load_library, parse_answer
from dpup.engine.assessment import recommended, walk_assessment
from dpup.engine.checklist import evaluate_checklist
from dpup.engine.model import Verdict
from dpup.engine.yamlfile import parse_yaml

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
LIBRARY = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR))


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Verdict | None = None
    verdicts: dict[str, Verdict] = {}  # an assessment case: each tree's verdict
    recommended: list[str] | None = None  # an assessment case: exactly the trees the pre-screen recommends
    max_questions: int | None = None  # an assessment case: questions asked in all, the profile's included
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
    # "About this work" answers: the tree's questions known from them are not asked (leave them out).
    profile: dict[str, str | list[str]] = {}
    # A whole assessment: each tree's answers, walked in order with the profile, as the web does.
    assessment: dict[str, dict[str, str | list[str]]] = {}
    answers: dict[str, str | list[str]] = {}
    reasons: dict[str, str] = {}
    expect: Expect
    source: str = Field(min_length=10)

    @model_validator(mode="after")
    def _one_subject(self):
        if sum(bool(x) for x in (self.tree, self.checklist, self.assessment)) != 1:
            raise ValueError("a scenario names exactly one of 'tree', 'checklist' or 'assessment'")
        return self

    def answers_by_tree(self) -> dict[str, dict[str, str | list[str]]]:
        found = dict(self.assessment) if self.assessment else {self.tree: self.answers}
        if self.profile:
            found[LIBRARY.profile.id] = self.profile
        return found


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
    assert {s.tree for s in scenarios if s.tree} >= {t for t in LIBRARY.trees if t != getattr(LIBRARY.profile, "id", "")}
    assert {s.checklist for s in scenarios if s.checklist} >= set(LIBRARY.checklists)
    assert any(s.expect.verdict == Verdict.STOP for s in scenarios)


@pytest.mark.parametrize("name,scenario", CASES, ids=[name for name, _ in CASES])
def test_scenario(name, scenario: Scenario):
    subjects = [scenario.checklist] if scenario.checklist else list(scenario.answers_by_tree())
    problems = [str(p) for p in LIBRARY.problems if Path(p.file).stem in subjects]
    assert not problems, "\n".join(problems)
    if scenario.checklist:
        _check_checklist(scenario)
        return
    walks = walk_scenario(scenario)
    expect = scenario.expect
    raised = {f.id for w in walks.values() for f in w.findings}
    if scenario.tree:
        result = walks[scenario.tree]
        if expect.verdict:
            assert result.outcome.verdict == expect.verdict, f"ended at '{result.outcome.id}'"
        if expect.outcome:
            assert result.outcome.id == expect.outcome
        assert set(expect.links) <= set(result.outcome.links)
    for tree_id, verdict in expect.verdicts.items():
        assert walks[tree_id].outcome.verdict == verdict, f"{tree_id} ended at '{walks[tree_id].outcome.id}'"
    assert set(expect.findings) <= raised, f"missing findings; raised: {sorted(raised)}"
    assert not set(expect.not_findings) & raised, f"raised: {sorted(raised)}"
    if expect.recommended is not None:
        profile = LIBRARY.profile
        assert sorted(recommended(profile, walks[profile.id])) == sorted(expect.recommended)
    if expect.max_questions is not None:
        asked = sum(len(w.asked) for w in walks.values())
        assert asked <= expect.max_questions, f"{asked} questions asked"


def walk_scenario(scenario: Scenario) -> dict:
    """Every tree of the case walked as one assessment: the profile first, then each tree with what
    the trees before it answered. Each walk must reach its outcome using every answer given."""
    trees, answers = {}, {}
    for tree_id, given in scenario.answers_by_tree().items():
        tree = trees[tree_id] = LIBRARY.trees[tree_id]
        answers[tree_id] = {}
        for node_id, value in given.items():
            node = tree.node(node_id)
            assert node is not None and hasattr(node, "prompt"), f"{node_id} is not a question of {tree_id}"
            answers[tree_id][node_id] = parse_answer(node, value, reason=scenario.reasons.get(node_id, ""))
    walks = walk_assessment(trees, answers)
    for tree_id, result in walks.items():
        assert result.is_complete, f"{tree_id}: the answers stop at '{result.current.id}' before an outcome"
        assert not result.unused, f"{tree_id}: answers not on the path (or known already): {', '.join(result.unused)}"
    return walks


def _check_checklist(scenario: Scenario) -> None:
    checklist = LIBRARY.checklists[scenario.checklist]
    for item_id in scenario.answers:
        assert checklist.item(item_id), f"{item_id} is not an item of {checklist.id}"
    outcome = evaluate_checklist(checklist, dict(scenario.answers), scenario.reasons)
    if scenario.expect.all_clear is not None:
        assert outcome.all_clear == scenario.expect.all_clear
    assert {i.id for i in outcome.to_do} == set(scenario.expect.to_do)
