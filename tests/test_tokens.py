"""One-time invitation and password links: never in a log, never pointing at a host the request chose."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import TEST_CONTENT, TEST_TREES
from tests.helpers import csrf_token
from tests.test_observability import request_log  # noqa: F401  (fixture)

DPUP = [str(Path(sys.executable).parent / "dpup")]


def _invite(admin, email="hemi@own.example", **headers):
    """Invite someone through a request that names ``headers["Host"]``, as an attacker's proxy could."""
    page = admin.get("/admin/users").get_data(as_text=True)
    if "Host" in headers:  # the browser would send its cookie to whichever host it thinks it talks to
        admin.set_cookie("session", admin.get_cookie("session").value, domain=headers["Host"])
    response = admin.post("/admin/users", data={"csrf_token": csrf_token(page), "name": "Hemi", "email": email,
                                                "role": "board"}, headers=headers)
    return re.search(r'<code class="invite-link">([^<]+)</code>', response.get_data(as_text=True)).group(1)


def test_invitation_tokens_are_redacted_in_the_request_log(app, login_as, request_log):  # noqa: F811
    link = _invite(login_as("administrator"))
    token = link.rsplit("/", 1)[1]
    newcomer = app.test_client()
    assert newcomer.get(link).status_code == 200
    paths = [line["path"] for line in request_log()]
    assert "/invite/[redacted]" in paths
    assert not any(token in path for path in paths)


def test_the_invitation_link_ignores_the_host_header(app, login_as):
    admin = login_as("administrator")
    app.config["BASE_URL"] = "https://dpup.example.org"
    assert _invite(admin, Host="evil.example").startswith("https://dpup.example.org/invite/")


def test_without_a_base_url_the_link_is_a_path_unless_the_host_is_trusted(app, login_as):
    admin = login_as("administrator")
    app.config["BASE_URL"] = None
    assert _invite(admin, "one@own.example", Host="evil.example").startswith("/invite/")
    app.config["TRUSTED_HOSTS"] = ["dpup.example.org", "localhost"]
    assert _invite(admin, "two@own.example", Host="dpup.example.org").startswith("http://dpup.example.org/invite/")
    app.config["TRUSTED_HOSTS"] = ["dpup.example.org"]
    assert app.test_client().get("/login", headers={"Host": "evil.example"}).status_code == 400


def test_the_development_server_prints_no_addresses_or_tokens(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DPUP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "DPUP_TREES_DIR": str(TEST_TREES), "DPUP_CONTENT_DIR": str(TEST_CONTENT)}
    server = subprocess.Popen([*DPUP, "run", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        # Until it answers or stops, not a fixed number of tries: start-up checks the trees and takes
        # longer on a busy CI machine.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/invite/SECRET-TOKEN-42", timeout=5)
        except urllib.error.HTTPError as error:
            assert error.code == 404
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert '"path":"/invite/[redacted]"' in output  # dpup's own request log is there
    assert "SECRET-TOKEN-42" not in output and "127.0.0.1 - -" not in output
