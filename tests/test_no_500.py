"""Requests that used to end in a 500, answered in plain words instead."""

from collections import Counter

import pytest

from dpup.storage import review
from dpup.storage.db import db
from dpup.storage.models import AssessmentTree, AuditEvent
from tests.concurrency import burst, shared_app  # noqa: F401  (fixture)
from tests.conftest import login, make_people
from tests.helpers import csrf_token, submit, text_of
from tests.test_accounts import _submitted_assessment
from tests.test_flow import start


def test_a_checklist_saved_with_an_answer_that_is_not_offered_is_refused(app, login_as):
    worker = login_as("frontline")
    token = csrf_token(worker.get("/checklists/quick").get_data(as_text=True))
    response = worker.post("/checklists/quick/save", data={"csrf_token": token, "item-know-why": "maybe"})
    assert response.status_code == 400 and "Choose one of the answers shown." in text_of(response)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="checklist_saved").count() == 0


def test_a_page_number_beyond_any_list_is_not_found(app, login_as):
    officer = login_as("privacy_officer")
    assert officer.get("/assessments/?page=99999999999999999999").status_code == 404
    assert officer.get("/assessments/?page=2").status_code == 200  # an empty page, as before


def test_the_same_tree_sent_twice_is_assessed_once(app, login_as):
    officer = login_as("privacy_officer")
    response = submit(officer, "/assessments/new", {"initiative": "Twice", "trees": ["journey", "journey"]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(AssessmentTree).filter_by(tree_id="journey").count() == 1


@pytest.fixture
def changes_collide(monkeypatch):
    """Make two requests that change an assessment both load it before either saves: the moment two
    people press their buttons together."""
    import threading

    meet = threading.Barrier(2, timeout=30)
    commit = review.commit_change  # where every change to an assessment commits

    def together(assessment):
        meet.wait()
        commit(assessment)

    return lambda: monkeypatch.setattr(review, "commit_change", together)  # armed for the next two saves


def _two_at_once(app, clients, url, data):
    def prepare(i):
        return csrf_token(clients[i].get(url.rsplit("/", 1)[0]).get_data(as_text=True))

    return burst(2, prepare, lambda i, token: clients[i].post(url, data={"csrf_token": token, **data[i]}))


def test_two_reviewers_deciding_at_once_get_one_decision_and_no_error(shared_app, changes_collide):
    people = make_people(shared_app, "Trust", "own")
    officer = login(shared_app.test_client(), people["privacy_officer"])
    reviewers = [login(shared_app.test_client(), people["privacy_officer"]) for _ in range(2)]
    public_id = _submitted_assessment(officer)
    changes_collide()
    responses = _two_at_once(shared_app, reviewers, f"/assessments/{public_id}/review",
                             [{"decision": "approve", "comment": ""},
                              {"decision": "changes", "comment": "Add the funder."}])
    assert Counter(r.status_code for r in responses) == {302: 1, 409: 1}
    lost = next(r for r in responses if r.status_code == 409)
    assert "Someone else changed this assessment at the same moment" in text_of(lost)
    with shared_app.app_context():
        decisions = db.session.query(AuditEvent).filter_by(action="status_changed").count()
        assert decisions == 2  # the submission and exactly one decision


def test_two_people_submitting_at_once_get_no_error(shared_app, changes_collide):
    from tests.test_flow import answer

    people = make_people(shared_app, "Trust", "own")
    officers = [login(shared_app.test_client(), people["privacy_officer"]) for _ in range(2)]
    public_id = start(officers[0])
    for node, value in (("purpose", "yes"), ("personal", "aggregate"), ("matching", "no"),
                        ("views", ["service-users"])):
        answer(officers[0], public_id, node, answer=value)
    changes_collide()
    responses = _two_at_once(shared_app, officers, f"/assessments/{public_id}/submit", [{}, {}])
    assert Counter(r.status_code for r in responses) == {302: 1, 409: 1}
