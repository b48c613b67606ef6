"""What waits for a person: assessments to review, changes asked of them, drafts to finish; and who
asked for changes, and when. Read by the home page and the assessment page; nothing here changes data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from dpup.storage import audit
from dpup.storage.db import db
from dpup.storage.models import Assessment, AuditEvent, ChecklistRecord, Role, Status, User

HOME_LIMIT = 10  # a home page lists a few; the assessments list has them all


@dataclass(frozen=True)
class Waiting:
    to_review: list[Assessment]  # submitted, and this person may approve or send back
    changes_asked: list[Assessment]  # sent back to this person (they started or submitted it)
    drafts: list[Assessment]  # theirs, still being written
    approved: list[Assessment]  # for the board: the reports they can read

    @property
    def count(self) -> int:
        return len(self.to_review) + len(self.changes_asked)


def _recent(query, limit: int = HOME_LIMIT) -> list[Assessment]:
    return list(db.session.scalars(query.order_by(Assessment.updated_at.desc(), Assessment.id.desc()).limit(limit)))


def waiting_for(user: User) -> Waiting:
    in_org = select(Assessment).where(Assessment.organisation_id == user.organisation_id)
    mine = (Assessment.created_by_id == user.id) | (Assessment.submitted_by_id == user.id)
    to_review, changes, drafts, approved = [], [], [], []
    if user.has_role(Role.PRIVACY_OFFICER):
        to_review = _recent(in_org.where(Assessment.status == Status.SUBMITTED))
        if user.organisation.separate_approver:  # they may still ask for changes, but approval is another's
            to_review = [a for a in to_review if a.submitted_by_id != user.id]
        changes = _recent(in_org.where(Assessment.status == Status.CHANGES_REQUESTED, mine))
        drafts = _recent(in_org.where(Assessment.status == Status.DRAFT, mine), 5)
    if user.roles & {Role.BOARD, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER}:
        approved = _recent(in_org.where(Assessment.status == Status.APPROVED), 5)
    return Waiting(to_review, changes, drafts, approved)


@dataclass(frozen=True)
class Decision:
    by: str  # the person's name (or the email recorded, if they no longer have an account)
    at: datetime
    comment: str


def last_decision(assessment: Assessment, status: Status) -> Decision | None:
    """Who last moved the assessment to ``status`` and when, from its audit trail."""
    for event in audit.events_for(assessment.organisation_id, f"assessment:{assessment.public_id}"):
        after = event.after if isinstance(event.after, dict) else {}
        if event.action == "status_changed" and after.get("status") == status:
            return Decision(_name(event, assessment.organisation_id), event.at, str(after.get("comment") or ""))
    return None


def _name(event: AuditEvent, organisation_id: int) -> str:
    name = db.session.scalar(select(User.name).where(User.organisation_id == organisation_id,
                                                     func.lower(User.email) == event.actor.lower()))
    return name or event.actor


@dataclass(frozen=True)
class ChecklistUse:
    checklist_id: str
    times: int
    all_clear: int
    left_to_do: list[tuple[str, int]]  # item id, how often it was left to do; most often first


def checklist_records(user: User, only_own: bool, limit: int = 50) -> list[ChecklistRecord]:
    query = select(ChecklistRecord).where(ChecklistRecord.organisation_id == user.organisation_id)
    if only_own:
        query = query.where(ChecklistRecord.user_id == user.id)
    return list(db.session.scalars(query.order_by(ChecklistRecord.created_at.desc(), ChecklistRecord.id.desc())
                                   .limit(limit)))


def checklist_use(organisation_id: int) -> list[ChecklistUse]:
    """For privacy officers: which checklists are used, how often, and what is most often left to do
    (where training would help). Counted over the organisation's saved results."""
    rows = db.session.execute(select(ChecklistRecord.checklist_id, ChecklistRecord.all_clear, ChecklistRecord.to_do)
                              .where(ChecklistRecord.organisation_id == organisation_id))
    tally: dict[str, dict] = {}
    for checklist_id, all_clear, to_do in rows:
        entry = tally.setdefault(checklist_id, {"times": 0, "clear": 0, "items": {}})
        entry["times"] += 1
        entry["clear"] += bool(all_clear)
        for item in to_do if isinstance(to_do, list) else []:
            entry["items"][item] = entry["items"].get(item, 0) + 1
    return sorted((ChecklistUse(cid, e["times"], e["clear"],
                                sorted(e["items"].items(), key=lambda pair: (-pair[1], pair[0])))
                   for cid, e in tally.items()), key=lambda use: (-use.times, use.checklist_id))
