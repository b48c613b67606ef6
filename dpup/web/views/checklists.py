"""Frontline checklists: one page, one tap per item, and a short result at the end."""

from flask import Blueprint, abort, render_template, request

from dpup.engine.checklist import ChecklistError, evaluate_checklist
from dpup.web.views.main import library

bp = Blueprint("checklists", __name__, url_prefix="/checklists")


def _checklist(checklist_id: str):
    checklist = library().checklists.get(checklist_id)
    if checklist is None:
        abort(404)
    return checklist


@bp.get("/<checklist_id>")
def show(checklist_id: str):
    return render_template("checklists/show.html", checklist=_checklist(checklist_id), ticks={}, reasons={},
                           errors={}, library=library())


@bp.post("/<checklist_id>")
def result(checklist_id: str):
    checklist = _checklist(checklist_id)
    ticks = {i.id: request.form[f"item-{i.id}"] for i in checklist.items if request.form.get(f"item-{i.id}")}
    reasons = {i.id: request.form.get(f"reason-{i.id}", "") for i in checklist.items}
    try:
        outcome = evaluate_checklist(checklist, ticks, reasons)
    except ChecklistError as exc:
        return render_template("checklists/show.html", checklist=checklist, ticks=ticks, reasons=reasons,
                               errors=exc.errors, library=library()), 400
    return render_template("checklists/result.html", checklist=checklist, outcome=outcome)
