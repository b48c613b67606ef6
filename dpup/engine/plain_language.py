"""How easy a draft is to read: its reading grade (Flesch-Kincaid, by textstat), the sentences that
run long, and the glossary's terms it uses, so the writer can explain them or choose everyday words.
Markdown marks (headings, list bullets) and the "[…]" of unfilled places are left out of the count."""

from __future__ import annotations

import re
from dataclasses import dataclass

import textstat

LONG_SENTENCE = 25  # words; plain-language guides put the average at 15 to 20
_MARK = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_UNFILLED = re.compile(r"\[[^\]\n]*\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"”’)])\s+|\n\s*\n|\n(?=\s*(?:#|[-*+]\s|\d+[.)]\s))")
_GLOSSARY_TERM = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Readability:
    grade: float
    target: int
    long_sentences: tuple[str, ...]
    jargon: tuple[str, ...]

    @property
    def meets_target(self) -> bool:
        return self.grade <= self.target


def prose(text: str) -> str:
    """The words a person reads: no Markdown marks, and headings and list items as sentences of their own."""
    lines = []
    for line in _UNFILLED.sub("this", text).split("\n"):
        stripped = _MARK.sub("", line).strip()
        if stripped and _MARK.match(line) and stripped[-1] not in ".!?:":
            stripped += "."
        lines.append(stripped)
    return "\n".join(lines)


def sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE_END.split(prose(text)) if s and s.strip()]


def glossary_terms(glossary_markdown: str) -> tuple[str, ...]:
    """The terms the glossary explains (its ### headings), longest first so that a phrase wins over its words."""
    terms = {t.strip() for t in _GLOSSARY_TERM.findall(glossary_markdown or "")}
    return tuple(sorted(terms, key=lambda t: (-len(t), t.lower())))


def check(text: str, target: int, terms: tuple[str, ...] = (), everyday: tuple[str, ...] = ()) -> Readability:
    """``terms`` are the glossary's; any of them in ``everyday`` (te reo Māori words such as whānau, which
    DPUP uses as everyday words) are not flagged."""
    plain = prose(text)
    grade = round(textstat.flesch_kincaid_grade(plain), 1) if plain.strip() else 0.0
    long_ones = tuple(s for s in sentences(text) if len(s.split()) > LONG_SENTENCE)
    lowered = " ".join(plain.split()).lower()
    plain_words = {w.lower() for w in everyday}
    jargon = tuple(t for t in terms if t.lower() not in plain_words and re.search(rf"(?<![\w-]){re.escape(t.lower())}(?![\w-])", lowered))
    return Readability(max(grade, 0.0), target, long_ones, jargon)
