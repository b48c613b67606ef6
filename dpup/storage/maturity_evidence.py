"""Facts from the organisation's own records, shown beside the criteria they bear on. Facts, not
scores: the person still chooses the level.

Every query is scoped to one organisation and one year (in the organisation's time zone), served
by an index that starts with the organisation, and aggregated in the database, so an organisation
with ten thousand assessments is read about as quickly as one with a hundred.

Still to come: the share of the year's assessments with a purpose statement or privacy notice
drafted, once drafted documents are records (the documents work, in progress on its own branch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from statistics import median

from sqlalchemy import and_, case, func, select, true

from dpup.localtime import zone
from dpup.storage.db import db
from dpup.storage.models import ActionItem, ActionStatus, Assessment, AuditEvent, ChecklistRecord, Status

# Severities from least to most serious, as action items store them.
_SEVERITY_ORDER = ("information", "advisory", "action_required", "seek_advice", "stop")


@dataclass(frozen=True)
class AssessmentFacts:
    started: int
    by_status: dict[str, int]  # status -> how many of the year's assessments are in it now
    by_worst: dict[str, int]  # most serious finding with an action ("" for none) -> how many


@dataclass(frozen=True)
class ActionFacts:
    open: int
    overdue: int
    done_this_year: int


@dataclass(frozen=True)
class ChecklistFacts:
    uses: int
    all_clear: int
    by_checklist: list[tuple[str, int]]  # checklist id, times used; most used first
    left_to_do: list[tuple[str, str, int]]  # checklist id, item id, times left to do; most often first


@dataclass(frozen=True)
class ReviewFacts:
    approved: int  # reviews finished (approved) in the year
    median_days: float | None  # first submitted -> approved
    longest_days: float | None


@dataclass(frozen=True)
class Evidence:
    year: int
    assessments: AssessmentFacts
    actions: ActionFacts
    checklists: ChecklistFacts
    reviews: ReviewFacts


def year_bounds(year: int, zone_name: str | None = None) -> tuple[datetime, datetime]:
    """1 January to 1 January in the organisation's time zone, as stored (naive UTC) times."""
    tz = zone(zone_name)
    start, end = (datetime.combine(date(y, 1, 1), time(), tz).astimezone(zone("UTC")).replace(tzinfo=None)
                  for y in (year, year + 1))
    return start, end


def gather(organisation_id: int, year: int, today: date, zone_name: str | None = None) -> Evidence:
    start, end = year_bounds(year, zone_name)
    return Evidence(year, _assessments(organisation_id, start, end), _actions(organisation_id, start, end, today),
                    _checklists(organisation_id, start, end), _reviews(organisation_id, start, end))


def _assessments(organisation_id: int, start: datetime, end: datetime) -> AssessmentFacts:
    """The year's initiatives by status, and by the most serious finding that asked for an action
    (verdicts are worked out from the answers each time a report is read, never stored; the most
    serious finding is what the verdict can be no milder than)."""
    rank = case(*((ActionItem.severity == s, n) for n, s in enumerate(_SEVERITY_ORDER)), else_=-1)
    per_assessment = (
        select(Assessment.status.label("status"), func.max(rank).label("worst"))
        .select_from(Assessment)
        .outerjoin(ActionItem, and_(ActionItem.assessment_id == Assessment.id,
                                    ActionItem.status != ActionStatus.NOT_NEEDED))
        .where(Assessment.organisation_id == organisation_id, Assessment.created_at >= start,
               Assessment.created_at < end)
        .group_by(Assessment.id, Assessment.status)).subquery()
    rows = db.session.execute(select(per_assessment.c.status, per_assessment.c.worst, func.count())
                              .group_by(per_assessment.c.status, per_assessment.c.worst)).all()
    by_status: dict[str, int] = {}
    by_worst: dict[str, int] = {}
    for status, worst, count in rows:
        by_status[status] = by_status.get(status, 0) + count
        key = _SEVERITY_ORDER[worst] if worst is not None and worst >= 0 else ""
        by_worst[key] = by_worst.get(key, 0) + count
    return AssessmentFacts(sum(by_status.values()), by_status, by_worst)


def _actions(organisation_id: int, start: datetime, end: datetime, today: date) -> ActionFacts:
    """Open and overdue now (the register's index), and finished this year."""
    open_, overdue = db.session.execute(
        select(func.count(), func.count(case((ActionItem.due < today, 1))))
        .where(ActionItem.organisation_id == organisation_id, ActionItem.status == ActionStatus.OPEN)).one()
    done = db.session.scalar(
        select(func.count()).where(ActionItem.organisation_id == organisation_id,
                                   ActionItem.status == ActionStatus.DONE,
                                   ActionItem.updated_at >= start, ActionItem.updated_at < end))
    return ActionFacts(open_, overdue, done or 0)


def _checklists(organisation_id: int, start: datetime, end: datetime) -> ChecklistFacts:
    in_year = (ChecklistRecord.organisation_id == organisation_id, ChecklistRecord.created_at >= start,
               ChecklistRecord.created_at < end)
    rows = db.session.execute(
        select(ChecklistRecord.checklist_id, func.count(), func.count(case((ChecklistRecord.all_clear, 1))))
        .where(*in_year).group_by(ChecklistRecord.checklist_id)).all()
    by_checklist = sorted(((cid, n) for cid, n, _ in rows), key=lambda r: (-r[1], r[0]))
    # Each item left to do, counted in the database from the JSON list each result keeps.
    dialect = db.session.get_bind().dialect.name
    elements = (func.json_array_elements_text if dialect == "postgresql" else func.json_each)(
        ChecklistRecord.to_do).table_valued("value").alias("item")
    left = db.session.execute(
        select(ChecklistRecord.checklist_id, elements.c.value, func.count().label("n"))
        .select_from(ChecklistRecord).join(elements, true())
        .where(*in_year, ChecklistRecord.all_clear.is_(False))
        .group_by(ChecklistRecord.checklist_id, elements.c.value)
        .order_by(func.count().desc(), ChecklistRecord.checklist_id, elements.c.value).limit(5)).all()
    return ChecklistFacts(sum(n for _, n, _ in rows), sum(c for _, _, c in rows), by_checklist,
                          [(cid, str(item), n) for cid, item, n in left])


def _reviews(organisation_id: int, start: datetime, end: datetime) -> ReviewFacts:
    """How long reviews of assessments took: first submitted to approved, for those approved in the
    year, from the audit trail (dpup records every status change there)."""
    status = AuditEvent.after["status"].as_string()
    base = (AuditEvent.organisation_id == organisation_id, AuditEvent.action == "status_changed",
            AuditEvent.target.like("assessment:%"))
    approved = (select(AuditEvent.target.label("target"), func.min(AuditEvent.at).label("at"))
                .where(*base, status == Status.APPROVED.value, AuditEvent.at >= start, AuditEvent.at < end)
                .group_by(AuditEvent.target)).subquery()
    submitted = (select(AuditEvent.target.label("target"), func.min(AuditEvent.at).label("at"))
                 .where(*base, status == Status.SUBMITTED.value, AuditEvent.at < end)
                 .group_by(AuditEvent.target)).subquery()
    pairs = db.session.execute(select(submitted.c.at, approved.c.at)
                               .join(approved, approved.c.target == submitted.c.target)).all()
    days = [(done - sent).total_seconds() / 86400 for sent, done in pairs if done >= sent]
    return ReviewFacts(len(days), round(median(days), 1) if days else None, round(max(days), 1) if days else None)
