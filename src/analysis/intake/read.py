"""Read a year folder of returns into sheets of text cells, each row numbered as a person sees it.

Everything is read as text so that cleaning decides what a value means. This module lists
the files of a year that can hold returns and hands each to the reader of its format:

    .xlsx .xlsm .xls .ods   intake.spreadsheets   (python-calamine; openpyxl finds unsaved formulas)
    .csv                    intake.csv_text   (UTF-8 or GB18030; large files column by column)
    .parquet                intake.parquet    (database exports)

A file that cannot be read becomes an error finding, so that one bad file never stops a year.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from analysis.findings import Finding
from analysis.intake.csv_text import HEAD_ROWS, decode_csv, read_csv
from analysis.intake.parquet import read_parquet
from analysis.intake.raw_sheet import RawSheet, Tail
from analysis.intake.spreadsheets import WORKBOOK_SUFFIXES, cell_text, read_workbook
from analysis.paths import ISSUER

__all__ = [
    "COMMENTARY",
    "HEAD_ROWS",
    "RETURN_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "RawSheet",
    "Tail",
    "cell_text",
    "decode_csv",
    "list_return_files",
    "read_csv",
    "read_parquet",
    "read_return_file",
    "read_workbook",
]

RETURN_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".parquet")
# Spreadsheets a unit may send that are not read: the note tells the analyst how to include them.
OTHER_SPREADSHEETS = (".xlsb", ".et", ".numbers")

# The analysts' commentary for a year's report, one file per language: not a return.
COMMENTARY = re.compile(r"^commentary\.[a-z]{2}\.md$")


def list_return_files(year_dir: Path, label: str) -> tuple[list[Path], list[Finding]]:
    """Files that can hold returns, in a stable order; everything else is skipped with a note.

    Only regular files are opened: reading a named pipe or a device would wait forever.
    """
    files, notes = [], []
    for path in sorted(year_dir.iterdir(), key=lambda p: p.name):
        name = f"{label}/{path.name}"
        suffix = path.suffix.lower()
        if path.name.startswith(("~$", ".")):
            if path.name.startswith("~$"):
                notes.append(_skip(name, "an Excel lock file (the workbook was open), not a return"))
            continue
        if path.is_dir():
            notes.append(_skip(name, "a folder; returns are read from the year folder itself"))
        elif not _is_regular_file(path):
            notes.append(
                _skip(name, "not a regular file (a pipe, socket, device or broken link), so it is not opened")
            )
        elif suffix in RETURN_SUFFIXES:
            files.append(path)
        elif COMMENTARY.match(path.name) or path.name == ISSUER:
            # the office's own words and name for the report (commentary, intake.issuer), never a return
            continue
        elif suffix in OTHER_SPREADSHEETS:
            why = f"a {suffix} spreadsheet is not read; if it holds returns, save it as .xlsx"
            notes.append(_skip(name, why))
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
