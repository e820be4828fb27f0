"""The trends page: every year's figures side by side, read from the processed folder.

`notebooks/trends.ipynb` calls `load_pages` first, then one function here per section. The
data (every year's stored tables, read back) is `analysis.publish.trends_data`; this module
says it in words and tables, with the pieces every page kind shares (`figure_words`,
`parts`, `tables`), so a figure, a label or the navigation reads as on the year pages.

Sections are drawn in the page's language (`wording.language`, set by `notebook.show`); the
markup is in `templates/sections/trends_*.html.j2`.
"""

from __future__ import annotations

import pandas as pd

from analysis.figures import trends
from analysis.fingerprint import file_sha256
from analysis.paths import TRENDS, WORKBOOK, page_file
from analysis.publish.figure_words import base_text, named_text
from analysis.publish.figure_words import years_text as years_text  # render.py names the tab by it
from analysis.publish.pages import render
from analysis.publish.parts import (
    inputs_data,
    link_heading,
    names_kept_in,
    page_nav,
    section_heading,
    table_data,
)
from analysis.publish.shapes import Named
from analysis.publish.tables import beside_form_words, header, phone_rows, side_by_side, year_header
from analysis.publish.trends_data import READ_FILES, TrendsData
from analysis.publish.trends_data import load_pages as load_pages  # the notebook's first call
from analysis.publish.trends_data import load_trends as load_trends
from analysis.publish.trends_text import (
    cell_text,
    change_cell,
    form_label,
    indicator_sentence,
    move_cell,
    row_label,
    span,
    unit_word,
)
from analysis.publish.wording import form_words, in_language, say
from analysis.store import year_folder

PAGE = page_file(TRENDS)


# --- the tables --------------------------------------------------------------------------


def link_table(data: TrendsData, link: str) -> pd.DataFrame:
    """One row per figure of the link: each year's figure with its base, the change and the largest move."""
    keys = data.keys(link)
    pairs = [(data.catalogue.get(i), p) for i, p in keys]
    columns = beside_form_words(
        (header("indicator"), header("indicator_zh")),
        [row_label(data, i, p) for i, p in pairs],
        [form_label(data, i, p) for i, p in pairs],
    )
    columns[header("base")] = [base_text(data, p) if i.kind == "share" else unit_word(i) for i, p in pairs]
    by_key = {k: {int(r["year"]): r for r in data.rows(*k)} for k in keys}
    for year in data.years:
        columns[year_header(year)] = [cell_text(by_key[k][year]) for k in keys]
    shares = [i.kind == "share" for i, _ in pairs]
    columns[say("trends.column.change", years=span(data))] = [
        change_cell(data, data.changes[k], s) for k, s in zip(keys, shares, strict=True)
    ]
    columns[say("trends.column.move")] = [
        move_cell(data.changes[k], s) for k, s in zip(keys, shares, strict=True)
    ]
    return pd.DataFrame(columns)


def _figure_columns(data: TrendsData) -> tuple[str, ...]:
    return (
        *map(year_header, data.years),
        say("trends.column.change", years=span(data)),
        say("trends.column.move"),
    )


def membership_table(data: TrendsData) -> pd.DataFrame:
    """Each year: units surveyed, and the units that joined or left since the year before, named."""
    members = trends.membership(data.returns)
    first = say("trends.membership.first_year")
    rows = []
    for i, year in enumerate(data.years):
        joined = list(members[members["year"].eq(year) & members["change"].eq("joined")]["unit_name"])
        left = list(members[members["year"].eq(year) & members["change"].eq("left")]["unit_name"])
        rows.append(
            {
                say("index.year"): say("index.year_cell", year=year),
                say("trends.column.surveyed"): str(len(data.returns[year])),
                say("trends.column.joined"): _members_cell(data.named(joined)) if i else first,
                say("trends.column.left"): _members_cell(data.named(left)) if i else first,
            }
        )
    return pd.DataFrame(rows)


def _members_cell(units: Named) -> str:
    return (
        say("trends.membership.cell", count=len(units), units=named_text(units))
        if units
        else say("trends.membership.none")
    )


def yes_counts_table(data: TrendsData) -> pd.DataFrame:
    """Units x years: 'k/n', the unit's yes answers out of the questions that year's form asked.

    When the lists are cut (`lists_in_full`), the `units_named` units of the latest year with
    the fewest yes answers that year, fewest first, ties in the table's order: the units to follow up.
    """
    asked = {y: data.asked_questions(y) for y in data.years}
    counts = {y: trends.yes_counts({y: data.returns[y]}, asked[y])[y] for y in data.years}
    units = trends.yes_counts(data.returns, []).index
    if not data.lists_in_full:
        latest = counts[data.years[-1]]
        units = latest.sort_values(kind="stable").index[: data.catalogue.units_named]
    table = {header("unit"): list(units)}
    for year in data.years:
        table[year_header(year)] = [
            say("trends.yes_counts.cell", k=int(counts[year][u]), n=len(asked[year]))
            if u in counts[year].index and not pd.isna(counts[year][u])
            else say("trends.yes_counts.not_surveyed")
            for u in units
        ]
    return pd.DataFrame(table)


def inputs_table(data: TrendsData) -> pd.DataFrame:
    """The processed files read, named from the processed folder, with their SHA-256."""
    files = [year_folder(data.processed_dir, y) / name for y in data.years for name in READ_FILES]
    return pd.DataFrame(
        {
            header("file"): [f"{f.parent.name}/{f.name}" for f in files],
            header("sha256"): [file_sha256(f) for f in files],
            header("bytes"): [str(f.stat().st_size) for f in files],
        }
    )


# --- the sections ------------------------------------------------------------------------


def section_markdown(section: str, number: int, data: TrendsData | None = None) -> str:
    """A numbered section heading and its explanation, as the Markdown the notebook displays
    (given `data` whose lists are cut, the explanation of the cut section instead)."""
    titles = {
        "figures": (say("trends.section.figures.title"), say("trends.section.figures.intro")),
        "turned_no": (say("trends.section.turned_no.title"), say("trends.section.turned_no.intro")),
        "membership": (say("trends.section.membership.title"), say("trends.section.membership.intro")),
        "yes_counts": (say("trends.section.yes_counts.title"), say("trends.section.yes_counts.intro")),
        "about": (say("trends.section.about.title"), say("trends.section.about.intro")),
    }
    title, intro = titles[section]
    if data is not None and not data.lists_in_full and section == "yes_counts":
        intro = say(
            "trends.section.yes_counts.intro_summary", count=data.catalogue.units_named, year=data.years[-1]
        )
    paper = say("trends.section.figures.intro_document") if section == "figures" else ""
    return section_heading(number, title, intro, paper)


def nav_html(data: TrendsData) -> str:
    """Links to the index of the page's language, the latest year's page and the twin page in
    each other language."""
    return page_nav(PAGE, data.lang, next_year=data.years[-1], trends=False)


def title_html(data: TrendsData) -> str:
    """The page's title block, and how to read it."""
    years = span(data)
    intro = (
        say("trends.intro", count=len(data.years), years=years)
        if len(data.years) > 1
        else say("trends.only_one_year", year=data.years[0])
    )
    return render(
        "sections/trends_title.html.j2",
        heading=say("trends.heading", years=years),
        subtitle=say("trends.subtitle_zh", title=data.instrument.title_zh, years=years),
        intro=intro,
    )


def links(data: TrendsData) -> list[str]:
    """The links with figures of their own, in catalogue order (the overview's units surveyed are
    in the membership section)."""
    return [
        link for link in data.catalogue.links if any(i.kind != "units" for i in data.catalogue.by_link(link))
    ]


def link_html(data: TrendsData, link: str, number: int = 0) -> str:
    """One link: a sentence per figure over every unit, and the table of every year's figures."""
    indicators = [i for i in data.catalogue.by_link(link) if "all" in i.populations]
    *years, change, _move = figures = _figure_columns(data)
    return render(
        "sections/trends_link.html.j2",
        heading=link_heading(data, link, part=1, number=number),
        beside=form_words(data.catalogue.links[link], "label"),
        sentences=[indicator_sentence(data, i) for i in indicators],
        figures=phone_rows(
            table_data(link_table(data, link), number_columns=figures, css="report-table years"),
            (header("indicator"), years[-1], change),
        ),
    )


def turned_no_html(data: TrendsData) -> str:
    """Latest year first: for each question, the units that answered yes the year before and no this year."""
    fields = data.instrument.names("yes_no")
    turned = trends.turned_no(data.returns, fields)
    bases = trends.yes_bases(data.returns, fields)
    years = []
    for previous, year in reversed(list(zip(data.years, data.years[1:], strict=False))):
        items = []
        for field in fields:
            units = list(turned[turned["year"].eq(year) & turned["field"].eq(field)]["unit_name"])
            if not units:
                continue
            n = int(bases[bases["year"].eq(year) & bases["field"].eq(field)]["units"].iloc[0])
            question = in_language(data.instrument.field(field), "label")
            items.append(
                {
                    "text": say(
                        "trends.turned.item",
                        question=question,
                        k=len(units),
                        n=n,
                        previous=previous,
                        year=year,
                    ),
                    "units": data.named(units),
                }
            )
        years.append(
            {
                "heading": say("trends.turned.heading", year=year, previous=previous),
                "found": items,
                "none": say("trends.turned.none", previous=previous, year=year),
            }
        )
    only = say("trends.only_one_year", year=data.years[0]) if len(data.years) < 2 else ""
    pointer = "" if data.lists_in_full else many_units_pointer(data)
    return render("sections/trends_turned.html.j2", years=years, only=only, pointer=pointer)


def membership_html(data: TrendsData) -> str:
    """Each year's units surveyed, joined and left; the names marked as Chinese, the page's words not."""
    lists = (say("trends.column.joined"), say("trends.column.left"))  # unit names
    table = table_data(
        membership_table(data),
        number_columns=(say("trends.column.surveyed"),),
        zh_columns=lists,
        own_words=(say("trends.membership.none"), say("trends.membership.first_year")),
    )
    return render(
        "sections/trends_table.html.j2", note="", figures=names_kept_in(table, lists, data.unit_names)
    )


def yes_counts_html(data: TrendsData) -> str:
    """The units x years table of yes answers, cut to the units to follow up when there are many;
    on paper, its second half beside its first (a narrow table on half the pages)."""
    years = tuple(year_header(y) for y in data.years)
    note = "" if data.lists_in_full else many_units_pointer(data)
    table = yes_counts_table(data)
    return render(
        "sections/trends_table.html.j2",
        note=note,
        figures=table_data(table, number_columns=years, css="report-table matrix screen-only"),
        paper=table_data(side_by_side(table), number_columns=years, css="report-table matrix print-only"),
    )


def many_units_pointer(data: TrendsData) -> str:
    """Why the page names only some units, and where every unit's answers are."""
    return say(
        "trends.many_units",
        units=max(len(r) for r in data.returns.values()),
        shown=data.catalogue.units_named,
        workbook=WORKBOOK,
    )


def about_html(data: TrendsData) -> str:
    """The processed files the page was read from, as the year pages list their inputs."""
    return render(
        "sections/trends_table.html.j2",
        note=say("trends.about.inputs"),
        figures=inputs_data(inputs_table(data)),
    )


def link_figure_html(data: TrendsData, link: str) -> str:
    """The link's small charts over the years, with every figure in words."""
    from analysis.publish import charts  # matplotlib only where a chart is drawn

    panels = [data.rows(indicator, population) for indicator, population in data.keys(link)]
    return charts.trend_figure_html(data, link, panels, span(data))
