"""Occupation-occupation similarity: skills, tasks and industries, as precomputed matrices."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graphql_api.graph.model import ALL_INDUSTRIES, NATIONAL, CareerGraph

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "SimilarityModel",
    "similarity_model",
    "skill_vectors",
]

COMPONENTS = ("skills", "tasks", "industries")
DEFAULT_WEIGHTS = {"skills": 0.5, "tasks": 0.3, "industries": 0.2}
_WORD = re.compile(r"[a-z][a-z]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "this",
        "to",
        "with",
        "within",
        "without",
        "using",
        "use",
        "used",
        "other",
        "others",
        "as",
        "well",
        "may",
        "including",
    ]
)


@dataclass
class SimilarityModel:
    """Per-component similarity matrices over all occupations (NaN where a side lacks data)."""

    matrices: dict[str, npt.NDArray[np.float32]]
    skill_source: str
    _default_composite: npt.NDArray[np.float64] | None = None

    def components(self, i: int, j: int) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for name in COMPONENTS:
            value = float(self.matrices[name][i, j])
            out[name] = None if math.isnan(value) else value
        return out

    def composite(self, weights: dict[str, float] | None = None) -> npt.NDArray[np.float64]:
        """The weighted composite over every pair (the default weights' matrix is cached)."""
        if weights is None or weights == DEFAULT_WEIGHTS:
            if self._default_composite is None:
                self._default_composite = self._combine(
                    {n: m.astype(np.float64) for n, m in self.matrices.items()}, DEFAULT_WEIGHTS
                )
            return self._default_composite
        return self._combine({n: m.astype(np.float64) for n, m in self.matrices.items()}, weights)

    def composite_row(
        self, index: int, weights: dict[str, float] | None = None
    ) -> npt.NDArray[np.float64]:
        """One occupation's composite scores against all others (cheap: one row per component)."""
        if weights is None or weights == DEFAULT_WEIGHTS:
            row: npt.NDArray[np.float64] = self.composite()[index]
            return row
        rows = {n: m[index : index + 1].astype(np.float64) for n, m in self.matrices.items()}
        combined: npt.NDArray[np.float64] = self._combine(rows, weights)[0]
        return combined

    @staticmethod
    def _combine(
        matrices: dict[str, npt.NDArray[np.float64]], weights: dict[str, float]
    ) -> npt.NDArray[np.float64]:
        """Weighted mean of the available components; a missing component drops out of both sums.

        The skills component is required: pairs where either side has no skill profile are NaN.
        """
        total = np.zeros(matrices["skills"].shape, dtype=np.float64)
        weight_sum = np.zeros_like(total)
        for name, weight in weights.items():
            if weight <= 0:
                continue
            matrix = matrices[name]
            present = ~np.isnan(matrix)
            total += np.where(present, matrix * weight, 0.0)
            weight_sum += np.where(present, weight, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            result: npt.NDArray[np.float64] = total / weight_sum
        # Without a skill profile on both sides a pair is not comparable: industries alone
        # would call a lab technician and a surgeon near-identical because both work in hospitals.
        result[np.isnan(matrices["skills"])] = np.nan
        return result


def _cosine(
    matrix: npt.NDArray[np.float64] | npt.NDArray[np.float32], present: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1)
    safe = np.where(norms > 0, norms, 1.0)
    # Normalised in place: the matrix is a temporary of the caller's, and a copy of the task
    # TF-IDF matrix would be the largest allocation of a load.
    np.divide(matrix, safe[:, None], out=matrix, casting="unsafe")
    sim = (matrix @ matrix.T).astype(np.float32)
    usable = present & (norms > 0)
    sim[~usable, :] = np.nan
    sim[:, ~usable] = np.nan
    return sim


def skill_vectors(
    career: CareerGraph,
) -> tuple[tuple[str, ...], npt.NDArray[np.float64], npt.NDArray[np.bool_], str]:
    """Build the occupation x descriptor matrix used for skill similarity.

    Rated O*NET importance (skills, knowledge, abilities) is used where the snapshot has it;
    otherwise the derived layer's weights. Returns descriptor ids, the matrix, which rows have
    data, and the source used.
    """
    rated = any(
        r.importance is not None for reqs in career.requirements.values() for r in reqs[:50]
    )
    ids: dict[str, int] = {}
    rows: list[tuple[int, int, float]] = []
    for occupation in career.occupations:
        for requirement in career.requirements.get(occupation.code, ()):
            if rated:
                if requirement.importance is None:
                    continue
                value = requirement.importance
            else:
                if requirement.weight is None:
                    continue
                value = requirement.weight
            column = ids.setdefault(requirement.descriptor, len(ids))
            rows.append((occupation.index, column, value))
    matrix = np.zeros((len(career.occupations), max(len(ids), 1)), dtype=np.float64)
    for row, column, value in rows:
        matrix[row, column] = value
    present = np.asarray(matrix.any(axis=1), dtype=bool)
    return tuple(ids), matrix, present, "rated" if rated else "derived"


def _zscore(
    matrix: npt.NDArray[np.float64], present: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    # Standardise each descriptor over the occupations that have data, so that a descriptor
    # every occupation rates highly (e.g. speaking) does not dominate the cosine.
    sub = matrix[present]
    mean = sub.mean(axis=0)
    std = sub.std(axis=0)
    std[std == 0] = 1.0
    out: npt.NDArray[np.float64] = (matrix - mean) / std
    out[~present] = 0.0
    return out


def _task_tfidf(career: CareerGraph) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    documents: list[Counter[str]] = []
    for occupation in career.occupations:
        words: Counter[str] = Counter()
        for task in occupation.tasks:
            words.update(w for w in _WORD.findall(task.text.lower()) if w not in _STOP)
        documents.append(words)
    frequency: Counter[str] = Counter()
    for words in documents:
        frequency.update(words.keys())
    count = sum(1 for d in documents if d)
    vocabulary = {w: i for i, w in enumerate(sorted(w for w, n in frequency.items() if n >= 2))}
    # float32 halves the largest array the graph builds (occupations x task vocabulary).
    matrix = np.zeros((len(documents), len(vocabulary)), dtype=np.float32)
    for row, words in enumerate(documents):
        for word, n in words.items():
            column = vocabulary.get(word)
            if column is not None:
                matrix[row, column] = (1.0 + math.log(n)) * math.log(
                    (1 + count) / (1 + frequency[word])
                )
    return matrix, np.asarray(matrix.any(axis=1), dtype=bool)


def _industry_shares(career: CareerGraph) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    facts = career.oews
    national = facts.area_index.get(NATIONAL, -1)
    all_industries = facts.industry_index.get(ALL_INDUSTRIES, -1)
    sectors = [
        i for i, code in enumerate(facts.industry_codes) if career.industries[code].level == 3
    ]
    sector_column = {industry: n for n, industry in enumerate(sectors)}
    by_soc = np.zeros((len(facts.occupation_codes), len(sectors)), dtype=np.float64)
    area = facts.keys & 0xFFFF
    industry = (facts.keys >> 16) & 0xFFFF
    selected = np.nonzero((area == national) & (industry != all_industries))[0]
    for column, value in zip(selected, facts.row("employment", selected), strict=True):
        target = sector_column.get(int(industry[column]))
        if target is None or np.isnan(value):
            continue
        by_soc[int(facts.keys[column] >> 32), target] = value
    totals = by_soc.sum(axis=1, keepdims=True)
    shares = np.divide(by_soc, totals, out=np.zeros_like(by_soc), where=totals > 0)
    matrix = np.zeros((len(career.occupations), len(sectors)), dtype=np.float64)
    for occupation in career.occupations:
        index = facts.occupation_index.get(occupation.pay_soc or "")
        if index is not None:
            matrix[occupation.index] = shares[index]
    return matrix, np.asarray(matrix.any(axis=1), dtype=bool)


def similarity_model(career: CareerGraph) -> SimilarityModel:
    """Return (computing once per graph) the similarity matrices of every component."""
    cached = career.cache.get("similarity")
    if isinstance(cached, SimilarityModel):
        return cached
    _, skills, present, source = skill_vectors(career)
    standardised = _zscore(skills, present)
    tasks, tasks_present = _task_tfidf(career)
    industries, industries_present = _industry_shares(career)
    model = SimilarityModel(
        matrices={
            "skills": _cosine(standardised, present),
            "tasks": _cosine(tasks, tasks_present),
            "industries": _cosine(industries, industries_present),
        },
        skill_source=source,
    )
    career.cache["similarity"] = model
    return model
