"""The workbook's tables: one pure function per sheet, from the processed folder to DataFrames.

Each sheet is a `Table` (a DataFrame with bilingual column headers and a kind per column);
writing them out is `workbook_xlsx`'s. What the tables promise, and why:

- numbers are numbers: percentages are the fraction (0.605) shown with a percent format,
  so a team can compute with them; a figure with no value (not asked, no units in the
  base) is None, never 0, with the reason in a status column;
- every figure is read from the processed tables (`store.read_year`), never from the
  returns, so the workbook holds exactly the figures of `indicators.csv` and the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis import store
from analysis.catalogue import Catalogue, Instrument
from analysis.figures.indicators import population_mask
from analysis.figures.trends import turned_no
from analysis.findings import sort_key
from analysis.pipeline import YearResult
from analysis.publish import workbook_words

# Excel holds at most this many characters in a cell (XlsxWriter silently cuts a longer string):
# a list of names longer than that continues on the rows below its figures.
CELL_LIMIT = 32_767

Kind = Literal["text", "integer", "change", "percent", "points"]
# A column's kind by its key; any other column is text.
KINDS: dict[str, Kind] = {
    "year": "integer",
    "previous_year": "integer",
    "numerator": "integer",
    "denominator": "integer",
    "percent": "percent",
    "previous_numerator": "integer",
    "previous_denominator": "integer",
    "previous_percent": "percent",
    "change_numerator": "change",
    "change_pp": "points",
    "source_row": "integer",
    "row": "integer",
    "bytes": "integer",
}
FIGURES = ("numerator", "denominator", "percent")
LABELS = (
    "link_zh", "link_en", "indicator", "indicator_zh", "indicator_en",
    "population", "population_zh", "population_en",
)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key in the frame, its headers in Chinese and English, its kind."""

    key: str
    zh: str
    en: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A block of a sheet: two header rows (Chinese, then English) over the frame's rows."""

    columns: tuple[Column, ...]
    frame: pd.DataFrame


@dataclass(frozen=True)
class Sheet:
    """A worksheet and what the About sheet says it holds."""

    name: str
    holds_zh: str
    holds_en: str
    tables: tuple[Table, ...] = field(default=())


def columns(*keys: str) -> tuple[Column, ...]:
    """The columns of these keys, headed as the wording catalogue says, each of its kind."""
    heads = workbook_words.headers()
    return tuple(Column(key, *heads[key], KINDS.get(key, "text")) for key in keys)


def table(layout: tuple[Column, ...], rows: list[dict[str, object]]) -> Table:
    """The rows as a frame of exactly these columns, in this order (an empty sheet keeps its headers)."""
    return Table(layout, pd.DataFrame(rows, columns=[c.key for c in layout]))


# --- reading ------------------------------------------------------------------------------


def read_years(processed: Path, years: list[int]) -> dict[int, YearResult]:
    """Every year as the build wrote it; each compared with the latest earlier year in `years`."""
    ordered = sorted(set(years))
    return {y: store.read_year(processed, y, ordered[i - 1] if i else None) for i, y in enumerate(ordered)}


# --- shaping: one pure function per sheet ---------------------------------------------------


def _asked(frame: pd.DataFrame, column: str = "asked") -> list[bool]:
    """The `asked` flags of a table; a table written before the flag existed was all asked."""
    if column not in frame.columns:
        return [True] * len(frame)
    return [True if pd.isna(v) else bool(v) for v in frame[column]]


def _number(value: object) -> object:
    return None if value is None or pd.isna(value) else value


def fraction(percent: object) -> float | None:
    """60.5 (as indicators.csv states it) -> 0.605, the number a percent format shows as 60.5%.

    Through Decimal, so the stored number is the double nearest 0.605, not 60.5/100's.
    """
    if percent is None or pd.isna(percent):
        return None
    return float(Decimal(str(percent)) / 100)


def labels(catalogue: Catalogue, indicator_id: str, population: str) -> dict[str, str]:
    """The Chinese and English words of an indicator, its link and its base, from the catalogue."""
    found = next((i for i in catalogue.indicators if i.id == indicator_id), None)
    link = catalogue.links.get(found.link) if found else None
    base = catalogue.populations.get(population)
    return {
        "link_zh": link.label_zh if link else "",
        "link_en": link.label_en if link else "",
        "indicator": indicator_id,
        "indicator_zh": found.label_zh if found else indicator_id,
        "indicator_en": found.label_en if found else indicator_id,
        "population": population,
        "population_zh": base.label_zh if base else population,
        "population_en": base.label_en if base else population,
    }


def indicators_long(results: dict[int, YearResult], catalogue: Catalogue) -> Table:
    """Every indicator of every year, one row each: indicators.csv of all years, labelled."""
    notes = workbook_words.notes()
    rows = []
    for year, result in sorted(results.items()):
        frame = result.indicators
        for record, asked in zip(frame.to_dict("records"), _asked(frame), strict=True):
            no_base = _number(record["denominator"]) == 0
            rows.append({
                "year": year,
                **labels(catalogue, record["indicator"], record["population"]),
                "numerator": _number(record["numerator"]) if asked else None,
                "denominator": _number(record["denominator"]) if asked else None,
                "percent": fraction(record["percent"]) if asked else None,
                "status": notes["not_asked"] if not asked else notes["no_base"] if no_base else "",
            })
    return table(columns("year", *LABELS, *FIGURES, "status"), rows)


def indicators_wide(long: Table, years: list[int]) -> Table:
    """One row per indicator and base, each year's count, base and percent side by side."""
    not_asked_note = workbook_words.notes()["not_asked"]
    frame = long.frame
    rows = []
    for record in frame.drop_duplicates(["indicator", "population"])[list(LABELS)].to_dict("records"):
        row = dict(record)
        not_asked = []
        same = frame["indicator"].eq(record["indicator"]) & frame["population"].eq(record["population"])
        for year in years:
            hit = frame[frame["year"].eq(year) & same]
            figures = hit.iloc[0].to_dict() if len(hit) else {}
            for key in FIGURES:
                row[f"{key}_{year}"] = _number(figures.get(key))
            if figures.get("status") == not_asked_note:
                not_asked.append(str(year))
        row["status"] = f"{not_asked_note}: {', '.join(not_asked)}" if not_asked else ""
        rows.append(row)
    per_year, figure_columns = [], columns(*FIGURES)
    for year in years:
        year_zh, year_en = workbook_words.year_headers(year)
        for c in figure_columns:
            per_year.append(Column(f"{c.key}_{year}", f"{year_zh} {c.zh}", f"{year_en} {c.en}", c.kind))
    return table((*columns(*LABELS), *per_year, *columns("status")), rows)


def comparison_table(results: dict[int, YearResult], catalogue: Catalogue) -> Table:
    """comparison.csv of every year: each figure beside the previous year's and the change."""
    notes = workbook_words.notes()
    rows = []
    for year, result in sorted(results.items()):
        frame = result.comparison if result.comparison is not None else pd.DataFrame()
        asked, previous_asked = _asked(frame), _asked(frame, "previous_asked")
        for record, now, before in zip(frame.to_dict("records"), asked, previous_asked, strict=True):
            if not now:
                status = notes["not_asked"]
            elif _number(record["previous_year"]) is None:
                status = notes["no_previous"]
            elif not before:
                status = notes["new"]
            elif 0 in (_number(record["denominator"]), _number(record["previous_denominator"])):
                status = notes["not_comparable"]
            else:
                status = ""
            rows.append({
                "year": year,
                **labels(catalogue, record["indicator"], record["population"]),
                "numerator": _number(record["numerator"]) if now else None,
                "denominator": _number(record["denominator"]) if now else None,
                "percent": fraction(record["percent"]) if now else None,
                "previous_year": _number(record["previous_year"]),
                "previous_numerator": _number(record["previous_numerator"]) if before else None,
                "previous_denominator": _number(record["previous_denominator"]) if before else None,
                "previous_percent": fraction(record["previous_percent"]) if before else None,
                "change_numerator": _number(record["change_numerator"]) if now and before else None,
                "change_pp": _number(record["change_pp"]) if now and before else None,
                "status": status,
            })
    return table(columns(
        "year", *LABELS, *FIGURES, "previous_year", "previous_numerator", "previous_denominator",
        "previous_percent", "change_numerator", "change_pp", "status",
    ), rows)


def _answer(value: object, asked: bool, said: dict[bool | None, str]) -> str:
    """The form's word for an answer; blank for no answer; `said[None]` for a question not asked."""
    if not asked:
        return said[None]
    return "" if value is None or pd.isna(value) else said[bool(value)]


def answers_table(results: dict[int, YearResult], instrument: Instrument) -> Table:
    """Every unit's answers, year by year, as the form writes them: yes, no, blank (no answer), not asked."""
    said = workbook_words.answers()
    questions = [instrument.field(n) for n in instrument.names("yes_no")]
    counts = [instrument.field(n) for n in instrument.names("count")]
    rows = []
    for year, result in sorted(results.items()):
        for unit in result.returns.to_dict("records"):
            row: dict[str, object] = {
                "year": year, "unit_name": unit["unit_name"], "unit_type": _number(unit.get("unit_type")),
            }
            for spec in questions:
                row[spec.name] = _answer(unit.get(spec.name), spec.asked_in(year), said)
            for spec in counts:
                row[spec.name] = _number(unit.get(spec.name)) if spec.asked_in(year) else None
            row["source_file"] = _number(unit.get("source_file"))
            row["source_row"] = _number(unit.get("source_row"))
            rows.append(row)
    return table((
        *columns("year", "unit_name", "unit_type"),
        *(Column(s.name, s.short_zh or s.label_zh, s.short_en or s.label_en) for s in questions),
        *(Column(s.name, s.short_zh or s.label_zh, s.short_en or s.label_en, "integer") for s in counts),
        *columns("source_file", "source_row"),
    ), rows)


def follow_up_table(results: dict[int, YearResult], instrument: Instrument) -> Table:
    """Units that answered yes the previous year and no this year: whom to ask what changed."""
    turned = turned_no({y: r.returns for y, r in results.items()}, instrument.names("yes_no"))
    rows = []
    for record in turned.to_dict("records"):
        spec = instrument.field(record["field"])
        rows.append({**record, "question_zh": spec.label_zh, "question_en": spec.label_en})
    return table(columns("year", "previous_year", "unit_name", "field", "question_zh", "question_en"), rows)


def counted_units(
    returns: pd.DataFrame, catalogue: Catalogue, indicator_id: str, population: str
) -> tuple[list[str], list[str], list[str]]:
    """The units a share counts as yes, those that answered no, and those that gave no answer.

    The same rule as the figure (`population_mask`, blank is not yes), in return order; the
    three lists do not overlap, as the pages list them (a gap counts the no answers only).
    """
    field_name = catalogue.get(indicator_id).field
    units = returns[population_mask(returns, catalogue, population)]
    yes = units[field_name].fillna(False).astype(bool)
    blank = units[field_name].isna()
    names = units["unit_name"]
    return list(names[yes]), list(names[~yes & ~blank]), list(names[blank])


def counted_units_table(results: dict[int, YearResult], catalogue: Catalogue) -> Table:
    """Per year, share and base: the units behind the count, named, so every figure can be traced.

    Raises ValueError if a list does not add up to the figure in indicators.csv: a workbook
    whose names contradict its numbers must not be written.
    """
    shares = {i.id for i in catalogue.indicators if i.kind == "share"}
    rows = []
    for year, result in sorted(results.items()):
        frame = result.indicators
        for record, asked in zip(frame.to_dict("records"), _asked(frame), strict=True):
            if record["indicator"] not in shares or not asked:
                continue
            indicator, population = record["indicator"], record["population"]
            yes, said_no, blank = counted_units(result.returns, catalogue, indicator, population)
            base = len(yes) + len(said_no) + len(blank)
            if (len(yes), base) != (record["numerator"], record["denominator"]):
                raise ValueError(
                    f"{year} {indicator} ({population}): {len(yes)} of {base} units named, "
                    f"but indicators.csv says {record['numerator']} of {record['denominator']}"
                )
            named = labels(catalogue, indicator, population)
            parts = [cell_parts(names) for names in (yes, said_no, blank)]
            for n in range(max(map(len, parts))):
                # the figures once, on the list's first row: a continuation row adds nothing to sum
                first = n == 0
                rows.append({
                    "year": year,
                    **named,
                    "numerator": record["numerator"] if first else None,
                    "denominator": record["denominator"] if first else None,
                    "percent": fraction(record["percent"]) if first else None,
                    **{
                        key: part[n] if n < len(part) else ""
                        for key, part in zip(("counted", "said_no", "no_answer"), parts, strict=True)
                    },
                })
    return table(columns("year", *LABELS, *FIGURES, "counted", "said_no", "no_answer"), rows)


def cell_parts(names: list[str], limit: int = CELL_LIMIT) -> list[str]:
    """Names joined as the pages list them into as few cells as hold them all, each within `limit`, in order.

    One cell for any list of a few hundred names (so the sample's sheet is as it always was);
    a year of 20,000 units needs several, and a cut cell would silently lose names.
    """
    separator = workbook_words.list_separator()
    parts, current, size = [], [], 0
    for name in names:
        grown = size + len(name) + (len(separator) if current else 0)
        if current and grown > limit:
            parts.append(separator.join(current))
            current, grown = [], len(name)
        current.append(name)
        size = grown
    return [*parts, separator.join(current)]


def quality_table(results: dict[int, YearResult]) -> Table:
    """Each year's findings (findings.csv): what to check with the units, never silently fixed."""
    notes = workbook_words.notes()
    severity = {"warning": notes["warning"], "error": notes["error"]}
    rows = []
    for year, result in sorted(results.items()):
        for finding in sorted(result.findings, key=sort_key):
            rows.append({
                "year": year,
                "severity": severity.get(finding.severity, finding.severity),
                "kind": finding.kind,
                "unit": finding.unit,
                "file": finding.file,
                "sheet": finding.sheet,
                "row": finding.row,
                "column": finding.column,
                "value": finding.value,
                "expected": finding.expected,
            })
    where = ("unit", "file", "sheet", "row", "column")
    return table(columns("year", "severity", "kind", *where, "value", "expected"), rows)
