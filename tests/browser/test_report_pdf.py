"""The report page printed to PDF through the browser, as a person would with 'Print > Save as PDF'."""

import io

from pypdf import PdfReader


def test_report_prints_to_pdf(page, finished_assessment):
    page.goto(f"/assessments/{finished_assessment}/report")
    title = page.locator("h1").inner_text()
    assert "Axe check initiative" in title
    page.emulate_media(media="print")
    assert not page.locator("header nav").is_visible(), "the site navigation should not be printed"
    pdf = page.pdf(format="A4", print_background=True, margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert " ".join(title.split()) in text
    assert "Te Whare Tiaki Trust" in text
    assert "Ratings by principle" in text
