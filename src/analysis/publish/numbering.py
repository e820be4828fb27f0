"""Tables and figures numbered in reading order (表1, 图1 / Table 1, Figure 1), with their source.

The order is declared once here, from what a year's report holds, so the page, its charts and
the Word document give every table and figure the same number, and a sentence can refer to
one by it. The source line says where every figure of a report comes from: the units' returns
of the survey form, in the years it compares.
"""

from __future__ import annotations

from analysis.publish.load import ReportData
from analysis.publish.shapes import links, share_changes
from analysis.publish.wording import say


def figure_keys(data: ReportData) -> list[str]:
    """The report's figures in reading order: the key changes (when there is a year to compare
    with), each link's chart, the units chart."""
    changes = ["changes"] if data.previous is not None and share_changes(data) else []
    return [*changes, *(f"link:{link}" for link in links(data)), "units"]


def table_keys(data: ReportData) -> list[str]:
    """The report's tables in reading order: the links at a glance, each link's, the units'."""
    return ["glance", *(f"link:{link}" for link in links(data)), "units"]


def figure_number(data: ReportData, key: str) -> int:
    return figure_keys(data).index(key) + 1


def table_number(data: ReportData, key: str) -> int:
    return table_keys(data).index(key) + 1


def figure_caption(data: ReportData, key: str, title: str) -> str:
    """'图2 责任分解各项数据（2004年与2003年）' / 'Figure 2. …'."""
    return say("caption.figure", number=figure_number(data, key), title=title)


def table_caption(data: ReportData, key: str, title: str) -> str:
    """'表1 2004年三个环节主要数据' / 'Table 1. …'."""
    return say("caption.table", number=table_number(data, key), title=title)


def source_line(data: ReportData) -> str:
    """'资料来源：各单位报送的《党风廉政建设责任制落实情况一览表》（2004年、2003年）'."""
    years = [data.year] if data.previous_year is None else [data.year, data.previous_year]
    said = say("caption.between_years").join(say("caption.year", year=year) for year in years)
    return say("caption.source", form=data.instrument.title_zh, years=said)
