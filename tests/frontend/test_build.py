"""The committed front-end outputs are exactly what the pinned toolchain builds from the sources.

CI runs these, so a change to the schema, an example operation or a front-end source without a
rebuild (`scripts/build_frontend`) fails here, naming the stale files.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .conftest import FRONTEND, ROOT, STATIC, npx

BUILD = ROOT / "scripts" / "build_frontend"
GENERATED = FRONTEND / "src" / "generated"


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _differences(committed: Path, built: Path) -> list[str]:
    old, new = _tree(committed), _tree(built)
    return sorted(
        [f"missing from the commit: {name}" for name in new.keys() - old.keys()]
        + [f"no longer built: {name}" for name in old.keys() - new.keys()]
        + [f"differs: {name}" for name in old.keys() & new.keys() if old[name] != new[name]]
    )


def _build(*args: str) -> None:
    result = subprocess.run(
        ["bash", str(BUILD), *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_typed_client_is_fresh(node: str, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    _build("--generated", str(out))
    assert (out / "graphql.ts").is_file()
    assert _differences(GENERATED, out) == [], "run scripts/build_frontend and commit the result"


def test_typed_client_passes_tsc_strict(node: str) -> None:
    result = npx(node, "tsc", "--strict", "--noEmit", "-p", "tsconfig.json")
    assert result.returncode == 0, result.stdout + result.stderr


def test_bundles_are_fresh_and_deterministic(node: str, tmp_path: Path) -> None:
    out = tmp_path / "static"
    _build("--out", str(out))
    built = _tree(out)
    assert {"graphiql.html", "compare.html", "THIRD_PARTY_LICENSES.md"} <= built.keys()
    # Byte for byte, wherever it was built: the build is deterministic.
    assert _differences(STATIC, out) == [], "run scripts/build_frontend and commit the result"
