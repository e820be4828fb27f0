"""Run a page's notebook in a fresh kernel with checked parameters; keep a failed one.

The parameters are checked against the notebook's declared ones first, because papermill
only warns about a name it does not know and then runs with the default. A failed notebook
is kept as `<name>.failed.ipynb` and the error names the year and the cell. The kept notebook
is tidied so the same inputs give the same bytes (no random ids, times or home folders).
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.paths import (
    LANGUAGES,
    RUNNING_NOTEBOOK,
    YEAR_NOTEBOOK,
    Paths,
    compared_years,
    failed_notebook_file,
    notebook_file,
    shown_path,
)
from analysis.publish.kernel import KERNEL, kernel_config, kernel_environment
from analysis.publish.load import ReportError
from analysis.store import make_readable, temporary_beside

if TYPE_CHECKING:  # nbformat takes a second to import: a build with nothing to run does without it
    import nbformat

NOTEBOOK = YEAR_NOTEBOOK
TIMING_KEYS = ("start_time", "end_time", "duration")
_TYPES: dict[str, type] = {"int": int, "float": float, "str": str, "bool": bool, "None": type(None)}


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
            raise ReportError(
                f"{notebook.name}: cannot check parameter {name} of type {type_name!r}; declare int, float, "
                "str, bool or None"
            )
        if not _fits(value, tuple(allowed)):
            raise ReportError(
                f"parameter {name} of {notebook.name} must be {type_name}, got {type(value).__name__} "
                f"{value!r}"
            )


def _fits(value: object, allowed: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in allowed:
        return False  # True is an int to Python, not a year
    if isinstance(value, int) and not isinstance(value, bool) and float in allowed:
        return True
    return isinstance(value, allowed)


def year_parameters(year: int, paths: Paths, langs: tuple[str, ...] = LANGUAGES) -> dict[str, object]:
    """Absolute folders, so the kernel's working directory does not matter; every language at once."""
    return {
        "year": year,
        "raw_dir": str(paths.raw.resolve()),
        "processed_dir": str(paths.processed.resolve()),
        "lang": " ".join(langs),
        "compared": " ".join(map(str, compared_years(paths.reports, year))),
    }


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
        return (
            f"{year}: the report notebook {notebook.name} could not be run ({type(error).__name__}: "
            f"{error}); {kept_text}; the previous reports are unchanged"
        )
    import nbformat

    source = nbformat.read(notebook, as_version=4)
    where = next(
        (
            f"cell {i} (id {c.get('id')!r})"
            for i, c in enumerate(source.cells)
            if c.cell_type == "code" and c.source == error.source
        ),
        "the cell papermill injected with the parameters",  # the only code cell not in the notebook itself
    )
    first_line = (error.source or "").strip().splitlines()[:1]
    code = f" [{first_line[0]}]" if first_line else ""
    return (
        f"{year}: the report notebook {notebook.name} failed at {where}{code}: {error.ename}: "
        f"{error.evalue}; "
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
    meta["output_path"] = notebook_file(year)
    meta["parameters"] = {k: _shown_value(v) for k, v in meta.get("parameters", {}).items()}
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = _parameters_source(meta["parameters"])
    return nb


def _parameters_source(parameters: dict[str, object]) -> str:
    """The injected cell as papermill writes it, with the folders as shown (no home folder)."""
    from papermill.translators import translate_parameters

    return translate_parameters(
        kernel_name=KERNEL, language="python", parameters=parameters, comment="Parameters"
    )


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


def execute_year(
    year: int, paths: Paths, notebook: Path = NOTEBOOK, parameters: dict[str, object] | None = None
) -> nbformat.NotebookNode:
    """Run one year's notebook; on failure keep it as <reports>/<year>.failed.ipynb and raise."""
    return execute_page(year, paths, notebook, {**year_parameters(year, paths), **(parameters or {})})


def execute_page(
    name: int | str, paths: Paths, notebook: Path, values: dict[str, object]
) -> nbformat.NotebookNode:
    """Run a page's notebook (a year's, or `trends`); on failure keep it as <reports>/<name>.failed.ipynb
    and raise."""
    check_parameters(notebook, values)
    failed = paths.reports / failed_notebook_file(name)
    running = temporary_beside(paths.reports / str(name), suffix=RUNNING_NOTEBOOK)
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
