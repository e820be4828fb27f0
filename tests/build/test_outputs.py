"""The shipped sample's pages and processed tables have the bytes recorded in the manifest.

A change that alters what a reviewer or a program reads shows here and must rewrite the
manifest on purpose (`python scripts/output_manifest.py --write`), so the diff names it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO, decoy_fonts, resolves_to_decoy

sys.path.insert(0, str(REPO / "scripts"))
from output_manifest import built_outputs, differences, read_manifest


def test_the_shipped_outputs_have_the_recorded_bytes(tmp_path: Path):
    """Built as on a new Chinese desktop: other faces named as the charts' fonts, no font cache.

    The recorded bytes were built on a machine with neither system face; the same returns must
    give the same bytes here (a build that drew with a decoy would differ or fail).
    """
    machine = decoy_fonts(tmp_path / "machine")
    assert resolves_to_decoy(machine, "Noto Sans CJK SC") and resolves_to_decoy(machine, "DejaVu Sans")
    built = built_outputs(tmp_path / "checkout", machine)
    recorded = read_manifest()
    assert any(name.endswith(".html") for name in recorded) and any(
        name.endswith(".csv") for name in recorded
    )
    assert differences(recorded, built) == []
