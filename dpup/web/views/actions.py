"""The action plan of an assessment (one action at a time), the privacy officer's words for the
board brief, and the organisation's action register (filters, CSV)."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from dpup.localtime import today
from dpup.reports.model import build_report
from dpup.storage import actions as store_actions
from dpup.storage import assessments as store
from dpup.storage import audit
from dpup.storage.actions import Filters
from dpup.storage.db import db
from dpup.storage.models import ActionStatus, Status
from dpup.web.action_forms import BriefWordsForm, RegisterFilterForm
from dpup.web.auth import requires
from dpup.web.review_pages import action_edit_page, as_int
from dpup.web.views.assessments import _load
from dpup.web.views.main import library
from dpup.web.views.reports import report_for

bp = Blueprint("actions", __name__)
PER_PAGE = 50
MAX_PAGE = 100_000


@bp.after_request
def _never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _today():
    return today(current_app.config["TIMEZONE"])


@bp.get("/assessments/<public_id>/actions")
@requires("assessments.read")
def plan(public_id: str):
    assessment = _load(public_id)
    report = report_for(assessment)
    return render_template("actions/plan.html", assessment=assessment, report=report,
                           items=_ranked(assessment.actions), today=_today())


def _ranked(items):
    order = {s.value: n for n, s in enumerate(ActionStatus)}
    return sorted(items, key=lambda a: (order[a.status], a.due is None, a.due or _today(), a.id))


@bp.route("/assessments/<public_id>/actions/<action_id>", methods=["GET", "POST"])
@requires("assessments.edit")
def edit(public_id: str, action_id: str):
    """One action's owner, due date, status and notes. Open after approval too: doing them is the point."""
    item = store_actions.get_item(public_id, action_id, current_user.organisation_id)
    if item is None:
        abort(404)
    return action_edit_page(item, lambda: store_actions.get_item(public_id, action_id, current_user.organisation_id),
                            url_for(".plan", public_id=public_id), public_id=public_id)


@bp.route("/assessments/<public_id>/brief-words", methods=["GET", "POST"])
@requires("assessments.edit")
def brief_words(public_id: str):
    """The privacy officer's recommendation, the decision sought and the findings that lead the brief."""
    assessment = _load(public_id)
    if assessment.status not in store.EDITABLE:
        flash(f"This assessment is {Status(assessment.status).label.lower()}, so it cannot be changed.")
        return redirect(url_for("assessments.show", public_id=public_id))
    report = build_report(library(), assessment, current_app.config["TIMEZONE"])
    choices = [SelectChoice(f.key, f"{f.severity_label}: {f.text}") for f in report.findings
               if f.severity_label != "Information"]
    form = BriefWordsForm(data={"decision_sought": assessment.decision_sought,
                                "recommendation": assessment.recommendation,
                                "lead_findings": list(assessment.lead_findings or []),
                                "version": str(assessment.version)} if request.method == "GET" else None)
    form.lead_findings.choices = choices
    conflict = False
    if form.validate_on_submit():
        try:
            store.change_brief_words(assessment, current_user, (form.decision_sought.data or "").strip(),
                                     (form.recommendation.data or "").strip(), list(form.lead_findings.data or []),
                                     as_int(form.version.data))
        except store.ConflictError:
            conflict = True
            form.version.data = str(_load(public_id).version)
        else:
            flash("Saved your words for the board brief.")
            return redirect(url_for("assessments.show", public_id=public_id))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template("actions/brief_words.html", assessment=assessment, form=form, conflict=conflict), status


def _filters(form: RegisterFilterForm) -> Filters:
    status = form.status.data
    due_by = getattr(form.due_by, "parsed", None) if not form.due_by.errors else None
    return Filters(status=None if status == "any" else ActionStatus(status if status in set(ActionStatus) else "open"),
                   owner=(form.owner.data or "").strip()[:200], due_by=due_by, overdue=form.overdue.data == "yes")


@bp.get("/actions")
@requires("assessments.read")
def register():
    """The register, 50 a page. Links name the row a page continues from by its public id (after=
    for the next page, before= for the previous one; page=last for the last), so a deep page costs
    what the first does. A numbered page (page=3) is from an older link and still works."""
    form = RegisterFilterForm(request.args)
    form.validate()
    filters, organisation_id, page = _filters(form), current_user.organisation_id, request.args.get("page", "")
    if page.isdigit() and int(page) > 1:
        if int(page) > MAX_PAGE:
            abort(404)
        shown = store_actions.register_page_number(organisation_id, filters, _today(), int(page), PER_PAGE)
    else:
        shown = store_actions.register_page(
            organisation_id, filters, _today(),
            after=store_actions.position_of(organisation_id, request.args.get("after", "")),
            before=store_actions.position_of(organisation_id, request.args.get("before", "")),
            last=page == "last", per_page=PER_PAGE)
    args = {k: v for k, v in request.args.items() if k not in ("page", "after", "before") and v}
    return render_template("actions/register.html", form=form, shown=shown, args=args,
                           today=_today()), 400 if form.errors else 200


@bp.get("/actions.csv")
@requires("assessments.read")
def register_csv():
    form = RegisterFilterForm(request.args)
    form.validate()
    query = store_actions.register_query(current_user.organisation_id, _filters(form), _today())
    audit.record(current_user.email, "action_register_exported", current_user.organisation_id, "actions")
    db.session.commit()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Assessment", "Action", "Finding", "Severity", "Owner", "Due", "Status", "Overdue",
                     "Reason the risk was accepted", "Note"])
    today_ = _today()
    for item in db.session.scalars(query).unique():
        writer.writerow([_cell(v) for v in (
            item.source_title, item.text, item.finding, item.severity, item.owner_label,
            item.due.isoformat() if item.due else "", ActionStatus(item.status).label,
            "yes" if store_actions.is_overdue(item, today_) else "", item.reason, item.note)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="dpup-action-register.csv"', "X-Content-Type-Options": "nosniff"})


def _cell(text: str) -> str:
    """Spreadsheet formulas neutralised (CSV injection): a cell starting = + - @ or a tab gets a quote."""
    text = audit.one_line(str(text or ""))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
