"""What each output of a build is made from, and so which outputs a build must redo.

One recipe per kind of output (a year's processed tables, a year's pages, the trends pages,
the indexes, the workbook) lists everything its bytes depend on; `analysis.records` keeps
them and compares. The dependencies follow the data: a year's tables read its returns and
the year before's (the comparison, the units that joined or left); a year's pages read its
tables and the tables of the year before; what covers every year reads every year's tables.
So a changed return redoes that year and the next year, then the pages whose tables changed
bytes, the trends, the indexes and the workbook; and a build with nothing changed redoes
nothing and starts no kernel.
"""

from __future__ import annotations

from pathlib import Path

from analysis import records, store
from analysis.findings import errors
from analysis.intake.read import list_return_files
from analysis.paths import (
    COMPARE_PAGES,
    COMPARISON,
    FINDINGS,
    LANGUAGES,
    WARNINGS,
    YEAR_NOTEBOOKS,
    YEAR_PAGES,
    Paths,
    compared_years,
    page_folder,
    shown_path,
)
from analysis.pipeline import input_files, year_before, year_folders, years_read
from analysis.records import Verdict

# A year's tables that depend on the year before it: the next year's pages do not read them.
CHAINED = (COMPARISON, FINDINGS, WARNINGS)
FORCED = Verdict(True, "--force")


def data_name(year: int) -> str:
    """The record of a year's processed tables."""
    return f"data-{year}"


def returns_digests(raw: Path, folder: Path) -> dict[str, str]:
    """The year's return files, its commentary and the aliases file, by SHA-256."""
    files, _ = list_return_files(folder, folder.name)
    return records.digests(input_files(files, raw) if files else [], raw)


def data_made_from(
    year: int, folders: dict[int, Path], returns: dict[int, dict[str, str]], skipped: list[str]
) -> dict:
    """A year's processed tables: its returns and the previous year's (`returns`, by year),
    every name in its folder (a lock file or a skipped file is a warning in its findings), the
    folders not read as years (their warnings go to a year's findings), the data-stage code
    and the libraries."""
    previous = year_before(year, sorted(folders))
    return {
        "year": year,
        "returns": returns[year],
        "folder": sorted(p.name for p in folders[year].iterdir()),
        "previous_year": previous,
        "previous_returns": returns[previous] if previous is not None else {},
        "skipped_folders": skipped,
        "code": records.code(),
        **records.environment(),
    }


def processed_files(processed: Path, year: int, chained: bool = True) -> list[Path]:
    names = store.YEAR_FILES if chained else tuple(n for n in store.YEAR_FILES if n not in CHAINED)
    return [store.year_folder(processed, year) / name for name in names]


def shown_folders(paths: Paths, notebook: Path) -> dict[str, str]:
    """The folders as a page names them (relative to the project root, or "…/name"): another
    root, or another processed folder, gives other words on the page."""
    return {
        "raw": shown_path(paths.raw),
        "processed": shown_path(paths.processed),
        "notebook": shown_path(notebook),
    }


def page_made_from(paths: Paths, year: int, years: list[int], langs: tuple[str, ...], notebook: Path) -> dict:
    """A year's pages: its tables, the tables of the year before that do not depend on the
    year before that, the neighbours its links name, the languages, the folders as the page
    names them, and every file of the package with the notebook (words, templates and
    charts change pages)."""
    previous = year_before(year, years)
    later = [y for y in years if y > year]
    files = processed_files(paths.processed, year) + (
        processed_files(paths.processed, previous, chained=False) if previous is not None else []
    )
    return {
        "year": year,
        "previous_year": previous,
        "next_year": later[0] if later else None,
        "compared": compared_years(paths.reports, year),  # the compare pages it links to
        "langs": list(langs),
        "shown": shown_folders(paths, notebook),
        "processed": records.digests(files, paths.processed),
        "code": records.code(publish=True, notebook=notebook),
        **records.environment(),
    }


def document_made_from(paths: Paths, year: int, years: list[int], langs: tuple[str, ...]) -> dict:
    """A year's Word documents (its report in each language, or its letters to the units): its
    tables and the year before's own tables, as its page reads them (report.yaml and the commentary
    are among its inputs, in inputs.csv with their SHA-256), the languages, and every file of the
    package. No notebook and no folder names: a document shows neither."""
    previous = year_before(year, years)
    files = processed_files(paths.processed, year) + (
        processed_files(paths.processed, previous, chained=False) if previous is not None else []
    )
    return {
        "year": year,
        "previous_year": previous,
        "langs": list(langs),
        "processed": records.digests(files, paths.processed),
        "code": records.code(publish=True),
        **records.environment(),
    }


def every_year_made_from(
    paths: Paths, years: list[int], langs: tuple[str, ...] | None = None, notebook: Path | None = None
) -> dict:
    """What covers every year (the trends pages, the workbook): every year's tables."""
    files = [path for year in years for path in processed_files(paths.processed, year)]
    made = {
        "years": years,
        "processed": records.digests(files, paths.processed),
        "code": records.code(publish=True, notebook=notebook),
        **records.environment(),
    }
    if notebook is not None:
        made["shown"] = shown_folders(paths, notebook)
    if langs is not None:
        made["langs"] = list(langs)
    return made


def index_made_from(paths: Paths, langs: tuple[str, ...] = LANGUAGES) -> dict:
    """The indexes: the year pages in the reports folder, whether their notebooks are kept,
    and the comparison each one's figures come from."""
    pages = {
        lang: sorted(p.name for p in page_folder(paths.reports, lang).glob(YEAR_PAGES)) for lang in langs
    }
    years = sorted({int(name[:4]) for names in pages.values() for name in names})
    comparisons = [paths.table(y, COMPARISON) for y in years]
    return {
        "langs": list(langs),
        "pages": pages,
        "notebooks": sorted(p.name for p in paths.reports.glob(YEAR_NOTEBOOKS)),
        "compares": sorted(p.name for p in paths.reports.glob(COMPARE_PAGES)),
        "processed": records.digests(comparisons, paths.processed),
        "code": records.code(publish=True),
        **records.environment(),
    }


def data_verdicts(
    raw: Path, processed: Path, years: list[int] | None, force: bool = False
) -> tuple[dict[int, Verdict], dict[int, dict]]:
    """Each wanted year's verdict and recipe. When the folders do not add up (a year asked
    for is missing, two folders hold one year, there is none), every year is stale, so that
    reading them reports the problem as a build always has."""
    folders, notes = year_folders(raw)
    wanted = sorted(folders) if years is None else sorted(set(years))
    if not folders or errors(notes) or any(y not in folders for y in wanted):
        return {y: Verdict(True, "") for y in wanted}, {}
    skipped = sorted(note.file or "" for note in notes)
    returns = {
        y: returns_digests(raw, folders[y]) for y in years_read(wanted, sorted(folders))
    }  # each file hashed once
    recipes = {y: data_made_from(y, folders, returns, skipped) for y in wanted}
    verdicts = {
        y: FORCED if force else records.verdict(processed, data_name(y), recipes[y], processed)
        for y in wanted
    }
    return verdicts, recipes
