"""A frontline worker on a 360x740 phone: from home to the checklist in one tap, every item, the result."""

from pathlib import Path

import pytest

from dpup import config
from dpup.engine import load_library
from tests.browser.conftest import tap_and_wait

CHECKLIST = "see-or-correct"


@pytest.fixture(scope="module")
def checklist():
    return load_library(Path(config.TREES_DIR), Path(config.CONTENT_DIR)).checklists[CHECKLIST]


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width}px wide on a 360px phone: it scrolls sideways"


def test_checklist_all_clear_on_a_phone(phone, checklist):
    phone.goto("/")
    no_sideways_scroll(phone)
    tap_and_wait(phone.get_by_role("link", name=checklist.title))  # one tap from the home page
    assert phone.url.endswith(f"/checklists/{CHECKLIST}")
    assert phone.locator("h1").inner_text() == checklist.title
    no_sideways_scroll(phone)

    # The guidance for an item is one tap away, and hidden until then.
    first = checklist.items[0]
    help_text = phone.locator(f"#item-{first.id} details.item-help")
    body = help_text.locator("p").first
    assert not body.is_visible()
    help_text.locator("summary").tap()
    assert body.is_visible()

    # One tap per item, on the label (a large target), not the small radio.
    for item in checklist.items:
        label = phone.locator(f'label[for="item-{item.id}-yes"]')
        box = label.bounding_box()
        assert box["height"] >= 24, f"'Yes' for {item.id} is only {box['height']}px tall"
        label.tap()
        assert phone.locator(f"#item-{item.id}-yes").is_checked(), item.id
    no_sideways_scroll(phone)

    tap_and_wait(phone.get_by_role("button", name="See the result"))
    text = phone.locator("main").inner_text()
    assert phone.locator("h1").inner_text() == f"Result: {checklist.title}"
    assert "All clear" in text
    assert checklist.result.all_clear.strip() in text
    assert "What to do before you go on" not in text
    no_sideways_scroll(phone)


def test_checklist_with_things_to_do_on_a_phone(phone, checklist):
    phone.goto(f"/checklists/{CHECKLIST}")
    items = checklist.items
    no_item, na_item = items[1], next(i for i in items if i.allow_na)
    for item in items:
        value = "no" if item is no_item else "na" if item is na_item else "yes"
        phone.locator(f'label[for="item-{item.id}-{value}"]').tap()
    phone.locator(f"#reason-{na_item.id}").fill("They have not asked for a correction.")
    tap_and_wait(phone.get_by_role("button", name="See the result"))
    text = phone.locator("main").inner_text()
    assert "Not yet: some things to do first" in text
    assert checklist.result.not_clear.strip() in text
    assert "What to do before you go on" in text
    assert no_item.text in text and no_item.if_no.strip() in text
    assert "Marked not applicable" in text and "They have not asked for a correction." in text
    no_sideways_scroll(phone)


def test_not_applicable_without_a_reason_is_explained_and_linked(phone, checklist):
    phone.goto(f"/checklists/{CHECKLIST}")
    na_item = next(i for i in checklist.items if i.allow_na)
    phone.locator(f'label[for="item-{na_item.id}-na"]').tap()
    tap_and_wait(phone.get_by_role("button", name="See the result"))
    summary = phone.locator("#error-summary")
    assert summary.is_visible() and "Say briefly why this does not apply." in summary.inner_text()
    # The error is tied to its item, and the summary links to it.
    fieldset = phone.locator(f"#item-{na_item.id}")
    assert fieldset.get_attribute("aria-describedby") == f"error-{na_item.id}"
    assert summary.locator(f'a[href="#item-{na_item.id}"]').count() == 1
    # The answers given are kept.
    assert phone.locator(f"#item-{na_item.id}-na").is_checked()


def test_checklist_result_prints_on_one_sheet(page, checklist):
    import io

    from pypdf import PdfReader

    page.goto(f"/checklists/{CHECKLIST}")
    for i, item in enumerate(checklist.items):
        page.locator(f'label[for="item-{item.id}-{"no" if i < 3 else "yes"}"]').click()
    with page.expect_navigation():
        page.get_by_role("button", name="See the result").click()
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1, f"the result sheet takes {len(reader.pages)} pages"
    assert checklist.title in text and checklist.items[0].if_no.split()[0] in text
    assert "Log out" not in text and "Save this result" not in text  # no screen-only controls on paper
