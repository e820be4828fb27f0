"""Every page in English and in Chinese, drawn by one kernel a year; the office's commentary, safe."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import SAMPLE_RAW, TWO_YEAR_REPORTS, TWO_YEAR_ZH_REPORTS, run_cli

from analysis.build import build
from analysis.paths import Paths
from analysis.publish.commentary import read_commentary, render_markdown
from analysis.publish.render import page_outputs


@pytest.fixture(scope="module")
def both(two_years_built: tuple[Paths, list[str]]) -> Paths:
    """2003 and 2004 built once per run (conftest), its folder the project root: pages name folders
    relative to it. Only read here."""
    return two_years_built[0]


def test_a_build_writes_every_page_in_both_languages(both: Paths):
    assert sorted(p.name for p in both.reports.iterdir()) == TWO_YEAR_REPORTS
    assert sorted(p.name for p in (both.reports / "zh").iterdir()) == TWO_YEAR_ZH_REPORTS
    english = (both.reports / "2004.html").read_text(encoding="utf-8")
    chinese = (both.reports / "zh" / "2004.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and '<html lang="zh-Hans"' in chinese
    assert "26 of 38 (68.4%)" in english and "26 of 38" not in chinese
    assert "68.4%" in chinese


def test_the_same_inputs_give_the_same_bytes_in_both_languages(
    both: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))  # another project root, laid out the same way
    again = Paths(both.raw, tmp_path / "p", tmp_path / "r")
    build(again, progress=lambda message: None)
    for page in sorted(both.reports.rglob("*.html")):
        twin = again.reports / page.relative_to(both.reports)
        assert page.read_bytes() == twin.read_bytes(), page.relative_to(both.reports)


def test_lang_limits_the_build_to_those_pages(tmp_path: Path, two_years: Path):
    result = run_cli(
        "build",
        "--raw",
        str(two_years),
        "--processed",
        str(tmp_path / "p"),
        "--reports",
        str(tmp_path / "r"),
        "--lang",
        "zh",
    )
    assert result.returncode == 0, result.stderr
    written = sorted(
        p.relative_to(tmp_path / "r").as_posix() for p in (tmp_path / "r").rglob("*") if p.is_file()
    )
    assert [name for name in written if not name.startswith("zh/units/")] == [
        "2003.ipynb",
        "2004.ipynb",
        "tables.xlsx",
        "trends.ipynb",
        "zh/2003-record.html",
        "zh/2003.docx",
        "zh/2003.html",
        "zh/2004-record.html",
        "zh/2004.docx",
        "zh/2004.html",
        "zh/index.html",
        "zh/trends.html",
    ]
    assert len([name for name in written if name.startswith("zh/units/2004/")]) == 38  # a letter per unit
    assert f"index -> {tmp_path / 'r' / 'zh' / 'index.html'}" in result.stdout
    wrong = run_cli("build", "--raw", str(SAMPLE_RAW), "--processed", str(tmp_path / "p"), "--lang", "fr")
    assert wrong.returncode == 2 and "invalid choice: 'fr'" in wrong.stderr


def test_a_page_keeps_only_its_own_languages_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show(pages, section)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>English</p>"}, metadata={"lang": "en"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>中文</p>"}, metadata={"lang": "zh"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>both</p>"}),
        nbformat.v4.new_output("stream", name="stderr", text="a warning"),
    ]
    nb.cells = [cell]
    shown = {
        lang: [o["data"]["text/html"] for o in page_outputs(nb, lang).cells[0].outputs]
        for lang in ("en", "zh")
    }
    assert shown == {"en": ["<p>English</p>", "<p>both</p>"], "zh": ["<p>中文</p>", "<p>both</p>"]}
    assert len(nb.cells[0].outputs) == 4  # the kept notebook still has every language


def test_commentary_is_rendered_safe_and_offline():
    html = render_markdown(
        "# 意见\n\n加强<script>alert(1)</script>考核 ![图](https://example.org/a.png) [链接](https://example.org)\n\n<div>raw</div>"
    )
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;div&gt;raw&lt;/div&gt;" in html
    assert "<img" not in html and "<a " not in html and "链接 (https://example.org)" in html
    assert html.startswith("<h4>意见</h4>")


def test_a_line_break_inside_a_chinese_paragraph_is_no_space_but_stays_one_in_english():
    html = render_markdown(
        "## 标题\n\n使各级党组织和\n主要负责同志明确责任，\n了解内容。\n\n"
        "party organisations\nand leading comrades\n"
    )
    assert "<p>使各级党组织和主要负责同志明确责任，了解内容。</p>" in html
    assert "<h5>标题</h5>\n<p>" in html  # a heading is never joined to its paragraph
    assert "party organisations\nand leading comrades" in html


def test_the_commentary_is_read_in_the_pages_language_with_its_checksum(tmp_path: Path):
    folder = tmp_path / "2004"
    shutil.copytree(SAMPLE_RAW / "2004", folder)
    zh = read_commentary(folder, "zh")
    assert zh is not None and zh.file == "2004/commentary.zh.md"
    assert zh.sha256 == hashlib.sha256((folder / "commentary.zh.md").read_bytes()).hexdigest()
    assert "进一步提高对落实责任制重要性的认识" in zh.html
    (folder / "commentary.en.md").unlink()
    assert read_commentary(folder, "en") is None


def test_commentary_files_are_not_returns_but_are_inputs(both: Paths):
    inputs = (both.processed / "2004" / "inputs.csv").read_text(encoding="utf-8")
    assert "2004/commentary.zh.md" in inputs and "2004/commentary.en.md" in inputs
    findings = (both.processed / "2004" / "findings.csv").read_text(encoding="utf-8")
    assert "commentary" not in findings
