"""The data one year's report is made from: the year, the previous year, and where they came from.

The report notebook calls `load_year` first. `python -m analysis build` has just written
the processed tables, so they are read instead of every workbook again; tables that are
missing, or were written from files other than today's returns (compared by SHA-256), are
ignored and the figures computed from the returns, so a report is never made from stale tables.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from analysis import store
from analysis.catalogue import Catalogue, Indicator, Instrument, load_catalogue, load_instrument
from analysis.figures.compare import compare_years
from analysis.findings import AnalysisError
from analysis.intake.issuer import Issuer, read_issuer
from analysis.intake.read import list_return_files
from analysis.paths import INPUTS, LANGUAGES, Paths, compare_name, page_file, record_name
from analysis.pipeline import (
    YearResult,
    discover_years,
    file_inputs,
    input_files,
    process_years,
    year_before,
    year_folder,
)
from analysis.publish.commentary import Commentary, read_commentary

Row = dict[str, object]


class ReportError(AnalysisError):
    """A report cannot be made as asked: a bad parameter, a missing year, a failed notebook."""


@dataclass(frozen=True)
class ReportData:
    """One year's results, the previous year's, and where they came from."""

    year: int
    result: YearResult
    previous: YearResult | None
    catalogue: Catalogue
    instrument: Instrument
    raw_dir: Path
    processed_dir: Path
    parameters: dict[str, object]
    source: str = "returns"  # where the figures were read: "returns" or "processed"
    lang: str = "en"  # the language of the page
    years: tuple[int, ...] = ()  # every year with returns, for the links to the years before and after
    commentary: Commentary | None = None  # the office's own words in the page's language, if any
    compare_with: int | None = None  # the year asked for instead of the one before (a compare page), if any
    year_before: int | None = None  # the latest year surveyed before `year`, whatever it is compared with
    issuer: Issuer | None = (
        None  # the office that issues the report and the date (report.yaml); None: a draft
    )
    compared: tuple[int, ...] = ()  # the other years this year has a compare page with, linked from its page

    @property
    def skips_years(self) -> bool:
        """Compared with an earlier year than the one before: "上年" and "the year before" would be wrong."""
        return self.compare_with is not None and self.compare_with != self.year_before

    @property
    def unit_names(self) -> list[str]:
        """Every unit the year's page may name: this year's returns and the year before's (a unit
        that did not return this year is named in the record)."""
        before = [] if self.previous is None else list(self.previous.returns["unit_name"])
        return [*self.result.returns["unit_name"], *before]

    @property
    def page_stem(self) -> str:
        """The page's name without .html: '2004', or 'compare-2001-2004'."""
        return compare_name(self.compare_with, self.year) if self.compare_with is not None else str(self.year)

    @property
    def page_name(self) -> str:
        """The page's file name in its language's folder: '2004.html', or 'compare-2001-2004.html'."""
        return page_file(self.page_stem)

    @property
    def record_page_name(self) -> str:
        """Its technical record's file name, beside it: '2004-record.html'."""
        return page_file(record_name(self.page_stem))

    @cached_property
    def form(self) -> Instrument:
        """The instrument as the year's form had it: only the questions it asked, the rules on them."""
        return self.instrument.for_year(self.year)

    @property
    def previous_year(self) -> int | None:
        return self.previous.year if self.previous is not None else None

    @cached_property
    def figures(self) -> pd.DataFrame:
        """The comparison table joined to the catalogue's labels and each row's no-answer count.

        Computed once: every section reads the same table.
        """
        return _figures(self)

    @cached_property
    def rows(self) -> list[Row]:
        """The same table as plain dicts, which the text functions walk many times."""
        return self.figures.to_dict("records")

    def rows_where(self, **equal: object) -> list[Row]:
        """The rows of `figures` whose columns have these values, in catalogue order."""
        return [r for r in self.rows if all(r[k] == v for k, v in equal.items())]


def compare_page_name(earlier: int, later: int) -> str:
    """The file name of the page comparing `later` with `earlier`, in each language's folder."""
    return page_file(compare_name(earlier, later))


def check_parameter_types(year: object, raw_dir: object, processed_dir: object, lang: object = "en") -> None:
    """Refuse what papermill would otherwise pass on silently: `-r year 2004` gives the text '2004'."""
    if not isinstance(year, int) or isinstance(year, bool):
        raise ReportError(
            f"parameter year must be a whole number such as 2004, got {type(year).__name__} {year!r}"
        )
    if lang not in LANGUAGES:
        raise ReportError(f"parameter lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    check_folders(raw_dir, processed_dir)


def check_folders(raw_dir: object, processed_dir: object) -> None:
    """The folder parameters of every notebook: a path, or None for this checkout's folder."""
    for name, value in (("raw_dir", raw_dir), ("processed_dir", processed_dir)):
        if value is not None and not isinstance(value, str | Path):
            raise ReportError(
                f"parameter {name} must be a folder path (text) or None, got {type(value).__name__} {value!r}"
            )
        if isinstance(value, str) and not value.strip():
            raise ReportError(f"parameter {name} is empty; leave it None for the default folder")


def report_folders(raw_dir: str | Path | None, processed_dir: str | Path | None) -> tuple[Path, Path]:
    """The raw and processed folders a notebook reads: as given, or this checkout's."""
    defaults = Paths.default()
    return (
        Path(raw_dir) if raw_dir is not None else defaults.raw,
        Path(processed_dir) if processed_dir is not None else defaults.processed,
    )


def check_compare_with(year: int, compare_with: object, years: list[int]) -> None:
    """The year to compare with must be a whole number, have returns, and come before `year`."""
    if compare_with is None:
        return
    if not isinstance(compare_with, int) or isinstance(compare_with, bool):
        raise ReportError(
            "parameter compare_with must be a whole number such as 2001, or None, got "
            f"{type(compare_with).__name__} {compare_with!r}"
        )
    if compare_with >= year:
        raise ReportError(
            f"parameter compare_with ({compare_with}) must be earlier than the year reported on ({year})"
        )
    if compare_with not in years:
        found = ", ".join(map(str, years)) or "none"
        raise ReportError(f"no returns for {compare_with} to compare {year} with (years found: {found})")


def load_year(
    year: int,
    raw_dir: str | Path | None = None,
    processed_dir: str | Path | None = None,
    lang: str = "en",
    compare_with: int | None = None,
) -> ReportData:
    """The year and the previous year: from the processed tables when they are up to date, else from the
    returns.

    `compare_with` names an earlier year to compare with instead of the one before; the
    comparison is then made here from the two years' indicators (`compare_years`, pure).

    `python -m analysis build` writes the processed tables just before it runs the report,
    so the report reads what the build published instead of reading every workbook again.
    Tables that are missing or were written from other files (inputs.csv, by SHA-256) are
    ignored and the figures are computed from the returns: never a stale report.
    None folders mean this checkout's data/raw and data/processed.
    """
    check_parameter_types(year, raw_dir, processed_dir, lang)
    raw, processed = report_folders(raw_dir, processed_dir)
    years = discover_years(raw)
    if year not in years:
        found = ", ".join(map(str, years)) or "none"
        raise ReportError(
            f"no returns for {year}: there is no folder {raw / str(year)} (years found: {found})"
        )
    check_compare_with(year, compare_with, years)
    wanted = [compare_with, year] if compare_with is not None else [y for y in years if y <= year][-2:]
    results = read_processed(raw=raw, processed=processed, wanted=wanted, years=years)
    source = "processed"
    if results is None:
        results, source = process_years(raw, wanted), "returns"
    result = results[year]
    if compare_with is not None:  # the stored comparison is with the year before: set it beside this one
        earlier = results[compare_with]
        result = replace(
            result, comparison=compare_years(result.indicators, earlier.indicators, compare_with)
        )
    parameters: dict[str, object] = {
        "year": year,
        "raw_dir": raw_dir,
        "processed_dir": processed_dir,
        "lang": lang,
    }
    if compare_with is not None:
        parameters["compare_with"] = compare_with
    return ReportData(
        year=year,
        result=result,
        previous=results[wanted[0]] if len(wanted) == 2 else None,
        catalogue=load_catalogue(),
        instrument=load_instrument(),
        raw_dir=raw,
        processed_dir=processed,
        parameters=parameters,
        source=source,
        lang=lang,
        years=tuple(years),
        commentary=read_commentary(year_folder(raw, year), lang),
        compare_with=compare_with,
        issuer=issuer_of(raw, year),
        year_before=year_before(year, years),
    )


def issuer_of(raw: Path, year: int) -> Issuer | None:
    """The year's report.yaml, checked as the build checks it: a bad one stops the page."""
    folder = year_folder(raw, year)
    issuer, problems = read_issuer(folder, folder.name, year)
    if problems:
        raise ReportError("; ".join(f"{p.where()}: expected {p.expected}" for p in problems))
    return issuer


def read_processed(
    raw: Path, processed: Path, wanted: list[int], years: list[int]
) -> dict[int, YearResult] | None:
    """The years' results as the build wrote them, or None unless every table is there and
    was written from today's returns (the one check made here: their SHA-256, in inputs.csv)."""
    results = {}
    for year in wanted:
        returns_folder = year_folder(raw, year)
        files, _ = list_return_files(returns_folder, returns_folder.name)
        if not files or not store.has_year(processed, year):
            return None
        inputs = file_inputs(input_files(files, raw), raw)
        written_from = store.read_table(processed, year, INPUTS)
        if _rows(inputs) != _rows(written_from):
            return None  # the returns changed (by content, not by date) since the tables were written
        result = store.read_year(processed, year, year_before(year, years))
        if result.comparison["previous_year"].dropna().unique().tolist() != (
            [result.previous_year] if result.previous_year else []
        ):
            return None  # a year before it appeared or went since the tables were written
        results[year] = result
    return results


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(row) for row in frame.itertuples(index=False)]


# --- the figures of a year, with their labels --------------------------------------------


def _figures(data: ReportData) -> pd.DataFrame:
    frame = data.result.comparison.copy()
    indicators = {i.id: i for i in data.catalogue.indicators}
    frame["link"] = [indicators[i].link for i in frame["indicator"]]
    frame["kind"] = [indicators[i].kind for i in frame["indicator"]]
    frame["label_en"] = [indicators[i].label_en for i in frame["indicator"]]
    frame["label_zh"] = [indicators[i].label_zh for i in frame["indicator"]]
    frame["no_answer"] = [
        _no_answer_count(data, indicators[i], p)
        for i, p in zip(frame["indicator"], frame["population"], strict=True)
    ]
    return frame


def _no_answer_count(data: ReportData, indicator: Indicator, population: str) -> int:
    """The blanks in the share's own base, as the build counted them (no_answers.csv)."""
    if indicator.kind != "share":
        return 0
    counts = data.result.no_answers
    row = counts[counts["field"].eq(indicator.field) & counts["population"].eq(population)]
    return int(row["no_answer"].iloc[0]) if len(row) else 0  # a question not asked that year has no blanks


def page_languages(lang: str) -> list[str]:
    """'en', 'zh' or 'en zh' (both, drawn by one kernel) as a list of languages."""
    langs = lang.split()
    unknown = [code for code in langs if code not in LANGUAGES]
    if not langs or unknown or len(set(langs)) != len(langs):
        raise ReportError(
            f"parameter lang must be one or more of {', '.join(LANGUAGES)} separated by spaces, got {lang!r}"
        )
    return langs


def load_pages(
    year: int,
    raw_dir: str | Path | None = None,
    processed_dir: str | Path | None = None,
    lang: str = "en",
    compare_with: int | None = None,
    compared: str = "",
) -> list[ReportData]:
    """The year's data once, as one page per language asked for (each with its own commentary);
    `compared` names the years it has a compare page with ("2001 2003")."""
    langs = page_languages(lang) if isinstance(lang, str) else lang
    first = load_year(
        year, raw_dir=raw_dir, processed_dir=processed_dir, lang=langs[0], compare_with=compare_with
    )
    if not isinstance(compared, str) or not all(part.isdigit() for part in compared.split()):
        raise ReportError(
            f"parameter compared must be years separated by spaces, such as '2001 2003', got {compared!r}"
        )
    first = replace(first, compared=tuple(int(part) for part in compared.split()))
    return [first] + [
        replace(first, lang=code, commentary=read_commentary(year_folder(first.raw_dir, year), code))
        for code in langs[1:]
    ]
