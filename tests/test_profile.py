"""Ask once: the "About this work" profile, questions known from it, and the pre-screen, through the web.

The knowledge is the small test library (tests/data/trees) plus a profile, and the journey tree's
"what kind of information" question taught to take its answer from the profile, so the tests do not
change when the bundled trees are edited.
"""

import re
import shutil

import pytest

from dpup.storage.db import db
from tests.conftest import TEST_CONTENT, TEST_TREES, make_app
from tests.helpers import csrf_token, form_value, submit, text_of

PROFILE = """\
id: about
kind: profile
title: About this work
version: "p1"
summary: A few facts every part of the assessment reads.
sources: [{title: Test}]
start: what-info
nodes:
  - id: what-info
    type: question
    prompt: What information will you use?
    kind: one_of
    options:
      - {value: identifying, label: Information that identifies people}
      - {value: deidentified, label: De-identified information}
      - {value: aggregate, label: Counts and totals only}
    next: goes-to
  - id: goes-to
    type: question
    prompt: Who will you share it with?
    kind: several_of
    options:
      - {value: funder, label: A funder}
      - {value: nobody, label: Nobody outside us, exclusive: true}
    next: done
  - id: done
    type: outcome
    verdict: proceed
    title: That is everything about this work
    body: Thank you.
recommends:
  - tree: journey
    when: {equals: {node: what-info, value: identifying}}
    because: You will use information that identifies people.
  - tree: journey
    when: {includes: {node: goes-to, value: funder}}
    because: You will share it with a funder.
"""

# Taught to the journey's "what kind of information" question; de-identified is left to be asked.
KNOWN = """\
    principles: [kaitiakitanga]
    known_from:
      - when: {equals: {node: about:what-info, value: identifying}}
        answer: identifying
      - when: {equals: {node: about:what-info, value: aggregate}}
        answer: aggregate
"""


@pytest.fixture
def app(tmp_path):
    trees = tmp_path / "trees"
    shutil.copytree(TEST_TREES, trees)
    (trees / "about.yaml").write_text(PROFILE, encoding="utf-8")
    journey = (trees / "journey.yaml").read_text(encoding="utf-8")
    journey = journey.replace("    principles: [kaitiakitanga]\n", KNOWN, 1)
    (trees / "journey.yaml").write_text(journey, encoding="utf-8")
    app = make_app(tmp_path, TREES_DIR=str(trees), CONTENT_DIR=str(TEST_CONTENT))
    yield app
    with app.app_context():
        db.engine.dispose()


def start(client) -> str:
    response = submit(client, "/assessments/new", {"initiative": "Funder dashboard", "description": ""})
    assert response.status_code == 302
    match = re.match(r"/assessments/([\w-]+)/trees/about$", response.location)
    assert match, response.location
    return match.group(1)


def answer(client, public_id, tree_id, node_id, **data):
    response = submit(client, f"/assessments/{public_id}/trees/{tree_id}/questions/{node_id}", data)
    assert response.status_code == 302, text_of(response)
    return client.get(response.location).location or response.location


def choose(client, public_id, data):
    url = f"/assessments/{public_id}/trees"
    html = client.get(url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(html), "version": form_value(html, "version"), **data})


def test_the_profile_comes_first_and_recommends_the_trees_with_reasons(client):
    page = text_of(client.get("/assessments/new"))
    assert "Next come 2 short questions about this work" in page
    assert "Which parts of DPUP will you assess?" not in page  # no bare tick-list
    public_id = start(client)
    answer(client, public_id, "about", "what-info", answer="identifying")
    nxt = answer(client, public_id, "about", "goes-to", answer=["funder"])
    assert nxt.endswith(f"/assessments/{public_id}/trees")  # the profile done: which trees
    page = text_of(client.get(nxt))
    assert ("Recommended: You will use information that identifies people. You will share it with a funder."
            in page)
    html = client.get(nxt).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="journey"|<input[^>]*value="journey"[^>]*checked', html)

    # Leaving out a recommended tree needs a reason; the form comes back with the choice kept.
    refused = choose(client, public_id, {"reason-journey": ""})
    assert refused.status_code == 400
    assert "Choose at least one assessment." in text_of(refused)
    refused = choose(client, public_id, {"trees": []})
    assert refused.status_code == 400

    # Nothing chosen yet: the assessment cannot be submitted with the profile alone.
    show = client.get(f"/assessments/{public_id}").get_data(as_text=True)
    submitted = client.post(f"/assessments/{public_id}/submit", data={"csrf_token": csrf_token(show)},
                            follow_redirects=True)
    assert "Choose which assessments this work needs before you submit it for review." in text_of(submitted)

    saved = choose(client, public_id, {"trees": ["journey"]})
    assert saved.status_code == 302
    show = text_of(client.get(f"/assessments/{public_id}"))
    assert "Test journey: recommended. You will use information that identifies people." in show
    assert "chose Test journey" in show  # in the history, as the reviewer reads it


def test_a_question_the_profile_answers_is_not_asked_and_says_where_it_came_from(client):
    public_id = start(client)
    answer(client, public_id, "about", "what-info", answer="identifying")
    answer(client, public_id, "about", "goes-to", answer=["funder"])
    choose(client, public_id, {"trees": ["journey"]})
    nxt = answer(client, public_id, "journey", "purpose", answer="yes")
    assert nxt.endswith("/questions/why-identifying")  # "what kind of information" was not asked
    page = text_of(client.get(nxt))
    assert "question 2 of" in page  # counted among the questions put to the person only

    summary = client.get(f"/assessments/{public_id}/trees/journey/summary")
    text = text_of(summary)
    assert "What kind of information do you need? Information that identifies people From About this work" in text
    assert f'href="/assessments/{public_id}/trees/about/questions/what-info"' in summary.get_data(as_text=True)

    # Opening the known question sends the person to where it is answered.
    response = client.get(f"/assessments/{public_id}/trees/journey/questions/personal")
    assert response.status_code == 302
    assert response.location.endswith("/trees/about/questions/what-info")


def test_changing_a_profile_answer_re_walks_the_trees_and_an_unused_answer_comes_back(client):
    public_id = start(client)
    answer(client, public_id, "about", "what-info", answer="identifying")
    answer(client, public_id, "about", "goes-to", answer=["funder"])
    choose(client, public_id, {"trees": ["journey"]})
    answer(client, public_id, "journey", "purpose", answer="yes")
    answer(client, public_id, "journey", "why-identifying", answer="To follow people up.")
    answer(client, public_id, "journey", "matching", answer="yes")
    summary = text_of(client.get(f"/assessments/{public_id}/trees/journey/summary"))
    assert "Seek advice before matching identifying data" in summary

    # Counts only, in the profile: the identifying branch and its seek-advice route fall away.
    answer(client, public_id, "about", "what-info", answer="aggregate")
    summary = text_of(client.get(f"/assessments/{public_id}/trees/journey/summary"))
    assert "Seek advice before matching identifying data" not in summary
    assert "Answers not in use" in summary and "Why do you need to know who people are?" in summary
    assert "Counts and totals only From About this work" in summary

    # Back to identifying: the kept answer is used again, and the outcome returns.
    answer(client, public_id, "about", "what-info", answer="identifying")
    summary = text_of(client.get(f"/assessments/{public_id}/trees/journey/summary"))
    assert "Seek advice before matching identifying data" in summary
    assert "Answers not in use" not in summary


def test_when_the_profile_gives_no_answer_the_question_is_asked(client):
    public_id = start(client)
    answer(client, public_id, "about", "what-info", answer="deidentified")  # no rule for de-identified
    answer(client, public_id, "about", "goes-to", answer=["nobody"])
    page = text_of(client.get(f"/assessments/{public_id}/trees"))
    assert "Not recommended by your answers." in page
    refused = choose(client, public_id, {"trees": ["journey"]})
    assert refused.status_code == 400
    assert "Test journey: Say why you are adding this: it was not recommended." in text_of(refused)
    assert choose(client, public_id, {"trees": ["journey"], "reason-journey": "Our board asked for it."}
                  ).status_code == 302
    show = text_of(client.get(f"/assessments/{public_id}"))
    assert "Test journey: added: Our board asked for it." in show
    assert "added Test journey (“Our board asked for it.”)" in show
    nxt = answer(client, public_id, "journey", "purpose", answer="yes")
    assert nxt.endswith("/questions/personal")  # asked, as before profiles existed


def test_the_full_record_lists_the_profile_once_and_says_which_answers_came_from_it(client):
    public_id = start(client)
    answer(client, public_id, "about", "what-info", answer="aggregate")
    answer(client, public_id, "about", "goes-to", answer=["funder"])
    choose(client, public_id, {"trees": ["journey"]})
    answer(client, public_id, "journey", "purpose", answer="yes")
    answer(client, public_id, "journey", "matching", answer="no")
    answer(client, public_id, "journey", "views", answer=["service-users"])
    html = text_of(client.get(f"/assessments/{public_id}/report"))
    outcomes = html.split("Outcomes", 1)[1].split("Appendix: every answer", 1)[0]
    assert "About this work" not in outcomes  # facts about the work have no verdict of their own
    appendix = html.split("Appendix: every answer", 1)[1]
    assert appendix.index("About this work") < appendix.index("Test journey")
    assert "Counts and totals only From About this work" in appendix
    markdown = client.get(f"/assessments/{public_id}/report.md").get_data(as_text=True)
    assert "### About this work" in markdown and "**From:** About this work" in markdown


def test_a_stale_choice_of_trees_is_refused_and_keeps_what_was_typed(client, login_as):
    public_id = start(client)
    answer(client, public_id, "about", "what-info", answer="identifying")
    answer(client, public_id, "about", "goes-to", answer=["funder"])
    url = f"/assessments/{public_id}/trees"
    html = client.get(url).get_data(as_text=True)
    answer(login_as("privacy_officer"), public_id, "about", "goes-to", answer=["nobody"])  # a colleague, meanwhile
    response = client.post(url, data={"csrf_token": csrf_token(html), "version": form_value(html, "version"),
                                      "trees": ["journey"], "reason-journey": "We only publish counts."})
    assert response.status_code == 409
    assert "Someone else changed this assessment" in text_of(response)
    assert form_value(response.get_data(as_text=True), "reason-journey") == "We only publish counts."


def test_an_assessment_chosen_on_the_home_page_is_ticked_on_the_pre_screen(client):
    page = client.get("/assessments/new?tree=journey").get_data(as_text=True)
    assert '<input type="hidden" name="tree" value="journey">' in page
    response = client.post("/assessments/new", data={"csrf_token": csrf_token(page), "initiative": "From home",
                                                     "description": "", "tree": "journey"})
    public_id = re.match(r"/assessments/([\w-]+)/trees/about$", response.location).group(1)
    answer(client, public_id, "about", "what-info", answer="deidentified")  # recommends nothing
    answer(client, public_id, "about", "goes-to", answer=["nobody"])
    html = client.get(f"/assessments/{public_id}/trees").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="journey"|<input[^>]*value="journey"[^>]*checked', html)
