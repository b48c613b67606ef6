"""An assessment's history (its audit events) told in the words a reviewer reads: the question that
was asked and the options chosen, rather than node ids and stored values."""

from __future__ import annotations

from dpup.engine import QuestionNode
from dpup.storage import assessments as store
from dpup.storage import audit
from dpup.storage.assessments import TreeProgress
from dpup.storage.models import Assessment, AuditEvent, Status


def described(assessment: Assessment, progress: list[TreeProgress]) -> list[tuple[AuditEvent, str]]:
    """The assessment's audit events, newest first, each with what changed in words a reviewer reads."""
    questions = {(item.tree.id, node.id): node for item in progress for node in item.tree.questions}
    titles = {item.tree.id: item.tree.title for item in progress}
    return [(event, _what_changed(_mapping(event.before), _mapping(event.after), questions, titles))
            for event in audit.events_for(assessment.organisation_id, store.target(assessment))]


def _mapping(value) -> dict:
    """An event's before or after as a mapping. dpup writes mappings; anything else (an imported
    file's, say) is shown as no detail rather than breaking the page."""
    return value if isinstance(value, dict) else {}


def _what_changed(before: dict, after: dict, questions: dict, titles: dict | None = None) -> str:
    if isinstance(after.get("scope"), dict):
        return _scope_change(after["scope"], titles or {})
    if isinstance(after.get("node"), str):
        node = questions.get((after.get("tree"), after["node"]))
        prompt = node.prompt if node else after["node"]
        if before and before.get("value") == after.get("value"):  # the same answer: say what did change
            changed = [label for key, label in _OTHER_PARTS if before.get(key) != after.get(key)]
            return f"{prompt}: {' and '.join(changed) or 'saved again'}{' changed' if changed else ''}"
        text = f"{prompt} → {_shown(node, after.get('value'))}"
        return text + (f" (was {_shown(node, before.get('value'))})" if before else "")
    if after.get("status") in set(Status):
        text = Status(after["status"]).label.lower()
        return text + (f" (“{after['comment']}”)" if after.get("comment") else "")
    if isinstance(after.get("document"), str) and isinstance(after.get("change"), str):
        title = str(after.get("title") or after["document"])
        return f"{after['change']} the {title[:1].lower()}{title[1:]}"  # "edited the privacy notice for …"
    if isinstance(after.get("action"), str):
        return _action_change(before, after)
    if "recommendation" in after or "decision_sought" in after:
        return "changed the recommendation, the decision sought or the findings that lead the brief"
    if "initiative" in after and not before:
        return f"“{after['initiative']}”"  # created: nothing was renamed
    if "initiative" in after and before.get("initiative") != after["initiative"]:
        return f"renamed from “{before.get('initiative')}” to “{after['initiative']}”"
    if "description" in after and before.get("description") != after["description"]:
        return "description changed"
    return ""


def _scope_change(scope: dict, titles: dict) -> str:
    """"chose Purpose Matters, Sharing Value; added Safe and Respectful Use (“…”); left out …"."""
    entries = {tree_id: e for tree_id, e in scope.items() if isinstance(e, dict)}
    named = {tree_id: titles.get(tree_id, tree_id) for tree_id in entries}
    chosen = [named[t] for t, e in entries.items() if e.get("chosen")]
    differs = [f"{'added' if e.get('chosen') else 'left out'} {named[t]} (“{e.get('reason', '')}”)"
               for t, e in entries.items() if bool(e.get("recommended")) != bool(e.get("chosen"))]
    return "; ".join([f"chose {', '.join(chosen) or 'no assessments'}", *differs])


# The parts of an answer besides its value, as a reader names them.
_OTHER_PARTS = (("note", "note"), ("reason", "reason"), ("action_owner", "who will do the action"),
                ("action_due", "due date"))


def _shown(node: QuestionNode | None, value) -> str:
    """An answer as the person chose it: option labels rather than stored values."""
    values = value if isinstance(value, list) else [value or ""]
    values = [v if isinstance(v, str) else str(v) for v in values]
    options = [node.option(v) if node else None for v in values]
    return ", ".join(o.display if o else v for o, v in zip(options, values, strict=True))


_ACTION_FIELDS = {"owner": "owner", "due": "due", "status": "status", "reason": "reason", "note": "note"}
_STATUS_WORDS = {"open": "open", "done": "done", "risk_accepted": "risk accepted", "not_needed": "no longer needed"}


def _action_change(before: dict, after: dict) -> str:
    """"action “Plan how…”: owner Aroha, due 2027-01-31, status done"."""
    changed = []
    for field, word in _ACTION_FIELDS.items():
        value = after.get(field)
        if field in after and (not before or before.get(field) != value) and value not in (None, ""):
            shown = _STATUS_WORDS.get(value, value) if field == "status" else value
            changed.append(f"{word} {shown}")
    return f"action “{after['action']}”" + (f": {', '.join(changed)}" if changed else "")
