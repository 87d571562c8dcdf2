"""Stop an operation that runs past a time limit, at the next field boundary, with a coded error.

graphql-core 3.3 has an *abort signal* (``Executor.abort_signal``): it races it against every
awaited resolver and rejects the whole operation with the signal's reason once it fired, but it
polls it between fields only in serial (mutation) execution. Strawberry passes none. The executor
class below sets a deadline-based signal on each execution (its ``aborted`` flag turns true once
the deadline passes, so no timer is needed) and also checks it before each object's fields, so
synchronous resolvers stop at the next object too (checking once per object rather than once per
field keeps the cost off the hot path). A single synchronous resolver that runs long is not
interrupted (Python cannot pre-empt it); the operation stops at the first field after it.
"""

from __future__ import annotations

import asyncio
import time
from functools import cache
from typing import Any, cast

from graphql import GraphQLError
from graphql.pyutils import AbortSignal
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql_api.api.errors import ErrorCode, coded_error

__all__ = ["Deadline", "execution_timeout_error", "time_limited_executor"]


def execution_timeout_error(limit_ms: int) -> GraphQLError:
    """The error a client gets when its operation ran out of time.

    >>> execution_timeout_error(5000).extensions
    {'code': 'EXECUTION_TIMEOUT', 'limit': 5000}
    """
    return coded_error(
        f"Execution stopped: the operation ran longer than the time limit of {limit_ms} ms.",
        ErrorCode.EXECUTION_TIMEOUT,
        limit=limit_ms,
    )


class Deadline:
    """An abort signal (the ``aborted``/``reason``/``wait`` protocol graphql-core polls) that fires
    once ``seconds`` have passed since it was made.

    >>> Deadline(3600, limit_ms=3_600_000).aborted
    False
    >>> Deadline(0, limit_ms=0).aborted
    True
    """

    def __init__(self, seconds: float, *, limit_ms: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.limit_ms = limit_ms
        self._reason: GraphQLError | None = None

    @property
    def aborted(self) -> bool:
        """Whether the deadline has passed."""
        return time.monotonic() >= self.deadline

    @property
    def reason(self) -> GraphQLError | None:
        """The EXECUTION_TIMEOUT error once aborted, else None."""
        if self._reason is None and self.aborted:
            self._reason = execution_timeout_error(self.limit_ms)
        return self._reason

    async def wait(self) -> Any:
        """Sleep until the deadline, then return the reason (graphql-core races awaits with it)."""
        await asyncio.sleep(max(0.0, self.deadline - time.monotonic()))
        return self.reason


@cache
def time_limited_executor(limit_ms: int) -> type[StrawberryGraphQLCoreExecutionContext]:
    """Strawberry's executor class with a per-execution :class:`Deadline` of ``limit_ms``.

    Pass it as ``strawberry.Schema(execution_context_class=...)``. Relies on Strawberry's
    executor class and graphql-core's ``abort_signal`` attribute (both pinned in pyproject.toml;
    ``tests/api/test_time_limit.py`` fails if either moves).
    """

    class TimeLimitedExecutor(StrawberryGraphQLCoreExecutionContext):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.deadline = Deadline(limit_ms / 1000, limit_ms=limit_ms)
            # graphql-core reads only ``aborted``, ``reason`` and ``wait()`` of its signal.
            self.abort_signal = cast("AbortSignal", self.deadline)

        def execute_fields(self, *args: Any, **kwargs: Any) -> Any:
            # Past the deadline every remaining object fails at once (no resolver runs), and
            # graphql-core then rejects the whole operation with the deadline's reason.
            if self.deadline.aborted:
                raise self.abort_error()
            return super().execute_fields(*args, **kwargs)

    TimeLimitedExecutor.__name__ = f"TimeLimitedExecutor{limit_ms}"
    return TimeLimitedExecutor
