"""Assessments: start one, answer its questions one page at a time, review answers, read the report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from dpup.engine import AnswerError, QuestionNode, parse_answer
from dpup.engine.walk import questions_left
from dpup.reports import history
from dpup.storage import assessments as store
from dpup.storage import waiting
from dpup.storage.models import Assessment, Status
from dpup.web import kept_forms
from dpup.web.auth import can, requires
from dpup.web.forms import (
    ActionForm,
    DetailsForm,
    ProfileStartForm,
    ReviewForm,
    StartForm,
    needs_reason,
    question_form,
    raises_action,
)
from dpup.web.review_pages import ReviewPages, as_int
from dpup.web.views.main import assessable_trees, library

bp = Blueprint("assessments", __name__, url_prefix="/assessments")
MAX_PAGE = 1_000_000


@bp.after_request
def _never_cache(response):
    """Assessment pages show an organisation's data: keep them out of shared and browser caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@requires("reports.read_approved")
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    if page > MAX_PAGE:  # the offset would not fit the database's integers; no list is this long
        abort(404)
    status = request.args.get("status", type=Status)  # an unknown one (ValueError) shows every assessment
    assessments, more = store.list_assessments(current_user, page, status=status)
    return render_template("assessments/index.html", assessments=assessments, page=page, more=more,
                           status=status, statuses=list(Status), status_label=lambda status: Status(status).label)


@bp.route("/new", methods=["GET", "POST"])
@requires("assessments.edit")
def new():
    """Name the work. With an "About this work" profile in the library, its questions come next and
    recommend the trees; without one, the trees are ticked here."""
    profile = library().profile
    form = ProfileStartForm() if profile else StartForm()
    if not profile:
        form.trees.choices = [SelectChoice(t.id, t.title) for t in assessable_trees()]
        if request.method == "GET" and request.args.get("tree"):
            form.trees.data = request.args.getlist("tree")
    # With a profile, an assessment chosen from the home page (?tree=…) is carried through to the
    # pre-screen, ticked; the profile's answers may recommend others.
    known = {t.id for t in assessable_trees()}
    carried = [t for t in (request.values.getlist("tree") if profile else []) if t in known]
    if form.validate_on_submit():
        assessment = store.start_assessment(library(), current_user, form.initiative.data.strip(),
                                            (form.description.data or "").strip(),
                                            carried if profile else form.trees.data, with_profile=True)
        first = assessment.trees[0].tree_id
        return redirect(url_for(".tree", public_id=assessment.public_id, tree_id=first))
    return render_template("assessments/new.html", form=form, trees=assessable_trees(), profile=profile,
                           carried=[library().trees[t] for t in carried]), 200 if not form.errors else 400


def _load(public_id: str) -> Assessment:
    """The assessment, if it belongs to the person's organisation; 404 otherwise, never 403,
    so nobody can learn that another organisation's assessment exists."""
    assessment = store.get_assessment(public_id, current_user.organisation_id)
    if assessment is None:
        abort(404)
    return assessment


def load_for_report(public_id: str) -> Assessment:
    """Board viewers read approved reports only; an unapproved one is simply not there for them."""
    assessment = _load(public_id)
    if not (can("assessments.read") or assessment.status == Status.APPROVED):
        abort(404)
    return assessment


def _load_editable(public_id: str) -> Assessment:
    assessment = _load(public_id)
    if assessment.status not in store.EDITABLE:
        flash(f"This assessment is {Status(assessment.status).label.lower()}, so it cannot be changed.")
        abort(redirect(url_for(".show", public_id=public_id)))
    return assessment


def _tree_progress(assessment, tree_id: str):
    item = store.tree_progress(library(), assessment, tree_id)
    if item is None:
        abort(404)
    return item


@bp.get("/<public_id>")
@requires("assessments.read")
def show(public_id: str):
    assessment = _load(public_id)
    return _show(assessment, ReviewForm())


def _show(assessment: Assessment, review_form: ReviewForm, status: int = 200):
    progress = store.progress(library(), assessment)
    return render_template("assessments/show.html", assessment=assessment, action_form=ActionForm(),
                           review_form=review_form, progress=progress, status=Status(assessment.status),
                           library=library(),
                           needs_another_approver=store.needs_another_approver(assessment, current_user),
                           changes_asked=(waiting.last_decision(assessment, Status.CHANGES_REQUESTED)
                                          if assessment.status == Status.CHANGES_REQUESTED else None),
                           history=history.described(assessment, progress)), status


_review_pages = ReviewPages("assessment", _load, _show)
_review_pages.add_review_route(bp)  # the reviewer's decision: POST /<public_id>/review


@bp.route("/<public_id>/details", methods=["GET", "POST"])
@requires("assessments.edit")
def details(public_id: str):
    """Rename the assessment or change its description while it can still be changed."""
    assessment = _load_editable(public_id)
    kept = kept_forms.take_back() if request.method == "GET" else None  # typed before a time-out
    form = DetailsForm(formdata=kept) if kept is not None else DetailsForm(
        data={"initiative": assessment.initiative, "description": assessment.description,
              "version": str(assessment.version)} if request.method == "GET" else None)
    conflict = False
    if form.validate_on_submit():
        try:
            store.change_details(assessment, current_user, form.initiative.data.strip(),
                                 (form.description.data or "").strip(), as_int(form.version.data))
        except store.ConflictError:
            conflict = True  # what they typed stays in the form; the page shows what is saved now
            form.version.data = str(_load(public_id).version)
        else:
            flash("Saved the name and description.")
            return redirect(url_for(".show", public_id=public_id))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template("assessments/details.html", assessment=assessment, form=form, conflict=conflict,
                           kept=kept is not None), status


@bp.route("/<public_id>/delete", methods=["GET", "POST"])
@requires("assessments.edit")
def delete(public_id: str):
    """Ask first, then delete a draft. Once submitted, an assessment is a record and stays."""
    assessment = _load(public_id)
    if assessment.status != Status.DRAFT:
        flash("Only a draft that has not been submitted can be deleted.")
        return redirect(url_for(".show", public_id=public_id))
    form = ActionForm()
    if form.validate_on_submit():
        store.delete_draft(assessment, current_user)
        flash(f"Deleted the draft “{assessment.initiative}”.")
        return redirect(url_for(".index"))
    return render_template("assessments/delete.html", assessment=assessment, form=form), 400 if form.errors else 200


@bp.post("/<public_id>/submit")
@requires("assessments.edit")
def submit(public_id: str):
    assessment = _load_editable(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _review_pages.submit(assessment, _not_ready(assessment, store.progress(library(), assessment)))


def _not_ready(assessment: Assessment, progress) -> str | None:
    """What must be done before the assessment can be submitted for review, if anything."""
    if any(item.tree.kind == "profile" for item in progress) and assessment.scope is None:
        return "Choose which assessments this work needs before you submit it for review."
    if not all(item.walk.is_complete for item in progress):
        return "Finish every part of the assessment before you submit it for review."
    return None


@bp.post("/<public_id>/new-version")
@requires("assessments.edit")
def new_version(public_id: str):
    assessment = _load(public_id)
    if assessment.status != Status.APPROVED or not ActionForm().validate_on_submit():
        abort(400)
    copy = store.new_version(assessment, current_user)
    flash(f"Started version {copy.revision}. Version {assessment.revision} stays as it was approved.")
    return redirect(url_for(".show", public_id=copy.public_id))


@bp.get("/<public_id>/trees/<tree_id>")
@requires("assessments.read")
def tree(public_id: str, tree_id: str):
    """Continue where the person left off: the next unanswered question, or the summary."""
    assessment = _load(public_id)
    item = _tree_progress(assessment, tree_id)
    if item.walk.current is not None:
        return redirect(url_for(".question", public_id=public_id, tree_id=tree_id, node_id=item.walk.current.id))
    if item.tree.kind == "profile" and assessment.scope is None and assessment.status in store.EDITABLE:
        return redirect(url_for("scope.choose", public_id=public_id))  # the profile is done: now the trees
    return redirect(url_for(".summary", public_id=public_id, tree_id=tree_id))


@bp.route("/<public_id>/trees/<tree_id>/questions/<node_id>", methods=["GET", "POST"])
@requires("assessments.edit")
def question(public_id: str, tree_id: str, node_id: str):
    assessment = _load_editable(public_id)
    item = _tree_progress(assessment, tree_id)
    node = item.tree.node(node_id)
    if not isinstance(node, QuestionNode):
        abort(404)
    step = item.walk.step_for(node_id)
    if step is not None and step.known_from:  # answered by another tree: change it there
        source_tree, _, source_node = step.known_from.rpartition(":")
        flash("That answer comes from an earlier part of this assessment. Change it here, and every part "
              "that uses it follows.")
        return redirect(url_for(".question", public_id=public_id, tree_id=source_tree, node_id=source_node))
    on_path = step is not None or item.walk.current == node
    if not on_path:
        flash("That question is not on the path your answers take. Here is where you are up to.")
        return redirect(url_for(".tree", public_id=public_id, tree_id=tree_id))
    saved = item.answers.get(node_id)
    kept = kept_forms.take_back() if request.method == "GET" else None  # typed before a time-out
    if kept is not None:
        form = question_form(node, formdata=kept)
    else:
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
                store.save_answer(assessment, tree_id, node_id, answer, as_int(form.version.data), current_user,
                                  library())
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
        needs_reason=needs_reason(node), raises_action=raises_action(node), kept=kept is not None,
        position=_position(item.walk, node_id), of_about=_of_about(item, node_id), library=library(),
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


def _of_about(item, node_id: str) -> tuple[int, bool]:
    """How many questions this tree will take, as far as the answers so far tell: (count, exact)."""
    fewest, most = questions_left(item.tree, node_id)
    return _position(item.walk, node_id) - 1 + round((fewest + most) / 2), fewest == most


def _position(walk, node_id: str) -> int:
    ids = [s.node.id for s in walk.asked]
    return ids.index(node_id) + 1 if node_id in ids else len(ids) + 1


@bp.get("/<public_id>/trees/<tree_id>/summary")
@requires("assessments.read")
def summary(public_id: str, tree_id: str):
    assessment = _load(public_id)
    item = _tree_progress(assessment, tree_id)
    return render_template("assessments/summary.html", assessment=assessment, item=item, library=library())


@bp.get("/<public_id>/report")
@requires("reports.read_approved")
def report(public_id: str):
    assessment = load_for_report(public_id)
    from dpup.web.views.reports import report_for  # (reports builds on this module)

    return render_template("assessments/report.html", report=report_for(assessment))
