"""Rolling out a new snapshot: replace the file, send SIGHUP, the process serves the new one."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest

from graphql_api.snapshot import SNAPSHOT_NAME, default_snapshot_dir
from tests.server_process import free_port, running_server

pytestmark = pytest.mark.e2e


def _version(base: str) -> str:
    return str(httpx.get(f"{base}/readyz", timeout=5).json()["snapshotVersion"])


def _wait_for_version(base: str, expected: str, deadline: float = 30.0) -> None:
    stop = time.monotonic() + deadline
    while _version(base) != expected:
        if time.monotonic() > stop:
            pytest.fail(f"still serving {_version(base)}, expected {expected}")
        time.sleep(0.2)


def test_sighup_swaps_in_a_replaced_snapshot(tmp_path: Path, fixture_snapshot: Path) -> None:
    default, full = str(default_snapshot_dir() / SNAPSHOT_NAME), str(fixture_snapshot)
    served = tmp_path / "careergraph.snapshot"
    shutil.copyfile(default, served)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERGRAPH_")}
    command = [sys.executable, "-m", "graphql_api.cli", "serve", "--port", str(port)]
    with running_server([*command, "--snapshot", str(served)], port, env) as base:
        first = _version(base)
        pid = _server_pid(port)
        # A truncated file must not replace what is served.
        served.write_bytes(Path(full).read_bytes()[:1000])
        os.kill(pid, signal.SIGHUP)
        time.sleep(2)
        assert _version(base) == first
        ok = httpx.post(
            f"{base}/graphql", json={"query": '{ occupation(id: "29-1141") { title } }'}
        )
        assert ok.json()["data"]["occupation"]["title"] == "Registered Nurses"
        # The builder's way: a complete file moved into place, then the signal.
        staged = tmp_path / "staged.snapshot"
        shutil.copyfile(full, staged)
        staged.replace(served)
        os.kill(pid, signal.SIGHUP)
        _wait_for_version(base, _manifest_version(Path(full)))
        assert _version(base) != first


def _manifest_version(path: Path) -> str:
    from graphql_api.snapshot import read_snapshot

    return str(read_snapshot(path, tables={}).manifest["version"])


def _server_pid(port: int) -> int:
    # The process listening on the port: found through /proc so no extra tool is needed.
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        if state == "0A" and int(local.split(":")[1], 16) == port:
            inode = fields[9]
            break
    assert inode is not None, "no listener found"
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return int(proc.name)
        except OSError:
            continue
    pytest.fail("listener's process not found")


def test_sighup_with_two_workers_keeps_serving_and_refuses_a_bad_file(
    tmp_path: Path, fixture_snapshot: Path
) -> None:
    """--workers 2: every worker serves the old snapshot until a new one has loaded; a truncated
    file is refused while the old workers keep answering; no request fails on the way."""
    import subprocess
    import threading

    from tests.server_process import ROOT

    served = tmp_path / "careergraph.snapshot"
    shutil.copyfile(fixture_snapshot, served)
    default = default_snapshot_dir() / SNAPSHOT_NAME
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERGRAPH_")}
    env["CAREERGRAPH_ACCESS_LOG"] = "false"
    command = [
        *(sys.executable, "-m", "graphql_api.cli", "serve", "--port", str(port)),
        *("--workers", "2", "--snapshot", str(served)),
    ]
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    seen: dict[str, int] = {}
    failures: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            while not stop.is_set():
                try:
                    r = client.post("/graphql", json={"query": "{ dataset { version } }"})
                    if r.status_code != 200:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                        continue
                    version = r.json()["data"]["dataset"]["version"]
                    seen[version] = seen.get(version, 0) + 1
                except Exception as error:  # every failure is reported
                    failures.append(repr(error))
                time.sleep(0.01)

    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                # Both workers, not just the first to answer: each reads the file as it starts.
                started = (tmp_path / "server.log").read_text(errors="replace")
                if (
                    started.count("Application startup complete.") >= 2
                    and httpx.get(f"{base}/readyz", timeout=2).status_code == 200
                ):
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "not ready"
            time.sleep(0.2)
        first = _version(base)
        threads = [threading.Thread(target=hammer) for _ in range(2)]
        for thread in threads:
            thread.start()
        # A truncated file: the replacement worker fails startup, the old ones keep serving.
        served.write_bytes(default.read_bytes()[:1000])
        process.send_signal(signal.SIGHUP)
        time.sleep(8)
        assert set(seen) == {first}, seen
        assert {_version(base) for _ in range(10)} == {first}
        # A complete file moved into place: workers are replaced one at a time.
        staged = tmp_path / "staged.snapshot"
        shutil.copyfile(default, staged)
        staged.replace(served)
        process.send_signal(signal.SIGHUP)
        new = _manifest_version(default)
        stop_at = time.monotonic() + 120
        while {_version(base) for _ in range(10)} != {new}:
            assert time.monotonic() < stop_at, f"still serving {seen}"
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        assert failures == [], failures[:5]
        assert set(seen) == {first, new}
        # Every worker's metrics are in one /metrics answer (multi-process mode).
        metrics = httpx.get(f"{base}/metrics", timeout=5).text
        assert (
            f'careergraph_snapshot_info{{version="{new}"}}' in metrics.replace(',pid="', '{pid="')
            or f'version="{new}"' in metrics
        )
        log_text = (tmp_path / "server.log").read_text(errors="replace")
        assert "the snapshot did not load" in log_text
    finally:
        stop.set()
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def _connections_by_process(port: int) -> dict[int, int]:
    """Established connections whose server side is on ``port``, per process holding them."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    counts: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            held = sum(1 for fd in (proc / "fd").iterdir() if os.readlink(fd) in inodes)
        except OSError:
            continue
        if held:
            counts[int(proc.name)] = held
    return counts


def test_two_workers_share_a_burst_of_keep_alive_connections(
    tmp_path: Path, fixture_snapshot: Path
) -> None:
    """16 clients connecting at once (as wrk does) are spread over both workers, not all taken
    by the first to wake: each worker accepts one connection at a time."""
    import http.client
    import subprocess

    from tests.server_process import ROOT

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERGRAPH_")}
    env["CAREERGRAPH_ACCESS_LOG"] = "false"
    command = [
        *(sys.executable, "-m", "graphql_api.cli", "serve", "--port", str(port)),
        *("--workers", "2", "--snapshot", str(fixture_snapshot)),
    ]
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    clients: list[http.client.HTTPConnection] = []
    try:
        deadline = time.monotonic() + 120
        while log_path.read_text(errors="replace").count("Application startup complete.") < 2:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "workers not started"
            time.sleep(0.1)
        time.sleep(0.5)  # both workers back in their accept loops
        # A worker that the scheduler leaves off the CPU during the burst (the suite runs on two
        # cores) cannot take its share, so a burst is tried up to three times; without
        # one-connection-per-event accepting, the first worker to wake takes every burst whole.
        spreads: list[dict[int, int]] = []
        for _ in range(3):
            clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(16)]
            for client in clients:
                client.connect()
            for client in clients:
                client.request("GET", "/healthz")
                response = client.getresponse()
                response.read()
                assert response.status == 200
                assert response.getheader("connection") != "close"
            held = _connections_by_process(port)
            assert sum(held.values()) == 16, held
            spreads.append(held)
            for client in clients:
                client.close()
            clients = []
            if len(held) == 2 and min(held.values()) >= 2:
                break
            time.sleep(1.0)
        held = spreads[-1]
        assert len(held) == 2, f"connections per worker, each burst: {spreads}"
        assert min(held.values()) >= 2, f"connections per worker, each burst: {spreads}"
    finally:
        for client in clients:
            client.close()
        process.terminate()
        process.wait(timeout=30)
