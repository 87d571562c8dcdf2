"""A real uvicorn process on loopback serves the app built from import paths in the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server() -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "CAREERGRAPH_SCHEMA_FACTORY": "tests.serving_stub:build_schema",
        "CAREERGRAPH_CONTEXT_FACTORY": "tests.serving_stub:build_context",
        "CAREERGRAPH_SNAPSHOT_LOADER": "tests.serving_stub:load_snapshot",
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "graphql_api.server:app_factory",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"uvicorn exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server not ready within {DEADLINE_SECONDS} s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_serves_a_query_over_real_http(server: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as client:
        assert client.get("/readyz").json() == {"status": "ready", "snapshotVersion": "stub-1"}
        r = client.post(
            "/graphql",
            json={
                "query": "query Q($n: String) { hello(name: $n) version }",
                "variables": {"n": "e2e"},
            },
            headers={"accept": "application/graphql-response+json"},
        )
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/graphql-response+json"
        assert r.json() == {"data": {"hello": "Hello, e2e!", "version": "stub-1"}}
        r = client.post("/graphql", json={"query": "{ boom }"})
        assert r.json()["errors"][0]["message"] == "Unexpected error."
