"""Typed work survives a session time-out.

When a form is posted after the session has timed out, nothing is saved (the person is no longer
known to be at the keyboard), but what they typed is kept in ``kept_form`` for their account. Once
they log in again they land back on the same page with it in the form, and save it themselves.
Only the page the form came from can take it back, once; a kept form is deleted after a day.
"""

from __future__ import annotations

from datetime import timedelta

from flask import request, session
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from dpup.storage.db import db
from dpup.storage.models import KeptForm, User, utcnow

KEEP_FOR = timedelta(days=1)
MAX_KEPT = 200_000  # characters: far more than any of dpup's forms holds, and bounded all the same
NOT_KEPT = {"csrf_token"}  # a new session has a new token


def keep_posted_form(user: User) -> bool:
    """Keep what was posted (the caller then ends the session). Returns whether anything was kept."""
    fields = {name: request.form.getlist(name) for name in request.form if name not in NOT_KEPT}
    if not fields or sum(len(v) for values in fields.values() for v in values) > MAX_KEPT:
        return False
    db.session.execute(delete(KeptForm).where(KeptForm.user_id == user.id))  # only the latest counts
    db.session.add(KeptForm(user_id=user.id, path=request.path[:500], fields=fields))
    return True


def after_login(user: User) -> str | None:
    """On logging in: the page a kept form belongs to (to go back to), if there is one."""
    db.session.execute(delete(KeptForm).where(KeptForm.created_at < utcnow() - KEEP_FOR))
    kept = db.session.scalar(select(KeptForm).where(KeptForm.user_id == user.id).order_by(KeptForm.id.desc()))
    db.session.commit()
    if kept is None:
        return None
    session["kept_form"] = kept.id  # so that only a page with a kept form costs a query to look
    return kept.path


def take_back() -> MultiDict | None:
    """The form kept for this page, as posted form data, once; None (and no query) on most pages."""
    kept_id = session.get("kept_form")
    if kept_id is None:
        return None
    from flask_login import current_user

    kept = db.session.get(KeptForm, kept_id)
    if kept is None or kept.user_id != current_user.id or kept.path != request.path:
        return None
    session.pop("kept_form")
    db.session.delete(kept)
    db.session.commit()
    fields = kept.fields if isinstance(kept.fields, dict) else {}
    return MultiDict([(name, value) for name, values in fields.items() for value in values
                      if isinstance(value, str)])
