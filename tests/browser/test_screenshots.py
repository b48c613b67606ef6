"""Screenshots of the main pages for reviewers, saved to screenshots/ at the repo root (git-ignored)."""

from tests.browser.conftest import ASSESSED_TREE, SCREENSHOTS, screenshot, tap_and_wait


def test_screenshots_of_the_main_pages(page, phone, finished_assessment):
    summary = f"/assessments/{finished_assessment}/trees/{ASSESSED_TREE}/summary"
    for device, tab in (("desktop", page), ("phone", phone)):
        tab.goto("/")
        screenshot(tab, f"home-{device}")
        tab.goto(summary)
        screenshot(tab, f"summary-{device}")
        tab.locator("main").get_by_role("link", name="Change").first.click()
        assert "/questions/" in tab.url
        screenshot(tab, f"question-{device}")
        tab.goto(f"/assessments/{finished_assessment}/report")
        screenshot(tab, f"report-{device}")
    page.goto(f"/assessments/{finished_assessment}")
    screenshot(page, "assessment-desktop")
    page.goto(f"/assessments/{finished_assessment}/delete")
    screenshot(page, "delete-draft-desktop")

    phone.goto("/checklists/see-or-correct")
    phone.locator("details.item-help summary").first.tap()
    screenshot(phone, "checklist-phone")
    for radio in phone.locator("input[type=radio][value=yes]").all():
        radio.check()
    phone.locator("input[type=radio][value=no]").nth(2).check()
    tap_and_wait(phone.get_by_role("button", name="See the result"))
    screenshot(phone, "checklist-result-phone")

    phone.goto("/start")
    screenshot(phone, "navigator-phone")
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 13
