"""The organisation's DPUP self-assessment through the web layer: rate every criterion, submit, sign
off, turn gaps into actions, start next year's, and read the comparison in the PDF's text; the
evidence figures match known records and belong to the organisation only."""

from datetime import date, timedelta
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from dpup.storage import assessments as store
from dpup.storage.db import db
from dpup.storage.maturity_models import SelfAssessment
from dpup.storage.models import ActionItem, ChecklistRecord, DocumentDraft, Status, User, utcnow
from tests.helpers import csrf_token, submit, text_of

CRITERIA = ["purpose-written", "assess-first", "frontline", "board-hears", "actions-done"]


def rate_all(client, public_id, levels, note="", target=""):
    for criterion, level in zip(CRITERIA, levels, strict=True):
        response = submit(client, f"/maturity/{public_id}/criteria/{criterion}",
                          {"level": level, "target": target, "note": note or f"Why {criterion}", "evidence": "Minutes"})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]


def post(client, url, page):
    return client.post(url, data={"csrf_token": csrf_token(client.get(page).get_data(as_text=True))})


def start(client, year):
    page = client.get("/maturity/").get_data(as_text=True)
    response = client.post("/maturity/new", data={"csrf_token": csrf_token(page), "year": str(year)})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return response.headers["Location"].rsplit("/", 1)[1]


def sign_off(login_as, public_id, officer):
    assert post(officer, f"/maturity/{public_id}/submit", f"/maturity/{public_id}").status_code == 302
    reviewer = login_as("privacy_officer")
    page = reviewer.get(f"/maturity/{public_id}").get_data(as_text=True)
    response = reviewer.post(f"/maturity/{public_id}/review", data={"csrf_token": csrf_token(page),
                                                                    "decision": "approve"})
    assert response.status_code == 302


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def test_a_year_rated_signed_off_and_compared_with_the_next(app, login_as):
    admin = login_as("administrator")  # an administrator may rate it too
    first = start(admin, 2025)
    page = text_of(admin.get(f"/maturity/{first}"))
    assert "0 of 5 criteria rated" in page and "Do we write down why?" in page
    rate_all(admin, first, ["informal", "foundational", "informal", "foundational", "managed"])
    assert post(admin, f"/maturity/{first}/submit", f"/maturity/{first}").status_code == 302
    officer = login_as("privacy_officer")
    page = officer.get(f"/maturity/{first}").get_data(as_text=True)
    assert officer.post(f"/maturity/{first}/review", data={"csrf_token": csrf_token(page),
                                                           "decision": "approve"}).status_code == 302
    assert "approved by Privacy Officer own" in text_of(officer.get(f"/maturity/{first}"))
    # An approved one cannot change.
    assert officer.get(f"/maturity/{first}/criteria/frontline").status_code == 302
    assert officer.post(f"/maturity/{first}/criteria/frontline", data={
        "csrf_token": csrf_token(page), "level": "managed", "version": "99"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SelfAssessment).where(SelfAssessment.public_id == first)).ratings_by_criterion()[
            "frontline"].level == "informal"

    # Next year's starts from this one's levels.
    response = post(officer, f"/maturity/{first}/next-year", f"/maturity/{first}")
    assert response.status_code == 302
    second = response.headers["Location"].rsplit("/", 1)[1]
    assert "5 of 5 criteria rated; compared with 2025" in text_of(officer.get(f"/maturity/{second}"))
    for criterion, level, why in (("frontline", "managed", "Kaimahi now use the consent checklist every visit"),
                                  ("actions-done", "foundational", "Staff left; actions ran late")):
        assert submit(officer, f"/maturity/{second}/criteria/{criterion}",
                      {"level": level, "note": why, "evidence": "Register"}).status_code == 302
    sign_off(login_as, second, officer)

    brief = officer.get(f"/maturity/{second}/brief.pdf")
    assert brief.status_code == 200 and brief.mimetype == "application/pdf"
    text = pdf_text(brief.data)
    assert "Compared with the previous signed-off year" in text
    assert "Up:" in text and "Informal in 2025 → Managed in 2026" in text
    assert "Kaimahi now use the consent checklist every visit" in text
    assert "Down:" in text and "Managed in 2025 → Foundational in 2026" in text
    assert "2025 (the previous signed-off year)" in text  # the chart's legend
    full = pdf_text(officer.get(f"/maturity/{second}/report.pdf").data)
    assert "The full record" in full and len(full) > len(text)
    word = officer.get(f"/maturity/{second}/report.docx")
    assert word.status_code == 200 and word.data[:2] == b"PK"
    html = text_of(officer.get(f"/maturity/{second}/report"))
    assert "Up: Do kaimahi use the checklists? Informal → Managed." in html
    # The board reads signed-off ones only.
    board = login_as("board")
    assert board.get(f"/maturity/{second}/report").status_code == 200
    assert "2026" in text_of(board.get("/maturity/"))


def test_a_stale_save_is_refused_keeping_the_typed_text(app, login_as):
    officer = login_as("privacy_officer")
    sa = start(officer, 2026)
    url = f"/maturity/{sa}/criteria/frontline"
    page = officer.get(url).get_data(as_text=True)
    assert submit(login_as("administrator"), url, {"level": "managed", "note": "Theirs"}).status_code == 302
    version = 1
    response = officer.post(url, data={"csrf_token": csrf_token(page), "version": str(version),
                                       "level": "informal", "note": "Mine, typed carefully"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Mine, typed carefully" in body and "Theirs" in body


def test_two_person_review_is_honoured(app, login_as, people):
    with app.app_context():
        from dpup.storage.models import Organisation
        org = db.session.scalar(select(Organisation).where(Organisation.public_id == people["own"]["organisation"]))
        org.separate_approver = True
        db.session.commit()
    officer = login_as("privacy_officer")
    sa = start(officer, 2026)
    rate_all(officer, sa, ["managed"] * 5)
    post(officer, f"/maturity/{sa}/submit", f"/maturity/{sa}")
    page = officer.get(f"/maturity/{sa}").get_data(as_text=True)
    response = officer.post(f"/maturity/{sa}/review", data={"csrf_token": csrf_token(page), "decision": "approve"})
    assert response.status_code == 400 and "someone else must approve it" in response.get_data(as_text=True)


def test_gaps_become_actions_in_the_register(app, login_as):
    officer = login_as("privacy_officer")
    sa = start(officer, 2026)
    rate_all(officer, sa, ["informal", "managed", "foundational", "managed", "managed"])
    submit(officer, f"/maturity/{sa}/criteria/board-hears", {"level": "managed", "target": "managed"})
    response = post(officer, f"/maturity/{sa}/actions", f"/maturity/{sa}")
    assert response.status_code == 302
    register = text_of(officer.get("/actions"))
    assert "Foundational: For new work." in register and "DPUP self-assessment 2026" in register
    assert "Managed: All do." in register
    csv = officer.get("/actions.csv").get_data(as_text=True)
    assert "DPUP self-assessment 2026" in csv
    with app.app_context():
        items = db.session.scalars(select(ActionItem).where(ActionItem.self_assessment_id.is_not(None))).all()
        assert sorted(i.key for i in items) == ["frontline", "purpose-written"]  # managed: at the top already
        item = items[0]
        action_url = f"/maturity/{sa}/actions/{item.public_id}"
    edit = submit(officer, action_url, {"owner_id": "", "owner_name": "Board chair", "due": "31/03/2027",
                                        "status": "open", "reason": "", "note": ""})
    assert edit.status_code == 302
    assert "Board chair" in text_of(officer.get("/actions"))
    # Making them again makes none twice.
    post(officer, f"/maturity/{sa}/actions", f"/maturity/{sa}")
    with app.app_context():
        assert db.session.query(ActionItem).filter(ActionItem.self_assessment_id.is_not(None)).count() == 2


def test_evidence_matches_the_records_and_is_the_organisations_own(app, login_as, people):
    today = date.today()
    with app.app_context():
        library = app.extensions["dpup.library"]
        for org, count in (("own", 3), ("other", 7)):
            officer = db.session.scalar(select(User).where(User.email == people[org]["privacy_officer"]))
            made = [store.start_assessment(library, officer, f"{org} {n}", "", ["journey"]) for n in range(count)]
            store.change_status(made[0], officer, Status.SUBMITTED)
            store.change_status(made[0], officer, Status.APPROVED)
            for n in range(count):
                db.session.add(ChecklistRecord(organisation_id=officer.organisation_id, user_id=officer.id,
                                               checklist_id="quick", checklist_hash="x", all_clear=n == 0,
                                               to_do=[] if n == 0 else ["know-why"]))
            db.session.add(ActionItem(assessment_id=made[1].id, organisation_id=officer.organisation_id, key="k",
                                      text="Do it", severity="action_required", trees=[],
                                      due=today - timedelta(days=3)))
            db.session.add(ActionItem(assessment_id=made[2].id, organisation_id=officer.organisation_id, key="k",
                                      text="Do it", severity="stop", trees=[], due=today + timedelta(days=3)))
            # A notice drafted for one of the organisation's assessments (for every one of the other's).
            for assessment in made[:1] if org == "own" else made:
                db.session.add(DocumentDraft(assessment_id=assessment.id, document_id="notice", title="Notice",
                                             text="About it"))
        db.session.commit()
    officer = login_as("privacy_officer")
    sa = start(officer, today.year)
    page = text_of(officer.get(f"/maturity/{sa}"))
    assert f"3 initiatives assessed in dpup in {today.year}: 1 approved, 2 draft." in page
    assert "Their most serious finding with an action: 1 none needing action, 1 action required, 1 stop." in page
    assert "2 actions open in the register now, 1 overdue." in page
    assert f"Frontline checklists used 3 times in {today.year}, 1 with nothing left to do." in page
    assert "with something left: “I can say why we need it.” (Quick check): 2 times." in page
    assert f"Of the latest 1 assessment review finished in {today.year}: a median of 0 days" in page
    assert f"Of the 3 initiatives assessed in dpup in {today.year}, drafted in dpup: Notice for 1." in page
    assert "7 initiatives" not in page  # the other organisation's records are not counted
    assert login_as("privacy_officer", org="other").get(f"/maturity/{sa}").status_code == 404


def test_hostile_text_is_inert_in_every_format(app, login_as):
    officer = login_as("privacy_officer")
    sa = start(officer, 2026)
    hostile = '<script>alert(1)</script> <b>bold</b> =cmd|" /C calc"!A0'
    submit(officer, f"/maturity/{sa}/criteria/frontline", {"level": "informal", "note": hostile,
                                                           "evidence": "<para>x</para>"})
    post(officer, f"/maturity/{sa}/actions", f"/maturity/{sa}")
    for url in (f"/maturity/{sa}", f"/maturity/{sa}/report"):
        body = officer.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" in pdf_text(officer.get(f"/maturity/{sa}/report.pdf").data)
    from docx import Document
    doc = Document(BytesIO(officer.get(f"/maturity/{sa}/report.docx").data))
    assert any("<script>alert(1)</script>" in p.text for p in doc.paragraphs)


def test_a_session_time_out_keeps_the_typed_rating_until_the_person_logs_in_again(app, login_as, people):
    from tests.conftest import PASSWORD

    officer = login_as("privacy_officer")
    sa = start(officer, 2026)
    url = f"/maturity/{sa}/criteria/frontline"
    html = officer.get(url).get_data(as_text=True)
    with officer.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    timed_out = officer.post(url, data={"csrf_token": csrf_token(html), "version": "1", "level": "foundational",
                                        "note": "Kaimahi use it at first visits; typed before the time-out"})
    assert timed_out.status_code == 302 and "/login" in timed_out.location
    page = officer.get("/login").get_data(as_text=True)
    back = officer.post("/login", data={"csrf_token": csrf_token(page), "email": people["own"]["privacy_officer"],
                                        "password": PASSWORD})
    assert back.location == url
    form = officer.get(url)
    assert "What you typed is in the form below" in text_of(form)
    assert "typed before the time-out" in text_of(form)
    with app.app_context():  # nothing was saved without their say
        assert not db.session.scalar(select(SelfAssessment).where(SelfAssessment.public_id == sa)).ratings


def test_a_self_assessment_keeps_the_criteria_it_was_rated_against(app, login_as, tmp_path):
    """Rewording a criterion later changes new self-assessments only: a year already rated (and its
    report) still says what the criterion said when it was started."""
    import shutil

    from dpup.engine import load_library
    from tests.conftest import TEST_CONTENT, TEST_TREES

    officer = login_as("privacy_officer")
    old_year = start(officer, 2025)
    assert "Do we write down why?" in text_of(officer.get(f"/maturity/{old_year}"))
    trees = tmp_path / "trees"
    shutil.copytree(TEST_TREES, trees)
    framework = trees / "maturity" / "framework.yaml"
    framework.write_text(framework.read_text().replace("Do we write down why?", "Is our purpose written down?"))
    reworded = load_library(trees, TEST_CONTENT)
    assert not reworded.problems
    app.extensions["dpup.library"] = reworded
    for url in (f"/maturity/{old_year}", f"/maturity/{old_year}/report",
                f"/maturity/{old_year}/criteria/purpose-written"):
        page = text_of(officer.get(url))
        assert "Do we write down why?" in page and "Is our purpose written down?" not in page, url
    assert "Do we write down why?" in pdf_text(officer.get(f"/maturity/{old_year}/report.pdf").data)
    new_year = start(officer, 2026)
    page = text_of(officer.get(f"/maturity/{new_year}"))
    assert "Is our purpose written down?" in page and "Do we write down why?" not in page
