"""The board brief, the full record, the action plan and the register on a 360 px phone: nothing
scrolls sideways (report tables turn into stacked cards). Screenshots go to screenshots/ for reviewers."""

import pytest

from tests.browser.conftest import screenshot

PAGES = {
    "brief": "/assessments/{id}/brief",
    "report": "/assessments/{id}/report",
    "action-plan": "/assessments/{id}/actions",
    "register": "/actions",
}


@pytest.mark.parametrize("name", PAGES)
def test_report_pages_fit_a_360px_phone(name, phone, page, finished_assessment):
    for device, tab in (("phone", phone), ("desktop", page)):
        response = tab.goto(PAGES[name].format(id=finished_assessment))
        assert response.status == 200, f"{tab.url} answered {response.status}"
        screenshot(tab, f"{name}-{device}")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{phone.url} is {width}px wide on a 360px phone: it scrolls sideways"
    # Nothing is clipped either: no element inside the main content reaches past the screen's edge.
    wider = phone.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 361 && getComputedStyle(e).overflowX !== 'auto')
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert wider == [], f"{phone.url}: {wider} reach past 360px"
