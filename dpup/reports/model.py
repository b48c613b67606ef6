"""The report model: plain data (the rows in ``dpup.reports.rows``), built once from an assessment,
with no rendering in it.

Every renderer (the HTML page, the Markdown export, the PDF) reads this one object and adds no
logic of its own: what is shown, in what order, and how it is worded is decided here.

Ratings rule (also in the README): a principle or guideline is rated from the most serious
finding raised against it on the paths taken —
no findings or only information → "Strong"; advisory → "Good, with improvements";
action required → "Needs action"; seek advice or stop → "Serious concern". If no answered question or
finding serves it, it is "Not assessed".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape

from dpup.engine import Library, QuestionNode, Severity
from dpup.engine.model import Basis, OutcomeNode
from dpup.engine.walk import RaisedFinding
from dpup.localtime import format_date, format_datetime, today as local_today
from dpup.markup import render_markdown
from dpup.reports.history import described
from dpup.storage.assessments import progress, to_answer
from dpup.reports.rows import (
    NOT_ASSESSED,
    RATINGS,
    ActionRow,
    AnswerRow,
    FindingRow,
    HistoryRow,
    OutcomeRow,
    OwnerRow,
    Rating,
    Report,
    SeverityGroup,
    SignOff,
    TreeSection,
    TreeUsed,
    owner_and_due,
)
from dpup.storage.models import ActionItem, ActionStatus, Assessment, Status


MAX_PRIORITIES = 7


def build_report(library: Library, assessment: Assessment, zone_name: str | None = None,
                 today: date | None = None) -> Report:
    """The one report model: the board brief and the full record are both drawn from it."""
    vocab = library.vocabulary
    today = today or local_today(zone_name)
    sections, served, raised = [], {"principles": set(), "guidelines": set()}, []
    walked = progress(library, assessment)
    profile = None
    for item in walked:
        if item.tree.kind == "profile":  # facts about the work, read by the trees: answers, no verdict
            profile = TreeSection(
                tree_id=item.tree.id, title=item.tree.title, version=item.tree.version,
                content_hash=item.pinned.content_hash, complete=item.walk.is_complete, outcome=None,
                answers=tuple(_answer_row(s.node, s.answer) for s in item.walk.steps), unused=(), findings=())
            continue
        raised += [(item.tree, f) for f in item.walk.findings]
        for step in item.walk.steps:
            served["principles"].update(step.node.principles or item.tree.principles)
            served["guidelines"].add(step.node.guideline or item.tree.guideline)
        sections.append(TreeSection(
            tree_id=item.tree.id, title=item.tree.title, version=item.tree.version,
            content_hash=item.pinned.content_hash, complete=item.walk.is_complete,
            outcome=_outcome(library, item.walk.outcome),
            answers=tuple(_answer_row(s.node, s.answer, _source(library, s)) for s in item.walk.steps),
            unused=tuple(_answer_row(item.tree.node(n), a) for n, a in _unused(assessment, item)),
            findings=tuple(_finding_rows(library, [(t, f) for t, f in raised if t is item.tree], {})),
        ))
    items = {a.key: a for a in assessment.actions}
    findings = _finding_rows(library, raised, items)
    actions = _action_rows(vocab, assessment.actions, zone_name, today)
    signoff = _signoff(assessment, zone_name)
    priorities = _priorities(findings, assessment.lead_findings or [])
    return Report(
        title=f"DPUP assessment: {assessment.initiative}",
        organisation=assessment.organisation_name,
        initiative=assessment.initiative,
        description=assessment.description or "",
        started=assessment.created_at,
        updated=assessment.updated_at,
        generated=datetime.now(UTC).replace(tzinfo=None),
        summary=_summary(vocab, sections, findings),
        severity_counts=tuple((vocab.label(s), sum(f.severity == s for f in findings)) for s in reversed(Severity)),
        principle_ratings=tuple(_rating(t, findings, served["principles"], lambda f: f.principles)
                                for t in vocab.principles),
        guideline_ratings=tuple(_rating(t, findings, served["guidelines"], lambda f: (f.guideline,))
                                for t in vocab.guidelines),
        sections=tuple(sections),
        findings=tuple(findings),
        profile=profile,
        public_id=assessment.public_id,
        assessed_by=_assessed_by(assessment),
        submitted_by=assessment.submitted_by.name if assessment.submitted_by else "",
        trees_used=tuple(TreeUsed(s.title, s.tree_id, s.version, s.content_hash,
                                  s.status if s is not profile else ("Answered" if s.complete else "Not finished"))
                         for s in ((profile,) if profile else ()) + tuple(sections)),
        by_severity=tuple(
            SeverityGroup(sev, vocab.label(sev), len(group), tuple(group))
            for sev in reversed(Severity)
            if (group := [f for f in findings if f.severity == sev])
        ),
        action_plan=actions,
        findings_total=len(findings),
        answers_total=sum(len(s.answers) for s in sections),
        unused_total=sum(len(s.unused) for s in sections),
        signoff=signoff,
        status=_status(assessment),
        review_status=_review_status(assessment, signoff),
        self_approved=_self_approved(assessment),
        recommendation=assessment.recommendation or "",
        decision_sought=assessment.decision_sought or "",
        priorities=priorities,
        priorities_more=sum(f.severity != Severity.INFORMATION for f in findings) - len(priorities),
        basis_rows=tuple((vocab.label(sev), sum(f.is_law for f in group), sum(not f.is_law for f in group))
                         for sev in reversed(Severity)
                         if (group := [f for f in findings if f.severity == sev])),
        owners=_owners(actions),
        overdue=tuple(a for a in actions if a.overdue),
        history=_history(assessment, walked, zone_name),
        zone=format_datetime(assessment.updated_at, zone_name).rsplit(" ", 1)[-1],
        zone_name=zone_name,
        default_decision=vocab.report.default_decision,
        disclaimer=vocab.report.disclaimer,
    )


def _priorities(findings: list[FindingRow], leads: list[str]) -> tuple[FindingRow, ...]:
    """The findings that lead the brief: those the privacy officer chose first, then the most serious,
    then those touching most principles; never information, each once, at most MAX_PRIORITIES."""
    gaps = [f for f in findings if f.severity != Severity.INFORMATION]
    chosen = [f for f in gaps if f.key in leads]
    return tuple((chosen + [f for f in gaps if f.key not in leads])[:MAX_PRIORITIES])


def _action_rows(vocab, items: list[ActionItem], zone_name: str | None, today: date) -> tuple[ActionRow, ...]:
    """Open actions first, soonest due first (none last), then the closed ones."""
    order = {s: n for n, s in enumerate(ActionStatus)}
    ranked = sorted(items, key=lambda a: (order[ActionStatus(a.status)], a.due is None, a.due or today, a.id or 0))

    def row(n: int, a: ActionItem) -> ActionRow:
        owner, due = owner_and_due(a)
        return ActionRow(
            number=n, action=a.text, finding=a.finding, severity=vocab.label(Severity(a.severity)),
            owner=owner, due=due, status=ActionStatus(a.status).label,
            overdue=a.status == ActionStatus.OPEN and a.due is not None and a.due < today,
            reason=a.reason, note=a.note, due_date=a.due)
    return tuple(row(n, a) for n, a in enumerate(ranked, start=1))


def _owners(actions: tuple[ActionRow, ...]) -> tuple[OwnerRow, ...]:
    groups: dict[str, list[ActionRow]] = {}
    for a in actions:
        if a.status == ActionStatus.OPEN.label:
            groups.setdefault(a.owner, []).append(a)
    rows = []
    for owner, group in groups.items():
        dated = [a for a in group if a.due_date]
        rows.append(OwnerRow(owner, len(group), sum(a.overdue for a in group),
                             min(dated, key=lambda a: a.due_date).due if dated else "No due date"))
    return tuple(sorted(rows, key=lambda r: (-r.overdue, r.owner == "Not assigned", r.owner.lower())))


def _history(assessment: Assessment, walked, zone_name: str | None) -> tuple[HistoryRow, ...]:
    return tuple(HistoryRow(format_datetime(event.at, zone_name), event.actor,
                            event.action.replace("_", " ") + (f": {change}" if change else ""))
                 for event, change in described(assessment, walked))


def _assessed_by(assessment: Assessment) -> str:
    """Who started the assessment, and for which organisation (the organisation alone if unknown)."""
    person = assessment.created_by
    return f"{person.name}, {assessment.organisation_name}" if person else assessment.organisation_name


def _signoff(assessment: Assessment, zone_name: str | None) -> SignOff | None:
    """The recorded approval, if any; without one, renderers show an empty block to sign by hand."""
    if not assessment.signed_off_by:
        return None
    return SignOff(assessment.signed_off_by, assessment.signed_off_role,
                   format_datetime(assessment.signed_off_at, zone_name))


def _self_approved(assessment: Assessment) -> bool:
    submitter = assessment.submitted_by
    return (assessment.status == Status.APPROVED and submitter is not None
            and submitter.name == assessment.signed_off_by)


def _review_status(assessment: Assessment, signoff: SignOff | None) -> str:
    """Where the assessment is in its review, in a sentence: never to be read as the verdict."""
    status = Status(assessment.status)
    if status == Status.APPROVED and signoff:
        text = f"This assessment was approved by {signoff.name} ({signoff.role}) on {signoff.date}."
        if _self_approved(assessment):
            text += (" The same person submitted and approved it: no second person reviewed it "
                     "(two-person review was not used).")
        return text
    if status == Status.SUBMITTED:
        who = f" by {assessment.submitted_by.name}" if assessment.submitted_by else ""
        return f"This assessment was submitted for review{who} and has not been approved yet."
    if status == Status.CHANGES_REQUESTED:
        return "The reviewer asked for changes to this assessment; it has not been approved."
    return "This assessment is a draft: it has not been reviewed or approved."


def _status(assessment: Assessment) -> str:
    label = Status(assessment.status).label
    return f"{label}, revision {assessment.revision}" if assessment.revision > 1 else label


def _unused(assessment: Assessment, item):
    answers = assessment.answers_for(item.pinned.tree_id)
    return [(n, to_answer(answers[n])) for n in item.walk.unused]


def _finding_rows(library: Library, raised: list[tuple], items: dict[str, ActionItem]) -> list[FindingRow]:
    """Each finding once, with every question that raised it: most serious first, then the ones
    that touch most principles. The same catalogue id (or, for old inline findings, the same
    words) is the same finding."""
    groups: dict[str, list[tuple]] = {}
    for tree, finding in raised:
        groups.setdefault(finding.id or finding.text, []).append((tree, finding))
    rows = [_finding_row(library, group, items) for group in groups.values()]
    return sorted(rows, key=lambda r: (-r.severity.rank, -len(r.principles)))


def _finding_row(library: Library, group: list[tuple], items: dict[str, ActionItem]) -> FindingRow:
    vocab = library.vocabulary
    finding: RaisedFinding = group[0][1]
    principle_names = tuple(vocab.term("principles", p).name for p in finding.principles if vocab.term("principles", p))
    guideline = vocab.term("guidelines", finding.guideline) if finding.guideline else None
    raised_by = tuple(dict.fromkeys(
        f"{tree.title}: {node.prompt if (node := tree.node(f.node_id)) else f.node_id}" for tree, f in group))
    key = (finding.id or finding.text)[:500]
    item = items.get(key)
    return FindingRow(
        severity=finding.severity, severity_label=vocab.label(finding.severity), text=finding.text,
        action=finding.action or "",
        principles=principle_names, guideline=guideline.name if guideline else "",
        raised_by=raised_by, basis=vocab.report.bases[finding.basis or "not_recorded"],
        is_law=finding.basis == Basis.LAW, law=finding.law or "",
        key=key, action_status=ActionStatus(item.status).label if item else "",
        action_owner=item.owner_label if item else "", action_due=format_date(item.due) if item and item.due else "",
    )


def _answer_row(node: QuestionNode, answer, source: str = "") -> AnswerRow:
    values = tuple((node.option(v).display if node.option(v) else v) for v in answer.values)
    return AnswerRow(node.prompt, "\n".join(values), answer.note, answer.reason, values, source)


def _source(library: Library, step) -> str:
    """Where an answer came from when the question was not asked: the title of that part."""
    if not step.known_from:
        return ""
    tree = library.trees.get(step.known_from.rpartition(":")[0])
    return tree.title if tree else step.known_from.rpartition(":")[0]


def _outcome(library: Library, node: OutcomeNode | None) -> OutcomeRow | None:
    if node is None:
        return None
    vocab = library.vocabulary
    helpers = tuple(page.title if (page := library.pages.get(f"help/{h}")) else h for h in node.help_from)
    return OutcomeRow(vocab.label(node.verdict), node.title, node.body, _plain(node.body), node.actions,
                      vocab.outcome_heading(node), helpers)


def _plain(markdown_text: str) -> str:
    """Markdown to plain text: paragraphs kept apart by a blank line, mark-up dropped."""
    html = render_markdown(markdown_text)
    html = re.sub(r"</(p|li|h\d|tr|blockquote|pre)>", "\n", html)
    html = re.sub(r"<li>", "• ", html)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


def _rating(term, findings: list[FindingRow], served: set[str], tags_of) -> Rating:
    mine = [f for f in findings if term.name in tags_of(f) or term.id in tags_of(f)]
    if not mine and term.id not in served:
        return Rating(term.name, term.meaning, NOT_ASSESSED, 0)
    worst = max((f.severity for f in mine), key=lambda s: s.rank, default=None)
    return Rating(term.name, term.meaning, RATINGS[worst], len(mine))


def _summary(vocab, sections: list[TreeSection], findings: list[FindingRow]) -> str:
    """The verdict on the initiative in one sentence, worded in the vocabulary."""
    overall = vocab.report.overall
    done = sum(s.complete for s in sections)
    if done < len(sections):
        return overall["unfinished"].format(left=len(sections) - done, total=len(sections))
    worst = max((f.severity for f in findings), key=lambda s: s.rank, default=None)
    if worst in (Severity.STOP, Severity.SEEK_ADVICE, Severity.ACTION_REQUIRED):
        return overall[worst.value]
    return overall["proceed"]
