"""The trends page's data: every year surveyed, read back from the processed folder.

The figures are each year's stored tables (`indicators.csv`, `returns.parquet`, read back
by `analysis.store`) exactly as the build wrote them and as the year pages show them; only
the trends themselves (changes across years, units turning from yes to no, units joining
or leaving, yes answers per unit) are computed, by the pure functions of
`analysis.figures.trends`. Tables that are missing or were written from other returns than
today's stop the page: a trend is never drawn from stale tables. The sections drawn from
this data are in `analysis.publish.trends_page`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis.catalogue import Catalogue, Instrument, load_catalogue, load_instrument
from analysis.figures import trends
from analysis.paths import INDICATORS, RETURNS
from analysis.pipeline import YearResult, discover_years
from analysis.publish.load import (
    ReportError,
    Row,
    check_folders,
    page_languages,
    read_processed,
    report_folders,
)
from analysis.publish.shapes import Named, cut_list

# The processed tables this page reads, listed with their checksums in its last section.
READ_FILES = (INDICATORS, RETURNS)


@dataclass(frozen=True)
class TrendsData:
    """Every year surveyed, as the build stored it, and the page's language."""

    results: dict[int, YearResult]
    catalogue: Catalogue
    instrument: Instrument
    raw_dir: Path
    processed_dir: Path
    lang: str = "en"

    @property
    def years(self) -> list[int]:
        return sorted(self.results)

    @cached_property
    def long(self) -> pd.DataFrame:
        """Every indicator in every year (long), with its link, kind and labels."""
        frame = trends.indicator_trends({y: r.indicators for y, r in self.results.items()})
        known = {i.id: i for i in self.catalogue.indicators}
        frame = frame[frame["indicator"].isin(known)].reset_index(drop=True)
        for column in ("link", "kind", "label_en", "label_zh"):
            frame[column] = [getattr(known[i], column) for i in frame["indicator"]]
        return frame

    @cached_property
    def changes(self) -> dict[tuple[str, str], Row]:
        """First-to-last change and largest move, by (indicator, population)."""
        frame = trends.trend_changes(self.long)
        return {(r["indicator"], r["population"]): r for r in frame.to_dict("records")}

    @cached_property
    def returns(self) -> dict[int, pd.DataFrame]:
        return {y: r.returns for y, r in self.results.items()}

    @property
    def unit_names(self) -> set[str]:
        """Every unit the trends page may name: any year's returns."""
        return {name for returns in self.returns.values() for name in returns["unit_name"]}

    def rows(self, indicator: str, population: str) -> list[Row]:
        """One row per year, oldest first."""
        frame = self.long
        return frame[frame["indicator"].eq(indicator) & frame["population"].eq(population)].to_dict("records")

    def keys(self, link: str) -> list[tuple[str, str]]:
        """The (indicator, population) pairs of a link, in catalogue order."""
        wanted = {i.id for i in self.catalogue.by_link(link)}
        pairs = self.long[self.long["indicator"].isin(wanted)][["indicator", "population"]].drop_duplicates()
        order = [i.id for i in self.catalogue.indicators]
        return sorted(
            zip(pairs["indicator"], pairs["population"], strict=True), key=lambda k: order.index(k[0])
        )

    @property
    def lists_in_full(self) -> bool:
        """Whether the page names every unit: no year has more than the catalogue's `unit_lists_up_to`
        units surveyed (as on the year pages, `shapes.lists_in_full`)."""
        return all(len(r) <= self.catalogue.unit_lists_up_to for r in self.returns.values())

    def named(self, units: list[str]) -> Named:
        """Every unit of `units`, or when the lists are cut the first `units_named` of them."""
        return cut_list(units, self.lists_in_full, self.catalogue.units_named)

    def asked_questions(self, year: int) -> list[str]:
        """The yes/no questions of the year's form."""
        return self.instrument.for_year(year).names("yes_no")


# --- loading -----------------------------------------------------------------------------


def load_trends(
    raw_dir: str | Path | None = None, processed_dir: str | Path | None = None, lang: str = "en"
) -> TrendsData:
    """Every year with returns, read from the processed folder; an error if any is missing or stale."""
    check_folders(raw_dir, processed_dir)
    raw, processed = report_folders(raw_dir, processed_dir)
    years = discover_years(raw)
    if not years:
        raise ReportError(f"no year folders with returns in {raw}")
    results = read_processed(raw=raw, processed=processed, wanted=years, years=years)
    if results is None:
        raise ReportError(
            f"the processed tables in {processed} are missing or out of date for some of "
            f"{', '.join(map(str, years))}: run python -m analysis build"
        )
    return TrendsData(
        results=results,
        catalogue=load_catalogue(),
        instrument=load_instrument(),
        raw_dir=raw,
        processed_dir=processed,
        lang=lang,
    )


def load_pages(
    raw_dir: str | Path | None = None, processed_dir: str | Path | None = None, lang: str = "en"
) -> list[TrendsData]:
    """The years once, as one page per language asked for ('en', 'zh' or 'en zh')."""
    langs = page_languages(lang)
    first = load_trends(raw_dir, processed_dir, lang=langs[0])
    return [first] + [replace(first, lang=code) for code in langs[1:]]
