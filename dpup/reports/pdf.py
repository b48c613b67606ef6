"""The full record as a PDF, laid out with reportlab's Platypus from the shared building blocks
(``pdf_parts.py``, ``pdf_text.py``).

A cover, the summary with a chart of the ratings per principle, findings and actions as tables that
split across pages with their header row repeated, a sign-off block, the history of changes and an
appendix of every answer. Every page says "Page N of M"; the document carries its title, author,
subject and language (en-NZ), and an outline by section. Like the other renderers this one decides
nothing: it lays out the report model.
"""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak, Spacer, Table, TableStyle

from dpup.reports.pdf_fonts import FONT_FILES, FONTS_DIR, register_fonts
from dpup.reports.pdf_parts import (
    FONT_CMD,
    RATING_COLOURS,
    SEVERITY_COLOURS,
    Heading,
    _t,
    _table,
    ratings_chart,
    render_document,
    signoff,
    verdict_and_status,
)
from dpup.reports.pdf_text import (
    FONT_BOLD,
    INK,
    LINE,
    MUTED,
    SOFT,
    WIDTH,
    T,
    Text,
    TextStyle,
    _covered,
)
from dpup.reports.rows import Report


def printable_code_points() -> frozenset[int]:
    """Every character the embedded fonts can draw (anything else is printed as a marker)."""
    return frozenset(_covered())


def render_pdf(report: Report) -> bytes:
    return render_document(report, _story, "Full record")


def _story(report: Report) -> list[Flowable]:
    return [
        *_cover(report),
        NextPageTemplate("body"), PageBreak(),
        *_summary(report),
        *_findings(report),
        *_actions(report),
        *signoff(report),
        *_history(report),
        *_appendix(report),
    ]


def _cover(report: Report) -> list[Flowable]:
    facts_table = Table(
        [[_t(k, "small"), _t(v)] for k, v in report.facts], colWidths=[32 * mm, WIDTH - 32 * mm], hAlign="LEFT",
        style=TableStyle([FONT_CMD, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]),
    )
    trees = _table(["Decision tree used", "Version", "Content hash", "Outcome"],
                   [[t.title, t.version, t.content_hash[:12], t.status] for t in report.trees_used],
                   [WIDTH * 0.30, WIDTH * 0.12, WIDTH * 0.16, WIDTH * 0.42])
    return [
        Heading("Full record", "cover_kicker", level=0),
        _t(report.initiative, "cover_title"),
        _t(report.organisation, "cover_org"),
        facts_table,
        Spacer(1, 6 * mm),
        *verdict_and_status(report),
        trees,
        Spacer(1, 10 * mm),
        _t(report.disclaimer, "small"),
    ]


def _summary(report: Report) -> list[Flowable]:
    out: list[Flowable] = [Heading("Summary", "h1", level=0)]
    if report.decision_sought:
        out.append(_t(report.decision_sought, "body", label="Decision sought:"))
    counts = report.severity_counts
    number = {label: TextStyle(font=FONT_BOLD, size=16, leading=20, colour=SEVERITY_COLOURS.get(label, INK))
              for label, _ in counts}
    out += [
        _t(f"Findings raised: {report.findings_total}. Questions answered: {report.answers_total}."),
        Table([[Text(str(n), number[label]) for label, n in counts], [_t(label, "small") for label, _ in counts]],
              colWidths=[WIDTH / max(len(counts), 1)] * len(counts), hAlign="LEFT",
              style=TableStyle([FONT_CMD, ("BOX", (0, 0), (-1, -1), 0.5, LINE), ("LINEAFTER", (0, 0), (-2, -1), 0.5, LINE),
                                ("BACKGROUND", (0, 0), (-1, -1), SOFT), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])),
    ]
    if report.description:
        out += [Heading("About the initiative", "h2"), _t(report.description)]
    out += [Heading("Ratings by principle", "h2", level=1), ratings_chart(report), Spacer(1, 3 * mm),
            _table(["Principle", "What it asks", "Rating", "Findings"],
                   [[r.name, r.meaning, r.rating, str(r.findings)] for r in report.principle_ratings],
                   [WIDTH * 0.22, WIDTH * 0.44, WIDTH * 0.22, WIDTH * 0.12],
                   [RATING_COLOURS[r.rating] for r in report.principle_ratings])]
    out += [Heading("Ratings by guideline", "h2", level=1),
            _table(["Guideline", "What it asks", "Rating", "Findings"],
                   [[r.name, r.meaning, r.rating, str(r.findings)] for r in report.guideline_ratings],
                   [WIDTH * 0.22, WIDTH * 0.44, WIDTH * 0.22, WIDTH * 0.12],
                   [RATING_COLOURS[r.rating] for r in report.guideline_ratings])]
    out.append(Heading("Outcomes", "h2", level=1))
    verdict = replace(T["body"], font=FONT_BOLD, space_after=2, keep_with_next=True)
    for s in report.sections:  # (chained with keep_with_next: platypus does not keep a heading with a KeepTogether)
        out.append(_t(s.title, "h3"))
        if s.outcome:
            out += [Text(s.outcome.heading, verdict), _t(s.outcome.body_text)]
            out += [_t(a, "answer", label="•") for a in s.outcome.actions]
            if s.outcome.help_from:
                out.append(_t(s.outcome.help_text, "answer", label="Who can help:"))
        else:
            out.append(_t("Not finished."))
    return out


def _findings(report: Report) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(60 * mm), Heading("Findings", "h1", level=0),
                           _t("Each finding once, most serious first, with whether the law requires it or DPUP "
                              "asks it as good practice, and every question that raised it.")]
    if not report.by_severity:
        out.append(_t("No findings."))
    for group in report.by_severity:
        rows = [[[_t(f.text, "cell"), *([_t(f"{f.action} ({f.action_status})" if f.action_status else f.action,
                                            "cell", label="Action:")] if f.action else [])],
                 f.basis_text, [_t(q, "cell") for q in f.raised_by]] for f in group.findings]
        out += [Heading(f"{group.label} ({group.count})", "h2", level=1),
                _table(["Finding", "Basis", "Raised by"], rows, [WIDTH * 0.4, WIDTH * 0.25, WIDTH * 0.35],
                       [SEVERITY_COLOURS.get(group.label, MUTED)] * len(rows))]
    return out


def _actions(report: Report) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(60 * mm), Heading("Action plan", "h1", level=0)]
    if not report.action_plan:
        return [*out, _t("No actions.")]
    out.append(_t("Every action the findings ask for: open ones first, soonest due first."))
    rows = []
    for a in report.action_plan:
        cell = [_t(a.action, "cell")]
        if a.reason:
            cell.append(_t(a.reason, "cell", label="Reason the risk was accepted:"))
        if a.note:
            cell.append(_t(a.note, "cell", label="Note:"))
        rows.append([str(a.number), cell, a.owner, a.due, a.status_text])
    out.append(_table(["#", "Action", "Owner", "Due", "Status"], rows,
                      [WIDTH * 0.05, WIDTH * 0.49, WIDTH * 0.18, WIDTH * 0.14, WIDTH * 0.14],
                      [SEVERITY_COLOURS.get(a.severity, MUTED) for a in report.action_plan]))
    return out


def _history(report: Report) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(40 * mm), Heading("History of changes", "h1", level=0)]
    if not report.history:
        return [*out, _t("No changes recorded.")]
    return [*out, _table(["When", "Who", "What changed"], [[h.when, h.who, h.what] for h in report.history],
                         [WIDTH * 0.22, WIDTH * 0.23, WIDTH * 0.55])]


def _appendix(report: Report) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), Heading("Appendix: every answer", "h1", level=0),
                           _t("Each answer on the path taken, with its reason and note, as recorded. "
                              "Answers given on branches no longer in use are listed after each tree.")]
    for s in report.answer_sections:
        out += [Heading(s.title, "h2", level=1), _t(f"Version {s.version} · {s.content_hash} · {s.status}", "small")]
        out += _answers(s.answers) or [_t("No answers yet.")]
        if s.unused:
            out.append(_t("Answers given on branches no longer in use", "h3"))
            out += _answers(s.unused)
    return out


def _answers(rows) -> list[Flowable]:
    out: list[Flowable] = []
    for n, row in enumerate(rows, start=1):
        out.append(_t(row.question, "question", label=f"{n}."))
        if row.several:
            out += [_t("", "answer", label="Answer:"), *(_t(v, "bullet", label="•") for v in row.values)]
        else:
            out.append(_t(row.answer, "answer", label="Answer:"))
        if row.reason:
            out.append(_t(row.reason, "answer", label="Reason:"))
        if row.source:
            out.append(_t(row.source, "answer", label="From:"))
        if row.note:
            out.append(_t(row.note, "answer", label="Note:"))
    return out


# The text building blocks are reachable from here too, as they were before the split.
__all__ = ["FONTS_DIR", "FONT_FILES", "T", "Text", "printable_code_points", "register_fonts", "render_pdf"]
