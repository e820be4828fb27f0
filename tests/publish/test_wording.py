"""The wording catalogue: every word a page shows is in it, said with exactly its placeholders.

The code and the templates are read, not run: each `say("key", name=...)` must name a key of
`en.yaml` and give exactly that string's placeholders, and every key must be said somewhere,
so the file holds no dead words and a translator translates only what a reader sees.
"""

from __future__ import annotations

import ast
import copy
import re
import shutil
from pathlib import Path

import jinja2
import nbformat
import pytest
import yaml
from conftest import REPO

from analysis.catalogue import FOLDER_VARIABLE, PACKAGE_FOLDER
from analysis.paths import LANGUAGES
from analysis.publish import markdown_cells, pages, text
from analysis.publish.tables import ZH_COLUMNS
from analysis.publish.wording import WordingError, language, placeholders, words

PUBLISH = REPO / "src" / "analysis" / "publish"
SAYING = {"say", "say_count"}
# The only places a key is put together rather than written out: the loader itself, a
# table's column (tables.header: "column.<name>"), a notebook section (html.section_markdown)
# and the link to a page in another language (index.language_link: "nav.in_<lang>").
COMPOSED = {
    ("wording.py", "say"),
    ("wording.py", "say_count"),
    ("tables.py", "header"),
    ("html.py", "section_markdown"),
    ("html.py", "section_title"),
    ("index.py", "language_link"),
}


def _said_in_python() -> tuple[dict[str, list[set[str]]], set[tuple[str, str]], set[str]]:
    """Keys said with literal names and the placeholders each call gives; where keys are composed;
    column names."""
    said: dict[str, list[set[str]]] = {}
    composed, columns = set(), set(ZH_COLUMNS)
    for path in sorted(PUBLISH.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                name = (
                    call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                )
                literal = (
                    call.args
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)
                )
                if name == "header" and literal:
                    columns.add(call.args[0].value)
                elif name in SAYING and literal:
                    key = call.args[0].value
                    said.setdefault(key if name == "say" else f"{key}.*", []).append(
                        {k.arg for k in call.keywords}
                    )
                elif name in SAYING:
                    composed.add((path.name, function.name))
    return said, composed, columns


def _said_in_templates() -> dict[str, list[set[str]]]:
    said: dict[str, list[set[str]]] = {}
    env = pages.environment()
    for path in sorted((PUBLISH / "templates").rglob("*.j2")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for call in tree.find_all(jinja2.nodes.Call):
            if isinstance(call.node, jinja2.nodes.Name) and call.node.name in SAYING:
                key = call.args[0]
                assert isinstance(key, jinja2.nodes.Const), f"{path.name}: a key must be written out"
                name = key.value if call.node.name == "say" else f"{key.value}.*"
                said.setdefault(name, []).append({k.key for k in call.kwargs})
    return said


def _notebook_sections() -> list[str]:
    """The sections whose headings the notebook asks for: section_markdown("links", number=2)."""
    nb = nbformat.read(REPO / "notebooks" / "year_report.ipynb", as_version=4)
    calls = [
        n
        for c in nb.cells
        if c.cell_type == "code"
        for n in ast.walk(ast.parse(c.source))
        if isinstance(n, ast.Call)
    ]
    return [c.args[0].value for c in calls if getattr(c.func, "attr", "") == "section_markdown"]


def test_every_key_is_said_with_exactly_its_placeholders_and_every_key_is_said():
    english = words("en")
    strings = english.strings
    in_python, composed, columns = _said_in_python()
    assert composed <= COMPOSED, f"keys put together outside the known places: {sorted(composed - COMPOSED)}"
    said = {**in_python}
    for key, calls in _said_in_templates().items():
        said.setdefault(key, []).extend(calls)
    for key, calls in said.items():
        forms = [f"{key[:-2]}.one", f"{key[:-2]}.other"] if key.endswith(".*") else [key]
        for form in forms:
            assert form in strings, f"{form} is said but not in en.yaml"
            for given in calls:
                assert given == english.takes(form), f"{form} takes {english.takes(form)}, is given {given}"
    used = {
        f for key in said for f in ([f"{key[:-2]}.one", f"{key[:-2]}.other"] if key.endswith(".*") else [key])
    }
    used |= {f"column.{c}" for c in columns}
    used |= {f"nav.in_{lang}" for lang in LANGUAGES}
    for section in _notebook_sections():
        used |= {f"section.{section}.title", f"section.{section}.intro"}
    assert set(strings) - used == set(), "words in en.yaml that nothing says"
    assert not any(
        placeholders(strings[k])
        for k in strings
        if k.startswith(("column.", "section.")) and k != "section.heading"
    )


def test_the_notebook_has_no_words_of_its_own():
    """Its headings are said by the catalogue: no Markdown cell, and each heading cell is tagged to
    become one."""
    nb = nbformat.read(REPO / "notebooks" / "year_report.ipynb", as_version=4)
    assert [c.id for c in nb.cells if c.cell_type == "markdown"] == []
    headings = [c for c in nb.cells if "section_markdown" in c.source]
    assert [c.id for c in headings] == [
        "at-a-glance",
        "the-three-links",
        "problems",
        "opinions-and-suggestions",
        "units-at-a-glance",
        "data-quality",
        "about-this-report",
    ]
    # the technical record's headings also go to the record page (tag `record`)
    record = {"data-quality", "about-this-report"}
    expected = {c.id: [markdown_cells.TAG, *(["record"] if c.id in record else [])] for c in headings}
    assert {c.id: c.metadata.tags for c in headings} == expected


def test_a_cell_that_displays_markdown_is_a_markdown_cell_on_the_page():
    code = nbformat.v4.new_code_cell(
        "display(Markdown(...))", id="at-a-glance", metadata={"tags": [markdown_cells.TAG]}
    )
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": "## 1. At a glance", "text/plain": "<Markdown>"}
        )
    ]
    cell = markdown_cells.as_markdown_cell(code)
    assert (cell.cell_type, cell.id, cell.source, cell.metadata) == (
        "markdown",
        "at-a-glance",
        "## 1. At a glance",
        {},
    )
    untagged = nbformat.v4.new_code_cell("display(Markdown(...))", id="x")
    untagged.outputs = code.outputs
    assert markdown_cells.as_markdown_cell(untagged) is untagged


def test_a_missing_or_unknown_placeholder_is_an_error():
    en = words("en")
    assert en.say("figure.share", k=26, n=38, percent="68.4%") == "26 of 38 (68.4%)"
    with pytest.raises(WordingError, match=r"'figure.share' takes \{k, n, percent\}: missing percent"):
        en.say("figure.share", k=26, n=38)
    with pytest.raises(WordingError, match="unknown year"):
        en.say("figure.share", k=26, n=38, percent="68.4%", year=2004)
    with pytest.raises(WordingError, match=r"no key 'figure\.shares'"):
        en.say("figure.shares")
    assert en.say_count("change.share", 1, pp="+2.6 pp", count="+1") == "+2.6 pp (+1 unit)"
    assert en.say_count("change.share", 5, pp="+13.1 pp", count="+5") == "+13.1 pp (+5 units)"


def copied_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped catalogue folder, read by every process from now on."""
    folder = tmp_path / "catalogue"
    shutil.copytree(PACKAGE_FOLDER, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv(FOLDER_VARIABLE, str(folder))
    return folder


def english(folder: Path) -> dict:
    return yaml.safe_load((folder / "wording" / "en.yaml").read_text(encoding="utf-8"))


def write_language(folder: Path, lang: str, tree: dict) -> None:
    (folder / "wording" / f"{lang}.yaml").write_text(
        yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8"
    )


def test_a_second_language_is_a_second_file_and_no_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = copied_catalogue(tmp_path, monkeypatch)
    chinese = copy.deepcopy(english(folder))
    chinese["figure"].update(share="{n}个单位中有{k}个（{percent}）", no_base="基数为零")
    del chinese["change"]["share"]["one"]  # no singular in Chinese: "other" serves every count
    chinese["change"]["share"]["other"] = "{pp}（{count}个单位）"
    write_language(folder, "zh", chinese)
    with language("zh"):
        assert text.share_text(26, 38, 68.4) == "38个单位中有26个（68.4%）"
        assert text.share_text(0, 0, None) == "基数为零"
        assert words().say_count("change.share", 1, pp="+2.6 pp", count="+1") == "+2.6 pp（+1个单位）"
    assert text.share_text(26, 38, 68.4) == "26 of 38 (68.4%)"  # the page's language is back to English


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t["figure"].pop("none"), "missing: figure.none"),
        (lambda t: t["figure"].update(extra="x"), "unknown: figure.extra"),
        (lambda t: t["figure"].update(share="{k}/{n}"), "other placeholders: figure.share"),
        (lambda t: t["figure"].update(share="{k} of {n} ({percent:.1f})"), "must be a plain name"),
        (lambda t: t["figure"].update(share="{k} of {n} ({0})"), "must be a plain name"),
        (lambda t: t["figure"].update(none=3), "figure.none must be text"),
        (
            lambda t: t["unsaid"].update({"figure.share": ["k"]}),
            "unsaid.figure.share lists k, which its string says",
        ),
        (
            lambda t: t["unsaid"].update({"figure.shares": ["k"]}),
            "unsaid names 'figure.shares', which is not a key of this file",
        ),
        (lambda t: t["unsaid"].update({"figure.share": [False]}), "quote a name YAML reads otherwise"),
        (lambda t: t["unsaid"].pop("clause.up"), "other placeholders: clause.up"),
    ],
)
def test_a_language_that_does_not_match_english_is_refused_when_it_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, problem
):
    folder = copied_catalogue(tmp_path, monkeypatch)
    tree = english(folder)
    change(tree)
    write_language(folder, "zh", tree)
    with pytest.raises(WordingError, match=re.escape(problem)):
        words("zh")


def test_a_language_may_leave_out_what_it_lists_as_unsaid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The code gives every value a key takes; each language says those it does not list."""
    folder = copied_catalogue(tmp_path, monkeypatch)
    tree = english(folder)
    tree["figure"]["share"] = "{k}/{n}"
    tree["unsaid"]["figure.share"] = ["percent"]
    write_language(folder, "zh", tree)
    assert words("zh").takes("figure.share") == {"k", "n", "percent"}
    assert words("zh").say("figure.share", k=26, n=38, percent="68.4%") == "26/38"
    with pytest.raises(WordingError, match="missing percent"):
        words("zh").say("figure.share", k=26, n=38)


def test_the_shipped_chinese_says_what_english_says():
    """zh.yaml loads against en.yaml; a change is said in units and points, and no English is
    beside the Chinese."""
    chinese = words("zh")
    assert set(chinese.strings) == {k for k in words("en").strings if not k.endswith(".one")}
    assert (
        chinese.say("clause.up", before="18/38（47.4%）", previous=2003, units="增加5个单位", pp="13.1")
        == "，比上年增加5个单位，提高13.1个百分点"
    )
    assert chinese.say("chart.bar_label", zh="逐级分解责任", en="Layered decomposition") == "逐级分解责任"


def test_a_language_without_a_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    copied_catalogue(tmp_path, monkeypatch)
    with pytest.raises(WordingError, match="no wording for language 'fr'"), language("fr"):
        pass
