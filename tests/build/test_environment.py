"""Set-up: requirements.txt and environment.yml pin the same packages at the same versions."""

from __future__ import annotations

import re
from importlib import metadata

import yaml
from conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)$")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"requirements.txt line is not an exact pin: {line!r}"
        pins[_canonical(match[1])] = match[2]
    return pins


def test_environment_yml_has_the_same_pins_as_requirements():
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    conda_pins = {}
    for line in pip_section:
        match = PIN.match(line)
        assert match, f"environment.yml pip line is not an exact pin: {line!r}"
        conda_pins[_canonical(match[1])] = match[2]
    assert conda_pins == _requirements()


def test_core_packages_are_pinned_and_installed_at_those_versions():
    pins = _requirements()
    for name in (
        "jupyterlab",
        "pandas",
        "matplotlib",
        "seaborn",
        "papermill",
        "nbconvert",
        "openpyxl",
        "pyarrow",
        "pandera",
        "mplfonts",
        "fonttools",
    ):
        assert name in pins, f"{name} is not pinned"
        assert metadata.version(name) == pins[name], (
            f"{name}: installed {metadata.version(name)}, pinned {pins[name]}"
        )


def test_direct_dependencies_in_pyproject_are_all_pinned():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _requirements()
    missing = [d for d in project["dependencies"] if _canonical(d) not in pins]
    assert missing == []
