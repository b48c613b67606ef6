"""Accounts and security: first run, invitations, passwords, sessions that end, rate limits,
the review workflow and the audit trail."""

import csv
import io
import re

from dpup.security.passwords import password_problems
from dpup.storage.db import db
from dpup.storage.models import AuditEvent, User
from tests.conftest import PASSWORD, login, login_refused
from tests.helpers import csrf_token, submit, text_of


def events(app, action=None):
    with app.app_context():
        query = db.session.query(AuditEvent).order_by(AuditEvent.id)
        return [(e.actor, e.action, e.target, e.before, e.after) for e in query
                if action is None or e.action == action]


def test_fresh_install_shows_first_run_and_creates_organisation_and_administrator(app, anon):
    assert anon.get("/login").location.endswith("/setup")
    response = submit(anon, "/setup", {"organisation": "Kāinga Trust", "name": "Mere Smith",
                                       "email": "Mere@Kainga.example", "password": "password",
                                       "confirm": "password"})
    assert response.status_code == 400 and "one of the most common" in text_of(response)
    response = submit(anon, "/setup", {"organisation": "Kāinga Trust", "name": "Mere Smith",
                                       "email": "Mere@Kainga.example", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert "Mere Smith · Administrator, Kāinga Trust" in text_of(anon.get("/admin/users"))
    assert anon.get("/setup").status_code == 404  # only once
    with app.app_context():
        user = db.session.query(User).one()
        assert user.email == "mere@kainga.example" and PASSWORD not in user.password_hash
        assert user.password_hash.startswith("$argon2id$")


def test_password_rules():
    assert password_problems("short") and "at least 8" in password_problems("short")[0]
    assert password_problems("qwertyuiop")  # common
    assert password_problems("aroha.smith.2027", "aroha@example.org", "Aroha Smith")  # contains own name
    assert password_problems("x" * 129)
    assert password_problems("tūī sing at dawn") == []  # any characters, no composition rules
    assert password_problems("a" * 64 + "b") == []  # long passwords are fine


def test_invitation_lets_a_person_choose_their_own_password_once(app, login_as, people):
    admin = login_as("administrator")
    response = submit(admin, "/admin/users", {"name": "Hemi Board", "email": "hemi@own.example", "role": "board"})
    link = re.search(r'<code class="invite-link">(http[^<]+)</code>', response.get_data(as_text=True)).group(1)
    path = link.split("localhost", 1)[1]
    newcomer = app.test_client()
    submit(newcomer, path, {"password": PASSWORD, "confirm": PASSWORD})
    assert "Hemi Board · Board viewer" in text_of(newcomer.get("/"))
    used = app.test_client().get(path)
    assert used.status_code == 410 and "already been used" in text_of(used) and "log in" in text_of(used)
    assert ("administrator@own.example", "user_invited") in [e[:2] for e in events(app)]


def test_an_administrator_resets_a_forgotten_password_with_a_one_time_link(app, login_as, people):
    officer, admin = login_as("privacy_officer"), login_as("administrator")
    with app.app_context():
        officer_id = db.session.scalar(db.select(User.public_id).filter_by(email=people["own"]["privacy_officer"]))
    page = admin.get(f"/admin/users/{officer_id}").get_data(as_text=True)
    assert "Reset their password" in page
    response = admin.post(f"/admin/users/{officer_id}/reset-password", data={"csrf_token": csrf_token(page)},
                          follow_redirects=True)
    shown = response.get_data(as_text=True)
    assert "password no longer works" in text_of(response) and "choose a new password" in text_of(response)
    path = re.search(r'<code class="invite-link">(http[^<]+)</code>', shown).group(1).split("localhost", 1)[1]

    assert officer.get("/assessments/").status_code == 302  # logged out everywhere
    assert login_refused(app.test_client(), people["own"]["privacy_officer"])  # the old password no longer works

    person = app.test_client()
    assert "Your administrator has reset your password" in text_of(person.get(path))
    new_password = "kōwhai flowers in spring"
    submit(person, path, {"password": new_password, "confirm": new_password})
    assert "Privacy Officer own · Privacy officer" in text_of(person.get("/"))
    assert app.test_client().get(path).status_code == 410  # used up
    login(app.test_client(), people["own"]["privacy_officer"], new_password)
    actions = [e[1] for e in events(app) if e[2] == f"user:{officer_id}"]
    assert "password_reset" in actions and "password_reset_completed" in actions


def test_administrators_cannot_reset_their_own_password_that_way(app, login_as, people):
    admin = login_as("administrator")
    with app.app_context():
        admin_id = db.session.scalar(db.select(User.public_id).filter_by(email=people["own"]["administrator"]))
    page = admin.get(f"/admin/users/{admin_id}").get_data(as_text=True)
    assert "Reset their password" not in page
    response = admin.post(f"/admin/users/{admin_id}/reset-password", data={"csrf_token": csrf_token(page)},
                          follow_redirects=True)
    assert "To change your own password, use Change password." in text_of(response)
    assert admin.get("/assessments/").status_code == 200  # still logged in, password unchanged


def test_wrong_password_is_refused_with_the_same_message_for_unknown_emails(app, anon, people):
    for email in (people["own"]["frontline"], "nobody@nowhere.example"):
        page = anon.get("/login").get_data(as_text=True)
        response = anon.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": "wrong one!"})
        assert response.status_code == 400
        assert "The email address or password is not right." in text_of(response)
    assert [e[0] for e in events(app, "login_failed")] == [people["own"]["frontline"], "nobody@nowhere.example"]


def test_logout_really_ends_the_session_even_for_a_copied_cookie(app, login_as):
    client = login_as("privacy_officer")
    copied = client.get_cookie("session").value
    assert client.get("/assessments/").status_code == 200
    token = csrf_token(client.get("/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/assessments/")
    assert response.status_code == 302 and "/login" in response.location


def test_password_change_ends_other_sessions(app, login_as, people):
    laptop, phone = login_as("privacy_officer"), login_as("privacy_officer")
    new = "a different long passphrase"
    response = submit(laptop, "/account/password", {"current_password": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert laptop.get("/assessments/").status_code == 200  # the one that changed it stays in
    assert phone.get("/assessments/").status_code == 302  # every other session is out
    login(app.test_client(), people["own"]["privacy_officer"], new)


def test_login_gives_a_new_session(app, anon, people):
    anon.get("/login")
    before = anon.get_cookie("session").value
    login(anon, people["own"]["board"])
    assert anon.get_cookie("session").value != before


def test_idle_session_times_out(app, login_as):
    client = login_as("privacy_officer")
    with client.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    response = client.get("/assessments/")
    assert response.status_code == 302 and "/login" in response.location


def test_activity_keeps_a_session_alive(app, login_as):
    client = login_as("privacy_officer")
    with client.session_transaction() as session:
        session["seen_at"] -= 29 * 60
    assert client.get("/assessments/").status_code == 200  # the idle clock restarts here
    with client.session_transaction() as session:
        session["seen_at"] -= 2 * 60  # 31 minutes after the first request, 2 after the last
    assert client.get("/assessments/").status_code == 200


def test_absolute_session_limit(app, login_as):
    client = login_as("privacy_officer")
    with client.session_transaction() as session:
        session["login_at"] -= 13 * 3600
    assert client.get("/assessments/").status_code == 302


def test_account_is_locked_after_repeated_failures_and_answered_429(app, anon, people):
    email = people["own"]["board"]
    for _ in range(5):
        page = anon.get("/login").get_data(as_text=True)
        anon.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": "not it at all"})
    page = anon.get("/login").get_data(as_text=True)
    locked = anon.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": PASSWORD})
    assert locked.status_code == 429 and "Too many attempts" in text_of(locked)
    assert events(app, "login_refused_rate_limit")


def test_too_many_failures_from_one_address_are_answered_429(app, anon, people):
    for i in range(20):
        page = anon.get("/login").get_data(as_text=True)
        anon.post("/login", data={"csrf_token": csrf_token(page), "email": f"guess{i}@x.example", "password": "nope nope"})
    page = anon.get("/login").get_data(as_text=True)
    response = anon.post("/login", data={"csrf_token": csrf_token(page), "email": people["own"]["frontline"],
                                         "password": PASSWORD})
    assert response.status_code == 429


def test_login_without_csrf_token_is_rejected(anon, people):
    response = anon.post("/login", data={"email": people["own"]["frontline"], "password": PASSWORD})
    assert response.status_code == 400
    wrong = anon.post("/login", data={"csrf_token": "forged", "email": people["own"]["frontline"],
                                      "password": PASSWORD})
    assert wrong.status_code == 400


def test_login_does_not_redirect_off_site(anon, people):
    page = anon.get("/login").get_data(as_text=True)
    response = anon.post("/login?next=//evil.example/x", data={"csrf_token": csrf_token(page),
                                                                 "email": people["own"]["frontline"],
                                                                 "password": PASSWORD})
    assert response.location == "/"


def test_review_workflow_and_audit_trail(app, login_as, people):
    from tests.test_flow import answer, start

    officer, reviewer, board = login_as("privacy_officer"), login_as("privacy_officer"), login_as("board")
    public_id = start(officer)
    answer(officer, public_id, "purpose", answer="yes")
    answer(officer, public_id, "personal", answer="aggregate")
    answer(officer, public_id, "matching", answer="no")
    page = officer.get(f"/assessments/{public_id}").get_data(as_text=True)
    officer.post(f"/assessments/{public_id}/submit", data={"csrf_token": csrf_token(page)})
    assert "Finish every part" in text_of(officer.get(f"/assessments/{public_id}"))
    answer(officer, public_id, "views", answer=["service-users"])
    page = officer.get(f"/assessments/{public_id}").get_data(as_text=True)
    officer.post(f"/assessments/{public_id}/submit", data={"csrf_token": csrf_token(page)})
    assert "Status: Submitted for review" in text_of(officer.get(f"/assessments/{public_id}"))
    # Read-only while submitted.
    assert officer.get(f"/assessments/{public_id}/trees/journey/questions/purpose").status_code == 302

    page = reviewer.get(f"/assessments/{public_id}").get_data(as_text=True)
    response = reviewer.post(f"/assessments/{public_id}/review",
                             data={"csrf_token": csrf_token(page), "decision": "changes", "comment": ""})
    assert response.status_code == 400 and "Say what needs to change." in text_of(response)
    reviewer.post(f"/assessments/{public_id}/review",
                  data={"csrf_token": csrf_token(page), "decision": "changes", "comment": "Add the funder's views."})
    assert "Add the funder's views." in text_of(officer.get(f"/assessments/{public_id}"))
    assert board.get(f"/assessments/{public_id}/report").status_code == 404

    answer(officer, public_id, "views", answer=["service-users", "whanau"], note="Funder asked too.")
    page = officer.get(f"/assessments/{public_id}").get_data(as_text=True)
    officer.post(f"/assessments/{public_id}/submit", data={"csrf_token": csrf_token(page)})
    page = reviewer.get(f"/assessments/{public_id}").get_data(as_text=True)
    reviewer.post(f"/assessments/{public_id}/review",
                  data={"csrf_token": csrf_token(page), "decision": "approve", "comment": "Well done."})
    shown = text_of(officer.get(f"/assessments/{public_id}"))
    assert "Status: Approved" in shown and "signed off by Privacy Officer own (Privacy officer)" in shown
    assert board.get(f"/assessments/{public_id}/report").status_code == 200
    assert "Client outcomes dashboard" in text_of(board.get("/assessments/"))

    # A new version is a copy; the approved one stays readable and unchanged.
    page = officer.get(f"/assessments/{public_id}").get_data(as_text=True)
    copy = officer.post(f"/assessments/{public_id}/new-version", data={"csrf_token": csrf_token(page)})
    copy_id = copy.location.rsplit("/", 1)[1]
    assert copy_id != public_id
    answer(officer, copy_id, "purpose", answer="no")
    assert "Status: Approved" in text_of(officer.get(f"/assessments/{public_id}"))
    assert "Yes" in text_of(board.get(f"/assessments/{public_id}/report"))

    history = text_of(officer.get(f"/assessments/{public_id}"))
    assert "answer changed: Whose views did you seek? → Service users, Whānau (was Service users)" in history
    assert "status changed: changes requested (“Add the funder's views.”)" in history
    actions = [e[1] for e in events(app) if e[2] == f"assessment:{public_id}"]
    for action in ("assessment_created", "answer_changed", "status_changed"):
        assert action in actions
    changed = [e for e in events(app, "answer_changed") if e[4]["node"] == "views" and e[3]]
    assert changed[0][3]["value"] == ["service-users"] and changed[0][4]["value"] == ["service-users", "whanau"]


def test_report_exports_and_logins_are_audited(app, login_as):
    from tests.test_flow import start

    officer = login_as("privacy_officer")
    public_id = start(officer)
    officer.get(f"/assessments/{public_id}/report.md")
    officer.get(f"/assessments/{public_id}/brief.docx")
    # Which document left dpup, the full record or the board brief, and in which format.
    assert [e[4] for e in events(app, "report_exported")] == [{"format": "md", "document": "record"},
                                                             {"format": "docx", "document": "brief"}]
    assert events(app, "login")


def test_audit_csv_for_administrators_keeps_each_event_on_one_line(app, login_as, people):
    from tests.test_flow import answer, start

    admin, officer = login_as("administrator"), login_as("privacy_officer")
    evil = "fine\r\n2026-01-01T00:00:00,admin@own.example,login,,,\n=HYPERLINK(\"http://x\")"
    public_id = start(officer)
    answer(officer, public_id, "purpose", answer="yes", note=evil)
    body = admin.get("/admin/audit.csv").get_data(as_text=True)
    assert body.count("\r\n") == len(events(app)) - 1 + 1  # header + one line per event (the export is logged after)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["when (New Zealand time)", "who", "action", "target", "before", "after"]
    changed = [r for r in rows if r[2] == "answer_changed"]
    assert len(changed) == 1 and "\\r\\n" in changed[0][5]  # the note's line break, escaped inside the JSON
    assert all(len(r) == 6 for r in rows)
    other = [r for r in rows if "other.example" in r[1]]
    assert other == []  # only this organisation's events


def test_security_headers(anon):
    response = anon.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_errors_show_no_traceback(app, anon):
    @app.get("/boom")
    def boom():
        raise RuntimeError("SELECT secret FROM users")

    response = anon.get("/boom")
    assert response.status_code == 500
    assert "SELECT" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)


def test_home_page_offers_set_up_on_a_fresh_install(app, anon):
    assert "Set up dpup" in text_of(anon.get("/"))


def _many_assessments(app, people, name: str, count: int, status: str) -> None:
    """``count`` assessments named "<name> 00", "<name> 01"..., started by the privacy officer, in ``status``."""
    from dpup.storage import assessments as store

    with app.app_context():
        officer = db.session.query(User).filter_by(email=people["own"]["privacy_officer"]).one()
        for i in range(count):
            store.start_assessment(app.extensions["dpup.library"], officer, f"{name} {i:02d}", "", ["journey"]).status = status
        db.session.commit()


def test_board_viewers_list_links_to_reports_and_the_list_is_paginated(app, login_as, people):
    _many_assessments(app, people, "Initiative", 55, "approved")
    board = login_as("board")
    first = board.get("/assessments/").get_data(as_text=True)
    assert first.count("/report\">Initiative") == 50 and "Page 1" in first and "?page=2" in first
    second = text_of(board.get("/assessments/?page=2"))
    assert "Initiative 00" in second and "Initiative 54" not in second  # newest first


def test_production_hashing_uses_strong_argon2id_parameters():
    from argon2 import PasswordHasher

    from dpup.security import passwords

    assert passwords.DUMMY_HASH.startswith("$argon2id$")  # made with the production hasher at import
    params = PasswordHasher().check_needs_rehash  # the library's defaults are the RFC 9106 low-memory profile
    assert not params(passwords.DUMMY_HASH)


def test_behind_a_trusted_proxy_the_login_limit_counts_the_real_client(tmp_path):
    from tests.conftest import TEST_CONTENT, TEST_TREES, make_app, make_people

    app = make_app(tmp_path, TREES_DIR=str(TEST_TREES), CONTENT_DIR=str(TEST_CONTENT), TRUSTED_PROXIES=1)
    make_people(app, "Trust", "own")
    client = app.test_client()
    for i in range(20):
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"csrf_token": csrf_token(page), "email": f"g{i}@x.example", "password": "nope nope"},
                    headers={"X-Forwarded-For": "203.0.113.9"})
    page = client.get("/login").get_data(as_text=True)
    other_client = client.post("/login", data={"csrf_token": csrf_token(page), "email": "frontline@own.example",
                                               "password": PASSWORD}, headers={"X-Forwarded-For": "203.0.113.10"})
    assert other_client.status_code == 302  # a different client behind the same load balancer gets in


def _submitted_assessment(officer) -> str:
    from tests.test_flow import answer, start

    public_id = start(officer)
    for node, value in (("purpose", "yes"), ("personal", "aggregate"), ("matching", "no"), ("views", ["service-users"])):
        answer(officer, public_id, node, answer=value)
    page = officer.get(f"/assessments/{public_id}").get_data(as_text=True)
    officer.post(f"/assessments/{public_id}/submit", data={"csrf_token": csrf_token(page)})
    return public_id


def _review(client, public_id, decision, comment=""):
    page = client.get(f"/assessments/{public_id}").get_data(as_text=True)
    return client.post(f"/assessments/{public_id}/review",
                       data={"csrf_token": csrf_token(page), "decision": decision, "comment": comment})


def test_without_two_person_review_the_submitter_may_approve(app, login_as):
    officer = login_as("privacy_officer")
    public_id = _submitted_assessment(officer)
    assert "Submitted by Privacy Officer own." in text_of(officer.get(f"/assessments/{public_id}"))
    assert _review(officer, public_id, "approve").status_code == 302
    assert "Status: Approved" in text_of(officer.get(f"/assessments/{public_id}"))


def test_two_person_review_needs_someone_else_to_approve(app, login_as, people):
    admin, officer = login_as("administrator"), login_as("privacy_officer")
    response = submit(admin, "/admin/settings", {"separate_approver": "y"})
    assert response.status_code == 302
    changed = events(app, "settings_changed")[-1]
    assert changed[3]["separate_approver"] is False and changed[4]["separate_approver"] is True
    with app.app_context():
        first = db.session.scalar(db.select(User).filter_by(email=people["own"]["privacy_officer"]))
        db.session.add(User(organisation_id=first.organisation_id, name="Second Officer", role="privacy_officer",
                            email="second@own.example", password_hash=first.password_hash))
        db.session.commit()
    second = login(app.test_client(), "second@own.example")
    public_id = _submitted_assessment(officer)

    page = text_of(officer.get(f"/assessments/{public_id}"))
    assert "you submitted this assessment, so someone else must approve it" in page
    refused = _review(officer, public_id, "approve", comment="Looks fine to me.")
    assert refused.status_code == 400
    assert "You submitted this assessment, so someone else must approve it." in text_of(refused)
    assert "Looks fine to me." in refused.get_data(as_text=True)  # what they typed is kept
    assert "Status: Submitted for review" in text_of(officer.get(f"/assessments/{public_id}"))

    assert _review(second, public_id, "approve").status_code == 302
    assert "signed off by Second Officer" in text_of(officer.get(f"/assessments/{public_id}"))


def test_two_person_review_still_lets_the_submitter_ask_for_changes(app, login_as):
    admin, officer = login_as("administrator"), login_as("privacy_officer")
    submit(admin, "/admin/settings", {"separate_approver": "y"})
    public_id = _submitted_assessment(officer)
    assert _review(officer, public_id, "changes", comment="I missed the funder.").status_code == 302
    assert "Status: Changes requested" in text_of(officer.get(f"/assessments/{public_id}"))


def test_the_list_filters_by_status_and_keeps_the_filter_across_pages(app, login_as, people):
    _many_assessments(app, people, "Waiting", 53, "submitted")
    _many_assessments(app, people, "Still a draft", 1, "draft")
    client = login_as("privacy_officer")
    waiting = client.get("/assessments/?status=submitted").text
    assert waiting.count('">Waiting ') == 50 and "Still a draft" not in waiting
    assert 'aria-current="page">Submitted for review<' in waiting
    assert "/assessments/?page=2&amp;status=submitted" in waiting
    second = text_of(client.get("/assessments/?page=2&status=submitted"))
    assert "Waiting 00" in second and "Still a draft" not in second
    drafts = text_of(client.get("/assessments/?status=draft"))
    assert "Still a draft" in drafts and "Waiting" not in drafts
    assert "No assessments are “approved”." in text_of(client.get("/assessments/?status=approved"))
    everything = text_of(client.get("/assessments/?status=nonsense"))  # an unknown filter shows everything
    assert "Still a draft 00" in everything and "Waiting 52" in everything
