"""The dpup command: validate, run (refusing broken trees, serving on a port from anywhere), tree show."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from dpup.cli import main
from tests.conftest import TEST_CONTENT, TEST_TREES

DPUP = [sys.executable, "-m", "dpup.cli"]


def invoke(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env)


def test_validate_bundled_prints_a_line_per_tree_and_exits_0():
    result = invoke("validate")
    assert result.exit_code == 0, result.output
    assert "ok  tree       purpose-matters:" in result.output
    assert "questions" in result.output and "outcomes" in result.output


def test_validate_another_folder_names_each_problem_and_exits_1(tmp_path):
    shutil.copy(TEST_TREES / "vocabulary.yaml", tmp_path)
    (tmp_path / "bad.yaml").write_text("id: bad\ntitle: Bad\nstart: q1\nnodes:\n  - id: q1\n    type: question\n")
    result = invoke("validate", str(tmp_path), env={"DPUP_CONTENT_DIR": str(TEST_CONTENT)})
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.yaml'}:q1: 'prompt' is required (line 5)" in result.output
    assert f"{tmp_path / 'bad.yaml'}:(file): 'version' is required" in result.output
    assert "problem(s) found." in result.output


def test_validate_a_single_good_file(tmp_path):
    env = {"DPUP_TREES_DIR": str(TEST_TREES), "DPUP_CONTENT_DIR": str(TEST_CONTENT)}
    result = invoke("validate", str(TEST_TREES / "journey.yaml"), env=env)
    assert result.exit_code == 0, result.output
    assert "ok  tree       journey: 5 questions, 3 outcomes" in result.output


def test_run_refuses_to_start_with_a_broken_tree(tmp_path):
    shutil.copy(TEST_TREES / "vocabulary.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("id: broken\n")
    env = {"DPUP_TREES_DIR": str(tmp_path), "DPUP_CONTENT_DIR": str(TEST_CONTENT)}
    result = invoke("run", "--port", "5999", env=env)
    assert result.exit_code == 1
    assert f"{tmp_path / 'broken.yaml'}:(file): 'title' is required" in result.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_serves_on_the_given_port_from_any_directory(tmp_path):
    port = free_port()
    env = {**os.environ, "DPUP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    server = subprocess.Popen([*DPUP, "run", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = None
        # Start-up checks every bundled tree's verdict rule (several seconds of CPU, more on a busy CI
        # machine): wait until the server answers or stops, not for a fixed number of tries.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None, server.stdout.read1().decode() if server.poll() is not None else "no answer"
        assert "Purpose Matters" in body
        assert (tmp_path / "db.sqlite").exists()  # the database was created on first start
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_tree_show_prints_the_outline():
    env = {"DPUP_TREES_DIR": str(TEST_TREES), "DPUP_CONTENT_DIR": str(TEST_CONTENT)}
    result = invoke("tree", "show", "journey", env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("? purpose: Is the purpose written down?")
    assert any("“No”  ⚑ Action required: The purpose is not written down." in line for line in lines)
    assert any("■ seek-advice: Pause and seek advice" in line for line in lines)
    assert invoke("tree", "show", "nope", env=env).exit_code != 0


def test_module_entry_point_exists():
    assert Path(sys.modules["dpup.cli"].__file__).name == "cli.py"


def test_create_admin_makes_the_first_organisation_and_refuses_weak_passwords(app, runner):
    weak = runner.invoke(main, args=["create-admin", "--organisation", "Kāinga Trust", "--name", "Mere",
                               "--email", "mere@kainga.example", "--password", "password"])
    assert weak.exit_code != 0 and "most common" in weak.output
    ok = runner.invoke(main, args=["create-admin", "--organisation", "Kāinga Trust", "--name", "Mere",
                             "--email", "Mere@Kainga.example", "--password", "a long and unusual phrase"])
    assert ok.exit_code == 0, ok.output
    assert "Created Kāinga Trust and its administrator and privacy officer mere@kainga.example" in ok.output
    from tests.conftest import login

    client = login(app.test_client(), "mere@kainga.example", "a long and unusual phrase")
    assert client.get("/admin/users").status_code == 200
    again = runner.invoke(main, args=["create-admin", "--organisation", "X", "--name", "Y",
                                "--email", "mere@kainga.example", "--password", "another long phrase"])
    assert again.exit_code != 0 and "already has an account" in again.output


def test_reset_password_prints_a_one_time_link_when_no_administrator_can_log_in(app, runner, people):
    from tests.conftest import PASSWORD, login, login_refused
    from tests.helpers import submit, text_of

    unknown = runner.invoke(main, args=["reset-password", "nobody@own.example"])
    assert unknown.exit_code != 0 and "nobody has an account" in unknown.output
    result = runner.invoke(main, args=["reset-password", people["own"]["administrator"].upper()])
    assert result.exit_code == 0, result.output
    path = re.search(r"(/invite/\S+)", result.output).group(1)
    assert login_refused(app.test_client(), people["own"]["administrator"], PASSWORD)
    person = app.test_client()
    submit(person, path, {"password": "tūī sing at dawn", "confirm": "tūī sing at dawn"})
    assert "Administrator own · Administrator" in text_of(person.get("/"))
    login(app.test_client(), people["own"]["administrator"], "tūī sing at dawn")
