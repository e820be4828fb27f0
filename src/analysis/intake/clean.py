"""Turn sheets of text into unit records: find the table, map headers to fields, parse values.

A form arrives with title rows, serial-number and remarks columns, blank, totals and notes
rows; only the rows that are units come out. Every problem is returned as a finding with
the place a person would look, never raised one at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.catalogue import Instrument
from analysis.findings import Finding, errors
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
from analysis.intake.read import RawSheet

HEADER_SEARCH_ROWS = 30
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


def _row_kind(unit: str, answers: list[str], others: list[str], markers: _RowMarkers) -> str:
    """'unit', or why the row is not a unit: blank, a totals row, an example, a note or a section heading."""
    if header_key(unit) in markers.totals or any(header_key(c) in markers.totals for c in others if c.strip()):
        return "total"
    if "".join(fold(unit).split()).startswith(markers.examples):
        return "example"
    if any(a.strip() for a in answers):
        return "unit"
    if not unit:
        return "note" if any(c.strip() for c in others) else "blank"
    if fold(unit).startswith(markers.notes):
        return "note"
    if _HEADING.match("".join(fold(unit).split())):
        return "heading"
    return "unit"


def sheet_records(sheet: RawSheet, instrument: Instrument) -> tuple[list[Record], list[Finding]]:
    """The unit rows of one sheet, parsed; a sheet with no header row is an error.

    Rows are still checked when the header row has problems, so that one run lists every
    problem of the file; but such a sheet gives no records, since its answers are incomplete.
    """
    index = header_index(instrument)
    table, findings = locate_table(sheet, instrument, index)
    if table is None:
        sample = ", ".join(instrument.field(n).label_zh for n in ("unit_name", "decomposition_plan"))
        return [], [_at(sheet, severity="error", expected=f"a header row naming the fields (such as {sample}) within the first {HEADER_SEARCH_ROWS} rows; none was found", kind="no_header")]
    if is_example_sheet(sheet, instrument):
        return [], [_at(sheet, severity="warning", expected="skipped: example rows on an instructions sheet, not returns", kind="skipped_sheet")]
    if "unit_name" not in table.written:
        return [], findings
    header_ok = not errors(findings)
    vocabulary = answer_vocabulary(instrument)
    kinds = {spec.name: spec.kind for spec in instrument.fields}
    unit_pos = next(p for p, n in table.columns.items() if n == "unit_name")
    markers = _RowMarkers.of(instrument)
    records = []
    for number, cells in sheet.rows:
        if number <= table.header_row:
            continue
        cells = cells + ("",) * (max(table.columns) + 1 - len(cells))
        unit = clean_text(cells[unit_pos])  # without invisible characters: a name of only those is blank
        unsaved = {p for (n, p) in sheet.unsaved_formulas if n == number and p in table.columns}
        answers = [cells[p] for p, n in table.columns.items() if kinds[n] != "text"] + ["formula"] * len(unsaved)
        others = [c for p, c in enumerate(cells) if p not in table.columns]
        kind = _row_kind(unit=unit, answers=answers, others=others, markers=markers)
        if kind in ("blank", "note"):
            continue
        if kind in ("total", "heading", "example"):
            what = {"total": "a totals row", "heading": "a section heading", "example": "an example row"}[kind]
            findings.append(_at(sheet, row=number, value=unit or None, severity="warning", expected=f"skipped: {what}, not a unit", kind="skipped_row"))
            continue
        if not unit:
            findings.append(_at(sheet, row=number, column=table.written["unit_name"], value="", severity="error", expected="the unit's name (the row has answers but no unit)", kind="missing_unit"))
            continue
        values, row_findings = _parse_row(cells=cells, table=table, kinds=kinds, vocabulary=vocabulary, instrument=instrument)
        row_findings += [
            (table.written[table.columns[p]], sheet.unsaved_formulas[(number, p)], "a value: the cell holds a formula whose result was never saved, or is an error (formulas are not calculated here); open the file in Excel or WPS and save it, or type the value")
            for p in sorted(unsaved)
        ]
        findings += [_at(sheet, row=number, column=col, value=val, severity="error", expected=exp, kind="bad_value", unit=unit) for col, val, exp in row_findings]
        if not any(a.strip() for a in answers):
            findings.append(_at(sheet, row=number, column=table.written["unit_name"], value=unit, severity="warning", expected="answers; this unit answered no question and is counted as surveyed with no answers", kind="unit_without_answers", unit=unit))
        if header_ok and not row_findings:
            records.append(Record(values=values, file=sheet.file, sheet=sheet.sheet, row=number))
    return records, findings


def _parse_row(cells, table, kinds, vocabulary, instrument) -> tuple[dict[str, object], list[tuple[str, str, str]]]:
    values: dict[str, object] = {}
    problems = []
    for position, name in table.columns.items():
        text = cells[position]
        try:
            if kinds[name] == "yes_no":
                values[name] = parse_answer(text, vocabulary)
            elif kinds[name] == "count":
                values[name] = parse_count(text, instrument.count_suffixes, instrument.field(name).max)
            else:
                values[name] = clean_text(text) or None
        except ValueError:
            if kinds[name] == "yes_no":
                expected = expected_answers(instrument)
            else:
                expected = expected_count(instrument.count_suffixes, instrument.field(name).max)
            problems.append((table.written[name], text, expected))
    return values, problems
