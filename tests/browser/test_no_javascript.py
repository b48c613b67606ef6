"""Every page works with JavaScript off: dpup has none, and a checklist submits without it."""

from tests.browser.conftest import PHONE, tap_and_wait


def test_checklist_submits_with_javascript_disabled(new_context):
    page = new_context(java_script_enabled=False, **PHONE).new_page()
    page.goto("/")
    tap_and_wait(page.get_by_role("link", name="When someone asks to see or correct their information"))
    for radio in page.locator("input[type=radio][value=yes]").all():
        radio.check()
    tap_and_wait(page.get_by_role("button", name="See the result"))
    assert page.locator("h1").inner_text().startswith("Result:")
    assert "All clear" in page.locator("main").inner_text()


def test_no_page_ships_javascript(page, finished_assessment):
    for path in ("/", "/start", "/assessments/new", f"/assessments/{finished_assessment}/report",
                 "/checklists/see-or-correct", "/trees/purpose-matters"):
        page.goto(path)
        assert page.locator("script").count() == 0, f"{path} has a script element"
        assert page.locator("[onclick], [onload], [onsubmit]").count() == 0, path
        for href in page.eval_on_selector_all("link[href], img[src]", "els => els.map(e => e.href || e.src)"):
            assert href.startswith(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2]), \
                f"{path} loads {href} from another host"
