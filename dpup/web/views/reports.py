"""Report downloads: the same report model as the HTML page, as a Markdown file and as a PDF."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, Response
from flask_login import current_user
from werkzeug.http import dump_options_header

from dpup.reports.markdown import render_markdown
from dpup.reports.model import Report, build_report
from dpup.reports.pdf import render_pdf
from dpup.storage import assessments as store
from dpup.storage import audit
from dpup.storage.db import db
from dpup.web.auth import requires
from dpup.web.views.assessments import load_for_report
from dpup.web.views.main import library

bp = Blueprint("reports", __name__, url_prefix="/assessments")


def _report(public_id: str, export_format: str) -> Report:
    assessment = load_for_report(public_id)
    audit.record(current_user.email, "report_exported", assessment.organisation_id, store.target(assessment),
                 after={"format": export_format})
    db.session.commit()
    return build_report(library(), assessment)


def filename(report: Report, extension: str) -> str:
    """An ASCII file name from the initiative: "dpup-report-whanau-outcomes.pdf"."""
    ascii_name = unicodedata.normalize("NFKD", report.initiative).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return f"dpup-report-{slug or 'assessment'}.{extension}"


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
