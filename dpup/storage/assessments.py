"""Reading and changing assessments. Views call these; nothing here knows about requests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import joinedload

from dpup.engine import Answer, Library, Tree, Walk
from dpup.engine.assessment import trees_read, walk_assessment, with_what_they_read
from dpup.engine.library import tree_from_text
from dpup.storage import audit
from dpup.storage.db import db
from dpup.storage.models import (
    ActionItem,
    AnswerRecord,
    Assessment,
    AssessmentTree,
    DocumentDraft,
    Status,
    TreeVersion,
    User,
)
from dpup.storage.review import (  # noqa: F401  (the views and the other storage modules use them from here)
    EDITABLE,
    ConflictError,
    NotEditable,
    change_status,
    check_editable,
    commit_change,
    needs_another_approver,
    sees_approved_only,
)


def target(assessment: Assessment) -> str:
    return assessment.audit_target


def start_assessment(library: Library, user: User, initiative: str, description: str,
                     tree_ids: list[str], with_profile: bool = False) -> Assessment:
    """A new draft covering ``tree_ids``; ``with_profile`` starts it with the library's "About this
    work" questions, whose answers then recommend the trees (``choose_trees``)."""
    assessment = Assessment(organisation_id=user.organisation_id, organisation_name=user.organisation.name,
                            created_by=user, initiative=initiative, description=description)
    if with_profile and library.profile is not None:
        tree_ids = [library.profile.id, *tree_ids]
    for position, tree_id in enumerate(dict.fromkeys(tree_ids)):  # each tree once, however often it was sent
        version = pin_version(library.trees[tree_id])
        assessment.trees.append(AssessmentTree(tree_id=tree_id, content_hash=version.content_hash, position=position))
    db.session.add(assessment)
    db.session.flush()
    audit.record(user.email, "assessment_created", user.organisation_id, target(assessment),
                 after={"initiative": initiative, "trees": [p.tree_id for p in assessment.trees]})
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


# Statements of every assessment page, built once: building one costs about as much as running it.
_ASSESSMENT = (select(Assessment)
               .where(Assessment.public_id == bindparam("public_id"),
                      Assessment.organisation_id == bindparam("organisation_id"))
               .options(joinedload(Assessment.trees)))  # which trees it covers: a few rows, always read
_TREES_ANSWERS = select(AnswerRecord).where(AnswerRecord.assessment_id == bindparam("assessment_id"),
                                            AnswerRecord.tree_id.in_(bindparam("tree_ids", expanding=True)))


def get_assessment(public_id: str, organisation_id: int) -> Assessment | None:
    """Only ever within one organisation: another organisation's id is simply not found."""
    return db.session.scalar(_ASSESSMENT, {"public_id": public_id, "organisation_id": organisation_id})


def visible_to(user: User, status: Status | None = None):
    """The assessments a person may list, optionally of one status: board viewers see approved ones only."""
    query = select(Assessment).where(Assessment.organisation_id == user.organisation_id)
    if sees_approved_only(user):
        query = query.where(Assessment.status == Status.APPROVED)
    if status is not None:
        query = query.where(Assessment.status == status)
    return query.order_by(Assessment.updated_at.desc(), Assessment.id.desc())


def list_assessments(user: User, page: int = 1, per_page: int = 50,
                     status: Status | None = None) -> tuple[list[Assessment], bool]:
    """One page of assessments, and whether there is another page after it."""
    rows = list(db.session.scalars(visible_to(user, status).offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page


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
    return {node_id: to_answer(record) for node_id, record in answer_records(assessment, tree_id).items()}


def answer_records(assessment: Assessment, tree_id: str) -> dict[str, AnswerRecord]:
    return _records(assessment, [tree_id]).get(tree_id, {})


def _records(assessment: Assessment, tree_ids) -> dict[str, dict[str, AnswerRecord]]:
    """Some trees' answers, by tree and node id. A question page needs only its own tree's and the
    trees it reads, so unless every answer is loaded already, read just those rows in one query (a
    whole assessment can have hundreds)."""
    if "answers" not in inspect(assessment).unloaded:
        return {tree_id: assessment.answers_for(tree_id) for tree_id in tree_ids}
    found: dict[str, dict[str, AnswerRecord]] = {tree_id: {} for tree_id in tree_ids}
    for record in db.session.scalars(_TREES_ANSWERS, {"assessment_id": assessment.id, "tree_ids": list(tree_ids)}):
        found[record.tree_id][record.node_id] = record
    return found


def to_answer(record: AnswerRecord) -> Answer:
    value = tuple(record.value) if isinstance(record.value, list) else record.value
    return Answer(value=value, note=record.note, reason=record.reason,
                  action_owner=record.action_owner, action_due=record.action_due)


@dataclass(frozen=True)
class TreeProgress:
    pinned: AssessmentTree
    tree: Tree
    walk: Walk
    answers: dict[str, Answer]  # every saved answer of the tree, on the walk's path or not


def progress(library: Library, assessment: Assessment) -> list[TreeProgress]:
    """Every tree's walk, in the assessment's order, each knowing what the trees before it answered."""
    assessment.answers  # every tree's answers, in one query  # noqa: B018
    return _walked(library, assessment, None)


def tree_progress(library: Library, assessment: Assessment, tree_id: str) -> TreeProgress | None:
    """One tree's walk: a question page needs no other, except the trees it reads (the profile)."""
    if not any(p.tree_id == tree_id for p in assessment.trees):
        return None
    return next(item for item in _walked(library, assessment, tree_id) if item.tree.id == tree_id)


def _walked(library: Library, assessment: Assessment, only: str | None) -> list[TreeProgress]:
    pinned = {p.tree_id: p for p in assessment.trees}
    trees = {tree_id: tree_for(library, p) for tree_id, p in pinned.items()}
    wanted = with_what_they_read(trees, {only}) if only else set(trees)
    needed = [t for t in trees if t in wanted]
    records = _records(assessment, needed)
    answers = {tid: {node_id: to_answer(r) for node_id, r in rows.items()} for tid, rows in records.items()}
    walks = walk_assessment({t: trees[t] for t in needed}, answers)
    return [TreeProgress(pinned[t], trees[t], walks[t], answers[t]) for t in pinned if t in walks]


def save_answer(assessment: Assessment, tree_id: str, node_id: str, answer: Answer, seen_version: int,
                actor: User, library: Library | None = None) -> None:
    """Save one answer, refusing if the assessment changed since the person loaded the form. With
    the library, the tree's action items follow its findings in the same transaction."""
    check_editable(assessment, seen_version)
    record = answer_records(assessment, tree_id).get(node_id)
    before = _answer_dict(record) if record is not None else None
    if record is None:  # added by id, not to assessment.answers, which would load every answer first
        record = AnswerRecord(assessment_id=assessment.id, tree_id=tree_id, node_id=node_id)
        db.session.add(record)
    record.value = list(answer.value) if isinstance(answer.value, tuple) else answer.value
    record.note = answer.note
    record.reason = answer.reason
    record.action_owner = answer.action_owner
    record.action_due = answer.action_due
    audit.record(actor.email, "answer_changed", assessment.organisation_id, target(assessment),
                 before=before, after={"tree": tree_id, "node": node_id, **_answer_dict(record)})
    if library is not None:
        from dpup.storage.actions import sync  # (actions builds on this module)

        # An answer other trees read (the profile's, say) can change their paths and findings too.
        read_by_others = any(tree_id in trees_read(tree_for(library, p)) for p in assessment.trees)
        sync(library, assessment, actor.email, None if read_by_others else tree_id)
    commit_change(assessment)


def choose_trees(library: Library, assessment: Assessment, actor: User, chosen: set[str], reasons: dict[str, str],
                 offered: dict[str, str], seen_version: int) -> None:
    """Set the trees the assessment covers after the pre-screen. ``offered`` maps every tree offered
    to what recommended it ("" if nothing did); ``reasons`` holds the person's reason for each choice
    that differs from the recommendation. A dropped tree's answers are kept, unused, so adding it
    back brings them back."""
    check_editable(assessment, seen_version)
    before = assessment.scope
    assessment.scope = {tree_id: {"recommended": because, "chosen": tree_id in chosen,
                                  "reason": reasons.get(tree_id, "")}
                        for tree_id, because in offered.items()}
    pinned = {p.tree_id: p for p in assessment.trees}
    for tree_id, p in pinned.items():
        if tree_id in offered and tree_id not in chosen:
            assessment.trees.remove(p)
    position = max((p.position for p in assessment.trees), default=-1)
    for tree_id in offered:
        if tree_id in chosen and tree_id not in pinned:
            position += 1
            version = pin_version(library.trees[tree_id])
            assessment.trees.append(AssessmentTree(tree_id=tree_id, content_hash=version.content_hash,
                                                   position=position))
    audit.record(actor.email, "trees_chosen", assessment.organisation_id, target(assessment),
                 before={"scope": before}, after={"scope": assessment.scope})
    db.session.flush()
    from dpup.storage.actions import sync  # (actions builds on this module)

    sync(library, assessment, actor.email)
    commit_change(assessment)


def _answer_dict(record: AnswerRecord) -> dict:
    return {"value": record.value, "note": record.note, "reason": record.reason,
            "action_owner": record.action_owner, "action_due": record.action_due}


def change_details(assessment: Assessment, actor: User, initiative: str, description: str,
                   seen_version: int) -> None:
    """Rename an assessment or change its description, refusing if it changed since the form opened."""
    check_editable(assessment, seen_version)
    before = {"initiative": assessment.initiative, "description": assessment.description}
    assessment.initiative, assessment.description = initiative, description
    audit.record(actor.email, "assessment_details_changed", assessment.organisation_id, target(assessment),
                 before=before, after={"initiative": initiative, "description": description})
    commit_change(assessment)


def change_brief_words(assessment: Assessment, actor: User, decision_sought: str, recommendation: str,
                       lead_findings: list[str], seen_version: int) -> None:
    """The privacy officer's words for the board brief: versioned and audited like an answer."""
    check_editable(assessment, seen_version)
    before = {"decision_sought": assessment.decision_sought, "recommendation": assessment.recommendation,
              "lead_findings": list(assessment.lead_findings or [])}
    assessment.decision_sought, assessment.recommendation = decision_sought, recommendation
    assessment.lead_findings = lead_findings
    audit.record(actor.email, "brief_words_changed", assessment.organisation_id, target(assessment),
                 before=before, after={"decision_sought": decision_sought, "recommendation": recommendation,
                                       "lead_findings": lead_findings})
    commit_change(assessment)


def delete_draft(assessment: Assessment, actor: User) -> None:
    """Delete a draft nobody has submitted. Submitted, reviewed and approved ones are records: kept."""
    if assessment.status != Status.DRAFT:
        raise NotEditable()
    audit.record(actor.email, "assessment_deleted", assessment.organisation_id, target(assessment),
                 before={"initiative": assessment.initiative, "revision": assessment.revision})
    db.session.delete(assessment)
    db.session.commit()


def new_version(assessment: Assessment, actor: User) -> Assessment:
    """Start a new draft from an approved assessment; the approved one stays as it was."""
    copy = Assessment(organisation_id=assessment.organisation_id, organisation_name=assessment.organisation_name,
                      created_by=actor, initiative=assessment.initiative, description=assessment.description,
                      revision=assessment.revision + 1, previous_id=assessment.id)
    for pinned in assessment.trees:
        copy.trees.append(AssessmentTree(tree_id=pinned.tree_id, content_hash=pinned.content_hash,
                                         position=pinned.position))
    for record in assessment.answers:
        copy.answers.append(AnswerRecord(tree_id=record.tree_id, node_id=record.node_id, **_answer_dict(record)))
    for item in assessment.actions:  # the same actions, owners and progress: the work goes on
        copy.actions.append(ActionItem(
            organisation_id=item.organisation_id, key=item.key, text=item.text, finding=item.finding,
            severity=item.severity, trees=list(item.trees or []), owner_id=item.owner_id, owner_name=item.owner_name,
            due=item.due, status=item.status, reason=item.reason, note=item.note))
    for record in assessment.documents:  # the drafts as edited, with the facts they were drafted from
        copy.documents.append(DocumentDraft(
            document_id=record.document_id, title=record.title, text=record.text, te_reo=record.te_reo,
            facts=dict(record.facts or {}), drafted_at=record.drafted_at, updated_by=record.updated_by))
    copy.recommendation, copy.decision_sought = assessment.recommendation, assessment.decision_sought
    copy.lead_findings = list(assessment.lead_findings or [])
    copy.scope = dict(assessment.scope) if assessment.scope is not None else None
    db.session.add(copy)
    db.session.flush()
    audit.record(actor.email, "assessment_new_version", assessment.organisation_id, target(copy),
                 after={"from": assessment.public_id, "revision": copy.revision})
    db.session.commit()
    return copy
