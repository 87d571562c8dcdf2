"""The related-careers ranker: its features and its logistic form.

One module for both sides of the model: the snapshot builder fits the ranker on O*NET's
expert-reviewed related occupations (the target, never a feature) and stores its coefficients;
the loaded graph applies it to the same similarity matrices. Pure numpy over arrays in the
snapshot's occupation order; it imports neither ``ingest`` nor ``graph``.

The score of a move from occupation *i* to occupation *j* is

    score(i, j) = 1 / (1 + exp(-(b + sum_f w_f * x_f(i, j))))

over these features *x_f*:

- per similarity component *c* (see :data:`COMPONENTS`): ``c``, the similarity of *j* to *i*
  standardised over *i*'s candidates (how unusually close *j* is, for *i*), and ``c_typical``,
  *j*'s mean similarity to every occupation (how generic *j* is on that signal);
- ``zone_change`` (Job Zone of *j* minus *i*), ``zone_gap`` (its absolute value, 1.5 when a
  zone is unknown) and ``zone_unknown``;
- ``pay_gap``: the absolute log ratio of national median pay (0.3 when unknown);
- ``same_major``, ``same_minor``, ``same_broad``, ``same_detailed``: SOC levels *i* and *j* share.

>>> import numpy as np
>>> sims = {name: np.eye(3, dtype=np.float32) for name in COMPONENTS}
>>> ranker = Ranker(FEATURES, tuple(0.0 for _ in FEATURES), 0.0)
>>> float(ranker.scores(sims, np.array([1.0, 2, 2]), np.zeros(3), ("11-1011", "11-1021", "13-1011"))[0, 1])
0.5
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "COMPONENTS",
    "FEATURES",
    "LOWER_BOUNDS",
    "REFERENCE_TIERS",
    "TREE_PARAMETERS",
    "TREE_ROUNDS",
    "Ranker",
    "TreeRanker",
    "feature_matrices",
    "fit_ranker",
    "fit_tree_ranker",
    "recall_at",
]

COMPONENTS = (
    "words",
    "tasks",
    "activities",
    "titles",
    "description",
    "skills",
    "interests",
    "technology",
    "tools",
    "industries",
)
"""The similarity signals, each an occupation x occupation cosine (NaN where a side has no data)."""

# Cosines of standardised profiles range over [-1, 1]; those of counts and shares over [0, 1].
LOWER_BOUNDS = {c: (-1.0 if c in ("skills", "interests") else 0.0) for c in COMPONENTS}
# O*NET's expert-reviewed related occupations the ranker is fitted against (its top 10).
REFERENCE_TIERS = ("Primary-Short", "Primary-Long")

STRUCTURAL = (
    "zone_change",
    "zone_gap",
    "zone_unknown",
    "pay_gap",
    "same_major",
    "same_minor",
    "same_broad",
    "same_detailed",
)
FEATURES = tuple(f for c in COMPONENTS for f in (c, f"{c}_typical")) + STRUCTURAL
# Stand-ins where a figure is unknown: about the average gap between an occupation and the
# occupations experts relate to it, so a missing figure neither helps nor hurts much.
UNKNOWN_ZONE_GAP = 1.5
UNKNOWN_PAY_GAP = 0.3
# SOC levels as digits of the code: major group (29), minor (29-1), broad (29-114), detailed
# (29-1141).
_SOC_LEVELS = (("same_major", 2), ("same_minor", 3), ("same_broad", 5), ("same_detailed", 6))

Matrix = npt.NDArray[np.float64]


def _standardised_rows(matrix: npt.NDArray[np.floating[Any]]) -> Matrix:
    """Each row as z-scores over its candidates (the diagonal and missing values excluded, then 0)."""
    values = matrix.astype(np.float64)
    np.fill_diagonal(values, np.nan)
    present = ~np.isnan(values)
    count = present.sum(axis=1, keepdims=True)
    filled = np.where(present, values, 0.0)
    safe = np.maximum(count, 1)
    mean = filled.sum(axis=1, keepdims=True) / safe
    spread = np.sqrt((np.where(present, values - mean, 0.0) ** 2).sum(axis=1, keepdims=True) / safe)
    spread[spread == 0] = 1.0
    out: Matrix = np.where(present, (values - mean) / spread, 0.0)
    return out


def _typical(matrix: npt.NDArray[np.floating[Any]]) -> Matrix:
    """Each candidate's mean similarity to the other occupations, as a row broadcast to a matrix."""
    values = matrix.astype(np.float64)
    np.fill_diagonal(values, np.nan)
    present = ~np.isnan(values)
    mean = np.where(present, values, 0.0).sum(axis=0) / np.maximum(present.sum(axis=0), 1)
    return np.broadcast_to(mean[None, :], values.shape)


def feature_matrices(
    similarities: Mapping[str, npt.NDArray[np.floating[Any]]],
    job_zones: npt.NDArray[np.float64],
    log_wages: npt.NDArray[np.float64],
    socs: Sequence[str],
    names: Sequence[str] = FEATURES,
) -> Iterator[tuple[str, Matrix]]:
    """Yield each feature as an occupation x occupation matrix, one at a time (to bound memory).

    ``job_zones`` and ``log_wages`` hold NaN where unknown; ``socs`` are six-digit SOC codes.
    """
    wanted = set(names)
    for component in COMPONENTS:
        matrix = similarities[component]
        if component in wanted:
            yield component, _standardised_rows(matrix)
        if f"{component}_typical" in wanted:
            yield f"{component}_typical", _typical(matrix)
    change = job_zones[None, :] - job_zones[:, None]
    unknown = np.isnan(change)
    structural: dict[str, Matrix] = {
        "zone_change": np.where(unknown, 0.0, change),
        "zone_gap": np.where(unknown, UNKNOWN_ZONE_GAP, np.abs(change)),
        "zone_unknown": unknown.astype(np.float64),
    }
    pay = np.abs(log_wages[None, :] - log_wages[:, None])
    structural["pay_gap"] = np.where(np.isnan(pay), UNKNOWN_PAY_GAP, pay)
    codes = np.array([soc.replace("-", "")[:6].ljust(6) for soc in socs])
    for name, digits in _SOC_LEVELS:
        prefix = np.array([c[:digits] for c in codes])
        structural[name] = (prefix[:, None] == prefix[None, :]).astype(np.float64)
    for name in STRUCTURAL:
        if name in wanted:
            yield name, structural[name]


@dataclass(frozen=True)
class Ranker:
    """A fitted logistic ranker: coefficients on the raw (unstandardised) features."""

    features: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float

    def logits(
        self,
        similarities: Mapping[str, npt.NDArray[np.floating[Any]]],
        job_zones: npt.NDArray[np.float64],
        log_wages: npt.NDArray[np.float64],
        socs: Sequence[str],
    ) -> Matrix:
        n = len(socs)
        total = np.full((n, n), self.intercept, dtype=np.float64)
        weights = dict(zip(self.features, self.coefficients, strict=True))
        for name, matrix in feature_matrices(
            similarities, job_zones, log_wages, socs, self.features
        ):
            total += weights[name] * matrix
        return total

    def scores(
        self,
        similarities: Mapping[str, npt.NDArray[np.floating[Any]]],
        job_zones: npt.NDArray[np.float64],
        log_wages: npt.NDArray[np.float64],
        socs: Sequence[str],
    ) -> Matrix:
        """The score of every move (row: from, column: to), in [0, 1]; NaN on the diagonal."""
        logits = self.logits(similarities, job_zones, log_wages, socs)
        out: Matrix = 1.0 / (1.0 + np.exp(-logits))
        np.fill_diagonal(out, np.nan)
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "form": "logistic",
            "features": list(self.features),
            "coefficients": [round(c, 6) for c in self.coefficients],
            "intercept": round(self.intercept, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Ranker:
        if data.get("form") != "logistic":
            raise ValueError(f"unknown ranker form {data.get('form')!r}")
        features = tuple(str(f) for f in data["features"])
        unknown = set(features) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown ranker features {sorted(unknown)}")
        return cls(
            features, tuple(float(c) for c in data["coefficients"]), float(data["intercept"])
        )


def fit_ranker(
    similarities: Mapping[str, npt.NDArray[np.floating[Any]]],
    job_zones: npt.NDArray[np.float64],
    log_wages: npt.NDArray[np.float64],
    socs: Sequence[str],
    *,
    targets: npt.NDArray[np.bool_],
    sources: npt.NDArray[np.intp],
    l2: float = 1e-3,
    iterations: int = 40,
) -> Ranker:
    """Fit the logistic ranker by Newton's method (L2-penalised, on standardised features).

    ``targets[i, j]`` is True when the reference list of occupation ``i`` holds ``j``; only the
    rows in ``sources`` are fitted (every other occupation of a row is a negative example).
    Coefficients come back on the raw features' scale.
    """
    n = len(socs)
    mask = np.ones((len(sources), n), dtype=bool)
    mask[np.arange(len(sources)), sources] = False
    columns = []
    for _, matrix in feature_matrices(similarities, job_zones, log_wages, socs):
        columns.append(np.asarray(matrix[sources])[mask])
    x = np.stack(columns, axis=1)
    y = targets[sources][mask].astype(np.float64)
    mean = x.mean(axis=0)
    spread = x.std(axis=0)
    spread[spread == 0] = 1.0
    design = np.hstack([(x - mean) / spread, np.ones((len(x), 1))])
    del x
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ weights)))
        gradient = design.T @ (p - y) / len(y) + penalty * weights
        hessian = (design * (p * (1 - p))[:, None]).T @ design / len(y) + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if float(np.abs(step).max()) < 1e-7:
            break
    raw = weights[:-1] / spread
    intercept = float(weights[-1] - (raw * mean).sum())
    return Ranker(FEATURES, tuple(float(c) for c in raw), intercept)


def recall_at(
    scores: npt.NDArray[np.floating[Any]],
    targets: npt.NDArray[np.bool_],
    sources: npt.NDArray[np.intp],
    k: int = 10,
) -> npt.NDArray[np.float64]:
    """Per source: the share of its reference list found in its top ``k`` by ``scores``."""
    rows = np.nan_to_num(scores[sources].astype(np.float64), nan=-math.inf)
    rows[np.arange(len(sources)), sources] = -math.inf
    top = np.argpartition(-rows, k, axis=1)[:, :k]
    found = targets[sources[:, None], top].sum(axis=1)
    wanted = np.maximum(targets[sources].sum(axis=1), 1)
    out: npt.NDArray[np.float64] = found / wanted
    return out


# The boosted-trees ranker (LambdaMART). Chosen by 5-fold cross-validation over source
# occupations (tests/benchmarks/test_related_relevance.py): recall@10 0.608 for the logistic form
# above, 0.649 for 300 rounds of trees and 0.655 for 600. Deterministic: fixed seeds, fixed
# threads and LightGBM's deterministic mode, so a rebuild from the same releases gives the same
# bytes.
TREE_ROUNDS = 600
TREE_PARAMETERS: Mapping[str, Any] = {
    "objective": "lambdarank",
    "lambdarank_truncation_level": 20,
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 50,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "seed": 20261203,
    "num_threads": 2,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}
# Without a candidate's figure (no similarity on that signal) a tree sees this value.
TREE_MISSING = -5.0


def _feature_tensor(
    similarities: Mapping[str, npt.NDArray[np.floating[Any]]],
    job_zones: npt.NDArray[np.float64],
    log_wages: npt.NDArray[np.float64],
    socs: Sequence[str],
) -> npt.NDArray[np.float32]:
    """Every pair's :data:`FEATURES` as one (from, to, feature) float32 array."""
    n = len(socs)
    tensor = np.empty((n, n, len(FEATURES)), dtype=np.float32)
    for k, (_, matrix) in enumerate(feature_matrices(similarities, job_zones, log_wages, socs)):
        tensor[:, :, k] = np.nan_to_num(matrix, nan=TREE_MISSING)
    return tensor


def _candidates(source: int, blind: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    keep = ~blind
    keep[source] = False
    return np.flatnonzero(keep)


def _train_trees(
    tensor: npt.NDArray[np.float32],
    targets: npt.NDArray[np.bool_],
    sources: npt.NDArray[np.intp],
    blind: npt.NDArray[np.bool_],
    rounds: int,
) -> Any:
    import lightgbm  # noqa: PLC0415 - only the builder fits; a loaded graph reads the scores

    rows = [_candidates(int(s), blind) for s in sources]
    x = np.concatenate([tensor[s, r] for s, r in zip(sources, rows, strict=True)])
    y = np.concatenate([targets[s, r] for s, r in zip(sources, rows, strict=True)]).astype(int)
    data = lightgbm.Dataset(x, y, group=[len(r) for r in rows], free_raw_data=True)
    return lightgbm.train(dict(TREE_PARAMETERS), data, num_boost_round=rounds)


def _raw_scores(booster: Any, tensor: npt.NDArray[np.float32]) -> Matrix:
    n = tensor.shape[0]
    out: Matrix = np.asarray(booster.predict(tensor.reshape(n * n, -1)), dtype=np.float64)
    return out.reshape(n, n)


def _platt(raw: npt.NDArray[np.float64], labels: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """Intercept and slope of a logistic map from raw scores to the chance of a positive."""
    design = np.stack([np.ones_like(raw), raw], axis=1)
    y = labels.astype(np.float64)
    w = np.zeros(2)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        gradient = design.T @ (p - y) / len(y)
        hessian = (design * (p * (1 - p))[:, None]).T @ design / len(y) + 1e-9 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.abs(step).max()) < 1e-9:
            break
    return float(w[0]), float(w[1])


@dataclass(frozen=True)
class TreeRanker:
    """A fitted boosted-trees ranker and the score matrix it gives the snapshot's occupations.

    ``scores`` are calibrated: ``1 / (1 + exp(-(intercept + slope * trees(i, j))))``, where the
    logistic map was fitted on out-of-fold tree outputs (each half of the sources scored by trees
    fitted on the other half), so a score estimates the chance that O*NET's analysts list the
    move among the occupation's ten most related, as the logistic form's does.
    """

    scores: Matrix
    intercept: float
    slope: float
    rounds: int
    gain: Mapping[str, float]

    def as_json(self) -> dict[str, Any]:
        total = sum(self.gain.values()) or 1.0
        return {
            "form": "boosted-trees",
            "objective": "lambdarank",
            "features": list(FEATURES),
            "rounds": self.rounds,
            "parameters": {k: v for k, v in TREE_PARAMETERS.items() if k != "verbose"},
            "calibration": {"intercept": round(self.intercept, 6), "slope": round(self.slope, 6)},
            # Each feature's share of the trees' total split gain: what the ranker leans on.
            "gain_share": {f: round(self.gain[f] / total, 4) for f in FEATURES},
        }


def fit_tree_ranker(
    similarities: Mapping[str, npt.NDArray[np.floating[Any]]],
    job_zones: npt.NDArray[np.float64],
    log_wages: npt.NDArray[np.float64],
    socs: Sequence[str],
    *,
    targets: npt.NDArray[np.bool_],
    sources: npt.NDArray[np.intp],
    rounds: int = TREE_ROUNDS,
    calibrate: bool = True,
) -> TreeRanker:
    """Fit LambdaMART on the rows in ``sources`` and score every ordered pair (NaN on the
    diagonal and where the words component is unknown for a side).

    ``targets[i, j]`` is True when the reference list of ``i`` holds ``j``; only ``sources`` are
    fitted, and the calibration is fitted on their out-of-fold scores (two halves). Without
    ``calibrate`` (a benchmark that needs only the ranking) the map is the plain logistic.
    """
    tensor = _feature_tensor(similarities, job_zones, log_wages, socs)
    blind = np.isnan(np.diagonal(np.asarray(similarities["words"], dtype=np.float64)))
    halves = (sources[::2], sources[1::2]) if calibrate else (sources[:0], sources[:0])
    raw_out: list[npt.NDArray[np.float64]] = []
    labels: list[npt.NDArray[np.bool_]] = []
    for fitted, scored in ((halves[0], halves[1]), (halves[1], halves[0])):
        if len(fitted) == 0 or len(scored) == 0:
            continue
        booster = _train_trees(tensor, targets, fitted, blind, rounds)
        for s in scored:
            keep = _candidates(int(s), blind)
            raw_out.append(np.asarray(booster.predict(tensor[s, keep]), dtype=np.float64))
            labels.append(targets[s, keep])
    booster = _train_trees(tensor, targets, sources, blind, rounds)
    raw = _raw_scores(booster, tensor)
    del tensor
    intercept, slope = (
        _platt(np.concatenate(raw_out), np.concatenate(labels)) if raw_out else (0.0, 1.0)
    )
    scores: Matrix = 1.0 / (1.0 + np.exp(-(intercept + slope * raw)))
    np.fill_diagonal(scores, np.nan)
    scores[blind, :] = np.nan
    scores[:, blind] = np.nan
    gains = booster.feature_importance(importance_type="gain")
    gain = {f: float(g) for f, g in zip(FEATURES, gains, strict=True)}
    return TreeRanker(scores, intercept, slope, rounds, gain)
