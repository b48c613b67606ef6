"""The report model's rows: plain, frozen data that every renderer reads (HTML, Markdown, PDF, Word).

Built by ``dpup.reports.model.build_report``; kept apart from it so the renderers' vocabulary (what a
finding, an action or a rating row holds, and how it reads) is one short module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dpup.engine import Severity
from dpup.localtime import format_date, format_datetime
from dpup.storage.models import ActionItem, ActionStatus


def owner_and_due(item: ActionItem) -> tuple[str, str]:
    """An action's owner and due date as every report shows them (an assessment's or a self-assessment's)."""
    return item.owner_label or "Not assigned", format_date(item.due) if item.due else "No due date"

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




@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str  # the options chosen, one per line when several (options may contain commas)
    note: str = ""
    reason: str = ""
    values: tuple[str, ...] = ()  # each option chosen, for a list
    source: str = ""  # the part of the assessment it was taken from, when the question was not asked

    @property
    def several(self) -> bool:
        return len(self.values) > 1


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
    basis: str  # as the vocabulary words it: required by law, or DPUP good practice
    is_law: bool = False
    law: str = ""  # the provision, when the law requires it
    key: str = ""  # the catalogue id (or an old inline finding's words): what action items and leads name
    action_status: str = ""
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
    """One action item: what to do, who does it, by when, and where it stands."""

    number: int
    action: str
    finding: str
    severity: str  # the label of its finding's severity
    owner: str  # "Not assigned" when nobody is
    due: str  # "26 March 2027", or "No due date"
    status: str  # Open, Done, Risk accepted, No longer needed
    overdue: bool = False
    reason: str = ""
    note: str = ""
    due_date: date | None = None

    @property
    def status_text(self) -> str:
        return "Overdue" if self.overdue else self.status


@dataclass(frozen=True)
class OwnerRow:
    """The brief's actions by owner: how many are open and overdue, and the next due date."""

    owner: str
    open: int
    overdue: int
    next_due: str


@dataclass(frozen=True)
class HistoryRow:
    when: str
    who: str
    what: str


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
        """The outcome's heading, which names its verdict once ("Go ahead once the actions are done")."""
        return self.outcome.heading if self.outcome else "Not finished"


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

    @property
    def concern(self) -> int | None:
        """For the chart, where worse is longer and darker: 0 strong … 3 serious concern; None not assessed."""
        return None if self.rating == NOT_ASSESSED else 4 - self.score


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
    date: str = ""  # date and time, with the zone: "26 November 2026, 9:18 am NZDT"


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
    summary: str  # the verdict on the initiative, in plain words (never the review status)
    severity_counts: tuple[tuple[str, int], ...]
    principle_ratings: tuple[Rating, ...]
    guideline_ratings: tuple[Rating, ...]
    sections: tuple[TreeSection, ...]  # the assessed trees, each with its outcome
    findings: tuple[FindingRow, ...]
    profile: TreeSection | None = None  # the "About this work" answers, which have no outcome of their own
    public_id: str = ""
    assessed_by: str = ""
    submitted_by: str = ""  # who last submitted it for review, when it has been
    trees_used: tuple[TreeUsed, ...] = ()
    by_severity: tuple[SeverityGroup, ...] = ()
    action_plan: tuple[ActionRow, ...] = ()  # every action item, open ones first
    findings_total: int = 0
    answers_total: int = 0
    unused_total: int = 0
    signoff: SignOff | None = None  # None: nobody has approved it in dpup; an empty block is printed to sign
    status: str = "Draft"
    review_status: str = ""  # "This assessment was approved by … on …", kept apart from the verdict
    self_approved: bool = False  # approved by whoever submitted it: no second person reviewed it
    recommendation: str = ""  # the privacy officer's own words
    decision_sought: str = ""
    priorities: tuple[FindingRow, ...] = ()  # the brief's top findings, each once
    priorities_more: int = 0  # findings not among them
    basis_rows: tuple[tuple[str, int, int], ...] = ()  # severity label, required by law, good practice
    owners: tuple[OwnerRow, ...] = ()
    overdue: tuple[ActionRow, ...] = ()
    history: tuple[HistoryRow, ...] = ()
    zone: str = ""  # the time zone times are shown in, by its abbreviation ("NZDT")
    signoff_fields: tuple[str, ...] = SIGNOFF_FIELDS
    disclaimer: str = ""  # the vocabulary's fine print
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
        """The cover's label and value pairs, the same in every format. "Review status" says where the
        assessment is in its review; it is not the verdict on the initiative."""
        return (
            ("Organisation", self.organisation),
            ("Assessed by", self.assessed_by),
            *((("Submitted by", self.submitted_by),) if self.submitted_by else ()),
            ("Review status", self.status),
            ("Started", self.started_text),
            ("Last changed", self.updated_text),
            ("Report made", self.generated_text),
        )

    @property
    def answer_sections(self) -> tuple[TreeSection, ...]:
        """Every part with answers, for the appendix: the profile first."""
        return ((self.profile,) if self.profile else ()) + self.sections

    @property
    def decision_text(self) -> str:
        return self.decision_sought or self.default_decision

    @property
    def open_actions(self) -> int:
        return sum(a.status == ActionStatus.OPEN.label for a in self.action_plan)

    @property
    def started_text(self) -> str:
        return format_datetime(self.started, self.zone_name)

    @property
    def updated_text(self) -> str:
        return format_datetime(self.updated, self.zone_name)

    @property
    def generated_text(self) -> str:
        return format_datetime(self.generated, self.zone_name)

    zone_name: str | None = None  # DPUP_TIMEZONE, or None for its default
    default_decision: str = ""  # what the board is asked when the decision sought is not written
