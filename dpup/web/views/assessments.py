"""Assessments: start one, answer its questions one page at a time, review answers, read the report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from dpup.engine import AnswerError, QuestionNode, parse_answer
from dpup.reports.model import build_report
from dpup.storage import assessments as store
from dpup.web.forms import StartForm, needs_reason, question_form, raises_action
from dpup.web.views.main import library

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

NAVIGATOR = "where-to-start"


@bp.after_request
def _never_cache(response):
    """Assessment pages show an organisation's data: keep them out of shared and browser caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _assessable_trees():
    return [t for t in library().trees.values() if t.id != NAVIGATOR]


@bp.get("/")
def index():
    return render_template("assessments/index.html", assessments=store.list_assessments())


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = StartForm()
    form.trees.choices = [(t.id, t.title) for t in _assessable_trees()]
    if request.method == "GET" and request.args.get("tree"):
        form.trees.data = request.args.getlist("tree")
    if form.validate_on_submit():
        assessment = store.start_assessment(library(), form.organisation.data.strip(), form.initiative.data.strip(),
                                            (form.description.data or "").strip(), form.trees.data)
        first = assessment.trees[0].tree_id
        return redirect(url_for(".tree", public_id=assessment.public_id, tree_id=first))
    return render_template("assessments/new.html", form=form, trees=_assessable_trees()), 200 if not form.errors else 400


def _load(public_id: str):
    assessment = store.get_assessment(public_id)
    if assessment is None:
        abort(404)
    return assessment


def _tree_progress(assessment, tree_id: str):
    for item in store.progress(library(), assessment):
        if item.pinned.tree_id == tree_id:
            return item
    abort(404)


@bp.get("/<public_id>")
def show(public_id: str):
    assessment = _load(public_id)
    return render_template("assessments/show.html", assessment=assessment,
                           progress=store.progress(library(), assessment))


@bp.get("/<public_id>/trees/<tree_id>")
def tree(public_id: str, tree_id: str):
    """Continue where the person left off: the next unanswered question, or the summary."""
    assessment = _load(public_id)
    item = _tree_progress(assessment, tree_id)
    if item.walk.current is not None:
        return redirect(url_for(".question", public_id=public_id, tree_id=tree_id, node_id=item.walk.current.id))
    return redirect(url_for(".summary", public_id=public_id, tree_id=tree_id))


@bp.route("/<public_id>/trees/<tree_id>/questions/<node_id>", methods=["GET", "POST"])
def question(public_id: str, tree_id: str, node_id: str):
    assessment = _load(public_id)
    item = _tree_progress(assessment, tree_id)
    node = item.tree.node(node_id)
    if not isinstance(node, QuestionNode):
        abort(404)
    on_path = item.walk.step_for(node_id) is not None or item.walk.current == node
    if not on_path:
        flash("That question is not on the path your answers take. Here is where you are up to.")
        return redirect(url_for(".tree", public_id=public_id, tree_id=tree_id))
    saved = store.engine_answers(assessment, tree_id).get(node_id)
    form = question_form(node, data=_form_data(saved, assessment.version) if request.method == "GET" else None)
    conflict = None
    if request.method == "POST":
        valid = form.validate_on_submit()
        try:  # the engine checks the answer even when another field failed, so every error shows at once
            answer = parse_answer(node, _submitted(form), form.note.data or "", form.reason.data or "",
                                  form.action_owner.data or "", form.action_due.data or "")
        except AnswerError as exc:
            form.answer.errors = [*form.answer.errors, str(exc)]
            valid = False
        if valid:
            try:
                store.save_answer(assessment, tree_id, node_id, answer, _int(form.version.data))
            except store.ConflictError:
                fresh = _load(public_id)
                conflict = store.engine_answers(fresh, tree_id).get(node_id)
                form.version.data = str(fresh.version)
            else:
                return redirect(url_for(".tree", public_id=public_id, tree_id=tree_id))
    status = 409 if conflict is not None else (400 if request.method == "POST" else 200)
    return render_template(
        "assessments/question.html", assessment=assessment, tree=item.tree, node=node, form=form,
        walk=item.walk, previous=item.walk.previous(node_id), conflict=conflict,
        needs_reason=needs_reason(node), raises_action=raises_action(node),
        position=_position(item.walk, node_id), library=library(),
    ), status


def _form_data(saved, version: int) -> dict:
    data = {"version": str(version)}
    if saved is not None:
        data.update(answer=list(saved.value) if isinstance(saved.value, tuple) else saved.value,
                    note=saved.note, reason=saved.reason, action_owner=saved.action_owner,
                    action_due=saved.action_due)
    return data


def _submitted(form) -> list[str]:
    data = form.answer.data
    return list(data) if isinstance(data, list | tuple) else [data or ""]


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _position(walk, node_id: str) -> int:
    ids = [s.node.id for s in walk.steps]
    return ids.index(node_id) + 1 if node_id in ids else len(ids) + 1


@bp.get("/<public_id>/trees/<tree_id>/summary")
def summary(public_id: str, tree_id: str):
    assessment = _load(public_id)
    item = _tree_progress(assessment, tree_id)
    return render_template("assessments/summary.html", assessment=assessment, item=item, library=library())


@bp.get("/<public_id>/report")
def report(public_id: str):
    assessment = _load(public_id)
    return render_template("assessments/report.html", report=build_report(library(), assessment))
