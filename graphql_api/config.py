"""Service settings, read once from ``CAREERGRAPH_*`` environment variables and immutable after."""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql_api.api.extensions.limits import Limits

__all__ = ["ENV_PREFIX", "LOG_LEVELS", "Settings", "SettingsError"]

ENV_PREFIX = "CAREERGRAPH_"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the environment variable."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable}: {problem}")


@dataclass(frozen=True)
class Settings:
    """Everything the service can be told; each field ``x`` is read from ``CAREERGRAPH_X``."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    # None means the embedded default snapshot shipped in data/.
    snapshot: Path | None = None
    log_level: str = "info"
    # One JSON line per request (operation, status, duration, cache status) on the access logger.
    access_log: bool = True
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    # Caps the query text before the lexer sees it, so a 10 MB document costs one len().
    max_document_bytes: int = 100_000
    # Caps the whole HTTP body (query plus variables plus JSON framing).
    max_request_bytes: int = 1_000_000
    max_cost: int = 50_000
    # An operation running longer is stopped with EXECUTION_TIMEOUT (0: no limit).
    execution_timeout_ms: int = 5000
    # Whole encoded responses kept per worker: bounded in bytes, and at most this many entries
    # (either 0 disables the cache).
    response_cache_bytes: int = 64 * 1024 * 1024
    response_cache_size: int = 100_000
    document_cache_size: int = 512
    # Completed occupation selections (a comparison's two profiles) reused across requests,
    # bounded in estimated bytes (0 disables it); see graphql_api/api/extensions/object_cache.py.
    object_cache_bytes: int = 64 * 1024 * 1024
    # Automatic persisted queries (Apollo's protocol): documents registered by hash at run time.
    persisted_queries: bool = True
    persisted_query_cache_bytes: int = 8 * 1024 * 1024
    # Accept only the operations in schema/operations (trusted documents), by hash or by text.
    trusted_documents_only: bool = False
    # HTTP caching of GET responses: Cache-Control max-age and stale-while-revalidate, seconds.
    cache_max_age: int = 300
    cache_stale_while_revalidate: int = 3600
    # Responses at least this large are gzip-compressed for clients that accept it.
    gzip_min_bytes: int = 1024
    # Per-client token bucket: requests per minute and burst (0 requests per minute: no limit).
    rate_limit_per_minute: int = 0
    rate_limit_burst: int = 20
    # Trust the first X-Forwarded-For address as the client (only behind a proxy that sets it).
    trust_forwarded_for: bool = False
    introspection: bool = True
    field_suggestions: bool = True
    graphiql: bool = True
    # Browser origins allowed to call the API (comma-separated); "*" suits a public read-only API.
    cors_origins: str = "*"
    # Request headers a browser may send cross-origin (comma-separated).
    cors_headers: str = (
        "accept,authorization,content-type,apollographql-client-name,"
        "apollographql-client-version,x-request-id"
    )
    # Milliseconds a worker keeps answering after SIGTERM, closing each connection after its
    # response, before it stops accepting (0: stop at once). Keep-alive clients then reconnect to
    # a live worker instead of writing into a socket being closed (a reset).
    drain_ms: int = 1000
    # After a snapshot loads: collect once, then freeze the graph out of the garbage collector's
    # generations (full collections would walk its ~600,000 objects, ~0.3 s each, under load).
    gc_freeze: bool = True
    # Seconds a stopping worker waits for requests in flight before closing them.
    graceful_shutdown_seconds: int = 30
    # Seconds a new worker may take to load its snapshot before the supervisor gives up on it.
    worker_start_seconds: int = 120

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            _check(field.name, getattr(self, field.name))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``); keyword overrides win.

        >>> Settings.from_env({"CAREERGRAPH_PORT": "9000"}, workers=2).port
        9000
        """
        env = os.environ if environ is None else environ
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            if field.name in overrides:
                values[field.name] = overrides.pop(field.name)
                continue
            variable = ENV_PREFIX + field.name.upper()
            raw = env.get(variable)
            if raw is not None:
                values[field.name] = _convert(variable, raw, hints[field.name])
        if overrides:
            unknown = ", ".join(sorted(overrides))
            raise TypeError(f"unknown settings: {unknown}")
        return cls(**values)

    def limits(self) -> Limits:
        """The values the API's schema factory takes (the API never reads settings itself).

        >>> Settings(max_depth=4).limits().max_depth
        4
        """
        return Limits(
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_tokens=self.max_tokens,
            max_document_bytes=self.max_document_bytes,
            max_cost=self.max_cost,
            document_cache_size=self.document_cache_size,
            execution_timeout_ms=self.execution_timeout_ms,
            object_cache_bytes=self.object_cache_bytes,
            introspection=self.introspection,
            field_suggestions=self.field_suggestions,
        )

    def cors_header_list(self) -> list[str]:
        """The allowed CORS request headers, lower-cased."""
        return [h.strip().lower() for h in self.cors_headers.split(",") if h.strip()]

    def cors_origin_list(self) -> list[str]:
        """The allowed CORS origins."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    def to_env(self) -> dict[str, str]:
        """Render the settings as ``CAREERGRAPH_*`` variables, so worker processes see the same."""
        env: dict[str, str] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is None:
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            env[ENV_PREFIX + field.name.upper()] = str(value)
        return env


def _convert(variable: str, raw: str, hint: Any) -> Any:
    text = raw.strip()
    optional = False
    if isinstance(hint, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        optional = len(members) < len(typing.get_args(hint))
        hint = members[0]
    if optional and text == "":
        return None
    if hint is bool:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise SettingsError(variable, f"expected true/false (or 1/0, yes/no, on/off), got {raw!r}")
    if hint is int:
        try:
            return int(text)
        except ValueError:
            raise SettingsError(variable, f"expected an integer, got {raw!r}") from None
    if hint is Path:
        return Path(text).expanduser()
    return text


_NON_NEGATIVE = frozenset(
    {
        "response_cache_size",
        "response_cache_bytes",
        "document_cache_size",
        "persisted_query_cache_bytes",
        "execution_timeout_ms",
        "object_cache_bytes",
        "cache_max_age",
        "cache_stale_while_revalidate",
        "gzip_min_bytes",
        "rate_limit_per_minute",
        "graceful_shutdown_seconds",
        "drain_ms",
    }
)
_POSITIVE = frozenset(
    {
        "workers",
        "max_depth",
        "max_aliases",
        "max_tokens",
        "max_document_bytes",
        "max_request_bytes",
        "max_cost",
        "rate_limit_burst",
        "worker_start_seconds",
    }
)
_BOOLEANS = frozenset(
    {
        "access_log",
        "persisted_queries",
        "trusted_documents_only",
        "trust_forwarded_for",
        "introspection",
        "field_suggestions",
        "graphiql",
        "gc_freeze",
    }
)


def _check(name: str, value: object) -> None:
    variable = ENV_PREFIX + name.upper()
    if name == "port":
        if not isinstance(value, int) or not 0 <= value <= 65535:
            raise SettingsError(variable, f"expected a port number 0-65535, got {value!r}")
    elif name in _NON_NEGATIVE:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SettingsError(variable, f"expected an integer >= 0, got {value!r}")
    elif name in _POSITIVE:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SettingsError(variable, f"expected a positive integer, got {value!r}")
    elif name == "log_level":
        if not isinstance(value, str) or value.lower() not in LOG_LEVELS:
            raise SettingsError(variable, f"expected one of {', '.join(LOG_LEVELS)}, got {value!r}")
    elif name in _BOOLEANS and not isinstance(value, bool):
        raise SettingsError(variable, f"expected a boolean, got {value!r}")
