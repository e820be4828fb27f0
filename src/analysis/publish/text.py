"""The sentences of a year page (and of a compare page), in the published report's manner.

The figures in them are said by `analysis.publish.figure_words` (a share always with its
base); this module only chooses which words fit the figures, and gives each sentence every
value any language states it with (the English says the previous year's figure, the
Chinese the change in units and points: each leaves the other `unsaid`). Pure functions of
the loaded data and the shapes in `analysis.publish.shapes`. The figures' words that
other code reads from here (`text.share_text`, `text.no_base`) are importable from here.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pandas as pd

from analysis import store
from analysis.catalogue import Indicator
from analysis.figures.indicators import blank_units
from analysis.paths import COMPARISON, shown_path
from analysis.publish.figure_words import (
    and_list,
    base_text,
    named_text,
    no_base,
    percent_text,
    pp_text,
    row_label,
    share_text,
    units_change,
)
from analysis.publish.figure_words import signed as signed  # read as text.signed
from analysis.publish.load import ReportData, Row
from analysis.publish.shapes import (
    empty_base,
    named,
    new_this_year,
    not_asked,
    not_comparable,
    population_size,
    small_base,
    split_changes,
)
from analysis.publish.wording import in_language, say, say_count


def small_base_note(data: ReportData, rows: list[Row]) -> str:
    """How to read a share marked as a small base, when any of `rows` has one this year or the
    year compared with."""
    threshold = data.catalogue.small_base
    if not any(small_base(r, threshold, p) for r in rows for p in ("", "previous_")):
        return ""
    return say("small_base.note", mark=say("small_base.mark"), threshold=threshold, step=int(100 / threshold))


def _change_clause(data: ReportData, row: Row) -> str:
    """', up from 21 of 38 (55.3%) in 2003' (English) or '，比上年增加5个单位，提高13.1个百分点'
    (Chinese); '' in the first year."""
    previous = data.previous_year
    if previous is None:
        return ""
    if new_this_year(row):
        return say("clause.new", previous=previous)
    if pd.isna(row["previous_numerator"]):
        return say("clause.no_figure", previous=previous)
    if pd.isna(row["denominator"]):
        return _count_clause(data, row)
    before = share_text(row["previous_numerator"], row["previous_denominator"], row["previous_percent"])
    if not_comparable(row):
        return _no_change_clause(data, row, before)
    pp = float(row["change_pp"])
    if pp == 0:
        if data.skips_years:  # "比2001年", not "比上年"
            return say("compare.clause_same_share", before=before, previous=previous)
        return say("clause.same_share", before=before, previous=previous)
    units, points = units_change(int(row["change_numerator"])), f"{abs(pp):.1f}"
    if pp > 0:
        if data.skips_years:  # "比2001年", not "比上年"
            return say("compare.clause_up", before=before, previous=previous, units=units, pp=points)
        return say("clause.up", before=before, previous=previous, units=units, pp=points)
    if data.skips_years:  # "比2001年", not "比上年"
        return say("compare.clause_down", before=before, previous=previous, units=units, pp=points)
    return say("clause.down", before=before, previous=previous, units=units, pp=points)


def _count_clause(data: ReportData, row: Row) -> str:
    """A count's change: up from, down from, or the same as the year before ('比上年增加7人')."""
    change, before, previous = (
        int(row["change_numerator"]),
        int(row["previous_numerator"]),
        data.previous_year,
    )
    unit = in_language(data.catalogue.get(row["indicator"]), "unit")
    if change > 0:
        if data.skips_years:  # "比2001年", not "比上年"
            return say("compare.clause_count_up", before=before, previous=previous, change=change, unit=unit)
        return say("clause.count_up", before=before, previous=previous, change=change, unit=unit)
    if change < 0:
        if data.skips_years:  # "比2001年", not "比上年"
            return say(
                "compare.clause_count_down", before=before, previous=previous, change=-change, unit=unit
            )
        return say("clause.count_down", before=before, previous=previous, change=-change, unit=unit)
    if data.skips_years:  # "比2001年", not "比上年"
        return say("compare.clause_count_same", before=before, previous=previous, change=0, unit=unit)
    return say("clause.count_same", before=before, previous=previous, change=0, unit=unit)


def _no_change_clause(data: ReportData, row: Row, before: str) -> str:
    """Why a share has no change: a base of no units this year, the previous year, or both."""
    previous = data.previous_year
    if empty_base(row["denominator"]) and empty_base(row["previous_denominator"]):
        return say("clause.no_base_both", previous=previous)
    if empty_base(row["denominator"]):
        return say("clause.no_base_now", before=before, previous=previous)
    return say("clause.no_base_before", previous=previous, no_base=no_base())


def _share_clause(data: ReportData, row: Row) -> str:
    """'; that is 21 of the 22 units that carried out an assessment (95.5%), up from …'
    ('，占开展责任考核单位的95.5%')."""
    base, change = base_text(data, row["population"]), _change_clause(data, row)
    if empty_base(row["denominator"]):
        return say("clause.sub_base_empty", base=base, no_base=no_base(), year=data.year, change=change)
    return say(
        "clause.sub_base",
        k=int(row["numerator"]),
        n=int(row["denominator"]),
        base=base,
        percent=percent_text(row["percent"]),
        change=change,
    )


def paragraph_sentences(data: ReportData, indicator_ids: list[str]) -> list[str]:
    """The sentences of a paragraph (a list under one heading): a share of all units says its base
    once ("38个单位中，有23个单位……"), the next shares of the same base do not ("有22个单位……")."""
    said, sentences = set(), []
    for indicator_id in indicator_ids:
        rows = data.rows_where(indicator=indicator_id)
        base = (
            int(rows[0]["denominator"])
            if rows and rows[0]["population"] == "all" and not pd.isna(rows[0]["denominator"])
            else None
        )
        sentences.append(indicator_sentence(data, indicator_id, base_said=base in said))
        if data.catalogue.get(indicator_id).kind == "share" and base:
            said.add(base)
    return sentences


def indicator_sentence(data: ReportData, indicator_id: str, base_said: bool = False) -> str:
    """One sentence per indicator, in the published report's manner, with every base stated (a
    share of a base the paragraph has already said, with `base_said`, says it no more)."""
    indicator = data.catalogue.get(indicator_id)
    rows = data.rows_where(indicator=indicator_id)
    first = rows[0]
    if not_asked(first):
        return say("sentence.not_asked", label=in_language(indicator, "label"), year=data.year)
    if indicator.kind == "units":
        return _units_sentence(data, indicator, first)
    if indicator.kind == "sum":
        return say(
            "sentence.count",
            label=in_language(indicator, "label"),
            statement=in_language(indicator, "statement"),
            k=int(first["numerator"]),
            unit=in_language(indicator, "unit"),
            change=_change_clause(data, first),
        )
    more = "".join(_share_clause(data, row) for row in rows[1:])
    change = _change_clause(data, first)
    if empty_base(first["denominator"]):
        return say(
            "sentence.share_no_base",
            label=in_language(indicator, "label"),
            no_base=no_base(),
            year=data.year,
            change=change,
            more=more,
        )
    base = say("figure.units") if first["population"] == "all" else base_text(data, first["population"])
    k, n, percent, statement = (
        int(first["numerator"]),
        int(first["denominator"]),
        percent_text(first["percent"]),
        in_language(indicator, "statement"),
    )
    if more:
        # with sub-bases the Chinese leads with them ("占开展责任考核单位的95.5%，占单位总数的55.3%"):
        # a key of its own
        return say(
            "sentence.share_sub_base",
            k=k,
            n=n,
            base=base,
            percent=percent,
            statement=statement,
            change=change,
            more=more,
        )
    if base_said and first["population"] == "all":
        return say(
            "sentence.share_same_base",
            k=k,
            n=n,
            base=base,
            percent=percent,
            statement=statement,
            change=change,
            more=more,
        )
    return say(
        "sentence.share", k=k, n=n, base=base, percent=percent, statement=statement, change=change, more=more
    )


def _units_sentence(data: ReportData, indicator: Indicator, row: Row) -> str:
    """'38 units were surveyed (38 in 2003).'"""
    k, before = int(row["numerator"]), row["previous_numerator"]
    statement = in_language(indicator, "statement")
    if pd.isna(before):
        return say("sentence.units", k=k, statement=statement)
    return say(
        "sentence.units_before", k=k, statement=statement, before=int(before), previous=data.previous_year
    )


def no_answer_sentence(data: ReportData, indicator_ids: list[str]) -> str:
    """Who left these questions blank: they stay in the base and do not count as yes."""
    parts = []
    for indicator_id in indicator_ids:
        indicator = data.catalogue.get(indicator_id)
        if indicator.kind != "share" or indicator.field not in data.form.names():
            continue  # a question the year did not ask has no blanks: nobody was asked
        blank = blank_units(data.result.returns, indicator.field)
        if blank:
            parts.append(
                say(
                    "no_answer.item",
                    label=in_language(indicator, "label"),
                    count=len(blank),
                    units=named_text(named(data, blank)),
                )
            )
    if not parts:
        return ""
    return say("no_answer.sentence", items=say("list.items").join(parts))


def processed_status(data: ReportData) -> str:
    """Where the figures were read, and whether the processed tables on disk hold them."""
    folder = PurePosixPath(shown_path(data.processed_dir)) / str(
        data.year
    )  # named from the folder given, never absolute
    shown = (folder / COMPARISON).as_posix()
    if data.source == "processed":
        return say("status.read", folder=folder.as_posix())
    if not store.has_year(data.processed_dir, data.year):
        return say("status.not_written", file=shown)
    if store.holds(data.processed_dir, data.year, data.result.comparison):
        return say("status.same", file=shown)
    return say("status.out_of_date", file=shown)


def not_compared_items(data: ReportData) -> list[str]:
    """The shares left out of the count of changes because a year has no units in their base."""
    rows = [r for r in data.rows_where(kind="share") if not_comparable(r)]
    if not rows:
        return []
    labels = say("list.items").join(row_label(data, r) for r in rows)
    return [
        say_count(
            "changes.not_compared",
            len(rows),
            count=len(rows),
            no_base=no_base(),
            year=data.year,
            previous=data.previous_year,
            labels=labels,
        )
    ]


def new_items(data: ReportData) -> list[str]:
    """The shares left out of the count of changes because the earlier year's form did not ask them."""
    rows = [r for r in data.rows_where(kind="share") if new_this_year(r)]
    if not rows:
        return []
    return [
        say(
            "changes.new",
            previous=data.previous_year,
            labels=say("list.items").join(row_label(data, r) for r in rows),
        )
    ]


def change_items(data: ReportData) -> list[str]:
    """What changed since the previous year: how many shares rose and fell, the largest rises, every fall."""
    rises, falls, same = split_changes(data)
    total, compared = len(data.rows_where(kind="share")), len(rises) + len(falls) + same
    counts = count_changes(len(rises), len(falls), same)
    if compared < total:  # some are new this year or have no units in a base: the count says of how many
        items = [
            say(
                "changes.summary_some",
                total=total,
                compared=compared,
                counts=counts,
                previous=data.previous_year,
            )
        ]
    else:
        items = [say("changes.summary", total=total, counts=counts, previous=data.previous_year)]
    if rises:
        items.append(say("changes.rises", items=_labelled_changes(data, rises[:3])))
    if falls:
        items.append(say("changes.falls", items=_labelled_changes(data, falls)))
    return items + not_compared_items(data) + new_items(data)


def _labelled_changes(data: ReportData, rows: list[Row]) -> str:
    """'Responsibility decomposition plan (+15.8 pp); …'"""
    items = []
    for r in rows:
        label, pp, signed_pp = (
            row_label(data, r),
            f"{abs(float(r['change_pp'])):.1f}",
            pp_text(r["change_pp"]),
        )
        if float(r["change_pp"]) > 0:
            items.append(say("changes.item_up", label=label, pp=pp, signed=signed_pp))
        else:
            items.append(say("changes.item_down", label=label, pp=pp, signed=signed_pp))
    return say("list.items").join(items)


def count_changes(rose: int, fell: int, same: int) -> str:
    """'all 14 rose', or '12 rose, 1 fell and 1 did not change'."""
    counted = ((rose, say("changes.rose")), (fell, say("changes.fell")), (same, say("changes.same")))
    parts = [(n, verb) for n, verb in counted if n]
    if not parts:
        return say("changes.none")
    if len(parts) == 1:
        n, verb = parts[0]
        return say("changes.all", n=n, verb=verb) if n > 1 else say("changes.the_one", verb=verb)
    return and_list([say("changes.part", n=n, verb=verb) for n, verb in parts])


def sub_base_sentence(data: ReportData, population: str) -> str:
    """The base of the rows that are not over every unit, stated once per section."""
    spec = data.catalogue.populations[population]
    now = population_size(data.result, population)
    before = ""
    if data.previous is not None:
        then = population_size(data.previous, population)
        before = say("sub_base.before", k=then, n=len(data.previous.returns), previous=data.previous_year)
    label = in_language(spec, "label")
    if now == 0:
        return say(
            "sub_base.none",
            k=now,
            n=len(data.result.returns),
            label=label,
            year=data.year,
            before=before,
            no_base=no_base(),
        )
    return say("sub_base.some", k=now, n=len(data.result.returns), label=label, year=data.year, before=before)
