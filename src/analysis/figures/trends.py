"""Figures across years.

Pure functions of each year's stored tables (indicators.csv, returns.parquet as read back by
`analysis.store`): nothing here reads a file or computes a year's figure again. A year whose
form did not ask a question (`asked` False) is a gap in every trend, never a 0; a blank
answer is never a no.
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd

TURNED_NO_COLUMNS = ["year", "previous_year", "unit_name", "field"]


def turned_no(returns_by_year: dict[int, pd.DataFrame], fields: list[str]) -> pd.DataFrame:
    """Units that answered yes in the previous year and no this year, per question: the follow-up list.

    Each year is set beside the latest earlier year given. Blank is not no: a unit that left
    the question blank (or was not asked it) this year, or gave no yes the year before, is not
    listed. Units are matched by name, as the build reports them (aliases already applied).
    Rows are in year order, then this year's return order, then the order of `fields`.
    """
    rows = []
    years = sorted(returns_by_year)
    for previous_year, year in pairwise(years):
        now, before = returns_by_year[year], returns_by_year[previous_year]
        said_yes = {
            field: set(before.loc[before[field].fillna(False).astype(bool), "unit_name"])
            if field in before.columns
            else set()
            for field in fields
        }
        # Per question, vectorised: this year's explicit no (blank is not no), among last year's yes.
        said_no = {
            field: (now[field].notna() & ~now[field].fillna(True).astype(bool)).to_numpy()
            if field in now.columns
            else None
            for field in fields
        }
        names = list(now["unit_name"])
        for i, unit in enumerate(names):
            for field in fields:
                if said_no[field] is not None and said_no[field][i] and unit in said_yes[field]:
                    rows.append((year, previous_year, unit, field))
    frame = pd.DataFrame(rows, columns=TURNED_NO_COLUMNS)
    return frame.astype({"year": "int64", "previous_year": "int64", "unit_name": "string", "field": "string"})


TREND_COLUMNS = ["year", "indicator", "population", "numerator", "denominator", "percent", "asked"]
CHANGE_COLUMNS = [
    "indicator",
    "population",
    "first_year",
    "last_year",
    "first_numerator",
    "first_denominator",
    "first_percent",
    "last_numerator",
    "last_denominator",
    "last_percent",
    "change_numerator",
    "change_pp",
    "move_from",
    "move_to",
    "move_numerator",
    "move_pp",
]
MEMBERSHIP_COLUMNS = ["year", "previous_year", "unit_name", "change"]


def _asked_column(frame: pd.DataFrame) -> pd.Series:
    """A table written before the `asked` column existed asked every question it has a row for."""
    if "asked" not in frame.columns:
        return pd.Series(True, index=frame.index, dtype="boolean")
    return frame["asked"].astype("boolean").fillna(True)


def indicator_trends(indicators_by_year: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Every year's indicators.csv as one long table, oldest year first, each year's rows in its own order.

    A row of a year that did not ask the question keeps `asked` False and empty figures, so a
    trend drawn or written from this table has a gap there, not a 0. An indicator missing
    from a year's table altogether (added to the catalogue later) gets such a row too: the
    table has every indicator in every year.
    """
    frames = []
    for year in sorted(indicators_by_year):
        frame = indicators_by_year[year].copy()
        frame["asked"] = _asked_column(frame)
        frame.loc[~frame["asked"], ["numerator", "denominator", "percent"]] = pd.NA
        frame.insert(0, "year", year)
        frames.append(frame[TREND_COLUMNS])
    if not frames:
        return _typed(pd.DataFrame(columns=TREND_COLUMNS))
    long = pd.concat(frames, ignore_index=True)
    keys = long[["indicator", "population"]].drop_duplicates()
    full = keys.merge(pd.DataFrame({"year": sorted(indicators_by_year)}), how="cross")
    long = full.merge(long, on=["indicator", "population", "year"], how="left")
    long["asked"] = long["asked"].astype("boolean").fillna(False)
    order = {key: i for i, key in enumerate(zip(keys["indicator"], keys["population"], strict=True))}
    long["_order"] = [order[k] for k in zip(long["indicator"], long["population"], strict=True)]
    long = long.sort_values(["year", "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    return _typed(long[TREND_COLUMNS])


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(
        {
            "year": "int64",
            "indicator": "string",
            "population": "string",
            "numerator": "Int64",
            "denominator": "Int64",
            "percent": "Float64",
            "asked": "boolean",
        }
    )


def _has_figure(row: dict) -> bool:
    """A figure that can be compared: asked, with a value, and for a share a base of at least one unit."""
    if not row["asked"] or pd.isna(row["numerator"]):
        return False
    return pd.isna(row["denominator"]) or (int(row["denominator"]) > 0 and not pd.isna(row["percent"]))


def _move(before: dict, after: dict) -> tuple[int, float | None]:
    """The change from one figure to another: in units (or the count), and in points for a share.

    Points are the difference of the rounded percentages, as the year pages give them.
    """
    pp = None if pd.isna(after["percent"]) else round(float(after["percent"]) - float(before["percent"]), 1)
    return int(after["numerator"]) - int(before["numerator"]), pp


def trend_changes(long: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and population: the change from its first to its last year with a figure, and
    the largest move between two years surveyed one after the other (largest in points for a
    share, in the count otherwise; the earliest on ties).

    Years without a figure (not asked, no units in the base) are skipped for the first-to-last
    change; a year-on-year move needs a figure in both years, so a gap breaks it. With fewer
    than two figures there is no change: its columns are empty.
    """
    years = sorted(long["year"].unique())
    rows = []
    for (indicator, population), group in long.groupby(["indicator", "population"], sort=False):
        by_year = {int(r["year"]): r for r in group.to_dict("records")}
        shown = [by_year[y] for y in years if y in by_year and _has_figure(by_year[y])]
        row: dict[str, object] = {"indicator": indicator, "population": population}
        if shown:
            first, last = shown[0], shown[-1]
            row.update(
                first_year=first["year"],
                last_year=last["year"],
                first_numerator=first["numerator"],
                first_denominator=first["denominator"],
                first_percent=first["percent"],
                last_numerator=last["numerator"],
                last_denominator=last["denominator"],
                last_percent=last["percent"],
            )
            if len(shown) > 1:
                row["change_numerator"], row["change_pp"] = _move(first, last)
        moves = []
        for earlier, later in pairwise(years):
            a, b = by_year.get(earlier), by_year.get(later)
            if a is not None and b is not None and _has_figure(a) and _has_figure(b):
                numerator, pp = _move(a, b)
                moves.append((abs(pp) if pp is not None else abs(numerator), earlier, later, numerator, pp))
        if moves:
            size = max(m[0] for m in moves)
            _, row["move_from"], row["move_to"], row["move_numerator"], row["move_pp"] = next(
                m for m in moves if m[0] == size
            )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    integers = [
        c
        for c in CHANGE_COLUMNS
        if c not in ("indicator", "population", "first_percent", "last_percent", "change_pp", "move_pp")
    ]
    return frame.astype(
        {
            **dict.fromkeys(integers, "Int64"),
            "indicator": "string",
            "population": "string",
            **dict.fromkeys(["first_percent", "last_percent", "change_pp", "move_pp"], "Float64"),
        }
    )


def membership(returns_by_year: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Units that joined (returned this year, not in the previous year surveyed) or left (the
    other way round), per year from the second; each year's joiners in return order, leavers
    in the previous year's order. Units are matched by name, aliases already applied."""
    rows = []
    for previous_year, year in pairwise(sorted(returns_by_year)):
        now = list(returns_by_year[year]["unit_name"])
        before = list(returns_by_year[previous_year]["unit_name"])
        now_set, before_set = set(now), set(before)  # once per year, not once per unit
        rows += [(year, previous_year, u, "joined") for u in now if u not in before_set]
        rows += [(year, previous_year, u, "left") for u in before if u not in now_set]
    frame = pd.DataFrame(rows, columns=MEMBERSHIP_COLUMNS)
    return frame.astype(
        {"year": "int64", "previous_year": "int64", "unit_name": "string", "change": "string"}
    )


def yes_counts(returns_by_year: dict[int, pd.DataFrame], fields: list[str]) -> pd.DataFrame:
    """Units x years: how many of `fields` each unit answered yes, NA for a year it was not surveyed.

    Blank and not-asked answers are not yes. Rows are the units of the latest year in return
    order, then the units no longer surveyed, latest first seen first; columns the years, oldest first.
    """
    years = sorted(returns_by_year)
    units: list[str] = []
    seen: set[str] = set()
    for year in reversed(years):
        fresh = [u for u in dict.fromkeys(returns_by_year[year]["unit_name"]) if u not in seen]
        units += fresh
        seen.update(fresh)
    index = pd.Index(units, name="unit_name", dtype="string")
    table = pd.DataFrame(index=index, columns=years, dtype="Int64")
    for year in years:  # a column at a time: a cell at a time takes minutes at 20,000 units
        returns = returns_by_year[year]
        present = [f for f in fields if f in returns.columns]
        counts = (
            returns[present].astype("boolean").fillna(False).sum(axis=1).astype("int64")
            if present
            else pd.Series(0, index=returns.index)
        )
        by_unit = (
            pd.Series(counts.to_numpy(), index=pd.Index(returns["unit_name"], dtype="string"))
            .groupby(level=0, sort=False)
            .last()
        )
        table[year] = by_unit.reindex(index).astype("Int64")
    return table


def yes_bases(returns_by_year: dict[int, pd.DataFrame], fields: list[str]) -> pd.DataFrame:
    """The base of each year's turned-no list: per question, the units that answered yes in the
    previous year surveyed and returned again this year (columns year, previous_year, field, units)."""
    rows = []
    for previous_year, year in pairwise(sorted(returns_by_year)):
        now, before = returns_by_year[year], returns_by_year[previous_year]
        returned = set(now["unit_name"])
        for field in fields:
            if field not in before.columns:
                count = 0
            else:
                yes = before.loc[before[field].astype("boolean").fillna(False), "unit_name"]
                count = int(sum(u in returned for u in yes))
            rows.append((year, previous_year, field, count))
    frame = pd.DataFrame(rows, columns=["year", "previous_year", "field", "units"])
    return frame.astype({"year": "int64", "previous_year": "int64", "field": "string", "units": "int64"})
