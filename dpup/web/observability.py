"""Request logs: one JSON line per request on standard error, with a request id, and nothing personal.

Each line has the time, method, path (never the query string, and with one-time tokens redacted), status, duration in milliseconds
and a request id: the caller's ``X-Request-ID`` header when it is a plain token (a load balancer's
or proxy's id, so one request can be followed across hosts), otherwise a new random one. The id is
sent back in the ``X-Request-ID`` response header. Form data, query strings, cookies, user names or
emails and IP addresses are never logged.

The lines go through the ``logging`` module (logger ``dpup.requests``), to stderr, where gunicorn,
systemd or a container platform collects them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, request

logger = logging.getLogger("dpup.requests")

HEADER = "X-Request-ID"
ENVIRON_KEY = "dpup.request_id"
# Letters, digits and . _ : - only, at most 128: nothing that could forge or break a log line.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
MAX_PATH = 512
# Paths that carry a credential: the one-time link to choose a password (an invitation or a reset).
# Whoever could read the logs could otherwise set that person's password.
_TOKEN_IN_PATH = re.compile(r"(/invite/)[^/\s\"']+")
REDACTED = "[redacted]"


def redact_tokens(text: str) -> str:
    """``text`` (a path, or a message quoting one) with every one-time token replaced."""
    return _TOKEN_IN_PATH.sub(r"\1" + REDACTED, text)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (it may be replaced, as pytest does)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _configure_logger() -> None:
    if any(isinstance(h, _StderrHandler) for h in logger.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # exactly one line per request, whatever the root logger does


def request_id() -> str | None:
    """The id of the request being handled (for log messages of the app's own)."""
    return request.environ.get(ENVIRON_KEY)


def _request_id_from(environ: dict) -> str:
    given = environ.get("HTTP_X_REQUEST_ID", "")
    if VALID_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def _path(environ: dict) -> str:
    """The path as requested, without the query string or tokens, decoded, and cut to a sane length."""
    raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    try:
        path = raw.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        path = raw
    return redact_tokens(path)[:MAX_PATH] or "/"


class RequestLogMiddleware:
    """WSGI middleware around the Flask app: times every request, including errors and 404s."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        start = time.perf_counter()
        rid = _request_id_from(environ)
        environ[ENVIRON_KEY] = rid
        status = [500]

        def start_with_id(status_line, headers, exc_info=None):
            status[0] = int(status_line.split(" ", 1)[0])
            headers = [(k, v) for k, v in headers if k.lower() != HEADER.lower()]
            headers.append((HEADER, rid))
            return start_response(status_line, headers, exc_info)

        try:
            return self.wsgi_app(environ, start_with_id)
        finally:
            _log(environ, status[0], (time.perf_counter() - start) * 1000, rid)


def _log(environ: dict, status: int, duration_ms: float, rid: str) -> None:
    if not logger.isEnabledFor(logging.INFO):
        return
    line = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "event": "request",
        "method": str(environ.get("REQUEST_METHOD", ""))[:16],
        "path": _path(environ),
        "status": status,
        "duration_ms": round(duration_ms, 2),
        "request_id": rid,
    }
    logger.info(json.dumps(line, ensure_ascii=False, separators=(",", ":")))


def init_app(app: Flask) -> None:
    _configure_logger()
    app.wsgi_app = RequestLogMiddleware(app.wsgi_app)
