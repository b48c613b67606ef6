"""Production footing: /healthz, and one JSON log line per request with nothing personal in it."""

from __future__ import annotations

import json
import logging
import socket

import pytest

from dpup.web.app import create_app
from dpup.web.observability import logger as request_logger
from tests.conftest import TEST_CONTENT, TEST_TREES

FIELDS = {"time", "event", "method", "path", "status", "duration_ms", "request_id"}


@pytest.fixture
def request_log(caplog):
    """The request log lines (as dicts) written while the test runs."""
    request_logger.addHandler(caplog.handler)  # the logger does not propagate to the root logger
    caplog.set_level(logging.INFO, logger=request_logger.name)
    try:
        yield lambda: [json.loads(r.getMessage()) for r in caplog.records if r.name == request_logger.name]
    finally:
        request_logger.removeHandler(caplog.handler)


def app_on(database_url: str, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
                      "TREES_DIR": str(TEST_TREES), "CONTENT_DIR": str(TEST_CONTENT)})
    app.instance_path = str(tmp_path)
    return app


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


# ---------------------------------------------------------------- /healthz

def test_healthz_is_ok_without_logging_in(anon):
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_healthz_is_marked_public(app):
    view = app.view_functions["health.healthz"]
    assert getattr(view, "public", False) is True


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_healthz_is_503_when_the_database_is_unreachable(tmp_path, database):
    url = (f"sqlite:///{tmp_path / 'no-such-folder' / 'dpup.sqlite'}" if database == "sqlite"
           else f"postgresql://dpup@127.0.0.1:{closed_port()}/dpup?connect_timeout=3")
    app = app_on(url, tmp_path)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    assert "127.0.0.1" not in response.get_data(as_text=True)  # no connection details to the caller


def test_postgres_urls_use_psycopg_3(tmp_path):
    app = app_on("postgres://dpup:secret@127.0.0.1:5432/dpup", tmp_path)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    assert url.startswith("postgresql+psycopg://dpup:secret@127.0.0.1:5432/dpup")
    assert "connect_timeout=10" in url
    assert app_on("sqlite:///x.sqlite", tmp_path).config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///x.sqlite"


# ---------------------------------------------------------------- request log

def test_one_json_line_per_request_with_the_callers_request_id(anon, request_log):
    response = anon.get("/healthz?email=aroha%40example.org", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.42"
    [line] = request_log()
    assert set(line) == FIELDS
    assert line["event"] == "request"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"  # never the query string
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and 0 <= line["duration_ms"] < 10_000
    assert line["request_id"] == "lb-7f3a.42"
    assert line["time"].endswith("Z")


@pytest.mark.parametrize("given", ["", "has space", "a" * 129, 'x","status":200', "ünïcode", "-leading-dash"])
def test_an_unusable_request_id_is_replaced_by_a_new_one(anon, request_log, given):
    response = anon.get("/healthz", headers={"X-Request-ID": given} if given else {})
    [line] = request_log()
    assert line["request_id"] != given
    assert len(line["request_id"]) == 32 and int(line["request_id"], 16) >= 0
    assert response.headers["X-Request-ID"] == line["request_id"]


def test_request_ids_differ_between_requests(anon, request_log):
    anon.get("/healthz")
    anon.get("/healthz")
    first, second = request_log()
    assert first["request_id"] != second["request_id"]


def test_nothing_personal_is_logged(anon, request_log, caplog):
    personal = {"organisation": "Aroha Ngata Whānau Trust", "initiative": "aroha.ngata@example.org",
                "email": "aroha.ngata@example.org", "password": "correct horse battery staple"}
    anon.set_cookie("session", "cookie-value-never-logged")
    response = anon.post("/assessments/new?email=aroha.ngata%40example.org&phone=021555123", data=personal,
                           headers={"User-Agent": "Agent-Never-Logged", "Referer": "https://example.org/aroha"},
                           environ_base={"REMOTE_ADDR": "203.0.113.9"})
    [line] = request_log()
    assert line["method"] == "POST" and line["path"] == "/assessments/new"
    assert line["status"] == response.status_code
    raw = "\n".join(r.getMessage() for r in caplog.records if r.name == request_logger.name)
    for secret in ["Aroha", "aroha", "example.org", "correct horse", "021555123", "?", "203.0.113.9",
                   "cookie-value", "Agent-Never-Logged"]:
        assert secret not in raw


def test_not_found_and_errors_are_logged_with_their_status(tmp_path, request_log):
    app = app_on("sqlite://", tmp_path)

    def boom():
        raise RuntimeError("a bug")

    app.add_url_rule("/boom", "boom", boom)
    anon = app.test_client()
    assert anon.get("/no/such/page").status_code == 404
    assert anon.get("/boom").status_code == 500
    assert [(line["path"], line["status"]) for line in request_log()] == [("/no/such/page", 404), ("/boom", 500)]


def test_the_log_line_goes_to_standard_error(anon, capsys):
    anon.get("/healthz", headers={"X-Request-ID": "to-stderr-1"})
    err = capsys.readouterr().err
    [line] = [json.loads(text) for text in err.splitlines() if '"event":"request"' in text]
    assert line["request_id"] == "to-stderr-1" and line["status"] == 200
