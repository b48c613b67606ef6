"""'Where do I start?': the navigator tree, answered through the address bar so nothing is stored
and it works without logging in or JavaScript."""

from flask import Blueprint, abort, render_template, request, url_for

from dpup.engine import AnswerError, parse_answer, walk
from dpup.web.auth import public
from dpup.web.views.main import NAVIGATOR, library

bp = Blueprint("navigator", __name__)

LINK_VIEWS = {
    "tree": lambda target: url_for("assessments.new", tree=target),
    "checklist": lambda target: url_for("checklists.show", checklist_id=target),
    "page": lambda target: url_for("main.page", slug=target),
}


@bp.get("/start")
@public
def start():
    tree = library().trees.get(NAVIGATOR)
    if tree is None:
        abort(404)
    answers, error = {}, None
    for key, value in request.args.items():
        node = tree.node(key)
        if node is None or node.type != "question":
            continue
        try:
            answers[key] = parse_answer(node, value)
        except AnswerError as exc:
            error = str(exc)
    result = walk(tree, answers)
    if result.current and request.args.get("asked") == result.current.id and not error:
        error = "Choose an answer."
    links = [_link(link) for link in result.outcome.links] if result.outcome else []
    back = url_for(".start", **{s.node.id: s.answer.value for s in result.steps[:-1]}) if result.steps else None
    return render_template("navigator/start.html", tree=tree, walk=result, error=error, links=links, back=back)


def _link(link: str) -> tuple[str, str]:
    kind, _, target = link.partition(":")
    lib = library()
    titles = {"tree": lib.trees, "checklist": lib.checklists, "page": lib.pages}
    item = titles[kind].get(target)
    return LINK_VIEWS[kind](target), item.title if item else target
