"""The shipped sample's pages and processed tables have the bytes recorded in the manifest.

A change that alters what a reviewer or a program reads shows here and must rewrite the
manifest on purpose (`python scripts/output_manifest.py --write`), so the diff names it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
from output_manifest import built_outputs, differences, read_manifest


def test_the_shipped_outputs_have_the_recorded_bytes(tmp_path: Path):
    built = built_outputs(tmp_path)
    recorded = read_manifest()
    assert any(name.endswith(".html") for name in recorded) and any(name.endswith(".csv") for name in recorded)
    assert differences(recorded, built) == []
