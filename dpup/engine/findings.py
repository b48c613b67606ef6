"""The findings catalogue: every gap dpup can report, written once, named by id in the trees.

One finding, one severity, one wording and one basis (the law, or DPUP good practice) wherever it
is raised, so the same gap gets the same verdict in every tree and a report can show it once.

A tree version is pinned with the findings it names (``pinned_findings``, appended to its text by
dpup), so an assessment keeps reading the wording it was answered against after the catalogue
changes. Versions pinned before the catalogue existed carry their findings inline and still load.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import ValidationError

from dpup.engine.model import Finding, QuestionNode
from dpup.engine.problems import Problem
from dpup.engine.yamlfile import YamlError, parse_yaml

FINDINGS_DIR = "findings"
PINNED_KEY = "pinned_findings"
PINNED_HEADER = "\n# Written by dpup when the tree was pinned: the catalogue findings this version names.\n"


def load_catalogue(folder: Path, check_tags) -> tuple[dict[str, Finding], dict[str, str], list[Problem]]:
    """Every finding in ``folder``/*.yaml, the file each came from, and every problem found.

    ``check_tags(finding)`` lists (field, reason) for each unknown principle, guideline or IPP name.
    """
    catalogue: dict[str, Finding] = {}
    files: dict[str, str] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        for finding in _read_file(path, problems, check_tags):
            if finding.id in catalogue:
                problems.append(Problem(str(path), finding.id,
                                        f"finding id '{finding.id}' is already used in {files[finding.id]}"))
                continue
            catalogue[finding.id] = finding
            files[finding.id] = str(path)
    return catalogue, files, problems


def _read_file(path: Path, problems: list[Problem], check_tags) -> Iterable[Finding]:
    def add(where: str, reason: str, line: int | None = None) -> None:
        problems.append(Problem(str(path), where, reason, line))

    try:
        doc = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        add("(file)", f"cannot read the file: {exc}")
        return
    except YamlError as exc:
        add("(file)", exc.reason, exc.line)
        return
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        add("(file)", "a findings file is a mapping with a list under 'findings'")
        return
    for key in data:
        if key not in ("findings",):
            add("(file)", f"unknown key '{key}'", doc.line_of((key,)))
    for i, raw in enumerate(data["findings"]):
        where = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"findings[{i}]"
        line = doc.line_of(("findings", i))
        if not isinstance(raw, dict):
            add(where, "each finding is a mapping of keys to values", line)
            continue
        try:
            finding = Finding.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"])
                message = error["msg"].removeprefix("Value error, ")
                if error["type"] == "extra_forbidden":
                    message = f"unknown key '{field}'"
                elif field:
                    message = f"{field}: {message}"
                add(where, message, doc.line_of(("findings", i, *error["loc"])) or line)
            continue
        missing = [k for k in ("id", "basis") if getattr(finding, k) is None]
        if missing:
            add(where, f"a catalogue finding needs {' and '.join(repr(k) for k in missing)}", line)
            continue
        unknown = check_tags(finding)
        for field_name, reason in unknown:
            add(where, reason, doc.line_of(("findings", i, field_name)) or line)
        if not unknown:
            yield finding


def named_findings(nodes: Iterable) -> list[str]:
    """The catalogue ids the options of these nodes name, in order, once each."""
    ids = [o.finding if isinstance(o.finding, str) else o.finding.id
           for n in nodes if isinstance(n, QuestionNode) for o in n.options if o.finding]
    return list(dict.fromkeys(i for i in ids if i))


def pinned_appendix(findings: dict[str, Finding]) -> str:
    """The block appended to a tree's text when it is pinned: the findings it names, in full."""
    if not findings:
        return ""
    dumped = {fid: f.model_dump(mode="json", exclude_defaults=True, exclude={"id"}) for fid, f in findings.items()}
    return PINNED_HEADER + yaml.safe_dump({PINNED_KEY: dumped}, sort_keys=False, allow_unicode=True, width=100)


def with_findings(node, lookup: dict[str, Finding]):
    """The node with each named finding replaced by the finding itself (unknown names left as they are)."""
    if not isinstance(node, QuestionNode) or not any(isinstance(o.finding, str) for o in node.options):
        return node
    options = tuple(
        o.model_copy(update={"finding": lookup[o.finding].model_copy(update={"id": o.finding})})
        if isinstance(o.finding, str) and o.finding in lookup else o
        for o in node.options
    )
    return node.model_copy(update={"options": options})
