"""A real uvicorn process on loopback serves the app built from import paths in the environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.server_process import ROOT, free_port, running_server

pytestmark = pytest.mark.e2e


@pytest.fixture
def server() -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "tests.serving_stub:app_factory",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with running_server(command, port, env, deadline=30) as base:
        yield base


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
