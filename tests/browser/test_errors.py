"""Errors are announced and linked: focus lands on the error summary, which links to each field, and
each field's error is part of its accessible description."""

from playwright.sync_api import expect

from tests.browser.conftest import start_assessment


def test_start_form_errors_are_focused_linked_and_described(page):
    page.goto("/assessments/new")
    with page.expect_navigation():
        page.get_by_role("button", name="Start").press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # autofocus: no JavaScript needed
    expect(summary).to_have_attribute("role", "alert")
    assert page.title().startswith("Error:")  # the page title says so first, too
    for field_id, message in (("initiative", "Enter the name of the initiative you are assessing."),):
        expect(summary.locator(f'a[href="#{field_id}"]')).to_have_text(message)
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(f"Error: {message}")


def test_pre_screen_errors_are_focused_linked_and_described(page):
    """Leaving out a recommended assessment without saying why: the summary is focused, links to the
    reason field, and the field is described by its error."""
    public_id = start_assessment(page, initiative="Pre-screen error check")
    page.goto(f"/assessments/{public_id}/trees")
    ticked = page.locator("#trees input[type=checkbox]:checked").first
    tree_id = ticked.get_attribute("value")
    ticked.uncheck()
    page.locator(f"#reason-{tree_id}").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    message = "Say why you are leaving this out: it was recommended."
    expect(summary.locator(f'a[href="#reason-{tree_id}"]')).to_contain_text(message)
    field = page.locator(f"#reason-{tree_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(f"Error: {message}")


def test_question_error_is_focused_and_described(page):
    start_assessment(page, initiative="Error focus check")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    link = summary.locator('a[href="#answer"]')
    expect(link).to_have_count(1)
    group = page.locator("#answer")
    error_text = page.locator("#answer-error").inner_text()
    assert "Error:" in error_text
    assert "answer-error" in group.get_attribute("aria-describedby").split()
