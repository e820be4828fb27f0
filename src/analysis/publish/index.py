"""The index page of one language: every year's report with its headline figures, from
`templates/pages/index.html.j2`.

Also where a page finds the others: the pages of each language sit in a folder of their own
(`paths.PAGE_FOLDERS`), so a link to a twin page or to the notebooks is a relative address
between those folders, the same wherever the reports folder is copied.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import pandas as pd

from analysis.catalogue import Catalogue, load_catalogue, load_instrument
from analysis.paths import (
    INDEX,
    LANGUAGES,
    PAGE_FOLDERS,
    PAGE_LANG,
    TRENDS,
    WORKBOOK,
    compare_name,
    notebook_file,
    page_file,
)
from analysis.publish.figure_words import change_text, figure_text, pp_text
from analysis.publish.pages import render
from analysis.publish.shapes import not_comparable
from analysis.publish.wording import form_words, in_language, language, say, words


@dataclass(frozen=True)
class IndexEntry:
    """One year on the index page: its links and, when known, its headline figures."""

    year: int
    comparison: pd.DataFrame | None
    has_notebook: bool = True


def page_href(name: str, start: str, to: str) -> str:
    """The address of page `name` of language `to`, from a page of language `start`:
    'zh/2004.html', '../2004.html'."""
    return posixpath.relpath(posixpath.join(PAGE_FOLDERS[to], name), PAGE_FOLDERS[start])


def notebook_href(year: int, start: str) -> str:
    """The executed notebook of a year (kept once, at the top of the reports folder), from a
    page of `start`."""
    return posixpath.relpath(notebook_file(year), PAGE_FOLDERS[start])


def page_lang(lang: str) -> str:
    """The <html lang> of a language's pages ('zh-Hans'), for hreflang."""
    return PAGE_LANG[lang]


def language_link(lang: str) -> str:
    """The words of a link to the page in `lang` ('中文版 (Chinese)', '英文版'), in the page's language."""
    return say(f"nav.in_{lang}")


def twin_links(page: str, lang: str) -> list[dict[str, str]]:
    """Page `page` in every language but `lang`, as the navigation of a page in `lang` links it."""
    return [
        {
            "href": page_href(page, start=lang, to=other),
            "hreflang": page_lang(other),
            "label": language_link(other),
        }
        for other in LANGUAGES
        if other != lang
    ]


def index_html(
    entries: list[IndexEntry],
    catalogue: Catalogue | None = None,
    lang: str | None = None,
    compares: list[tuple[int, int]] | None = None,
) -> str:
    """The page linking every year's report in `lang` (the page's language when None) with its
    headline figures.

    Self-contained and escaped; it links to the index of every other language.
    """
    with language(lang or words().lang):
        return _index_page(entries, catalogue or load_catalogue(), compares or [])


def _index_page(entries: list[IndexEntry], catalogue: Catalogue, compares: list[tuple[int, int]]) -> str:
    lang = words().lang
    headline = [catalogue.get(i) for i in ("units_surveyed", *catalogue.headline())]
    rows = [
        {
            "year": entry.year,
            "href": page_file(entry.year),
            # the executed notebook is code and English: linked from the English index only
            "notebook": notebook_href(entry.year, start=lang)
            if entry.has_notebook and lang == "en"
            else None,
            "figures": [index_figure(entry.comparison, i.id) for i in headline],
        }
        for entry in sorted(entries, key=lambda e: e.year, reverse=True)
    ]
    columns = [{"label": in_language(i, "label"), "beside": form_words(i, "label")} for i in headline]
    trends = page_href(
        page_file(TRENDS), start=lang, to=lang
    )  # every year side by side, in the same language
    workbook = page_href(WORKBOOK, start=lang, to="en")  # one workbook for every language, at the top
    return render(
        "pages/index.html.j2",
        lang=page_lang(lang),
        title_zh=load_instrument().title_zh,
        columns=columns,
        entries=rows,
        twins=twin_links(page_file(INDEX), lang),
        trends=trends,
        workbook=workbook,
        compares=[
            {
                "href": page_file(compare_name(earlier, later)),
                "label": say("index.compare", year=later, previous=earlier),
            }
            for earlier, later in sorted(compares, reverse=True)
        ],
    )


def index_figure(comparison: pd.DataFrame | None, indicator_id: str) -> str:
    """A year's headline figure for the index, with the change since the year before in brackets."""
    if comparison is None:
        return say("index.see_report")
    rows = comparison[(comparison["indicator"] == indicator_id) & (comparison["population"] == "all")]
    if not len(rows):
        return say("figure.not_available")
    row = rows.iloc[0]
    if pd.isna(row["previous_numerator"]):
        return figure_text(row)
    in_words = pd.isna(row["denominator"]) or not_comparable(row)  # a count, or no points to give: say why
    change = change_text(row) if in_words else pp_text(row["change_pp"])
    return say("index.figure_with_change", figure=figure_text(row), change=change)
