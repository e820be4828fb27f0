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

A year can hold a million units. Python's csv module then takes seconds and gigabytes (a
string object per cell), so a CSV's first `HEAD_ROWS` rows, where cleaning looks for the
header, are read cell by cell as always, and the rest column by column with pyarrow (`Tail`),
which reads the same cells when the text is plainly written: one record per line, quotes
only around whole fields. Anything else (a value over several lines, a lone carriage
return, a stray quote, rows of different lengths) is read by the csv module as before, so
odd files are slower, never read differently. A Parquet table is read column by column too.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
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
# The rows of a CSV read cell by cell before the rest is read column-wise: more than the
# rows cleaning searches for the header (clean.HEADER_SEARCH_ROWS).
HEAD_ROWS = 64
# Column types given to pyarrow: every cell is text, as many columns as a sheet may have.
_MAX_COLUMNS = 2048


@dataclass(frozen=True)
class Tail:
    """Rows after a sheet's `rows`, held column by column: row numbers, and per column a
    pyarrow string array without nulls (a blank cell is ""). A short row is padded with ""."""

    numbers: np.ndarray
    columns: tuple[pa.Array, ...]


@dataclass(frozen=True)
class RawSheet:
    """One table as found in a file: rows of text cells, keyed by their row number on screen.

    `rows` holds every row of a workbook; a large CSV or a Parquet table keeps its first rows
    there and the rest in `tail`, column by column.
    """

    file: str
    sheet: str | None
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str | None = None
    # (row, cell position) -> formula, for formula cells whose result was never saved: they
    # read as blank, and a blank would silently become "no answer".
    unsaved_formulas: dict[tuple[int, int], str] = field(default_factory=dict, hash=False)
    tail: Tail | None = field(default=None, hash=False, compare=False)


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
            parts = [o.get("PartName", "").lstrip("/") for o in types if o.get("ContentType", "").endswith("worksheet+xml")]
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


def _read_sheet(sheet: CalamineSheet, title: str, name: str, special: dict[tuple[int, int], tuple[str, str]]) -> RawSheet:
    """Rows keyed by their spreadsheet row number, blank rows left out, unsaved formulas noted.

    calamine starts at A1 when asked not to skip the empty area, so row and cell positions
    are the spreadsheet's own.
    """
    # Most cells are text already: they skip the call (a million rows hold many millions of cells).
    grid = [[v if type(v) is str else cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
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
    numbers = np.arange(2, table.num_rows + 2, dtype=np.int64)
    columns = tuple(_parquet_column(table.column(c).combine_chunks()) for c in table.column_names)
    return RawSheet(file=name, sheet=None, rows=((1, tuple(table.column_names)),), tail=Tail(numbers, columns))


def _parquet_column(column: pa.Array) -> pa.Array:
    """A typed column as the text cleaning reads (see `_parquet_text`).

    Text and whole numbers convert exactly in pyarrow; any other type goes through Python,
    once per distinct value where pyarrow can find them.
    """
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind):
        return pc.fill_null(column.cast(pa.string()), "")
    try:
        encoded = column.dictionary_encode()
    except pa.ArrowNotImplementedError:
        return pa.array([_parquet_text(v) for v in column.to_pylist()], pa.string())
    texts = pa.array([_parquet_text(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return pc.fill_null(pc.take(texts, encoded.indices), "")


def _parquet_text(value: object) -> str:
    """A typed value as the text cleaning reads: a whole float (a count in a column with nulls) as digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_csv(data: bytes, name: str) -> RawSheet:
    """Rows numbered by the text-editor line on which each record starts.

    The first HEAD_ROWS records are read by the csv module; the rest by pyarrow when it
    reads them the same (`_arrow_tail`), else by the csv module too.
    """
    text, encoding = decode_csv(data)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    for record in reader:
        rows.append((line, tuple(record)))
        line = reader.line_num + 1
        if len(rows) == HEAD_ROWS:
            break
    tail = None
    if len(rows) == HEAD_ROWS:
        rest = _rest(data, text, encoding, line)
        tail = None if rest is None else _arrow_tail(rest, line, delimiter)
        if tail is None:
            for record in reader:
                rows.append((line, tuple(record)))
                line = reader.line_num + 1
    return RawSheet(file=name, sheet=None, rows=tuple(rows), encoding=encoding, tail=tail)


def _rest(data: bytes, text: str, encoding: str, line: int) -> bytes | None:
    """The file from the start of `line` on, in UTF-8; None when a carriage return stands
    alone (the csv module counts it as a line break, a text editor may not).

    A line break, quote, comma, tab or NUL byte is never part of a longer character in UTF-8
    or GB18030, so the bytes can be searched for them as they are.
    """
    if data.count(b"\r") != data.count(b"\r\n"):
        return None
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    if encoding == "gb18030":
        return text[position:].encode("utf-8")
    start = (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0) + len(text[:position].encode("utf-8"))
    return data[start:]


# A field in quotes as the csv module and pyarrow both read it: from a field's start to its end.
_QUOTED = rb'(?<![^%s\n])"(?:[^"]|"")*"(?![^%s\r\n])'


def _arrow_tail(rest: bytes, first_line: int, delimiter: str) -> Tail | None:
    """The rest of a CSV (UTF-8) column by column, or None when pyarrow might read it
    otherwise than the csv module: a NUL, a quote that is not around a whole field, rows of
    different lengths, or a record over several lines (line numbers would shift)."""
    if b"\x00" in rest:
        return None
    if b'"' in rest:
        d = re.escape(delimiter.encode())
        if b'"' in re.sub(_QUOTED % (d, d), b"", rest):
            return None
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(rest)),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(_MAX_COLUMNS)}, strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    numbers = first_line + _record_lines(rest)
    if len(numbers) != table.num_rows or any(not pa.types.is_string(t) for t in table.schema.types):
        return None
    return Tail(numbers=numbers, columns=tuple(pc.fill_null(c.combine_chunks(), "") for c in table.columns))


def _record_lines(rest: bytes) -> np.ndarray:
    """Offsets (from 0) of the lines that are not empty: the lines records start on when
    every record is one line. A line of only a carriage return is empty."""
    if b"\n\n" not in rest and b"\n\r\n" not in rest and not rest.startswith((b"\n", b"\r\n")):
        lines = rest.count(b"\n") + (0 if rest.endswith(b"\n") else 1) if rest else 0
        return np.arange(lines, dtype=np.int64)
    data = np.frombuffer(rest, dtype=np.uint8)
    breaks = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(data)]))
    if starts[-1] == len(data):  # the text ends with a line break: no line after it
        starts, ends = starts[:-1], ends[:-1]
    lengths = ends - starts
    lone_return = np.zeros(len(starts), dtype=bool)
    one = np.flatnonzero(lengths == 1)
    lone_return[one] = data[starts[one]] == ord("\r")
    return np.flatnonzero((lengths > 0) & ~lone_return).astype(np.int64)
