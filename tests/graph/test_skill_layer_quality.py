"""The embedded default's derived skill layer tracks O*NET's rated skills (issue bar: rho >= 0.55)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.conftest import shared_path

BAR = 0.55  # issue 2: a TF-IDF over task text alone reaches about 0.54


def test_derived_similarity_correlates_with_rated_skills(career) -> None:
    stats = pytest.importorskip("scipy.stats")
    path = shared_path("onet", "db_30_1_text", "Skills.txt")
    importance: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["Scale ID"] == "IM":
                importance.setdefault(row["O*NET-SOC Code"], {})[row["Element ID"]] = float(
                    row["Data Value"]
                )
    codes = sorted(c for c in importance if c in career.by_code)
    elements = sorted(next(iter(importance.values())))
    rated = np.array([[importance[c][e] for e in elements] for c in codes])
    rated = (rated - rated.mean(axis=0)) / rated.std(axis=0)
    rated /= np.linalg.norm(rated, axis=1, keepdims=True)
    rated_similarity = rated @ rated.T

    # The derived layer is scored on its own, on the occupations O*NET also rates.
    derived_ids = sorted(
        {
            r.descriptor
            for c in codes
            for r in career.requirements.get(c, ())
            if r.weight is not None
        }
    )
    column = {d: i for i, d in enumerate(derived_ids)}
    derived = np.zeros((len(codes), len(derived_ids)))
    for row, code in enumerate(codes):
        for r in career.requirements.get(code, ()):
            if r.weight is not None:
                derived[row, column[r.descriptor]] = r.weight
    derived = (derived - derived.mean(axis=0)) / (derived.std(axis=0) + 1e-12)
    derived /= np.linalg.norm(derived, axis=1, keepdims=True)
    derived_similarity = derived @ derived.T
    upper = np.triu_indices(len(codes), k=1)
    rho = stats.spearmanr(derived_similarity[upper], rated_similarity[upper]).statistic
    print(f"Spearman rho, derived vs O*NET 30.1 rated skills, {len(upper[0]):,} pairs: {rho:.4f}")
    assert rho >= BAR
