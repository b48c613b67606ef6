"""How the organisation's records are put into words beside the criteria of the self-assessment.

The wording is data (the framework file's ``evidence_wording``); storage does the counting
(dpup/storage/maturity_evidence.py) and the report model fills the phrases in. This module says which
phrases each kind of record needs and which facts each may name, checks a file's wording against
that, and picks a phrase's singular or plural form.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from pydantic import Field

from dpup.engine.model import Strict


class Plural(Strict):
    """A phrase with a count ``{n}``: ``one`` when it is 1, ``other`` for any other number."""

    one: str = Field(min_length=1)
    other: str = Field(min_length=1)


Phrase = str | Plural

# Each kind of record: the phrases its wording must have, and the facts (placeholders) each may name.
# Counts are {n}; the year is {year}; lists are already joined by the report ("1 approved, 2 draft").
PHRASES: dict[str, dict[str, frozenset[str]]] = {
    "assessments": {
        "heading": frozenset(),
        "started": frozenset({"n", "year", "statuses"}),
        "none": frozenset({"year"}),
        "status": frozenset({"n", "status"}),
        "worst": frozenset({"worst"}),
        "worst-of-latest": frozenset({"n", "worst"}),
        "severity": frozenset({"n", "severity"}),
        "no-action-needed": frozenset({"n"}),
    },
    "actions": {
        "heading": frozenset(),
        "open": frozenset({"n", "overdue"}),
    },
    "checklists": {
        "heading": frozenset(),
        "used": frozenset({"n", "year", "clear"}),
        "none": frozenset({"year"}),
        "most-used": frozenset({"checklists"}),
        "checklist": frozenset({"n", "checklist"}),
        "left-to-do": frozenset({"n"}),
        "left-item": frozenset({"n", "item", "checklist"}),
    },
    "reviews": {
        "heading": frozenset(),
        "finished": frozenset({"n", "year", "median", "longest"}),
        "none": frozenset({"year"}),
    },
    "documents": {
        "heading": frozenset(),
        "drafted": frozenset({"n", "year", "documents"}),
        "none-drafted": frozenset({"n", "year"}),
        "document": frozenset({"n", "document"}),
        "no-assessments": frozenset({"year"}),
    },
}


def say(phrase: Phrase, n: int | None = None, **facts: object) -> str:
    """The phrase with its facts filled in (the singular form when ``n`` is 1)."""
    text = phrase if isinstance(phrase, str) else (phrase.one if n == 1 else phrase.other)
    return text.format(n=n, **facts)


def wording_problems(wording: Mapping[str, Mapping[str, Phrase]]) -> list[tuple[tuple, str]]:
    """Each phrase missing or unknown, or naming a fact it will not be given, as (where, what is wrong);
    ``where`` is the path inside ``evidence_wording``."""
    problems: list[tuple[tuple, str]] = []
    for kind, needed in PHRASES.items():
        given = wording.get(kind)
        if given is None:
            problems.append(((kind,), f"no wording for the '{kind}' records"))
            continue
        for name in sorted(set(needed) - set(given)):
            problems.append(((kind,), f"the phrase '{name}' is missing"))
        for name, phrase in given.items():
            if name not in needed:
                problems.append(((kind, name), f"'{name}' is not a phrase dpup uses (it uses: {', '.join(needed)})"))
                continue
            texts = [phrase] if isinstance(phrase, str) else [phrase.one, phrase.other]
            for text in texts:
                problem = _placeholder_problem(text, needed[name])
                if problem:
                    problems.append(((kind, name), problem))
                    break
    return problems


def _placeholder_problem(text: str, allowed: frozenset[str]) -> str | None:
    try:
        fields = [f for _, f, spec, conv in Formatter().parse(text) if f is not None]
    except ValueError as exc:  # an unmatched brace
        return f"{exc} (write a brace as '{{{{' or '}}}}')"
    for field in fields:
        if field not in allowed:
            names = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
            return f"'{{{field}}}' is not a fact this phrase is given (it may use: {names})"
    return None
