"""Board-ready reports: one report model rendered as HTML, Markdown and PDF, the downloads and the CLI.

Assessments are driven through the web forms, as a person would, on the small test knowledge base.
"""

import io
import re
from html import unescape

import markdown
import pytest
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont
from sqlalchemy import select

from dpup.cli import main as cli
from dpup.reports import pdf as pdf_module
from dpup.reports.markdown import render_markdown
from dpup.reports.model import build_report
from dpup.storage import assessments as store
from dpup.storage.db import db
from dpup.storage.models import Assessment, Status, User
from tests.conftest import login, make_people
from tests.helpers import submit, text_of

ORG = "Te Whānau Ora o Kaitiakitanga Trust"
INITIATIVE = "Whānau outcomes dashboard"
MACRONS = "ā ē ī ō ū Ā Ē Ī Ō Ū"
NOTES = {
    "purpose": "Draft only; the kaumātua have not seen it yet.",
    "personal": "Counts are enough for Kaitiakitanga.",
    "matching": f"Ōtautahi office only. Macrons: {MACRONS}.",
    "views": "Hui planned for March with whānau and hapū.",
}
LONG_WORD = "whānau" * 50  # 300 characters, no space
BIG_NOTE = ("Kaitiakitanga: we look after this information as a steward whānau can trust. " * 70)[:4980] + " END-BIG"
HOSTILE = ("<script>alert('x')</script> <para>para</para> <font color='red' size='40'>font</font> "
           "**bold** [a](javascript:alert(1)) &amp; &lt;b&gt; # not a heading\n- not a list\n" + LONG_WORD)
HOSTILE_ORG = "<para>Ngāti <font color='red'>Whātua</font></para> **Trust** & Co"
HOSTILE_INITIATIVE = "<b>Bold</b> [link](javascript:x) _under_"


# --- Driving assessments through the forms ----------------------------------------------------


def officer_of(app, organisation: str, prefix: str):
    """A logged-in privacy officer of a new organisation called ``organisation``."""
    return login(app.test_client(), make_people(app, organisation, prefix)["privacy_officer"])


@pytest.fixture
def officer(app):
    return officer_of(app, ORG, "kt")


def start(client, initiative=INITIATIVE, description="Monthly reporting to our funder."):
    response = submit(client, "/assessments/new", {
        "initiative": initiative, "description": description, "trees": ["journey"],
    })
    assert response.status_code == 302, text_of(response)
    return re.match(r"/assessments/([\w-]+)/trees/journey$", response.location).group(1)


def answer(client, public_id, node_id, **data):
    response = submit(client, f"/assessments/{public_id}/trees/journey/questions/{node_id}", data)
    assert response.status_code == 302, text_of(response)


@pytest.fixture
def finished(officer):
    """A finished assessment with findings, an action owner and due date, notes with macrons and an unused answer."""
    pid = start(officer)
    answer(officer, pid, "purpose", answer="no", note=NOTES["purpose"], action_owner="Pōua Tāne",
           action_due="2027-02-28")
    answer(officer, pid, "personal", answer="identifying")
    answer(officer, pid, "why-identifying", answer="To follow up whānau who miss appointments.")
    answer(officer, pid, "personal", answer="aggregate", note=NOTES["personal"])  # the text answer is now unused
    answer(officer, pid, "matching", answer="na", reason="We hold no other data.", note=NOTES["matching"])
    answer(officer, pid, "views", answer=["nobody"], note=NOTES["views"], action_owner="Privacy officer")
    return pid


@pytest.fixture
def hostile_officer(app):
    return officer_of(app, HOSTILE_ORG, "hostile")


@pytest.fixture
def hostile(hostile_officer):
    """User text that looks like mark-up in every format, a very long word, a 5,000-character note, empty fields."""
    client = hostile_officer
    pid = start(client, initiative=HOSTILE_INITIATIVE, description="")
    answer(client, pid, "purpose", answer="no", note=HOSTILE, action_owner="<i>Owner</i> *x*", action_due="")
    answer(client, pid, "personal", answer="identifying", note="")
    answer(client, pid, "why-identifying", answer=HOSTILE)
    answer(client, pid, "matching", answer="na", reason="<para>Reason</para> `code`", note=BIG_NOTE)
    return pid


def assessment_of(public_id):
    return db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))


def report_of(app, public_id):
    with app.app_context():
        return build_report(app.extensions["dpup.library"], assessment_of(public_id))


def pdf_text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def without_furniture(pages: list[str]) -> str:
    """The text of every page less its header (the cover's band) and footer line, so a text that
    runs over a page break reads on, as on paper."""
    kept = []
    for number, page in enumerate(pages):
        lines = page.strip("\n").split("\n")
        assert re.search(r"Page \d+ of \d+$", lines[-1]), lines[-1]
        kept += lines[2 if number == 0 else 1:-1]
    return "\n".join(kept)


def squash(text: str) -> str:
    """Whitespace removed: lines wrap and long words break anywhere in a PDF."""
    return re.sub(r"\s+", "", text)


def fold(text: str) -> str:
    return " ".join(text.split())


# --- The report model ---------------------------------------------------------------------------


def test_model_has_everything_a_board_report_needs(app, finished):
    report = report_of(app, finished)
    assert report.assessed_by == f"Privacy Officer kt, {ORG}" and report.organisation == ORG
    assert report.public_id == finished and report.status == "Draft"
    assert [(t.title, t.version) for t in report.trees_used] == [("Test journey", "t1")]
    assert report.trees_used[0].content_hash and report.trees_used[0].status == "Go ahead once the actions are done: Write the purpose down first"
    assert report.summary == "Overall, the initiative can go ahead once the required actions are done."
    assert dict(report.severity_counts) == {"Stop": 0, "Seek advice first": 0, "Action required": 1, "Advisory": 1, "Information": 0}
    # Ratings: the most serious finding against each principle or guideline, per the rule in the docstring.
    assert {r.name: r.rating for r in report.principle_ratings} == {"He Tāngata": "Needs action",
                                                                   "Kaitiakitanga": "Strong"}
    assert {r.name: r.rating for r in report.guideline_ratings} == {"Purpose Matters": "Needs action",
                                                                   "Transparency and Choice": "Good, with improvements"}
    assert [r.score for r in report.principle_ratings] == [2, 4]
    # Each finding once, grouped by severity, with its basis and the questions that raised it.
    assert [(g.label, [(f.text, f.basis_text, f.raised_by) for f in g.findings]) for g in report.by_severity] == [
        ("Action required", [("The purpose is not written down.", "Required by law (Privacy Act 2020, s 22, IPP 1)",
                              ("Test journey: Is the purpose written down?",))]),
        ("Advisory", [("Nobody has been asked.", "DPUP good practice", ("Test journey: Whose views did you seek?",))])]
    # The action plan: one action item per finding, owned and dated as typed at the question,
    # soonest due first; the outcome's general advice is not an action item.
    plan = [(a.action, a.severity, a.owner, a.due, a.status) for a in report.action_plan]
    assert plan == [
        ("Write a purpose statement.", "Action required", "Pōua Tāne", "28 February 2027", "Open"),
        ("Talk to the people concerned.", "Advisory", "Privacy officer", "No due date", "Open"),
    ]
    section = report.sections[0]
    assert [(a.question, a.note) for a in section.answers if a.note] == [
        ("Is the purpose written down?", NOTES["purpose"]), ("What kind of information do you need?", NOTES["personal"]),
        ("Will you match it with other data?", NOTES["matching"]), ("Whose views did you seek?", NOTES["views"])]
    assert [(a.question, a.answer) for a in section.unused] == [
        ("Why do you need to know who people are?", "To follow up whānau who miss appointments.")]
    assert report.unused_total == 1 and report.answers_total == 4 and report.findings_total == 2
    assert report.signoff is None and report.signoff_fields == ("Name", "Role", "Date", "Signature")
    assert report.signoff_lines == (("Name", ""), ("Role", ""), ("Date", ""), ("Signature", ""))
    assert report.language == "en-NZ"


def test_model_of_a_new_assessment_is_not_assessed(app, officer):
    report = report_of(app, start(officer))
    assert report.summary == "Overall, 1 of 1 assessments are not finished yet."
    assert {r.rating for r in report.principle_ratings} == {"Not assessed"}
    assert report.by_severity == () and report.action_plan == () and report.sections[0].answers == ()


# --- PDF ----------------------------------------------------------------------------------------


def test_shipped_font_has_the_macron_glyphs():
    for name, path in pdf_module.FONT_FILES.items():
        assert path.parent.name == "fonts" and path.exists()
        face = TTFont(f"check-{name}", str(path)).face
        missing = [c for c in "āēīōūĀĒĪŌŪ" if ord(c) not in face.charToGlyph]
        assert not missing, f"{path.name} has no glyph for {missing}"
    assert (pdf_module.FONTS_DIR / "LICENSE-DejaVu.txt").read_text().count("Bitstream Vera") >= 1


def test_pdf_download_has_findings_ratings_actions_notes_and_macrons(officer, finished):
    response = officer.get(f"/assessments/{finished}/report.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename=dpup-report-whanau-outcomes-dashboard.pdf'
    assert response.headers["Cache-Control"] == "no-store"
    _, pages = pdf_text(response.data)
    flat = fold(without_furniture(pages))
    for expected in (
        "Our assessment of the initiative", "Overall, the initiative can go ahead once the required actions are done.",
        # findings
        "The purpose is not written down.", "Nobody has been asked.", "Action required (1)", "Advisory (1)",
        # ratings, in the chart and the tables
        "He Tāngata", "Kaitiakitanga", "Needs action", "Strong", "Good, with improvements",
        "Each principle is rated from the most serious finding raised against it.",
        # actions, with owner and due date
        "Action plan", "Write a purpose statement.", "Talk to the people concerned.", "Pōua Tāne",
        "2027-02-28", "Privacy officer", "Keep your purpose statement up to date.",
        # who, what, which trees, sign-off, unused answers
        ORG, INITIATIVE, "Assessed by", "Test journey", "t1", "Sign-off", "Signature",
        "Answers given on branches no longer in use", "To follow up whānau who miss appointments.",
        "We hold no other data.",
    ):
        assert expected in flat, expected
    for note in NOTES.values():
        assert fold(note) in flat, note
    assert MACRONS in flat and "whānau" in flat and "kaumātua" in flat


def test_pdf_pages_are_numbered_page_n_of_m(app, finished):
    _, pages = pdf_text(pdf_module.render_pdf(report_of(app, finished)))
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text


def test_pdf_metadata_language_outline_and_embedded_fonts(app, finished):
    reader, _ = pdf_text(pdf_module.render_pdf(report_of(app, finished)))
    meta = reader.metadata
    assert meta.title == f"DPUP assessment: {INITIATIVE}"
    assert meta.author == f"Privacy Officer kt, {ORG}"
    assert meta.subject == "Data Protection and Use Policy (DPUP) assessment report"
    assert reader.trailer["/Root"]["/Lang"] == "en-NZ"

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Full record", "Summary", "Findings", "Action plan", "Sign-off", "History of changes",
                   "Appendix: every answer"]
    assert {"Ratings by principle", "Ratings by guideline", "Outcomes", "Test journey"} <= set(titles(reader.outline))
    # Each bookmark opens its own page: the appendix is last and starts on a page of its own.
    appendix = next(i for i in reader.outline if not isinstance(i, list) and i.title.startswith("Appendix"))
    assert reader.get_destination_page_number(appendix) > reader.get_destination_page_number(reader.outline[1])

    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)
            assert "/FontFile2" in descriptor["/FontDescriptor"], font  # the TrueType program is embedded
    assert fonts and all("DejaVuSans" in f for f in fonts), fonts  # embedded subsets, never a base-14 font


def test_text_flowable_breaks_long_words_and_splits_across_pages():
    pdf_module.register_fonts()
    text = pdf_module.Text(LONG_WORD + " end\n\nsecond paragraph", pdf_module.T["body"], label="Note:")
    width, _ = text.wrap(200, 1000)
    lines = text._lines
    assert width == 200 and len(lines) >= 5 and lines[0][0] == "Note:" and lines[-1] == ("", "second paragraph")
    assert lines[-2] == ("", "") and "".join(t for _, t in lines[:-2]).replace(" end", "") == LONG_WORD
    head, tail = text.split(200, 3 * pdf_module.T["body"].leading)
    assert len(head._lines) == 3 and head._lines + tail._lines == lines
    assert text.split(200, pdf_module.T["body"].leading) == []  # one line alone is not left behind
    empty = pdf_module.Text("", pdf_module.T["body"])
    assert empty.wrap(200, 100)[1] == pdf_module.T["body"].leading


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_download_headers_and_structure(officer, finished):
    response = officer.get(f"/assessments/{finished}/report.md")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename=dpup-report-whanau-outcomes-dashboard.md'
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert text.startswith(f"# DPUP assessment: {INITIATIVE}\n")
    for heading in ("## Our assessment of the initiative", "## Ratings by principle", "## Findings",
                    "## Action plan", "## Sign-off", "## Appendix: every answer",
                    "#### Answers given on branches no longer in use"):
        assert f"\n{heading}\n" in text
    # Readable as plain text: no HTML, no tables, and the sign-off lines are there to sign on.
    assert "<" not in text and "|" not in text and "Signature: ____" in text
    assert "- **He Tāngata** (Improve people's lives): Needs action, 2 finding(s)" in text
    assert "*Owner:* Pōua Tāne; *due:* 28 February 2027" in text


def _sections(html: str) -> dict[str, str]:
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", html)
    return {unescape(re.sub(r"<[^>]+>", "", parts[i])): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _clean(fragment: str) -> str:
    return fold(unescape(re.sub(r"<[^>]+>", " ", fragment)))


def _values(fragment: str) -> str:
    """One answer's value: a several-of answer is a list of options (options may hold commas)."""
    items = re.findall(r"<li>(.*?)</li>", fragment, re.DOTALL)
    return " | ".join(_clean(i) for i in items) if items else _clean(fragment)


def html_page_sets(html: str):
    """Findings as (text, basis, action) and answers as (question, value, note) from the HTML page.

    A finding's cell holds the finding, then its principles and its action, each after a <br>.
    """
    sections = _sections(html)
    findings = set()
    for cell, basis in re.findall(r'<tr class="finding[^"]*"><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>',
                                  sections["Findings"], re.DOTALL):
        parts = cell.split("<br>")
        action = next((_clean(p)[len("Action:"):].strip() for p in parts[1:] if _clean(p).startswith("Action:")), "")
        findings.add((_clean(parts[0]), _clean(basis), action))
    answers = set()
    for question, value, rest in re.findall(
            r'<div class="answer-row"><dt>(.*?)</dt>\s*<dd>(<span class="answer-value">.*?</span>|<ul class="values">.*?</ul>)(.*?)</dd></div>',
            sections["Appendix: every answer"], re.DOTALL):
        note = re.search(r'<p class="note"><span class="label">Note:</span>(.*?)</p>', rest, re.DOTALL)
        answers.add((_clean(question), _values(value), _clean(note.group(1)) if note else ""))
    return findings, answers


def markdown_sets(html: str):
    sections = _sections(html)
    findings = set()
    for text, body in re.findall(r"<li><strong>(.*?)</strong>\s*(<em>Basis:</em>.*?)</li>", sections["Findings"],
                                 re.DOTALL):
        basis = re.search(r"<em>Basis:</em>(.*?)\n", body + "\n", re.DOTALL).group(1)
        action = re.search(r"<em>Action:</em>(.*?)(?:\n|$)", body, re.DOTALL)
        findings.add((_clean(text), _clean(basis), _clean(action.group(1)) if action else ""))
    answers = set()
    # Each answer is a list item that opens with its question; a several-of answer nests a list of options.
    for chunk in re.split(r"<li>\s*<p><strong>", sections["Appendix: every answer"])[1:]:
        question, value, rest = re.match(
            r"(.*?)</strong></p>\s*<p><strong>Answer:</strong>(.*?)</p>(.*)", chunk, re.DOTALL).groups()
        several = re.match(r"\s*<ul>(.*?)</ul>", rest, re.DOTALL)
        if not _clean(value) and several:
            value, rest = several.group(0), rest[several.end():]
        note = re.search(r"<p><strong>Note:</strong>(.*?)</p>", rest, re.DOTALL)
        answers.add((_clean(question), _values(value), _clean(note.group(1)) if note else ""))
    return findings, answers


@pytest.mark.parametrize("which", ["finished", "hostile"])
def test_markdown_has_the_same_findings_and_answers_as_the_html_page(request, which):
    public_id = request.getfixturevalue(which)
    client = request.getfixturevalue({"finished": "officer", "hostile": "hostile_officer"}[which])
    page = client.get(f"/assessments/{public_id}/report").get_data(as_text=True)
    md_html = markdown.markdown(client.get(f"/assessments/{public_id}/report.md").get_data(as_text=True))
    page_findings, page_answers = html_page_sets(page)
    md_findings, md_answers = markdown_sets(md_html)
    assert page_findings and page_answers and all(action for _, _, action in page_findings)
    assert md_findings == page_findings
    assert md_answers == page_answers


# --- User text is literal everywhere ------------------------------------------------------------


def test_hostile_text_is_literal_in_html_markdown_and_pdf(app, hostile_officer, hostile):
    client = hostile_officer
    report = report_of(app, hostile)
    # HTML: escaped by Jinja, shown as typed.
    page = client.get(f"/assessments/{hostile}/report")
    html = page.get_data(as_text=True)
    assert "<script>alert" not in html and "<para>" not in html and "<font color" not in html
    shown = text_of(page)
    for literal in (HOSTILE, HOSTILE_ORG, HOSTILE_INITIATIVE, BIG_NOTE, "<para>Reason</para> `code`"):
        assert fold(literal) in shown, literal[:40]

    # Markdown: parses to text that reads exactly as typed, with no tag, link or emphasis from the user.
    md = render_markdown(report)
    rendered = markdown.markdown(md)
    assert "<script" not in rendered and "<para" not in rendered and "<font" not in rendered
    assert "javascript:" not in re.findall(r'href="([^"]*)"', rendered).__str__()
    assert "<strong>bold</strong>" not in rendered and "<em>under</em>" not in rendered
    assert "<code>code</code>" not in rendered and "<h1>not a heading" not in rendered
    read = _clean(rendered)
    for literal in (HOSTILE, HOSTILE_ORG, HOSTILE_INITIATIVE, BIG_NOTE, "<para>Reason</para> `code`"):
        assert fold(literal) in read, literal[:40]

    # PDF: reportlab's mark-up is not interpreted, the long word is broken, nothing is lost.
    data = pdf_module.render_pdf(report)
    _, pages = pdf_text(data)
    text = squash(without_furniture(pages))
    for literal in (HOSTILE, HOSTILE_ORG, HOSTILE_INITIATIVE, BIG_NOTE, "<para>Reason</para> `code`",
                    "<i>Owner</i> *x*"):
        assert squash(literal) in text, literal[:40]
    assert "Page 1 of" in pages[0]


def test_odd_text_never_breaks_the_pdf(app, officer):
    client = officer
    odd = ["", " ", "\n\n\n", "\x00\x07 control \x1b characters", "tab\tseparated", "\r\nwindows\r\nlines",
           "emoji 😀 and CJK 漢字", "&", "<", "<para", "</para>", "<br/>", "&nbsp;", "\u200b" * 50,
           "x" * 5000, ("word " * 1000).strip(), "\n".join(["line"] * 300)]
    pid = start(client, description="\n".join(odd[:8]))
    answer(client, pid, "purpose", answer="yes", note=odd[-1])
    answer(client, pid, "personal", answer="identifying", note=odd[-3])
    answer(client, pid, "why-identifying", answer=odd[-2], note="\n".join(odd[:14]))
    report = report_of(app, pid)
    _, pages = pdf_text(pdf_module.render_pdf(report))
    text = squash(without_furniture(pages))
    assert squash(odd[-3]) in text and "controlcharacters" in text and "windowslines" in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert render_markdown(report) and markdown.markdown(render_markdown(report))


def test_pacific_languages_print_and_what_the_font_cannot_draw_is_marked_not_boxed(app, officer):
    """Macrons and the ʻokina print as typed; emoji and scripts DejaVu Sans lacks become a visible
    marker, never an empty box (a glyph the embedded font does not have)."""
    words = "Tāmaki Makaurau; Sāmoa: faʻafetai; Tonga: ʻofa atu; 🎉👍🏽 and 漢字 here"
    pid = start(officer, description=words)
    answer(officer, pid, "purpose", answer="no", note=words)
    with app.app_context():  # and in the brief, as the privacy officer's recommendation
        assessment = db.session.scalar(select(Assessment).filter_by(public_id=pid))
        store.change_brief_words(assessment, assessment.created_by, "", words, [], assessment.version)
    report = report_of(app, pid)
    for data in (pdf_module.render_pdf(report), officer.get(f"/assessments/{pid}/brief.pdf").data):
        _, pages = pdf_text(data)
        text = squash(without_furniture(pages))
        for kept in ("TāmakiMakaurau", "faʻafetai", "ʻofaatu"):
            assert kept in text, kept
        assert "[emoji][emoji]and[textthePDFcannotshow]here" in text
        covered = pdf_module.printable_code_points()
        assert [c for c in text if ord(c) > 127 and ord(c) not in covered] == []  # nothing left to draw as a box


# --- Page, downloads and CLI --------------------------------------------------------------------


def test_report_page_links_downloads_and_print_styles(officer, finished):
    client = officer
    html = client.get(f"/assessments/{finished}/report").get_data(as_text=True)
    assert f'href="/assessments/{finished}/report.pdf"' in html
    assert f'href="/assessments/{finished}/report.md"' in html
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in html
    css = client.get("/static/print.css")
    assert css.status_code == 200 and b"@page" in css.data and b".site-header" in css.data
    text = text_of(client.get(f"/assessments/{finished}/report"))
    for expected in ("Assessed by", ORG, "Decision trees used", "Findings",
                     "Action plan", "Sign-off", "Signature", "Pōua Tāne", "28 February 2027"):
        assert expected in text


def test_downloads_are_for_the_organisation_and_roles_that_may_read_the_report(app, finished, login_as):
    urls = [f"/assessments/{finished}/report.{ext}" for ext in ("md", "pdf")]
    other_org, board = login_as("privacy_officer", org="other"), login_as("board")
    for url in [*urls, "/assessments/not-a-real-id/report.md", "/assessments/not-a-real-id/report.pdf"]:
        assert other_org.get(url).status_code == 404, url  # never 403: nobody learns it exists
    anonymous = app.test_client().get(urls[1])
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    # The board reads approved reports only: a draft is not there for them.
    kt = login(app.test_client(), "board@kt.example")
    assert kt.get(urls[1]).status_code == 404
    approve(app, finished)
    response = kt.get(urls[1])
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert board.get(urls[1]).status_code == 404  # another organisation's board


def approve(app, public_id):
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.email == "privacy_officer@kt.example"))
        store.change_status(assessment_of(public_id), officer, Status.SUBMITTED)
        store.change_status(assessment_of(public_id), officer, Status.APPROVED, "Approved at the March hui.")


def test_a_recorded_approval_fills_the_sign_off_block(app, finished):
    approve(app, finished)
    report = report_of(app, finished)
    assert report.status == "Approved"
    assert report.signoff.name == "Privacy Officer kt" and report.signoff.role and report.signoff.date
    assert report.signoff_lines[0] == ("Name", "Privacy Officer kt") and report.signoff_lines[3] == ("Signature", "")
    _, pages = pdf_text(pdf_module.render_pdf(report))
    assert "Privacy Officer kt" in fold(without_furniture(pages)) and "Approved" in pages[0]
    assert "Name: Privacy Officer kt" in render_markdown(report)


def test_the_cover_says_who_submitted_it_in_every_format(app, finished, officer):
    assert "Submitted by" not in dict(report_of(app, finished).facts)  # a draft: nobody has yet
    approve(app, finished)
    report = report_of(app, finished)
    assert ("Submitted by", "Privacy Officer kt") in report.facts
    _, pages = pdf_text(pdf_module.render_pdf(report))
    assert "Submitted by" in pages[0] and "Privacy Officer kt" in pages[0]
    assert "- **Submitted by:** Privacy Officer kt" in render_markdown(report)
    html = officer.get(f"/assessments/{finished}/report").get_data(as_text=True)
    assert "<dt>Submitted by</dt><dd>Privacy Officer kt</dd>" in html


@pytest.mark.parametrize("fmt", ["pdf", "md", "html"])
def test_cli_writes_each_format(app, finished, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = app.test_cli_runner().invoke(cli, ["report", finished, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "pdf":
        _, pages = pdf_text(data)
        assert "The purpose is not written down." in "".join(pages) and f"Page 1 of {len(pages)}" in pages[0]
    elif fmt == "md":
        assert data.decode().startswith(f"# DPUP assessment: {INITIATIVE}") and NOTES["views"] in data.decode()
    else:
        html = data.decode()
        assert html.startswith("<!doctype html>") and "<style>" in html and "@media print" in html
        assert NOTES["purpose"] in html and "report.pdf" not in html  # no links that only work on the server


def test_cli_unknown_id_fails_clearly(app, tmp_path):
    out = tmp_path / "nothing.pdf"
    result = app.test_cli_runner().invoke(cli, ["report", "no-such-id", "--format", "pdf", "-o", str(out)])
    assert result.exit_code != 0
    assert "no assessment with id 'no-such-id'" in result.output
    assert not out.exists()



def test_a_text_asked_to_split_where_it_fits_gives_two_pieces():
    """reportlab splits a table cell of several flowables (a finding and its action) by taking the
    two pieces of each split; a text that fits after all must still give two (the benchmark's full
    record crashed with IndexError when it gave one)."""
    pdf_module.register_fonts()
    text = pdf_module.Text("A short finding.", pdf_module.T["cell"])
    pieces = text.split(200, 1000)
    assert len(pieces) == 2 and pieces[0]._lines == [("", "A short finding.")]
    assert pieces[1].wrap(200, 1000)[1] == 0  # the second piece takes no room


def test_a_long_table_row_splits_across_pages_with_its_header_and_stays_above_the_footer():
    """A row too tall for what is left of a page continues on the next, under the repeated header;
    every word is printed once and no line runs below the frame into the page footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from dpup.reports.pdf_parts import _table
    from dpup.reports.pdf_text import WIDTH

    pdf_module.register_fonts()
    words = [f"word{n:04d}" for n in range(900)]
    rows = [["Short finding.", "Required by law", "A question?"], [" ".join(words), "DPUP good practice", "Another?"]]
    buffer, bottom = io.BytesIO(), 72
    SimpleDocTemplate(buffer, pagesize=A4, bottomMargin=bottom, leftMargin=50, rightMargin=A4[0] - 50 - WIDTH).build(
        [_table(["Finding", "Basis", "Raised by"], rows, [WIDTH * 0.4, WIDTH * 0.25, WIDTH * 0.35])])
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    assert len(reader.pages) >= 2
    lowest, printed = [], []
    for page in reader.pages:
        ys = []
        text = page.extract_text(visitor_text=lambda t, cm, tm, font, size: ys.append(
            tm[4] * cm[1] + tm[5] * cm[3] + cm[5]) if t.strip() else None)  # the line's height on the page
        assert text.lstrip().startswith("Finding Basis Raised by"), text[:80]  # the header on every page
        printed += re.findall(r"word\d{4}", text)
        lowest.append(min(ys))
    assert printed == words
    assert min(lowest) >= bottom - 0.01, lowest
