"""Export an organisation's assessments and import them elsewhere: the reports come out the same,
and a broken or hostile file changes nothing."""

import difflib
import json
import re
from datetime import date

import pytest

from dpup.cli import main
from dpup.reports.markdown import render_brief_markdown, render_markdown
from dpup.reports.model import build_report
from dpup.storage.db import db
from dpup.storage import actions as action_store
from dpup.storage import assessments as store
from dpup.storage.models import ActionItem, ActionStatus, Assessment, AuditEvent, Organisation, Status, User
from tests.conftest import TEST_CONTENT, TEST_TREES, make_app
from tests.database import migrated_sqlite_file
from tests.test_flow import answer, start


def reports(app) -> dict[str, str]:
    """Every assessment's full record and board brief in Markdown, without the line saying when it was made."""
    with app.app_context():
        library = app.extensions["dpup.library"]
        out = {}
        for a in db.session.query(Assessment):
            report = build_report(library, a)
            out[a.public_id] = re.sub(r"\*\*Report made:\*\*.*", "",
                                      render_markdown(report) + render_brief_markdown(report))
        return out


@pytest.fixture
def exported(app, client, tmp_path):
    public_id = start(client)
    answer(client, public_id, "purpose", answer="no", note="Draft only — whānau not asked.",
           action_owner="Aroha", action_due="2027-03-01")
    answer(client, public_id, "personal", answer="identifying")
    answer(client, public_id, "why-identifying", answer="Follow-up calls.")
    answer(client, public_id, "personal", answer="aggregate")  # leaves an unused answer
    answer(client, public_id, "matching", answer="na", reason="We hold no other data.")
    answer(client, public_id, "views", answer=["nobody"])
    with app.app_context():  # the brief's words, and actions worked on after the answers
        assessment = db.session.scalar(db.select(Assessment).filter_by(public_id=public_id))
        officer = db.session.scalar(db.select(User).filter_by(email="privacy_officer@own.example"))
        first, second = sorted(assessment.actions, key=lambda i: i.id)
        store.change_brief_words(assessment, officer, "Approve the dashboard?", "Go ahead once it is written.",
                                 [second.key], assessment.version)
        action_store.update(first, action_store.ActionChange(
            owner_id=officer.id, owner_name="", due=date(2027, 3, 2), status=ActionStatus.RISK_ACCEPTED,
            reason="The board accepts it for a year.", note="=HYPERLINK(\"x\")"), first.version, officer)
        action_store.update(second, action_store.ActionChange(
            owner_id=None, owner_name="Aroha (kaiārahi)", due=None, status=ActionStatus.DONE, reason="",
            note="Talked to whānau on 3 March."), second.version, officer)
    path = tmp_path / "export.json"
    result = app.test_cli_runner().invoke(main, ["export", "--organisation", "Te Whare Tiaki Trust", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def target_app(tmp_path):
    """Another dpup on its own SQLite file (the source may be PostgreSQL in CI)."""
    return make_app(tmp_path / "target", SQLALCHEMY_DATABASE_URI=migrated_sqlite_file(tmp_path / "target.sqlite"),
                    TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))


def test_round_trip_gives_identical_reports(app, exported, tmp_path):
    data = json.loads(exported.read_text())
    assert data["format"] == "dpup-export" and data["version"] == 7
    assert data["assessments"][0]["history"] and data["tree_versions"][0]["source"].startswith("id: journey")
    moved = data["assessments"][0]
    assert moved["decision_sought"] == "Approve the dashboard?" and len(moved["lead_findings"]) == 1
    assert sorted(a["status"] for a in moved["actions"]) == ["done", "risk_accepted"]
    (tmp_path / "target").mkdir()
    target = target_app(tmp_path)
    result = target.test_cli_runner().invoke(main, ["import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 assessment(s) into Te Whare Tiaki Trust." in result.output
    assert reports(target) == reports(app)
    for words in ("Approve the dashboard?", "Go ahead once it is written.", "The board accepts it for a year.",
                  "Aroha (kaiārahi)", "Talked to whānau on 3 March.", "Privacy Officer own"):
        assert words in next(iter(reports(target).values())), words
    # ... and back again, into an empty copy of the source database.
    back = tmp_path / "back.json"
    assert target.test_cli_runner().invoke(main, ["export", "-o", str(back)]).exit_code == 0
    before = reports(app)
    with app.app_context():
        for assessment in db.session.query(Assessment).order_by(Assessment.id.desc()):
            db.session.delete(assessment)  # through the ORM, so answers and pinned trees go too
        # The audit trail outlives a deleted assessment; an empty copy of the database has none of it.
        db.session.execute(db.delete(AuditEvent).where(AuditEvent.target.like("assessment:%")))
        db.session.commit()
    assert app.test_cli_runner().invoke(main, ["import", str(back)]).exit_code == 0
    after = reports(app)
    assert after == before, "\n".join(difflib.unified_diff(
        next(iter(before.values())).splitlines(), next(iter(after.values())).splitlines(), lineterm=""))


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
    older = make_app(tmp_path / "old", SQLALCHEMY_DATABASE_URI=migrated_sqlite_file(tmp_path / "old.sqlite"),
                     TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))
    result = older.test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Submitted by" not in reports(older)[public_id]


def test_a_version_2_file_gets_its_action_items_from_its_findings(app, exported, tmp_path):
    data = json.loads(exported.read_text())
    version_2 = {**data, "version": 2, "assessments": [
        {k: v for k, v in a.items() if k not in ("actions", "decision_sought", "recommendation", "lead_findings")}
        for a in data["assessments"]]}
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(version_2))
    (tmp_path / "target").mkdir()
    target = target_app(tmp_path)
    result = target.test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    with target.app_context():
        items = db.session.scalars(db.select(ActionItem).order_by(ActionItem.id)).all()
        # Both findings' actions, open, the first with the owner typed at its question.
        assert [(i.text, i.status, i.owner_name) for i in items] == [
            ("Write a purpose statement.", "open", "Aroha"), ("Talk to the people concerned.", "open", "")]


def _action(data: dict, **changes) -> dict:
    """The file with its first assessment's first action item changed."""
    first = data["assessments"][0]
    actions = [{**first["actions"][0], **changes}, *first["actions"][1:]]
    return {**data, "assessments": [{**first, "actions": actions}, *data["assessments"][1:]]}


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
    # Action items and the brief's words: nothing a form would refuse, nothing that breaks a later import.
    (lambda d: _action(d, status="closed"), "actions.0.status"),
    (lambda d: _action(d, severity="catastrophic"), "actions.0.severity"),
    (lambda d: _action(d, due="2027-02-30"), "actions.0.due"),
    (lambda d: _action(d, owner_name="Aroha\r\n=cmd|' /C calc'!A0"), "must be one line of text"),
    (lambda d: _action(d, owner_name="x" * 201), "actions.0.owner_name"),
    (lambda d: _action(d, note="x" * 2001), "actions.0.note"),
    (lambda d: _action(d, status="risk_accepted", reason=" "), "a risk accepted must say why"),
    (lambda d: _action(d, trees=["not-pinned"]), "a decision tree the assessment does not use"),
    (lambda d: _action(d, owner={"email": "someone@own.example", "name": "S", "role": "privacy_officer"},
                       owner_name="Also a name"), "both an owner with an account and an owner's name"),
    (lambda d: _action(d, owner={"email": "not an email", "name": "S", "role": "privacy_officer"}), "not an email"),
    (lambda d: _action(d, key=d["assessments"][0]["actions"][1]["key"]), "the same finding's action"),
    (lambda d: _action(d, public_id=d["assessments"][0]["actions"][1]["public_id"]), "same action item twice"),
    (lambda d: _action(d, admin=True), "Extra inputs are not permitted"),
    (lambda d: {**d, "assessments": [{**d["assessments"][0], "decision_sought": "x" * 2001}]}, "decision_sought"),
    (lambda d: {**d, "assessments": [{**d["assessments"][0], "lead_findings": ["a"] * 2}]}, "lead the brief"),
    (lambda d: {**d, "assessments": [{**d["assessments"][0], "lead_findings": [str(i) for i in range(8)]}]},
     "lead_findings"),
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
