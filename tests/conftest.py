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


# Fixtures that load the embedded snapshot or start a server: tests using them are not in the
# fast tier (`bash scripts/test -m fast`: no snapshot, no ../shared, no server).
_SLOW_FIXTURES = frozenset(
    {
        "career",
        "api",
        "full_server",
        "fixture_snapshot",
        "served",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        markers = {m.name for m in item.iter_markers()}
        if fixtures & _SLOW_FIXTURES:
            item.add_marker(pytest.mark.snapshot)
        elif not markers & {"shared", "carriers", "e2e", "benchmark", "snapshot"}:
            item.add_marker(pytest.mark.fast)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def career():  # type: ignore[no-untyped-def]
    """The embedded default snapshot (data/), the complete product, loaded once per session."""
    from graphql_api.graph.model import load_graph

    return load_graph(None)


@pytest.fixture(scope="session")
def fixture_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid snapshot built from the hand-written fixtures (another version than data/)."""
    from graphql_api.ingest.builder import build
    from graphql_api.snapshot import SNAPSHOT_NAME

    out = tmp_path_factory.mktemp("fixture-snapshot")
    build(out, from_dir=FIXTURES)
    return out / SNAPSHOT_NAME


@pytest.fixture(scope="session")
def full_server() -> Iterator[str]:
    """A real `careergraph serve` process on the embedded default, shared by the e2e tests."""
    port = free_port()
    # Only the test's own variables travel: the server takes its settings from the flags.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CAREERGRAPH_") or k.startswith("CAREERGRAPH_TEST")
    }
    command = [sys.executable, "-m", "graphql_api.cli", "serve", "--port", str(port)]
    with running_server(command, port, env) as base:
        yield base
