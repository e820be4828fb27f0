"""What a report says in words: figures with their bases, changes, and the published report's sentences.

Every figure is stated with its base ("26 of 38 units (68.4%)") and every label comes from
the catalogue. Pure functions of the loaded data and the shapes in `analysis.publish.shapes`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pandas as pd

from analysis.figures.indicators import population_mask
from analysis.paths import project_root
from analysis.publish.load import ReportData, Row
from analysis.publish.shapes import empty_base, not_comparable
from analysis.store import csv_text

UNITS_LIST_SEPARATOR = "、"  # the Chinese enumeration comma: unit names are Chinese


# A share of no units (0 of 0) is neither 0% nor missing: it is said in these words, everywhere.
NO_BASE = "no units in the base"


def percent_text(percent: object) -> str:
    return "n/a" if pd.isna(percent) else f"{float(percent):.1f}%"


def share_text(numerator: object, denominator: object, percent: object) -> str:
    """'26 of 38 (68.4%)': the base is never left out; 0 of 0 is 'no units in the base', never 0%."""
    if pd.isna(numerator):
        return "no figure"
    if empty_base(denominator):
        return NO_BASE
    return f"{int(numerator)} of {int(denominator)} ({percent_text(percent)})"


def pp_text(change: object) -> str:
    """A change in percentage points, always signed: '+13.1 pp', '-2.6 pp', '0.0 pp'."""
    if pd.isna(change):
        return "n/a"
    value = float(change)
    return f"{value:+.1f} pp" if value else "0.0 pp"


def signed(number: object) -> str:
    return "n/a" if pd.isna(number) else f"{int(number):+d}" if int(number) else "±0"


def figure_text(row: Row, prefix: str = "") -> str:
    """A table cell: a share with its base, or a count."""
    numerator = row[f"{prefix}numerator"]
    if pd.isna(numerator):
        return "no figure"
    if pd.isna(row[f"{prefix}denominator"]):
        return str(int(numerator))
    return share_text(numerator, row[f"{prefix}denominator"], row[f"{prefix}percent"])


def change_text(row: Row) -> str:
    if pd.isna(row["previous_numerator"]):
        return "n/a"
    if pd.isna(row["denominator"]):
        return signed(row["change_numerator"])
    if not_comparable(row):
        return f"not comparable: {NO_BASE}"
    units = abs(int(row["change_numerator"]))
    return f"{pp_text(row['change_pp'])} ({signed(row['change_numerator'])} unit{'s' if units != 1 else ''})"


def base_text(data: ReportData, population: str) -> str:
    return data.catalogue.populations[population].label_en


def row_label(data: ReportData, row: Row, language: str = "en") -> str:
    """The indicator's label, with the population when it is not every unit."""
    label = row[f"label_{language}"]
    if row["population"] == "all":
        return label
    population = data.catalogue.populations[row["population"]]
    return f"{label}（{population.label_zh}）" if language == "zh" else f"{label} (of {population.label_en})"


def _change_clause(data: ReportData, row: Row) -> str:
    """', up from 21 of 38 (55.3%) in 2003', or '' in the first year."""
    previous = data.previous_year
    if previous is None:
        return ""
    if pd.isna(row["previous_numerator"]):
        return f" (no figure for {previous})"
    if pd.isna(row["denominator"]):
        change = int(row["change_numerator"])
        before = int(row["previous_numerator"])
        word = "up from" if change > 0 else "down from" if change < 0 else "the same as"
        return f", {word} {before} in {previous}"
    before = share_text(row["previous_numerator"], row["previous_denominator"], row["previous_percent"])
    if not_comparable(row):
        return _no_change_clause(data, row, before)
    change = float(row["change_pp"])
    if change == 0:
        return f", the same share as in {previous}: {before}"
    return f", {'up' if change > 0 else 'down'} from {before} in {previous}"


def _no_change_clause(data: ReportData, row: Row, before: str) -> str:
    """Why a share has no change: a base of no units this year, the previous year, or both."""
    previous = data.previous_year
    if empty_base(row["denominator"]) and empty_base(row["previous_denominator"]):
        return f", as in {previous}, so there is no change to state"
    if empty_base(row["denominator"]):
        return f", so there is no change to state since {previous} ({before} in {previous})"
    return f", with no change to state since {previous}, which had {NO_BASE}"


def _share_clause(data: ReportData, row: Row) -> str:
    """'; that is 21 of the 22 units that carried out an assessment (95.5%), up from …'."""
    base = base_text(data, row["population"])
    if empty_base(row["denominator"]):
        return f"; of the {base}: {NO_BASE} in {data.year}{_change_clause(data, row)}"
    return f"; that is {int(row['numerator'])} of the {int(row['denominator'])} {base} ({percent_text(row['percent'])}){_change_clause(data, row)}"


def indicator_sentence(data: ReportData, indicator_id: str) -> str:
    """One sentence per indicator, in the published report's manner, with every base stated."""
    indicator = data.catalogue.get(indicator_id)
    rows = data.rows_where(indicator=indicator_id)
    first = rows[0]
    k = int(first["numerator"])
    if indicator.kind == "units":
        before = "" if pd.isna(first["previous_numerator"]) else f" ({int(first['previous_numerator'])} in {data.previous_year})"
        return f"{k} units {indicator.statement_en}{before}."
    if indicator.kind == "sum":
        return f"{indicator.label_en}: {k}{_change_clause(data, first)}."
    base = "units" if first["population"] == "all" else base_text(data, first["population"])
    if empty_base(first["denominator"]):
        sentence = f"{indicator.label_en}: {NO_BASE} in {data.year}{_change_clause(data, first)}"
    else:
        n = int(first["denominator"])
        sentence = f"{k} of {n} {base} ({percent_text(first['percent'])}) {indicator.statement_en}{_change_clause(data, first)}"
    return sentence + "".join(_share_clause(data, row) for row in rows[1:]) + "."


def no_answer_sentence(data: ReportData, indicator_ids: list[str]) -> str:
    """Who left these questions blank: they stay in the base and do not count as yes."""
    returns = data.result.returns
    parts = []
    for indicator_id in indicator_ids:
        indicator = data.catalogue.get(indicator_id)
        if indicator.kind != "share":
            continue
        blank = returns.loc[returns[indicator.field].isna(), "unit_name"].tolist()
        if blank:
            parts.append(f"{indicator.label_en} ({len(blank)}: {UNITS_LIST_SEPARATOR.join(blank)})")
    if not parts:
        return ""
    return "No answer, counted in the base and not as yes: " + "; ".join(parts) + "."


def shown_path(path: Path) -> str:
    """How a page names a file or folder: the same words wherever the checkout lives.

    Inside the project root, the path relative to it ("data/raw"). Outside it, only "…/" and
    the last component ("…/processed"): the absolute path would name the analyst's machine
    (home folder, user name) and make the same inputs give different bytes in another
    checkout; the final name is kept so a reader can still tell which folder was used.
    """
    resolved = path.resolve()
    try:
        return resolved.relative_to(project_root()).as_posix()
    except ValueError:
        return f"…/{resolved.name}"


def processed_status(data: ReportData) -> str:
    """Where the figures were read, and whether the processed tables on disk hold them."""
    path = data.processed_dir / str(data.year) / "comparison.csv"
    folder = PurePosixPath(shown_path(data.processed_dir)) / str(data.year)  # named from the folder given, never absolute
    shown = (folder / path.name).as_posix()
    if data.source == "processed":
        return f"The figures were read from the processed tables in {folder.as_posix()}, written from these files."
    if not path.is_file():
        return f"The figures were computed from the returns; {shown} has not been written yet (run `python -m analysis build`)."
    if path.read_text(encoding="utf-8") == csv_text(data.result.comparison):
        return f"The figures were computed from the returns; {shown} holds exactly these figures."
    return f"The figures were computed from the returns; {shown} differs from them: it is out of date, rebuild with `python -m analysis build`."


def _not_compared_items(data: ReportData) -> list[str]:
    """The shares left out of the count of changes because a year has no units in their base."""
    rows = [r for r in data.rows_where(kind="share") if not_comparable(r)]
    if not rows:
        return []
    which = "share has" if len(rows) == 1 else "shares have"
    labels = "; ".join(row_label(data, r) for r in rows)
    return [f"{len(rows)} {which} {NO_BASE} in {data.year} or {data.previous_year}, so no change is given: {labels}."]


def _count_changes(rose: int, fell: int, same: int) -> str:
    """'all 14 rose', or '12 rose, 1 fell and 1 did not change'."""
    parts = [(n, word) for n, word in ((rose, "rose"), (fell, "fell"), (same, "did not change")) if n]
    if len(parts) == 1:
        return f"all {parts[0][0]} {parts[0][1]}" if parts[0][0] > 1 else f"the one share {parts[0][1]}"
    words = [f"{n} {word}" for n, word in parts]
    return ", ".join(words[:-1]) + " and " + words[-1] if words else "none has a figure in both years"


def sub_base_sentence(data: ReportData, population: str) -> str:
    """The base of the rows that are not over every unit, stated once per section."""
    spec = data.catalogue.populations[population]
    now = int(population_mask(data.result.returns, data.catalogue, population).sum())
    text = f"Sub-base: {now} of the {len(data.result.returns)} units surveyed are {spec.label_en} in {data.year}"
    if data.previous is not None:
        before = int(population_mask(data.previous.returns, data.catalogue, population).sum())
        text += f" ({before} of {len(data.previous.returns)} in {data.previous_year})"
    if now == 0:
        return text + f"; as there are none, the rows marked “of {spec.label_en}” have {NO_BASE} in {data.year}."
    return text + f"; the rows marked “of {spec.label_en}” are shares of these units only."

