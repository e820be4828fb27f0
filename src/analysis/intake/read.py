"""Read a year folder of returns into sheets of text cells, each row numbered as a person sees it.

Everything is read as text so that cleaning decides what a value means; nothing is guessed
here beyond the file's encoding, and that only between strict UTF-8 and GB18030 (a superset
of GBK), because UTF-8 bytes can decode "successfully" as GB18030 into the wrong characters.

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

A Parquet file (.parquet, the same columns as the form) is read too, for offices that export
from a database: its column names are the header (row 1) and record k is row k+1, as the
same table saved as CSV would number it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pyarrow.parquet as pq
from python_calamine import CalamineWorkbook, SheetTypeEnum

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from python_calamine import CalamineSheet

from analysis.findings import Finding

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
RETURN_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".parquet")
# Workbooks that can hold formulas without their results; openpyxl reads their formulas.
FORMULA_SUFFIXES = (".xlsx", ".xlsm")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# Spreadsheets a unit may send that are not read: the note tells the analyst how to include them.
OTHER_SPREADSHEETS = (".xlsb", ".et", ".numbers")
# A cell openpyxl marks as holding a formula or an error value.
_FORMULA, _ERROR = "f", "e"


@dataclass(frozen=True)
class RawSheet:
    """One table as found in a file: rows of text cells, keyed by their row number on screen."""

    file: str
    sheet: str | None
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str | None = None
    # (row, cell position) -> formula, for formula cells whose result was never saved: they
    # read as blank, and a blank would silently become "no answer".
    unsaved_formulas: dict[tuple[int, int], str] = field(default_factory=dict, hash=False)


# The analysts' commentary for a year's report, one file per language: not a return.
COMMENTARY = re.compile(r"^commentary\.[a-z]{2}\.md$")


def list_return_files(year_dir: Path, label: str) -> tuple[list[Path], list[Finding]]:
    """Files that can hold returns, in a stable order; everything else is skipped with a note.

    Only regular files are opened: reading a named pipe or a device would wait forever.
    """
    files, notes = [], []
    for path in sorted(year_dir.iterdir(), key=lambda p: p.name):
        name = f"{label}/{path.name}"
        if path.name.startswith(("~$", ".")):
            if path.name.startswith("~$"):
                notes.append(_skip(name, "an Excel lock file (the workbook was open), not a return"))
            continue
        if path.is_dir():
            notes.append(_skip(name, "a folder; returns are read from the year folder itself"))
        elif not _is_regular_file(path):
            notes.append(_skip(name, "not a regular file (a pipe, socket, device or broken link), so it is not opened"))
        elif path.suffix.lower() in RETURN_SUFFIXES:
            files.append(path)
        elif COMMENTARY.match(path.name):
            continue  # the office's own words for the report (analysis.publish.commentary), never a return
        elif path.suffix.lower() in OTHER_SPREADSHEETS:
            notes.append(_skip(name, f"a {path.suffix.lower()} spreadsheet is not read; if it holds returns, save it as .xlsx"))
        else:
            notes.append(_skip(name, "not a return file (.xlsx, .xlsm, .xls, .ods, .csv or .parquet)"))
    return files, notes


def _is_regular_file(path: Path) -> bool:
    """A regular file, or a link to one; never blocks, unlike opening a pipe to look."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _skip(name: str, why: str) -> Finding:
    return Finding(severity="warning", file=name, expected=f"skipped: {why}", kind="skipped_file")


def read_return_file(path: Path, label: str) -> tuple[list[RawSheet], list[Finding]]:
    """Read one workbook (every worksheet) or .csv file; unreadable files become error findings."""
    name = f"{label}/{path.name}"
    try:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            return read_workbook(path, name), []
        if path.suffix.lower() == ".parquet":
            return [read_parquet(path, name)], []
        data = path.read_bytes()
        try:
            return [read_csv(data, name)], []
        except UnicodeDecodeError as exc:
            return [], [_encoding_finding(data, exc, name)]
    except Exception as exc:  # a corrupt or mislabelled file: say so, keep reading the rest
        expected = f"a readable {path.suffix.lower()} file ({type(exc).__name__}: {exc})"
        return [], [Finding(severity="error", file=name, expected=expected, kind="unreadable")]


def _encoding_finding(data: bytes, exc: UnicodeDecodeError, name: str) -> Finding:
    """Point at the line and bytes that are neither UTF-8 nor GB18030, so the file can be fixed."""
    line = data.count(b"\n", 0, exc.start) + 1
    value = "bytes " + data[exc.start : exc.start + 4].hex(" ")
    expected = "text in UTF-8 (with or without BOM), GBK or GB18030; save the file again as CSV (UTF-8)"
    return Finding(severity="error", file=name, row=line, value=value, expected=expected, kind="encoding")


def read_workbook(path: Path, name: str) -> list[RawSheet]:
    """Every worksheet, with the values the spreadsheet program saved: formulas are never evaluated."""
    with CalamineWorkbook.from_path(path) as book:
        sheets = [
            (meta.name, book.get_sheet_by_name(meta.name))
            for meta in book.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet
        ]
        special = _special_cells(path) if path.suffix.lower() in FORMULA_SUFFIXES else {}
        return [_read_sheet(sheet=sheet, title=title, name=name, special=special.get(title, {})) for title, sheet in sheets]


def _special_cells(path: Path) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """Per sheet: (row, cell position) -> (kind, text) for formula and error cells."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return {ws.title: _sheet_special_cells(ws) for ws in book.worksheets}
    finally:
        book.close()


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


def _read_sheet(sheet: CalamineSheet, title: str, name: str, special: dict[tuple[int, int], tuple[str, str]]) -> RawSheet:
    """Rows keyed by their spreadsheet row number, blank rows left out, unsaved formulas noted.

    calamine starts at A1 when asked not to skip the empty area, so row and cell positions
    are the spreadsheet's own.
    """
    grid = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
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


def decode_csv(data: bytes) -> tuple[str, str]:
    """Strict UTF-8 first, then GB18030; never replace undecodable bytes.

    When neither fits, the error is the one that got further into the file: that is the
    encoding the file was most likely meant to be in, so its position is the bad spot.
    """
    failures = []
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            # utf-8-sig counts positions after the byte-order mark
            shift = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
            failures.append(UnicodeDecodeError(encoding, data, exc.start + shift, exc.end + shift, exc.reason))
    raise max(failures, key=lambda e: e.start)


def read_parquet(path: Path, name: str) -> RawSheet:
    """A table exported from a database: the column names are row 1, each record the row after."""
    table = pq.read_table(path)
    columns = table.column_names
    records = zip(*(table.column(c).to_pylist() for c in columns), strict=True)
    rows = [(1, tuple(columns)), *((number, tuple(map(_parquet_text, record))) for number, record in enumerate(records, start=2))]
    return RawSheet(file=name, sheet=None, rows=tuple(rows))


def _parquet_text(value: object) -> str:
    """A typed value as the text cleaning reads: a whole float (a count in a column with nulls) as digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_csv(data: bytes, name: str) -> RawSheet:
    """Rows numbered by the text-editor line on which each record starts."""
    text, encoding = decode_csv(data)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    for record in reader:
        rows.append((line, tuple(record)))
        line = reader.line_num + 1
    return RawSheet(file=name, sheet=None, rows=tuple(rows), encoding=encoding)
