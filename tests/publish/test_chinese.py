"""The Chinese pages: every published figure stated in the genre's form, no Latin words, links
between the pages of both languages, and the office's commentary in its language."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLE_RAW
from pagetext import latin_words, visible_text

from analysis.catalogue import load_catalogue, load_instrument
from analysis.figures.indicators import blank_units
from analysis.paths import Paths
from analysis.publish import html, load
from analysis.publish.commentary import read_commentary
from analysis.publish.wording import WordingError, in_language, language


@pytest.fixture(scope="module")
def built(shipped: Paths) -> Path:
    """The shipped sample's reports, every page in both languages."""
    return shipped.reports


def read(reports: Path, page: str) -> str:
    return (reports / page).read_text(encoding="utf-8")


def golden_rows() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_published_figure_is_stated_in_the_genres_form(built: Path):
    text = visible_text(read(built, "zh/2004.html"))
    catalogue = load_catalogue()
    rows = golden_rows()
    sub_based = {r["indicator"]: r for r in rows if r["population"] == "assessed"}
    for row in rows:
        indicator = catalogue.get(row["indicator"])
        k, n, percent = row["numerator"], row["denominator"], row["percent"]
        if indicator.kind == "units":
            expected = f"共有{k}个单位{indicator.statement_zh}"
        elif indicator.kind == "sum":
            expected = f"共{indicator.statement_zh}{k}{indicator.unit_zh}"  # 共追究局级干部11人
        elif indicator.id in sub_based:  # of the units that carried out an assessment, and of all units
            everyone = next(r for r in rows if r["indicator"] == indicator.id and r["population"] == "all")
            expected = (
                f"{k}个单位{indicator.statement_zh}，"
                f"占开展责任考核单位的{sub_based[indicator.id]['percent']}%，"
                f"占单位总数的{everyone['percent']}%"
            )
        else:
            # the base is said once a paragraph ("38个单位中，有23个……"), the later shares go on "有22个……"
            expected = f"有{k}个单位{indicator.statement_zh}，占{percent}%"
            assert f"{n}个单位中，有" in text
        assert expected in text, (row, expected)


def test_the_published_reports_own_sentences_are_on_the_page(built: Path):
    text = visible_text(read(built, "zh/2004.html"))
    for sentence in (
        "38个单位中，有23个单位对责任内容进行了逐级分解，占60.5%，比上年增加5个单位，提高13.1个百分点。",
        "有4个单位实施了责任追究，占10.5%",
        "21个单位反馈了考核结果，占开展责任考核单位的95.5%，占单位总数的55.3%",
        "17个单位把考核结果作为业绩评定、奖励惩处、选拔任用干部的重要依据，占开展责任考核单位的77.3%，占单位总数的44.7%",
        "共追究局级干部11人",
        "共追究处级干部1人，比上年减少1人。",
        # the gaps of part two of the published report, as counts of units that have not
        "还有12个单位没有制定责任分解方案",
        "还有13个单位没有制定责任考核方案",
        "还有16个单位没有开展责任考核",
        "还有24个单位缺乏开展责任追究的具体办法",
        # a unit that gave no answer is named apart, not counted among those that have not
        "还有14个单位没有对责任内容进行逐级分解，2003年为20个。",
        "另有1个单位未填报此项：中央单位（九）。",
    ):
        # Chinese has no spaces; the text joins nodes with one
        assert sentence in text.replace(" ", ""), sentence


def test_every_gap_counts_the_units_that_said_no_and_names_the_others_apart(built: Path):
    text = visible_text(read(built, "zh/2004.html"))
    data = load.load_year(2004, raw_dir=SAMPLE_RAW, processed_dir=built.parent / "p")
    returns = data.result.returns
    for row in golden_rows():
        indicator = load_catalogue().get(row["indicator"])
        if indicator.kind != "share" or row["population"] != "all":
            continue
        blank = blank_units(returns, indicator.field)
        said_no = int(row["denominator"]) - int(row["numerator"]) - len(blank)
        assert f"还有{said_no}个单位{indicator.gap_zh}" in text, indicator.id
        if blank:
            assert f"另有{len(blank)}个单位未填报此项：{'、'.join(blank)}" in text.replace(" ", ""), (
                indicator.id
            )


@pytest.mark.parametrize("page", ["zh/2004.html", "zh/2003.html", "zh/index.html"])
def test_no_latin_words_on_a_chinese_page(built: Path, page: str):
    """Every sentence, heading, table header, chart text and text alternative is Chinese."""
    assert latin_words(visible_text(read(built, page))) == []


def test_the_latin_word_count_sees_what_it_should():
    page = (
        "<p>有23个单位 Share raw_dir 2004/表.xlsx …/p/2004 3.11.2 pandas 校验值（SHA-256）</p>"
        '<style>p {}</style><svg aria-label="Chart"><text>pp</text></svg>'
    )
    assert latin_words(visible_text(page)) == ["Share", "Chart", "pp"]


def test_the_chinese_page_is_built_as_the_published_report(built: Path):
    page = read(built, "zh/2004.html")
    text = visible_text(page)
    assert (
        '<html lang="zh-Hans"' in page and "<title>2004年党风廉政建设责任制落实情况调研报告</title>" in page
    )
    assert (
        "2004年中央单位落实党风廉政建设责任制情况调研报告" in text
        and "《党风廉政建设责任制落实情况一览表》" in text
    )
    parts = [
        "一、基本情况和主要特点",
        "（一）责任分解",
        "（二）责任考核",
        "（三）责任追究",
        "二、存在的问题和不足",
        "三、意见和建议",
        "附：各单位落实情况一览",
    ]
    body = text[text.index("技术记录", text.index("目录")) :]  # after the contents, which name the parts too
    # in this order (a part is also named in the text, as the printed reference to part two is)
    place = 0
    for part in parts:
        place = body.index(part, place)
    for header in ("项目", "统计范围", "2004年", "未填报", "2003年", "比上年"):
        assert f">{header}</th>" in page, header
    record = read(built, "zh/2004-record.html")  # data quality and how the report was made: a page apart
    record_text = visible_text(record)
    assert record_text.index("一、数据质量") < record_text.index("二、报告生成方式")
    assert ">校验值（SHA-256）</th>" in record
    assert "<h3>数据来源</h3>" in record and "<h3>生成方式</h3>" in record
    assert "Indicator" not in page and "Change" not in text
    assert "，比上年增加5个单位，提高13.1个百分点" in text and "个百分点" in text and " pp" not in text


def test_pages_link_to_their_twin_their_index_and_the_years_either_side(built: Path):
    def links(page: str) -> list[str]:
        return re.findall(r'<a [^>]*href="([^"]+)"', read(built, page))

    assert {"2003.html", "index.html", "zh/2004.html"} <= set(links("2004.html"))
    assert {"2003.html", "index.html", "../2004.html"} <= set(links("zh/2004.html"))
    assert {"2002.html", "2004.html", "index.html", "../2003.html"} <= set(links("zh/2003.html"))
    # no year without returns
    assert "2000.html" not in links("zh/2001.html") and "2005.html" not in links("zh/2004.html")
    years = [2004, 2003, 2002, 2001]  # the index lists the latest first; other pages (trends) aside

    def year_links(page: str) -> list[str]:
        return [h for h in links(page) if re.search(r"(index\.html|\d{4}\.(html|ipynb))$", h)]

    # the Chinese index links to Chinese pages only: the executed notebooks are code, in English
    assert year_links("zh/index.html") == ["../index.html", *[f"{y}.html" for y in years]]
    assert year_links("index.html") == [
        "zh/index.html",
        *[x for y in years for x in (f"{y}.html", f"{y}.ipynb")],
    ]
    # the teams' workbook
    assert "../tables.xlsx" in links("zh/index.html") and "tables.xlsx" in links("index.html")
    for page in ("2004.html", "zh/2004.html", "zh/index.html"):
        for href in links(page):
            assert href.startswith("#") or (built / Path(page).parent / href).resolve().is_file(), (
                page,
                href,
            )


def test_each_page_shows_the_commentary_of_its_language_marked_as_written_by_people(built: Path):
    chinese, english = visible_text(read(built, "zh/2004.html")), visible_text(read(built, "2004.html"))
    # no file name on the Chinese report: the file is named, with its checksum, in the record
    assert "以下意见和建议由分析人员撰写，不是由数据计算得出。" in chinese
    assert "进一步提高对落实责任制重要性的认识" in chinese and "Raise awareness" not in chinese
    assert (
        "Written by the office's analysts (2004/commentary.en.md); not computed from the returns." in english
    )
    assert (
        "Raise awareness of why the responsibility system matters" in english and "进一步提高" not in english
    )
    records = [visible_text(read(built, page)) for page in ("zh/2004-record.html", "2004-record.html")]
    for name in ("commentary.zh.md", "commentary.en.md"):  # listed with its checksum in the record
        digest = hashlib.sha256((SAMPLE_RAW / "2004" / name).read_bytes()).hexdigest()
        assert all(digest in record for record in records)
    assert "本年度未提供意见和建议。" in visible_text(read(built, "zh/2003.html"))
    assert "No commentary was provided for this year." in visible_text(read(built, "2003.html"))


def test_commentary_is_shown_as_rendered_and_never_as_markup(tmp_path: Path):
    (tmp_path / "2004").mkdir()
    (tmp_path / "2004" / "commentary.zh.md").write_text(
        "## 建议\n\n加强<script>alert(1)</script>考核", encoding="utf-8"
    )
    data = load.load_pages(2004, raw_dir=SAMPLE_RAW, processed_dir=tmp_path / "none", lang="zh")[0]
    data = replace(data, commentary=read_commentary(tmp_path / "2004", "zh"))
    with language("zh"):
        section = html.commentary_html(data)
    assert "<h5>建议</h5>" in section and "<script" not in section and "&lt;script&gt;" in section


def test_data_quality_names_rules_and_answers_in_chinese(built: Path):
    text = visible_text(read(built, "zh/2003-record.html"))  # data quality is in the technical record
    assert (
        "中央单位（十八） 对责任进行了逐级分解，但没有制定责任分解方案 逐级分解责任：是；责任分解方案：否"
        in text
    )
    record = visible_text(read(built, "zh/2004-record.html")).replace(" ", "")  # the name is its own span
    assert "中央单位（二十八）：2003年没有该单位的报表" in record


def test_the_english_page_keeps_its_words(built: Path):
    text = visible_text(read(built, "2004.html"))
    assert (
        "26 of 38 units (68.4%) have a responsibility decomposition plan naming responsible persons"
        " and targets, up from 21 of 38 (55.3%) in 2003." in text
    )
    assert "4. Opinions and suggestions" in text and "5. The units at a glance" in text
    assert "2. About this report" in visible_text(read(built, "2004-record.html"))
    assert "个百分点" not in text and "比上年" not in text


def test_the_catalogues_say_every_indicator_and_rule_in_chinese():
    for indicator in load_catalogue().indicators:
        assert indicator.statement_zh, indicator.id
        assert indicator.kind != "share" or indicator.gap_zh, indicator.id
    for rule in load_instrument().consistency_rules:
        assert rule.text_zh, rule.id


def test_a_chinese_page_refuses_an_indicator_without_chinese_words():
    indicator = load_catalogue().get("decomposition_plan").model_copy(update={"statement_zh": ""})
    with language("zh"), pytest.raises(WordingError, match="no statement_zh"):
        in_language(indicator, "statement")
    assert in_language(indicator, "statement").startswith("have a responsibility decomposition plan")


def test_the_chinese_links_sit_in_part_one_without_a_heading_of_their_own():
    with language("zh"):
        links = html.section_markdown("links", number=2)
        assert not links.startswith("#") and re.sub(r"<[^>]+>", "", links).startswith("从统计情况看")
        assert html.section_markdown("problems", number=3).startswith("## 二、存在的问题和不足")
    assert html.section_markdown("links", number=2).startswith("## 2. The three links")
