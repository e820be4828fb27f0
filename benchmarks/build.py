"""Time the report build of the sample against its floor and against chaining the CLIs.

The floor is what no report can avoid: an empty notebook that declares the same
parameters and imports the same libraries as the report notebook, put through the very
same `render_year` (parameter check, papermill in this process, a fresh kernel, nbconvert
export, atomic writes). The build's cost per report (the wall-clock time of its report
stage, from the last table written to the last year page published, divided by the years,
with the trends page running beside the years as in every build; what follows, the rest of
the trends run, the indexes and the workbook, is timed apart) should stay within 1.5x the
floor. The build runs the years
side by side, one kernel per core; so the floor notebooks are also built that way, through
the same `render_years`, and that ratio printed too: it is the report's own work (data,
charts, the page font) beyond the machinery. The build of both languages (one kernel a year
draws both pages) is timed against English alone: it should cost under 2x. Chaining `papermill` and `jupyter
nbconvert`
per year is timed as well, to show what running them in-process saves.
The Word documents and letters of every year (made beside the pages, in the same stage) are timed
by what they add to the whole build (the same build without them, interleaved): within 20%; and
on their own, one after the other, for the work they are.

    python benchmarks/build.py            # build + floor + CLI chain
    python benchmarks/build.py --no-cli   # skip the (slow) CLI chain
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

import analysis.build as build_module
from analysis import outputs
from analysis.build import build
from analysis.paths import Paths
from analysis.pipeline import discover_years
from analysis.publish.render import NOTEBOOK, render_year, render_years

REPO = Path(__file__).resolve().parents[1]
SAMPLE_RAW = REPO / "data" / "raw"
TARGET = 1.5
LANGUAGE_TARGET = 2.0  # both languages against English alone
DOCUMENTS_TARGET = 0.2  # what the Word documents and letters of every year add to the whole build


def floor_notebook(folder: Path) -> Path:
    """The report notebook's parameters and imports, and nothing else."""
    source = nbformat.read(NOTEBOOK, as_version=4)
    setup = next(c for c in source.cells if c.get("id") == "setup")
    imports = "\n".join(line for line in setup.source.splitlines() if line.startswith(("import ", "from ")))
    nb = nbformat.v4.new_notebook(metadata=source.metadata)
    nb.cells = [copy_cell(source.cells[0]), nbformat.v4.new_code_cell(imports, id="imports")]
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def copy_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return nbformat.from_dict(dict(cell))


def report_stage(messages: list[tuple[float, str]]) -> tuple[float, float]:
    """From a build's timed progress lines: the seconds from the last table written to the last
    year report published (the trends run beside), and from there to the end (what is left of
    the trends run, the indexes, the workbook)."""
    tables = max(t for t, m in messages if re.match(r"\d{4}: \d+ units", m))
    last_report = max(t for t, m in messages if re.match(r"\d{4}: report -> ", m))
    return last_report - tables, messages[-1][0] - last_report


def time_floor(notebook: Path, paths: Paths, year: int, scratch: Path) -> float:
    """One floor notebook on its own."""
    started = time.perf_counter()
    render_year(year, Paths(paths.raw, paths.processed, scratch / "floor-reports"), notebook=notebook)
    return time.perf_counter() - started


def time_floor_build(notebook: Path, paths: Paths, years: list[int], scratch: Path) -> float:
    """The floor notebook for every year, run exactly as the build runs the report (years side by side)."""
    started = time.perf_counter()
    render_years(
        years,
        Paths(paths.raw, paths.processed, scratch / "floor-build"),
        progress=lambda m: None,
        notebook=notebook,
    )
    return (time.perf_counter() - started) / len(years)


def time_cli_chain(year: int, paths: Paths, scratch: Path) -> float:
    """What a Makefile calling the two commands per year would cost."""
    bin_dir = Path(sys.executable).parent
    out = scratch / f"cli-{year}.ipynb"
    started = time.perf_counter()
    subprocess.run(
        [
            str(bin_dir / "papermill"),
            str(NOTEBOOK),
            str(out),
            "-p",
            "year",
            str(year),
            "-p",
            "raw_dir",
            str(paths.raw),
            "-p",
            "processed_dir",
            str(paths.processed),
            "--no-progress-bar",
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    subprocess.run(
        [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    return time.perf_counter() - started


@contextmanager
def without_documents() -> Iterator[None]:
    """A build whose registry lacks the Word documents and letters: what they add is the difference."""
    registry = tuple(o for o in outputs.OUTPUTS if o.name not in ("documents", "letters"))
    saved = build_module.stages
    build_module.stages = lambda: outputs.stages(registry)
    try:
        yield
    finally:
        build_module.stages = saved


def time_documents(paths: Paths, years: list[int]) -> float:
    """Every year's report as Word documents (both languages) and every unit's letter, one after the
    other in this process: the work the build does for them beside the pages."""
    from analysis.publish.document_letters import write_letters
    from analysis.publish.document_report import write_documents

    started = time.perf_counter()
    for year in years:
        write_documents(year, paths, ("en", "zh"))
        write_letters(year, paths)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--no-cli", action="store_true", help="skip timing the papermill + jupyter nbconvert commands"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="builds and floor rounds to time; the best is kept (default 3)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    scratch = Path(tempfile.mkdtemp(prefix="analysis-bench-"))
    try:
        paths = Paths(SAMPLE_RAW, scratch / "processed", scratch / "reports")
        years = discover_years(SAMPLE_RAW)
        floor = floor_notebook(scratch)
        build(
            paths, reports=False, progress=lambda message: None
        )  # the floor reads nothing, but keep it the same
        time_floor(
            floor, paths, years[-1], scratch
        )  # warm-up: imports papermill and nbconvert once, as a build does

        builds, floors, side_by_side, reports, english, stages, bare = [], [], [], [], [], [], []
        # force: each round times a whole build (a build redoes only what changed otherwise)
        for _ in range(args.repeat):  # interleaved, so that a busy moment hits all four
            messages: list[tuple[float, str]] = []
            started = time.perf_counter()
            build(paths, progress=lambda m, into=messages: into.append((time.perf_counter(), m)), force=True)
            builds.append(time.perf_counter() - started)
            stages.append(report_stage(messages))
            started = time.perf_counter()
            build(
                Paths(SAMPLE_RAW, scratch / "processed-en", scratch / "reports-en"),
                progress=lambda m: None,
                langs=("en",),
                force=True,
            )
            english.append(time.perf_counter() - started)
            started = time.perf_counter()
            with without_documents():
                build(paths, progress=lambda m: None, force=True)
            bare.append(time.perf_counter() - started)
            reports += [
                float(m)
                for m in re.findall(r": report -> .* \((\d+\.\d+) s\)", "\n".join(m for _, m in messages))
            ]
            floors.append(statistics.mean(time_floor(floor, paths, year, scratch) for year in years))
            side_by_side.append(time_floor_build(floor, paths, years, scratch))
        best_build, best_floor, best_side = min(builds), min(floors), min(side_by_side)
        # The build also reads and checks the returns and writes the tables: time that alone.
        started = time.perf_counter()
        build(
            Paths(SAMPLE_RAW, scratch / "processed-only", scratch / "unused"),
            reports=False,
            progress=lambda m: None,
        )
        data_stage = time.perf_counter() - started
        reports_seconds, every_year_seconds = min(stages)
        per_report = reports_seconds / len(years)
        ratio = per_report / best_floor

        print(
            f"sample: {len(years)} years ({', '.join(map(str, years))}); {os.cpu_count()} cores; best of "
            f"{args.repeat}"
        )
        print(f"whole build (data, {len(years)} reports, trends, index, workbook): {best_build:6.2f} s")
        print(f"  data stage alone (build --no-reports):      {data_stage:6.2f} s")
        print(f"  the year reports, the trends beside them:  {reports_seconds:6.2f} s")
        print(f"  per report (that, / years):                {per_report:6.2f} s")
        print(f"  then the rest (trends, index, workbook):    {every_year_seconds:6.2f} s")
        print(
            f"  each report as timed by the build: median {statistics.median(reports):.2f} s, best "
            f"{min(reports):.2f} s (years run side by side)"
        )
        print(
            f"floor: one empty notebook on its own:         {best_floor:6.2f} s  (median "
            f"{statistics.median(floors):.2f} s)"
        )
        print(
            f"ratio per report / floor:                      {ratio:6.2f}x  (target <= {TARGET}x: "
            f"{'ok' if ratio <= TARGET else 'OVER'})"
        )
        print(f"floor notebooks built like the build, per year: {best_side:5.2f} s  (years side by side)")
        print(
            f"ratio per report / that floor:                 {per_report / best_side:6.2f}x  (the report's "
            "own work, beyond the machinery)"
        )
        documents = min(time_documents(paths, years) for _ in range(args.repeat))
        added = best_build / min(bare) - 1
        verdict = "ok" if added <= DOCUMENTS_TARGET else "OVER"
        print(
            f"the same build without the Word documents and letters: {min(bare):6.2f} s; "
            f"they add {added:+.0%} (target <= {DOCUMENTS_TARGET:.0%}: {verdict})"
        )
        print(
            f"  the documents and letters made alone, one after the other: {documents:5.2f} s "
            f"({documents / best_build:.0%} of the whole build; in it they run beside the pages)"
        )
        languages = min(builds) / min(english)
        print(f"English pages alone (build --lang en):        {min(english):6.2f} s")
        print(
            f"both languages / English alone:                {languages:6.2f}x  (target < "
            f"{LANGUAGE_TARGET}x: {'ok' if languages < LANGUAGE_TARGET else 'OVER'})"
        )
        if not args.no_cli:
            chain = statistics.mean(time_cli_chain(year, paths, scratch) for year in years)
            print(
                f"papermill + jupyter nbconvert CLIs per year:  {chain:6.2f} s  ({chain / per_report:.1f}x "
                "the in-process build per report)"
            )
        return 0 if ratio <= TARGET and languages < LANGUAGE_TARGET else 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
