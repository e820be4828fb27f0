"""Build the outputs of every year: processed tables first, then the reports.

Nothing is written until every year has been read and checked (see `process_years`) and
the output folders have been checked (`check_output_folders`), and each file is written
beside its target and renamed, so a failed run leaves the previous outputs as they were.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from analysis import store
from analysis.findings import UsageError, warnings
from analysis.paths import LANGUAGES, Paths
from analysis.pipeline import YearResult, process_years
from analysis.publish.render import render_reports
from analysis.publish.workbook import WORKBOOK, write_workbook
from analysis.store import write_year

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
    paths: Paths, years: list[int] | None = None, reports: bool = True, progress: Progress = print, langs: tuple[str, ...] = LANGUAGES
) -> dict[int, YearResult]:
    """Process every year (or the ones asked for), write the data products, render the reports."""
    paths = paths.resolved()
    check_output_folders(paths, reports)
    results = process_years(paths.raw, years)
    for year, result in results.items():
        write_year(result, paths.processed)
        n = len(warnings(result.findings))
        progress(f"{year}: {len(result.returns)} units, {n} warning{'s' if n != 1 else ''} -> {paths.processed / str(year)}")
    if reports:
        render_reports(results, paths, progress=progress, langs=langs)
        target = paths.reports / WORKBOOK  # every year built so far, not only this run's
        write_workbook(paths.processed, store.processed_years(paths.raw, paths.processed), target)
        progress(f"workbook -> {target}")
    return results


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
