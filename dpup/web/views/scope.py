"""The pre-screen: from the "About this work" answers, which assessments this work needs, and why.

The person sees every assessment tree, the recommended ones ticked with the reason, and may add or
drop any; a choice that differs from the recommendation needs a reason, which is kept with the
assessment and audited, so a reviewer can see why a tree was left out.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from dpup.engine.assessment import recommended
from dpup.storage import assessments as store
from dpup.web.auth import requires
from dpup.web.forms import TreesForm
from dpup.web.review_pages import as_int
from dpup.web.views.assessments import _load_editable
from dpup.web.views.main import assessable_trees, library

bp = Blueprint("scope", __name__, url_prefix="/assessments")
MAX_REASON = 500


@bp.route("/<public_id>/trees", methods=["GET", "POST"])
@requires("assessments.edit")
def choose(public_id: str):
    assessment = _load_editable(public_id)
    profile = next((p for p in store.progress(library(), assessment) if p.tree.kind == "profile"), None)
    if profile is None:
        abort(404)  # an assessment started with its trees ticked directly has no pre-screen
    if not profile.walk.is_complete:
        flash("Answer the questions about this work first: they decide which assessments are recommended.")
        return redirect(url_for("assessments.tree", public_id=public_id, tree_id=profile.tree.id))
    trees = assessable_trees()
    offered = {t.id: "" for t in trees} | recommended(profile.tree, profile.walk)
    offered = {t.id: offered[t.id] for t in trees}  # (in the usual order; only trees that can be assessed)
    form = TreesForm()
    form.trees.choices = [SelectChoice(t.id, t.title) for t in trees]
    reasons = {t.id: (request.form.get(f"reason-{t.id}") or "").strip() for t in trees}
    if request.method == "GET":
        form.trees.data = _current_choice(assessment, offered)
        form.version.data = str(assessment.version)
        reasons = {tree_id: (assessment.scope or {}).get(tree_id, {}).get("reason", "") for tree_id in offered}
    errors, conflict = {}, False
    if request.method == "POST":
        valid = form.validate_on_submit()
        chosen = set(form.trees.data or [])
        errors = _reason_errors(offered, chosen, reasons)
        if valid and not errors:
            try:
                store.choose_trees(library(), assessment, current_user, chosen,
                                   {k: v for k, v in reasons.items() if k in _differs(offered, chosen)},
                                   offered, as_int(form.version.data))
            except store.ConflictError:
                conflict = True
                form.version.data = str(store.get_assessment(public_id, current_user.organisation_id).version)
            else:
                flash("Saved which assessments this work needs.")
                return redirect(url_for("assessments.show", public_id=public_id))
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render_template("assessments/trees.html", assessment=assessment, form=form, trees=trees,
                           offered=offered, reasons=reasons, errors=errors, conflict=conflict), status


def _current_choice(assessment, offered: dict[str, str]) -> list[str]:
    """What is chosen now: the saved choice, else the recommendation and any tree already in the
    assessment (chosen on the home page)."""
    if assessment.scope is not None:
        return [tree_id for tree_id in offered if assessment.scope.get(tree_id, {}).get("chosen")]
    pinned = {p.tree_id for p in assessment.trees}
    return [tree_id for tree_id, because in offered.items() if because or tree_id in pinned]


def _differs(offered: dict[str, str], chosen: set[str]) -> set[str]:
    """The trees chosen against the recommendation, or dropped although recommended."""
    return {tree_id for tree_id, because in offered.items() if bool(because) != (tree_id in chosen)}


def _reason_errors(offered: dict[str, str], chosen: set[str], reasons: dict[str, str]) -> dict[str, str]:
    errors = {}
    for tree_id in _differs(offered, chosen):
        if not reasons.get(tree_id):
            errors[tree_id] = ("Say why you are leaving this out: it was recommended." if offered[tree_id]
                               else "Say why you are adding this: it was not recommended.")
        elif len(reasons[tree_id]) > MAX_REASON:
            errors[tree_id] = f"Keep the reason under {MAX_REASON} characters."
    return errors
