"""Prometheus metrics (prometheus-client), in multi-process mode when several workers serve.

``careergraph serve --workers N`` points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh folder before the
workers start, so every worker's counters land in files that ``/metrics`` (answered by any worker)
sums. Operation names are client-chosen, so at most :data:`MAX_OPERATION_LABELS` distinct ones
get their own label per worker; the rest are counted as ``other``.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

__all__ = [
    "CACHE",
    "CACHE_HITS",
    "CACHE_MISSES",
    "CONTENT_TYPE_LATEST",
    "ERRORS",
    "LATENCY",
    "MAX_OPERATION_LABELS",
    "NOT_MODIFIED",
    "OBJECT_CACHE",
    "PERSISTED",
    "REQUESTS",
    "SNAPSHOT_INFO",
    "SNAPSHOT_LOAD_SECONDS",
    "latency_histogram",
    "mark_worker_exited",
    "object_cache_lookup",
    "operation_label",
    "render",
    "request_counter",
    "snapshot_loaded",
]

MAX_OPERATION_LABELS = 200
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")

REQUESTS = Counter(
    "careergraph_requests",
    "GraphQL HTTP requests by operation name, method and status.",
    ["operation", "method", "status"],
)
LATENCY = Histogram(
    "careergraph_request_duration_seconds",
    "Time from request to response, by operation name.",
    ["operation"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ERRORS = Counter("careergraph_errors", "Errors in GraphQL responses, by extensions.code.", ["code"])
CACHE = Counter(
    "careergraph_response_cache", "Response-cache lookups by result (hit, miss).", ["result"]
)
CACHE_HITS = CACHE.labels("hit")
CACHE_MISSES = CACHE.labels("miss")
OBJECT_CACHE = Counter(
    "careergraph_object_cache",
    "Object-cache lookups (completed occupation selections) by result (hit, miss).",
    ["result"],
)
NOT_MODIFIED = Counter(
    "careergraph_not_modified", "GET requests answered 304 Not Modified (If-None-Match)."
)
PERSISTED = Counter(
    "careergraph_persisted_queries",
    "Persisted-query lookups by result (hit, miss, registered, trusted).",
    ["result"],
)
SNAPSHOT_INFO = Gauge(
    "careergraph_snapshot_info",
    "1 for the snapshot version each worker serves.",
    ["version"],
    multiprocess_mode="liveall",
)
SNAPSHOT_LOAD_SECONDS = Gauge(
    "careergraph_snapshot_load_seconds",
    "Seconds the served snapshot took to load and prepare.",
    multiprocess_mode="liveall",
)

_seen: set[str] = set()
_seen_lock = threading.Lock()


@lru_cache(maxsize=4096)
def request_counter(operation: str, method: str, status: int) -> Counter:
    """The request counter of these labels, looked up once (``labels`` takes a lock and checks
    its arguments on every call); operation labels are bounded, so the children are too."""
    return REQUESTS.labels(operation, method, str(status))


@lru_cache(maxsize=1024)
def latency_histogram(operation: str) -> Histogram:
    """The latency histogram of an operation label, looked up once."""
    return LATENCY.labels(operation)


def operation_label(name: str | None) -> str:
    """The label for an operation name: the name itself while few are seen, else ``other``.

    >>> operation_label(None), operation_label("ComparePage"), operation_label("x y")
    ('anonymous', 'ComparePage', 'other')
    """
    if not name:
        return "anonymous"
    if name in _seen:
        return name
    if not _NAME.fullmatch(name):
        return "other"
    with _seen_lock:
        if len(_seen) >= MAX_OPERATION_LABELS:
            return "other"
        _seen.add(name)
    return name


_served: list[str] = []


def snapshot_loaded(version: str, seconds: float) -> None:
    """Record the snapshot this worker now serves (the previous version's series drops)."""
    for old in _served:
        SNAPSHOT_INFO.remove(old)
    _served[:] = [version]
    SNAPSHOT_INFO.labels(version=version).set(1)
    SNAPSHOT_LOAD_SECONDS.set(seconds)


def _multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def render() -> bytes:
    """The exposition text: this process's registry, or every worker's in multi-process mode."""
    if _multiprocess_dir():
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()


def mark_worker_exited() -> None:
    """Drop this worker's live gauges (snapshot version) when it stops, in multi-process mode."""
    if _multiprocess_dir():
        prometheus_multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


_OBJECT_HITS = OBJECT_CACHE.labels("hit")
_OBJECT_MISSES = OBJECT_CACHE.labels("miss")


def object_cache_lookup(hit: bool) -> None:
    """Count one object-cache lookup (the schema's cache calls this)."""
    (_OBJECT_HITS if hit else _OBJECT_MISSES).inc()
