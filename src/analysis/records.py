"""What each output was made from, so a build redoes only what changed.

Every output of a build (a year's processed tables, a year's pages, the trends pages, the
indexes, the workbook) gets a record in `<processed>/records/<name>.json`: what it was made
from (the SHA-256 of its input files, the code and catalogue, the library versions, its
parameters) and the SHA-256 of each file it wrote. A later build recomputes the first part
and reads the files back: an output is redone when either differs, when it is missing or
when someone edited it, and left alone otherwise, so a build with nothing changed starts no
kernel. Records are plain JSON with sorted keys: a diff of two builds' records says why an
output was redone. Nothing here depends on where the checkout lives.

Pages are recorded against the bytes of the processed tables they read, not against the
returns: a year whose tables were rebuilt with the same bytes keeps its pages.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis.fingerprint import file_sha256
from analysis.store import write_text_atomic

FOLDER = "records"
PACKAGE = Path(__file__).resolve().parent
# The publishing side: code, templates and words that change pages but not processed tables.
PUBLISH_PARTS = ("publish", "catalogue/wording")
# Environment variables that change the bytes of an output (the workbook's date).
BYTE_ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


@dataclass(frozen=True)
class Verdict:
    """Whether an output must be redone, and why, in words for the build's progress lines."""

    stale: bool
    reason: str = ""


def record_path(processed: Path, name: str) -> Path:
    return processed / FOLDER / f"{name}.json"


def digests(files: Iterable[Path], root: Path) -> dict[str, str]:
    """Relative path (from `root`, with /) -> SHA-256 of each file; a missing file is "missing"."""
    return {p.relative_to(root).as_posix(): (file_sha256(p) if p.is_file() else "missing") for p in files}


def _tree_digest(files: Iterable[Path], root: Path) -> str:
    """One SHA-256 over many files: their relative paths and contents, in a fixed order."""
    digest = hashlib.sha256()
    for name, sha in sorted(digests(files, root).items()):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()


def _package_files(publish: bool) -> list[Path]:
    """The package's own files (code, catalogue, words, templates), without caches."""
    files = [
        p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]
    if publish:
        return files
    parts = tuple(PACKAGE / part for part in PUBLISH_PARTS)
    return [p for p in files if not any(part in p.parents for part in parts)]


@cache
def _code(publish: bool) -> tuple[tuple[str, str], ...]:
    version = importlib.metadata.version("analysis")
    return (("analysis", version), ("source", _tree_digest(_package_files(publish), PACKAGE)))


def code(publish: bool = False, notebook: Path | None = None) -> dict[str, str]:
    """The package's version and a digest of its files: the data stage's own (publish=False)
    or every file, templates and words included (publish=True), and the page's notebook."""
    made = dict(_code(publish))
    if notebook is not None:
        made["notebook"] = f"{notebook.name} {file_sha256(notebook)}"
    return made


@cache
def _libraries() -> tuple[tuple[str, str], ...]:
    found = {
        d.metadata["Name"].lower(): d.version
        for d in importlib.metadata.distributions()
        if d.metadata["Name"]
    }
    found.pop("analysis", None)
    return tuple(sorted(found.items()))


def environment() -> dict[str, object]:
    """Python and every installed library with its version: an upgrade redoes everything."""
    return {
        "python": platform.python_version(),
        "libraries": dict(_libraries()),
        **{name: os.environ.get(name) for name in BYTE_ENVIRONMENT},
    }


def read_record(processed: Path, name: str) -> dict | None:
    path = record_path(processed, name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no record, or one cut short: the output is redone


def write_record(processed: Path, name: str, made_from: dict, outputs: Iterable[Path], root: Path) -> Path:
    """Written after the outputs: a build killed between the two leaves an old record whose
    output hashes no longer match, so the next build redoes the output."""
    record = {"output": name, "made_from": made_from, "outputs": digests(outputs, root)}
    path = record_path(processed, name)
    write_text_atomic(path, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path


def verdict(processed: Path, name: str, made_from: dict, root: Path) -> Verdict:
    """Stale unless the record says it was made from exactly `made_from` and every output it
    wrote (under `root`) still has the bytes it was written with."""
    record = read_record(processed, name)
    if record is None:
        return Verdict(True, "not built before")
    before = json.loads(json.dumps(record.get("made_from")))
    now = json.loads(json.dumps(made_from))  # the same JSON types as the record read back
    if before != now:
        return Verdict(True, changed_text(before, now))
    for output, sha in sorted(record.get("outputs", {}).items()):
        path = root / output
        if not path.is_file():
            return Verdict(True, f"{output} is missing")
        if file_sha256(path) != sha:
            return Verdict(True, f"{output} was changed since it was written")
    return Verdict(False)


def changed_text(before: object, now: object, where: str = "", limit: int = 3) -> str:
    """What differs between two records' inputs, named as a person would look for it."""
    changes = _changes(before, now, where)
    shown = ", ".join(changes[:limit])
    return f"changed: {shown}" + (f" and {len(changes) - limit} more" if len(changes) > limit else "")


def _changes(before: object, now: object, where: str) -> list[str]:
    if isinstance(before, dict) and isinstance(now, dict):
        found = []
        for key in sorted(set(before) | set(now), key=str):
            path = f"{where}/{key}" if where else str(key)
            if key not in before:
                found.append(f"{path} (new)")
            elif key not in now:
                found.append(f"{path} (gone)")
            elif before[key] != now[key]:
                found += _changes(before[key], now[key], path)
        return found
    return [where or "inputs"]
