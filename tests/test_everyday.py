"""Everyday use for each role (issue 14): several roles a person, homes without dead ends, typed work
kept across a time-out, saved checklist results, progress and history in plain words."""

import re
from pathlib import Path

import pytest

from dpup.storage.db import db
from dpup.storage.models import ChecklistRecord, Organisation, User
from tests.conftest import PASSWORD, login, make_people
from tests.helpers import csrf_token, submit, text_of
from tests.test_flow import answer, question_url, start


def setup(anon, **extra):
    return submit(anon, "/setup", {"organisation": "Kāinga Trust", "name": "Mere Smith",
                                   "email": "mere@kainga.example", "password": PASSWORD, "confirm": PASSWORD,
                                   **extra})


def person(app, email) -> User:
    with app.app_context():
        user = db.session.query(User).filter_by(email=email).one()
        db.session.expunge(user)
        return user


def test_the_person_who_installs_dpup_can_start_an_assessment(app, anon):
    assert "I will also do the privacy assessments" in text_of(anon.get("/setup"))
    response = setup(anon, privacy_officer="y")
    assert response.status_code == 302 and response.location == "/"
    home = text_of(anon.get("/"))
    assert "Mere Smith · Administrator and privacy officer, Kāinga Trust" in home
    assert "Start an assessment" in home and "People and their roles" in home
    assert anon.get("/assessments/new").status_code == 200
    assert person(app, "mere@kainga.example").role == "administrator privacy_officer"


def test_an_administrator_gives_themselves_another_role_but_stays_the_last_administrator(app, anon):
    setup(anon)  # the box unticked: administrator only
    assert anon.get("/assessments/new").status_code == 403
    own = person(app, "mere@kainga.example").public_id
    page = anon.get(f"/admin/users/{own}").get_data(as_text=True)
    assert 'value="administrator" checked' in page or 'checked type="checkbox" value="administrator"' in page \
        or re.search(r'<input[^>]*checked[^>]*value="administrator"', page)
    response = submit(anon, f"/admin/users/{own}", {"role": ["administrator", "privacy_officer"], "active": "y"})
    assert response.status_code == 302
    assert anon.get("/assessments/new").status_code == 200  # at once, without logging in again

    refused = submit(anon, f"/admin/users/{own}", {"role": ["privacy_officer"], "active": "y"})
    assert refused.status_code == 400
    assert "only administrator, so they stay one" in text_of(refused)
    assert person(app, "mere@kainga.example").role == "administrator privacy_officer"
    refused = submit(anon, f"/admin/users/{own}", {"role": ["administrator"]})
    assert refused.status_code == 400 and "cannot switch off your own account" in text_of(refused)


def test_an_invitation_can_give_several_roles_and_a_second_officer_turns_on_two_person_review(app, login_as, people):
    admin = login_as("administrator")
    with app.app_context():
        assert not db.session.query(Organisation).filter_by(name="Te Whare Tiaki Trust").one().separate_approver
    response = submit(admin, "/admin/users", {"name": "Hemi Two Hats", "email": "hemi@own.example",
                                              "role": ["privacy_officer", "frontline"]}, follow_redirects=True)
    page = text_of(response)
    assert "Privacy officer and frontline worker" in page
    assert "two-person review is on" in page
    with app.app_context():
        assert db.session.query(Organisation).filter_by(name="Te Whare Tiaki Trust").one().separate_approver


def test_a_person_with_two_roles_may_do_what_either_allows(app, people):
    with app.app_context():
        user = db.session.query(User).filter_by(email=people["own"]["frontline"]).one()
        user.role = "frontline board"
        db.session.commit()
    client = login(app.test_client(), people["own"]["frontline"])
    assert client.get("/checklists/quick").status_code == 200
    assert client.get("/assessments/").status_code == 200  # the approved reports
    assert client.get("/assessments/new").status_code == 403


def links_on(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', html)
            if not href.startswith("/static/")}


@pytest.mark.parametrize("roles", ["administrator", "privacy_officer", "frontline", "board",
                                   "administrator privacy_officer"])
def test_every_link_on_a_home_page_opens(bundled_app, roles):
    """The test client's twin of the browser crawl: two levels of links from home, none 403 or 404."""
    app = bundled_app
    people = make_people(app, "Te Whare Tiaki Trust", "own")
    with app.app_context():
        user = db.session.query(User).filter_by(email=people["board"]).one()
        user.role = roles
        db.session.commit()
    client = login(app.test_client(), people["board"])
    seen, failures = set(), []
    level = {href: "/" for href in links_on(client.get("/").get_data(as_text=True))}
    for _ in range(2):
        following = {}
        for href, source in sorted(level.items()):
            if href in seen:
                continue
            seen.add(href)
            response = client.get(href)
            if response.status_code in (403, 404):
                failures.append(f"{href}: {response.status_code} (linked from {source})")
            elif response.status_code == 200 and response.mimetype == "text/html":
                following.update({link: href for link in links_on(response.get_data(as_text=True))})
        level = following
    assert failures == []


def test_a_board_viewers_home_lists_its_approved_reports(app, people, login_as):
    from dpup.storage import assessments as store
    from dpup.storage.models import Status

    with app.app_context():
        officer = db.session.query(User).filter_by(email=people["own"]["privacy_officer"]).one()
        approved = store.start_assessment(app.extensions["dpup.library"], officer, "Whānau outcomes", "", ["journey"])
        approved.status = Status.APPROVED
        store.start_assessment(app.extensions["dpup.library"], officer, "Still a draft", "", ["journey"])
        db.session.commit()
    home = login_as("board").get("/").get_data(as_text=True)
    assert "Whānau outcomes" in home and "Still a draft" not in home
    assert "Start an assessment" not in home and "/checklists/" not in home


def test_a_session_time_out_keeps_the_typed_note_until_the_person_logs_in_again(app, client, people):
    public_id = start(client)
    url = question_url(public_id, "purpose")
    html = client.get(url).get_data(as_text=True)
    assert "logs you out after 30 minutes" in text_of(client.get(url))
    with client.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    note = "Long note: " + "we checked the consent forms with the team leader. " * 40
    timed_out = client.post(url, data={"csrf_token": csrf_token(html), "version": "1", "answer": "no", "note": note})
    assert timed_out.status_code == 302 and "/login" in timed_out.location
    assert "What you typed has been kept" in text_of(client.get(timed_out.location))
    with app.app_context():  # nothing was saved without their say
        assert text_of(client.get("/login")) and not db.session.execute(db.text("SELECT count(*) FROM answer")).scalar()

    page = client.get("/login").get_data(as_text=True)
    back = client.post("/login", data={"csrf_token": csrf_token(page), "email": people["own"]["privacy_officer"],
                                       "password": PASSWORD})
    assert back.location == url
    form = client.get(url)
    assert "What you typed is back" in text_of(form) and "we checked the consent forms" in text_of(form)
    assert re.search(r'<input[^>]*checked[^>]*value="no"|<input[^>]*value="no"[^>]*checked', form.get_data(as_text=True))
    assert "What you typed is back" not in text_of(client.get(url))  # once only
    assert answer(client, public_id, "purpose", answer="no", note=note).endswith("/questions/personal")


def test_saved_checklist_results_are_seen_by_their_author_and_summed_up_for_privacy_officers(app, login_as, people):
    frontline, officer = login_as("frontline"), login_as("privacy_officer")
    page = frontline.get("/checklists/quick").get_data(as_text=True)
    items = sorted(set(re.findall(r'name="item-([\w-]+)"', page)))
    for tick in ("no", "no", "yes"):
        data = {"csrf_token": csrf_token(page), **{f"item-{i}": tick for i in items}}
        frontline.post("/checklists/quick/save", data=data)
    own = text_of(frontline.get("/checklists/results"))
    assert "Your saved checklist results" in own and "Left to do:" in own and "All clear" in own
    summary = text_of(officer.get("/checklists/results"))
    assert "Used 3 times; all clear 1 time." in summary and "Most often left to do:" in summary
    assert "(2 times)" in summary and "Frontline own" in summary
    other = text_of(login_as("frontline", org="other").get("/checklists/results"))
    assert "No results saved yet" in other
    with app.app_context():
        assert db.session.query(ChecklistRecord).count() == 3


def test_progress_counts_and_history_read_as_a_person_would_write_them(app, client):
    public_id = start(client)
    page = text_of(client.get(question_url(public_id, "purpose")))
    assert re.search(r"question 1 of (about )?\d+", page)
    answer(client, public_id, "purpose", answer="no")
    show = text_of(client.get(f"/assessments/{public_id}"))
    assert "In progress: 1 question answered." in show
    assert "renamed from" not in show and "assessment created: “Client outcomes dashboard”" in show
    answer(client, public_id, "purpose", answer="no", note="Asked the manager.")
    assert "Is the purpose written down?: note changed" in text_of(client.get(f"/assessments/{public_id}"))


def test_an_unanswered_question_says_why_it_was_not_saved(client):
    public_id = start(client)
    response = submit(client, question_url(public_id, "purpose"), {"note": "Thinking about it."})
    assert response.status_code == 400 and "There is a problem" in text_of(response)
    assert "Choose an answer." in text_of(response) and "Thinking about it." in text_of(response)


def test_the_error_summary_follows_the_page_order_and_long_text_is_in_dpups_words(client):
    public_id = start(client)
    response = submit(client, question_url(public_id, "purpose"), {"note": "x" * 10_001})
    html = response.get_data(as_text=True)
    summary = html[html.index("error-summary"):html.index("</div>", html.index("error-summary"))]
    assert summary.index("#answer") < summary.index("#note")
    assert "Keep this to 10,000 characters or fewer (it has 10001)" in text_of(response)
    assert "Field cannot be longer" not in text_of(response)


def test_a_conflict_shows_the_saved_answer_in_words(app, login_as):
    first, second = login_as("privacy_officer"), login_as("privacy_officer")
    public_id = start(first)
    url = question_url(public_id, "personal")
    answer(first, public_id, "purpose", answer="yes")
    stale = second.get(url).get_data(as_text=True)
    answer(first, public_id, "personal", answer="aggregate")
    late = second.post(url, data={"csrf_token": csrf_token(stale), "answer": "deidentified",
                                  "version": re.search(r'name="version"[^>]*value="(\d+)"', stale).group(1)})
    assert late.status_code == 409 and "The answer saved now is: Counts and totals only" in text_of(late)


def test_none_of_these_cannot_be_ticked_with_other_answers():
    from dpup import config
    from dpup.engine import AnswerError, load_library, parse_answer

    node = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR)).trees["purpose-matters"].node("risk-flags")
    other = next(o.value for o in node.options if not o.exclusive)
    assert parse_answer(node, ["none"]).value == ("none",)
    with pytest.raises(AnswerError, match="cannot be chosen with other answers"):
        parse_answer(node, ["none", other])


def test_changes_requested_says_who_asked_and_when_and_waits_on_the_authors_home(app, login_as, people):
    officer, reviewer = login_as("privacy_officer"), login_as("privacy_officer")
    public_id = start(officer)
    for node, value in (("purpose", "yes"), ("personal", "aggregate"), ("matching", "no"),
                        ("views", ["service-users"])):
        answer(officer, public_id, node, answer=value)
    page = officer.get(f"/assessments/{public_id}").get_data(as_text=True)
    officer.post(f"/assessments/{public_id}/submit", data={"csrf_token": csrf_token(page)})
    assert "Waiting for review" in text_of(reviewer.get("/"))
    page = reviewer.get(f"/assessments/{public_id}").get_data(as_text=True)
    reviewer.post(f"/assessments/{public_id}/review", data={"csrf_token": csrf_token(page), "decision": "changes",
                                                            "comment": "Add the funder's views."})
    show = text_of(officer.get(f"/assessments/{public_id}"))
    assert re.search(r"Changes requested By Privacy Officer own on \d", show)
    home = text_of(officer.get("/"))
    assert "Waiting for you" in home and "Changes asked of you" in home and "Client outcomes dashboard" in home
    # Submitted and read-only: the summary offers no change.
    assert "Review or change answers" in show


def test_a_used_invitation_link_says_so_and_points_to_log_in(app, login_as):
    admin = login_as("administrator")
    response = submit(admin, "/admin/users", {"name": "Ana", "email": "ana@own.example", "role": "frontline"})
    path = re.search(r'<code class="invite-link">http://localhost([^<]+)</code>', response.get_data(as_text=True)).group(1)
    submit(app.test_client(), path, {"password": PASSWORD, "confirm": PASSWORD})
    used = app.test_client().get(path)
    assert used.status_code == 410 and "This link has already been used" in text_of(used)
    assert 'href="/login"' in used.get_data(as_text=True)
