"""The year report as the Word document the office sends: `reports/[zh/]<year>.docx`.

Made from the content functions the page is made from (`text`, `tables`, `shapes`, `charts`,
`numbering`, `commentary`), never from the page's HTML, in the order the notebook shows them:
the title; part one, the headline (its sentences, 表1, 图1 the key changes) and each link in its
sentences (its table and chart say them again: the page's and the workbook's only); part two, each
gap's sentence and the units named; part three, the office's opinions and suggestions as
paragraphs it edits; the list of annexes and the signature; then each annex on a new page
(`document_annexes`: data quality, how the report was made). Tables and figures carry the
page's numbers, and the annexes' tables follow on. The layout is `document_layout`'s: the
national standard's.

Without `report.yaml` in the year's folder the document is a draft and says so under its title
and where the signature would be.
"""

from __future__ import annotations

import re
from pathlib import Path

import mistune
import pandas as pd
from docx.document import Document
from docx.shared import Twips

from analysis.intake.issuer import Issuer, read_issuer
from analysis.paths import Paths
from analysis.pipeline import year_folder
from analysis.publish import charts
from analysis.publish import document_layout as layout
from analysis.publish import document_package as package
from analysis.publish import document_tables as word_tables
from analysis.publish.commentary import commentary_path
from analysis.publish.document_annexes import about_annex, quality_annex
from analysis.publish.document_numbered import Numbers, captioned_table
from analysis.publish.figure_words import form_label, named_text
from analysis.publish.gap_words import gap_title
from analysis.publish.load import ReportData, load_pages
from analysis.publish.numbering import figure_caption, figure_keys, source_line, table_caption
from analysis.publish.parts import link_heading
from analysis.publish.shapes import gap_row, gaps, links, named, unit_changes
from analysis.publish.tables import (
    figure_columns,
    glance_table,
)
from analysis.publish.text import (
    change_items,
    indicator_sentence,
    no_answer_sentence,
    paragraph_sentences,
    small_base_note,
)
from analysis.publish.wording import form_words, language, numeral, say, shows_form_words

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_MARKDOWN = mistune.create_markdown(renderer=None)  # the commentary as a tree of blocks


def issuer_of(data: ReportData) -> Issuer | None:
    """The year's report.yaml (a build has already refused one with problems)."""
    folder = year_folder(data.raw_dir, data.year)
    return read_issuer(folder, folder.name, data.year)[0]


def title_of(data: ReportData, issuer: Issuer | None) -> str:
    """The office's own title when report.yaml gives one, else the catalogue's."""
    own = None if issuer is None else issuer.title_zh if data.lang == "zh" else issuer.title_en
    return own or say("title.heading", year=data.year)


def write_documents(year: int, paths: Paths, langs: tuple[str, ...]) -> list[Path]:
    """The year's report as a Word document in each language: the year read once, as the page reads it."""
    charts.setup()
    pages = load_pages(year, raw_dir=paths.raw, processed_dir=paths.processed, lang=" ".join(langs))
    issuer = issuer_of(pages[0])
    written = []
    for data in pages:
        with language(data.lang):
            document = report_document(data, issuer)
            office = "" if issuer is None else issuer.office_zh if data.lang == "zh" else issuer.office_en
            path = paths.document(year, data.lang)
            written.append(package.write_document(document, path, data.lang, title_of(data, issuer), office))
    return written


def report_document(data: ReportData, issuer: Issuer | None) -> Document:
    """The whole report, in the page's language (set by the caller)."""
    document = layout.new_document(data.lang)
    numbers = Numbers()
    title_block(document, data, issuer)
    headline(document, data, numbers)
    link_parts(document, data)
    problems(document, data)
    commentary(document, data)
    document.paragraphs[-1].paragraph_format.keep_with_next = True  # the signature never stands alone
    annexes = [say("document.annex_quality"), say("document.annex_about")]
    indent = Twips(int(word_tables.text_width(say("document.annexes")) + 2) * layout.CHAR)
    for number, annex in enumerate(annexes, start=1):
        item = say("document.annex_item", number=number, title=annex)
        if number == 1:
            listed = layout.paragraph(document, say("document.annexes") + item)
        else:  # under the first item, past "附件："
            listed = layout.paragraph(document, item)
            listed.paragraph_format.first_line_indent = indent
        listed.paragraph_format.keep_with_next = True
    signed(document, data, issuer)
    quality_annex(document, data, numbers, 1, annexes[0])
    about_annex(document, data, numbers, 2, annexes[1])
    return document


def title_block(document: Document, data: ReportData, issuer: Issuer | None) -> None:
    """The title, the form it reads, the draft marking without report.yaml, how to read the figures."""
    layout.paragraph(document, title_of(data, issuer), "Title")
    subtitle = say("title.subtitle_zh", title=data.instrument.title_zh, year=data.year)
    layout.paragraph(document, subtitle, "Subtitle").paragraph_format.space_after = Twips(layout.LINE)
    if issuer is None:
        layout.paragraph(document, say("title.draft"), "Draft Mark")
    if data.previous_year is not None:
        compared = say("title.compared", year=data.year, previous=data.previous_year)
    else:
        compared = say("title.first_year", year=data.year)
    layout.paragraph(document, compared + say("list.space") + say("title.how_to_read").replace("*", ""))


def heading(document: Document, text: str, level: int) -> None:
    layout.paragraph(document, text, f"Heading {level}")


def figures_table(
    document: Document, data: ReportData, numbers: Numbers, caption: str, frame: pd.DataFrame
) -> None:
    """A table of the report's figures as the printed page has it: a column with one value in every
    row (统计范围) said once under it, which leaves the figures their width; then the source."""
    captioned_table(document, numbers, caption, frame, figure_columns(data), once=True)
    source(document, data)


def source(document: Document, data: ReportData) -> None:
    layout.paragraph(document, source_line(data), "Source")


def headline(document: Document, data: ReportData, numbers: Numbers) -> None:
    """Part one's opening: units surveyed, the three links at a glance, what changed, the key changes."""
    heading(document, say("section.heading", number=1, title=say("section.at_a_glance.title")), 1)
    layout.paragraph(document, indicator_sentence(data, "units_surveyed"))
    for sentence in paragraph_sentences(data, data.catalogue.headline()):
        layout.paragraph(document, sentence)
    caption = table_caption(data, "glance", say("caption.glance", year=data.year))
    figures_table(document, data, numbers, caption, glance_table(data))
    if data.previous_year is None:
        first = say("headline.what_changed") + say("list.space") + say("headline.first_year", year=data.year)
        layout.paragraph(document, first)
        return
    layout.paragraph(document, say("headline.what_changed_since", previous=data.previous_year))
    for item in change_items(data):
        layout.paragraph(document, item)
    new, gone = unit_changes(data)
    if not new and not gone:
        layout.paragraph(document, say("headline.same_units", units=len(data.result.returns)))
    if new:
        said = say("headline.new_units", year=data.year, count=len(new))
        layout.paragraph(document, said + named_text(named(data, new)))
    if gone:
        said = say("headline.gone_units", year=data.year, previous=data.previous_year, count=len(gone))
        layout.paragraph(document, said + named_text(named(data, gone)))
    if "changes" in figure_keys(data):
        title = say("caption.changes", year=data.year, previous=data.previous_year)
        title = figure_caption(data, "changes", title)
        figure = charts.changes_chart_paper(data)
        if figure is not None:
            chart(document, data, figure, charts.changes_alt(data, title), title)


def chart(document: Document, data: ReportData, figure: object, alt: str, caption: str) -> None:
    """A chart as its picture, its caption (the number and title it draws) and its source under it."""
    layout.picture(document, figure, alt, width=1.0, height=0.7)  # drawn for paper: printed at its size
    layout.caption(document, caption)
    source(document, data)


def link_parts(document: Document, data: ReportData) -> None:
    """Each link: its heading, its sentences (every share with its base and its change) and who gave
    no answer, as the genre reports them. Not its table or chart: the sentences say each figure, and
    on paper they would say them again at the length of a page (the page and the workbook keep them)."""
    title = say("section.links.title")
    if title:
        heading(document, say("section.heading", number=2, title=title), 1)
    layout.paragraph(document, say("document.links_intro"))
    for number, link in enumerate(links(data), start=1):
        beside = form_words(data.catalogue.links[link], "label")
        said = link_heading(data, link, part=2, number=number)
        heading(document, f"{said} {beside}" if beside else said, 2)
        indicators = [i.id for i in data.catalogue.by_link(link)]
        for sentence in paragraph_sentences(data, indicators):
            layout.paragraph(document, sentence)
        for note in (no_answer_sentence(data, indicators), small_base_note(data, data.rows_where(link=link))):
            if note:
                layout.paragraph(document, note)


def problems(document: Document, data: ReportData) -> None:
    """Part two: each gap's sentence, the units that answered no, then those apart (no answer, yes
    the year before); the names set as a list under the sentence, as the page sets them."""
    heading(document, say("section.heading", number=3, title=say("section.problems.title")), 1)
    layout.paragraph(document, say("section.problems.intro"))
    found = gaps(data)
    if not found:
        layout.paragraph(document, say("problems.none"))
    for gap in found:
        beside = f" {form_label(data, gap_row(data, gap))}" if shows_form_words() else ""
        layout.paragraph(document, gap_title(data, gap) + beside).paragraph_format.keep_with_next = True
        layout.paragraph(document, named_text(named(data, gap.units)), "Unit List")
        notes = []
        if gap.no_answer:
            said = say("problems.no_answer", count=len(gap.no_answer))
            notes.append(said + named_text(named(data, gap.no_answer)))
        if gap.yes_last_year:
            said = say("problems.yes_last_year", previous=data.previous_year)
            notes.append(said + named_text(named(data, gap.yes_last_year)))
        if notes:
            layout.paragraph(document, say("list.sentences").join(notes) + say("list.end"), "Unit List")


def commentary(document: Document, data: ReportData) -> None:
    """Part three: the office's own Markdown as headings and paragraphs it edits; none, the page's words."""
    heading(document, say("section.heading", number=4, title=say("section.commentary.title")), 1)
    if data.commentary is None:
        layout.paragraph(document, say("commentary.none"))
        return
    path = commentary_path(year_folder(data.raw_dir, data.year), data.lang)
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    headings = 0
    for kind, said in markdown_blocks(_MARKDOWN(text)):
        if kind == "heading":
            headings += 1
            heading(document, say("document.part_heading", part=4, number=numeral(headings), title=said), 2)
        elif kind == "subheading":
            heading(document, said, 3)
        else:
            layout.paragraph(document, said)


def markdown_blocks(tokens: list[dict]) -> list[tuple[str, str]]:
    """Markdown blocks as (kind, plain text): headings (level 1-2 'heading', deeper 'subheading')
    and paragraphs; a list item is a paragraph of its own, numbered in an ordered list."""
    blocks: list[tuple[str, str]] = []
    for token in tokens:
        kind = token["type"]
        if kind == "heading":
            level = token["attrs"]["level"]
            blocks.append(("heading" if level <= 2 else "subheading", inline_text(token["children"])))
        elif kind in ("paragraph", "block_text"):
            blocks.append(("paragraph", inline_text(token["children"])))
        elif kind == "block_code":
            blocks.append(("paragraph", token["raw"].rstrip("\n")))
        elif kind == "list":
            for number, item in enumerate(token["children"], start=1):
                inner = markdown_blocks(item["children"])
                if token["attrs"].get("ordered") and inner:
                    inner[0] = (inner[0][0], f"{number}. {inner[0][1]}")
                blocks += inner
        elif "children" in token:
            blocks += markdown_blocks(token["children"])
    return [(kind, said) for kind, said in blocks if said.strip()]


def inline_text(tokens: list[dict]) -> str:
    """Inline Markdown as the text a reader sees: a link as its text with the address beside it (as
    the page shows it, never a link), an image as its text, raw HTML as text."""
    parts = []
    for token in tokens:
        kind = token["type"]
        if kind in ("text", "codespan", "inline_html"):
            parts.append(token.get("raw", ""))
        elif kind == "softbreak":
            parts.append("\n")
        elif kind == "linebreak":
            parts.append("\v")
        elif kind == "link":
            shown, url = inline_text(token["children"]), token["attrs"].get("url", "")
            parts.append(shown if url in (shown, "") else f"{shown} ({url})")
        elif "children" in token:
            parts.append(inline_text(token["children"]))
    joined = re.sub(f"(?<=[{_CJK}])\n(?=[{_CJK}])", "", "".join(parts))  # a Chinese line break is no space
    return joined.replace("\n", " ").replace("\v", "\n")


def signed(document: Document, data: ReportData, issuer: Issuer | None) -> None:
    """The issuing office and the date written; a draft says they are still to come."""
    if issuer is None:
        layout.paragraph(document, say("document.unsigned", year=data.year))
        return
    office = issuer.office_zh if data.lang == "zh" else issuer.office_en
    layout.signature(document, office, layout.date_text(issuer.date))
