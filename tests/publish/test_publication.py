"""The year page as the office's publication (issue 22): who issues it and when, a summary that
judges, numbered tables and figures with their source, contents that lead somewhere, the
technical record on a page of its own, the genre's phrasing, compare pages that say what they
compare and are linked from both years."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_years, run_cli, unit_row
from pagetext import latin_words, visible_text

from analysis.paths import Paths
from analysis.publish import load, summary
from analysis.publish.wording import language

FILE_NAME = re.compile(r"[\w.-]+\.(?:xlsx|xlsm|xls|ods|csv|md|ipynb|parquet|yaml|html)\b")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def prose(path: Path) -> str:
    """The page's text outside its tables and charts: the sentences a reader quotes."""
    page = soup(path)
    for tag in page.find_all(["table", "svg", "style", "script"]):
        tag.decompose()
    return " ".join(page.body.get_text(" ").split())


# --- (1) who issues it, and when ---------------------------------------------------------------


def test_the_office_signs_a_report_with_report_yaml_and_a_report_without_is_a_draft(shipped: Paths):
    zh, en = soup(shipped.reports / "zh" / "2004.html"), soup(shipped.reports / "2004.html")
    assert [p.get_text() for p in zh.select("div.signature p")] == ["中央纪委研究室", "2005年1月28日"]
    assert [p.get_text() for p in en.select("div.signature p")] == [
        "Research Office of the Central Commission for Discipline Inspection",
        "28 January 2005",
    ]
    assert not zh.select(".draft-mark") and not en.select(".draft-mark")
    # the signature ends the body: after part three, before the annex
    text = prose(shipped.reports / "zh" / "2004.html")
    assert text.rindex("三、意见和建议") < text.index("2005年1月28日") < text.rindex("附：各单位落实情况一览")
    draft = soup(shipped.reports / "zh" / "2003.html")
    assert draft.select_one("h1 + p.draft-mark").get_text() == "草稿" and not draft.select("div.signature")
    assert soup(shipped.reports / "2003.html").select_one("p.draft-mark").get_text() == "Draft"
    css = (Path(load.__file__).parent / "templates" / "report" / "report.css").read_text(encoding="utf-8")
    assert ".draft-mark" in css and not re.search(
        r"@media print[^}]*\.draft-mark\s*{[^}]*display:\s*none", css
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("office_zh: 研究室\noffice_en: Office\ndate: 2005-01-28\nsigned_by: 某某\n", "column 'signed_by'"),
        ("office_zh: 研究室\noffice_en: Office\ndate: 28/01/2005\n", "column 'date'"),
        ("office_zh: 研究室\noffice_en: Office\ndate: 2003-12-31\n", "a date in or after the year surveyed"),
        ("office_zh: 研究室\ndate: 2005-01-28\n", "column 'office_en'"),
    ],
)
def test_a_bad_report_yaml_is_an_error_naming_file_and_key_and_nothing_is_written(
    tmp_path: Path, text: str, expected: str
):
    raw = copy_years(tmp_path / "raw", (2004,))
    (raw / "2004" / "report.yaml").write_text(text, encoding="utf-8")
    done = run_cli(
        "build", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--reports", str(tmp_path / "r")
    )
    assert done.returncode == 1 and "2004/report.yaml" in done.stderr and expected in done.stderr
    assert not (tmp_path / "p").exists() and not (tmp_path / "r").exists()


def test_a_report_yaml_not_in_utf8_is_an_error(tmp_path: Path):
    raw = copy_years(tmp_path / "raw", (2004,))
    (raw / "2004" / "report.yaml").write_bytes("office_zh: 研究室\n".encode("gbk"))
    done = run_cli("validate", "--raw", str(raw))
    assert done.returncode == 1 and "2004/report.yaml" in done.stderr and "UTF-8" in done.stderr


# --- (2) a summary that judges, computed ---------------------------------------------------------


def test_the_summary_names_the_weakest_link_with_its_base_in_the_genres_words(shipped: Paths):
    text = prose(shipped.reports / "zh" / "2004.html")
    start = text.index("主要结论")
    said = text[start : text.index("目录")]
    assert "责任分解落实得最好，有23个单位对责任内容进行了逐级分解，占60.5%" in said
    assert "责任追究最为薄弱，只有4个单位实施了责任追究，占10.5%，比例最低" in said
    assert "两年都有数据的13项比例全部提高" in said and "提高15.8个百分点" in said
    assert "38个单位中，34个单位没有实施责任追究；24个单位缺乏开展责任追究的具体办法" in said
    assert text.index("主要结论") < text.index("（一）责任分解")


def test_a_year_where_accountability_is_strong_says_so(write_year, tmp_path: Path):
    strong = {"accountability_enforced", "accountability_rules"}
    rows = [
        unit_row(f"单位{i}", yes=strong | ({"decomposition_layered"} if i < 2 else set())) for i in range(5)
    ]
    raw = write_year(2010, rows)
    data = load.load_year(2010, raw_dir=raw, processed_dir=tmp_path / "none", lang="zh")
    with language("zh"):
        said = summary.links_sentence(data)
    assert "责任追究落实得最好，有5个单位" in said and "占100.0%" in said
    assert "最为薄弱" in said and "责任追究最为薄弱" not in said


# --- (3, 4) numbered tables and figures, each with its source -----------------------------------


@pytest.mark.parametrize(
    ("page", "table", "figure", "source"),
    [
        (
            "zh/2004.html",
            "表",
            "图",
            "资料来源：各单位报送的《党风廉政建设责任制落实情况一览表》（2004年、2003年）",
        ),
        ("2004.html", "Table ", "Figure ", "Source: "),
    ],
)
def test_tables_and_figures_are_numbered_in_reading_order_each_with_its_source(
    shipped: Paths, page: str, table: str, figure: str, source: str
):
    html = soup(shipped.reports / page)
    captions = [c.get_text() for c in html.select("table caption")]
    assert [int(re.match(re.escape(table) + r"(\d+)", c).group(1)) for c in captions] == [1, 2, 3, 4, 5]
    figures = [f.svg["aria-label"] for f in html.select("figure.chart")]
    numbers = [int(re.search(re.escape(figure) + r"(\d+)", a).group(1)) for a in figures]
    assert numbers == [1, 2, 3, 4, 5]
    assert all(
        f.select_one("figcaption.source").get_text().startswith(source) for f in html.select("figure.chart")
    )
    assert all(
        t.find_next_sibling("p", class_="source").get_text().startswith(source)
        for t in html.select("table:has(caption)")
    )
    if page.startswith("zh"):
        assert "图1 各项比例的变化（2003年与2004年）" in figures[0]
        assert captions[0] == "表1 2004年三个环节主要数据"


def test_a_first_year_has_no_key_changes_chart_and_numbers_from_the_links(shipped: Paths):
    labels = [f.svg["aria-label"] for f in soup(shipped.reports / "zh" / "2001.html").select("figure.chart")]
    assert len(labels) == 4 and "图1 " in labels[0] and "责任分解" in labels[0]


# --- (5) contents --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["zh/2004.html", "2004.html", "zh/2001.html"])
def test_the_contents_lead_to_every_part_and_to_the_record(shipped: Paths, page: str):
    path = shipped.reports / page
    html = soup(path)
    links = [a["href"] for a in html.select("nav.contents a")]
    assert len(links) >= 5 and links[-1] == Path(page).stem + "-record.html"
    ids = {tag.get("id") for tag in html.find_all(id=True)}
    for href in links[:-1]:
        assert href.startswith("#") and href[1:] in ids, href
    assert (path.parent / links[-1]).is_file()


# --- (6) the technical record on its own page -----------------------------------------------------


def test_the_record_is_a_page_of_its_own_and_the_chinese_report_has_no_machinery(shipped: Paths):
    report, record = shipped.reports / "zh" / "2004.html", shipped.reports / "zh" / "2004-record.html"
    record_text = visible_text(record.read_text(encoding="utf-8"))
    assert "一、数据质量" in record_text and "校验值" in record_text and "2004.html" not in record_text
    assert soup(record).select_one('a[href="2004.html"]') is not None  # the way back
    text = visible_text(report.read_text(encoding="utf-8"))
    assert latin_words(text) == [] and FILE_NAME.findall(text) == []
    assert (
        not re.search(r"\b[0-9a-f]{64}\b", text) and "data/processed" not in text and "mplfonts" not in text
    )
    assert soup(report).select_one('a[href="2004-record.html"]') is not None


@pytest.mark.parametrize("page", ["zh/index.html", "zh/2004.html", "zh/2004-record.html", "zh/trends.html"])
def test_chinese_pages_link_to_chinese_pages_never_to_a_notebook(shipped: Paths, page: str):
    path = shipped.reports / page
    for a in soup(path).select("a[href]"):
        href = a["href"].split("#")[0]
        if not href or href == "../tables.xlsx":
            continue
        assert not href.endswith(".ipynb"), (page, href)
        target = (path.parent / href).resolve()
        assert target.is_file(), (page, href)
        is_twin = a.get("hreflang") == "en"  # the link to the same page in English says so
        assert is_twin or target.parent == path.parent.resolve(), (page, href)


# --- (7) the genre's phrasing ----------------------------------------------------------------------


@pytest.mark.parametrize("page", ["zh/2004.html", "zh/2003.html"])
def test_changes_in_prose_are_written_as_the_genre_writes_them(shipped: Paths, page: str):
    text = prose(shipped.reports / page)
    assert re.findall(r"[+＋][\d.]+个百分点|（[+＋]\d+个单位）", text) == []
    assert re.findall(r"（[^（）]*（[^（）]*）[^（）]*）", text) == []  # no brackets inside brackets
    assert "指标" not in text and "有22个开展责任考核单位" not in text


def test_the_base_is_said_once_per_paragraph(shipped: Paths):
    html = soup(shipped.reports / "zh" / "2004.html")
    link = next(h for h in html.find_all("h3") if "（一）责任分解" in h.get_text())
    sentences = [li.get_text() for li in link.find_next_sibling("ul").find_all("li")]
    assert sentences[0].startswith("38个单位中，有33个单位") and all(
        s.startswith("有") for s in sentences[1:]
    )


# --- (8) the compare page ------------------------------------------------------------------------


def test_the_compare_page_says_which_years_and_both_years_and_the_index_link_to_it(compared):
    paths, _ = compared
    page = "compare-2001-2004.html"
    assert (
        soup(paths.reports / "zh" / page).h1.get_text()
        == "2004年与2001年比较：中央单位落实党风廉政建设责任制情况"
    )
    assert "2004 compared with 2001" in soup(paths.reports / page).h1.get_text()
    for linked_from in (
        "2004.html",
        "2001.html",
        "index.html",
        "zh/2004.html",
        "zh/2001.html",
        "zh/index.html",
    ):
        assert soup(paths.reports / linked_from).select_one(f'a[href="{page}"]') is not None, linked_from


def test_a_copied_reports_folder_keeps_every_link(compared, tmp_path: Path):
    copy = tmp_path / "elsewhere" / "reports"
    shutil.copytree(compared[0].reports, copy)
    for path in sorted(copy.rglob("*.html")):
        for href in re.findall(r'href="([^"#]+)"', path.read_text(encoding="utf-8")):
            assert (path.parent / href).is_file(), (path.relative_to(copy), href)
