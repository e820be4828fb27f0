"""Record, or check, the SHA-256 of every page and processed table the shipped data gives.

A refactor must not change what a reviewer or a program reads: build the shipped sample
in a scratch copy of the project (the default folders, as `make report` uses them), hash
every page under `reports/` (both languages) and every file under `data/processed/`, and compare with the
manifest committed in `tests/golden/outputs.sha256`. A change that means to alter an
output rewrites the manifest (`--write`), and the diff of the manifest names what changed.

    python scripts/output_manifest.py            # check: exit 1 and list what differs
    python scripts/output_manifest.py --write    # record the current outputs
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "golden" / "outputs.sha256"
# The same environment `make report` gives the build (see the Makefile).
ENVIRONMENT = {"PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1104537600"}
# The build's records of what each output was made from hold a digest of the code, which
# every change of code changes: they are the build's bookkeeping, not what anyone reads.
RECORDS = "records"


def built_outputs(scratch: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Build the shipped data in `scratch` as the project root; path -> sha256 of each output.

    `extra` adds variables to the build's environment (a test gives it a machine of its own).
    """
    shutil.copytree(ROOT / "data" / "raw", scratch / "data" / "raw")
    environment = {**os.environ, **(extra or {}), **ENVIRONMENT, "ANALYSIS_ROOT": str(scratch)}
    run = subprocess.run(
        [sys.executable, "-m", "analysis", "build"],
        cwd=scratch,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"the build failed:\n{run.stderr}")
    outputs = [
        *sorted((scratch / "reports").rglob("*.html")),
        *sorted((scratch / "reports").glob("*.xlsx")),
        *sorted(
            p
            for p in (scratch / "data" / "processed").rglob("*")
            if p.is_file() and RECORDS not in p.relative_to(scratch).parts
        ),
    ]
    return {p.relative_to(scratch).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}


def manifest_text(hashes: dict[str, str]) -> str:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(hashes.items()))


def read_manifest(path: Path = MANIFEST) -> dict[str, str]:
    pairs = (line.split("  ", 1) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {name: digest for digest, name in pairs}


def differences(recorded: dict[str, str], built: dict[str, str]) -> list[str]:
    """What a build changed against the manifest; new files are fine (they add, not change)."""
    return [
        f"{name}: {'missing' if name not in built else 'changed'}"
        for name in sorted(recorded)
        if built.get(name) != recorded[name]
    ]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        built = built_outputs(Path(scratch))
    if "--write" in argv:
        MANIFEST.write_text(manifest_text(built), encoding="utf-8")
        print(f"recorded {len(built)} outputs in {MANIFEST.relative_to(ROOT)}")
        return 0
    found = differences(read_manifest(), built)
    for line in found:
        print(line)
    print(
        f"{len(found)} of {len(read_manifest())} recorded outputs differ"
        if found
        else "every recorded output has the same bytes"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
