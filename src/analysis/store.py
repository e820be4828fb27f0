"""Write outputs so that a reader never sees half a file: write beside the target, then rename.

Byte-stable formats are chosen on purpose: CSV with fixed line endings and one-decimal
percentages, so the same inputs give the same bytes on every build.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a temporary file in the target's folder, then rename it over target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp makes the file private; outputs are for everyone the umask allows.
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(target: Path, text: str) -> None:
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def csv_text(frame: pd.DataFrame) -> str:
    """CSV with blank cells for nulls and percentages always shown with one decimal."""
    out = frame.copy()
    for column in out.columns:
        if str(out[column].dtype) in ("Float64", "float64"):
            out[column] = [None if pd.isna(v) else f"{v:.1f}" for v in out[column]]
    return out.to_csv(index=False, lineterminator="\n")


def write_csv(target: Path, frame: pd.DataFrame) -> None:
    write_text_atomic(target, csv_text(frame))


def write_parquet(target: Path, frame: pd.DataFrame) -> None:
    write_atomic(target, lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow"))
