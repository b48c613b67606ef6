"""Moving an organisation's assessments between dpup instances (SQLite to PostgreSQL and back).

The file is JSON with a versioned schema (``EXPORT_FORMAT``, ``EXPORT_VERSION``), described by the
pydantic models below and in the README. An import is checked completely before anything is written
and runs in one transaction: a broken or hostile file is refused with a clear message and changes
nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

from pydantic import Field, StrictInt, ValidationError, field_validator
from sqlalchemy import select

from dpup.engine import Library
from dpup.storage import actions as action_store
from dpup.storage import audit
from dpup.storage import documents as document_store
from dpup.storage.db import db
from dpup.storage.models import AnswerRecord, Assessment, AssessmentTree, DocumentDraft, Organisation, TreeVersion
from dpup.storage.transfer_checks import TransferError, check_consistency, check_shape
from dpup.storage.transfer_parts import (
    MAX_WORDS,
    ActionOut,
    ReviewedOut,
    Strict,
    action_in,
    action_out,
    history_out,
    iso,
    person_out,
    review_in,
    review_out,
    store_with_history,
)

__all__ = ["TransferError", "export_organisation", "import_organisation", "parse_export"]

EXPORT_FORMAT = "dpup-export"
EXPORT_VERSION = 7
# Version 2 added who submitted each assessment (``submitted_by``); version 3 lets a person's ``role``
# name several roles, space-separated ("administrator privacy_officer"); version 4 adds the action
# items and the privacy officer's words for the board brief. Older files still import: their action
# items are made from their findings as they are imported, as viewing the report would. Version 5
# adds which trees the pre-screen recommended and which were chosen, and why (``scope``). Version 6
# adds the document drafts (``documents``): the text as edited and the facts it was drafted from; and
# the organisation's DPUP self-assessments (``self_assessments``, see maturity_transfer.py). Version 7
# adds the framework text each self-assessment was rated against (``framework_text``).
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6, 7)
MAX_LEAD_FINDINGS = 7


class ScopeOut(Strict):
    """One tree the pre-screen offered: why it was recommended, whether it was chosen, and why."""

    recommended: str = Field(max_length=MAX_WORDS)
    chosen: bool
    reason: str = Field(max_length=MAX_WORDS)


class TreeVersionOut(Strict):
    content_hash: str = Field(pattern=r"^[0-9a-f]{16,64}$")
    tree_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    path: str = Field(max_length=300)
    source: str = Field(max_length=2_000_000)


class AnswerOut(Strict):
    tree_id: str = Field(max_length=80)
    node_id: str = Field(max_length=80)
    value: str | list[str]
    note: str = ""
    reason: str = ""
    action_owner: str = Field(default="", max_length=200)
    action_due: str = Field(default="", max_length=40)
    updated_at: datetime


class PinnedTreeOut(Strict):
    tree_id: str = Field(max_length=80)
    content_hash: str = Field(max_length=64)
    position: int = Field(ge=0, le=1000)


class DocumentOut(Strict):
    """A document drafted from the answers (version 6), as the privacy officer edited it."""

    document_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=document_store.MAX_TEXT)
    te_reo: bool = False
    # {"tree:question": {"value": …, "note": …}}: what it was drafted from, to tell when it is out of date.
    facts: dict[str, dict[str, Any]] = Field(default={}, max_length=1000)
    drafted_at: datetime
    updated_at: datetime
    updated_by: str = Field(default="", max_length=200)


class AssessmentOut(ReviewedOut):
    organisation_name: str = Field(max_length=200)
    initiative: str = Field(max_length=200)
    description: str = ""
    revision: int = Field(ge=1, le=1_000_000)
    trees: list[PinnedTreeOut] = Field(min_length=1)
    answers: list[AnswerOut] = []
    # Version 3: None where the file is older (the items are then made from the findings).
    actions: list[ActionOut] | None = None
    decision_sought: str = Field(default="", max_length=MAX_WORDS)
    recommendation: str = Field(default="", max_length=MAX_WORDS)
    lead_findings: list[str] = Field(default=[], max_length=MAX_LEAD_FINDINGS)
    scope: dict[str, ScopeOut] | None = Field(default=None, max_length=50)
    documents: list[DocumentOut] = Field(default=[], max_length=100)

    @field_validator("documents")
    @classmethod
    def _each_document_once(cls, value: list[DocumentOut]) -> list[DocumentOut]:
        ids = [d.document_id for d in value]
        if len(ids) != len(set(ids)):
            raise ValueError("a document is drafted twice")
        return value


class OrganisationOut(Strict):
    public_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,32}$")
    name: str = Field(max_length=200)


class ExportFile(Strict):
    format: str = Field(pattern=f"^{EXPORT_FORMAT}$")
    version: StrictInt
    exported_at: datetime
    organisation: OrganisationOut
    tree_versions: list[TreeVersionOut] = []
    assessments: list[AssessmentOut] = []
    self_assessments: list[SelfAssessmentOut] = []  # noqa: F821  (version 6; resolved at the end of the module)


def export_organisation(organisation: Organisation) -> dict:
    assessments = list(db.session.scalars(
        select(Assessment).where(Assessment.organisation_id == organisation.id).order_by(Assessment.id)))
    hashes = sorted({p.content_hash for a in assessments for p in a.trees})
    versions = [db.session.get(TreeVersion, h) for h in hashes]
    by_id = {a.id: a.public_id for a in assessments}
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": iso(datetime.now(UTC).replace(tzinfo=None)),
        "organisation": {"public_id": organisation.public_id, "name": organisation.name},
        # The file name only: where this server keeps its trees is nobody else's business.
        "tree_versions": [{"content_hash": v.content_hash, "tree_id": v.tree_id, "path": PurePath(v.path).name,
                           "source": v.source} for v in versions],
        "assessments": [_export_assessment(a, by_id) for a in assessments],
        "self_assessments": export_self_assessments(organisation),
    }


def _export_assessment(a: Assessment, by_id: dict[int, str]) -> dict:
    return {
        "public_id": a.public_id, "organisation_name": a.organisation_name, "initiative": a.initiative,
        "description": a.description, **review_out(a), "revision": a.revision,
        "previous": by_id.get(a.previous_id), "created_by": person_out(a.created_by),
        "submitted_by": person_out(a.submitted_by),
        "trees": [{"tree_id": p.tree_id, "content_hash": p.content_hash, "position": p.position} for p in a.trees],
        "answers": [{"tree_id": r.tree_id, "node_id": r.node_id, "value": r.value, "note": r.note,
                     "reason": r.reason, "action_owner": r.action_owner, "action_due": r.action_due,
                     "updated_at": iso(r.updated_at)}
                    for r in sorted(a.answers, key=lambda r: (r.tree_id, r.node_id))],
        "history": history_out(a),
        "actions": [action_out(item) for item in sorted(a.actions, key=lambda i: i.id)],
        "decision_sought": a.decision_sought or "", "recommendation": a.recommendation or "",
        "lead_findings": list(a.lead_findings or []),
        "scope": a.scope,
        "documents": [{"document_id": d.document_id, "title": d.title, "text": d.text, "te_reo": d.te_reo,
                       "facts": d.facts or {}, "drafted_at": iso(d.drafted_at), "updated_at": iso(d.updated_at),
                       "updated_by": d.updated_by} for d in a.documents],
    }


def parse_export(text: str) -> ExportFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"not a JSON file (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:  # the parser recurses: it gives up long before any real export
        raise TransferError("the file is nested far too deeply") from exc
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise TransferError("not a dpup export file (no \"format\": \"dpup-export\")")
    check_shape(data)
    # (True == 1 in Python: the type is checked too.)
    if type(data.get("version")) is not int or data["version"] not in READABLE_VERSIONS:
        raise TransferError(f"export version {data.get('version')!r} is not supported; this dpup reads versions "
                           f"{', '.join(map(str, READABLE_VERSIONS))}")
    try:
        return ExportFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TransferError(f"{where}: {first['msg']} ({exc.error_count()} problem(s) in all)") from exc


def import_organisation(library: Library, text: str, actor: str) -> tuple[Organisation, int]:
    """Load an export into this instance, all or nothing. Returns the organisation and how many
    assessments were added."""
    export = parse_export(text)
    check_consistency(library, export)
    check_self_assessments(library, export.organisation.public_id, export.self_assessments)
    try:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.public_id == export.organisation.public_id))
        if organisation is None:
            organisation = Organisation(public_id=export.organisation.public_id, name=export.organisation.name)
            db.session.add(organisation)
            db.session.flush()
        for version in export.tree_versions:
            if db.session.get(TreeVersion, version.content_hash) is None:
                db.session.add(TreeVersion(**version.model_dump()))
        db.session.flush()
        added: dict[str, Assessment] = {}
        for item in export.assessments:
            added[item.public_id] = _add_assessment(library, organisation, item, added)
        add_self_assessments(organisation, export.self_assessments)
        audit.record(actor, "organisation_imported", organisation.id, f"organisation:{organisation.public_id}",
                     after={"assessments": len(added)})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return organisation, len(added)


def _add_assessment(library: Library, organisation: Organisation, item: AssessmentOut,
                    added: dict[str, Assessment]) -> Assessment:
    assessment = Assessment(
        **review_in(organisation, item, added), organisation_name=item.organisation_name,
        initiative=item.initiative, description=item.description, revision=item.revision,
        decision_sought=item.decision_sought, recommendation=item.recommendation,
        lead_findings=list(item.lead_findings),
        scope={k: v.model_dump() for k, v in item.scope.items()} if item.scope is not None else None,
    )
    for pinned in item.trees:
        assessment.trees.append(AssessmentTree(**pinned.model_dump()))
    for answer in item.answers:
        assessment.answers.append(AnswerRecord(**answer.model_dump()))
    for document in item.documents:
        assessment.documents.append(DocumentDraft(**document.model_dump()))
    store_with_history(organisation, assessment, item)
    if item.actions is None:  # an older file: the items follow the findings, as on this dpup
        action_store.sync(library, assessment, "dpup")
    assessment.actions.extend(action_in(organisation, action) for action in item.actions or [])
    db.session.flush()
    return assessment


from dpup.storage.maturity_transfer import (  # noqa: E402  (it builds on the models above)
    SelfAssessmentOut,
    add_self_assessments,
    check_self_assessments,
    export_self_assessments,
)

ExportFile.model_rebuild()
