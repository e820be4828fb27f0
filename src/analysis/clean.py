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
from analysis.read import RawSheet
from analysis.values import (
    answer_vocabulary,
    expected_answers,
    expected_count,
    fold,
    header_key,
    parse_answer,
    parse_count,
)

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
    missing that column rather than as having no header at all.
    """
    best: tuple[int, int, tuple[str, ...]] | None = None
    for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        hits = len({index.get(header_key(c)) for c in cells if c.strip()} - {None})
        if hits >= MIN_HEADER_FIELDS and (best is None or hits > best[1]):
            best = (number, hits, cells)
    if best is None:
        return None, []
    number, _, cells = best
    table, findings = _Table(number, {}), []
    for position, text in enumerate(cells):
        if not text.strip():
            continue
        key = header_key(text)
        name = index.get(key, "")
        if name is None:
            continue
        if name == "":
            findings.append(_at(sheet, number, text, None, "warning", "a column of the instrument; this column is ignored", "unknown_column"))
        elif name in table.written:
            findings.append(_at(sheet, number, text, None, "error", f"one column for {name}, but {table.written[name]!r} names it too", "duplicate_column"))
        else:
            table.columns[position] = name
            table.written[name] = text
    for spec in instrument.fields:
        if spec.required and spec.name not in table.written:
            findings.append(_at(sheet, number, None, None, "error", f"a column {spec.label_zh} ({spec.name}); it is missing from the header row", "missing_column"))
    return table, findings


def _at(sheet: RawSheet, row: int | None, column: str | None, value: str | None, severity: str, expected: str, kind: str, unit: str | None = None) -> Finding:
    return Finding(severity, sheet.file, row, column, value, expected, sheet.sheet, unit, kind)  # type: ignore[arg-type]


def _row_kind(unit: str, answers: list[str], others: list[str], totals: set[str], note_prefixes: tuple[str, ...]) -> str:
    """'unit', or why the row is not a unit: blank, a totals row, a note or a section heading.

    `totals` are the total markers as header keys, `note_prefixes` the note prefixes folded.
    """
    if header_key(unit) in totals or any(header_key(c) in totals for c in others if c.strip()):
        return "total"
    if any(a.strip() for a in answers):
        return "unit"
    if not unit.strip():
        return "note" if any(c.strip() for c in others) else "blank"
    if fold(unit).startswith(note_prefixes):
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
        return [], [_at(sheet, None, None, None, "error", f"a header row naming the fields (such as {sample}) within the first {HEADER_SEARCH_ROWS} rows; none was found", "no_header")]
    if "unit_name" not in table.written:
        return [], findings
    header_ok = not errors(findings)
    vocabulary = answer_vocabulary(instrument)
    kinds = {spec.name: spec.kind for spec in instrument.fields}
    unit_pos = next(p for p, n in table.columns.items() if n == "unit_name")
    totals = {header_key(t) for t in instrument.total_markers}  # "合 计", "合计：", "总计（38个）"
    note_prefixes = tuple(fold(p) for p in instrument.note_prefixes)
    records = []
    for number, cells in sheet.rows:
        if number <= table.header_row:
            continue
        cells = cells + ("",) * (max(table.columns) + 1 - len(cells))
        unit = cells[unit_pos]
        unsaved = {p for (n, p) in sheet.unsaved_formulas if n == number and p in table.columns}
        answers = [cells[p] for p, n in table.columns.items() if kinds[n] != "text"] + ["formula"] * len(unsaved)
        others = [c for p, c in enumerate(cells) if p not in table.columns]
        kind = _row_kind(unit, answers, others, totals, note_prefixes)
        if kind in ("blank", "note"):
            continue
        if kind in ("total", "heading"):
            what = "a totals row" if kind == "total" else "a section heading"
            findings.append(_at(sheet, number, None, unit or None, "warning", f"skipped: {what}, not a unit", "skipped_row"))
            continue
        if not unit.strip():
            findings.append(_at(sheet, number, table.written["unit_name"], "", "error", "the unit's name (the row has answers but no unit)", "missing_unit"))
            continue
        values, row_findings = _parse_row(cells, table, kinds, vocabulary, instrument)
        row_findings += [
            (table.written[table.columns[p]], sheet.unsaved_formulas[(number, p)], "a value: the cell holds a formula whose result was never saved (formulas are not calculated here); open the file in Excel or WPS and save it, or type the value")
            for p in sorted(unsaved)
        ]
        findings += [_at(sheet, number, col, val, "error", exp, "bad_value", unit.strip()) for col, val, exp in row_findings]
        if not any(a.strip() for a in answers):
            findings.append(_at(sheet, number, table.written["unit_name"], unit.strip(), "warning", "answers; this unit answered no question and is counted as surveyed with no answers", "unit_without_answers", unit.strip()))
        if header_ok and not row_findings:
            records.append(Record(values, sheet.file, sheet.sheet, number))
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
                values[name] = parse_count(text, instrument.count_suffixes)
            else:
                values[name] = " ".join(text.split()) or None
        except ValueError:
            expected = expected_answers(instrument) if kinds[name] == "yes_no" else expected_count(instrument.count_suffixes)
            problems.append((table.written[name], text, expected))
    return values, problems
