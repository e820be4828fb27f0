"""The shipped sample is exactly what its generator writes, so its provenance is reproducible."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLE_RAW


def test_sample_data_is_what_the_script_writes(tmp_path: Path):
    out = tmp_path / "raw"
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sample_data.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(SAMPLE_RAW).as_posix() for p in SAMPLE_RAW.rglob("*") if p.is_file())
    assert written == shipped
    for name in written:
        assert (out / name).read_bytes() == (SAMPLE_RAW / name).read_bytes(), name
