"""Logging in as an attacker would try it: redirects off the site, telling known accounts from
unknown ones, guessing the current password of a logged-in session, and time-outs."""

import re

from dpup.storage.db import db
from dpup.storage.models import AuditEvent
from tests.conftest import PASSWORD
from tests.helpers import csrf_token, submit, text_of

# Each must land on this site: after the tab or line break is dropped, or the backslash read as a
# slash, several of these would otherwise leave it.
OFF_SITE = [
    "//evil.example/phish", "/\t/evil.example/phish", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "https://evil.example", "http:evil.example",
    "http:/evil.example", "///evil.example", " //evil.example", "/ /evil.example", "//\tevil.example",
    "javascript:alert(1)", "\x00//evil.example", "/\x00/evil.example", "//evil.example@x",
    "/\u3000/evil.example", "/\u2028/evil.example", "//evil%2Eexample", "evil.example",
]


def test_login_never_redirects_off_site(app, people):
    landed = {}
    for target in OFF_SITE:  # (one app for the whole list: each login is a fresh client)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        response = client.post("/login", query_string={"next": target},
                               data={"csrf_token": csrf_token(page), "email": people["own"]["frontline"],
                                     "password": PASSWORD})
        landed[target] = (response.status_code, response.headers.get("Location"))
    assert landed == {target: (302, "/") for target in OFF_SITE}


def test_login_still_returns_to_a_page_on_this_site(app, people):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", query_string={"next": "/checklists/consent?x=1"},
                           data={"csrf_token": csrf_token(page), "email": people["own"]["frontline"],
                                 "password": PASSWORD})
    assert response.headers["Location"] == "/checklists/consent?x=1"


def _attempt(client, email, password):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})


def test_an_unknown_email_is_answered_exactly_like_a_known_one_even_when_throttled(app, people):
    answers = {}
    for email in (people["own"]["board"], "nobody@own.example"):
        client = app.test_client()
        answers[email] = [(r.status_code, text_of(r)) for r in (_attempt(client, email, f"wrong {n}")
                                                                for n in range(7))]
    known, unknown = answers.values()
    assert known == unknown
    assert [status for status, _ in known] == [400] * 5 + [429] * 2


def test_the_current_password_check_is_throttled_and_audited(app, login_as, people):
    officer = login_as("privacy_officer")
    new = "a brand new passphrase"
    statuses = [submit(officer, "/account/password", {"current_password": f"guess {n}", "password": new,
                                                      "confirm": new}).status_code for n in range(7)]
    assert statuses == [400] * 5 + [429] * 2
    right = submit(officer, "/account/password", {"current_password": PASSWORD, "password": new, "confirm": new})
    assert right.status_code == 429 and "Too many attempts" in text_of(right)  # no sixth check, even a right one
    with app.app_context():
        failures = db.session.query(AuditEvent).filter_by(action="password_change_failed").all()
        assert len(failures) == 5 and failures[0].actor == people["own"]["privacy_officer"]
    # One budget of guesses per account: logging in is locked too, for now.
    assert _attempt(app.test_client(), people["own"]["privacy_officer"], PASSWORD).status_code == 429


def test_an_idle_time_out_ends_only_the_idle_session(app, login_as):
    laptop, phone = login_as("privacy_officer"), login_as("privacy_officer")
    with laptop.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    assert laptop.get("/assessments/").status_code == 302
    assert phone.get("/assessments/").status_code == 200  # the phone was in use: it stays logged in


def test_logging_out_still_ends_every_session(app, login_as):
    laptop, phone = login_as("privacy_officer"), login_as("privacy_officer")
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop.get("/").get_data(as_text=True))})
    assert phone.get("/assessments/").status_code == 302


def test_pages_with_private_data_or_one_time_links_are_never_cached(app, login_as, people):
    admin = login_as("administrator")
    response = submit(admin, "/admin/users", {"name": "Hemi", "email": "hemi@own.example", "role": "board"})
    invite = re.search(r'<code class="invite-link">http://localhost([^<]+)</code>', response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"
    for page in ("/admin/users", "/admin/audit.csv", "/admin/settings", "/account/password", "/"):
        assert admin.get(page).headers["Cache-Control"] == "no-store", page
    assert app.test_client().get(invite.group(1)).headers["Cache-Control"] == "no-store"
    assert "no-store" not in admin.get("/static/dpup.css").headers.get("Cache-Control", "")
