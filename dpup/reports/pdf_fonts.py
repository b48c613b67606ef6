"""The PDFs' fonts: DejaVu Sans, shipped in ``fonts/`` with its licence and embedded (subset), so
Māori words with macrons render everywhere; the 14 base PDF fonts are never used. The font class
encodes text for the page quickly (see ``SubsetTableTTFont``).
"""

from __future__ import annotations

from codecs import charmap_build, charmap_encode
from pathlib import Path
from weakref import WeakKeyDictionary, ref

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: FONTS_DIR / "DejaVuSans.ttf", FONT_BOLD: FONTS_DIR / "DejaVuSans-Bold.ttf"}

LINE_BREAK = ") Tj\nT*\n("  # ends a line's string, moves down a line (leading), starts the next


class SubsetTableTTFont(TTFont):
    """A TrueType font that turns a line into a PDF string with two calls into C.

    reportlab maps every character to its subset code in Python, which was most of the time a long
    report took. Nearly every character of a report is in the first subset, so ``pdf_strings``
    keeps, per document, a codec (``codecs.charmap_build``) from each character already given a
    code in that subset to that byte: text made only of such characters is encoded by
    ``charmap_encode`` and escaped by reportlab's ``escapePDF``. Anything else (a character seen
    for the first time, or one in a later subset) goes through reportlab's own ``splitString``, so
    codes are assigned exactly as usual and the PDF is the same, byte for byte.
    """

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self._tables: WeakKeyDictionary = WeakKeyDictionary()
        self._last: tuple = (lambda: None, None)  # (weak reference to a document, its table)

    def table_for(self, doc) -> list:
        """[codec for the first subset, number of assignments it was built from, each subset's
        resource name]. Asked for thousands of times a document: the last document's is kept at hand."""
        last, table = self._last
        if last() is doc:
            return table
        table = self._tables.get(doc)
        if table is None:
            table = self._tables[doc] = [charmap_build("\ufffe" * 256), -1, {}]
        self._last = (ref(doc), table)
        return table

    def resource_name(self, subset: int, doc, table: list) -> str:
        """``getSubsetInternalName``, remembered in ``table`` (the first call registers the font)."""
        names = table[2]
        name = names.get(subset)
        if name is None:
            name = names[subset] = self.getSubsetInternalName(subset, doc)
        return name

    def pdf_strings(self, text: str, doc, table: list | None = None) -> list[tuple[int, str]]:
        """``text`` as (subset, escaped PDF string) runs; pass ``table_for(doc)`` in loops."""
        if table is None:
            table = self.table_for(doc)
        try:
            return [(0, escapePDF(charmap_encode(text, "strict", table[0])[0]))]
        except UnicodeEncodeError:
            pass
        runs = [(subset, escapePDF(data)) for subset, data in self.splitString(text, doc)]
        assignments = self.state[doc].assignments
        if len(assignments) != table[1]:  # new characters got codes: extend the codec
            decoding = ["\ufffe"] * 256
            for code, n in assignments.items():
                if n < 256:
                    decoding[n] = chr(code)
            table[:2] = [charmap_build("".join(decoding)), len(assignments)]
        return runs

    def pdf_lines(self, lines: list[str], doc, table: list) -> str | None:
        """Lines shown one after another ("T*" between them) as one escaped string to put between
        "(" and ") Tj"; None unless the codec knows every character (then ``pdf_strings`` shows
        each line)."""
        try:
            return LINE_BREAK.join([escapePDF(charmap_encode(line, "strict", table[0])[0]) for line in lines])
        except UnicodeEncodeError:
            return None


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) once, and make <b> use the bold face."""
    registered = pdfmetrics.getRegisteredFontNames()
    if all(name in registered and isinstance(pdfmetrics.getFont(name), SubsetTableTTFont) for name in FONT_FILES):
        return
    for name, path in FONT_FILES.items():
        pdfmetrics.registerFont(SubsetTableTTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
