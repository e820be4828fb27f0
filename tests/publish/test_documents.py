"""The Word documents the office sends: the year report (reports/[zh/]<year>.docx) and a letter to
each unit (reports/zh/units/<year>/<unit>.docx), opened as a user's program opens them.

python-docx reads them back: every figure of a table is the page's, every letter's answers are
the unit's return, the page and type are the national standard's (GB/T 9704-2012), the file holds
no macro, no external link and no field but PAGE, and the same returns give the same bytes from
any folder. LibreOffice prints them (skipped with a reason when it is not installed, unless
ANALYSIS_REQUIRE_BROWSER is set, as `.ci/run` sets it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from conftest import copy_years, unit_row
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from pagetext import visible_text

from analysis.build import build
from analysis.paths import LETTER_NAMES, Paths
from analysis.publish import charts, shapes, tables, text
from analysis.publish import document_layout as layout
from analysis.publish import document_tables as word_tables
from analysis.publish.chart_links import link_words
from analysis.publish.document_letters import file_stem, file_stems, write_letters
from analysis.publish.document_numbered import Numbers, captioned_table
from analysis.publish.document_report import write_documents
from analysis.publish.load import load_pages
from analysis.publish.wording import language

YEAR = 2004
# The Chinese report of 2004 as LibreOffice prints it, at most 10 pages as the brief asks: at the
# standard's 三号 type (22 lines of 28 characters) the body (part one's figures in words with 表1 and
# the key changes' chart, fourteen gaps with their units named, the office's opinions) takes 8 and
# the two annexes, each on a page of its own, 2 more.
MAX_BODY_PAGES, MAX_REPORT_PAGES = 8, 10
SOFFICE, PDFINFO = shutil.which("soffice"), shutil.which("pdfinfo")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def twips(length: int | None) -> int | None:
    return None if length is None else round(length / 635)


def cells(table) -> list[list[str]]:
    """Each cell's text, a figure broken where it is meant to ("33/38" over "（86.8%）") read whole."""
    return [[cell.text.replace("\n", "") for cell in row.cells] for row in table.rows]


def frame_cells(frame: pd.DataFrame) -> list[list[str]]:
    return [
        [str(c) for c in frame.columns],
        *([str(v) for v in row] for row in frame.itertuples(index=False)),
    ]


@pytest.fixture(scope="module")
def report(shipped: Paths) -> docx.document.Document:
    return docx.Document(shipped.document(YEAR, "zh"))


@pytest.fixture(scope="module")
def pages(shipped: Paths) -> dict[str, object]:
    return {data.lang: data for data in load_pages(YEAR, shipped.raw, shipped.processed, lang="en zh")}


def test_every_table_cell_is_the_pages_figure(shipped: Paths, report, pages):
    """The glance table cell for cell as the page's table function gives it, each figure on the page
    too; each link in the page's own sentences (every share with its base and change), not a table
    that says them again."""
    data = pages["zh"]
    page = visible_text(shipped.page(YEAR, "zh").read_text(encoding="utf-8"))
    with language("zh"):
        shown, once = tables.said_once(tables.glance_table(data))
        said = [
            sentence
            for link in shapes.links(data)
            for sentence in text.paragraph_sentences(data, [i.id for i in data.catalogue.by_link(link)])
        ]
    paragraphs = [p.text for p in report.paragraphs]
    assert cells(report.tables[0]) == frame_cells(shown)
    assert all(line in paragraphs for line in once), once
    figures = [cell for row in cells(report.tables[0])[1:] for cell in row[2:] if re.search(r"\d+/\d+", cell)]
    assert len(figures) == 6 and all(cell in page for cell in figures), figures
    assert len(said) >= 14 and all(sentence in paragraphs and sentence in page for sentence in said)
    assert (
        "有26个单位制定了责任分解方案，明确了责任人和责任目标，占68.4%，比上年增加5个单位，提高13.1个百分点。"
        in said
    )
    with language("zh"):
        link_titles = [link_words(data, link) for link in shapes.links(data)]
    assert len(link_titles) == 3 and not [p for p in paragraphs if any(t in p for t in link_titles)]
    english = docx.Document(shipped.document(YEAR, "en"))
    with language("en"):
        assert cells(english.tables[0]) == frame_cells(tables.glance_table(pages["en"]))
    inputs = pd.read_csv(shipped.table(YEAR, "inputs.csv"))
    shown = {row[0]: row[2] for table in report.tables for row in cells(table)[1:] if len(row) == 3}
    assert all(shown[name] == sha for name, sha in zip(inputs["file"], inputs["sha256"], strict=True))


def test_each_letter_gives_the_units_own_answers(shipped: Paths, pages):
    data = pages["zh"]
    returns = pd.read_parquet(shipped.table(YEAR, "returns.parquet"))
    words = {True: "是", False: "否"}
    stems = file_stems(returns["unit_name"])
    folder = shipped.letters(YEAR)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.docx" for s in stems.values())
    assert not (folder / LETTER_NAMES).exists()  # no unit's name had to change
    for _, unit in returns.iterrows():
        letter = docx.Document(shipped.letter(YEAR, stems[unit["unit_name"]]))
        assert (
            letter.paragraphs[[p.style.name for p in letter.paragraphs].index("Addressee")].text
            == f"{unit['unit_name']}："
        )
        rows = cells(letter.tables[0])
        assert rows[0] == ["问题", "本单位", "全部单位回答“是”的比例", "上年本单位"]
        said = {row[0]: row[1] for row in rows[1:]}
        form = data.form
        assert list(said) == [form.field(f).label_zh for f in form.names("yes_no")]
        for field in form.names("yes_no"):
            answer = unit[field]
            assert said[form.field(field).label_zh] == ("未填报" if pd.isna(answer) else words[bool(answer)])
    first = docx.Document(shipped.letter(YEAR, stems[returns["unit_name"][0]]))
    share = {row[0]: row[2] for row in cells(first.tables[0])[1:]}
    assert share["逐级分解责任"] == "23/38（60.5%）"  # the published report's figure, as the page says it


def test_the_page_and_the_type_are_the_standards(report):
    section = report.sections[0]
    assert (twips(section.page_width), twips(section.page_height)) == (11906, 16838)
    margins = [
        twips(m)
        for m in (section.top_margin, section.left_margin, section.right_margin, section.bottom_margin)
    ]
    assert margins == [2098, 1587, 1474, 1984]  # 37, 28, 26, 35 mm: a 156 x 225 mm block
    normal = report.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28.7 <= normal.paragraph_format.line_spacing.pt <= 29.0  # 22 lines in 225 mm
    assert twips(normal.paragraph_format.first_line_indent) == 640  # two characters of 16 pt
    assert normal.font.size.pt == 16
    faces = {
        name: report.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3")
    }
    assert faces == {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
        "Heading 3": "仿宋_GB2312",
    }
    assert report.styles["Heading 3"].font.bold and report.styles["Title"].font.size.pt == 22
    assert report.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    used = [p.style.name for p in report.paragraphs]
    assert report.paragraphs[0].style.name == "Title"
    headings = [p.text for p in report.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、基本情况和主要特点", "二、存在的问题和不足", "三、意见和建议"]
    assert [p.text for p in report.paragraphs if p.style.name == "Heading 2"][:3] == [
        "（一）责任分解",
        "（二）责任考核",
        "（三）责任追究",
    ]
    assert "Caption" in used and all(
        p.text.startswith(("表", "图")) for p in report.paragraphs if p.style.name == "Caption"
    )
    annexes = [i for i, p in enumerate(report.paragraphs) if p.style.name == "Annex Label"]
    assert [report.paragraphs[i].text for i in annexes] == ["附件1", "附件2"]
    assert all(report.paragraphs[i].paragraph_format.page_break_before for i in annexes)


def test_tables_repeat_their_header_and_keep_rows_whole_and_pictures_say_what_they_show(
    shipped: Paths, report, pages
):
    assert len(report.tables) >= 6
    for table in report.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    pictures = report.inline_shapes
    described = [shape._inline.docPr.get("descr") for shape in pictures]
    assert len(described) == 1 and all(described)  # the key changes; a link's chart is its table drawn
    with language("zh"):
        title = "图1 各项比例的变化（2003年与2004年）"
        assert described[0] == charts.changes_alt(pages["zh"], title)
        assert all(charts.link_alt(pages["zh"], link) not in described for link in shapes.links(pages["zh"]))
    captions = [p.text for p in report.paragraphs if p.style.name == "Caption" and p.text.startswith("图")]
    assert captions == ["图1 各项比例的变化（2003年与2004年）"]


def test_a_pictures_title_is_its_caption_not_drawn_again(shipped: Paths, report, pages):
    """The chart drawn for the page carries its title; the document's picture is drawn without it, as
    the caption under the picture says it: the picture is shorter by at least the title's height."""
    import io

    import PIL.Image
    from docx.shared import Emu

    data = pages["zh"]
    with language("zh"):
        title = "图1 各项比例的变化（2003年与2004年）"
        figure = charts.changes_chart(data, title)
    titled = io.BytesIO()
    figure.savefig(titled, format="png", dpi=layout.DPI, bbox_inches="tight", pad_inches=0.05)
    heading = figure.texts[0].get_window_extent().height * layout.DPI / figure.dpi
    shape = report.inline_shapes[0]
    blob = report.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    wide, high = PIL.Image.open(io.BytesIO(blob)).size
    titled_high = PIL.Image.open(titled).size[1]
    assert figure.texts[0].get_text() == title and heading > 10
    assert high <= titled_high - heading, (high, titled_high, heading)
    assert Emu(shape.height) / Emu(shape.width) == pytest.approx(high / wide, rel=0.01)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_no_macro_no_external_link_no_field_but_page(shipped: Paths):
    for path in [
        shipped.document(YEAR, "zh"),
        shipped.document(YEAR, "en"),
        next(shipped.letters(YEAR).glob("*.docx")),
    ]:
        found = parts(path)
        assert not any("vbaProject" in name or name.endswith((".bin", ".dotm")) for name in found)
        assert b"macroEnabled" not in found["[Content_Types].xml"]
        assert not any(
            b'TargetMode="External"' in data for name, data in found.items() if name.endswith(".rels")
        )
        xml = b"".join(data for name, data in found.items() if name.endswith(".xml"))
        assert b"<w:hyperlink" not in xml and b"fldSimple" not in xml
        instructions = re.findall(rb"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
        assert instructions and {i.strip() for i in instructions} == {b"PAGE"}
        assert b"<w:evenAndOddHeaders/>" in found["word/settings.xml"]
        footers = [docx.Document(path).sections[0].footer, docx.Document(path).sections[0].even_page_footer]
        assert [f.paragraphs[0].text for f in footers] == ["— 1 —", "— 1 —"]
        assert [f.paragraphs[0].alignment for f in footers] == [
            WD_ALIGN_PARAGRAPH.RIGHT,
            WD_ALIGN_PARAGRAPH.LEFT,
        ]
        fonts = found["word/fontTable.xml"].decode("utf-8")
        for face, alt in (
            ("仿宋_GB2312", "FangSong"),
            ("楷体_GB2312", "KaiTi"),
            ("黑体", "SimHei"),
            ("方正小标宋简体", "SimSun"),
        ):
            assert f'<w:font w:name="{face}"><w:altName w:val="{alt}"/>' in fonts
        core = found["docProps/core.xml"]
        assert b"lastModifiedBy" not in core and b"<cp:revision>1</cp:revision>" in core
        with zipfile.ZipFile(path) as package:
            assert len({info.date_time for info in package.infolist()}) == 1
            assert package.namelist()[0] == "[Content_Types].xml"


def project(root: Path, issuer: str | None) -> Paths:
    """2003 and 2004 of the sample in a folder of their own, report.yaml as given, the tables built."""
    raw = copy_years(root / "raw", (2003, 2004))
    (raw / "2004" / "report.yaml").unlink(missing_ok=True)
    if issuer is not None:
        (raw / "2004" / "report.yaml").write_text(issuer, encoding="utf-8")
    paths = Paths(raw, root / "p", root / "r")
    build(paths, reports=False, progress=lambda message: None)
    return paths


def made(paths: Paths) -> dict[str, bytes]:
    files = write_documents(YEAR, paths, ("en", "zh")) + write_letters(YEAR, paths)
    return {p.relative_to(paths.reports).as_posix(): p.read_bytes() for p in files}


ISSUER = "office_zh: 中央纪委研究室\noffice_en: Research Office\ndate: 2005-01-28\n"


def test_a_draft_says_so_and_a_signed_report_ends_with_the_office_and_the_date(tmp_path: Path):
    draft = project(tmp_path / "draft", None)
    made(draft)
    text = [p.text for p in docx.Document(draft.document(YEAR, "zh")).paragraphs]
    assert text[2] == "草稿" and "中央纪委研究室" not in text
    english = [p.text for p in docx.Document(draft.document(YEAR, "en")).paragraphs]
    assert "Draft" in english[:4]
    signed = project(tmp_path / "signed", ISSUER)
    made(signed)
    report = docx.Document(signed.document(YEAR, "zh"))
    ending = [(p.text, p.style.name) for p in report.paragraphs if p.style.name == "Signature"]
    assert ending == [("中央纪委研究室", "Signature"), ("2005年1月28日", "Signature")]
    office = next(p for p in report.paragraphs if p.style.name == "Signature").paragraph_format
    assert office.keep_together and office.keep_with_next  # the office and the date on one page
    assert "草稿" not in [p.text for p in report.paragraphs]
    letter = docx.Document(next(signed.letters(YEAR).glob("*.docx")))
    assert [p.text for p in letter.paragraphs if p.style.name == "Signature"] == [
        "中央纪委研究室",
        "2005年1月28日",
    ]
    english = [p.text for p in docx.Document(signed.document(YEAR, "en")).paragraphs]
    assert english[-1] != "28 January 2005" and "28 January 2005" in english


def test_the_same_returns_give_the_same_bytes_from_any_folder(tmp_path: Path):
    first = made(project(tmp_path / "one", ISSUER))
    again = made(project(tmp_path / "elsewhere" / "two", ISSUER))
    assert first.keys() == again.keys() and len(first) > 3
    assert [name for name in first if first[name] != again[name]] == []


def test_a_unit_name_is_made_a_safe_file_name_and_the_changes_listed(tmp_path: Path, write_year):
    assert file_stem('中央/单位:一*?"<>|') == "中央_单位_一______"
    assert (
        file_stem("单位（一）. ") == "单位（一）"
        and file_stem("CON") == "_CON"
        and file_stem(".单位") == "_单位"
    )
    assert len(file_stem("长" * 200).encode()) <= 150
    assert file_stems(["A/B", "A_B", "abc", "ABC"]) == {
        "A/B": "A_B",
        "A_B": "A_B-2",
        "abc": "abc",
        "ABC": "ABC-2",
    }
    names = ["中央单位/一", "中央单位_一", "中央单位（二）"]
    raw = write_year(2005, [unit_row(name, yes={"decomposition_plan"}) for name in names])
    paths = Paths(raw, tmp_path / "p", tmp_path / "r")
    build(paths, reports=False, progress=lambda message: None)
    written = write_letters(2005, paths)
    listed = paths.letter_names(2005)
    assert listed in written
    data = listed.read_bytes()
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == [
        "单位名称,文件名",
        "中央单位/一,中央单位_一.docx",
        "中央单位_一,中央单位_一-2.docx",
    ]
    assert sorted(p.name for p in paths.letters(2005).glob("*.docx")) == [
        "中央单位_一-2.docx",
        "中央单位_一.docx",
        "中央单位（二）.docx",
    ]


def pdf_pages(path: Path, out: Path) -> int:
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{out}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    info = subprocess.run(
        [PDFINFO, str(out / f"{path.stem}.pdf")], check=True, capture_output=True, text=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))


@pytest.mark.skipif(
    not (SOFFICE and PDFINFO) and not os.environ.get("ANALYSIS_REQUIRE_BROWSER"),
    reason="LibreOffice and poppler-utils are not installed "
    "(apt-get install libreoffice-writer-nogui poppler-utils; .ci/run does it)",
)
def test_libreoffice_prints_the_report_and_a_letter_on_a4(shipped: Paths, tmp_path: Path):
    assert SOFFICE and PDFINFO, "soffice and pdfinfo are required (ANALYSIS_REQUIRE_BROWSER is set)"
    assert 1 <= pdf_pages(shipped.document(YEAR, "zh"), tmp_path) <= MAX_REPORT_PAGES
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / f"{YEAR}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\f")
    first_annex = next(n for n, sheet in enumerate(text, start=1) if re.match(r"\s*附件\s*1", sheet))
    assert first_annex - 1 <= MAX_BODY_PAGES, first_annex
    assert pdf_pages(next(shipped.letters(YEAR).glob("*.docx")), tmp_path) >= 1
    size = subprocess.run(
        [PDFINFO, str(tmp_path / f"{YEAR}.pdf")], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", size)


def test_a_figure_keeps_its_width_or_breaks_only_where_it_is_meant_to():
    """LibreOffice left to itself broke "20/38（52.6%）" as "20/3" over "8（52.6%）": a figure's column
    keeps the figure's width when the others can give way, else the figure breaks before its '（'."""
    figure, change = "33/38（86.8%）", "+7.9个百分点（+3个单位）"
    five = [
        ["项目", "2004年", "未填报", "2003年", "比上年"],
        ["实施办法明确领导班子及成员责任", figure, "0", figure, change],
    ]
    six = [[*five[0][:1], "统计范围", *five[0][1:]], [*five[1][:1], "全部被调查单位", *five[1][1:]]]
    natural = word_tables.text_width(figure) + word_tables.PAD
    kept = word_tables.column_shares(five, whole=[1, 3])
    assert kept[1] >= natural and kept[3] >= natural  # five columns: the figures whole, the label wraps
    tight = word_tables.column_shares(six, whole=[2, 4])
    assert word_tables.text_width("（86.8%）") + word_tables.PAD <= tight[2] < natural  # six: in two parts
    assert word_tables._broken("33/38（86.8%）", 5.5) == "33/38\n（86.8%）"
    assert word_tables._broken("33 of 38 (86.8%)", 5.5) == "33 of 38 \n(86.8%)"  # read back whole
    assert word_tables._broken("33/38（86.8%）", 20.0) == "33/38（86.8%）"


def test_a_column_of_one_value_is_said_once_under_its_table(pages):
    """A link's table of shares all of every unit: 统计范围 is a line under it, not a column; one
    whose bases differ keeps the column."""
    data = pages["zh"]
    with language("zh"):
        document = layout.new_document("zh")
        for link in ("decomposition", "assessment"):
            captioned_table(document, Numbers(), f"表 {link}", tables.link_table(data, link), once=True)
    heads = [cell.text for cell in document.tables[0].rows[0].cells]
    assert heads[1:] == ["2004年", "未填报", "2003年", "比上年"], heads
    assert "统计范围：全部被调查单位" in [p.text for p in document.paragraphs]
    assert [cell.text for cell in document.tables[1].rows[0].cells][1] == "统计范围"


def test_the_quality_annex_lists_only_the_questions_left_blank_and_says_the_rest(report, pages):
    """附件1's no-answer table: a row for each question some unit left blank, naming them; the
    questions every unit answered are counted in one line under it, not listed row by row."""
    data = pages["zh"]
    returns = data.result.returns
    questions = data.form.questions()
    blank = {
        data.form.field(q).label_zh: sorted(returns.loc[returns[q].isna(), "unit_name"]) for q in questions
    }
    blank = {label: names for label, names in blank.items() if names}
    with language("zh"):
        heads = [tables.header("question"), tables.header("no_answer"), tables.header("units")]
    table = next(t for t in report.tables if cells(t)[0] == heads)
    rows = cells(table)[1:]
    assert {row[0]: row[2] for row in rows} == {label: "、".join(names) for label, names in blank.items()}
    assert all(
        row[1] == f"{len(names)}个（共{len(returns)}个）"
        for row, names in zip(rows, blank.values(), strict=True)
    )
    assert 0 < len(rows) < len(questions)
    assert f"其余{len(questions) - len(rows)}个问题，各单位均已填报。" in [p.text for p in report.paragraphs]
    # the other warnings, all of the year: the year said once under their table, the warnings whole
    with language("zh"):
        others = tables.other_warnings_table(data)
        where, what = tables.header("where"), tables.header("what")
    assert set(others[where]) == {str(YEAR)} and len(others) == 2
    warned = next(t for t in report.tables if cells(t)[0] == [what])
    assert [row[0] for row in cells(warned)[1:]] == list(others[what])
    assert f"{where}：{YEAR}" in [p.text for p in report.paragraphs]
