"""A learned re-ranker for job titles: boosted trees over the title model's candidates.

The title model (``titles.TitleModel``) reads a title as a bag of word, head-noun, pair and
prefix features and ranks occupations by query likelihood. Its fifth-best guess is often the
right one, and its misses are mostly catch-all occupations ("Production Workers, All Other").
This module re-ranks the model's first :data:`CANDIDATES` occupations, plus the catch-alls of
their SOC groups, with LambdaMART trees fitted on held-out O*NET alternate titles: each fold of
titles is taken out of the index, read back, and the trees learn which readings find the
occupations O*NET lists them under (``fit_title_ranker``; the builder stores the trees in the
snapshot, the loaded index only predicts).

What a tree sees per (title, occupation) is listed in :data:`FEATURES`: the model's probability
and rank, each kind of feature's evidence, the best name's similarity and field, votes of the
nearest names, a character 3-4-gram similarity (spelling and morphology the words miss:
"policeman" meets "police"), how much of the title the occupation's names and its task
statements cover, the probability mass of the occupation's SOC groups, its priors, and whether
it is a catch-all.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graphql_api.graph.titles import KIND_WEIGHTS, TitleFeatures, TitleModel, prose_words, stem
from graphql_api.snapshot.container import SnapshotError

__all__ = [
    "CANDIDATES",
    "FEATURES",
    "RANKER_TABLE",
    "TitleEvidence",
    "TitleRanker",
    "decode_ranker",
    "encode_ranker",
    "gather_evidence",
    "rank_features",
    "train_title_ranker",
]

# The title model's first CANDIDATES occupations are re-ranked (held out, the right one is among
# them for about 92% of titles), with the catch-alls of the SOC minor groups of the first
# GROUP_REACH, and of the "other" minor groups (XX-9000) of the first OTHER_REACH.
CANDIDATES = 40
GROUP_REACH = 20
OTHER_REACH = 10
NEAREST_NAMES = (10, 30)
RANKER_TABLE = "title_ranker"

FEATURES = (
    "log_probability_gap",
    "probability",
    "model_rank",
    "name_similarity",
    "name_similarity_rank",
    "name_similarity_gap",
    "exact_rank",
    "best_name_field",
    *(f"evidence_{kind}" for kind in ("word", "head", "pair", "prefix", "grade")),
    *(f"share_{kind}" for kind in ("word", "head", "pair", "prefix", "grade")),
    "query_words",
    "query_head_known",
    "query_known_share",
    "query_tokens",
    "group_candidate",
    "prior",
    "length_penalty",
    "catch_all",
    "minor_group_mass",
    "broad_group_mass",
    "major_group_mass",
    "log_employment",
    "gram_similarity",
    "gram_similarity_gap",
    "gram_rank",
    "title_word_cover",
    "task_word_cover",
    "broad_group_candidates",
    "nearest_vote_30",
    "nearest_count_30",
    "nearest_vote_10",
    "word_evidence_rank",
    "pair_evidence_rank",
)

# Fixed seeds, threads and deterministic mode: a rebuild from the same releases gives the same
# trees. Chosen on held-out titles (tests/benchmarks/test_title_resolution.py): more leaves, a
# faster rate, a deeper truncation or the XE-NDCG objective moved top-5 by under half a point.
ROUNDS = 300
PARAMETERS: Mapping[str, Any] = {
    "objective": "lambdarank",
    "lambdarank_truncation_level": 10,
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 50,
    "seed": 20261203,
    "num_threads": 2,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}


def _grams(text: str) -> list[str]:
    padded = f" {text} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)] + [
        padded[i : i + 4] for i in range(len(padded) - 3)
    ]


def _group_ids(codes: Iterable[str]) -> npt.NDArray[np.int64]:
    numbering: dict[str, int] = {}
    return np.array([numbering.setdefault(c, len(numbering)) for c in codes], dtype=np.int64)


@dataclass(frozen=True)
class TitleEvidence:
    """What the re-ranker reads beside the title model, prepared once per index: character
    gram postings over each occupation's names (log counts times IDF), each occupation's title
    and task words, its SOC groups, catch-alls and employment."""

    grams: Mapping[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], float]]
    gram_norms: npt.NDArray[np.float64]
    title_words: tuple[frozenset[str], ...]
    task_words: tuple[frozenset[str], ...]
    minor: npt.NDArray[np.int64]
    broad: npt.NDArray[np.int64]
    major: npt.NDArray[np.int64]
    minor_codes: tuple[str, ...]
    catch_all: npt.NDArray[np.bool_]
    log_employment: npt.NDArray[np.float64]


def gather_evidence(  # noqa: PLR0917 - one index's parallel columns
    texts: Sequence[str],
    owners: Sequence[int],
    socs: Sequence[str],
    prose: Sequence[Sequence[str]],
    catch_all: Sequence[bool],
    employment: Sequence[float],
) -> TitleEvidence:
    """The evidence of an index: its normalised names ``texts`` with their ``owners``, and per
    occupation its SOC code, its task statements and description, whether it is a catch-all
    and its employment."""
    size = len(socs)
    counts: defaultdict[str, Counter[int]] = defaultdict(Counter)
    title_words: list[set[str]] = [set() for _ in range(size)]
    for text, owner in zip(texts, owners, strict=True):
        for gram in _grams(text):
            counts[gram][owner] += 1
        title_words[owner].update(stem(w) for w in text.split())
    grams = {}
    norms = np.zeros(size)
    for gram in sorted(counts):
        found = counts[gram]
        idf = math.log(size / len(found))
        where = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
        values = np.log1p(np.fromiter(found.values(), dtype=np.float64, count=len(found))) * idf
        grams[gram] = (where, values, idf)
        np.add.at(norms, where, values * values)
    task_words = []
    for sentences in prose:
        words: set[str] = set()
        for sentence in sentences:
            words.update(prose_words(sentence))
        task_words.append(frozenset(words))
    return TitleEvidence(
        grams=grams,
        gram_norms=np.sqrt(np.maximum(norms, 1e-12)),
        title_words=tuple(frozenset(w) for w in title_words),
        task_words=tuple(task_words),
        minor=_group_ids(s[:4] for s in socs),
        broad=_group_ids(s[:6] for s in socs),
        major=_group_ids(s[:2] for s in socs),
        minor_codes=tuple(s[:4] for s in socs),
        catch_all=np.asarray(catch_all, dtype=bool),
        log_employment=np.log1p(np.nan_to_num(np.asarray(employment, dtype=np.float64))),
    )


def _gram_similarity(evidence: TitleEvidence, query: str) -> npt.NDArray[np.float64]:
    found = np.zeros(len(evidence.gram_norms))
    norm = 0.0
    for gram, count in Counter(_grams(query)).items():
        posting = evidence.grams.get(gram)
        if posting is None:
            continue
        where, values, idf = posting
        weight = math.log1p(count) * idf
        found[where] += weight * values
        norm += weight * weight
    out: npt.NDArray[np.float64] = found / evidence.gram_norms / max(math.sqrt(norm), 1e-9)
    return out


def _ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    out: npt.NDArray[np.int64] = np.argsort(np.argsort(-values, kind="stable"), kind="stable")
    return out


def rank_features(
    *,
    model: TitleModel,
    evidence: TitleEvidence,
    features: TitleFeatures,
    query: str,
    probability: npt.NDArray[np.float64],
    similarity: npt.NDArray[np.float64],
    best_similarity: npt.NDArray[np.float64],
    best_field: npt.NDArray[np.int64],
    name_owners: npt.NDArray[np.int32],
    eligible: npt.NDArray[np.bool_],
    exact_owners: Sequence[int],
    known_share: float,
    head_known: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
    """The occupations to re-rank for one title and their :data:`FEATURES` (None: none).

    ``probability`` is the title model's posterior, ``similarity`` each name's weighted
    Jaccard similarity with the title and ``best_similarity``/``best_field`` each occupation's
    best name; ``eligible`` marks occupations a fuzzy reading may pick; ``exact_owners`` are
    the occupations of names equal to the title, most likely first."""
    size = len(probability)
    matched = np.flatnonzero((best_similarity > 0) & eligible)
    order = matched[np.argsort(-probability[matched], kind="stable")]
    chosen = list(dict.fromkeys([*exact_owners, *order[:CANDIDATES].tolist()]))[:CANDIDATES]
    if not chosen:
        return None
    minors = {evidence.minor_codes[c] for c in chosen[:GROUP_REACH]}
    minors |= {evidence.minor_codes[c][:2] + "-9" for c in chosen[:OTHER_REACH]}
    taken = set(chosen)
    grouped = [
        int(r)
        for r in np.flatnonzero(evidence.catch_all & eligible).tolist()
        if evidence.minor_codes[r] in minors and r not in taken
    ]
    candidates = np.array(chosen + grouped, dtype=np.int64)
    count = len(candidates)

    kinds = np.zeros((len(KIND_WEIGHTS), size))
    hits = np.zeros((len(KIND_WEIGHTS), size))
    asked = np.zeros(len(KIND_WEIGHTS))
    for key, kind in features.keys:
        feature = model.feature_ids.get(key)
        if feature is None:
            continue
        start, stop = int(model.offsets[feature]), int(model.offsets[feature + 1])
        kinds[kind, model.occupations[start:stop]] += model.ratios[start:stop]
        hits[kind, model.occupations[start:stop]] += 1.0
        asked[kind] += 1.0

    log_probability = np.log(np.maximum(probability, 1e-300))
    head = order[:50]

    def mass(groups: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        totals = np.bincount(
            groups[head], weights=probability[head], minlength=int(groups.max()) + 1
        ).astype(np.float64)
        out: npt.NDArray[np.float64] = totals[groups[candidates]]
        return out

    nearest = {}
    for reach in NEAREST_NAMES:
        top = (
            np.argpartition(-similarity, reach)[:reach]
            if len(similarity) > reach
            else np.arange(len(similarity))
        )
        nearest[reach] = (
            np.bincount(name_owners[top], weights=similarity[top], minlength=size),
            np.bincount(name_owners[top], minlength=size).astype(np.float64),
        )
    grams = _gram_similarity(evidence, query)
    words = {stem(w) for w in query.split()}
    share = max(len(words), 1)
    exact_rank = {owner: rank for rank, owner in enumerate(exact_owners)}
    broad = evidence.broad[candidates]
    best = best_similarity[candidates]
    columns = [
        log_probability[candidates] - log_probability[candidates].max(),
        probability[candidates],
        np.arange(count, dtype=np.float64),
        best,
        _ranks(best),
        best - best.max(),
        np.array([exact_rank.get(int(c), -1) for c in candidates], dtype=np.float64),
        best_field[candidates],
        *(kinds[k, candidates] for k in range(len(KIND_WEIGHTS))),
        *(hits[k, candidates] / max(asked[k], 1.0) for k in range(len(KIND_WEIGHTS))),
        np.full(count, asked[0]),
        np.full(count, float(head_known)),
        np.full(count, known_share),
        np.full(count, float(len(query.split()))),
        (np.arange(count) >= len(chosen)).astype(np.float64),
        model.prior[candidates],
        model.length_penalty[candidates],
        evidence.catch_all[candidates].astype(np.float64),
        mass(evidence.minor),
        mass(evidence.broad),
        mass(evidence.major),
        evidence.log_employment[candidates],
        grams[candidates],
        grams[candidates] - grams.max(),
        _ranks(grams)[candidates],
        np.array([len(words & evidence.title_words[c]) / share for c in candidates]),
        np.array([len(words & evidence.task_words[c]) / share for c in candidates]),
        np.array([np.count_nonzero(broad == b) for b in broad], dtype=np.float64),
        nearest[30][0][candidates],
        nearest[30][1][candidates],
        nearest[10][0][candidates],
        _ranks(kinds[0, candidates]),
        _ranks(kinds[2, candidates]),
    ]
    return candidates, np.column_stack(columns).astype(np.float64)


@dataclass(frozen=True)
class TitleRanker:
    """Fitted trees: ``scores`` of a title's candidates from their :data:`FEATURES`."""

    booster: Any
    text: str

    def scores(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = np.asarray(
            self.booster.predict(rows, num_threads=1), dtype=np.float64
        )
        return out


def train_title_ranker(
    rows: Sequence[npt.NDArray[np.float64]], labels: Sequence[npt.NDArray[np.bool_]]
) -> TitleRanker:
    """Fit the trees on held-out titles: per title, its candidates' features and which of them
    O*NET lists the title under."""
    import lightgbm  # noqa: PLC0415 - a heavy import, needed only when trees are used

    x = np.concatenate(rows)
    y = np.concatenate(labels).astype(np.float64)
    groups = [len(r) for r in rows]
    data = lightgbm.Dataset(x, y, group=groups, feature_name=list(FEATURES), free_raw_data=True)
    booster = lightgbm.train(dict(PARAMETERS), data, ROUNDS)
    return _ranker(booster.model_to_string())


def _ranker(text: str) -> TitleRanker:
    import lightgbm  # noqa: PLC0415

    try:
        booster = lightgbm.Booster(model_str=text)
    except lightgbm.basic.LightGBMError as error:
        raise SnapshotError(f"the snapshot's title ranker cannot be read: {error}") from None
    if booster.num_feature() != len(FEATURES) or booster.feature_name() != list(FEATURES):
        raise SnapshotError(
            "the snapshot's title ranker reads other features than this version: rebuild it"
        )
    return TitleRanker(booster, text)


def encode_ranker(ranker: TitleRanker, names_digest: str) -> dict[str, Any]:
    """The snapshot table of a ranker fitted on the names whose digest is given."""
    return {
        "form": "lambdamart",
        "features": list(FEATURES),
        "rounds": ROUNDS,
        "parameters": dict(PARAMETERS),
        "names_sha256": names_digest,
        "trees_sha256": hashlib.sha256(ranker.text.encode()).hexdigest(),
        "trees": ranker.text,
    }


def decode_ranker(table: Mapping[str, Any] | None) -> TitleRanker | None:
    """The stored ranker (None when the snapshot has none, or it reads other features)."""
    if table is None:
        return None
    if table.get("form") != "lambdamart" or not isinstance(table.get("trees"), str):
        raise SnapshotError("the snapshot's title ranker is of an unknown form: rebuild it")
    if table.get("features") != list(FEATURES):
        return None
    # LightGBM aborts the process on some malformed model text: only intact trees reach it.
    if hashlib.sha256(table["trees"].encode()).hexdigest() != table.get("trees_sha256"):
        raise SnapshotError("the snapshot's title ranker is damaged (its trees' sha256 differs)")
    return _ranker(table["trees"])
