"""Facts from the organisation's own records, shown beside the criteria they bear on. Facts, not
scores: the person still chooses the level.

Every query is scoped to one organisation and one year (in the organisation's time zone), served
by an index that starts with the organisation, and aggregated in the database, so an organisation
with ten thousand assessments is read about as quickly as one with a hundred.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from statistics import median

from sqlalchemy import and_, case, func, select, true

from dpup.localtime import zone
from dpup.storage.db import db
from dpup.storage.models import (ActionItem, ActionStatus, Assessment, AuditEvent, ChecklistRecord, DocumentDraft,
                                 Status)

# How many of the latest results and reviews the figures that need each one's details are read from.
LEFT_TO_DO_SAMPLE = 500
WORST_SAMPLE = 200
REVIEW_SAMPLE = 100
# Severities from least to most serious, as action items store them.
_SEVERITY_ORDER = ("information", "advisory", "action_required", "seek_advice", "stop")


@dataclass(frozen=True)
class AssessmentFacts:
    started: int
    by_status: dict[str, int]  # status -> how many of the year's assessments are in it now
    by_worst: dict[str, int]  # most serious finding with an action ("" for none) -> how many, of the latest
    sampled: int  # how many of the year's assessments by_worst counts: the latest, at most WORST_SAMPLE


@dataclass(frozen=True)
class ActionFacts:
    open: int
    overdue: int


@dataclass(frozen=True)
class ChecklistFacts:
    uses: int
    all_clear: int
    by_checklist: list[tuple[str, int]]  # checklist id, times used; most used first
    left_to_do: list[tuple[str, str, int]]  # checklist id, item id, times left to do; most often first
    sampled: int  # how many of the latest results with something left to do were read for left_to_do


@dataclass(frozen=True)
class ReviewFacts:
    approved: int  # reviews finished (approved) in the year that were read: at most REVIEW_SAMPLE, the latest
    median_days: float | None  # first submitted -> approved
    longest_days: float | None


@dataclass(frozen=True)
class Evidence:
    year: int
    assessments: AssessmentFacts
    actions: ActionFacts
    checklists: ChecklistFacts
    reviews: ReviewFacts
    documents: dict[str, int]  # document template id -> how many of the year's assessments have one drafted


def year_bounds(year: int, zone_name: str | None = None) -> tuple[datetime, datetime]:
    """1 January to 1 January in the organisation's time zone, as stored (naive UTC) times."""
    tz = zone(zone_name)
    start, end = (datetime.combine(date(y, 1, 1), time(), tz).astimezone(zone("UTC")).replace(tzinfo=None)
                  for y in (year, year + 1))
    return start, end


def gather(organisation_id: int, year: int, today: date, zone_name: str | None = None) -> Evidence:
    start, end = year_bounds(year, zone_name)
    return Evidence(year, _assessments(organisation_id, start, end), _actions(organisation_id, today),
                    _checklists(organisation_id, start, end), _reviews(organisation_id, start, end),
                    _documents(organisation_id, start, end))


def _assessments(organisation_id: int, start: datetime, end: datetime) -> AssessmentFacts:
    """The year's initiatives by status, and by the most serious finding that asked for an action
    (verdicts are worked out from the answers each time a report is read, never stored; the most
    serious finding is what the verdict can be no milder than)."""
    in_year = (Assessment.organisation_id == organisation_id, Assessment.created_at >= start,
               Assessment.created_at < end)
    by_status = dict(db.session.execute(select(Assessment.status, func.count()).where(*in_year)
                                        .group_by(Assessment.status)).all())
    # Each one's most serious finding with an action, for the latest of the year's assessments (a
    # bounded read: the assessments from their index, their actions' severities from theirs).
    latest = (select(Assessment.id).where(*in_year).order_by(Assessment.created_at.desc())
              .limit(WORST_SAMPLE)).subquery()
    rank = case(*((ActionItem.severity == s, n) for n, s in enumerate(_SEVERITY_ORDER)), else_=-1)
    per_assessment = (
        select(func.max(rank).label("worst"))
        .select_from(latest)
        .outerjoin(ActionItem, and_(ActionItem.assessment_id == latest.c.id,
                                    ActionItem.status != ActionStatus.NOT_NEEDED))
        .group_by(latest.c.id)).subquery()
    by_worst: dict[str, int] = {}
    for worst, count in db.session.execute(select(per_assessment.c.worst, func.count())
                                           .group_by(per_assessment.c.worst)):
        key = _SEVERITY_ORDER[worst] if worst is not None and worst >= 0 else ""
        by_worst[key] = by_worst.get(key, 0) + count
    return AssessmentFacts(sum(by_status.values()), by_status, by_worst, sum(by_worst.values()))


def _actions(organisation_id: int, today: date) -> ActionFacts:
    """Open and overdue now, counted in the register's index (organisation, status, due)."""
    open_, overdue = db.session.execute(
        select(func.count(), func.count(case((ActionItem.due < today, 1))))
        .where(ActionItem.organisation_id == organisation_id, ActionItem.status == ActionStatus.OPEN)).one()
    return ActionFacts(open_, overdue)


def _checklists(organisation_id: int, start: datetime, end: datetime) -> ChecklistFacts:
    in_year = (ChecklistRecord.organisation_id == organisation_id, ChecklistRecord.created_at >= start,
               ChecklistRecord.created_at < end)
    rows = db.session.execute(
        select(ChecklistRecord.checklist_id, func.count(), func.count(case((ChecklistRecord.all_clear, 1))))
        .where(*in_year).group_by(ChecklistRecord.checklist_id)).all()
    by_checklist = sorted(((cid, n) for cid, n, _ in rows), key=lambda r: (-r[1], r[0]))
    # What was left to do, counted in the database from the JSON list each result keeps, over the
    # latest results of the year that left something to do (a bounded read, however busy the year).
    latest = (select(ChecklistRecord.id, ChecklistRecord.checklist_id, ChecklistRecord.to_do)
              .where(*in_year, ChecklistRecord.all_clear.is_(False))
              .order_by(ChecklistRecord.created_at.desc()).limit(LEFT_TO_DO_SAMPLE)).subquery()
    dialect = db.session.get_bind().dialect.name
    elements = (func.json_array_elements_text if dialect == "postgresql" else func.json_each)(
        latest.c.to_do).table_valued("value").alias("item")
    left = db.session.execute(
        select(latest.c.checklist_id, elements.c.value, func.count().label("n"))
        .select_from(latest).join(elements, true())
        .group_by(latest.c.checklist_id, elements.c.value)
        .order_by(func.count().desc(), latest.c.checklist_id, elements.c.value).limit(5)).all()
    uses = sum(n for _, n, _ in rows)
    clear = sum(c for _, _, c in rows)
    return ChecklistFacts(uses, clear, by_checklist, [(cid, str(item), n) for cid, item, n in left],
                          min(uses - clear, LEFT_TO_DO_SAMPLE))


def _reviews(organisation_id: int, start: datetime, end: datetime) -> ReviewFacts:
    """How long reviews take, first submitted to approved, over the latest assessments approved in the
    year: approved when signed off (on the assessment), submitted when the audit trail first says so.
    Bounded reads: the latest approvals from the assessments list's index, then each one's events."""
    approved = db.session.execute(
        select(Assessment.public_id, Assessment.signed_off_at)
        .where(Assessment.organisation_id == organisation_id, Assessment.status == Status.APPROVED,
               # (signed off in the year, so last changed in it or since: a range of the list's index)
               Assessment.updated_at >= start, Assessment.signed_off_at >= start, Assessment.signed_off_at < end)
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc()).limit(REVIEW_SAMPLE)).all()
    if not approved:
        return ReviewFacts(0, None, None)
    done = {f"assessment:{public_id}": at for public_id, at in approved}
    submitted = db.session.execute(
        select(AuditEvent.target, func.min(AuditEvent.at))
        .where(AuditEvent.organisation_id == organisation_id, AuditEvent.target.in_(list(done)),
               AuditEvent.action == "status_changed",
               AuditEvent.after["status"].as_string() == Status.SUBMITTED.value)
        .group_by(AuditEvent.target)).all()
    days = [(done[t] - sent).total_seconds() / 86400 for t, sent in submitted if done[t] >= sent]
    return ReviewFacts(len(days), round(median(days), 1) if days else None, round(max(days), 1) if days else None)


def _documents(organisation_id: int, start: datetime, end: datetime) -> dict[str, int]:
    """How many of the year's assessments have each kind of document drafted (one draft of each kind
    per assessment), counted in the database over the year's assessments from their index."""
    return dict(db.session.execute(
        select(DocumentDraft.document_id, func.count())
        .join(Assessment, Assessment.id == DocumentDraft.assessment_id)
        .where(Assessment.organisation_id == organisation_id, Assessment.created_at >= start,
               Assessment.created_at < end)
        .group_by(DocumentDraft.document_id)).all())
