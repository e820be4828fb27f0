"""Figures in words, for every page kind: a share with its base, a change, a row's label, a span of years.

Every figure is stated with its base ("26 of 38 units (68.4%)"). The words are the wording
catalogue's (`say`), the labels the indicator catalogue's in the page's language
(`in_language`). A year page, a compare page, the trends page and the index all say a figure
with these, so one figure reads the same on each; the sentences built from them are in
`analysis.publish.text` (a year) and `analysis.publish.trends_page` (every year).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pandas as pd

from analysis.catalogue import Catalogue
from analysis.publish.load import Row
from analysis.publish.shapes import Named, empty_base, new_this_year, not_asked, not_comparable, small_base
from analysis.publish.wording import in_language, row_words, say, say_count


class Catalogued(Protocol):
    """A page's data as far as a label needs it: the year pages' and the trends page's alike."""

    @property
    def catalogue(self) -> Catalogue: ...


def no_base() -> str:
    """A share of no units (0 of 0) is neither 0% nor missing: it is said in these words, everywhere."""
    return say("figure.no_base")


def units_list(names: Iterable[str]) -> str:
    """Unit names one after another, with the separator of Chinese names."""
    return say("list.units").join(names)


def named_text(units: Named) -> str:
    """A list as `shapes.named` cut it: every name, or the names shown and how many more."""
    more = (
        say("many_units.more", more=units.more, total=units.total, shown=len(units.names))
        if units.more
        else ""
    )
    return units_list(units.names) + more


def and_list(items: list[str]) -> str:
    """'a, b and c': the last two joined by the language's 'and'."""
    if len(items) < 2:
        return "".join(items)
    return say("list.comma").join(items[:-1]) + say("list.and") + items[-1]


def percent_text(percent: object) -> str:
    """'68.4%', or 'not available' for a share without one."""
    return (
        say("figure.not_available")
        if pd.isna(percent)
        else say("figure.percent", value=f"{float(percent):.1f}")
    )


def share_text(numerator: object, denominator: object, percent: object) -> str:
    """'26 of 38 (68.4%)': the base is never left out; 0 of 0 is 'no units in the base', never 0%."""
    if pd.isna(numerator):
        return say("figure.none")
    if empty_base(denominator):
        return no_base()
    return say("figure.share", k=int(numerator), n=int(denominator), percent=percent_text(percent))


def pp_text(change: object) -> str:
    """A change in percentage points, always signed: '+13.1 pp', '-2.6 pp', '0.0 pp'."""
    if pd.isna(change):
        return say("figure.not_available")
    value = float(change)
    return say("figure.pp", value=f"{value:+.1f}" if value else "0.0")


def signed(number: object) -> str:
    """A change in a count, always signed ('+7', '-2'), or the words for no change."""
    if pd.isna(number):
        return say("figure.not_available")
    return f"{int(number):+d}" if int(number) else say("figure.no_change")


def figure_text(
    row: Row, prefix: str = "", small: int | None = None, not_asked_words: str | None = None
) -> str:
    """A table cell: a share with its base, or a count; marked (†) when its base is under `small` units.

    A year that did not ask the question reads `not_asked_words` (a trend table says it
    shorter than a year page), never 0.
    """
    numerator = row[f"{prefix}numerator"]
    if not_asked(row, prefix):
        return not_asked_words or say("figure.not_asked")
    if pd.isna(numerator):
        return say("figure.none")
    if pd.isna(row[f"{prefix}denominator"]):
        return str(int(numerator))
    text = share_text(numerator, row[f"{prefix}denominator"], row[f"{prefix}percent"])
    if small is not None and small_base(row, small, prefix):
        return say("small_base.marked", figure=text, mark=say("small_base.mark"))
    return text


def share_change(change_numerator: object, change_pp: object) -> str:
    """A share's change in points and in units ('+13.1 pp (+5 units)'), between two years or across many."""
    units = abs(int(change_numerator))
    return say_count("change.share", units, pp=pp_text(change_pp), count=signed(change_numerator))


def change_text(row: Row) -> str:
    """A row's change since the year compared with, in a table cell."""
    if new_this_year(row):
        return say("change.new")
    if pd.isna(row["previous_numerator"]):
        return say("figure.not_available")
    if pd.isna(row["denominator"]):
        return signed(row["change_numerator"])
    if not_comparable(row):
        return say("change.not_comparable", no_base=no_base())
    return share_change(row["change_numerator"], row["change_pp"])


def units_change(change: int) -> str:
    """How many units more or fewer than the year before ("增加5个单位"), in its own words: a
    share can rise while the number of units falls, when the base changed."""
    if change > 0:
        return say_count("change.more_units", change, count=change)
    if change < 0:
        return say_count("change.fewer_units", -change, count=-change)
    return say("change.same_units")


def years_text(first: int, last: int) -> str:
    """'2001–2004', '2001年至2004年'; one year alone as '2004', '2004年'."""
    return (
        say("trends.one_year", year=first) if first == last else say("trends.years", first=first, last=last)
    )


# --- labels ------------------------------------------------------------------------------


def base_text(data: Catalogued, population: str) -> str:
    """The units a share is taken over, in the page's language."""
    return in_language(data.catalogue.populations[population], "label")


def count_base_text(data: Catalogued, row: Row) -> str:
    """The base of a count: what it counts, over which units ('count of cadres, all units surveyed')."""
    indicator = data.catalogue.get(str(row["indicator"]))
    return say(
        "figure.count_base",
        unit=in_language(indicator, "unit"),
        population=base_text(data, str(row["population"])),
    )


def population_label(data: Catalogued, label: str, population: str) -> str:
    """An indicator's label in the page's language, with the population when it is not every unit."""
    if population == "all":
        return label
    return say("label.of_population", label=label, population=base_text(data, population))


def form_population_label(data: Catalogued, label_zh: str, population: str) -> str:
    """The same in the form's own words (Chinese), shown beside the label on a page in another language."""
    if population == "all":
        return label_zh
    return say(
        "label.of_population_zh", label=label_zh, population=data.catalogue.populations[population].label_zh
    )


def row_label(data: Catalogued, row: Row) -> str:
    """A row of the figures table's label, with its population when it is not every unit."""
    return population_label(data, row_words(row, "label"), str(row["population"]))


def form_label(data: Catalogued, row: Row) -> str:
    """A row's label in the form's own words, with its population when it is not every unit."""
    return form_population_label(data, str(row["label_zh"]), str(row["population"]))
