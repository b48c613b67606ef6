"""Everyday use for each role, in Chromium (issue 14): no dead ends from any home page, typed work
kept across a session time-out, a frontline checklist answer within three taps on a phone, and
screenshots of each role's home for the README."""

from __future__ import annotations

import os
import re
from urllib.parse import urljoin, urlparse

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from dpup import config
from tests.browser.conftest import (
    ADMIN,
    BOARD,
    FRONTLINE,
    OFFICER,
    PHONE,
    TWO_HATS,
    assert_no_axe_violations,
    start_assessment,
)

ROLES = {"administrator": ADMIN, "privacy-officer": OFFICER, "frontline": FRONTLINE, "board": BOARD,
         "administrator-and-privacy-officer": TWO_HATS}
# The README's screenshots are made only on request (DPUP_UPDATE_DOCS_SCREENSHOTS=1): a test run
# must not change tracked files, and ten full-page shots cost CI half a minute for nothing checked.
DOCS_SCREENSHOTS = config.PROJECT_ROOT / "docs" / "screenshots"
MAX_PAGES = 150  # per role: every link on home, and every link on those pages


# Downloads (a report's PDF or Word file, the register's CSV) are not followed: rendering them is
# slow, and who may fetch each is checked for every role by tests/test_access.py.
DOWNLOADS = (".pdf", ".docx", ".md", ".csv")


def _links(page_html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)', page_html):
        url = urljoin(base, href.replace("&amp;", "&"))
        if urlparse(url).netloc == urlparse(base).netloc and "/static/" not in url \
                and not urlparse(url).path.endswith(DOWNLOADS):
            found.append(url)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_link_from_a_home_page_answers_403_or_404(new_context, live_server, role):
    context = new_context(ROLES[role])
    page = context.new_page()
    page.goto("/")
    assert_no_axe_violations(page)
    home_links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    level = {url: "/" for url in home_links if url.startswith(live_server) and "/static/" not in url
             and not urlparse(url).path.endswith(DOWNLOADS)}
    seen, failures = set(), []
    for _ in range(2):
        following = {}
        for url, source in level.items():
            if url in seen or len(seen) >= MAX_PAGES:
                continue
            seen.add(url)
            response = context.request.get(url)  # the browser's own cookies: the person, logged in
            if response.status in (403, 404):
                failures.append(f"{url} answered {response.status} (linked from {source})")
            elif response.ok and response.headers.get("content-type", "").startswith("text/html"):
                following.update({link: url for link in _links(response.text(), url)})
        level = following
    assert failures == []
    assert len(seen) > 5


def _expire_idle_session(context, live_server) -> None:
    """Make the session idle for 31 minutes, as the clock would: re-sign the cookie with the app's key."""
    signer = SecureCookieSessionInterface().get_signing_serializer(_signing_app())
    cookie = next(c for c in context.cookies() if c["name"] == "session")
    data = signer.loads(cookie["value"])
    data["seen_at"] -= 31 * 60
    context.add_cookies([{**cookie, "value": signer.dumps(data)}])


def _signing_app() -> Flask:
    app = Flask("browser-test-signer", root_path="/tmp")
    app.secret_key = "browser-tests-only"  # the live server's, from conftest
    return app


def test_a_note_typed_when_the_session_expires_is_back_after_logging_in(new_context, live_server):
    context = new_context(OFFICER)
    page = context.new_page()
    start_assessment(page, initiative="Time-out check")
    question = page.url
    assert "logs you out after 30 minutes" in page.locator("main").inner_text()
    page.locator("#answer input").first.check()
    note = "Checked the consent wording with the team leader on Tuesday; " * 30
    page.locator("#note").fill(note)
    _expire_idle_session(context, live_server)
    page.get_by_role("button", name="Save and continue").click()
    assert "/login" in page.url
    assert "What you typed has been kept" in page.locator("main").inner_text()
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Password").fill("browser tests only passphrase")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert page.url == question
    assert page.locator("#note").input_value() == note.strip() or page.locator("#note").input_value() == note
    assert page.locator("#answer input").first.is_checked()
    assert "What you typed is back" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


def test_a_frontline_worker_answers_a_checklist_within_three_taps_on_a_phone(new_context):
    phone = new_context(FRONTLINE, **PHONE).new_page()
    phone.goto("/")
    taps = 0
    first_checklist = phone.locator("main .cards a").first
    with phone.expect_navigation():
        first_checklist.tap()
    taps += 1
    first_answer = phone.locator("main input[type=radio]").first
    box = first_answer.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740, f"first answer at {box}: below the fold"
    assert phone.evaluate("() => window.scrollY") == 0
    first_answer.tap()
    taps += 1
    assert first_answer.is_checked() and taps <= 3
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(phone)


def test_checklist_results_pages_pass_axe(new_context):
    for person in (FRONTLINE, OFFICER):
        page = new_context(person, **PHONE).new_page()
        page.goto("/checklists/see-or-correct")
        for radio in page.locator("input[type=radio][value=yes]").all():
            radio.check()
        page.get_by_role("button", name="See the result").click()
        page.get_by_role("button", name="Save this result").click()
        assert "/checklists/results" in page.url
        assert "When someone asks to see or correct" in page.locator("main").inner_text()
        assert_no_axe_violations(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_changed_pages_pass_axe_and_fit_a_phone(new_context):
    phone = new_context(OFFICER, **PHONE).new_page()
    for path in ("/trees/purpose-matters", "/start", "/trees/coverage"):
        phone.goto(path)
        assert_no_axe_violations(phone)
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360, path
    start_assessment(phone, initiative="See https://example.org/" + "a-very-long-pasted-address/" * 12)
    phone.goto(phone.url.split("/trees/")[0])
    assert_no_axe_violations(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    board = new_context(BOARD).new_page()
    board.goto("/start")
    assert "Which of these best describes you?" not in board.locator("main").inner_text()
    assert_no_axe_violations(board)


@pytest.mark.skipif(not os.environ.get("DPUP_UPDATE_DOCS_SCREENSHOTS"),
                    reason="makes the README's screenshots: set DPUP_UPDATE_DOCS_SCREENSHOTS=1")
def test_screenshots_of_each_roles_home(new_context):
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for role, email in ROLES.items():
        for device, options in (("desktop", {}), ("phone", {**PHONE, "device_scale_factor": 1})):  # smaller files
            page = new_context(email, **options).new_page()
            page.goto("/")
            page.screenshot(path=str(DOCS_SCREENSHOTS / f"home-{role}-{device}.png"), full_page=True)
    assert len(list(DOCS_SCREENSHOTS.glob("home-*.png"))) >= 10


@pytest.mark.skipif(not os.environ.get("DPUP_UPDATE_DOCS_SCREENSHOTS"),
                    reason="makes the README's screenshot of the register: set DPUP_UPDATE_DOCS_SCREENSHOTS=1")
def test_screenshot_of_the_register(new_context):
    """The README's picture of the register: several actions with their owners and due dates, one
    of them overdue, as answering an assessment with owners and dates typed leaves them."""
    from datetime import date, timedelta

    today = date.today()
    owners = iter([("Aroha Privacy", -21), ("Board secretary", 30), ("Tama Frontline", 45), ("Hine Admin", 75),
                   ("Clinical lead", 120), ("Aroha Privacy", 150), ("Board secretary", 200)] * 3)
    page = new_context(OFFICER).new_page()
    start_assessment(page, tree_id="transparency-and-choice", initiative="Whānau wellbeing app")
    for _ in range(60):  # the last option of each question raises the most actions in this tree
        if "/questions/" not in page.url:
            break
        if page.locator("textarea#answer").count():
            page.locator("textarea#answer").fill("We need it to plan services with whānau.")
        else:
            page.locator("#answer input").last.check()
        if page.locator("#reason").count():
            page.locator("#reason").fill("Checked with the team.")
        if page.locator("details.action-fields").count():
            owner, days = next(owners)
            page.locator("details.action-fields").evaluate("details => { details.open = true; }")
            page.locator("#action_owner").fill(owner)
            page.locator("#action_due").fill((today + timedelta(days=days)).isoformat())
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()
        assert not page.locator(".error-summary").count(), page.locator(".error-summary").inner_text()
    page.goto("/actions")
    assert page.locator("tbody tr").count() >= 4 and page.locator(".overdue").count() >= 1
    page.screenshot(path=str(DOCS_SCREENSHOTS / "register-desktop.png"), full_page=True)
