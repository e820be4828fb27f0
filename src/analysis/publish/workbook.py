"""The teams' workbook: every year's tables in one Excel file, `reports/tables.xlsx`.

Reviewers read the HTML; teams filter, sort and copy figures, and for that a spreadsheet
is the tool. The workbook is made from the processed folder only (`store.read_year`),
never from the returns, so it holds exactly the figures of `indicators.csv` and the pages.

Shaping and writing are kept apart, and so are the words: `workbook_tables` makes each
sheet's tables (pure functions, one a sheet), `workbook_xlsx` lays them out (formats,
widths, the About sheet), and `workbook_words` says every header, sheet name and note
from the wording catalogue, in Chinese and in English. This module puts them together,
and every name other code uses is importable from here.
"""

from __future__ import annotations

from pathlib import Path

from analysis import store
from analysis.catalogue import Catalogue, Instrument, load_catalogue, load_instrument
from analysis.pipeline import YearResult
from analysis.publish import workbook_words
from analysis.publish.workbook_tables import (
    CELL_LIMIT,
    Column,
    Kind,
    Sheet,
    Table,
    answers_table,
    cell_parts,
    comparison_table,
    counted_units,
    counted_units_table,
    follow_up_table,
    fraction,
    indicators_long,
    indicators_wide,
    labels,
    quality_table,
    read_years,
)
from analysis.publish.workbook_xlsx import (
    CELLS_IN_MEMORY,
    FIXED_CREATED,
    MAX_WIDTH,
    MIN_WIDTH,
    about_tables,
    check_sheet_name,
    column_widths,
    created_time,
    display_width,
    is_formula_like,
    shown,
    write_xlsx,
)

__all__ = [
    "CELLS_IN_MEMORY",
    "CELL_LIMIT",
    "FIXED_CREATED",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "WORKBOOK",
    "Column",
    "Kind",
    "Sheet",
    "Table",
    "about_tables",
    "answers_table",
    "cell_parts",
    "check_sheet_name",
    "column_widths",
    "comparison_table",
    "counted_units",
    "counted_units_table",
    "created_time",
    "display_width",
    "follow_up_table",
    "fraction",
    "indicators_long",
    "indicators_wide",
    "is_formula_like",
    "labels",
    "quality_table",
    "read_years",
    "shown",
    "workbook_sheets",
    "write_workbook",
    "write_xlsx",
]

WORKBOOK = "tables.xlsx"


def workbook_sheets(
    results: dict[int, YearResult], catalogue: Catalogue, instrument: Instrument
) -> list[Sheet]:
    """Every sheet of the workbook, in order, the About sheet first."""
    said = workbook_words.sheets()
    long = indicators_long(results, catalogue)
    sheets = [
        Sheet(*said["long"], (long,)),
        Sheet(*said["wide"], (indicators_wide(long, sorted(results)),)),
        Sheet(*said["comparison"], (comparison_table(results, catalogue),)),
        Sheet(*said["answers"], (answers_table(results, instrument),)),
        Sheet(*said["follow_up"], (follow_up_table(results, instrument),)),
        Sheet(*said["counted"], (counted_units_table(results, catalogue),)),
        Sheet(*said["quality"], (quality_table(results),)),
    ]
    about = Sheet(*said["about"])
    return [Sheet(*said["about"], about_tables(results, [about, *sheets])), *sheets]


def write_workbook(processed: Path, years: list[int], target: Path) -> None:
    """`target` (tables.xlsx) from the processed tables of `years`, written whole or not at all."""
    if not years:
        raise ValueError("no processed year to put in the workbook")
    results = read_years(processed, years)
    sheets = workbook_sheets(results, load_catalogue(), load_instrument())
    store.write_atomic(target, lambda tmp: write_xlsx(sheets, tmp))
