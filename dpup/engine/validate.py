"""Read one tree or checklist file and report every problem in it at once.

Parsing is done node by node, so one broken node does not hide the problems in the others, and
the graph checks (next, reachability, cycles, dead ends) run on whatever parsed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from dpup.engine.cross_refs import known_answer_problems
from dpup.engine.findings import PINNED_KEY, named_findings, pinned_appendix, with_findings
from dpup.engine.model import (
    AnswerKind,
    Checklist,
    FileSource,
    Finding,
    Node,
    OutcomeNode,
    QuestionNode,
    Tree,
    Verdict,
    Vocabulary,
    split_ref,
)
from dpup.engine.problems import Problem
from dpup.engine.tree_graph import check_graph
from dpup.engine.yamlfile import YamlDocument, YamlError, parse_yaml

FILE = "(file)"
_node_adapter = TypeAdapter(Node)
_pinned_adapter = TypeAdapter(dict[str, Finding])
_EXPECTED_VALUES = {AnswerKind.YES_NO: ["yes", "no"], AnswerKind.YES_NO_NA: ["yes", "no", "na"]}
HELP_PAGES = "help"
TAG_KINDS = {"principles": "principles", "guideline": "guidelines", "ipps": "ipps",
             "five_safes": "five_safes", "tikanga": "tikanga"}


@dataclass
class Known:
    """What references in a file may point to."""

    vocabulary: Vocabulary
    pages: set[str] = field(default_factory=set)
    # Off when re-reading a stored old version: its links were checked when it was current.
    check_references: bool = True
    # The findings catalogue that current trees name findings from.
    findings: dict[str, Finding] = field(default_factory=dict)


@dataclass
class _Report:
    path: str
    doc: YamlDocument | None = None
    problems: list[Problem] = field(default_factory=list)
    locs: dict[str, tuple] = field(default_factory=lambda: {FILE: ()})
    text: str = ""

    def add(self, node: str, reason: str, loc: tuple = (), key: tuple = ()) -> None:
        """Record a problem; ``loc`` is a path in the file, ``key`` a path inside ``node``."""
        if not loc and node in self.locs:
            loc = self.locs[node] + key
        line = self.doc.line_of(loc) if (self.doc and loc) else None
        self.problems.append(Problem(self.path, node, reason, line))

    def add_pydantic(self, node: str, exc: ValidationError, loc_prefix: tuple) -> None:
        for error in exc.errors():
            loc = tuple(error["loc"])
            if loc and loc[0] in ("question", "outcome") and loc_prefix[:1] == ("nodes",):
                loc = loc[1:]  # drop the union tag pydantic adds
            self.add(node, _friendly(error, loc), loc_prefix + loc)


def _friendly(error: dict, loc: tuple) -> str:
    where = ".".join(str(part) for part in loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{where}'"
    if kind == "missing":
        return f"'{where}' is required"
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        return "'type' must be 'question' or 'outcome'"
    if kind == "string_type" and isinstance(error.get("input"), bool):
        return f"{where}: write the value in quotes"
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


# No knowledge file comes near this (the largest bundled tree is tens of kilobytes); a bigger one
# is refused before it is parsed, so validating never reads without bound.
MAX_FILE_BYTES = 2_000_000


def _read(path: Path, report: _Report, text: str | None) -> dict | None:
    if text is None:
        try:
            with path.open("rb") as f:
                raw = f.read(MAX_FILE_BYTES + 1)
            text = raw.decode("utf-8") if len(raw) <= MAX_FILE_BYTES else None
        except (OSError, UnicodeDecodeError) as exc:
            report.add(FILE, f"cannot read the file: {exc}")
            return None
    if text is None or len(text) > MAX_FILE_BYTES:
        report.add(FILE, f"the file is larger than {MAX_FILE_BYTES:,} bytes")
        return None
    try:
        report.doc = parse_yaml(text)
    except YamlError as exc:
        report.problems.append(Problem(report.path, FILE, exc.reason, exc.line))
        return None
    data = report.doc.data
    if data is None:
        report.add(FILE, "the file is empty")
        return None
    if not isinstance(data, dict):
        report.add(FILE, f"the file must be a mapping of keys to values, not a {type(data).__name__}")
        return None
    report.text = text
    return data


def _source(path: Path, report: _Report, appendix: str = "") -> FileSource:
    text = report.text + ("" if report.text.endswith("\n") or not appendix else "\n") + appendix
    return FileSource(str(path), text, hashlib.sha256(text.encode()).hexdigest()[:16])


# --- Trees ---


def check_tree_file(path: Path, known: Known, text: str | None = None) -> tuple[Tree | None, list[Problem]]:
    """Parse and validate a tree file (or ``text`` said to come from ``path``)."""
    report = _Report(str(path))
    data = _read(path, report, text)
    if data is None:
        return None, report.problems
    nodes = [_worded(node, known.vocabulary) for node in _parse_nodes(data, report)]
    lookup = _finding_lookup(data, known, report)
    _check_named_findings(nodes, lookup, known, report)
    named = named_findings(nodes)
    nodes = [with_findings(node, lookup) for node in nodes]
    header = {k: v for k, v in data.items() if k not in ("nodes", PINNED_KEY)}
    tree = None
    try:
        tree = Tree.model_validate({**header, "nodes": nodes or [_placeholder()]})
    except ValidationError as exc:
        report.add_pydantic(FILE, exc, ())
    if tree is not None and nodes:
        _check_tree(tree, known, report)
        # A current tree is pinned with the findings it names; a stored version already carries them.
        appendix = pinned_appendix({i: lookup[i] for i in named if i in lookup}) if PINNED_KEY not in data else ""
        tree._source = _source(path, report, appendix)
    check_graph(data, report.add, FILE)
    return (tree if not report.problems else None), _in_file_order(report.problems)


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line or 0)


def _finding_lookup(data: dict, known: Known, report: _Report) -> dict[str, Finding]:
    """Where named findings come from: the version's own pinned copy, else the catalogue."""
    if PINNED_KEY not in data:
        return known.findings
    if known.check_references:
        report.add(FILE, f"'{PINNED_KEY}' is written by dpup when an assessment pins a tree; take it out",
                   (PINNED_KEY,))
        return known.findings
    raw = data[PINNED_KEY]
    try:
        return _pinned_adapter.validate_python(raw)
    except ValidationError as exc:
        report.add_pydantic(FILE, exc, (PINNED_KEY,))
        return {}


def _check_named_findings(nodes: list, lookup: dict[str, Finding], known: Known, report: _Report) -> None:
    for node in nodes:
        for i, option in enumerate(getattr(node, "options", ())):
            where = ("options", i, "finding")
            if isinstance(option.finding, str) and option.finding not in lookup:
                report.add(node.id, f"option '{option.value}' names finding '{option.finding}', which is not in "
                           "the findings catalogue", key=where)
            elif isinstance(option.finding, Finding) and known.check_references:
                report.add(node.id, f"option '{option.value}' writes its finding inline: put it in the findings "
                           "catalogue (decision_trees/findings/) and name it by id", key=where)


def _placeholder() -> OutcomeNode:
    return OutcomeNode(id="placeholder", type="outcome", verdict="stop", title="-", body="-")


def _parse_nodes(data: dict, report: _Report) -> list:
    raw = data.get("nodes")
    if raw is None:
        report.add(FILE, "'nodes' is required: a tree needs at least one question and one outcome")
        return []
    if not isinstance(raw, list):
        report.add(FILE, "'nodes' must be a list of nodes", ("nodes",))
        return []
    parsed, seen = [], set()
    for i, item in enumerate(raw):
        node_id = item.get("id") if isinstance(item, dict) else None
        name = node_id if isinstance(node_id, str) else f"nodes[{i}]"
        report.locs.setdefault(name, ("nodes", i))
        if name in seen:
            report.add(name, f"duplicate node id '{name}'", ("nodes", i, "id"))
            continue
        seen.add(name)
        try:
            parsed.append(_node_adapter.validate_python(item))
        except ValidationError as exc:
            report.add_pydantic(name, exc, ("nodes", i))  # its id stays in report.lines, so links to it are not errors
    return parsed


def _worded(node, vocabulary: Vocabulary):
    """Options answering yes, no or na with no label of their own say what the vocabulary calls them."""
    if not isinstance(node, QuestionNode) or not node.options:
        return node
    return node.model_copy(update={"options": tuple(vocabulary.with_answer_words(o) for o in node.options)})


def _check_tree(tree: Tree, known: Known, report: _Report) -> None:
    _check_tags(FILE, tree, known, report)
    for node in tree.nodes:
        if isinstance(node, QuestionNode):
            _check_question(node, tree, known, report)
        else:
            _check_outcome(node, known, report)


def _check_question(node: QuestionNode, tree: Tree, known: Known, report: _Report) -> None:
    _check_tags(node.id, node, known, report)
    if known.check_references and node.why and node.why not in known.pages:
        report.add(node.id, f"'why' links to content page '{node.why}', which does not exist", key=("why",))
    _check_answer_kind(node, report)
    for option in node.options:
        if isinstance(option.finding, Finding) and option.finding.id is None:
            _check_tags(node.id, option.finding, known, report)
    for i, rule in enumerate(node.known_from):
        for reason in known_answer_problems(node, rule):
            report.add(node.id, reason, key=("known_from", i))
    for route in node.routes:
        for ref in route.when.references():
            if split_ref(ref)[0] is None:  # (another tree's question is checked once all are loaded)
                _check_reference(node.id, ref, tree, report)
        for finding_id in route.when.findings_read():
            if known.check_references and finding_id not in known.findings:
                report.add(node.id, f"a route condition asks whether finding '{finding_id}' was raised, but it is "
                           "not in the findings catalogue")


def _check_answer_kind(node: QuestionNode, report: _Report) -> None:
    values = [o.value for o in node.options]
    if len(values) != len(set(values)):
        report.add(node.id, "two options have the same value")
    expected = _EXPECTED_VALUES.get(node.kind)
    if expected and sorted(values) != sorted(expected):
        report.add(node.id, f"a {node.kind} question needs options with exactly the values {', '.join(expected)}")
    if node.kind in (AnswerKind.ONE_OF, AnswerKind.SEVERAL_OF) and len(values) < 2:
        report.add(node.id, f"a {node.kind} question needs at least two options")
    if node.kind == AnswerKind.TEXT and values:
        report.add(node.id, "a text question has no options")
    if node.kind in (AnswerKind.TEXT, AnswerKind.SEVERAL_OF):
        if any(o.next for o in node.options):
            report.add(node.id, f"options of a {node.kind} question cannot have 'next': use 'routes'")
        if not node.next:
            report.add(node.id, f"a {node.kind} question needs 'next'")
    elif not node.next:
        for option in node.options:
            if not option.next:
                report.add(node.id, f"option '{option.value}' leads nowhere: give it 'next' or give the question 'next'")
    na = node.option("na")
    if node.kind == AnswerKind.YES_NO_NA and na and not na.ask_reason:
        report.add(node.id, "the 'na' (not applicable) option must ask for a reason ('ask_reason')")
    if node.required:
        if node.kind not in _EXPECTED_VALUES:
            report.add(node.id, "only yes/no questions can be 'required'")
        elif not (no := node.option("no")) or not (isinstance(no.finding, Finding) and no.finding.action):
            report.add(node.id, "a required point must raise a finding with an action when answered 'no'")


def _check_reference(node_id: str, ref, tree: Tree, report: _Report) -> None:
    target_id = ref if isinstance(ref, str) else ref.node
    target = tree.node(target_id)
    if not isinstance(target, QuestionNode):
        report.add(node_id, f"a route condition refers to '{target_id}', which is not a question")
        return
    if isinstance(ref, str):
        return
    if target.kind == AnswerKind.TEXT:
        report.add(node_id, f"a route condition compares '{target_id}', a free-text answer; use 'answered'")
    elif not target.option(ref.value):
        report.add(node_id, f"a route condition expects '{ref.value}' from '{target_id}', which has no such option")


def _check_outcome(node: OutcomeNode, known: Known, report: _Report) -> None:
    _check_tags(node.id, node, known, report)
    for link in node.links:
        kind, _, target = link.partition(":")
        if kind not in ("tree", "checklist", "page") or not target:
            report.add(node.id, f"link '{link}' must be tree:ID, checklist:ID or page:SLUG")
        elif known.check_references and kind == "page" and target not in known.pages:
            report.add(node.id, f"link '{link}' points to a content page that does not exist")
    if not known.check_references:
        return
    for helper in node.help_from:
        if f"{HELP_PAGES}/{helper}" not in known.pages:
            report.add(node.id, f"'help_from' names '{helper}', but there is no page {HELP_PAGES}/{helper}",
                       key=("help_from",))
    if node.verdict.rank >= Verdict.SEEK_ADVICE.rank and not node.help_from:
        report.add(node.id, f"a '{node.verdict}' outcome must say who can help ('help_from', pages under "
                   f"{HELP_PAGES}/)")


def _check_tags(where: str, item, known: Known, report: _Report) -> None:
    if not known.check_references:
        return
    for field_name, reason in unknown_tags(item, known.vocabulary):
        report.add(where, reason, key=(field_name,))


def unknown_tags(item, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(field, reason) for each principle, guideline or framework name the vocabulary does not know."""
    found = []
    for field_name, kind in TAG_KINDS.items():
        value = getattr(item, field_name, None)
        values = (value,) if isinstance(value, str) else (value or ())
        for v in values:
            if v not in vocabulary.ids(kind):
                found.append((field_name, f"unknown {kind.rstrip('s').replace('_', ' ')} '{v}' in '{field_name}'"))
    return found


# --- The vocabulary ---


def check_vocabulary_file(path: Path) -> tuple[Vocabulary | None, list[Problem]]:
    """Parse and validate vocabulary.yaml, reporting problems as tree files do."""
    report = _Report(str(path))
    data = _read(path, report, None)
    if data is None:
        return None, report.problems
    try:
        return Vocabulary.model_validate(data), []
    except ValidationError as exc:
        report.add_pydantic(FILE, exc, ())
        return None, report.problems


# --- Checklists ---


def check_checklist_file(path: Path, known: Known, text: str | None = None) -> tuple[Checklist | None, list[Problem]]:
    report = _Report(str(path))
    data = _read(path, report, text)
    if data is None:
        return None, report.problems
    items = data.get("items")
    for i, item in enumerate(items if isinstance(items, list) else []):  # (the schema reports a non-list)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            report.locs.setdefault(item["id"], ("items", i))
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            where = _item_name(data, loc)
            report.add(where, _friendly(error, loc[2:] if where != FILE else loc), loc)
        return None, report.problems
    _check_tags(FILE, checklist, known, report)
    seen = set()
    for item in checklist.items:
        if item.id in seen:
            report.add(item.id, f"duplicate item id '{item.id}'")
        seen.add(item.id)
        _check_tags(item.id, item, known, report)
        if item.why and item.why not in known.pages:
            report.add(item.id, f"'why' links to content page '{item.why}', which does not exist")
        if item.required and not item.if_no:
            report.add(item.id, "a required item must say what to do when it cannot be ticked ('if_no')")
    checklist._source = _source(path, report)
    return (checklist if not report.problems else None), _in_file_order(report.problems)


def _item_name(data: dict, loc: tuple) -> str:
    items = data.get("items")
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int) and isinstance(items, list) \
            and loc[1] < len(items):
        item = items[loc[1]]
        return item.get("id", f"items[{loc[1]}]") if isinstance(item, dict) else f"items[{loc[1]}]"
    return FILE


def iter_files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))
