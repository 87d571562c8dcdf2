"""Fixtures for the front-end tests: Node with the pinned frontend/node_modules, and Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
STATIC = ROOT / "graphql_api" / "static"
OPERATIONS = ROOT / "schema" / "operations"
ARTIFACTS = ROOT / "build" / "artifacts"


@pytest.fixture(scope="session")
def node() -> str:
    """The node binary, with frontend/node_modules installed from the lockfile (npm ci)."""
    found = shutil.which("node")
    if found is None:
        pytest.skip("node is not installed (scripts/test runs npm ci in frontend/ when it is)")
    if not (FRONTEND / "node_modules" / ".bin" / "vite").exists():
        pytest.skip(
            "frontend/node_modules is absent: run `npm ci` in frontend/ (scripts/test does)"
        )
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium (scripts/test installs it with apt where it is missing)."""
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        pytest.skip(f"{path} is absent: scripts/test installs Debian's chromium package")
    return path


def run_node(node: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run node in frontend/ (so ESM resolves packages from frontend/node_modules)."""
    return subprocess.run(
        [node, *args],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "NODE_EXTRA_CA_CERTS": os.environ.get("SSL_CERT_FILE", "")},
    )


def npx(node: str, tool: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a tool installed in frontend/node_modules/.bin with this node."""
    return run_node(node, str(FRONTEND / "node_modules" / ".bin" / tool), *args, timeout=timeout)
