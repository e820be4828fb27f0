"""The pages on a phone (390 px) and a desktop (1280 px) in headless Chromium: every table of a year
page before its part three (the office's opinions) and the index fit their box, nothing scrolls the
page sideways, no unit name or figure is broken across two lines (a figure may break where its parts
meet), chart text is at least 11 px and inside its chart and the units
chart's headings stand upright; at 1280 px every table (the trends' too) fits the column."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis.paths import Paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and not os.environ.get("ANALYSIS_REQUIRE_BROWSER"):
    pytest.skip("Chromium is not installed (.ci/run installs it)", allow_module_level=True)

PHONE, DESKTOP = 390, 1280
MIN_CHART_TEXT_PX = 11

LAYOUT = """(names) => {
  const opinions = document.getElementById('cell-id=commentary');
  const before = t => !opinions || (t.compareDocumentPosition(opinions) & Node.DOCUMENT_POSITION_FOLLOWING);
  const tables = [...document.querySelectorAll('table')].filter(t => t.checkVisibility()).map(t => ({
    title: (t.caption ? t.caption.textContent : t.className).slice(0, 40), before: !!before(t),
    wide: t.scrollWidth > t.clientWidth + 1 || t.getBoundingClientRect().right > window.innerWidth}));
  const texts = [...document.querySelectorAll('figure.chart svg text')];
  const sizes = texts.map(t => { const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); });
  const clipped = texts.filter(t => { const box = t.ownerSVGElement.getBoundingClientRect();
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5);
  }).map(t => t.textContent.slice(0, 20));
  const turned = texts.filter(t => /rotate\\(-?90/.test(t.getAttribute('transform') || '')).length;
  const broken = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode;
    if (!node.parentElement.checkVisibility() || node.parentElement.closest('svg')) continue;
    for (const name of names) {
      for (let i = node.textContent.indexOf(name); i >= 0; i = node.textContent.indexOf(name, i + 1)) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + name.length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        const tops = new Set(rects.map(r => Math.round(r.top)));
        if (tops.size > 1) broken.add(name);
      }
    }
  }
  // a figure's cell broken anywhere but after a space or a dash or before a bracket ("（86.8%）")
  const figures = [];
  for (const td of document.querySelectorAll('td.num, td.now, td.change')) {
    if (!td.checkVisibility() || !/\\d/.test(td.textContent)) continue;
    const chars = [];
    const cells = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    while (cells.nextNode()) {
      const node = cells.currentNode;
      for (let i = 0; i < node.textContent.length; i++) {
        const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = [...range.getClientRects()].find(r => r.width > 0);
        chars.push([node.textContent[i], rect ? Math.round(rect.top) : null]);
      }
    }
    const text = chars.map(c => c[0]).join('');
    for (let i = 1; i < chars.length; i++) {
      const [[before, was], [now, is]] = [chars[i - 1], chars[i]];
      const allowed = /[\\s–-]/.test(before) || /[\\s（(［\\[]/.test(now);
      if (was !== null && is !== null && is > was + 2 && !allowed) {
        figures.push(text.slice(0, i) + '|' + text.slice(i));
        break;
      }
    }
  }
  return {width: document.documentElement.scrollWidth, tables, smallest: Math.min(...sizes, 99),
          turned, broken: [...broken], figures, clipped};
}"""


@pytest.fixture(scope="module")
def layouts(shipped: Paths) -> Iterator[dict[tuple[str, int], dict]]:
    """Every page's layout at a phone's and a desktop's width, by (page, width)."""
    from playwright.sync_api import sync_playwright

    names = set()
    for folder in shipped.processed.iterdir():
        if folder.name.isdigit():
            names |= set(pd.read_parquet(folder / "returns.parquet")["unit_name"])
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for path in sorted(shipped.reports.rglob("*.html")):
            for width in (PHONE, DESKTOP):
                page = browser.new_page(viewport={"width": width, "height": 844})
                page.goto(path.as_uri(), wait_until="load")
                longest_first = sorted(names, key=len, reverse=True)
                found[(_name(shipped, path), width)] = page.evaluate(LAYOUT, longest_first)
                page.close()
        browser.close()
    yield found


def _name(shipped: Paths, path: Path) -> str:
    return path.relative_to(shipped.reports).as_posix()


def test_on_a_phone_no_page_scrolls_sideways_and_the_report_tables_fit_their_box(layouts):
    for (name, width), layout in layouts.items():
        if width != PHONE:
            continue
        assert layout["width"] <= PHONE, f"{name} is {layout['width']} px wide at {PHONE} px"
        report = not name.endswith(("-record.html", "trends.html"))
        for table in layout["tables"]:
            if report and table["before"]:
                assert not table["wide"], (name, "wider than its box at 390 px", table["title"])


def test_at_1280_px_every_table_fits_the_column(layouts):
    for (name, width), layout in layouts.items():
        if width == DESKTOP:
            assert not [t["title"] for t in layout["tables"] if t["wide"]], name


def test_no_unit_name_is_broken_across_two_lines(layouts):
    for (name, width), layout in layouts.items():
        assert layout["broken"] == [], (name, width, layout["broken"][:5])


def test_no_figure_is_broken_but_where_its_parts_meet(layouts):
    """ "23/38（60.5%）" may take two lines, broken before "（"; never "（60.5%" over "）", nor
    "+13.1个百分" over "点", on a phone or a desktop."""
    for (name, width), layout in layouts.items():
        assert layout["figures"] == [], (name, width, layout["figures"][:5])


def test_chart_text_is_legible_on_a_phone_and_the_grid_headings_upright(layouts):
    for (name, width), layout in layouts.items():
        assert layout["clipped"] == [], (
            name,
            width,
            "chart text cut at the chart's edge",
            layout["clipped"][:5],
        )
        assert layout["turned"] == 0, (name, "turned chart text")
        if width == PHONE:
            assert layout["smallest"] >= MIN_CHART_TEXT_PX - 0.05, (name, layout["smallest"])
