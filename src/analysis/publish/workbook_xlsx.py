"""Laying the workbook's tables out in an .xlsx file with XlsxWriter, and its About sheet.

What the writer promises, and why:

- numbers are numbers: a figure is a number cell with a number format (a percentage is
  the fraction shown as 60.5%); a figure with no value is an empty cell, never 0;
- no formula anywhere: every text is written as a string cell, and text a spreadsheet
  would read as a formula (`= + - @`, tab, CR) also carries Excel's quote prefix, so even
  editing the cell keeps it text. The name stays as returned (no apostrophe is added);
- the same inputs give the same bytes: the creation time is fixed (SOURCE_DATE_EPOCH, or
  a constant) and no path of the machine is written.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from analysis import store
from analysis.pipeline import YearResult
from analysis.publish import workbook_words
from analysis.publish.workbook_tables import Column, Kind, Sheet, Table, columns, table

# When SOURCE_DATE_EPOCH is not set: the workbook's creation time must not be the clock's.
FIXED_CREATED = datetime(2005, 1, 1, tzinfo=UTC)
MAX_WIDTH = 60  # characters (a Chinese character counts 2); longer text wraps
# Above this many cells the workbook is written row by row (XlsxWriter's constant_memory mode).
CELLS_IN_MEMORY = 200_000
MIN_WIDTH = 6
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
NUMBER_FORMATS = {"integer": "0", "change": "+0;-0;0", "percent": "0.0%", "points": "+0.0;-0.0;0.0"}
HEADER_FILL = "#DDEBF7"
# The processed tables every figure of the workbook is read from, one folder a year.
PROCESSED_TABLES = "indicators.csv, comparison.csv, returns.parquet, findings.csv, inputs.csv"


# --- the About sheet ----------------------------------------------------------------------


def about_tables(results: dict[int, YearResult], sheets: list[Sheet]) -> tuple[Table, ...]:
    """What the workbook is, what each sheet holds and the files every figure comes from (SHA-256)."""
    from analysis import __version__

    years = sorted(results)
    said = workbook_words.facts()
    year_folder = workbook_words.side_by_side(*workbook_words.headers()["year"])

    def fact(item: str, value: str) -> dict[str, str]:
        return {"item_zh": said[item][0], "item_en": said[item][1], "fact": value}

    def explained(item: str) -> dict[str, str]:
        return fact(item, workbook_words.side_by_side(*said[f"{item}_value"]))

    facts = [
        fact("years", ", ".join(map(str, years))),
        fact("made_from", f"data/processed/<{year_folder}>/: {PROCESSED_TABLES}"),
        explained("percent"),
        explained("empty"),
        explained("no_answer"),
        fact("made_by", f"analysis {__version__}, XlsxWriter {metadata.version('xlsxwriter')}"),
    ]
    held = [{"sheet": s.name, "holds_zh": s.holds_zh, "holds_en": s.holds_en} for s in sheets]
    inputs = [
        {"year": y, "input_file": f, "sha256": h, "bytes": b}
        for y in years
        for f, h, b in zip(
            results[y].inputs["file"], results[y].inputs["sha256"], results[y].inputs["bytes"], strict=True
        )
    ]
    return (
        table(columns("item_zh", "item_en", "fact"), facts),
        table(columns("sheet", "holds_zh", "holds_en"), held),
        table(columns("year", "input_file", "sha256", "bytes"), inputs),
    )


# --- widths and cells ---------------------------------------------------------------------


def check_sheet_name(name: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/\\ in them."""
    if len(name) > 31 or SHEET_NAME_FORBIDDEN & set(name) or not name.strip():
        raise ValueError(f"not a valid Excel sheet name: {name!r}")
    return name


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a Chinese (wide) character takes two.

    Only widths up to MAX_WIDTH change a column, so a longer text is measured by its length
    (which it is at least): a list of 20,000 names is not read character by character.
    """
    if len(text) >= MAX_WIDTH:
        return len(text)
    return _width(text)


@cache
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def is_formula_like(text: str) -> bool:
    return text.startswith(store.FORMULA_TRIGGERS)


def shown(value: object, kind: Kind) -> str:
    """The cell's text as a spreadsheet shows it: what its column must be wide enough for."""
    if value is None or pd.isna(value):
        return ""
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if kind in ("change", "points"):
        return f"+{value}"
    return str(value)


def column_widths(tables: Iterable[Table]) -> list[tuple[float, bool]]:
    """Per column position: its width, and whether its text must wrap to stay within MAX_WIDTH."""
    widest: dict[int, int] = {}
    for block in tables:
        for i, column in enumerate(block.columns):
            lines = (line for v in block.frame[column.key] for line in shown(v, column.kind).split("\n"))
            cells = [display_width(line) for line in lines]
            heads = [display_width(column.zh), display_width(column.en)]
            widest[i] = max(widest.get(i, 0), *heads, *cells)
    return [(min(max(w, MIN_WIDTH) + 2, MAX_WIDTH), w + 2 > MAX_WIDTH) for _, w in sorted(widest.items())]


def created_time() -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds convention), else a constant."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch.isdigit() else FIXED_CREATED
    return moment.replace(tzinfo=None)


# --- writing ------------------------------------------------------------------------------


class _Formats:
    """XlsxWriter formats, made once each (a workbook holds a table of them)."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self.made: dict[tuple[str, bool, bool], Format] = {}

    def get(self, kind: str, wrap: bool = False, quote: bool = False) -> Format:
        key = (kind, wrap, quote)
        if key not in self.made:
            spec: dict[str, object] = {"valign": "top"}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if kind in ("header_zh", "header_en"):
                header = {"bold": kind == "header_zh", "italic": kind == "header_en", "bg_color": HEADER_FILL}
                spec.update({**header, "text_wrap": True})
                spec["bottom" if kind == "header_en" else "top"] = 1
            if wrap:
                spec["text_wrap"] = True
            if quote:
                spec["quote_prefix"] = True
            self.made[key] = self.workbook.add_format(spec)
        return self.made[key]


def _write_text(
    sheet: Worksheet, row: int, col: int, text: str, formats: _Formats, kind: str, wrap: bool = False
) -> None:
    """A string cell, always: text is data, never a formula, a link or a number."""
    sheet.write_string(row, col, text, formats.get(kind, wrap, quote=is_formula_like(text)))


def _write_headers(sheet: Worksheet, row: int, columns: tuple[Column, ...], formats: _Formats) -> None:
    """The two header rows. In constant-memory mode a row is written out when the next one is
    begun, so the Chinese row is written whole before the English; otherwise column by column,
    the order that fixes the shared strings' order (and so the bytes) of every workbook so far."""
    cells = [(row, col, column.zh, "header_zh") for col, column in enumerate(columns)]
    cells += [(row + 1, col, column.en, "header_en") for col, column in enumerate(columns)]
    if not sheet.constant_memory:
        pairs = zip(cells[: len(columns)], cells[len(columns) :], strict=True)
        cells = [cell for pair in pairs for cell in pair]
    for at, col, text, kind in cells:
        _write_text(sheet, at, col, text, formats, kind)


def _write_sheet(workbook: xlsxwriter.Workbook, spec: Sheet, formats: _Formats) -> None:
    sheet = workbook.add_worksheet(check_sheet_name(spec.name))
    widths = column_widths(spec.tables)
    for col, (width, _) in enumerate(widths):
        sheet.set_column(col, col, width)
    row = 0
    for n, block in enumerate(spec.tables):
        _write_headers(sheet, row, block.columns, formats)
        first = row + 2
        for values in block.frame.itertuples(index=False):
            for col, (column, value) in enumerate(zip(block.columns, values, strict=True)):
                if value is None or pd.isna(value) or (isinstance(value, str) and not value):
                    continue  # an empty cell: no figure, no text (never 0, never "")
                if column.kind == "text":
                    _write_text(sheet, first, col, str(value), formats, "text", wrap=widths[col][1])
                else:
                    number = float(value) if column.kind in ("percent", "points") else int(value)
                    sheet.write_number(first, col, number, formats.get(column.kind))
            first += 1
        if n == 0:
            sheet.freeze_panes(2, 0)
            if len(spec.tables) == 1:
                sheet.autofilter(1, 0, max(first - 1, 1), len(block.columns) - 1)
        row = first + 1  # a blank row between tables


def write_xlsx(sheets: list[Sheet], path: Path, constant_memory: bool | None = None) -> None:
    """Lay the sheets out in an .xlsx file at `path`; the same sheets give the same bytes.

    `constant_memory` (by default: when the sheets hold more than CELLS_IN_MEMORY cells) writes
    each row out as soon as the next begins (rows are written in order), instead of holding
    every cell until the end: about a million cells at 20,000 units over two years. Its strings
    are stored in their cells rather than in a shared table, so the file's bytes differ from
    the default mode's; it is used only where it is needed, and a small workbook is as it was.
    """
    if constant_memory is None:
        cells = sum(len(t.frame) * len(t.columns) for sheet in sheets for t in sheet.tables)
        constant_memory = cells > CELLS_IN_MEMORY
    options = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": False,
    }
    if constant_memory:
        options["constant_memory"] = True
    workbook = xlsxwriter.Workbook(str(path), options)
    workbook.set_properties({"title": workbook_words.title(), "created": created_time()})
    formats = _Formats(workbook)
    for spec in sheets:
        _write_sheet(workbook, spec, formats)
    workbook.close()
