"""Data flows one way: each layer imports only the layers before it, and nothing imports in a circle.

    base (findings, paths, catalogue, ...) -> intake -> figures -> pipeline -> store/records
    -> publish -> plan/outputs/build/cli

Read from the source (every import statement, at the top or inside a function), so a later
stage reached from an earlier one fails here, by name, before it makes a circle at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src" / "analysis"
LAYERS = (
    (
        "analysis.findings",
        "analysis.fingerprint",
        "analysis.paths",
        "analysis.catalogue",
        "analysis.progress",
    ),
    ("analysis.intake",),
    ("analysis.figures",),
    ("analysis.pipeline",),
    ("analysis.store", "analysis.records"),
    ("analysis.publish",),
    ("analysis.plan", "analysis.outputs", "analysis.build", "analysis.cli", "analysis.__main__"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int | None:
    for number, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    return None


def imports(path: Path, top_level_only: bool = False) -> set[str]:
    """The analysis modules a file imports (`from analysis import store` is analysis.store)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                submodule = any(
                    (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(s).exists()
                    for s in (".py", "")
                )
                found.add(candidate if submodule else node.module)
    return found


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer():
    assert [m for m in modules() if m != "analysis" and layer(m) is None] == []


def test_no_module_imports_a_later_layer():
    wrong = []
    for module, path in modules().items():
        if module == "analysis":  # the package's front door names its public API lazily
            continue
        for target in imports(path):
            if target != "analysis" and layer(target) is not None and layer(target) > layer(module):
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_publish_does_not_reach_the_build_and_store_does_not_reach_the_pipeline():
    for module, path in modules().items():
        targets = imports(path)
        if module.startswith("analysis.publish"):
            assert not targets & {"analysis.build", "analysis.plan", "analysis.outputs"}, module
        if module == "analysis.store":
            assert "analysis.pipeline" not in targets


def test_no_import_circle():
    graph = {
        m: {t for t in imports(p, top_level_only=True) if t in modules() and t != m}
        for m, p in modules().items()
    }
    graph["analysis"] = set()  # imports nothing at its top: its names load when first used
    seen: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = "open"
        for target in sorted(graph[node]):
            assert seen.get(target) != "open", " -> ".join([*trail, node, target])
            if target not in seen:
                visit(target, [*trail, node])
        seen[node] = "done"

    for node in sorted(graph):
        if node not in seen:
            visit(node, [])


def test_the_command_line_help_loads_nothing_heavy():
    """`python -m analysis --help` answers at once: no pandas, matplotlib or Jupyter behind it."""
    code = (
        "import sys, runpy; sys.argv = ['analysis', '--help']\n"
        "try:\n    runpy.run_module('analysis', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'nbformat', 'papermill', 'pyarrow')"
        " if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "usage: python -m analysis" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_the_readme_lists_the_registry_of_outputs():
    from analysis.outputs import OUTPUTS, readme_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = readme.split("<!-- outputs -->\n", 1)[1].split("<!-- /outputs -->", 1)[0]
    assert listed == readme_table()
    assert [line.split("`")[1] for line in listed.splitlines()[2:]] == [o.name for o in OUTPUTS]
