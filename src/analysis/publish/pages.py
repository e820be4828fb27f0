"""Markup from Jinja templates: the one environment every page and section is rendered with.

Templates (`publish/templates/pages/`, `publish/templates/sections/`) hold the markup and
name their fixed words by wording key (`say("quality.rules_heading")`); Python hands them
data: rows of text, lists of unit names, numbers. HTML templates (`*.html.j2`) escape
everything they are given, so a unit called `<script>` is shown as text; the stylesheets
and the Markdown of the notebook's headings are included as written.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from analysis.publish.wording import say, say_count

TEMPLATES = Path(__file__).resolve().parent / "templates"
STARRED = re.compile(r"\*(.+?)\*")


def emphasis(text: str) -> Markup:
    """Escaped text with its *starred* words in <em>: the wording marks emphasis, the template sets it."""
    return Markup(STARRED.sub(r"<em>\1</em>", str(escape(text))))


def _shown(value: object) -> object:
    """What a template prints for a value: nothing for None, as for an empty cell."""
    return "" if value is None else value


@cache
def environment() -> jinja2.Environment:
    """One environment: autoescape for HTML, whitespace only where a template writes it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=True, default=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
    )
    env.globals.update(say=say, say_count=say_count)
    env.filters["emphasis"] = emphasis
    return env


def render(name: str, /, **context: object) -> str:
    """A template rendered with these values: a page, a section of one, or a heading in Markdown."""
    return environment().get_template(name).render(**context)
