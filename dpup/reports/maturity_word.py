"""The maturity report as a Word document (python-docx), from the same report model as the PDF:
real headings and tables a privacy officer can edit. The comparison chart is a table here (level
this year and in the previous signed-off year, and which way it moved), which Word readers can
edit and screen readers read. Typed text goes in as plain runs, never parsed."""

from __future__ import annotations

from dpup.reports.maturity_model import MaturityReport
from dpup.reports.word import _Doc

MOVED = {"up": "Up", "down": "Down", "same": "No change", "": "—"}


def render_maturity_docx(report: MaturityReport, full: bool = True) -> bytes:
    d = _Doc(report, "Maturity report" if full else "Maturity brief")
    d.heading(f"DPUP maturity self-assessment {report.year}: {report.organisation}", 0)
    d.para(f"{report.framework} · report made {report.generated_text}")
    d.para(report.review_status)
    d.para(f"{report.rated} of {len(report.criteria)} criteria rated.")
    d.heading("Levels by principle", 1)
    d.table(["Principle", str(report.year), str(report.previous_year or "Previous year")],
            [[s.title, s.level.label, s.level.previous_label or "No signed-off year to compare"]
             for s in report.sections])
    d.para(report.rollup_text, "How levels roll up:")
    d.heading("Compared with the previous signed-off year" if report.previous_year else "Each section", 1)
    for s in report.sections:
        d.heading(s.title, 2)
        d.table(["", str(report.year), str(report.previous_year or "Previous year"), "Moved"],
                [[f"{s.principle} (section)", s.level.label, s.level.previous_label, MOVED[s.level.moved]]]
                + [[e.title, e.level.label, e.level.previous_label, MOVED[e.level.moved]] for e in s.elements])
    d.heading("What moved, and why", 1)
    for c in report.moved:
        d.bullet(f"{c.asks} {c.level.previous_label} → {c.level.label}." + (f" Why: {c.note}" if c.note else ""),
                 "Up:" if c.level.moved == "up" else "Down:")
    if not report.moved:
        d.para("No criterion changed level." if report.previous_year else "Nothing to compare yet.")
    d.heading("Roadmap: where we aim next", 1)
    if report.roadmap:
        d.table(["Criterion", "Now", "Aim"], [[c.asks, c.level.label, c.target] for c in report.roadmap])
    else:
        d.para("No criterion is below its target.")
    if report.actions:
        d.heading("Actions in the register", 2)
        d.table(["Action", "Owner", "Due", "Status"], [[a.action, a.owner, a.due, a.status] for a in report.actions])
    d.heading("Sign-off", 1)
    d.para("Reviewed and accepted on behalf of the organisation:")
    d.table(["", ""], [[label, value or "_" * 30] for label, value in report.signoff_lines])
    if report.self_approved:
        d.para("The same person submitted and approved this self-assessment: no second person reviewed it.")
    if full:
        _full_record(d, report)
    d.para(report.disclaimer)
    return d.bytes()


def _full_record(d: _Doc, report: MaturityReport) -> None:
    d.heading("The full record", 1)
    d.heading("What each level means", 2)
    for label, summary in report.levels:
        d.bullet(summary, f"{label}:")
    d.heading("Facts from our records", 2)
    for heading, lines in report.facts:
        for line in lines:
            d.bullet(line, f"{heading}:")
    for s in report.sections:
        d.heading(s.title, 2)
        for c in s.criteria:
            d.heading(c.asks, 3)
            d.para(c.level.label + (f" (was {c.level.previous_label})" if report.previous_year else "")
                   + (f"; aiming for {c.target}" if c.below_target else ""), "Level:")
            for text, label in ((c.level_text, "What it looks like:"), (c.note, "Why:"), (c.evidence, "Evidence:")):
                if text:
                    d.para(text, label)
            for fact in c.facts:
                d.bullet(fact, "From our records:")
            if c.pmaf:
                d.para(f"Serves the PMAF section {c.pmaf}.")
    d.heading("Sources", 2)
    for source in report.sources:
        d.bullet(source)
