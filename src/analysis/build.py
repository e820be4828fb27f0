"""Build the outputs of every year: processed tables first, then the reports.

Nothing is written until every year has been read and checked (see `process_years`) and
the output folders have been checked (`check_output_folders`), and each file is written
beside its target and renamed, so a failed run leaves the previous outputs as they were.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from analysis import plan, records, store
from analysis.findings import UsageError, counted, warnings
from analysis.outputs import Output, Run, run_beside, stages
from analysis.paths import LANGUAGES, Paths
from analysis.pipeline import YearResult, discover_years, process_years, years_read
from analysis.progress import reporter
from analysis.publish.kernel import kernel_environment
from analysis.publish.load import ReportError
from analysis.publish.render import indexes_not_updated
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
            problems.append(
                f"{option} {folder} is inside the raw folder {paths.raw}, which is never written to; choose "
                "a folder outside it"
            )
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
        return (
            "is a file, not a folder"
            if existing == folder
            else f"cannot be created: {existing} is a file, not a folder"
        )
    if not _can_write_in(existing):
        return (
            "cannot be written (no permission)"
            if existing == folder
            else f"cannot be created: {existing} cannot be written"
        )
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
                say(
                    f"{year}: up to date, nothing changed since {folder} was written "
                    f"({counted(n, 'warning')}{f' in {folder / WARNINGS}' if n else ''})"
                )
                continue
            result = results[year]
            written = write_year(result, paths.processed)
            records.write_record(
                paths.processed, plan.data_name(year), recipes[year], written, paths.processed
            )
            why = f" ({verdict.reason})" if verdict.reason else ""
            say(
                f"{year}: {len(result.returns)} units, {counted(len(warnings(result.findings)), 'warning')} "
                f"-> {folder}{why}"
            )
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
    """Every output of the registry (`outputs.OUTPUTS`), stage by stage, each redone only when
    what it is made from changed (or with `force`).

    The outputs of one stage run side by side (the trends pages read the processed tables, not
    the year pages, so they run beside the years: on two cores no core waits while the last
    year runs alone), in one kernel environment set before either starts (see render_years);
    what a side output says is said after the first's, so the log reads in order. When any
    output of a stage fails, the later stages are left as they were, and one ReportError
    names each failure (and the indexes not updated).
    """
    run = Run(
        paths,
        years,
        discover_years(paths.raw),
        store.processed_years(paths.raw, paths.processed),
        results,
        langs,
        force,
    )
    for stage in stages():
        jobs, said = [], []
        for n, output in enumerate(stage):
            lines: list[str] = []
            said.append(lines)
            jobs.append((output.name, _job(output, run, progress if n == 0 else lines.append)))
        with kernel_environment():
            failures = run_beside(jobs)
        for lines in said[1:]:
            for line in lines:
                progress(line)
        if any(failures):
            failed_pages = bool(failures[0])  # the pages' own message ends with the indexes not updated
            not_updated = [] if failed_pages else indexes_not_updated(paths, langs)
            raise ReportError("\n".join(m for m in (*failures[1:], failures[0], *not_updated) if m))


def _job(output: Output, run: Run, progress: Progress) -> Callable[[], str]:
    """The output's stale parts made and recorded; returns its failure's message, '' if none."""

    def job() -> str:
        recipes, stale = {}, []
        for key in output.keys(run):
            made_from = output.made_from(run, key)
            if made_from is None:
                progress(output.not_made(run))
                continue
            recipes[key] = made_from
            root = run.paths.reports
            if run.force or records.verdict(run.paths.processed, output.record(key), made_from, root).stale:
                stale.append(key)
            else:
                progress(output.up_to_date.format(name=output.name, year=key))

        def done(key: int | None, files: list[Path]) -> None:
            records.write_record(
                run.paths.processed, output.record(key), recipes[key], files, run.paths.reports
            )

        if not stale:
            return ""
        try:
            output.make(run, stale, progress, done)
        except ReportError as exc:
            return str(exc)
        return ""

    return job


def validate(paths: Paths, years: list[int] | None = None) -> dict[int, YearResult]:
    """Read and check the returns; writes nothing."""
    return process_years(paths.resolved().raw, years)


def compare(
    paths: Paths, a: int, b: int, progress: Progress = print, langs: tuple[str, ...] = LANGUAGES
) -> dict[int, YearResult]:
    """The later of two years compared with the earlier (either order): every year's processed
    tables are written first, as a build writes them, then
    <reports>/[<lang>/]compare-<earlier>-<later>.html in every language asked for; then what a
    build publishes, so that every page it links to exists and the two years' pages and the index
    link to it (with everything built before, only those are redone)."""
    from analysis.publish.render import render_compare

    if a == b:
        raise UsageError(f"compare needs two different years, got {a} twice")
    earlier, later = sorted((a, b))
    paths = paths.resolved()
    check_output_folders(paths, reports=True)
    every = sorted({earlier, later, *discover_years(paths.raw)})  # a year without returns is refused here
    results = build(paths, years=every, reports=False, progress=progress)  # the tables, once
    rendered = render_compare(later, earlier, paths, langs=langs)
    progress(
        f"{later} compared with {earlier}: report -> {', '.join(str(p) for p in rendered.pages.values())} "
        f"({rendered.seconds:.1f} s)"
    )
    for message in rendered.stderr:
        progress(f"compare: warning: {message}")
    publish(paths, every, results, progress=progress, langs=langs)
    return results
