"""What answers, verdicts and severities are called comes from vocabulary.yaml, not from the code:
reword them there and every page, outline and report says the new words."""

import shutil

from dpup.reports.markdown import render_markdown
from dpup.reports.model import build_report
from dpup.storage import assessments as store
from dpup.storage.db import db
from dpup.storage.models import Assessment
from tests.conftest import TEST_CONTENT, TEST_TREES, login, make_app, make_people
from tests.helpers import text_of
from tests.test_flow import answer, start


def test_rewording_in_the_vocabulary_changes_every_page(tmp_path):
    trees = tmp_path / "trees"
    shutil.copytree(TEST_TREES, trees)
    vocabulary = trees / "vocabulary.yaml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8")
                          .replace('yes: "Yes"', 'yes: "Yes, we have"')
                          .replace("proceed: Go ahead,", "proceed: All good to go,")
                          .replace("advisory: Advisory", "advisory: Worth a look"), encoding="utf-8")
    app = make_app(tmp_path, TREES_DIR=str(trees), CONTENT_DIR=str(TEST_CONTENT))
    people = make_people(app, "Te Whare Tiaki Trust", "own")
    officer = login(app.test_client(), people["privacy_officer"])

    public_id = start(officer)
    assert "Yes, we have" in text_of(officer.get(f"/assessments/{public_id}/trees/journey/questions/purpose"))
    assert "Yes, we have" in text_of(officer.get("/checklists/quick"))
    for node, value in (("purpose", "yes"), ("personal", "aggregate"), ("matching", "no"), ("views", ["nobody"])):
        answer(officer, public_id, node, answer=value)
    summary = text_of(officer.get(f"/assessments/{public_id}/trees/journey/summary"))
    assert "Outcome: All good to go" in summary and "Worth a look: Nobody has been asked." in summary
    assert "Outcome: All good to go" in text_of(officer.get("/trees/journey"))
    with app.app_context():
        assessment = db.session.scalar(db.select(Assessment).filter_by(public_id=public_id))
        report = render_markdown(build_report(app.extensions["dpup.library"], assessment))
        assert "Worth a look" in report and "Yes, we have" in report
        assert store.tree_progress(app.extensions["dpup.library"], assessment, "journey").walk.is_complete
