"""The trends page in words: every year's figure, the change across the years, a sentence per figure.

The figures are said as on the year pages (`analysis.publish.figure_words`: a share always
with its base); what is the trends page's own is the change from the first year with a
figure to the last, and the largest move between two years surveyed one after the other.
Pure functions of `TrendsData`; the tables and sections built of them are in
`analysis.publish.trends_page`.
"""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import Indicator
from analysis.publish.figure_words import (
    figure_text,
    form_population_label,
    percent_text,
    population_label,
    pp_text,
    share_change,
    signed,
    units_change,
    years_text,
)
from analysis.publish.load import Row
from analysis.publish.shapes import not_asked
from analysis.publish.trends_data import TrendsData
from analysis.publish.wording import in_language, say

# --- words for figures -------------------------------------------------------------------


def span(data: TrendsData) -> str:
    """The page's years, first to last."""
    return years_text(data.years[0], data.years[-1])


def year_list(years: list[int]) -> str:
    """Years one after another, as a sentence lists the years that did not ask a question."""
    return say("trends.year_separator").join(say("trends.year_item", year=y) for y in years)


def cell_text(row: Row) -> str:
    """A year's figure in a table: 'k of n (p%)', a count, or 'not asked' (never 0)."""
    return figure_text(row, not_asked_words=say("trends.not_asked"))


def _change_words(change: Row, share: bool) -> str:
    if share:
        return share_change(change["change_numerator"], change["change_pp"])
    return signed(change["change_numerator"])


def change_cell(data: TrendsData, change: Row, share: bool) -> str:
    """The change from the first year with a figure to the last; its years said when they are not
    the page's."""
    if pd.isna(change["change_numerator"]):
        return say("trends.no_change")
    words = _change_words(change, share)
    if (change["first_year"], change["last_year"]) == (data.years[0], data.years[-1]):
        return words
    return say(
        "trends.change_span",
        change=words,
        years=years_text(int(change["first_year"]), int(change["last_year"])),
    )


def move_cell(change: Row, share: bool) -> str:
    """The largest move between two years surveyed one after the other, with its years."""
    if pd.isna(change["move_from"]):
        return say("trends.no_change")
    words = pp_text(change["move_pp"]) if share else signed(change["move_numerator"])
    return say(
        "trends.change_span", change=words, years=years_text(int(change["move_from"]), int(change["move_to"]))
    )


def row_label(data: TrendsData, indicator: Indicator, population: str) -> str:
    """The indicator's label in the page's language, with the population when it is not every unit."""
    return population_label(data, in_language(indicator, "label"), population)


def form_label(data: TrendsData, indicator: Indicator, population: str) -> str:
    """The same in the form's own words (Chinese)."""
    return form_population_label(data, indicator.label_zh, population)


def unit_word(indicator: Indicator) -> str:
    """What a count counts ('cadres'), or units for a share or a count of units."""
    return in_language(indicator, "unit") if indicator.kind == "sum" else say("trends.units_unit")


# --- the sentences -----------------------------------------------------------------------


def indicator_sentence(data: TrendsData, indicator: Indicator) -> str:
    """The indicator over every unit from its first year with a figure to its last, in the report's manner."""
    change = data.changes[(indicator.id, "all")]
    rows = data.rows(indicator.id, "all")
    label = in_language(indicator, "label")
    gaps = [int(r["year"]) for r in rows if not_asked(r)]
    unasked = say("trends.sentence.not_asked", years=year_list(gaps)) if gaps else ""
    if pd.isna(change["first_year"]):
        return say("trends.sentence.none", label=label) + unasked
    last = next(r for r in rows if r["year"] == change["last_year"])
    if pd.isna(change["change_numerator"]):
        return (
            say(
                "trends.sentence.one_year", label=label, figure=cell_text(last), year=int(change["last_year"])
            )
            + unasked
        )
    first_year, last_year = int(change["first_year"]), int(change["last_year"])
    if indicator.kind == "share":
        sentence = say(
            "trends.sentence.share",
            last=last_year,
            k=int(change["last_numerator"]),
            n=int(change["last_denominator"]),
            base=say("figure.units"),
            percent=percent_text(change["last_percent"]),
            statement=in_language(indicator, "statement"),
            before=say(
                "trends.before",
                k=int(change["first_numerator"]),
                n=int(change["first_denominator"]),
                percent=percent_text(change["first_percent"]),
            ),
            first=first_year,
            change=_share_clause(change, first_year),
        )
    else:
        sentence = say(
            "trends.sentence.count",
            label=label,
            k=int(change["last_numerator"]),
            unit=unit_word(indicator),
            last=last_year,
            before=int(change["first_numerator"]),
            first=first_year,
            change=_count_clause(int(change["change_numerator"]), unit_word(indicator)),
        )
    return sentence + unasked + _largest_move(indicator, change)


def _share_clause(change: Row, first: int) -> str:
    pp, units = float(change["change_pp"]), units_change(int(change["change_numerator"]))
    if pp > 0:
        return say("trends.clause.up", pp=f"{pp:.1f}", first=first, units=units)
    if pp < 0:
        return say("trends.clause.down", pp=f"{-pp:.1f}", first=first, units=units)
    return say("trends.clause.same", first=first, units=units)


def _count_clause(count: int, unit: str) -> str:
    if count > 0:
        return say("trends.clause.count_up", count=count, unit=unit)
    if count < 0:
        return say("trends.clause.count_down", count=-count, unit=unit)
    return say("trends.clause.count_same")


def _largest_move(indicator: Indicator, change: Row) -> str:
    if pd.isna(change["move_from"]):
        return ""
    years = years_text(int(change["move_from"]), int(change["move_to"]))
    if indicator.kind == "share":
        pp = float(change["move_pp"])
        if not pp:
            return say("trends.sentence.no_move")
        words = say("trends.move.up", pp=f"{pp:.1f}") if pp > 0 else say("trends.move.down", pp=f"{-pp:.1f}")
    else:
        count = int(change["move_numerator"])
        if not count:
            return say("trends.sentence.no_move")
        unit = unit_word(indicator)
        words = (
            say("trends.move.count_up", count=count, unit=unit)
            if count > 0
            else say("trends.move.count_down", count=-count, unit=unit)
        )
    return say("trends.sentence.largest", change=words, years=years)
