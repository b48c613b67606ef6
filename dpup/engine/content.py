"""Content pages: Markdown files with YAML front matter, addressed by slug (path without .md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from dpup.engine.model import Source, Strict
from dpup.engine.problems import Problem
from dpup.engine.yamlfile import YamlError, parse_yaml


class FrontMatter(Strict):
    title: str
    summary: str = ""
    lang: str = "en-NZ"
    order: int = 100
    sources: tuple[Source, ...] = ()
    licence: str = ""


# The folder of document templates (dpup/engine/documents.py): not shown as pages.
DOCUMENTS = "documents"


@dataclass(frozen=True)
class Page:
    slug: str
    meta: FrontMatter
    body: str
    path: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def section(self) -> str:
        return self.slug.split("/")[0] if "/" in self.slug else ""


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts). Front matter is optional."""
    if not text.startswith("---"):
        return "", text, 1
    end = text.find("\n---", 3)
    if end == -1:
        return "", text, 1
    head = text[3:end]
    body_start = text.find("\n", end + 4)
    body = "" if body_start == -1 else text[body_start + 1 :]
    return head, body, head.count("\n") + 3


def load_page(path: Path, slug: str) -> tuple[Page | None, list[Problem]]:
    head, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
    if not head:
        return None, [Problem(str(path), slug, "no front matter: start the file with '---', a title and sources")]
    try:
        meta = FrontMatter.model_validate(parse_yaml(head).data or {})
    except YamlError as exc:
        return None, [Problem(str(path), slug, exc.reason, (exc.line or 0) + 1)]
    except ValidationError as exc:
        return None, [
            Problem(str(path), slug, f"front matter {'.'.join(map(str, e['loc']))}: {e['msg']}")
            for e in exc.errors()
        ]
    return Page(slug, meta, body, str(path)), []


def load_pages(content_dir: Path) -> tuple[dict[str, Page], list[Problem]]:
    pages: dict[str, Page] = {}
    problems: list[Problem] = []
    for path in sorted(content_dir.rglob("*.md")):
        slug = path.relative_to(content_dir).with_suffix("").as_posix()
        if slug.startswith(f"{DOCUMENTS}/"):
            continue  # document templates, not pages: see dpup/engine/documents.py
        page, found = load_page(path, slug)
        problems += found
        if page:
            pages[slug] = page
    return pages, problems
