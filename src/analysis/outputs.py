"""Every output a build publishes, declared once: the registry `build.publish` walks.

An entry says what the output is called (its record in `data/processed/records/`), whether
there is one per year and one per language, the files it writes (asked of `paths`), what it
is made from (its recipe in `plan`: when that changes, the output is stale) and the function
that makes it. Entries of one `stage` run side by side; a later stage waits for the earlier
ones and does not run when one of them failed (the indexes and the workbook are never
written over pages that failed).

Adding an output is one `Output(...)` below and its builder; the README's list of outputs is
read from `OUTPUTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from analysis import plan
from analysis.figures.result import YearResult
from analysis.paths import (
    DOCUMENT_SUFFIX,
    INDEX,
    LANGUAGES,
    LETTER_LANG,
    LETTER_NAMES,
    TRENDS,
    TRENDS_NOTEBOOK,
    YEAR_NOTEBOOK,
    Paths,
    record_name,
)

Progress = Callable[[str], None]
Done = Callable[[int | None, list[Path]], None]  # an output (its year, or None) and the files it wrote


@dataclass
class Run:
    """What a build's publishing stage knows: the folders, the years, the languages."""

    paths: Paths
    years: list[int]  # the years whose pages this build considers
    every: list[int]  # every year with returns
    built: list[int]  # every year with processed tables
    results: dict[int, YearResult]
    langs: tuple[str, ...] = LANGUAGES
    force: bool = False


@dataclass(frozen=True)
class Output:
    """One output of a build: see the module's docstring."""

    name: str
    describe: str  # what it is, for the README and `--help`
    files: Callable[[Paths, int | None, tuple[str, ...]], list[Path]]
    made_from: Callable[[Run, int | None], dict | None]  # None: it cannot be made now (see `not_made`)
    make: Callable[[Run, list[int | None], Progress, Done], None]  # raises ReportError after making the rest
    stage: int
    per_year: bool = False
    per_language: bool = True
    up_to_date: str = "{name}: up to date"
    not_made: Callable[[Run], str] = field(default=lambda run: "")

    def record(self, year: int | None) -> str:
        """The output's record name: `pages-2004`, or `trends`."""
        return f"{self.name}-{year}" if self.per_year else self.name

    def keys(self, run: Run) -> list[int | None]:
        return list(run.years) if self.per_year else [None]


# --- the builders: each makes the stale ones and tells `done` what each wrote --------------------


def _year_pages(run: Run, years: list[int | None], progress: Progress, done: Done) -> None:
    from analysis.progress import reporter
    from analysis.publish.render import render_years

    say = reporter(progress)
    with say.stage("reports run", len(years)) as advance:

        def finished(rendered) -> None:
            done(rendered.year, [*rendered.pages.values(), rendered.notebook])
            advance(str(rendered.year))

        render_years(
            [y for y in years if y is not None], run.paths, progress=say, langs=run.langs, done=finished
        )


def _trends_pages(run: Run, _: list[int | None], progress: Progress, done: Done) -> None:
    from analysis.publish.load import ReportError
    from analysis.publish.render import render_trends

    said: list[str] = []
    try:
        finished = render_trends(run.paths, langs=run.langs, progress=said.append)
    except ReportError:
        progress("trends: report failed")
        raise
    for line in said:
        progress(line)
    done(None, [*finished.pages.values(), finished.notebook])


def _indexes(run: Run, _: list[int | None], progress: Progress, done: Done) -> None:
    from analysis.publish.render import write_indexes

    done(None, write_indexes(run.results, run.paths, langs=run.langs, progress=progress))


def _each_year(
    run: Run,
    years: list[int | None],
    progress: Progress,
    done: Done,
    what: str,
    make: Callable[[int], list[Path]],
) -> None:
    """`make` each year, telling `done` what it wrote; a year that fails does not hold back the
    others, and one ReportError names each failure after the rest are made."""
    import traceback

    from analysis.publish.load import ReportError

    failures = []
    for year in [y for y in years if y is not None]:
        try:
            files = make(year)
        except Exception:  # a failure of one year's documents, said with its traceback
            failures.append(f"{year}: {what} failed:\n{traceback.format_exc()}")
            progress(f"{year}: {what} failed")
            continue
        done(year, files)
        shown = files if len(files) <= len(run.langs) else [files[0].parent]
        progress(f"{year}: {what} -> {', '.join(str(p) for p in shown)} ({len(files)} files)")
    if failures:
        raise ReportError("\n".join(failures))


def _documents(run: Run, years: list[int | None], progress: Progress, done: Done) -> None:
    from analysis.publish.document_report import write_documents

    def make(year: int) -> list[Path]:
        return write_documents(year, run.paths, run.langs)

    _each_year(run, years, progress, done, "documents", make)


def _letters(run: Run, years: list[int | None], progress: Progress, done: Done) -> None:
    from analysis.publish.document_letters import write_letters

    _each_year(run, years, progress, done, "letters", lambda year: write_letters(year, run.paths))


def _letter_files(paths: Paths, year: int | None) -> list[Path]:
    """The letters of a year as the folder holds them (their names are the units')."""
    folder = paths.letters(year or 0)
    return sorted(p for p in folder.glob("*") if p.suffix == DOCUMENT_SUFFIX or p.name == LETTER_NAMES)


def _workbook(run: Run, _: list[int | None], progress: Progress, done: Done) -> None:
    from analysis.publish.workbook import write_workbook

    write_workbook(run.paths.processed, run.built, run.paths.workbook)  # every year built so far
    done(None, [run.paths.workbook])
    progress(f"workbook -> {run.paths.workbook}")


def _trends_not_made(run: Run) -> str:
    from analysis.publish.render import trends_not_updated

    return trends_not_updated(sorted(set(run.every) - set(run.built)))


# --- the registry --------------------------------------------------------------------------------

OUTPUTS: tuple[Output, ...] = (
    Output(
        name="pages",
        describe=(
            "each year's report and its technical record: `<year>.html` and `<year>-record.html` in "
            "every language, and `<year>.ipynb`"
        ),
        files=lambda paths, year, langs: [
            *(paths.page(name, lang) for lang in langs for name in (year, record_name(year))),
            paths.notebook(year),
        ],
        made_from=lambda run, year: plan.page_made_from(run.paths, year, run.every, run.langs, YEAR_NOTEBOOK),
        make=_year_pages,
        stage=1,
        per_year=True,
        up_to_date="{year}: report up to date",
    ),
    Output(
        name=TRENDS,
        describe="every year side by side: `trends.html` in every language and `trends.ipynb`",
        files=lambda paths, year, langs: [
            *(paths.page(TRENDS, lang) for lang in langs),
            paths.notebook(TRENDS),
        ],
        made_from=lambda run, year: (
            plan.every_year_made_from(run.paths, run.built, run.langs, TRENDS_NOTEBOOK)
            if run.built == run.every
            else None
        ),
        make=_trends_pages,
        stage=1,
        not_made=_trends_not_made,
    ),
    Output(
        name="documents",
        describe="each year's report as the office sends it (Word, GB/T 9704): `<year>.docx` in every "
        "language",
        files=lambda paths, year, langs: [paths.document(year, lang) for lang in langs],
        made_from=lambda run, year: plan.document_made_from(run.paths, year, run.every, run.langs),
        make=_documents,
        stage=1,
        per_year=True,
        up_to_date="{year}: documents up to date",
    ),
    Output(
        name="letters",
        describe="a letter to each unit surveyed (Word, in Chinese): `zh/units/<year>/<unit>.docx`",
        files=lambda paths, year, langs: _letter_files(paths, year),
        made_from=lambda run, year: plan.document_made_from(run.paths, year, run.every, (LETTER_LANG,)),
        make=_letters,
        stage=1,
        per_year=True,
        per_language=False,
        up_to_date="{year}: letters up to date",
    ),
    Output(
        name=INDEX,
        describe="the index of every year's report: `index.html` in every language",
        files=lambda paths, year, langs: [paths.page(INDEX, lang) for lang in langs],
        made_from=lambda run, year: plan.index_made_from(run.paths, run.langs),
        make=_indexes,
        stage=2,
    ),
    Output(
        name="workbook",
        describe="every year's tables for teams, in one Excel workbook: `tables.xlsx`",
        files=lambda paths, year, langs: [paths.workbook],
        made_from=lambda run, year: plan.every_year_made_from(run.paths, run.built),
        make=_workbook,
        stage=3,
        per_language=False,
    ),
)


def stages(outputs: tuple[Output, ...] = OUTPUTS) -> list[list[Output]]:
    """The outputs grouped by stage, in order: those of one stage run side by side."""
    numbers = sorted({o.stage for o in outputs})
    return [[o for o in outputs if o.stage == n] for n in numbers]


def run_beside(jobs: list[tuple[str, Callable[[], str]]]) -> list[str]:
    """Run the named jobs side by side, the first in this thread, each other in a thread named
    after it; each returns its failure ('' if none)."""
    (_, first), others = jobs[0], jobs[1:]
    pools = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) for name, _ in others]
    try:
        pending = [pool.submit(job) for pool, (_, job) in zip(pools, others, strict=True)]
        return [first(), *(f.result() for f in pending)]
    finally:
        for pool in pools:
            pool.shutdown()


def readme_table(outputs: tuple[Output, ...] = OUTPUTS) -> str:
    """The registry as the README lists it (a test keeps the two the same)."""
    rows = ["| output | stage | one per | what |", "|---|---|---|---|"]
    for o in outputs:
        per = ", ".join(p for p, on in (("year", o.per_year), ("language", o.per_language)) if on) or "build"
        rows.append(f"| `{o.name}` | {o.stage} | {per} | {o.describe} |")
    return "\n".join(rows) + "\n"
