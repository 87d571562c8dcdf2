"""Related careers against expert judgement, cross-validated; and the speed of a top 10.

Protocol (issue 8): the reference is O*NET 30.1's related occupations, tiers Primary-Short and
Primary-Long (each source occupation's expert-reviewed top ten). Source occupations are split
into five folds. For each fold, everything fitted is fitted without it: the vocabularies and
inverse document frequencies of the text components and the standardisation of the rated
profiles are computed over the other occupations, and the ranker (boosted trees; the logistic
form it replaced is printed beside it) is fitted on the other folds' sources. Recall@10 is the share of a held-out source's reference list found in its top ten
(every filter open). Single components are scored the same way (they fit nothing but their
vocabulary). The similarities are rounded to the snapshot's bytes first, as in production.

    bash scripts/test -m benchmark tests/benchmarks/test_related_relevance.py -s
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np
import pytest

from graphql_api.graph.related import RelatedFilter, related_careers, wage_of
from graphql_api.ingest import onet as onet_reader
from graphql_api.ingest.relatedness import collect_evidence, component_matrices
from graphql_api.ranker import (
    COMPONENTS,
    LOWER_BOUNDS,
    REFERENCE_TIERS,
    fit_ranker,
    fit_tree_ranker,
    recall_at,
)
from graphql_api.snapshot.codec import decode_similarity, encode_similarity
from tests.conftest import shared_path

pytestmark = pytest.mark.benchmark
FOLDS = 5
SEED = 20261202
GOAL = 0.65


def _release() -> onet_reader.OnetRelease:
    return onet_reader.read_onet_release(shared_path("onet", "db_30_1_text"))


def test_cross_validated_recall_at_10(career: Any) -> None:
    release = _release()
    occupations = career.occupations
    n = len(occupations)
    index = {o.code: o.index for o in occupations}
    targets = np.zeros((n, n), dtype=bool)
    for r in release.related:
        if r.tier in REFERENCE_TIERS and r.code in index and r.related_code in index:
            targets[index[r.code], index[r.related_code]] = True
    sources = np.nonzero(targets.any(axis=1))[0]
    fold_of = np.full(n, -1)
    fold_of[sources] = np.random.default_rng(SEED).permutation(len(sources)) % FOLDS
    evidence = collect_evidence(
        [o.code for o in occupations],
        [o.title for o in occupations],
        [o.description for o in occupations],
        release,
        np.zeros((n, 1)),
    )
    zones = np.array([np.nan if o.job_zone is None else o.job_zone for o in occupations], float)
    log_wages = np.log(np.array([wage_of(career, o) or np.nan for o in occupations], float))
    socs = [o.soc for o in occupations]
    # Industry shares fit nothing; the snapshot's stored matrix is the one every fold uses.
    industries = career.relatedness.components["industries"]
    scores: dict[str, list[float]] = {name: [] for name in ("composite", "logistic", *COMPONENTS)}
    started = time.perf_counter()
    for fold in range(FOLDS):
        held_out = sources[fold_of[sources] == fold]
        training = sources[fold_of[sources] != fold]
        fit = np.ones(n, dtype=bool)
        fit[held_out] = False
        raw = component_matrices(evidence, fit)
        sims = {
            c: decode_similarity(encode_similarity(raw[c], LOWER_BOUNDS[c]), LOWER_BOUNDS[c], n)
            for c in COMPONENTS
            if c != "industries"
        }
        sims["industries"] = industries
        blind = np.isnan(np.diagonal(sims["words"]))
        # The shipped ranker (boosted trees); its calibration is monotone, so it is left out.
        trees = fit_tree_ranker(
            sims, zones, log_wages, socs, targets=targets, sources=training, calibrate=False
        )
        scores["composite"].append(float(recall_at(trees.scores, targets, held_out).mean()))
        # The logistic form it replaced, for comparison.
        ranker = fit_ranker(sims, zones, log_wages, socs, targets=targets, sources=training)
        logistic = ranker.scores(sims, zones, log_wages, socs)
        logistic[:, blind] = np.nan
        scores["logistic"].append(float(recall_at(logistic, targets, held_out).mean()))
        for c in COMPONENTS:
            scores[c].append(float(recall_at(sims[c], targets, held_out).mean()))
    print(
        f"\nrelated careers, {FOLDS}-fold CV over {len(sources)} source occupations "
        f"({time.perf_counter() - started:.0f} s): recall@10 against O*NET 30.1 "
        f"{' + '.join(REFERENCE_TIERS)}"
    )
    print("| method | mean | sd | folds |")
    print("|---|---|---|---|")
    for name, values in scores.items():
        folds = " ".join(f"{v:.3f}" for v in values)
        print(
            f"| {name.upper()} | {statistics.fmean(values):.3f} | "
            f"{statistics.pstdev(values):.3f} | {folds} |"
        )
    composite_mean = statistics.fmean(scores["composite"])
    print(f"COMPOSITE {composite_mean:.3f} (goal {GOAL})")
    best_single = max(statistics.fmean(scores[c]) for c in COMPONENTS)
    assert composite_mean > best_single, "the ranker should beat every signal alone"


def test_related_top_10_speed(career: Any) -> None:
    """Median time of one occupation's related top 10 (the ranking and its numbers; shared
    skills and gaps are worked out when read)."""
    sample = [o for o in career.occupations if o.onet][::3]
    for occupation in sample[:20]:
        related_careers(career, occupation, first=10)
    timings = {"default filter": [], "filters open": []}
    wide = RelatedFilter(min_score=None, max_job_zone_increase=None, min_wage_ratio=None)
    for _ in range(3):
        for occupation in sample:
            started = time.perf_counter()
            related_careers(career, occupation, first=10)
            timings["default filter"].append(time.perf_counter() - started)
            started = time.perf_counter()
            related_careers(career, occupation, first=10, where=wide)
            timings["filters open"].append(time.perf_counter() - started)
    for name, values in timings.items():
        print(
            f"related top 10 ({name}), {len(sample)} occupations x 3: median "
            f"{statistics.median(values) * 1e6:.0f} us, p90 "
            f"{np.percentile(values, 90) * 1e6:.0f} us (goal 100 us)"
        )
