"""A build redoes only what changed: which outputs each case rewrites, never how long it takes.

An output that is redone is written beside its target and renamed over it, so it gets a
new inode; one that is left alone keeps its inode. The tests compare inodes before and
after a build, over every file in the processed and reports folders.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import io
import json
import re
import shutil
import threading
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from conftest import copy_years, run_cli

from analysis import records
from analysis.build import build
from analysis.paths import Paths
from analysis.progress import Bars, Lines, for_terminal
from analysis.publish import render
from analysis.publish.load import ReportError

YEARS = (2002, 2003, 2004)
# Made beside the pages and the trends (they read the tables, not the pages): a page or the trends
# failing does not hold them back.
DOCUMENTS = ("documents 2003", "documents 2004", "letters 2003", "letters 2004")


def quiet(message: str) -> None:
    pass


def inodes(paths: Paths) -> dict[str, int]:
    found = {}
    for folder in (paths.processed, paths.reports):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found[f"{folder.name}/{path.relative_to(folder).as_posix()}"] = path.stat().st_ino
    return found


def rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """The files a build wrote (new, or renamed over the old one)."""
    return {name for name, inode in after.items() if before.get(name) != inode}


def outputs_of(names: set[str]) -> set[str]:
    """Rewritten files, grouped as a person thinks of them: a year's tables, a year's pages, ..."""
    groups = set()
    for name in names:
        folder, rest = name.split("/", 1)
        if folder == "p":
            groups.add("records" if rest.startswith("records/") else f"tables {rest[:4]}")
        elif Path(rest).parts[-3:-2] == ("units",):  # zh/units/<year>/<unit>.docx: a year's letters
            groups.add(f"letters {Path(rest).parts[-2]}")
        else:
            # a year's technical record (<year>-record.html) is one of its pages
            stem = Path(rest).name.split(".")[0].removesuffix("-record")
            kind = "documents" if rest.endswith(".docx") else "pages"
            groups.add(f"{kind} {stem}" if stem[:4].isdigit() else stem)
    return groups


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2002-2004 of the sample, built once with every page; tests work on copies of it."""
    root = tmp_path_factory.mktemp("baseline")
    copy_years(root / "raw", YEARS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANALYSIS_ROOT", str(root))  # the project root: pages name folders relative to it
        build(Paths(root / "raw", root / "p", root / "r"), progress=quiet)
    return root


@pytest.fixture
def project(baseline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    """A copy of the built baseline as a project of its own: the pages name the same folders."""
    root = tmp_path / "project"
    shutil.copytree(baseline, root)
    monkeypatch.setenv("ANALYSIS_ROOT", str(root))
    return Paths(root / "raw", root / "p", root / "r")


def no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(importlib.import_module("analysis.publish.execute"), "run_notebook", refuse)


def change_answer(raw: Path, year: int) -> None:
    """One unit's first answer flipped (是 <-> 否), as a late correction arrives."""
    path = next((raw / str(year)).glob("*.xlsx"))
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=4):
        cell = row[3]
        if cell.value in ("是", "否"):
            cell.value = "否" if cell.value == "是" else "是"
            break
    book.save(path)


def stand(project: Paths, year: int) -> str:
    """What the rerun says of a year's warnings: as many as warnings.csv has rows."""
    path = project.processed / str(year) / "warnings.csv"
    n = len(pd.read_csv(path))
    return f"{n} warning{'s' if n != 1 else ''} in {path}" if n else "0 warnings"


def test_nothing_changed_rewrites_nothing_and_starts_no_kernel(
    project: Paths, monkeypatch: pytest.MonkeyPatch
):
    before = inodes(project)
    no_kernel(monkeypatch)
    messages: list[str] = []
    results = build(project, progress=messages.append)
    assert results == {}
    assert rewritten(before, inodes(project)) == set()
    assert [m for m in messages if "up to date" in m] == [
        *(
            f"{y}: up to date, nothing changed since {project.processed / str(y)} was written "
            f"({stand(project, y)})"
            for y in YEARS
        ),
        *(f"{y}: report up to date" for y in YEARS),
        "trends: up to date",
        *(f"{y}: documents up to date" for y in YEARS),
        *(f"{y}: letters up to date" for y in YEARS),
        "index: up to date",
        "workbook: up to date",
    ]


def test_a_changed_return_redoes_that_year_the_next_and_what_covers_every_year(project: Paths):
    change_answer(project.raw, 2003)
    before = inodes(project)
    messages: list[str] = []
    results = build(project, progress=messages.append)
    assert sorted(results) == [2003, 2004]
    done = outputs_of(rewritten(before, inodes(project)))
    assert done == {
        "tables 2003",
        "tables 2004",
        "pages 2003",
        "pages 2004",
        "trends",
        "index",
        "tables",
        "records",
        *DOCUMENTS,  # 2004's letters say the units' answers of 2003
    }
    assert any(m.startswith("2003: 38 units") and "changed: returns/2003/" in m for m in messages)
    assert any(m.startswith("2004: 38 units") and "changed: previous_returns/2003/" in m for m in messages)


def test_the_year_after_next_keeps_its_pages(project: Paths):
    """2004's pages read 2003's own tables, not 2003's comparison with 2002: a change in 2002
    redoes the tables of 2002 and 2003 and their pages, and 2004's tables and pages stay."""
    change_answer(project.raw, 2002)
    before = inodes(project)
    results = build(project, progress=quiet)
    assert sorted(results) == [2002, 2003]
    done = outputs_of(rewritten(before, inodes(project)))
    assert "pages 2004" not in done and "tables 2004" not in done
    assert {"pages 2002", "pages 2003", "trends", "index", "tables"} <= done


def test_a_deleted_or_edited_page_is_redone_and_nothing_else(project: Paths):
    (project.reports / "zh" / "2002.html").unlink()
    edited = project.reports / "2003.html"
    original = edited.read_bytes()
    edited.write_bytes(original.replace(b"2003", b"2030", 1))
    before = inodes(project)
    messages: list[str] = []
    build(project, progress=messages.append)
    assert outputs_of(rewritten(before, inodes(project))) == {"pages 2002", "pages 2003", "records"}
    assert edited.read_bytes() == original and (project.reports / "zh" / "2002.html").is_file()
    assert "2004: report up to date" in messages


def test_a_new_year_redoes_the_year_before_for_its_link_to_the_next(project: Paths):
    copy_years(project.raw.parent / "more", (2001,))  # an earlier year arrives late
    shutil.copytree(project.raw.parent / "more" / "2001", project.raw / "2001")
    before = inodes(project)
    results = build(project, progress=quiet)
    assert sorted(results) == [2001, 2002]  # 2002 now compares with 2001
    done = outputs_of(rewritten(before, inodes(project)))
    assert {"tables 2001", "pages 2001", "tables 2002", "pages 2002", "trends", "index", "tables"} <= done
    assert "pages 2004" not in done and "tables 2003" not in done


def test_force_redoes_every_output(project: Paths):
    before = inodes(project)
    results = build(project, reports=False, progress=quiet, force=True)
    assert sorted(results) == list(YEARS)
    assert outputs_of(rewritten(before, inodes(project))) == {
        "tables 2002",
        "tables 2003",
        "tables 2004",
        "records",
    }


def test_a_change_of_code_redoes_every_year(project: Paths, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(records, "_code", lambda publish: (("analysis", "0.1.0"), ("source", "another")))
    messages: list[str] = []
    results = build(project, reports=False, progress=messages.append)
    assert sorted(results) == list(YEARS)
    assert all("changed: code/source" in m for m in messages if m[:4].isdigit())


def test_the_records_are_plain_data_without_the_machine_in_them(project: Paths):
    folder = project.processed / "records"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        *(f"data-{y}.json" for y in YEARS),
        *(f"documents-{y}.json" for y in YEARS),
        "index.json",
        *(f"letters-{y}.json" for y in YEARS),
        *(f"pages-{y}.json" for y in YEARS),
        "trends.json",
        "workbook.json",
    ]
    record = json.loads((folder / "data-2004.json").read_text(encoding="utf-8"))
    returns = next((project.raw / "2004").glob("*.xlsx"))
    key = f"2004/{returns.name}"
    assert record["made_from"]["returns"][key] == hashlib.sha256(returns.read_bytes()).hexdigest()
    assert record["made_from"]["previous_year"] == 2003
    assert (
        record["outputs"]["2004/indicators.csv"]
        == hashlib.sha256((project.processed / "2004" / "indicators.csv").read_bytes()).hexdigest()
    )
    for path in folder.iterdir():
        text = path.read_text(encoding="utf-8")
        assert str(project.raw.parent) not in text and "/tmp" not in text, path.name
    page = json.loads((folder / "pages-2003.json").read_text(encoding="utf-8"))
    assert sorted(page["outputs"]) == [
        "2003-record.html",
        "2003.html",
        "2003.ipynb",
        "zh/2003-record.html",
        "zh/2003.html",
    ]
    assert page["made_from"]["next_year"] == 2004 and page["made_from"]["langs"] == ["en", "zh"]
    assert (
        "2002/comparison.csv" not in page["made_from"]["processed"]
        and "2002/indicators.csv" in page["made_from"]["processed"]
    )


def test_the_command_line_says_what_is_up_to_date_and_force_redoes_it(tmp_path: Path):
    raw = copy_years(tmp_path / "raw", (2003, 2004))
    where = ["--raw", str(raw), "--processed", str(tmp_path / "p"), "--no-reports"]
    first = run_cli("build", *where)
    again = run_cli("build", *where)
    forced = run_cli("build", *where, "--force")
    assert first.returncode == again.returncode == forced.returncode == 0, (
        first.stderr + again.stderr + forced.stderr
    )
    assert "2004: 38 units" in first.stdout and "not built before" in first.stdout
    # the warnings counted when the year was read still stand, and the rerun says how many
    counted = dict(re.findall(r"^(\d{4}): \d+ units, (\d+ warnings?) ->", first.stdout, flags=re.M))
    assert set(counted) == {"2003", "2004"} and counted["2004"] != "0 warnings"
    assert again.stdout.splitlines() == [
        f"{y}: up to date, nothing changed since {tmp_path / 'p' / str(y)} was written ({counted[str(y)]} in "
        f"{tmp_path / 'p' / str(y) / 'warnings.csv'})"
        for y in (2003, 2004)
    ]
    assert "2004: 38 units" in forced.stdout and "(--force)" in forced.stdout
    assert "\r" not in first.stdout + first.stderr  # no progress bar in a log


def test_a_terminal_gets_a_bar_per_stage_with_the_step_and_the_time_left():
    stream = io.StringIO()
    bars = Bars(stream)
    with bars.stage("reports run", 3) as advance:
        for year in ("2002", "2003", "2004"):
            advance(year)
    shown = stream.getvalue()
    assert "reports run: 3/3" in shown and "left, 2004 done]" in shown
    assert isinstance(for_terminal(io.StringIO()), Lines) and not isinstance(
        for_terminal(io.StringIO()), Bars
    )


def with_cell(notebook: Path, source: str, folder: Path) -> Path:
    """A copy of `notebook` with a code cell put right after its parameters (in a notebooks folder, as the
    real one is)."""
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(source, id="planted"))
    copy = folder / "notebooks" / notebook.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, copy)
    return copy


def test_the_trends_run_beside_the_years(project: Paths, monkeypatch: pytest.MonkeyPatch):
    """Started before any year page is published, in a thread of its own: on two cores the
    last year no longer runs alone while a core waits for the trends."""
    built = importlib.import_module("analysis.publish.render")  # the outputs' builders call it there
    real = built.render_trends
    page = project.reports / "2004.html"
    seen: dict[str, object] = {}

    def watched(paths: Paths, **kwargs) -> object:
        seen.update(thread=threading.current_thread().name, page_then=page.stat().st_ino)
        return real(paths, **kwargs)

    monkeypatch.setattr(built, "render_trends", watched)
    change_answer(project.raw, 2003)
    before = page.stat().st_ino
    messages: list[str] = []
    build(project, progress=messages.append)
    assert str(seen["thread"]).startswith("trends") and seen["page_then"] == before != page.stat().st_ino
    # the log still reads in order: the years, then the trends, the indexes, the workbook
    said = [m.split(":")[0].split(" ")[0] for m in messages if " -> " in m]
    made_beside = ["2003", "2004", "2003", "2004"]
    assert said == ["2003", "2004", "2003", "2004", "trends", *made_beside, "index", "index", "workbook"]


def fails_then_mended(
    project: Paths, monkeypatch: pytest.MonkeyPatch, name: str, broken: object
) -> tuple[list[str], list[str], set[str], set[str]]:
    """After a changed 2003 return, build with `analysis.publish.render.<name>` replaced by `broken`: the
    error's lines, the lines said and the files written; then, mended, the outputs the next build redoes."""
    monkeypatch.setattr(importlib.import_module("analysis.publish.render"), name, broken)
    change_answer(project.raw, 2003)
    before = inodes(project)
    messages: list[str] = []
    with pytest.raises(ReportError) as caught:
        build(project, progress=messages.append)
    written = rewritten(before, inodes(project))
    monkeypatch.undo()
    monkeypatch.setenv("ANALYSIS_ROOT", str(project.raw.parent))
    before = inodes(project)
    build(project, progress=quiet)
    return str(caught.value).splitlines(), messages, written, outputs_of(rewritten(before, inodes(project)))


def not_updated(project: Paths) -> list[str]:
    return [
        f"{project.reports / 'index.html'} was not updated.",
        f"{project.reports / 'zh' / 'index.html'} was not updated.",
    ]


def test_a_failed_year_leaves_the_trends_published_and_the_indexes_and_workbook_as_they_were(
    project: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    broken = with_cell(render.NOTEBOOK, 'if year == 2004:\n    raise ValueError("2004 only")', tmp_path)
    lines, _, written, mended = fails_then_mended(
        project, monkeypatch, "render_years", functools.partial(render.render_years, notebook=broken)
    )
    assert lines[0].startswith("2004: ") and "ValueError: 2004 only" in "\n".join(lines)
    assert lines[-2:] == not_updated(project)
    pages = {"tables 2003", "tables 2004", "pages 2003", "pages 2004", "trends", "records"}
    assert outputs_of(written) == {*pages, *DOCUMENTS}
    assert (
        written & {"r/2004.html", "r/zh/2004.html", "r/2004.ipynb"} == set()
        and "r/2004.failed.ipynb" in written
    )
    # mended, the next build redoes the year that failed and what lists every year, and nothing else
    assert mended == {"pages 2004", "index", "tables", "records"}


def test_failed_trends_leave_the_years_published_and_the_indexes_and_workbook_as_they_were(
    project: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    broken = with_cell(render.TRENDS_NOTEBOOK, 'raise RuntimeError("trends broken")', tmp_path)
    lines, messages, written, mended = fails_then_mended(
        project, monkeypatch, "render_trends", functools.partial(render.render_trends, notebook=broken)
    )
    assert lines[0].startswith("trends: ") and "RuntimeError: trends broken" in "\n".join(lines)
    assert lines[-2:] == not_updated(project)
    assert "trends: report failed" in messages
    pages = {"tables 2003", "tables 2004", "pages 2003", "pages 2004", "records", "trends"}
    assert outputs_of(written) == {*pages, *DOCUMENTS}
    assert (
        written & {"r/trends.html", "r/zh/trends.html", "r/trends.ipynb"} == set()
        and "r/trends.failed.ipynb" in written
    )
    assert mended == {"trends", "index", "tables", "records"}
