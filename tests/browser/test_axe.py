"""axe-core on every page type: zero violations at WCAG 2.0, 2.1 and 2.2 A and AA."""

import pytest

from tests.browser.conftest import ASSESSED_TREE, assert_no_axe_violations, start_assessment

CHECKLIST = "see-or-correct"


def _question_with_error(page, assessment):
    start_assessment(page, initiative="Error check")
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator(".error-summary").count(), "expected an error after submitting no answer"


def _new_with_errors(page, assessment):
    page.goto("/assessments/new")
    page.get_by_role("button", name="Start").click()
    assert page.locator(".error-summary").count()


def _checklist_with_error(page, assessment):
    page.goto(f"/checklists/{CHECKLIST}")
    page.locator("input[value=na]").first.check()  # not applicable, without saying why
    page.get_by_role("button", name="See the result").click()
    assert page.locator(".error-summary").count()


def _checklist_result(page, assessment):
    page.goto(f"/checklists/{CHECKLIST}")
    for radio in page.locator("input[value=yes]").all()[:2]:
        radio.check()
    page.locator("input[value=no]").last.check()
    page.get_by_role("button", name="See the result").click()
    assert page.url.endswith(f"/checklists/{CHECKLIST}") and page.locator("h1").inner_text().startswith("Result")


def _navigator_with_error(page, assessment):
    page.goto("/start")
    page.get_by_role("button", name="Next").click()
    assert page.locator(".error-message").count()


def _navigator_outcome(page, assessment):
    page.goto("/start")
    for _ in range(10):
        if not page.get_by_role("button", name="Next").count():
            return
        page.locator("#answer input").first.check()
        page.get_by_role("button", name="Next").click()
    raise AssertionError("navigator never reached an outcome")


def _question(page, assessment):
    page.goto(f"/assessments/{assessment()}/trees/{ASSESSED_TREE}/summary")
    page.locator("main").get_by_role("link", name="Change").first.click()
    assert "/questions/" in page.url


def _trees_with_errors(page, assessment):
    """The pre-screen with a tree added against the recommendation and no reason given."""
    page.goto(f"/assessments/{assessment()}/trees")
    unticked = page.locator("#trees input[type=checkbox]:not(:checked)")
    if unticked.count():
        unticked.first.check()
    else:
        page.locator("#trees input[type=checkbox]").first.uncheck()
    for field in page.locator("#trees input[type=text]").all():
        field.fill("")
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator(".error-summary").count()


def _goto(path, status=200):
    def go(page, assessment):
        response = page.goto(path.format(id=assessment() if "{id}" in path else None, tree=ASSESSED_TREE))
        assert response.status == status, f"{page.url} answered {response.status}"
    return go


def _one_action(page, assessment):
    page.goto(f"/assessments/{assessment()}/actions")
    page.locator("main table a").first.click()
    assert "/actions/" in page.url and page.locator("form").count()


PAGES = {
    "home": _goto("/"),
    "login": _goto("/login"),
    "change password": _goto("/account/password"),
    "content page": _goto("/pages/principles/he-tangata"),
    "glossary": _goto("/pages/glossary"),
    "navigator": _goto("/start"),
    "navigator with error": _navigator_with_error,
    "navigator outcome": _navigator_outcome,
    "new assessment": _goto("/assessments/new"),
    "new assessment with errors": _new_with_errors,
    "question": _question,
    "question with error": _question_with_error,
    "assessment": _goto("/assessments/{id}"),
    "which assessments": _goto("/assessments/{id}/trees"),
    "which assessments with errors": _trees_with_errors,
    "change name": _goto("/assessments/{id}/details"),
    "delete draft": _goto("/assessments/{id}/delete"),
    "summary": _goto("/assessments/{id}/trees/{tree}/summary"),
    "report": _goto("/assessments/{id}/report"),
    "board brief": _goto("/assessments/{id}/brief"),
    "action plan": _goto("/assessments/{id}/actions"),
    "one action": lambda page, assessment: _one_action(page, assessment),
    "brief words": _goto("/assessments/{id}/brief-words"),
    "action register": _goto("/actions"),
    "checklist": _goto(f"/checklists/{CHECKLIST}"),
    "checklist with error": _checklist_with_error,
    "checklist result": _checklist_result,
    "tree explorer": _goto("/trees/{tree}"),
    "tree coverage": _goto("/trees/coverage"),
    "assessments list": _goto("/assessments/"),
    "404 page": _goto("/no-such-page", status=404),
}


def _assessment_of(request):
    """The finished assessment's id, made only for the pages that need one."""
    return lambda: request.getfixturevalue("finished_assessment")


@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(name, page, request):
    PAGES[name](page, _assessment_of(request))
    assert_no_axe_violations(page)


@pytest.mark.parametrize("name", ["home", "checklist", "checklist result", "question", "report", "board brief",
                                  "action plan", "action register"])
def test_no_axe_violations_on_a_phone(name, phone, request):
    PAGES[name](phone, _assessment_of(request))
    assert_no_axe_violations(phone)
