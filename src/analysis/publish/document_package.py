"""The saved Word file, the same bytes for the same returns: core properties fixed (the title, the
office, SOURCE_DATE_EPOCH or a constant date, revision 1, no last-modified-by), the font table with
each face's fallback (Word has no CSS-like list: 仿宋_GB2312 names FangSong as its w:altName), and
the zip written again with one date, one order and one set of attributes for every entry
(python-docx writes the current time into it).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx.document import Document
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn

from analysis.publish.document_layout import FALLBACKS, LANGS, LATIN, SONG, XIAOBIAOSONG
from analysis.publish.workbook_xlsx import created_time
from analysis.store import write_atomic


def font_table(lang: str) -> bytes:
    """word/fontTable.xml: each face the styles name, with a face of its family for machines without it."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    fonts = [
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"roman" if name in (SONG, XIAOBIAOSONG) else "modern"}"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for name, alt in FALLBACKS.items()
    ]
    fonts.append(
        f'<w:font w:name="{LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/>'
        '<w:pitch w:val="variable"/></w:font>'
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return f'{head}<w:fonts xmlns:w="{w}">{"".join(fonts)}</w:fonts>'.encode()


APP = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def stable_zip(data: bytes, moment: dt.datetime, replace: dict[str, bytes]) -> bytes:
    """The saved package written again: parts in one order ([Content_Types].xml first), each with the
    same date and attributes, and the parts in `replace` given their fixed bytes."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            target.writestr(info, replace.get(name, source.read(name)), compresslevel=6)
    return out.getvalue()


def document_bytes(document: Document, lang: str, title: str, author: str = "") -> bytes:
    """The document as saved: core properties fixed (title, author, the build's date, revision 1,
    no last-modified-by), the font table with its fallbacks, the package made byte-stable."""
    moment = created_time()
    properties = document.core_properties
    properties.title, properties.author, properties.comments = title, author, ""
    properties.created = properties.modified = moment.replace(tzinfo=None)
    properties.revision, properties.language = 1, LANGS[lang]
    element = properties._element
    for tag in ("cp:lastModifiedBy", "cp:lastPrinted"):
        for found in element.findall(qn(tag)):
            element.remove(found)
    buffer = io.BytesIO()
    document.save(buffer)
    fixed = {"word/fontTable.xml": font_table(lang), "docProps/app.xml": APP}
    return stable_zip(buffer.getvalue(), moment, fixed)


def with_body(saved: bytes, document: Document) -> bytes:
    """`saved` (this document's `document_bytes`) with the body the document has now: the next letter
    of a year, without writing every other part (styles, fonts, footers) again."""
    return stable_zip(saved, created_time(), {"word/document.xml": serialize_part_xml(document.element)})


def write_document(document: Document, path: Path, lang: str, title: str, author: str = "") -> Path:
    """Save `document` at `path` (beside it, then renamed: a reader never sees half a file)."""
    data = document_bytes(document, lang, title, author)
    write_atomic(path, lambda tmp: tmp.write_bytes(data))
    return path
