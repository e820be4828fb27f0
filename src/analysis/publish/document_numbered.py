"""Numbered tables of the report document: a caption ('表1 …') over a real Word table, the tables
counted through the body and its annexes; a column of one value said once under its table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from docx.document import Document

from analysis.publish import document_layout as layout
from analysis.publish import document_tables as word_tables
from analysis.publish.tables import said_once
from analysis.publish.wording import say


@dataclass
class Numbers:
    """How many tables the document has so far: the annexes' tables are numbered after the page's."""

    tables: int = 0

    def next_caption(self, title: str) -> str:
        """'表5 …': the caption of a table the page does not number (an annex's), after those so far."""
        return say("caption.table", number=self.tables + 1, title=title)


def captioned_table(
    document: Document,
    numbers: Numbers,
    caption: str,
    frame: pd.DataFrame,
    centred: tuple[str, ...] = (),
    widths: tuple[float, ...] | None = None,
    once: bool = False,
) -> None:
    """A table of the page's text, cell for cell, under its caption ('表1 …'); `once`: a column with
    one value in every row (统计范围, the year every warning is of) said in a line under it, which
    leaves the other columns their width (`tables.said_once`)."""
    frame, lines = said_once(frame) if once else (frame, [])
    numbers.tables += 1
    layout.caption(document, caption)
    rows = [[str(value) for value in row] for row in frame.itertuples(index=False)]
    word_tables.table(document, [str(c) for c in frame.columns], rows, centred=centred, widths=widths)
    for line in lines:
        layout.paragraph(document, line, "Source").paragraph_format.space_after = 0
