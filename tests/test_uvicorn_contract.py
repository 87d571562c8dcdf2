"""What the drain before a worker stops reads from uvicorn (pinned in pyproject.toml): the
SIGTERM handler its server installs is the server's bound ``handle_exit``, and the server keeps
its listeners in ``servers`` and its open connections in ``server_state.connections``. If an
upgrade moves them, this fails, instead of the drain silently falling back to a blind pause."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import uvicorn


def test_uvicorn_server_exposes_what_the_drain_reads() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "lifespan"
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                seen["handler"] = signal.getsignal(signal.SIGTERM)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))

    async def main() -> None:
        task = asyncio.create_task(server.serve())
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        seen["servers"] = list(server.servers)
        seen["connections"] = server.server_state.connections
        server.should_exit = True
        await task

    asyncio.run(main())
    handler = seen["handler"]
    assert getattr(handler, "__self__", None) is server
    assert handler.__func__ is uvicorn.Server.handle_exit
    assert seen["servers"] and all(isinstance(s, asyncio.Server) for s in seen["servers"])
    assert isinstance(seen["connections"], set)
