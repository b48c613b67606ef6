"""Frontline use: the navigator from the home page, and a checklist finished with a result."""

import re
from pathlib import Path

import pytest

from dpup import config
from dpup.engine import load_library
from tests.conftest import login, make_people
from tests.helpers import csrf_token, text_of

CHECKLIST = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR)).checklists["see-or-correct"]


@pytest.fixture
def people(bundled_app):
    return make_people(bundled_app, "Te Whare Tiaki Trust", "own")


@pytest.fixture
def frontline(bundled_app, people):
    return login(bundled_app.test_client(), people["frontline"])


def test_navigator_does_not_ask_a_logged_in_frontline_worker_their_role(frontline):
    assert 'href="/start"' in frontline.get("/").get_data(as_text=True)
    first = frontline.get("/start")
    assert "What are you about to do?" in text_of(first)  # dpup knows their role
    assert 'href="/start?choose=1"' in first.get_data(as_text=True)  # Back lets them choose another
    assert "Which of these best describes you?" in text_of(frontline.get("/start?choose=1"))
    done = frontline.get("/start?task-frontline=see-or-correct").get_data(as_text=True)
    assert 'href="/checklists/see-or-correct"' in done


def test_navigator_leads_anyone_to_the_access_checklist_in_two_answers(bundled_app):
    anon = bundled_app.test_client()
    assert "Which of these best describes you?" in text_of(anon.get("/start"))
    assert "What are you about to do?" in text_of(anon.get("/start?role=frontline"))
    done = anon.get("/start?role=frontline&task-frontline=see-or-correct").get_data(as_text=True)
    assert 'href="/checklists/see-or-correct"' in done
    assert 'href="/start?role=frontline"' in done  # Back keeps the first answer


def test_navigator_never_sends_a_board_member_to_a_page_it_cannot_open(bundled_app, people):
    board = login(bundled_app.test_client(), people["board"])
    page = board.get("/start").get_data(as_text=True)
    assert "Which of these best describes you?" not in text_of(board.get("/start"))
    done = None
    for option in re.findall(r'name="task-board"[^>]*value="([^"]+)"', page):
        done = board.get(f"/start?task-board={option}")
        for href in re.findall(r'<a href="(/[^"]*)"', done.get_data(as_text=True)):
            assert board.get(href.replace("&amp;", "&")).status_code not in (403, 404), href
    assert done is not None


def test_navigator_without_an_answer_says_so(frontline):
    page = text_of(frontline.get("/start?role=frontline&asked=task-frontline"))
    assert "There is a problem" in page and "Choose an answer." in page and "What are you about to do?" in page


def tick_all(frontline, ticks: dict[str, str], reasons: dict[str, str] | None = None):
    html = frontline.get("/checklists/see-or-correct").get_data(as_text=True)
    data = {"csrf_token": csrf_token(html)}
    data.update({f"item-{k}": v for k, v in ticks.items()})
    data.update({f"reason-{k}": v for k, v in (reasons or {}).items()})
    return frontline.post("/checklists/see-or-correct", data=data)


def test_checklist_all_clear(frontline):
    response = tick_all(frontline, {item.id: "yes" for item in CHECKLIST.items})
    assert response.status_code == 200
    page = text_of(response)
    assert "All clear" in page and CHECKLIST.result.all_clear in page


def test_checklist_says_what_to_do_for_each_no(frontline):
    ticks = {item.id: "yes" for item in CHECKLIST.items}
    ticks["check-identity"] = "no"
    page = text_of(tick_all(frontline, ticks))
    assert "Not yet: some things to do first" in page
    assert CHECKLIST.item("check-identity").if_no in page


def test_checklist_not_applicable_needs_a_reason_and_keeps_other_ticks(frontline):
    ticks = {item.id: "yes" for item in CHECKLIST.items}
    ticks["transfer-ten-days"] = "na"
    response = tick_all(frontline, ticks)
    assert response.status_code == 400
    assert "Say briefly why this does not apply." in text_of(response)
    html = response.get_data(as_text=True)
    assert html.count(" checked>") == len(CHECKLIST.items)  # every answer is still ticked
    ok = tick_all(frontline, ticks, {"transfer-ten-days": "We hold all the records ourselves."})
    assert "We hold all the records ourselves." in text_of(ok)


def test_checklist_needs_csrf(frontline):
    response = frontline.post("/checklists/see-or-correct", data={"item-check-identity": "yes"})
    assert response.status_code == 400


def test_a_saved_result_records_who_and_when_but_no_personal_details(bundled_app, frontline):
    from dpup.storage.db import db
    from dpup.storage.models import ChecklistRecord

    ticks = {item.id: "yes" for item in CHECKLIST.items}
    ticks["check-identity"] = "no"
    result = tick_all(frontline, ticks).get_data(as_text=True)
    data = {"csrf_token": csrf_token(result), **{f"item-{k}": v for k, v in ticks.items()}}
    saved = frontline.post("/checklists/see-or-correct/save", data=data, follow_redirects=True)
    assert "Saved: “When someone asks to see or correct" in text_of(saved) and "Left to do:" in text_of(saved)
    with bundled_app.app_context():
        [record] = db.session.query(ChecklistRecord).all()
        assert record.user.email == "frontline@own.example" and record.created_at is not None
        assert record.all_clear is False and record.to_do == ["check-identity"]


def test_checklists_need_a_login_unless_the_organisation_shares_them(bundled_app, people):
    anonymous = bundled_app.test_client()
    assert anonymous.get("/checklists/see-or-correct").status_code == 302
    shared = f"/o/{people['organisation']}/checklists/see-or-correct"
    assert anonymous.get(shared).status_code == 404
    from dpup.storage.db import db
    from dpup.storage.models import Organisation

    with bundled_app.app_context():
        db.session.query(Organisation).update({"public_checklists": True})
        db.session.commit()
    page = anonymous.get(shared)
    assert page.status_code == 200 and CHECKLIST.items[0].text in text_of(page)
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)),
            **{f"item-{i.id}": "yes" for i in CHECKLIST.items}}
    result = anonymous.post(shared, data=data)
    assert "All clear" in text_of(result) and "Save this result" not in text_of(result)
