"""The board brief and the full record read back from PDF and Word; action items as records; the
action register; New Zealand time; hostile text inert in every format."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from dpup.localtime import format_datetime
from dpup.storage.db import db
from dpup.storage.models import Assessment, Status, User
from tests.helpers import csrf_token, text_of
from tests.test_flow import answer, start

HOSTILE = '=HYPERLINK("http://evil.example") <script>alert(1)</script> **bold** <para>x</para>'


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def finished(client) -> str:
    public_id = start(client)
    answer(client, public_id, "purpose", answer="no", action_owner="Pōua Tāne", action_due="2027-02-28")
    answer(client, public_id, "personal", answer="aggregate")
    answer(client, public_id, "matching", answer="no")
    answer(client, public_id, "views", answer=["nobody"], action_owner="Privacy officer")
    return public_id


def items(app, public_id):
    with app.app_context():
        a = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
        return {i.text: (i.status, i.owner_label, i.due and i.due.isoformat(), i.public_id) for i in a.actions}


def test_brief_keeps_the_verdict_apart_from_the_review_status_in_every_format(app, client):
    public_id = finished(client)
    pages, text = pdf_text(client.get(f"/assessments/{public_id}/brief.pdf").data)
    assert pages <= 4
    for body in (text, docx_text(client.get(f"/assessments/{public_id}/brief.docx").data),
                 client.get(f"/assessments/{public_id}/brief.md").get_data(as_text=True),
                 client.get(f"/assessments/{public_id}/brief").get_data(as_text=True)):
        flat = " ".join(body.split())
        verdict = flat.index("Our assessment of the initiative")
        status = flat.index("Review status of this assessment")
        assert "can go ahead once the required actions are done" in flat[verdict:status]
        assert "draft: it has not been reviewed or approved" in flat[status:]
        assert "Status: Approved" not in flat
        assert flat.count("The purpose is not written down.") == 1  # each finding once in the brief
        assert "The decision the board is asked to make" in flat


def test_full_record_shows_each_finding_once_with_history_and_signoff(app, client):
    public_id = finished(client)
    _, text = pdf_text(client.get(f"/assessments/{public_id}/report.pdf").data)
    word = docx_text(client.get(f"/assessments/{public_id}/report.docx").data)
    for body in (text, word):
        flat = " ".join(body.split())
        assert flat.count("The purpose is not written down.") == 1
        assert "History of changes" in flat and "Sign-off" in flat
        assert "Review status" in flat and "Our assessment of the initiative" in flat


def test_approval_is_dated_in_new_zealand_time_with_the_zone(app, client, people):
    public_id = finished(client)
    with app.app_context():
        a = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
        officer = db.session.scalar(select(User).where(User.email == people["own"]["privacy_officer"]))
        a.status, a.submitted_by = Status.APPROVED, officer
        a.signed_off_by, a.signed_off_role = officer.name, "Privacy officer"
        a.signed_off_at = datetime(2026, 11, 25, 20, 30)  # UTC: 9:30 am on the 26th in Auckland (NZDT)
        db.session.commit()
        name = officer.name
    assert format_datetime(datetime(2026, 11, 25, 20, 30)) == "26 November 2026, 9:30 am NZDT"
    _, text = pdf_text(client.get(f"/assessments/{public_id}/brief.pdf").data)
    flat = " ".join(text.split())
    assert f"approved by {name} (Privacy officer) on 26 November 2026, 9:30 am NZDT" in flat
    assert "25 November" not in flat
    assert "no second person reviewed it" in flat  # the author approved their own (issue 14, item 9)
    assert "26 November 2026, 9:30 am NZDT" in client.get(f"/assessments/{public_id}").get_data(as_text=True)


def test_actions_are_records_that_follow_the_findings(app, client):
    public_id = finished(client)
    assert items(app, public_id)["Write a purpose statement."][:3] == ("open", "Pōua Tāne", "2027-02-28")
    # The answer changes so the finding is no longer raised: its action is kept, "no longer needed".
    answer(client, public_id, "purpose", answer="yes")
    assert items(app, public_id)["Write a purpose statement."][0] == "not_needed"
    assert "No longer needed" in client.get(f"/assessments/{public_id}/report").get_data(as_text=True)
    answer(client, public_id, "purpose", answer="no")  # and back: needed again
    assert items(app, public_id)["Write a purpose statement."][0] == "open"


def _form(client, url):
    page = client.get(url).get_data(as_text=True)
    return csrf_token(page), re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def _edit(client, public_id, action_id, **fields):
    url = f"/assessments/{public_id}/actions/{action_id}"
    token, version = _form(client, url)
    data = {"csrf_token": token, "version": version, "owner_id": "", "owner_name": "", "due": "",
            "status": "open", "reason": "", "note": "", **fields}
    return client.post(url, data=data)


def test_owner_due_status_and_note_are_set_per_action_and_bad_dates_refused(app, client):
    public_id = finished(client)
    action_id = items(app, public_id)["Write a purpose statement."][3]
    bad = _edit(client, public_id, action_id, due="30/02/2027", note="Half done")
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "30/02/2027 is not a real date" in page and "Half done" in page
    assert _edit(client, public_id, action_id, status="risk_accepted").status_code == 400  # a reason is needed
    ok = _edit(client, public_id, action_id, owner_name="Aroha (board chair)", due="31/01/2027", status="done",
               note="Purpose statement adopted.")
    assert ok.status_code == 302
    assert items(app, public_id)["Write a purpose statement."][:3] == ("done", "Aroha (board chair)", "2027-01-31")
    history = client.get(f"/assessments/{public_id}").get_data(as_text=True)
    assert "action changed" in history and "Aroha (board chair)" in history


def test_a_concurrent_edit_of_one_action_is_refused_with_409_keeping_the_typed_text(app, client, login_as):
    public_id = finished(client)
    action_id = items(app, public_id)["Write a purpose statement."][3]
    url = f"/assessments/{public_id}/actions/{action_id}"
    token, version = _form(client, url)
    assert _edit(login_as("privacy_officer"), public_id, action_id, note="Theirs").status_code == 302
    response = client.post(url, data={"csrf_token": token, "version": version, "status": "done",
                                      "note": "Mine, typed with care", "owner_name": "", "due": ""})
    assert response.status_code == 409
    assert "Mine, typed with care" in response.get_data(as_text=True)
    assert items(app, public_id)["Write a purpose statement."][0] == "open"


def test_register_filters_and_exports_with_formula_injection_neutralised(app, client, login_as):
    public_id = finished(client)
    action_id = items(app, public_id)["Write a purpose statement."][3]
    assert _edit(client, public_id, action_id, owner_name=HOSTILE, due="01/01/2020", note=HOSTILE).status_code == 302
    page = client.get("/actions?overdue=yes").get_data(as_text=True)
    assert "Write a purpose statement." in page and "Talk to the people concerned." not in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Write a purpose statement." not in client.get("/actions?owner=nobody-like-this").get_data(as_text=True)
    assert "Talk to the people concerned." in client.get("/actions?owner=privacy").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get("/actions.csv?overdue=yes").get_data(as_text=True))))
    assert rows[0][:2] == ["Assessment", "Action"] and len(rows) == 2
    assert rows[1][4].startswith("'=HYPERLINK") and rows[1][9].startswith("'=") and rows[1][7] == "yes"
    other = login_as("privacy_officer", org="other").get("/actions").get_data(as_text=True)
    assert "Write a purpose statement." not in other  # another organisation sees none of it


def test_brief_words_are_escaped_versioned_and_audited_in_every_format(app, client):
    public_id = finished(client)
    url = f"/assessments/{public_id}/brief-words"
    token, version = _form(client, url)
    assert client.post(url, data={"csrf_token": token, "version": version, "decision_sought": HOSTILE,
                                  "recommendation": "Go ahead after " + HOSTILE}).status_code == 302
    html = client.get(f"/assessments/{public_id}/brief").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = client.get(f"/assessments/{public_id}/brief.md").get_data(as_text=True)
    assert "<script>" not in md and "\\*\\*bold\\*\\*" in md
    _, text = pdf_text(client.get(f"/assessments/{public_id}/brief.pdf").data)
    assert "<script>alert(1)</script>" in " ".join(text.split())  # printed literally, never parsed
    assert "<para>x</para>" in docx_text(client.get(f"/assessments/{public_id}/brief.docx").data)
    assert "brief words changed" in client.get(f"/assessments/{public_id}").get_data(as_text=True)
    stale = client.post(url, data={"csrf_token": token, "version": version, "decision_sought": "Old",
                                   "recommendation": "Typed again"})
    assert stale.status_code == 409 and "Typed again" in stale.get_data(as_text=True)


def test_due_dates_parse_both_ways_and_refuse_impossible_ones():
    from dpup.storage.actions import BadDate, parse_due

    assert parse_due("31/01/2027").isoformat() == parse_due("2027-01-31").isoformat() == "2027-01-31"
    for bad in ("2027-02-30", "30/02/2027", "next week"):
        with pytest.raises(BadDate):
            parse_due(bad)


def test_markdown_keeps_version_numbers_readable():
    from dpup.reports.markdown import text

    assert text("2026.11 and snake_case") == "2026.11 and snake_case"
    assert text("1. not a list") == "1\\. not a list"


def test_register_pages_run_soonest_due_first_with_undated_last(app, client):
    """50 a page, in one order across pages: every action once, soonest due first, no due date last."""
    from datetime import date, timedelta

    from dpup.storage.models import ActionItem, Organisation

    public_id = finished(client)
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).filter_by(public_id=public_id))
        for n in range(60):  # due dates out of order, every seventh without one
            db.session.add(ActionItem(assessment=assessment, organisation_id=assessment.organisation_id,
                                      key=f"paging-{n}", text=f"Paging action {n:02d}.", severity="advisory",
                                      due=None if n % 7 == 0 else date(2027, 1, 1) + timedelta(days=(n * 37) % 60)))
        db.session.commit()
        expected = [a.text for a in sorted(
            db.session.scalars(select(ActionItem).where(ActionItem.assessment_id == assessment.id,
                                                        ActionItem.status == "open")),
            key=lambda a: (a.due is None, a.due or date.min, a.id))]
    first, second = (client.get(f"/actions?page={n}").get_data(as_text=True) for n in (1, 2))
    shown = [re.findall(r">((?:Paging action \d+|Write a purpose statement|Talk to the people concerned)\.)<", page)
             for page in (first, second)]
    assert len(shown[0]) == 50 and shown[0] + shown[1] == expected
    assert "Next page" in first and "Next page" not in second and "Previous page" in second


def test_word_documents_have_real_headings_and_lists(client):
    """Word's navigation pane and outline come from heading styles, not from bold text."""
    public_id = finished(client)
    for url, title in ((f"/assessments/{public_id}/brief.docx", "Top priorities"),
                       (f"/assessments/{public_id}/report.docx", "Appendix: every answer")):
        doc = Document(io.BytesIO(client.get(url).data))
        styled = {(p.style.name, p.text) for p in doc.paragraphs}
        assert any(style == "Title" for style, _ in styled), url
        assert any(style.startswith("Heading") and title in text for style, text in styled), (url, title)
    record = Document(io.BytesIO(client.get(f"/assessments/{public_id}/report.docx").data))
    assert any(p.style.name == "List Bullet" and p.text.startswith("Raised by:") for p in record.paragraphs)


def test_the_home_page_of_a_privacy_officer_lists_what_is_overdue(app, client, login_as):
    public_id = finished(client)
    action_id = items(app, public_id)["Write a purpose statement."][3]
    assert "Nothing is overdue." in text_of(client.get("/"))
    assert _edit(client, public_id, action_id, owner_name="Aroha", due="01/01/2020").status_code == 302
    home = text_of(client.get("/"))
    assert "Overdue actions" in home and "Write a purpose statement." in home and "Aroha" in home
    assert "Overdue actions" not in text_of(login_as("frontline").get("/"))


def test_register_pages_forwards_and_back_show_every_matching_action_once(app, client):
    """With a filter on, Next page from the first page and then Previous page from the last visit
    every matching action exactly once, in order, and the Last page link shows the last ones."""
    from datetime import date, timedelta
    from html import unescape

    from dpup.storage.models import ActionItem, Organisation

    public_id = finished(client)
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).filter_by(public_id=public_id))
        for n in range(180):  # shared due dates, every fifth without one, two owners, some done
            db.session.add(ActionItem(
                assessment=assessment, organisation_id=assessment.organisation_id, key=f"seek-{n}",
                text=f"Seek action {n:03d}.", severity="advisory", owner_name="Aroha" if n % 3 else "Tama",
                status="done" if n % 11 == 0 else "open",
                due=None if n % 5 == 0 else date(2027, 1, 1) + timedelta(days=n % 9)))
        db.session.commit()
        ordered = sorted(
            db.session.scalars(select(ActionItem).where(
                ActionItem.assessment_id == assessment.id, ActionItem.status == "open", ActionItem.owner_name == "Aroha")),
            key=lambda a: (a.due is None, a.due or date.min, a.id))
        expected = [a.text for a in ordered]
        public_ids = {a.public_id for a in ordered}
        internal = ordered[60]  # a link of the old form, which carried the internal id
        old_link = f"after={internal.due.isoformat() if internal.due else 'none'}.{internal.id}"
        # Another organisation's action: its public id must not place anything in this register.
        other = Organisation(name="Another Trust")
        db.session.add(other)
        db.session.flush()
        foreign = ActionItem(assessment=assessment, organisation_id=other.id, key="foreign", text="Not ours.",
                             severity="advisory", owner_name="Aroha", due=date(2027, 1, 4))
        db.session.add(foreign)
        db.session.commit()
        foreign_link = f"after={foreign.public_id}"
    assert len(expected) > 100  # three pages

    def visit(url: str, link: str) -> tuple[list[list[str]], str]:
        """The actions on each page from ``url`` on, following ``link``; and the last page's address."""
        pages = []
        while True:
            html = client.get(url).get_data(as_text=True)
            pages.append(re.findall(r">(Seek action \d+\.)<", html))
            found = re.search(rf'<a href="([^"]+)"[^>]*>{link}</a>', html)
            if not found:
                return pages, url
            url = unescape(found.group(1))
            assert "owner=Aroha" in url  # the filter stays on
            position = re.search(r"(?:after|before)=([^&]+)", url).group(1)
            assert position in public_ids  # a row's public id, never its internal id

    forwards, end = visit("/actions?owner=Aroha", "Next page")
    assert [len(p) for p in forwards] == [50, 50, len(expected) - 100]
    assert [text for page in forwards for text in page] == expected
    backwards, _ = visit(end, "Previous page")
    assert [text for page in reversed(backwards) for text in page] == expected
    last = client.get("/actions?owner=Aroha&page=last").get_data(as_text=True)
    assert re.findall(r">(Seek action \d+\.)<", last) == expected[-50:]
    assert "Next page" not in last and "Previous page" in last
    for odd in ("page=0", "page=-2", "after=garbage", "before=2027-02-30.5", "after=none.99999999999", old_link,
                "after=NoSuchPublicId12345", foreign_link):
        shown = re.findall(r">(Seek action \d+\.)<", client.get(f"/actions?owner=Aroha&{odd}").get_data(as_text=True))
        assert shown == expected[:50], odd  # the first page
