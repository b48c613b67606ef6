"""Documents in a real browser: drafting a privacy notice from the answers, its page and its edit
form pass axe's WCAG 2.2 AA checks, and (on request) the README's screenshots of a draft and its PDF."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.browser.conftest import DESKTOP, OFFICER, assert_no_axe_violations, log_in, start_assessment
from tests.browser.test_everyday import DOCS_SCREENSHOTS


@pytest.fixture(scope="module")
def drafted(browser, live_server):
    """An assessment whose "About this work" was answered (first options: identifying information), with
    its privacy notice drafted through the page's own form."""
    context = browser.new_context(base_url=live_server, **DESKTOP)
    log_in(context, OFFICER)
    page = context.new_page()
    public_id = start_assessment(page, initiative="Whānau support programme")
    page.goto(f"/assessments/{public_id}/documents")
    page.get_by_role("link", name="Privacy notice for the people we work with").click()
    page.get_by_label("Use te reo Māori greetings and headings").check()
    page.get_by_role("button", name="Draft it").click()
    page.wait_for_load_state()
    context.close()
    return public_id


def test_document_pages_pass_axe(new_context, drafted):
    page = new_context(OFFICER).new_page()
    page.goto(f"/assessments/{drafted}/documents")
    assert_no_axe_violations(page)
    page.goto(f"/assessments/{drafted}/documents/privacy-notice")
    assert page.get_by_role("heading", name="Kia ora. Your information and").count() == 1
    assert "Reading grade" in page.inner_text("main")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Edit the text").click()
    page.get_by_label("The text of the document").fill("# A heading\n\n" + "Word " * 60000)
    page.get_by_role("button", name="Save").click()
    assert page.locator(".error-summary").count() == 1  # too long: the error summary, as on every form
    assert_no_axe_violations(page)


@pytest.mark.skipif(not os.environ.get("DPUP_UPDATE_DOCS_SCREENSHOTS"),
                    reason="makes the README's screenshots: set DPUP_UPDATE_DOCS_SCREENSHOTS=1")
def test_screenshots_of_a_draft_and_its_pdf(new_context, drafted, tmp_path):
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = new_context(OFFICER)
    page = context.new_page()
    page.goto(f"/assessments/{drafted}/documents/privacy-notice")
    page.screenshot(path=str(DOCS_SCREENSHOTS / "document-draft-desktop.png"), full_page=True)
    pdf = context.request.get(f"/assessments/{drafted}/documents/privacy-notice.pdf")
    (tmp_path / "notice.pdf").write_bytes(pdf.body())
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) makes the PDF's picture")
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "notice.pdf"),
                    str(DOCS_SCREENSHOTS / "document-pdf-page-1")], check=True)
    assert (DOCS_SCREENSHOTS / "document-pdf-page-1.png").exists()
