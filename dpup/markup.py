"""Markdown to safe HTML, for content pages, help text and notes.

Markdown may contain raw HTML; nh3 removes anything not on the allow-list, so a page or a note can
never inject script or styles.
"""

import markdown
import nh3

_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ATTRIBUTES = {"a": {"href", "title"}, "span": {"lang"}, "th": {"scope"}, "abbr": {"title"},
               **{h: {"id"} for h in ("h2", "h3", "h4", "h5", "h6")}}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists", "toc"], output_format="html")
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")
