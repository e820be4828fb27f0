"""Parse the unit rows' values into typed columns, and build the table and records cleaning returns.

Each value that cannot be read is a problem at its row and column, never raised; a row with
one is left out of the table (see `clean.sheet_table`, which decides what is kept).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.catalogue import Instrument
from analysis.intake import columns as col
from analysis.intake.cells import (
    answer_vocabulary,
    clean_text,
    expected_answers,
    expected_count,
    parse_answer,
    parse_count,
)
from analysis.intake.header import Table
from analysis.intake.raw_sheet import RawSheet
from analysis.intake.rows import FORMULAS, Body

# Columns of a sheet's table besides the fields: where each unit row came from.
SOURCE_COLUMNS = ("source_file", "source_sheet", "source_row")
# A value that cannot be read: (row index, order in the row, (column as written, value, what was expected)).
Problem = tuple[int, int, tuple[str, str, str]]


@dataclass(frozen=True)
class Record:
    """One unit's answers as read, with where they came from."""

    values: dict[str, object]
    file: str
    sheet: str | None
    row: int

    def place(self) -> str:
        sheet = f", sheet {self.sheet!r}" if self.sheet else ""
        return f"{self.file}{sheet}, row {self.row}"


def table_records(table: pd.DataFrame) -> list[Record]:
    """A sheet's table as one record per unit; a field the sheet has no column for is not in `values`."""
    fields = [c for c in table.columns if c not in SOURCE_COLUMNS]
    rows = table[[*fields, *SOURCE_COLUMNS]].astype(object).itertuples(index=False)
    return [
        Record(
            values={f: (None if v is pd.NA else v) for f, v in zip(fields, values, strict=True)},
            file=file,
            sheet=None if sheet is pd.NA else sheet,
            row=int(row),
        )
        for *values, file, sheet, row in rows
    ]


def empty_table() -> pd.DataFrame:
    """A sheet's table with no units (and so no field columns)."""
    return pd.DataFrame(
        {c: pd.array([], dtype="Int64" if c == "source_row" else "string") for c in SOURCE_COLUMNS}
    )


def parse_columns(
    body: Body, table: Table, kinds: dict[str, str], instrument: Instrument, units: np.ndarray
) -> tuple[dict[str, object], list[Problem]]:
    """Every field's values on the unit rows (typed arrays), and each value that cannot be read:
    (row index, order in the row, (column as written, value, what was expected))."""
    values: dict[str, object] = {}
    problems = []
    vocabulary = answer_vocabulary(instrument)
    for order, (position, name) in enumerate(table.columns.items(), start=1):
        column = body.columns[position]
        if kinds[name] == "text":
            text = col.mapped(column, clean_text, same=col.plain(column))
            values[name] = pd.array(_blank_is_none(text), dtype="string")
            continue
        if kinds[name] == "yes_no":
            value, missing, refused = col.parse_column(column, lambda t: parse_answer(t, vocabulary), units)
            values[name] = pd.arrays.BooleanArray(value.astype(bool), missing)
            expected = expected_answers(instrument)
        else:
            spec = instrument.field(name)
            value, missing, refused = col.parse_column(
                column, lambda t, s=spec: parse_count(t, instrument.count_suffixes, s.max), units
            )
            values[name] = pd.arrays.IntegerArray(value, missing)
            expected = expected_count(instrument.count_suffixes, spec.max)
        bad = np.flatnonzero(refused)
        problems += [
            (i, order, (table.written[name], text, expected))
            for i, text in zip(bad, col.texts(column, bad), strict=True)
        ]
    return values, problems


def _repeated(text: str | None, n: int) -> pd.api.extensions.ExtensionArray:
    """The same text (or none) n times, as a string column, without n Python strings."""
    one = pa.array([text], pa.large_string())
    return pd.array(one.take(pa.array(np.zeros(n, dtype=np.int64))), dtype="string")


def _blank_is_none(column: pa.Array) -> pa.Array:
    """A blank text is no value (None)."""
    return pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)


def formula_problems(sheet: RawSheet, body: Body, table: Table, units: np.ndarray) -> list[Problem]:
    """The units' formula cells without a saved result: their value is unknown, not blank."""
    expected = (
        "a value: the cell holds a formula whose result was never saved, or is an error (formulas are not"
        " calculated here); open the file in Excel or WPS and save it, or type the value"
    )
    unsaved = sheet.unsaved_formulas
    return [
        (i, FORMULAS + p, (table.written[table.columns[p]], unsaved[(int(body.numbers[i]), p)], expected))
        for i, positions in body.unsaved.items() if units[i]
        for p in positions
    ]


def unit_table(
    values: dict[str, object], sheet: RawSheet, numbers: np.ndarray, keep: np.ndarray
) -> pd.DataFrame:
    """The kept rows: each field's typed values, then where the row came from."""
    rows = np.flatnonzero(keep)
    data = {name: array.take(rows) for name, array in values.items()}
    data["source_file"] = _repeated(sheet.file, len(rows))
    data["source_sheet"] = _repeated(sheet.sheet, len(rows))
    data["source_row"] = pd.array(numbers[rows], dtype="Int64")
    return pd.DataFrame(data)
