"""Every gap sentence counts exactly the names listed under it, on every page that lists gaps.

A gap counts the units that answered no; a unit that left the question blank is not one of
them: it is named apart, under the list, with its own count ("另有1个单位未填报此项：…").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.paths import Paths

ZH_COUNT = re.compile(r"(\d+)个单位")
EN_COUNT = re.compile(r"(\d+) of ")
NO_ANSWER = {
    "zh": re.compile(r"另有(\d+)个单位未填报此项："),
    "en": re.compile(r"Not counted above, (\d+) gave no answer: "),
}


def names(text: str) -> list[str]:
    return [n for n in text.strip().rstrip("。.").split("、") if n]


def gap_lists(page: Path) -> list[tuple[int, list[str], int | None, list[str]]]:
    """Per gap on the page: the count its sentence states, the names under it, and the count and
    names of the units said apart as giving no answer (None when there are none)."""
    lang = "zh" if "/zh/" in page.as_posix() else "en"
    found = []
    for gap in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("div.gap"):
        title = gap.p.get_text(" ", strip=True)
        count = int(ZH_COUNT.findall(title)[-1]) if lang == "zh" else int(EN_COUNT.search(title).group(1))
        listed = names(gap.select_one("p.units").get_text())
        apart, apart_names = None, []
        for note in gap.select("p.note"):
            said = NO_ANSWER[lang].search(note.get_text())
            if said:
                apart = int(said.group(1))
                span = note.select_one("span[lang=zh]")
                apart_names = names(span.get_text())
        found.append((count, listed, apart, apart_names))
    return found


def gap_pages(reports: Path) -> list[Path]:
    return sorted(p for p in reports.rglob("*.html") if "index" not in p.name)


def test_every_gap_on_every_page_counts_what_it_lists(shipped: Paths, compared):
    pages = gap_pages(shipped.reports) + gap_pages(compared[0].reports)
    assert {p.name for p in pages} >= {"2004.html", "2001.html", "trends.html", "compare-2001-2004.html"}
    total = 0
    for page in pages:
        for count, listed, apart, apart_names in gap_lists(page):
            assert count == len(listed), (page, count, listed)
            assert not set(listed) & set(apart_names), (page, listed, apart_names)
            if apart is not None:
                assert apart == len(apart_names) > 0, (page, apart, apart_names)
            total += 1
    assert total > 100  # year, compare and trends pages, both languages, all list gaps


@pytest.mark.parametrize("page", ["zh/2004.html", "2004.html"])
def test_the_2004_gaps_that_had_a_blank_answer_list_it_apart(shipped: Paths, page: str):
    """The three gaps of the issue: 8, 14 and 17 units said no, one more each left it blank."""
    found = {
        count: (listed, apart_names)
        for count, listed, apart, apart_names in gap_lists(shipped.reports / page)
        if apart
    }
    assert sorted(found) == [8, 14, 17]
    assert found[8][1] == ["中央单位（二十七）"] and "中央单位（二十七）" not in found[8][0]
    assert found[14][1] == ["中央单位（九）"] and found[17][1] == ["中央单位（二十三）"]
