"""Time the topology queries (skill -> occupations, SOC tree, O*NET related, career paths, core
skills, occupations by skills) on one checkout and snapshot; print one JSON line of medians.

Usage: python scripts/bench_traversal.py SNAPSHOT [REPEATS]

It uses only functions every careergraph version has, so the same script measures an older
checkout too: run it with that checkout first on PYTHONPATH and its own snapshot. Each query is
called once before timing, so an older version's lazy caches are warm: this compares steady
states, not first requests.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _median_us(call: Callable[[], Any], repeats: int) -> float:
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main(snapshot: Path, repeats: int) -> dict[str, float]:
    from graphql_api.graph import lookups  # noqa: PLC0415 - the checkout on sys.path decides
    from graphql_api.graph.model import load_graph  # noqa: PLC0415
    from graphql_api.graph.related import career_path, related_careers  # noqa: PLC0415

    start = time.perf_counter()
    career = load_graph(snapshot)
    loaded = time.perf_counter() - start
    descriptors = [career.descriptors[k] for k in sorted(career.descriptors)[::200]]
    majors = [g for g in career.groups.values() if g.kind == "major"]
    nurse, assistant = career.by_code["29-1141.00"], career.by_code["31-1131.00"]
    some = [
        career.descriptors[k] for k in ("onet:2.A.1.a", "onet:2.B.1.e") if k in career.descriptors
    ]
    return {
        "load_s": loaded,
        "skill_occupations_us": statistics.median(
            _median_us(lambda d=d: lookups.skill_occupations(career, d), repeats)
            for d in descriptors
        ),
        "group_occupations_us": statistics.median(
            _median_us(lambda g=g: lookups.group_occupations(career, g), repeats) for g in majors
        ),
        "onet_related_us": _median_us(
            lambda: related_careers(career, nurse, method="onet", first=10), repeats
        ),
        "career_path_us": _median_us(
            lambda: career_path(career, assistant, nurse, max_steps=3, first=3),
            max(3, repeats // 10),
        ),
        "core_skills_us": _median_us(lambda: lookups.core_skills(career), repeats),
        "occupations_by_skills_us": _median_us(
            lambda: lookups.occupations_by_skills(career, some), max(3, repeats // 10)
        ),
    }


if __name__ == "__main__":
    result = main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50)
    print(json.dumps(result))
