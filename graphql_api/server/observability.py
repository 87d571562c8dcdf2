"""Structured access logs (one JSON object per request) and optional OpenTelemetry spans.

Tracing is used only when the ``opentelemetry-api`` package is importable (it is not a dependency):
each GraphQL request becomes a ``graphql.request`` span carrying the operation name, status and
cache status, exported wherever the process's OpenTelemetry SDK is configured to send them.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ACCESS_LOGGER", "RequestRecord", "configure_access_log", "request_span", "tracer"]

ACCESS_LOGGER = logging.getLogger("careergraph.access")


@dataclass
class RequestRecord:
    """What one request did, filled in by the view and logged and counted when it ends."""

    method: str
    path: str
    client: str
    operation: str | None = None
    status: int = 0
    cache: str = "none"  # hit | miss | bypass | not_modified | none
    persisted: str = "none"
    codes: list[str] = field(default_factory=list)
    duration_ms: float = 0.0
    bytes: int = 0
    request_id: str | None = None

    def as_json(self) -> str:
        """The access-log line.

        >>> RequestRecord("GET", "/graphql", "127.0.0.1", status=200).as_json()[:30]
        '{"method": "GET", "path": "/gr'
        """
        data: dict[str, Any] = {
            "method": self.method,
            "path": self.path,
            "client": self.client,
            "operation": self.operation,
            "status": self.status,
            "duration_ms": round(self.duration_ms, 2),
            "cache": self.cache,
            "bytes": self.bytes,
        }
        if self.persisted != "none":
            data["persisted_query"] = self.persisted
        if self.codes:
            data["error_codes"] = sorted(set(self.codes))
        if self.request_id:
            data["request_id"] = self.request_id[:128]
        return json.dumps(data, separators=(", ", ": "))


def configure_access_log(enabled: bool) -> None:
    """Send access lines, bare JSON, to stderr (uvicorn's own access log is switched off)."""
    ACCESS_LOGGER.setLevel(logging.INFO if enabled else logging.WARNING)
    if enabled and not ACCESS_LOGGER.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        ACCESS_LOGGER.addHandler(handler)
        ACCESS_LOGGER.propagate = False


def _load_tracer() -> Any:
    try:
        # Optional and untyped here: imported by name so no stub is needed.
        trace = importlib.import_module("opentelemetry.trace")
    except ImportError:
        return None
    return trace.get_tracer("careergraph.server")


tracer: Any = _load_tracer()


def request_span(record: RequestRecord) -> AbstractContextManager[Any]:
    """A span around one request when OpenTelemetry is installed, else nothing."""
    if tracer is None:
        return nullcontext()
    return _span(record)


@contextmanager
def _span(record: RequestRecord) -> Iterator[Any]:
    with tracer.start_as_current_span("graphql.request") as span:
        try:
            yield span
        finally:
            span.set_attribute("http.request.method", record.method)
            span.set_attribute("http.response.status_code", record.status)
            span.set_attribute("graphql.operation.name", record.operation or "")
            span.set_attribute("careergraph.cache", record.cache)
