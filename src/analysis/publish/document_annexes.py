"""The report document's annexes (附件), each from a new page: 附件1 data quality (the questions
some unit left blank, the consistency rules and who breaks them, other warnings), 附件2 how the
report was made (the input files with their SHA-256, the software)."""

from __future__ import annotations

from importlib import metadata

from docx.document import Document

from analysis.publish import document_layout as layout
from analysis.publish.document_numbered import Numbers, captioned_table
from analysis.publish.load import ReportData
from analysis.publish.tables import (
    breach_table,
    header,
    inputs_table,
    no_answer_table,
    other_warnings_table,
    rule_table,
    software_table,
)
from analysis.publish.wording import say


def annex_start(document: Document, number: int, title: str) -> None:
    """'附件1' at the top of a new page, then the annex's title."""
    layout.paragraph(document, say("document.annex_label", number=number), "Annex Label", new_page=True)
    layout.paragraph(document, title, "Title")


def quality_annex(document: Document, data: ReportData, numbers: Numbers, number: int, title: str) -> None:
    """No answers per question, the consistency rules and who breaks them, every other warning."""
    annex_start(document, number, title)
    caption = numbers.next_caption  # numbered after the body's tables
    layout.paragraph(document, say("section.data_quality.intro"))
    blanks = no_answer_table(data)
    someone = blanks[header("units")].astype(bool)  # the questions some unit left blank: the rest in a line
    if someone.any():
        title = say("quality.no_answer_heading")
        captioned_table(document, numbers, caption(title), blanks[someone], (header("no_answer"),))
        if not someone.all():
            layout.paragraph(document, say("document.all_answered", count=int((~someone).sum())))
    else:
        layout.paragraph(document, say("document.none_blank", count=len(blanks)))
    rules = rule_table(data)
    captioned_table(
        document, numbers, caption(say("quality.rules_heading")), rules, (header("units_breaking"),)
    )
    breaches = breach_table(data)
    if len(breaches):
        layout.paragraph(document, say("quality.breaches"))
        captioned_table(document, numbers, caption(say("document.breach_table")), breaches)
    else:
        layout.paragraph(document, say("quality.no_breach"))
    others = other_warnings_table(data)
    if len(others):
        captioned_table(document, numbers, caption(say("quality.other_heading")), others, once=True)
    else:
        said = say("document.labelled", label=say("quality.other_heading"), text=say("quality.no_other"))
        layout.paragraph(document, said)


def about_annex(document: Document, data: ReportData, numbers: Numbers, number: int, title: str) -> None:
    """The input files with their SHA-256 (returns, commentary, report.yaml, aliases), the year
    compared with, and the software that made the document."""
    annex_start(document, number, title)
    caption = numbers.next_caption  # numbered after the body's tables
    layout.paragraph(document, say("section.about.intro"))
    inputs = inputs_table(data)
    title = say("about.inputs_heading")
    captioned_table(document, numbers, caption(title), inputs, (header("bytes"),), widths=(4, 1.2, 5.5))
    if data.previous_year is not None:
        layout.paragraph(document, say("about.previous", previous=data.previous_year))
    else:
        layout.paragraph(document, say("about.no_previous"))
    software = software_table()
    software.loc[len(software)] = ["python-docx", metadata.version("python-docx")]
    captioned_table(document, numbers, caption(say("about.software_heading")), software, (header("version"),))
