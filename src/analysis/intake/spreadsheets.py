"""Read a workbook's worksheets into sheets of text cells, with the values the program saved.

Workbooks (.xlsx, .xlsm, the Excel 97-2003 .xls that older offices still send, and .ods)
are read with python-calamine: one reader for all four formats, which never evaluates a
formula but returns the value the spreadsheet program saved, reports merged ranges, is
several times faster than openpyxl, installs as a wheel from PyPI with no dependencies and
is actively maintained. Two things calamine does not tell: whether an empty cell holds a
formula (its result never saved, as in files written by programs and never opened in
Excel) and an error value such as #N/A (it gives an empty string). A blank would silently
become "no answer", so for .xlsx/.xlsm one read-only openpyxl pass finds formula and error
cells. An .xls always stores each formula's result, and .ods files are written by
spreadsheet programs that save them, so those need no such pass.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import openpyxl
from python_calamine import CalamineWorkbook, SheetTypeEnum

from analysis.intake.raw_sheet import RawSheet

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from python_calamine import CalamineSheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# Workbooks that can hold formulas without their results; openpyxl reads their formulas.
FORMULA_SUFFIXES = (".xlsx", ".xlsm")
# A cell openpyxl marks as holding a formula or an error value.
_FORMULA, _ERROR = "f", "e"


def read_workbook(path: Path, name: str) -> list[RawSheet]:
    """Every worksheet, with the values the spreadsheet program saved: formulas are never evaluated."""
    with CalamineWorkbook.from_path(path) as book:
        sheets = [
            (meta.name, book.get_sheet_by_name(meta.name))
            for meta in book.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]
        special = _special_cells(path) if path.suffix.lower() in FORMULA_SUFFIXES else {}
        return [
            _read_sheet(sheet=sheet, title=title, name=name, special=special.get(title, {}))
            for title, sheet in sheets
        ]


def _special_cells(path: Path) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """Per sheet: (row, cell position) -> (kind, text) for formula and error cells."""
    if not _may_hold_special_cells(path):
        return {}
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return {ws.title: _sheet_special_cells(ws) for ws in book.worksheets}
    finally:
        book.close()


# A formula (<f>, with or without a namespace prefix) or an error value (t="e") in a sheet's XML.
_SPECIAL_MARK = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?f[\s>/]|\st=["']e["']""")
# Every match holds one of these.
_SPECIAL_HINTS = (b"<f", b":f", b'"e"', b"'e'")


def _may_hold_special_cells(path: Path) -> bool:
    """Whether any worksheet's XML holds a formula or an error value, by a scan of its bytes.

    openpyxl makes an object per cell (a minute for 100,000 rows); most returns hold neither,
    and the scan takes a fraction of a second. A false alarm only costs that minute; a file
    whose parts cannot be listed is handed to openpyxl as before.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
            parts = [
                o.get("PartName", "").lstrip("/")
                for o in types
                if o.get("ContentType", "").endswith("worksheet+xml")
            ]
            if not parts:
                return True
            for part in parts:
                with archive.open(part) as stream:
                    carry = b""
                    while chunk := stream.read(1 << 20):
                        # the plain searches rule out most chunks; the pattern decides the rest
                        window = carry + chunk
                        if any(mark in window for mark in _SPECIAL_HINTS) and _SPECIAL_MARK.search(window):
                            return True
                        carry = chunk[-64:]
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return True
    return False


def _sheet_special_cells(ws: ReadOnlyWorksheet) -> dict[tuple[int, int], tuple[str, str]]:
    """From row 1; a stale <dimension> tag in the file would otherwise cut the table short."""
    ws.reset_dimensions()
    found = {}
    for number, row in enumerate(ws.iter_rows(min_row=1, min_col=1), start=1):
        for position, cell in enumerate(row):
            kind = getattr(cell, "data_type", None)
            if kind in (_FORMULA, _ERROR):
                found[(number, position)] = (kind, str(getattr(cell.value, "text", cell.value)))
    return found


def _read_sheet(
    sheet: CalamineSheet, title: str, name: str, special: dict[tuple[int, int], tuple[str, str]]
) -> RawSheet:
    """Rows keyed by their spreadsheet row number, blank rows left out, unsaved formulas noted.

    calamine starts at A1 when asked not to skip the empty area, so row and cell positions
    are the spreadsheet's own.
    """
    # Most cells are text already: they skip the call (a million rows hold many millions of cells).
    grid = [
        [v if type(v) is str else cell_text(v) for v in row]
        for row in sheet.to_python(skip_empty_area=False)
    ]
    unsaved = {}
    for (number, position), (kind, text) in special.items():
        if _cell(grid, number, position):
            continue  # the saved value is there
        if kind == _ERROR:
            _put(grid, (number, position), text)  # "#N/A": shown as such, refused as an answer
        else:
            unsaved[(number, position)] = text
    _fill_merged_down(grid, sheet.merged_cell_ranges or [])
    unsaved_rows = {number for number, _ in unsaved}
    rows = tuple(
        (number, tuple(cells))
        for number, cells in enumerate(grid, start=1)
        if number in unsaved_rows or any(cells)
    )
    return RawSheet(file=name, sheet=title, rows=rows, unsaved_formulas=unsaved)


def _cell(grid: list[list[str]], number: int, position: int) -> str:
    row = grid[number - 1] if number <= len(grid) else []
    return row[position] if position < len(row) else ""


def _put(grid: list[list[str]], at: tuple[int, int], text: str) -> None:
    number, position = at
    while len(grid) < number:
        grid.append([])
    row = grid[number - 1]
    row.extend([""] * (position + 1 - len(row)))
    row[position] = text


def _fill_merged_down(grid: list[list[str]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """A merged cell counts for every row it spans, in its first column.

    A header merged over two header rows (单位名称) then names its column in both, and a
    unit type merged over its units applies to each. Across columns it counts once: a
    heading or note merged across the table is one text, not an answer to every question,
    and a header merged over two columns names one column.
    """
    for (first_row, column), (last_row, _) in ranges:
        text = _cell(grid, first_row + 1, column)
        for number in range(first_row + 2, last_row + 2):
            if text and not _cell(grid, number, column):
                _put(grid, (number, column), text)


def cell_text(value: object) -> str:
    """A cell as the text a person sees, so a number and its text twin read the same."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)
