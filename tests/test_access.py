"""Who may do what: every route × every role × own organisation / another organisation.

The matrix must list every route the app has: a new route that is not listed here fails the test,
so nobody can add a page without deciding who may see it.
"""

import re

import pytest

from dpup.storage import assessments as store
from dpup.storage import maturity as maturity_store
from dpup.storage.db import db
from dpup.storage.models import Assessment, Status, User
from tests.conftest import login
from tests.helpers import csrf_token

ROLES = ("anonymous", "administrator", "privacy_officer", "frontline", "board")
A, PO, ADMIN, FRONT, BOARD = "anonymous", "privacy_officer", "administrator", "frontline", "board"


def expect(default, **overrides):
    return {role: overrides.get(role, default) for role in ROLES}


LOGIN = 302  # anonymous people are sent to the login page
# (endpoint, method, url template, expected status per role). {own}/{other} are assessments.
MATRIX = [
    ("main.home", "GET", "/", expect(200)),
    ("main.page", "GET", "/pages/topics/why", expect(200)),
    ("navigator.start", "GET", "/start", expect(404)),  # the test knowledge base has no navigator tree
    ("trees.show", "GET", "/trees/journey", expect(200)),
    ("trees.coverage_page", "GET", "/trees/coverage", expect(200)),
    ("health.healthz", "GET", "/healthz", expect(200)),
    ("auth.login", "GET", "/login", expect(200)),
    ("auth.first_run", "GET", "/setup", expect(404)),  # only while nobody has an account
    ("auth.accept_invite", "GET", "/invite/not-a-token", expect(404)),
    ("auth.change_password", "GET", "/account/password", expect(200, anonymous=LOGIN)),
    ("auth.logout", "POST", "/logout", expect(302)),
    ("admin.users", "GET", "/admin/users", expect(403, anonymous=LOGIN, administrator=200)),
    ("admin.user", "GET", "/admin/users/{own_officer}", expect(403, anonymous=LOGIN, administrator=200)),
    ("admin.user", "GET", "/admin/users/{other_officer}", expect(403, anonymous=LOGIN, administrator=404)),
    ("admin.reset_user_password", "POST", "/admin/users/{own_officer}/reset-password",
     expect(403, anonymous=LOGIN, administrator=302)),
    ("admin.reset_user_password", "POST", "/admin/users/{other_officer}/reset-password",
     expect(403, anonymous=LOGIN, administrator=404)),
    ("admin.settings", "GET", "/admin/settings", expect(403, anonymous=LOGIN, administrator=200)),
    ("admin.audit_csv", "GET", "/admin/audit.csv", expect(403, anonymous=LOGIN, administrator=200)),
    ("assessments.index", "GET", "/assessments/", expect(200, anonymous=LOGIN, frontline=403)),
    ("assessments.new", "GET", "/assessments/new", expect(403, anonymous=LOGIN, privacy_officer=200)),
    ("assessments.show", "GET", "/assessments/{own}", expect(403, anonymous=LOGIN, administrator=200,
                                                               privacy_officer=200)),
    ("assessments.show", "GET", "/assessments/{other}", expect(403, anonymous=LOGIN, administrator=404,
                                                                 privacy_officer=404)),
    ("assessments.tree", "GET", "/assessments/{own}/trees/journey",
     expect(403, anonymous=LOGIN, administrator=302, privacy_officer=302)),
    ("assessments.tree", "GET", "/assessments/{other}/trees/journey",
     expect(403, anonymous=LOGIN, administrator=404, privacy_officer=404)),
    ("assessments.question", "GET", "/assessments/{own}/trees/journey/questions/purpose",
     expect(403, anonymous=LOGIN, privacy_officer=200)),
    ("assessments.question", "GET", "/assessments/{other}/trees/journey/questions/purpose",
     expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("assessments.summary", "GET", "/assessments/{own}/trees/journey/summary",
     expect(403, anonymous=LOGIN, administrator=200, privacy_officer=200)),
    ("assessments.summary", "GET", "/assessments/{other}/trees/journey/summary",
     expect(403, anonymous=LOGIN, administrator=404, privacy_officer=404)),
    ("assessments.details", "GET", "/assessments/{own}/details", expect(403, anonymous=LOGIN, privacy_officer=200)),
    ("assessments.details", "GET", "/assessments/{other}/details", expect(403, anonymous=LOGIN, privacy_officer=404)),
    # (the test library has no "About this work" profile, so no assessment of it has a pre-screen: 404)
    ("scope.choose", "GET", "/assessments/{own}/trees", expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("scope.choose", "GET", "/assessments/{other}/trees", expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("assessments.delete", "GET", "/assessments/{own}/delete", expect(403, anonymous=LOGIN, privacy_officer=200)),
    ("assessments.delete", "GET", "/assessments/{other}/delete", expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("assessments.submit", "POST", "/assessments/{other}/submit", expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("assessments.review", "POST", "/assessments/{other}/review", expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("assessments.new_version", "POST", "/assessments/{other_approved}/new-version",
     expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("checklists.show", "GET", "/checklists/quick", expect(200, anonymous=LOGIN, board=403)),
    ("checklists.save", "POST", "/checklists/quick/save", expect(302, anonymous=LOGIN, board=403)),
    ("checklists.results", "GET", "/checklists/results", expect(200, anonymous=LOGIN, board=403)),
    ("checklists.open_show", "GET", "/o/{own_org}/checklists/quick", expect(404)),  # not shared by default
]
MATRIX += [
    ("actions.register", "GET", "/actions", expect(403, anonymous=LOGIN, administrator=200, privacy_officer=200)),
    ("actions.register_csv", "GET", "/actions.csv", expect(403, anonymous=LOGIN, administrator=200,
                                                            privacy_officer=200)),
    ("actions.plan", "GET", "/assessments/{own}/actions", expect(403, anonymous=LOGIN, administrator=200,
                                                                 privacy_officer=200)),
    ("actions.plan", "GET", "/assessments/{other}/actions", expect(403, anonymous=LOGIN, administrator=404,
                                                                   privacy_officer=404)),
    ("actions.edit", "GET", "/assessments/{own}/actions/no-such-action",
     expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("actions.brief_words", "GET", "/assessments/{own}/brief-words", expect(403, anonymous=LOGIN, privacy_officer=200)),
    ("actions.brief_words", "GET", "/assessments/{other}/brief-words",
     expect(403, anonymous=LOGIN, privacy_officer=404)),
]
MATRIX += [
    ("documents.index", "GET", "/assessments/{own}/documents", expect(200, anonymous=LOGIN, frontline=403, board=404)),
    ("documents.index", "GET", "/assessments/{own_approved}/documents", expect(200, anonymous=LOGIN, frontline=403)),
    ("documents.index", "GET", "/assessments/{other}/documents", expect(404, anonymous=LOGIN, frontline=403)),
    # Not drafted yet: the board reads drafts only, and only of approved assessments.
    ("documents.show", "GET", "/assessments/{own}/documents/notice",
     expect(200, anonymous=LOGIN, frontline=403, board=404)),
    ("documents.show", "GET", "/assessments/{own_approved}/documents/notice",
     expect(200, anonymous=LOGIN, frontline=403, board=404)),
    ("documents.show", "GET", "/assessments/{own}/documents/no-such-document",
     expect(404, anonymous=LOGIN, frontline=403, board=404)),
    ("documents.show", "GET", "/assessments/{other}/documents/notice", expect(404, anonymous=LOGIN, frontline=403)),
    ("documents.make", "POST", "/assessments/{other}/documents/notice/draft",
     expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("documents.edit", "GET", "/assessments/{own}/documents/notice/edit",  # not drafted: nothing to edit
     expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("documents.edit", "GET", "/assessments/{other}/documents/notice/edit",
     expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("documents.download", "GET", "/assessments/{own}/documents/notice.pdf",
     expect(404, anonymous=LOGIN, frontline=403)),
    ("documents.download", "GET", "/assessments/{other_approved}/documents/notice.docx",
     expect(404, anonymous=LOGIN, frontline=403)),
]
for endpoint, suffix in (("assessments.report", ""), ("reports.markdown", ".md"), ("reports.pdf", ".pdf"),
                         ("reports.word", ".docx"), ("reports.brief", "/../brief"), ("reports.brief_file", ".brief.pdf")):
    suffix = {"/../brief": "", ".brief.pdf": ""}.get(suffix, suffix)
    path = {"reports.brief": "brief", "reports.brief_file": "brief.pdf"}.get(endpoint, f"report{suffix}")
    MATRIX += [
        (endpoint, "GET", f"/assessments/{{own}}/{path}",
         expect(200, anonymous=LOGIN, frontline=403, board=404)),  # a draft: not for the board
        (endpoint, "GET", f"/assessments/{{own_approved}}/{path}", expect(200, anonymous=LOGIN, frontline=403)),
        (endpoint, "GET", f"/assessments/{{other_approved}}/{path}",
         expect(404, anonymous=LOGIN, frontline=403)),
    ]
# The organisation's DPUP self-assessment. {own_sa}/{other_sa} are drafts, {..._sa_approved} signed off.
EDITS = dict(anonymous=LOGIN, administrator=200, privacy_officer=200)  # maturity.edit: either may rate it
MATRIX += [
    ("maturity.index", "GET", "/maturity/", expect(200, anonymous=LOGIN, frontline=403)),
    ("maturity.new", "POST", "/maturity/new", expect(403, anonymous=LOGIN, administrator=400, privacy_officer=400)),
    ("maturity.show", "GET", "/maturity/{own_sa}", expect(403, **EDITS)),
    ("maturity.show", "GET", "/maturity/{other_sa}", expect(403, anonymous=LOGIN, administrator=404,
                                                            privacy_officer=404)),
    ("maturity.rate", "GET", "/maturity/{own_sa}/criteria/frontline", expect(403, **EDITS)),
    ("maturity.rate", "GET", "/maturity/{other_sa}/criteria/frontline",
     expect(403, anonymous=LOGIN, administrator=404, privacy_officer=404)),
    ("maturity.submit", "POST", "/maturity/{other_sa}/submit",
     expect(403, anonymous=LOGIN, administrator=404, privacy_officer=404)),
    ("maturity.review", "POST", "/maturity/{other_sa}/review", expect(403, anonymous=LOGIN, privacy_officer=404)),
    ("maturity.make_actions", "POST", "/maturity/{other_sa}/actions",
     expect(403, anonymous=LOGIN, administrator=404, privacy_officer=404)),
    ("maturity.edit_action", "GET", "/maturity/{own_sa}/actions/no-such-action",
     expect(403, anonymous=LOGIN, administrator=404, privacy_officer=404)),
    ("maturity.next_year", "POST", "/maturity/{other_sa_approved}/next-year",
     expect(403, anonymous=LOGIN, administrator=404, privacy_officer=404)),
]
for endpoint, path in (("maturity.report", "report"), ("maturity.download", "brief.pdf"),
                       ("maturity.download", "report.docx")):
    MATRIX += [
        (endpoint, "GET", f"/maturity/{{own_sa}}/{path}", expect(200, anonymous=LOGIN, frontline=403, board=404)),
        (endpoint, "GET", f"/maturity/{{own_sa_approved}}/{path}", expect(200, anonymous=LOGIN, frontline=403)),
        (endpoint, "GET", f"/maturity/{{other_sa_approved}}/{path}", expect(404, anonymous=LOGIN, frontline=403)),
    ]


@pytest.fixture
def world(app, people, login_as):
    """In each organisation: a draft and an approved assessment, made by its privacy officer."""
    ids = {"own_org": people["own"]["organisation"]}
    for org in ("own", "other"):
        with app.app_context():
            officer = db.session.query(User).filter_by(email=people[org]["privacy_officer"]).one()
            library = app.extensions["dpup.library"]
            draft = store.start_assessment(library, officer, f"Draft {org}", "", ["journey"])
            approved = store.start_assessment(library, officer, f"Approved {org}", "", ["journey"])
            approved.status = Status.APPROVED
            db.session.commit()
            ids[org] = draft.public_id
            ids[f"{org}_approved"] = approved.public_id
            ids[f"{org}_officer"] = officer.public_id
            sa_draft = maturity_store.start(library.maturity, officer, 2026)
            sa_approved = maturity_store.start(library.maturity, officer, 2025)
            sa_approved.status = Status.APPROVED
            db.session.commit()
            ids[f"{org}_sa"], ids[f"{org}_sa_approved"] = sa_draft.public_id, sa_approved.public_id
    return ids


def client_for(app, people, role):
    client = app.test_client()
    return client if role == A else login(client, people["own"][role])


def test_every_route_is_in_the_matrix(app):
    routes = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    listed = {endpoint for endpoint, *_ in MATRIX}
    assert routes - listed == set(), "add these routes to the access-control matrix"
    assert listed - routes == set(), "the matrix lists routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, people, world, role):
    client = client_for(app, people, role)
    token = csrf_token(client.get("/login").get_data(as_text=True))
    failures = []
    for endpoint, method, template, expected in MATRIX:
        if endpoint == "auth.logout":
            continue  # it ends the session: tested on its own below
        url = template.format(**world)
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        if response.status_code != expected[role]:
            failures.append(f"{method} {url} ({endpoint}): expected {expected[role]}, got {response.status_code}")
    assert failures == []


def test_logout_is_open_to_everyone(app, people):
    for role in ROLES:
        client = client_for(app, people, role)
        token = csrf_token(client.get("/login").get_data(as_text=True))
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_posted_fields_cannot_set_organisation_owner_status_or_version(app, people, world, client):
    from tests.helpers import submit

    response = submit(client, "/assessments/new", {
        "initiative": "Sneaky", "trees": ["journey"], "organisation_id": "999", "organisation": "Other Trust",
        "status": "approved", "created_by_id": "1", "version": "50", "public_id": "chosen-id", "role": "administrator",
    })
    public_id = re.match(r"/assessments/([\w-]+)/", response.location).group(1)
    assert public_id != "chosen-id"
    submit(client, f"/assessments/{public_id}/trees/journey/questions/purpose",
           {"answer": "yes", "status": "approved", "organisation_id": "999"})
    with app.app_context():
        assessment = db.session.query(Assessment).filter_by(public_id=public_id).one()
        assert assessment.organisation.name == "Te Whare Tiaki Trust"
        assert assessment.status == Status.DRAFT and assessment.created_by.email == people["own"]["privacy_officer"]
        officer = db.session.query(User).filter_by(email=people["own"]["privacy_officer"]).one()
        assert officer.role == "privacy_officer"
