"""Read a CSV file (comma or tab separated) into a sheet of text cells, rows numbered by line.

Nothing is guessed beyond the file's encoding, and that only between strict UTF-8 and
GB18030 (a superset of GBK), because UTF-8 bytes can decode "successfully" as GB18030 into
the wrong characters.

A year can hold a million units. Python's csv module then takes seconds and gigabytes (a
string object per cell), so a CSV's first `HEAD_ROWS` rows, where cleaning looks for the
header, are read cell by cell as always, and the rest column by column with pyarrow (`Tail`),
which reads the same cells when the text is plainly written: one record per line, quotes
only around whole fields. Anything else (a value over several lines, a lone carriage
return, a stray quote, rows of different lengths) is read by the csv module as before, so
odd files are slower, never read differently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from analysis.intake.raw_sheet import RawSheet, Tail

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# The rows of a CSV read cell by cell before the rest is read column-wise: more than the
# rows cleaning searches for the header (header.HEADER_SEARCH_ROWS).
HEAD_ROWS = 64
# Column types given to pyarrow: every cell is text, as many columns as a sheet may have.
_MAX_COLUMNS = 2048


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
            bom = encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8)
            shift = len(codecs.BOM_UTF8) if bom else 0
            start, end = exc.start + shift, exc.end + shift
            failures.append(UnicodeDecodeError(encoding, data, start, end, exc.reason))
    raise max(failures, key=lambda e: e.start)


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
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    start = bom + len(text[:position].encode("utf-8"))
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
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=True
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(_MAX_COLUMNS)}, strings_can_be_null=False
            ),
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
