"""Document drafts of an assessment: drafted from its answers, edited by the privacy officer,
versioned (a save against an older version is refused) and audited like any answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from dpup.engine import Library
from dpup.engine.documents import DocumentTemplate
from dpup.engine.drafting import Change, Draft, Facts, changes, draft, facts_from, offered
from dpup.localtime import format_date, today
from dpup.storage import audit
from dpup.storage.assessments import EDITABLE, ConflictError, NotEditable, progress, target
from dpup.storage.db import db
from dpup.storage.models import Assessment, DocumentDraft, User, utcnow

MAX_TEXT = 50_000
FORMAT_NAMES = {"md": "Markdown", "pdf": "PDF", "docx": "Word"}


def facts_for(library: Library, assessment: Assessment, zone: str | None, te_reo: bool = False) -> Facts:
    """What a draft is made from: every tree's answers on its path, the organisation, the work and today."""
    walked = progress(library, assessment)
    return facts_from({p.tree.id: p.walk for p in walked}, {p.tree.id: p.tree for p in walked},
                      assessment.organisation_name, assessment.initiative, format_date(today(zone), zone), te_reo)


@dataclass(frozen=True)
class Offer:
    """A document this assessment's answers call for, with its draft if there is one."""

    template: DocumentTemplate
    draft: DocumentDraft | None
    changed: list[Change]


def offers(library: Library, assessment: Assessment, facts: Facts) -> list[Offer]:
    """The documents the answers call for, in the templates' order; a document drafted before the
    answers stopped calling for it is still listed, since its draft is there."""
    drafts = {d.document_id: d for d in assessment.documents}
    found = []
    for template in sorted(library.documents.values(), key=lambda t: (t.meta.order, t.id)):
        existing = drafts.get(template.id)
        if existing is not None or offered(template, facts):
            found.append(Offer(template, existing, changes(existing.facts or {}, facts) if existing else []))
    return found


def get_draft(assessment: Assessment, document_id: str) -> DocumentDraft | None:
    return next((d for d in assessment.documents if d.document_id == document_id), None)


def _check(assessment: Assessment, record: DocumentDraft | None, seen_version: int | None) -> None:
    if assessment.status not in EDITABLE:
        raise NotEditable()
    if record is not None and record.version != seen_version:
        raise ConflictError()


def make_draft(assessment: Assessment, template: DocumentTemplate, facts: Facts, actor: User,
               seen_version: int | None = None) -> DocumentDraft:
    """Draft the document from the answers; for a document drafted before, replace its text (re-draft),
    refusing if it changed since the person loaded the page."""
    record = get_draft(assessment, template.id)
    _check(assessment, record, seen_version)
    result: Draft = draft(template, facts)
    before = None if record is None else _snapshot(record)
    if record is None:
        record = DocumentDraft(document_id=template.id)
        assessment.documents.append(record)
    record.title, record.text, record.te_reo, record.facts = template.title, result.text, facts.te_reo, result.used
    record.drafted_at, record.updated_by = utcnow(), actor.name
    audit.record(actor.email, "document_drafted" if before is None else "document_redrafted",
                 assessment.organisation_id, target(assessment), before=before,
                 after=_snapshot(record, "drafted" if before is None else "re-drafted"))
    _commit()
    return record


def save_text(assessment: Assessment, record: DocumentDraft, text: str, seen_version: int, actor: User) -> None:
    """The person's edits. The facts stay those it was drafted from: only a re-draft changes them."""
    _check(assessment, record, seen_version)
    before = _snapshot(record)
    record.text, record.updated_by = text, actor.name
    record.updated_at = utcnow()
    audit.record(actor.email, "document_edited", assessment.organisation_id, target(assessment),
                 before=before, after=_snapshot(record, "edited"))
    _commit()


def _snapshot(record: DocumentDraft, change: str = "") -> dict:
    """What the history keeps: the whole text before and after, and (after) what was done, in words."""
    snapshot = {"document": record.document_id, "title": record.title, "text": record.text, "te_reo": record.te_reo}
    return {**snapshot, "change": change} if change else snapshot


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError() from exc


def record_export(assessment: Assessment, record: DocumentDraft, actor: User, export_format: str) -> None:
    audit.record(actor.email, "document_exported", assessment.organisation_id, target(assessment),
                 after={"document": record.document_id, "title": record.title, "format": export_format,
                        "change": f"downloaded as {FORMAT_NAMES.get(export_format, export_format)}"})
    db.session.commit()
