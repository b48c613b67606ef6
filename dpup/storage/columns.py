"""What every reviewed document stores, whatever is rated in it: an assessment and the organisation's
self-assessment both keep who started and submitted it, its review status and sign-off, the one it
was copied from, and a version counter. Kept apart from models.py so both model modules build on it."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

if TYPE_CHECKING:
    from dpup.storage.models import Organisation, User


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_public_id() -> str:
    """128 random bits, URL-safe; never starting with "-" or "_", which a command line would take
    for an option (``dpup report -Dx…``)."""
    while True:
        token = secrets.token_urlsafe(16)
        if token[0].isalnum():
            return token


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "submitted": "Submitted for review",
                "changes_requested": "Changes requested", "approved": "Approved"}[self.value]


class Reviewed:
    """The columns of a document that is drafted, submitted, reviewed and signed off (a mixin of
    Assessment and SelfAssessment). ``audit_kind`` names it in the audit trail's targets."""

    audit_kind: ClassVar[str]

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped on every change: a save made against an older version is refused, not overwritten.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    status: Mapped[str] = mapped_column(String(30), default=Status.DRAFT)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    signed_off_by: Mapped[str] = mapped_column(String(200), default="")
    signed_off_role: Mapped[str] = mapped_column(String(60), default="")
    signed_off_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @declared_attr
    def previous_id(cls) -> Mapped[int | None]:
        """The approved one this was started from (a new version, or next year's), of the same kind."""
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id"), nullable=True)

    @declared_attr
    def organisation(cls) -> Mapped[Organisation]:
        return relationship("Organisation")

    @declared_attr
    def created_by(cls) -> Mapped[User | None]:
        return relationship("User", foreign_keys=[cls.created_by_id])

    @declared_attr
    def submitted_by(cls) -> Mapped[User | None]:
        return relationship("User", foreign_keys=[cls.submitted_by_id])

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}

    @property
    def audit_target(self) -> str:
        """What its audit events are recorded against: "assessment:<public id>"."""
        return f"{self.audit_kind}:{self.public_id}"
