"""Documents drafted from an assessment's answers, through the web, on the bundled knowledge: three
realistic assessments (an NGO reporting to its funder, an NGO sending data to the IDI, a service
receiving referrals), each offered document drafted with every answerable place filled, read back
from Word, PDF and Markdown; stale edits refused keeping the typed text; the history; hostile text;
and a draft marked out of date when an answer it used changes."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from dpup.storage import assessments as store
from dpup.storage.db import db
from dpup.storage.models import AnswerRecord, Assessment, DocumentDraft, User
from tests.conftest import login, make_people
from tests.helpers import csrf_token, form_value, submit, text_of

ORG = "Te Whare Tiaki Trust"
NOTES = {
    "about-this-work:what-info": "your name, contact details, and notes about the support we give you",
    "purpose-matters:why-needed": "We need it to plan support with each family, and to show our funder what works.",
}
FUNDER = {
    "about-this-work": {"what-info": "identifying", "whose": ["none"], "comes-from": ["the-person"],
                        "goes-to": ["funders"], "uses": ["service", "research"], "organisation": "ngo"},
    "purpose-matters": {"why-needed": "clear", "minimum": "yes", "identity-needed": "must-identify",
                        "share-agreed": "no", "extra-checks": ["senior-sign-off"],
                        "community-voice": ["service-users", "frontline-staff"], "legal-basis": "contract",
                        "contract-check": "yes", "explain-gaps": ["people"],
                        "not-decided": ["no-statement", "how-long"]},
    "transparency-and-choice": {"choice-level": "limited", "no-surprises": ["who-sees"], "told-gaps": ["who-sees"],
                                "when-told": "before", "consent-words": "yes", "say-gaps": ["none-missing"],
                                "who-tells": "yes",
                                "suited-explanation": ["plain-language", "spoken"],
                                "readiness-gaps": ["tested"]},
}
IDI = {
    "about-this-work": {"what-info": "identifying", "whose": ["maori", "health"], "comes-from": ["the-person"],
                        "goes-to": ["idi"], "uses": ["service", "research"], "organisation": "ngo"},
    "purpose-matters": {"why-needed": "clear", "minimum": "yes", "identity-needed": "must-identify",
                        "share-agreed": "yes", "extra-checks": ["pia"], "maori-say": "yes",
                        "community-voice": ["service-users"], "legal-basis": "privacy-act",
                        "statement-gaps": ["nothing-missing"],
                        "explain-gaps": ["both-can"], "not-decided": ["all-decided"]},
    "transparency-and-choice": FUNDER["transparency-and-choice"] | {"choice-level": "some-choice"},
    "idi-data-sharing": {"right-route": "group-outcomes", "existing-research": "not-answered", "early-talks": "yes",
                         "disclosure-basis": "collected-for", "participants-told": "yes", "steps-open": ["all-done"],
                         "accuracy": "yes", "five-safes-explain": "yes", "org-results": "yes-authorised",
                         "researchers": "agency", "maori-benefit": "Iwi partners helped choose the questions.",
                         "benefit-risk": "yes", "output-expectations": "yes", "share-back": "yes"},
}
REFERRALS = {
    "about-this-work": {"what-info": "identifying", "whose": ["children"], "comes-from": ["the-person", "referrals"],
                        "goes-to": ["stays"], "uses": ["service", "decisions"], "organisation": "ngo"},
    "purpose-matters": FUNDER["purpose-matters"] | {"source-reason": "yes", "tell-source": "yes"},
    "transparency-and-choice": FUNDER["transparency-and-choice"] | {"ipp3a-gaps": ["nothing-missing"]},
}
SCENARIOS = {"funder": (FUNDER, {"purpose-statement", "privacy-notice", "consent-script", "fact-sheet"}),
             "idi": (IDI, {"purpose-statement", "privacy-notice", "idi-privacy-statement", "consent-script",
                           "fact-sheet"}),
             "referrals": (REFERRALS, {"purpose-statement", "privacy-notice", "ipp3a-notice", "consent-script",
                                       "fact-sheet"})}


@pytest.fixture
def officer(bundled_app):
    people = make_people(bundled_app, ORG, "own")
    return login(bundled_app.test_client(), people["privacy_officer"])


def seed(app, answers: dict, name: str = "Whānau support programme") -> str:
    """An assessment answered as ``answers`` (tree → question → value), with the notes in NOTES."""
    with app.app_context():
        library = app.extensions["dpup.library"]
        user = db.session.query(User).filter_by(email="privacy_officer@own.example").one()
        assessment = store.start_assessment(library, user, name, "", [t for t in answers if t != "about-this-work"],
                                            with_profile=True)
        for tree_id, given in answers.items():
            for node_id, value in given.items():
                assessment.answers.append(AnswerRecord(tree_id=tree_id, node_id=node_id, value=value,
                                                       note=NOTES.get(f"{tree_id}:{node_id}", "")))
        db.session.commit()
        return assessment.public_id


def blanks(app, document_id: str) -> set[str]:
    template = app.extensions["dpup.library"].documents[document_id]
    return {f"[{p.hint}]" for p in template.places() if p.word == "blank"}


def draft_it(client, public_id: str, document_id: str, te_reo: bool = False):
    url = f"/assessments/{public_id}/documents/{document_id}"
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "version": form_value(page, "version") or ""}
    if te_reo:
        data["te_reo"] = "y"
    response = client.post(f"{url}/draft", data=data)
    assert response.status_code == 302, text_of(response)
    return client.get(url)


def saved_text(app, public_id: str, document_id: str) -> str:
    with app.app_context():
        assessment = db.session.query(Assessment).filter_by(public_id=public_id).one()
        return next(d.text for d in assessment.documents if d.document_id == document_id)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_each_offered_document_drafts_filled_readable_and_exports(bundled_app, officer, scenario):
    answers, expected = SCENARIOS[scenario]
    public_id = seed(bundled_app, answers)
    index = officer.get(f"/assessments/{public_id}/documents")
    offered = set(re.findall(rf"/assessments/{public_id}/documents/([a-z0-9-]+)\"", index.get_data(as_text=True)))
    assert offered == expected
    library = bundled_app.extensions["dpup.library"]
    for document_id in sorted(offered):
        page = draft_it(officer, public_id, document_id)
        assert page.status_code == 200
        text = saved_text(bundled_app, public_id, document_id)
        # Every place an answer could fill is filled: what is left in brackets is a place no answer fills.
        left = set(re.findall(r"\[[^\]\n]+\]", text))
        assert left <= blanks(bundled_app, document_id), (document_id, left - blanks(bundled_app, document_id))
        shown = text_of(page)
        assert "Still to write" in shown and all(place in shown for place in left)
        grade = float(re.search(r"Reading grade (\d+\.\d)", shown).group(1))
        target = library.documents[document_id].meta.reading_grade
        assert grade <= target, (document_id, grade)
        if "service" in library.documents[document_id].meta.audience or "People" in \
                library.documents[document_id].meta.audience:
            assert grade <= 8, (document_id, grade)
        assert ORG in text or document_id == "idi-privacy-statement" and ORG in text_of(page)
        first_line = next(line for line in text.splitlines() if line.strip())
        base = f"/assessments/{public_id}/documents/{document_id}"
        word = docx_text(officer.get(f"{base}.docx").data)
        pdf = words(pdf_text(officer.get(f"{base}.pdf").data))
        markdown = officer.get(f"{base}.md").get_data(as_text=True)
        heading = first_line.lstrip("# ").strip()
        for exported in (word, pdf, markdown):
            assert ORG in exported and "Whānau support programme" in exported
            assert words(heading) in words(exported.replace("\\", ""))
        assert "[who to contact]" not in text or "who to contact" in pdf


def test_scenario_facts_reach_the_drafts(bundled_app, officer):
    public_id = seed(bundled_app, REFERRALS)
    draft_it(officer, public_id, "ipp3a-notice")
    notice = saved_text(bundled_app, public_id, "ipp3a-notice")
    assert "from the service that referred you to us" in notice
    assert "give you our service and decide what support we can offer you" in notice
    assert "We will not give it to anyone else" in notice and "Record: we are not sending" not in notice
    draft_it(officer, public_id, "privacy-notice", te_reo=True)
    assert saved_text(bundled_app, public_id, "privacy-notice").startswith("# Kia ora. Your information and Te Whare")

    idi = seed(bundled_app, IDI)
    draft_it(officer, idi, "idi-privacy-statement")
    section = saved_text(bundled_app, idi, "idi-privacy-statement")
    assert "Integrated Data Infrastructure" in section and "We talk with Māori" in section


def test_ipp3a_exception_is_recorded_in_the_notice(bundled_app, officer):
    exception = REFERRALS | {"purpose-matters": REFERRALS["purpose-matters"] | {"tell-source": "na"}}
    public_id = seed(bundled_app, exception)
    with bundled_app.app_context():
        record = db.session.query(AnswerRecord).filter_by(node_id="tell-source").one()
        record.reason = "Telling the parent would put the child at risk: serious threat to safety."
        db.session.commit()
    draft_it(officer, public_id, "ipp3a-notice")
    notice = saved_text(bundled_app, public_id, "ipp3a-notice")
    assert notice.startswith("# Record: we are not sending this notice")
    assert "serious threat to safety." in notice and "safety.." not in notice


def test_edit_conflict_history_and_out_of_date(bundled_app, officer):
    public_id = seed(bundled_app, FUNDER)
    draft_it(officer, public_id, "privacy-notice")
    edit = f"/assessments/{public_id}/documents/privacy-notice/edit"
    page = officer.get(edit).get_data(as_text=True)
    stale = {"csrf_token": csrf_token(page), "version": form_value(page, "version")}
    mine = saved_text(bundled_app, public_id, "privacy-notice").replace("[who to contact]", "Aroha on 09 555 0100")
    assert officer.post(edit, data=stale | {"text": mine}).status_code == 302
    # A second tab, opened before that save, is refused and keeps what was typed there.
    refused = officer.post(edit, data=stale | {"text": "Typed in the other tab"})
    assert refused.status_code == 409
    assert "Typed in the other tab" in refused.get_data(as_text=True) and "not saved" in text_of(refused)
    assert saved_text(bundled_app, public_id, "privacy-notice") == mine

    shown = text_of(officer.get(f"/assessments/{public_id}"))
    assert "edited the privacy notice for the people we work with" in shown
    assert "drafted the privacy notice for the people we work with" in shown

    # An answer the draft used changes: the draft is out of date, says what changed, and keeps the edits.
    response = submit(officer, f"/assessments/{public_id}/trees/about-this-work/questions/goes-to",
                      {"answer": ["funders", "idi"]})
    assert response.status_code == 302
    page = text_of(officer.get(f"/assessments/{public_id}/documents/privacy-notice"))
    assert "Out of date" in page and "Who else will get it, in any form?" in page
    assert "was “Funders or commissioners”, now “Funders or commissioners and Stats NZ, for the IDI”" in page
    assert saved_text(bundled_app, public_id, "privacy-notice") == mine
    index = text_of(officer.get(f"/assessments/{public_id}/documents"))
    assert "Out of date: 1 answer it used changed" in index and "IDI section" in index
    # Re-drafting is the person's choice, and brings the draft up to date.
    draft_it(officer, public_id, "privacy-notice")
    assert "Stats NZ, for research" in saved_text(bundled_app, public_id, "privacy-notice")
    assert "Out of date" not in text_of(officer.get(f"/assessments/{public_id}/documents/privacy-notice"))


HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(1)) <para>p</para> =SUM(A1) &amp;"


def test_hostile_text_is_inert_in_every_format(bundled_app, officer):
    public_id = seed(bundled_app, FUNDER, name="<b>Bold</b> work")
    with bundled_app.app_context():
        db.session.query(AnswerRecord).filter_by(node_id="why-needed").one().note = HOSTILE
        db.session.commit()
    draft_it(officer, public_id, "purpose-statement")
    edit = f"/assessments/{public_id}/documents/purpose-statement/edit"
    typed = saved_text(bundled_app, public_id, "purpose-statement") + "\n## " + HOSTILE + "\n- " + HOSTILE + "\n"
    assert submit(officer, edit, {"text": typed}).status_code == 302
    html = officer.get(f"/assessments/{public_id}/documents/purpose-statement").get_data(as_text=True)
    assert "<script>alert" not in html and "<para>" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<b>Bold</b>" not in html
    base = f"/assessments/{public_id}/documents/purpose-statement"
    markdown = officer.get(f"{base}.md").get_data(as_text=True)
    assert "<script>" not in markdown and "&lt;script\\>alert(1)&lt;/script\\>" in markdown
    assert "\\*\\*bold\\*\\*" in markdown and "\\[x\\](javascript:alert(1))" in markdown
    pdf = words(pdf_text(officer.get(f"{base}.pdf").data))
    assert "<script>alert(1)</script> **bold**" in pdf and "<para>p</para>" in pdf
    word = docx_text(officer.get(f"{base}.docx").data)
    assert "<script>alert(1)</script> **bold** [x](javascript:alert(1)) <para>p</para>" in word


def test_board_reads_drafts_of_approved_assessments_only(bundled_app, officer):
    public_id = seed(bundled_app, FUNDER)
    draft_it(officer, public_id, "fact-sheet")
    board = login(bundled_app.test_client(), "board@own.example")
    assert board.get(f"/assessments/{public_id}/documents/fact-sheet").status_code == 404
    with bundled_app.app_context():
        db.session.query(Assessment).filter_by(public_id=public_id).one().status = "approved"
        db.session.commit()
    page = board.get(f"/assessments/{public_id}/documents/fact-sheet")
    assert page.status_code == 200 and "Edit the text" not in text_of(page) and "Re-draft" not in text_of(page)
    assert board.get(f"/assessments/{public_id}/documents/privacy-notice").status_code == 404  # not drafted
    assert "Fact sheet" in text_of(board.get(f"/assessments/{public_id}/documents")) or \
        "fact sheet" in text_of(board.get(f"/assessments/{public_id}/documents"))
    # Approved: read-only for the privacy officer too.
    assert officer.get(f"/assessments/{public_id}/documents/fact-sheet/edit").status_code == 302


def test_drafts_move_with_the_organisation(bundled_app, officer):
    from dpup.storage.transfer import export_organisation, import_organisation, parse_export

    public_id = seed(bundled_app, FUNDER)
    draft_it(officer, public_id, "fact-sheet", te_reo=True)
    with bundled_app.app_context():
        assessment = db.session.query(Assessment).filter_by(public_id=public_id).one()
        exported = export_organisation(assessment.organisation)
    assert exported["version"] == 7
    item = next(a for a in exported["assessments"] if a["public_id"] == public_id)
    assert item["documents"][0]["document_id"] == "fact-sheet" and item["documents"][0]["te_reo"] is True
    import json

    text = json.dumps(exported)
    with bundled_app.app_context():
        db.session.query(DocumentDraft).delete()
        db.session.query(AnswerRecord).delete()
        db.session.query(Assessment).delete()
        db.session.commit()
        import_organisation(bundled_app.extensions["dpup.library"], text, "test")
        again = db.session.query(Assessment).filter_by(public_id=public_id).one()
        assert again.documents[0].text.startswith("# Kia ora. Your information: the facts")
        # A version 5 file (no documents) still imports.
        old = dict(exported, version=5)
        for a in old["assessments"]:
            a.pop("documents")
        assert parse_export(json.dumps(old)).assessments[0].documents == []


def test_validate_reports_an_unknown_placeholder_as_file_line_reason(tmp_path):
    from click.testing import CliRunner

    from dpup.cli import main

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "bad.md").write_text(
        "---\nid: bad\ntitle: Bad\naudience: People who use the service\nreading_grade: 8\n"
        "sources: [{title: Test}]\nlicence: Test\n---\n# Hello\n\n"
        "We share it with {{about-this-work:goes-too}}.\n{{if nowhere}}\nx {{purpose-matters:why-needed.notes}}\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder / "bad.md")])
    assert result.exit_code == 1
    assert f"{folder / 'bad.md'}:11: 'about-this-work:goes-too': tree 'about-this-work' has no question 'goes-too'" \
        in result.output
    assert f"{folder / 'bad.md'}:12: this {{{{if …}}}} has no {{{{end}}}}" in result.output
    assert f"{folder / 'bad.md'}:13: unknown placeholder {{{{purpose-matters:why-needed.notes}}}}" in result.output
    ok = CliRunner().invoke(main, ["validate", "content/documents"])
    assert ok.exit_code == 0 and "ok  document   privacy-notice" in ok.output
