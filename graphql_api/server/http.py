"""GraphQL over HTTP: reading a request (GET query string or JSON body) and negotiating the answer.

Every refusal here is an :class:`HTTPError` whose body carries ``extensions.code`` (BAD_REQUEST
for the HTTP-level ones, BAD_USER_INPUT for variables a client got wrong), so no client ever
sees an error without a code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql_api.api.errors import ErrorCode

__all__ = [
    "APPLICATION_JSON",
    "GRAPHQL_RESPONSE_JSON",
    "GraphQLRequest",
    "HTTPError",
    "accepted_media_type",
    "error_body",
    "request_from_body",
    "request_from_query_string",
]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"


def error_body(message: str, code: ErrorCode, **extensions: object) -> dict[str, object]:
    """A GraphQL response holding one coded error and no data.

    >>> error_body("No GraphQL query found in the request.", ErrorCode.BAD_REQUEST)
    {'errors': [{'message': 'No GraphQL query found in the request.', 'extensions': {'code': 'BAD_REQUEST'}}]}
    """
    return {"errors": [{"message": message, "extensions": {"code": str(code), **extensions}}]}


class HTTPError(Exception):
    """A request refused before GraphQL ran: an HTTP status and one coded error."""

    def __init__(
        self,
        status: int,
        message: str,
        code: ErrorCode = ErrorCode.BAD_REQUEST,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, object]:
        """The response body."""
        return error_body(self.message, self.code)


@dataclass(frozen=True)
class GraphQLRequest:
    """One GraphQL request's parameters, as read from GET or POST."""

    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None

    @property
    def persisted_hash(self) -> str | None:
        """The sha256 of Apollo's ``extensions.persistedQuery``, when the request has one."""
        persisted = (self.extensions or {}).get("persistedQuery")
        if not isinstance(persisted, dict):
            return None
        digest = persisted.get("sha256Hash")
        return digest if isinstance(digest, str) else None

    @property
    def persisted_version_given(self) -> bool:
        """Whether ``extensions.persistedQuery`` is present at all (well-formed or not)."""
        return "persistedQuery" in (self.extensions or {})

    def with_query(self, query: str) -> GraphQLRequest:
        """The same request with the document filled in (from the persisted-query store)."""
        return GraphQLRequest(query, self.variables, self.operation_name, self.extensions)


def _check(params: Mapping[str, Any], *, source: str) -> GraphQLRequest:
    query = params.get("query")
    if query is not None and not isinstance(query, str):
        raise HTTPError(400, "The `query` parameter must be a string.")
    operation_name = params.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise HTTPError(400, "The `operationName` parameter must be a string.")
    variables = params.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise HTTPError(
            400, f"`variables` must be a JSON object{source}.", ErrorCode.BAD_USER_INPUT
        )
    extensions = params.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise HTTPError(400, f"`extensions` must be a JSON object{source}.")
    return GraphQLRequest(query or None, variables, operation_name or None, extensions)


def _json_parameter(raw: str | None, name: str, code: ErrorCode) -> Any:
    if raw is None or raw == "":
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise HTTPError(
            400, f"The `{name}` query parameter is not valid JSON: {raw[:100]!r}.", code
        ) from None


def request_from_query_string(params: Mapping[str, str]) -> GraphQLRequest:
    """Read a GET request: ``query``, ``operationName``, and ``variables``/``extensions`` as JSON.

    >>> request_from_query_string({"query": "{ a }", "variables": '{"x": 1}'}).variables
    {'x': 1}
    """
    return _check(
        {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
            "variables": _json_parameter(
                params.get("variables"), "variables", ErrorCode.BAD_USER_INPUT
            ),
            "extensions": _json_parameter(
                params.get("extensions"), "extensions", ErrorCode.BAD_REQUEST
            ),
        },
        source=" in the `variables` query parameter",
    )


def request_from_body(body: bytes) -> GraphQLRequest:
    """Read a POST body (``application/json``); a JSON array (a batch) is refused.

    >>> request_from_body(b'{"query": "{ a }"}').query
    '{ a }'
    """
    try:
        params = json.loads(body)
    except ValueError:
        raise HTTPError(400, "The request body is not valid JSON.") from None
    if isinstance(params, list):
        raise HTTPError(
            400,
            "Batched requests (a JSON array of operations) are not supported: send one "
            "operation per request (HTTP/2 and the response cache make that cheap).",
        )
    if not isinstance(params, dict):
        raise HTTPError(400, "The request body must be a JSON object.")
    return _check(params, source="")


@lru_cache(maxsize=256)
def accepted_media_type(accept: str | None) -> str | None:
    """Pick the response media type per GraphQL-over-HTTP: graphql-response+json if accepted.

    >>> accepted_media_type("application/json, application/graphql-response+json")
    'application/graphql-response+json'
    >>> accepted_media_type("text/csv") is None
    True
    """
    if not accept:
        # The spec: a request without Accept is treated as accepting application/json.
        return APPLICATION_JSON
    best: tuple[float, str] | None = None
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
        if quality <= 0:
            continue
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
