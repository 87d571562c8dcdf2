"""The HTTP service: a Starlette app serving GraphQL over HTTP, GraphiQL, and health probes."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import strawberry
from cross_web import HTTPException, StarletteRequestAdapter
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from graphql import OperationType as CoreOperationType
from graphql.utilities import get_operation_ast
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from graphql_api.api.errors import ErrorCode, is_public_error
from graphql_api.api.extensions.masking import mask_error
from graphql_api.api.extensions.response_cache import ResponseCache, response_key
from graphql_api.api.extensions.tokens import parse_limited
from graphql_api.config import Settings

__all__ = [
    "GRAPHQL_RESPONSE_JSON",
    "AppState",
    "ContextFactory",
    "GraphQLView",
    "LoadedSnapshot",
    "SchemaFactory",
    "SnapshotLoader",
    "app_factory",
    "create_app",
    "load_example_operations",
    "reload_snapshot",
    "render_graphiql",
    "run",
]

logger = logging.getLogger(__name__)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"

G = TypeVar("G")


@dataclass(frozen=True)
class LoadedSnapshot(Generic[G]):
    """What the snapshot loader hands the app: the loaded graph and its snapshot version."""

    version: str
    graph: G


SchemaFactory = Callable[[Settings], strawberry.Schema]
ContextFactory = Callable[[LoadedSnapshot[Any], Request], object]
SnapshotLoader = Callable[[Settings], LoadedSnapshot[Any]]


@dataclass
class AppState:
    """Per-process state: settings, the snapshot once loaded, and the response cache."""

    settings: Settings
    response_cache: ResponseCache
    snapshot: LoadedSnapshot[Any] | None = None
    load_error: str | None = None
    loaded: asyncio.Event = field(default_factory=asyncio.Event)


def _import(path: str) -> Any:
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _default(name: str) -> Any:
    # Imported late: the domain schema is built elsewhere and must not be needed to import this.
    return _import(f"graphql_api.api.schema:{name}")


def _accepted_media_type(accept: str | None) -> str | None:
    """Pick the response media type per GraphQL-over-HTTP: graphql-response+json if accepted."""
    if not accept:
        # The spec: a request without Accept is treated as accepting application/json.
        return APPLICATION_JSON
    offered: list[tuple[float, str]] = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        quality = 1.0
        for parameter in pieces[1:]:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            offered.append((quality, media))
    best: tuple[float, str] | None = None
    for quality, media in offered:
        if media == GRAPHQL_RESPONSE_JSON:
            candidate = GRAPHQL_RESPONSE_JSON
        elif media in {APPLICATION_JSON, "application/*", "*/*"}:
            candidate = APPLICATION_JSON
        else:
            continue
        # Equal preference: the spec's own media type wins.
        if (
            best is None
            or quality > best[0]
            or (quality == best[0] and candidate == GRAPHQL_RESPONSE_JSON)
        ):
            best = (quality, candidate)
    return best[1] if best else None


def _error_body(message: str, code: ErrorCode | None = None) -> dict[str, object]:
    error: dict[str, object] = {"message": message}
    if code is not None:
        error["extensions"] = {"code": str(code)}
    return {"errors": [error]}


class GraphQLView(GraphQL[object, None]):
    """Strawberry's ASGI view with spec status codes, body limits, masking and a response cache."""

    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        state: AppState,
        context_factory: ContextFactory,
        graphiql_html: str | None,
    ) -> None:
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=True)
        self.state = state
        self.context_factory = context_factory
        self.graphiql_html = graphiql_html

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer HTTP requests ourselves; anything else goes to Strawberry."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            response = await self.handle(request)
        except HTTPException as error:
            # A 405 here is a mutation over GET, which only POST may carry.
            headers = {"Allow": "POST"} if error.status_code == 405 else None
            response = JSONResponse(
                _error_body(error.reason), status_code=error.status_code, headers=headers
            )
        await response(scope, receive, send)

    async def get_context(self, request: Any, response: Any) -> object:
        """Build the per-request context with the factory the app was given."""
        snapshot = self.state.snapshot
        if snapshot is None:  # pragma: no cover - handle() refuses before this
            raise HTTPException(503, "The snapshot is still loading.")
        return self.context_factory(snapshot, request)

    async def handle(self, request: Request) -> Response:
        """One GraphQL-over-HTTP request: negotiate, parse, execute (or hit the cache), answer."""
        method = request.method
        if method not in {"GET", "POST"}:
            return JSONResponse(
                _error_body("GraphQL is served over GET and POST only."),
                status_code=405,
                headers={"Allow": "GET, POST"},
            )
        accept = request.headers.get("accept")
        if (
            method == "GET"
            and "query" not in request.query_params
            and "text/html" in (accept or "")
        ):
            if self.graphiql_html is None:
                return JSONResponse(_error_body("GraphiQL is disabled."), status_code=404)
            return HTMLResponse(self.graphiql_html)
        media_type = _accepted_media_type(accept)
        if media_type is None:
            return JSONResponse(
                _error_body(
                    f"Acceptable media types: {GRAPHQL_RESPONSE_JSON}, {APPLICATION_JSON}."
                ),
                status_code=406,
            )
        snapshot = self.state.snapshot
        if snapshot is None:
            return JSONResponse(
                _error_body("The snapshot is still loading.", ErrorCode.SERVICE_UNAVAILABLE),
                status_code=503,
                headers={"Retry-After": "1"},
            )
        if method == "POST":
            await self._read_body(request)
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != APPLICATION_JSON:
                return JSONResponse(
                    _error_body("POST bodies must be application/json."), status_code=415
                )
        data = await self.parse_http_body(StarletteRequestAdapter(request))
        if isinstance(data, list):
            # Strawberry refuses batches unless the schema enables them (then bounded by its
            # max_operations); each operation is answered on its own, without the cache.
            bodies = [
                (await self._execute(request, snapshot, item, use_cache=False))[0] for item in data
            ]
            return Response(self._encode(bodies), media_type=media_type)
        body, request_error = await self._execute(request, snapshot, data, use_cache=True)
        status = 400 if request_error and media_type == GRAPHQL_RESPONSE_JSON else 200
        return Response(body, status_code=status, media_type=media_type)

    async def _read_body(self, request: Request) -> None:
        limit = self.state.settings.max_request_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise HTTPException(413, f"Request body exceeds {limit} bytes.")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"Request body exceeds {limit} bytes.")
            chunks.append(chunk)
        # Starlette's own cache of the body: later readers (Strawberry's adapter) reuse it.
        request._body = b"".join(chunks)

    def _encode(self, data: object) -> bytes:
        encoded = self.encode_json(data)
        return encoded if isinstance(encoded, bytes) else encoded.encode("utf-8")

    async def _execute(
        self,
        request: Request,
        snapshot: LoadedSnapshot[Any],
        data: GraphQLRequestData,
        *,
        use_cache: bool,
    ) -> tuple[bytes, bool]:
        """Return the encoded response body and whether it is a request error (nothing ran)."""
        if not data.query:
            raise HTTPException(400, "No GraphQL query found in the request.")
        if data.operation_name is not None and not isinstance(data.operation_name, str):
            raise HTTPException(400, "The GraphQL operation's `operationName` must be a string.")
        cache = self.state.response_cache
        key = response_key(snapshot.version, data.query, data.variables, data.operation_name)
        if use_cache and cache.maxsize > 0 and (cached := cache.get(key)) is not None:
            return cached, False

        if data.operation_name is None and self._operation_count(data.query) > 1:
            # The GraphQL spec requires a name to pick one of several operations; Strawberry
            # would quietly run the first.
            raise HTTPException(
                400, "Must provide operation name if query contains multiple operations."
            )
        allowed = {OperationType.QUERY}
        if request.method == "POST":
            allowed.add(OperationType.MUTATION)
        context = await self.get_context(request, None)
        try:
            result = await self.schema.execute(
                data.query,
                variable_values=data.variables,
                context_value=context,
                operation_name=data.operation_name,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError as error:
            if request.method == "GET":
                raise HTTPException(405, error.as_http_error_reason("GET")) from error
            raise HTTPException(400, error.as_http_error_reason(request.method)) from error
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request.") from error

        # Variable coercion fails inside execution yet is a request error (nothing ran): graphql
        # reports it with no data and errors without a path, unlike a field error at the root.
        request_error = isinstance(result, PreExecutionError) or (
            result.data is None
            and bool(result.errors)
            and all(error.path is None for error in result.errors or ())
        )
        body = self._encode(self._client_response(result, request_error=request_error))
        if (
            use_cache
            and cache.maxsize > 0
            and not request_error
            and all(is_public_error(e) for e in result.errors or ())
            and self._is_query(data.query, data.operation_name)
        ):
            cache.put(key, body)
        return body, request_error

    def _client_response(
        self, result: ExecutionResult, *, request_error: bool
    ) -> GraphQLHTTPResponse:
        # Last line of defence: an error that escaped the masking extension (for instance one
        # raised by an extension outside the operation) is masked here; Strawberry logged it.
        if result.errors:
            result.errors = [e if is_public_error(e) else mask_error(e) for e in result.errors]
        response = process_result(result)
        if request_error:
            # Nothing executed, so per the GraphQL spec the response has no "data" entry.
            response.pop("data", None)
        return response

    def _parsed(self, query: str) -> DocumentNode | None:
        settings = self.state.settings
        try:
            return parse_limited(
                query,
                max_tokens=settings.max_tokens,
                max_bytes=settings.max_document_bytes,
                cache_size=settings.document_cache_size,
            )
        except GraphQLError:
            return None  # execution reports the syntax or limit error in the usual way

    def _operation_count(self, query: str) -> int:
        document = self._parsed(query)
        if document is None:
            return 0
        return sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)

    def _is_query(self, query: str, operation_name: str | None) -> bool:
        document = self._parsed(query)
        if document is None:
            return False
        operation = get_operation_ast(document, operation_name)
        return operation is not None and operation.operation is CoreOperationType.QUERY


_GRAPHIQL_TEMPLATE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>careergraph GraphiQL</title>
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
    <script crossorigin src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"
      integrity="sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"></script>
    <script crossorigin src="https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js"
      integrity="sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"></script>
    <link crossorigin rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css"
      integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM" />
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL...</div>
    <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"
      integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"></script>
    <script id="careergraph-examples" type="application/json">__EXAMPLES__</script>
    <script>
      const examples = JSON.parse(
        document.getElementById("careergraph-examples").textContent
      );
      const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
      const tabs = examples.map(function (example) {
        return { query: example.query };
      });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultQuery: tabs.length ? tabs[0].query : undefined,
          defaultTabs: tabs.length ? tabs : undefined,
          defaultEditorToolsVisibility: true,
          inputValueDeprecation: true,
        })
      );
    </script>
  </body>
</html>
"""


def render_graphiql(example_operations: Mapping[str, str]) -> str:
    """The GraphiQL page, opening one tab per example operation (name order kept).

    The examples travel as JSON inside a non-executed script element, with ``<``, ``>`` and
    ``&`` escaped so no document text can close the element.

    >>> "</script><b>" in render_graphiql({"x": "# </script><b>"})
    False
    """
    examples = [{"name": name, "query": text} for name, text in example_operations.items()]
    payload = (
        json.dumps(examples, ensure_ascii=False)
        .replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
    )
    return _GRAPHIQL_TEMPLATE.replace("__EXAMPLES__", payload)


def load_example_operations(directory: Path) -> dict[str, str]:
    """Read ``*.graphql`` files in ``directory`` as {file stem: text}; empty if it is absent."""
    if not directory.is_dir():
        return {}
    return {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.graphql"))
    }


async def _load_snapshot(state: AppState, loader: SnapshotLoader) -> None:
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
    else:
        # One assignment: requests already running finish on the old graph, new ones get the
        # new one; cached responses are keyed by version, so none leaks across.
        state.snapshot = snapshot
        state.load_error = None
        logger.info("snapshot %s loaded", snapshot.version)
    finally:
        state.loaded.set()


async def reload_snapshot(app: Starlette) -> None:
    """Load the configured snapshot again and swap it in; on failure keep the current one.

    ``careergraph serve`` runs this on SIGHUP, so a new snapshot is rolled out by replacing
    the file (the builder writes atomically) and signalling the process.
    """
    state: AppState = app.state.careergraph
    loader: SnapshotLoader = app.state.snapshot_loader
    await _load_snapshot(state, loader)


def create_app(
    settings: Settings | None = None,
    *,
    schema_factory: SchemaFactory | None = None,
    context_factory: ContextFactory | None = None,
    snapshot_loader: SnapshotLoader | None = None,
    example_operations: Mapping[str, str] | None = None,
) -> Starlette:
    """Build the ASGI app: ``/graphql``, ``/healthz`` and ``/readyz``.

    Each factory left out comes from the import path in ``settings`` (``schema_factory``,
    ``context_factory``, ``snapshot_loader``), else from ``graphql_api.api.schema``
    (``build_schema``, ``build_context``, ``load_snapshot``). The schema is built here, once;
    the snapshot is loaded in the background at startup; the context is built per request.
    """
    settings = settings or Settings.from_env()
    schema_factory = schema_factory or cast(
        "SchemaFactory",
        _import(settings.schema_factory) if settings.schema_factory else _default("build_schema"),
    )
    context_factory = context_factory or cast(
        "ContextFactory",
        _import(settings.context_factory)
        if settings.context_factory
        else _default("build_context"),
    )
    loader = snapshot_loader or cast(
        "SnapshotLoader",
        _import(settings.snapshot_loader)
        if settings.snapshot_loader
        else _default("load_snapshot"),
    )
    schema = schema_factory(settings)
    state = AppState(settings=settings, response_cache=ResponseCache(settings.response_cache_size))
    view = GraphQLView(
        schema,
        state=state,
        context_factory=context_factory,
        graphiql_html=render_graphiql(example_operations or {}) if settings.graphiql else None,
    )

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        if state.snapshot is not None:
            return JSONResponse({"status": "ready", "snapshotVersion": state.snapshot.version})
        if state.load_error is not None:
            return JSONResponse({"status": "failed", "error": state.load_error}, status_code=503)
        return JSONResponse({"status": "loading"}, status_code=503)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
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
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signal.SIGHUP)

    app = Starlette(
        routes=[
            Route("/graphql", view),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=[o.strip() for o in settings.cors_origins.split(",") if o.strip()],
                allow_methods=["GET", "POST"],
                allow_headers=["accept", "content-type"],
                max_age=86400,
            )
        ],
    )
    app.state.careergraph = state
    app.state.snapshot_loader = loader
    app.state.schema = schema
    return app


def app_factory() -> Starlette:
    """The app uvicorn builds in each worker: settings from the environment, bundled examples."""
    operations = Path(__file__).resolve().parent.parent / "schema" / "operations"
    return create_app(Settings.from_env(), example_operations=load_example_operations(operations))


def run(settings: Settings) -> None:
    """Serve with uvicorn; workers are separate processes that rebuild the app from the env."""
    import uvicorn  # noqa: PLC0415 - only the serving command needs it

    # Workers read settings from the environment, so overrides given to this process travel too.
    os.environ.update(settings.to_env())
    uvicorn.run(
        "graphql_api.server:app_factory",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level.lower(),
    )
