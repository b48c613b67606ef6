"""Self-assessments in an organisation's export (format version 6): each with its ratings, its
roadmap actions and its history, checked in full before anything is written, like assessments."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field
from sqlalchemy import select

from dpup.engine import Library
from dpup.storage import audit
from dpup.storage.db import db
from dpup.storage.maturity import MAX_EVIDENCE, MAX_NOTE, target
from dpup.storage.maturity_models import MaturityRating, SelfAssessment
from dpup.storage.models import ActionItem, AuditEvent, Organisation, Status
from dpup.storage.transfer import (
    ActionOut,
    EventOut,
    PersonOut,
    TransferError,
    _action_out,
    _iso,
    _person,
    _person_out,
    _Strict,
)

ID = r"^[a-z0-9][a-z0-9-]*$"


class RatingOut(_Strict):
    criterion_id: str = Field(pattern=ID, max_length=80)
    level: str = Field(max_length=40)
    target: str = Field(max_length=40)
    note: str = Field(default="", max_length=MAX_NOTE)
    evidence: str = Field(default="", max_length=MAX_EVIDENCE)
    updated_at: datetime


class SelfAssessmentOut(_Strict):
    public_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,32}$")
    year: int = Field(ge=2000, le=2100)
    framework_id: str = Field(pattern=ID, max_length=80)
    framework_version: str = Field(max_length=40)
    created_at: datetime
    updated_at: datetime
    status: Status
    review_comment: str = ""
    signed_off_by: str = Field(default="", max_length=200)
    signed_off_role: str = Field(default="", max_length=60)
    signed_off_at: datetime | None = None
    previous: str | None = None
    created_by: PersonOut | None = None
    submitted_by: PersonOut | None = None
    ratings: list[RatingOut] = Field(default=[], max_length=1000)
    actions: list[ActionOut] = Field(default=[], max_length=1000)
    history: list[EventOut] = []


def export_self_assessments(organisation: Organisation) -> list[dict]:
    found = list(db.session.scalars(select(SelfAssessment).where(SelfAssessment.organisation_id == organisation.id)
                                    .order_by(SelfAssessment.year)))
    by_id = {sa.id: sa.public_id for sa in found}
    return [{
        "public_id": sa.public_id, "year": sa.year, "framework_id": sa.framework_id,
        "framework_version": sa.framework_version, "created_at": _iso(sa.created_at), "updated_at": _iso(sa.updated_at),
        "status": sa.status, "review_comment": sa.review_comment, "signed_off_by": sa.signed_off_by,
        "signed_off_role": sa.signed_off_role, "signed_off_at": _iso(sa.signed_off_at),
        "previous": by_id.get(sa.previous_id), "created_by": _person_out(sa.created_by),
        "submitted_by": _person_out(sa.submitted_by),
        "ratings": [{"criterion_id": r.criterion_id, "level": r.level, "target": r.target, "note": r.note,
                     "evidence": r.evidence, "updated_at": _iso(r.updated_at)}
                    for r in sorted(sa.ratings, key=lambda r: r.criterion_id)],
        "actions": [_action_out(item) for item in sorted(sa.actions, key=lambda i: i.id)],
        "history": [{"at": _iso(e.at), "actor": e.actor, "action": e.action, "before": e.before, "after": e.after}
                    for e in reversed(audit.events_for(organisation.id, target(sa)))],
    } for sa in found]


def check_self_assessments(library: Library, organisation_public_id: str, items: list[SelfAssessmentOut]) -> None:
    """Everything that would make an import half-succeed, refused before anything is written."""
    levels = {lv.id for lv in library.maturity.levels} if library.maturity else set()
    years, ids = set(), set()
    for sa in items:
        where = f"self-assessment {sa.year}"
        if sa.year in years or sa.public_id in ids:
            raise TransferError(f"{where} is in the file twice")
        years.add(sa.year)
        ids.add(sa.public_id)
        if sa.previous is not None and sa.previous not in ids:
            raise TransferError(f"{where}: 'previous' names a self-assessment not listed before it")
        if db.session.scalar(select(SelfAssessment.id).where(SelfAssessment.public_id == sa.public_id)):
            raise TransferError(f"{where} is already in this dpup")
        existing = db.session.scalar(select(SelfAssessment.id).join(Organisation).where(
            Organisation.public_id == organisation_public_id, SelfAssessment.year == sa.year))
        if existing:
            raise TransferError(f"the organisation already has a self-assessment for {sa.year}")
        seen = set()
        for rating in sa.ratings:
            if rating.criterion_id in seen:
                raise TransferError(f"{where}: criterion {rating.criterion_id} is rated twice")
            seen.add(rating.criterion_id)
            for value in (rating.level, rating.target):
                if value and value not in levels:
                    raise TransferError(f"{where}: level '{value}' is not one of this dpup's maturity levels")
        keys = [a.key for a in sa.actions]
        if len(set(keys)) != len(keys):
            raise TransferError(f"{where}: two actions for one criterion")
        if any(db.session.scalar(select(ActionItem.id).where(ActionItem.public_id == a.public_id)) for a in sa.actions):
            raise TransferError(f"{where}: an action item is already in this dpup")


def add_self_assessments(organisation: Organisation, items: list[SelfAssessmentOut]) -> None:
    added: dict[str, SelfAssessment] = {}
    for item in items:
        previous = added.get(item.previous) if item.previous else None
        sa = SelfAssessment(
            public_id=item.public_id, organisation_id=organisation.id, year=item.year, framework_id=item.framework_id,
            framework_version=item.framework_version, created_at=item.created_at, status=item.status.value,
            review_comment=item.review_comment, signed_off_by=item.signed_off_by,
            signed_off_role=item.signed_off_role, signed_off_at=item.signed_off_at,
            previous_id=previous.id if previous else None,
            created_by=_person(organisation, item.created_by) if item.created_by else None,
            submitted_by=_person(organisation, item.submitted_by) if item.submitted_by else None)
        sa.ratings = [MaturityRating(**r.model_dump()) for r in item.ratings]
        for action in item.actions:
            owner = _person(organisation, action.owner) if action.owner else None
            sa.actions.append(ActionItem(
                public_id=action.public_id, organisation_id=organisation.id, key=action.key, text=action.text,
                finding=action.finding, severity=action.severity.value, trees=list(action.trees), owner=owner,
                owner_name="" if owner else action.owner_name, due=action.due, status=action.status.value,
                reason=action.reason, note=action.note, created_at=action.created_at, updated_at=action.updated_at))
        db.session.add(sa)
        db.session.flush()
        sa.updated_at = item.updated_at
        for event in item.history:
            db.session.add(AuditEvent(organisation_id=organisation.id, actor=audit.one_line(event.actor),
                                      action=event.action, target=target(sa), before=event.before, after=event.after,
                                      at=event.at))
        added[item.public_id] = sa
    db.session.flush()
