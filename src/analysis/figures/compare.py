"""Set a year's indicators beside the previous year's.

The change in percentage points is the difference of the two published (rounded)
percentages, so that the figures a reviewer reads side by side add up on the page.
A share whose base is empty (0 of 0) in either year has no change at all, in units or in
points: "-1 unit" from 1 of 2 to 0 of 0 would read as a fall when there is nothing to compare.
A question one of the years did not ask has no figure that year (`asked`, `previous_asked`
False), so it has no change either: "not asked", or "new this year" when only the earlier
form lacked it.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from analysis.figures.indicators import INDICATOR_COLUMNS

KEYS = ["indicator", "population"]
COMPARISON_COLUMNS = [
    *(c for c in INDICATOR_COLUMNS if c != "asked"),
    "previous_year",
    "previous_numerator",
    "previous_denominator",
    "previous_percent",
    "change_numerator",
    "change_pp",
    "asked",
    "previous_asked",
]


def compare_years(
    current: pd.DataFrame, previous: pd.DataFrame | None, previous_year: int | None
) -> pd.DataFrame:
    """Every indicator of the current year, with the previous year's figures where it had them."""
    frame = current[INDICATOR_COLUMNS].copy()
    frame["previous_year"] = pd.array([previous_year] * len(frame), dtype="Int64")
    if previous is None:
        for column in ("previous_numerator", "previous_denominator", "change_numerator"):
            frame[column] = pd.array([None] * len(frame), dtype="Int64")
        frame["previous_percent"] = frame["change_pp"] = pd.array([None] * len(frame), dtype="Float64")
        frame["previous_asked"] = pd.array([None] * len(frame), dtype="boolean")
        return frame[COMPARISON_COLUMNS]
    earlier = previous[INDICATOR_COLUMNS].rename(
        columns={c: f"previous_{c}" for c in ("numerator", "denominator", "percent", "asked")}
    )
    frame = frame.merge(earlier, on=KEYS, how="left", validate="one_to_one")
    frame["change_numerator"] = frame["numerator"] - frame["previous_numerator"]
    frame.loc[
        _empty_base(frame["denominator"]) | _empty_base(frame["previous_denominator"]), "change_numerator"
    ] = pd.NA
    frame["change_pp"] = pd.array(
        [_difference(a, b) for a, b in zip(frame["percent"], frame["previous_percent"], strict=True)],
        dtype="Float64",
    )
    return frame[COMPARISON_COLUMNS]


def _empty_base(denominators: pd.Series) -> pd.Series:
    """Shares of no units (denominator 0); counts, whose denominator is missing, are not."""
    return denominators.eq(0).fillna(False).astype(bool)


def _difference(current: object, previous: object) -> float | None:
    if pd.isna(current) or pd.isna(previous):
        return None
    return float(Decimal(str(current)) - Decimal(str(previous)))
