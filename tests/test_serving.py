"""The production set-up, as a new operator would try it: `dpup db upgrade`, then two gunicorn
servers on two loopback ports sharing one database (PostgreSQL when TEST_DATABASE_URL is set, else
a SQLite file). Log in and answer through one, read the answer through the other: workers and hosts
keep no state of their own.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from dpup.storage.db import db
from dpup.web.app import create_app
from tests.conftest import PASSWORD, TEST_CONTENT, TEST_TREES, make_people
from tests.database import clean_database_url, on_postgresql
from tests.helpers import csrf_token

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person's browser: one cookie jar, pointed at whichever server the load balancer picks."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def open(self, url: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def submit(self, url: str, data: dict):
        status, _, page = self.open(url)
        assert status == 200, (url, status)
        fields = {"csrf_token": csrf_token(page), **data}
        version = re.search(r'<input[^>]*name="version"[^>]*value="([^"]*)"', page)
        if version:
            fields["version"] = version.group(1)
        return self.open(url, fields)


@pytest.fixture
def deployment(tmp_path):
    """Environment of a production deployment on a database that `dpup db upgrade` has set up."""
    url = clean_database_url() if on_postgresql() else f"sqlite:///{tmp_path / 'shared.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "DPUP_SECRET_KEY": secrets.token_hex(32),
           "DPUP_TREES_DIR": str(TEST_TREES), "DPUP_CONTENT_DIR": str(TEST_CONTENT)}
    env.pop("DPUP_DATABASE_URL", None)
    upgrade = subprocess.run([str(BIN / "dpup"), "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True,
                             text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": env["DPUP_SECRET_KEY"],
                      "TREES_DIR": str(TEST_TREES), "CONTENT_DIR": str(TEST_CONTENT)})
    app.instance_path = str(tmp_path)
    people = make_people(app, "Te Whare Tiaki Trust", "own")
    with app.app_context():
        db.engine.dispose()
    return env, people


@pytest.fixture
def two_servers(deployment, tmp_path):
    """Two gunicorn servers, as on two hosts, started as the README's production command does.

    One worker each keeps the test quick; the README's command runs ``WEB_CONCURRENCY`` of them.
    """
    env, people = deployment
    servers = []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = (tmp_path / f"gunicorn-{name}.log").open("wb")
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", "1", "--threads", "2", "--bind", f"127.0.0.1:{port}",
                 "dpup.wsgi:app"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
            servers.append((f"http://127.0.0.1:{port}", process, tmp_path / f"gunicorn-{name}.log"))
        for base, process, log in servers:
            for _ in range(300):  # at most 30 s
                assert process.poll() is None, log.read_text()
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                        assert json.loads(response.read()) == {"status": "ok"}
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"gunicorn at {base} never answered:\n{log.read_text()}")
        yield servers, people
    finally:
        for _, process, _ in servers:
            process.terminate()
        for _, process, _ in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_answer_through_one_server_and_read_it_through_the_other(two_servers):
    (a, _, log_a), (b, _, log_b) = two_servers[0]
    people = two_servers[1]
    person = Browser()

    status, headers, page = person.open(a + "/login")
    status, headers, _ = person.open(a + "/login", {"csrf_token": csrf_token(page), "email": people["privacy_officer"],
                                                     "password": PASSWORD})
    assert status == 302, status

    # Start on server B (the session cookie from A is good there), answer on A.
    status, headers, _ = person.submit(b + "/assessments/new", {"initiative": "Shared dashboard", "trees": "journey"})
    assert status == 302, status
    public_id = re.search(r"/assessments/([\w-]+)/trees/journey$", headers["Location"]).group(1)
    question = f"/assessments/{public_id}/trees/journey/questions/purpose"
    note = f"Answered on server A {secrets.token_hex(4)}"
    status, _, page = person.submit(a + question, {"answer": "no", "note": note})
    assert status == 302, page[:2000]

    # Read it on B: the saved answer and note are there.
    status, headers, page = person.open(b + question, headers={"X-Request-ID": "two-hosts-check-1"})
    assert status == 200
    assert note in page
    assert re.search(r'<input[^>]*value="no"[^>]*checked|<input[^>]*checked[^>]*value="no"', page)
    assert headers["X-Request-ID"] == "two-hosts-check-1"

    # A form opened on B before a save made on A is refused, not overwritten.
    status, _, stale = person.open(b + question)
    assert person.submit(a + question, {"answer": "yes", "note": "Second save, on A"})[0] == 302
    version = re.search(r'<input[^>]*name="version"[^>]*value="([^"]*)"', stale).group(1)
    status, _, page = person.open(b + question, {"csrf_token": csrf_token(stale), "version": version,
                                                 "answer": "no", "note": "Stale save, on B"})
    assert status == 409

    # Each server logged its requests as JSON lines, without the note or the email address.
    time.sleep(0.2)
    lines_b = [json.loads(line) for line in log_b.read_text().splitlines() if line.startswith("{")]
    assert any(line["request_id"] == "two-hosts-check-1" and line["status"] == 200 for line in lines_b)
    for log in (log_a, log_b):
        text = log.read_text()
        assert "Answered on server A" not in text and people["privacy_officer"] not in text
