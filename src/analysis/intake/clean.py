"""Turn sheets of text into unit records: find the table, map headers to fields, parse values.

A form arrives with title rows, serial-number and remarks columns, blank, totals and notes
rows; only the rows that are units come out. Every problem is returned as a finding with
the place a person would look, never raised one at a time.

The header is found row by row in the first rows; the table below it is read column by
column (`sheet_table`), each function of a cell's text computed once per distinct text
(`intake.columns`), so that a million units cost what their vocabulary costs. The decisions
are those the row-by-row loop made before; tests/test_intake_scale.py keeps that loop as
the reference and checks that both give the same records and findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.catalogue import Instrument
from analysis.findings import Finding, errors
from analysis.intake import columns as col
from analysis.intake.cells import (
    answer_vocabulary,
    clean_text,
    expected_answers,
    expected_count,
    fold,
    header_key,
    parse_answer,
    parse_count,
)
from analysis.intake.read import HEAD_ROWS, RawSheet

HEADER_SEARCH_ROWS = 30
assert HEADER_SEARCH_ROWS < HEAD_ROWS, "the header (and the row below it) must be among the rows read cell by cell"
# Columns of a sheet's table besides the fields: where each unit row came from.
SOURCE_COLUMNS = ("source_file", "source_sheet", "source_row")
# The order of a row's findings: what the row is (skipped, no unit), then its values column
# by column, then formulas without results, then "no answers".
_FIRST, _FORMULAS, _LAST = 0, 10_000, 20_000
# A header row names at least this many fields: a contact list with a 单位名称 column is not the table.
MIN_HEADER_FIELDS = 3
# A section heading inside the table ("一、党委机关", "（二）国家机关") is not a unit.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))")


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


@dataclass(frozen=True)
class _RowMarkers:
    """What marks a row as not a unit, folded once per sheet.

    `totals` are header keys ("合 计", "合计：", "总计（38个）"), `notes` and `examples`
    folded prefixes (examples also without spaces).
    """

    totals: set[str]
    notes: tuple[str, ...]
    examples: tuple[str, ...]

    @classmethod
    def of(cls, instrument: Instrument) -> _RowMarkers:
        return cls(
            {header_key(t) for t in instrument.total_markers},
            tuple(fold(p) for p in instrument.note_prefixes),
            tuple("".join(fold(p).split()) for p in instrument.example_row_prefixes),
        )


def is_example_sheet(sheet: RawSheet, instrument: Instrument) -> bool:
    """A sheet named as instructions or an example (填表说明, 示例): its rows show how to fill in the form."""
    title = "".join(fold(sheet.sheet or "").split())
    return any("".join(fold(m).split()) in title for m in instrument.example_sheet_markers)


@dataclass
class _Table:
    header_row: int
    columns: dict[int, str]  # cell position -> field name
    written: dict[str, str] = field(default_factory=dict)  # field name -> header as written


def header_index(instrument: Instrument) -> dict[str, str | None]:
    """Header key -> field name; None marks recognised columns that are not answers."""
    index: dict[str, str | None] = {header_key(h): None for h in instrument.ignored_headers}
    for spec in instrument.fields:
        index.update({header_key(h): spec.name for h in spec.accepted_headers})
    return index


def locate_table(
    sheet: RawSheet, instrument: Instrument, index: dict[str, str | None]
) -> tuple[_Table | None, list[Finding]]:
    """The header row is the early row naming the most fields (at least MIN_HEADER_FIELDS).

    The unit column is not needed to find it, so that a table without one is reported as
    missing that column rather than as having no header at all. A header written over two
    rows (the link names above the questions, the unit column in only one of the rows) is
    read as one: see `_header_cells`.
    """
    early = sheet.rows[:HEADER_SEARCH_ROWS]
    best: tuple[int, int] | None = None  # (index in early, fields named)
    for i, (_, cells) in enumerate(early):
        hits = len(_fields_named(cells, index))
        if hits >= MIN_HEADER_FIELDS and (best is None or hits > best[1]):
            best = (i, hits)
    if best is None:
        return None, []
    number = early[best[0]][0]
    last_row, cells = _header_cells(early, best[0], index)
    table, findings = _Table(last_row, {}), []
    for position, text in enumerate(cells):
        if not text.strip():
            continue
        key = header_key(text)
        name = index.get(key, "")
        if name is None:
            continue
        if name == "":
            findings.append(_at(sheet, row=number, column=text, severity="warning", expected="a column of the instrument; this column is ignored", kind="unknown_column"))
        elif name in table.written:
            findings.append(_at(sheet, row=number, column=text, severity="error", expected=f"one column for {name}, but {table.written[name]!r} names it too", kind="duplicate_column"))
        else:
            table.columns[position] = name
            table.written[name] = text
    for spec in instrument.fields:
        if spec.required and spec.name not in table.written:
            findings.append(_at(sheet, row=number, severity="error", expected=f"a column {spec.label_zh} ({spec.name}); it is missing from the header row", kind="missing_column"))
    return table, findings


def _fields_named(cells: tuple[str, ...], index: dict[str, str | None]) -> dict[int, str]:
    """Cell position -> the field its text names, for the cells of a row that name one."""
    named = {p: index.get(header_key(c)) for p, c in enumerate(cells) if c.strip()}
    return {p: n for p, n in named.items() if n}


def _header_cells(rows: tuple[tuple[int, tuple[str, ...]], ...], best: int, index: dict[str, str | None]) -> tuple[int, tuple[str, ...]]:
    """The header's cells and its last row: the best row, completed from the row above or below.

    Forms often split the header over two rows: link names (责任分解, 责任考核, 责任追究)
    merged above the questions in the first, the questions in the second, and the unit
    column written in one of them only. A column the best row does not name takes the
    field its neighbour names there; the neighbour that adds most fields is used, and the
    table starts below both. A data row names no field, so it adds nothing.
    """
    number, cells = rows[best]
    named = _fields_named(cells, index)
    neighbours = [j for j in (best - 1, best + 1) if 0 <= j < len(rows)]  # blank rows are not in `rows`
    adds = {
        j: {p: n for p, n in _fields_named(rows[j][1], index).items() if p not in named and n not in named.values()}
        for j in neighbours
    }
    # The neighbour adding most fields; on a tie the row above, as headers stack downwards.
    j = max(neighbours, key=lambda k: (len(adds[k]), -k), default=None)
    if j is None or not adds[j]:
        return number, cells
    other = rows[j][1]
    width = max(len(cells), len(other))
    padded = cells + ("",) * (width - len(cells))
    return max(number, rows[j][0]), tuple(other[p] if p in adds[j] else text for p, text in enumerate(padded))


def _at(
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
    return Finding(severity=severity, file=sheet.file, row=row, column=column, value=value, expected=expected, sheet=sheet.sheet, unit=unit, kind=kind)  # type: ignore[arg-type]


def sheet_records(sheet: RawSheet, instrument: Instrument) -> tuple[list[Record], list[Finding]]:
    """The unit rows of one sheet as records (see `sheet_table`, of which this is the row view)."""
    table, findings = sheet_table(sheet, instrument)
    return table_records(table), findings


def table_records(table: pd.DataFrame) -> list[Record]:
    """A sheet's table as one record per unit; a field the sheet has no column for is not in `values`."""
    fields = [c for c in table.columns if c not in SOURCE_COLUMNS]
    return [
        Record(values={f: (None if v is pd.NA else v) for f, v in zip(fields, values, strict=True)}, file=file, sheet=None if sheet is pd.NA else sheet, row=int(row))
        for *values, file, sheet, row in table[[*fields, *SOURCE_COLUMNS]].astype(object).itertuples(index=False)
    ]


def sheet_table(sheet: RawSheet, instrument: Instrument) -> tuple[pd.DataFrame, list[Finding]]:
    """The unit rows of one sheet, parsed, as a typed table (the fields the sheet has columns
    for, then SOURCE_COLUMNS); a sheet with no header row is an error.

    Rows are still checked when the header row has problems, so that one run lists every
    problem of the file; but such a sheet gives no rows, since its answers are incomplete.
    """
    index = header_index(instrument)
    table, findings = locate_table(sheet, instrument, index)
    if table is None:
        sample = ", ".join(instrument.field(n).label_zh for n in ("unit_name", "decomposition_plan"))
        return _empty(), [_at(sheet, severity="error", expected=f"a header row naming the fields (such as {sample}) within the first {HEADER_SEARCH_ROWS} rows; none was found", kind="no_header")]
    if is_example_sheet(sheet, instrument):
        return _empty(), [_at(sheet, severity="warning", expected="skipped: example rows on an instructions sheet, not returns", kind="skipped_sheet")]
    if "unit_name" not in table.written:
        return _empty(), findings
    header_ok = not errors(findings)
    body = _Body.of(sheet, table)
    kinds = {spec.name: spec.kind for spec in instrument.fields}
    rows = _classify(body, table, kinds, _RowMarkers.of(instrument))
    values, problems = _parse_columns(body, table, kinds, instrument, rows.units)
    problems += _formula_problems(sheet, body, table, rows.units)
    found = _row_findings(sheet, body, table, rows)
    names = dict(zip(*_named(rows, [i for i, _, _ in problems]), strict=True))
    found += [
        (i, order, _at(sheet, row=int(body.numbers[i]), column=column, value=value, severity="error", expected=expected, kind="bad_value", unit=names[i]))
        for i, order, (column, value, expected) in problems
    ]
    found.sort(key=lambda item: (item[0], item[1]))
    findings += [finding for _, _, finding in found]
    keep = rows.units.copy()
    keep[[i for i, _, _ in problems]] = False
    if not header_ok:
        keep[:] = False
    return _unit_table(values, sheet, body.numbers, keep), findings


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.array([], dtype="Int64" if c == "source_row" else "string") for c in SOURCE_COLUMNS})


@dataclass(frozen=True)
class _Body:
    """The rows below the header, column by column: row numbers and one text column per cell
    position (as wide as the widest row, and at least the table), short rows padded with ""."""

    numbers: np.ndarray
    columns: list[pa.Array]
    unsaved: dict[int, list[int]]  # index of a row -> table positions of its formulas without results

    @classmethod
    def of(cls, sheet: RawSheet, table: _Table) -> _Body:
        head = [(n, cells) for n, cells in sheet.rows if n > table.header_row]
        tail = sheet.tail
        width = max([max(table.columns) + 1, *(len(c) for _, c in head), len(tail.columns) if tail else 0])
        columns = [col.text_column([c[p] if p < len(c) else "" for _, c in head]) for p in range(width)]
        numbers = np.array([n for n, _ in head], dtype=np.int64)
        if tail is not None:
            blank = col.text_column([""] * len(tail.numbers))
            columns = [pa.concat_arrays([c, tail.columns[p] if p < len(tail.columns) else blank]) for p, c in enumerate(columns)]
            numbers = np.concatenate([numbers, tail.numbers])
        at = {int(n): i for i, n in enumerate(numbers)} if sheet.unsaved_formulas else {}
        unsaved: dict[int, list[int]] = {}
        for number, position in sorted(sheet.unsaved_formulas):
            if number in at and position in table.columns:
                unsaved.setdefault(at[number], []).append(position)
        return cls(numbers=numbers, columns=columns, unsaved=unsaved)


@dataclass(frozen=True)
class _Rows:
    """What every row below the header is, as masks, with each row's cleaned unit name."""

    names: pa.Array  # clean_text of the unit cell
    units: np.ndarray  # rows that are units (with a name)
    answered: np.ndarray  # rows with any answer (or a formula without a result) in the table
    missing_unit: np.ndarray  # rows with answers and no unit name: an error
    skipped: np.ndarray  # object: "total", "heading" or "example" for rows skipped with a warning, else ""


def _classify(body: _Body, table: _Table, kinds: dict[str, str], markers: _RowMarkers) -> _Rows:
    """What each row is (blank, totals, example, note, heading, unit), column by column: each test once per distinct text, plain texts not at all
    where the answer is known (see `intake.columns`)."""
    n = len(body.numbers)
    raw = body.columns[next(p for p, name in table.columns.items() if name == "unit_name")]
    names = col.mapped(raw, clean_text, same=col.plain(raw))  # a plain text is its own clean text
    no_name = col.equal(names, "")
    answered = np.zeros(n, dtype=bool)
    for p, name in table.columns.items():
        if kinds[name] != "text":
            answered |= col.nonblank(body.columns[p])
    answered[list(body.unsaved)] = True
    total = _totals(names, markers)
    for p, column in enumerate(body.columns):
        if p not in table.columns:
            total |= _totals(column, markers, where=col.nonblank(column))
    example = ~total & _examples(names, markers)
    rest = ~total & ~example
    quiet = rest & ~answered & ~no_name  # a name and no answer: a note, a heading, or a unit that answered nothing
    said = col.per_distinct(names, lambda t: _quiet_kind(t, markers), where=quiet, default="")
    skipped = np.full(n, "", dtype=object)
    skipped[total], skipped[example] = "total", "example"
    skipped[said == "heading"] = "heading"
    return _Rows(
        names=names,
        units=rest & ~no_name & (answered | (said == "unit")),
        answered=answered,
        missing_unit=rest & answered & no_name,
        skipped=skipped,
    )


def _quiet_kind(unit: str, markers: _RowMarkers) -> str:
    """What a row with a unit name and no answer is: a note, a section heading or a unit."""
    if fold(unit).startswith(markers.notes):
        return "note"
    if _HEADING.match("".join(fold(unit).split())):
        return "heading"
    return "unit"


def _totals(column: pa.Array, markers: _RowMarkers, where: np.ndarray | None = None) -> np.ndarray:
    """Rows whose text, as a header key, is a totals marker ("合 计", "总计（38个）").

    header_key only drops characters from a plain text (which is already folded), so a plain
    text without any character of the markers cannot be one: only the others are keyed.
    """
    characters = {c for key in markers.totals for c in key}
    hits = col.per_text(column, lambda t: header_key(t) in markers.totals, candidates=lambda c: ~col.plain(c) | col.containing(c, characters))
    return hits if where is None else hits & where


def _examples(names: pa.Array, markers: _RowMarkers) -> np.ndarray:
    """Rows whose unit name starts with an example marker, once folded and without spaces.

    A plain name is its own folded form, so it is compared as it is; only the others are folded.
    """
    plain = col.plain(names)
    starts = np.zeros(len(names), dtype=bool)
    for prefix in markers.examples:
        starts |= col.starts_with(names, prefix)
    starts &= plain
    starts |= col.per_distinct(names, lambda t: "".join(fold(t).split()).startswith(markers.examples), where=~plain, default=False).astype(bool)
    return starts


def _named(rows: _Rows, indices: list[int]) -> tuple[list[int], list[str]]:
    unique = sorted(set(indices))
    return unique, col.texts(rows.names, np.array(unique, dtype=np.int64))


def _row_findings(sheet: RawSheet, body: _Body, table: _Table, rows: _Rows) -> list[tuple[int, int, Finding]]:
    """Per row, what `sheet_records` always said: rows skipped with a warning, rows with answers
    and no unit, units that answered nothing. (row index, order in the row, finding)."""
    what = {"total": "a totals row", "heading": "a section heading", "example": "an example row"}
    skipped = np.flatnonzero(rows.skipped != "")
    silent = np.flatnonzero(rows.units & ~rows.answered)
    where, names = _named(rows, [*skipped, *silent])
    name = dict(zip(where, names, strict=True))
    found = [
        (i, _FIRST, _at(sheet, row=int(body.numbers[i]), value=name[i] or None, severity="warning", expected=f"skipped: {what[rows.skipped[i]]}, not a unit", kind="skipped_row"))
        for i in skipped
    ]
    found += [
        (i, _FIRST, _at(sheet, row=int(body.numbers[i]), column=table.written["unit_name"], value="", severity="error", expected="the unit's name (the row has answers but no unit)", kind="missing_unit"))
        for i in np.flatnonzero(rows.missing_unit)
    ]
    found += [
        (i, _LAST, _at(sheet, row=int(body.numbers[i]), column=table.written["unit_name"], value=name[i], severity="warning", expected="answers; this unit answered no question and is counted as surveyed with no answers", kind="unit_without_answers", unit=name[i]))
        for i in silent
    ]
    return found


def _parse_columns(body: _Body, table: _Table, kinds: dict[str, str], instrument: Instrument, units: np.ndarray) -> tuple[dict[str, object], list[tuple[int, int, tuple[str, str, str]]]]:
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
            value, missing, refused = col.parse_column(column, lambda t, s=spec: parse_count(t, instrument.count_suffixes, s.max), units)
            values[name] = pd.arrays.IntegerArray(value, missing)
            expected = expected_count(instrument.count_suffixes, spec.max)
        bad = np.flatnonzero(refused)
        problems += [(i, order, (table.written[name], text, expected)) for i, text in zip(bad, col.texts(column, bad), strict=True)]
    return values, problems


def _repeated(text: str | None, n: int) -> pd.api.extensions.ExtensionArray:
    """The same text (or none) n times, as a string column, without n Python strings."""
    one = pa.array([text], pa.large_string())
    return pd.array(one.take(pa.array(np.zeros(n, dtype=np.int64))), dtype="string")


def _blank_is_none(column: pa.Array) -> pa.Array:
    """A blank text is no value (None)."""
    return pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)


def _formula_problems(sheet: RawSheet, body: _Body, table: _Table, units: np.ndarray) -> list[tuple[int, int, tuple[str, str, str]]]:
    expected = "a value: the cell holds a formula whose result was never saved, or is an error (formulas are not calculated here); open the file in Excel or WPS and save it, or type the value"
    return [
        (i, _FORMULAS + p, (table.written[table.columns[p]], sheet.unsaved_formulas[(int(body.numbers[i]), p)], expected))
        for i, positions in body.unsaved.items() if units[i]
        for p in positions
    ]


def _unit_table(values: dict[str, object], sheet: RawSheet, numbers: np.ndarray, keep: np.ndarray) -> pd.DataFrame:
    """The kept rows: each field's typed values, then where the row came from."""
    rows = np.flatnonzero(keep)
    data = {name: array.take(rows) for name, array in values.items()}
    data["source_file"] = _repeated(sheet.file, len(rows))
    data["source_sheet"] = _repeated(sheet.sheet, len(rows))
    data["source_row"] = pd.array(numbers[rows], dtype="Int64")
    return pd.DataFrame(data)
