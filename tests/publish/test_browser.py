"""The pages as a reviewer opens them: in a real browser, on a phone, and printed on A4.

Driven through Playwright with Debian's Chromium as the browser (Playwright's own browser
download is not available here). Every page under the reports folder is checked, in every
language built (reports/*.html, reports/zh/*.html). Without Chromium these tests are skipped
with the reason shown; `.ci/run` installs it and sets ANALYSIS_REQUIRE_BROWSER, so CI never
skips them. The site is built once and each page printed once for the whole module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis.paths import Paths
from analysis.store import read_table

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_TEXT_PX = 11  # the smallest chart text on a phone (charts.MIN_TEXT_PX)
FIGURE = re.compile(r"\d+/\d+|\d+\.\d%|\d+个")  # "26/38", "68.4%" or "是26个"

if CHROMIUM is None and not os.environ.get("ANALYSIS_REQUIRE_BROWSER"):
    pytest.skip(
        "Chromium is not installed (apt-get install chromium fonts-noto-cjk poppler-utils; .ci/run does it)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def site(shipped: Paths) -> Paths:
    return shipped


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "Chromium is required (ANALYSIS_REQUIRE_BROWSER is set)"
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def pages(site: Paths) -> list[Path]:
    return sorted(site.reports.rglob("*.html"))


def year_pages(site: Paths) -> list[Path]:
    return [p for p in pages(site) if re.fullmatch(r"\d{4}", p.stem)]


def name(site: Paths, path: Path) -> str:
    return path.relative_to(site.reports).as_posix()


def open_page(browser, path: Path, viewport: dict[str, int]):
    """The page loaded from disk, with every console error and every request it made."""
    page = browser.new_page(viewport=viewport)
    errors, requests = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors, requests


def evaluate(browser, path: Path, viewport: dict[str, int], script: str):
    """What `script` returns on the page loaded at `viewport`."""
    page, _, _ = open_page(browser, path, viewport)
    try:
        return page.evaluate(script)
    finally:
        page.close()


@pytest.fixture(scope="module")
def desktop(site: Paths, browser) -> Iterator[dict[Path, tuple[object, list[str], list[str]]]]:
    """Every page loaded once at desktop width, with the console errors and the requests of its
    load, for the whole module: the tests on screen only read the pages (their scripts change
    nothing), so each page is loaded once instead of once a test."""
    opened = {path: open_page(browser, path, DESKTOP) for path in pages(site)}
    yield opened
    for page, _, _ in opened.values():
        page.close()


@pytest.fixture(scope="module")
def printed(site: Paths, browser, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every page printed on A4 as Chromium prints it, as the text of each printed page."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is required to read the printed pages")
    folder = tmp_path_factory.mktemp("pdf")
    texts = {}
    for path in pages(site):
        page, _, _ = open_page(browser, path, DESKTOP)
        pdf = folder / f"{name(site, path).replace('/', '-')}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
        page.close()
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        texts[name(site, path)] = text.split("\f")[:-1]  # one entry per printed page
    return texts


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def solid(text: str) -> str:
    """Text without any white space: pdftotext parts Latin digits from Chinese set in another font."""
    return re.sub(r"\s+", "", text)


# --- on screen -------------------------------------------------------------------------------


def test_every_page_loads_without_errors_or_outside_requests(site: Paths, desktop):
    assert len(pages(site)) >= 3
    for path in pages(site):
        page, errors, requests = desktop[path]
        outside = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
        assert errors == [], (name(site, path), errors)
        assert outside == [], (name(site, path), outside)
        lang = page.evaluate("document.documentElement.lang")
        assert lang == ("zh-Hans" if path.parent.name == "zh" else "en"), (name(site, path), lang)


PHONE_LAYOUT = """() => {
  const tables = [...document.querySelectorAll('table')].filter(t => t.checkVisibility());
  const boxes = tables.map(t => {
    const first = t.querySelector('tbody tr > :first-child');
    return {right: t.getBoundingClientRect().right, scrolls: t.scrollWidth > t.clientWidth + 1,
            sticky: first ? getComputedStyle(first).position : 'none'};
  });
  const sizes = [...document.querySelectorAll('figure.chart svg text')].map(t => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  });
  return {width: document.documentElement.scrollWidth, boxes, smallest: Math.min(...sizes, 99)};
}"""


def test_on_a_phone_nothing_scrolls_sideways_but_a_table_in_its_box_and_charts_stay_legible(
    site: Paths, browser
):
    for path in pages(site):
        layout = evaluate(browser, path, PHONE, PHONE_LAYOUT)
        where = name(site, path)
        assert layout["width"] <= PHONE["width"], (
            f"{where} scrolls sideways at {PHONE['width']} px: {layout['width']} px wide"
        )
        for box in layout["boxes"]:
            assert box["right"] <= PHONE["width"], (where, box)
            assert not box["scrolls"] or box["sticky"] == "sticky", (
                where,
                "a table that scrolls keeps its first column",
                box,
            )
        assert layout["smallest"] >= MIN_TEXT_PX - 0.05, (
            f"{where}: chart text {layout['smallest']:.1f} px at {PHONE['width']} px"
        )


ALTERNATIVES = """() => [...document.querySelectorAll('body svg:not(svg svg), body img')]
  .map(e => ({tag: e.tagName.toLowerCase(), role: e.getAttribute('role'),
               text: e.getAttribute('aria-label') || e.getAttribute('alt') || ''}))"""


def test_every_chart_has_a_text_alternative_that_states_its_figures(site: Paths, desktop):
    for path in year_pages(site):
        found = desktop[path][0].evaluate(ALTERNATIVES)
        assert len(found) >= 4, (name(site, path), "three links and the units at a glance")
        for chart in found:
            assert chart["tag"] == "img" or chart["role"] == "img", (name(site, path), chart)
            assert FIGURE.search(chart["text"]), (name(site, path), chart["text"][:80])


CONTRAST = """() => {
  const rgb = c => (c.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number);
  const lum = c => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
                     return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => { for (let e = el; e; e = e.parentElement) {
                                 const c = rgb(getComputedStyle(e).backgroundColor);
                                 if (c.length < 4 || c[3] > 0) return c; }
                               return [255, 255, 255]; };
  const low = [], seen = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const el = walk.currentNode.parentElement;
    if (!walk.currentNode.textContent.trim() || seen.has(el) || !el.checkVisibility()) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const fg = rgb(el instanceof SVGElement ? style.fill : style.color), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < 4.5)
      low.push([el.tagName, walk.currentNode.textContent.trim().slice(0, 30), ratio.toFixed(2)]);
  }
  return low;
}"""


def test_every_text_keeps_a_contrast_of_4_5_to_1(site: Paths, desktop):
    for path in pages(site):
        low = desktop[path][0].evaluate(CONTRAST)
        assert low == [], (name(site, path), low[:5])


# --- printed ---------------------------------------------------------------------------------


def test_printed_on_a4_every_figure_of_the_comparison_appears_whole(site: Paths, printed):
    for path in year_pages(site):
        text = flat(" ".join(printed[name(site, path)]))
        comparison = read_table(site.processed, int(path.stem), "comparison.csv")
        shares = comparison[comparison["denominator"].notna()]
        english = path.parent == site.reports
        for row in shares.itertuples():
            if pd.isna(row.percent):
                continue
            figure = (
                f"{row.numerator} of {row.denominator} ({row.percent:.1f}%)"
                if english
                else f"{row.percent:.1f}%"
            )
            assert figure in text, (
                f"{name(site, path)} {row.indicator}/{row.population}:"
                f" {figure} is cut or missing in the printed page"
            )
            if english and not pd.isna(row.change_pp):
                change = f"{row.change_pp:+.1f} pp" if row.change_pp else "0.0 pp"
                assert change in text, (
                    f"{row.indicator}/{row.population}:"
                    f" the change {change} is cut or missing in the printed page"
                )


A4_WIDTH_PX = round((210 - 28 - 26) / 25.4 * 96)  # the text block: A4 less the margins (GB/T 9704)


def test_printed_nothing_is_wider_than_the_paper(site: Paths, browser):
    """Chromium shrinks a whole printout to fit its widest element: nothing may need it."""
    for path in pages(site):
        page = browser.new_page(viewport={"width": A4_WIDTH_PX, "height": 1000})
        page.emulate_media(media="print")
        page.goto(path.as_uri(), wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        page.close()
        assert width <= A4_WIDTH_PX, (
            f"{name(site, path)} is {width} px wide in print, the paper {A4_WIDTH_PX} px"
        )


def test_every_printed_page_is_numbered_as_the_office_numbers_them_and_none_is_blank(
    site: Paths, desktop, printed
):
    """GB/T 9704-2012: no running head; "— 1 —" at the foot of each page; the title on the first."""
    for path in pages(site):
        title = solid(desktop[path][0].evaluate("document.querySelector('h1').textContent"))
        sheets = printed[name(site, path)]
        assert sheets and title in solid(sheets[0]), (name(site, path), title)
        for number, sheet in enumerate(sheets, start=1):
            lines = [line.strip() for line in sheet.splitlines() if line.strip()]
            assert re.fullmatch(rf"—\s*{number}\s*—", lines[-1]), (name(site, path), number, lines[-1:])
            assert len(lines) > 2, (name(site, path), f"page {number} is blank")


UNITS_CHART_TEXT = """() => [...[...document.querySelectorAll('figure.chart svg')].pop()
  .querySelectorAll('text')]
  .filter(t => !(t.getAttribute('transform') || '').includes('rotate(-90')).map(t => t.textContent.trim())"""


def test_the_units_chart_is_left_to_the_screen_and_its_gaps_printed(site: Paths, desktop, printed):
    """On paper the units chart would repeat the gaps' lists at a size no one reads: its words are
    not printed, the gaps' lists are."""
    for path in year_pages(site):
        labels = [label for label in desktop[path][0].evaluate(UNITS_CHART_TEXT) if label]
        assert len(labels) > 30, labels  # its title, legend, links and every unit's name
        printed_text = "".join(solid(sheet) for sheet in printed[name(site, path)])
        assert not all(solid(label) in printed_text for label in labels), name(site, path)
        names = desktop[path][0].evaluate(
            "[...document.querySelectorAll('div.gap .unit')].map(u => u.textContent)"
        )
        assert names and all(solid(unit) in printed_text for unit in names), name(site, path)
