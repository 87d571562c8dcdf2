"""Benchmark: sustained load on a real ``careergraph serve`` process over loopback.

Bounded in count and time (at most REQUESTS requests or DEADLINE seconds, loopback only). Every
profile request has distinct variables, so none is served from the response cache; one request in
ten is the comparison page (300 distinct ids, so some of those repeat). Reported, not asserted,
except that nothing fails.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 1500
CLIENTS = 8
DEADLINE = 60.0
PROFILE = """query Profile($id: String!, $states: Int!) {
  occupation(id: $id) {
    title
    wages { annual { median mean p10 p90 } hourly { median } }
    employment { jobs }
    skills(first: 5) { nodes { skill { name } score } }
    topPayingStates(first: $states) { nodes { area { name } value } }
    relatedCareers(first: 5) { nodes { occupation { title } score label wageRatio } }
  }
}"""


def test_sustained_load(full_server: str, career) -> None:
    codes = [o.code for o in career.occupations if o.onet][:300]
    compare = (ROOT / "schema" / "operations" / "comparePage.graphql").read_text()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + DEADLINE

    def worker(index: int) -> None:
        with httpx.Client(base_url=full_server, timeout=30) as client:
            for n in range(index, REQUESTS, CLIENTS):
                if time.monotonic() > stop_at:
                    return
                if n % 10 == 0:
                    body = {"query": compare, "variables": {"a": codes[n % len(codes)]}}
                else:
                    # Every (id, states) pair is distinct, so no request is a response-cache hit.
                    states = 1 + (n // len(codes)) % 5
                    body = {
                        "query": PROFILE,
                        "variables": {"id": codes[n % len(codes)], "states": states},
                    }
                started = time.perf_counter()
                response = client.post("/graphql", json=body)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    began = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(worker, range(CLIENTS)))
    wall = time.perf_counter() - began
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"\nHTTP load, 1 worker, {CLIENTS} clients: {len(latencies)} requests in {wall:.1f} s "
        f"= {len(latencies) / wall:.0f} req/s; latency median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms; statuses {statuses}"
    )
    assert statuses.get(200, 0) == len(latencies)
