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
from analysis.paths import INDEX, LANGUAGES, TRENDS, TRENDS_NOTEBOOK, YEAR_NOTEBOOK, Paths

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
        describe="each year's report: `<year>.html` in every language and `<year>.ipynb`",
        files=lambda paths, year, langs: [*(paths.page(year, lang) for lang in langs), paths.notebook(year)],
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
