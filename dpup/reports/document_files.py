"""A document draft (a privacy notice, say) as blocks, and as Markdown, Word and PDF files.

The draft is plain text in which lines starting "#", "##" or "###" are headings and lines starting
"- " or "1. " are list items; nothing else is mark-up, and no HTML. ``blocks`` reads that once, and
every format is laid out from the blocks, with what was typed set as plain text: escaped in HTML
(the template) and Markdown, runs of text in Word, the plain-text flowable in the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from dpup.reports.markdown import inline, text
from dpup.reports.pdf_parts import Heading, _t
from dpup.reports.pdf_text import FONT, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, MUTED, plain, printable, register_fonts
from dpup.reports.word import add_text, clean

_HEADING = re.compile(r"^(#{1,3})\s+(.*\S)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*\S)\s*$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*\S)\s*$")


@dataclass(frozen=True)
class Block:
    kind: str  # "h1", "h2", "h3", "p", "ul" or "ol"
    text: str = ""
    items: tuple[str, ...] = ()


def blocks(draft_text: str) -> list[Block]:
    out: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []
    kind = ""

    def flush() -> None:
        nonlocal paragraph, items, kind
        if paragraph:
            out.append(Block("p", "\n".join(paragraph)))
        if items:
            out.append(Block(kind, items=tuple(items)))
        paragraph, items, kind = [], [], ""

    for line in (draft_text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading, bullet, numbered = _HEADING.match(line), _BULLET.match(line), _NUMBERED.match(line)
        if heading:
            flush()
            out.append(Block(f"h{len(heading.group(1))}", heading.group(2)))
        elif bullet or numbered:
            if paragraph or (items and kind != ("ul" if bullet else "ol")):
                flush()
            kind = "ul" if bullet else "ol"
            items.append((bullet or numbered).group(1))
        elif not line.strip():
            flush()
        elif items:  # a line under a list item continues it
            items[-1] += " " + line.strip()
        else:
            paragraph.append(line.strip())
    flush()
    return out


@dataclass(frozen=True)
class DocumentFile:
    """What every file of a draft carries: the document, the organisation, the work and the date."""

    title: str
    organisation: str
    work: str
    date: str
    text: str
    sources: tuple[str, ...] = ()
    licence: str = ""

    @property
    def byline(self) -> str:
        return f"{self.organisation} · {self.work} · {self.date}"


def render_markdown(doc: DocumentFile) -> str:
    lines = [f"*{inline(doc.byline)}*", ""]
    for block in blocks(doc.text):
        if block.kind.startswith("h"):
            lines += [f"{'#' * int(block.kind[1])} {inline(block.text)}", ""]
        elif block.kind == "p":
            lines += [text(block.text).replace("\n", "  \n"), ""]
        else:
            lines += [f"{'-' if block.kind == 'ul' else f'{n}.'} {inline(item)}"
                      for n, item in enumerate(block.items, start=1)] + [""]
    return "\n".join(lines)


def render_docx(doc: DocumentFile) -> bytes:
    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    props = document.core_properties
    props.title, props.author, props.language = clean(doc.title), clean(doc.organisation), "en-NZ"
    byline = document.add_paragraph()
    add_text(byline._p, doc.byline)  # (add_text works on the paragraph's XML element)
    byline.runs[-1].italic = True
    for block in blocks(doc.text):
        if block.kind.startswith("h"):
            add_text(document.add_paragraph(style=f"Heading {block.kind[1]}")._p, block.text)
        elif block.kind == "p":
            add_text(document.add_paragraph()._p, block.text)
        else:
            style = "List Bullet" if block.kind == "ul" else "List Number"
            for item in block.items:
                add_text(document.add_paragraph(style=style)._p, item)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def render_pdf(doc: DocumentFile) -> bytes:
    register_fonts()
    buffer = BytesIO()
    footer = printable(plain(f"{doc.title} · {doc.byline}"))

    def furniture(canvas, page) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 10, footer[:140])
        canvas.drawRightString(A4[0] - MARGIN_X, MARGIN_BOTTOM - 10, f"Page {page.page}")
        canvas.restoreState()

    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                            bottomMargin=MARGIN_BOTTOM + 8, title=plain(doc.title), author=plain(doc.organisation),
                            creator="dpup", producer="dpup (reportlab)", lang="en-NZ", initialFontName=FONT)
    pdf.build(story(doc), onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue()


def story(doc: DocumentFile) -> list[Flowable]:
    out: list[Flowable] = [_t(doc.byline, "small"), Spacer(1, 6)]
    for block in blocks(doc.text):
        if block.kind.startswith("h"):
            out.append(Heading(block.text, {"h1": "h1", "h2": "h2", "h3": "h3"}[block.kind]))
        elif block.kind == "p":
            out.append(_t(block.text))
        else:
            out += [_t(item, "answer", label="•" if block.kind == "ul" else f"{n}.")
                    for n, item in enumerate(block.items, start=1)]
    return out
