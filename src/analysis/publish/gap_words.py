"""The problems part's words: each gap's sentence, and where the whole lists are when a year has
too many units to name each on the page."""

from __future__ import annotations

from pathlib import PurePosixPath

from analysis.paths import FINDINGS, WORKBOOK, shown_path
from analysis.publish.figure_words import base_text, no_base, percent_text
from analysis.publish.load import ReportData
from analysis.publish.shapes import Gap
from analysis.publish.wording import in_language, say


def gap_title(data: ReportData, gap: Gap) -> str:
    """'12 of 38 units (31.6%) have not yet drawn up a responsibility decomposition plan (17 in 2003).'

    The count is the units that answered no, the names listed under the sentence; units that
    gave no answer are said apart, under the list ("另有1个单位未填报此项").
    """
    k = len(gap.units)
    if gap.population == "all":
        of = say("gap.of_units", k=k, n=gap.denominator)
    else:
        of = say("gap.of_population", k=k, n=gap.denominator, population=base_text(data, gap.population))
    before = ""
    if gap.previous_base_empty:
        before = say("gap.before_no_base", no_base=no_base(), previous=data.previous_year)
    elif gap.previous_count is not None:
        before = say("gap.before", count=gap.previous_count, previous=data.previous_year)
    gap_words = in_language(data.catalogue.get(gap.indicator), "gap")
    return say("gap.title", of=of, percent=percent_text(gap.percent), gap=gap_words, before=before)


# --- a year with too many units to name each ---------------------------------------------


def findings_file(data: ReportData) -> str:
    """The year's findings.csv as the page names it (from the folder given, never absolute)."""
    return (PurePosixPath(shown_path(data.processed_dir)) / str(data.year) / FINDINGS).as_posix()


def many_units_pointer(data: ReportData) -> str:
    """Why the page gives counts and cut lists, and where every name is instead."""
    return say(
        "many_units.pointer",
        units=len(data.result.returns),
        year=data.year,
        shown=data.catalogue.units_named,
        workbook=WORKBOOK,
        findings=findings_file(data),
    )


def quality_pointer(data: ReportData) -> str:
    """Under the data-quality tables of such a year: where each whole list is."""
    return say(
        "many_units.quality_pointer",
        shown=data.catalogue.units_named,
        findings=findings_file(data),
        workbook=WORKBOOK,
    )
