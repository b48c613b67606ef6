"""A full assessment done with the keyboard alone: Tab, Space, Enter and typing; never a click."""

from tests.browser.conftest import ASSESSED_TREE, focused, tab_to

FOCUS_STYLE = """() => {
    const s = getComputedStyle(document.activeElement);
    return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, shadow: s.boxShadow !== 'none'};
}"""


def assert_focus_visible(page):
    style = page.evaluate(FOCUS_STYLE)
    assert style["outline"] or style["shadow"], f"no visible focus indicator on {focused(page)} at {page.url}"


def assert_focus_on(locator):
    """The field with this label (or name) has focus: proves Tab reached it and that it is labelled."""
    assert locator.count() == 1, f"no single field for {locator}"
    assert locator.evaluate("el => el === document.activeElement"), f"{locator} does not have focus"


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_full_assessment_by_keyboard_only(page):
    page.goto("/")

    # The first Tab reaches the skip link, and Enter moves focus to the main content.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # From the home page, the assessment's own link opens the start form, which carries it through.
    tab_to(page, f'main a[href="/assessments/new?tree={ASSESSED_TREE}"]')
    assert_focus_visible(page)
    press_enter_and_wait(page)
    assert page.url.endswith(f"/assessments/new?tree={ASSESSED_TREE}")
    assert page.locator(f'input[name=tree][value="{ASSESSED_TREE}"]').count() == 1

    tab_to(page, "#initiative")
    assert_focus_visible(page)
    assert_focus_on(page.get_by_label("Initiative or project being assessed"))
    page.keyboard.type("Keyboard-only initiative")
    tab_to(page, "#description")
    assert_focus_on(page.get_by_label("Short description"))
    page.keyboard.type("Done without a mouse.")
    tab_to(page, "form button[type=submit]")
    assert_focus_visible(page)
    press_enter_and_wait(page)

    # Answer whatever question is shown until the summary appears: first option, or some text. "About
    # this work" comes first; then the pre-screen, where the assessment chosen on the home page is ticked.
    answered = []
    for _ in range(80):
        if page.url.endswith("/summary"):
            break
        if page.url.endswith("/trees"):
            assert page.locator(f'input[name=trees][value="{ASSESSED_TREE}"]').is_checked()
            tab_to(page, f"#reason-{ASSESSED_TREE}")  # (needed only if the answers did not recommend it)
            page.keyboard.type("Chosen on the home page.")
            tab_to(page, "main form button[type=submit]")
            press_enter_and_wait(page)
            tab_to(page, f'main a[href$="/trees/{ASSESSED_TREE}"]')
            press_enter_and_wait(page)
            continue
        assert "/questions/" in page.url, page.url
        prompt = page.locator("h1").inner_text()
        if f"/trees/{ASSESSED_TREE}/" in page.url:
            answered.append(prompt)
        if page.locator("textarea#answer").count():
            tab_to(page, "textarea#answer")
            assert_focus_on(page.get_by_role("textbox", name=prompt, exact=True))
            page.keyboard.type("We need it to deliver the service the person asked for.")
        else:
            first = page.locator("#answer input").first
            tab_to(page, "#answer input")  # Tab enters a radio group or checkbox list at its first choice
            label = page.locator(f'label[for="{first.get_attribute("id")}"]').inner_text()
            assert_focus_on(page.get_by_role(first.get_attribute("type"), name=label, exact=True))
            assert_focus_visible(page)
            if not first.is_checked():
                page.keyboard.press("Space")
            assert first.is_checked(), f"Space did not choose the first option on {page.url}"
        if page.locator("#reason").count():
            tab_to(page, "#reason")
            assert page.evaluate("() => document.activeElement.labels.length") == 1, "the reason field has no label"
            page.keyboard.type("Checked with our privacy officer.")
        tab_to(page, "form.question button[type=submit]")
        assert_focus_visible(page)
        before = page.url
        press_enter_and_wait(page)
        assert page.url != before, f"answer refused: {page.locator('.error-summary').inner_text()}"
    else:
        raise AssertionError(f"no summary after {len(answered)} questions")

    assert len(answered) >= 3
    assert page.locator("h1").inner_text().startswith("Your answers")
    assert page.locator("#outcome-heading").inner_text().startswith("Outcome:")
    # Every question put to the person is listed, and so are those "About this work" answered for them.
    assert page.locator(".answers dt").count() >= len(answered)

    # And on to the report, still by keyboard.
    tab_to(page, 'main a[href$="/report"]')
    press_enter_and_wait(page)
    assert "/report" in page.url
    assert "Keyboard-only initiative" in page.locator("h1").inner_text()
    assert "Te Whare Tiaki Trust" in page.locator("main").inner_text()
