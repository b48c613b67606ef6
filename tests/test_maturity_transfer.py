"""Self-assessments move with their organisation (export format version 7): ratings, roadmap actions,
history and the framework text they were rated against arrive as they left, the report reads the
same, and files at versions 5 and 6 still import."""

import json

from sqlalchemy import select

from dpup.cli import main
from dpup.storage import maturity as store
from dpup.storage.db import db
from dpup.storage.maturity_models import SelfAssessment
from dpup.storage.models import Status, User
from tests.test_transfer import target_app


def make_self_assessment(app, email):
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.email == email))
        framework = app.extensions["dpup.library"].maturity
        first = store.start(framework, officer, 2025)
        store.save_rating(first, "frontline", store.RatingChange("informal", "", "=SUM(A1) whānau", "Notes"),
                          first.version, officer)
        store.change_status(first, officer, Status.SUBMITTED)
        store.change_status(first, officer, Status.APPROVED)
        second = store.start(framework, officer, 2026)
        store.save_rating(second, "frontline", store.RatingChange("managed", "", "Used every visit", ""),
                          second.version, officer)
        store.make_actions(framework, first, officer)
        return first.public_id, second.public_id


def import_into_a_new_dpup(tmp_path, name: str, contents: dict):
    """A new dpup (its own SQLite file) and the result of importing ``contents`` into it."""
    from tests.conftest import TEST_CONTENT, TEST_TREES, make_app

    (tmp_path / name).mkdir()
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(contents))
    fresh = make_app(tmp_path / name, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / f'{name}.sqlite'}",
                     TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT))
    return fresh, fresh.test_cli_runner().invoke(main, ["import", str(path)])


def test_self_assessments_round_trip(app, people, tmp_path):
    first, second = make_self_assessment(app, people["own"]["privacy_officer"])
    path = tmp_path / "export.json"
    assert app.test_cli_runner().invoke(main, ["export", "--organisation", "Te Whare Tiaki Trust",
                                               "-o", str(path)]).exit_code == 0
    data = json.loads(path.read_text())
    assert data["version"] == 7 and [s["year"] for s in data["self_assessments"]] == [2025, 2026]
    framework_text = app.extensions["dpup.library"].maturity.file.text
    assert data["self_assessments"][1]["previous"] == first
    (tmp_path / "target").mkdir()
    target = target_app(tmp_path)
    result = target.test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    with target.app_context():
        moved = {sa.year: sa for sa in db.session.scalars(select(SelfAssessment))}
        assert moved[2025].status == "approved" and moved[2026].previous_id == moved[2025].id
        assert moved[2025].ratings_by_criterion()["frontline"].note == "=SUM(A1) whānau"
        assert [a.key for a in moved[2025].actions] == ["frontline"]
        assert moved[2025].actions[0].self_assessment_id == moved[2025].id
        assert moved[2025].framework_text == framework_text  # the criteria as they were rated
    # Importing it again is refused and changes nothing.
    again = target.test_cli_runner().invoke(main, ["import", str(path)])
    assert again.exit_code != 0
    # A version 6 file (no framework text) still imports; it is read with today's framework.
    six = {**data, "version": 6, "assessments": [], "self_assessments": [
        {k: v for k, v in sa.items() if k != "framework_text"} for sa in data["self_assessments"]]}
    for sa in six["self_assessments"]:
        sa["public_id"] = sa["public_id"][::-1]
    for n, sa in enumerate(six["self_assessments"]):
        sa["previous"] = six["self_assessments"][0]["public_id"] if n else None
        for action in sa["actions"]:
            action["public_id"] = action["public_id"][::-1]
    sixth, result = import_into_a_new_dpup(tmp_path, "six", six)
    assert result.exit_code == 0, result.output
    with sixth.app_context():
        assert [sa.framework_text for sa in db.session.scalars(select(SelfAssessment))] == [None, None]
    # A version 5 file (no self-assessments) still imports.
    older = {**data, "version": 5}
    older.pop("self_assessments")
    for a in older["assessments"]:
        a["public_id"] = a["public_id"][::-1]
    assert import_into_a_new_dpup(tmp_path, "old", older)[1].exit_code == 0


def test_a_level_this_dpup_does_not_know_is_refused(app, people, tmp_path):
    make_self_assessment(app, people["own"]["privacy_officer"])
    path = tmp_path / "export.json"
    app.test_cli_runner().invoke(main, ["export", "--organisation", "Te Whare Tiaki Trust", "-o", str(path)])
    data = json.loads(path.read_text())
    data["self_assessments"][0]["ratings"][0]["level"] = "optimised"
    path.write_text(json.dumps(data))
    (tmp_path / "target").mkdir()
    result = target_app(tmp_path).test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code != 0 and "level 'optimised' is not one of this dpup's maturity levels" in result.output
