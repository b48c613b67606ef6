"""Document templates: the purpose statement, privacy notices and scripts dpup drafts from an
assessment's answers. Each is a Markdown file in ``content/documents/`` with front matter, written
by people who do not program, so the language is small and declarative, and checked line by line:

- ``{{about-this-work:goes-to}}`` is the answer to that question, in the words of the template's
  ``phrases`` for each option (or the option's label); ``.note`` or ``.reason`` after it is the
  note or the reason given with the answer; ``|who receives it`` after any of them is what the
  place is called when it cannot be filled ("[who receives it]").
- ``{{organisation}}``, ``{{work}}`` (the assessment's name) and ``{{date}}``.
- ``{{blank|who to contact}}`` is a place no answer fills: the person writes it in.
- A line ``{{if NAME}}`` (or ``{{if not NAME}}``) … ``{{else}}`` … ``{{end}}`` keeps its lines only
  when the condition NAME of the front matter holds (the engine's own conditions, over answers as
  "tree:question"). ``te-reo`` holds when the organisation chose te reo Māori greetings and headings.

There is no eval and no template engine: placeholders are matched by one regular expression and
replaced by text, once, so a note that contains ``{{…}}`` is never read as a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field as PydanticField
from pydantic import ValidationError

from dpup.engine.content import split_front_matter
from dpup.engine.model import Condition, Id, QuestionNode, QuestionRef, Source, Strict, Tree, split_ref
from dpup.engine.problems import Problem
from dpup.engine.yamlfile import YamlError, parse_yaml

DOCUMENTS_DIR = "documents"
TE_REO = "te-reo"  # the built-in condition: the organisation chose te reo Māori greetings and headings
WORDS = ("organisation", "work", "date", "blank")
PARTS = ("value", "note", "reason")

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
DIRECTIVE = re.compile(r"^\s*\{\{\s*(?:if\s+(?P<not>not\s+)?(?P<name>[^\s{}]+)|(?P<other>else|end))\s*\}\}\s*$")
FIELD = re.compile(
    r"^\s*(?:(?P<ref>[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9-]*)(?:\.(?P<part>[a-z]+))?|(?P<word>[a-z]+))"
    r"\s*(?:\|\s*(?P<hint>[^|{}]*?)\s*)?$")


class DocumentMeta(Strict):
    """A document template's front matter."""

    id: Id
    title: str = PydanticField(min_length=1)
    summary: str = ""
    audience: str = PydanticField(min_length=1, description="Who reads it: 'People who use the service', say.")
    reading_grade: int = PydanticField(ge=1, le=20, description="The highest reading grade the draft should have.")
    order: int = 100
    offered_when: Condition | None = PydanticField(
        default=None, description="When this document is offered; always, if left out.")
    conditions: dict[Id, Condition] = PydanticField(default_factory=dict,
                                                    description="Named conditions for {{if NAME}} lines.")
    phrases: dict[QuestionRef, dict[str, str]] = PydanticField(
        default_factory=dict, description="How each option of a question reads in this document; '' leaves it out.")
    sources: tuple[Source, ...] = PydanticField(min_length=1)
    licence: str = PydanticField(min_length=1)


@dataclass(frozen=True)
class Place:
    """One ``{{…}}``: a question's answer (``ref`` and ``part``), or a word (organisation, work, date, blank)."""

    ref: str | None
    part: str
    word: str | None
    hint: str
    line: int


@dataclass(frozen=True)
class Line:
    parts: tuple[str | Place, ...]
    line: int


@dataclass(frozen=True)
class Block:
    name: str
    negate: bool
    then: tuple
    otherwise: tuple
    line: int


@dataclass(frozen=True)
class DocumentTemplate:
    meta: DocumentMeta
    body: tuple  # Line and Block, in order
    path: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    def places(self) -> list[Place]:
        return [p for line in _lines(self.body) for p in line.parts if isinstance(p, Place)]

    def blocks(self) -> list[Block]:
        found: list[Block] = []

        def visit(nodes):
            for node in nodes:
                if isinstance(node, Block):
                    found.append(node)
                    visit(node.then)
                    visit(node.otherwise)

        visit(self.body)
        return found


def _lines(nodes) -> list[Line]:
    out: list[Line] = []
    for node in nodes:
        if isinstance(node, Block):
            out += _lines(node.then) + _lines(node.otherwise)
        else:
            out.append(node)
    return out


def parse_body(text: str, first_line: int, path: str) -> tuple[tuple, list[Problem]]:
    """The body as lines and if-blocks; every problem with its line number."""
    problems: list[Problem] = []
    stack: list[dict] = [{"then": [], "otherwise": None}]
    for offset, raw in enumerate(text.split("\n")):
        number = first_line + offset
        directive = DIRECTIVE.match(raw)
        if directive:
            if directive["name"]:
                stack.append({"name": directive["name"], "negate": bool(directive["not"]), "then": [],
                              "otherwise": None, "line": number})
            elif directive["other"] == "else":
                if len(stack) == 1 or stack[-1]["otherwise"] is not None:
                    problems.append(Problem(path, str(number), "{{else}} without an {{if …}} before it"))
                else:
                    stack[-1]["otherwise"] = []
            elif len(stack) == 1:
                problems.append(Problem(path, str(number), "{{end}} without an {{if …}} before it"))
            else:
                _close(stack)
            continue
        target = stack[-1]["otherwise"] if stack[-1]["otherwise"] is not None else stack[-1]["then"]
        target.append(Line(tuple(_parts(raw, number, path, problems)), number))
    while len(stack) > 1:
        problems.append(Problem(path, str(stack[-1]["line"]), "this {{if …}} has no {{end}}"))
        _close(stack)
    return tuple(stack[0]["then"]), problems


def _close(stack: list[dict]) -> None:
    done = stack.pop()
    block = Block(done["name"], done["negate"], tuple(done["then"]), tuple(done["otherwise"] or ()), done["line"])
    parent = stack[-1]
    (parent["otherwise"] if parent["otherwise"] is not None else parent["then"]).append(block)


def _parts(raw: str, number: int, path: str, problems: list[Problem]) -> list[str | Place]:
    parts: list[str | Place] = []
    at = 0
    for match in PLACEHOLDER.finditer(raw):
        parts.append(raw[at:match.start()])
        at = match.end()
        found = FIELD.match(match.group(1))
        problem = _field_problem(found, match.group(0))
        if problem:
            problems.append(Problem(path, str(number), problem))
            parts.append(match.group(0))
            continue
        parts.append(Place(found["ref"], found["part"] or "value", found["word"], (found["hint"] or "").strip(),
                           number))
    parts.append(raw[at:])
    if "{{" in raw[at:] or "}}" in raw[at:]:
        problems.append(Problem(path, str(number), "a '{{' or '}}' that does not make a placeholder"))
    return [p for p in parts if p != ""]


def _field_problem(found, text: str) -> str:
    if found is None:
        return (f"unknown placeholder {text}: write {{{{tree:question}}}}, {{{{tree:question.note}}}}, "
                f"{{{{organisation}}}}, {{{{work}}}}, {{{{date}}}} or {{{{blank|what to write}}}}")
    if found["word"] and found["word"] not in WORDS:
        return f"unknown placeholder {text}: the words are {', '.join(WORDS)}"
    if found["part"] and found["part"] not in PARTS[1:]:
        return f"unknown placeholder {text}: after the question write .note or .reason, or nothing"
    if found["word"] == "blank" and not (found["hint"] or "").strip():
        return f"{text} needs what to write, as {{{{blank|who to contact}}}}"
    return ""


def load_documents(folder: Path, trees: dict[str, Tree]) -> tuple[dict[str, DocumentTemplate], list[Problem]]:
    """Every template in ``folder``, each checked against the trees its placeholders name."""
    documents: dict[str, DocumentTemplate] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return documents, problems
    for path in sorted(folder.glob("*.md")):
        template, found = load_document(path, trees)
        problems += found
        if template is None:
            continue
        if template.id in documents:
            problems.append(Problem(str(path), "1", f"id '{template.id}' is already used by "
                                                    f"{documents[template.id].path}"))
        else:
            documents[template.id] = template
    return documents, problems


def load_document(path: Path, trees: dict[str, Tree], text: str | None = None
                  ) -> tuple[DocumentTemplate | None, list[Problem]]:
    text = path.read_text(encoding="utf-8") if text is None else text
    head, body, body_line = split_front_matter(text)
    where = str(path)
    if not head:
        return None, [Problem(where, "1", "no front matter: start the file with '---', an id, a title and sources")]
    try:
        meta = DocumentMeta.model_validate(parse_yaml(head).data or {})
    except YamlError as exc:
        return None, [Problem(where, str((exc.line or 0) + 1), exc.reason)]
    except ValidationError as exc:
        return None, [Problem(where, "1", f"front matter {'.'.join(map(str, e['loc']))}: {e['msg']}")
                      for e in exc.errors()]
    nodes, problems = parse_body(body, body_line, where)
    template = DocumentTemplate(meta, nodes, where)
    problems += check_references(template, trees)
    return (template if not problems else None), sorted(problems, key=lambda p: int(p.node))


def check_references(template: DocumentTemplate, trees: dict[str, Tree]) -> list[Problem]:
    """Every question a template names exists, with the options it names; every {{if}} names a condition."""
    path, meta = template.path, template.meta
    problems: list[Problem] = []

    def question(ref: str, line: int) -> QuestionNode | None:
        tree_id, node_id = split_ref(ref)
        if tree_id is None:
            problems.append(Problem(path, str(line), f"'{ref}' must name its tree, as 'tree:question'"))
            return None
        tree = trees.get(tree_id)
        node = tree.node(node_id) if tree else None
        if tree is None:
            problems.append(Problem(path, str(line), f"'{ref}': there is no tree '{tree_id}'"))
        elif not isinstance(node, QuestionNode):
            problems.append(Problem(path, str(line), f"'{ref}': tree '{tree_id}' has no question '{node_id}'"))
            return None
        return node

    def condition(where: str, cond: Condition) -> None:
        for part in cond.parts():
            if part.raised or part.worst:
                problems.append(Problem(path, "1", f"{where}: documents read answers, not findings "
                                                   "('raised' and 'worst' cannot be used)"))
        for ref in cond.references():
            name = ref if isinstance(ref, str) else ref.node
            node = question(name, 1)
            if node and not isinstance(ref, str) and node.options and not node.option(ref.value):
                problems.append(Problem(path, "1", f"{where}: '{name}' has no option '{ref.value}'"))

    if meta.offered_when is not None:
        condition("offered_when", meta.offered_when)
    for name, cond in meta.conditions.items():
        condition(f"condition '{name}'", cond)
    for ref, phrases in meta.phrases.items():
        node = question(ref, 1)
        for value in phrases if node else ():
            if not node.option(value):
                problems.append(Problem(path, "1", f"phrases for '{ref}': it has no option '{value}'"))
    for place in template.places():
        if place.ref:
            question(place.ref, place.line)
    for block in template.blocks():
        if block.name != TE_REO and block.name not in meta.conditions:
            problems.append(Problem(path, str(block.line), f"{{{{if {block.name}}}}}: no condition '{block.name}' "
                                                           "in the front matter's 'conditions'"))
    return problems
