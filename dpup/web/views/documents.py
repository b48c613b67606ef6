"""Documents drafted from an assessment's answers: the list of what the answers call for, a page per
document (the draft, its reading grade and what still needs words), editing it, re-drafting it and
downloading it as Word, PDF or Markdown."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from dpup.engine.plain_language import check, glossary_terms
from dpup.reports import document_files
from dpup.reports.document_files import DocumentFile
from dpup.storage import assessments as store
from dpup.storage import documents as drafts
from dpup.storage.models import Assessment, DocumentDraft, Status
from dpup.web import kept_forms
from dpup.web.auth import can, requires
from dpup.web.document_forms import DocumentTextForm, DraftForm
from dpup.web.review_pages import as_int
from dpup.web.views.assessments import load_for_report
from dpup.web.views.main import library
from dpup.web.views.reports import DOCX, _download, filename

bp = Blueprint("documents", __name__, url_prefix="/assessments")
FORMATS = {"md": (document_files.render_markdown, "text/markdown; charset=utf-8"),
           "pdf": (document_files.render_pdf, "application/pdf"),
           "docx": (document_files.render_docx, DOCX)}


@bp.after_request
def _never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _zone() -> str:
    return current_app.config["TIMEZONE"]


def _editable(assessment: Assessment) -> bool:
    return can("assessments.edit") and assessment.status in store.EDITABLE


def _template(document_id: str):
    template = library().documents.get(document_id)
    if template is None:
        abort(404)
    return template


def _readability(template, text: str):
    glossary = library().pages.get("glossary")
    return check(text, template.meta.reading_grade, glossary_terms(glossary.body if glossary else ""),
                 library().vocabulary.maori_words())  # (everyday words such as whānau are in the vocabulary)


@bp.get("/<public_id>/documents")
@requires("reports.read_approved")
def index(public_id: str):
    assessment = load_for_report(public_id)
    facts = drafts.facts_for(library(), assessment, _zone())
    offers = drafts.offers(library(), assessment, facts)
    if not can("assessments.read"):  # a board viewer reads the drafts of an approved assessment only
        offers = [o for o in offers if o.draft is not None]
    return render_template("documents/index.html", assessment=assessment, offers=offers,
                           editable=_editable(assessment))


@bp.get("/<public_id>/documents/<document_id>")
@requires("reports.read_approved")
def show(public_id: str, document_id: str):
    assessment = load_for_report(public_id)
    template = _template(document_id)
    record = drafts.get_draft(assessment, document_id)
    if record is None and not can("assessments.read"):
        abort(404)
    facts = drafts.facts_for(library(), assessment, _zone(), record.te_reo if record else False)
    fresh = drafts.draft(template, facts)  # what a draft made now would leave unfilled
    form = DraftForm(data={"te_reo": record.te_reo if record else False,
                           "version": str(record.version) if record else ""})
    return _page(assessment, template, record, form, fresh)


def _page(assessment, template, record: DocumentDraft | None, form, fresh, status: int = 200, conflict=False):
    text = record.text if record else ""
    changed = drafts.changes(record.facts or {}, drafts.facts_for(library(), assessment, _zone(), record.te_reo)) \
        if record else []
    unfilled = [place for place in dict.fromkeys(_places(text))] if record else list(fresh.unfilled)
    return render_template("documents/show.html", assessment=assessment, template=template, record=record,
                           blocks=document_files.blocks(text), form=form, changed=changed, unfilled=unfilled,
                           readability=_readability(template, text) if record else None,
                           editable=_editable(assessment), conflict=conflict,
                           offered=drafts.offered(template, drafts.facts_for(library(), assessment, _zone()))), status


def _places(text: str) -> list[str]:
    """The places still marked "[…]" in the text as it stands."""
    return re.findall(r"\[[^\]\n]{1,200}\]", text)


@bp.post("/<public_id>/documents/<document_id>/draft")
@requires("assessments.edit")
def make(public_id: str, document_id: str):
    """Draft the document from the answers, or re-draft it (replacing the text, after the person chose to)."""
    assessment = _load_editable(public_id)
    template = _template(document_id)
    form = DraftForm()
    record = drafts.get_draft(assessment, document_id)
    facts = drafts.facts_for(library(), assessment, _zone(), bool(form.te_reo.data))
    if not form.validate_on_submit():
        abort(400)
    try:
        drafts.make_draft(assessment, template, facts, current_user,
                          as_int(form.version.data) if record is not None else None)
    except store.ConflictError:
        record = drafts.get_draft(store.get_assessment(public_id, current_user.organisation_id), document_id)
        flash_text = "Someone else changed this document at the same moment, so it was not re-drafted."
        return _page(assessment, template, record, DraftForm(data={"te_reo": form.te_reo.data,
                                                                    "version": str(record.version)}),
                     drafts.draft(template, facts), 409, conflict=flash_text)
    flash(f"Drafted the {template.title[:1].lower()}{template.title[1:]} from your answers." if record is None
          else "Re-drafted it from the answers as they are now. Your earlier text is in the history.")
    return redirect(url_for(".show", public_id=public_id, document_id=document_id))


def _load_editable(public_id: str) -> Assessment:
    assessment = store.get_assessment(public_id, current_user.organisation_id)
    if assessment is None:
        abort(404)
    if assessment.status not in store.EDITABLE:
        flash(f"This assessment is {Status(assessment.status).label.lower()}, so its documents cannot be changed.")
        abort(redirect(url_for(".index", public_id=public_id)))
    return assessment


@bp.route("/<public_id>/documents/<document_id>/edit", methods=["GET", "POST"])
@requires("assessments.edit")
def edit(public_id: str, document_id: str):
    assessment = _load_editable(public_id)
    template = _template(document_id)
    record = drafts.get_draft(assessment, document_id)
    if record is None:
        abort(404)
    kept = kept_forms.take_back() if request.method == "GET" else None  # typed before a time-out
    form = DocumentTextForm(formdata=kept) if kept is not None else DocumentTextForm(
        data={"text": record.text, "version": str(record.version)} if request.method == "GET" else None)
    conflict = False
    if form.validate_on_submit():
        try:
            drafts.save_text(assessment, record, (form.text.data or "").replace("\r\n", "\n"),
                             as_int(form.version.data), current_user)
        except store.ConflictError:
            conflict = True  # what they typed stays in the form
            record = drafts.get_draft(store.get_assessment(public_id, current_user.organisation_id), document_id)
            form.version.data = str(record.version)
        else:
            flash(f"Saved the {template.title[:1].lower()}{template.title[1:]}.")
            return redirect(url_for(".show", public_id=public_id, document_id=document_id))
    typed = form.text.data if form.text.data is not None else record.text
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template("documents/edit.html", assessment=assessment, template=template, record=record,
                           form=form, conflict=conflict, readability=_readability(template, typed or ""),
                           unfilled=list(dict.fromkeys(_places(typed or "")))), status


@bp.get("/<public_id>/documents/<document_id>.<fmt>")
@requires("reports.read_approved")
def download(public_id: str, document_id: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    assessment = load_for_report(public_id)
    template = _template(document_id)
    record = drafts.get_draft(assessment, document_id)
    if record is None:
        abort(404)
    drafts.record_export(assessment, record, current_user, fmt)
    facts = drafts.facts_for(library(), assessment, _zone())
    doc = DocumentFile(record.title, assessment.organisation_name, assessment.initiative, facts.date, record.text,
                       tuple(s.title for s in template.meta.sources), template.meta.licence)
    render, mimetype = FORMATS[fmt]
    named = SimpleNamespace(initiative=assessment.initiative)  # all filename() reads of a report
    return _download(render(doc), mimetype, filename(named, fmt, document_id))
