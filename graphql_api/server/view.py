"""The ``/graphql`` endpoint: GraphQL over HTTP with persisted queries, caching and limits.

A plain ASGI app rather than a subclass of Strawberry's HTTP view: it reads the request itself
(GET query string or a JSON body, bounded in bytes), so it needs no private Starlette state and no
Strawberry HTTP internals, and it answers from the response cache before any GraphQL machinery
runs. Only ``Schema.execute`` (Strawberry's public entry point) executes operations.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import strawberry
from cachetools import LRUCache
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from graphql import OperationType as CoreOperationType
from graphql.utilities import get_operation_ast
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from graphql_api.api.errors import ErrorCode
from graphql_api.api.extensions.error_codes import client_error
from graphql_api.api.extensions.tokens import parse_limited

from . import metrics
from .caching import CachedResponse, ResponseKey, etag_for, render_variables, response_key
from .http import (
    APPLICATION_JSON,
    GRAPHQL_RESPONSE_JSON,
    GraphQLRequest,
    HTTPError,
    accepted_media_type,
    request_from_body,
    request_from_query_string,
)
from .observability import ACCESS_LOGGER, RequestRecord, request_span
from .persisted import PersistedQueries
from .rate_limit import TokenBuckets
from .state import AppState, ContextFactory

__all__ = ["GraphQLView"]

_ALLOWED_METHODS = "GET, HEAD, POST"
_VARY = "Accept, Accept-Encoding"
_VARY_WITHOUT_CORS = "Accept, Accept-Encoding, Origin"
# POST bodies remembered with their reading: at most 2 MiB of bodies and what was read of them.
_REMEMBERED_BODIES = 512
_REMEMBERED_BODY_BYTES = 4096


@dataclass
class _Answer:
    body: bytes
    status: int
    # Set when the same request will always get the same bytes on this snapshot.
    cached: CachedResponse | None = None
    key: ResponseKey | None = None


class GraphQLView:
    """The GraphQL endpoint as an ASGI app (mounted with ``Route("/graphql", view)``)."""

    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        state: AppState,
        context_factory: ContextFactory,
        graphiql_html: str | None,
        persisted: PersistedQueries,
        rate_limit: TokenBuckets | None = None,
    ) -> None:
        self.schema = schema
        self.state = state
        self.context_factory = context_factory
        self.graphiql_html = graphiql_html
        self.persisted = persisted
        self.rate_limit = rate_limit
        settings = state.settings
        self.cache_control = (
            f"public, max-age={settings.cache_max_age}, "
            f"stale-while-revalidate={settings.cache_stale_while_revalidate}"
        )
        self.has_mutations = getattr(schema, "mutation", None) is not None
        # Bounded: at most _REMEMBERED_BODIES bodies of at most _REMEMBERED_BODY_BYTES each.
        self._bodies: LRUCache[bytes, tuple[GraphQLRequest, str]] = LRUCache(_REMEMBERED_BODIES)
        self.field_suggestions = settings.field_suggestions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one HTTP request, then count and log it."""
        started = time.perf_counter()
        request = Request(scope, receive)
        headers = _headers(scope)
        record = RequestRecord(
            method=request.method,
            path=scope["path"],
            client=self._client(request, headers),
            request_id=headers.get("x-request-id"),
        )
        self.state.in_flight += 1
        try:
            with request_span(record):
                try:
                    response = await self._handle(request, record, headers)
                except HTTPError as error:
                    response = self._error_response(error, headers, record)
                record.status = response.status_code
                record.bytes = len(response.body)
                if request.method == "HEAD":
                    await response(scope, receive, _without_body(send))
                else:
                    await response(scope, receive, send)
        finally:
            self.state.in_flight -= 1
            record.duration_ms = (time.perf_counter() - started) * 1000
            self._observe(record)

    def _client(self, request: Request, headers: Mapping[str, str]) -> str:
        if self.state.settings.trust_forwarded_for:
            forwarded = headers.get("x-forwarded-for")
            if forwarded:
                return forwarded.split(",")[0].strip()
        return request.client.host if request.client else "unknown"

    def _observe(self, record: RequestRecord) -> None:
        operation = metrics.operation_label(record.operation)
        metrics.request_counter(operation, record.method, record.status).inc()
        metrics.latency_histogram(operation).observe(record.duration_ms / 1000)
        for code in record.codes:
            metrics.ERRORS.labels(code).inc()
        if ACCESS_LOGGER.isEnabledFor(20):
            ACCESS_LOGGER.info(record.as_json())

    def _error_response(
        self, error: HTTPError, headers: Mapping[str, str], record: RequestRecord
    ) -> Response:
        record.codes.append(str(error.code))
        media_type = accepted_media_type(headers.get("accept")) or APPLICATION_JSON
        return Response(
            _encode(error.body()),
            status_code=error.status,
            media_type=media_type,
            headers={"Cache-Control": "no-store", **error.headers},
        )

    async def _handle(
        self, request: Request, record: RequestRecord, headers: Mapping[str, str]
    ) -> Response:
        method = request.method
        if method not in {"GET", "HEAD", "POST"}:
            raise HTTPError(
                405,
                "GraphQL is served over GET and POST only.",
                headers={"Allow": _ALLOWED_METHODS},
            )
        accept = headers.get("accept")
        if (
            method != "POST"
            and "query" not in request.query_params
            and "extensions" not in request.query_params
            and "text/html" in (accept or "")
        ):
            if self.graphiql_html is None:
                raise HTTPError(404, "GraphiQL is disabled on this server.", ErrorCode.NOT_FOUND)
            return HTMLResponse(self.graphiql_html)
        media_type = accepted_media_type(accept)
        if media_type is None:
            raise HTTPError(
                406, f"Acceptable media types: {GRAPHQL_RESPONSE_JSON}, {APPLICATION_JSON}."
            )
        if self.rate_limit is not None:
            wait = self.rate_limit.take(record.client)
            if wait > 0:
                raise HTTPError(
                    429,
                    "Too many requests from this client; retry after the Retry-After seconds.",
                    ErrorCode.RATE_LIMITED,
                    headers={"Retry-After": TokenBuckets.retry_after(wait)},
                )
        snapshot = self.state.snapshot
        if snapshot is None:
            raise HTTPError(
                503,
                "The snapshot is still loading.",
                ErrorCode.SERVICE_UNAVAILABLE,
                headers={"Retry-After": "1"},
            )
        if method == "POST":
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != APPLICATION_JSON:
                raise HTTPError(415, "POST bodies must be application/json.")
            graphql_request, rendered = self._request_from_body(
                await self._read_body(request, headers)
            )
        else:
            graphql_request = request_from_query_string(request.query_params)
            rendered = None
        resolution = self.persisted.resolve(graphql_request)
        if resolution.outcome != "none":
            record.persisted = resolution.outcome
            metrics.PERSISTED.labels(resolution.outcome).inc()
        graphql_request = resolution.request
        record.operation = graphql_request.operation_name
        if graphql_request.query is None:
            raise HTTPError(400, "No GraphQL query found in the request.")

        is_get = method != "POST"
        key = response_key(
            snapshot.version,
            graphql_request.query,
            graphql_request.variables,
            graphql_request.operation_name,
            rendered=rendered,
        )
        gzip_ok = "gzip" in headers.get("accept-encoding", "")
        # The CORS middleware adds Origin to Vary on requests with an Origin; those without one
        # skip it (app._Cors), so the view names Origin itself: the same Vary either way.
        vary = _VARY if "origin" in headers else _VARY_WITHOUT_CORS
        if is_get and (tags := headers.get("if-none-match")):
            # The response to a key never changes on a snapshot, so a matching validator needs no
            # execution at all.
            etag = etag_for(key)
            if _matches(tags, etag):
                record.cache = "not_modified"
                metrics.NOT_MODIFIED.inc()
                return Response(
                    status_code=304, headers=self._cache_headers(etag, gzip=False, vary=vary)
                )
        cache = self.state.response_cache
        cached = cache.get(key) if cache.enabled else None
        if cache.enabled:
            (metrics.CACHE_HITS if cached else metrics.CACHE_MISSES).inc()
        if cached is not None:
            record.cache = "hit"
            record.operation = record.operation or cached.operation
            answer = _Answer(cached.body, 200, cached, key)
        else:
            record.cache = "miss" if cache.enabled else "bypass"
            answer = await self._execute(request, graphql_request, snapshot, key, record)
        return self._respond(answer, media_type, is_get=is_get, gzip_ok=gzip_ok, vary=vary)

    def _cache_headers(self, etag: str, *, gzip: bool, vary: str | None) -> dict[str, str]:
        headers = {
            "ETag": etag[:-1] + '-gzip"' if gzip else etag,
            "Cache-Control": self.cache_control,
        }
        if vary:
            headers["Vary"] = vary
        return headers

    def _respond(
        self, answer: _Answer, media_type: str, *, is_get: bool, gzip_ok: bool, vary: str
    ) -> Response:
        body = answer.body
        headers: dict[str, str] = {}
        status = answer.status
        compress = gzip_ok and len(body) >= self.state.settings.gzip_min_bytes
        if compress:
            if answer.cached is not None:
                entry = answer.cached.with_gzip()
                if entry is not answer.cached and answer.key is not None:
                    self.state.response_cache.replace(answer.key, entry)
                body = entry.gzipped or body
            else:
                body = CachedResponse(body, "").with_gzip().gzipped or body
            headers["Content-Encoding"] = "gzip"
        if is_get:
            if answer.cached is not None:
                headers.update(self._cache_headers(answer.cached.etag, gzip=compress, vary=None))
            else:
                headers["Cache-Control"] = "no-store"
        headers["Vary"] = vary
        return Response(body, status_code=status, media_type=media_type, headers=headers)

    def _request_from_body(self, body: bytes) -> tuple[GraphQLRequest, str]:
        """The request a POST body holds and its variables rendered for the cache key, read
        once per distinct body: a client repeating a request (a cache hit) parses no JSON.
        Bodies that fail to read are not remembered; nobody changes a request once read."""
        known = self._bodies.get(body)
        if known is not None:
            return known
        graphql_request = request_from_body(body)
        read = graphql_request, render_variables(graphql_request.variables)
        if len(body) <= _REMEMBERED_BODY_BYTES:
            self._bodies[body] = read
        return read

    async def _read_body(self, request: Request, headers: Mapping[str, str]) -> bytes:
        limit = self.state.settings.max_request_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise HTTPError(413, f"The request body exceeds {limit} bytes.")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPError(413, f"The request body exceeds {limit} bytes.")
            chunks.append(chunk)
        return b"".join(chunks)

    def _operation(self, graphql_request: GraphQLRequest) -> OperationDefinitionNode | None:
        """The operation the request names, after the HTTP-level checks; None if unparsable."""
        assert graphql_request.query is not None
        limits = self.state.settings
        try:
            document: DocumentNode = parse_limited(
                graphql_request.query,
                max_tokens=limits.max_tokens,
                max_bytes=limits.max_document_bytes,
                cache_size=limits.document_cache_size,
            )
        except GraphQLError:
            return None  # execution reports the syntax or limit error, coded
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        name = graphql_request.operation_name
        if name is None and len(operations) > 1:
            # The GraphQL spec requires a name to pick one of several operations.
            raise HTTPError(
                400,
                "Must provide operation name if query contains multiple operations.",
                ErrorCode.OPERATION_RESOLUTION_FAILURE,
            )
        operation = get_operation_ast(document, name)
        if operation is None and operations:
            raise HTTPError(
                400, f"Unknown operation named {name!r}.", ErrorCode.OPERATION_RESOLUTION_FAILURE
            )
        return operation

    async def _execute(
        self,
        request: Request,
        graphql_request: GraphQLRequest,
        snapshot: Any,
        key: ResponseKey,
        record: RequestRecord,
    ) -> _Answer:
        operation = self._operation(graphql_request)
        kind = operation.operation if operation is not None else None
        name = operation.name.value if operation is not None and operation.name else None
        record.operation = record.operation or name
        if kind is not None and kind is not CoreOperationType.QUERY:
            if request.method != "POST":
                # GraphQL over HTTP: GET must not change anything, whatever the schema offers.
                raise HTTPError(
                    405,
                    f"{kind.value.title()} operations are only accepted over POST.",
                    headers={"Allow": "POST"},
                )
            # Subscriptions need a streaming transport, which this endpoint does not offer.
            if not (kind is CoreOperationType.MUTATION and self.has_mutations):
                error = HTTPError(
                    200,
                    f"This API is read-only: {kind.value} operations are not supported.",
                    ErrorCode.OPERATION_NOT_SUPPORTED,
                )
                raise _request_error(error, request)
        allowed = {OperationType.QUERY}
        if request.method == "POST":
            allowed.add(OperationType.MUTATION)
        context = self.context_factory(snapshot, request)
        try:
            result = await self.schema.execute(
                graphql_request.query,
                variable_values=graphql_request.variables,
                context_value=context,
                operation_name=graphql_request.operation_name,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError as error:  # pragma: no cover - checked above
            raise HTTPError(405, error.as_http_error_reason(request.method)) from error
        except CannotGetOperationTypeError as error:
            raise HTTPError(
                400, error.as_http_error_reason(), ErrorCode.OPERATION_RESOLUTION_FAILURE
            ) from error

        # Variable coercion fails inside execution yet is a request error (nothing ran): graphql
        # reports it with no data and errors without a path, unlike a field error at the root.
        request_error = isinstance(result, PreExecutionError) or (
            result.data is None
            and bool(result.errors)
            and all(error.path is None for error in result.errors or ())
        )
        response = _client_response(
            result, request_error=request_error, field_suggestions=self.field_suggestions
        )
        codes = [
            str((e.extensions or {}).get("code") or ErrorCode.INTERNAL_SERVER_ERROR)
            for e in result.errors or ()
        ]
        record.codes.extend(codes)
        body = _encode(response)
        media_type = accepted_media_type(request.headers.get("accept"))
        status = 400 if request_error and media_type == GRAPHQL_RESPONSE_JSON else 200
        cacheable = (
            kind is CoreOperationType.QUERY
            and not request_error
            and not any(c in _UNCACHEABLE for c in codes)
        )
        if cacheable and self.state.response_cache.enabled:
            entry = self.state.response_cache.put(key, body, name)
            return _Answer(body, status, entry, key)
        if cacheable:
            return _Answer(body, status, CachedResponse(body, etag_for(key), operation=name), key)
        return _Answer(body, status)


# Responses that depend on the moment, not only on the request and the snapshot.
_UNCACHEABLE = frozenset(
    {
        str(ErrorCode.INTERNAL_SERVER_ERROR),
        str(ErrorCode.EXECUTION_TIMEOUT),
        str(ErrorCode.SERVICE_UNAVAILABLE),
    }
)


def _request_error(error: HTTPError, request: Request) -> HTTPError:
    # A request error is 400 under graphql-response+json and 200 under application/json.
    if accepted_media_type(request.headers.get("accept")) == GRAPHQL_RESPONSE_JSON:
        error.status = 400
    return error


def _client_response(
    result: ExecutionResult, *, request_error: bool, field_suggestions: bool
) -> dict[str, object]:
    response: dict[str, object] = {}
    if not request_error:
        # Nothing executed for a request error, so per the GraphQL spec it has no "data" entry.
        response["data"] = result.data
    if result.errors:
        # Errors raised where no extension hook runs (parsing, an aborted execution) are coded
        # and masked here; an internal one was logged by Strawberry.
        result.errors = [
            client_error(e, nothing_ran=result.data is None, field_suggestions=field_suggestions)
            for e in result.errors
        ]
        response["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        response["extensions"] = result.extensions
    return response


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by (lower-case, as ASGI gives them) name, the first of a repeated
    one as Starlette's ``Headers.get`` reads it: one pass, where each ``get`` would scan them all.

    >>> _headers({"headers": [(b"accept", b"a"), (b"x-id", b"1"), (b"accept", b"b")]})
    {'accept': 'a', 'x-id': '1'}
    """
    out: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1")
        if key not in out:
            out[key] = value.decode("latin-1")
    return out


def _encode(data: Mapping[str, object]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (in either content coding) or is ``*``."""
    gzip_tag = etag[:-1] + '-gzip"'
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag in {"*", etag, gzip_tag}:
            return True
    return False


def _without_body(send: Send) -> Send:
    """A ``send`` for HEAD: the status and headers (Content-Length included) of GET, no body."""

    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_headers_only
