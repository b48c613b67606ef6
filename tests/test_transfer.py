"""Export an organisation's assessments and import them elsewhere: the reports come out the same,
and a broken or hostile file changes nothing."""

import json
import re

import pytest

from dpup.cli import main
from dpup.reports.markdown import render_markdown
from dpup.reports.model import build_report
from dpup.storage.db import db
from dpup.storage import assessments as store
from dpup.storage.models import Assessment, Organisation, Status, User
from tests.conftest import TEST_CONTENT, TEST_TREES, make_app
from tests.test_flow import answer, start


def reports(app) -> dict[str, str]:
    """Every assessment's Markdown report, without the line saying when it was made."""
    with app.app_context():
        library = app.extensions["dpup.library"]
        return {a.public_id: re.sub(r"\*\*Report made:\*\*.*", "", render_markdown(build_report(library, a)))
                for a in db.session.query(Assessment)}


@pytest.fixture
def exported(app, client, tmp_path):
    public_id = start(client)
    answer(client, public_id, "purpose", answer="no", note="Draft only — whānau not asked.",
           action_owner="Aroha", action_due="2027-03-01")
    answer(client, public_id, "personal", answer="identifying")
    answer(client, public_id, "why-identifying", answer="Follow-up calls.")
    answer(client, public_id, "personal", answer="aggregate")  # leaves an unused answer
    path = tmp_path / "export.json"
    result = app.test_cli_runner().invoke(main, ["export", "--organisation", "Te Whare Tiaki Trust", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def target_app(tmp_path):
    """Another dpup on its own SQLite file (the source may be PostgreSQL in CI)."""
    return make_app(tmp_path / "target", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'target.sqlite'}",
                    TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))


def test_round_trip_gives_identical_reports(app, exported, tmp_path):
    data = json.loads(exported.read_text())
    assert data["format"] == "dpup-export" and data["version"] == 3
    assert data["assessments"][0]["history"] and data["tree_versions"][0]["source"].startswith("id: journey")
    (tmp_path / "target").mkdir()
    target = target_app(tmp_path)
    result = target.test_cli_runner().invoke(main, ["import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 assessment(s) into Te Whare Tiaki Trust." in result.output
    assert reports(target) == reports(app)
    # ... and back again, into an empty copy of the source database.
    back = tmp_path / "back.json"
    assert target.test_cli_runner().invoke(main, ["export", "-o", str(back)]).exit_code == 0
    before = reports(app)
    with app.app_context():
        for assessment in db.session.query(Assessment).order_by(Assessment.id.desc()):
            db.session.delete(assessment)  # through the ORM, so answers and pinned trees go too
        db.session.commit()
    assert app.test_cli_runner().invoke(main, ["import", str(back)]).exit_code == 0
    assert reports(app) == before


def test_who_submitted_moves_too_and_version_1_files_still_import(app, client, tmp_path):
    public_id = start(client)
    with app.app_context():
        officer = db.session.scalar(db.select(User).filter_by(email="privacy_officer@own.example"))
        store.change_status(db.session.scalar(db.select(Assessment).filter_by(public_id=public_id)), officer,
                            Status.SUBMITTED)
    path = tmp_path / "export.json"
    assert app.test_cli_runner().invoke(main, ["export", "--organisation", "Te Whare Tiaki Trust",
                                               "-o", str(path)]).exit_code == 0
    data = json.loads(path.read_text())
    assert data["assessments"][0]["submitted_by"]["name"] == "Privacy Officer own"
    (tmp_path / "target").mkdir()
    target = target_app(tmp_path)
    assert target.test_cli_runner().invoke(main, ["import", str(path)]).exit_code == 0
    assert reports(target) == reports(app)
    assert "**Submitted by:** Privacy Officer own" in reports(target)[public_id]

    # A file written by a dpup of export version 1 has no submitted_by; it still imports.
    version_1 = {**data, "version": 1,
                 "assessments": [{k: v for k, v in a.items() if k != "submitted_by"} for a in data["assessments"]]}
    path.write_text(json.dumps(version_1))
    (tmp_path / "old").mkdir()
    older = make_app(tmp_path / "old", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'old.sqlite'}",
                     TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))
    result = older.test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Submitted by" not in reports(older)[public_id]


@pytest.mark.parametrize("breakage, message", [
    (lambda d: "not json at all {", "not a JSON file"),
    (lambda d: {**d, "format": "other"}, "not a dpup export file"),
    (lambda d: {**d, "version": 99}, "export version 99 is not supported"),
    (lambda d: {**d, "assessments": [{**d["assessments"][0], "status": "hacked"}]}, "assessments.0.status"),
    (lambda d: {**d, "assessments": [{**d["assessments"][0], "admin": True}]}, "Extra inputs are not permitted"),
    (lambda d: {**d, "tree_versions": [{**d["tree_versions"][0], "source": d["tree_versions"][0]["source"] + "#"}]},
     "does not match its text"),
    (lambda d: {**d, "assessments": d["assessments"] * 2}, "the same assessment twice"),
    (lambda d: {**d, "tree_versions": []}, "which is not in the file"),
])
def test_a_broken_or_hostile_file_is_refused_and_changes_nothing(app, exported, tmp_path, breakage, message):
    data = json.loads(exported.read_text())
    broken = breakage(data)
    path = tmp_path / "broken.json"
    path.write_text(broken if isinstance(broken, str) else json.dumps(broken))
    (tmp_path / "target").mkdir()
    target = target_app(tmp_path)
    result = target.test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code != 0
    assert "was not imported, and nothing was changed" in result.output and message in result.output
    with target.app_context():
        assert db.session.query(Assessment).count() == 0 and db.session.query(Organisation).count() == 0


def test_importing_the_same_file_twice_is_refused(app, exported):
    result = app.test_cli_runner().invoke(main, ["import", str(exported)])
    assert result.exit_code != 0 and "already in this dpup" in result.output
