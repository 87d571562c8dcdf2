"""A tiny schema, context and snapshot loader for serving tests (reachable by import path)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import strawberry
from starlette.requests import Request
from strawberry.types import Info

from graphql_api.api.errors import bad_user_input, not_found
from graphql_api.api.extensions import Limits, protective_extensions, time_limited_executor
from graphql_api.config import Settings
from graphql_api.graph.loaded import LoadedSnapshot

COST_MAP = {"Query.expensive": 500}


@dataclass
class StubContext:
    snapshot_version: str
    calls: list[str]


CALLS: list[str] = []
SLEEPS: list[str] = []


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def children(self, first: int = 3) -> list[Item]:
        return [Item(name=f"{self.name}.{i}") for i in range(first)]

    @strawberry.field
    def child(self) -> Item:
        return Item(name=f"{self.name}.0")

    @strawberry.field
    def sleepy(self, ms: int = 10) -> str:
        # A synchronous resolver that takes a while (the time limit stops between fields).
        SLEEPS.append(self.name)
        time.sleep(ms / 1000)
        return self.name


@strawberry.type
class ItemConnection:
    total_count: int
    nodes: list[Item]


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, info: Info[StubContext, None], name: str = "world") -> str:
        info.context.calls.append("hello")
        return f"Hello, {name}!"

    @strawberry.field
    def version(self, info: Info[StubContext, None]) -> str:
        return info.context.snapshot_version

    @strawberry.field
    def items(self, first: int = 10) -> list[Item]:
        return [Item(name=f"item{i}") for i in range(first)]

    @strawberry.field
    def item_page(self, first: int | None = None) -> ItemConnection:
        count = first or 10
        return ItemConnection(total_count=count, nodes=[Item(name=f"n{i}") for i in range(count)])

    @strawberry.field
    def root(self) -> Item:
        return Item(name="root")

    @strawberry.field
    def expensive(self) -> Item:
        return Item(name="expensive")

    @strawberry.field
    def occupation(self, code: str) -> str | None:
        raise not_found("occupation", code, suggestions=["29-1141.00"])

    @strawberry.field
    def page(self, first: int) -> int:
        if first > 100:
            raise bad_user_input("first", "must be at most 100")
        return first

    @strawberry.field
    async def wait(self, ms: int) -> int:
        await asyncio.sleep(ms / 1000)
        return ms

    @strawberry.field
    def boom(self) -> str | None:
        raise RuntimeError("secret database password is hunter2")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def touch(self) -> bool:
        return True


def build_schema(limits: Limits) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=protective_extensions(limits, cost_map=COST_MAP),
        execution_context_class=time_limited_executor(limits.execution_timeout_ms)
        if limits.execution_timeout_ms
        else None,
    )


def build_read_only_schema(limits: Limits) -> strawberry.Schema:
    """The same Query without a Mutation type, as the real API is."""
    return strawberry.Schema(query=Query, extensions=protective_extensions(limits))


def build_context(snapshot: LoadedSnapshot[Any], request: Request) -> StubContext:
    del request
    return StubContext(snapshot_version=snapshot.version, calls=CALLS)


def load_snapshot(settings: Settings) -> LoadedSnapshot[dict[str, str]]:
    del settings
    return LoadedSnapshot(version="stub-1", graph={})


def app_factory() -> Any:
    """The stub app for a real uvicorn process: ``uvicorn tests.serving_stub:app_factory --factory``."""
    from graphql_api.server import create_app

    return create_app(
        Settings.from_env(),
        schema_factory=build_schema,
        context_factory=build_context,
        snapshot_loader=load_snapshot,
        example_operations={"Hello": "query Hello { hello }"},
    )
