"""A learned re-ranker for job titles: boosted trees over the title model's candidates.

The title model (``titles.TitleModel``) reads a title as a bag of word, head-noun, pair and
prefix features and ranks occupations by query likelihood. Its fifth-best guess is often the
right one, and its misses are mostly catch-all occupations ("Production Workers, All Other").
This module re-ranks the model's first :data:`CANDIDATES` occupations, the :data:`GRAM_REACH`
occupations whose names are closest in character grams (spellings the model's words miss), and
the catch-alls of the candidates' SOC groups, with LambdaMART trees fitted on held-out O*NET
alternate titles: each fold of titles is taken out of the index, read back, and the trees learn
which readings find the occupations O*NET lists them under (``fit_title_ranker``; the builder
stores the trees in the snapshot, the loaded index only predicts).

What a tree sees per (title, occupation) is listed in :data:`FEATURES`: the model's probability
and rank, each kind of feature's evidence, the best name's similarity and field, votes of the
nearest names, a character 3-4-gram similarity (spelling and morphology the words miss:
"policeman" meets "police"), how much of the title the occupation's names and its task
statements cover, the probability mass of the occupation's SOC groups, how alike its work is to
the other candidates' (task, work-activity and description similarity, weighted by the model's
probabilities), its priors, and whether it is a catch-all.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graphql_api.graph.titles import KIND_WEIGHTS, TitleFeatures, TitleModel, prose_words, stem
from graphql_api.snapshot.container import SnapshotError

__all__ = [
    "CANDIDATES",
    "FEATURES",
    "GRAM_REACH",
    "KINSHIP_COMPONENTS",
    "RANKER_TABLE",
    "TitleEvidence",
    "TitleRanker",
    "WordHolders",
    "decode_ranker",
    "encode_ranker",
    "gather_evidence",
    "nearest_names",
    "posting_positions",
    "rank_features",
    "train_title_ranker",
    "work_kinship",
]

# The title model's first CANDIDATES occupations are re-ranked (held out, the right one is among
# them for about 92% of titles), with the first GRAM_REACH by character-gram similarity (held
# out, top-5 +0.5 points on two folds; 10 gave +0.4, 60 model candidates +0.1 more), and the
# catch-alls of the SOC minor groups of the first GROUP_REACH model candidates, and of the
# "other" minor groups (XX-9000) of the first OTHER_REACH.
CANDIDATES = 40
GRAM_REACH = 20
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
    # How many of the 30 nearest names sharing something with the title the occupation holds
    # (renamed from nearest_count_30, which also counted names sharing nothing: older trees
    # read that feature and are not used).
    "nearest_names_30",
    "nearest_vote_10",
    "word_evidence_rank",
    "pair_evidence_rank",
    # How alike the occupation's work is to the candidates the model believes in: its kinship
    # with each candidate weighted by the model's probability, and its kinship with the model's
    # first candidate (nested five-fold benchmark: top-5 0.846 -> 0.848, top-1 0.614 -> 0.612;
    # in the row-level folds, the three components read apart did no better than their mean,
    # and a mean with skills, technology and industries did worse on the first fold).
    "kinship_mass",
    "kinship_with_first",
)

# Fixed seeds, threads and deterministic mode: a rebuild from the same releases gives the same
# trees. Chosen on held-out titles (tests/benchmarks/test_title_resolution.py): 150 rounds at
# rate 0.1 with row and feature subsampling did as well as 300 at 0.05 without (top-5 +0.002 on
# two folds) in half the prediction time; 60 rounds at 0.2 within 0.001. More leaves, a deeper
# or shallower truncation, the XE-NDCG or binary objective, and twice the training readings
# (a second deal of the folds) moved top-5 by under half a point.
ROUNDS = 150
PARAMETERS: Mapping[str, Any] = {
    "objective": "lambdarank",
    "lambdarank_truncation_level": 10,
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "seed": 20261203,
    "num_threads": 2,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}


# Character grams are numbered, not sliced: each character of the names gets a small number
# (0 is "not in any name"), and a gram of 3 or 4 characters is the number whose digits in base
# len(alphabet) + 1 they are, so every 4-gram's number is above every 3-gram's.
GRAM_SIZES = (3, 4)


def _gram_codes(
    letters: npt.NDArray[np.int64], base: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The numbers of the grams in a run of character numbers (a 0 splits texts: no gram
    spans it), and where each starts."""
    codes, starts = [], []
    for size in GRAM_SIZES:
        if len(letters) < size:
            continue
        spans = len(letters) - size + 1
        code = np.zeros(spans, dtype=np.int64)
        whole = np.ones(spans, dtype=bool)
        for offset in range(size):
            digit = letters[offset : offset + spans]
            code = code * base + digit
            whole &= digit > 0
        codes.append(code[whole])
        starts.append(np.flatnonzero(whole))
    if not codes:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(codes), np.concatenate(starts)


def _query_grams(alphabet: Mapping[str, int], text: str) -> Counter[int]:
    """The numbers of a query's grams and how often each occurs (grams with a character no
    name has are left out: no name holds them)."""
    letters = [alphabet.get(c, 0) for c in f" {text} "]
    base = len(alphabet) + 1
    found: Counter[int] = Counter()
    for size in GRAM_SIZES:
        for start in range(len(letters) - size + 1):
            code = 0
            for digit in letters[start : start + size]:
                if not digit:
                    break
                code = code * base + digit
            else:
                found[code] += 1
    return found


def _group_ids(codes: Iterable[str]) -> npt.NDArray[np.int64]:
    numbering: dict[str, int] = {}
    return np.array([numbering.setdefault(c, len(numbering)) for c in codes], dtype=np.int64)


@dataclass(frozen=True)
class TitleEvidence:
    """What the re-ranker reads beside the title model, prepared once per index: character
    gram postings over each occupation's names (log counts times IDF; gram ``g``'s occupations
    are ``gram_occupations[gram_offsets[g]:gram_offsets[g + 1]]``), which occupations' names and
    task statements hold each word, each occupation's SOC groups, catch-all flag and
    employment, and how alike each two occupations' work is (``kinship``, see
    :func:`work_kinship`)."""

    alphabet: Mapping[str, int]
    gram_ids: Mapping[int, int]
    gram_offsets: npt.NDArray[np.int64]
    gram_occupations: npt.NDArray[np.int64]
    gram_values: npt.NDArray[np.float64]
    gram_idf: npt.NDArray[np.float64]
    gram_norms: npt.NDArray[np.float64]
    title_words: WordHolders
    task_words: WordHolders
    minor: npt.NDArray[np.int64]
    broad: npt.NDArray[np.int64]
    major: npt.NDArray[np.int64]
    minor_codes: tuple[str, ...]
    catch_all: npt.NDArray[np.bool_]
    log_employment: npt.NDArray[np.float64]
    kinship: npt.NDArray[np.float32]


@dataclass(frozen=True)
class WordHolders:
    """Which occupations hold each word: word ``w``'s are
    ``occupations[offsets[ids[w]]:offsets[ids[w] + 1]]``, ascending."""

    ids: Mapping[str, int]
    offsets: npt.NDArray[np.int64]
    occupations: npt.NDArray[np.int64]

    @classmethod
    def of(cls, sets: Sequence[AbstractSet[str]]) -> WordHolders:
        """The holders of the words in each occupation's set."""
        words = sorted(set().union(*sets)) if sets else []
        ids = {w: i for i, w in enumerate(words)}
        held = np.fromiter((ids[w] for found in sets for w in found), dtype=np.int64)
        holders = np.repeat(np.arange(len(sets), dtype=np.int64), [len(f) for f in sets])
        order = np.argsort(held, kind="stable")
        offsets = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(np.bincount(held, minlength=len(words)), out=offsets[1:])
        return cls(ids, offsets, holders[order])

    def cover(self, words: AbstractSet[str], size: int) -> npt.NDArray[np.float64]:
        """Per occupation, how many of the words it holds."""
        ids = [self.ids[w] for w in words if w in self.ids]
        positions, _ = posting_positions(self.offsets, ids)
        return np.bincount(self.occupations[positions], minlength=size).astype(np.float64)


def gather_evidence(  # noqa: PLR0917 - one index's parallel columns
    texts: Sequence[str],
    owners: Sequence[int],
    socs: Sequence[str],
    prose: Sequence[Sequence[str]],
    catch_all: Sequence[bool],
    employment: Sequence[float],
    kinship: npt.NDArray[np.float32] | None = None,
) -> TitleEvidence:
    """The evidence of an index: its normalised names ``texts`` with their ``owners``, per
    occupation its SOC code, its task statements and description, whether it is a catch-all
    and its employment, and the occupations' :func:`work_kinship` (None: unknown, all 0)."""
    size = len(socs)
    if kinship is None:
        kinship = np.zeros((size, size), dtype=np.float32)
    elif kinship.shape != (size, size):
        raise ValueError(f"a kinship of shape {kinship.shape} for {size} occupations")
    # The padded names in one run, a 0 between two: character numbers in code point order.
    points = np.frombuffer("\0".join(f" {t} " for t in texts).encode("utf-32-le"), np.uint32)
    present = np.bincount(points, minlength=1) > 0
    present[0] = True
    used = np.flatnonzero(present)
    alphabet = {chr(p): i for i, p in enumerate(used.tolist()) if p}
    numbers = np.zeros(len(present), dtype=np.int64)
    numbers[used] = np.arange(len(used))
    letters = numbers[points]
    base = len(alphabet) + 1
    if base ** max(GRAM_SIZES) * max(size, 1) >= 2**62:
        raise ValueError("the names use too many distinct characters to number their grams")
    codes, starts = _gram_codes(letters, base)
    # Which name, and so which occupation, each gram is in.
    text_of = np.cumsum(letters == 0)[starts]
    keys, tallies = np.unique(
        codes * size + np.asarray(owners, dtype=np.int64)[text_of], return_counts=True
    )
    gram_codes, where = np.divmod(keys, size)
    # The keys are sorted, so each gram's occupations are one run.
    runs = np.r_[True, gram_codes[1:] != gram_codes[:-1], True] if len(keys) else [True]
    offsets = np.flatnonzero(runs).astype(np.int64)
    names = gram_codes[offsets[:-1]]
    lengths = np.diff(offsets)
    idf = np.log(size / lengths).astype(np.float64)
    values = np.log1p(tallies.astype(np.float64)) * np.repeat(idf, lengths)
    norms = np.bincount(where, weights=values * values, minlength=size)
    title_words: list[set[str]] = [set() for _ in range(size)]
    for text, owner in zip(texts, owners, strict=True):
        title_words[owner].update(stem(w) for w in text.split())
    task_words = []
    for sentences in prose:
        words: set[str] = set()
        for sentence in sentences:
            words.update(prose_words(sentence))
        task_words.append(words)
    return TitleEvidence(
        alphabet=alphabet,
        gram_ids={int(g): i for i, g in enumerate(names.tolist())},
        gram_offsets=offsets,
        gram_occupations=where,
        gram_values=values,
        gram_idf=idf,
        gram_norms=np.sqrt(np.maximum(norms, 1e-12)),
        title_words=WordHolders.of(title_words),
        task_words=WordHolders.of(task_words),
        minor=_group_ids(s[:4] for s in socs),
        broad=_group_ids(s[:6] for s in socs),
        major=_group_ids(s[:2] for s in socs),
        minor_codes=tuple(s[:4] for s in socs),
        catch_all=np.asarray(catch_all, dtype=bool),
        log_employment=np.log1p(np.nan_to_num(np.asarray(employment, dtype=np.float64))),
        kinship=kinship,
    )


# What the kinship of two occupations reads: the similarity components about the work itself.
# Not the titles, words (which hold the titles) or anything fitted on O*NET's related lists: a
# held-out title must not reach the trees through its occupations' kinship.
KINSHIP_COMPONENTS = ("tasks", "activities", "description")


def work_kinship(components: Mapping[str, npt.NDArray[np.float32]]) -> npt.NDArray[np.float32]:
    """How alike each two occupations' work is: the mean of their :data:`KINSHIP_COMPONENTS`
    cosines, an unknown cosine counted as 0, and 0 for an occupation with itself."""
    total = sum(np.nan_to_num(components[c].astype(np.float64)) for c in KINSHIP_COMPONENTS)
    kinship = (np.asarray(total) / len(KINSHIP_COMPONENTS)).astype(np.float32)
    np.fill_diagonal(kinship, 0.0)
    return kinship


def posting_positions(
    offsets: npt.NDArray[np.int64], ids: Sequence[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Where postings ``ids`` lie in a flat array (posting ``i`` is ``offsets[i]`` to
    ``offsets[i + 1]``), in order, and each posting's length."""
    starts = offsets[ids]
    lengths = offsets[np.asarray(ids, dtype=np.int64) + 1] - starts
    within = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(lengths) - lengths, lengths
    )
    return np.repeat(starts, lengths) + within, lengths


def _gram_similarity(evidence: TitleEvidence, query: str) -> npt.NDArray[np.float64]:
    """Cosine of the query's character grams with each occupation's names."""
    size = len(evidence.gram_norms)
    ids, weights = [], []
    idf = evidence.gram_idf
    for gram, count in _query_grams(evidence.alphabet, query).items():
        gram_id = evidence.gram_ids.get(gram)
        if gram_id is not None:
            ids.append(gram_id)
            weights.append(math.log1p(count) * float(idf[gram_id]))
    if not ids:
        return np.zeros(size)
    positions, lengths = posting_positions(evidence.gram_offsets, ids)
    found = np.bincount(
        evidence.gram_occupations[positions],
        weights=evidence.gram_values[positions] * np.repeat(weights, lengths),
        minlength=size,
    )
    norm = math.sqrt(sum(w * w for w in weights))
    out: npt.NDArray[np.float64] = found / evidence.gram_norms / max(norm, 1e-9)
    return out


def nearest_names(
    names: npt.NDArray[np.int64], similarity: npt.NDArray[np.float64], reach: int
) -> npt.NDArray[np.int64]:
    """Positions in ``names`` of the ``reach`` names most similar to a title, nearest first
    (ties: the earlier name), given the names it shares something with (ascending) and their
    ``similarity``."""
    if len(names) > reach:
        bar = np.partition(similarity, len(names) - reach)[len(names) - reach]
        above = np.flatnonzero(similarity > bar)
        level = np.flatnonzero(similarity == bar)[: reach - len(above)]
        kept = np.concatenate([above, level])
    else:
        kept = np.arange(len(names))
    out: npt.NDArray[np.int64] = kept[np.argsort(-similarity[kept], kind="stable")]
    return out


def _ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Each value's place, largest first (ties: the earlier one first)."""
    out = np.empty(len(values), dtype=np.int64)
    out[np.argsort(-values, kind="stable")] = np.arange(len(values))
    return out


def rank_features(
    *,
    model: TitleModel,
    evidence: TitleEvidence,
    features: TitleFeatures,
    query: str,
    probability: npt.NDArray[np.float64],
    best_similarity: npt.NDArray[np.float64],
    best_field: npt.NDArray[np.int64],
    name_owners: npt.NDArray[np.int32],
    near_names: npt.NDArray[np.int64],
    near_similarity: npt.NDArray[np.float64],
    eligible: npt.NDArray[np.bool_],
    exact_owners: Sequence[int],
    known_share: float,
    head_known: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
    """The occupations to re-rank for one title and their :data:`FEATURES` (None: none).

    ``probability`` is the title model's posterior and ``best_similarity``/``best_field`` each
    occupation's best name (weighted Jaccard with the title); ``near_names`` are the names
    sharing something with the title (ascending) and ``near_similarity`` their similarity;
    ``eligible`` marks occupations a fuzzy reading may pick; ``exact_owners`` are the
    occupations of names equal to the title, most likely first."""
    size = len(probability)
    matched = np.flatnonzero((best_similarity > 0) & eligible)
    order = matched[np.argsort(-probability[matched], kind="stable")]
    chosen = list(dict.fromkeys([*exact_owners, *order[:CANDIDATES].tolist()]))[:CANDIDATES]
    if not chosen:
        return None
    minors = {evidence.minor_codes[c] for c in chosen[:GROUP_REACH]}
    minors |= {evidence.minor_codes[c][:2] + "-9" for c in chosen[:OTHER_REACH]}
    grams = _gram_similarity(evidence, query)
    spelled = np.flatnonzero((grams > 0) & eligible)
    spelled = spelled[np.argsort(-grams[spelled], kind="stable")][:GRAM_REACH]
    chosen = list(dict.fromkeys([*chosen, *spelled.tolist()]))
    taken = set(chosen)
    grouped = [
        int(r)
        for r in np.flatnonzero(evidence.catch_all & eligible).tolist()
        if evidence.minor_codes[r] in minors and r not in taken
    ]
    candidates = np.array(chosen + grouped, dtype=np.int64)
    count = len(candidates)

    kinds_count = len(KIND_WEIGHTS)
    ids: list[int] = []
    id_kinds: list[int] = []
    asked = np.zeros(kinds_count)
    for key, kind in features.keys:
        feature = model.feature_ids.get(key)
        if feature is not None:
            ids.append(feature)
            id_kinds.append(kind)
            asked[kind] += 1.0
    positions, lengths = posting_positions(model.offsets, ids)
    slots = (
        np.repeat(np.asarray(id_kinds, dtype=np.int64), lengths) * size
        + model.occupations[positions]
    )
    cells = kinds_count * size
    kinds = np.bincount(slots, weights=model.ratios[positions], minlength=cells).reshape(
        kinds_count, size
    )
    hits = np.bincount(slots, minlength=cells).reshape(kinds_count, size).astype(np.float64)

    believed = probability[candidates]
    log_probability = np.log(np.maximum(believed, 1e-300))
    head = order[:50]

    def mass(groups: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        totals = np.bincount(
            groups[head], weights=probability[head], minlength=int(groups.max()) + 1
        ).astype(np.float64)
        out: npt.NDArray[np.float64] = totals[groups[candidates]]
        return out

    nearest = nearest_names(near_names, near_similarity, max(NEAREST_NAMES))
    votes = {}
    for reach in NEAREST_NAMES:
        top = nearest[:reach]
        owners = name_owners[near_names[top]]
        votes[reach] = (
            np.bincount(owners, weights=near_similarity[top], minlength=size),
            np.bincount(owners, minlength=size).astype(np.float64),
        )
    words = {stem(w) for w in query.split()}
    share = max(len(words), 1)
    exact_rank = {owner: rank for rank, owner in enumerate(exact_owners)}
    _, broad_at, broad_counts = np.unique(
        evidence.broad[candidates], return_inverse=True, return_counts=True
    )
    best = best_similarity[candidates]
    kin = evidence.kinship[np.ix_(candidates, candidates)].astype(np.float64)
    columns = [
        log_probability - log_probability.max(),
        believed,
        np.arange(count, dtype=np.float64),
        best,
        _ranks(best),
        best - best.max(),
        np.array([exact_rank.get(c, -1) for c in candidates.tolist()], dtype=np.float64),
        best_field[candidates],
        *(kinds[k, candidates] for k in range(kinds_count)),
        *(hits[k, candidates] / max(asked[k], 1.0) for k in range(kinds_count)),
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
        evidence.title_words.cover(words, size)[candidates] / share,
        evidence.task_words.cover(words, size)[candidates] / share,
        broad_counts[broad_at].astype(np.float64),
        votes[30][0][candidates],
        votes[30][1][candidates],
        votes[10][0][candidates],
        _ranks(kinds[0, candidates]),
        _ranks(kinds[2, candidates]),
        kin @ believed,
        kin[:, int(np.argmax(believed))],
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
