"""Load test: drive a real ``careergraph serve`` over loopback with wrk and print issue 10's rows.

Rows (same run, one machine): the HTTP floor (a bare Starlette app under the same uvicorn
returning the comparison page's own response bytes), warm (one pair repeated: response-cache
hits), cold (1,000 distinct pairs in rotation with the response cache off, so no request is a
response-cache hit however long the run; the object cache is on, as deployed, and starts empty:
it keeps each occupation's completed profile, so a side seen in an earlier pair is reused), cold
with every cache off (both profiles executed on every request), cold with two workers; and,
in-process, a cold comparison page (every cache off) against graphql-core executing the same
document over the page's own result (the engine's floor), and the same pages through the object
cache once it holds their occupations.

Bounded: every wrk run lasts ``--seconds`` (default 10), at most ``--runs`` runs per row; servers
are started and stopped by this script on 127.0.0.1 only. Not part of the test suite.

    .venv/bin/python scripts/load.py [--runs 3] [--seconds 10] [--connections 16]
"""

from __future__ import annotations

# ruff: noqa: S603 - runs wrk, uvicorn and careergraph with arguments this script builds itself
import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from graphql import build_schema as schema_from_sdl
from graphql import execute, parse, print_schema

from graphql_api.api.context import build_context, load_snapshot
from graphql_api.api.schema import build_schema
from graphql_api.config import Settings
from graphql_api.graph.model import load_graph

ROOT = Path(__file__).resolve().parent.parent
COMPARE = (ROOT / "schema" / "operations" / "comparePage.graphql").read_text()
PAIRS = 1000

FLOOR_APP = """
import os
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = open(os.environ["FLOOR_BODY"], "rb").read()


async def graphql(request):
    await request.body()
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/graphql", graphql, methods=["GET", "POST"])])
"""

WRK_SCRIPT = """
local bodies = {}
local n = 0
for line in io.lines("%(bodies)s") do
  n = n + 1
  bodies[n] = line
end
local i = 0
request = function()
  i = i %% n + 1
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, bodies[i])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, deadline: float = 180.0) -> None:
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"not ready: {url}")


def wait_workers(base: str, workers: int, deadline: float = 180.0) -> None:
    """Wait until every worker has loaded its snapshot (``/metrics`` has one live series each).

    ``/readyz`` answers from whichever worker accepts first; wrk's kept-alive connections opened
    while another worker is still loading would all stay on the first one.
    """
    if workers < 2:
        return
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        text = httpx.get(f"{base}/metrics", timeout=10).text
        if len(re.findall(r"^careergraph_snapshot_info\{", text, re.MULTILINE)) >= workers:
            return
        time.sleep(0.2)
    raise SystemExit(f"not every one of {workers} workers loaded: {base}")


@contextmanager
def serve(workers: int, env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [
        *(sys.executable, "-m", "graphql_api.cli", "serve"),
        *("--port", str(port), "--workers", str(workers)),
    ]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERGRAPH_")}
    full_env.update(env)
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=out)
        try:
            wait_ready(f"http://127.0.0.1:{port}/readyz")
            wait_workers(f"http://127.0.0.1:{port}", workers)
            yield f"http://127.0.0.1:{port}", process.pid
        finally:
            process.terminate()
            process.wait(timeout=60)


@contextmanager
def serve_floor(body: bytes, log: Path) -> Iterator[str]:
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="careergraph-floor-"))
    (folder / "floor_app.py").write_text(FLOOR_APP)
    (folder / "body.json").write_bytes(body)
    env = {**os.environ, "FLOOR_BODY": str(folder / "body.json"), "PYTHONPATH": str(folder)}
    command = [
        *(sys.executable, "-m", "uvicorn", "floor_app:app", "--host", "127.0.0.1"),
        *("--port", str(port), "--no-access-log", "--log-level", "warning"),
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    httpx.post(f"{base}/graphql", content=b"{}", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)
            shutil.rmtree(folder, ignore_errors=True)


def wrk(base: str, bodies: list[str], seconds: int, connections: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="careergraph-wrk-"))
    try:
        (folder / "bodies.txt").write_text("\n".join(bodies) + "\n")
        script = folder / "rotate.lua"
        script.write_text(WRK_SCRIPT % {"bodies": folder / "bodies.txt"})
        out = subprocess.run(
            [
                *("wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout"),
                *("10s", "-s", str(script), f"{base}/graphql"),
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return parse_wrk(out)


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise SystemExit(f"unreadable wrk latency {text!r}")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(out: str) -> dict[str, float]:
    if "Latency Distribution" not in out:
        raise SystemExit(f"wrk gave no latency distribution:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%[ \t]+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%[ \t]+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(non2xx.group(1)) if non2xx else 0
    if errors:
        failed += sum(int(g) for g in errors.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "requests": total, "failed": failed}


def pairs(count: int, seed: int = 10) -> list[tuple[str, str]]:
    """``count`` distinct ordered pairs of O*NET occupations, reproducibly shuffled."""
    codes = [o.code for o in load_graph(None).occupations if o.onet]
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    chosen: set[tuple[str, str]] = set()
    while len(chosen) < count:
        a, b = rng.sample(codes, 2)
        chosen.add((a, b))
    ordered = sorted(chosen)
    rng.shuffle(ordered)
    return ordered


def body(a: str, b: str) -> str:
    return json.dumps(
        {"query": COMPARE, "operationName": "ComparePage", "variables": {"a": a, "b": b}}
    )


def object_cache_hits(base: str) -> tuple[float, float]:
    """(hits, misses) of the object cache so far, from the server's ``/metrics``."""
    text = httpx.get(f"{base}/metrics", timeout=10).text
    counts = {"hit": 0.0, "miss": 0.0}
    for result, value in re.findall(
        r'^careergraph_object_cache_total\{result="(hit|miss)"\} (\S+)$', text, re.MULTILINE
    ):
        counts[result] += float(value)
    return counts["hit"], counts["miss"]


def in_process(sample: list[tuple[str, str]]) -> dict[str, float]:
    """Median ms of a cold comparison page through the schema vs graphql-core over its result.

    ``page_ms`` has every cache off; ``cached_ms`` is the same pages through the object cache
    after one pass over the sample filled it (pairs still distinct, their sides seen before).
    """
    schema = build_schema(Settings(object_cache_bytes=0).limits())
    cached_schema = build_schema(Settings().limits())
    snapshot = load_snapshot(Settings())
    document = parse(COMPARE)
    # The same types without resolvers: graphql-core's own work over a ready-made result.
    bare = schema_from_sdl(print_schema(schema._schema))
    page: list[float] = []
    floor: list[float] = []

    def default_resolver(source: Any, info: Any, **_: Any) -> Any:
        key = info.path.key
        return source.get(key) if isinstance(source, dict) else None

    # One event loop for every page, as a server worker has (a loop per page would time the
    # loop's creation too).
    loop = asyncio.new_event_loop()
    for a, b in sample:
        context = build_context(snapshot, None)
        started = time.perf_counter()
        result = loop.run_until_complete(
            schema.execute(COMPARE, variable_values={"a": a, "b": b}, context_value=context)
        )
        page.append(time.perf_counter() - started)
        assert not result.errors, result.errors
        data = result.data
        started = time.perf_counter()
        floor_result = execute(
            bare,
            document,
            root_value=data,
            variable_values={"a": a, "b": b},
            field_resolver=default_resolver,
        )
        floor.append(time.perf_counter() - started)
        assert floor_result.data == data, floor_result.errors  # type: ignore[union-attr]
    cached: list[float] = []
    for timed in (False, True):
        for a, b in sample:
            context = build_context(snapshot, None)
            started = time.perf_counter()
            result = loop.run_until_complete(
                cached_schema.execute(
                    COMPARE, variable_values={"a": a, "b": b}, context_value=context
                )
            )
            if timed:
                cached.append(time.perf_counter() - started)
            assert not result.errors, result.errors
    loop.close()
    return {
        "page_ms": statistics.median(page) * 1000,
        "floor_ms": statistics.median(floor) * 1000,
        "cached_ms": statistics.median(cached) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rows", default="floor,warm,cold,steady,uncached,cold2,inprocess")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    rows = args.rows.split(",")
    log = Path(tempfile.gettempdir()) / "careergraph-load.log"
    rotation = pairs(PAIRS)
    bodies = [body(a, b) for a, b in rotation]
    warm_body = [body(*rotation[0])]
    results: dict[str, list[dict[str, float]]] = {row: [] for row in rows}
    page_bytes = b""
    # Production defaults, except the access log (written to the log file above).
    quiet = {"CAREERGRAPH_ACCESS_LOG": "false"}
    for run in range(args.runs):
        print(f"run {run + 1} of {args.runs}", file=sys.stderr, flush=True)
        with serve(1, quiet, log) as (base, _pid):
            page_bytes = httpx.post(
                f"{base}/graphql",
                content=warm_body[0],
                headers={"content-type": "application/json"},
            ).content
            if "warm" in rows:
                results["warm"].append(wrk(base, warm_body, args.seconds, args.connections))
        if "floor" in rows:
            with serve_floor(page_bytes, log) as base:
                results["floor"].append(wrk(base, warm_body, args.seconds, args.connections))
        cold_env = {**quiet, "CAREERGRAPH_RESPONSE_CACHE_BYTES": "0"}
        if "cold" in rows:
            with serve(1, cold_env, log) as (base, _pid):
                row = wrk(base, bodies, args.seconds, args.connections)
                hits, misses = object_cache_hits(base)
                row["object_hit_share"] = hits / max(hits + misses, 1)
                results["cold"].append(row)
                if "steady" in rows:
                    # The same worker again: the pairs are still never response-cache hits,
                    # but their occupations were seen (a worker that has served a while).
                    results["steady"].append(wrk(base, bodies, args.seconds, args.connections))
        if "uncached" in rows:
            with serve(1, {**cold_env, "CAREERGRAPH_OBJECT_CACHE_BYTES": "0"}, log) as (base, _):
                results["uncached"].append(wrk(base, bodies, args.seconds, args.connections))
        if "cold2" in rows:
            with serve(2, cold_env, log) as (base, _pid):
                results["cold2"].append(wrk(base, bodies, args.seconds, args.connections))

    def median(row: str, key: str) -> float:
        return statistics.median(r[key] for r in results[row])

    print(
        f"\ncomparison page: {len(page_bytes):,} bytes; {args.runs} runs of {args.seconds} s, wrk -t1 -c{args.connections}; medians"
    )
    print("| case | req/s | p50 | p99 | failed |")
    print("|---|---|---|---|---|")
    floor = median("floor", "rps") if "floor" in rows else float("nan")
    labels = {
        "floor": "HTTP floor: bare Starlette, same bytes",
        "warm": "warm: one pair repeated (response-cache hits)",
        "cold": f"cold: {PAIRS:,} distinct pairs in rotation, 1 worker",
        "steady": "cold pairs, the same worker's second run (occupations seen)",
        "uncached": f"cold, object cache off too: {PAIRS:,} pairs, 1 worker",
        "cold2": f"cold: {PAIRS:,} distinct pairs in rotation, 2 workers",
    }
    for row in ("floor", "warm", "cold", "steady", "uncached", "cold2"):
        if row not in rows or not results[row]:
            continue
        rps = median(row, "rps")
        share = f" ({rps / floor:.1%} of floor)" if row != "floor" else ""
        failed = sum(int(r["failed"]) for r in results[row])
        print(
            f"| {labels[row]} | {rps:,.0f}{share} | {median(row, 'p50'):.1f} ms | "
            f"{median(row, 'p99'):.1f} ms | {failed} |"
        )
    if "cold" in rows and "cold2" in rows:
        print(
            f"two workers / one worker (cold): {median('cold2', 'rps') / median('cold', 'rps'):.2f}x"
        )
        print(f"cold p99 / p50, one worker: {median('cold', 'p99') / median('cold', 'p50'):.1f}x")
    if results.get("cold"):
        shares = [f"{r['object_hit_share']:.0%}" for r in results["cold"]]
        print("cold, 1 worker: object-cache hit share over each run (from an empty cache):", shares)
    if results.get("uncached"):
        print(
            "cold, object cache off: p99 / p50 "
            f"{median('uncached', 'p99') / median('uncached', 'p50'):.1f}x"
        )
    print(
        "per-run req/s:",
        {row: [round(r["rps"]) for r in results[row]] for row in rows if results.get(row)},
    )
    if "inprocess" in rows:
        timing = in_process(rotation[:200])
        print(
            f"in-process, 200 cold pairs: page median {timing['page_ms']:.2f} ms, graphql-core floor "
            f"{timing['floor_ms']:.2f} ms: {timing['page_ms'] / timing['floor_ms']:.2f}x; "
            f"through the object cache holding their sides {timing['cached_ms']:.2f} ms: "
            f"{timing['cached_ms'] / timing['floor_ms']:.2f}x"
        )


if __name__ == "__main__":
    main()
