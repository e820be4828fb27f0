"""A year folder's returns as one table of unit rows, before unit names are merged.

Shared by the pipeline (which checks and publishes a year) and the roster (which only asks who
returned a form), so that both read a folder exactly alike.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.catalogue import Instrument
from analysis.findings import Finding
from analysis.intake.cells import fold
from analysis.intake.clean import is_example_sheet, sheet_table
from analysis.intake.raw_sheet import RawSheet
from analysis.intake.read import list_return_files, read_return_file
from analysis.intake.unit_names import concat_tables


def read_year(
    year_dir: Path, label: str, instrument: Instrument
) -> tuple[pd.DataFrame, list[Path], list[Finding]]:
    """Every unit row of every file in a year folder, as one table in the order read, with all findings.

    A sheet without a table beside one with a table is skipped with a warning, unless it is the
    instructions sheet of the project's own form (`form_instructions`): a form returned as sent
    must read without a warning.
    """
    files, findings = list_return_files(year_dir, label)
    tables: list[pd.DataFrame] = []
    for path in files:
        sheets, file_findings = read_return_file(path, label)
        findings += file_findings
        results = [sheet_table(sheet, instrument) for sheet in sheets]
        words_only = [form_instructions(sheet, instrument) for sheet in sheets]
        del sheets  # the cells are in the tables now; a million rows of text need not stay
        with_table = [r for r in results if not any(f.kind == "no_header" for f in r[1])]
        for (sheet_rows, sheet_findings), instructions in zip(results, words_only, strict=True):
            if with_table and any(f.kind == "no_header" for f in sheet_findings):
                if instructions:
                    continue
                findings += [
                    Finding(
                        severity="warning",
                        file=f.file,
                        sheet=f.sheet,
                        expected="skipped: no table of returns on this sheet",
                        kind="skipped_sheet",
                    )
                    for f in sheet_findings
                ]
                continue
            tables.append(sheet_rows)
            findings += sheet_findings
    if not files:
        findings.append(
            Finding(
                severity="error",
                file=label,
                expected=(
                    "at least one return (.xlsx, .xlsm, .xls, .ods, .csv or .parquet) in the year folder"
                ),
                kind="empty_year",
            )
        )
    return concat_tables(tables, instrument), files, findings


def form_instructions(sheet: RawSheet, instrument: Instrument) -> bool:
    """The instructions sheet of a form this project wrote (`python -m analysis forms`): named as
    instructions (填表说明) and headed with the form's title ("2005年…一览表填表说明").
    Another office's instructions sheet without a table is still skipped with a warning."""
    if not is_example_sheet(sheet, instrument) or not sheet.rows:
        return False
    first = next((c for c in sheet.rows[0][1] if c.strip()), "")
    return fold(instrument.title_zh) in fold(first)
