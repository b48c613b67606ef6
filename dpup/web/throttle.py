"""Attempt counters for logins and password checks, shared by every worker and host, that hold
under concurrency.

An attempt is counted *before* the password is checked, by one atomic statement (an upsert that
adds 1 and returns the new count), and committed at once. Only the first ``limit`` attempts in a
window get their password checked; requests fired in parallel cannot all read "0 failures" and
then each check a password, because none of them reads the count apart from changing it. When the
password turns out right, the attempt is given back (``forgive``) or the counter is cleared
(``clear``), so only failures keep counting.

Windows are fixed: a key's window starts at its first attempt and lasts ``window``; the next
attempt after that starts a new window at 1.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from dpup.storage.db import db
from dpup.storage.models import LoginThrottle, utcnow


def email_key(email: str) -> str:
    """The counter of a submitted email address, known or not (so unknown addresses are answered
    exactly like known ones). Hashed: the table is no list of the addresses people typed."""
    return "email:" + hashlib.sha256(email.encode()).hexdigest()


def take(*counters: tuple[str, int, timedelta]) -> bool:
    """Count one attempt on each ``(key, limit, window)`` in turn, in one transaction, and commit.
    True while every count is within the first ``limit`` of its window; False (and the later
    counters left alone) when the caller must refuse without checking anything."""
    within = True
    for key, limit, window in counters:
        if _count(key, window) > limit:
            within = False
            break
    db.session.commit()
    return within


def _count(key: str, window: timedelta) -> int:
    now = utcnow()
    expired = LoginThrottle.window_start <= now - window
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)
    statement = insert.values(key=key, failures=1, window_start=now).on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        # Both right-hand sides read the row as it was before this statement, on both databases.
        set_={"failures": case((expired, 1), else_=LoginThrottle.failures + 1),
              "window_start": case((expired, now), else_=LoginThrottle.window_start)},
    ).returning(LoginThrottle.failures)
    return db.session.execute(statement).scalar_one()


def forgive(key: str) -> None:
    """Give back one attempt that turned out to be right (the caller commits)."""
    db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.failures > 0)
                       .values(failures=LoginThrottle.failures - 1))


def clear(key: str) -> None:
    """Forget every attempt of ``key`` (the caller commits)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def forget_old(window: timedelta) -> None:
    """Drop counters whose window has passed (they would restart at 1 anyway), so the table stays
    as small as the last window's attempts (the caller commits)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.window_start <= utcnow() - window))
