"""The report as a PDF, laid out with reportlab's Platypus.

A cover, the executive summary with a chart of the ratings per principle (drawn with
reportlab.graphics), findings and actions as tables that split across pages with their header row
repeated, a sign-off block and an appendix of every answer. Every page says "Page N of M"; the
document carries its title, author, subject and language (en-NZ), and an outline by section.

Text is set in DejaVu Sans, shipped in ``fonts/`` with its licence and embedded (subset), so Māori
words with macrons render everywhere; the 14 base PDF fonts are never used. Like the other
renderers this one decides nothing: it lays out the report model.

Text typed by people is never parsed as mark-up: it is set with ``Text``, a plain-text flowable
(so ``<para>``, ``<font>`` or ``&amp;`` in a note print as typed), which also breaks words too
long for a line and splits long notes across pages. It exists for speed as well: reportlab's
Paragraph took seconds on an assessment with 5,000-character notes on every answer. The few
headings that are Paragraphs go through ``esc()`` (XML escaping).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from io import BytesIO
from itertools import accumulate, groupby
from pathlib import Path
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dpup.reports.model import Report

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: FONTS_DIR / "DejaVuSans.ttf", FONT_BOLD: FONTS_DIR / "DejaVuSans-Bold.ttf"}

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 20 * mm
WIDTH = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#505a5f")
BRAND = colors.HexColor("#123e5a")
LINE = colors.HexColor("#b1b4b6")
SOFT = colors.HexColor("#f3f2f1")
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


class WordCachedTTFont(TTFont):
    """A TrueType font that can encode text a word at a time, remembering each word per document.

    reportlab maps every character to its subset code in Python, which was most of the time a long
    report took. A report repeats the same words, so ``encode`` maps each distinct word once (with
    reportlab's own ``splitString``, so subsets are assigned exactly as usual) and joins the words
    with byte 32, which is a space in every subset.
    """

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self._words: WeakKeyDictionary = WeakKeyDictionary()

    def words_for(self, doc) -> dict:
        words = self._words.get(doc)
        if words is None:
            words = self._words[doc] = {}
        return words

    def encode(self, text: str, doc, words: dict | None = None) -> list[tuple[int, bytes]]:
        """``text`` as (subset, bytes) runs, as ``splitString`` gives; pass ``words_for(doc)`` in loops.

        ``words`` holds only words wholly in the first subset (nearly all of them); any other word
        takes the slow path each time.
        """
        if words is None:
            words = self.words_for(doc)
        split = text.split(" ")
        parts = [words.get(word) for word in split]
        if None not in parts:
            return [(0, b" ".join(parts))]
        for k, word in enumerate(split):
            if parts[k] is None:
                pieces = self.splitString(word, doc)
                if not pieces:
                    parts[k] = words[word] = b""
                elif len(pieces) == 1 and pieces[0][0] == 0:
                    parts[k] = words[word] = pieces[0][1]
                else:
                    parts[k] = pieces
        out: list[list] = []  # merge runs of the same subset
        for i, found in enumerate(parts):
            pieces = [(0, found)] if found.__class__ is bytes else found
            for subset, data in ([(0, b" ")] if i else []) + pieces:
                if out and out[-1][0] == subset:
                    out[-1][1] += data
                else:
                    out.append([subset, bytearray(data)])
        return [(subset, bytes(data)) for subset, data in out]


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) once, and make <b> use the bold face."""
    registered = pdfmetrics.getRegisteredFontNames()
    if all(name in registered and isinstance(pdfmetrics.getFont(name), WordCachedTTFont) for name in FONT_FILES):
        return
    for name, path in FONT_FILES.items():
        pdfmetrics.registerFont(WordCachedTTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


# --- User text -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def esc(text: str) -> str:
    """Plain text to reportlab paragraph mark-up that shows exactly that text (line breaks kept)."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return escape(text).replace("\n", "<br/>")


def plain(text: str) -> str:
    """Text drawn straight on the canvas (no mark-up): control characters dropped, one line."""
    return " ".join(_CONTROL.sub("", text or "").split())


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

# --- Flowables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextStyle:
    font: str = FONT
    bold: str = FONT_BOLD
    size: float = 9.5
    leading: float = 13.5
    colour: object = INK
    left_indent: float = 0
    first_indent: float = 0  # added to left_indent on the first line: negative for a hanging number
    space_before: float = 0
    space_after: float = 0
    keep_with_next: bool = False


_WIDTHS: dict[str, dict[str, float]] = {}


def _widths(font: str) -> dict[str, float]:
    """Word widths at 1 pt for ``font``, cached: a report repeats the same words thousands of times."""
    found = _WIDTHS.get(font)
    if found is None or len(found) > 100_000:
        found = _WIDTHS[font] = {}
    return found


_SHORT_LAYOUTS: dict[tuple, list[tuple[str, str]]] = {}


class Text(Flowable):
    """Plain text in one font, with an optional bold label before it: "Note: what was typed".

    The text is never parsed as mark-up, so anything a person typed shows as typed. Lines break
    at spaces (and inside a word longer than the line), line breaks in the text are kept, and a
    long text splits across pages. It does the work of a Paragraph for plain text many times
    faster, because word widths are cached and a layout is reused while the width is the same
    (tables ask for it several times).
    """

    def __init__(self, text: str, style: TextStyle, label: str = "", *, _lines=None, _first: bool = True):
        super().__init__()
        self.text, self.style, self.label = text, style, label
        self.spaceBefore, self.spaceAfter, self.keepWithNext = style.space_before, style.space_after, style.keep_with_next
        self._first = _first
        self._lines: list[tuple[str, str]] | None = _lines
        self._laid_width = None if _lines is None else -1.0

    def _paragraphs(self) -> list[list[str]]:
        paragraphs, blank = [], True
        text = _CONTROL.sub("", self.text or "")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        for line in text.split("\n"):
            words = line.split()
            if words or not blank:
                paragraphs.append(words)
            blank = not words
        while paragraphs and not paragraphs[-1]:
            paragraphs.pop()
        return paragraphs or [[]]

    def _layout(self, width: float) -> list[tuple[str, str]]:
        """Greedy line breaking: as many words as fit on each line, found by bisecting running widths."""
        st = self.style
        size, font = st.size, st.font
        cache, measure = _widths(font), pdfmetrics.getFont(font).stringWidth
        space = measure(" ", 1.0)
        rest = width - st.left_indent
        avail = rest - (st.first_indent if self._first else 0)
        lines: list[tuple[str, str]] = []
        label = plain(self.label)
        used = (pdfmetrics.stringWidth(label, st.bold, size) + space * size) if label else 0.0  # label and a space
        for paragraph in self._paragraphs():
            widths = [cache.get(w) or cache.setdefault(w, measure(w, 1.0)) for w in paragraph]
            ends = [0.0, *accumulate(w + space for w in widths)]  # ends[k]: words before k, each with a space
            n, i, carried, emitted = len(paragraph), 0, [], False
            while i < n:
                room = (avail - used) / size + space + 0.001
                j = bisect_right(ends, ends[i] + room, i + 1, n + 1) - 1
                if j > i:  # words i..j-1 fit after what the line already holds
                    lines.append((label, " ".join([*carried, *paragraph[i:j]])))
                    label, used, avail, carried, emitted, i = "", 0.0, rest, [], True, j
                elif carried or label:  # the next word does not fit: start a new line
                    lines.append((label, " ".join(carried)))
                    label, used, avail, carried, emitted = "", 0.0, rest, [], True
                else:  # a word longer than the line: break it where it reaches the edge
                    chunk, cw = "", 0.0
                    for ch in paragraph[i]:
                        chw = measure(ch, size)
                        if chunk and cw + chw > avail:
                            lines.append(("", chunk))
                            avail, emitted, chunk, cw = rest, True, ch, chw
                        else:
                            chunk, cw = chunk + ch, cw + chw
                    carried, used, i = [chunk], cw + space * size, i + 1
            if carried or label or not emitted:
                lines.append((label, " ".join(carried)))
                label, used, avail = "", 0.0, rest
        return lines

    def wrap(self, availWidth, availHeight):
        if self._laid_width != availWidth:
            if self._laid_width == -1.0:  # a piece of a split text, asked for another width
                self.text = "\n".join(t for _, t in self._lines)
            if len(self.text) <= 200:  # table cells repeat the same short texts: lay each out once
                key = (self.text, self.label, self.style, self._first, availWidth)
                lines = _SHORT_LAYOUTS.get(key)
                if lines is None:
                    if len(_SHORT_LAYOUTS) > 20_000:
                        _SHORT_LAYOUTS.clear()
                    lines = _SHORT_LAYOUTS[key] = self._layout(availWidth)
                self._lines = lines
            else:
                self._lines = self._layout(availWidth)
            self._laid_width = availWidth
        self.width, self.height = availWidth, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        lines = self._lines
        fit = int((availHeight + 0.001) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if len(lines) - fit < 2 and fit > 2:
            fit -= 1  # no single line left alone at the top of the next page
        if fit < 2:
            return []
        head_style = replace(self.style, space_after=0, keep_with_next=False)
        tail_style = replace(self.style, space_before=0)
        head = Text(self.text, head_style, self.label, _lines=lines[:fit], _first=self._first)
        tail = Text("", tail_style, "", _lines=lines[fit:], _first=False)
        head._laid_width = tail._laid_width = availWidth
        return [head, tail]

    def draw(self):
        # Writes the text operators directly, as reportlab's text object would less its per-line
        # overhead: one BT/ET block, the first line placed with Tm, the next ones with T* (leading).
        st, canv = self.style, self.canv
        doc, code = canv._doc, []
        regular, bold = pdfmetrics.getFont(st.font), pdfmetrics.getFont(st.bold)
        regular_words, bold_words = regular.words_for(doc), bold.words_for(doc)
        size, escape_pdf, current = fp_str(st.size), canv._escape, None
        add = code.append
        colour, top = st.colour, self.height - st.size
        add(f"BT {fp_str(colour.red, colour.green, colour.blue)} rg {fp_str(st.leading)} TL")  # q/Q restores
        first_x = st.left_indent + (st.first_indent if self._first else 0)
        add(f"1 0 0 1 {fp_str(first_x)} {fp_str(top)} Tm")
        for i, (label, text) in enumerate(self._lines):
            if i == 1 and first_x != st.left_indent:
                add(f"1 0 0 1 {fp_str(st.left_indent)} {fp_str(top - st.leading)} Tm")
            elif i:
                add("T*")
            for font, words, run in ((bold, bold_words, label + " "), (regular, regular_words, text)) if label \
                    else ((regular, regular_words, text),):
                for subset, data in font.encode(run, doc, words):
                    if (font, subset) != current:
                        add(f"{font.getSubsetInternalName(subset, doc)} {size} Tf")
                        current = (font, subset)
                    add(f"({escape_pdf(data)}) Tj")
        add("ET")
        canv._code.append("\n".join(code))


# Text styles, for everything else (and all text typed by people).
T = {
    "body": TextStyle(space_after=5),
    "lead": TextStyle(size=12, leading=16.5, space_after=8),
    "small": TextStyle(size=8, leading=10.5, colour=MUTED),
    "cell": TextStyle(size=8.5, leading=11),
    "cell_head": TextStyle(font=FONT_BOLD, size=8.5, leading=11, colour=colors.white),
    "h3": TextStyle(font=FONT_BOLD, size=10.5, leading=14, space_before=8, space_after=3, keep_with_next=True),
    "question": TextStyle(font=FONT_BOLD, leading=13, space_before=7, space_after=2, keep_with_next=True,
                          left_indent=16, first_indent=-16),
    "answer": TextStyle(left_indent=16, space_after=2),
    "bullet": TextStyle(left_indent=28, first_indent=-10, space_after=1),
    "cover_title": TextStyle(font=FONT_BOLD, size=24, leading=30, colour=BRAND, space_before=6, space_after=10),
    "cover_org": TextStyle(size=14, leading=19, space_after=18),
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


def _table(header: list[str], rows: list[list], widths: list[float], colours: list | None = None) -> Table:
    """A table with a header row repeated on every page it runs onto; ``colours`` marks each row's left edge."""
    data = [[_t(h, "cell_head") for h in header]]
    data += [[c if isinstance(c, (Flowable, list)) else _t(str(c), "cell") for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1, hAlign="LEFT")
    style = [
        FONT_CMD,
        ("BACKGROUND", (0, 0), (-1, 0), BRAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SOFT]),
    ]
    start = 1
    for colour, run in groupby(colours or ()):  # one command per run of rows of one colour
        count = len(list(run))
        style.append(("LINEBEFORE", (0, start), (0, start + count - 1), 3, colour))
        start += count
    table.setStyle(TableStyle(style))
    return table


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
    """drawString for page furniture drawn on every page, with the font's cached word encoding."""
    font = pdfmetrics.getFont(font_name)
    if right:
        x -= pdfmetrics.stringWidth(text, font_name, size)
    doc = canv._doc
    ops = [f"q BT {fp_str(*colour.rgb())} rg 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm"]
    for subset, data in font.encode(text, doc):
        ops.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf ({canv._escape(data)}) Tj")
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
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        _rule(self, MARGIN_BOTTOM - 6 * mm)
        y = MARGIN_BOTTOM - 10 * mm
        _draw_string(self, MARGIN_X, y, self._footer_left, FONT, 7.5, MUTED)
        _draw_string(self, PAGE_W - MARGIN_X, y, f"Page {self._pageNumber} of {total}", FONT, 7.5, MUTED, right=True)


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
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, PAGE_H - MARGIN_BOTTOM - 60 * mm, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self._cover_page),
            PageTemplate("body", [frame], onPage=self._body_page),
        ])
        self._bookmarks = 0
        half = WIDTH / 2 - 10
        self._header_left = _fit(report.title, FONT, 7.5, half)
        self._header_right = _fit(report.organisation, FONT, 7.5, half)

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
        y = PAGE_H - MARGIN_TOP + 8 * mm
        _draw_string(canvas, MARGIN_X, y, self._header_left, FONT, 7.5, MUTED)
        _draw_string(canvas, PAGE_W - MARGIN_X, y, self._header_right, FONT, 7.5, MUTED, right=True)
        _rule(canvas, y - 2.5 * mm)

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading) and flowable.outline_level is not None:
            self._bookmarks += 1
            key = f"h{self._bookmarks}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level,
                                      closed=flowable.outline_level > 0)


# --- The document ----------------------------------------------------------------------------


def render_pdf(report: Report, story=None, kicker: str = "Full record") -> bytes:
    """The full record, or with ``story`` (pdf_brief.story) another document of the same report."""
    register_fonts()
    buffer = BytesIO()
    doc = ReportDoc(buffer, report)
    footer = _fit(f"{kicker} · {plain(report.title)} · {plain(report.organisation)}", FONT, 7.5, WIDTH - 80)
    doc.build((story or _story)(report), canvasmaker=lambda *a, **k: NumberedCanvas(*a, footer_left=footer, **k))
    return buffer.getvalue()


def _story(report: Report) -> list[Flowable]:
    return [
        *_cover(report),
        NextPageTemplate("body"), PageBreak(),
        *_summary(report),
        *_findings(report),
        *_actions(report),
        *_signoff(report),
        *_history(report),
        *_appendix(report),
    ]


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


def _signoff(report: Report) -> list[Flowable]:
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


def _appendix(report: Report) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), Heading("Appendix: every answer", "h1", level=0),
                           _t("Each answer on the path taken, with its reason and note, as recorded. "
                              "Answers given on branches no longer in use are listed after each tree.")]
    for s in report.sections:
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
        if row.note:
            out.append(_t(row.note, "answer", label="Note:"))
    return out
