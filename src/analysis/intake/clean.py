"""Turn sheets of text into unit records: find the table, map headers to fields, parse values.

A form arrives with title rows, serial-number and remarks columns, blank, totals and notes
rows; only the rows that are units come out. Every problem is returned as a finding with
the place a person would look, never raised one at a time.

The steps, each in its own module: find the header and map its columns to fields
(`intake.header`), tell what each row below it is (`intake.rows`), parse the units' values
and build the table (`intake.unit_records`). The header is found row by row in the first rows;
the table below it is read column by column, each function of a cell's text computed once
per distinct text (`intake.columns`), so that a million units cost what their vocabulary
costs. The decisions are those the row-by-row loop made before; tests/intake/test_intake_scale.py
keeps that loop as the reference and checks that both give the same records and findings.
"""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import Instrument
from analysis.findings import Finding, errors
from analysis.intake.header import HEADER_SEARCH_ROWS, MIN_HEADER_FIELDS, header_index, locate_table
from analysis.intake.raw_sheet import RawSheet, sheet_finding
from analysis.intake.rows import Body, classify, is_example_sheet, row_findings
from analysis.intake.unit_records import (
    SOURCE_COLUMNS,
    Record,
    empty_table,
    formula_problems,
    parse_columns,
    table_records,
    unit_table,
)

__all__ = [
    "HEADER_SEARCH_ROWS",
    "MIN_HEADER_FIELDS",
    "SOURCE_COLUMNS",
    "Record",
    "header_index",
    "is_example_sheet",
    "locate_table",
    "sheet_records",
    "sheet_table",
    "table_records",
]


def sheet_records(sheet: RawSheet, instrument: Instrument) -> tuple[list[Record], list[Finding]]:
    """The unit rows of one sheet as records (see `sheet_table`, of which this is the row view)."""
    table, findings = sheet_table(sheet, instrument)
    return table_records(table), findings


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
        expected = (
            f"a header row naming the fields (such as {sample}) within the first {HEADER_SEARCH_ROWS} rows;"
            " none was found"
        )
        return empty_table(), [sheet_finding(sheet, severity="error", expected=expected, kind="no_header")]
    if is_example_sheet(sheet, instrument):
        expected = "skipped: example rows on an instructions sheet, not returns"
        skipped = sheet_finding(sheet, severity="warning", expected=expected, kind="skipped_sheet")
        return empty_table(), [skipped]
    if "unit_name" not in table.written:
        return empty_table(), findings
    header_ok = not errors(findings)
    body = Body.of(sheet, table)
    kinds = {spec.name: spec.kind for spec in instrument.fields}
    rows = classify(body, table, kinds, instrument)
    values, problems = parse_columns(body, table, kinds, instrument, rows.units)
    problems += formula_problems(sheet, body, table, rows.units)
    found = row_findings(sheet, body, table, rows)
    names = dict(zip(*rows.named([i for i, _, _ in problems]), strict=True))
    found += [
        (i, order, sheet_finding(
            sheet, row=int(body.numbers[i]), column=column, value=value, severity="error",
            expected=expected, kind="bad_value", unit=names[i],
        ))
        for i, order, (column, value, expected) in problems
    ]
    found.sort(key=lambda item: (item[0], item[1]))
    findings += [finding for _, _, finding in found]
    keep = rows.units.copy()
    keep[[i for i, _, _ in problems]] = False
    if not header_ok:
        keep[:] = False
    return unit_table(values, sheet, body.numbers, keep), findings
