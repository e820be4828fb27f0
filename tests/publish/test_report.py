"""The report's words, tables, lists of units and charts, from the sample and from tiny hand-built years."""

from __future__ import annotations

import csv
import os
import re
import shutil
import warnings
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLE_RAW, unit_row

from analysis.build import build
from analysis.paths import Paths, record_name
from analysis.publish import charts, fonts, framing, html, index, load, shapes, tables, text
from analysis.publish.index import IndexEntry
from analysis.publish.load import ReportError

GOLDEN = REPO / "tests" / "golden" / "published-2004.csv"


@pytest.fixture(scope="module")
def y2004() -> load.ReportData:
    return load.load_year(2004, raw_dir=SAMPLE_RAW, processed_dir="/nonexistent")


@pytest.fixture(scope="module")
def y2003(two_years: Path) -> load.ReportData:
    """2003 as the first year surveyed (the shipped data also holds 2001 and 2002)."""
    return load.load_year(2003, raw_dir=two_years, processed_dir="/nonexistent")


def all_sections(data: load.ReportData) -> str:
    """Every piece of HTML the notebook displays, in its order, charts left out."""
    parts = [framing.title_html(data), html.headline_html(data)]
    parts += [html.link_html(data, link) for link in shapes.links(data)]
    parts += [
        html.problems_html(data),
        html.units_table_html(data),
        html.data_quality_html(data),
        html.about_html(data),
    ]
    return "".join(parts)


def test_figures_are_stated_with_their_base():
    assert text.share_text(26, 38, 68.4) == "26 of 38 (68.4%)"
    assert text.pp_text(13.1) == "+13.1 pp"
    assert text.pp_text(-2.6) == "-2.6 pp"
    assert text.pp_text(0.0) == "0.0 pp"
    assert text.signed(0) == "±0" and text.signed(-1) == "-1"


def test_sentence_in_the_published_manner_with_the_previous_year(y2004):
    assert text.indicator_sentence(y2004, "decomposition_plan") == (
        "26 of 38 units (68.4%) have a responsibility decomposition plan naming responsible persons"
        " and targets, "
        "up from 21 of 38 (55.3%) in 2003."
    )


def test_sub_base_is_stated_for_units_that_carried_out_an_assessment(y2004):
    sentence = text.indicator_sentence(y2004, "assessment_feedback")
    assert "21 of 38 units (55.3%)" in sentence
    assert (
        "21 of the 22 units that carried out an assessment (95.5%), up from 15 of 17 (88.2%) in 2003"
        in sentence
    )
    section = html.link_html(y2004, "assessment")
    assert (
        "Sub-base: 22 of the 38 units surveyed are units that carried out an assessment in 2004"
        " (17 of 38 in 2003)" in section
    )


def test_link_table_has_this_year_previous_year_and_change(y2004):
    table = tables.link_table(y2004, "decomposition")
    assert list(table.columns) == ["Indicator", "指标", "Base", "2004", "No answer", "2003", "Change"]
    plan = table[table["指标"] == "制定责任分解方案"].iloc[0]
    assert (plan["2004"], plan["2003"], plan["Change"]) == (
        "26 of 38 (68.4%)",
        "21 of 38 (55.3%)",
        "+13.1 pp (+5 units)",
    )


def test_every_published_figure_is_in_the_report_with_its_base(y2004):
    html = all_sections(y2004)
    with GOLDEN.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        name, k = row["indicator"], row["numerator"]
        if row["denominator"]:
            assert f"{k} of {row['denominator']} ({row['percent']}%)" in html, row
        elif name == "units_surveyed":
            assert f"{k} units were surveyed" in html
        else:
            assert f"{y2004.catalogue.get(name).label_en}: {k}," in html, row


def test_first_year_says_so_and_makes_no_comparison(y2003):
    assert y2003.previous_year is None
    html = all_sections(y2003)
    assert "there is no previous year" in html
    assert "up from" not in html and "down from" not in html
    assert list(tables.link_table(y2003, "decomposition").columns) == [
        "Indicator",
        "指标",
        "Base",
        "2003",
        "No answer",
    ]
    assert "Change" not in tables.glance_table(y2003).columns


def test_the_gaps_of_the_published_report_name_their_units(y2004):
    found = {(g.indicator, g.population): g for g in shapes.gaps(y2004)}
    # "12 units have not yet formulated a decomposition plan ... 13 ... no assessment plan, 16 did not
    # conduct assessment ... 24 units lack specific methods for accountability"
    expected = {
        "decomposition_plan": 12,
        "assessment_plan": 13,
        "assessment_conducted": 16,
        "accountability_rules": 24,
    }
    for indicator, count in expected.items():
        gap = found[(indicator, "all")]
        assert len(gap.units) == count and len(set(gap.units)) == count
    plan = found[("decomposition_plan", "all")]
    returns = y2004.result.returns.set_index("unit_name")
    assert all(returns.at[u, "decomposition_plan"] is not True for u in plan.units)
    assert "have not yet drawn up a responsibility decomposition plan" in html.problems_html(y2004)


def test_a_unit_that_gave_no_answer_is_in_the_gap_and_named(write_year, tmp_path: Path):
    raw = write_year(
        2010,
        [
            unit_row("甲单位", yes={"decomposition_plan"}),
            unit_row("乙单位"),
            unit_row("丙单位", blank={"decomposition_plan"}),
        ],
    )
    data = load.load_year(2010, raw_dir=raw, processed_dir=tmp_path / "none")
    gap = next(g for g in shapes.gaps(data) if g.indicator == "decomposition_plan")
    assert (gap.units, gap.no_answer, gap.denominator) == (["乙单位"], ["丙单位"], 3)
    page = html.problems_html(data)
    assert "1 of 3 units (33.3%) have not yet drawn up a responsibility decomposition plan" in page
    assert "Not counted above, 1 gave no answer: " in page


def test_falls_and_unchanged_shares_are_worded_as_such(write_year, tmp_path: Path):
    write_year(
        2010,
        [
            unit_row("A", yes={"decomposition_plan", "assessment_plan"}),
            unit_row("B", yes={"assessment_plan"}),
        ],
    )
    raw = write_year(2011, [unit_row("A", yes={"assessment_plan"}), unit_row("B", yes={"assessment_plan"})])
    data = load.load_year(2011, raw_dir=raw, processed_dir=tmp_path / "none")
    assert text.indicator_sentence(data, "decomposition_plan").endswith("down from 1 of 2 (50.0%) in 2010.")
    assert "the same share as in 2010: 2 of 2 (100.0%)" in text.indicator_sentence(data, "assessment_plan")
    headline = html.headline_html(data)
    assert "Falls: Responsibility decomposition plan (-50.0 pp)" in headline
    assert "The same 2 units returned in both years" in headline


def test_unit_names_are_text_never_markup(write_year, tmp_path: Path):
    evil = "<script>document.write</script>"
    raw = write_year(2010, [unit_row(evil), unit_row("A&B <b>", yes={"decomposition_plan"})])
    data = load.load_year(2010, raw_dir=raw, processed_dir=tmp_path / "none")
    html = all_sections(data)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;document.write&lt;/script&gt;" in html
    assert "A&amp;B &lt;b&gt;" in html
    page = index.index_html([IndexEntry(2010, data.result.comparison)])
    assert "<script" not in page


def test_unit_matrix_is_yes_no_or_no_answer_most_yes_first(y2004):
    matrix = shapes.unit_matrix(y2004)
    assert matrix.shape == (38, len(y2004.instrument.names("yes_no")))
    assert set(matrix.to_numpy().ravel()) <= {"yes", "no", "no answer"}
    yes = matrix.eq("yes").sum(axis=1).tolist()
    assert yes == sorted(yes, reverse=True)
    assert matrix.at["中央单位（九）", "decomposition_layered"] == "no answer"


def test_data_quality_lists_no_answers_and_rule_breaches(y2003, y2004):
    blank = tables.no_answer_table(y2004)
    layered = blank[blank["问题"] == "逐级分解责任"].iloc[0]
    assert (layered["No answer"], layered["Units"]) == ("1 of 38 units", "中央单位（九）")
    breaches = tables.breach_table(y2003)
    assert list(breaches["Unit"]) == ["中央单位（十八）"]
    assert "decomposition_plan = no" in html.data_quality_html(y2003)


def test_about_lists_inputs_with_sha256_version_and_parameters(y2004):
    import analysis

    page = html.about_html(y2004)
    for row in y2004.result.inputs.itertuples():
        assert row.sha256 in page and row.file in page
    assert analysis.__version__ in page
    assert "processed_dir" in page and "raw_dir" in page


def test_processed_tables_give_the_same_report_as_the_returns(
    tmp_path: Path, sample_tables: tuple[Paths, object]
):
    paths = sample_tables[0]  # the shipped sample's processed tables, built once per run; only read
    fast = load.load_year(2004, raw_dir=SAMPLE_RAW, processed_dir=paths.processed)
    slow = load.load_year(2004, raw_dir=SAMPLE_RAW, processed_dir=tmp_path / "elsewhere")
    assert (fast.source, slow.source) == ("processed", "returns")
    without_about = lambda data: all_sections(data).replace(html.about_html(data), "")  # noqa: E731 - About names the folders
    assert without_about(fast) == without_about(slow)
    assert tables.inputs_table(fast).equals(tables.inputs_table(slow))


def test_processed_tables_from_other_returns_are_not_used(write_year, tmp_path: Path):
    """Changed by content, even with the old date kept (cp -p), the returns win over the tables."""
    raw = write_year(2010, [unit_row("A", yes={"decomposition_plan"}), unit_row("B")])
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    build(paths, reports=False, progress=lambda message: None)
    assert load.load_year(2010, raw_dir=raw, processed_dir=paths.processed).source == "processed"
    stamp = (raw / "2010" / "returns.csv").stat()
    write_year(2010, [unit_row("A", yes={"decomposition_plan"}), unit_row("B", yes={"decomposition_plan"})])
    os.utime(raw / "2010" / "returns.csv", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    data = load.load_year(2010, raw_dir=raw, processed_dir=paths.processed)
    assert data.source == "returns"
    assert data.rows_where(indicator="decomposition_plan", population="all")[0]["numerator"] == 2
    write_year(2010, [unit_row("C")], name="late.csv")
    build(paths, reports=False, progress=lambda message: None)
    assert load.load_year(2010, raw_dir=raw, processed_dir=paths.processed).source == "processed"
    (raw / "2010" / "late.csv").unlink()
    assert load.load_year(2010, raw_dir=raw, processed_dir=paths.processed).source == "returns"


@pytest.mark.parametrize("bad", ["2004", True, 2004.0])
def test_an_ill_typed_year_is_an_error(bad):
    with pytest.raises(ReportError, match="year must be a whole number"):
        load.load_year(bad, raw_dir=SAMPLE_RAW)


def test_a_year_without_returns_is_an_error():
    with pytest.raises(ReportError, match="no returns for 1999"):
        load.load_year(1999, raw_dir=SAMPLE_RAW)


def test_index_links_every_year_with_headline_figures(y2003, y2004):
    page = index.index_html(
        [
            IndexEntry(2003, y2003.result.comparison),
            IndexEntry(2004, y2004.result.comparison),
            IndexEntry(2002, None, has_notebook=False),
        ]
    )
    assert page.index('href="2004.html"') < page.index('href="2003.html"') < page.index('href="2002.html"')
    assert "23 of 38 (60.5%) [+13.1 pp]" in page
    assert '<meta charset="utf-8">' in page and "http" not in page


def test_charts_are_titled_from_the_catalogue(y2004):
    charts.setup()
    for link in shapes.links(y2004):
        fig = charts.link_chart(y2004, link)
        label = y2004.catalogue.links[link]
        title = " ".join(fig.get_suptitle().split())  # wrapped to the chart's width
        assert title.startswith("Figure ") and label.label_zh in title and label.label_en in title
        assert "2003 and 2004" in title
        assert all(ax.get_title(loc="left") for ax in fig.axes)
    assert "各单位落实情况一览" in charts.units_chart(y2004).get_suptitle()


def test_chart_is_embedded_and_the_same_every_time(y2004):
    charts.setup()
    first = charts.link_figure_html(y2004, "decomposition")
    assert first.startswith(
        '<figure class="chart"><svg role="img" aria-label="Chart: Figure 2. '
        "责任分解 Responsibility decomposition"
    )
    assert charts.link_figure_html(y2004, "decomposition") == first


def test_chinese_draws_with_the_registry_font_and_a_missing_glyph_fails():
    from matplotlib.figure import Figure

    with warnings.catch_warnings():
        charts.setup()
        path = fonts.cjk_font_path()
        assert path.name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in path.parts
        fig = Figure()
        fig.text(0.1, 0.5, "中央组织部 责任分解")
        charts.figure_html(fig, "ok")
        fig = Figure()
        fig.text(0.1, 0.5, "\ue000")  # a private-use code point: in no font
        with pytest.raises(UserWarning, match=r"Glyph .* missing from font"):
            charts.figure_html(fig, "boxes")


def test_a_unit_name_that_looks_like_mathematics_is_drawn_as_written(write_year, tmp_path: Path):
    raw = write_year(2010, [unit_row("单位$x_{1}$", yes={"decomposition_plan"}), unit_row("B")])
    data = load.load_year(2010, raw_dir=raw, processed_dir=tmp_path / "none")
    charts.setup()
    fig = charts.units_chart(data)
    charts.figure_html(fig, "units")
    assert "单位$x_{1}$" in [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_an_empty_sub_base_is_stated_and_drawn(write_year, tmp_path: Path):
    """No unit carried out an assessment: the assessed shares are 0 of 0, not a crash."""
    raw = write_year(2010, [unit_row("A", yes={"decomposition_plan"}), unit_row("B")])
    data = load.load_year(2010, raw_dir=raw, processed_dir=tmp_path / "none")
    assert text.indicator_sentence(data, "assessment_feedback").endswith(
        "; of the units that carried out an assessment: no units in the base in 2010."
    )
    charts.setup()
    assert "<svg" in charts.link_figure_html(data, "assessment")


def test_the_notebook_is_saved_clean_thin_and_parameterised():
    import nbformat
    import papermill

    from analysis.publish.render import NOTEBOOK

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata.kernelspec.name == "python3" and nb.metadata.language_info.name == "python"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert len({c.id for c in nb.cells}) == len(nb.cells)
    assert code[0].metadata.tags == ["parameters"]
    declared = {
        name: p["inferred_type_name"] for name, p in papermill.inspect_notebook(str(NOTEBOOK)).items()
    }
    assert declared == {
        "year": "int",
        "raw_dir": "str|None",
        "processed_dir": "str|None",
        "lang": "str",
        "compare_with": "int|None",
        "compared": "str",
    }
    for cell in code[1:]:  # presentation only: the analysis lives in the package
        lines = [
            line for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")
        ]
        assert len(lines) <= 6, cell.id
        assert not re.search(r"\bpd\.|groupby|\.sum\(|read_(csv|excel|parquet)", cell.source), cell.id


def test_page_font_is_a_stable_subset_and_refuses_a_missing_ideograph(tmp_path):
    import base64
    import io

    from fontTools.ttLib import TTFont

    from analysis.publish.fonts import FontError, embed_page_font, subset_font

    page = "<html><head><title>t</title></head><body><p>责任分解 Latin only（二）</p></body></html>"
    first, second = embed_page_font(page), embed_page_font(page)
    assert first == second
    data = first.split("base64,", 1)[1].split(")", 1)[0]
    cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    assert {ord(c) for c in "责任分解（）"} <= set(cmap)
    assert ord("L") not in cmap  # Latin keeps its own font
    assert (
        embed_page_font("<html><head></head><body>plain</body></html>")
        == "<html><head></head><body>plain</body></html>"
    )
    # a face without the glyph fails instead of publishing boxes: DejaVu Sans has no ideographs
    import matplotlib

    dejavu = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    with pytest.raises(FontError, match="责"):
        subset_font("责", path=dejavu)


def test_the_pages_of_a_notebook_cut_the_face_once_and_each_gets_the_bytes_it_gets_alone(shipped):
    """A year's four pages embed their faces together (the face cut once for all, each page's
    glyphs cut from that): each page's font is byte for byte the one it would get on its own, and
    holds exactly the page's own Chinese characters."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    from analysis.publish.fonts import _page_text, embed_page_font, embed_page_fonts

    def bare(path):  # the page as exported, before its face was embedded
        head, marker, body = path.read_text(encoding="utf-8").partition("</head>")
        face = r'<style type="text/css">@font-face \{ font-family: "Report CJK".*?</style>\n'
        head, faces = re.subn(face, "", head)
        assert faces == 1
        return head + marker + body

    pages = [
        bare(shipped.page(name, lang))
        for name, lang in ((2004, "zh"), (2004, "en"), (record_name(2004), "zh"))
    ]
    together = embed_page_fonts(pages)
    assert together == [embed_page_font(page) for page in pages]
    for page, embedded in zip(pages, together, strict=True):
        data = embedded.split("base64,", 1)[1].split(")", 1)[0]
        cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
        assert {chr(c) for c in cmap} & set(_page_text(page)) == set(_page_text(page))
    assert len(set(_page_text(pages[0]))) > len(set(_page_text(pages[1]))) > 20  # the pages differ


# --- what a count counts: declared per indicator, never "cadres" in the code -----------------

WARNED = {
    "name": "units_warned",
    "kind": "count",
    "label_en": "Units given a warning education this year",
    "label_zh": "受到警示教育的单位数",
    "short_en": "Units given a warning education",
    "short_zh": "受警示教育单位",
    "max": 10000,
}
WARNED_INDICATOR = {
    "id": "units_warned",
    "kind": "sum",
    "link": "accountability",
    "label_en": "Units given a warning education",
    "label_zh": "受到警示教育的单位数",
    "statement_en": "units were given a warning education",
    "statement_zh": "对单位进行了警示教育",
    "unit_en": "units",
    "unit_zh": "个单位",
    "count_zh": "单位数",
}


def catalogue_with_a_count_of_units(folder: Path) -> Path:
    """A copy of the shipped catalogue with one more count, of units rather than cadres: data only."""
    from analysis.catalogue import PACKAGE_FOLDER

    shutil.copytree(PACKAGE_FOLDER, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    for name, section, entry in (
        ("instrument.yaml", "fields", WARNED),
        ("indicators.yaml", "indicators", WARNED_INDICATOR),
    ):
        tree = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        tree[section].append(entry)
        (folder / name).write_text(
            yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return folder


@pytest.mark.slow
def test_a_count_of_something_other_than_cadres_says_what_it_counts(
    write_year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The table, the chart and the sentence say "units" for it, with no change to the code."""
    from analysis.catalogue import FOLDER_VARIABLE

    # the kernel inherits it
    monkeypatch.setenv(FOLDER_VARIABLE, str(catalogue_with_a_count_of_units(tmp_path / "catalogue")))
    write_year(2010, [unit_row("甲单位", units_warned=1), unit_row("乙单位")])
    raw = write_year(
        2011,
        [
            unit_row("甲单位", yes={"accountability_enforced"}, units_warned=2, cadres_accountable_bureau=1),
            unit_row("乙单位", units_warned=1),
        ],
    )
    paths = Paths(raw, tmp_path / "processed", tmp_path / "reports")
    build(paths, progress=lambda message: None)
    page = (paths.reports / "2011.html").read_text(encoding="utf-8")
    data = load.load_year(2011, raw_dir=raw, processed_dir=paths.processed)

    table = tables.link_table(data, "accountability").set_index("Indicator")
    assert table.at["Units given a warning education", "Base"] == "count of units, all units surveyed"
    assert (
        table.at["Cadres held accountable, bureau and division level", "Base"]
        == "count of cadres, all units surveyed"
    )
    assert re.search(r"<td[^>]*>count of units, all units surveyed</td>", page)
    sentence = text.indicator_sentence(data, "units_warned")
    assert (
        sentence == "Units given a warning education: 3, up from 1 in 2010."
        and f"<li>{sentence}</li>" in page
    )
    assert "cadres" not in sentence.lower()
    charts.setup()
    fig = charts.link_chart(data, "accountability")
    axes = [(ax.get_title(loc="left"), ax.get_xlabel()) for ax in fig.axes]
    assert axes == [
        ("占比 Shares (k of n units)", "占单位比例 Share of units (%)"),
        ("人数 Counts", "人数 Number of cadres"),
        ("单位数 Counts", "单位数 Number of units"),  # a panel of its own: its axis says what it counts
    ]
    assert [t.get_text() for t in fig.axes[2].get_yticklabels()] == [
        "受到警示教育的单位数\nUnits given a warning education"
    ]
    assert page.count('aria-label="Chart: Figure 4. 责任追究 Accountability: 2010 and 2011') == 1
    chinese = (paths.reports / "zh" / "2011.html").read_text(encoding="utf-8")
    # the count's own unit word, in Chinese too
    assert "共对单位进行了警示教育3个单位，比上年增加2个单位。" in chinese
    assert "全部被调查单位，以“个单位”计" in chinese and "cadres" not in chinese


def test_a_count_must_say_what_it_counts_and_only_a_count_may():
    from pydantic import ValidationError

    from analysis.catalogue import Indicator

    counted = {k: v for k, v in WARNED_INDICATOR.items() if k not in ("unit_zh", "count_zh")}
    with pytest.raises(ValidationError, match="count indicator units_warned needs unit_zh, count_zh"):
        Indicator.model_validate(counted)
    share = {
        "id": "plan",
        "kind": "share",
        "link": "decomposition",
        "label_en": "x",
        "label_zh": "x",
        "statement_en": "x",
        "gap_en": "x",
        "unit_en": "units",
    }
    with pytest.raises(ValidationError, match="only a count"):
        Indicator.model_validate(share)
