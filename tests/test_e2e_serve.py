"""A real uvicorn process on loopback serves the app built from import paths in the environment."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

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


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def test_apollo_persisted_query_link_protocol_over_real_http(server: str) -> None:
    """What Apollo's PersistedQueryLink does: hash-only GET, then POST with the document."""
    import json

    query = "query Greeting($n: String) { hello(name: $n) }"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": _sha(query)}}
    with httpx.Client(base_url=server, timeout=10) as client:
        params = {
            "operationName": "Greeting",
            "variables": json.dumps({"n": "link"}),
            "extensions": json.dumps(extensions),
        }
        miss = client.get("/graphql", params=params)
        assert miss.status_code == 200
        assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        register = client.post(
            "/graphql",
            json={
                "query": query,
                "operationName": "Greeting",
                "variables": {"n": "link"},
                "extensions": extensions,
            },
        )
        assert register.json() == {"data": {"hello": "Hello, link!"}}
        hit = client.get("/graphql", params=params)
        assert hit.json() == {"data": {"hello": "Hello, link!"}}
        etag = hit.headers["etag"]
        # A browser or CDN revalidating gets 304 without a body.
        again = client.get("/graphql", params=params, headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        head = client.head("/graphql", params=params)
        assert (head.status_code, head.content, head.headers["etag"]) == (200, b"", etag)


def _stub_command(port: int) -> list[str]:
    """uvicorn serving the stub app on ``port``, with a 10 s graceful shutdown."""
    return [
        *(sys.executable, "-m", "uvicorn", "tests.serving_stub:app_factory", "--factory"),
        *("--host", "127.0.0.1", "--port", str(port), "--timeout-graceful-shutdown", "10"),
    ]


def _slow_request(base: str, results: list[object]) -> threading.Thread:
    """A 1.5 s request running in a thread; its JSON answer is appended to ``results``."""

    def slow() -> None:
        r = httpx.post(f"{base}/graphql", json={"query": "{ wait(ms: 1500) }"}, timeout=20)
        results.append(r.json())

    thread = threading.Thread(target=slow)
    thread.start()
    return thread


def test_graceful_shutdown_drains_requests_in_flight() -> None:
    import time

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = _stub_command(port)
    results: list[object] = []
    with running_server(command, port, env, deadline=30) as base:
        pids = _listener_pids(port)

        thread = _slow_request(base, results)
        time.sleep(0.5)
        for pid in pids:
            os.kill(pid, 15)  # SIGTERM, as Kubernetes and the supervisor send
        thread.join(timeout=20)
    assert results == [{"data": {"wait": 1500}}]


def test_sigterm_drains_keep_alive_connections_before_stopping() -> None:
    """After SIGTERM the worker accepts no new connection, answers on the ones it has with
    ``Connection: close``, finishes what is in flight, and then exits."""
    import time

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CAREERGRAPH_DRAIN_MS": "5000"}
    command = _stub_command(port)
    slow_results: list[object] = []
    with running_server(command, port, env, deadline=30) as base:
        pid = _listener_pids(port)[0]
        with httpx.Client(base_url=base, timeout=10) as kept:
            before = kept.post("/graphql", json={"query": "{ wait(ms: 1) }"})
            assert before.status_code == 200
            assert before.headers.get("connection") != "close"

            thread = _slow_request(base, slow_results)
            time.sleep(0.3)
            os.kill(pid, 15)
            time.sleep(0.3)
            # The kept-alive connection still gets an answer, and is told to close.
            during = kept.post("/graphql", json={"query": "{ wait(ms: 1) }"})
            assert (during.status_code, during.json()) == (200, {"data": {"wait": 1}})
            assert during.headers["connection"] == "close"
            # No new connection is accepted by a draining worker.
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"{base}/healthz", timeout=2)
            thread.join(timeout=20)
        assert slow_results == [{"data": {"wait": 1500}}]
        # Nothing is left open, so the worker stops without waiting out the whole drain.
        stop_at = time.monotonic() + 20
        while _process_alive(pid):
            assert time.monotonic() < stop_at, "the worker did not stop after draining"
            time.sleep(0.1)


def _process_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _listener_pids(port: int) -> list[int]:
    from tests.test_e2e_reload import _server_pid

    return [_server_pid(port)]


def test_apollo_client_persisted_query_link(server: str) -> None:
    """The real @apollo/client 4 PersistedQueryLink (from the front-end toolchain) retries with the
    document after PERSISTED_QUERY_NOT_FOUND, and then sends only the hash."""
    import json
    import shutil
    import subprocess

    node = shutil.which("node")
    modules = ROOT / "frontend" / "node_modules"
    if node is None or not (modules / "@apollo" / "client").is_dir():
        pytest.skip("node or frontend/node_modules/@apollo/client is absent (npm ci in frontend/)")
    # ESM resolves packages from the script's folder upwards: run a copy inside frontend/.
    runner = ROOT / "frontend" / ".persisted_link_test.mjs"
    runner.write_text((ROOT / "tests" / "apollo" / "persisted_link.mjs").read_text())
    try:
        out = subprocess.run(
            [node, str(runner), f"{server}/graphql"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    finally:
        runner.unlink(missing_ok=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["results"] == [{"hello": "Hello, link-a!"}, {"hello": "Hello, link-b!"}]
    assert report["wire"] == [
        {"method": "GET", "hasQuery": False, "status": 200, "code": "PERSISTED_QUERY_NOT_FOUND"},
        {"method": "POST", "hasQuery": True, "status": 200, "code": None},
        {"method": "GET", "hasQuery": False, "status": 200, "code": None},
    ]
