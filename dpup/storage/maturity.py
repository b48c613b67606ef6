"""Reading and changing the organisation's yearly DPUP maturity self-assessment. Views call these;
nothing here knows about requests. Saving, review and sign-off work as for an assessment: a version
counter refuses a save made against an older version, every change is audited, and an approved
self-assessment is the year's snapshot and cannot change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dpup.engine.maturity import Framework
from dpup.storage import audit
from dpup.storage.db import db
from dpup.storage.maturity_models import MaturityRating, SelfAssessment
from dpup.storage.models import ActionItem, ActionStatus, Status, User
from dpup.storage.review import (  # noqa: F401  (the views use them from here, as for an assessment)
    EDITABLE,
    change_status,
    check_editable,
    commit_change,
    needs_another_approver,
    sees_approved_only,
)

MAX_NOTE = 2000
MAX_EVIDENCE = 4000
# The severity an action made from a maturity gap is filed under in the register: good practice to
# improve (DPUP asks it), not a legal gap found in an initiative.
GAP_SEVERITY = "advisory"


class YearTaken(Exception):
    """The organisation already has a self-assessment for that year."""


def target(self_assessment: SelfAssessment) -> str:
    return self_assessment.audit_target


def get(public_id: str, organisation_id: int) -> SelfAssessment | None:
    """Only ever within one organisation: another organisation's is simply not found."""
    return db.session.scalar(select(SelfAssessment).where(SelfAssessment.public_id == public_id,
                                                          SelfAssessment.organisation_id == organisation_id)
                             .options(selectinload(SelfAssessment.ratings)))


def visible_to(user: User) -> list[SelfAssessment]:
    """Most recent year first; board viewers see signed-off ones only. One a year: a short list."""
    query = select(SelfAssessment).where(SelfAssessment.organisation_id == user.organisation_id)
    if sees_approved_only(user):
        query = query.where(SelfAssessment.status == Status.APPROVED)
    return list(db.session.scalars(query.order_by(SelfAssessment.year.desc())))


def previous_signed_off(organisation_id: int, before_year: int) -> SelfAssessment | None:
    """The latest signed-off self-assessment of an earlier year: what this one is compared with."""
    return db.session.scalar(
        select(SelfAssessment).where(SelfAssessment.organisation_id == organisation_id,
                                     SelfAssessment.status == Status.APPROVED, SelfAssessment.year < before_year)
        .order_by(SelfAssessment.year.desc()).limit(1).options(selectinload(SelfAssessment.ratings)))


def start(framework: Framework, user: User, year: int) -> SelfAssessment:
    """A new draft for ``year``. The levels of the latest signed-off earlier one are copied as a
    starting point (the notes and evidence are not: they must be this year's)."""
    if db.session.scalar(select(SelfAssessment.id).where(SelfAssessment.organisation_id == user.organisation_id,
                                                         SelfAssessment.year == year)) is not None:
        raise YearTaken()
    previous = previous_signed_off(user.organisation_id, year)
    new = SelfAssessment(organisation_id=user.organisation_id, year=year, framework_id=framework.id,
                         framework_version=framework.version[:40], framework_text=framework.file.text,
                         created_by=user, previous_id=previous.id if previous else None)
    known = {c.id for c in framework.criteria}
    for rating in previous.ratings if previous else ():
        if rating.criterion_id in known and framework.level(rating.level):
            new.ratings.append(MaturityRating(criterion_id=rating.criterion_id, level=rating.level))
    db.session.add(new)
    db.session.flush()
    audit.record(user.email, "self_assessment_created", user.organisation_id, target(new),
                 after={"year": year, "framework": framework.id, "version": framework.version,
                        "from": previous.public_id if previous else None})
    db.session.commit()
    return new


@dataclass(frozen=True)
class RatingChange:
    level: str  # a level id, or "" for not rated
    target: str  # a level id, or "" for one level up
    note: str
    evidence: str


def save_rating(self_assessment: SelfAssessment, criterion_id: str, change: RatingChange, seen_version: int,
                actor: User) -> None:
    """Save one criterion's rating, refusing if the self-assessment changed since the form was opened."""
    check_editable(self_assessment, seen_version)
    rating = self_assessment.ratings_by_criterion().get(criterion_id)
    before = _rating_dict(rating) if rating is not None else None
    if rating is None:
        rating = MaturityRating(criterion_id=criterion_id)
        self_assessment.ratings.append(rating)
    rating.level, rating.target, rating.note, rating.evidence = change.level, change.target, change.note, change.evidence
    audit.record(actor.email, "maturity_rating_changed", self_assessment.organisation_id, target(self_assessment),
                 before=before, after={"criterion": criterion_id, **_rating_dict(rating)})
    commit_change(self_assessment)


def _rating_dict(rating: MaturityRating) -> dict:
    return {"level": rating.level, "target": rating.target, "note": rating.note, "evidence": rating.evidence}


def unrated(framework: Framework, self_assessment: SelfAssessment) -> list[str]:
    """The criteria not yet given a level, in the framework's order."""
    rated = {cid for cid, r in self_assessment.ratings_by_criterion().items() if framework.level(r.level)}
    return [c.id for c in framework.criteria if c.id not in rated]


def target_of(framework: Framework, rating: MaturityRating | None) -> str | None:
    """The level aimed for: the one chosen, or by default one level above the level given."""
    if rating is None or not framework.level(rating.level):
        return None
    return rating.target if framework.level(rating.target) else framework.one_up(rating.level)


def gaps(framework: Framework, self_assessment: SelfAssessment) -> dict[str, tuple[str, str]]:
    """Criterion id -> (level, target) for every rated criterion below its target."""
    out = {}
    for criterion_id, rating in self_assessment.ratings_by_criterion().items():
        aim = target_of(framework, rating)
        if aim is not None and framework.criterion(criterion_id) and framework.rank(rating.level) < framework.rank(aim):
            out[criterion_id] = (rating.level, aim)
    return out


def make_actions(framework: Framework, self_assessment: SelfAssessment, actor: User) -> int:
    """Turn each gap into an action in the organisation's register (one per criterion), worded from
    the framework: what the target level looks like. A gap closed since is marked "no longer needed";
    one that comes back is opened again. Returns how many actions were made."""
    found = gaps(framework, self_assessment)
    items = {item.key: item for item in self_assessment.actions}
    made = 0
    for criterion_id, (level, aim) in found.items():
        criterion = framework.criterion(criterion_id)
        text = f"{framework.level(aim).label}: {criterion.levels[aim]}"
        item = items.get(criterion_id)
        if item is None:
            item = ActionItem(organisation_id=self_assessment.organisation_id, key=criterion_id, text=text,
                              finding=criterion.asks, severity=GAP_SEVERITY, trees=[])
            self_assessment.actions.append(item)
            made += 1
            audit.record(actor.email, "action_created", self_assessment.organisation_id, target(self_assessment),
                         after={"action": text, "criterion": criterion_id, "from": level, "to": aim})
        elif item.status == ActionStatus.NOT_NEEDED:
            _set_status(self_assessment, item, ActionStatus.OPEN, actor, "action_needed_again")
    for key, item in items.items():
        if key not in found and item.status == ActionStatus.OPEN:
            _set_status(self_assessment, item, ActionStatus.NOT_NEEDED, actor, "action_no_longer_needed")
    db.session.commit()
    return made


def _set_status(self_assessment: SelfAssessment, item: ActionItem, status: ActionStatus, actor: User,
                event: str) -> None:
    before = item.status
    item.status = status
    audit.record(actor.email, event, self_assessment.organisation_id, target(self_assessment),
                 before={"action": item.text, "status": before}, after={"action": item.text, "status": status.value})


def get_action(self_assessment: SelfAssessment, public_id: str) -> ActionItem | None:
    return next((item for item in self_assessment.actions if item.public_id == public_id), None)
