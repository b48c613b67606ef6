"""Action items: every action a finding asks for, as a record with an owner, a due date and a status.

Findings come from answers, so the actions follow them: ``sync`` makes an item for each finding
(with an action) that the answers raise, and marks "no longer needed" the open items whose finding
no answer raises any more. Nothing is ever deleted, and every change is audited. Items stay
editable after the assessment is approved: completing them is the point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, func, or_, select, tuple_
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from dpup.engine import Library
from dpup.engine.walk import RaisedFinding
from dpup.storage import audit
from dpup.storage.assessments import ConflictError, progress, target, tree_progress
from dpup.storage.db import db
from dpup.storage.models import ActionItem, ActionStatus, Assessment, Status, User, utcnow

MAX_NOTE = 2000
CLOSED = (ActionStatus.DONE, ActionStatus.RISK_ACCEPTED, ActionStatus.NOT_NEEDED)


class BadDate(ValueError):
    """A due date that is not a real date; the message says why, in words a person reads."""


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NZ = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_due(text: str) -> date | None:
    """A due date as a date field sends it (2027-01-31) or as New Zealanders type it (31/01/2027).
    Empty is no due date; anything else, or a day the calendar does not have, is refused."""
    text = (text or "").strip()
    if not text:
        return None
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _NZ.match(text):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise BadDate("Enter the due date as day/month/year, such as 31/01/2027.")
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate(f"{text} is not a real date: check the day and the month, such as 31/01/2027.") from None


def key_of(finding: RaisedFinding) -> str:
    return (finding.id or finding.text)[:500]


def _raised_by_tree(findings) -> dict[str, tuple[RaisedFinding, list[RaisedFinding]]]:
    out: dict[str, tuple[RaisedFinding, list[RaisedFinding]]] = {}
    for f in findings:
        if f.action:
            out.setdefault(key_of(f), (f, []))[1].append(f)
    return out


def sync(library: Library, assessment: Assessment, actor: str, tree_id: str | None = None) -> None:
    """Bring the assessment's action items in line with the findings its answers raise, for one tree
    (after an answer to it changed: cheap) or every tree. Adds to the session; the caller commits."""
    items = {item.key: item for item in assessment.actions}
    if tree_id is None:
        walks = [(p.tree.id, p.walk) for p in progress(library, assessment)]
    else:
        item = tree_progress(library, assessment, tree_id)
        walks = [(tree_id, item.walk)] if item else []
    scope = {t for t, _ in walks}
    raised: dict[str, dict] = {}
    for tid, walk in walks:
        for key, (finding, group) in _raised_by_tree(walk.findings).items():
            entry = raised.setdefault(key, {"finding": finding, "group": [], "trees": set()})
            entry["group"] += group
            entry["trees"].add(tid)
    for key, entry in raised.items():
        item = items.get(key)
        if item is None:
            _create(assessment, key, entry["finding"], entry["group"], sorted(entry["trees"]), actor)
            continue
        trees = sorted((set(item.trees or []) - scope) | entry["trees"])
        if trees != list(item.trees or []):
            item.trees = trees
        if item.status == ActionStatus.NOT_NEEDED:
            _set_status(item, ActionStatus.OPEN, actor, "action_needed_again")
    for key, item in items.items():
        if key in raised or not (set(item.trees or []) & scope):
            continue
        item.trees = sorted(set(item.trees or []) - scope)
        if not item.trees and item.status == ActionStatus.OPEN:
            _set_status(item, ActionStatus.NOT_NEEDED, actor, "action_no_longer_needed")


def _create(assessment: Assessment, key: str, finding: RaisedFinding, group: list[RaisedFinding],
            trees: list[str], actor: str) -> None:
    """A new item, owned and dated as the question form recorded it, where it did."""
    typed = next((f for f in group if f.action_owner or f.action_due), None)
    due, note = None, ""
    if typed and typed.action_due:
        try:
            due = parse_due(typed.action_due)
        except BadDate:  # the question form takes free text: keep what was typed where a person sees it
            note = f"Due date typed with the answer, not a real date: {typed.action_due}"
    item = ActionItem(organisation_id=assessment.organisation_id, key=key, text=finding.action,
                      finding=finding.text, severity=finding.severity.value, trees=trees,
                      owner_name=typed.action_owner[:200] if typed else "", due=due, note=note)
    assessment.actions.append(item)
    audit.record(actor, "action_created", assessment.organisation_id, target(assessment),
                 after={"action": item.text, "owner": item.owner_name, "due": _iso(due)})


def _set_status(item: ActionItem, status: ActionStatus, actor: str, event: str) -> None:
    before = item.status
    item.status = status
    audit.record(actor, event, item.organisation_id, item_target(item),
                 before={"action": item.text, "status": before}, after={"action": item.text, "status": status.value})


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class ActionChange:
    owner_id: int | None
    owner_name: str
    due: date | None
    status: ActionStatus
    reason: str
    note: str


def update(item: ActionItem, change: ActionChange, seen_version: int, actor: User) -> None:
    """Save one action's owner, due date, status and note, refusing a save made against an older
    version (someone else saved it since the form was opened)."""
    if item.version != seen_version:
        raise ConflictError()
    before = _fields(item)
    item.owner_id, item.owner_name = change.owner_id, "" if change.owner_id else change.owner_name
    item.due, item.status, item.reason, item.note = change.due, change.status, change.reason, change.note
    item.updated_at = utcnow()
    audit.record(actor.email, "action_changed", item.organisation_id, item_target(item),
                 before=before, after=_fields(item))
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError() from exc


def item_target(item: ActionItem) -> str:
    """The audit target of the assessment or self-assessment the item belongs to."""
    if item.assessment is not None:
        return target(item.assessment)
    return f"self_assessment:{item.self_assessment.public_id}"


def _fields(item: ActionItem) -> dict:
    return {"action": item.text, "owner": item.owner_label if item.owner_id else item.owner_name,
            "due": _iso(item.due), "status": item.status, "reason": item.reason, "note": item.note}


_ITEM = (select(ActionItem).join(Assessment)
         .where(ActionItem.public_id == bindparam("public_id"), Assessment.public_id == bindparam("assessment"),
                ActionItem.organisation_id == bindparam("organisation_id")))


def get_item(assessment_public_id: str, public_id: str, organisation_id: int) -> ActionItem | None:
    return db.session.scalar(_ITEM, {"public_id": public_id, "assessment": assessment_public_id,
                                     "organisation_id": organisation_id})


def owners(organisation_id: int) -> list[User]:
    """People who can be given an action: everyone active in the organisation, by name."""
    return list(db.session.scalars(select(User).where(User.organisation_id == organisation_id, User.active)
                                   .order_by(User.name)))


# --- The organisation's register --------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    status: ActionStatus | None = ActionStatus.OPEN  # None: every status
    owner: str = ""  # part of the owner's name
    due_by: date | None = None
    overdue: bool = False


def register_query(organisation_id: int, filters: Filters, today: date, board_only: bool = False):
    """The organisation's actions that match, soonest due first (no due date last), with their owner
    and assessment loaded."""
    return _matching(select(ActionItem), organisation_id, filters, today, board_only).order_by(
        ActionItem.due.is_(None), ActionItem.due, ActionItem.id).options(
        joinedload(ActionItem.owner), joinedload(ActionItem.assessment), joinedload(ActionItem.self_assessment))


def _matching(query, organisation_id: int, filters: Filters, today: date, board_only: bool = False):
    query = query.where(ActionItem.organisation_id == organisation_id)
    if board_only:
        query = query.join(Assessment, ActionItem.assessment_id == Assessment.id).where(
            Assessment.status == Status.APPROVED)
    if filters.status is not None:
        query = query.where(ActionItem.status == filters.status)
    if filters.owner:
        pattern = f"%{_like(filters.owner.lower())}%"
        query = query.outerjoin(User, ActionItem.owner_id == User.id).where(or_(
            func.lower(ActionItem.owner_name).like(pattern, escape="\\"),
            func.lower(User.name).like(pattern, escape="\\")))
    if filters.due_by is not None:
        query = query.where(ActionItem.due <= filters.due_by)
    if filters.overdue:
        query = query.where(ActionItem.due < today, ActionItem.status == ActionStatus.OPEN)
    return query


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{8,32}")


@dataclass(frozen=True)
class Position:
    """An action's place in the register's order (due date, then id; no due date after every date):
    a page link names the row it continues from, so the database seeks to it instead of counting
    its way there. The link carries only the row's public id (``token``); the place is looked up
    from it (``position_of``)."""
    due: date | None
    id: int
    public_id: str

    @property
    def token(self) -> str:
        return self.public_id


def position_of(organisation_id: int, token: str) -> Position | None:
    """The place of the organisation's action a link names by public id, or None if there is none
    (a link typed or cut short, an action since deleted, or a link from before links carried public
    ids, which named the row by due date and internal id: each then shows the first page)."""
    if not _PUBLIC_ID.fullmatch(token or ""):
        return None
    found = db.session.execute(select(ActionItem.due, ActionItem.id).where(
        ActionItem.public_id == token, ActionItem.organisation_id == organisation_id)).first()
    return Position(found.due, found.id, token) if found else None


@dataclass(frozen=True)
class RegisterPage:
    items: list[ActionItem]
    previous: Position | None  # the first row, when earlier rows match too ("before" it)
    next: Position | None  # the last row, when later rows match too ("after" it)


def register_page(organisation_id: int, filters: Filters, today: date, *, after: Position | None = None,
                  before: Position | None = None, last: bool = False, per_page: int = 50) -> RegisterPage:
    """One page of the register: the first, the rows after or before a position, or the last page."""
    backwards = before is not None or last
    rows = _seek(organisation_id, filters, today, before if backwards else after, backwards, per_page + 1)
    if not rows and (after or before):  # the row the link named no longer matches: start again
        return register_page(organisation_id, filters, today, per_page=per_page)
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    items = _load([id_ for id_, _ in rows])
    first, final = (_position(items[0]), _position(items[-1])) if items else (None, None)
    earlier = more if backwards else after is not None
    later = before is not None if backwards else more
    return RegisterPage(items, first if earlier else None, final if later else None)


def _position(item: ActionItem) -> Position:
    return Position(item.due, item.id, item.public_id)


def _seek(organisation_id: int, filters: Filters, today: date, position: Position | None, backwards: bool,
          limit: int) -> list[tuple[int, date | None]]:
    """Up to ``limit`` (id, due) rows from ``position`` on, in order or in reverse. The order is
    read in two stretches, the dated rows by (due, id) and then the undated ones by id, so that
    each is a range of the register index: one sort over "due IS NULL" would read every row."""
    base = _matching(select(ActionItem.id, ActionItem.due), organisation_id, filters, today)
    dated, undated = base.where(ActionItem.due.is_not(None)), base.where(ActionItem.due.is_(None))
    key = tuple_(ActionItem.due, ActionItem.id)
    if position is None:
        stretches = [undated, dated] if backwards else [dated, undated]
    elif position.due is None:
        stretches = [undated.where(ActionItem.id < position.id), dated] if backwards else \
            [undated.where(ActionItem.id > position.id)]
    else:
        mark = (position.due, position.id)
        stretches = [dated.where(key < mark)] if backwards else [dated.where(key > mark), undated]
    order = (ActionItem.due.desc(), ActionItem.id.desc()) if backwards else (ActionItem.due, ActionItem.id)
    rows: list = []
    for stretch in stretches:
        rows += db.session.execute(stretch.order_by(*order).limit(limit - len(rows))).all()
        if len(rows) >= limit:
            break
    return rows


def register_page_number(organisation_id: int, filters: Filters, today: date, page: int,
                         per_page: int = 50) -> RegisterPage:
    """A page by its number, for links made before the register moved to positions (OFFSET: slower
    the deeper the page). Its Previous and Next links are positions."""
    ids = list(db.session.scalars(_matching(select(ActionItem.id), organisation_id, filters, today)
                                  .order_by(ActionItem.due.is_(None), ActionItem.due, ActionItem.id)
                                  .offset((page - 1) * per_page).limit(per_page + 1)))
    items = _load(ids[:per_page])
    first, final = (_position(items[0]), _position(items[-1])) if items else (None, None)
    return RegisterPage(items, first if page > 1 else None, final if len(ids) > per_page else None)


def _load(ids: list[int]) -> list[ActionItem]:
    """Those rows, in that order, with their owner and assessment."""
    if not ids:
        return []
    found = {item.id: item for item in db.session.scalars(
        select(ActionItem).where(ActionItem.id.in_(ids))
        .options(joinedload(ActionItem.owner), joinedload(ActionItem.assessment),
                 joinedload(ActionItem.self_assessment))).unique()}
    return [found[i] for i in ids]


def overdue(organisation_id: int, today: date, limit: int = 10) -> list[ActionItem]:
    """Open actions past their due date, most overdue first: for the home page."""
    query = register_query(organisation_id, Filters(overdue=True), today).limit(limit)
    return list(db.session.scalars(query).unique())


def is_overdue(item: ActionItem, today: date) -> bool:
    return item.status == ActionStatus.OPEN and item.due is not None and item.due < today
