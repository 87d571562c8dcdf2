"""Soak test: a real ``careergraph serve`` at saturation for 60 s, three times in a row.

Each run drives the comparison page over loopback with wrk (16 connections) through a rotation of
5,000 distinct pairs with the response cache on at its default bound, so the cache fills, evicts
and stays bounded. After each run it reads the server's resident memory from /proc and counts
failures: non-2xx responses, socket errors and 200 responses whose body holds ``"errors"``.
Passes when nothing failed and memory is flat (the last run within 5% of the first). Bounded:
``--runs`` x ``--seconds`` of load, loopback only. Not part of the test suite.

    .venv/bin/python scripts/soak.py [--runs 3] [--seconds 60] [--workers 1]
"""

from __future__ import annotations

# ruff: noqa: S603 - runs wrk and careergraph with arguments this script builds itself
import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import body, pairs, parse_wrk, serve

WRK_SCRIPT = """
local bodies = {}
local n = 0
for line in io.lines("%(bodies)s") do
  n = n + 1
  bodies[n] = line
end
local i = 0
local bad = 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
request = function()
  i = i %% n + 1
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, bodies[i])
end
response = function(status, headers, body)
  if status == 200 and body:find('"errors"', 1, true) then
    bad = bad + 1
    wrk.thread:set("bad", bad)
  end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("bad") or 0) end
  io.write(string.format("BODIES_WITH_ERRORS %%d\\n", total))
end
"""


def rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and its children (the workers), MiB."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    folder = Path(tempfile.mkdtemp(prefix="careergraph-soak-"))
    (folder / "bodies.txt").write_text("\n".join(body(a, b) for a, b in pairs(5000)) + "\n")
    script = folder / "soak.lua"
    script.write_text(WRK_SCRIPT % {"bodies": folder / "bodies.txt"})
    log = folder / "server.log"
    rows = []
    try:
        with serve(args.workers, {"CAREERGRAPH_ACCESS_LOG": "false"}, log) as (base, pid):
            before = rss_mib(pid)
            for run in range(args.runs):
                out = subprocess.run(
                    [
                        *("wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s"),
                        *("--latency", "--timeout", "10s", "-s", str(script), f"{base}/graphql"),
                    ],
                    capture_output=True,
                    text=True,
                    timeout=args.seconds + 120,
                    check=True,
                ).stdout
                stats = parse_wrk(out)
                found = re.search(r"BODIES_WITH_ERRORS (\d+)", out)
                stats["bodies_with_errors"] = int(found.group(1)) if found else -1
                stats["rss_mib"] = rss_mib(pid)
                rows.append(stats)
                print(f"run {run + 1}: {json.dumps(stats)}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\nsoak: {args.runs} runs of {args.seconds} s at saturation, {args.workers} worker(s), wrk -t1 -c{args.connections}"
    )
    print(f"resident memory after start-up: {before:.0f} MiB")
    print("| run | requests | req/s | p50 | p99 | failed | bodies with errors | RSS after |")
    print("|---|---|---|---|---|---|---|---|")
    for n, r in enumerate(rows, 1):
        print(
            f"| {n} | {r['requests']:,.0f} | {r['rps']:,.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms "
            f"| {r['failed']:.0f} | {r['bodies_with_errors']:.0f} | {r['rss_mib']:.0f} MiB |"
        )
    failed = sum(r["failed"] + max(r["bodies_with_errors"], 0) for r in rows)
    growth = rows[-1]["rss_mib"] / rows[0]["rss_mib"] - 1
    print(f"failures: {failed:.0f}; RSS last vs first run: {growth:+.1%}")
    if failed or growth > 0.05:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
