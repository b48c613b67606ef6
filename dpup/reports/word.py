"""The board brief and the full record as Word documents (python-docx), with real headings, lists
and tables, so a privacy officer can edit and comment. Like the other renderers it decides nothing.

Text typed by people goes in as runs of plain text, never parsed: Word has no mark-up to inject.
Characters XML 1.0 cannot hold (control characters) are dropped, since they would break the file.
"""

from __future__ import annotations

import re
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml.etree import SubElement

from dpup.reports.rows import Report

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text or "")


_P, _PPR, _PSTYLE, _R, _RPR, _B, _T, _BR, _TAB, _VAL, _SPACE = (qn(tag) for tag in (
    "w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:b", "w:t", "w:br", "w:tab", "w:val", "xml:space"))


def add_text(p, text: str, bold: bool = False) -> None:
    """A run holding ``text`` (cleaned), line breaks and tabs kept, at the end of the paragraph
    element ``p``. The XML is what python-docx's ``add_run`` and ``run.bold`` make, built with lxml
    directly: python-docx finds each new element's place among its siblings by name (and its
    ``add_run(text)`` adds a character at a time), which was most of the time a full record took."""
    r = SubElement(p, _R)
    if bold:
        SubElement(SubElement(r, _RPR), _B)
    for i, line in enumerate(clean(text).split("\n")):
        if i:
            SubElement(r, _BR)
        for j, part in enumerate(line.split("\t")):
            if j:
                SubElement(r, _TAB)
            if part:
                t = SubElement(r, _T)
                t.text = part
                if len(part.strip()) < len(part):
                    t.set(_SPACE, "preserve")


class _Doc:
    def __init__(self, report: Report, kind: str):
        self.doc = Document()
        self.doc.styles["Normal"].font.name = "Calibri"
        self.doc.styles["Normal"].font.size = Pt(10.5)
        props = self.doc.core_properties
        props.title, props.author = clean(f"{kind}: {report.title}"), clean(report.assessed_by)
        props.subject, props.language = report.subject, report.language

        self._style_ids: dict[str, str] = {}
        self._body = self.doc.element.body
        self._end = self._body.find(qn("w:sectPr"))  # the document's last child: paragraphs go before it

    def _paragraph(self, style: str | None):
        """A new paragraph element in ``style``, placed as python-docx's ``add_paragraph`` places it
        (before the section properties). The style is set by id: python-docx's own ``style=`` looks
        the style up again each time, about 8 ms a paragraph."""
        p = self._body.makeelement(_P)
        self._end.addprevious(p)
        if style:
            if style not in self._style_ids:
                self._style_ids[style] = self.doc.styles[style].style_id
            SubElement(SubElement(p, _PPR), _PSTYLE).set(_VAL, self._style_ids[style])
        return p

    def heading(self, text: str, level: int) -> None:
        add_text(self._paragraph("Title" if level == 0 else f"Heading {level}"), text)

    def para(self, text: str, label: str = "", style: str | None = None) -> None:
        p = self._paragraph(style)
        if label:
            add_text(p, label + " ", bold=True)
        add_text(p, text)

    def bullet(self, text: str, label: str = "") -> None:
        self.para(text, label, "List Bullet")

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        cells = [cell._tc.find(_P) for cell in table._cells]  # one list, row by row: far faster than table.cell(r, c)
        n = len(header)
        for c, h in enumerate(header):
            add_text(cells[c], h, bold=True)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                add_text(cells[r * n + c], str(value))

    def bytes(self) -> bytes:
        out = BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _verdict_and_status(d: _Doc, report: Report) -> None:
    d.heading("Our assessment of the initiative", 1)
    d.para(report.summary)
    if report.recommendation:
        d.para(report.recommendation, "The privacy officer recommends:")
    d.heading("Review status of this assessment", 1)
    d.para(report.review_status)


def _signoff(d: _Doc, report: Report) -> None:
    d.heading("Sign-off", 1)
    d.para("Reviewed and accepted on behalf of the organisation:")
    d.table(["", ""], [[label, value or "_" * 30] for label, value in report.signoff_lines])
    if report.self_approved:
        d.para("The same person submitted and approved this assessment: no second person reviewed it.")


def render_brief_docx(report: Report) -> bytes:
    d = _Doc(report, "Board brief")
    d.heading(f"Board brief: {report.initiative}", 0)
    d.para(f"{report.organisation} · report made {report.generated_text}")
    d.heading("The decision the board is asked to make", 1)
    d.para(report.decision_text)
    _verdict_and_status(d, report)
    d.heading("Top priorities", 1)
    for n, f in enumerate(report.priorities, start=1):
        d.para(f.text, f"{n}.")
        d.para(f"{f.severity_label} · {f.basis_text}" + (f" · {f.principle_names}" if f.principles else ""))
        if f.action:
            d.para(f"{f.action} ({f.action_owner or 'not assigned'}{', due ' + f.action_due if f.action_due else ''})",
                   "What to do:")
    if not report.priorities:
        d.para("No findings need action.")
    if report.priorities_more:
        d.para(f"{report.priorities_more} more findings are listed in the full record.")
    d.heading("What the law requires and what DPUP asks as good practice", 1)
    d.table(["Severity", "Required by law", "DPUP good practice"], [list(map(str, r)) for r in report.basis_rows])
    d.heading("Ratings by principle", 1)
    d.para("Worse is longer: each bar runs from no concern (empty) to serious concern (■■■).")
    d.table(["Principle", "Concern", "Rating"],
            [[r.name, "n/a" if r.concern is None else ("■" * r.concern or "□"), r.rating]
             for r in report.principle_ratings])
    d.heading("Actions by owner", 1)
    if report.owners:
        d.table(["Owner", "Open", "Overdue", "Next due"],
                [[o.owner, str(o.open), str(o.overdue), o.next_due] for o in report.owners])
    else:
        d.para("No open actions.")
    for a in report.overdue:
        d.bullet(f"{a.action} ({a.owner}, due {a.due})", "Overdue:")
    _signoff(d, report)
    d.para(report.disclaimer)
    return d.bytes()


def render_record_docx(report: Report) -> bytes:
    d = _Doc(report, "Full record")
    d.heading(report.title, 0)
    d.table(["", ""], [list(fact) for fact in report.facts])
    if report.description:
        d.para(report.description)
    _verdict_and_status(d, report)
    if report.decision_sought:
        d.para(report.decision_sought, "Decision sought:")
    d.heading("Decision trees used", 1)
    d.table(["Decision tree", "Version", "Outcome"], [[t.title, t.version, t.status] for t in report.trees_used])
    d.heading("Ratings by principle", 1)
    d.table(["Principle", "Rating", "Findings"], [[r.name, r.rating, str(r.findings)] for r in report.principle_ratings])
    d.heading("Findings", 1)
    for group in report.by_severity:
        d.heading(f"{group.label} ({group.count})", 2)
        for f in group.findings:
            d.para(f.text, "Finding:")
            d.para(f.basis_text, "Basis:")
            for q in f.raised_by:
                d.bullet(q, "Raised by:")
            if f.action:
                d.para(f"{f.action}" + (f" ({f.action_status})" if f.action_status else ""), "Action:")
    d.heading("Action plan", 1)
    d.table(["#", "Action", "Owner", "Due", "Status", "Note"],
            [[str(a.number), a.action, a.owner, a.due, a.status_text, " ".join(filter(None, (a.reason, a.note)))]
             for a in report.action_plan])
    _signoff(d, report)
    d.heading("History of changes", 1)
    for h in report.history:
        d.bullet(f"{h.who} · {h.what}", f"{h.when}:")
    d.heading("Appendix: every answer", 1)
    for s in report.answer_sections:
        d.heading(s.title, 2)
        for n, row in enumerate(s.answers, start=1):
            d.para(row.question, f"{n}.")
            if row.several:
                d.para("", "Answer:")
                for v in row.values:
                    d.bullet(v)
            else:
                d.para(row.answer, "Answer:")
            if row.reason:
                d.para(row.reason, "Reason:")
            if row.source:
                d.para(row.source, "From:")
            if row.note:
                d.para(row.note, "Note:")
    d.para(report.disclaimer)
    return d.bytes()
