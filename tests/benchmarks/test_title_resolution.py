"""Benchmark: title resolution on held-out O*NET alternate titles, latency and index build cost.

Protocol (issue 8): 5-fold cross-validation over O*NET 30.1 Alternate Titles. The unit is a
distinct normalised title; the titles are shuffled with a fixed seed and dealt into five folds.
For each fold, its titles are taken out of every occupation (the alternate title with its short
form and source count) and the index is rebuilt from what remains, so everything fitted (the
title model's counts and IDF, head-noun rates, learned abbreviations, priors) sees the four
training folds only. Each held-out title is then resolved: top-1 is a hit when the resolved
occupation is one the title is listed under, top-5 when one of the first five search hits is.

RE-RANKED is what the API serves: the title model's candidates re-ranked by boosted trees
(graph/title_ranker.py). The trees for fold k are fitted on the four other folds alone: each of
them is read back with it and fold k both out of the index (nested, so fold k's titles are
neither labels nor index entries for the trees). It removes the alternate titles only, as the
issue words the protocol. TITLE MODEL is the same without the trees; STRICT MODEL also takes
out O*NET reported titles equal to a held-out title (the same text would otherwise be looked
up, not read). The baseline is the issue's: nearest neighbour over character 2-4-gram TF-IDF
of the remaining titles. Figures are printed, never asserted (wall-clock asserts make flaky
suites). Run alone with ``pytest tests/benchmarks/test_title_resolution.py -m benchmark -s``;
``CAREERGRAPH_TITLE_FOLDS=0,1`` runs some folds, ``CAREERGRAPH_TITLE_BASELINE=0`` skips it.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import replace

import numpy as np
import pytest

from graphql_api.graph.model import CareerGraph, Occupation
from graphql_api.graph.search import (
    SearchIndex,
    build_search_index,
    held_out_rows,
    index_occupations,
    national_employment,
    normalize,
    occupation_kinship,
    resolve_title,
    search_titles,
    without_titles,
)
from graphql_api.graph.title_ranker import TitleRanker, train_title_ranker

pytestmark = pytest.mark.benchmark

FOLDS = 5
SEED = 0
LATENCY_QUERIES = 2000


def _folds(career: CareerGraph) -> tuple[list[list[str]], dict[str, set[int]]]:
    listed: dict[str, set[int]] = defaultdict(set)
    for occupation in career.occupations:
        for title in occupation.alternate_titles:
            listed[normalize(title)].add(occupation.index)
    titles = sorted(listed)
    random.Random(SEED).shuffle(titles)
    return [titles[k::FOLDS] for k in range(FOLDS)], listed


def _without(occupation: Occupation, held: set[str], *, strict: bool) -> Occupation:
    """The occupation without the held-out alternate titles (the index's own rule), and in the
    strict variant without reported titles equal to one of them."""
    kept = without_titles(occupation, held)
    if not strict:
        return kept
    return replace(
        kept, reported_titles=tuple(t for t in kept.reported_titles if normalize(t) not in held)
    )


def _fold_ranker(
    career: CareerGraph,
    jobs: list[float],
    folds: list[list[str]],
    k: int,
    listed: dict[str, set[int]],
) -> TitleRanker:
    """The re-ranker for outer fold ``k``, fitted on the four other folds only: each inner fold
    is read back with it and fold ``k`` both out of the index."""
    rows, labels = [], []
    kinship = occupation_kinship(career)
    for j in range(FOLDS):
        if j != k:
            found_rows, found_labels = held_out_rows(
                career.occupations,
                jobs,
                folds[j],
                listed,
                also_out=set(folds[k]),
                kinship=kinship,
            )
            rows += found_rows
            labels += found_labels
    return train_title_ranker(rows, labels)


def _score_fold(
    career: CareerGraph,
    jobs: list[float],
    test: list[str],
    listed: dict[str, set[int]],
    *,
    strict: bool,
    ranker: TitleRanker | None = None,
) -> tuple[float, float, float]:
    held = set(test)
    start = time.perf_counter()
    index = index_occupations(
        tuple(_without(o, held, strict=strict) for o in career.occupations),
        jobs,
        ranker=ranker,
        kinship=occupation_kinship(career),
    )
    build = time.perf_counter() - start
    top1 = top5 = 0
    for title in test:
        wanted = listed[title]
        match = resolve_title(index, title)
        top1 += match is not None and match.occupation.index in wanted
        hits = search_titles(index, title, first=5)
        top5 += any(h.occupation.index in wanted for h in hits)
    return top1 / len(test), top5 / len(test), build


def _baseline_fold(
    career: CareerGraph, test: list[str], listed: dict[str, set[int]]
) -> tuple[float, float]:
    """Nearest neighbour over character 2-4-gram TF-IDF (cosine) of the remaining titles."""
    sparse = pytest.importorskip("scipy.sparse")
    held = set(test)
    names = [(normalize(o.title), o.index) for o in career.occupations]
    names += [(t, o) for t, owners in listed.items() if t not in held for o in owners]

    def grams(text: str) -> Counter[str]:
        padded = f" {text} "
        return Counter(padded[i : i + n] for n in (2, 3, 4) for i in range(len(padded) - n + 1))

    vocabulary: dict[str, int] = {}

    def matrix(texts: list[str], grow: bool) -> object:
        rows, cols, vals = [], [], []
        for row, text in enumerate(texts):
            for gram, count in grams(text).items():
                col = vocabulary.setdefault(gram, len(vocabulary)) if grow else vocabulary.get(gram)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
                    vals.append(float(count))
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocabulary)))

    names_matrix = matrix([t for t, _ in names], True)
    df = np.bincount(names_matrix.indices, minlength=len(vocabulary))
    idf = np.log((1 + len(names)) / (1 + df)) + 1.0

    def weigh(m: object) -> object:
        m = sparse.csr_matrix(m.multiply(idf[None, :]))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ m

    index = weigh(names_matrix).T.tocsc()
    queries = weigh(matrix(test, False))
    owners = np.array([o for _, o in names])
    top1 = top5 = 0
    for start in range(0, len(test), 500):
        block = (queries[start : start + 500] @ index).toarray()
        for row, title in enumerate(test[start : start + 500]):
            best = np.argpartition(-block[row], 200)[:200]
            seen: list[int] = []
            for entry in best[np.argsort(-block[row][best])]:
                if owners[entry] not in seen:
                    seen.append(int(owners[entry]))
                if len(seen) == 5:
                    break
            top1 += seen[0] in listed[title]
            top5 += bool(set(seen) & listed[title])
    return top1 / len(test), top5 / len(test)


def _summary(name: str, results: list[tuple[float, float]]) -> str:
    ones, fives = [r[0] for r in results], [r[1] for r in results]
    spread = (
        f" (sd {statistics.stdev(ones):.3f} / {statistics.stdev(fives):.3f}, "
        f"range {min(ones):.3f}-{max(ones):.3f} / {min(fives):.3f}-{max(fives):.3f})"
        if len(results) > 1
        else ""
    )
    return f"{name}: top-1 mean {statistics.mean(ones):.3f}, top-5 mean {statistics.mean(fives):.3f}{spread}"


def test_title_resolution_held_out(career: CareerGraph) -> None:
    folds, listed = _folds(career)
    jobs = national_employment(career, career.indexes.national_facts)
    chosen = [int(k) for k in os.environ.get("CAREERGRAPH_TITLE_FOLDS", "0,1,2,3,4").split(",")]
    print(
        f"\n{len(listed)} distinct alternate titles, {FOLDS} folds (seed {SEED}), folds run: {chosen}"
    )
    results: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for k in chosen:
        start = time.perf_counter()
        ranker = _fold_ranker(career, jobs, folds, k, listed)
        print(
            f"fold {k} re-ranker fitted on the other four folds in {time.perf_counter() - start:.0f} s"
        )
        for variant, strict, trees in (
            ("re-ranked", False, ranker),
            ("title model", False, None),
            ("strict model", True, None),
        ):
            top1, top5, build = _score_fold(
                career, jobs, folds[k], listed, strict=strict, ranker=trees
            )
            results[variant].append((top1, top5))
            print(
                f"fold {k} {variant:9}: top-1 {top1:.3f} top-5 {top5:.3f} "
                f"({len(folds[k])} titles, index built in {build:.2f} s)"
            )
        if os.environ.get("CAREERGRAPH_TITLE_BASELINE", "1") != "0":
            base = _baseline_fold(career, folds[k], listed)
            results["baseline"].append(base)
            print(f"fold {k} baseline : top-1 {base[0]:.3f} top-5 {base[1]:.3f}")
    for variant, found in results.items():
        print(_summary(variant, found))
    assert results["re-ranked"]


def _timings(index: SearchIndex, queries: list[str], everything: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"resolve": [], "search first 10": [], "search all": []}
    for query in queries:
        for name, run in (
            ("resolve", lambda q: resolve_title(index, q)),
            ("search first 10", lambda q: search_titles(index, q, first=10)),
            ("search all", lambda q: search_titles(index, q, first=everything)),
        ):
            start = time.perf_counter()
            run(query)
            timings[name].append(time.perf_counter() - start)
    return timings


def test_search_latency_and_index_build(career: CareerGraph) -> None:
    """Latency over the served index, for names it holds (looked up, then the rest ranked) and
    for titles it does not (fold 0 taken out of the index, as in the held-out protocol, read
    with the served trees): the second is the path most typed titles take."""
    builds = []
    for _ in range(3):
        start = time.perf_counter()
        index = build_search_index(career)
        builds.append(time.perf_counter() - start)
    folds, _ = _folds(career)
    # Titles people type: alternate titles (lower-cased, as typed) and short queries.
    queries = [t for fold in folds for t in fold][:LATENCY_QUERIES]
    queries += ["nurse", "rn", "cna", "customer care technician", "registerd nurse", "softw"]
    everything = len(career.occupations)
    held = set(folds[0])
    unheld = index_occupations(
        tuple(without_titles(o, held) for o in career.occupations),
        national_employment(career, career.indexes.national_facts),
        ranker=index.ranker,
        kinship=occupation_kinship(career),
    )
    print(
        f"\nindex build median {statistics.median(builds):.2f} s over 3 builds; "
        f"{len(index.texts)} names, {len(index.model.feature_ids)} features; "
        f"re-ranker {'on' if index.ranker is not None else 'off'}"
    )
    for label, timings in (
        ("held names", _timings(index, queries, everything)),
        ("titles not held", _timings(unheld, folds[0][:LATENCY_QUERIES], everything)),
    ):
        for name, found in timings.items():
            ordered = sorted(found)
            print(
                f"{label}, {name}: median {statistics.median(found) * 1e3:.3f} ms, "
                f"p95 {ordered[int(0.95 * len(ordered))] * 1e3:.3f} ms over {len(found)} queries "
                "(bar 2 ms)"
            )
        assert timings["resolve"]
