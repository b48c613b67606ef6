"""The maturity report as a PDF: the board brief (levels by principle, a comparison chart per
section with the previous signed-off year, what moved and why, the roadmap, sign-off), then with
``full`` the full record (every criterion). Built from the PDFs' shared parts; it decides nothing.
Everything people typed goes through ``Text``, which never parses mark-up."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, PageBreak, Spacer

from dpup.reports.maturity_model import MaturityReport, SectionRow
from dpup.reports.pdf_parts import Heading, NumberedCanvas, ReportDoc, _draw_string, _fit, _t, _table
from dpup.reports.pdf_text import (BRAND, FONT, FONT_BOLD, INK, LINE, MARGIN_X, MUTED, PAGE_H, PAGE_W, SOFT, WIDTH,
                                   plain, register_fonts)

THIS_YEAR = BRAND
LAST_YEAR = colors.HexColor("#9aa5ab")


class _MaturityDoc(ReportDoc):
    def _cover_page(self, canvas, doc) -> None:
        """The shared cover band, naming this document rather than an initiative's assessment."""
        canvas.showOutline()
        canvas.saveState()
        canvas.setFillColorRGB(*BRAND.rgb())
        canvas.rect(0, PAGE_H - 42 * mm, PAGE_W, 42 * mm, stroke=0, fill=1)
        canvas.restoreState()
        _draw_string(canvas, MARGIN_X, PAGE_H - 22 * mm, "dpup", FONT_BOLD, 20, colors.white)
        _draw_string(canvas, MARGIN_X, PAGE_H - 30 * mm, "DPUP maturity self-assessment report", FONT, 10.5,
                     colors.white)


def _two_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in at most two lines of ``width``, the second cut short with an ellipsis if need be."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = plain(text)
    if stringWidth(text, font, size) <= width:
        return [text]
    words, first = text.split(), ""
    while words and stringWidth((first + " " + words[0]).strip(), font, size) <= width:
        first = (first + " " + words.pop(0)).strip()
    return [first, _fit(" ".join(words), font, size, width)] if first else [_fit(text, font, size, width)]


def render_maturity_pdf(report: MaturityReport, full: bool = True) -> bytes:
    register_fonts()
    buffer = BytesIO()
    doc = _MaturityDoc(buffer, report)
    kicker = "Maturity report" if full else "Maturity brief"
    footer = _fit(f"{kicker} · {plain(report.title)} · {plain(report.organisation)}", FONT, 7.5, WIDTH - 80)
    doc.build(story(report, full), canvasmaker=lambda *a, **k: NumberedCanvas(*a, footer_left=footer, **k))
    return buffer.getvalue()


class ComparisonChart(Flowable):
    """One row per element and one for the section: this year's bar (dark) over the previous signed-off
    year's (grey), on an axis of the framework's levels; the level in words after each bar; a legend.
    Drawn straight onto the canvas (with the text's cached font encoding): reportlab's graphics shapes
    validate every attribute set, which made five charts cost more than the rest of the brief."""

    def __init__(self, report: MaturityReport, section: SectionRow):
        super().__init__()
        self.labels = report.level_labels
        self.two = report.previous_year is not None
        self.year, self.previous_year = report.year, report.previous_year
        self.rows = [(section.principle + " (section)", section.level), *((e.title, e.level) for e in section.elements)]
        self.row_h, self.label_w, self.value_w, self.axis_h, self.legend_h = 24, 165, 122, 16, 14
        self.height = self.axis_h + self.legend_h + self.row_h * len(self.rows)
        self.width = WIDTH

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        bar_w = WIDTH - self.label_w - self.value_w
        step = bar_w / len(self.labels)
        c.saveState()
        c.setLineWidth(0.4)
        c.setStrokeColor(LINE)
        c.setDash(1, 2)
        for i, name in enumerate(self.labels):  # the axis: where each level ends
            x = self.label_w + (i + 1) * step
            c.line(x, self.legend_h, x, self.height - self.axis_h + 2)
            _draw_string(c, x, self.height - self.axis_h + 5, name, FONT, 7, MUTED, right=True)
        c.setDash()
        c.setLineWidth(0.3)
        for n, (name, level) in enumerate(self.rows):
            top = self.height - self.axis_h - n * self.row_h
            font = FONT_BOLD if n == 0 else FONT
            lines = _two_lines(name, font, 8, self.label_w - 10)
            for k, line in enumerate(lines):
                _draw_string(c, self.label_w - 6, top - 11 + (4.5 if len(lines) == 2 else 0) - 9 * k, line, font, 8,
                             INK, right=True)
            bars = [(level.rank, THIS_YEAR)] + ([(level.previous_rank, LAST_YEAR)] if self.two else [])
            for k, (rank, colour) in enumerate(bars):
                y = top - 13 - k * 9
                c.setFillColor(SOFT)
                c.rect(self.label_w, y, bar_w, 7, stroke=1, fill=1)
                if rank is not None:
                    c.setFillColor(colour)
                    c.rect(self.label_w, y, step * (rank + 1), 7, stroke=0, fill=1)
            _draw_string(c, self.label_w + bar_w + 6, top - 11 + (4.5 if self.two else 0), level.label, FONT, 7.5, INK)
            if self.two:
                _draw_string(c, self.label_w + bar_w + 6, top - 15.5, _fit(f"was {level.previous_label}", FONT, 7,
                                                                         self.value_w - 8), FONT, 7, MUTED)
        c.setFillColor(THIS_YEAR)
        c.rect(0, 3, 8, 6, stroke=0, fill=1)
        _draw_string(c, 11, 3, str(self.year), FONT, 7, INK)
        if self.two:
            c.setFillColor(LAST_YEAR)
            c.rect(45, 3, 8, 6, stroke=0, fill=1)
            _draw_string(c, 56, 3, f"{self.previous_year} (the previous signed-off year)", FONT, 7, INK)
        _draw_string(c, WIDTH, 3, "Longer is more mature. No bar: not rated.", FONT, 7, MUTED, right=True)
        c.restoreState()


def story(report: MaturityReport, full: bool = True) -> list[Flowable]:
    out: list[Flowable] = [
        NextPageTemplate("body"),
        Heading("DPUP maturity self-assessment", "cover_kicker", level=0),
        _t(f"{report.organisation}: {report.year}", "cover_title"),
        _t(f"{report.framework} · report made {report.generated_text}", "small"),
        Spacer(1, 3 * mm),
        _t(report.review_status, "lead"),
        _t(f"{report.rated} of {len(report.criteria)} criteria rated.", "body"),
        Heading("Levels by principle", "h2", level=1),
        _table(["Principle", str(report.year), str(report.previous_year or "Previous year")],
               [[s.title, s.level.label, s.level.previous_label or "No signed-off year to compare"]
                for s in report.sections], [WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2]),
        _t(report.rollup_text, "small", label="How levels roll up:"),
        Heading("Compared with the previous signed-off year" if report.previous_year else "Each section", "h2",
                level=1),
    ]
    if report.previous_year is None:
        out.append(_t("This is the first signed-off self-assessment to compare with: next year's report will show "
                      "what moved.", "small"))
    for section in report.sections:
        out.append(KeepTogether([_t(section.title, "h3"), ComparisonChart(report, section)]))
    out.append(Heading("What moved, and why", "h2", level=1))
    for c in report.moved:
        word = "Up" if c.level.moved == "up" else "Down"
        item = [_t(c.asks, "question", label=f"{word}:"),
                _t(f"{c.level.previous_label} in {report.previous_year} → {c.level.label} in {report.year}", "answer")]
        if c.note:
            item.append(_t(c.note, "answer", label="Why:"))
        out.append(KeepTogether(item))
    if not report.moved:
        out.append(_t("No criterion changed level." if report.previous_year else "Nothing to compare yet."))
    out.append(Heading("Roadmap: where we aim next", "h2", level=1))
    if report.roadmap:
        out.append(_table(["Criterion", "Now", "Aim"], [[c.asks, c.level.label, c.target] for c in report.roadmap],
                          [WIDTH * 0.64, WIDTH * 0.18, WIDTH * 0.18]))
    else:
        out.append(_t("No criterion is below its target."))
    if report.actions:
        out.append(_t("Actions in the register", "h3"))
        out.append(_table(["Action", "Owner", "Due", "Status"],
                          [[a.action, a.owner, a.due, a.status] for a in report.actions],
                          [WIDTH * 0.52, WIDTH * 0.18, WIDTH * 0.15, WIDTH * 0.15]))
    out += _signoff(report)
    if full:
        out += _full_record(report)
    out += [Spacer(1, 4 * mm), _t(report.disclaimer, "small")]
    return out


def _signoff(report: MaturityReport) -> list[Flowable]:
    rows = [[_t(label), _t(value)] for label, value in report.signoff_lines]
    extra = [_t("The same person submitted and approved this self-assessment: no second person reviewed it.")] \
        if report.self_approved else []
    return [KeepTogether([Heading("Sign-off", "h2", level=1),
                          _t("Reviewed and accepted on behalf of the organisation:"),
                          _table(["", ""], rows, [30 * mm, 110 * mm]), *extra])]


def _full_record(report: MaturityReport) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), Heading("The full record", "h1", level=0),
                           _t("What each level means", "h3")]
    out += [_t(summary, "answer", label=f"{label}:") for label, summary in report.levels]
    out.append(_t("Facts from our records", "h3"))
    for heading, lines in report.facts:
        out += [_t(line, "answer", label=f"{heading}:") for line in lines]
    for section in report.sections:
        out.append(Heading(section.title, "h2", level=1))
        for c in section.criteria:
            item = [_t(c.asks, "question", label="•"),
                    _t(f"{c.level.label}" + (f" (was {c.level.previous_label})" if report.previous_year else "")
                       + (f"; aiming for {c.target}" if c.below_target else ""), "answer", label="Level:")]
            if c.level_text:
                item.append(_t(c.level_text, "answer", label="What it looks like:"))
            out.append(KeepTogether(item))
            for text, label in ((c.note, "Why:"), (c.evidence, "Evidence:")):
                if text:
                    out.append(_t(text, "answer", label=label))
            out += [_t(fact, "answer", label="From our records:") for fact in c.facts]
            if c.pmaf:
                out.append(_t(f"Serves the PMAF section {c.pmaf}.", "small"))
    out.append(Heading("Sources", "h2", level=1))
    out += [_t(s, "small") for s in report.sources]
    return out
