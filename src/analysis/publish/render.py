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
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import store
from analysis.paths import LANGUAGES, NOTEBOOKS, PAGE_FOLDERS, PAGE_LANG, Paths
from analysis.pipeline import YearResult, discover_years
from analysis.publish.fonts import embed_page_font
from analysis.publish.index import IndexEntry, index_html
from analysis.publish.kernel import KERNEL, kernel_config, kernel_environment
from analysis.publish.load import ReportError, compare_page_name
from analysis.publish.notebook import LANG_KEY
from analysis.publish.text import report_title, shown_path
from analysis.publish.wording import language, say
from analysis.store import make_readable, remove_leftovers, temporary_beside, write_text_atomic

if TYPE_CHECKING:  # nbformat takes a second to import: a build with nothing to run does without it
    import nbformat

Progress = Callable[[str], None]

NOTEBOOK = NOTEBOOKS / "year_report.ipynb"
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report"
HIDDEN_CELL_TAGS = ("parameters", "injected-parameters")
TIMING_KEYS = ("start_time", "end_time", "duration")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool, "None": type(None)}


@dataclass(frozen=True)
class RenderedYear:
    """What one year's run produced, and what it printed to stderr (shown as build warnings)."""

    year: int
    html: Path  # the first language's page
    notebook: Path
    seconds: float
    stderr: list[str] = field(default_factory=list)
    pages: dict[str, Path] = field(default_factory=dict)  # language -> page


def page_folder(reports: Path, lang: str) -> Path:
    return reports / PAGE_FOLDERS[lang] if PAGE_FOLDERS[lang] != "." else reports


def page_path(reports: Path, year: int, lang: str) -> Path:
    return page_folder(reports, lang) / f"{year}.html"


# --- parameters --------------------------------------------------------------------------


def declared_parameters(notebook: Path) -> dict[str, dict]:
    """The parameters the notebook's `parameters` cell declares, with their types, as papermill reads them."""
    import papermill

    if not notebook.is_file():
        raise ReportError(f"the report notebook is missing: {notebook}")
    return papermill.inspect_notebook(str(notebook))


def check_parameters(notebook: Path, parameters: dict[str, object]) -> None:
    """An unknown or ill-typed parameter is an error here, not a warning and a silent default."""
    declared = declared_parameters(notebook)
    signature = ", ".join(f"{name} ({p['inferred_type_name']})" for name, p in declared.items())
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportError(f"{notebook.name} has no parameter {', '.join(unknown)}; it takes {signature}")
    for name, value in parameters.items():
        type_name = declared[name]["inferred_type_name"]
        allowed = [_TYPES.get(t.strip()) for t in type_name.split("|")]
        if None in allowed:
            raise ReportError(f"{notebook.name}: cannot check parameter {name} of type {type_name!r}; declare int, float, str, bool or None")
        if not _fits(value, tuple(allowed)):
            raise ReportError(f"parameter {name} of {notebook.name} must be {type_name}, got {type(value).__name__} {value!r}")


def _fits(value: object, allowed: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in allowed:
        return False  # True is an int to Python, not a year
    if isinstance(value, int) and not isinstance(value, bool) and float in allowed:
        return True
    return isinstance(value, allowed)


def year_parameters(year: int, paths: Paths, langs: tuple[str, ...] = LANGUAGES) -> dict[str, object]:
    """Absolute folders, so the kernel's working directory does not matter; every language at once."""
    return {"year": year, "raw_dir": str(paths.raw.resolve()), "processed_dir": str(paths.processed.resolve()), "lang": " ".join(langs)}


# --- execution ---------------------------------------------------------------------------


def run_notebook(notebook: Path, parameters: dict[str, object], output: Path) -> nbformat.NotebookNode:
    """Execute in a fresh kernel, with the notebook's folder as working directory (as JupyterLab does).

    The kernel's folder is given to nbclient (`resources.metadata.path`), not as papermill's
    `cwd`: that one changes the working directory of this whole process while the notebook
    runs, and with years run side by side in threads a relative path resolved meanwhile, or
    the folder restored by the thread that finishes last, would be the wrong one.
    papermill writes `output` only at the end, or when a cell fails (with the cell marked).
    """
    import papermill

    with kernel_environment(), tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        return papermill.execute_notebook(
            input_path=str(notebook.resolve()),
            output_path=str(output.resolve()),
            parameters=parameters,
            kernel_name=KERNEL,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            cwd=None,
            resources={"metadata": {"path": str(notebook.resolve().parent)}},
            config=kernel_config(Path(sockets)),
            # Every output has arrived when the last cell is done: stop the kernel at once
            # (a graceful stop interrupts it first, and it logs the KeyboardInterrupt).
            shutdown_kernel="immediate",
        )


def failure_message(year: int | str, notebook: Path, error: Exception, kept: Path | None) -> str:
    """Name the year, the cell (index and id in the notebook) and what went wrong."""
    from papermill.exceptions import PapermillExecutionError

    kept_text = f"the failed notebook is kept at {kept}" if kept else "no notebook was saved"
    if not isinstance(error, PapermillExecutionError):
        return f"{year}: the report notebook {notebook.name} could not be run ({type(error).__name__}: {error}); {kept_text}; the previous reports are unchanged"
    import nbformat

    source = nbformat.read(notebook, as_version=4)
    where = next(
        (f"cell {i} (id {c.get('id')!r})" for i, c in enumerate(source.cells) if c.cell_type == "code" and c.source == error.source),
        "the cell papermill injected with the parameters",  # the only code cell not in the notebook itself
    )
    first_line = (error.source or "").strip().splitlines()[:1]
    code = f" [{first_line[0]}]" if first_line else ""
    return (
        f"{year}: the report notebook {notebook.name} failed at {where}{code}: {error.ename}: {error.evalue}; "
        f"{kept_text}; the previous reports are unchanged"
    )


def tidy_executed(nb: nbformat.NotebookNode, notebook: Path, year: int | str) -> nbformat.NotebookNode:
    """The notebook kept for analysts, with the same bytes on every build.

    papermill gives its injected cell a random id and stamps times and the temporary
    output path into the metadata; those are replaced by stable values.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
        for key in TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        cell.metadata.pop("execution", None)
    meta = nb.metadata.get("papermill", {})
    for key in TIMING_KEYS:
        meta.pop(key, None)
    meta["input_path"] = shown_path(notebook)
    meta["output_path"] = f"{year}.ipynb"
    meta["parameters"] = {k: _shown_value(v) for k, v in meta.get("parameters", {}).items()}
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = _parameters_source(meta["parameters"])
    return nb


def _parameters_source(parameters: dict[str, object]) -> str:
    """The injected cell as papermill writes it, with the folders as shown (no home folder)."""
    from papermill.translators import translate_parameters

    return translate_parameters(kernel_name=KERNEL, language="python", parameters=parameters, comment="Parameters")


def _shown_value(value: object) -> object:
    return shown_path(Path(value)) if isinstance(value, str) and os.path.isabs(value) else value


def stderr_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """What cells wrote to stderr (warnings from libraries): not for reviewers, but not lost."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append(f"cell {cell.get('id')!r} wrote to stderr: {output.get('text', '').strip()}")
    return found


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


def page_outputs(nb: nbformat.NotebookNode, lang: str) -> nbformat.NotebookNode:
    """The notebook as one language's page: that language's outputs (and those of no language), no stderr."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if _shown(o, lang)]
    return nb


def _shown(output: nbformat.NotebookNode, lang: str) -> bool:
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return False
    return output.get("metadata", {}).get(LANG_KEY, lang) == lang


def export_html(nb: nbformat.NotebookNode, title: str, lang: str = "en") -> str:
    """One self-contained page in `lang`: no code, no prompts, no parameter cells, no stderr, a stable title."""
    page_nb = page_outputs(nb, lang)
    resources = {"metadata": {"name": title}, "page_lang": PAGE_LANG[lang]}
    with _EXPORT_LOCK:  # one exporter serves every year's thread; it keeps state while it works
        page, _ = _exporter(lang).from_notebook_node(page_nb, resources=resources)
    return embed_page_font(strip_head_comments(page))


def strip_head_comments(page: str) -> str:
    """Drop the comments of the template's stylesheets: they hold third-party web addresses
    (colour tools, design credits), which a reviewer would rightly read as external links."""
    head, marker, body = page.partition("</head>")
    return CSS_COMMENT.sub("", head) + marker + body


# --- one year, every year ----------------------------------------------------------------


def execute_year(year: int, paths: Paths, notebook: Path = NOTEBOOK, parameters: dict[str, object] | None = None) -> nbformat.NotebookNode:
    """Run one year's notebook; on failure keep it as <reports>/<year>.failed.ipynb and raise."""
    return execute_page(year, paths, notebook, {**year_parameters(year, paths), **(parameters or {})})


def execute_page(name: int | str, paths: Paths, notebook: Path, values: dict[str, object]) -> nbformat.NotebookNode:
    """Run a page's notebook (a year's, or `trends`); on failure keep it as <reports>/<name>.failed.ipynb and raise."""
    check_parameters(notebook, values)
    failed = paths.reports / f"{name}.failed.ipynb"
    running = temporary_beside(paths.reports / str(name), suffix=".running.ipynb")
    try:
        nb = run_notebook(notebook, values, running)
    except Exception as exc:
        kept = None
        if running.is_file() and running.stat().st_size:
            make_readable(running)
            os.replace(running, failed)
            kept = failed
        raise ReportError(failure_message(year=name, notebook=notebook, error=exc, kept=kept)) from exc
    finally:
        running.unlink(missing_ok=True)
    failed.unlink(missing_ok=True)
    return nb


def publish_year(
    year: int, nb: nbformat.NotebookNode, paths: Paths, notebook: Path = NOTEBOOK, seconds: float = 0.0, langs: tuple[str, ...] = LANGUAGES
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
    name: int | str, nb: nbformat.NotebookNode, paths: Paths, notebook: Path, title: Callable[[], str], langs: tuple[str, ...]
) -> tuple[nbformat.NotebookNode, dict[str, Path], Path]:
    """One page per language, <reports>/[<lang>/]<name>.html (`title()` said in each), and the notebook kept as <reports>/<name>.ipynb."""
    kept = tidy_executed(nb, notebook, name)
    pages = {}
    for lang in langs:
        with language(lang):
            html = export_html(kept, title(), lang=lang)
        pages[lang] = page_folder(paths.reports, lang) / f"{name}.html"
        write_text_atomic(pages[lang], html)
    notebook_path = paths.reports / f"{name}.ipynb"
    import nbformat

    write_text_atomic(notebook_path, nbformat.writes(kept) + "\n")
    return kept, pages, notebook_path


def render_year(
    year: int, paths: Paths, notebook: Path = NOTEBOOK, parameters: dict[str, object] | None = None, langs: tuple[str, ...] = LANGUAGES
) -> RenderedYear:
    """Execute once, export and publish one year in every language: <reports>/[<lang>/]<year>.html and <year>.ipynb."""
    started = time.perf_counter()
    paths = paths.resolved()
    nb = execute_year(year, paths, notebook=notebook, parameters={"lang": " ".join(langs), **(parameters or {})})
    return publish_year(year, nb, paths, notebook=notebook, seconds=time.perf_counter() - started, langs=langs)


def trends_not_updated(unbuilt: list[int]) -> str:
    return f"trends: not updated; no processed tables for {', '.join(map(str, unbuilt))} (build every year to update it)"


def index_paths(paths: Paths, langs: tuple[str, ...] = LANGUAGES) -> list[Path]:
    return [page_folder(paths.reports, lang) / "index.html" for lang in langs]


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
        pending = [(year, pool.submit(render_year, year, paths, notebook=notebook, langs=langs)) for year in years]
        try:
            for year, future in pending:  # reported in year order, each as soon as it and those before are done
                try:
                    finished = future.result()
                except ReportError as exc:
                    failures.append(str(exc))
                    progress(f"{year}: report failed")
                    continue
                rendered.append(finished)
                progress(f"{year}: report -> {', '.join(str(p) for p in finished.pages.values())} ({finished.seconds:.1f} s)")
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


def write_indexes(results: dict[int, YearResult], paths: Paths, langs: tuple[str, ...] = LANGUAGES, progress: Progress = print) -> list[Path]:
    """The index of every year page in the reports folder, in each language."""
    indexes = index_paths(paths, langs)
    for lang, index in zip(langs, indexes, strict=True):
        with language(lang):
            write_text_atomic(index, embed_page_font(index_html(index_entries(results, paths, lang))))
        progress(f"index -> {index}")
    return indexes


def index_entries(results: dict[int, YearResult], paths: Paths, lang: str = "en") -> list[IndexEntry]:
    """The years built now, and any earlier report still in the folder (figures from its processed tables)."""
    entries = {year: IndexEntry(year, result.comparison) for year, result in results.items()}
    for page in sorted(page_folder(paths.reports, lang).glob("[0-9][0-9][0-9][0-9].html")):
        year = int(page.stem)
        if year in entries:
            continue
        comparison = store.read_table(paths.processed, year, "comparison.csv") if store.has_year(paths.processed, year) else None
        entries[year] = IndexEntry(year, comparison, (paths.reports / f"{year}.ipynb").is_file())
    return list(entries.values())


TRENDS_NOTEBOOK = NOTEBOOKS / "trends.ipynb"
TRENDS = "trends"


def render_trends(
    paths: Paths, langs: tuple[str, ...] = LANGUAGES, progress: Progress = print, notebook: Path = TRENDS_NOTEBOOK
) -> RenderedYear:
    """The trends page of every year built, in every language: <reports>/[<lang>/]trends.html and trends.ipynb.

    Run as a year is (one kernel for every language, the same export and atomic writes; a
    failure keeps trends.failed.ipynb and raises, the previous page left as it was), from
    the processed tables the year pages are made from: the build runs it beside them.
    """
    from analysis.publish.trends_page import years_text

    started = time.perf_counter()
    paths = paths.resolved()
    values = {"raw_dir": str(paths.raw), "processed_dir": str(paths.processed), "lang": " ".join(langs)}
    years = discover_years(paths.raw)
    nb = execute_page(TRENDS, paths, notebook, values)
    kept, pages, notebook_path = publish_pages(
        TRENDS, nb, paths, notebook, lambda: say("trends.page_title", years=years_text(years[0], years[-1])), langs
    )
    done = RenderedYear(year=0, html=pages[langs[0]], notebook=notebook_path, seconds=time.perf_counter() - started, stderr=stderr_outputs(kept), pages=pages)
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
        stem, nb, paths, notebook, lambda: say("compare.page_title", year=year, previous=compare_with), langs
    )
    return RenderedYear(
        year=year, html=pages[langs[0]], notebook=notebook_path, seconds=time.perf_counter() - started, stderr=stderr_outputs(kept), pages=pages
    )
