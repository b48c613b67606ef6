"""Browser tests: the real app on a loopback port, driven by Debian's headless Chromium through Playwright.

The app runs in a background thread (werkzeug's threaded server) on a fresh SQLite file with the
bundled knowledge base, or, when TEST_DATABASE_URL is set, on that PostgreSQL database in a schema
of its own (tests/database.py). Playwright never downloads a browser here: it launches /usr/bin/chromium,
which `.ci/run` installs with apt. Without that binary every browser test is skipped with a reason.
axe-core is vendored under vendor/ (MPL-2.0, see vendor/LICENSE), so no test reaches a CDN.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dpup import config
from dpup.storage.db import db
from dpup.storage.setup import upgrade_database
from dpup.web.app import create_app
from tests.database import clean_database_url, drop_schema, on_postgresql
from tests.helpers import csrf_token

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = config.PROJECT_ROOT / "screenshots"
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ASSESSED_TREE = "purpose-matters"
BROWSER_SCHEMA = "browser_tests"


# ---------------------------------------------------------------- the app and the browser

@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Base URL of the real app, served from a background thread on a free loopback port."""
    folder = tmp_path_factory.mktemp("browser-app")
    database = clean_database_url(BROWSER_SCHEMA) if on_postgresql() else f"sqlite:///{folder / 'dpup.sqlite'}"
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database,
        "SECRET_KEY": "browser-tests-only",
        "TREES_DIR": config.TREES_DIR,
        "CONTENT_DIR": config.CONTENT_DIR,
    })
    with app.app_context():
        upgrade_database()
        _create_people()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would drown a failure
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dpup-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()
        drop_schema(BROWSER_SCHEMA)


PASSWORD = "browser tests only passphrase"
OFFICER = "officer@browser.example"
FRONTLINE = "frontline@browser.example"
ADMIN = "admin@browser.example"
BOARD = "board@browser.example"
TWO_HATS = "twohats@browser.example"  # administrator and privacy officer, as a small NGO's installer is


def _create_people() -> None:
    from dpup.security.passwords import hash_password
    from dpup.storage.models import Organisation, User

    organisation = Organisation(name="Te Whare Tiaki Trust", public_checklists=True)
    hashed = hash_password(PASSWORD)
    db.session.add_all([
        User(organisation=organisation, name="Aroha Privacy", email=OFFICER, role="privacy_officer", password_hash=hashed),
        User(organisation=organisation, name="Tama Frontline", email=FRONTLINE, role="frontline", password_hash=hashed),
        User(organisation=organisation, name="Hine Admin", email=ADMIN, role="administrator", password_hash=hashed),
        User(organisation=organisation, name="Rawiri Board", email=BOARD, role="board", password_hash=hashed),
        User(organisation=organisation, name="Mere Two Hats", email=TWO_HATS, role="administrator privacy_officer",
             password_hash=hashed),
    ])
    db.session.commit()


def log_in(context, email: str) -> None:
    """Log in by sending the real login form (its CSRF token, email and password) from the context's
    own request client, which shares the browser's cookies. Drawing the form and the home page it
    leads to in a tab took seconds a test; the tests of the login page itself (axe, the session
    time-out) fill it in as a person would."""
    form = context.request.get("/login")
    response = context.request.post("/login", max_redirects=0, form={
        "csrf_token": csrf_token(form.text()), "email": email, "password": PASSWORD})
    assert response.status == 302, f"logging in as {email} answered {response.status}"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); .ci/run installs it")
    if os.environ.get("TEST_DATABASE_URL") and not os.environ.get("DPUP_BROWSER_TESTS_ON_POSTGRES"):
        # What a person sees does not depend on the database, and CI runs the suite on SQLite too:
        # the browser tests run there once, which keeps CI well under 15 minutes.
        pytest.skip("browser tests run in the SQLite run; set DPUP_BROWSER_TESTS_ON_POSTGRES=1 to run them here")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser, live_server):
    """Make browser contexts (phone, desktop, JavaScript off...) that are closed after the test."""
    contexts = []

    def make(user: str | None = OFFICER, **options):
        """A logged-in privacy officer unless ``user`` says otherwise (None: not logged in)."""
        context = browser.new_context(base_url=live_server, **{**DESKTOP, **options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        if user:
            log_in(context, user)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def phone(new_context):
    return new_context(**PHONE).new_page()


# ---------------------------------------------------------------- helpers for tests

def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to screenshots/ at the repo root (git-ignored) for reviewers."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def tap_and_wait(locator) -> None:
    """Tap a link or button on a touch screen and wait for the page it loads."""
    with locator.page.expect_navigation():
        locator.tap()


def run_axe(page, tags=WCAG_TAGS) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations."""
    # A click that navigates returns before the new page's stylesheet has loaded; axe must see
    # the page as a person does (unstyled links would fail the target-size rule).
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy (no
        # inline scripts) rightly does not allow a <script> tag to do.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags),
    )
    return result["violations"]


def describe_violations(url: str, violations: list[dict]) -> str:
    """Violations as a person would read them: rule, impact, help, then each offending element."""
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  [{', '.join(t for t in v['tags'] if t.startswith('wcag'))}]")
        lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary[:700]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


def focused(page) -> dict:
    """What has keyboard focus: tag, type, id, name and visible text."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return el ? {tag: el.tagName.toLowerCase(), type: el.type || '', id: el.id || '', name: el.name || '',
                     text: (el.innerText || el.value || '').trim()} : {};
    }""")


def tab_to(page, selector: str, limit: int = 80) -> dict:
    """Press Tab until the focused element matches ``selector`` (keyboard only: no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return focused(page)
    raise AssertionError(f"Tab never reached {selector!r} on {page.url}; last focus {focused(page)}")


def answer_with_first_option(page, reason="Checked with the team.", text="We need it to deliver the service.") -> None:
    """Answer the question on screen with the mouse/tap: first option, or text; fill a reason if asked."""
    textarea = page.locator("textarea#answer")
    if textarea.count():
        textarea.fill(text)
    else:
        page.locator("#answer input").first.check()
    if page.locator("#reason").count():
        page.locator("#reason").fill(reason)
    page.get_by_role("button", name="Save and continue").click()


def start_assessment(page, tree_id=ASSESSED_TREE, initiative="Client outcomes dashboard") -> str:
    """Start an assessment through the form; return its public id."""
    page.goto(f"/assessments/new?tree={tree_id}")
    # By id, not label: the label checks belong to the tests (axe, keyboard), not to this set-up helper.
    page.locator("#initiative").fill(initiative)
    page.get_by_role("button", name="Start").click()
    match = re.search(r"/assessments/([\w-]+)/trees/", page.url)
    assert match, page.url
    choose_through_the_profile(page, match.group(1), tree_id)
    return match.group(1)


def choose_through_the_profile(page, public_id: str, tree_id: str) -> None:
    """A new assessment starts with "About this work": answer it (first options), choose ``tree_id`` on
    the pre-screen, and go on to that tree's first question."""
    if f"/trees/{tree_id}/" in page.url:
        return  # a library without a profile: the tree was ticked on the start form
    for _ in range(30):
        if "/questions/" not in page.url:
            break
        answer_with_first_option(page)
        page.wait_for_load_state()
    assert page.url.endswith(f"/assessments/{public_id}/trees"), page.url
    page.locator(f"#trees input[value='{tree_id}']").check()
    page.locator(f"#reason-{tree_id}").fill("This test assesses it.")
    page.get_by_role("button", name="Save and continue").click()
    page.goto(f"/assessments/{public_id}/trees/{tree_id}")


def answer_until_summary(page, limit: int = 80) -> None:
    for _ in range(limit):
        if page.url.endswith("/summary"):
            return
        assert "/questions/" in page.url, f"expected a question page, got {page.url}"
        before = page.url
        answer_with_first_option(page)
        page.wait_for_load_state()
        assert page.url != before or not page.locator(".error-summary").count(), \
            f"answer refused on {before}: {page.locator('.error-summary').inner_text()}"
    raise AssertionError(f"no summary after {limit} questions")


@pytest.fixture(scope="session")
def finished_assessment(browser, live_server):
    """One assessment of the assessed tree, answered to the end (first option everywhere)."""
    context = browser.new_context(base_url=live_server, **DESKTOP)
    log_in(context, OFFICER)
    page = context.new_page()
    public_id = start_assessment(page, initiative="Axe check initiative")
    answer_until_summary(page)
    context.close()
    return public_id
