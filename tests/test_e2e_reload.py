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
