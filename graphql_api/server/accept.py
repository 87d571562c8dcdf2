"""An event loop that shares a listening socket fairly between worker processes.

With ``--workers N`` every worker waits on the one listening socket the supervisor made. asyncio
accepts up to its backlog (2,048 under uvicorn) connections each time the socket is readable, so
the first worker to wake takes a whole burst: wrk's 16 keep-alive connections all landed on one
worker while the other stayed idle, and two workers served no more than one (measured: 16 of 16
connections on one process, 100 req/s on the cold comparison page, against 180 req/s with this
loop). Taking one connection per readiness event lets every worker that is awake take its turn,
and a worker busy with a request takes none until it has answered, so connections go to the
workers that are free.

It overrides asyncio's ``BaseSelectorEventLoop._accept_connection`` (private, unchanged since
Python 3.7); ``tests/test_uvicorn_contract.py`` fails if its signature moves.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["FAIR_ACCEPT_LOOP", "FairAcceptLoop"]

FAIR_ACCEPT_LOOP = "graphql_api.server.accept:FairAcceptLoop"
"""The import string uvicorn's ``loop`` setting takes for this loop."""


class FairAcceptLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose listening sockets accept one connection per readiness event."""

    def _accept_connection(
        self,
        protocol_factory: Any,
        sock: Any,
        sslcontext: Any = None,
        server: Any = None,
        backlog: int = 100,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super()._accept_connection(  # type: ignore[misc]
            protocol_factory, sock, sslcontext, server, 1, *args, **kwargs
        )
