"""The whole knowledge base: vocabulary, trees, checklists and content pages, validated together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dpup.engine.content import Page, load_pages
from dpup.engine.cross_refs import check_cross_references
from dpup.engine.documents import DOCUMENTS_DIR, DocumentTemplate, load_documents
from dpup.engine.findings import FINDINGS_DIR, load_catalogue, named_findings
from dpup.engine.maturity import MATURITY_DIR, Framework, load_framework
from dpup.engine.model import Checklist, Finding, Tree, Vocabulary
from dpup.engine.problems import Problem
from dpup.engine.validate import (
    FILE,
    Known,
    check_checklist_file,
    check_tree_file,
    check_vocabulary_file,
    iter_files,
    unknown_tags,
)
from dpup.engine.verdict_rule import check_verdict_rule
from dpup.engine.yamlfile import YamlError, parse_yaml

VOCABULARY_FILE = "vocabulary.yaml"
CHECKLISTS_DIR = "checklists"


class LibraryError(Exception):
    """The knowledge files have problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Library:
    vocabulary: Vocabulary
    trees: dict[str, Tree] = field(default_factory=dict)
    checklists: dict[str, Checklist] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    documents: dict[str, DocumentTemplate] = field(default_factory=dict)
    maturity: Framework | None = None  # the organisation's self-assessment framework, if the library has one
    problems: list[Problem] = field(default_factory=list)

    @property
    def profile(self) -> Tree | None:
        """The "About this work" questions every new assessment starts with, if the library has them."""
        return next((t for t in self.trees.values() if t.kind == "profile"), None)

    def raise_for_problems(self) -> Library:
        if self.problems:
            raise LibraryError(self.problems)
        return self


def load_vocabulary(path: Path) -> Vocabulary:
    vocabulary, problems = check_vocabulary_file(path)
    if vocabulary is None:
        raise LibraryError(problems)
    return vocabulary


def load_library(trees_dir: Path, content_dir: Path, only: Path | None = None, verdict_rule: bool = True) -> Library:
    """Load and validate everything under ``trees_dir`` and ``content_dir``.

    ``only`` restricts the trees and checklists to one file or folder (``dpup validate PATH``);
    the vocabulary and pages still come from the library folders, unless that folder has its own.
    """
    vocab_path = trees_dir / VOCABULARY_FILE
    if only is not None and only.is_dir() and (only / VOCABULARY_FILE).exists():
        vocab_path = only / VOCABULARY_FILE
    library = Library(load_vocabulary(vocab_path))
    library.pages, library.problems = load_pages(content_dir)
    if only is not None and MATURITY_DIR in (only.name, only.parent.name):  # `dpup validate` of the framework
        library.maturity, problems = load_framework(only, library.vocabulary)
        library.problems += problems
        return library
    if only is None or only.is_dir():
        library.maturity, problems = load_framework((trees_dir if only is None else only) / MATURITY_DIR,
                                                    library.vocabulary)
        library.problems += problems
    findings_dir = trees_dir / FINDINGS_DIR
    if only is not None and only.is_dir() and (only / FINDINGS_DIR).is_dir():
        findings_dir = only / FINDINGS_DIR
    library.findings, finding_files, problems = load_catalogue(
        findings_dir, lambda f: unknown_tags(f, library.vocabulary))
    library.problems += problems
    known = Known(library.vocabulary, set(library.pages), findings=library.findings)
    tree_files, checklist_files = _files(trees_dir if only is None else only)
    for path in tree_files:
        _add(library.trees, check_tree_file(path, known), library.problems, path)
    if only is None or only.is_dir():
        library.problems += check_cross_references(library.trees)
    for tree in library.trees.values() if verdict_rule else ():
        library.problems += check_verdict_rule(tree)
    if only is None or only.is_dir():
        _check_unused_findings(library, finding_files, tree_files)
    for path in checklist_files:
        _add(library.checklists, check_checklist_file(path, known), library.problems, path)
    _check_links(library, _ids_in(trees_dir) if only is not None else None)
    if only is None:
        _check_page_links(library)
        # Document templates name questions of the trees, so they are read once every tree is.
        library.documents, problems = load_documents(content_dir / DOCUMENTS_DIR, library.trees)
        library.problems += problems
    return library


def _check_unused_findings(library: Library, finding_files: dict[str, str], tree_files: list[Path]) -> None:
    """A catalogue finding no tree names is dead wording: report it so it is used or removed."""
    used = {fid for tree in library.trees.values() for fid in named_findings(tree.nodes)}
    if len(library.trees) < len(tree_files):
        return  # a tree failed to load; what it names is unknown, so unused findings cannot be told
    for fid, path in finding_files.items():
        if fid not in used:
            library.problems.append(Problem(path, fid, "no tree names this finding: use it or remove it"))


PAGE_LINK = re.compile(r"\]\(/pages/([^)#\s?]+)")


def _check_page_links(library: Library) -> None:
    """Links between pages, and from help text to pages, must lead somewhere."""
    texts = [(page.path, page.slug, page.body) for page in library.pages.values()]
    for tree in library.trees.values():
        texts += [(tree.file.path, node.id, node.help) for node in tree.questions]
    for checklist in library.checklists.values():
        texts += [(checklist.file.path, item.id, item.help) for item in checklist.items]
    for path, where, text in texts:
        for slug in PAGE_LINK.findall(text):
            if slug not in library.pages:
                library.problems.append(Problem(path, where, f"link to /pages/{slug}, which does not exist"))


def _ids_in(trees_dir: Path) -> dict[str, set[str]]:
    """The ids of every bundled tree and checklist, so one file's links can be checked on its own."""
    tree_files, checklist_files = _files(trees_dir)
    return {"tree": _read_ids(tree_files), "checklist": _read_ids(checklist_files)}


def _read_ids(paths: list[Path]) -> set[str]:
    ids = set()
    for path in paths:
        try:
            data = parse_yaml(path.read_text(encoding="utf-8")).data
        except (OSError, YamlError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
    return ids


def _files(where: Path) -> tuple[list[Path], list[Path]]:
    if where.is_file():
        is_checklist = where.parent.name == CHECKLISTS_DIR
        return ([], [where]) if is_checklist else ([where], [])
    trees = [p for p in iter_files(where) if p.name != VOCABULARY_FILE]
    checklists = list(iter_files(where / CHECKLISTS_DIR)) if (where / CHECKLISTS_DIR).is_dir() else []
    return trees, checklists


def _add(into: dict, result, problems: list[Problem], path: Path) -> None:
    item, found = result
    problems += found
    if item is None:
        return
    if item.id in into:
        problems.append(Problem(str(path), FILE, f"id '{item.id}' is already used by {into[item.id].file.path}"))
    else:
        into[item.id] = item


def _check_links(library: Library, elsewhere: dict[str, set[str]] | None) -> None:
    """Outcome links to other trees and checklists can only be checked once all are loaded."""
    targets = {"tree": set(library.trees), "checklist": set(library.checklists)}
    for kind, ids in (elsewhere or {}).items():
        targets[kind] |= ids
    for tree in library.trees.values():
        for node in tree.outcomes:
            for link in node.links:
                kind, _, target = link.partition(":")
                if kind in targets and target not in targets[kind]:
                    library.problems.append(
                        Problem(tree.file.path, node.id, f"link '{link}' points to a {kind} that does not exist")
                    )


def tree_from_text(library: Library, path: str, text: str) -> Tree:
    """Re-read a stored version of a tree. Its links were checked when it was current, and it
    carries the findings it names (or, from before the catalogue, writes them inline)."""
    known = Known(library.vocabulary, set(library.pages), check_references=False, findings=library.findings)
    tree, problems = check_tree_file(Path(path), known, text)
    if tree is None:
        raise LibraryError(problems)
    return tree
