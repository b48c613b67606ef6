"""The report as Markdown: valid CommonMark, readable as plain text, with every user text literal.

Nothing here decides what the report says; it only lays out the report model. Text typed by people
(names, notes, reasons, owners) goes through ``text()`` or ``inline()``, which backslash-escape
Markdown punctuation and turn ``<`` and entity-like ``&`` into character references, so a note such
as ``<script>`` or ``**x**`` reads exactly as typed in every Markdown viewer, never as mark-up.
"""

from __future__ import annotations

import re

from dpup.reports.rows import Report

# Escaped everywhere: characters that start emphasis, code, links or escapes. All of them are
# escapable in CommonMark and in Python-Markdown alike.
_ANYWHERE = re.compile(r"([\\`*\[\]>]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
# "<" can start raw HTML or an autolink, and "&name;" an entity: both become character references.
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Constructs that only count at the start or end of a line.
_CLOSING_HASHES = re.compile(r"(#+)$", re.MULTILINE)
_LIST_OR_HEADING = re.compile(r"^([#+\-])", re.MULTILINE)
# "1. " starts a list, "2026.11" does not (a list marker needs a space or the end of the line after
# it): only the first is escaped, so version numbers and dates read as typed.
_ORDERED = re.compile(r"^(\d+)([.)])(?=[ \t]|$)", re.MULTILINE)
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


def _verdict_and_status(report: Report) -> list[str]:
    """The verdict on the initiative and the review status: two labelled places, never one line."""
    out = ["## Our assessment of the initiative", "", inline(report.summary), ""]
    if report.recommendation:
        out += ["**The privacy officer recommends:**", "", text(report.recommendation), ""]
    out += ["## Review status of this assessment", "", inline(report.review_status), ""]
    return out


def render_markdown(report: Report) -> str:
    """The full record: everything, each finding once, every answer, the history and the sign-off."""
    out: list[str] = []
    add = out.extend

    add([f"# DPUP assessment: {inline(report.initiative)}", "", "*Full record*", ""])
    add([*(f"- **{label}:** {inline(value)}" for label, value in report.facts), ""])
    if report.description:
        add([text(report.description), ""])
    add(_verdict_and_status(report))
    if report.decision_sought:
        add(["**Decision sought:**", "", text(report.decision_sought), ""])

    add(["## Decision trees used", ""])
    for t in report.trees_used:
        add([f"- {inline(t.title)}, version {inline(t.version)} (`{t.content_hash}`): {inline(t.status)}"])
    add([""])

    add([f"{report.findings_total} findings in all:", ""])
    add([f"- {label}: {count}" for label, count in report.severity_counts])
    add(["", "### Outcomes", ""])
    for s in report.sections:
        add([f"#### {inline(s.title)}", ""])
        if s.outcome:
            add([f"**{inline(s.outcome.heading)}**", "", s.outcome.body.strip(), ""])
            if s.outcome.actions:
                add(["*Next steps:*", "", *(f"- {inline(a)}" for a in s.outcome.actions), ""])
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
                add([f"    *Action:* {inline(f.action)}"
                     + (f" ({inline(f.action_status)})" if f.action_status else "")])
        add([""])
    if not report.by_severity:
        add(["No findings.", ""])

    add(_actions(report.action_plan))
    add(_signoff(report))
    add(["## History of changes", ""])
    add([f"- {inline(h.when)} · {inline(h.who)} · {inline(h.what)}" for h in report.history] or ["No changes recorded."])
    add([""])

    add(["## Appendix: every answer", ""])
    for s in report.answer_sections:
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


def _actions(actions) -> list[str]:
    out = ["## Action plan", ""]
    for a in actions:
        out += [f"{a.number}. {inline(a.action)}",
                (f"    *Owner:* {inline(a.owner)}; *due:* {inline(a.due)}; *status:* {inline(a.status_text)};"
                 f" *severity:* {inline(a.severity)}")]
        if a.reason:
            out.append(f"    *Reason the risk was accepted:* {inline(a.reason)}")
        if a.note:
            out.append(f"    *Note:* {inline(a.note)}")
    return [*out, *([] if actions else ["No actions."]), ""]


def _signoff(report: Report) -> list[str]:
    out = ["## Sign-off", ""]
    for label, value in report.signoff_lines:
        out += [f"{label}: {inline(value) or BLANK_LINE}", ""]
    if report.self_approved:
        out += ["The same person submitted and approved this assessment: no second person reviewed it.", ""]
    return out


def render_brief_markdown(report: Report) -> str:
    """The board brief: the decision, the verdict apart from the review status, the top priorities
    (each finding once), law against good practice, the ratings, the actions by owner, sign-off."""
    out: list[str] = []
    add = out.extend
    add([f"# Board brief: {inline(report.initiative)}", "",
         f"{inline(report.organisation)} · report made {inline(report.generated_text)}", ""])
    add(["## The decision the board is asked to make", "",
         text(report.decision_text), ""])
    add(_verdict_and_status(report))
    add(["## Top priorities", ""])
    for n, f in enumerate(report.priorities, start=1):
        add([f"{n}. **{inline(f.text)}**",
             f"    {inline(f.severity_label)} · {inline(f.basis_text)}"
             + (f" · principles: {inline(f.principle_names)}" if f.principles else "")])
        if f.action:
            add([f"    *What to do:* {inline(f.action)} ({inline(f.action_owner) or 'not assigned'}"
                 f"{', due ' + inline(f.action_due) if f.action_due else ''})"])
    if not report.priorities:
        add(["No findings need action."])
    if report.priorities_more:
        add(["", f"{report.priorities_more} more findings are listed in the full record."])
    add(["", "## What the law requires and what DPUP asks as good practice", "",
         "| Severity | Required by law | DPUP good practice |", "| --- | --- | --- |",
         *(f"| {label} | {law} | {practice} |" for label, law, practice in report.basis_rows), ""])
    add(["## Ratings by principle", "", "Worse is longer: each bar runs from no concern to serious concern.", ""])
    add([f"- **{inline(r.name)}**: {r.rating} `{'#' * (r.concern or 0) if r.concern is not None else 'n/a'}`"
         for r in report.principle_ratings])
    add(["", "## Actions by owner", ""])
    if report.owners:
        add(["| Owner | Open | Overdue | Next due |", "| --- | --- | --- | --- |",
             *(f"| {inline(o.owner)} | {o.open} | {o.overdue} | {inline(o.next_due)} |" for o in report.owners), ""])
    else:
        add(["No open actions.", ""])
    if report.overdue:
        add(["### Overdue", ""])
        add([f"- {inline(a.action)} ({inline(a.owner)}, due {inline(a.due)})" for a in report.overdue])
        add([""])
    add(_signoff(report))
    add(["---", "", inline(report.disclaimer), ""])
    return "\n".join(out).rstrip("\n") + "\n"


def _answer(n: int, row) -> list[str]:
    lines = [f"{n}. **{inline(row.question)}**", ""]
    if row.several:
        lines += ["    **Answer:**", "", *(f"    - {inline(v)}" for v in row.values), ""]
    else:
        lines += [f"    **Answer:** {text(row.answer, '    ').lstrip()}", ""]
    lines += _labelled("Reason", row.reason, "    ")
    lines += _labelled("From", row.source, "    ")
    lines += _labelled("Note", row.note, "    ")
    return lines
