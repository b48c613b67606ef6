"""What is stored: assessments, the trees they use (pinned by version) and answers by node id."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dpup.storage.db import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class TreeVersion(db.Model):
    """The exact text of a tree file an assessment was answered against, so it reads the same later."""

    __tablename__ = "tree_version"
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    tree_id: Mapped[str] = mapped_column(String(80), index=True)
    path: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(db.Model):
    __tablename__ = "assessment"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    organisation_name: Mapped[str] = mapped_column(String(200))
    initiative: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Bumped on every change: a save made against an older version is refused, not overwritten.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    trees: Mapped[list[AssessmentTree]] = relationship(
        back_populates="assessment", order_by="AssessmentTree.position", cascade="all, delete-orphan"
    )
    answers: Mapped[list[AnswerRecord]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def answers_for(self, tree_id: str) -> dict[str, AnswerRecord]:
        return {a.node_id: a for a in self.answers if a.tree_id == tree_id}


class AssessmentTree(db.Model):
    """One tree an assessment covers, pinned to the version it was started with."""

    __tablename__ = "assessment_tree"
    __table_args__ = (UniqueConstraint("assessment_id", "tree_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    tree_id: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(ForeignKey("tree_version.content_hash"))
    position: Mapped[int] = mapped_column(default=0)

    assessment: Mapped[Assessment] = relationship(back_populates="trees")
    tree_version: Mapped[TreeVersion] = relationship()


class AnswerRecord(db.Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("assessment_id", "tree_id", "node_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    tree_id: Mapped[str] = mapped_column(String(80))
    node_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[object] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    action_owner: Mapped[str] = mapped_column(String(200), default="")
    action_due: Mapped[str] = mapped_column(String(40), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
