"""Issue #8, report side: an empty sub-base after a year that had one, long unit names, machine paths.

The tests marked slow build real pages through papermill and nbconvert, as a reviewer gets them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import unit_row

from analysis import paths
from analysis.build import build
from analysis.paths import Paths
from analysis.publish import charts, framing, html, load, shapes, tables, text

ASSESSED = "(of units that carried out an assessment)"
ZERO_PERCENT = re.compile(r"(?<![\d.])0\.0%")  # "0.0%", not the end of "100.0%"
LONG_CJK = ("中华全国供销合作总社" * 12)[:120]
LONG_LATIN = "The Extraordinarily Long Latin Name of a Central Unit That Goes On and On and On Without End"
EVERY_SUB_BASE_YES = {"assessment_conducted", "assessment_feedback", "assessment_results_applied"}


def two_years(write_year, first: list[dict[str, str]], second: list[dict[str, str]]) -> Path:
    write_year(2010, first)
    return write_year(2011, second)


@pytest.fixture
def none_assessed_in_2011(write_year, tmp_path: Path) -> load.ReportData:
    """2010: both units assessed and did everything; 2011: neither carried out an assessment."""
    raw = two_years(
        write_year,
        [unit_row("甲单位", yes=EVERY_SUB_BASE_YES), unit_row("乙单位", yes=EVERY_SUB_BASE_YES)],
        [unit_row("甲单位", yes={"decomposition_plan"}), unit_row("乙单位")],
    )
    return load.load_year(2011, raw_dir=raw, processed_dir=tmp_path / "none")


def sub_base_rows(html: str) -> list[str]:
    """The table rows of the shares over units that carried out an assessment."""
    return [row for row in re.findall(r"<tr>.*?</tr>", html) if ASSESSED in row]


def everything_shown(data: load.ReportData) -> str:
    parts = [framing.title_html(data), html.headline_html(data)]
    parts += [html.link_html(data, link) for link in shapes.links(data)]
    parts += [html.problems_html(data), html.units_table_html(data), html.data_quality_html(data)]
    return "".join(parts)


# --- (3) a base of no units ----------------------------------------------------------------


def test_no_change_is_computed_where_either_year_has_an_empty_base(none_assessed_in_2011):
    comparison = none_assessed_in_2011.result.comparison.set_index(["indicator", "population"])
    empty = comparison.loc[("assessment_feedback", "assessed")]
    assert (empty["numerator"], empty["denominator"], empty["previous_denominator"]) == (0, 0, 2)
    assert pd.isna(empty["percent"]) and pd.isna(empty["change_pp"]) and pd.isna(empty["change_numerator"])
    over_all = comparison.loc[("assessment_feedback", "all")]
    assert (over_all["change_numerator"], over_all["change_pp"]) == (-2, -100.0)


def test_an_empty_sub_base_after_a_year_with_one_reads_no_units_in_the_base(none_assessed_in_2011):
    data = none_assessed_in_2011
    assert text.indicator_sentence(data, "assessment_feedback") == (
        "0 of 2 units (0.0%) fed back the assessment results, down from 2 of 2 (100.0%) in 2010; "
        "of the units that carried out an assessment: no units in the base in 2011, "
        "so there is no change to state since 2010 (2 of 2 (100.0%) in 2010)."
    )
    table = tables.link_table(data, "assessment").set_index("Indicator")
    row = table.loc[f"Assessment results fed back {ASSESSED}"]
    assert (row["2011"], row["2010"], row["Change"]) == (
        "no units in the base",
        "2 of 2 (100.0%) †",
        "not comparable: no units in the base",
    )
    html = everything_shown(data)
    rows = sub_base_rows(html)
    assert len(rows) == 2 and all("no units in the base" in r and not ZERO_PERCENT.search(r) for r in rows)
    assert "0 of 0" not in html and "n/a" not in html and "nan" not in html.lower().split()
    assert (
        "as there are none, the rows marked “of units that carried out an assessment”"
        " have no units in the base in 2011" in html
    )
    assert "2 shares have no units in the base in 2011 or 2010, so no change is given" in html


def test_an_empty_sub_base_the_year_before_is_not_compared(write_year, tmp_path: Path):
    raw = two_years(
        write_year,
        [unit_row("甲单位"), unit_row("乙单位")],
        [unit_row("甲单位", yes=EVERY_SUB_BASE_YES), unit_row("乙单位", yes={"assessment_conducted"})],
    )
    data = load.load_year(2011, raw_dir=raw, processed_dir=tmp_path / "none")
    assert text.indicator_sentence(data, "assessment_feedback").endswith(
        "; that is 1 of the 2 units that carried out an assessment (50.0%), "
        "with no change to state since 2010, which had no units in the base."
    )
    row = (
        tables.link_table(data, "assessment")
        .set_index("Indicator")
        .loc[f"Assessment results fed back {ASSESSED}"]
    )
    assert (row["2011"], row["2010"], row["Change"]) == (
        "1 of 2 (50.0%) †",
        "no units in the base",
        "not comparable: no units in the base",
    )
    gap = next(
        g for g in shapes.gaps(data) if (g.indicator, g.population) == ("assessment_feedback", "assessed")
    )
    assert gap.previous_base_empty
    assert (
        "1 of the 2 units that carried out an assessment (50.0%) did not feed back assessment results"
        " (no units in the base in 2010)" in (html.problems_html(data))
    )


def test_the_chart_says_no_units_in_the_base_not_a_percentage(none_assessed_in_2011):
    charts.setup()
    fig = charts.link_chart(none_assessed_in_2011, "assessment")
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert notes.count("no units in the base") == 2
    assert not [n for n in notes if "n/a" in n or n.startswith("0/0")]
    # wrapped to the chart's width (4.5 in, so that its text is 11 px on a phone)
    assert fig.get_suptitle() == "Figure 3. 责任考核 Responsibility assessment: 2010\nand 2011"


@pytest.mark.slow
def test_a_year_with_no_assessment_after_one_with_builds_its_page(write_year, tmp_path: Path):
    raw = two_years(
        write_year,
        [unit_row("甲单位", yes=EVERY_SUB_BASE_YES), unit_row("乙单位", yes=EVERY_SUB_BASE_YES)],
        [unit_row("甲单位", yes={"decomposition_plan"}), unit_row("乙单位")],
    )
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    build(paths, progress=lambda message: None)
    html = (paths.reports / "2011.html").read_text(encoding="utf-8")
    rows = sub_base_rows(html)
    assert len(rows) == 2 and all("no units in the base" in r and not ZERO_PERCENT.search(r) for r in rows)
    text = re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "", html.split("</head>", 1)[1])
    assert "no units in the base in 2011, so there is no change to state since 2010" in text
    assert not re.search(r"\bnan\b|\bNaN\b|0 of 0|n/a", text)


# --- (6) long unit names -----------------------------------------------------------------


def test_long_names_are_shortened_in_charts_to_sixteen_chinese_characters():
    assert charts.short_name("中央单位（十一）") == "中央单位（十一）"
    short = charts.short_name(LONG_CJK)
    assert charts.text_columns(short) <= 32 and short.startswith("中华全国供销合作总社") and "…" in short
    assert short.endswith(LONG_CJK[-3:])
    latin = charts.short_name(LONG_LATIN)
    assert (
        charts.text_columns(latin) <= 32
        and latin.startswith("The Extraordinarily")
        and latin.endswith("ithout End")
    )
    assert (
        charts.short_name("中" * 16) == "中" * 16 and charts.text_columns(charts.short_name("中" * 17)) <= 32
    )


def test_the_units_chart_lays_out_any_name_length(write_year, tmp_path: Path):
    raw = write_year(
        2010, [unit_row(LONG_CJK, yes={"decomposition_plan"}), unit_row(LONG_LATIN), unit_row("乙单位")]
    )
    data = load.load_year(2010, raw_dir=raw, processed_dir=tmp_path / "none")
    charts.setup()
    fig = charts.units_chart(data)
    assert charts.units_figure_html(data).startswith(
        '<figure class="chart"><svg role="img" aria-label="Chart: Figure 4. 各单位落实情况一览'
    )
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [charts.short_name(LONG_CJK), charts.short_name(LONG_LATIN), "乙单位"]
    left = fig.subplotpars.left * fig.get_size_inches()[0]
    assert 0 < left <= fig.get_size_inches()[0] - charts.MIN_PLOT  # the names never crowd out the answers
    assert LONG_CJK in html.units_table_html(data) and LONG_LATIN in html.units_table_html(data)


@pytest.mark.slow
def test_a_report_with_a_120_character_name_builds_and_its_table_has_the_full_name(
    write_year, tmp_path: Path
):
    raw = write_year(
        2010, [unit_row(LONG_CJK, yes={"decomposition_plan"}), unit_row(LONG_LATIN), unit_row("乙单位")]
    )
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    build(paths, progress=lambda message: None)
    html = (paths.reports / "2010.html").read_text(encoding="utf-8")
    assert f'<td class="unit-name"><span lang="zh">{LONG_CJK}</span></td>' in html
    assert f'<td class="unit-name"><span lang="zh">{LONG_LATIN}</span></td>' in html


# --- (13) no path of the analyst's machine -------------------------------------------------


def test_a_folder_outside_the_project_root_is_named_by_its_last_part_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path / "checkout"))
    assert paths.shown_path(tmp_path / "checkout" / "data" / "raw") == "data/raw"
    assert paths.shown_path(tmp_path / "elsewhere" / "processed") == "…/processed"
    assert paths.shown_path(Path("/home/someone/returns/raw")) == "…/raw"


def test_processed_status_names_an_outside_folder_without_its_absolute_path(
    write_year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    raw = write_year(2010, [unit_row("甲单位"), unit_row("乙单位")])
    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path / "checkout"))
    data = load.load_year(2010, raw_dir=raw, processed_dir=tmp_path / "scratch" / "processed")
    status = text.processed_status(data)
    assert status == (
        "The figures were computed from the returns;"
        " …/processed/2010/comparison.csv has not been written yet "
        "(run `python -m analysis build`)."
    )
    about = html.about_html(data)
    assert str(tmp_path) not in about and "…/raw" in about and "…/processed" in about


@pytest.mark.slow
def test_the_same_inputs_give_the_same_page_wherever_the_checkout_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Two checkouts at different depths; raw data inside each, processed tables and reports outside."""
    pages = []
    for place in ("a", "b/deeper/still"):
        checkout = tmp_path / place / "checkout"
        raw = checkout / "data" / "raw" / "2010"
        raw.mkdir(parents=True)
        source = tmp_path / "source" / "2010" / "returns.csv"
        if not source.exists():
            source.parent.mkdir(parents=True)
            rows = [
                unit_row("甲单位", yes={"decomposition_plan", "assessment_conducted"}),
                unit_row("乙单位"),
            ]
            source.write_text(
                ",".join(rows[0]) + "\n" + "\n".join(",".join(r.values()) for r in rows) + "\n",
                encoding="utf-8",
            )
        shutil.copy(source, raw / "returns.csv")
        monkeypatch.setenv("ANALYSIS_ROOT", str(checkout))
        scratch = tmp_path / place / "scratch"
        paths = Paths(checkout / "data" / "raw", scratch / "processed", scratch / "reports")
        build(paths, progress=lambda message: None)
        names = ("2010.html", "2010-record.html", "index.html")
        pages.append({name: (paths.reports / name).read_bytes() for name in names})
    assert pages[0] == pages[1]
    html = pages[0]["2010-record.html"].decode("utf-8")  # the folders are named in the technical record
    assert str(tmp_path) not in html and "/tmp" not in html
    assert "read from the processed tables in …/processed/2010" in html
    assert (
        "<td>raw_dir</td><td>data/raw</td>" in html and "<td>processed_dir</td><td>…/processed</td>" in html
    )
