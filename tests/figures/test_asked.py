"""Questions that change across years: a year whose form lacks a question reads "not asked", never 0.

The shipped instrument declares `reported_at_life_meeting` asked from 2004; the sample's
2001-2003 returns have no such column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_RAW, unit_row

from analysis import store
from analysis.build import build
from analysis.catalogue import load_instrument
from analysis.findings import ReturnsError
from analysis.paths import Paths
from analysis.pipeline import process_years

NEW = "reported_at_life_meeting"  # asked from 2004
FORMER = "是否制定责任分解方案"  # how an older form may have printed the decomposition plan's question


def without(row: dict[str, str], field: str) -> dict[str, str]:
    return {k: v for k, v in row.items() if k != field}


def test_the_instrument_declares_the_years_a_question_was_asked():
    instrument = load_instrument()
    assert instrument.field(NEW).asked_from == 2004
    assert not instrument.field(NEW).asked_in(2003) and instrument.field(NEW).asked_in(2004)
    assert NEW not in instrument.for_year(2003).names() and NEW in instrument.for_year(2004).names()
    assert len(instrument.for_year(2003).names()) == len(instrument.names()) - 1


def test_a_rule_on_a_question_not_asked_is_not_applied_that_year():
    instrument = load_instrument()
    changed = instrument.model_copy(
        update={
            "fields": tuple(
                f.model_copy(update={"asked_from": 2004}) if f.name == "decomposition_plan" else f
                for f in instrument.fields
            )
        }
    )
    assert "layered_needs_plan" not in [r.id for r in changed.for_year(2003).consistency_rules]
    assert "layered_needs_plan" in [r.id for r in changed.for_year(2004).consistency_rules]


@pytest.fixture
def two_forms(write_year) -> Path:
    """2010 without the question (its form lacked it), 2011 with it; declared asked from 2011."""
    write_year(
        2010, [without(unit_row("甲单位", yes={"decomposition_plan"}), NEW), without(unit_row("乙单位"), NEW)]
    )
    return write_year(
        2011, [unit_row("甲单位", yes={NEW}), unit_row("乙单位", yes={NEW, "decomposition_plan"})]
    )


@pytest.fixture
def asked_from_2011(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the catalogue whose instrument says the question was first asked in 2011, and
    that the decomposition plan's question was once printed under another header."""
    import shutil

    from analysis.catalogue import PACKAGE_FOLDER, load_catalogue

    folder = tmp_path / "catalogue"
    shutil.copytree(PACKAGE_FOLDER, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = (folder / "instrument.yaml").read_text(encoding="utf-8")
    text = text.replace("asked_from: 2004", "asked_from: 2011").replace(
        "    short_zh: 责任分解方案\n", f"    short_zh: 责任分解方案\n    former_headers: [{FORMER}]\n"
    )
    (folder / "instrument.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_CATALOGUE", str(folder))
    assert load_instrument().field(NEW).asked_from == 2011 and load_catalogue() is not None
    assert load_instrument().field("decomposition_plan").former_headers == (FORMER,)
    return folder


def test_the_build_passes_and_the_comparison_says_not_asked_and_new_this_year(
    two_forms: Path, asked_from_2011: Path, tmp_path: Path
):
    paths = Paths(two_forms, tmp_path / "p", tmp_path / "r")
    build(paths, progress=lambda message: None)
    before = store.read_table(paths.processed, 2010, "indicators.csv").set_index("indicator")
    assert before.at[NEW, "asked"] == False  # noqa: E712 (a nullable boolean)
    assert (
        pd.isna(before.at[NEW, "numerator"])
        and pd.isna(before.at[NEW, "denominator"])
        and pd.isna(before.at[NEW, "percent"])
    )
    assert before.at["decomposition_plan", "numerator"] == 1 and bool(
        before.at["decomposition_plan", "asked"]
    )
    after = store.read_table(paths.processed, 2011, "comparison.csv").set_index("indicator")
    assert (
        after.at[NEW, "numerator"] == 2
        and bool(after.at[NEW, "asked"])
        and after.at[NEW, "previous_asked"] == False  # noqa: E712 (a nullable boolean)
    )
    assert pd.isna(after.at[NEW, "change_numerator"]) and pd.isna(after.at[NEW, "change_pp"])
    no_answers = store.read_table(paths.processed, 2010, "no_answers.csv")
    assert NEW not in set(no_answers["field"])  # nobody was asked, so nobody left it blank
    first, second = ((paths.reports / f"{y}.html").read_text(encoding="utf-8") for y in (2010, 2011))
    assert "not asked in 2010" in first and "not asked that year" in first
    assert "new this year" in second and "2 of 2 units (100.0%)" in second
    assert (
        "New this year, so not compared (not asked in 2010):"
        " Covered at democratic life meeting and debriefings." in second
    )
    # one new, two over an empty sub-base
    assert (
        "Of the 14 shares in this report, 11 have a figure in both years: all 11 did not change since 2010."
        in second
    )
    zh = (paths.reports / "zh" / "2011.html").read_text(encoding="utf-8")
    assert "本年新增" in zh and "2010年未调查" in zh
    zh_first = (paths.reports / "zh" / "2010.html").read_text(encoding="utf-8")
    assert "当年未调查此项" in zh_first
    # the units chart and table leave the question out, and say so
    assert "2010年调查表未设以下项目，图表中不列出：" in zh_first
    assert (
        "Not on the 2010 form, so not in the chart or the table:"
        " Implementation is covered at the democratic life meeting" in first
    )


def test_a_return_that_lacks_a_question_its_year_asked_is_still_an_error(write_year, asked_from_2011: Path):
    raw = write_year(2011, [without(unit_row("甲单位"), NEW)])
    with pytest.raises(ReturnsError) as caught:
        process_years(raw)
    assert any(f.kind == "missing_column" and NEW in f.expected for f in caught.value.findings)


def test_answers_to_a_question_the_year_did_not_ask_are_not_counted(write_year, asked_from_2011: Path):
    raw = write_year(2010, [unit_row("甲单位", yes={NEW})])
    result = process_years(raw)[2010]
    row = result.indicators.set_index("indicator").loc[NEW]
    assert not bool(row["asked"]) and pd.isna(row["numerator"])
    assert any(f.kind == "unknown_column" for f in result.findings)


def test_a_former_header_still_names_the_question(write_year, asked_from_2011: Path):
    row = without(unit_row("甲单位", yes={"decomposition_plan"}), NEW)
    old_form = {(FORMER if k == "decomposition_plan" else k): v for k, v in row.items()}
    result = process_years(write_year(2010, [old_form]))[2010]
    assert result.indicators.set_index("indicator").at["decomposition_plan", "numerator"] == 1
    assert not any(f.kind in ("unknown_column", "missing_column") for f in result.findings)


def test_the_shipped_sample_lacks_the_question_before_2004_and_still_gives_every_published_figure(
    tmp_path: Path,
):
    results = process_years(SAMPLE_RAW)
    assert sorted(results) == [2001, 2002, 2003, 2004]
    for year in (2001, 2002, 2003):
        row = results[year].indicators.set_index("indicator").loc[NEW]
        assert not bool(row["asked"]) and pd.isna(row["numerator"]), year
    comparison = results[2004].comparison.set_index("indicator").loc[NEW]
    assert (
        comparison["numerator"] == 29
        and comparison["denominator"] == 38
        and comparison["previous_asked"] == False  # noqa: E712
    )
