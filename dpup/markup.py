"""Markdown to safe HTML, for content pages, help text and notes.

Markdown may contain raw HTML; nh3 removes anything not on the allow-list, so a page or a note can
never inject script or styles.
"""

import re
from functools import lru_cache

import markdown
import nh3

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "span": {"lang"}, "th": {"scope"}, "abbr": {"title"},
               **{h: {"id"} for h in ("h2", "h3", "h4", "h5", "h6")}}


@lru_cache(maxsize=4096)  # help texts and pages repeat on every request; the result depends only on the text
def render_markdown(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists", "toc"], output_format="html")
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


@lru_cache(maxsize=8)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=4096)  # prompts, labels and help repeat on every page; a pure function of its inputs
def mark_language(html: str, words: tuple[str, ...]) -> str:
    """Wrap Māori words in ``<span lang="mi">`` in the text of safe HTML (never inside tags,
    attributes, code or an existing lang span), so screen readers switch pronunciation."""
    pattern = _words_pattern(words)
    if pattern is None:
        return html
    out, skip = [], 0
    for part in _TAG.split(html):
        if _TAG.fullmatch(part):
            name = part.strip("</ >").split()[0].lower() if part.strip("</ >") else ""
            if name in ("code", "pre") or (name == "span" and "lang=" in part):
                skip += -1 if part.startswith("</") else 1
            elif name == "span" and part.startswith("</") and skip:
                skip -= 1
            out.append(part)
        else:
            out.append(part if skip else pattern.sub(lambda m: f'<span lang="mi">{m.group(0)}</span>', part))
    return "".join(out)


_TAG = re.compile(r"(<[^>]*>)")
