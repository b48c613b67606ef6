"""'Where do I start?': the navigator tree, answered through the address bar so nothing is stored
and it works without logging in or JavaScript."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from dpup.engine import AnswerError, parse_answer, walk
from dpup.web.auth import public
from dpup.web.links import outcome_link
from dpup.web.views.main import NAVIGATOR, library

bp = Blueprint("navigator", __name__)

@bp.get("/start")
@public
def start():
    tree = library().trees.get(NAVIGATOR)
    if tree is None:
        abort(404)
    answers, error = {}, None
    known = _role_already_known(tree)
    if known and not request.args.get("choose"):
        answers[tree.start] = parse_answer(tree.node(tree.start), known)
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
    links = [outcome_link(link) for link in result.outcome.links] if result.outcome else []
    back = url_for(".start", **{s.node.id: s.answer.value for s in result.steps[:-1]},
                   **({"choose": 1} if known else {})) if result.steps else None
    return render_template("navigator/start.html", tree=tree, walk=result, error=error, links=links, back=back)


def _role_already_known(tree) -> str | None:
    """A logged-in person whose one dpup role is an answer to the first question (frontline, board)
    is not asked it again; "Back" still lets them choose another."""
    if not current_user.is_authenticated:
        return None
    first = tree.node(tree.start)
    matching = [r.value for r in current_user.roles if getattr(first, "option", lambda _: None)(r.value)]
    return matching[0] if len(matching) == 1 and len(current_user.roles) == 1 else None
