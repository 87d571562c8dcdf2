"""Per-client rate limiting: a token bucket per client address, off by default.

Starlette has no limiter and the usual packages keep state in Redis; one bucket per client in
each worker's memory is what a stateless replica can do on its own (the effective limit is per
worker; a gateway in front should own a global one). Buckets live in a bounded LRU, so a flood of
distinct addresses cannot grow memory without bound.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from cachetools import LRUCache

__all__ = ["TokenBuckets"]


class TokenBuckets:
    """``rate_per_minute`` requests per client on average, bursts of up to ``burst``.

    >>> buckets = TokenBuckets(rate_per_minute=60, burst=2, clock=lambda: 0.0)
    >>> [buckets.take("a") for _ in range(3)]
    [0.0, 0.0, 1.0]
    """

    def __init__(
        self,
        *,
        rate_per_minute: int,
        burst: int,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(max(burst, 1))
        self.clock = clock
        # client -> (tokens left, time of last update)
        self._buckets: LRUCache[str, tuple[float, float]] = LRUCache(maxsize=max_clients)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one token for ``client``: 0.0 if allowed, else the seconds until one is free."""
        now = self.clock()
        with self._lock:
            tokens, since = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - since) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    @staticmethod
    def retry_after(seconds: float) -> str:
        """The Retry-After header value (whole seconds, at least 1).

        >>> TokenBuckets.retry_after(0.2)
        '1'
        """
        return str(max(1, math.ceil(seconds)))
