"""Run the year notebook through papermill and publish it with nbconvert, all in this process.

One kernel per year, started by `papermill.execute_notebook` (no shell command per step:
the CLIs cost a Python start-up and their imports each time). The parameters are checked
against the notebook's declared ones first, because papermill only warns about a name it
does not know and then runs with the default. The HTML is written beside its target and
renamed, so a failed run leaves the previous reports as they were; a failed notebook is
kept as `<year>.failed.ipynb` and the error names the year and the cell.
"""

from __future__ import annotations

import copy
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import store
from analysis.paths import (
    COMPARISON,
    INDEX,
    LANGUAGES,
    PAGE_LANG,
    TRENDS,
    TRENDS_NOTEBOOK,
    YEAR_PAGES,
    Paths,
    compared_pairs,
    notebook_file,
    page_file,
    page_folder,
    record_name,
)
from analysis.pipeline import YearResult, discover_years
from analysis.publish.execute import (
    NOTEBOOK,
    execute_page,
    execute_year,
    stderr_outputs,
    tidy_executed,
    year_parameters,
)
from analysis.publish.fonts import embed_page_font, embed_page_fonts
from analysis.publish.index import IndexEntry, index_html
from analysis.publish.kernel import kernel_environment
from analysis.publish.load import ReportError, compare_page_name
from analysis.publish.notebook import LANG_KEY
from analysis.publish.parts import compare_title, report_title, trends_title
from analysis.publish.wording import language, say
from analysis.store import remove_leftovers, write_text_atomic

if TYPE_CHECKING:  # nbformat takes a second to import: a build with nothing to run does without it
    import nbformat

Progress = Callable[[str], None]

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report"
HIDDEN_CELL_TAGS = ("parameters", "injected-parameters")
RECORD_TAG = "record"  # a cell of the technical record page, not of the report
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class RenderedYear:
    """What one year's run produced, and what it printed to stderr (shown as build warnings)."""

    year: int
    html: Path  # the first language's page
    notebook: Path
    seconds: float
    stderr: list[str] = field(default_factory=list)
    pages: dict[str, Path] = field(default_factory=dict)  # language -> page


def page_path(reports: Path, year: int, lang: str) -> Path:
    return page_folder(reports, lang) / page_file(year)


# --- export ------------------------------------------------------------------------------


_EXPORT_LOCK = threading.Lock()


@cache
def _exporter(lang: str):
    """One exporter per language for every year: the template is loaded once."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = TEMPLATE
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.HTMLExporter.exclude_input = True
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    config.HTMLExporter.language_code = lang
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_CELL_TAGS)
    return HTMLExporter(config=config)


def page_outputs(nb: nbformat.NotebookNode, lang: str, record: bool = False) -> nbformat.NotebookNode:
    """The notebook as one language's page: that language's outputs (and those of no language), no
    stderr; the report's cells, or with `record` its technical record's (cells tagged `record`)."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if (RECORD_TAG in c.metadata.get("tags", [])) == record]
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if _shown(o, lang)]
    return nb


def _shown(output: nbformat.NotebookNode, lang: str) -> bool:
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return False
    return output.get("metadata", {}).get(LANG_KEY, lang) == lang


def export_html(nb: nbformat.NotebookNode, title: str, lang: str = "en", record: bool = False) -> str:
    """One page in `lang`: no code, no prompts, no parameter cells, no stderr, a stable title; the
    report, or with `record` its technical record. Self-contained once its face is embedded
    (`embed_page_fonts`, for the pages of a notebook together)."""
    page_nb = page_outputs(nb, lang, record)
    resources = {"metadata": {"name": title}, "page_lang": PAGE_LANG[lang]}
    with _EXPORT_LOCK:  # one exporter serves every year's thread; it keeps state while it works
        page, _ = _exporter(lang).from_notebook_node(page_nb, resources=resources)
    return strip_head_comments(page)


def strip_head_comments(page: str) -> str:
    """Drop the comments of the template's stylesheets: they hold third-party web addresses
    (colour tools, design credits), which a reviewer would rightly read as external links."""
    head, marker, body = page.partition("</head>")
    return CSS_COMMENT.sub("", head) + marker + body


# --- one year, every year ----------------------------------------------------------------


def publish_year(
    year: int,
    nb: nbformat.NotebookNode,
    paths: Paths,
    notebook: Path = NOTEBOOK,
    seconds: float = 0.0,
    langs: tuple[str, ...] = LANGUAGES,
) -> RenderedYear:
    """Export an executed notebook as one page per language, and keep the notebook: <reports>/<year>.ipynb."""
    started = time.perf_counter()
    kept, pages, notebook_path = publish_pages(year, nb, paths, notebook, lambda: report_title(year), langs)
    return RenderedYear(
        year=year,
        html=pages[langs[0]],
        notebook=notebook_path,
        seconds=seconds + time.perf_counter() - started,
        stderr=stderr_outputs(kept),
        pages=pages,
    )


def publish_pages(
    name: int | str,
    nb: nbformat.NotebookNode,
    paths: Paths,
    notebook: Path,
    title: Callable[[], str],
    langs: tuple[str, ...],
) -> tuple[nbformat.NotebookNode, dict[str, Path], Path]:
    """One page per language, <reports>/[<lang>/]<name>.html (`title()` said in each), and the notebook
    kept as <reports>/<name>.ipynb."""
    kept = tidy_executed(nb, notebook, name)
    records = any(RECORD_TAG in c.metadata.get("tags", []) for c in kept.cells)
    exported: dict[str, tuple[Path, str]] = {}
    for lang in langs:
        with language(lang):
            folder = page_folder(paths.reports, lang)
            exported[lang] = (folder / page_file(name), export_html(kept, title(), lang=lang))
            if records:
                said = say("record.page_title", title=title())
                record = export_html(kept, said, lang=lang, record=True)
                exported[f"{lang}-record"] = (folder / page_file(record_name(name)), record)
    targets = list(exported.values())
    embedded = embed_page_fonts([html for _, html in targets])
    for (path, _), html in zip(targets, embedded, strict=True):
        write_text_atomic(path, html)
    pages = {key: path for key, (path, _) in exported.items()}
    notebook_path = paths.reports / notebook_file(name)
    import nbformat

    write_text_atomic(notebook_path, nbformat.writes(kept) + "\n")
    return kept, pages, notebook_path


def render_year(
    year: int,
    paths: Paths,
    notebook: Path = NOTEBOOK,
    parameters: dict[str, object] | None = None,
    langs: tuple[str, ...] = LANGUAGES,
) -> RenderedYear:
    """Execute once, export and publish one year in every language: <reports>/[<lang>/]<year>.html and
    <year>.ipynb."""
    started = time.perf_counter()
    paths = paths.resolved()
    nb = execute_year(
        year, paths, notebook=notebook, parameters={"lang": " ".join(langs), **(parameters or {})}
    )
    return publish_year(
        year, nb, paths, notebook=notebook, seconds=time.perf_counter() - started, langs=langs
    )


def trends_not_updated(unbuilt: list[int]) -> str:
    return (
        f"trends: not updated; no processed tables for {', '.join(map(str, unbuilt))} (build every year "
        "to update it)"
    )


def index_paths(paths: Paths, langs: tuple[str, ...] = LANGUAGES) -> list[Path]:
    return [page_folder(paths.reports, lang) / page_file(INDEX) for lang in langs]


def indexes_not_updated(paths: Paths, langs: tuple[str, ...] = LANGUAGES) -> list[str]:
    """The last lines of a failed build's error: no index was written, in any language."""
    return [f"{index} was not updated." for index in index_paths(paths, langs)]


def render_years(
    years: list[int],
    paths: Paths,
    progress: Progress = print,
    notebook: Path = NOTEBOOK,
    workers: int | None = None,
    langs: tuple[str, ...] = LANGUAGES,
    done: Callable[[RenderedYear], None] | None = None,
) -> list[RenderedYear]:
    """The years' reports; when any year failed, one ReportError naming each failure and the
    indexes left as they were, raised once every other year is published (and `done`).

    Years run side by side, one kernel each, as many at once as there are cores (`workers`):
    a kernel is one busy process, so on two cores two years take little longer than one.
    Each year's files are its own, so the bytes do not depend on the order they finish in.
    `done` is called with each year as it is published, in year order.
    """
    paths = paths.resolved()  # before any kernel starts: see run_notebook
    for lang in langs:
        remove_leftovers(page_folder(paths.reports, lang))
    workers = max(1, min(len(years), workers or os.cpu_count() or 1))
    failures: list[str] = []
    rendered: list[RenderedYear] = []
    if not years:
        return rendered
    # Set before any thread starts a kernel: os.environ is shared, and each run_notebook then
    # saves and restores the same values instead of taking them away from another thread.
    with kernel_environment(), ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report") as pool:
        pending = [
            (year, pool.submit(render_year, year, paths, notebook=notebook, langs=langs)) for year in years
        ]
        try:
            # reported in year order, each as soon as it and those before are done
            for year, future in pending:
                try:
                    finished = future.result()
                except ReportError as exc:
                    failures.append(str(exc))
                    progress(f"{year}: report failed")
                    continue
                rendered.append(finished)
                progress(
                    f"{year}: report -> {', '.join(str(p) for p in finished.pages.values())} "
                    f"({finished.seconds:.1f} s)"
                )
                for message in finished.stderr:
                    progress(f"{year}: warning: {message}")
                if done is not None:
                    done(finished)
        except BaseException:
            pool.shutdown(cancel_futures=True)  # Ctrl-C: finish the years under way, start no other
            raise
    if failures:
        raise ReportError("\n".join([*failures, *indexes_not_updated(paths, langs)]))
    return rendered


def write_indexes(
    results: dict[int, YearResult],
    paths: Paths,
    langs: tuple[str, ...] = LANGUAGES,
    progress: Progress = print,
) -> list[Path]:
    """The index of every year page in the reports folder, in each language."""
    indexes = index_paths(paths, langs)
    for lang, index in zip(langs, indexes, strict=True):
        with language(lang):
            page = index_html(index_entries(results, paths, lang), compares=compared_pairs(paths.reports))
            write_text_atomic(index, embed_page_font(page))
        progress(f"index -> {index}")
    return indexes


def index_entries(results: dict[int, YearResult], paths: Paths, lang: str = "en") -> list[IndexEntry]:
    """The years built now, and any earlier report still in the folder (figures from its processed tables)."""
    entries = {year: IndexEntry(year, result.comparison) for year, result in results.items()}
    for page in sorted(page_folder(paths.reports, lang).glob(YEAR_PAGES)):
        year = int(page.stem)
        if year in entries:
            continue
        comparison = (
            store.read_table(paths.processed, year, COMPARISON)
            if store.has_year(paths.processed, year)
            else None
        )
        entries[year] = IndexEntry(year, comparison, (paths.reports / notebook_file(year)).is_file())
    return list(entries.values())


def render_trends(
    paths: Paths,
    langs: tuple[str, ...] = LANGUAGES,
    progress: Progress = print,
    notebook: Path = TRENDS_NOTEBOOK,
) -> RenderedYear:
    """The trends page of every year built, in every language: <reports>/[<lang>/]trends.html and
    trends.ipynb.

    Run as a year is (one kernel for every language, the same export and atomic writes; a
    failure keeps trends.failed.ipynb and raises, the previous page left as it was), from
    the processed tables the year pages are made from: the build runs it beside them.
    """
    started = time.perf_counter()
    paths = paths.resolved()
    values = {"raw_dir": str(paths.raw), "processed_dir": str(paths.processed), "lang": " ".join(langs)}
    years = discover_years(paths.raw)
    nb = execute_page(TRENDS, paths, notebook, values)
    kept, pages, notebook_path = publish_pages(
        TRENDS,
        nb,
        paths,
        notebook,
        lambda: trends_title(years),
        langs,
    )
    done = RenderedYear(
        year=0,
        html=pages[langs[0]],
        notebook=notebook_path,
        seconds=time.perf_counter() - started,
        stderr=stderr_outputs(kept),
        pages=pages,
    )
    progress(f"trends -> {', '.join(str(p) for p in pages.values())} ({done.seconds:.1f} s)")
    for message in done.stderr:
        progress(f"trends: warning: {message}")
    return done


def render_compare(
    year: int, compare_with: int, paths: Paths, langs: tuple[str, ...] = LANGUAGES, notebook: Path = NOTEBOOK
) -> RenderedYear:
    """The year page of `year` compared with the earlier `compare_with` instead of the year before:
    <reports>/[<lang>/]compare-<compare_with>-<year>.html in every language, and its notebook.

    The year notebook run with its `compare_with` parameter (one kernel for every language),
    exported and written as a year's page is; the year pages themselves are left as they were.
    """
    started = time.perf_counter()
    paths = paths.resolved()  # before the kernel starts: see run_notebook
    if compare_with >= year:
        raise ReportError(f"compare_with ({compare_with}) must be earlier than the year reported on ({year})")
    stem = Path(compare_page_name(compare_with, year)).stem
    values = {**year_parameters(year, paths, langs), "compare_with": compare_with}
    nb = execute_page(stem, paths, notebook, values)
    kept, pages, notebook_path = publish_pages(
        stem, nb, paths, notebook, lambda: compare_title(year, compare_with), langs
    )
    return RenderedYear(
        year=year,
        html=pages[langs[0]],
        notebook=notebook_path,
        seconds=time.perf_counter() - started,
        stderr=stderr_outputs(kept),
        pages=pages,
    )
