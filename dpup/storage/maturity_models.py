"""What is stored for the organisation's yearly DPUP maturity self-assessment: one per organisation
and year, a rating per criterion (level, target, note, evidence), reviewed and signed off like an
assessment. Imported at the end of models.py, so every mapper sees every model."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dpup.storage.db import db
from dpup.storage.models import ActionItem, Reviewed, utcnow


class SelfAssessment(Reviewed, db.Model):
    """The organisation's self-assessment for one year. Its status follows an assessment's (draft,
    submitted, changes requested, approved); an approved one is the year's snapshot, read-only, and
    the one next year's is compared with and starts from (``previous_id``: its levels are copied)."""

    __tablename__ = "self_assessment"
    __table_args__ = (UniqueConstraint("organisation_id", "year"),)
    audit_kind = "self_assessment"
    year: Mapped[int] = mapped_column(Integer)
    # Which framework it was rated against (criteria are stored by id; the report names the version).
    framework_id: Mapped[str] = mapped_column(String(80))
    framework_version: Mapped[str] = mapped_column(String(40))
    # The framework file as it was when this was started, so rewording a criterion later never changes
    # what a signed-off year says (None: started before frameworks were kept; read with today's).
    framework_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    ratings: Mapped[list[MaturityRating]] = relationship(
        back_populates="self_assessment", cascade="all, delete-orphan", order_by="MaturityRating.id")
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="self_assessment", cascade="all, delete-orphan", order_by="ActionItem.id")

    def ratings_by_criterion(self) -> dict[str, MaturityRating]:
        return {r.criterion_id: r for r in self.ratings}


class MaturityRating(db.Model):
    """One criterion rated: the level chosen, the level aimed for, why, and what shows it."""

    __tablename__ = "maturity_rating"
    __table_args__ = (UniqueConstraint("self_assessment_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    self_assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id", ondelete="CASCADE"),
                                                    index=True)
    criterion_id: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(40), default="")  # "" until rated
    target: Mapped[str] = mapped_column(String(40), default="")  # "" means one level up (the default)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    self_assessment: Mapped[SelfAssessment] = relationship(back_populates="ratings")
