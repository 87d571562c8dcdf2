"""Start a real server process on a free loopback port for end-to-end tests, and stop it."""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port nothing listens on, on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(
    command: Sequence[str], port: int, env: Mapping[str, str], *, deadline: float = 60.0
) -> Iterator[str]:
    """Run ``command`` (which must listen on ``port``), wait for /readyz, yield the base URL."""
    # The server's log goes to a file: an unread pipe fills up under load and stalls the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            list(command), cwd=ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            stop_at = time.monotonic() + deadline
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    output = log.read().decode(errors="replace")
                    pytest.fail(f"server exited with {process.returncode}:\n{output}")
                try:
                    if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > stop_at:
                    pytest.fail(f"server not ready within {deadline} s")
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
