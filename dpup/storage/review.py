"""The review workflow an assessment and the organisation's self-assessment share: which statuses may
be changed, the version check that refuses a stale save, submitting, asking for changes and signing
off, the two-person rule, and the audit event of each. What is rated in each stays in its own module."""

from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from dpup.storage import audit
from dpup.storage.columns import Reviewed, Status, utcnow
from dpup.storage.db import db
from dpup.storage.models import Role, User

EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED)


class ConflictError(Exception):
    """Someone else saved this (self-)assessment since the form was opened; nothing was overwritten."""


class NotEditable(Exception):
    """The (self-)assessment is submitted or approved: it is read-only until changes are requested."""


def check_editable(document: Reviewed, seen_version: int) -> None:
    """Refuse a change to a submitted or approved document, or one made against an older version."""
    if document.status not in EDITABLE:
        raise NotEditable()
    if document.version != seen_version:
        raise ConflictError()


def commit_change(document: Reviewed) -> None:
    document.updated_at = utcnow()  # bumps the version: a concurrent save is refused at commit
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError() from exc


def change_status(document: Reviewed, actor: User, new: Status, comment: str = "") -> None:
    """Submit, ask for changes or sign off, as ``actor``; audited as "status_changed"."""
    before = {"status": document.status}
    document.status = new
    if new == Status.SUBMITTED:
        document.submitted_by = actor
    if new == Status.CHANGES_REQUESTED:
        document.review_comment = comment
    if new == Status.APPROVED:
        document.signed_off_by, document.signed_off_role = actor.name, actor.role_label
        document.signed_off_at, document.review_comment = utcnow(), comment
    audit.record(actor.email, "status_changed", document.organisation_id, document.audit_target,
                 before=before, after={"status": new.value, "comment": comment})
    commit_change(document)


def needs_another_approver(document: Reviewed, user: User) -> bool:
    """Whether the organisation's two-person rule stops ``user`` approving: they submitted it."""
    return document.organisation.separate_approver and document.submitted_by_id == user.id


def sees_approved_only(user: User) -> bool:
    """A board viewer, and only that, lists approved (signed-off) documents only."""
    return user.roles.isdisjoint({Role.PRIVACY_OFFICER, Role.ADMINISTRATOR})
