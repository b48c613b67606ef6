"""Renaming an assessment, and deleting a draft started by mistake."""

from dpup.storage.db import db
from dpup.storage.models import AuditEvent
from tests.helpers import csrf_token, form_value, submit, text_of
from tests.test_flow import answer, start


def test_renaming_shows_everywhere_and_is_audited(app, client):
    public_id = start(client)
    response = submit(client, f"/assessments/{public_id}/details",
                      {"initiative": "Whānau outcomes dashboard", "description": "Quarterly, not monthly."})
    assert response.status_code == 302
    shown = text_of(client.get(response.location, follow_redirects=True))
    assert "Saved the name and description." in shown and "Whānau outcomes dashboard" in shown
    assert "Quarterly, not monthly." in shown
    assert "Whānau outcomes dashboard" in text_of(client.get("/assessments/"))
    assert ("assessment details changed: renamed from “Client outcomes dashboard” to “Whānau outcomes dashboard”"
            in shown)
    assert "# DPUP assessment: Whānau outcomes dashboard" in client.get(f"/assessments/{public_id}/report.md").text
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="assessment_details_changed")).one()
        assert event.before["initiative"] == "Client outcomes dashboard"
        assert event.after["initiative"] == "Whānau outcomes dashboard"


def test_a_blank_name_is_refused_and_the_description_kept(client):
    public_id = start(client)
    response = submit(client, f"/assessments/{public_id}/details", {"initiative": "  ", "description": "Keep me."})
    assert response.status_code == 400
    assert "Enter the name of the initiative you are assessing." in text_of(response)
    assert "Keep me." in response.text
    assert "Client outcomes dashboard" in text_of(client.get(f"/assessments/{public_id}"))


def test_a_stale_rename_is_refused_and_nothing_is_overwritten(client, login_as):
    public_id = start(client)
    page = client.get(f"/assessments/{public_id}/details").text
    answer(login_as("privacy_officer"), public_id, "purpose", answer="yes")  # someone else saves meanwhile
    response = client.post(f"/assessments/{public_id}/details", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "initiative": "My new name", "description": ""})
    assert response.status_code == 409
    assert "Someone else changed this assessment" in text_of(response)
    assert 'value="My new name"' in response.text  # what they typed is still there
    assert "Client outcomes dashboard" in text_of(client.get(f"/assessments/{public_id}"))
    retried = client.post(f"/assessments/{public_id}/details", data={
        "csrf_token": csrf_token(response.text), "version": form_value(response.text, "version"),
        "initiative": "My new name", "description": ""})
    assert retried.status_code == 302  # saving again, knowingly, works


def test_deleting_a_draft_asks_first_then_removes_it(app, client):
    public_id = start(client)
    answer(client, public_id, "purpose", answer="yes", note="A note that goes too.")
    page = client.get(f"/assessments/{public_id}/delete")
    assert "Delete the draft “Client outcomes dashboard”?" in text_of(page)
    assert client.get(f"/assessments/{public_id}").status_code == 200  # asking deletes nothing
    assert client.post(f"/assessments/{public_id}/delete", data={}).status_code == 400  # no CSRF token
    response = client.post(f"/assessments/{public_id}/delete", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert "Deleted the draft “Client outcomes dashboard”." in text_of(client.get(response.location))
    assert client.get(f"/assessments/{public_id}").status_code == 404
    assert "Client outcomes dashboard" not in text_of(client.get("/assessments/"))
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="assessment_deleted")).one()
        assert event.target == f"assessment:{public_id}" and event.before["initiative"] == "Client outcomes dashboard"


def test_a_submitted_assessment_cannot_be_deleted(client):
    public_id = start(client)
    for node, value in (("purpose", "yes"), ("personal", "aggregate"), ("matching", "no"), ("views", ["service-users"])):
        answer(client, public_id, node, answer=value)
    page = client.get(f"/assessments/{public_id}").text
    assert "Delete this draft" in page
    client.post(f"/assessments/{public_id}/submit", data={"csrf_token": csrf_token(page)})
    assert "Delete this draft" not in client.get(f"/assessments/{public_id}").text
    response = client.post(f"/assessments/{public_id}/delete", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    shown = text_of(client.get(response.location))
    assert "Only a draft that has not been submitted can be deleted." in shown and "Status: Submitted" in shown
