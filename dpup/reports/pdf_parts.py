"""The PDFs' shared building blocks: headings, tables, the ratings chart, the page furniture
("Page N of M", running headers, the outline), the verdict and review-status boxes and the sign-off.
The full record (``pdf.py``) and the board brief (``pdf_brief.py``) are stories built from these;
like every renderer they decide nothing, they lay out the report model.

The few headings that are Paragraphs go through ``esc()`` (XML escaping); everything else is
``Text`` (``pdf_text.py``), which never parses mark-up.
"""

from __future__ import annotations

from copy import copy
from io import BytesIO

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dpup.reports.pdf_rows import Rows
from dpup.reports.pdf_text import (
    BRAND,
    FONT,
    FONT_BOLD,
    INK,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_H,
    PAGE_W,
    SOFT,
    T,
    Text,
    WIDTH,
    esc,
    plain,
    register_fonts,
)
from dpup.reports.rows import Report

# Page streams are compressed (Flate) but not also ASCII85-encoded, reportlab's default: that made
# every page a quarter larger for nothing (the PDFs are binary downloads) and took time to encode.
rl_config.useA85 = 0

SEVERITY_COLOURS = {
    "Stop": colors.HexColor("#a4151c"),
    "Seek advice first": colors.HexColor("#7a1f5c"),
    "Action required": colors.HexColor("#8a4b00"),
    "Advisory": colors.HexColor("#0b4f8a"),
    "Information": colors.HexColor("#505a5f"),
    "Recommended": colors.HexColor("#505a5f"),
}
RATING_COLOURS = {
    "Strong": colors.HexColor("#0b6b3a"),
    "Good, with improvements": colors.HexColor("#4f8a2b"),
    "Needs action": colors.HexColor("#b35c00"),
    "Serious concern": colors.HexColor("#a4151c"),
    "Not assessed": colors.HexColor("#b1b4b6"),
}


# --- Styles ----------------------------------------------------------------------------------


def _style(name: str, **kw) -> ParagraphStyle:
    base = {"fontName": FONT, "fontSize": 9.5, "leading": 13.5, "textColor": INK, "alignment": TA_LEFT,
            "splitLongWords": 1, "allowWidows": 0, "allowOrphans": 0}
    base.update(kw)
    return ParagraphStyle(name, **base)


# Paragraph styles, for headings and the few lines of our own wording.
S = {
    "body": _style("body", spaceAfter=5),
    "h1": _style("h1", fontName=FONT_BOLD, fontSize=18, leading=23, textColor=BRAND, spaceBefore=14, spaceAfter=8,
                 keepWithNext=1),
    "h2": _style("h2", fontName=FONT_BOLD, fontSize=13, leading=17, textColor=BRAND, spaceBefore=10, spaceAfter=5,
                 keepWithNext=1),
    "h3": _style("h3", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3, keepWithNext=1),
    "cover_kicker": _style("cover_kicker", fontName=FONT_BOLD, fontSize=11, leading=15, textColor=MUTED),
}


class Heading(Paragraph):
    """A heading that adds itself to the PDF outline (bookmarks) when it is placed on a page."""

    def __init__(self, text: str, style: str, level: int | None = None):
        super().__init__(esc(text), S[style])
        self.outline_text = plain(text)
        self.outline_level = level


# Tables select a font for each cell even when it holds a flowable: make it ours, not Helvetica.
FONT_CMD = ("FONTNAME", (0, 0), (-1, -1), FONT)


def _t(text: str, style: str = "body", label: str = "") -> Text:
    return Text(text, T[style], label)


def _table(header: list[str], rows: list[list], widths: list[float], colours: list | None = None) -> Rows:
    """A table with a header row repeated on every page it runs onto; ``colours`` marks each row's left edge."""
    def cell(value) -> list[Flowable]:
        if isinstance(value, list):
            return value
        return [value if isinstance(value, Flowable) else _t(str(value), "cell")]
    return Rows([[_t(h, "cell_head")] for h in header], [[cell(c) for c in row] for row in rows], widths, colours)


CONCERN_COLOURS = (colors.HexColor("#cfe3d6"), colors.HexColor("#e3a86b"), colors.HexColor("#b35c00"),
                   colors.HexColor("#7a0c11"))
CONCERN_AXIS = ("No concern", "Some", "Needs action", "Serious concern")


def ratings_chart(report: Report) -> Drawing:
    """A horizontal bar per principle: the longer and darker, the worse (more concern); an axis above
    and the rating in words after each bar; "Not assessed" has no bar."""
    ratings = report.principle_ratings
    row_h, label_w, value_w, axis_h, foot_h = 20, 120, 118, 16, 14
    bar_w = WIDTH - label_w - value_w
    height = axis_h + foot_h + row_h * max(len(ratings), 1)
    d = Drawing(WIDTH, height, initialFontName=FONT)  # else the renderer selects Helvetica first
    step = bar_w / 3
    for i, name in enumerate(CONCERN_AXIS):
        x = label_w + i * step
        d.add(Line(x, foot_h, x, height - axis_h + 2, strokeColor=LINE, strokeWidth=0.4, strokeDashArray=(1, 2)))
        anchor = "start" if i == 0 else ("end" if i == 3 else "middle")
        d.add(String(x, height - axis_h + 5, name, fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor=anchor))
    for n, r in enumerate(ratings):
        y = height - axis_h - (n + 1) * row_h + 5
        d.add(String(label_w - 6, y + 3.5, plain(r.name), fontName=FONT_BOLD, fontSize=8.5, fillColor=INK,
                     textAnchor="end"))
        d.add(Rect(label_w, y, bar_w, 12, fillColor=SOFT, strokeColor=LINE, strokeWidth=0.3))
        if r.concern is not None:
            d.add(Rect(label_w, y, max(step * r.concern, 4), 12, fillColor=CONCERN_COLOURS[r.concern], strokeColor=None))
        d.add(String(label_w + bar_w + 6, y + 3.5, r.rating, fontName=FONT, fontSize=8, fillColor=INK))
    d.add(String(0, 2, "Longer and darker is worse. Each principle is rated from the most serious finding raised "
                       "against it.", fontName=FONT, fontSize=7, fillColor=MUTED))
    return d


# --- Page furniture --------------------------------------------------------------------------


def _fit(text: str, font: str, size: float, width: float) -> str:
    """One line of ``text``, cut short with an ellipsis if it is wider than ``width``."""
    text = plain(text)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[: max(len(text) - max(len(text) // 8, 1), 0)]
    return text + "…"


def _draw_string(canv: Canvas, x: float, y: float, text: str, font_name: str, size: float, colour,
                 right: bool = False) -> None:
    """drawString for page furniture drawn on every page, with the font's translation table."""
    font = pdfmetrics.getFont(font_name)
    if right:
        x -= pdfmetrics.stringWidth(text, font_name, size)
    doc = canv._doc
    ops = [f"q BT {fp_str(*colour.rgb())} rg 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm"]
    for subset, data in font.pdf_strings(text, doc):
        ops.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf ({data}) Tj")
    ops.append("ET Q")
    canv._code.append(" ".join(ops))


def _rule(canv: Canvas, y: float) -> None:
    canv._code.append(f"q {fp_str(*LINE.rgb())} RG .5 w {fp_str(MARGIN_X)} {fp_str(y)} m "
                      f"{fp_str(PAGE_W - MARGIN_X)} {fp_str(y)} l S Q")


class NumberedCanvas(Canvas):
    """Holds every page until the end, then writes "Page N of M" on each (one pass, no rebuild)."""

    def __init__(self, *args, footer_left: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._footer_left = footer_left

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def bookmarkPage(self, key, **kwargs):
        # Pages reach the document only in save(), so name the page this bookmark is really on.
        real = self._doc.pageCounter
        self._doc.pageCounter = len(self._pages) + 1
        try:
            return super().bookmarkPage(key, **kwargs)
        finally:
            self._doc.pageCounter = real

    def save(self):
        total, repeated = len(self._pages), None
        for state in self._pages:
            self.__dict__.update(state)
            repeated = self._footer(total, repeated)
            super().showPage()
        super().save()

    def _footer(self, total: int, repeated: list[str] | None) -> list[str]:
        """Writes the page's footer; ``repeated`` is what the last call returned: the rule and the
        left part, the same on every page, are written once and then repeated."""
        y = MARGIN_BOTTOM - 10 * mm
        if repeated is None:
            start = len(self._code)
            _rule(self, MARGIN_BOTTOM - 6 * mm)
            _draw_string(self, MARGIN_X, y, self._footer_left, FONT, 7.5, MUTED)
            repeated = self._code[start:]
        else:
            self._code.extend(repeated)
        _draw_string(self, PAGE_W - MARGIN_X, y, f"Page {self._pageNumber} of {total}", FONT, 7.5, MUTED, right=True)
        return repeated


class _Frame(Frame):
    """A frame that copies quickly. Platypus deep-copies the frame each time it measures what a
    heading keeps with it (reportlab's ``_listWrapOn``), over a hundred times in a long report; a
    frame's attributes are numbers, strings and lists, so copying each list is enough."""

    def __deepcopy__(self, memo):
        twin = copy(self)
        twin.__dict__ = {k: list(v) if isinstance(v, list) else v for k, v in self.__dict__.items()}
        return twin


class ReportDoc(BaseDocTemplate):
    def __init__(self, buffer, report: Report):
        super().__init__(
            buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=plain(report.title), author=plain(report.assessed_by),
            subject=report.subject, creator="dpup", producer="dpup (reportlab)",
            keywords=["DPUP", "Data Protection and Use Policy", "assessment", plain(report.organisation)],
            lang=report.language, displayDocTitle=1, initialFontName=FONT,
        )
        self.report = report
        frame = _Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = _Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, PAGE_H - MARGIN_BOTTOM - 60 * mm, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self._cover_page),
            PageTemplate("body", [frame], onPage=self._body_page),
        ])
        self._bookmarks = 0
        half = WIDTH / 2 - 10
        self._header_left = _fit(report.title, FONT, 7.5, half)
        self._header_right = _fit(report.organisation, FONT, 7.5, half)
        self._header_code: list[str] | None = None

    def _cover_page(self, canvas: Canvas, doc) -> None:
        canvas.showOutline()  # open the viewer's bookmarks panel
        canvas.saveState()
        canvas.setFillColorRGB(*BRAND.rgb())
        canvas.rect(0, PAGE_H - 42 * mm, PAGE_W, 42 * mm, stroke=0, fill=1)
        canvas.restoreState()
        _draw_string(canvas, MARGIN_X, PAGE_H - 22 * mm, "dpup", FONT_BOLD, 20, colors.white)
        _draw_string(canvas, MARGIN_X, PAGE_H - 30 * mm, "Data Protection and Use Policy (DPUP) assessment report",
                     FONT, 10.5, colors.white)

    def _body_page(self, canvas: Canvas, doc) -> None:
        if self._header_code is None:  # the same on every page: written once, then repeated
            start = len(canvas._code)
            y = PAGE_H - MARGIN_TOP + 8 * mm
            _draw_string(canvas, MARGIN_X, y, self._header_left, FONT, 7.5, MUTED)
            _draw_string(canvas, PAGE_W - MARGIN_X, y, self._header_right, FONT, 7.5, MUTED, right=True)
            _rule(canvas, y - 2.5 * mm)
            self._header_code = canvas._code[start:]
        else:
            canvas._code.extend(self._header_code)

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading) and flowable.outline_level is not None:
            self._bookmarks += 1
            key = f"h{self._bookmarks}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level,
                                      closed=flowable.outline_level > 0)


def render_document(report: Report, story, kicker: str) -> bytes:
    """One of the report's documents as PDF: ``story(report)`` laid out on A4 with the furniture."""
    register_fonts()
    buffer = BytesIO()
    doc = ReportDoc(buffer, report)
    footer = _fit(f"{kicker} · {plain(report.title)} · {plain(report.organisation)}", FONT, 7.5, WIDTH - 80)
    doc.build(story(report), canvasmaker=lambda *a, **k: NumberedCanvas(*a, footer_left=footer, **k))
    return buffer.getvalue()


def verdict_and_status(report: Report) -> list[Flowable]:
    """The verdict on the initiative and the review status, in two labelled boxes, never one line."""
    def box(title: str, body: list[Flowable], edge) -> Table:
        return Table([[[Heading(title, "h2"), *body]]], colWidths=[WIDTH], hAlign="LEFT", style=TableStyle([
            FONT_CMD, ("LINEBEFORE", (0, 0), (0, -1), 4, edge), ("BACKGROUND", (0, 0), (-1, -1), SOFT),
            ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    verdict = [_t(report.summary, "lead")]
    if report.recommendation:
        verdict.append(_t(report.recommendation, "body", label="The privacy officer recommends:"))
    return [box("Our assessment of the initiative", verdict, BRAND), Spacer(1, 3 * mm),
            box("Review status of this assessment", [_t(report.review_status)], MUTED), Spacer(1, 2 * mm)]


def signoff(report: Report) -> list[Flowable]:
    rows = [[_t(label), _t(value)] for label, value in report.signoff_lines]
    table = Table(rows, colWidths=[30 * mm, 110 * mm], rowHeights=[11 * mm, 11 * mm, 11 * mm, 18 * mm],
                  hAlign="LEFT", style=TableStyle([FONT_CMD, ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                                   ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
                                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    extra = [_t("The same person submitted and approved this assessment: no second person reviewed it.")] \
        if report.self_approved else []
    return [KeepTogether([
        Heading("Sign-off", "h1", level=0),
        _t("Reviewed and accepted on behalf of the organisation:"),
        table, *extra,
    ])]
