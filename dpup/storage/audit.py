"""The audit trail: who did what, when, with the values before and after."""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import select

from dpup.localtime import local
from dpup.storage.db import db
from dpup.storage.models import AuditEvent

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def one_line(text: str) -> str:
    """Control characters (CR, LF, tab...) shown as spaces, so user text can never forge a new line."""
    return _CONTROL.sub(" ", text or "")


def record(actor: str, action: str, organisation_id: int | None, target: str = "",
           before: object = None, after: object = None) -> AuditEvent:
    """Add an audit event to the current transaction; it commits with the change it describes."""
    event = AuditEvent(organisation_id=organisation_id, actor=one_line(actor)[:254], action=action,
                       target=one_line(target)[:200], before=before, after=after)
    db.session.add(event)
    return event


def events_for(organisation_id: int, target: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if target is not None:
        query = query.where(AuditEvent.target == target)
    return list(db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def as_csv(events: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # In New Zealand time (DPUP_TIMEZONE), with its offset from UTC, as every time dpup shows.
    writer.writerow(["when (New Zealand time)", "who", "action", "target", "before", "after"])
    for e in events:
        # Every cell that holds text goes through _cell, the action too: imported events bring their own.
        writer.writerow([local(e.at).isoformat(timespec="seconds"), _cell(e.actor), _cell(e.action), _cell(e.target),
                         _cell(_json(e.before)), _cell(_json(e.after))])
    return out.getvalue()


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection) and keep each event on one line."""
    text = one_line(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
