"""The execution time limit, and the Strawberry/graphql-core internals it stands on.

``time_limited_executor`` subclasses Strawberry's executor class and relies on graphql-core 3.3's
abort signal; these tests fail when either moves, which is when pyproject's pins need a look.
"""

from __future__ import annotations

import asyncio
import inspect
import time

import strawberry
from graphql.execution.executor import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql_api.api.errors import is_public_error
from graphql_api.api.extensions import protective_extensions, time_limited_executor
from graphql_api.api.extensions.error_codes import client_error

CALLS: list[int] = []


@strawberry.type
class Slow:
    n: int

    @strawberry.field
    def work(self) -> int:
        CALLS.append(self.n)
        time.sleep(0.005)
        return self.n


@strawberry.type
class Query:
    @strawberry.field
    def slows(self) -> list[Slow]:
        return [Slow(n=i) for i in range(200)]

    @strawberry.field
    async def hang(self) -> int:
        await asyncio.sleep(5)
        return 1

    @strawberry.field
    def quick(self) -> int:
        return 7


def _schema(limit_ms: int) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        extensions=protective_extensions(),
        execution_context_class=time_limited_executor(limit_ms),
    )


def test_the_internals_it_relies_on_are_there() -> None:
    assert issubclass(StrawberryGraphQLCoreExecutionContext, Executor)
    for name in ("execute_fields", "abort_error", "with_abort_signal"):
        assert callable(getattr(Executor, name)), name
    assert "abort_signal" in inspect.signature(Executor.__init__).parameters
    # Strawberry hands the class to graphql-core as its executor.
    schema = _schema(1000)
    assert issubclass(schema.execution_context_class, StrawberryGraphQLCoreExecutionContext)


def test_synchronous_work_stops_at_the_next_field() -> None:
    CALLS.clear()
    result = asyncio.run(_schema(30).execute("{ slows { work } }"))
    assert result.data is None
    (error,) = [client_error(e, nothing_ran=True) for e in result.errors or ()]
    assert error.extensions == {"code": "EXECUTION_TIMEOUT", "limit": 30}
    assert is_public_error(result.errors[0])  # type: ignore[index]
    # 200 fields of 5 ms would take a second; only the first few ran.
    assert 1 <= len(CALLS) < 50


def test_awaited_work_is_cancelled_at_the_deadline() -> None:
    result = asyncio.run(_schema(30).execute("{ hang }"))
    (error,) = [client_error(e, nothing_ran=True) for e in result.errors or ()]
    assert error.extensions is not None
    assert error.extensions["code"] == "EXECUTION_TIMEOUT"


def test_quick_operations_are_untouched() -> None:
    result = asyncio.run(_schema(1000).execute("{ quick }"))
    assert result.errors is None
    assert result.data == {"quick": 7}
