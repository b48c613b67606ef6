"""Frontline use: the navigator from the home page, and a checklist finished with a result."""

from pathlib import Path

import pytest

from dpup import config
from dpup.engine import load_library
from tests.helpers import csrf_token, text_of

CHECKLIST = load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR)).checklists["see-or-correct"]


@pytest.fixture
def frontline(bundled_app):
    return bundled_app.test_client()


def test_navigator_leads_a_frontline_worker_to_the_access_checklist_in_two_answers(frontline):
    assert 'href="/start"' in frontline.get("/").get_data(as_text=True)
    first = text_of(frontline.get("/start"))
    assert "Which of these best describes you?" in first
    second = text_of(frontline.get("/start?role=frontline"))
    assert "What are you about to do?" in second
    done = frontline.get("/start?role=frontline&task-frontline=see-or-correct").get_data(as_text=True)
    assert 'href="/checklists/see-or-correct"' in done
    assert 'href="/start?role=frontline"' in done  # Back keeps the first answer


def test_navigator_without_an_answer_says_so(frontline):
    page = text_of(frontline.get("/start?role=frontline&asked=task-frontline"))
    assert "Choose an answer." in page and "What are you about to do?" in page


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
