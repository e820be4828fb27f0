"""The notebook run through papermill and published by nbconvert: what a reviewer opens.

These start Jupyter kernels (about two seconds each), so they are marked slow; plain
`pytest` and `make test` still run them (`pytest -m "not slow"` leaves them out).
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import GOLDEN, REPO, SAMPLE_RAW, TWO_YEAR_REPORTS, TWO_YEAR_ZH_REPORTS, decoy_fonts, unit_row

from analysis.build import build
from analysis.paths import Paths
from analysis.pipeline import process_years
from analysis.publish.execute import NOTEBOOK, check_parameters, run_notebook
from analysis.publish.load import ReportError
from analysis.publish.render import render_year, render_years

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, two_years_built: tuple[Paths, list[str]]) -> dict:
    """The sample's 2003 and 2004 built twice into the same folders, the first build's bytes kept aside.

    The first build is the run's (conftest's two_years_built, and what it said), copied into a
    folder of this module's laid out the same way (the project root at the folder, the tables in
    p, the pages in r); the second is built there, into the copy.
    """
    built, messages = two_years_built
    root = tmp_path_factory.mktemp("sample")
    paths = Paths(built.raw, root / "p", root / "r")
    shutil.copytree(built.processed, paths.processed)
    shutil.copytree(built.reports, paths.reports)
    first = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANALYSIS_ROOT", str(root))
        build(paths, progress=lambda message: None)
    second = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return {"paths": paths, "messages": messages, "first": first, "second": second}


def page(sample: dict, year: int) -> str:
    return (sample["paths"].reports / f"{year}.html").read_text(encoding="utf-8")


def body(html: str) -> str:
    return html.split("</head>", 1)[1]


def without_data_uris(html: str) -> str:
    return re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "data:", html)


def test_build_writes_every_report_its_notebook_and_the_index(sample):
    reports = sample["paths"].reports
    assert sorted(p.name for p in reports.iterdir()) == TWO_YEAR_REPORTS
    assert sorted(p.name for p in (reports / "zh").iterdir()) == TWO_YEAR_ZH_REPORTS
    assert any(m.startswith("2003: report -> ") for m in sample["messages"])
    assert any(m.startswith("2004: report -> ") for m in sample["messages"])
    assert sample["messages"][-3].startswith("index -> ") and sample["messages"][-1].startswith(
        "workbook -> "
    )
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert (
        'href="2003.html"' in index and 'href="2004.html"' in index and "23 of 38 (60.5%) [+13.1 pp]" in index
    )


def test_two_builds_give_the_same_bytes(sample):
    assert sample["first"].keys() == sample["second"].keys()
    differ = [name for name in sample["first"] if sample["first"][name] != sample["second"][name]]
    assert differ == []


def test_no_code_no_prompts_no_parameter_cells(sample):
    for year in (2003, 2004):
        html = body(page(sample, year))
        for marker in (
            "jp-InputPrompt",
            "jp-OutputPrompt",
            "In&nbsp;[",
            "injected-parameters",
            "load_year(",
            "import ",
            "raw_dir = ",
            "highlight",
        ):
            assert marker not in html, (year, marker)
        assert 'id="cell-id=parameters"' not in html


def test_one_self_contained_file_with_no_external_address(sample):
    for name in ("2003.html", "2004.html", "index.html", "zh/2003.html", "zh/2004.html", "zh/index.html"):
        html = (sample["paths"].reports / name).read_text(encoding="utf-8")
        assert "<script" not in html and "<link" not in html, name
        for attribute in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html):
            # only the page itself, its twin, its index, the years either side and the notebook
            assert attribute.startswith("#") or re.fullmatch(
                r"(\.\./|zh/)?(\d{4}(-record)?\.html|\d{4}\.ipynb|index\.html|trends\.html|tables\.xlsx)",
                attribute,
            ), (name, attribute[:40])
        assert not re.search(
            r"https?:|//[a-z]",
            without_data_uris(html).replace('xmlns="http://www.w3.org/2000/svg"', ""),
            re.IGNORECASE,
        ), name
    for name in ("2004.html", "zh/2004.html"):  # the key changes, three links and the units, drawn inline
        html = (sample["paths"].reports / name).read_text(encoding="utf-8")
        assert (
            len(re.findall(r'<svg aria-label="[^"]+"[^>]* role="img"', html)) == 5 and "<img" not in html
        ), name


def test_chinese_text_and_a_stable_title(sample):
    html = page(sample, 2004)
    assert '<meta charset="utf-8"' in html and '<html lang="en">' in html
    assert "<title>Responsibility system survey 2004</title>" in html
    for text in ("中央组织部", "责任分解", "党风廉政建设责任制落实情况一览表"):
        assert text in html


def test_every_chinese_character_of_each_page_travels_in_its_embedded_font(sample):
    """Reviewers' machines may have no Chinese font (this one has none): the page carries its glyphs."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    from analysis.publish.fonts import PAGE_FAMILY

    for name in ("2003.html", "2004.html", "index.html"):
        html = (sample["paths"].reports / name).read_text(encoding="utf-8")
        match = re.search(r'font-family: "([^"]+)"; src: url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)', html)
        assert match and match[1] == PAGE_FAMILY, name
        covered = TTFont(io.BytesIO(base64.b64decode(match[2]))).getBestCmap()
        chinese = {c for c in body(html) if 0x4E00 <= ord(c) <= 0x9FFF or 0xFF00 <= ord(c) <= 0xFFEF}
        assert chinese, name
        assert sorted(c for c in chinese if ord(c) not in covered) == [], name
        # the face is named first, so the browser waits for it instead of painting boxes
        assert (
            f'font-family: "{PAGE_FAMILY}", ' in html
            or f'--jp-content-font-family: "{PAGE_FAMILY}", ' in html
        ), name


def test_2004_holds_every_published_figure_with_its_base_and_the_comparison(sample):
    html = page(sample, 2004)
    with GOLDEN.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["denominator"]:
                assert f"{row['numerator']} of {row['denominator']} ({row['percent']}%)" in html, row
    assert (
        "26 of 38 units (68.4%) have a responsibility decomposition plan naming responsible persons"
        " and targets, up from 21 of 38 (55.3%) in 2003." in html
    )
    assert "Bureau-level cadres held accountable: 11, up from 4 in 2003." in html
    assert "38 units were surveyed (38 in 2003)." in html


def test_first_year_says_there_is_no_previous_year(sample):
    html = page(sample, 2003)
    assert "2003 is the first year surveyed: there is no previous year" in html
    assert "up from" not in html


def test_the_kept_notebook_has_outputs_and_stable_metadata(sample):
    nb = nbformat.read(sample["paths"].reports / "2004.ipynb", as_version=4)
    nbformat.validate(nb)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert [c.id for c in injected] == ["injected-parameters"]
    assert (
        "start_time" not in nb.metadata["papermill"]
        and nb.metadata["papermill"]["output_path"] == "2004.ipynb"
    )
    assert all("start_time" not in c.metadata.get("papermill", {}) for c in nb.cells)
    assert sum(len(c.get("outputs", [])) for c in nb.cells) >= 10


def broken_notebook(sample: dict, tmp_path: Path, gaps: str) -> tuple[Path, Paths]:
    """The report notebook with its `gaps` cell replaced (`{}` in `gaps` stands for the cell as it was),
    and folders to publish it to: the sample's processed tables, an empty reports folder."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.id == "gaps")
    cell.source = gaps.replace("{}", cell.source)
    notebook = tmp_path / "notebooks" / "year_report.ipynb"
    notebook.parent.mkdir()
    nbformat.write(nb, notebook)
    paths = Paths(sample["paths"].raw, sample["paths"].processed, tmp_path / "reports")
    paths.reports.mkdir()
    return notebook, paths


def test_a_failed_notebook_names_year_and_cell_and_keeps_the_previous_report(sample, tmp_path: Path):
    notebook, paths = broken_notebook(sample, tmp_path, 'raise RuntimeError("boom")')
    (paths.reports / "2004.html").write_text("the previous report", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        render_year(2004, paths, notebook=notebook)
    message = str(caught.value)
    assert message.startswith("2004: ") and "id 'gaps'" in message and "RuntimeError: boom" in message
    assert (paths.reports / "2004.html").read_text(encoding="utf-8") == "the previous report"
    failed = nbformat.read(paths.reports / "2004.failed.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in failed.cells for o in c.get("outputs", []))
    # no temporary file left
    assert sorted(p.name for p in paths.reports.iterdir()) == ["2004.failed.ipynb", "2004.html"]


def test_years_side_by_side_one_fails_the_other_is_published_and_the_index_is_left(sample, tmp_path: Path):
    notebook, paths = broken_notebook(
        sample, tmp_path, 'if year == 2003:\n    raise ValueError("2003 only")\n{}'
    )
    (paths.reports / "index.html").write_text("the previous index", encoding="utf-8")
    messages: list[str] = []
    with pytest.raises(ReportError) as caught:
        render_years(
            sorted(process_years(sample["paths"].raw)),
            paths,
            progress=messages.append,
            notebook=notebook,
            workers=2,
        )
    message = str(caught.value)
    assert (
        message.startswith("2003: ")
        and "ValueError: 2003 only" in message
        and "index.html was not updated" in message
    )
    assert messages[0] == "2003: report failed" and messages[1].startswith("2004: report -> ")
    assert (paths.reports / "index.html").read_text(encoding="utf-8") == "the previous index"
    assert sorted(p.name for p in paths.reports.iterdir()) == [
        "2003.failed.ipynb",
        "2004-record.html",
        "2004.html",
        "2004.ipynb",
        "index.html",
        "zh",
    ]
    # no index in either language
    assert sorted(p.name for p in (paths.reports / "zh").iterdir()) == ["2004-record.html", "2004.html"]
    assert "26 of 38 units (68.4%)" in page(sample, 2004) and "26 of 38 units (68.4%)" in (
        paths.reports / "2004.html"
    ).read_text(encoding="utf-8")


def test_unknown_or_ill_typed_parameters_are_errors_before_any_kernel_starts(tmp_path: Path):
    paths = Paths(SAMPLE_RAW, tmp_path / "p", tmp_path / "r")
    with pytest.raises(ReportError, match=r"has no parameter yaer; it takes year \(int\)"):
        render_year(2004, paths, parameters={"yaer": 2004})
    with pytest.raises(ReportError, match=r"parameter year .* must be int, got str '2004'"):
        render_year(2004, paths, parameters={"year": "2004"})
    with pytest.raises(ReportError, match="must be int, got bool"):
        check_parameters(NOTEBOOK, {"year": True})
    with pytest.raises(ReportError, match=r"raw_dir .* must be str\|None, got int"):
        check_parameters(NOTEBOOK, {"raw_dir": 3})
    check_parameters(NOTEBOOK, {"year": 2004, "raw_dir": None, "processed_dir": "x"})
    assert not paths.reports.exists()


def test_a_unit_called_script_is_escaped_in_the_published_page(write_year, tmp_path: Path):
    raw = write_year(
        2010, [unit_row("<script>document.write</script>"), unit_row("B", yes={"decomposition_plan"})]
    )
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    build(paths, progress=lambda message: None)
    html = (paths.reports / "2010.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;document.write&lt;/script&gt;" in html
    assert "2010 is the first year surveyed" in html


def test_the_notebook_runs_from_its_own_folder_with_default_folders(tmp_path: Path):
    """As in JupyterLab: working directory notebooks/, no folder given (ANALYSIS_ROOT is tmp_path)."""
    shutil.copytree(SAMPLE_RAW, tmp_path / "data" / "raw")
    nb = run_notebook(NOTEBOOK, {"year": 2004}, tmp_path / "out.ipynb")
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert "26 of 38 (68.4%)" in outputs and "default (data/raw)" in outputs


@pytest.mark.skipif(sys.platform == "win32", reason="no socket files on Windows: TCP there")
def test_kernel_channels_are_socket_files_in_a_folder_of_their_own(tmp_path: Path):
    """Not TCP ports picked ahead and bound later: with years side by side, CI saw another
    connection take one in between ("Address already in use", kernel died at start-up)."""
    import stat

    from analysis.publish.kernel import ThisPythonKernelManager, kernel_config

    manager = ThisPythonKernelManager(kernel_name="python3", config=kernel_config(tmp_path))
    manager.start_kernel()
    try:
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        info = manager.get_connection_info()
        assert info["transport"] == "ipc" and info["ip"] == str(tmp_path / "kernel")
        sockets = sorted(tmp_path.iterdir())
        assert len(sockets) == 5 and all(stat.S_ISSOCK(path.stat().st_mode) for path in sockets)
        client.stop_channels()
    finally:
        manager.shutdown_kernel(now=True)
    assert list(tmp_path.iterdir()) == []


def test_a_kernel_spec_the_machine_has_under_the_same_name_is_not_used(
    sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A user's python3 kernel spec (another environment's, or a broken one) takes no part:
    the report runs in this interpreter, as on a machine that has none."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "other",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    # the machine's spec wins the lookup
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == "/nonexistent/python"
    paths = sample["paths"]
    parameters = {
        "year": 2004,
        "raw_dir": str(paths.raw),
        "processed_dir": str(paths.processed),
        "lang": "zh",
    }
    nb = run_notebook(NOTEBOOK, parameters, tmp_path / "out.ipynb")
    assert any("38个单位" in json.dumps(c.get("outputs", []), ensure_ascii=False) for c in nb.cells)


def test_a_temporary_folder_too_deep_for_socket_files_keeps_tcp(tmp_path: Path):
    from analysis.publish.kernel import SOCKET_PATH_LIMIT, kernel_config

    deep = tmp_path / ("d" * max(1, SOCKET_PATH_LIMIT - len(str(tmp_path))))
    assert kernel_config(deep).KernelManager.get("transport", "tcp") == "tcp"
    if sys.platform != "win32":
        assert kernel_config(tmp_path).KernelManager.transport == "ipc"


def test_a_run_leaves_no_socket_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import tempfile

    shutil.copytree(SAMPLE_RAW, tmp_path / "data" / "raw")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    render = importlib.import_module("analysis.publish.execute")
    given: list[Path] = []
    config = render.kernel_config
    monkeypatch.setattr(render, "kernel_config", lambda sockets: (given.append(sockets), config(sockets))[1])
    run_notebook(NOTEBOOK, {"year": 2004}, tmp_path / "out.ipynb")
    assert len(given) == 1 and given[0].parent == scratch and given[0].name.startswith("kernel-")
    assert list(scratch.iterdir()) == []  # the socket folder and the connection file both gone


def test_plain_papermill_and_nbconvert_commands_work(tmp_path: Path):
    """The README's commands, from the repository root, on a machine with fonts of the charts' names."""
    shutil.copytree(SAMPLE_RAW, tmp_path / "data" / "raw")
    machine = decoy_fonts(tmp_path / "machine")
    out = tmp_path / "out.ipynb"
    run = subprocess.run(
        [
            str(BIN / "papermill"),
            "notebooks/year_report.ipynb",
            str(out),
            "-p",
            "year",
            "2004",
            "--no-progress-bar",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **machine},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    export = subprocess.run(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            "--TemplateExporter.extra_template_basedirs=src/analysis/publish/templates",
            "--template",
            "report",
            '--TagRemovePreprocessor.remove_cell_tags=["parameters","injected-parameters"]',
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert export.returncode == 0, export.stderr[-2000:]
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "26 of 38 (68.4%)" in html and "<script" not in html and "year = 2004" not in html
