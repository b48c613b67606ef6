"""Reports: the board brief and the full record, both from the one report model, as HTML, Markdown,
PDF and Word."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user
from werkzeug.http import dump_options_header

from dpup.reports.markdown import render_brief_markdown, render_markdown
from dpup.reports.model import build_report
from dpup.reports.rows import Report
from dpup.reports.pdf import render_pdf
from dpup.reports.pdf_brief import render_brief_pdf
from dpup.reports.word import render_brief_docx, render_record_docx
from dpup.storage import actions
from dpup.storage import assessments as store
from dpup.storage import audit
from dpup.storage.db import db
from dpup.web.auth import requires
from dpup.web.views.assessments import load_for_report
from dpup.web.views.main import library

bp = Blueprint("reports", __name__, url_prefix="/assessments")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BRIEF_FORMATS = {
    "md": (render_brief_markdown, "text/markdown; charset=utf-8"),
    "pdf": (render_brief_pdf, "application/pdf"),
    "docx": (render_brief_docx, DOCX),
}


def report_for(assessment) -> Report:
    """The report model, with the assessment's action items brought up to date first (an assessment
    started before actions were records gets them here; the change is audited)."""
    actions.sync(library(), assessment, "dpup")
    if db.session.dirty or db.session.new:
        db.session.commit()
    return build_report(library(), assessment, current_app.config["TIMEZONE"])


def _report(public_id: str, export_format: str, document: str = "record") -> Report:
    assessment = load_for_report(public_id)
    audit.record(current_user.email, "report_exported", assessment.organisation_id, store.target(assessment),
                 after={"format": export_format, "document": document})
    db.session.commit()
    return report_for(assessment)


def filename(report: Report, extension: str, document: str = "report") -> str:
    """An ASCII file name from the initiative: "dpup-report-whanau-outcomes.pdf"."""
    ascii_name = unicodedata.normalize("NFKD", report.initiative).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return f"dpup-{document}-{slug or 'assessment'}.{extension}"


def _download(body: bytes | str, mimetype: str, name: str) -> Response:
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = dump_options_header("attachment", {"filename": name})
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<public_id>/report.md")
@requires("reports.read_approved")
def markdown(public_id: str):
    report = _report(public_id, "md")
    return _download(render_markdown(report), "text/markdown; charset=utf-8", filename(report, "md"))


@bp.get("/<public_id>/report.pdf")
@requires("reports.read_approved")
def pdf(public_id: str):
    report = _report(public_id, "pdf")
    return _download(render_pdf(report), "application/pdf", filename(report, "pdf"))


@bp.get("/<public_id>/report.docx")
@requires("reports.read_approved")
def word(public_id: str):
    report = _report(public_id, "docx")
    return _download(render_record_docx(report), DOCX, filename(report, "docx"))


@bp.get("/<public_id>/brief")
@requires("reports.read_approved")
def brief(public_id: str):
    response = Response(render_template("reports/brief.html", report=report_for(load_for_report(public_id))))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<public_id>/brief.<fmt>")
@requires("reports.read_approved")
def brief_file(public_id: str, fmt: str):
    if fmt not in BRIEF_FORMATS:
        abort(404)
    render, mimetype = BRIEF_FORMATS[fmt]
    report = _report(public_id, fmt, "brief")
    return _download(render(report), mimetype, filename(report, fmt, "brief"))
