"""The whole assessment flow through the test client, as a privacy officer would use it."""

import re

from tests.helpers import csrf_token, submit, text_of


def start(client, trees=("journey",)):
    response = submit(client, "/assessments/new", {
        "initiative": "Client outcomes dashboard",
        "description": "Monthly reporting to our funder.", "trees": list(trees),
    })
    assert response.status_code == 302
    match = re.match(r"/assessments/([\w-]+)/trees/journey$", response.location)
    assert match, response.location
    return match.group(1)


def question_url(public_id, node_id):
    return f"/assessments/{public_id}/trees/journey/questions/{node_id}"


def answer(client, public_id, node_id, **data):
    response = submit(client, question_url(public_id, node_id), data)
    assert response.status_code == 302, text_of(response)
    return client.get(response.location).location or response.location


def test_full_flow_back_change_notes_resume_and_report(app, client, login_as):
    public_id = start(client)
    assert len(public_id) >= 20  # not guessable

    # First question, with help text and its "why we ask" link.
    page = client.get(question_url(public_id, "purpose"))
    assert "Is the purpose written down?" in text_of(page)
    assert "A purpose statement says why" in text_of(page)
    assert "Why we ask: Why we ask about purpose" in text_of(page)

    nxt = answer(client, public_id, "purpose", answer="no", note="Draft only, not signed off.",
                 action_owner="Privacy officer", action_due="2027-02-28")
    assert nxt.endswith("/questions/personal")
    nxt = answer(client, public_id, "personal", answer="identifying")
    assert nxt.endswith("/questions/why-identifying")
    answer(client, public_id, "why-identifying", answer="To follow up people who miss appointments.")
    nxt = answer(client, public_id, "matching", answer="yes", note="Matched with the funder's records.")
    assert nxt.endswith("/summary")
    summary = text_of(client.get(nxt))
    assert "Outcome: Pause and seek advice: Seek advice before matching identifying data" in summary

    # Back from the matching question goes to the free-text question.
    page = client.get(question_url(public_id, "matching")).get_data(as_text=True)
    assert f'href="{question_url(public_id, "why-identifying")}"' in page

    # Change an earlier answer so the path changes: the free-text answer is no longer in use.
    nxt = answer(client, public_id, "personal", answer="aggregate", note="Counts are enough.")
    assert nxt.endswith("/questions/views")
    summary = text_of(client.get(f"/assessments/{public_id}/trees/journey/summary"))
    assert "Answers not in use" in summary and "Why do you need to know who people are?" in summary

    # Leave, and resume in a new browser session: continue where we left off.
    other = login_as("privacy_officer")
    resume = other.get(f"/assessments/{public_id}/trees/journey")
    assert resume.location.endswith("/questions/views")
    assert "Client outcomes dashboard" in text_of(other.get("/assessments/"))

    nxt = answer(other, public_id, "views", answer=["service-users", "nobody"], note="Hui planned for March.")
    assert nxt.endswith("/summary")

    report = text_of(other.get(f"/assessments/{public_id}/report"))
    assert "Te Whare Tiaki Trust" in report
    assert "Go ahead" in report
    assert "The purpose is not written down." in report and "Write a purpose statement." in report
    assert "Privacy officer" in report and "2027-02-28" in report
    assert "Nobody has been asked." in report
    for note in ("Draft only, not signed off.", "Counts are enough.", "Hui planned for March.",
                 "Matched with the funder's records."):
        assert note in report
    # Each finding once, with its principle and whether the law requires it.
    findings = report.index("Each finding once")
    assert report.count("The purpose is not written down.") == 1
    assert report.index("The purpose is not written down.", findings) < report.index("He Tāngata", findings)
    assert "Required by law (Privacy Act 2020, s 22, IPP 1)" in report
    assert "Answers given on branches no longer in use" in report
    assert "To follow up people who miss appointments." in report


def test_invalid_answer_rerenders_with_message_and_keeps_other_input(client):
    public_id = start(client)
    response = submit(client, question_url(public_id, "purpose"), {"note": "Keep this note", "action_due": "soon"})
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page and "Choose an answer." in page
    assert "Write the date as YYYY-MM-DD." in page
    assert "Keep this note" in response.get_data(as_text=True)


def test_not_applicable_needs_a_reason(client):
    public_id = start(client)
    answer(client, public_id, "purpose", answer="yes")
    answer(client, public_id, "personal", answer="deidentified")
    response = submit(client, question_url(public_id, "matching"), {"answer": "na"})
    assert response.status_code == 400
    assert "Why does matching not apply? Give a short reason." in text_of(response)
    nxt = answer(client, public_id, "matching", answer="na", reason="We hold no other data.")
    assert nxt.endswith("/questions/views")


def test_unknown_option_is_refused(client):
    public_id = start(client)
    # "personal" is not on the path before "purpose" is answered: sent back to where they are up to.
    response = client.get(question_url(public_id, "personal"))
    assert response.location.endswith(f"/assessments/{public_id}/trees/journey")
    answer(client, public_id, "purpose", answer="yes")
    response = submit(client, question_url(public_id, "personal"), {"answer": "everything"})
    assert response.status_code == 400 and "Choose one of the options shown." in text_of(response)


def test_post_without_csrf_token_is_rejected(client):
    public_id = start(client)
    response = client.post(question_url(public_id, "purpose"), data={"answer": "yes"})
    assert response.status_code == 400
    assert "Your form expired" in text_of(response)
    assert client.get(f"/assessments/{public_id}/trees/journey").location.endswith("/questions/purpose")


def test_concurrent_edit_is_refused_and_shows_newer_answer(client, login_as):
    public_id = start(client)
    url = question_url(public_id, "purpose")
    # Two people open the same question.
    first, second = client, login_as("privacy_officer")
    page_a, page_b = first.get(url).get_data(as_text=True), second.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page_a).group(1)
    ok = first.post(url, data={"csrf_token": csrf_token(page_a), "version": version, "answer": "yes",
                               "note": "Signed off in May."})
    assert ok.status_code == 302
    late = second.post(url, data={"csrf_token": csrf_token(page_b), "version": version, "answer": "no"})
    assert late.status_code == 409
    page = text_of(late)
    assert "Someone else changed this assessment" in page and "Yes" in page and "Signed off in May." in page
    summary = text_of(client.get(f"/assessments/{public_id}/trees/journey/summary"))
    assert "Signed off in May." in summary


def test_start_form_errors_keep_what_was_typed(client):
    response = submit(client, "/assessments/new", {"initiative": "", "description": "Keep me"})
    assert response.status_code == 400
    page = text_of(response)
    assert "Enter the name of the initiative you are assessing." in page and "Choose at least one assessment." in page
    assert "Keep me" in response.get_data(as_text=True)


def test_unknown_ids_are_404_pages(client):
    public_id = start(client)
    for url in ("/assessments/not-a-real-id", "/assessments/not-a-real-id/report",
                f"/assessments/{public_id}/trees/no-such-tree", question_url(public_id, "no-such-node"),
                question_url(public_id, "done"), "/trees/no-such-tree", "/pages/no/such/page",
                "/checklists/nope"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in text_of(response)


def test_user_text_is_escaped(client):
    public_id = start(client)
    answer(client, public_id, "purpose", answer="yes", note="<script>alert('x')</script> **bold**")
    html = client.get(f"/assessments/{public_id}/report").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; **bold**" in html


def test_assessment_pages_are_not_cached(client):
    public_id = start(client)
    for url in (f"/assessments/{public_id}", question_url(public_id, "purpose"), f"/assessments/{public_id}/report"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_public_ids_are_unguessable_and_safe_on_a_command_line():
    from dpup.storage.models import new_public_id

    ids = {new_public_id() for _ in range(2000)}
    assert len(ids) == 2000 and all(len(i) >= 20 and i[0].isalnum() for i in ids)
