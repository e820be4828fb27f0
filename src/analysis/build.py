"""Build the outputs of every year: processed tables first, then the reports.

Nothing is written until every year has been read and checked (see `process_years`) and
the output folders have been checked (`check_output_folders`), and each file is written
beside its target and renamed, so a failed run leaves the previous outputs as they were.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from analysis import plan, records, store
from analysis.findings import UsageError, counted, warnings
from analysis.paths import LANGUAGES, Paths
from analysis.pipeline import YearResult, discover_years, process_years, years_read
from analysis.progress import Lines, reporter
from analysis.publish.kernel import kernel_environment
from analysis.publish.load import ReportError
from analysis.publish.render import (
    NOTEBOOK,
    TRENDS_NOTEBOOK,
    RenderedYear,
    indexes_not_updated,
    page_folder,
    render_trends,
    render_years,
    trends_not_updated,
    write_indexes,
)
from analysis.publish.workbook import WORKBOOK, write_workbook
from analysis.store import WARNINGS, read_findings, write_year, year_folder

Progress = Callable[[str], None]


def check_output_folders(paths: Paths, reports: bool = True) -> None:
    """Refuse, before anything is written, folders the build could not or must not write.

    An output folder inside the raw folder would put build files among the returns, and the
    next run would read them as returns; a folder that is a file, or cannot be written,
    would otherwise fail half-way with a traceback.
    """
    raw = paths.raw.resolve()
    problems = []
    outputs = [("--processed", paths.processed), *([("--reports", paths.reports)] if reports else [])]
    for option, folder in outputs:
        where = folder.resolve()
        if where == raw or raw in where.parents:
            problems.append(f"{option} {folder} is inside the raw folder {paths.raw}, which is never written to; choose a folder outside it")
            continue
        problem = _unwritable(folder)
        if problem:
            problems.append(f"{option} {folder} {problem}")
    if problems:
        raise UsageError("; ".join(problems))


def _unwritable(folder: Path) -> str | None:
    """Why `folder` cannot be created or written, or None: its nearest existing part decides."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():
            return "is a broken link"
        existing = existing.parent
    if not existing.is_dir():
        return "is a file, not a folder" if existing == folder else f"cannot be created: {existing} is a file, not a folder"
    if not _can_write_in(existing):
        return "cannot be written (no permission)" if existing == folder else f"cannot be created: {existing} cannot be written"
    return None


def _can_write_in(folder: Path) -> bool:
    """Try it: permissions, read-only mounts and root's rights all decide, and os.access
    answers yes to root everywhere. The probe is an unnamed file (O_TMPFILE where the
    system has it), gone when closed."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def build(
    paths: Paths,
    years: list[int] | None = None,
    reports: bool = True,
    progress: Progress = print,
    langs: tuple[str, ...] = LANGUAGES,
    force: bool = False,
) -> dict[int, YearResult]:
    """Process the years (every year, or the ones asked for) whose inputs changed, write their
    data products, and redo the pages whose tables changed; `force` redoes everything.

    Returns the results of the years processed now (none when nothing changed).
    """
    paths = paths.resolved()
    check_output_folders(paths, reports)
    say = reporter(progress)
    verdicts, recipes = plan.data_verdicts(paths.raw, paths.processed, years, force)
    stale = [y for y, v in verdicts.items() if v.stale]
    results: dict[int, YearResult] = {}
    if stale:
        with say.stage("years read", len(years_read(stale, discover_years(paths.raw)))) as advance:
            results = process_years(paths.raw, stale, on_read=lambda year: advance(str(year)))
    with say.stage("tables written", len(stale)) as advance:
        for year, verdict in verdicts.items():
            folder = year_folder(paths.processed, year)
            if not verdict.stale:  # its warnings still stand: say so, as when it was read
                n = len(read_findings(folder / WARNINGS))
                say(f"{year}: up to date, nothing changed since {folder} was written ({counted(n, 'warning')}{f' in {folder / WARNINGS}' if n else ''})")
                continue
            result = results[year]
            written = write_year(result, paths.processed)
            records.write_record(paths.processed, plan.data_name(year), recipes[year], written, paths.processed)
            why = f" ({verdict.reason})" if verdict.reason else ""
            say(f"{year}: {len(result.returns)} units, {counted(len(warnings(result.findings)), 'warning')} -> {folder}{why}")
            advance(str(year))
    if reports:
        publish(paths, sorted(verdicts), results, progress=say, langs=langs, force=force)
    return results


def publish(
    paths: Paths,
    years: list[int],
    results: dict[int, YearResult],
    progress: Progress = print,
    langs: tuple[str, ...] = LANGUAGES,
    force: bool = False,
) -> None:
    """The pages of `years`, the trends pages, the indexes and the workbook, each redone only
    when what it is made from changed (or with `force`)."""
    every = discover_years(paths.raw)

    def stale(name: str, made_from: dict, root: Path) -> bool:
        return force or records.verdict(paths.processed, name, made_from, root).stale

    recipes = {y: plan.page_made_from(paths, y, every, langs, NOTEBOOK) for y in years}
    redo = [y for y in years if stale(plan.page_name(y), recipes[y], paths.reports)]
    for year in sorted(set(years) - set(redo)):
        progress(f"{year}: report up to date")

    built = store.processed_years(paths.raw, paths.processed)
    trends_from = plan.every_year_made_from(paths, built, langs, TRENDS_NOTEBOOK) if built == every else {}
    said: list[str] = []  # the trends run's lines, said after the years' so the log reads in order
    # The trends pages read the processed tables, not the year pages: they run beside the years
    # (one kernel more than there are cores keeps both cores busy to the end), in one kernel
    # environment set before either starts (see render_years).
    with kernel_environment(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="trends") as beside:
        due = bool(trends_from) and stale(plan.TRENDS, trends_from, paths.reports)
        trends = beside.submit(render_trends, paths, langs=langs, progress=said.append) if due else None
        years_failed = _year_pages(redo, recipes, paths, reporter(progress), langs)
        trends_failed = _trends_pages(trends, trends_from, said, paths, progress) if trends else ""
    if not trends_from:
        progress(trends_not_updated(sorted(set(every) - set(built))))
    elif trends is None:
        progress("trends: up to date")
    if years_failed or trends_failed:  # the years' message ends with the indexes left as they were
        not_updated = [] if years_failed else indexes_not_updated(paths, langs)
        raise ReportError("\n".join(m for m in (trends_failed, years_failed, *not_updated) if m))
    folders = {lang: page_folder(paths.reports, lang) for lang in langs}
    made_from = plan.index_made_from(paths, langs, folders)
    if stale(plan.INDEX, made_from, paths.reports):
        indexes = write_indexes(results, paths, langs=langs, progress=progress)
        records.write_record(paths.processed, plan.INDEX, made_from, indexes, paths.reports)
    else:
        progress("index: up to date")
    target = paths.reports / WORKBOOK  # every year built so far, not only this run's
    made_from = plan.every_year_made_from(paths, built)
    if stale(plan.WORKBOOK, made_from, paths.reports):
        write_workbook(paths.processed, built, target)
        records.write_record(paths.processed, plan.WORKBOOK, made_from, [target], paths.reports)
        progress(f"workbook -> {target}")
    else:
        progress("workbook: up to date")


def _year_pages(redo: list[int], recipes: dict[int, dict], paths: Paths, say: Lines, langs: tuple[str, ...]) -> str:
    """Run and record the year pages; the ReportError's message when any year failed, once
    every other year is published and recorded."""
    with say.stage("reports run", len(redo)) as advance:

        def done(rendered: RenderedYear) -> None:
            outputs = [*rendered.pages.values(), rendered.notebook]
            records.write_record(paths.processed, plan.page_name(rendered.year), recipes[rendered.year], outputs, paths.reports)
            advance(str(rendered.year))

        try:
            render_years(redo, paths, progress=say, langs=langs, done=done)
        except ReportError as exc:
            return str(exc)
    return ""


def _trends_pages(trends: Future[RenderedYear], made_from: dict, said: list[str], paths: Paths, progress: Progress) -> str:
    """Wait for the trends run, then say its lines and record it; its failure's message, if it failed."""
    try:
        finished = trends.result()
    except ReportError as exc:
        progress("trends: report failed")
        return str(exc)
    for line in said:
        progress(line)
    records.write_record(paths.processed, plan.TRENDS, made_from, [*finished.pages.values(), finished.notebook], paths.reports)
    return ""


def validate(paths: Paths, years: list[int] | None = None) -> dict[int, YearResult]:
    """Read and check the returns; writes nothing."""
    return process_years(paths.resolved().raw, years)


def compare(paths: Paths, a: int, b: int, progress: Progress = print, langs: tuple[str, ...] = LANGUAGES) -> dict[int, YearResult]:
    """The later of two years compared with the earlier (either order): its processed tables
    and the two years' are written first, as a build of those years writes them, then
    <reports>/[<lang>/]compare-<earlier>-<later>.html in every language asked for."""
    from analysis.publish.render import render_compare

    if a == b:
        raise UsageError(f"compare needs two different years, got {a} twice")
    earlier, later = sorted((a, b))
    paths = paths.resolved()
    check_output_folders(paths, reports=True)
    results = build(paths, years=[earlier, later], reports=False, progress=progress)
    rendered = render_compare(later, earlier, paths, langs=langs)
    progress(f"{later} compared with {earlier}: report -> {', '.join(str(p) for p in rendered.pages.values())} ({rendered.seconds:.1f} s)")
    for message in rendered.stderr:
        progress(f"compare: warning: {message}")
    return results
