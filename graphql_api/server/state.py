"""What one worker process holds: its settings, the served snapshot, and its caches."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import strawberry
from starlette.requests import Request

from graphql_api.api.extensions.limits import Limits
from graphql_api.config import Settings
from graphql_api.graph.loaded import LoadedSnapshot

from .caching import ResponseCache

__all__ = ["AppState", "ContextFactory", "SchemaFactory", "SnapshotLoader"]

# The server hands the schema factory plain limit values, never its settings.
SchemaFactory = Callable[[Limits], strawberry.Schema]
ContextFactory = Callable[[LoadedSnapshot[Any], Request], object]
SnapshotLoader = Callable[[Settings], LoadedSnapshot[Any]]


@dataclass
class AppState:
    """Per-process state: settings, the snapshot once loaded, and the response cache."""

    settings: Settings
    response_cache: ResponseCache
    snapshot: LoadedSnapshot[Any] | None = None
    load_error: str | None = None
    load_seconds: float | None = None
    loaded: asyncio.Event = field(default_factory=asyncio.Event)
    # Requests being answered right now (graceful shutdown waits for them to finish).
    in_flight: int = 0
    # Set on SIGTERM: the worker still answers for a moment, but closes every connection after
    # its response, so no keep-alive client sends a request into a socket that is being closed.
    draining: bool = False
