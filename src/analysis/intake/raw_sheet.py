"""A table as read from a file, before cleaning: what every reader returns and cleaning takes.

Its own module so that the readers of each format (`intake.spreadsheets`, `intake.csv_text`,
`intake.parquet`) and the cleaning steps share it without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from analysis.findings import Finding


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


def sheet_finding(
    sheet: RawSheet,
    *,
    severity: str,
    expected: str,
    kind: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    unit: str | None = None,
) -> Finding:
    """A finding on this sheet: the file and sheet come from it, the rest by name."""
    return Finding(
        severity=severity,  # type: ignore[arg-type]
        file=sheet.file,
        row=row,
        column=column,
        value=value,
        expected=expected,
        sheet=sheet.sheet,
        unit=unit,
        kind=kind,
    )
