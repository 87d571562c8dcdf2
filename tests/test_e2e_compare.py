"""The comparison page end to end: a real ``careergraph serve`` process on loopback, real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graphql_api.graph.facts import occupation_facts

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def serve() -> Iterator[str]:
    snapshot = os.environ.get("CAREERGRAPH_TEST_SNAPSHOT_FULL", "")
    if not snapshot or not Path(snapshot).exists():
        pytest.skip(
            "CAREERGRAPH_TEST_SNAPSHOT_FULL is not set (scripts/test builds it from ../shared)"
        )
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CAREERGRAPH_") or k.startswith("CAREERGRAPH_TEST")
    }
    command = [
        sys.executable,
        "-m",
        "graphql_api.cli",
        "serve",
        "--port",
        str(port),
        "--snapshot",
        snapshot,
    ]
    # The server's log goes to a file: an unread pipe fills up under load and stalls the server.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the fixture's finally
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            if process.poll() is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")
                pytest.fail(f"careergraph serve exited early:\n{output}")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("careergraph serve was not ready within the deadline")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_compare_page_over_http(serve: str, full_graph) -> None:
    document = (ROOT / "schema" / "operations" / "comparePage.graphql").read_text()
    response = httpx.post(
        f"{serve}/graphql",
        json={
            "query": document,
            "operationName": "ComparePage",
            "variables": {"a": "patient care technician"},
        },
        headers={"Accept": "application/graphql-response+json"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    body = response.json()
    assert "errors" not in body, body.get("errors")
    page = body["data"]["compare"]
    a, b = page["a"], page["b"]
    assert a["match"]["matchedBy"] in {"alternate_title", "reported_title"}
    assert a["match"]["matchedText"].lower() == "patient care technician"
    assert b["title"] == "Customer Service Representatives"
    for side in (a, b):
        facts = occupation_facts(full_graph, full_graph.by_code[side["code"]])
        assert facts is not None
        assert side["wages"]["annual"]["median"] == facts.values["annual_median"]
        assert side["employment"]["jobs"] == facts.values["employment"]
    wage = next(m for m in page["measures"] if m["name"] == "annualMedianWage")
    assert wage["a"] == a["wages"]["annual"]["median"]
    assert wage["difference"] == pytest.approx(wage["b"] - wage["a"])
    assert page["sharedSkills"]["totalCount"] > 0
    assert any("more per year" in sentence for sentence in page["summary"])


def test_graphiql_and_health_over_http(serve: str) -> None:
    page = httpx.get(f"{serve}/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert "ComparePage" in page.text
    assert httpx.get(f"{serve}/healthz", timeout=5).json() == {"status": "ok"}
    assert httpx.get(f"{serve}/readyz", timeout=5).json()["status"] == "ready"
