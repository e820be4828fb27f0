"""Read a year folder of returns into sheets of text cells, each row numbered as a person sees it.

Everything is read as text so that cleaning decides what a value means; nothing is guessed
here beyond the file's encoding, and that only between strict UTF-8 and GB18030 (a superset
of GBK), because UTF-8 bytes can decode "successfully" as GB18030 into the wrong characters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from analysis.findings import Finding

RETURN_SUFFIXES = (".xlsx", ".csv")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class RawSheet:
    """One table as found in a file: rows of text cells, keyed by their row number on screen."""

    file: str
    sheet: str | None
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str | None = None


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
        return [read_csv(path.read_bytes(), name)], []
    except UnicodeDecodeError:
        expected = "a CSV file in UTF-8 (with or without BOM), GBK or GB18030"
        return [], [Finding("error", name, expected=expected, kind="encoding")]
    except Exception as exc:  # a corrupt or mislabelled file: say so, keep reading the rest
        expected = f"a readable {path.suffix.lower()} file ({type(exc).__name__}: {exc})"
        return [], [Finding("error", name, expected=expected, kind="unreadable")]


def read_xlsx(path: Path, name: str) -> list[RawSheet]:
    """Every sheet, with cached cell values: formulas are never evaluated."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = []
        for ws in workbook.worksheets:
            values = ws.iter_rows(min_row=1, min_col=1, values_only=True)
            rows = tuple(
                (number, tuple(cell_text(v) for v in row))
                for number, row in enumerate(values, start=1)
                if any(v is not None for v in row)
            )
            sheets.append(RawSheet(name, ws.title, rows))
        return sheets
    finally:
        workbook.close()


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
    """Strict UTF-8 first, then GB18030; never replace undecodable bytes."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", data, 0, len(data), "neither UTF-8 nor GB18030")


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
