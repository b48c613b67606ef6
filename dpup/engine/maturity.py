"""The organisation's maturity framework: sections (DPUP principles), elements and criteria rated
Informal, Foundational or Managed; read from decision_trees/maturity/, checked like a tree, and the
roll-up of criteria to elements and sections.

The wording, the levels and the roll-up rule are data in the framework file; only the arithmetic of
the rule lives here, so changing a criterion or a level never needs a code change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from dpup.engine.maturity_wording import Phrase, wording_problems
from dpup.engine.model import FileSource, Id, Source, Strict, Vocabulary
from dpup.engine.problems import Problem
from dpup.engine.validate import FILE, _friendly, _read, _Report, _source, iter_files

MATURITY_DIR = "maturity"

# The organisation's own records a criterion may show beside it (dpup/storage/maturity_evidence.py):
# initiatives assessed this year and their verdicts, the action register, frontline checklist use,
# how long reviews take, and the documents drafted from the year's assessments. How each is put into
# words is the file's ``evidence_wording`` (see maturity_wording.py).
EvidenceKind = Literal["assessments", "actions", "checklists", "reviews", "documents"]
# How a group's level follows from its members' levels. "lowest": the lowest member's level;
# "median": the middle one (the lower of the two middles). A member not yet rated leaves the group unrated.
RollupKind = Literal["lowest", "median"]


class Level(Strict):
    id: Id
    label: str = Field(min_length=1)
    summary: str = Field(min_length=1)


class Rollup(Strict):
    element: RollupKind
    section: RollupKind
    explanation: str = Field(min_length=1, description="The rule in words, shown in every report.")


class PmafSection(Strict):
    id: Id
    title: str = Field(min_length=1)
    about: str = ""


class Criterion(Strict):
    id: Id
    asks: str = Field(min_length=1)
    levels: dict[Id, str] = Field(description="What each level looks like, by level id.")
    expect_to_see: tuple[str, ...] = Field(min_length=1, description="What we would expect to see as evidence.")
    pmaf: Id | None = Field(default=None, description="The PMAF section this criterion serves, if one fits.")
    evidence: tuple[EvidenceKind, ...] = ()
    guideline: Id | None = None
    sources: tuple[Source, ...] = Field(min_length=1)


class Element(Strict):
    id: Id
    title: str = Field(min_length=1)
    guideline: Id | None = None
    criteria: tuple[Criterion, ...] = Field(min_length=1)


class Section(Strict):
    id: Id
    principle: Id
    title: str = Field(min_length=1)
    elements: tuple[Element, ...] = Field(min_length=1)


class Framework(Strict):
    id: Id
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    summary: str = ""
    levels: tuple[Level, ...] = Field(min_length=2)
    rollup: Rollup
    pmaf_sections: tuple[PmafSection, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    licence: str = ""
    disclaimer: str = Field(default="", description="The fine print every maturity report ends with.")
    evidence_wording: dict[EvidenceKind, dict[Id, Phrase]] = Field(
        description="How the organisation's records are put into words, by kind of record and phrase.")
    sections: tuple[Section, ...] = Field(min_length=1)

    _source: FileSource | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_level_ids(self):
        ids = [level.id for level in self.levels]
        if len(set(ids)) != len(ids):
            raise ValueError("each level id must be used once")
        return self

    @property
    def file(self) -> FileSource:
        assert self._source is not None
        return self._source

    @property
    def criteria(self) -> list[Criterion]:
        return [c for s in self.sections for e in s.elements for c in e.criteria]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def level(self, level_id: str | None) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def rank(self, level_id: str | None) -> int | None:
        """0 for the lowest level, 1 for the next...; None for no level or an unknown one."""
        return next((n for n, lv in enumerate(self.levels) if lv.id == level_id), None)

    def one_up(self, level_id: str | None) -> str:
        """The default target: one level above ``level_id`` (the top stays the top; unrated aims for the lowest)."""
        rank = self.rank(level_id)
        return self.levels[0 if rank is None else min(rank + 1, len(self.levels) - 1)].id

    def pmaf_title(self, pmaf_id: str | None) -> str:
        return next((p.title for p in self.pmaf_sections if p.id == pmaf_id), "")


# --- Roll-up ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RolledUp:
    elements: dict[str, str | None]  # element id -> level id, or None while not every criterion is rated
    sections: dict[str, str | None]


def combine(framework: Framework, kind: str, levels: list[str | None]) -> str | None:
    """The group's level from its members' (level ids), by the rule ``kind``."""
    ranks = [framework.rank(level) for level in levels]
    if not ranks or any(r is None for r in ranks):
        return None
    ranks.sort()
    chosen = ranks[0] if kind == "lowest" else ranks[(len(ranks) - 1) // 2]
    return framework.levels[chosen].id


def roll_up(framework: Framework, ratings: Mapping[str, str | None]) -> RolledUp:
    """Criteria (``ratings``: criterion id -> level id) to elements to sections, as the file's rule says."""
    elements: dict[str, str | None] = {}
    sections: dict[str, str | None] = {}
    for section in framework.sections:
        for element in section.elements:
            elements[element.id] = combine(framework, framework.rollup.element,
                                           [ratings.get(c.id) for c in element.criteria])
        sections[section.id] = combine(framework, framework.rollup.section,
                                       [elements[e.id] for e in section.elements])
    return RolledUp(elements, sections)


# --- Reading and checking the file ---------------------------------------------------------------


def check_framework_file(path: Path, vocabulary: Vocabulary,
                         text: str | None = None) -> tuple[Framework | None, list[Problem]]:
    """Parse and check a framework file (or ``text`` said to come from ``path``); every problem as
    ``file:node: reason (line N)``, where the node is the criterion, element or section it is in."""
    report = _Report(str(path))
    data = _read(path, report, text)
    if data is None:
        return None, report.problems
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        deeper = {tuple(e["loc"][:n]) for e in errors for n in range(1, len(e["loc"]))}
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "too_short" and loc in deeper:
                continue  # pydantic counts only the members that passed: the real error is inside
            node, inner = _node_at(data, loc)
            report.add(node, _friendly(error, inner), loc)
        return None, sorted(report.problems, key=lambda p: p.line or 0)
    _check_meaning(framework, vocabulary, data, report)
    framework._source = _source(path, report)
    return (framework if not report.problems else None), sorted(report.problems, key=lambda p: p.line or 0)


def _node_at(data: dict, loc: tuple) -> tuple[str, tuple]:
    """The innermost section, element or criterion id on ``loc``, and the rest of ``loc`` inside it."""
    node, inner, here = FILE, loc, data
    for depth, key in enumerate(loc):
        if isinstance(here, dict):
            here = here.get(key)
        elif isinstance(here, list) and isinstance(key, int) and key < len(here):
            here = here[key]
            if isinstance(here, dict) and isinstance(here.get("id"), str):
                node, inner = here["id"], loc[depth + 1:]
        else:
            break
    return node, inner


def _check_meaning(framework: Framework, vocabulary: Vocabulary, data: dict, report: _Report) -> None:
    """What the schema cannot say: ids used once, every level described, names that exist."""
    level_ids = [lv.id for lv in framework.levels]
    pmaf_ids = {p.id for p in framework.pmaf_sections}
    principles = {t.id for t in vocabulary.principles}
    guidelines = {t.id for t in vocabulary.guidelines}
    seen: set[str] = set()

    def where(*loc) -> tuple:
        return loc

    for inside, problem in wording_problems(framework.evidence_wording):
        report.add("evidence_wording", problem, ("evidence_wording",) + inside)

    def once(item_id: str, loc: tuple) -> None:
        if item_id in seen:
            report.add(item_id, f"id '{item_id}' is used more than once in the framework", loc + ("id",))
        seen.add(item_id)

    for si, section in enumerate(framework.sections):
        sloc = where("sections", si)
        once(section.id, sloc)
        if section.principle not in principles:
            report.add(section.id, f"unknown principle '{section.principle}'", sloc + ("principle",))
        for ei, element in enumerate(section.elements):
            eloc = sloc + ("elements", ei)
            once(element.id, eloc)
            if element.guideline and element.guideline not in guidelines:
                report.add(element.id, f"unknown guideline '{element.guideline}'", eloc + ("guideline",))
            for ci, criterion in enumerate(element.criteria):
                cloc = eloc + ("criteria", ci)
                once(criterion.id, cloc)
                missing = [lv for lv in level_ids if not (criterion.levels.get(lv) or "").strip()]
                extra = [lv for lv in criterion.levels if lv not in level_ids]
                if missing:
                    report.add(criterion.id, f"'levels' does not say what {', '.join(missing)} looks like",
                               cloc + ("levels",))
                if extra:
                    report.add(criterion.id, f"'levels' names {', '.join(extra)}, which is not one of the "
                               f"framework's levels ({', '.join(level_ids)})", cloc + ("levels", extra[0]))
                if criterion.pmaf and criterion.pmaf not in pmaf_ids:
                    report.add(criterion.id, f"PMAF section '{criterion.pmaf}' is not in 'pmaf_sections'",
                               cloc + ("pmaf",))
                if criterion.guideline and criterion.guideline not in guidelines:
                    report.add(criterion.id, f"unknown guideline '{criterion.guideline}'", cloc + ("guideline",))
                if len(set(criterion.evidence)) != len(criterion.evidence):
                    report.add(criterion.id, "'evidence' names the same records twice", cloc + ("evidence",))


_PINNED: dict[str, Framework | None] = {}


def pinned_framework(text: str, vocabulary: Vocabulary) -> Framework | None:
    """The framework a self-assessment kept (its file's text when it was started), read once per
    process; None if this dpup can no longer read it (the caller falls back to today's framework)."""
    key = hashlib.sha256(text.encode()).hexdigest()
    if key not in _PINNED:
        _PINNED[key] = check_framework_file(Path("framework.yaml"), vocabulary, text)[0]
    return _PINNED[key]


def load_framework(folder: Path, vocabulary: Vocabulary) -> tuple[Framework | None, list[Problem]]:
    """The framework in ``folder`` (a maturity folder, or one file in it). None, and no problem, when
    there is no folder: a library without a framework simply has no self-assessment."""
    files = [folder] if folder.is_file() else (list(iter_files(folder)) if folder.is_dir() else [])
    if not files:
        return None, []
    problems: list[Problem] = []
    found: list[Framework] = []
    for path in files:
        framework, file_problems = check_framework_file(path, vocabulary)
        problems += file_problems
        if framework is not None:
            found.append(framework)
    if len(files) > 1:
        problems += [Problem(str(p), FILE, "the maturity folder holds one framework file; merge or remove the "
                                           "others") for p in files[1:]]
    return (found[0] if found and not problems else None), problems
