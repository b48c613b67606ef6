"""The report as Markdown: valid CommonMark, readable as plain text, with every user text literal.

Nothing here decides what the report says; it only lays out the report model. Text typed by people
(names, notes, reasons, owners) goes through ``text()`` or ``inline()``, which backslash-escape
Markdown punctuation and turn ``<`` and entity-like ``&`` into character references, so a note such
as ``<script>`` or ``**x**`` reads exactly as typed in every Markdown viewer, never as mark-up.
"""

from __future__ import annotations

import re

from dpup.reports.model import Report

# Escaped everywhere: characters that start emphasis, code, links or escapes. All of them are
# escapable in CommonMark and in Python-Markdown alike.
_ANYWHERE = re.compile(r"([\\`*_\[\]>])")
# "<" can start raw HTML or an autolink, and "&name;" an entity: both become character references.
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Constructs that only count at the start or end of a line.
_CLOSING_HASHES = re.compile(r"(#+)$", re.MULTILINE)
_LIST_OR_HEADING = re.compile(r"^([#+\-])", re.MULTILINE)
_ORDERED = re.compile(r"^(\d+)([.)])", re.MULTILINE)
_SETEXT_OR_FENCE = re.compile(r"^([=~])", re.MULTILINE)
_EDGE_SPACE = re.compile(r"^[ \t]+|[ \t]+$", re.MULTILINE)  # leading spaces would make a code block
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A line to sign on: a run of underscores with nothing inside is literal text in CommonMark.
BLANK_LINE = "_" * 40


def _escape(value: str) -> str:
    """Escape every line of ``value`` (already free of carriage returns) for Markdown."""
    value = _EDGE_SPACE.sub("", _CONTROL.sub("", value))
    value = _ANYWHERE.sub(r"\\\1", _ENTITY_LIKE.sub("&amp;", value)).replace("<", "&lt;")
    value = _CLOSING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), value)
    value = _LIST_OR_HEADING.sub(r"\\\1", value)
    value = _ORDERED.sub(r"\1\\\2", value)
    return _SETEXT_OR_FENCE.sub(lambda m: f"&#{ord(m.group(1))};", value)


def inline(value: str) -> str:
    """User text on one line (in a heading, list item or label): whitespace folded, mark-up escaped."""
    return _escape(" ".join((value or "").split()))


def text(value: str, indent: str = "") -> str:
    """User text that may run over several lines or paragraphs, escaped line by line.

    ``indent`` continues it inside a list item (four spaces work in CommonMark and Python-Markdown).
    """
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = re.sub(r"\n{2,}", "\n\n", _escape(value).strip("\n"))
    return re.sub(r"\n(?=[^\n])", "\n" + indent, value) if indent else value


def _labelled(label: str, value: str, indent: str = "") -> list[str]:
    return [f"{indent}**{label}:** {text(value, indent).lstrip()}", ""] if value else []


def render_markdown(report: Report) -> str:
    out: list[str] = []
    add = out.extend

    add([f"# DPUP assessment: {inline(report.initiative)}", ""])
    add([*(f"- **{label}:** {inline(value)}" for label, value in report.facts), ""])
    if report.description:
        add([text(report.description), ""])

    add(["## Decision trees used", ""])
    for t in report.trees_used:
        add([f"- {inline(t.title)}, version {inline(t.version)} (`{t.content_hash}`): {inline(t.status)}"])
    add([""])

    add(["## Executive summary", "", inline(report.summary), ""])
    add([f"{report.findings_total} findings in all:", ""])
    add([f"- {label}: {count}" for label, count in report.severity_counts])
    add(["", "### Outcomes", ""])
    for s in report.sections:
        add([f"#### {inline(s.title)}", ""])
        if s.outcome:
            add([f"**{inline(s.outcome.heading)}**", "", s.outcome.body.strip(), ""])
            if s.outcome.help_from:
                add([f"*Who can help:* {inline(s.outcome.help_text)}", ""])
        else:
            add(["Not finished.", ""])

    add(["## Ratings by principle", ""])
    add([f"- **{inline(r.name)}** ({inline(r.meaning)}): {r.rating}, {r.findings} finding(s)"
         for r in report.principle_ratings])
    add(["", "## Ratings by guideline", ""])
    add([f"- **{inline(r.name)}**: {r.rating}, {r.findings} finding(s)" for r in report.guideline_ratings])
    add([""])

    add(["## Findings", "", "Each finding once, most serious first, with whether the law requires it or DPUP asks "
         "it as good practice, and every question that raised it.", ""])
    for group in report.by_severity:
        add([f"### {group.label} ({group.count})", ""])
        for f in group.findings:
            add([f"- **{inline(f.text)}**", f"    *Basis:* {inline(f.basis_text)}"])
            if f.principles:
                add([f"    *Principles:* {inline(f.principle_names)}"])
            add([f"    *Raised by:* {inline(q)}" for q in f.raised_by])
            if f.action:
                add([f"    *Action:* {inline(f.action)}"])
        add([""])
    if not report.by_severity:
        add(["No findings.", ""])

    add(["## Recommended actions", ""])
    for a in report.action_plan:
        add([f"{a.number}. {inline(a.action)}",
             (f"    *Severity:* {inline(a.severity)}; *principle:* {inline(a.principles) or 'none named'};"
              f" *owner:* {inline(a.owner) or 'not recorded'}; *due:* {inline(a.due) or 'not recorded'}"),
             f"    *From:* {inline(a.source)}"])
    if not report.action_plan:
        add(["No actions."])
    add([""])

    add(["## Sign-off", ""])
    for label, value in report.signoff_lines:
        add([f"{label}: {inline(value) or BLANK_LINE}", ""])

    add(["## Appendix: every answer", ""])
    for s in report.sections:
        add([f"### {inline(s.title)}", "", f"Version {inline(s.version)}, `{s.content_hash}`.", ""])
        for n, row in enumerate(s.answers, start=1):
            add(_answer(n, row))
        if not s.answers:
            add(["No answers yet.", ""])
        if s.unused:
            add(["#### Answers given on branches no longer in use", ""])
            for n, row in enumerate(s.unused, start=1):
                add(_answer(n, row))

    add(["---", "", inline(report.disclaimer), ""])
    return "\n".join(out).rstrip("\n") + "\n"


def _answer(n: int, row) -> list[str]:
    lines = [f"{n}. **{inline(row.question)}**", "", f"    **Answer:** {text(row.answer, '    ').lstrip()}", ""]
    lines += _labelled("Reason", row.reason, "    ")
    lines += _labelled("Note", row.note, "    ")
    if row.action_owner or row.action_due:
        lines += [(f"    **Action owner:** {inline(row.action_owner) or 'not recorded'};"
                   f" **due:** {inline(row.action_due) or 'not recorded'}"), ""]
    return lines
