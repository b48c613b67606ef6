"""The parts of an organisation's export that its assessments and self-assessments share (see
transfer.py for the file, maturity_transfer.py for the self-assessments): people, history, actions,
and the review and sign-off every reviewed document carries, both ways."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import func, select

from dpup.engine import Severity
from dpup.security.emails import is_email
from dpup.storage import actions as action_store
from dpup.storage import audit
from dpup.storage.db import db
from dpup.storage.models import ActionItem, ActionStatus, AuditEvent, Organisation, Reviewed, Status, User, join_roles
from dpup.storage.transfer_checks import TransferError

MAX_TEXT = 100_000
# As the forms limit them (dpup/web/action_forms.py): an import stores nothing the forms would refuse.
MAX_WORDS = 2000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=MAX_TEXT)


class EventOut(Strict):
    at: datetime
    actor: str = Field(max_length=254)
    # As dpup names its events (answer_changed...): never a spreadsheet formula or a line break.
    action: str = Field(pattern=r"^[a-z][a-z_]*$", max_length=60)
    # What changed, as dpup records it: a mapping, or nothing.
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class PersonOut(Strict):
    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    # One role, or several space-separated (version 3), each as dpup names them.
    role: str = Field(pattern=r"^(administrator|privacy_officer|frontline|board)( (administrator|privacy_officer|"
                              r"frontline|board)){0,3}$")

    @field_validator("email")
    @classmethod
    def _an_email(cls, value: str) -> str:
        if not is_email(value):
            raise ValueError("not an email address")
        return value


class ActionOut(Strict):
    public_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,32}$")
    key: str = Field(min_length=1, max_length=500)
    text: str = Field(max_length=MAX_WORDS * 5)
    finding: str = Field(default="", max_length=MAX_WORDS * 5)
    severity: Severity
    trees: list[str] = Field(default=[], max_length=1000)
    owner: PersonOut | None = None
    owner_name: str = Field(default="", max_length=200)
    due: date | None = None
    status: ActionStatus
    reason: str = Field(default="", max_length=action_store.MAX_NOTE)
    note: str = Field(default="", max_length=action_store.MAX_NOTE)
    created_at: datetime
    updated_at: datetime


class ReviewedOut(Strict):
    """What an assessment and a self-assessment both carry: who made and submitted it, its review and
    sign-off, the one it was copied from (``previous``, by public id) and its history."""

    public_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,32}$")
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
    history: list[EventOut] = []


def review_out(document: Reviewed) -> dict:
    """Its times, review and sign-off, as an assessment and a self-assessment both export them."""
    return {"created_at": iso(document.created_at), "updated_at": iso(document.updated_at),
            "status": document.status, "review_comment": document.review_comment,
            "signed_off_by": document.signed_off_by, "signed_off_role": document.signed_off_role,
            "signed_off_at": iso(document.signed_off_at)}


def history_out(document: Reviewed) -> list[dict]:
    """Its audit events, oldest first."""
    return [{"at": iso(e.at), "actor": e.actor, "action": e.action, "before": e.before, "after": e.after}
            for e in reversed(audit.events_for(document.organisation_id, document.audit_target))]


def action_out(item: ActionItem) -> dict:
    return {"public_id": item.public_id, "key": item.key, "text": item.text, "finding": item.finding,
            "severity": item.severity, "trees": list(item.trees or []), "owner": person_out(item.owner),
            "owner_name": item.owner_name, "due": iso(item.due), "status": item.status, "reason": item.reason,
            "note": item.note, "created_at": iso(item.created_at), "updated_at": iso(item.updated_at)}


def person_out(user: User | None) -> dict | None:
    return {"email": user.email, "name": user.name, "role": user.role} if user else None


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def person_in(organisation: Organisation, person: PersonOut) -> User:
    """The author, found by email, or kept as an account with no password (an administrator can invite
    them later), so "assessed by" reads the same after the move."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == person.email.lower()))
    if user is None:
        user = User(organisation=organisation, email=person.email.lower(), name=person.name, role=join_roles(person.role.split()))
        db.session.add(user)
        db.session.flush()
    elif user.organisation_id != organisation.id:
        raise TransferError(f"{person.email} already has an account in another organisation")
    return user


def review_in(organisation: Organisation, item: ReviewedOut, added: dict[str, Reviewed]) -> dict:
    """The columns every reviewed document has, from the file: the model's keyword arguments. ``added``
    holds the ones imported before it, by public id, which its ``previous`` must name."""
    previous = added.get(item.previous) if item.previous else None
    return {"public_id": item.public_id, "organisation_id": organisation.id, "created_at": item.created_at,
            "status": item.status.value, "review_comment": item.review_comment, "signed_off_by": item.signed_off_by,
            "signed_off_role": item.signed_off_role, "signed_off_at": item.signed_off_at,
            "previous_id": previous.id if previous else None,
            "created_by": person_in(organisation, item.created_by) if item.created_by else None,
            "submitted_by": person_in(organisation, item.submitted_by) if item.submitted_by else None}


def store_with_history(organisation: Organisation, document: Reviewed, item: ReviewedOut) -> None:
    """Insert it, then give it the file's last-change time (the insert stamps its own) and history."""
    db.session.add(document)
    db.session.flush()
    document.updated_at = item.updated_at
    for event in item.history:
        db.session.add(AuditEvent(organisation_id=organisation.id, actor=audit.one_line(event.actor),
                                  action=event.action, target=document.audit_target,
                                  before=event.before, after=event.after, at=event.at))


def action_in(organisation: Organisation, action: ActionOut) -> ActionItem:
    owner = person_in(organisation, action.owner) if action.owner else None
    return ActionItem(
        public_id=action.public_id, organisation_id=organisation.id, key=action.key, text=action.text,
        finding=action.finding, severity=action.severity.value, trees=list(action.trees), owner=owner,
        owner_name="" if owner else action.owner_name, due=action.due, status=action.status.value,
        reason=action.reason, note=action.note, created_at=action.created_at, updated_at=action.updated_at)
