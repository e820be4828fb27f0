"""A function of one cell's text, applied to a whole column by computing it once per distinct text.

A year of a million units has a handful of distinct answers per column: parsing each distinct
text once and spreading the results gives exactly the values of parsing every cell, for the
cost of the vocabulary. Unit names and serial numbers are all distinct, so a cheap test picks
the texts a function provably leaves as they are (`plain`), and only the others are computed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Digits and CJK unified ideographs (extension A and the basic block) only: text that NFKC,
# case folding, trimming and removing format characters all leave as it is, with no space,
# bracket or letter in it. Such a unit name is its own clean text and its own unit key.
PLAIN = r"^[0-9\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}]*$"
# The rows a column's kind (vocabulary or names) is judged on; see `_few`.
SAMPLE = 2_000


def text_column(values: list[str] | pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array:
    """Cells (or a table's text column) as one pyarrow string array without nulls (a blank cell is "")."""
    if isinstance(values, pd.Series):
        values = pa.array(values.astype("string"))
    column = values if isinstance(values, pa.Array | pa.ChunkedArray) else pa.array(values, pa.string())
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return pc.fill_null(column.cast(pa.string()), "")


def plain(column: pa.Array) -> np.ndarray:
    """Rows whose text is PLAIN (see above); the empty text is plain too."""
    return _numpy(pc.match_substring_regex(column, PLAIN))


def containing(column: pa.Array, characters: set[str]) -> np.ndarray:
    """Rows whose text holds any of `characters`."""
    if not characters:
        return np.zeros(len(column), dtype=bool)
    escaped = "".join(f"\\x{{{ord(c):X}}}" for c in sorted(characters))
    return _numpy(pc.match_substring_regex(column, f"[{escaped}]"))


def distinct(column: pa.Array, where: np.ndarray | None = None) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The rows looked at (`where`, or all), their distinct texts, and each row's index into them."""
    rows = np.arange(len(column)) if where is None else np.flatnonzero(where)
    if len(rows) == 0:
        return rows, [], np.zeros(0, dtype=np.int64)
    subset = column if where is None else column.take(pa.array(rows))
    encoded = subset.dictionary_encode()
    return rows, encoded.dictionary.to_pylist(), _numpy(encoded.indices)


def per_distinct(
    column: pa.Array, func: Callable[[str], object], where: np.ndarray | None = None, default: object = None
) -> np.ndarray:
    """func(text) for each row where `where` holds (every row without it), computed once per
    distinct text; `default` elsewhere. An object array, one entry per row."""
    out = np.full(len(column), default, dtype=object)
    rows, texts, indices = distinct(column, where)
    if texts:
        results = np.empty(len(texts), dtype=object)
        results[:] = [func(text) for text in texts]
        out[rows] = results[indices]
    return out


def parse_column(
    column: pa.Array, parse: Callable[[str], object], where: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """parse(text) on the rows where `where` holds, once per distinct text: per row its value
    (0 where none), whether it is missing (a blank cell, or a row not looked at) and whether
    parse refused the text (ValueError)."""
    value = np.zeros(len(column), dtype=np.int64)
    missing = np.ones(len(column), dtype=bool)
    refused = np.zeros(len(column), dtype=bool)
    rows, texts, indices = distinct(column, where)
    if texts:
        results = [_try(parse, text) for text in texts]
        value[rows] = np.array([int(r) if isinstance(r, bool | int) else 0 for r in results], dtype=np.int64)[
            indices
        ]
        missing[rows] = np.array([not isinstance(r, bool | int) for r in results])[indices]
        refused[rows] = np.array([isinstance(r, ValueError) for r in results])[indices]
    return value, missing, refused


def _try(parse: Callable[[str], object], text: str) -> object:
    try:
        return parse(text)
    except ValueError as exc:
        return exc


def starts_with(column: pa.Array, prefix: str) -> np.ndarray:
    return _numpy(pc.starts_with(column, prefix))


def equal(column: pa.Array, text: str) -> np.ndarray:
    return _numpy(pc.equal(column, text))


def mapped(column: pa.Array, func: Callable[[str], str], same: np.ndarray) -> pa.Array:
    """func(text) in every row, where the rows marked `same` are known to be their own result:
    only the others are computed, once per distinct text."""
    if same.all():
        return column
    rows, texts, indices = distinct(column, ~same)
    results = pa.array([func(t) for t in texts], pa.string())
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(column, pa.array(mask), results.take(pa.array(indices)))


def texts(column: pa.Array, rows: np.ndarray) -> list[str]:
    """The texts of some rows, as Python strings (for the few rows a finding names)."""
    return column.take(pa.array(np.asarray(rows, dtype=np.int64))).to_pylist() if len(rows) else []


def per_text(
    column: pa.Array, func: Callable[[str], bool], candidates: Callable[[pa.Array], np.ndarray]
) -> np.ndarray:
    """func(text) of every row, a boolean. A column of few distinct texts (the answers) is
    tested once per text; in a column of many (names, serial numbers) only the rows that
    `candidates` marks are, the others being known to be False."""
    if _few(column):
        encoded = column.dictionary_encode()
        results = np.array([bool(func(t)) for t in encoded.dictionary.to_pylist()], dtype=bool)
        return results[_numpy(encoded.indices)] if len(results) else np.zeros(len(column), dtype=bool)
    return per_distinct(column, func, where=candidates(column), default=False).astype(bool)


def _few(column: pa.Array) -> bool:
    """Whether a column looks like a vocabulary (judged on its first rows: only speed depends on it)."""
    head = column.slice(0, SAMPLE)
    return pc.count_distinct(head).as_py() <= max(len(head) // 10, 1)


def nonblank(column: pa.Array) -> np.ndarray:
    """Rows whose text is more than white space (str.strip's white space, Unicode's); plain
    text is blank only when empty."""
    return ~per_text(
        column, lambda t: not t.strip(), candidates=lambda c: ~plain(c) | (_numpy(pc.utf8_length(c)) == 0)
    )


def _numpy(array: pa.Array) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False)
