"""Reading and changing assessments. Views call these; nothing here knows about requests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from dpup.engine import Answer, Library, Tree, Walk, walk
from dpup.engine.library import tree_from_text
from dpup.storage.db import db
from dpup.storage.models import AnswerRecord, Assessment, AssessmentTree, TreeVersion, utcnow


class ConflictError(Exception):
    """Someone else saved this assessment since the form was opened; nothing was overwritten."""


def start_assessment(library: Library, organisation: str, initiative: str, description: str,
                     tree_ids: list[str]) -> Assessment:
    assessment = Assessment(organisation_name=organisation, initiative=initiative, description=description)
    for position, tree_id in enumerate(tree_ids):
        version = pin_version(library.trees[tree_id])
        assessment.trees.append(AssessmentTree(tree_id=tree_id, content_hash=version.content_hash, position=position))
    db.session.add(assessment)
    db.session.commit()
    return assessment


def pin_version(tree: Tree) -> TreeVersion:
    """Store the exact text of the tree once, so assessments made with it read the same later."""
    version = db.session.get(TreeVersion, tree.file.content_hash)
    if version is None:
        version = TreeVersion(content_hash=tree.file.content_hash, tree_id=tree.id,
                              path=tree.file.path, source=tree.file.text)
        db.session.add(version)
    return version


def get_assessment(public_id: str) -> Assessment | None:
    return db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))


def list_assessments() -> list[Assessment]:
    return list(db.session.scalars(select(Assessment).order_by(Assessment.updated_at.desc())))


_tree_cache: dict[str, Tree] = {}


def tree_for(library: Library, pinned: AssessmentTree) -> Tree:
    """The tree as it was when the assessment started (the current one when unchanged)."""
    current = library.trees.get(pinned.tree_id)
    if current is not None and current.file.content_hash == pinned.content_hash:
        return current
    if pinned.content_hash not in _tree_cache:
        version = pinned.tree_version
        _tree_cache[pinned.content_hash] = tree_from_text(library, version.path, version.source)
    return _tree_cache[pinned.content_hash]


def engine_answers(assessment: Assessment, tree_id: str) -> dict[str, Answer]:
    return {node_id: to_answer(record) for node_id, record in assessment.answers_for(tree_id).items()}


def to_answer(record: AnswerRecord) -> Answer:
    value = tuple(record.value) if isinstance(record.value, list) else record.value
    return Answer(value=value, note=record.note, reason=record.reason,
                  action_owner=record.action_owner, action_due=record.action_due)


@dataclass(frozen=True)
class TreeProgress:
    pinned: AssessmentTree
    tree: Tree
    walk: Walk


def progress(library: Library, assessment: Assessment) -> list[TreeProgress]:
    result = []
    for pinned in assessment.trees:
        tree = tree_for(library, pinned)
        result.append(TreeProgress(pinned, tree, walk(tree, engine_answers(assessment, pinned.tree_id))))
    return result


def save_answer(assessment: Assessment, tree_id: str, node_id: str, answer: Answer, seen_version: int) -> None:
    """Save one answer, refusing if the assessment changed since the person loaded the form."""
    if assessment.version != seen_version:
        raise ConflictError()
    record = assessment.answers_for(tree_id).get(node_id)
    if record is None:
        record = AnswerRecord(tree_id=tree_id, node_id=node_id)
        assessment.answers.append(record)
    record.value = list(answer.value) if isinstance(answer.value, tuple) else answer.value
    record.note = answer.note
    record.reason = answer.reason
    record.action_owner = answer.action_owner
    record.action_due = answer.action_due
    assessment.updated_at = utcnow()  # bumps the version: a concurrent save is refused at commit
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ConflictError() from exc
