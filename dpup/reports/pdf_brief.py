"""The board brief as a PDF: the same report model and the same building blocks as the full record
(``pdf_parts.py``), laid out to fit a few A4 pages for a lay board member. It decides nothing."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, Spacer

from dpup.reports.pdf_parts import Heading, _t, _table, ratings_chart, render_document, signoff, verdict_and_status
from dpup.reports.pdf_text import WIDTH
from dpup.reports.rows import Report


def render_brief_pdf(report: Report) -> bytes:
    return render_document(report, story, "Board brief")


def story(report: Report) -> list[Flowable]:
    out: list[Flowable] = [
        NextPageTemplate("body"),
        Heading("Board brief", "cover_kicker", level=0),
        _t(report.initiative, "cover_title"),
        _t(f"{report.organisation} · report made {report.generated_text}", "small"),
        Spacer(1, 4 * mm),
        Heading("The decision the board is asked to make", "h2", level=1),
        _t(report.decision_text),
        *verdict_and_status(report),
        Heading("Top priorities", "h2", level=1),
    ]
    for n, f in enumerate(report.priorities, start=1):
        item = [_t(f.text, "question", label=f"{n}."),
                _t(f"{f.severity_label} · {f.basis_text}" + (f" · {f.principle_names}" if f.principles else ""),
                   "answer")]
        if f.action:
            who = f.action_owner or "not assigned"
            item.append(_t(f"{f.action} ({who}{', due ' + f.action_due if f.action_due else ''})", "answer",
                           label="What to do:"))
        out.append(KeepTogether(item))
    if not report.priorities:
        out.append(_t("No findings need action."))
    if report.priorities_more:
        out.append(_t(f"{report.priorities_more} more findings are listed in the full record.", "small"))
    out += [Heading("What the law requires and what DPUP asks as good practice", "h2", level=1),
            _table(["Severity", "Required by law", "DPUP good practice"],
                   [[label, str(law), str(practice)] for label, law, practice in report.basis_rows],
                   [WIDTH * 0.4, WIDTH * 0.3, WIDTH * 0.3])]
    out += [KeepTogether([Heading("Ratings by principle", "h2", level=1), ratings_chart(report)])]
    out.append(Heading("Actions by owner", "h2", level=1))
    if report.owners:
        out.append(_table(["Owner", "Open", "Overdue", "Next due"],
                          [[o.owner, str(o.open), str(o.overdue), o.next_due] for o in report.owners],
                          [WIDTH * 0.4, WIDTH * 0.15, WIDTH * 0.15, WIDTH * 0.3]))
    else:
        out.append(_t("No open actions."))
    if report.overdue:
        out.append(_t("Overdue", "h3"))
        shown = report.overdue[:10]
        out += [_t(f"{a.action} ({a.owner}, due {a.due})", "answer", label="Overdue:") for a in shown]
        if len(report.overdue) > len(shown):
            out.append(_t(f"{len(report.overdue) - len(shown)} more overdue actions are in the full record.", "small"))
    out += [*signoff(report), Spacer(1, 4 * mm), _t(report.disclaimer, "small")]
    return out


__all__ = ["render_brief_pdf", "story"]
