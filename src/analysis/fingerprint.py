"""A file's SHA-256, read in chunks: one owner for the provenance tables and the build records.

A module of its own, below both: the pipeline (inputs.csv) and the records (what an output was
made from) each need it, and the records sit above the pipeline.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1 << 20  # a million-unit return is not held twice in memory to be hashed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
