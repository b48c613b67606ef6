"""Drafting a document from an assessment's answers: facts in, text out. Pure: the walks' answers,
the questions they answer, the organisation's name and the date come in; the draft text, the places
no answer could fill and the facts it was drafted from go out. Nothing is stored here.

The facts a draft used are kept with it, so that when an answer it read changes, the page can say
the draft is out of date and what changed, without touching what the person wrote since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dpup.engine.documents import TE_REO, Block, DocumentTemplate, Place
from dpup.engine.model import Answer, AnswerKind, QuestionNode, Tree
from dpup.engine.walk import Walk, holds

WORK, ORGANISATION = "work", "organisation"  # the facts that are not answers, as the draft records them


@dataclass(frozen=True)
class Facts:
    answers: Mapping[str, Answer]  # by "tree:question", the answers on the walks' paths
    questions: Mapping[str, QuestionNode]  # by "tree:question", every question of the assessment's trees
    organisation: str
    work: str
    date: str
    te_reo: bool = False


@dataclass(frozen=True)
class Draft:
    text: str
    unfilled: tuple[str, ...]  # each place no answer filled, as it is marked: "[who to contact]"
    used: dict = field(default_factory=dict)  # {"tree:question": {"value": …, "note": …}} as drafted


def facts_from(walks: Mapping[str, Walk], trees: Mapping[str, Tree], organisation: str, work: str, date: str,
               te_reo: bool = False) -> Facts:
    answers: dict[str, Answer] = {}
    for tree_walk in walks.values():
        answers.update(tree_walk.facts)
    questions = {f"{tree.id}:{node.id}": node for tree in trees.values() for node in tree.questions}
    return Facts(answers, questions, organisation, work, date, te_reo)


def offered(template: DocumentTemplate, facts: Facts) -> bool:
    condition = template.meta.offered_when
    return condition is None or holds(condition, facts.answers)


def draft(template: DocumentTemplate, facts: Facts) -> Draft:
    used: dict[str, dict] = {ORGANISATION: {"value": facts.organisation}, WORK: {"value": facts.work}}
    unfilled: list[str] = []
    lines = _render(template.body, template, facts, used, unfilled)
    text = "\n".join(lines).strip("\n") + "\n"
    while "\n\n\n" in text:  # a left-out block leaves its blank lines behind: one blank line between paragraphs
        text = text.replace("\n\n\n", "\n\n")
    return Draft(text, tuple(dict.fromkeys(unfilled)), used)


def _render(nodes, template: DocumentTemplate, facts: Facts, used: dict, unfilled: list[str]) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Block):
            holds_now = _condition(node.name, template, facts, used)
            chosen = node.then if holds_now != node.negate else node.otherwise
            out += _render(chosen, template, facts, used, unfilled)
        else:
            out.append("".join(_filled(node.parts, template, facts, used, unfilled)))
    return out


def _filled(parts, template: DocumentTemplate, facts: Facts, used: dict, unfilled: list[str]):
    for i, part in enumerate(parts):
        if isinstance(part, str):
            yield part
            continue
        text = _fill(part, template, facts, used, unfilled)
        after = parts[i + 1] if i + 1 < len(parts) else ""
        # A note that ends its own sentence, filling a place the template ends with a full stop: one stop.
        yield text[:-1] if isinstance(after, str) and after.startswith(".") and text.endswith(".") else text


def _condition(name: str, template: DocumentTemplate, facts: Facts, used: dict) -> bool:
    if name == TE_REO:
        return facts.te_reo
    condition = template.meta.conditions[name]
    for ref in condition.references():
        _record(used, ref if isinstance(ref, str) else ref.node, "value", facts)
    return holds(condition, facts.answers)


def _record(used: dict, ref: str, part: str, facts: Facts) -> None:
    answer = facts.answers.get(ref)
    stored = None if answer is None else getattr(answer, part)
    used.setdefault(ref, {})[part] = list(stored) if isinstance(stored, tuple) else stored


def _fill(place: Place, template: DocumentTemplate, facts: Facts, used: dict, unfilled: list[str]) -> str:
    if place.word == "organisation":
        return facts.organisation or _mark(place.hint or "your organisation's name", unfilled)
    if place.word == "work":
        return facts.work or _mark(place.hint or "the name of this work", unfilled)
    if place.word == "date":
        return facts.date
    if place.word == "blank":
        return _mark(place.hint, unfilled)
    _record(used, place.ref, place.part, facts)
    answer = facts.answers.get(place.ref)
    node = facts.questions.get(place.ref)
    hint = place.hint or (node.prompt if node else place.ref)
    if answer is None:
        return _mark(hint, unfilled)
    if place.part != "value":
        words = " ".join(getattr(answer, place.part).split())  # a note runs on in the sentence it fills
        return words or _mark(hint, unfilled)
    return _answer_words(answer, node, template.meta.phrases.get(place.ref, {})) or _mark(hint, unfilled)


def _mark(hint: str, unfilled: list[str]) -> str:
    marked = f"[{hint}]"
    unfilled.append(marked)
    return marked


def _answer_words(answer: Answer, node: QuestionNode | None, phrases: Mapping[str, str]) -> str:
    if node is None or node.kind == AnswerKind.TEXT:
        return " ".join(str(answer.value).split())
    words = []
    for value in answer.values:
        option = node.option(value)
        phrase = phrases.get(value, option.display if option else value)
        if phrase:
            words.append(phrase)
    return join_words(words)


def join_words(words: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


@dataclass(frozen=True)
class Change:
    ref: str
    question: str  # the prompt, or what the fact is ("The name of this work")
    before: str
    after: str


FACT_NAMES = {ORGANISATION: "Your organisation's name", WORK: "The name of this work"}


def changes(used: Mapping[str, Mapping], facts: Facts) -> list[Change]:
    """What changed, among the facts a draft was drafted from, in words a person reads."""
    found: list[Change] = []
    for ref, parts in used.items():
        if not isinstance(parts, Mapping):
            continue
        if ref in FACT_NAMES:
            now = facts.organisation if ref == ORGANISATION else facts.work
            if parts.get("value") != now:
                found.append(Change(ref, FACT_NAMES[ref], str(parts.get("value") or ""), now))
            continue
        node = facts.questions.get(ref)
        answer = facts.answers.get(ref)
        for part, before in parts.items():
            if part not in ("value", "note", "reason"):
                continue
            now = None if answer is None else getattr(answer, part)
            now = list(now) if isinstance(now, tuple) else now
            if (before or None) != (now or None):
                prompt = node.prompt if node else ref
                label = prompt if part == "value" else f"{prompt} ({part})"
                found.append(Change(ref, label, _shown(node, before, part), _shown(node, now, part)))
    return found


def _shown(node: QuestionNode | None, value, part: str) -> str:
    if value in (None, "", []):
        return "not answered" if part == "value" else "nothing"
    if part != "value" or node is None:
        return str(value)
    values = value if isinstance(value, list) else [value]
    return join_words([(node.option(str(v)).display if node.option(str(v)) else str(v)) for v in values])
