"""The summary a reviewer can quote: what the year's figures say, judged, before the details.

Computed from the indicator table, never written by hand, so another year says something else:
which link is strongest and which is weakest (by the link's headline share), how many shares
rose and fell against the year compared with, the largest rise and every fall, and the gaps
that touch the most units. Every figure is said with its base; every word is from the catalogue.
"""

from __future__ import annotations

from analysis.publish.figure_words import figure_text, percent_text, row_label
from analysis.publish.load import ReportData, Row
from analysis.publish.shapes import gaps, not_asked, split_changes
from analysis.publish.wording import in_language, say

# The gaps the summary names: the ones that touch the most units.
GAPS_NAMED = 2


def summary_sentences(data: ReportData) -> list[str]:
    """The summary's sentences, in reading order."""
    return [s for s in (links_sentence(data), changes_sentence(data), gaps_sentence(data)) if s]


def links_sentence(data: ReportData) -> str:
    """The strongest and the weakest link, each by its headline share of all units."""
    shares = [r for r in _headline_shares(data) if int(r["denominator"]) > 0]
    if len(shares) < 2:
        return ""
    ordered = sorted(shares, key=lambda r: float(r["percent"]))
    weak, strong = ordered[0], ordered[-1]
    if float(weak["percent"]) == float(strong["percent"]):
        return say(
            "summary.links_even", n=int(strong["denominator"]), percent=percent_text(strong["percent"])
        )
    return say(
        "summary.links",
        n=int(strong["denominator"]),
        strong=_link_label(data, strong),
        k_strong=int(strong["numerator"]),
        statement_strong=_statement(data, strong),
        percent_strong=percent_text(strong["percent"]),
        weak=_link_label(data, weak),
        k_weak=int(weak["numerator"]),
        statement_weak=_statement(data, weak),
        percent_weak=percent_text(weak["percent"]),
    )


def changes_sentence(data: ReportData) -> str:
    """How many shares rose, fell or stayed; the largest rise and every fall, from and to."""
    if data.previous is None:
        return ""
    rises, falls, same = split_changes(data)
    if not rises and not falls and not same:
        return ""
    compared = len(rises) + len(falls) + same
    if len(rises) == compared:
        counted = say("summary.changes_all_up", previous=data.previous_year, compared=compared)
    else:
        counted = say(
            "summary.changes",
            previous=data.previous_year,
            compared=compared,
            up=len(rises),
            down=len(falls),
            same=same,
        )
    parts = [counted]
    if rises:
        top = [r for r in rises if float(r["change_pp"]) == float(rises[0]["change_pp"])]
        parts.append(say("summary.largest_rise", items=say("list.items").join(_moved(data, r) for r in top)))
    parts.append(
        say("summary.falls", items=say("list.items").join(_moved(data, r) for r in falls))
        if falls
        else say("summary.no_fall")
    )
    return say("list.space").join(parts)


def gaps_sentence(data: ReportData) -> str:
    """The gaps of all units that the most units answered no to (ties in catalogue order)."""
    found = sorted((g for g in gaps(data) if g.population == "all" and g.units), key=lambda g: -len(g.units))[
        :GAPS_NAMED
    ]
    if not found:
        return say("summary.no_gap")
    items = [
        say("summary.gap_item", k=len(g.units), gap=in_language(data.catalogue.get(g.indicator), "gap"))
        for g in found
    ]
    return say("summary.gaps", n=found[0].denominator, items=say("list.items").join(items))


def _headline_shares(data: ReportData) -> list[Row]:
    """Each link's headline share of all units, asked this year."""
    rows = []
    for indicator_id in data.catalogue.headline():
        if data.catalogue.get(indicator_id).kind != "share":
            continue
        row = data.rows_where(indicator=indicator_id, population="all")
        if row and not not_asked(row[0]):
            rows.append(row[0])
    return rows


def _link_label(data: ReportData, row: Row) -> str:
    return in_language(data.catalogue.links[data.catalogue.get(row["indicator"]).link], "label")


def _statement(data: ReportData, row: Row) -> str:
    return in_language(data.catalogue.get(row["indicator"]), "statement")


def _moved(data: ReportData, row: Row) -> str:
    """'逐级分解责任从18/38（47.4%）提高到23/38（60.5%），提高13.1个百分点'."""
    before = figure_text(row, prefix="previous_")
    now = figure_text(row)
    pp = f"{abs(float(row['change_pp'])):.1f}"
    if float(row["change_pp"]) > 0:
        return say("summary.rise_item", label=row_label(data, row), before=before, now=now, pp=pp)
    return say("summary.fall_item", label=row_label(data, row), before=before, now=now, pp=pp)
