"""Tables of the office's documents: real Word tables, as wide as the text, their header row
repeated on every page and no row split across pages; the columns share the width as their text
asks. A table is written as WordprocessingML and parsed once: python-docx's cell-by-cell calls
took each letter twice as long.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.table import Table

from analysis.publish.document_layout import CELL_MARGINS, TABLE, TEXT_WIDTH, clean, style_id


def table(
    document: Document,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    centred: Sequence[str] = (),
    widths: Sequence[float] | None = None,
) -> Table:
    """A real table, as wide as the text: the header row repeats on every page (w:tblHeader) and no
    row is split across pages (w:cantSplit). Columns share the width as their longest text asks
    (or as `widths` says), in a fixed layout that Word, WPS and LibreOffice all keep.

    Written as WordprocessingML and parsed once: python-docx's cell by cell calls took a letter's
    time twice over. A line break in a cell's text is a line break (w:br)."""
    whole = [i for i, column in enumerate(columns) if column in centred]
    shares = list(widths) if widths is not None else column_shares([columns, *rows], whole=whole)
    rows = [
        [_broken(str(value), shares[i]) if i in whole else value for i, value in enumerate(row)]
        for row in rows
    ]
    margin = 2 * CELL_MARGINS[1][1]
    twips = [margin + int((TEXT_WIDTH - margin * len(shares)) * share / sum(shares)) for share in shares]
    looks = [style_id("Table Number" if column in centred else "Table Text") for column in columns]
    lines = [_row_xml(columns, twips, [style_id("Table Heading")] * len(columns), header=True)]
    lines += [_row_xml(row, twips, looks) for row in rows]
    margins = "".join(f'<w:{side} w:w="{size}" w:type="dxa"/>' for side, size in CELL_MARGINS)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in twips)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style_id("Table Grid")}"/>'
        f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar>{margins}</w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(lines)}</w:tbl>"
    )
    element = parse_xml(xml)
    document.element.body._insert_tbl(element)
    return Table(element, document._body)


def _row_xml(
    values: Sequence[object], twips: Sequence[int], looks: Sequence[str], header: bool = False
) -> str:
    """One table row: not split across pages; the header row repeated on each."""
    cells = []
    for value, width, look in zip(values, twips, looks, strict=True):
        text = "<w:br/>".join(
            f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in clean(str(value)).split("\n")
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{look}"/></w:pPr><w:r>{text}</w:r></w:p></w:tc>'
        )
    properties = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    return f"<w:tr><w:trPr>{properties}</w:trPr>{''.join(cells)}</w:tr>"


def text_width(text: str) -> float:
    """How wide text is, in Chinese characters: a Latin letter or digit is about half one."""
    return sum(1.0 if ord(c) > 0x2E7F else 0.65 for c in text)


PAD, LEAST = 0.3, 8.0  # characters a cell's text is given beyond its own width; a longer piece may break


def column_shares(
    rows: Sequence[Sequence[str]], size: float = TABLE, whole: Sequence[int] = ()
) -> list[float]:
    """Each column's width, in characters of `size`: as wide as its longest text (its header may take
    two lines) when the table fits the text's width; else the widest columns give way first, down to
    one width they all fit under, and none narrower than its longest piece between breaks (up to
    LEAST: a file name or a checksum breaks where it must). The `whole` columns (figures: "33/38
    （86.8%）") keep their full width while the others can give way enough."""
    room = (TEXT_WIDTH - 2 * CELL_MARGINS[1][1] * len(rows[0])) / (size * 20)
    head, *body = rows
    natural = [
        max([_header_width(str(head[i])), *(text_width(str(row[i])) for row in body)]) + PAD
        for i in range(len(head))
    ]
    pieces = [[text_width(piece) for row in body for piece in _pieces(str(row[i]))] for i in range(len(head))]
    least = [
        max(min(LEAST, max(widths)), min(text_width(str(h)), 4.0)) + PAD
        for widths, h in zip(pieces, head, strict=True)
    ]
    kept = [natural[i] if i in whole else least[i] for i in range(len(head))]
    if sum(kept) <= room:
        least = kept
    if sum(natural) <= room:
        return natural
    low, high = 0.0, max(natural)
    for _ in range(30):  # the cap the widest columns are cut to
        cap = (low + high) / 2
        fits = sum(max(min(n, cap), m) for n, m in zip(natural, least, strict=True)) < room
        low, high = (cap, high) if fits else (low, cap)
    return [max(min(n, low), m) for n, m in zip(natural, least, strict=True)]


OPENING = re.compile(r"([（(])")  # where a figure's second part opens: "（86.8%）", "(86.8%)"


def _broken(figure: str, width: float) -> str:
    """A figure too wide for its column broken where it is meant to be: "33/38" over "（86.8%）",
    never "33/3" over "8（86.8%）" as a word processor left to itself may do."""
    return figure if text_width(figure) + PAD <= width else OPENING.sub(r"\n\1", figure)


def _pieces(text: str) -> list[str]:
    """Text cut where a line may break without splitting a figure: at spaces and before '（'."""
    return text.replace("（", " （").split() or [""]


def _header_width(text: str) -> float:
    """What a header asks of its column: a short one its width, a longer one half (two lines)."""
    width = text_width(text)
    return max(min(width, 4.0), width / 2)
