"""One plain report model of a maturity self-assessment, rendered as a web page, PDF and Word
(``maturity_pdf.py``, ``maturity_word.py``, ``templates/maturity/report.html``): the board brief
(levels by principle, the comparison with the previous signed-off year, what moved and why, the
roadmap) and the full record (every criterion with its level, target, note and evidence). The
renderers decide nothing; the roll-up rule and every level's wording come from the framework file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dpup.engine import Library
from dpup.engine.maturity import Framework, roll_up
from dpup.engine.maturity_wording import say
from dpup.localtime import format_datetime
from dpup.reports.rows import owner_and_due
from dpup.storage.maturity import gaps, target_of
from dpup.storage.maturity_evidence import Evidence
from dpup.storage.maturity_models import SelfAssessment
from dpup.storage.models import ActionStatus, Status, utcnow

NOT_RATED = "Not rated"
SIGNOFF_FIELDS = ("Name", "Role", "Date", "Signature")


@dataclass(frozen=True)
class Compared:
    """A level this year and in the previous signed-off year: ranks (0 = lowest) or None."""

    label: str
    rank: int | None
    previous_label: str = ""
    previous_rank: int | None = None

    @property
    def moved(self) -> str:
        """"up", "down", "same", or "" when either year has no level."""
        if self.rank is None or self.previous_rank is None:
            return ""
        return "up" if self.rank > self.previous_rank else ("down" if self.rank < self.previous_rank else "same")


@dataclass(frozen=True)
class CriterionRow:
    id: str
    asks: str
    section: str
    element: str
    level: Compared
    level_text: str  # what the chosen level looks like, in the framework's words
    target: str  # the target level's label, or ""
    target_text: str
    note: str
    evidence: str
    expect_to_see: tuple[str, ...]
    pmaf: str
    facts: tuple[str, ...]  # from the organisation's own records
    sources: tuple[str, ...]
    previous_note: str = ""

    @property
    def below_target(self) -> bool:
        return bool(self.target) and self.target != self.level.label


@dataclass(frozen=True)
class ElementRow:
    id: str
    title: str
    level: Compared


@dataclass(frozen=True)
class SectionRow:
    id: str
    title: str
    principle: str
    level: Compared
    elements: tuple[ElementRow, ...]
    criteria: tuple[CriterionRow, ...]


@dataclass(frozen=True)
class ActionRow:
    action: str
    criterion: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class MaturityReport:
    title: str
    organisation: str
    year: int
    previous_year: int | None
    framework: str  # title and version
    rollup_text: str
    levels: tuple[tuple[str, str], ...]  # label, what it means
    level_labels: tuple[str, ...]
    sections: tuple[SectionRow, ...]
    status: str
    review_status: str
    assessed_by: str
    generated: datetime
    zone_name: str | None = None
    signoff: tuple[str, str, str] | None = None  # name, role, date
    self_approved: bool = False
    actions: tuple[ActionRow, ...] = ()
    facts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # every kind of record: heading, lines
    sources: tuple[str, ...] = ()
    subject: str = "DPUP maturity self-assessment"
    language: str = "en-NZ"
    disclaimer: str = ""  # the framework's fine print
    criteria: tuple[CriterionRow, ...] = field(default=())

    @property
    def moved(self) -> tuple[CriterionRow, ...]:
        return tuple(c for c in self.criteria if c.level.moved in ("up", "down"))

    @property
    def roadmap(self) -> tuple[CriterionRow, ...]:
        return tuple(c for c in self.criteria if c.below_target)

    @property
    def generated_text(self) -> str:
        return format_datetime(self.generated, self.zone_name)

    @property
    def signoff_lines(self) -> tuple[tuple[str, str], ...]:
        values = (*self.signoff, "") if self.signoff else ("", "", "", "")
        return tuple(zip(SIGNOFF_FIELDS, values, strict=True))

    @property
    def rated(self) -> int:
        return sum(c.level.rank is not None for c in self.criteria)


def evidence_facts(library: Library, framework: Framework, evidence: Evidence) -> dict[str, tuple[str, ...]]:
    """The organisation's records as sentences, by kind of record (the framework's ``evidence``), in the
    framework's own words (``evidence_wording``)."""
    words = framework.evidence_wording
    year = evidence.year
    a, act, ch, rv = evidence.assessments, evidence.actions, evidence.checklists, evidence.reviews

    w = words["assessments"]
    statuses = ", ".join(say(w["status"], n, status=Status(s).label.lower()) for s, n in sorted(a.by_status.items()))
    worst = ", ".join(say(w["severity"], n, severity=library.vocabulary.severities[s].lower()) if s
                      else say(w["no-action-needed"], n) for s, n in sorted(a.by_worst.items(), key=lambda kv: kv[0]))
    assessments = [say(w["started"], a.started, year=year, statuses=statuses) if a.started
                   else say(w["none"], year=year)]
    if a.started:
        assessments.append(say(w["worst"], worst=worst) if a.sampled == a.started
                           else say(w["worst-of-latest"], a.sampled, worst=worst))

    actions = [say(words["actions"]["open"], act.open, overdue=act.overdue)]

    w = words["checklists"]
    titles = {cid: c.title for cid, c in library.checklists.items()}
    items = {(cid, i.id): i.text for cid, c in library.checklists.items() for i in c.items}
    checklists = [say(w["used"], ch.uses, year=year, clear=ch.all_clear) if ch.uses else say(w["none"], year=year)]
    if ch.by_checklist:
        used = "; ".join(say(w["checklist"], n, checklist=titles.get(c, c)) for c, n in ch.by_checklist[:3])
        checklists.append(say(w["most-used"], checklists=used))
    if ch.left_to_do:
        checklists.append(say(w["left-to-do"], ch.sampled))
    checklists += [say(w["left-item"], n, item=items.get((c, i), i), checklist=titles.get(c, c))
                   for c, i, n in ch.left_to_do[:3]]

    w = words["reviews"]
    reviews = [say(w["finished"], rv.approved, year=year, median=f"{rv.median_days:g}", longest=f"{rv.longest_days:g}")
               if rv.approved else say(w["none"], year=year)]

    w = words["documents"]
    drafted = "; ".join(say(w["document"], n, document=library.documents[d].title if d in library.documents else d)
                        for d, n in sorted(evidence.documents.items(), key=lambda kv: (-kv[1], kv[0])))
    if not a.started:
        documents = [say(w["no-assessments"], year=year)]
    elif drafted:
        documents = [say(w["drafted"], a.started, year=year, documents=drafted)]
    else:
        documents = [say(w["none-drafted"], a.started, year=year)]
    return {"assessments": tuple(assessments), "actions": tuple(actions), "checklists": tuple(checklists),
            "reviews": tuple(reviews), "documents": tuple(documents)}


def build(library: Library, framework: Framework, sa: SelfAssessment, previous: SelfAssessment | None,
          evidence: Evidence, zone_name: str | None = None) -> MaturityReport:
    facts = evidence_facts(library, framework, evidence)
    ratings = sa.ratings_by_criterion()
    before = previous.ratings_by_criterion() if previous else {}
    now_levels = {cid: r.level for cid, r in ratings.items()}
    then_levels = {cid: r.level for cid, r in before.items()}
    rolled, rolled_before = roll_up(framework, now_levels), roll_up(framework, then_levels)
    principles = {t.id: t.name for t in library.vocabulary.principles}

    def compared(level: str | None, was: str | None) -> Compared:
        now, then = framework.level(level), framework.level(was)
        return Compared(now.label if now else NOT_RATED, framework.rank(level),
                        (then.label if then else NOT_RATED) if previous else "", framework.rank(was) if previous else None)

    sections, all_criteria = [], []
    for s in framework.sections:
        elements, criteria = [], []
        for e in s.elements:
            elements.append(ElementRow(e.id, e.title, compared(rolled.elements[e.id], rolled_before.elements[e.id])))
            for c in e.criteria:
                r = ratings.get(c.id)
                aim = target_of(framework, r)
                row = CriterionRow(
                    c.id, c.asks, s.title, e.title, compared(r.level if r else None, then_levels.get(c.id)),
                    c.levels.get(r.level, "") if r else "", framework.level(aim).label if aim else "",
                    c.levels.get(aim, "") if aim else "", r.note if r else "", r.evidence if r else "",
                    c.expect_to_see, framework.pmaf_title(c.pmaf),
                    tuple(line for kind in c.evidence for line in facts[kind]),
                    tuple(f"{src.title}" + (f" ({src.url})" if src.url else "") for src in c.sources),
                    before[c.id].note if c.id in before else "")
                criteria.append(row)
        sections.append(SectionRow(s.id, s.title, principles.get(s.principle, s.principle),
                                   compared(rolled.sections[s.id], rolled_before.sections[s.id]),
                                   tuple(elements), tuple(criteria)))
        all_criteria += criteria
    signoff = (sa.signed_off_by, sa.signed_off_role, format_datetime(sa.signed_off_at, zone_name)) \
        if sa.signed_off_by else None
    asks = {c.id: c.asks for c in framework.criteria}
    gap_ids = set(gaps(framework, sa))
    actions = tuple(ActionRow(i.text, asks.get(i.key, i.key), *owner_and_due(i), ActionStatus(i.status).label)
                    for i in sa.actions if i.key in gap_ids or i.status != ActionStatus.NOT_NEEDED)
    person = sa.created_by
    return MaturityReport(
        title=f"DPUP maturity self-assessment {sa.year}", organisation=sa.organisation.name, year=sa.year,
        previous_year=previous.year if previous else None,
        framework=f"{framework.title} (version {sa.framework_version})", rollup_text=framework.rollup.explanation,
        levels=tuple((lv.label, lv.summary) for lv in framework.levels),
        level_labels=tuple(lv.label for lv in framework.levels), sections=tuple(sections),
        status=Status(sa.status).label, review_status=_review_status(sa, signoff),
        assessed_by=f"{person.name}, {sa.organisation.name}" if person else sa.organisation.name,
        generated=utcnow(), zone_name=zone_name, signoff=signoff,
        self_approved=(sa.status == Status.APPROVED and sa.submitted_by is not None
                       and sa.submitted_by.name == sa.signed_off_by),
        actions=actions, facts=tuple((say(framework.evidence_wording[k]["heading"]), v) for k, v in facts.items()),
        sources=tuple(f"{src.title}" + (f" ({src.url})" if src.url else "") for src in framework.sources),
        disclaimer=framework.disclaimer, criteria=tuple(all_criteria))


def _review_status(sa: SelfAssessment, signoff) -> str:
    status = Status(sa.status)
    if status == Status.APPROVED and signoff:
        return f"This self-assessment was approved by {signoff[0]} ({signoff[1]}) on {signoff[2]}."
    if status == Status.SUBMITTED:
        return "This self-assessment was submitted for review and has not been approved yet."
    if status == Status.CHANGES_REQUESTED:
        return "The reviewer asked for changes to this self-assessment; it has not been approved."
    return "This self-assessment is a draft: it has not been reviewed or approved."
