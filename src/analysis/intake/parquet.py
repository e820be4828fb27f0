"""Read a Parquet table (.parquet) into a sheet of text cells, for offices that export from a database.

It holds the same columns as the form: its column names are the header (row 1) and record k
is row k+1, as the same table saved as CSV would number it. It is read column by column, as
the rest of a large CSV is (`RawSheet.tail`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.intake.raw_sheet import RawSheet, Tail


def read_parquet(path: Path, name: str) -> RawSheet:
    """A table exported from a database: the column names are row 1, each record the row after."""
    table = pq.read_table(path)
    numbers = np.arange(2, table.num_rows + 2, dtype=np.int64)
    columns = tuple(_parquet_column(table.column(c).combine_chunks()) for c in table.column_names)
    header = ((1, tuple(table.column_names)),)
    return RawSheet(file=name, sheet=None, rows=header, tail=Tail(numbers, columns))


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
