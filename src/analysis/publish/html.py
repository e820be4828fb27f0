"""The sections of a year page, each displayed by one notebook cell, from the templates in
`templates/sections/`.

Python gathers what a section shows (sentences, tables of text, lists of unit names) and the
template sets it in markup. Everything taken from the data (unit names above all) is escaped
by the template: a unit name is text, never markup. The one exception is the office's
commentary, which `analysis.publish.commentary` has already rendered with raw HTML escaped.

Every section is drawn in the page's language (`wording.language`, set by the notebook per page).
"""

from __future__ import annotations

from markupsafe import Markup

from analysis.paths import WORKBOOK
from analysis.publish.chart_links import link_words
from analysis.publish.chart_units import units_words
from analysis.publish.figure_words import figure_text, form_label, row_label
from analysis.publish.gap_words import gap_title, many_units_pointer, quality_pointer
from analysis.publish.load import ReportData
from analysis.publish.numbering import figure_number, source_line, table_caption, table_number
from analysis.publish.pages import render
from analysis.publish.parts import inputs_data, kept, link_heading, names_kept_in, section_heading, table_data
from analysis.publish.shapes import (
    by_unit_type,
    gap_row,
    gaps,
    lists_in_full,
    named,
    share_units,
    shown_units,
    unit_changes,
    unit_types,
)
from analysis.publish.tables import (
    breach_table,
    change_header,
    figure_columns,
    glance_table,
    header,
    inputs_table,
    link_table,
    no_answer_table,
    other_warnings_table,
    parameters_table,
    phone_rows,
    rule_table,
    software_table,
    type_table,
    year_header,
)
from analysis.publish.text import (
    change_items,
    indicator_sentence,
    no_answer_sentence,
    paragraph_sentences,
    processed_status,
    small_base_note,
    sub_base_sentence,
)
from analysis.publish.wording import form_words, in_language, say, shows_form_words


def section_markdown(section: str, number: int, data: ReportData | None = None) -> str:
    """A numbered section heading and its explanation, as the Markdown the notebook displays."""
    intro = _compared_intro(data, section) if data is not None and data.skips_years else None
    if data is not None and section == "units" and not lists_in_full(data):
        intro = say("section.units.intro_summary")
    return section_heading(
        number,
        section_title(section),
        intro if intro is not None else say(f"section.{section}.intro"),
        _paper_intro(data, section),
    )


def _paper_intro(data: ReportData | None, section: str) -> str:
    """The links' explanation as printed: no charts on paper (report.css), so none announced."""
    if section != "links":
        return ""
    if data is not None and data.skips_years:
        return say("compare.links_intro_document", previous=data.previous_year)
    return say("section.links.intro_document")


def _compared_intro(data: ReportData, section: str) -> str | None:
    """A section's explanation naming the year compared with, where the usual one says "the year before"."""
    if section == "links":
        return say("compare.links_intro", previous=data.previous_year)
    if section == "problems":
        return say("compare.problems_intro", previous=data.previous_year)
    return None


def section_title(section: str) -> str:
    """A notebook section's title in the page's language ("" where the language writes none)."""
    return say(f"section.{section}.title")


def captioned(table: dict, data: ReportData, key: str, title: str) -> dict:
    """A table with its number and title above it and its source under it."""
    return {**table, "caption": table_caption(data, key, title), "source": source_line(data)}


def headline_html(data: ReportData) -> str:
    """Units surveyed, the three links at a glance, and what changed since the previous year."""
    new, gone = unit_changes(data)
    return render(
        "sections/headline.html.j2",
        year=data.year,
        previous=data.previous_year,
        surveyed=indicator_sentence(data, "units_surveyed"),
        sentences=paragraph_sentences(data, data.catalogue.headline()),
        glance=captioned(
            phone_rows(
                table_data(glance_table(data), number_columns=figure_columns(data)),
                (header("headline"), *phone_figures(data)),
            ),
            data,
            "glance",
            say("caption.glance", year=data.year),
        ),
        changes=change_items(data) if data.previous_year is not None else [],
        units=len(data.result.returns),
        new=named(data, new),
        gone=named(data, gone),
    )


def link_html(data: ReportData, link: str, part: int = 0, number: int = 0) -> str:
    """One link's section: heading, sentences, the table and the sub-base where there is one.

    `part` is the number of the section the links are in and `number` the link's place in
    it (2 and 1 give "2.1" in English, "（一）" in Chinese); without them the heading has none.
    """
    indicators = data.catalogue.by_link(link)
    populations = sorted({p for i in indicators for p in i.populations} - {"all"})
    rows = data.rows_where(link=link)
    return render(
        "sections/link.html.j2",
        heading=link_heading(data, link, part=part, number=number),
        beside=form_words(data.catalogue.links[link], "label"),
        sentences=paragraph_sentences(data, [i.id for i in indicators]),
        blank=kept(no_answer_sentence(data, [i.id for i in indicators]), data.unit_names),
        figures=captioned(
            phone_rows(
                table_data(link_table(data, link), number_columns=figure_columns(data)),
                (header("indicator"), *phone_figures(data)),
            ),
            data,
            f"link:{link}",
            link_words(data, link),
        ),
        sub_bases=[sub_base_sentence(data, p) for p in populations],
        small_base=small_base_note(data, rows),
        behind=units_behind(data, link),
        printed=say(
            "units_behind.printed",
            problems=section_title("problems"),
        ),
    )


def phone_figures(data: ReportData) -> tuple[str, ...]:
    """The figures a phone shows on a table's first line: this year's and the change."""
    return (year_header(data.year), *((change_header(data),) if data.previous_year is not None else ()))


def units_behind(data: ReportData, link: str) -> list[dict]:
    """Each share of the link with the units it counts and those it does not, for its <details>."""
    shown = []
    in_full = lists_in_full(data)
    for share in share_units(data, link):
        row = data.rows_where(indicator=share.indicator, population=share.population)[0]
        summary = say(
            "units_behind.summary",
            label=row_label(data, row),
            figure=figure_text(row, small=data.catalogue.small_base),
        )
        if not in_full:  # counts only: the names are in the workbook
            counts = say(
                "many_units.details",
                yes=len(share.counted),
                no=len(share.said_no),
                blank=len(share.no_answer),
            )
            shown.append(
                {
                    "summary": summary,
                    "counts": counts,
                    "pointer": say("many_units.details_pointer", workbook=WORKBOOK),
                    "groups": [],
                }
            )
            continue
        shown.append(
            {
                "summary": summary,
                "pointer": None,
                "groups": [
                    (say("units_behind.counted", count=len(share.counted)), share.counted),
                    (say("units_behind.said_no", count=len(share.said_no)), share.said_no),
                    (say("units_behind.no_answer", count=len(share.no_answer)), share.no_answer),
                ],
            }
        )
    return shown


def problems_html(data: ReportData) -> str:
    """For each gap: how many units, which ones, who gave no answer, who said yes last year."""
    found = [
        {
            "title": gap_title(data, gap),
            "beside": form_label(data, gap_row(data, gap)) if shows_form_words() else "",
            "units": named(data, gap.units),
            "no_answer": named(data, gap.no_answer),
            "no_answer_count": len(gap.no_answer),
            "yes_last_year": named(data, gap.yes_last_year),
        }
        for gap in gaps(data)
    ]
    pointer = None if lists_in_full(data) else many_units_pointer(data)
    return render("sections/problems.html.j2", gaps=found, previous=data.previous_year, pointer=pointer)


def units_table_html(data: ReportData) -> str:
    """The units x questions matrix as text, for readers who search or cannot see the chart;
    above the catalogue's `unit_lists_up_to` units, the rows of the units with the most gaps."""
    matrix = shown_units(data)
    columns = [data.instrument.field(f).short_zh or data.instrument.field(f).label_zh for f in matrix.columns]
    marks = {
        "yes": say("units_table.yes"),
        "no": say("units_table.no"),
        "no answer": say("units_table.no_answer"),
    }
    rows = [
        (unit, [marks[a] for a in answers])
        for unit, answers in zip(matrix.index, matrix.itertuples(index=False), strict=True)
    ]
    unasked = [
        in_language(data.instrument.field(f), "label")
        for f in data.instrument.names("yes_no")
        if f not in matrix.columns
    ]
    not_asked = (
        say("units_table.not_asked", year=data.year, questions=say("list.items").join(unasked))
        if unasked
        else ""
    )
    return render(
        "sections/units_table.html.j2",
        columns=columns,
        rows=rows,
        not_asked=not_asked,
        caption=table_caption(data, "units", units_words(data)),
        source=source_line(data),
        printed=say(
            "units_table.printed",
            table=say("caption.table_ref", number=table_number(data, "units")),
            figure=say("caption.figure_ref", number=figure_number(data, "units")),
        ),
    )


def units_summary_html(data: ReportData) -> str:
    """A year with too many units to show one row each: why, where every unit is, and each
    share's answers by kind of unit (单位类别); the units with the most gaps follow it."""
    kinds = unit_types(data)
    return render(
        "sections/units_summary.html.j2",
        pointer=many_units_pointer(data),
        types=table_data(
            type_table(data, by_unit_type(data), kinds), number_columns=(), css="report-table by-kind"
        ),
        most_gaps=say(
            "many_units.most_gaps_heading", count=min(data.catalogue.units_named, len(data.result.returns))
        ),
    )


def data_quality_html(data: ReportData) -> str:
    """No answers per question, consistency breaches by unit, and every other warning.

    Above the catalogue's `unit_lists_up_to` units, each list and table is cut to `units_named`
    names or rows, says how many it has, and the section says where the whole lists are.
    """
    breaches, others = breach_table(data), other_warnings_table(data)
    in_full, cut = lists_in_full(data), data.catalogue.units_named
    return render(
        "sections/data_quality.html.j2",
        no_answers=_names_kept(
            table_data(no_answer_table(data), number_columns=(header("no_answer"),)), data
        ),
        rules=table_data(rule_table(data), number_columns=(header("units_breaking"),)),
        breaches=_names_kept(table_data(breaches if in_full else breaches.head(cut)), data)
        if len(breaches)
        else None,
        others=_names_kept(table_data(others if in_full else others.head(cut)), data)
        if len(others)
        else None,
        breaches_more=_more_rows(len(breaches), cut, in_full),
        others_more=_more_rows(len(others), cut, in_full),
        pointer=None if in_full else quality_pointer(data),
    )


def _names_kept(table: dict, data: ReportData) -> dict:
    """A record table with each unit name in any of its cells kept on one line: this year's units
    and the year before's (a unit missing this year is named in the warnings)."""
    columns = tuple(column["name"] for column in table["columns"])
    return names_kept_in(table, columns, data.unit_names)


def _more_rows(total: int, cut: int, in_full: bool) -> str | None:
    """'20 of 1,638 shown.' under a cut table; None when it shows every row."""
    return None if in_full or total <= cut else say("many_units.more_rows", shown=cut, total=total)


def commentary_html(data: ReportData) -> str:
    """The office's opinions and suggestions (the published report's part three), marked as
    written by people and not computed; or a sentence saying there are none this year."""
    commentary = data.commentary
    return render(
        "sections/commentary.html.j2",
        file=commentary.file if commentary else None,
        html=Markup(commentary.html) if commentary else None,  # rendered by commentary.py, raw HTML escaped
    )


def about_html(data: ReportData) -> str:
    """Inputs with their checksums, the parameters, the software: enough to reproduce the report."""
    return render(
        "sections/about.html.j2",
        previous=data.previous_year,
        before=data.year_before if data.skips_years else None,
        status=processed_status(data),
        inputs=inputs_data(inputs_table(data)),
        parameters=table_data(parameters_table(data)),
        software=table_data(software_table()),
    )
