"""The relatedness layer: stored similarity components, the ranker, and what it may not read."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graphql_api.ingest import onet as onet_reader
from graphql_api.ingest.relatedness import collect_evidence, component_matrices
from graphql_api.ranker import (
    COMPONENTS,
    FEATURES,
    Ranker,
    fit_ranker,
    fit_tree_ranker,
    recall_at,
)
from graphql_api.snapshot.codec import decode_similarity, encode_similarity

FIXTURE_RELEASE = Path(__file__).resolve().parent.parent / "fixtures" / "onet" / "mini"


def _symmetric(n: int, seed: int, lower: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = rng.uniform(lower, 1.0, size=(n, n))
    m = (m + m.T) / 2
    np.fill_diagonal(m, 1.0)
    m[3, :] = np.nan
    m[:, 3] = np.nan
    return m


@pytest.mark.parametrize("lower", [0.0, -1.0])
def test_similarity_bytes_round_trip_within_one_step(lower: float) -> None:
    m = _symmetric(12, 7, lower)
    back = decode_similarity(encode_similarity(m, lower), lower, 12)
    known = ~np.isnan(m)
    assert np.array_equal(np.isnan(back), ~known)
    assert np.abs(back[known] - m[known]).max() <= (1.0 - lower) / 254 / 2 + 1e-6
    assert np.allclose(back, back.T, equal_nan=True)


def test_a_damaged_similarity_array_is_refused() -> None:
    with pytest.raises(ValueError, match="pairs"):
        decode_similarity(np.zeros(5, dtype=np.uint8), 0.0, 4)


def test_ranker_json_refuses_what_it_does_not_know() -> None:
    ranker = Ranker(FEATURES, tuple(0.1 for _ in FEATURES), -2.0)
    assert Ranker.from_json(ranker.as_json()) == ranker
    with pytest.raises(ValueError, match="form"):
        Ranker.from_json({**ranker.as_json(), "form": "forest"})
    with pytest.raises(ValueError, match="features"):
        Ranker.from_json({**ranker.as_json(), "features": ["astrology"]})


def _toy_problem(n: int = 60) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Occupations in six SOC groups whose `tasks` similarity tells who is related."""
    rng = np.random.default_rng(3)
    sims = {c: _symmetric(n, i, 0.0).astype(np.float32) for i, c in enumerate(COMPONENTS)}
    signal = rng.uniform(0, 0.3, size=(n, n))
    targets = np.zeros((n, n), dtype=bool)
    for i in range(n):
        close = rng.choice([j for j in range(n) if j != i], size=4, replace=False)
        targets[i, close] = True
        signal[i, close] += 0.6
    sims["tasks"] = ((signal + signal.T) / 2).astype(np.float32)
    return sims, targets


def test_the_ranker_learns_which_signal_carries_relatedness() -> None:
    sims, targets = _toy_problem()
    n = targets.shape[0]
    zones = np.full(n, 3.0)
    wages = np.full(n, np.log(50_000.0))
    socs = [f"{11 + i % 6}-{1000 + i}" for i in range(n)]
    sources = np.arange(n)
    ranker = fit_ranker(sims, zones, wages, socs, targets=targets, sources=sources)
    weights = dict(zip(ranker.features, ranker.coefficients, strict=True))
    assert weights["tasks"] > 0
    assert weights["tasks"] > max(abs(weights[c]) for c in COMPONENTS if c != "tasks")
    scores = ranker.scores(sims, zones, wages, socs)
    assert np.all((scores[~np.eye(n, dtype=bool)] >= 0) & (scores[~np.eye(n, dtype=bool)] <= 1))
    # Four reference moves per row are recovered by the top ten (symmetrising blurs a few).
    assert recall_at(scores, targets | targets.T, sources).mean() > 0.8


def test_the_tree_ranker_recovers_the_reference_moves_reproducibly() -> None:
    sims, targets = _toy_problem(80)
    n = targets.shape[0]
    zones = np.full(n, 3.0)
    wages = np.full(n, np.log(50_000.0))
    socs = [f"{11 + i % 6}-{1000 + i}" for i in range(n)]
    # Fitted on half the rows, scored on the other half.
    fitted, held = np.arange(0, n, 2), np.arange(1, n, 2)
    first = fit_tree_ranker(sims, zones, wages, socs, targets=targets, sources=fitted, rounds=60)
    again = fit_tree_ranker(sims, zones, wages, socs, targets=targets, sources=fitted, rounds=60)
    assert np.array_equal(first.scores, again.scores, equal_nan=True)
    assert np.isnan(np.diagonal(first.scores)).all()
    off = first.scores[~np.eye(n, dtype=bool)]
    # NaN only where a side has no words evidence (not comparable), a score in [0, 1] elsewhere.
    blind = np.isnan(np.diagonal(sims["words"]))
    assert np.isnan(off).any() == blind.any()
    off = off[~np.isnan(off)]
    assert off.size
    assert np.all((off >= 0) & (off <= 1))
    assert recall_at(first.scores, targets | targets.T, held).mean() > 0.7
    # The trees lean on the signal that carries relatedness, and say so.
    assert max(first.gain, key=first.gain.__getitem__) == "tasks"
    description = first.as_json()
    assert description["form"] == "boosted-trees"
    # Calibrated: the mean score of a row's candidates is near the share that are references.
    positives = targets[held].sum() / (len(held) * (n - 1))
    assert 0.3 * positives < np.nanmean(first.scores[held]) < 3 * positives


def test_no_similarity_component_reads_the_related_lists() -> None:
    """The related lists are the ranker's target: removing or shuffling them changes nothing
    the features are made of."""
    release = onet_reader.read_onet_release(FIXTURE_RELEASE)
    assert release.related, "the fixture release should have related lists to remove"
    codes = [o.code for o in release.occupations]
    shares = np.random.default_rng(1).uniform(size=(len(codes), 4))

    def matrices(r: onet_reader.OnetRelease) -> dict[str, Any]:
        evidence = collect_evidence(
            codes,
            [o.title for o in r.occupations],
            [o.description for o in r.occupations],
            r,
            shares,
        )
        return component_matrices(evidence)

    with_lists = matrices(release)
    related = list(release.related)
    random.Random(5).shuffle(related)
    shuffled = [
        dataclasses.replace(a, related_code=b.related_code)
        for a, b in zip(release.related, related, strict=True)
    ]
    for variant in (
        dataclasses.replace(release, related=()),
        dataclasses.replace(release, related=tuple(shuffled)),
    ):
        other = matrices(variant)
        for name in COMPONENTS:
            assert np.array_equal(with_lists[name], other[name], equal_nan=True), name


def test_the_default_snapshot_carries_every_component_and_its_ranker(career: Any) -> None:
    relatedness = career.relatedness
    assert relatedness is not None
    assert tuple(relatedness.components) == COMPONENTS
    # The builder's boosted trees arrive as their calibrated scores, with an account of the fit.
    assert relatedness.ranker is None
    description = relatedness.ranker_description
    assert description["form"] == "boosted-trees"
    assert tuple(description["features"]) == FEATURES
    assert abs(sum(description["gain_share"].values()) - 1) < 0.01
    scores = relatedness.composite
    n = len(career.occupations)
    assert scores.shape == (n, n)
    assert np.isnan(np.diagonal(scores)).all()
    assert np.nanmin(scores) >= 0
    assert np.nanmax(scores) <= 1
    assert relatedness.fitted_on["sources"] > 900
    n = len(career.occupations)
    for name, matrix in relatedness.components.items():
        assert matrix.shape == (n, n), name
        assert np.allclose(matrix, matrix.T, equal_nan=True), name
        # Every O*NET occupation with tasks has words and tasks evidence.
    nurse = career.by_code["29-1141.00"].index
    for name in ("words", "tasks", "activities", "titles", "skills", "interests", "industries"):
        assert not np.isnan(relatedness.components[name][nurse]).all(), name


def test_a_tree_ranker_without_its_scores_or_of_another_form_is_refused(
    fixture_snapshot: Path,
) -> None:
    from graphql_api.graph.model import _decode_relatedness
    from graphql_api.snapshot import read_snapshot
    from graphql_api.snapshot.container import SnapshotError

    snapshot = read_snapshot(fixture_snapshot)
    size = snapshot.arrays["composite"].shape[0]
    assert _decode_relatedness(snapshot, size).composite.shape == (size, size)  # type: ignore[union-attr]
    missing = dataclasses.replace(
        snapshot, arrays={k: v for k, v in snapshot.arrays.items() if k != "composite"}
    )
    with pytest.raises(SnapshotError, match="without its scores"):
        _decode_relatedness(missing, size)
    cut = dataclasses.replace(
        snapshot, arrays={**snapshot.arrays, "composite": snapshot.arrays["composite"][1:]}
    )
    with pytest.raises(SnapshotError, match="damaged"):
        _decode_relatedness(cut, size)
    tables = {**snapshot.tables}
    tables["relatedness"] = {**tables["relatedness"], "ranker": {"form": "forest"}}
    with pytest.raises(SnapshotError, match="unknown ranker form"):
        _decode_relatedness(dataclasses.replace(snapshot, tables=tables), size)
