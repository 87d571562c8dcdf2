"""Response caching: whole encoded responses in memory (bounded in bytes) and HTTP validators.

The data is read-only and versioned, so the same operation and variables on the same snapshot
always give the same bytes: a response is cached under (snapshot version, document, variables,
operation name), and the same key, hashed, is the strong ETag a CDN or browser revalidates with.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

__all__ = ["CachedResponse", "ResponseCache", "etag_for", "render_variables", "response_key"]

ResponseKey = tuple[str, str, str, str | None]


def render_variables(variables: Mapping[str, Any] | None) -> str:
    """Variables rendered canonically, so key order in the request does not matter.

    >>> render_variables({"b": 1, "a": 2})
    '{"a":2,"b":1}'
    """
    return json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))


def response_key(
    version: str,
    query: str,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
    *,
    rendered: str | None = None,
) -> ResponseKey:
    """The cache key: the same operation and variables on the same snapshot give the same answer.

    ``rendered`` is :func:`render_variables` of ``variables`` when the caller has it already.

    >>> response_key("v1", "{a}", {"b": 1, "a": 2}, None)
    ('v1', '{a}', '{"a":2,"b":1}', None)
    """
    return (
        version,
        query,
        render_variables(variables) if rendered is None else rendered,
        operation_name,
    )


def etag_for(key: ResponseKey) -> str:
    """A strong ETag for the response to ``key`` (a quoted hex digest).

    >>> etag_for(("v1", "{a}", "{}", None))
    '"59712c774022b1e7939d8f59caabcd69"'
    """
    version, query, variables, operation_name = key
    digest = hashlib.sha256(
        "\x00".join((version, query, variables, operation_name or "")).encode()
    ).hexdigest()
    return f'"{digest[:32]}"'


@dataclass(frozen=True)
class CachedResponse:
    """An encoded response body, its ETag, and its gzip encoding once someone asked for it."""

    body: bytes
    etag: str
    gzipped: bytes | None = None
    # The operation's own name (for metrics and logs when the request gave no operationName).
    operation: str | None = None

    @property
    def size(self) -> int:
        """Bytes held (both encodings)."""
        return len(self.body) + len(self.gzipped or b"")

    def with_gzip(self, level: int = 6) -> CachedResponse:
        """This response with its gzip encoding computed (once; later hits reuse it)."""
        if self.gzipped is not None:
            return self
        gzipped = gzip.compress(self.body, level, mtime=0)
        return CachedResponse(self.body, self.etag, gzipped, self.operation)


def _size(entry: CachedResponse) -> int:
    # Key text is stored too; count it so a cache of tiny answers to huge documents stays bounded.
    return entry.size + 256


class _BoundedLRU(LRUCache[ResponseKey, CachedResponse]):
    """cachetools' LRU bounded in bytes (``getsizeof``), with an entry-count ceiling on top."""

    def __init__(self, max_bytes: int, max_entries: int) -> None:
        super().__init__(maxsize=max_bytes, getsizeof=_size)
        self.max_entries = max_entries

    def __setitem__(self, key: ResponseKey, value: CachedResponse) -> None:
        super().__setitem__(key, value)
        while len(self) > self.max_entries:
            self.popitem()


class ResponseCache:
    """Least-recently-used encoded responses, at most ``max_bytes`` of them (and ``max_entries``).

    A response larger than the whole cache is not stored. Either bound 0 disables caching. A new
    snapshot changes every key, and old entries age out.

    >>> cache = ResponseCache(max_bytes=10_000)
    >>> cache.put(("v", "{a}", "{}", None), b'{"data":{"a":1}}').etag == cache.get(("v", "{a}", "{}", None)).etag
    True
    >>> (cache.hits, cache.misses)
    (1, 0)
    """

    def __init__(self, max_bytes: int, max_entries: int = 100_000) -> None:
        self.enabled = max_bytes > 0 and max_entries > 0
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._entries = _BoundedLRU(max(max_bytes, 1), max(max_entries, 1))
        # The view runs on one event loop, but metrics and tests read from other threads.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        """Bytes currently held."""
        return int(self._entries.currsize)

    def get(self, key: ResponseKey) -> CachedResponse | None:
        """The stored response for ``key``, counting a hit or a miss."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
            else:
                self.hits += 1
            return entry

    def put(self, key: ResponseKey, body: bytes, operation: str | None = None) -> CachedResponse:
        """Store ``body`` (unless caching is off or it alone exceeds the bound); return the entry."""
        entry = CachedResponse(body, etag_for(key), operation=operation)
        self.replace(key, entry)
        return entry

    def replace(self, key: ResponseKey, entry: CachedResponse) -> None:
        """Store ``entry`` under ``key`` (for instance once its gzip encoding exists)."""
        if not self.enabled or _size(entry) > self.max_bytes:
            return
        with self._lock:
            self._entries[key] = entry

    def clear(self) -> None:
        """Drop every entry (counters are kept)."""
        with self._lock:
            self._entries.clear()
