"""The organisation's DPUP self-assessment in a real browser: a privacy officer rates every criterion
of a year, signs it off, starts the next year's, changes what moved and reads the comparison; the
pages pass axe. With DPUP_UPDATE_DOCS_SCREENSHOTS=1 it remakes the README's screenshots of the
self-assessment page and the comparison chart."""

import os

from dpup import config
from tests.browser.conftest import assert_no_axe_violations

DOCS_SCREENSHOTS = config.PROJECT_ROOT / "docs" / "screenshots"
FIRST_YEAR = ("foundational", "foundational", "informal", "foundational", "managed")
MOVED = {"frontline-practice": ("managed", "Kaimahi use the consent checklist at every first visit since May."),
         "breaches-handled-with-care": ("foundational", "A breach plan was agreed in March; everyone knows to tell "
                                                        "the privacy officer."),
         "privacy-officer": ("foundational", "The privacy officer now has four hours a week for the role."),
         "know-keep-dispose": ("informal", "The move to the new client system left old files nobody has listed.")}


def rate_every_criterion(page, public_id: str) -> None:
    page.goto(f"/maturity/{public_id}")
    page.get_by_role("link", name="Rate").first.click()
    n = 0
    while "/criteria/" in page.url:
        level = FIRST_YEAR[n % len(FIRST_YEAR)]
        page.check(f"input[name=level][value={level}]")
        page.get_by_label("Why this level").fill(f"What we do today for criterion {n + 1}.")
        with page.expect_navigation():
            page.get_by_role("button", name="Save and go to the next criterion").click()
        n += 1
    assert n == 20


def test_a_year_signed_off_and_the_next_compared(new_context):
    page = new_context().new_page()
    page.goto("/maturity/")
    page.get_by_label("Year").fill("2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Start").click()
    first = page.url.rsplit("/", 1)[1]
    assert_no_axe_violations(page)
    rate_every_criterion(page, first)
    page.goto(f"/maturity/{first}")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_label("Approve and sign off").check()
    page.get_by_role("button", name="Record decision").click()
    assert "approved by Aroha Privacy" in page.locator("main").inner_text()
    page.get_by_role("button", name="Start 2026's self-assessment from this one").click()
    second = page.url.rsplit("/", 1)[1]
    assert "20 of 20 criteria rated; compared with 2025" in page.locator("main").inner_text()
    for criterion, (level, why) in MOVED.items():
        page.goto(f"/maturity/{second}/criteria/{criterion}")
        if criterion == "privacy-officer":
            assert_no_axe_violations(page)
        page.check(f"input[name=level][value={level}]")
        page.get_by_label("Why this level").fill(why)
        page.get_by_label("Evidence").fill("Board minutes, March and June; the checklist results page.")
        page.get_by_role("button", name="Save and go to the next criterion").click()
    page.goto(f"/maturity/{second}")
    page.get_by_role("button", name="Make actions for these gaps").click()
    assert "in the action register" in page.locator("main").inner_text()
    page.goto(f"/maturity/{second}")
    assert_no_axe_violations(page)
    page.goto(f"/maturity/{second}/report")
    text = page.locator("main").inner_text()
    assert "Up: Do frontline kaimahi have practical" in text and "Kaimahi use the consent checklist" in text
    assert "Down: Do we know what personal information we hold" in text and "new client system" in text
    assert_no_axe_violations(page)
    if os.environ.get("DPUP_UPDATE_DOCS_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(".maturity-charts").screenshot(path=str(DOCS_SCREENSHOTS / "maturity-comparison.png"))
        page.goto(f"/maturity/{second}")
        page.screenshot(path=str(DOCS_SCREENSHOTS / "maturity-desktop.png"),
                        clip={"x": 0, "y": 0, "width": 1280, "height": 2400}, full_page=True)
