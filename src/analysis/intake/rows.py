"""Tell what each row below a sheet's header is: a unit, or a blank, totals, note, heading or example row.

The rows are read column by column (`Body`), and each test of a cell's text is computed once
per distinct text (`intake.columns`), so that a million units cost what their vocabulary
costs. The rows skipped with a warning, rows with answers but no unit and units that
answered nothing are reported here (`row_findings`); the values of the units are parsed in
`intake.unit_records`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from analysis.catalogue import Instrument
from analysis.findings import Finding
from analysis.intake import columns as col
from analysis.intake.cells import clean_text, fold, header_key
from analysis.intake.header import Table
from analysis.intake.raw_sheet import RawSheet, sheet_finding

# The order of a row's findings: what the row is (skipped, no unit), then its values column
# by column, then formulas without results, then "no answers".
FIRST, FORMULAS, LAST = 0, 10_000, 20_000
# A section heading inside the table ("一、党委机关", "（二）国家机关") is not a unit.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\([一二三四五六七八九十]{1,3}\))")


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


@dataclass(frozen=True)
class Body:
    """The rows below the header, column by column: row numbers and one text column per cell
    position (as wide as the widest row, and at least the table), short rows padded with ""."""

    numbers: np.ndarray
    columns: list[pa.Array]
    unsaved: dict[int, list[int]]  # index of a row -> table positions of its formulas without results

    @classmethod
    def of(cls, sheet: RawSheet, table: Table) -> Body:
        head = [(n, cells) for n, cells in sheet.rows if n > table.header_row]
        tail = sheet.tail
        width = max([max(table.columns) + 1, *(len(c) for _, c in head), len(tail.columns) if tail else 0])
        columns = [col.text_column([c[p] if p < len(c) else "" for _, c in head]) for p in range(width)]
        numbers = np.array([n for n, _ in head], dtype=np.int64)
        if tail is not None:
            blank = col.text_column([""] * len(tail.numbers))
            columns = [
                pa.concat_arrays([c, tail.columns[p] if p < len(tail.columns) else blank])
                for p, c in enumerate(columns)
            ]
            numbers = np.concatenate([numbers, tail.numbers])
        at = {int(n): i for i, n in enumerate(numbers)} if sheet.unsaved_formulas else {}
        unsaved: dict[int, list[int]] = {}
        for number, position in sorted(sheet.unsaved_formulas):
            if number in at and position in table.columns:
                unsaved.setdefault(at[number], []).append(position)
        return cls(numbers=numbers, columns=columns, unsaved=unsaved)


@dataclass(frozen=True)
class Rows:
    """What every row below the header is, as masks, with each row's cleaned unit name."""

    names: pa.Array  # clean_text of the unit cell
    units: np.ndarray  # rows that are units (with a name)
    answered: np.ndarray  # rows with any answer (or a formula without a result) in the table
    missing_unit: np.ndarray  # rows with answers and no unit name: an error
    skipped: np.ndarray  # object: "total", "heading" or "example" for rows skipped with a warning, else ""

    def named(self, indices: list[int]) -> tuple[list[int], list[str]]:
        """The distinct rows among `indices`, in order, and their unit names."""
        unique = sorted(set(indices))
        return unique, col.texts(self.names, np.array(unique, dtype=np.int64))


def classify(body: Body, table: Table, kinds: dict[str, str], instrument: Instrument) -> Rows:
    """What each row is (blank, totals, example, note, heading, unit), column by column: each
    test once per distinct text, plain texts not at all where the answer is known (see
    `intake.columns`)."""
    markers = _RowMarkers.of(instrument)
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
    # a name and no answer: a note, a heading, or a unit that answered nothing
    quiet = rest & ~answered & ~no_name
    said = col.per_distinct(names, lambda t: _quiet_kind(t, markers), where=quiet, default="")
    skipped = np.full(n, "", dtype=object)
    skipped[total], skipped[example] = "total", "example"
    skipped[said == "heading"] = "heading"
    return Rows(
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
    hits = col.per_text(
        column,
        lambda t: header_key(t) in markers.totals,
        candidates=lambda c: ~col.plain(c) | col.containing(c, characters),
    )
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
    folded = col.per_distinct(
        names, lambda t: "".join(fold(t).split()).startswith(markers.examples), where=~plain, default=False
    )
    starts |= folded.astype(bool)
    return starts


def row_findings(sheet: RawSheet, body: Body, table: Table, rows: Rows) -> list[tuple[int, int, Finding]]:
    """Per row, what `sheet_records` always said: rows skipped with a warning, rows with answers
    and no unit, units that answered nothing. (row index, order in the row, finding)."""
    what = {"total": "a totals row", "heading": "a section heading", "example": "an example row"}
    skipped = np.flatnonzero(rows.skipped != "")
    silent = np.flatnonzero(rows.units & ~rows.answered)
    where, names = rows.named([*skipped, *silent])
    name = dict(zip(where, names, strict=True))
    unit_column = table.written["unit_name"]
    found = [
        (i, FIRST, sheet_finding(
            sheet, row=int(body.numbers[i]), value=name[i] or None, severity="warning",
            expected=f"skipped: {what[rows.skipped[i]]}, not a unit", kind="skipped_row",
        ))
        for i in skipped
    ]
    found += [
        (i, FIRST, sheet_finding(
            sheet, row=int(body.numbers[i]), column=unit_column, value="", severity="error",
            expected="the unit's name (the row has answers but no unit)", kind="missing_unit",
        ))
        for i in np.flatnonzero(rows.missing_unit)
    ]
    found += [
        (i, LAST, sheet_finding(
            sheet, row=int(body.numbers[i]), column=unit_column, value=name[i], severity="warning",
            expected="answers; this unit answered no question and is counted as surveyed with no answers",
            kind="unit_without_answers", unit=name[i],
        ))
        for i in silent
    ]
    return found
