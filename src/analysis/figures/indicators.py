"""Compute the catalogue's indicators for one year of returns.

Shares count yes answers over a population; a unit that gave no answer stays in the
denominator and is not yes, as in the published report. Percentages are rounded half up
to one decimal (1 of 16 is 6.3), as Chinese statistical reports do, not to even.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analysis.catalogue import Catalogue, Indicator

INDICATOR_COLUMNS = ["indicator", "population", "numerator", "denominator", "percent", "asked"]
NO_ANSWER_COLUMNS = ["field", "population", "no_answer", "units"]


def percent_half_up(numerator: int, denominator: int) -> Decimal | None:
    """Exact decimal arithmetic: 6.25 must round to 6.3, which binary floats cannot promise."""
    if denominator == 0:
        return None
    share = Decimal(numerator) * 100 / Decimal(denominator)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def population_mask(returns: pd.DataFrame, catalogue: Catalogue, population: str) -> pd.Series:
    where = catalogue.populations[population].where_yes
    if where is None:
        return pd.Series(True, index=returns.index)
    return returns[where].fillna(False).astype(bool)


def is_asked(
    indicator: Indicator, population: str, catalogue: Catalogue, asked: Collection[str] | None
) -> bool:
    """Whether the year's form asked every question the figure reads, its base's included."""
    if asked is None:
        return True
    where = catalogue.populations[population].where_yes
    return all(f in asked for f in indicator.fields) and (where is None or where in asked)


def compute_indicators(
    returns: pd.DataFrame, catalogue: Catalogue, asked: Collection[str] | None = None
) -> pd.DataFrame:
    """One row per indicator and population, in catalogue order.

    `asked` names the questions the year's form asked (None: all). A figure that reads any
    other question has no value at all, not 0: the units were never asked.
    """
    rows = []
    for indicator in catalogue.indicators:
        for population in indicator.populations:
            if not is_asked(indicator, population, catalogue, asked):
                rows.append((indicator.id, population, None, None, None, False))
                continue
            units = returns[population_mask(returns, catalogue, population)]
            if indicator.kind == "units":
                rows.append((indicator.id, population, len(units), None, None, True))
            elif indicator.kind == "sum":
                total = int(units[list(indicator.fields)].fillna(0).to_numpy().sum())
                rows.append((indicator.id, population, total, None, None, True))
            else:
                yes = int(units[indicator.field].fillna(False).astype(bool).sum())
                rows.append(
                    (indicator.id, population, yes, len(units), percent_half_up(yes, len(units)), True)
                )
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    frame["asked"] = frame["asked"].astype("boolean")
    frame["numerator"] = pd.array(frame["numerator"].tolist(), dtype="Int64")
    frame["denominator"] = pd.array(frame["denominator"].tolist(), dtype="Int64")
    frame["percent"] = pd.array([None if p is None else float(p) for p in frame["percent"]], dtype="Float64")
    return frame


def blank_units(returns: pd.DataFrame, field: str, limit: int | None = None) -> list[str]:
    """The units that left a question blank, in return order (the first `limit` of them): the
    one place this list is made."""
    names = returns.loc[returns[field].isna(), "unit_name"]
    return (names if limit is None else names.head(limit)).tolist()


def no_answer_counts(returns: pd.DataFrame, catalogue: Catalogue, fields: list[str]) -> pd.DataFrame:
    """Per question and population, how many units left it blank: the report states it beside each base.

    Every population of the catalogue, so that a share over a sub-base (units that carried out
    an assessment) is stated with the blanks of that sub-base, not of every unit.
    """
    rows = []
    for population in catalogue.populations:
        units = returns[population_mask(returns, catalogue, population)]
        rows += [(f, population, int(units[f].isna().sum()), len(units)) for f in fields]
    return pd.DataFrame(rows, columns=NO_ANSWER_COLUMNS)
