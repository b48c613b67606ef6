"""Frontline checklists: one page, one tap per item, a short result, and a record of it.

Logged-in staff use ``/checklists/<id>``. An organisation may also allow its checklists to be used
without logging in, through its own link ``/o/<organisation>/checklists/<id>`` (results from that
link can be printed but not saved, since nobody is known to have done it).
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from dpup.engine.checklist import ChecklistError, evaluate_checklist
from dpup.storage import audit, waiting
from dpup.storage.db import db
from dpup.storage.models import ChecklistRecord, Organisation
from dpup.web.auth import can, public, requires
from dpup.web.views.main import library

bp = Blueprint("checklists", __name__)


def _checklist(checklist_id: str):
    checklist = library().checklists.get(checklist_id)
    if checklist is None:
        abort(404)
    return checklist


def _open_organisation(org_id: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.public_id == org_id))
    if organisation is None or not organisation.public_checklists:
        abort(404)
    return organisation


def _read_ticks(checklist):
    ticks = {i.id: request.form[f"item-{i.id}"] for i in checklist.items if request.form.get(f"item-{i.id}")}
    reasons = {i.id: request.form.get(f"reason-{i.id}", "") for i in checklist.items}
    return ticks, reasons


def _show_or_result(checklist, can_save: bool):
    if request.method == "GET":
        return render_template("checklists/show.html", checklist=checklist, ticks={}, reasons={}, errors={},
                               library=library())
    ticks, reasons = _read_ticks(checklist)
    try:
        outcome = evaluate_checklist(checklist, ticks, reasons)
    except ChecklistError as exc:
        return render_template("checklists/show.html", checklist=checklist, ticks=ticks, reasons=reasons,
                               errors=exc.errors, library=library()), 400
    return render_template("checklists/result.html", checklist=checklist, outcome=outcome, ticks=ticks,
                           can_save=can_save)


@bp.route("/checklists/<checklist_id>", methods=["GET", "POST"])
@requires("checklists.use")
def show(checklist_id: str):
    return _show_or_result(_checklist(checklist_id), can_save=True)


@bp.route("/o/<org_id>/checklists/<checklist_id>", methods=["GET", "POST"])
@public
def open_show(org_id: str, checklist_id: str):
    _open_organisation(org_id)
    return _show_or_result(_checklist(checklist_id), can_save=False)


@bp.post("/checklists/<checklist_id>/save")
@requires("checklists.use")
def save(checklist_id: str):
    """Keep who ran which checklist and when, and what was left to do: never the service user's details."""
    checklist = _checklist(checklist_id)
    ticks, _ = _read_ticks(checklist)
    try:
        outcome = evaluate_checklist(checklist, ticks, {i.id: "recorded" for i in checklist.items})
    except ChecklistError as exc:  # a tick that is none of the answers shown: sent by hand, not the form
        return render_template("checklists/show.html", checklist=checklist, ticks=ticks, reasons={},
                               errors=exc.errors, library=library()), 400
    record = ChecklistRecord(organisation_id=current_user.organisation_id, user_id=current_user.id,
                             checklist_id=checklist.id, checklist_hash=checklist.file.content_hash,
                             all_clear=outcome.all_clear, to_do=[i.id for i in outcome.to_do + outcome.missing])
    db.session.add(record)
    audit.record(current_user.email, "checklist_saved", current_user.organisation_id, f"checklist:{checklist.id}",
                 after={"all_clear": outcome.all_clear, "to_do": record.to_do})
    db.session.commit()
    flash(f"Saved: “{checklist.title}”, with your name and the time.")
    return redirect(url_for(".results"))


@bp.get("/checklists/results")
@requires("checklists.use")
def results():
    """Saved results: a frontline worker's own; for privacy officers the organisation's, with which
    checklists are used and what is most often left to do (where training would help)."""
    everyone = can("checklists.results_all")
    return render_template("checklists/results.html", records=waiting.checklist_records(current_user, not everyone),
                           use=waiting.checklist_use(current_user.organisation_id) if everyone else [],
                           everyone=everyone, checklists=library().checklists)
