"""Benchmark: topology queries on this checkout, and on a baseline checkout when one is named.

Set ``CAREERGRAPH_BASELINE_CHECKOUT`` (a checkout of an older commit, e.g. made with
``git worktree add --detach build/baseline <commit>``) and ``CAREERGRAPH_BASELINE_SNAPSHOT`` (a
snapshot that checkout reads) to print both and their ratios from one run. Medians per call,
steady state (scripts/bench_traversal.py). Printed, never asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench_traversal.py"


def _run(checkout: Path, snapshot: Path) -> dict[str, float]:
    code = (
        "import runpy, sys; sys.path.insert(0, sys.argv[1]); "
        "sys.argv = [sys.argv[2], sys.argv[3], '50']; runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(checkout), str(SCRIPT), str(snapshot)],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_traversal_queries() -> None:
    from graphql_api.snapshot import SNAPSHOT_NAME, default_snapshot_dir

    current = _run(ROOT, default_snapshot_dir() / SNAPSHOT_NAME)
    checkout = os.environ.get("CAREERGRAPH_BASELINE_CHECKOUT")
    snapshot = os.environ.get("CAREERGRAPH_BASELINE_SNAPSHOT")
    baseline = _run(Path(checkout), Path(snapshot)) if checkout and snapshot else None
    for name, value in current.items():
        line = f"{name:28} {value:12.2f}"
        if baseline is not None and baseline.get(name):
            line += f"   baseline {baseline[name]:12.2f}   ratio {value / baseline[name]:6.2f}x"
        print(line)
    assert current["load_s"] > 0
