"""Shared test fixtures: paths to the official releases in ../shared and to test fixtures."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server_process import free_port, running_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(
    __import__("os").environ.get("CAREERGRAPH_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
)


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared/data, skipping the test with a reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"official release not available: {path} (CI provides ../shared/data)")
    return path


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def _snapshot_from_env(variable: str) -> Path:
    import os

    value = os.environ.get(variable, "")
    if not value or not Path(value).exists():
        pytest.skip(f"{variable} is not set to a built snapshot (scripts/test prepares it)")
    return Path(value)


@pytest.fixture(scope="session")
def default_graph():  # type: ignore[no-untyped-def]
    """The embedded default snapshot, loaded once."""
    from graphql_api.graph.model import load_graph

    return load_graph(_snapshot_from_env("CAREERGRAPH_TEST_SNAPSHOT_DEFAULT"))


@pytest.fixture(scope="session")
def full_graph():  # type: ignore[no-untyped-def]
    """The full snapshot built from ../shared, loaded once."""
    from graphql_api.graph.model import load_graph

    return load_graph(_snapshot_from_env("CAREERGRAPH_TEST_SNAPSHOT_FULL"))


@pytest.fixture(scope="session", params=["default", "full"])
def any_graph(request):  # type: ignore[no-untyped-def]
    """Each snapshot in turn: the suite's graph tests run against both."""
    return request.getfixturevalue(f"{request.param}_graph")


@pytest.fixture(scope="session")
def full_server() -> Iterator[str]:
    """A real `careergraph serve` process on the full snapshot, shared by the e2e tests."""
    snapshot = os.environ.get("CAREERGRAPH_TEST_SNAPSHOT_FULL", "")
    if not snapshot or not Path(snapshot).exists():
        pytest.skip(
            "CAREERGRAPH_TEST_SNAPSHOT_FULL is not set (scripts/test builds it from ../shared)"
        )
    port = free_port()
    # Only the test's own variables travel: the server takes its settings from the flags.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CAREERGRAPH_") or k.startswith("CAREERGRAPH_TEST")
    }
    command = [sys.executable, "-m", "graphql_api.cli", "serve", "--port", str(port)]
    with running_server([*command, "--snapshot", snapshot], port, env) as base:
        yield base
