"""The organisation's yearly DPUP self-assessment: rate each criterion beside the facts the records
show, submit it for review and sign-off like an assessment, turn the gaps into actions, start next
year's from this one, and read the maturity report (web page, PDF, Word)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from dpup.engine.maturity import pinned_framework
from dpup.localtime import today
from dpup.reports import maturity_model
from dpup.reports.maturity_pdf import render_maturity_pdf
from dpup.reports.maturity_word import render_maturity_docx
from dpup.storage import audit
from dpup.storage import maturity as store
from dpup.storage.review import ConflictError, NotEditable
from dpup.storage.db import db
from dpup.storage.maturity_evidence import gather
from dpup.storage.maturity_models import SelfAssessment
from dpup.storage.models import Status
from dpup.web import kept_forms
from dpup.web.auth import can, requires
from dpup.web.forms import ActionForm, ReviewForm
from dpup.web.maturity_forms import StartSelfAssessmentForm, rating_form
from dpup.web.review_pages import ReviewPages, action_edit_page, as_int
from dpup.web.views.main import library
from dpup.web.views.reports import DOCX, _download

bp = Blueprint("maturity", __name__, url_prefix="/maturity")
FORMATS = {"pdf": (render_maturity_pdf, "application/pdf"), "docx": (render_maturity_docx, DOCX)}


@bp.after_request
def _never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _framework(sa: SelfAssessment | None = None):
    """The framework ``sa`` was started with (what its criteria said then), or today's for new work."""
    framework = library().maturity
    if framework is None:
        abort(404)  # this library has no maturity framework
    if sa is not None and sa.framework_text and sa.framework_text != framework.file.text:
        return pinned_framework(sa.framework_text, library().vocabulary) or framework
    return framework


def _today():
    return today(current_app.config["TIMEZONE"])


def _load(public_id: str) -> SelfAssessment:
    """Within the person's organisation only (404 otherwise, never 403); board viewers see signed-off ones."""
    found = store.get(public_id, current_user.organisation_id)
    if found is None or not (can("assessments.read") or found.status == Status.APPROVED):
        abort(404)
    return found


def _report(sa: SelfAssessment) -> maturity_model.MaturityReport:
    framework, zone_name = _framework(sa), current_app.config["TIMEZONE"]
    previous = store.previous_signed_off(sa.organisation_id, sa.year)
    evidence = gather(sa.organisation_id, sa.year, _today(), zone_name)
    return maturity_model.build(library(), framework, sa, previous, evidence, zone_name)


@bp.get("/")
@requires("reports.read_approved")
def index():
    framework = library().maturity
    form = StartSelfAssessmentForm(data={"year": _today().year})
    return render_template("maturity/index.html", framework=framework, items=store.visible_to(current_user),
                           form=form, status_label=lambda s: Status(s).label)


@bp.post("/new")
@requires("maturity.edit")
def new():
    framework = _framework()
    form = StartSelfAssessmentForm()
    if form.validate_on_submit():
        try:
            sa = store.start(framework, current_user, form.year.data)
        except store.YearTaken:
            form.year.errors = [f"There is already a self-assessment for {form.year.data}."]
        else:
            return redirect(url_for(".show", public_id=sa.public_id))
    return render_template("maturity/index.html", framework=framework, items=store.visible_to(current_user),
                           form=form, status_label=lambda s: Status(s).label), 400


@bp.get("/<public_id>")
@requires("assessments.read")
def show(public_id: str):
    return _show(_load(public_id), ReviewForm())


def _show(sa: SelfAssessment, review_form: ReviewForm, status: int = 200):
    report = _report(sa)
    history = audit.events_for(sa.organisation_id, store.target(sa))
    return render_template("maturity/show.html", sa=sa, report=report, review_form=review_form,
                           action_form=ActionForm(), status=Status(sa.status), editable=sa.status in store.EDITABLE,
                           needs_another_approver=store.needs_another_approver(sa, current_user),
                           unrated=store.unrated(_framework(sa), sa), history=history[:50], today=_today(),
                           items=sa.actions), status


_review_pages = ReviewPages("self-assessment", _load, _show)
_review_pages.add_review_route(bp)  # the reviewer's decision: POST /<public_id>/review


@bp.route("/<public_id>/criteria/<criterion_id>", methods=["GET", "POST"])
@requires("maturity.edit")
def rate(public_id: str, criterion_id: str):
    sa = _load(public_id)
    framework = _framework(sa)
    criterion = framework.criterion(criterion_id)
    if criterion is None:
        abort(404)
    if sa.status not in store.EDITABLE:
        flash(f"This self-assessment is {Status(sa.status).label.lower()}, so it cannot be changed.")
        return redirect(url_for(".show", public_id=public_id))
    saved = sa.ratings_by_criterion().get(criterion_id)
    data = {"version": str(sa.version)}
    if saved is not None:
        data.update(level=saved.level, target=saved.target, note=saved.note, evidence=saved.evidence)
    kept = kept_forms.take_back() if request.method == "GET" else None  # typed before a session time-out
    form = rating_form(framework, criterion, formdata=kept) if kept is not None else rating_form(
        framework, criterion, data=data if request.method == "GET" else None)
    conflict = None
    if form.validate_on_submit():
        change = store.RatingChange(form.level.data or "", form.target.data or "", (form.note.data or "").strip(),
                                    (form.evidence.data or "").strip())
        try:
            store.save_rating(sa, criterion_id, change, as_int(form.version.data), current_user)
        except ConflictError:  # what they typed stays in the form; the page shows what is saved now
            sa = _load(public_id)
            conflict = sa.ratings_by_criterion().get(criterion_id)
            form.version.data = str(sa.version)
        except NotEditable:
            abort(409)
        else:
            flash("Saved.")
            return redirect(_next_criterion(framework, public_id, criterion_id))
    report = _report(sa)
    row = next(c for c in report.criteria if c.id == criterion_id)
    status = 409 if conflict is not None else (400 if form.errors else 200)
    return render_template("maturity/rate.html", sa=sa, criterion=criterion, row=row, form=form,
                           conflict=conflict, framework=framework, kept=kept is not None), status


def _next_criterion(framework, public_id: str, criterion_id: str) -> str:
    ids = [c.id for c in framework.criteria]
    following = ids.index(criterion_id) + 1
    if following < len(ids):
        return url_for(".rate", public_id=public_id, criterion_id=ids[following])
    return url_for(".show", public_id=public_id)


@bp.post("/<public_id>/submit")
@requires("maturity.edit")
def submit(public_id: str):
    sa = _load(public_id)
    if sa.status not in store.EDITABLE or not ActionForm().validate_on_submit():
        abort(400)
    unrated = store.unrated(_framework(sa), sa)
    return _review_pages.submit(sa, "Rate every criterion before you submit the self-assessment for review."
                                if unrated else None)


@bp.post("/<public_id>/actions")
@requires("maturity.edit")
def make_actions(public_id: str):
    sa = _load(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    made = store.make_actions(_framework(sa), sa, current_user)
    flash(f"Made {made} new action{'s' if made != 1 else ''} in the action register." if made
          else "Every gap already has an action in the register.")
    return redirect(url_for(".show", public_id=public_id, _anchor="roadmap"))


@bp.route("/<public_id>/actions/<action_id>", methods=["GET", "POST"])
@requires("maturity.edit")
def edit_action(public_id: str, action_id: str):
    """One roadmap action's owner, due date, status and note, as on an assessment's action plan."""
    sa = _load(public_id)
    item = store.get_action(sa, action_id)
    if item is None:
        abort(404)
    back_url = url_for(".show", public_id=public_id, _anchor="roadmap")
    return action_edit_page(item, lambda: store.get_action(_load(public_id), action_id), back_url,
                            public_id=public_id, back_url=back_url, back_text="Back to the self-assessment")


@bp.post("/<public_id>/next-year")
@requires("maturity.edit")
def next_year(public_id: str):
    """Start next year's self-assessment from this signed-off one (its levels as a starting point)."""
    sa = _load(public_id)
    if sa.status != Status.APPROVED or not ActionForm().validate_on_submit():
        abort(400)
    try:
        following = store.start(_framework(), current_user, sa.year + 1)
    except store.YearTaken:
        flash(f"There is already a self-assessment for {sa.year + 1}.")
        return redirect(url_for(".index"))
    flash(f"Started {following.year}'s self-assessment with {sa.year}'s levels as a starting point: check each one.")
    return redirect(url_for(".show", public_id=following.public_id))


@bp.get("/<public_id>/report")
@requires("reports.read_approved")
def report(public_id: str):
    return render_template("maturity/report.html", report=_report(_load(public_id)), public_id=public_id)


@bp.get("/<public_id>/<document>.<fmt>")
@requires("reports.read_approved")
def download(public_id: str, document: str, fmt: str):
    """The board brief alone, or the brief and the full record, as PDF or Word."""
    if document not in ("brief", "report") or fmt not in FORMATS:
        abort(404)
    sa = _load(public_id)
    audit.record(current_user.email, "report_exported", sa.organisation_id, store.target(sa),
                 after={"format": fmt, "document": document})
    db.session.commit()
    render, mimetype = FORMATS[fmt]
    body = render(_report(sa), full=document == "report")
    return _download(body, mimetype, f"dpup-maturity-{document}-{sa.year}.{fmt}")
