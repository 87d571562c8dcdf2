"""API fixtures: the embedded default snapshot behind the real ASGI app, once per session."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphql_api.api.context import build_context, snapshot_version
from graphql_api.api.schema import build_schema
from graphql_api.config import Settings
from graphql_api.graph.model import CareerGraph
from graphql_api.server import LoadedSnapshot, create_app, load_example_operations

OPERATIONS = Path(__file__).resolve().parents[2] / "schema" / "operations"


class Api:
    """A running app over one snapshot; ``run`` posts an operation and returns the JSON body."""

    def __init__(self, client: TestClient, graph: CareerGraph, kind: str) -> None:
        self.client = client
        self.graph = graph
        self.kind = kind

    def run(
        self, query: str, variables: dict[str, Any] | None = None, *, status: int = 200
    ) -> dict[str, Any]:
        response = self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == status, response.text
        body: dict[str, Any] = response.json()
        return body


def _api(graph: CareerGraph, kind: str) -> Iterator[Api]:
    snapshot = LoadedSnapshot(version=snapshot_version(graph), graph=graph)
    app = create_app(
        Settings(response_cache_size=0),
        schema_factory=build_schema,
        context_factory=build_context,
        snapshot_loader=lambda _settings: snapshot,
        example_operations=load_example_operations(OPERATIONS),
    )
    with TestClient(app) as client:
        for _ in range(200):
            if client.get("/readyz").status_code == 200:
                break
            time.sleep(0.01)
        yield Api(client, graph, kind)


@pytest.fixture(scope="session")
def api(career: CareerGraph) -> Iterator[Api]:
    """The ASGI app over the embedded default snapshot, shared by the API tests."""
    yield from _api(career, "default")


def operation(name: str) -> str:
    return (OPERATIONS / f"{name}.graphql").read_text(encoding="utf-8")
