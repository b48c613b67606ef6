"""What an operator's files and an administrator's pages give away: database and export files
readable by their owner only, no email that is not one, and nothing about other organisations."""

import os
import stat

import pytest

from dpup.cli import main
from dpup.storage.db import db
from tests.conftest import TEST_CONTENT, TEST_TREES, make_app, make_people
from tests.helpers import submit, text_of


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    old = os.umask(0o022)  # what most systems give a service: files 0644 unless dpup asks otherwise
    yield
    os.umask(old)


def test_a_new_sqlite_database_and_its_wal_are_readable_by_the_owner_only(tmp_path, usual_umask):
    database = tmp_path / "dpup.sqlite"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", TREES_DIR=str(TEST_TREES),
                   CONTENT_DIR=str(TEST_CONTENT))
    make_people(app, "Trust", "own")
    try:
        files = [p for p in tmp_path.glob("dpup.sqlite*")]
        assert {p.name for p in files} >= {"dpup.sqlite", "dpup.sqlite-wal"}
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    finally:
        with app.app_context():
            db.engine.dispose()


def test_export_and_report_files_are_readable_by_the_owner_only(app, client, tmp_path, usual_umask):
    from tests.test_flow import start

    public_id = start(client)
    runner = app.test_cli_runner()
    export, report = tmp_path / "export.json", tmp_path / "report.md"
    report.write_text("an older report, world-readable")
    assert runner.invoke(main, ["export", "--organisation", "Te Whare Tiaki Trust", "-o", str(export)]).exit_code == 0
    assert runner.invoke(main, ["report", public_id, "--format", "md", "-o", str(report)]).exit_code == 0
    assert mode(export) == 0o600 and mode(report) == 0o600


def test_create_admin_refuses_an_email_that_is_not_one(app, runner):
    result = runner.invoke(main, ["create-admin", "--organisation", "Trust", "--name", "Mere",
                                  "--email", "mere at kainga", "--password", "a long and unusual phrase"])
    assert result.exit_code != 0 and "Enter an email address like name@example.org." in result.output


def test_an_administrator_is_not_told_that_an_address_has_an_account_elsewhere(app, login_as, people):
    from dpup.storage.models import AuditEvent

    admin = login_as("administrator")
    shown = {}
    for email in (people["own"]["board"], people["other"]["board"]):
        response = submit(admin, "/admin/users", {"name": "Someone", "email": email, "role": "board"})
        assert response.status_code == 400
        shown[email] = text_of(response)
        assert "has an account" not in shown[email] and "another organisation" not in shown[email]
        assert "That email address cannot be used for a new account." in shown[email]
    with app.app_context():  # probing for addresses leaves a trail
        refused = db.session.query(AuditEvent).filter_by(action="user_invite_refused").all()
        assert [e.after["email"] for e in refused] == [people["own"]["board"], people["other"]["board"]]
