"""Text in the PDFs: ``Text``, the flowable that sets what people typed, and the text styles.

Text is set in DejaVu Sans (``pdf_fonts.py``), so Māori words with macrons render everywhere.

Text typed by people is never parsed as mark-up: it is set with ``Text``, a plain-text flowable
(so ``<para>``, ``<font>`` or ``&amp;`` in a note print as typed), which also breaks words too
long for a line and splits long notes across pages. It exists for speed as well: reportlab's
Paragraph took seconds on an assessment with 5,000-character notes on every answer.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import accumulate, repeat
from operator import add
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from dpup.reports.pdf_fonts import FONT, FONT_BOLD, register_fonts

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 20 * mm
WIDTH = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#505a5f")
BRAND = colors.HexColor("#123e5a")
LINE = colors.HexColor("#b1b4b6")
SOFT = colors.HexColor("#f3f2f1")


# --- User text -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# Characters DejaVu Sans cannot draw would print as empty boxes, which a reader takes for lost text.
# They are replaced with a visible marker instead: te reo Māori macrons, the Pacific ʻokina and most
# European scripts are in the font; most emoji and CJK scripts are not (the web page and the Word
# document keep them, as the reader's own fonts can show them).
EMOJI_MARK = "[emoji]"
OTHER_MARK = "[text the PDF cannot show]"
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")
_COVERED: set[int] = set()


def _covered() -> set[int]:
    """Code points both the regular and the bold face have a glyph for."""
    if not _COVERED:
        register_fonts()
        regular, bold = (set(pdfmetrics.getFont(name).face.charToGlyph) for name in (FONT, FONT_BOLD))
        _COVERED.update(regular & bold)
    return _COVERED


_SPECIAL: list[re.Pattern] = []


def _special() -> re.Pattern:
    """Matches any character ``_paragraphs`` must drop or mark: a control character, or one the
    fonts cannot draw. A 5,000-character note is searched in C, instead of being read a character at
    a time in Python (``set(text)`` alone took about a third of a millisecond)."""
    if not _SPECIAL:
        start, end, ranges = None, None, []
        for code in sorted(c for c in _covered() if c > 0x9f and not _CONTROL.match(chr(c))):
            if code != (end or 0) + 1:
                if start is not None:
                    ranges.append((start, end))
                start = code
            end = code
        if start is not None:
            ranges.append((start, end))
        allowed = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
        _SPECIAL.append(re.compile(f"[^\t\n\r\x20-\x7e{allowed}]"))
    return _SPECIAL[0]


def printable(text: str) -> str:
    """``text`` with what the fonts cannot draw marked: each emoji as [emoji], each run of other
    missing characters once; invisible format characters (zero-width joiners, variation selectors,
    skin-tone modifiers) that have no glyph are dropped."""
    if text.isascii():
        return text
    covered = _covered()
    if all(ord(c) in covered for c in set(text) if c > "\x7f"):  # each distinct character once
        return text
    out, in_other = [], False
    for c in text:
        if c <= "\x7f" or ord(c) in covered:
            out.append(c)
            in_other = in_other and c.isspace()  # "漢字 漢字" is one run, marked once
        elif unicodedata.category(c) == "Cf" or 0x1F3FB <= ord(c) <= 0x1F3FF or 0xFE00 <= ord(c) <= 0xFE0F:
            continue
        elif _EMOJI.match(c):
            out.append(EMOJI_MARK)
            in_other = False
        elif not in_other:
            out.append(OTHER_MARK)
            in_other = True
    return "".join(out)


def esc(text: str) -> str:
    """Plain text to reportlab paragraph mark-up that shows exactly that text (line breaks kept)."""
    text = printable(_CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")))
    return escape(text).replace("\n", "<br/>")


def plain(text: str) -> str:
    """Text drawn straight on the canvas (no mark-up): control characters dropped, one line."""
    return " ".join(printable(_CONTROL.sub("", text or "")).split())


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
        text = self.text or ""
        if _special().search(text):
            text = printable(_CONTROL.sub("", text))
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
            widths = list(map(cache.get, paragraph))
            if None in widths:
                widths = [cache.get(w) or cache.setdefault(w, measure(w, 1.0)) for w in paragraph]
            ends = list(accumulate(map(add, widths, repeat(space)), initial=0.0))  # ends[k]: words before k, each with a space
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
            # It fits after all (laid out again at this width, it can take fewer lines). A table
            # splitting a cell of several flowables expects two pieces, so give an empty second one.
            tail = Text("", replace(self.style, space_before=0, space_after=0, keep_with_next=False), "", _lines=[],
                        _first=False)
            tail._laid_width = availWidth
            return [self, tail]
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

    def wrapOn(self, canv, aW, aH):
        return self.wrap(aW, aH)  # measuring needs no canvas (Flowable.wrapOn sets and unsets one)

    def drawOn(self, canvas, x, y, _sW=0):
        # Writes the text at x y itself, in one q/Q: Flowable.drawOn would also save and restore the
        # canvas's own record of its state and move the origin, and tables draw thousands of cells.
        canvas._code.append(self._operators(canvas, self._hAlignAdjust(x, _sW), y))

    def draw(self):
        self.canv._code.append(self._operators(self.canv, 0, 0))

    def _operators(self, canv, x: float, y: float) -> str:
        """The text as PDF operators, as reportlab's text object would write it less its per-line
        overhead: one BT/ET block, the first line placed with Tm, the next ones with T* (leading)."""
        st, doc = self.style, canv._doc
        prefix, size = _style_operators(st)
        regular, bold = pdfmetrics.getFont(st.font), pdfmetrics.getFont(st.bold)
        regular_table = regular.table_for(doc)
        top = y + self.height - st.size
        first_x = x + st.left_indent + (st.first_indent if self._first else 0)
        code = [prefix, f"1 0 0 1 {fp_str(first_x, top)} Tm"]
        add, current, current_subset = code.append, None, -1
        lines = self._lines
        # Every line after the first in one string when the table knows all their characters (the
        # usual case): only the first line can have a label.
        rest = None if len(lines) < 2 or any(label for label, _ in lines[1:]) else \
            regular.pdf_lines([text for _, text in lines[1:]], doc, regular_table)
        for i, (label, text) in enumerate(lines):
            if i == 1 and first_x != x + st.left_indent:
                add(f"1 0 0 1 {fp_str(x + st.left_indent, top - st.leading)} Tm")
            elif i:
                add("T*")
            if i == 1 and rest is not None:
                if current is not regular or current_subset != 0:
                    add(f"{regular.resource_name(0, doc, regular_table)} {size} Tf")
                add(f"({rest}) Tj")
                break
            for font, run in ((bold, label + " "), (regular, text)) if label else ((regular, text),):
                table = font.table_for(doc)
                for subset, data in font.pdf_strings(run, doc, table):
                    if font is not current or subset != current_subset:
                        add(f"{font.resource_name(subset, doc, table)} {size} Tf")
                        current, current_subset = font, subset
                    add(f"({data}) Tj")
        add("ET Q")
        return "\n".join(code)


_STYLE_OPERATORS: dict[int, tuple] = {}


def _style_operators(style: TextStyle) -> tuple[str, str]:
    """The operators that start a text of ``style`` (its colour and leading) and its size, written
    once per style rather than once per text."""
    found = _STYLE_OPERATORS.get(id(style))
    if found is None or found[0] is not style:  # (a style of the same id since collected)
        if len(_STYLE_OPERATORS) > 1000:
            _STYLE_OPERATORS.clear()
        colour = style.colour
        found = _STYLE_OPERATORS[id(style)] = (
            style, f"q BT {fp_str(colour.red, colour.green, colour.blue)} rg {fp_str(style.leading)} TL",
            fp_str(style.size))
    return found[1], found[2]


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
