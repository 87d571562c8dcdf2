"""The app factory and lifespan: routes, middleware, snapshot loading and reloading, serving.

One worker loads its snapshot in the background (``/healthz`` answers meanwhile, ``/readyz``
says ``loading``) and reloads it in place on SIGHUP, keeping the old one if the new file does not
load. With several workers, uvicorn's supervisor owns SIGHUP: it starts a replacement worker,
waits until that worker has *finished startup*, and only then retires an old one, one at a time;
so each worker loads its snapshot during startup, before it accepts a connection. A file that
does not load makes the replacement fail startup, and the supervisor keeps the old workers.

A worker told to stop (SIGTERM: the supervisor retiring it, or an orchestrator) first *drains*
for ``drain_ms``: it stops accepting connections (other workers take them) but keeps answering
on the ones it has, each response saying ``Connection: close``, so a keep-alive client finishes
its request and reconnects to a live worker. Only then does uvicorn's
graceful shutdown close what is idle and wait for what is in flight. Without the pause a client
may write its next request into a connection as the worker closes it and get a reset.
SIGINT (Ctrl-C) stops at once, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphql_api.config import Settings

from . import metrics
from .accept import FAIR_ACCEPT_LOOP
from .caching import ResponseCache
from .graphiql import load_example_operations, render_graphiql
from .observability import configure_access_log
from .pages import PageHeaders, example_operations_dir, page_routes
from .persisted import PersistedQueries
from .rate_limit import TokenBuckets
from .state import AppState, ContextFactory, SchemaFactory, SnapshotLoader
from .view import GraphQLView

__all__ = [
    "EXAMPLE_OPERATIONS",
    "GRAPHQL_PATH",
    "HEALTH_PATH",
    "METRICS_PATH",
    "READY_PATH",
    "app_factory",
    "create_app",
    "example_operations_dir",
    "reload_snapshot",
    "run",
]

logger = logging.getLogger("careergraph.server")

GRAPHQL_PATH = "/graphql"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
EXAMPLE_OPERATIONS = example_operations_dir(
    Path(__file__).resolve().parents[2] / "schema" / "operations"
)


async def _load_snapshot(state: AppState, loader: SnapshotLoader) -> bool:
    """Load (or reload) the snapshot; on failure keep the one being served. True if it loaded."""
    started = time.perf_counter()
    try:
        # The load is CPU and disk work; a thread keeps /healthz answering meanwhile.
        snapshot = await asyncio.to_thread(loader, state.settings)
    except Exception as error:
        logger.exception("loading the snapshot failed")
        if state.snapshot is None:
            state.load_error = f"{type(error).__name__}: {error}"
        else:
            # A reload that fails keeps serving the snapshot that was good.
            logger.error("still serving snapshot %s", state.snapshot.version)
        return False
    else:
        replacing = state.snapshot is not None
        if not replacing and state.settings.gc_freeze:
            # Before /readyz says ready. A first load leaves nothing to collect (load_graph
            # pauses the collector and drops no cycles: a collection after it finds 0
            # unreachable objects and takes 0.2 s), so its heap is frozen as it is.
            gc.freeze()
        # One assignment: requests already running finish on the old graph, new ones get the
        # new one; cached responses are keyed by version, so none leaks across.
        state.snapshot = snapshot
        state.load_error = None
        state.load_seconds = time.perf_counter() - started
        metrics.snapshot_loaded(snapshot.version, state.load_seconds)
        logger.info("snapshot %s loaded in %.2f s", snapshot.version, state.load_seconds)
        if replacing and state.settings.gc_freeze:
            await _settle_heap(state)  # once requests on the old graph are done
        return True
    finally:
        state.loaded.set()


async def _settle_heap(state: AppState, *, wait_seconds: float = 10.0) -> None:
    """Collect the load's garbage once, then freeze what is left (the graph) out of the garbage
    collector's generations.

    A loaded graph is about 600,000 long-lived objects, and a full collection walks them all
    (about 0.3 s here, blocking the worker); under load, the temporary objects of concurrent
    requests trigger such collections every few seconds, which were the long tail of cold
    latencies. Frozen objects are still freed by reference counting. After a reload the old
    graph is unfrozen first, and the collection waits (at most ``wait_seconds``) until requests
    still using the old graph have finished, so its cycles are collected, not frozen.
    """
    gc.unfreeze()
    deadline = time.monotonic() + wait_seconds
    while state.in_flight and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    gc.collect()
    gc.freeze()


async def reload_snapshot(app: Starlette) -> None:
    """Load the configured snapshot again and swap it in; on failure keep the current one.

    ``careergraph serve`` runs this on SIGHUP (one worker), so a new snapshot is rolled out by
    replacing the file (the builder writes atomically) and signalling the process.
    """
    state: AppState = app.state.careergraph
    loader: SnapshotLoader = app.state.snapshot_loader
    await _load_snapshot(state, loader)


def _default_factories() -> tuple[SchemaFactory, ContextFactory, SnapshotLoader]:
    # Imported late: the domain schema is only needed when no factories are given.
    from graphql_api.api.context import build_context, load_snapshot  # noqa: PLC0415
    from graphql_api.api.schema import build_schema  # noqa: PLC0415

    return build_schema, build_context, load_snapshot


def create_app(
    settings: Settings | None = None,
    *,
    schema_factory: SchemaFactory | None = None,
    context_factory: ContextFactory | None = None,
    snapshot_loader: SnapshotLoader | None = None,
    example_operations: Mapping[str, str] | None = None,
    load_before_serving: bool | None = None,
) -> Starlette:
    """Build the ASGI app: ``/graphql``, ``/healthz``, ``/readyz`` and ``/metrics``.

    Factories left out are the domain's (``graphql_api.api``: ``build_schema``,
    ``build_context``, ``load_snapshot``); tests and embedders pass their own. The schema factory
    receives ``settings.limits()``. ``example_operations`` open as GraphiQL tabs and are the
    trusted documents. ``load_before_serving`` (default: when ``settings.workers > 1``) makes
    startup wait for the snapshot, so a worker accepts no request before it can answer.
    """
    settings = settings or Settings.from_env()
    if schema_factory is None or context_factory is None or snapshot_loader is None:
        default_schema, default_context, default_loader = _default_factories()
        schema_factory = schema_factory or default_schema
        context_factory = context_factory or default_context
        snapshot_loader = snapshot_loader or default_loader
    schema = schema_factory(settings.limits())
    object_cache = getattr(schema, "object_cache", None)
    if object_cache is not None:
        object_cache.observe = metrics.object_cache_lookup
    loader = snapshot_loader
    wait_for_load = settings.workers > 1 if load_before_serving is None else load_before_serving
    operations = dict(example_operations or {})
    state = AppState(
        settings=settings,
        response_cache=ResponseCache(settings.response_cache_bytes, settings.response_cache_size),
    )
    view = GraphQLView(
        schema,
        state=state,
        context_factory=context_factory,
        graphiql_html=render_graphiql(operations) if settings.graphiql else None,
        persisted=PersistedQueries(
            operations,
            automatic=settings.persisted_queries,
            trusted_only=settings.trusted_documents_only,
            max_bytes=settings.persisted_query_cache_bytes,
        ),
        rate_limit=TokenBuckets(
            rate_per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst
        )
        if settings.rate_limit_per_minute
        else None,
    )

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        if state.snapshot is not None:
            return JSONResponse({"status": "ready", "snapshotVersion": state.snapshot.version})
        if state.load_error is not None:
            return JSONResponse({"status": "failed", "error": state.load_error}, status_code=503)
        return JSONResponse({"status": "loading"}, status_code=503)

    async def metrics_endpoint(_: Request) -> Response:
        return Response(metrics.render(), media_type=metrics.CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task: asyncio.Task[bool] | None = None
        if wait_for_load:
            if not await _load_snapshot(state, loader):
                # uvicorn reports a failed startup; its supervisor keeps the running workers.
                raise RuntimeError(f"the snapshot did not load: {state.load_error}")
        else:
            task = asyncio.create_task(_load_snapshot(state, loader))
        loop = asyncio.get_running_loop()
        reloads: set[asyncio.Task[None]] = set()

        def on_hangup() -> None:
            reload = loop.create_task(reload_snapshot(app))
            reloads.add(reload)
            reload.add_done_callback(reloads.discard)

        # No signals where this is not the main thread or not POSIX: reload by restarting.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGHUP, on_hangup)
        restore_term = _drain_before_stopping(loop, state, settings.drain_ms / 1000)
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
            restore_term()
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGHUP)
            metrics.mark_worker_exited()

    routes: list[BaseRoute] = [
        Route(GRAPHQL_PATH, view),
        Route(HEALTH_PATH, healthz, methods=["GET"]),
        Route(READY_PATH, readyz, methods=["GET"]),
        Route(METRICS_PATH, metrics_endpoint, methods=["GET"]),
        *page_routes(),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(_CloseWhileDraining, state=state),
            Middleware(
                _Cors,
                allow_origins=settings.cors_origin_list(),
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=settings.cors_header_list(),
                expose_headers=["ETag"],
                max_age=86400,
            ),
            # GraphQL responses arrive compressed already (the view caches their gzip bytes and
            # gives them their own ETag); this compresses the other pages.
            Middleware(_CompressPages, minimum_size=settings.gzip_min_bytes),
            Middleware(PageHeaders),
        ],
    )
    app.state.careergraph = state
    app.state.snapshot_loader = loader
    app.state.schema = schema
    app.state.view = view
    return app


def _drain_before_stopping(
    loop: asyncio.AbstractEventLoop, state: AppState, seconds: float
) -> Callable[[], None]:
    """Put a drain in front of the SIGTERM handler the server installed (uvicorn's, which starts
    its graceful shutdown). On the first SIGTERM the worker stops accepting connections (with
    several workers the others accept them), sets ``state.draining`` so each response closes its
    connection, and passes the signal on once no connection is left or ``seconds`` have passed; a
    second SIGTERM passes it on at once. Returns what puts the handler back.

    Only where signals can be set (the main thread of a POSIX process) and the server installed a
    handler of its own; elsewhere nothing changes. The handler uvicorn installs is its server's
    bound ``handle_exit``: through it the drain reaches the server's listening ``servers`` and
    open ``server_state.connections`` (``tests/test_uvicorn_contract.py`` fails if they move);
    without them it still drains, for the whole ``seconds``, while accepting.
    """
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except (AttributeError, ValueError):
        return lambda: None
    if seconds <= 0 or not callable(previous):
        return lambda: None
    stop = previous
    server = getattr(stop, "__self__", None)

    def open_connections() -> int:
        connections = getattr(getattr(server, "server_state", None), "connections", None)
        return len(connections) if connections is not None else 1

    async def drain() -> None:
        for listener in getattr(server, "servers", ()):
            listener.close()
        deadline = loop.time() + seconds
        while open_connections() and loop.time() < deadline:
            await asyncio.sleep(0.02)
        stop(signal.SIGTERM, None)

    draining: set[asyncio.Task[None]] = set()

    def start() -> None:
        task = loop.create_task(drain())
        draining.add(task)
        task.add_done_callback(draining.discard)

    def on_term(signum: int, frame: object) -> None:
        if state.draining:
            stop(signum, frame)  # type: ignore[arg-type]
            return
        state.draining = True
        loop.call_soon_threadsafe(start)

    try:
        signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread
        return lambda: None

    def restore() -> None:
        with contextlib.suppress(ValueError):
            if signal.getsignal(signal.SIGTERM) is on_term:
                signal.signal(signal.SIGTERM, stop)

    return restore


class _CloseWhileDraining:
    """While the worker drains, every response carries ``Connection: close`` (uvicorn then closes
    the connection once the response is sent); otherwise requests pass straight through."""

    def __init__(self, app: ASGIApp, *, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.state.draining or scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["connection"] = "close"
            await send(message)

        await self.app(scope, receive, closing)


class _Cors:
    """Starlette's CORSMiddleware, except for GraphQL requests without an ``Origin`` header
    (servers, scripts, CDNs), which it would only pass through while adding ``Vary: Origin``;
    the view adds that itself, so the hot path skips a layer that rewrites every response's
    headers."""

    def __init__(self, app: ASGIApp, /, **options: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"] == GRAPHQL_PATH
            and not any(name == b"origin" for name, _ in scope["headers"])
        ):
            await self.app(scope, receive, send)
        else:
            await self.cors(scope, receive, send)


class _CompressPages:
    """Starlette's GZipMiddleware for every path but ``/graphql``, which compresses (and caches
    the compressed bytes of) its own responses: the hot path skips a middleware that would only
    look at each response and pass it on."""

    def __init__(self, app: ASGIApp, *, minimum_size: int) -> None:
        self.app = app
        self.compressing = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == GRAPHQL_PATH:
            await self.app(scope, receive, send)
        else:
            await self.compressing(scope, receive, send)


def app_factory() -> Starlette:
    """The app uvicorn builds in each worker: settings from the environment, bundled examples."""
    settings = Settings.from_env()
    configure_access_log(settings.access_log)
    return create_app(settings, example_operations=load_example_operations(EXAMPLE_OPERATIONS))


def run(settings: Settings) -> None:
    """Serve with uvicorn; workers are separate processes that rebuild the app from the env."""
    import uvicorn  # noqa: PLC0415 - only the serving command needs it

    # Workers read settings from the environment, so overrides given to this process travel too.
    os.environ.update(settings.to_env())
    if settings.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # prometheus-client's multi-process mode: each worker writes its samples to files here.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="careergraph-metrics-")
    uvicorn.run(
        "graphql_api.server.app:app_factory",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        # Several workers share one listening socket: each takes a connection at a time.
        loop=FAIR_ACCEPT_LOOP if settings.workers > 1 else "auto",
        log_level=settings.log_level.lower(),
        access_log=False,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
        timeout_worker_healthcheck=settings.worker_start_seconds,
    )
