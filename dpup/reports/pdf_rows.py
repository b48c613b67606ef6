"""The PDFs' tables of rows (findings, actions, history, ratings): ``Rows``, a flowable that lays
out and draws what reportlab's Table did for them, several times faster.

A report's tables are simple: fixed column widths, cells that are lists of flowables (almost always
``Text``), a header row repeated on every page, alternate rows shaded, a rule below every row and a
coloured edge on the left of each row. reportlab's Table handles spans, styles per cell and much
more, and paid for it on every row: a third of the full record's time. ``Rows`` keeps what a reader
sees (the same padding, colours and rules, rows split between pages as before) and measures each
row once.
"""

from __future__ import annotations

from itertools import groupby

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

from dpup.reports.pdf_text import BRAND, LINE, SOFT

PAD_TOP, PAD_BOTTOM, PAD_X = 3.5, 4.0, 4.0
RULE_WIDTH, EDGE_WIDTH = 0.4, 3
ROW_SHADES = (colors.white, SOFT)  # the first row after the header is white, the next shaded, and so on


def _cell_height(cell: list[Flowable], width: float, canv) -> float:
    """The height of a cell's flowables stacked, as reportlab's Table measures it: the space before
    the first and after the last do not count."""
    total, first_before, after = 0.0, None, 0.0
    for flowable in cell:
        _, height = flowable.wrapOn(canv, width, 72000)
        before, after = flowable.getSpaceBefore(), flowable.getSpaceAfter()
        total += height + before + after
        if first_before is None:
            first_before = before
    return total - (first_before or 0.0) - after if cell else 0.0


def _split_cell(cell: list[Flowable], width: float, height: float, canv) -> tuple[list, list] | None:
    """The cell's flowables that fit in ``height`` and the rest, the one that reaches the edge split
    between them (None when not even the first can be split to fit)."""
    top, rest, used = [], [], 0.0
    for i, flowable in enumerate(cell):
        _, h = flowable.wrapOn(canv, width, 72000)
        before = flowable.getSpaceBefore()
        if used + h + before <= height:
            top.append(flowable)
            used += h + before + flowable.getSpaceAfter()
            continue
        pieces = flowable.split(width, height - used - before)
        if pieces:
            top.append(pieces[0])
            rest.extend(pieces[1:])
        elif not top:
            return None
        else:
            rest.append(flowable)
        rest.extend(cell[i + 1:])
        break
    return top, rest


class Rows(Flowable):
    """A table of ``rows`` under a ``header`` row, each cell a list of flowables; ``edges`` colours
    each row's left edge. It splits between rows, repeating the header on each page, and a row too
    tall for what is left of a page at the top of the table splits inside its cells."""

    def __init__(self, header: list[list[Flowable]], rows: list[list[list[Flowable]]], widths: list[float],
                 edges: list | None = None, *, first: int = 0, heights: tuple[float, list[float]] | None = None):
        super().__init__()
        self.header, self.rows, self.widths = header, rows, list(widths)
        self.edges = list(edges) if edges else [None] * len(rows)
        self.first = first  # this piece's first row in the whole table: shading alternates across pages
        self.hAlign = "LEFT"
        self._heights = heights

    def _row_height(self, row: list[list[Flowable]]) -> float:
        canv = getattr(self, "canv", None)
        content = max((_cell_height(cell, width - 2 * PAD_X, canv) for cell, width in zip(row, self.widths)),
                      default=0.0)
        return content + PAD_TOP + PAD_BOTTOM

    def _measure(self) -> tuple[float, list[float]]:
        if self._heights is None:
            self._heights = (self._row_height(self.header), [self._row_height(row) for row in self.rows])
        return self._heights

    def wrap(self, availWidth, availHeight):
        header, rows = self._measure()
        self.width, self.height = sum(self.widths), header + sum(rows)
        return self.width, self.height

    def _piece(self, rows, edges, first, heights) -> Rows:
        return Rows(self.header, rows, self.widths, edges, first=first, heights=(self._heights[0], heights))

    def split(self, availWidth, availHeight):
        header, heights = self._measure()
        room, used, fit = availHeight - header, 0.0, 0
        for height in heights:
            if used + height > room:
                break
            used, fit = used + height, fit + 1
        if fit == len(heights):
            return [self]
        if fit:
            return [self._piece(self.rows[:fit], self.edges[:fit], self.first, heights[:fit]),
                    self._piece(self.rows[fit:], self.edges[fit:], self.first + fit, heights[fit:])]
        return self._split_first_row(room)

    def _split_first_row(self, room: float) -> list[Flowable]:
        """The first row's cells split to fill ``room``, the rest of each cell in a row of its own
        on the next page (with the same shade and edge, so it reads as the same row)."""
        if not self.rows or room - PAD_TOP <= 0:
            return []
        canv = getattr(self, "canv", None)
        tops, rests = [], []
        for cell, width in zip(self.rows[0], self.widths):  # as reportlab did: text may run into the bottom padding
            pieces = _split_cell(cell, width - 2 * PAD_X, room - PAD_TOP, canv)
            if pieces is None:
                return []
            tops.append(pieces[0])
            rests.append(pieces[1])
        if not any(rests):
            return []
        edge = self.edges[0]
        head = Rows(self.header, [tops], self.widths, [edge], first=self.first,
                    heights=(self._heights[0], [min(room, self._row_height(tops))]))
        tail = Rows(self.header, [rests, *self.rows[1:]], self.widths, [edge, *self.edges[1:]], first=self.first,
                    heights=(self._heights[0], [self._row_height(rests), *self._heights[1][1:]]))
        return [head, tail]

    def draw(self):
        header_height, heights = self._measure()
        canv, widths, total = self.canv, self.widths, sum(self.widths)
        rows = [(self.header, header_height, BRAND, None)]
        for n, (row, height, edge) in enumerate(zip(self.rows, heights, self.edges)):
            rows.append((row, height, ROW_SHADES[(self.first + n) % 2], edge))
        code, top, tops = [], self.height, []
        for _, height, shade, _ in rows:  # backgrounds first, then the text, then the rules over them
            tops.append(top)
            if shade is not colors.white:
                code.append(f"{fp_str(*shade.rgb())} rg 0 {fp_str(top - height)} {fp_str(total)} {fp_str(height)} re f")
            top -= height
        canv._code.append("\n".join(code))
        for (row, _, _, _), top in zip(rows, tops):
            x = 0.0
            for cell, width in zip(row, widths):
                y = top - PAD_TOP + (cell[0].getSpaceBefore() if cell else 0)
                for flowable in cell:
                    y -= flowable.getSpaceBefore()
                    _, height = flowable.wrapOn(canv, width - 2 * PAD_X, 72000)
                    y -= height
                    flowable.drawOn(canv, x + PAD_X, y)
                    y -= flowable.getSpaceAfter()
                x += width
        code = [f"1 J 1 j {fp_str(*LINE.rgb())} RG {fp_str(RULE_WIDTH)} w"]
        code += [f"0 {fp_str(top - height)} m {fp_str(total)} {fp_str(top - height)} l"
                 for (_, height, _, _), top in zip(rows, tops)]
        code.append("S")
        n = 1
        for edge, run in groupby(rows[1:], key=lambda row: row[3]):
            count = len(list(run))
            if edge is not None:
                code.append(f"{fp_str(EDGE_WIDTH)} w {fp_str(*edge.rgb())} RG 0 {fp_str(tops[n])} m "
                            f"0 {fp_str(tops[n + count - 1] - rows[n + count - 1][1])} l S")
            n += count
        canv._code.append("\n".join(code))
