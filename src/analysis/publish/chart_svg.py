"""A chart as SVG markup inside the page: the same bytes every build, its text kept as text.

See `charts` for why SVG rather than PNG; here the drawing is cut down to what an HTML page
holds (no metadata, no style sheet, no spare ids, coordinates rounded).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from io import StringIO

import matplotlib as mpl
from markupsafe import Markup
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis.publish.chart_style import LABEL_SIZE, MIN_TEXT_PX, PX_PER_POINT
from analysis.publish.pages import render


def figure_html(fig: Figure, alt: str, salt: str = "chart", source: str = "") -> str:
    """The figure drawn now, as SVG inside the page, with `alt` as its text alternative.

    `salt` makes the SVG's ids (clip paths) unique on the page: give each chart of a page its own;
    `source` is the line under it saying where its figures come from.
    """
    svg = ET.fromstring(svg_text(fig, salt))
    view_box = _rounded(svg.get("viewBox"))
    width = float(view_box.split()[2])
    return render(
        "sections/figure.html.j2",
        alt=" ".join(alt.split()),
        view_box=view_box,
        width=_number(width * PX_PER_POINT),
        height=_number(float(view_box.split()[3]) * PX_PER_POINT),
        min_width=_number(min_width_px(fig, width)),
        body=Markup(svg_body(svg)),
        source=source,
    )


def svg_text(fig: Figure, salt: str) -> str:
    """The figure as an SVG document, the same bytes for the same figure and salt."""
    out = StringIO()
    with mpl.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FONT_FAMILY = re.compile(r"\s*font-family:[^;]*;?")
REFERENCE = re.compile(r"url\(#([^)]+)\)")
DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def svg_body(svg: ET.Element) -> str:
    """What goes inside the page's <svg>: the drawing without its metadata, style sheet or spare ids.

    In an HTML page the SVG shares the page's ids and fonts: matplotlib's group ids (figure_1,
    axes_1, the same in every chart) are dropped unless something refers to them, the
    font-family of each text is left to the page's stylesheet (which names the embedded
    Chinese face first), and no namespace address is written (HTML needs none).
    """
    _plain_names(svg)
    drawing = [
        child for child in svg if child.tag != "metadata" and (child.tag != "defs" or _has_definitions(child))
    ]
    for defs in (child for child in drawing if child.tag == "defs"):
        for style in defs.findall("style"):
            # `* { stroke-linejoin: round }` would reach the whole page: report.css says it for charts
            defs.remove(style)
    referred = {name for child in drawing for element in child.iter() for name in _references(element)}
    for element in (element for child in drawing for element in child.iter()):
        _tidy(element, referred)
    return "".join(
        ET.tostring(child, encoding="unicode", short_empty_elements=True) for child in drawing
    ).strip()


def _plain_names(svg: ET.Element) -> None:
    """Tags without the SVG namespace, xlink:href as plain href: what an HTML page writes."""
    for element in svg.iter():
        element.tag = element.tag.removeprefix(SVG_NAMESPACE)
        if XLINK_HREF in element.attrib:
            element.set("href", element.attrib.pop(XLINK_HREF))


def _tidy(element: ET.Element, referred: set[str]) -> None:
    """One element as the page holds it: no unused id, no font-family, coordinates rounded, no indentation."""
    if element.get("id") is not None and element.get("id") not in referred:
        del element.attrib["id"]
    if element.tag == "text" and "style" in element.attrib:
        element.set("style", FONT_FAMILY.sub("", element.get("style")).strip())
    for name in ("d", "x", "y", "transform"):
        if name in element.attrib:
            element.set(name, _rounded(element.get(name)))
    if element.tag != "text" and element.text is not None and not element.text.strip():
        element.text = None
    if element.tail is not None and not element.tail.strip():
        element.tail = None


def _rounded(value: str) -> str:
    """Coordinates to a hundredth of a point, on one line: a third of the bytes, the same drawing."""
    return " ".join(DECIMAL.sub(lambda m: f"{float(m.group()):.2f}".rstrip("0").rstrip("."), value).split())


def _has_definitions(defs: ET.Element) -> bool:
    return any(child.tag != "style" for child in defs)


def _references(element: ET.Element) -> list[str]:
    found = [m for value in element.attrib.values() for m in REFERENCE.findall(value)]
    href = element.get("href", "")
    return [*found, href[1:]] if href.startswith("#") else found


def min_width_px(fig: Figure, width_points: float) -> float:
    """The narrowest the chart may be shown: its smallest text MIN_TEXT_PX pixels high, no less."""
    smallest = min(
        (t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()),
        default=LABEL_SIZE,
    )
    # shown `w` px wide, a point of the chart is w / width_points px
    return math.ceil(width_points * MIN_TEXT_PX / smallest)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
