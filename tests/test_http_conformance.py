"""GraphQL-over-HTTP conformance: the graphql-http audit suite against a real server process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / ".cache" / "node" / "node_modules"


def test_graphql_http_audits_all_pass(full_server: str) -> None:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "graphql-http").is_dir():
        pytest.skip(
            "node or the graphql-http package is absent (scripts/test installs it with npm)"
        )
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    script = ROOT / "tests" / "conformance" / "audit.mjs"
    # ESM resolves packages from the script's folder upwards, so run a copy beside node_modules.
    runner = NODE_MODULES.parent / "audit.mjs"
    runner.write_text(script.read_text())
    out = subprocess.run(
        [node, str(runner), f"{full_server}/graphql"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    failing = [r for r in results if r["status"] != "ok"]
    print(f"graphql-http audits: {len(results) - len(failing)} ok of {len(results)}")
    assert len(results) > 50
    assert failing == []
