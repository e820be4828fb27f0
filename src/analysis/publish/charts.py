"""The report's charts: every chart titled, every label from the catalogues, Chinese drawn in a real font.

Titles, axis labels, legends and alternative text are the wording catalogue's; indicator and
question labels, and what each count counts, the indicator catalogue's and the instrument's.

Figures are built with the object-oriented API (no pyplot state, nothing shown by the
inline backend on its own) and rendered here, inside the notebook cell that asks for them.
That way a failure while drawing, such as a glyph missing from the fonts, fails that cell
and the build, instead of becoming a traceback printed by the display machinery while the
cell succeeds.

SVG written into the page, its text kept as text (`svg.fonttype = "none"`), rather than PNG:
- a reviewer can select, copy and search the labels and figures (Ctrl-F finds a unit in the
  chart, pdftotext finds it in the printout), and print and zoom keep them sharp;
- the page's own fonts draw the text: Chinese from the "Report CJK" subset that `fonts`
  embeds, cut from every character of the page, the charts' included (the face the layout was
  measured with); Latin from DejaVu Sans where installed, else the reader's sans serif, which
  is no wider, so nothing the layout placed can collide;
- the same bytes every build: ids are salted per chart (`svg.hashsalt`, unique on the page),
  no date or creator is written, and nothing else in the SVG depends on the run;
- smaller and quicker: the 2004 page's four charts are 79 kB of markup where their PNGs were
  160 kB of base64, and drawing them takes about 40% less time (no rasterising, no quantising).
Measured on the 2004 pages: 168 kB in English, 212 kB in Chinese (457 kB before; JupyterLab's
stylesheet, 250 kB of it, went too).

Legible on a phone: a chart is drawn narrow (WIDTH) with type as large as the page's and shown
at its own size, never larger; on a narrow screen it shrinks, but never below the width at
which its smallest text is MIN_TEXT_PX pixels (`min_width_px`): under that its box scrolls
sideways. The link charts set each group's label above its bars, across the chart, so the
bars keep the width; the units chart turns its question labels upright, so a column is no
wider than a cell. At 390 px the sample's charts all fit; a unit name of 16 characters
would make the units chart scroll a little in its box.

The code is split by what it does; this module names it all, as `charts.<name>`, for the
notebooks, the pages and the tests:
- `chart_style`: the colours, sizes and margins every chart shares, and `setup`;
- `chart_svg`: a drawn figure as SVG markup in the page (`figure_html`, `min_width_px`);
- `chart_text`: text measured with the charts' fonts, wrapped, and unit names shortened;
- `chart_links`: a link's bar charts, and their figures in words;
- `chart_units`: the units at a glance, with the links' names over its columns;
- `chart_changes`: the key changes, each share asked in both years as a dumbbell, largest rise first;
- `chart_trends`: the trends page's small charts over the years, in parts a page high.
"""

from __future__ import annotations

from matplotlib.text import Text  # what a chart's text is: the tests find it in a figure

from analysis.publish.chart_changes import (
    changes_alt,
    changes_chart,
    changes_chart_paper,
    changes_figure_html,
)
from analysis.publish.chart_links import (
    BAR,
    GROUP_GAP,
    bar_value,
    chart_years,
    count_panels,
    link_alt,
    link_chart,
    link_figure_html,
    link_panels,
    link_title,
    link_words,
)
from analysis.publish.chart_style import (
    ANSWER_COLOURS,
    INK,
    LABEL_SIZE,
    LAST_YEAR,
    LINE,
    MARK_COLOURS,
    MIN_PLOT,
    MIN_TEXT_PX,
    NAME_COLUMNS,
    NOTE_SIZE,
    PX_PER_POINT,
    THIS_YEAR,
    TITLE_SIZE,
    WIDTH,
    setup,
)
from analysis.publish.chart_svg import (
    DECIMAL,
    FONT_FAMILY,
    REFERENCE,
    SVG_NAMESPACE,
    XLINK_HREF,
    figure_html,
    min_width_px,
    svg_body,
    svg_text,
)
from analysis.publish.chart_text import (
    WORD,
    _line_width,
    line_inches,
    short_name,
    text_columns,
    text_width,
    wrap,
)
from analysis.publish.chart_trends import (
    TREND_GAP,
    TREND_PART_HEIGHT,
    TREND_PLOT,
    TREND_TICK_GAP,
    _trend_tick,
    _trend_value,
    trend_alt,
    trend_chart,
    trend_figure_html,
    trend_parts,
    trend_title,
)
from analysis.publish.chart_units import (
    CELL_GAP,
    COLUMN,
    HEAD_LINE,
    MARK_INCHES,
    MARKS,
    ROW,
    SPAN_GAP,
    SpanPlace,
    answer_words,
    link_spans,
    question_labels,
    span_places,
    units_alt,
    units_chart,
    units_figure_html,
    units_title,
    units_words,
)

__all__ = [
    "ANSWER_COLOURS",
    "BAR",
    "CELL_GAP",
    "COLUMN",
    "DECIMAL",
    "FONT_FAMILY",
    "GROUP_GAP",
    "HEAD_LINE",
    "INK",
    "LABEL_SIZE",
    "LAST_YEAR",
    "LINE",
    "MARKS",
    "MARK_COLOURS",
    "MARK_INCHES",
    "MIN_PLOT",
    "MIN_TEXT_PX",
    "NAME_COLUMNS",
    "NOTE_SIZE",
    "PX_PER_POINT",
    "REFERENCE",
    "ROW",
    "SPAN_GAP",
    "SVG_NAMESPACE",
    "THIS_YEAR",
    "TITLE_SIZE",
    "TREND_GAP",
    "TREND_PART_HEIGHT",
    "TREND_PLOT",
    "TREND_TICK_GAP",
    "WIDTH",
    "WORD",
    "XLINK_HREF",
    "SpanPlace",
    "Text",
    "_line_width",
    "_trend_tick",
    "_trend_value",
    "answer_words",
    "bar_value",
    "changes_alt",
    "changes_chart",
    "changes_chart_paper",
    "changes_figure_html",
    "chart_years",
    "count_panels",
    "figure_html",
    "line_inches",
    "link_alt",
    "link_chart",
    "link_figure_html",
    "link_panels",
    "link_spans",
    "link_title",
    "link_words",
    "min_width_px",
    "question_labels",
    "setup",
    "short_name",
    "span_places",
    "svg_body",
    "svg_text",
    "text_columns",
    "text_width",
    "trend_alt",
    "trend_chart",
    "trend_figure_html",
    "trend_parts",
    "trend_title",
    "units_alt",
    "units_chart",
    "units_figure_html",
    "units_title",
    "units_words",
    "wrap",
]
