"""Read a year folder of returns into sheets of text cells, each row numbered as a person sees it.

Everything is read as text so that cleaning decides what a value means; nothing is guessed
here beyond the file's encoding, and that only between strict UTF-8 and GB18030 (a superset
of GBK), because UTF-8 bytes can decode "successfully" as GB18030 into the wrong characters.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from analysis.findings import Finding

RETURN_SUFFIXES = (".xlsx", ".csv")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# Spreadsheets a unit may send that are not read: the note tells the analyst how to include them.
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".et", ".ods", ".numbers")


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


def list_return_files(year_dir: Path, label: str) -> tuple[list[Path], list[Finding]]:
    """Files that can hold returns, in a stable order; everything else is skipped with a note."""
    files, notes = [], []
    for path in sorted(year_dir.iterdir(), key=lambda p: p.name):
        name = f"{label}/{path.name}"
        if path.name.startswith(("~$", ".")):
            if path.name.startswith("~$"):
                notes.append(_skip(name, "an Excel lock file (the workbook was open), not a return"))
            continue
        if path.is_dir():
            notes.append(_skip(name, "a folder; returns are read from the year folder itself"))
        elif path.suffix.lower() in RETURN_SUFFIXES:
            files.append(path)
        elif path.suffix.lower() in OTHER_SPREADSHEETS:
            notes.append(_skip(name, f"a {path.suffix.lower()} spreadsheet is not read; if it holds returns, save it as .xlsx"))
        else:
            notes.append(_skip(name, "not an .xlsx or .csv file"))
    return files, notes


def _skip(name: str, why: str) -> Finding:
    return Finding("warning", name, expected=f"skipped: {why}", kind="skipped_file")


def read_return_file(path: Path, label: str) -> tuple[list[RawSheet], list[Finding]]:
    """Read one .xlsx (every sheet) or .csv file; unreadable files become error findings."""
    name = f"{label}/{path.name}"
    try:
        if path.suffix.lower() == ".xlsx":
            return read_xlsx(path, name), []
        data = path.read_bytes()
        try:
            return [read_csv(data, name)], []
        except UnicodeDecodeError as exc:
            return [], [_encoding_finding(data, exc, name)]
    except Exception as exc:  # a corrupt or mislabelled file: say so, keep reading the rest
        expected = f"a readable {path.suffix.lower()} file ({type(exc).__name__}: {exc})"
        return [], [Finding("error", name, expected=expected, kind="unreadable")]


def _encoding_finding(data: bytes, exc: UnicodeDecodeError, name: str) -> Finding:
    """Point at the line and bytes that are neither UTF-8 nor GB18030, so the file can be fixed."""
    line = data.count(b"\n", 0, exc.start) + 1
    value = "bytes " + data[exc.start : exc.start + 4].hex(" ")
    expected = "text in UTF-8 (with or without BOM), GBK or GB18030; save the file again as CSV (UTF-8)"
    return Finding("error", name, line, None, value, expected, kind="encoding")


def read_xlsx(path: Path, name: str) -> list[RawSheet]:
    """Every sheet, with the values Excel saved: formulas are never evaluated.

    The workbook is opened twice, for the saved values and for the formulas, only to find
    formula cells that have no saved value (files written by programs, never opened in Excel).
    """
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return [_read_sheet(v, f, name) for v, f in zip(values.worksheets, formulas.worksheets, strict=True)]
    finally:
        values.close()
        formulas.close()


def _sheet_rows(ws: ReadOnlyWorksheet) -> list[tuple[object, ...]]:
    """All rows from row 1; a stale <dimension> tag in the file would otherwise cut the table short."""
    ws.reset_dimensions()
    return list(ws.iter_rows(min_row=1, min_col=1, values_only=True))


def _read_sheet(values_ws: ReadOnlyWorksheet, formulas_ws: ReadOnlyWorksheet, name: str) -> RawSheet:
    """Rows keyed by their Excel row number, blank rows left out, unsaved formulas noted."""
    rows, unsaved = [], {}
    pairs = zip(_sheet_rows(values_ws), _sheet_rows(formulas_ws), strict=False)
    for number, (row, formula_row) in enumerate(pairs, start=1):
        missing = {
            (number, position): str(getattr(formula, "text", formula))
            for position, (value, formula) in enumerate(zip(row, formula_row, strict=False))
            if value is None and formula is not None
        }
        unsaved.update(missing)
        if missing or any(v is not None for v in row):
            rows.append((number, tuple(cell_text(v) for v in row)))
    return RawSheet(name, values_ws.title, tuple(rows), unsaved_formulas=unsaved)


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
    return RawSheet(name, None, tuple(rows), encoding)
