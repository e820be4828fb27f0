"""The pieces every page kind is built of: year, compare, trends and index pages alike.

A table of text as the templates take it, a numbered section heading, a link's heading, the
navigation at the top of a page, the table of the files a page was made from, and the title
a browser tab shows. Each page kind gives these its own values (which years are either
side, which files it read) and no page draws them its own way, so they read the same on each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
from markupsafe import Markup, escape

from analysis.paths import INDEX, TRENDS, page_file
from analysis.publish.figure_words import Catalogued, years_text
from analysis.publish.index import page_href, twin_links
from analysis.publish.pages import render
from analysis.publish.tables import ZH_COLUMNS, header
from analysis.publish.wording import in_language, numeral, say


def table_data(
    frame: pd.DataFrame,
    number_columns: tuple[str, ...] = (),
    css: str = "report-table",
    zh_columns: tuple[str, ...] = (),
    own_words: tuple[str, ...] = (),
) -> dict:
    """A table of text as the `table` macro takes it: each cell with whether it is Chinese or a figure.

    The catalogue's Chinese columns (`tables.ZH_COLUMNS`) are marked, and so are `zh_columns`
    (unit names) but for their cells that read `own_words`, the page's words ('none').
    """
    chinese = {header(key) for key in ZH_COLUMNS}
    columns = [{"name": column, "number": column in number_columns} for column in frame.columns]
    rows = [
        [
            {
                "text": value,
                "zh": bool(value)
                and (column in chinese or (column in zh_columns and value not in own_words)),
                "number": column in number_columns,
            }
            for column, value in zip(frame.columns, values, strict=True)
        ]
        for values in frame.itertuples(index=False)
    ]
    return {"css": css, "columns": columns, "rows": rows, "caption": None, "source": None}


def kept(text: str | None, names: Iterable[str]) -> Markup | str | None:
    """`text` with each unit name of `names` in it kept on one line (report.css: .unit), escaped:
    a name is text, never markup."""
    return _kept(text, _names_pattern(names))


def names_kept_in(table: dict, columns: tuple[str, ...], names: Iterable[str]) -> dict:
    """`table` (from `table_data`) with the unit names in its `columns` kept on one line each: the
    names read into one pattern once, not once a cell (a year of thousands of units)."""
    pattern = _names_pattern(names)
    at = [i for i, column in enumerate(table["columns"]) if column["name"] in columns]
    rows = [
        [{**c, "text": _kept(c["text"], pattern)} if i in at else c for i, c in enumerate(r)]
        for r in table["rows"]
    ]
    return {**table, "rows": rows}


def _names_pattern(names: Iterable[str]) -> re.Pattern | None:
    """The names, escaped as the page writes them, longest first (a name inside a longer one)."""
    ordered = sorted({str(escape(n)) for n in names}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in ordered)) if ordered else None


def _kept(text: str | None, pattern: re.Pattern | None) -> Markup | str | None:
    if not text:
        return text
    escaped = str(escape(text))
    if pattern is None:
        return Markup(escaped)
    return Markup(pattern.sub(lambda hit: f'<span class="unit">{hit.group(0)}</span>', escaped))


def section_heading(number: int, title: str, intro: str, paper: str = "") -> str:
    """A numbered section heading and the paragraph that explains it, as the notebook's Markdown;
    `paper` is the paragraph as printed, where it differs (no charts on paper: report.css)."""
    return render(
        "sections/heading.md.j2",
        heading=say("section.heading", number=number, title=title),
        intro=intro,
        paper=paper,
    )


def link_heading(data: Catalogued, link: str, part: int = 0, number: int = 0) -> str:
    """'2.1 Responsibility decomposition', '（一）责任分解': the number as the language writes it, if any."""
    label = in_language(data.catalogue.links[link], "label")
    if not number:
        return say("link.heading", label=label)
    return say("link.numbered", part=part, number=numeral(number), label=label)


def page_nav(
    page: str,
    lang: str,
    previous_year: int | None = None,
    next_year: int | None = None,
    trends: bool = True,
    extra: list[dict[str, str]] | None = None,
) -> str:
    """The links at the top of a page: the year pages either side, the index and (unless it is
    this page or a compare page) the trends page in `lang`, then `page` in every other language."""
    return render(
        "sections/nav.html.j2",
        index=page_href(page_file(INDEX), start=lang, to=lang),
        trends=page_href(page_file(TRENDS), start=lang, to=lang) if trends else None,
        previous=previous_year,
        next=next_year,
        previous_href=None if previous_year is None else page_file(previous_year),
        next_href=None if next_year is None else page_file(next_year),
        twins=twin_links(page, lang),
        extra=extra or [],
    )


def inputs_data(frame: pd.DataFrame) -> dict:
    """The files a page was made from, with their sizes and SHA-256, for its about section."""
    return table_data(frame, number_columns=(header("bytes"),), css="report-table files")


def report_title(year: int) -> str:
    """The year page's title, as a browser tab or a bookmark shows it."""
    return say("page.title", year=year)


def compare_title(year: int, previous: int) -> str:
    """A compare page's title, as a browser tab shows it."""
    return say("compare.page_title", year=year, previous=previous)


def trends_title(years: list[int]) -> str:
    """The trends page's title, as a browser tab shows it: every year surveyed, first to last."""
    return say("trends.page_title", years=years_text(years[0], years[-1]))
