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
    expect(summary.locator('a[href="#trees"]')).to_have_text("Choose at least one assessment.")


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
