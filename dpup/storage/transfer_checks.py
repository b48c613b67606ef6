"""Checks an export file must pass before an import writes anything, beyond its schema: its shape
(how deep, no NUL characters), and that everything in it agrees with itself, with the trees it
pins and with this instance. Each failure is a TransferError saying what is wrong, in plain words.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from dpup.engine import AnswerError, LibraryError, QuestionNode, Tree, parse_answer
from dpup.engine.library import tree_from_text
from dpup.storage.db import db
from dpup.storage.models import ActionItem, ActionStatus, Assessment, Organisation, TreeVersion

if TYPE_CHECKING:
    from dpup.engine import Library
    from dpup.storage.transfer import AssessmentOut, ExportFile

# A real export is about six levels deep (file, assessments, history, after, value list).
MAX_DEPTH = 32


class TransferError(ValueError):
    """The file cannot be imported; the message says why, in plain words."""


def check_shape(data: object) -> None:
    """No deeper than MAX_DEPTH and no NUL characters (PostgreSQL cannot store them in text, and
    SQLite would, so the same file would import on one and fail half-way on the other). Walked
    with a list, not recursion, so no file can exhaust the stack."""
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if depth > MAX_DEPTH:
            raise TransferError(f"the file is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str):
            if "\x00" in value:
                raise TransferError("the file contains a NUL character (\\u0000), which no text in dpup can hold")
        elif isinstance(value, dict):
            todo.extend((key, depth + 1) for key in value)
            todo.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            todo.extend((item, depth + 1) for item in value)


def check_consistency(library: Library, export: ExportFile) -> None:
    """Everything that could make the import fail half-way, or store what dpup could never have
    stored itself, checked before anything is written."""
    trees = _tree_versions(library, export)
    ids = [a.public_id for a in export.assessments]
    if len(ids) != len(set(ids)):
        raise TransferError("the file lists the same assessment twice")
    taken = db.session.scalar(select(func.count()).select_from(Assessment).where(Assessment.public_id.in_(ids)))
    if taken:
        raise TransferError(f"{taken} of these assessments are already in this dpup; nothing was imported")
    organisation = db.session.scalar(select(Organisation).where(Organisation.public_id == export.organisation.public_id))
    if organisation is not None and organisation.name != export.organisation.name:
        raise TransferError(f"organisation {export.organisation.public_id} is called '{organisation.name}' here, "
                            f"not '{export.organisation.name}'")
    _check_action_ids(export)
    for position, a in enumerate(export.assessments):
        if a.previous is not None and a.previous not in ids[:position]:
            raise TransferError(f"assessment {a.public_id} is a new version of {a.previous}, which is not before it")
        _check_assessment(library, a, trees)


def _check_action_ids(export: ExportFile) -> None:
    ids = [item.public_id for a in export.assessments for item in a.actions or []]
    if len(ids) != len(set(ids)):
        raise TransferError("the file lists the same action item twice")
    if ids and db.session.scalar(select(func.count()).select_from(ActionItem).where(ActionItem.public_id.in_(ids))):
        raise TransferError("some of these action items are already in this dpup; nothing was imported")


def _tree_versions(library: Library, export: ExportFile) -> dict[str, Tree]:
    """Every tree version the file's assessments pin, from the file or this instance, by hash."""
    trees: dict[str, Tree] = {}
    for version in export.tree_versions:
        actual = hashlib.sha256(version.source.encode()).hexdigest()[: len(version.content_hash)]
        if actual != version.content_hash:
            raise TransferError(f"tree version {version.content_hash} ({version.tree_id}) does not match its text")
        trees[version.content_hash] = _tree(library, version.content_hash, version.path, version.source)
        if trees[version.content_hash].id != version.tree_id:
            raise TransferError(f"tree version {version.content_hash} says it is '{version.tree_id}' but is "
                                f"'{trees[version.content_hash].id}'")
    for a in export.assessments:
        for pinned in a.trees:
            if pinned.content_hash in trees:
                continue
            stored = db.session.get(TreeVersion, pinned.content_hash)
            if stored is None:
                raise TransferError(f"assessment {a.public_id} uses tree version {pinned.content_hash}, "
                                    "which is not in the file")
            trees[pinned.content_hash] = _tree(library, stored.content_hash, stored.path, stored.source)
    return trees


def _tree(library: Library, content_hash: str, path: str, source: str) -> Tree:
    try:
        return tree_from_text(library, path, source)
    except LibraryError as exc:
        raise TransferError(f"tree version {content_hash} is not a valid tree: {exc.problems[0]}") from exc


def _check_assessment(library: Library, a: AssessmentOut, trees: dict[str, Tree]) -> None:
    pinned_trees: dict[str, Tree] = {}
    for pinned in a.trees:
        tree = trees[pinned.content_hash]
        if tree.id != pinned.tree_id:
            raise TransferError(f"assessment {a.public_id} pins '{pinned.tree_id}' to a version of '{tree.id}'")
        if pinned.tree_id in pinned_trees:
            raise TransferError(f"assessment {a.public_id} pins '{pinned.tree_id}' twice")
        pinned_trees[pinned.tree_id] = tree
    seen = set()
    for answer in a.answers:
        where = f"assessment {a.public_id}, {answer.tree_id}:{answer.node_id}"
        if (answer.tree_id, answer.node_id) in seen:
            raise TransferError(f"{where} is answered twice")
        seen.add((answer.tree_id, answer.node_id))
        tree = pinned_trees.get(answer.tree_id)
        node = tree.node(answer.node_id) if tree else None
        if not isinstance(node, QuestionNode):
            raise TransferError(f"{where} answers a question that is not in the tree it pins")
        try:
            parse_answer(node, answer.value, answer.note, answer.reason, answer.action_owner, answer.action_due)
        except AnswerError as exc:
            raise TransferError(f"{where}: the answer is not one the question accepts ({exc})") from exc
    _check_actions(a, set(pinned_trees))


def _check_actions(a: AssessmentOut, pinned: set[str]) -> None:
    """Action items and the brief's words as the forms would have let a person save them."""
    if len(set(a.lead_findings)) != len(a.lead_findings) or any(len(key) > 500 for key in a.lead_findings):
        raise TransferError(f"assessment {a.public_id}: the findings that lead the brief are not a list of findings")
    keys = set()
    for item in a.actions or []:
        where = f"assessment {a.public_id}, action {item.public_id}"
        if item.key in keys:
            raise TransferError(f"{where} is the same finding's action as another item")
        keys.add(item.key)
        if not set(item.trees) <= pinned:
            raise TransferError(f"{where} is raised by a decision tree the assessment does not use")
        # One line, as the form's text box takes it: a name never carries a line break or control character.
        if any(ord(c) < 32 or c == "\x7f" for c in item.owner_name):
            raise TransferError(f"{where}: the owner's name must be one line of text")
        if item.owner is not None and item.owner_name:
            raise TransferError(f"{where} has both an owner with an account and an owner's name")
        if item.status == ActionStatus.RISK_ACCEPTED and not item.reason.strip():
            raise TransferError(f"{where}: a risk accepted must say why")
