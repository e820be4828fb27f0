"""Find a sheet's header row and map its columns to the instrument's fields.

A form arrives with title rows above the table, serial-number and remarks columns, and
headers written as each office likes ("单位 名称", "单位名称："); the header is the early row
naming the most fields, and every column it names is found by its header key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.catalogue import Instrument
from analysis.findings import Finding
from analysis.intake.cells import header_key
from analysis.intake.csv_text import HEAD_ROWS
from analysis.intake.raw_sheet import RawSheet, sheet_finding

HEADER_SEARCH_ROWS = 30
assert HEADER_SEARCH_ROWS < HEAD_ROWS, (
    "the header (and the row below it) must be among the rows read cell by cell"
)
# A header row names at least this many fields: a contact list with a 单位名称 column is not the table.
MIN_HEADER_FIELDS = 3


@dataclass
class Table:
    """Where a sheet's table is: the last row of its header and the fields its columns hold."""

    header_row: int
    columns: dict[int, str]  # cell position -> field name
    written: dict[str, str] = field(default_factory=dict)  # field name -> header as written


def header_index(instrument: Instrument) -> dict[str, str | None]:
    """Header key -> field name; None marks recognised columns that are not answers."""
    index: dict[str, str | None] = {header_key(h): None for h in instrument.ignored_headers}
    for spec in instrument.fields:
        index.update({header_key(h): spec.name for h in spec.accepted_headers})
    return index


def locate_table(
    sheet: RawSheet, instrument: Instrument, index: dict[str, str | None]
) -> tuple[Table | None, list[Finding]]:
    """The header row is the early row naming the most fields (at least MIN_HEADER_FIELDS).

    The unit column is not needed to find it, so that a table without one is reported as
    missing that column rather than as having no header at all. A header written over two
    rows (the link names above the questions, the unit column in only one of the rows) is
    read as one: see `_header_cells`.
    """
    early = sheet.rows[:HEADER_SEARCH_ROWS]
    best: tuple[int, int] | None = None  # (index in early, fields named)
    for i, (_, cells) in enumerate(early):
        hits = len(_fields_named(cells, index))
        if hits >= MIN_HEADER_FIELDS and (best is None or hits > best[1]):
            best = (i, hits)
    if best is None:
        return None, []
    number = early[best[0]][0]
    last_row, cells = _header_cells(early, best[0], index)
    table, findings = Table(last_row, {}), []
    for position, text in enumerate(cells):
        if not text.strip():
            continue
        key = header_key(text)
        name = index.get(key, "")
        if name is None:
            continue
        if name == "":
            findings.append(
                sheet_finding(
                    sheet, row=number, column=text, severity="warning",
                    expected="a column of the instrument; this column is ignored", kind="unknown_column",
                )
            )
        elif name in table.written:
            findings.append(
                sheet_finding(
                    sheet, row=number, column=text, severity="error",
                    expected=f"one column for {name}, but {table.written[name]!r} names it too",
                    kind="duplicate_column",
                )
            )
        else:
            table.columns[position] = name
            table.written[name] = text
    for spec in instrument.fields:
        if spec.required and spec.name not in table.written:
            findings.append(
                sheet_finding(
                    sheet, row=number, severity="error",
                    expected=f"a column {spec.label_zh} ({spec.name}); it is missing from the header row",
                    kind="missing_column",
                )
            )
    return table, findings


def _fields_named(cells: tuple[str, ...], index: dict[str, str | None]) -> dict[int, str]:
    """Cell position -> the field its text names, for the cells of a row that name one."""
    named = {p: index.get(header_key(c)) for p, c in enumerate(cells) if c.strip()}
    return {p: n for p, n in named.items() if n}


def _header_cells(
    rows: tuple[tuple[int, tuple[str, ...]], ...], best: int, index: dict[str, str | None]
) -> tuple[int, tuple[str, ...]]:
    """The header's cells and its last row: the best row, completed from the row above or below.

    Forms often split the header over two rows: link names (责任分解, 责任考核, 责任追究)
    merged above the questions in the first, the questions in the second, and the unit
    column written in one of them only. A column the best row does not name takes the
    field its neighbour names there; the neighbour that adds most fields is used, and the
    table starts below both. A data row names no field, so it adds nothing.
    """
    number, cells = rows[best]
    named = _fields_named(cells, index)
    neighbours = [j for j in (best - 1, best + 1) if 0 <= j < len(rows)]  # blank rows are not in `rows`
    adds = {
        j: {
            p: n
            for p, n in _fields_named(rows[j][1], index).items()
            if p not in named and n not in named.values()
        }
        for j in neighbours
    }
    # The neighbour adding most fields; on a tie the row above, as headers stack downwards.
    j = max(neighbours, key=lambda k: (len(adds[k]), -k), default=None)
    if j is None or not adds[j]:
        return number, cells
    other = rows[j][1]
    width = max(len(cells), len(other))
    padded = cells + ("",) * (width - len(cells))
    return max(number, rows[j][0]), tuple(other[p] if p in adds[j] else text for p, text in enumerate(padded))
