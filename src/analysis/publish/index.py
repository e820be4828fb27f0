"""The index page: every year's report with its headline figures, from `templates/pages/index.html.j2`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.catalogue import Catalogue, load_catalogue, load_instrument
from analysis.publish.pages import render
from analysis.publish.shapes import not_comparable
from analysis.publish.text import change_text, figure_text, pp_text
from analysis.publish.wording import say, words


@dataclass(frozen=True)
class IndexEntry:
    """One year on the index page: its links and, when known, its headline figures."""

    year: int
    comparison: pd.DataFrame | None
    has_notebook: bool = True


def index_html(entries: list[IndexEntry], catalogue: Catalogue | None = None) -> str:
    """The page linking every year's report with its headline figures; self-contained, escaped."""
    catalogue = catalogue or load_catalogue()
    headline = [catalogue.get(i) for i in ("units_surveyed", *catalogue.headline())]
    rows = [
        {"year": entry.year, "has_notebook": entry.has_notebook, "figures": [index_figure(entry.comparison, i.id) for i in headline]}
        for entry in sorted(entries, key=lambda e: e.year, reverse=True)
    ]
    return render("pages/index.html.j2", lang=words().lang, title_zh=load_instrument().title_zh, headline=headline, entries=rows)


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
