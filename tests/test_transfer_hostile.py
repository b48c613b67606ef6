"""`dpup import` of hostile files, as the security probe tried them: each is refused with a clear
message and changes nothing; none gives a traceback."""

import json
import re

import pytest

from dpup.cli import main
from dpup.storage.db import db
from dpup.storage.models import Assessment, AuditEvent, Organisation, User
from tests.helpers import text_of
from tests.test_transfer import exported, target_app  # noqa: F401  (fixture)


def nested(depth):
    value = "deep"
    for _ in range(depth):
        value = {"x": value}
    return value


def first(d, **changes):
    """The file with its first assessment changed."""
    return {**d, "assessments": [{**d["assessments"][0], **changes}, *d["assessments"][1:]]}


def answer_changed(d, **changes):
    a = d["assessments"][0]
    return first(d, answers=[{**a["answers"][0], **changes}, *a["answers"][1:]])


def event(d, **changes):
    a = d["assessments"][0]
    return first(d, history=[{**a["history"][0], **changes}, *a["history"][1:]])


HOSTILE = {
    "deeper than the parser goes": (lambda d: '{"a":' * 100_000 + "1" + "}" * 100_000, "nested far too deeply"),
    "deeper than any export": (lambda d: event(d, after={"x": nested(40)}), "nested more than 32 levels"),
    "revision 10^30": (lambda d: first(d, revision=10**30), "assessments.0.revision"),
    "answered twice": (lambda d: first(d, answers=d["assessments"][0]["answers"] * 2), "is answered twice"),
    "tree pinned twice": (lambda d: first(d, trees=d["assessments"][0]["trees"] * 2), "pins 'journey' twice"),
    "NUL character": (lambda d: first(d, initiative="Dash\x00board"), "NUL character"),
    "answer to no question": (lambda d: answer_changed(d, node_id="no-such-question"), "not in the tree it pins"),
    "answer no option gives": (lambda d: answer_changed(d, value="perhaps"), "not one the question accepts"),
    "pinned tree of another id": (lambda d: first(d, trees=[{**d["assessments"][0]["trees"][0],
                                                            "tree_id": "other"}]), "pins 'other' to a version"),
    "author who is no email": (lambda d: first(d, created_by={"email": "not an email", "name": "X",
                                                             "role": "administrator"}), "not an email address"),
    "version true": (lambda d: {**d, "version": True}, "export version True is not supported"),
    "formula as an action": (lambda d: event(d, action="=HYPERLINK(\"http://x\")"), "history.0.action"),
    "history after -5": (lambda d: event(d, after=-5), "history.0.after"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_clearly_and_changes_nothing(app, exported, tmp_path, name):  # noqa: F811
    breakage, message = HOSTILE[name]
    broken = breakage(json.loads(exported.read_text()))
    path = tmp_path / "hostile.json"
    path.write_text(broken if isinstance(broken, str) else json.dumps(broken))
    (tmp_path / "target").mkdir()
    target = target_app(tmp_path)
    result = target.test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "was not imported, and nothing was changed" in result.output, result.output
    assert message in result.output, result.output
    with target.app_context():
        assert db.session.query(Assessment).count() == 0 and db.session.query(Organisation).count() == 0
        assert db.session.query(User).count() == 0


def test_a_file_is_not_merged_into_an_organisation_of_another_name(app, exported, tmp_path):  # noqa: F811
    data = json.loads(exported.read_text())
    data["organisation"]["name"] = "Someone Else's Trust"
    data["assessments"] = [{**a, "public_id": "Renamed" + a["public_id"][:20]} for a in data["assessments"]]
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(data))
    result = app.test_cli_runner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1 and "is called 'Te Whare Tiaki Trust' here" in result.output, result.output
    with app.app_context():
        assert db.session.query(Assessment).count() == 1


def test_an_export_names_no_server_folder(exported):  # noqa: F811
    paths = [v["path"] for v in json.loads(exported.read_text())["tree_versions"]]
    assert paths == ["journey.yaml"]


def test_an_imported_formula_cannot_reach_the_audit_csv(app, login_as, people):
    """Events stored before imports were checked (or by any other way in) are still written safely."""
    admin = login_as("administrator")
    with app.app_context():
        organisation = db.session.query(User).filter_by(email=people["own"]["administrator"]).one().organisation_id
        db.session.add(AuditEvent(organisation_id=organisation, actor="x", action="=cmd|'/c calc'!A1", target=""))
        db.session.commit()
    body = admin.get("/admin/audit.csv").get_data(as_text=True)
    assert "'=cmd" in body and ",=cmd" not in body


def test_an_event_with_a_detail_dpup_never_writes_does_not_break_the_page(app, login_as, people):
    from tests.test_flow import start

    officer = login_as("privacy_officer")
    public_id = start(officer)
    with app.app_context():
        organisation = db.session.query(User).filter_by(email=people["own"]["privacy_officer"]).one().organisation_id
        for before, after in ((None, -5), ([1], {"node": ["x"]}), ({}, {"status": "hacked"})):
            db.session.add(AuditEvent(organisation_id=organisation, actor="x", action="answer_changed",
                                      target=f"assessment:{public_id}", before=before, after=after))
        db.session.commit()
    page = officer.get(f"/assessments/{public_id}")
    assert page.status_code == 200 and "Client outcomes dashboard" in text_of(page)
    assert re.search("answer changed", text_of(page))
