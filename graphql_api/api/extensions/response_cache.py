"""A bounded LRU of encoded GraphQL responses, keyed by snapshot version and request."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

__all__ = ["ResponseCache", "response_key"]

_Key = tuple[str, str, str, str | None]


def response_key(
    version: str, query: str, variables: Mapping[str, Any] | None, operation_name: str | None
) -> _Key:
    """The cache key: the same operation and variables on the same snapshot give the same answer.

    Variables are rendered canonically so key order in the request does not matter.

    >>> response_key("v1", "{a}", {"b": 1, "a": 2}, None)
    ('v1', '{a}', '{"a":2,"b":1}', None)
    """
    rendered = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
    return version, query, rendered, operation_name


class ResponseCache:
    """Least-recently-used responses, at most ``maxsize`` of them (0 disables caching).

    The data is read-only and versioned, so a response stays right for as long as its snapshot
    version is served; a new snapshot changes every key, and old entries age out.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[_Key, bytes] = OrderedDict()
        # Resolvers may run in threads; the cache itself is touched from the event loop, but a
        # lock keeps it correct if it is ever shared more widely.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: _Key) -> bytes | None:
        """The stored body for ``key``, counting a hit or a miss."""
        with self._lock:
            body = self._entries.get(key)
            if body is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: _Key, body: bytes) -> None:
        """Store ``body``, evicting the least recently used entry beyond ``maxsize``."""
        if self.maxsize <= 0:
            return
        with self._lock:
            self._entries[key] = body
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Drop every entry (counters are kept)."""
        with self._lock:
            self._entries.clear()
