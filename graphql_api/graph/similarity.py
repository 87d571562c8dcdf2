"""Occupation-occupation similarity: the builder's component matrices and the ranker's composite.

The snapshot carries one cosine matrix per component (see :mod:`graphql_api.ingest.relatedness`
for what each measures) and the ranker's score of every ordered pair: the builder fits
boosted trees on the components (:mod:`graphql_api.ranker`) and stores their calibrated scores
(an older snapshot's logistic ranker is applied here at load instead). Related careers,
comparisons, career paths and core skills read those scores, never recompute them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from graphql_api.graph.model import CareerGraph
from graphql_api.ranker import COMPONENTS, Ranker

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "VIABLE_SCORE",
    "SimilarityModel",
    "build_similarity_model",
    "similarity_model",
]

# A client that passes weights mixes the components it names; the ones it leaves out weigh 0.
DEFAULT_WEIGHTS: Mapping[str, float] = dict.fromkeys(COMPONENTS, 0.0)
# A move is viable at a score of at least 0.30 (the threshold of the World Economic Forum /
# Burning Glass transition pathways, 2018). On the ranker's scale a score is the estimated
# chance that O*NET's analysts list the move among the occupation's ten most related; on a
# component's or a custom mix's scale it is a cosine similarity. 0.30 is used on both.
VIABLE_SCORE = 0.30


@dataclass(frozen=True)
class SimilarityModel:
    """Component cosines over all occupations, the ranker's scores, and each row's ranking."""

    matrices: Mapping[str, npt.NDArray[np.float32]]
    scores: npt.NDArray[np.float64]
    # Per occupation: the other occupations by score, best first (those without a score last),
    # and how many have a score.
    order: npt.NDArray[np.int16]
    scored: npt.NDArray[np.int32]
    ranker: Ranker | None
    _mixes: dict[tuple[float, ...], npt.NDArray[np.float64]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def components(self, i: int, j: int) -> dict[str, float | None]:
        """Every component's similarity of occupations ``i`` and ``j`` (None where unknown)."""
        out: dict[str, float | None] = {}
        for name in COMPONENTS:
            value = float(self.matrices[name][i, j])
            out[name] = None if math.isnan(value) else value
        return out

    def composite(self, weights: Mapping[str, float] | None = None) -> npt.NDArray[np.float64]:
        """Every pair's score: the ranker's, or a weighted mean of the components."""
        if weights is None:
            return self.scores
        key = tuple(float(weights.get(c, 0.0)) for c in COMPONENTS)
        mix = self._mixes.get(key)
        if mix is None:
            mix = _mix(self.matrices, weights)
            if len(self._mixes) < 8:  # a handful of client mixes, not one per request
                self._mixes[key] = mix
        return mix

    def composite_row(
        self, index: int, weights: Mapping[str, float] | None = None
    ) -> npt.NDArray[np.float64]:
        """One occupation's scores against all others."""
        if weights is None:
            row: npt.NDArray[np.float64] = self.scores[index]
            return row
        rows = {n: m[index : index + 1] for n, m in self.matrices.items()}
        mixed: npt.NDArray[np.float64] = _mix(rows, weights)[0]
        mixed[index] = np.nan
        return mixed


def _mix(
    matrices: Mapping[str, npt.NDArray[np.float32]], weights: Mapping[str, float]
) -> npt.NDArray[np.float64]:
    """Weighted mean of the available components; a component unknown for a pair drops out."""
    shape = next(iter(matrices.values())).shape
    total = np.zeros(shape, dtype=np.float64)
    weight_sum = np.zeros(shape, dtype=np.float64)
    for name, weight in weights.items():
        if weight <= 0:
            continue
        matrix = matrices[name].astype(np.float64)
        present = ~np.isnan(matrix)
        total += np.where(present, matrix * weight, 0.0)
        weight_sum += np.where(present, weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: npt.NDArray[np.float64] = total / weight_sum
    return result


def _ranking(
    scores: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int32]]:
    keyed = np.nan_to_num(scores, nan=-np.inf)
    order = np.argsort(-keyed, axis=1, kind="stable").astype(np.int16)
    scored = (~np.isnan(scores)).sum(axis=1).astype(np.int32)
    return order, scored


def build_similarity_model(career: CareerGraph, wages: Sequence[float | None]) -> SimilarityModel:
    """Score every ordered pair with the snapshot's ranker (NaN where a side has no evidence);
    ``wages`` are the national annual wages in occupation order."""
    n = len(career.occupations)
    relatedness = career.relatedness
    if relatedness is None:
        empty = np.full((n, n), np.nan, dtype=np.float32)
        matrices: Mapping[str, npt.NDArray[np.float32]] = dict.fromkeys(COMPONENTS, empty)
        scores = np.full((n, n), np.nan)
        ranker = None
    else:
        matrices = relatedness.components
        ranker = relatedness.ranker
        if relatedness.composite is not None:
            scores = relatedness.composite.copy()
            np.fill_diagonal(scores, np.nan)
        elif ranker is None:
            scores = _mix(matrices, dict.fromkeys(COMPONENTS, 1.0))
            np.fill_diagonal(scores, np.nan)
        else:
            zones = np.array(
                [np.nan if o.job_zone is None else o.job_zone for o in career.occupations], float
            )
            pay = np.array([w or np.nan for w in wages], float)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_wages = np.log(pay)
            socs = [o.soc for o in career.occupations]
            scores = ranker.scores(matrices, zones, log_wages, socs)
        # Without evidence on both sides a pair is not comparable, whatever its SOC codes say.
        blind = np.isnan(np.diagonal(matrices["words"]))
        scores[blind, :] = np.nan
        scores[:, blind] = np.nan
    order, scored = _ranking(scores)
    return SimilarityModel(matrices, scores, order, scored, ranker)


def similarity_model(career: CareerGraph) -> SimilarityModel:
    """The similarity model of a graph (prepared at load)."""
    return career.indexes.similarity
