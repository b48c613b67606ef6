"""Self-assessments in an organisation's export (format version 6; version 7 adds the framework text
each was rated against): each with its ratings, its roadmap actions and its history, checked in full
before anything is written, like assessments."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field
from sqlalchemy import select

from dpup.engine import Library
from dpup.storage import transfer_parts as parts
from dpup.storage.db import db
from dpup.storage.maturity import MAX_EVIDENCE, MAX_NOTE
from dpup.storage.maturity_models import MaturityRating, SelfAssessment
from dpup.storage.models import ActionItem, Organisation
from dpup.storage.transfer_checks import TransferError

ID = r"^[a-z0-9][a-z0-9-]*$"


class RatingOut(parts.Strict):
    criterion_id: str = Field(pattern=ID, max_length=80)
    level: str = Field(max_length=40)
    target: str = Field(max_length=40)
    note: str = Field(default="", max_length=MAX_NOTE)
    evidence: str = Field(default="", max_length=MAX_EVIDENCE)
    updated_at: datetime


class SelfAssessmentOut(parts.ReviewedOut):
    year: int = Field(ge=2000, le=2100)
    framework_id: str = Field(pattern=ID, max_length=80)
    framework_version: str = Field(max_length=40)
    framework_text: str | None = Field(default=None, max_length=1_000_000)  # version 7
    ratings: list[RatingOut] = Field(default=[], max_length=1000)
    actions: list[parts.ActionOut] = Field(default=[], max_length=1000)


def export_self_assessments(organisation: Organisation) -> list[dict]:
    found = list(db.session.scalars(select(SelfAssessment).where(SelfAssessment.organisation_id == organisation.id)
                                    .order_by(SelfAssessment.year)))
    by_id = {sa.id: sa.public_id for sa in found}
    return [{
        "public_id": sa.public_id, "year": sa.year, "framework_id": sa.framework_id,
        "framework_version": sa.framework_version, "framework_text": sa.framework_text, **parts.review_out(sa),
        "previous": by_id.get(sa.previous_id), "created_by": parts.person_out(sa.created_by),
        "submitted_by": parts.person_out(sa.submitted_by),
        "ratings": [{"criterion_id": r.criterion_id, "level": r.level, "target": r.target, "note": r.note,
                     "evidence": r.evidence, "updated_at": parts.iso(r.updated_at)}
                    for r in sorted(sa.ratings, key=lambda r: r.criterion_id)],
        "actions": [parts.action_out(item) for item in sorted(sa.actions, key=lambda i: i.id)],
        "history": parts.history_out(sa),
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
        sa = SelfAssessment(**parts.review_in(organisation, item, added), year=item.year,
                            framework_id=item.framework_id, framework_version=item.framework_version,
                            framework_text=item.framework_text)
        sa.ratings = [MaturityRating(**r.model_dump()) for r in item.ratings]
        sa.actions.extend(parts.action_in(organisation, action) for action in item.actions)
        parts.store_with_history(organisation, sa, item)
        added[item.public_id] = sa
    db.session.flush()
