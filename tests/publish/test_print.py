"""The pages printed as the office prints them (GB/T 9704-2012, ../shared/spec/official-format.md):
A4 from Chromium's print, read back with poppler (pdfinfo, pdftotext -bbox) so the layout cannot
regress silently. Skipped, like test_browser.py, where Chromium or poppler is missing (never in CI)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.paths import Paths
from analysis.publish.wording import language, say

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if (CHROMIUM is None or shutil.which("pdfinfo") is None) and not os.environ.get("ANALYSIS_REQUIRE_BROWSER"):
    pytest.skip("Chromium and poppler-utils are needed to print the pages", allow_module_level=True)

MM = 72 / 25.4  # PDF points a millimetre
LEFT_MM = 28  # 订口: the text starts 28 mm from the left edge, +/- 1 mm
# Pages printed of the sample, by page, at most: what the issue asks (zh year page 8, en year page
# 10, zh trends 6), reached with the charts left to the screen (each draws figures a table prints)
# and no list printed twice; the other pages where they print now, so a layout that grows fails.
MOST_PAGES = {  # a year page: the most any year of the sample prints on
    "zh/2004.html": 8,
    "2004.html": 10,
    "zh/trends.html": 6,
    "trends.html": 7,
    "zh/2004-record.html": 2,
    "2004-record.html": 2,
    "zh/index.html": 1,
    "index.html": 1,
}


@pytest.fixture(scope="module")
def printed(shipped: Paths, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Every page of the sample printed once to PDF, by its path under the reports folder."""
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("printed")
    pdfs = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in sorted(shipped.reports.rglob("*.html")):
            name = path.relative_to(shipped.reports).as_posix()
            page = browser.new_page()
            page.goto(path.as_uri(), wait_until="load")
            pdfs[name] = folder / (name.replace("/", "-") + ".pdf")
            page.pdf(path=str(pdfs[name]), format="A4", prefer_css_page_size=True, print_background=True)
            page.close()
        browser.close()
    yield pdfs


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, x, y in mm, word) of every word printed."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    found, number = [], 0
    for line in out.stdout.splitlines():
        if "<page " in line:
            number += 1
        hit = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', line)
        if hit:
            found.append((number, float(hit[1]) / MM, float(hit[2]) / MM, hit[3]))
    return found


def solid(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_page_prints_on_a4_in_the_office_layout(printed: dict[str, Path]):
    """A4; the text block from 28 mm left; "— n —" at the foot; no page more than its guard."""
    for name, pdf in printed.items():
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), (name, info)
        placed = words(pdf)
        left = min(x for _, x, _, _ in placed)
        assert LEFT_MM - 1 <= left <= LEFT_MM + 1, f"{name}: the text starts {left:.1f} mm from the left edge"
        assert max(x for _, x, _, _ in placed) <= 210 - 26 + 1, name
        kind = re.sub(r"\d{4}", "2004", name)
        most = MOST_PAGES.get(name, MOST_PAGES.get(kind, 16))
        assert page_count(pdf) <= most, (name, page_count(pdf), most)


def test_printed_pages_carry_no_screen_words_and_no_unit_list_twice(printed: dict[str, Path]):
    """The lists that open on screen are printed as where their names are: "open to see" is not
    on paper, and neither are the opening lists nor the units table beside the units chart."""
    for name, pdf in printed.items():
        lang = "zh" if name.startswith("zh/") else "en"
        text = solid(" ".join(page_texts(pdf)))
        with language(lang):
            screen_only = [say("units_behind.intro"), say("units_table.summary")]
            listed = solid(say("units_behind.counted", count=0)).split("0")[0]
        for said in screen_only:
            assert solid(said) not in text, (name, said)
        assert listed not in text, (name, "a share's opening list is printed", listed)


def test_no_heading_or_lone_row_is_left_at_the_foot_of_a_page(printed: dict[str, Path], shipped: Paths):
    """The last line over a page's number is never a heading, a table's title or its header row."""
    from bs4 import BeautifulSoup

    for name, pdf in printed.items():
        soup = BeautifulSoup((shipped.reports / name).read_text(encoding="utf-8"), "html.parser")
        for hidden in soup.select("details, nav, .screen-only"):
            hidden.decompose()
        heads = {solid(e.get_text()) for e in soup.select("h1, h2, h3, h4, caption, div.gap > p:first-child")}
        heads |= {solid(r.get_text()) for r in soup.select("thead tr")}
        sheets = page_texts(pdf)
        for number, sheet in enumerate(sheets[:-1], start=1):
            lines = [solid(line) for line in sheet.splitlines() if line.strip()][:-1]  # less the number
            assert lines and lines[-1] not in heads, (name, number, lines[-1:])


def test_paper_carries_no_chart_and_says_where_the_charts_are(printed: dict[str, Path], shipped: Paths):
    """A chart shrunk to a printed page's share is too small to read, and each draws figures a table
    prints: no chart's words are on paper, the title block says so, and no paragraph promises a chart."""
    from bs4 import BeautifulSoup

    for name, pdf in printed.items():
        if "record" in name or "index" in name:
            continue
        lang = "zh" if name.startswith("zh/") else "en"
        text = solid(" ".join(page_texts(pdf)))
        soup = BeautifulSoup((shipped.reports / name).read_text(encoding="utf-8"), "html.parser")
        labels = [svg["aria-label"] for svg in soup.select("figure.chart svg")]
        assert labels, name
        with language(lang):
            note = say("trends.on_paper" if "trends" in name else "title.on_paper")
            promise = say("trends.section.figures.intro" if "trends" in name else "section.links.intro")
        assert solid(note) in text, (name, note)
        assert solid(promise) not in text, (name, "a chart promised on paper")
        if "trends" not in name:  # a year page's chart titles, "图1 …" / "Figure 1 …", drawn in the chart
            for label in labels:
                title = solid(re.match(r"[^：:]*[：:]\s*(.+?)(?:。|\. )", label)[1])
                assert title not in text, (name, title)
