"""Issue #11: any two years compared, every share traceable to its units, small bases marked.

The compare pages are built once for the module, as a person runs the command: the latest
sample year against the earliest (`python -m analysis compare <latest> <earliest>`).
"""

from __future__ import annotations

import html as markup
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import SAMPLE_RAW, run_cli, unit_row
from pagetext import latin_words, visible_text

from analysis import store
from analysis.build import build
from analysis.paths import Paths
from analysis.pipeline import discover_years, year_before
from analysis.publish import charts, html, load, shapes
from analysis.publish.render import render_compare
from analysis.publish.text import pp_text
from analysis.publish.wording import language

YEARS = discover_years(SAMPLE_RAW)
EARLIEST, LATEST = YEARS[0], YEARS[-1]
BEFORE = year_before(LATEST, YEARS)  # the year the latest is usually compared with
PAGE = f"compare-{EARLIEST}-{LATEST}.html"
ASSESSED = {"assessment_conducted", "assessment_feedback"}


def visible(page: str) -> str:
    """The text a reader sees: no head, styles or charts, tags dropped, entities read."""
    body = page.split("<body", 1)[1]
    body = re.sub(r"<style.*?</style>|<svg.*?</svg>", " ", body, flags=re.DOTALL)
    return re.sub(r"\s+", " ", markup.unescape(re.sub(r"<[^>]+>", " ", body)))


# --- (1) any two years -------------------------------------------------------------------


@pytest.mark.slow
def test_compare_writes_the_page_and_its_twin_named_earlier_then_later(compared):
    paths, stdout = compared
    english, chinese = paths.reports / PAGE, paths.reports / "zh" / PAGE
    assert english.is_file() and chinese.is_file()
    assert str(english) in stdout and str(chinese) in stdout
    # the two years' pages are made (or brought up to date) to link to it, as it links to them
    assert f'href="{PAGE}"' in (paths.reports / f"{LATEST}.html").read_text(encoding="utf-8")
    assert f'href="{PAGE}"' in (paths.reports / "zh" / f"{EARLIEST}.html").read_text(encoding="utf-8")
    assert store.has_year(paths.processed, EARLIEST) and store.has_year(paths.processed, LATEST)


@pytest.mark.slow
def test_the_page_says_which_year_it_is_compared_with_in_both_languages(compared):
    paths, _ = compared
    english = visible((paths.reports / PAGE).read_text(encoding="utf-8"))
    chinese = visible((paths.reports / "zh" / PAGE).read_text(encoding="utf-8"))
    if EARLIEST == BEFORE:
        assert f"It compares {LATEST} with {EARLIEST}." in english
        return
    assert f"It compares {LATEST} with {EARLIEST} (not the year before, {BEFORE})." in english
    assert f"本报告将{LATEST}年与{EARLIEST}年（而非上一年{BEFORE}年）的情况进行比较。" in chinese
    assert "上年" not in chinese  # every "比上年" names the year: "比2001年"
    assert f"比{EARLIEST}年增加" in chinese and f"比{EARLIEST}年" in chinese
    assert f"Change since {EARLIEST}" in english
    assert f"{LATEST}年与{BEFORE}年" not in chinese


@pytest.mark.slow
def test_no_latin_words_on_the_chinese_compare_page(compared):
    paths, _ = compared
    words = latin_words(visible_text((paths.reports / "zh" / PAGE).read_text(encoding="utf-8")))
    assert [w for w in words if w != "compare_with"] == []  # a parameter's name, as year and raw_dir are


@pytest.mark.slow
def test_the_nav_links_to_the_index_both_years_and_the_twin(compared):
    paths, _ = compared
    nav = re.search(
        r'<nav [^>]*class="page-nav".*?</nav>', (paths.reports / PAGE).read_text(encoding="utf-8")
    ).group(0)
    years = [f"{EARLIEST}.html", f"{LATEST}.html"]
    assert re.findall(r'href="([^"]+)"', nav) == ["index.html", *years, f"zh/{PAGE}"]
    nav_zh = re.search(
        r'<nav [^>]*class="page-nav".*?</nav>', (paths.reports / "zh" / PAGE).read_text(encoding="utf-8")
    ).group(0)
    assert re.findall(r'href="([^"]+)"', nav_zh) == ["index.html", *years, f"../{PAGE}"]
    for page in (paths.reports / PAGE, paths.reports / "zh" / PAGE):  # every link leads to a file
        for href in re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")):
            assert (page.parent / href).is_file(), (page, href)


@pytest.mark.slow
def test_every_change_is_the_difference_of_the_two_years_stored_percentages(compared):
    paths, _ = compared
    now = store.read_table(paths.processed, LATEST, "indicators.csv").set_index(["indicator", "population"])
    then = store.read_table(paths.processed, EARLIEST, "indicators.csv").set_index(
        ["indicator", "population"]
    )
    data = load.load_year(LATEST, raw_dir=paths.raw, processed_dir=paths.processed, compare_with=EARLIEST)
    assert data.source == "processed" and data.previous_year == EARLIEST
    checked = 0
    for row in data.rows:
        key = (row["indicator"], row["population"])
        if row["kind"] != "share" or pd.isna(now.loc[key, "percent"]) or pd.isna(then.loc[key, "percent"]):
            continue
        assert row["change_pp"] == pytest.approx(
            float(now.loc[key, "percent"]) - float(then.loc[key, "percent"]), abs=1e-9
        ), key
        checked += 1
    assert checked >= 10
    plan = data.rows_where(indicator="decomposition_plan", population="all")[0]
    a, b = now.loc[("decomposition_plan", "all")], then.loc[("decomposition_plan", "all")]
    shown = (
        f"{int(a['numerator'])} of {int(a['denominator'])} ({float(a['percent']):.1f}%)",
        f"{int(b['numerator'])} of {int(b['denominator'])} ({float(b['percent']):.1f}%)",
        f"{float(a['percent']) - float(b['percent']):+.1f} pp",
    )
    assert pp_text(plan["change_pp"]) == shown[2]
    page = (paths.reports / PAGE).read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr>.*?</tr>", page) if "Responsibility decomposition plan</td>" in r)
    cells = [markup.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert shown[0] in cells and shown[1] in cells
    assert cells[-1].startswith(shown[2] + " (")  # "+34.1 pp (+14 units)"


@pytest.mark.slow
def test_the_year_notebook_takes_compare_with_as_a_parameter(
    compared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """render_compare runs the year notebook with compare_with, as papermill -p compare_with does:
    the same bytes."""
    paths, _ = compared
    # the project root the pages name folders from
    monkeypatch.setenv("ANALYSIS_ROOT", str(paths.processed.parent.parent))
    again = Paths(paths.raw, paths.processed, tmp_path / "r")
    done = render_compare(LATEST, EARLIEST, again, langs=("en",))
    record = PAGE.replace(".html", "-record.html")  # its technical record, beside it
    assert done.pages == {"en": again.reports.resolve() / PAGE, "en-record": again.reports.resolve() / record}
    assert done.pages["en"].read_bytes() == (paths.reports / PAGE).read_bytes()
    with pytest.raises(load.ReportError, match="earlier"):
        render_compare(EARLIEST, LATEST, again, langs=("en",))


def test_compare_with_must_be_an_earlier_year_with_returns(tmp_path: Path):
    for wrong, message in (
        (LATEST, "must be earlier"),
        (LATEST + 1, "must be earlier"),
        (EARLIEST - 1, "no returns for"),
    ):
        with pytest.raises(load.ReportError, match=message):
            load.load_year(LATEST, raw_dir=SAMPLE_RAW, processed_dir=tmp_path / "none", compare_with=wrong)
    with pytest.raises(load.ReportError, match="whole number"):
        load.load_year(LATEST, raw_dir=SAMPLE_RAW, processed_dir=tmp_path / "none", compare_with="2001")


def test_the_command_refuses_a_missing_year_or_the_same_year_twice(tmp_path: Path):
    folders = ("--raw", str(SAMPLE_RAW), "--processed", str(tmp_path / "p"), "--reports", str(tmp_path / "r"))
    missing = run_cli("compare", str(LATEST), str(EARLIEST - 1), *folders)
    assert missing.returncode == 2 and f"no year folder for {EARLIEST - 1}" in missing.stderr
    twice = run_cli("compare", str(LATEST), str(LATEST), *folders)
    assert twice.returncode == 2 and "two different years" in twice.stderr
    assert not (tmp_path / "r").exists() and not (tmp_path / "p").exists()


# --- (2) every share traceable to its units ----------------------------------------------


def test_each_share_opens_to_the_units_it_counts_and_those_it_does_not(tmp_path: Path):
    data = load.load_year(LATEST, raw_dir=SAMPLE_RAW, processed_dir=tmp_path / "none")
    returns = data.result.returns
    answers = returns.set_index("unit_name")["decomposition_layered"]
    yes = [u for u, a in answers.items() if not pd.isna(a) and bool(a)]
    no = [u for u, a in answers.items() if not pd.isna(a) and not bool(a)]
    blank = [u for u, a in answers.items() if pd.isna(a)]
    assert blank, "the sample has a unit that left this question blank"
    share = next(
        s for s in shapes.share_units(data, "decomposition") if s.indicator == "decomposition_layered"
    )
    assert (share.counted, share.said_no, share.no_answer) == (yes, no, blank)
    section = markup.unescape(html.link_html(data, "decomposition"))
    details = next(
        d
        for d in re.findall(r"<details>.*?</details>", section)
        if "Responsibility decomposed level by level:" in d
    )
    text = re.sub(r"<[^>]+>", "", details)
    assert f"Counted as yes ({len(yes)}): {'、'.join(yes)}" in text
    assert f"Answered no ({len(no)}): {'、'.join(no)}" in text
    assert f"({len(blank)}): {'、'.join(blank)}" in text
    # every share of every link asked this year opens so
    shares = [r for r in data.rows_where(kind="share") if not shapes.not_asked(r)]
    assert sum(len(shapes.share_units(data, link)) for link in shapes.links(data)) == len(shares)


# --- (3) small bases marked ---------------------------------------------------------------


@pytest.fixture
def three_assessed(write_year, tmp_path: Path) -> Path:
    """12 units, 3 of which carried out an assessment (2 fed results back): a sub-base of 3."""
    rows = [
        unit_row(
            f"单位{n:02d}",
            yes={"decomposition_plan"}
            | (ASSESSED if n < 2 else {"assessment_conducted"} if n == 2 else set()),
        )
        for n in range(12)
    ]
    return write_year(2010, rows)


def test_a_share_over_fewer_units_than_the_catalogue_says_is_marked(three_assessed: Path, tmp_path: Path):
    charts.setup()  # the CJK font, as the notebook sets it
    data = load.load_year(2010, raw_dir=three_assessed, processed_dir=tmp_path / "none")
    assert data.catalogue.small_base == 10
    feedback = data.rows_where(indicator="assessment_feedback", population="assessed")[0]
    assert (int(feedback["numerator"]), int(feedback["denominator"])) == (2, 3)
    assert shapes.small_base(feedback, data.catalogue.small_base)
    assert not shapes.small_base(
        data.rows_where(indicator="assessment_feedback", population="all")[0], data.catalogue.small_base
    )
    section = markup.unescape(html.link_html(data, "assessment"))
    assert "2 of 3 (66.7%) †" in section and "2 of 12 (16.7%) †" not in section
    assert "† Small base: fewer than 10 units." in section
    assert "2/3  66.7%†" in markup.unescape(charts.link_figure_html(data, "assessment"))
    assert "†" not in html.link_html(data, "decomposition")  # a base of 12: nothing to mark
    with language("zh"):
        zh_section = markup.unescape(html.link_html(data, "assessment"))
        zh_chart = markup.unescape(charts.link_figure_html(data, "assessment"))
    assert "2/3（66.7%）†" in zh_section and "†基数较小：基数不足10个单位" in zh_section
    assert "2/3  66.7%†" in zh_chart


@pytest.mark.slow
def test_the_chinese_page_marks_a_small_base_and_says_how_to_read_it(three_assessed: Path, tmp_path: Path):
    paths = Paths(three_assessed, tmp_path / "p", tmp_path / "r")
    build(paths, progress=lambda message: None, langs=("zh",))
    page = (paths.reports / "zh" / "2010.html").read_text(encoding="utf-8")
    text = visible(page)
    assert "2/3（66.7%）†" in text and "基数较小" in text
    svg = markup.unescape(" ".join(re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)))
    assert "66.7%†" in svg
