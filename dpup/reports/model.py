"""The report model: plain data, built once from an assessment, with no rendering in it.

Ratings rule (also in the README): a principle or guideline is rated from the most serious
finding raised against it on the paths taken —
no findings or only information → "Strong"; advisory → "Good, with improvements";
action required → "Needs action"; stop → "Serious concern". If no answered question or
finding serves it, it is "Not assessed".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from dpup.engine import Library, QuestionNode, Severity
from dpup.engine.walk import RaisedFinding
from dpup.storage.assessments import progress, to_answer
from dpup.storage.models import Assessment

RATINGS = {
    None: "Strong",
    Severity.INFORMATION: "Strong",
    Severity.ADVISORY: "Good, with improvements",
    Severity.ACTION_REQUIRED: "Needs action",
    Severity.STOP: "Serious concern",
}
NOT_ASSESSED = "Not assessed"


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str
    note: str = ""
    reason: str = ""
    action_owner: str = ""
    action_due: str = ""


@dataclass(frozen=True)
class FindingRow:
    severity: Severity
    text: str
    action: str
    principles: tuple[str, ...]
    guideline: str
    tree: str
    question: str
    action_owner: str = ""
    action_due: str = ""

    @property
    def severity_label(self) -> str:
        return self.severity.label


@dataclass(frozen=True)
class OutcomeRow:
    verdict: str
    title: str
    body: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class TreeSection:
    tree_id: str
    title: str
    version: str
    content_hash: str
    complete: bool
    outcome: OutcomeRow | None
    answers: tuple[AnswerRow, ...]
    unused: tuple[AnswerRow, ...]
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class Rating:
    name: str
    meaning: str
    rating: str
    findings: int


@dataclass(frozen=True)
class PrincipleGroup:
    principle: str
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class Report:
    title: str
    organisation: str
    initiative: str
    description: str
    started: datetime
    updated: datetime
    generated: datetime
    summary: str
    severity_counts: tuple[tuple[str, int], ...]
    principle_ratings: tuple[Rating, ...]
    guideline_ratings: tuple[Rating, ...]
    sections: tuple[TreeSection, ...]
    findings: tuple[FindingRow, ...]
    by_principle: tuple[PrincipleGroup, ...]
    actions: tuple[FindingRow, ...] = field(default=())


def build_report(library: Library, assessment: Assessment) -> Report:
    vocab = library.vocabulary
    sections, served = [], {"principles": set(), "guidelines": set()}
    for item in progress(library, assessment):
        rows = [_finding_row(library, item.tree.title, item.tree.node(f.node_id), f) for f in item.walk.findings]
        rows.sort(key=lambda r: -r.severity.rank)
        for step in item.walk.steps:
            served["principles"].update(step.node.principles or item.tree.principles)
            served["guidelines"].add(step.node.guideline or item.tree.guideline)
        sections.append(TreeSection(
            tree_id=item.tree.id, title=item.tree.title, version=item.tree.version,
            content_hash=item.pinned.content_hash, complete=item.walk.is_complete,
            outcome=_outcome(item.walk.outcome),
            answers=tuple(_answer_row(s.node, s.answer) for s in item.walk.steps),
            unused=tuple(_answer_row(item.tree.node(n), a) for n, a in _unused(assessment, item)),
            findings=tuple(rows),
        ))
    findings = sorted((f for s in sections for f in s.findings), key=lambda r: -r.severity.rank)
    return Report(
        title=f"DPUP assessment: {assessment.initiative}",
        organisation=assessment.organisation_name,
        initiative=assessment.initiative,
        description=assessment.description,
        started=assessment.created_at,
        updated=assessment.updated_at,
        generated=datetime.now(UTC).replace(tzinfo=None),
        summary=_summary(sections, findings),
        severity_counts=tuple((s.label, sum(f.severity == s for f in findings)) for s in reversed(Severity)),
        principle_ratings=tuple(_rating(t, findings, served["principles"], lambda f: f.principles)
                                for t in vocab.principles),
        guideline_ratings=tuple(_rating(t, findings, served["guidelines"], lambda f: (f.guideline,))
                                for t in vocab.guidelines),
        sections=tuple(sections),
        findings=tuple(findings),
        by_principle=tuple(
            PrincipleGroup(t.name, tuple(f for f in findings if t.name in f.principles))
            for t in vocab.principles if any(t.name in f.principles for f in findings)
        ),
        actions=tuple(f for f in findings if f.action),
    )


def _unused(assessment: Assessment, item):
    answers = assessment.answers_for(item.pinned.tree_id)
    return [(n, to_answer(answers[n])) for n in item.walk.unused]


def _finding_row(library: Library, tree_title: str, node, finding: RaisedFinding) -> FindingRow:
    vocab = library.vocabulary
    principle_names = tuple(vocab.term("principles", p).name for p in finding.principles if vocab.term("principles", p))
    guideline = vocab.term("guidelines", finding.guideline) if finding.guideline else None
    return FindingRow(
        severity=finding.severity, text=finding.text, action=finding.action or "",
        principles=principle_names, guideline=guideline.name if guideline else "",
        tree=tree_title, question=node.prompt if node else finding.node_id,
        action_owner=finding.action_owner, action_due=finding.action_due,
    )


def _answer_row(node: QuestionNode, answer) -> AnswerRow:
    shown = ", ".join((node.option(v).display if node.option(v) else v) for v in answer.values)
    return AnswerRow(node.prompt, shown, answer.note, answer.reason, answer.action_owner, answer.action_due)


def _outcome(node) -> OutcomeRow | None:
    if node is None:
        return None
    return OutcomeRow(node.verdict.label, node.title, node.body, node.actions)


def _rating(term, findings: list[FindingRow], served: set[str], tags_of) -> Rating:
    mine = [f for f in findings if term.name in tags_of(f) or term.id in tags_of(f)]
    if not mine and term.id not in served:
        return Rating(term.name, term.meaning, NOT_ASSESSED, 0)
    worst = max((f.severity for f in mine), key=lambda s: s.rank, default=None)
    return Rating(term.name, term.meaning, RATINGS[worst], len(mine))


def _summary(sections: list[TreeSection], findings: list[FindingRow]) -> str:
    done = sum(s.complete for s in sections)
    if done < len(sections):
        position = f"{len(sections) - done} of {len(sections)} assessments are not finished yet"
    elif any(f.severity == Severity.STOP for f in findings):
        position = "the initiative should not go ahead as planned until the stop findings are resolved"
    elif any(f.severity == Severity.ACTION_REQUIRED for f in findings):
        position = "the initiative can go ahead once the required actions are done"
    else:
        position = "the initiative is consistent with DPUP on the answers given"
    return f"Overall, {position}."
