"""The office's document layout (GB/T 9704-2012) for the Word files it sends: the year report and
the letters to the units.

A reviewer compares our file with the documents on their desk, and the office edits it, so the
layout is the standard's (`../shared/spec/official-format.md`) and every part is what Word calls
it: A4 with the standard's margins, 22 lines of 28 characters (an exact line pitch and Word's
document grid), real heading styles, real tables whose header row repeats, pictures with their
text alternative, "— 1 —" page numbers right on odd pages and left on even ones.

Word has no fallback list as CSS has: each face is named once (East Asian text through
`w:eastAsia`) and the font table names a face of the same family for a machine that lacks it
(仿宋_GB2312 -> FangSong ...). What python-docx cannot say is set on its XML here, once.

The template's thumbnail, bibliography and Word 2010 style copy are dropped, and its 160 styles cut
to those used. Tables are `document_tables`'; the saved file, byte-stable, `document_package`'s.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, replace

import docx
import PIL.Image
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Twips
from docx.text.paragraph import Paragraph
from matplotlib.figure import Figure

from analysis.publish.wording import say

# --- the page (twips: 1/20 point; 1 mm = 56.7 twips) ----------------------------------------------
PAGE = (11906, 16838)  # A4
MARGINS = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}  # 37, 35, 28 and 26 mm
TEXT_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]  # 156 mm
TEXT_HEIGHT = PAGE[1] - MARGINS["top"] - MARGINS["bottom"]  # 225 mm
LINE = 579  # 22 lines in the 225 mm block: 28.95 pt, an exact line pitch
GRID = "lines"  # Word's document grid: the line pitch only (a character grid spaces text out in LibreOffice)
CONDENSED = -5  # 28 characters of 16 pt in 156 mm: each 0.25 pt narrower (twentieths of a point)
FOOTER = 1247  # the page number's line 7 mm below the block (from the page's foot, 22 mm)

# --- the type (points: 二号 22, 三号 16, 四号 14, 五号 10.5) -------------------------------------
BODY, TITLE, PAGE_NUMBER, CAPTION, TABLE = 16, 22, 14, 14, 10.5
FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONG = "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"  # Arabic numerals and Latin text beside the Chinese
# A face the offices' machines may lack -> one of the same family that Windows has (w:altName).
FALLBACKS = {FANGSONG: "FangSong", KAITI: "KaiTi", HEITI: "SimHei", XIAOBIAOSONG: "SimSun", SONG: "SimSun"}
TABLE_LINE, CAPTION_LINE, LIST_LINE = 250, 400, 250  # exact pitches off the page's grid: 12.5, 20, 12.5 pt
LIST = TABLE  # 五号: the units named under a sentence, a list read as a table is, not prose
CHAR = BODY * 20  # one character of body text, in twips: indents are counted in characters
DPI = 150  # the charts' pictures: over 200 dots an inch at the width they are printed
CHART_WIDTH = 0.62  # of the text's width: a chart's 10-10.5 pt words print at about 7 pt
CHART_HEIGHT = 0.55  # of the text block's height at most: half a page of text still stands with it
PAGE_MARK = "\0"  # where the PAGE field goes in the page number's words
DEFAULT_STYLES = ("TableGrid", "TableNormal", "DefaultParagraphFont", "NoList")
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
LANGS = {"zh": "en-US", "en": "en-GB"}  # the language of Latin text (digits): East Asian text is zh-CN


@dataclass(frozen=True)
class Look:
    """One paragraph style: its face, size and place on the line."""

    face: str
    size: float
    bold: bool = False
    align: str = "both"  # w:jc
    first_line: int = 0  # characters
    right: int = 0  # characters from the right margin
    line: int | None = LINE  # exact pitch in twips; None: single spacing, off the grid (tables, pictures)
    before: int = 0
    after: int = 0
    keep_next: bool = False
    outline: int | None = None  # a heading's level, for the navigation pane


STYLES = {
    "Normal": Look(FANGSONG, BODY, first_line=2),
    "Title": Look(XIAOBIAOSONG, TITLE, align="center", after=LINE),
    "Subtitle": Look(KAITI, BODY, align="center"),
    "Heading 1": Look(HEITI, BODY, first_line=2, keep_next=True, outline=0),
    "Heading 2": Look(KAITI, BODY, first_line=2, keep_next=True, outline=1),
    "Heading 3": Look(FANGSONG, BODY, bold=True, first_line=2, keep_next=True, outline=2),
    "Caption": Look(HEITI, CAPTION, align="center", line=CAPTION_LINE, before=60, after=60, keep_next=True),
    "Footer": Look(SONG, PAGE_NUMBER, align="right", line=None),
    "Draft Mark": Look(HEITI, BODY, align="center", after=LINE),
    "Addressee": Look(FANGSONG, BODY, align="left"),
    "Annex Label": Look(HEITI, BODY, align="left"),
    "Signature": Look(FANGSONG, BODY, align="right", right=4),
    "Figure": Look(FANGSONG, BODY, align="center", line=None, keep_next=True),
    "Source": Look(FANGSONG, TABLE, align="left", line=TABLE_LINE, after=120),
    "Unit List": Look(FANGSONG, LIST, align="left", line=LIST_LINE),
    "Table Text": Look(FANGSONG, TABLE, align="left", line=TABLE_LINE),
    "Table Number": Look(FANGSONG, TABLE, align="center", line=TABLE_LINE),
    "Table Heading": Look(FANGSONG, TABLE, bold=True, align="center", line=TABLE_LINE),
}


def _element(tag: str, **attributes: str) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def run_properties(face: str, size: float, bold: bool = False, lang: str = "zh") -> OxmlElement:
    """w:rPr naming the East Asian face and the Latin one apart: Word reads `eastAsia` for Chinese."""
    rpr = OxmlElement("w:rPr")
    rpr.append(_element("w:rFonts", ascii=LATIN, hAnsi=LATIN, eastAsia=face, cs=LATIN))
    if bold:
        rpr.extend([_element("w:b"), _element("w:bCs")])
    rpr.append(_element("w:color", val="000000"))
    if lang == "zh" and size == BODY:  # 28 characters to the 156 mm line, not 27
        rpr.append(_element("w:spacing", val=str(CONDENSED)))
    rpr.extend([_element("w:sz", val=str(round(size * 2))), _element("w:szCs", val=str(round(size * 2)))])
    rpr.append(_element("w:lang", val=LANGS[lang], eastAsia="zh-CN"))
    return rpr


def paragraph_properties(look: Look) -> OxmlElement:
    """w:pPr in the schema's order: keep with next, no space between Chinese and figures, grid,
    spacing, indents, alignment, level."""
    ppr = OxmlElement("w:pPr")
    if look.keep_next:
        ppr.append(_element("w:keepNext"))
    ppr.extend([_element("w:autoSpaceDE", val="0"), _element("w:autoSpaceDN", val="0")])
    if look.line != LINE:
        ppr.append(_element("w:snapToGrid", val="0"))
    if look.line is None:
        spacing = {"line": "240", "lineRule": "auto"}
    else:
        spacing = {"line": str(look.line), "lineRule": "exact"}
    ppr.append(_element("w:spacing", before=str(look.before), after=str(look.after), **spacing))
    indents = {"left": "0", "right": str(look.right * CHAR), "firstLine": str(look.first_line * CHAR)}
    if look.first_line:
        indents["firstLineChars"] = str(look.first_line * 100)
    if look.right:
        indents["rightChars"] = str(look.right * 100)
    ppr.append(_element("w:ind", **indents))
    ppr.append(_element("w:jc", val=look.align))
    if look.outline is not None:
        ppr.append(_element("w:outlineLvl", val=str(look.outline)))
    return ppr


def style_id(name: str) -> str:
    """A style's id, as python-docx makes it from the name: set directly, since python-docx's own
    lookup reads every style of the document for each paragraph (2 ms each, seconds a report)."""
    return name.replace(" ", "")


def styled(paragraph: Paragraph, name: str) -> Paragraph:
    """The paragraph in the style of that name (Normal is every paragraph's without saying so)."""
    if name != "Normal":
        paragraph._p.style = style_id(name)
    return paragraph


def _set_styles(document: Document, lang: str) -> None:
    """Every style the documents use, its properties replaced whole: the template's theme fonts and
    colours would otherwise win over the faces named here."""
    styles = document.styles
    named = {style.name: style for style in styles}  # python-docx finds a style by reading them all
    for name, look in STYLES.items():
        if lang != "zh":  # Latin text: ragged right (justified English opens gaps), headings in bold
            look = replace(look, align="left" if look.align == "both" else look.align)
            look = replace(look, bold=look.bold or name.startswith("Heading"))
        style = named[name] if name in named else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if style.style_id != style_id(name):  # `styled` sets ids, not names: they must agree
            raise ValueError(f"style {name!r} has the id {style.style_id!r}")
        element = style.element
        for old in element.findall(qn("w:pPr")) + element.findall(qn("w:rPr")):
            element.remove(old)
        element.append(paragraph_properties(look))
        element.append(run_properties(look.face, look.size, look.bold, lang))
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault"))
    rpr.remove(rpr.find(qn("w:rPr")))
    rpr.append(run_properties(FANGSONG, BODY, lang=lang))
    ppr = defaults.find(qn("w:pPrDefault"))
    ppr.remove(ppr.find(qn("w:pPr")))
    ppr.append(paragraph_properties(STYLES["Normal"]))


def _prune_styles(document: Document) -> None:
    """Only the styles the documents use (and the defaults Word expects): the template's 160 styles
    and 276 latent ones are 350 kB the office never needs, written into every letter."""
    root = document.styles.element
    kept = {style_id(name) for name in STYLES} | set(DEFAULT_STYLES)
    for element in root.findall(qn("w:latentStyles")):
        root.remove(element)
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in kept:
            root.remove(style)
            continue
        for element in style.findall(qn("w:link")) + style.findall(qn("w:rsid")):
            style.remove(element)


def _set_page(document: Document, lang: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE[0]), Twips(PAGE[1])
    section.top_margin, section.bottom_margin = Twips(MARGINS["top"]), Twips(MARGINS["bottom"])
    section.left_margin, section.right_margin = Twips(MARGINS["left"]), Twips(MARGINS["right"])
    section.header_distance, section.footer_distance = Twips(851), Twips(FOOTER)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.attrib.clear()
    if GRID:
        grid.set(qn("w:type"), GRID)
    grid.set(qn("w:linePitch"), str(LINE))
    document.settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders
    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:eastAsia"), "zh-CN")
    _page_number(section.footer.paragraphs[0], "right")
    _page_number(section.even_page_footer.paragraphs[0], "left")


def _page_number(paragraph: Paragraph, side: str) -> None:
    """'— 1 —', one character in from the outer edge: a PAGE field between the catalogue's dashes."""
    styled(paragraph, "Footer")
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(_element("w:ind", **{side: str(PAGE_NUMBER * 20)}))
    ppr.append(_element("w:jc", val=side))
    before, after = say("document.page_number", page=PAGE_MARK).split(PAGE_MARK)
    paragraph.add_run(before)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            run._r.append(_element("w:fldChar", fldCharType=kind))
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text
    paragraph.add_run(after)


def new_document(lang: str) -> Document:
    """An empty document in the office's layout, in `lang` (the styles, the page, the page numbers)."""
    document = docx.Document()
    package = document.part.package
    dropped = (RT.THUMBNAIL, RT.CUSTOM_XML, STYLES_WITH_EFFECTS)  # a preview, a bibliography, a copy
    for rels in (package.rels, document.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in dropped]:
            rels.pop(rid)
    _set_styles(document, lang)
    _prune_styles(document)
    _set_page(document, lang)
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    return document


def clear_body(document: Document) -> None:
    """Everything but the section's properties: a document reused for the next letter."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def paragraph(document: Document, text: str, style: str = "Normal", new_page: bool = False) -> Paragraph:
    """A paragraph of text in one of STYLES; line breaks in `text` stay line breaks. `new_page`:
    it starts a page, as an annex (附件) does."""
    made = styled(document.add_paragraph(clean(text)), style)
    if new_page:
        made.paragraph_format.page_break_before = True
    return made


def caption(document: Document, text: str) -> Paragraph:
    """'表1 …' above a table or '图1 …' under a picture; kept with what it names."""
    return styled(document.add_paragraph(clean(text)), "Caption")


CELL_MARGINS = (("top", 20), ("left", 57), ("bottom", 20), ("right", 57))  # twips
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text as a document may hold it: a control character (not XML) dropped."""
    return _NOT_XML.sub("", text)


def picture(
    document: Document, figure: Figure, alt: str, width: float = CHART_WIDTH, height: float = CHART_HEIGHT
) -> Paragraph:
    """The figure as a PNG (fixed dpi, no software named in it, so the bytes are stable; compressed
    lightly, as the package's zip compresses it again), `width` of the text's width and never taller
    than `height` of the text block, so that it shares its page with the text it belongs to; the
    chart's text alternative is the picture's (wp:docPr descr)."""
    buffer = io.BytesIO()
    light = {"compress_level": 1}
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        metadata={"Software": None},
        pil_kwargs=light,
        bbox_inches="tight",
        pad_inches=0.05,
    )
    pixels_wide, pixels_high = PIL.Image.open(buffer).size
    buffer.seek(0)
    wide = Twips(int(TEXT_WIDTH * width))
    high = Emu(int(wide * pixels_high / pixels_wide))
    tallest = Twips(int(TEXT_HEIGHT * height))
    if high > tallest:
        wide, high = Emu(int(wide * tallest / high)), tallest
    holder = styled(document.add_paragraph(), "Figure")
    shape = holder.add_run().add_picture(buffer, width=wide, height=high)
    inline = shape._inline
    inline.docPr.set("descr", alt)
    inline.graphic.graphicData.pic.nvPicPr.cNvPr.set("descr", alt)
    return holder


def signature(document: Document, office: str, date: str) -> None:
    """The issuing office and the date written, right-aligned four characters in, one line below the
    text (GB/T 9704-2012 7.3.5.3: 正文下空一行)."""
    first = paragraph(document, office, "Signature")
    first.paragraph_format.space_before = Twips(LINE)
    first.paragraph_format.keep_together = True  # an office's name on two lines, and the date under it,
    first.paragraph_format.keep_with_next = True  # on one page
    paragraph(document, date, "Signature")


def date_text(day: dt.date) -> str:
    """'2005年1月28日', '28 January 2005': the date as the genre writes it (the page's words)."""
    months = say("issuer.months").split()
    month = months[day.month - 1] if months else ""
    return say("issuer.date", year=day.year, number=day.month, month=month, day=day.day)
