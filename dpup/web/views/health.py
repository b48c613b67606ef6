"""``/healthz``: is this worker up and can it reach the database? For load balancers and monitors.

It needs no login and sets no cookie: the view is marked ``public = True`` (as is the blueprint),
which the login check honours. 200 ``{"status": "ok"}`` when ``SELECT 1`` succeeds, otherwise 503
``{"status": "unavailable"}`` (the reason goes to the log, never to the caller).
"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from dpup.storage.db import db

bp = Blueprint("health", __name__)
bp.public = True

log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    headers = {"Cache-Control": "no-store"}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("Health check failed: the database is unreachable (%s)", type(exc).__name__)
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        return jsonify(status="unavailable"), 503, headers
    finally:
        db.session.close()
    return jsonify(status="ok"), 200, headers


healthz.public = True
