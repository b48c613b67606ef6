"""The report model: plain data, built once from an assessment, with no rendering in it.

Every renderer (the HTML page, the Markdown export, the PDF) reads this one object and adds no
logic of its own: what is shown, in what order, and how it is worded is decided here.

Ratings rule (also in the README): a principle or guideline is rated from the most serious
finding raised against it on the paths taken —
no findings or only information → "Strong"; advisory → "Good, with improvements";
action required → "Needs action"; seek advice or stop → "Serious concern". If no answered question or
finding serves it, it is "Not assessed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

from dpup.engine import Library, QuestionNode, Severity
from dpup.engine.model import Basis, OutcomeNode
from dpup.engine.walk import RaisedFinding
from dpup.markup import render_markdown
from dpup.storage.assessments import progress, to_answer
from dpup.storage.models import Assessment, Status

RATINGS = {
    None: "Strong",
    Severity.INFORMATION: "Strong",
    Severity.ADVISORY: "Good, with improvements",
    Severity.ACTION_REQUIRED: "Needs action",
    Severity.SEEK_ADVICE: "Serious concern",
    Severity.STOP: "Serious concern",
}
NOT_ASSESSED = "Not assessed"
# How far along the scale each rating is, for charts: 0 = not assessed, 4 = strong.
RATING_SCORES = {NOT_ASSESSED: 0, "Serious concern": 1, "Needs action": 2, "Good, with improvements": 3, "Strong": 4}
RATING_SCALE = ("Not assessed", "Serious concern", "Needs action", "Good, with improvements", "Strong")
# How a finding's basis reads in a report; findings of trees pinned before the catalogue have none.
BASIS_LABELS = {Basis.LAW: "Required by law", Basis.GOOD_PRACTICE: "DPUP good practice", None: "Basis not recorded"}

DISCLAIMER = ("DPUP is good practice, not law, and this report is not legal advice. It draws on the Data "
              "Protection and Use Policy (Crown copyright, CC BY 4.0), written in our own words.")


def format_datetime(value: datetime | None) -> str:
    """The one way reports write a date and time (the web's ``datetime`` filter uses the same format)."""
    return value.strftime("%-d %B %Y, %-I:%M %p UTC") if value else ""


def format_date(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


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
    """One finding, shown once however many questions raised it."""

    severity: Severity
    severity_label: str
    text: str
    action: str
    principles: tuple[str, ...]
    guideline: str
    raised_by: tuple[str, ...]  # "Tree: question" for each question that raised it
    basis: str  # BASIS_LABELS: required by law, or DPUP good practice
    law: str = ""  # the provision, when the law requires it
    action_owner: str = ""
    action_due: str = ""

    @property
    def principle_names(self) -> str:
        return ", ".join(self.principles)

    @property
    def basis_text(self) -> str:
        """"Required by law (Privacy Act 2020, s 22, IPP 3A)", or "DPUP good practice"."""
        return f"{self.basis} ({self.law})" if self.law else self.basis


@dataclass(frozen=True)
class ActionRow:
    """One line of the recommended-actions plan."""

    number: int
    action: str
    principles: str
    severity: str  # a severity label, or "Recommended" for an outcome's general advice
    source: str  # the tree (and question) it comes from
    owner: str = ""
    due: str = ""


@dataclass(frozen=True)
class OutcomeRow:
    verdict: str
    title: str
    body: str  # Markdown, written by content authors
    body_text: str  # the same as plain text, for renderers that do not take Markdown
    actions: tuple[str, ...]
    heading: str  # "Verdict: title", or the title alone when it already says the verdict
    help_from: tuple[str, ...] = ()  # who can help, by the title of their page

    @property
    def help_text(self) -> str:
        return "; ".join(self.help_from)


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

    @property
    def status(self) -> str:
        return f"{self.outcome.verdict}: {self.outcome.title}" if self.outcome else "Not finished"


@dataclass(frozen=True)
class TreeUsed:
    title: str
    tree_id: str
    version: str
    content_hash: str
    status: str


@dataclass(frozen=True)
class Rating:
    name: str
    meaning: str
    rating: str
    findings: int

    @property
    def score(self) -> int:
        return RATING_SCORES[self.rating]


@dataclass(frozen=True)
class SeverityGroup:
    """The findings of one severity, each once."""

    severity: Severity
    label: str
    count: int
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class SignOff:
    name: str = ""
    role: str = ""
    date: str = ""


SIGNOFF_FIELDS = ("Name", "Role", "Date", "Signature")


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
    public_id: str = ""
    assessed_by: str = ""
    submitted_by: str = ""  # who last submitted it for review, when it has been
    trees_used: tuple[TreeUsed, ...] = ()
    by_severity: tuple[SeverityGroup, ...] = ()
    action_plan: tuple[ActionRow, ...] = ()
    findings_total: int = 0
    answers_total: int = 0
    unused_total: int = 0
    signoff: SignOff | None = None  # None: nobody has approved it in dpup; an empty block is printed to sign
    status: str = "Draft"
    signoff_fields: tuple[str, ...] = SIGNOFF_FIELDS
    disclaimer: str = DISCLAIMER
    rating_scale: tuple[str, ...] = RATING_SCALE
    subject: str = "Data Protection and Use Policy (DPUP) assessment report"
    language: str = "en-NZ"

    @property
    def signoff_lines(self) -> tuple[tuple[str, str], ...]:
        """Name, role, date and signature, each with what was recorded (blank lines to sign by hand)."""
        s = self.signoff
        return tuple(zip(self.signoff_fields, (s.name, s.role, s.date, "") if s else ("", "", "", ""), strict=True))

    @property
    def facts(self) -> tuple[tuple[str, str], ...]:
        """The cover's label and value pairs, the same in every format."""
        return (
            ("Organisation", self.organisation),
            ("Assessed by", self.assessed_by),
            *((("Submitted by", self.submitted_by),) if self.submitted_by else ()),
            ("Status", self.status),
            ("Started", self.started_text),
            ("Last changed", self.updated_text),
            ("Report made", self.generated_text),
        )

    @property
    def started_text(self) -> str:
        return format_datetime(self.started)

    @property
    def updated_text(self) -> str:
        return format_datetime(self.updated)

    @property
    def generated_text(self) -> str:
        return format_datetime(self.generated)


def build_report(library: Library, assessment: Assessment) -> Report:
    vocab = library.vocabulary
    sections, served, raised = [], {"principles": set(), "guidelines": set()}, []
    for item in progress(library, assessment):
        raised += [(item.tree, f) for f in item.walk.findings]
        for step in item.walk.steps:
            served["principles"].update(step.node.principles or item.tree.principles)
            served["guidelines"].add(step.node.guideline or item.tree.guideline)
        sections.append(TreeSection(
            tree_id=item.tree.id, title=item.tree.title, version=item.tree.version,
            content_hash=item.pinned.content_hash, complete=item.walk.is_complete,
            outcome=_outcome(library, item.walk.outcome),
            answers=tuple(_answer_row(s.node, s.answer) for s in item.walk.steps),
            unused=tuple(_answer_row(item.tree.node(n), a) for n, a in _unused(assessment, item)),
            findings=tuple(_finding_rows(library, [(t, f) for t, f in raised if t is item.tree])),
        ))
    findings = _finding_rows(library, raised)
    return Report(
        title=f"DPUP assessment: {assessment.initiative}",
        organisation=assessment.organisation_name,
        initiative=assessment.initiative,
        description=assessment.description or "",
        started=assessment.created_at,
        updated=assessment.updated_at,
        generated=datetime.now(UTC).replace(tzinfo=None),
        summary=_summary(sections, findings),
        severity_counts=tuple((vocab.label(s), sum(f.severity == s for f in findings)) for s in reversed(Severity)),
        principle_ratings=tuple(_rating(t, findings, served["principles"], lambda f: f.principles)
                                for t in vocab.principles),
        guideline_ratings=tuple(_rating(t, findings, served["guidelines"], lambda f: (f.guideline,))
                                for t in vocab.guidelines),
        sections=tuple(sections),
        findings=tuple(findings),
        public_id=assessment.public_id,
        assessed_by=_assessed_by(assessment),
        submitted_by=assessment.submitted_by.name if assessment.submitted_by else "",
        trees_used=tuple(TreeUsed(s.title, s.tree_id, s.version, s.content_hash, s.status) for s in sections),
        by_severity=tuple(
            SeverityGroup(sev, vocab.label(sev), len(group), tuple(group))
            for sev in reversed(Severity)
            if (group := [f for f in findings if f.severity == sev])
        ),
        action_plan=_action_plan(findings, sections),
        findings_total=len(findings),
        answers_total=sum(len(s.answers) for s in sections),
        unused_total=sum(len(s.unused) for s in sections),
        signoff=_signoff(assessment),
        status=_status(assessment),
    )


def _assessed_by(assessment: Assessment) -> str:
    """Who started the assessment, and for which organisation (the organisation alone if unknown)."""
    person = assessment.created_by
    return f"{person.name}, {assessment.organisation_name}" if person else assessment.organisation_name


def _signoff(assessment: Assessment) -> SignOff | None:
    """The recorded approval, if any; without one, renderers show an empty block to sign by hand."""
    if not assessment.signed_off_by:
        return None
    return SignOff(assessment.signed_off_by, assessment.signed_off_role, format_date(assessment.signed_off_at))


def _status(assessment: Assessment) -> str:
    label = Status(assessment.status).label
    return f"{label}, revision {assessment.revision}" if assessment.revision > 1 else label


def _action_plan(findings: list[FindingRow], sections: list[TreeSection]) -> tuple[ActionRow, ...]:
    """Finding actions, most serious first, then each outcome's general advice."""
    rows = [(f.action, f.principle_names, f.severity_label, "; ".join(f.raised_by), f.action_owner, f.action_due)
            for f in findings if f.action]
    seen = {r[0] for r in rows}
    for s in sections:
        for action in (s.outcome.actions if s.outcome else ()):
            if action not in seen:
                seen.add(action)
                rows.append((action, "", "Recommended", f"{s.title}: outcome", "", ""))
    return tuple(ActionRow(i, *row) for i, row in enumerate(rows, start=1))


def _unused(assessment: Assessment, item):
    answers = assessment.answers_for(item.pinned.tree_id)
    return [(n, to_answer(answers[n])) for n in item.walk.unused]


def _finding_rows(library: Library, raised: list[tuple]) -> list[FindingRow]:
    """Each finding once, with every question that raised it: most serious first, then the ones
    that touch most principles. The same catalogue id (or, for old inline findings, the same
    words) is the same finding."""
    groups: dict[str, list[tuple]] = {}
    for tree, finding in raised:
        groups.setdefault(finding.id or finding.text, []).append((tree, finding))
    rows = [_finding_row(library, group) for group in groups.values()]
    return sorted(rows, key=lambda r: (-r.severity.rank, -len(r.principles)))


def _finding_row(library: Library, group: list[tuple]) -> FindingRow:
    vocab = library.vocabulary
    finding: RaisedFinding = group[0][1]
    principle_names = tuple(vocab.term("principles", p).name for p in finding.principles if vocab.term("principles", p))
    guideline = vocab.term("guidelines", finding.guideline) if finding.guideline else None
    raised_by = tuple(dict.fromkeys(
        f"{tree.title}: {node.prompt if (node := tree.node(f.node_id)) else f.node_id}" for tree, f in group))
    owners = [f for _, f in group if f.action_owner or f.action_due]
    return FindingRow(
        severity=finding.severity, severity_label=vocab.label(finding.severity), text=finding.text,
        action=finding.action or "",
        principles=principle_names, guideline=guideline.name if guideline else "",
        raised_by=raised_by, basis=BASIS_LABELS[finding.basis], law=finding.law or "",
        action_owner=owners[0].action_owner if owners else "", action_due=owners[0].action_due if owners else "",
    )


def _answer_row(node: QuestionNode, answer) -> AnswerRow:
    shown = ", ".join((node.option(v).display if node.option(v) else v) for v in answer.values)
    return AnswerRow(node.prompt, shown, answer.note, answer.reason, answer.action_owner, answer.action_due)


def _outcome(library: Library, node: OutcomeNode | None) -> OutcomeRow | None:
    if node is None:
        return None
    vocab = library.vocabulary
    helpers = tuple(page.title if (page := library.pages.get(f"help/{h}")) else h for h in node.help_from)
    return OutcomeRow(vocab.label(node.verdict), node.title, node.body, _plain(node.body), node.actions,
                      vocab.outcome_heading(node), helpers)


def _plain(markdown_text: str) -> str:
    """Markdown to plain text: paragraphs kept apart by a blank line, mark-up dropped."""
    html = render_markdown(markdown_text)
    html = re.sub(r"</(p|li|h\d|tr|blockquote|pre)>", "\n", html)
    html = re.sub(r"<li>", "• ", html)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


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
    elif any(f.severity == Severity.SEEK_ADVICE for f in findings):
        position = "the initiative should pause until advice has been taken on the findings that need it"
    elif any(f.severity == Severity.ACTION_REQUIRED for f in findings):
        position = "the initiative can go ahead once the required actions are done"
    else:
        position = "the initiative is consistent with DPUP on the answers given"
    return f"Overall, {position}."
