"""What the drain before a worker stops reads from uvicorn (pinned in pyproject.toml), and what
the fair-accept loop overrides in asyncio. The drain: the
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


def test_asyncio_accepts_through_the_method_the_fair_loop_overrides() -> None:
    """FairAcceptLoop overrides asyncio's private ``_accept_connection``; its leading parameters
    must stay (protocol_factory, sock, sslcontext, server, backlog), and uvicorn must take the
    loop by import string."""
    import inspect
    from asyncio import selector_events

    from graphql_api.server.accept import FAIR_ACCEPT_LOOP, FairAcceptLoop

    method = selector_events.BaseSelectorEventLoop._accept_connection
    names = list(inspect.signature(method).parameters)[:6]
    assert names == ["self", "protocol_factory", "sock", "sslcontext", "server", "backlog"]
    assert "_accept_connection" in inspect.getsource(
        selector_events.BaseSelectorEventLoop._start_serving
    )
    config = uvicorn.Config("tests.serving_stub:app_factory", loop=FAIR_ACCEPT_LOOP)
    assert config.get_loop_factory() is FairAcceptLoop


def test_the_fair_loop_takes_one_connection_per_readiness_event(monkeypatch: Any) -> None:
    from asyncio import selector_events

    from graphql_api.server.accept import FairAcceptLoop

    taken: list[int] = []

    def recording(
        self: Any, factory: Any, sock: Any, ssl: Any, server: Any, backlog: int, *rest: Any
    ) -> None:
        taken.append(backlog)

    monkeypatch.setattr(selector_events.BaseSelectorEventLoop, "_accept_connection", recording)
    loop = FairAcceptLoop()
    try:
        loop._accept_connection(object(), object(), None, None, 2048)
    finally:
        loop.close()
    assert taken == [1]


def test_the_fair_loop_serves_connections() -> None:
    """A real server on the fair loop accepts several clients connecting at once."""
    from graphql_api.server.accept import FairAcceptLoop

    async def main() -> int:
        served = 0

        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal served
            await reader.readline()
            served += 1
            writer.write(b"ok\n")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]

        async def client() -> bytes:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"hi\n")
            line = await reader.readline()
            writer.close()
            return line

        lines = await asyncio.gather(*(client() for _ in range(8)))
        server.close()
        await server.wait_closed()
        assert lines == [b"ok\n"] * 8
        return served

    loop = FairAcceptLoop()
    try:
        assert loop.run_until_complete(main()) == 8
    finally:
        loop.close()
