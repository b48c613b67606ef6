"""Traceability: which principles, guidelines and privacy principles each tree and checklist serves."""

from __future__ import annotations

from dataclasses import dataclass

from dpup.engine.library import Library


@dataclass(frozen=True)
class Source:
    kind: str  # "tree" or "checklist"
    id: str
    title: str
    principles: dict[str, int]  # principle id -> number of questions or items tagged with it
    guidelines: frozenset[str]
    ipps: frozenset[str]


@dataclass(frozen=True)
class Coverage:
    sources: tuple[Source, ...]

    def serving(self, principle: str, kind: str | None = None) -> list[Source]:
        return [s for s in self.sources if s.principles.get(principle) and (kind is None or s.kind == kind)]

    def ipps_touched(self) -> set[str]:
        return {ipp for s in self.sources for ipp in s.ipps}


def coverage(library: Library) -> Coverage:
    sources = []
    for tree in library.trees.values():
        sources.append(_source("tree", tree.id, tree.title, tree.questions, tree.principles, tree.guideline))
    for checklist in library.checklists.values():
        sources.append(_source("checklist", checklist.id, checklist.title, checklist.items,
                               checklist.principles, checklist.guideline))
    return Coverage(tuple(sources))


def _source(kind, source_id, title, items, default_principles, default_guideline) -> Source:
    counts: dict[str, int] = {}
    guidelines, ipps = set(), set()
    for item in items:
        for principle in item.principles or default_principles:
            counts[principle] = counts.get(principle, 0) + 1
        if item.guideline or default_guideline:
            guidelines.add(item.guideline or default_guideline)
        ipps.update(item.ipps)
        for option in getattr(item, "options", ()):
            if option.finding:
                ipps.update(option.finding.ipps)
    return Source(kind, source_id, title, counts, frozenset(guidelines), frozenset(ipps))
