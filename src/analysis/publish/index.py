"""The index page: every year's report with its headline figures."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.catalogue import Catalogue, load_catalogue, load_instrument
from analysis.publish.html import esc, zh
from analysis.publish.shapes import not_comparable
from analysis.publish.text import change_text, figure_text, pp_text

INDEX_CSS = """
body { font-family: "Report CJK", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: 0.35rem 0.7rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
td.num { text-align: right; white-space: nowrap; }
th.num { text-align: right; }
td.links { white-space: nowrap; }
"""


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
    head = "<th>Year</th><th>Report</th>" + "".join(f'<th class="num">{esc(i.label_en)}<br>{zh(i.label_zh)}</th>' for i in headline)
    rows = []
    for entry in sorted(entries, key=lambda e: e.year, reverse=True):
        year = esc(entry.year)
        links = [f'<a href="{year}.html">report</a>']
        if entry.has_notebook:
            links.append(f'<a href="{year}.ipynb">notebook</a>')
        cells = [f"<td>{year}</td>", f'<td class="links">{" · ".join(links)}</td>']
        for indicator in headline:
            cells.append(f'<td class="num">{esc(_index_figure(entry.comparison, indicator.id))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    instrument = load_instrument()
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        "<title>Responsibility system survey: reports by year</title>\n"
        f"<style>{INDEX_CSS}</style>\n</head>\n<body>\n"
        "<h1>Implementation of the responsibility system for party conduct and clean government</h1>\n"
        f'<p class="subtitle">{zh(instrument.title_zh)}</p>\n'
        "<p>One report per survey year, each compared with the year before. Figures are "
        "<em>k of n units (p%)</em> over all units surveyed; the change since the previous year is in brackets, "
        "in percentage points. Each report is a single file that opens offline.</p>\n"
        f'<table class="report-table"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows) + "\n</tbody></table>\n"
        "</body>\n</html>\n"
    )


def _index_figure(comparison: pd.DataFrame | None, indicator_id: str) -> str:
    if comparison is None:
        return "see report"
    rows = comparison[(comparison["indicator"] == indicator_id) & (comparison["population"] == "all")]
    if not len(rows):
        return "n/a"
    row = rows.iloc[0]
    text = figure_text(row)
    if not pd.isna(row["previous_numerator"]):
        in_words = pd.isna(row["denominator"]) or not_comparable(row)  # a count, or no points to give: say why
        text += f" [{change_text(row) if in_words else pp_text(row['change_pp'])}]"
    return text

