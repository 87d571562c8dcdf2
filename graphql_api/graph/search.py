"""Search over occupation titles, alternate titles and codes, and id resolution through a title model."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import random
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from graphql_api.graph.facts import CellFacts, national_facts
from graphql_api.graph.model import CareerGraph, Occupation, graph_from_snapshot
from graphql_api.graph.title_ranker import (
    RANKER_TABLE,
    TitleEvidence,
    TitleRanker,
    encode_ranker,
    gather_evidence,
    posting_positions,
    rank_features,
    train_title_ranker,
    work_kinship,
)
from graphql_api.graph.titles import (
    KIND_WEIGHTS,
    READING_TABLE,
    NamedTitle,
    TitleFeatures,
    TitleModel,
    TitleReading,
    encode_reading,
    fit_title_model,
    normalize,
    read_titles,
)
from graphql_api.snapshot import Snapshot

__all__ = [
    "Alternative",
    "IndexNames",
    "Match",
    "SearchHit",
    "SearchIndex",
    "add_title_reading",
    "build_search_index",
    "edit_distance",
    "fit_title_ranker",
    "held_out_rows",
    "index_names",
    "index_occupations",
    "listed_titles",
    "national_employment",
    "normalize",
    "occupation_kinship",
    "ranker_rows",
    "resolve_occupation",
    "resolve_title",
    "search",
    "search_index",
    "search_titles",
    "without_titles",
]

_PARENTHESES = re.compile(r"\([^)]*\)")
_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
_BARE_CODE = re.compile(r"^(\d{2})(\d{4})(\d{2})?$")
_RESIDUAL = re.compile(r",\s*all other\b", re.IGNORECASE)
_CODE_PREFIX = re.compile(r"^\d{2}(-?\d{0,4}(\.\d{0,2})?)?$")

FIELDS = ("title", "code", "alternate_title", "reported_title")
_TITLE, _CODE_FIELD, _ALTERNATE, _REPORTED = range(len(FIELDS))
# How much one name counts as evidence of its occupation in the title model. An occupation's
# own title counts three alternate titles; an alternate title more O*NET sources report counts
# more (1 + 0.5 ln sources: four sources weigh 1.7). Chosen on held-out titles; the figures
# moved top-1 by under a point either way.
TITLE_WEIGHT = 3.0
SOURCE_WEIGHT = 0.5
REPORTED_WEIGHT = 1.0
# Task statements and descriptions add words an occupation's titles lack ("trumpet" for
# musicians), at a tenth of a title each: measured +0.8 points top-1, +1.5 top-5 held out.
PROSE_WEIGHT = 0.1
# A title is resolved only when the model knows its head noun or at least half of what it says
# (weighted features after spelling correction): "Teller - Part Time - 20 hrs" resolves, and
# "xyzzy plugh" resolves to nothing.
MIN_KNOWN_SHARE = 0.5
# Between occupations listing the same name, a name's evidence (1 + 0.5 ln sources) against the
# model's probability: two sources against one (evidence 1.35 against 1.0) outweigh an 11x
# probability, four against one (1.69) a 130x one, three against two (1.55 against 1.35) a 4x
# one. Chosen on everyday titles: "project manager" stays with Project Management Specialists
# (two sources) over IT Project Managers (one, 9x likelier), while "cnc operator" and
# "research assistant" go to the operators and the research assistants the model is sure of.
EXACT_EVIDENCE_WEIGHT = 7.0
# Runner-ups whose probability is at least this share of the winner's are close: the match says so.
CLOSE_SHARE = 0.2
MAX_ALTERNATIVES = 4
# Spelling: an unknown word of at least five letters is read as the known word, among the
# SPELLING_CANDIDATES sharing most letter trigrams with it, that is one edit away (two for words
# of eight letters or more), fewest edits first: "nurce" reads "nurse", "registerd" "registered",
# while "backend" (two edits from "backer") stays unknown; shorter words are too often other
# words ("asdf" is one edit from "tsdf").
SPELLING_CANDIDATES = 30
MIN_SPELLING_LENGTH = 5


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the occupation, the name that matched, its field, and a score in [0, 1]:
    1 for an exact name or code, otherwise the probability of this occupation (the title model's,
    or with a re-ranker its softmax share among the re-ranked candidates)."""

    occupation: Occupation
    matched_text: str
    matched_field: str
    score: float


@dataclass(frozen=True, slots=True)
class Alternative:
    """A runner-up reading of an identifier: another occupation and its probability."""

    occupation: Occupation
    score: float


@dataclass(frozen=True, slots=True)
class Match:
    """How an identifier resolved to an occupation, and the close runner-ups."""

    occupation: Occupation
    matched_by: str
    matched_text: str
    score: float
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class Spelling:
    """The words titles use, for reading a misspelt or half-typed word as a known one."""

    words: tuple[str, ...]  # sorted, for prefix completion
    counts: npt.NDArray[np.float64]
    sizes: npt.NDArray[np.int32]
    postings: Mapping[str, npt.NDArray[np.int32]]

    def correct(self, word: str, *, last: bool) -> str | None:
        """The known word meant by ``word``: a completion when it is the last word typed (so
        search works as you type), else the closest by letter trigrams; None when none is close."""
        if last and len(word) >= 3:
            start = bisect_left(self.words, word)
            stop = bisect_left(self.words, word + "{")  # "{" sorts after every letter
            if stop > start:
                return self.words[start + int(np.argmax(self.counts[start:stop]))]
        if len(word) < MIN_SPELLING_LENGTH:
            return None
        grams = _trigrams(word)
        lists = [self.postings[g] for g in grams if g in self.postings]
        if not lists:
            return None
        shared = np.bincount(np.concatenate(lists), minlength=len(self.words))
        dice = 2.0 * shared / (len(grams) + self.sizes)
        nearest = np.argsort(-dice)[:SPELLING_CANDIDATES]
        allowed = 1 if len(word) < 8 else 2
        best: tuple[int, float, str] | None = None
        for candidate in nearest.tolist():
            known = self.words[candidate]
            edits = edit_distance(word, known, allowed)
            if edits <= allowed:
                # Fewest edits, then the commoner word ("plumer" is a plumber, not a flumer).
                key = (edits, -float(self.counts[candidate]), known)
                if best is None or key < best:
                    best = key
        return best[2] if best else None


@dataclass(frozen=True)
class SearchIndex:
    """Every name an occupation goes by, the title model fitted on them, and spelling."""

    occupations: tuple[Occupation, ...]
    texts: tuple[str, ...]  # normalised names, grouped by occupation
    originals: tuple[str, ...]
    owners: npt.NDArray[np.int32]
    fields: npt.NDArray[np.int8]
    starts: npt.NDArray[np.int64]  # first name of each occupation (each has at least its title)
    evidence: npt.NDArray[np.float64]  # how much each name counts (its O*NET sources)
    exact: Mapping[str, tuple[int, ...]]
    codes: tuple[tuple[str, int], ...]  # (code digits, occupation), sorted
    name_offsets: npt.NDArray[np.int64]
    name_entries: npt.NDArray[np.int32]
    name_weights: npt.NDArray[np.float64]
    feature_weights: npt.NDArray[np.float64]  # per model feature id
    # Occupations a fuzzy reading may pick: OEWS aggregates of O*NET occupations are reached by
    # their exact title or code, never instead of the occupation a title names.
    candidates: npt.NDArray[np.bool_]
    model: TitleModel
    spelling: Spelling
    # True when the names' reading came ready-made (stored in the snapshot by the builder).
    reading_stored: bool = False
    # What the title re-ranker reads, and the re-ranker (None: the title model's order is kept).
    rank_evidence: TitleEvidence | None = None
    ranker: TitleRanker | None = None


def edit_distance(a: str, b: str, bound: int) -> int:
    """Optimal-string-alignment distance (insertions, deletions, substitutions, swaps of two
    neighbours), or ``bound + 1`` as soon as it must exceed ``bound``.

    >>> edit_distance("nurce", "nurse", 1), edit_distance("registerd", "registered", 2)
    (1, 1)
    >>> edit_distance("backend", "backer", 1)
    2
    """
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > bound:
            return bound + 1
        previous2, previous = previous, current
    return previous[-1]


def _trigrams(word: str) -> set[str]:
    padded = f" {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _names(occupation: Occupation) -> list[tuple[str, int, float]]:
    """The names of an occupation: (text, field, evidence weight)."""
    names = [(occupation.title, _TITLE, TITLE_WEIGHT)]
    for title, short, sources in zip(
        occupation.alternate_titles,
        occupation.alternate_short_titles,
        occupation.alternate_title_sources,
        strict=True,
    ):
        weight = 1.0 + SOURCE_WEIGHT * math.log(max(sources, 1))
        names.append((title, _ALTERNATE, weight))
        # "Patient Care Technician (PCT)" is also found as "patient care technician", and its
        # short title "PCT" on its own (matched exactly; the model reads both in the title).
        bare = _PARENTHESES.sub(" ", title).strip()
        if bare and bare != title:
            names.append((bare, _ALTERNATE, 0.0))
        if short:
            names.append((short, _ALTERNATE, 0.0))
    names += [(title, _REPORTED, REPORTED_WEIGHT) for title in occupation.reported_titles]
    return names


def national_employment(career: CareerGraph, national: Mapping[str, CellFacts]) -> list[float]:
    """Each occupation's national employment (OEWS), 0 where none is published, from its
    national figures (``national``: code -> figures)."""
    jobs = []
    for occupation in career.occupations:
        facts = national.get(occupation.code)
        found = facts.get("employment") if facts is not None else None
        jobs.append(found or 0.0)
    return jobs


def build_search_index(career: CareerGraph) -> SearchIndex:
    """Build the search index of a career graph: a pure function of its occupations (names, tasks,
    descriptions) and their national employment.

    >>> from graphql_api.graph.tiny import tiny_career
    >>> index = build_search_index(tiny_career())
    >>> [index.occupations[int(index.owners[e])].code for e in index.exact["cna"]]
    ['31-1131.00']
    """
    names = index_names(career.occupations)
    fitted = career.title_ranker
    ranker = fitted[0] if fitted is not None and fitted[1] == names.digest() else None
    return index_occupations(
        career.occupations,
        national_employment(career, career.indexes.national_facts),
        names=names,
        ranker=ranker,
        kinship=occupation_kinship(career),
    )


def occupation_kinship(career: CareerGraph) -> npt.NDArray[np.float32] | None:
    """The :func:`~graphql_api.graph.title_ranker.work_kinship` of a graph's occupations (None
    when its snapshot has no similarity components)."""
    if career.relatedness is None:
        return None
    return work_kinship(career.relatedness.components)


@dataclass(frozen=True)
class IndexNames:
    """The names the index is built over, in a fixed order: the model's names (titles with
    their evidence weight, then task statements and the description, occupation by
    occupation) and the distinct normalised texts matched exactly, each with the model name
    it is read as."""

    model_names: tuple[NamedTitle, ...]
    texts: tuple[str, ...]
    originals: tuple[str, ...]
    owners: tuple[int, ...]
    fields: tuple[int, ...]
    same_as: tuple[int, ...]  # the model name a text is read as, -1 for none

    def digest(self) -> str:
        """A fingerprint of the model's names: a stored reading is used only for the same ones."""
        hashed = hashlib.sha256()
        for name in self.model_names:
            hashed.update(f"{name.occupation}\x1f{name.field}\x1f{name.text}\x1e".encode())
        return hashed.hexdigest()


def index_names(occupations: Sequence[Occupation]) -> IndexNames:
    """Every name of these occupations, as :func:`index_occupations` reads them."""
    model_names: list[NamedTitle] = []
    texts: list[str] = []
    originals: list[str] = []
    owners: list[int] = []
    fields: list[int] = []
    # A bare or short form (weight 0) is matched exactly but read as the title it comes from.
    same_as: list[int] = []
    for position, occupation in enumerate(occupations):
        seen: set[str] = set()
        parent = -1
        for name, field, weight in _names(occupation):
            key = normalize(name)
            if weight > 0:
                parent = len(model_names)
                model_names.append(NamedTitle(position, name, FIELDS[field], weight))
            if not key or key in seen:
                continue
            seen.add(key)
            same_as.append(parent)
            texts.append(key)
            originals.append(name)
            owners.append(position)
            fields.append(field)
        prose = [t.text for t in occupation.tasks]
        if occupation.description:
            prose.append(occupation.description)
        model_names += [NamedTitle(position, p, "task", PROSE_WEIGHT) for p in prose]
    return IndexNames(
        tuple(model_names),
        tuple(texts),
        tuple(originals),
        tuple(owners),
        tuple(fields),
        tuple(same_as),
    )


def index_occupations(
    occupations: tuple[Occupation, ...],
    employment: list[float],
    reading: TitleReading | None = None,
    names: IndexNames | None = None,
    ranker: TitleRanker | None = None,
    *,
    with_evidence: bool = False,
    kinship: npt.NDArray[np.float32] | None = None,
) -> SearchIndex:
    """The index over these occupations (what :func:`build_search_index` does once the
    employment figures are read; the held-out benchmark calls it with titles taken out).

    ``reading`` is :func:`read_titles` of these occupations' names, made ahead (when the
    snapshot was built); without it the names are read here. With a ``ranker`` (or
    ``with_evidence``, to fit one) the index also gathers what the re-ranker reads, ``kinship``
    (:func:`occupation_kinship`) among it."""
    if names is None:
        names = index_names(occupations)
    model_names, texts, same_as = names.model_names, names.texts, names.same_as
    stored = reading is not None
    if reading is None:
        reading = read_titles(model_names)
    residual = [_RESIDUAL.search(o.title) is not None for o in occupations]
    model = fit_title_model(model_names, reading, len(occupations), employment, residual)

    # Which name matched: a name-level index over the model's features, IDF-weighted, flat like
    # the model's postings (feature i's names are name_entries[name_offsets[i]:name_offsets[i+1]]).
    kinds = np.zeros(len(model.feature_ids), dtype=np.int64)
    for key, feature in model.feature_ids.items():
        kinds[feature] = "whbpg".index(key[0])
    # Each text has the features of the model name it is read as (none for -1).
    parents = np.asarray(same_as, dtype=np.int64)
    read_sizes = np.diff(reading.offsets)
    counts = np.where(parents >= 0, read_sizes[parents], 0)
    starts_at = np.where(parents >= 0, reading.offsets[:-1][parents], 0)
    entries = np.repeat(np.arange(len(parents), dtype=np.int64), counts)
    within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    flat = reading.ids[np.repeat(starts_at, counts) + within]
    frequency = np.bincount(flat, minlength=len(kinds))
    feature_weights = np.asarray(KIND_WEIGHTS)[kinds] * (
        np.log(max(len(texts), 1) / np.maximum(frequency, 1)) + 1.0
    )
    order = np.argsort(flat, kind="stable")
    name_offsets = np.zeros(len(kinds) + 1, dtype=np.int64)
    np.cumsum(frequency, out=name_offsets[1:])
    name_weights = np.bincount(entries, weights=feature_weights[flat], minlength=len(texts)).astype(
        np.float64
    )
    exact: dict[str, list[int]] = defaultdict(list)
    for entry, text in enumerate(texts):
        exact[text].append(entry)

    words: Counter[str] = Counter(w for text in texts for w in text.split() if w.isalpha())
    vocabulary = tuple(sorted(words))
    grams: dict[str, list[int]] = defaultdict(list)
    sizes = np.zeros(len(vocabulary), dtype=np.int32)
    for position, word in enumerate(vocabulary):
        found_grams = _trigrams(word)
        sizes[position] = len(found_grams)
        for gram in found_grams:
            grams[gram].append(position)

    onet_broad = {o.soc[:6] for o in occupations if o.onet}
    owner_array = np.asarray(names.owners, dtype=np.int32)
    rank_evidence = None
    if ranker is not None or with_evidence:
        rank_evidence = gather_evidence(
            texts,
            names.owners,
            [o.soc for o in occupations],
            [
                [t.text for t in o.tasks] + ([o.description] if o.description else [])
                for o in occupations
            ],
            residual,
            employment,
            kinship,
        )
    return SearchIndex(
        occupations=occupations,
        texts=texts,
        originals=names.originals,
        owners=owner_array,
        fields=np.asarray(names.fields, dtype=np.int8),
        evidence=np.array([model_names[p].weight if p >= 0 else 0.0 for p in same_as]),
        starts=np.searchsorted(owner_array, np.arange(len(occupations))).astype(np.int64),
        exact={k: tuple(v) for k, v in exact.items()},
        codes=tuple(sorted((re.sub(r"\D", "", o.code), i) for i, o in enumerate(occupations))),
        name_offsets=name_offsets,
        name_entries=entries[order].astype(np.int32),
        name_weights=name_weights,
        feature_weights=feature_weights,
        candidates=np.array([o.onet or o.soc[:6] not in onet_broad for o in occupations]),
        model=model,
        spelling=Spelling(
            words=vocabulary,
            counts=np.array([float(words[w]) for w in vocabulary]),
            sizes=sizes,
            postings={g: np.asarray(v, dtype=np.int32) for g, v in grams.items()},
        ),
        reading_stored=stored,
        rank_evidence=rank_evidence,
        ranker=ranker,
    )


# The re-ranker is fitted on the alternate titles dealt into RANKER_FOLDS folds (a fixed seed):
# each fold is taken out of the index and read back, so the trees learn from readings of titles
# the index does not hold, as a user's titles are.
RANKER_FOLDS = 5
RANKER_SEED = 0


def without_titles(occupation: Occupation, held: AbstractSet[str]) -> Occupation:
    """The occupation without the alternate titles whose normalised text is in ``held``."""
    kept = [
        (t, s, n)
        for t, s, n in zip(
            occupation.alternate_titles,
            occupation.alternate_short_titles,
            occupation.alternate_title_sources,
            strict=True,
        )
        if normalize(t) not in held
    ]
    return dataclasses.replace(
        occupation,
        alternate_titles=tuple(t for t, _, _ in kept),
        alternate_short_titles=tuple(s for _, s, _ in kept),
        alternate_title_sources=tuple(n for _, _, n in kept),
    )


def listed_titles(occupations: Sequence[Occupation]) -> dict[str, set[int]]:
    """Each distinct normalised alternate title and the occupations it is listed under."""
    listed: dict[str, set[int]] = defaultdict(set)
    for position, occupation in enumerate(occupations):
        for title in occupation.alternate_titles:
            key = normalize(title)
            if key:
                listed[key].add(position)
    return listed


def held_out_rows(
    occupations: Sequence[Occupation],
    employment: list[float],
    held: Sequence[str],
    listed: Mapping[str, set[int]],
    *,
    also_out: AbstractSet[str] = frozenset(),
    kinship: npt.NDArray[np.float32] | None = None,
) -> tuple[list[npt.NDArray[np.float64]], list[npt.NDArray[np.bool_]]]:
    """Re-ranker training rows: the ``held`` titles (and ``also_out``) are taken out of the
    index, each held title is read back, and its candidates are labelled by whether O*NET
    lists the title under them (``kinship`` is the occupations' :func:`occupation_kinship`,
    which reads no title)."""
    out = set(held) | set(also_out)
    index = index_occupations(
        tuple(without_titles(o, out) for o in occupations),
        employment,
        with_evidence=True,
        kinship=kinship,
    )
    rows, labels = [], []
    for title in held:
        reading = _model_reading(index, title)
        if reading.corrected:  # read by the title model alone (see _read)
            continue
        found = ranker_rows(index, title, reading)
        if found is None:
            continue
        candidates, features = found
        rows.append(features)
        labels.append(np.isin(candidates, sorted(listed[title])))
    return rows, labels


def fit_title_ranker(
    occupations: Sequence[Occupation],
    employment: list[float],
    progress: Callable[[str], None] = lambda m: None,
    kinship: npt.NDArray[np.float32] | None = None,
) -> TitleRanker | None:
    """Fit the title re-ranker on every alternate title, each read with its fold held out
    (None when no held-out title finds an occupation it is listed under: nothing to learn)."""
    listed = listed_titles(occupations)
    titles = sorted(listed)
    random.Random(RANKER_SEED).shuffle(titles)  # noqa: S311 - a fixed deal, not a secret
    rows: list[npt.NDArray[np.float64]] = []
    labels: list[npt.NDArray[np.bool_]] = []
    for fold in range(RANKER_FOLDS):
        progress(f"reading back held-out titles, fold {fold + 1} of {RANKER_FOLDS}")
        found_rows, found_labels = held_out_rows(
            occupations, employment, titles[fold::RANKER_FOLDS], listed, kinship=kinship
        )
        rows += found_rows
        labels += found_labels
    if not any(label.any() for label in labels):
        return None
    progress(f"fitting the title re-ranker on {len(rows)} held-out titles")
    return train_title_ranker(rows, labels)


def add_title_reading(snapshot: Snapshot, progress: Callable[[str], None] = lambda m: None) -> None:
    """Read every occupation name of a snapshot being built and store the reading in it, so
    loading fits the title model without parsing a title, and fit and store the title
    re-ranker (the builder's ``derive`` step)."""
    career = graph_from_snapshot(snapshot)
    names = index_names(career.occupations)
    table, arrays = encode_reading(read_titles(names.model_names), names.digest())
    snapshot.tables[READING_TABLE] = table
    snapshot.arrays.update(arrays)
    employment = national_employment(career, national_facts(career))
    ranker = fit_title_ranker(career.occupations, employment, progress, occupation_kinship(career))
    if ranker is not None:
        snapshot.tables[RANKER_TABLE] = encode_ranker(ranker, names.digest())


def search_index(career: CareerGraph) -> SearchIndex:
    """The search index of a career graph, prepared at load (the one accessor query code uses)."""
    return career.indexes.search


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the title model makes of a text: each candidate occupation's probability, the best
    name per occupation, and the share of the text the model knows."""

    probability: npt.NDArray[np.float64]
    best_name: npt.NDArray[np.int64]
    name_similarity: npt.NDArray[np.float64]
    known_share: float
    head_known: bool
    # Occupations the text may name (sharing something with it, or re-ranked as a candidate).
    eligible: npt.NDArray[np.bool_]
    features: TitleFeatures
    # The names sharing something with the text (ascending), and their similarity with it.
    near_names: npt.NDArray[np.int64]
    near_similarity: npt.NDArray[np.float64]
    # Names equal to the text, most likely occupation first (see _exact_entries).
    exact: tuple[int, ...]
    # Names equal to the text once its spelling is corrected ("plumer" -> "plumber"), when it
    # is no name as typed: such a text is read by the title model alone, as a name is.
    corrected: tuple[int, ...]


def _model_reading(index: SearchIndex, text: str) -> _Reading:
    """The title model's reading of the text as typed (its commas, dashes and parentheses mark
    where the title ends)."""
    model = index.model
    query = normalize(text)
    tokens = query.split()
    rewrite: dict[str, str] = {}
    known_words = index.spelling.words
    for position, token in enumerate(tokens):
        if not token.isalpha() or _is_known(known_words, token):
            continue
        corrected = index.spelling.correct(token, last=position == len(tokens) - 1)
        if corrected:
            rewrite[token] = corrected
    features = model.features(text, rewrite)
    wanted = sum(KIND_WEIGHTS[kind] for _, kind in features.keys)
    scores, known = model.log_scores(features)
    scores = np.where(index.candidates, scores, -np.inf)
    probability = np.exp(scores - scores.max())
    probability /= probability.sum()
    # Weighted Jaccard between the text and each name it shares a feature with, best name per
    # occupation (names are grouped by occupation, so the names touched are too).
    ids = [f for f in (model.feature_ids.get(key) for key, _ in features.keys) if f is not None]
    weights = index.feature_weights[ids]
    positions, lengths = posting_positions(index.name_offsets, ids)
    overlap = np.bincount(
        index.name_entries[positions],
        weights=np.repeat(weights, lengths),
        minlength=len(index.texts),
    )
    near = np.flatnonzero(overlap)
    shared = overlap[near]
    query_weight = sum(weights.tolist())  # in order, as the names' weights were summed
    similarity = shared / np.maximum(query_weight + index.name_weights[near] - shared, 1e-9)
    holders = index.owners[near]
    best = np.zeros(len(index.occupations))
    first = index.starts.copy()
    if len(near):
        bounds = np.flatnonzero(np.r_[True, holders[1:] != holders[:-1]])
        best[holders[bounds]] = np.maximum.reduceat(similarity, bounds)
        # The first name reaching each occupation's best similarity.
        at_best = np.flatnonzero(similarity == best[holders])[::-1]
        first[holders[at_best]] = near[at_best]
    head_known = features.head is not None and f"h:{features.head}" in model.feature_ids
    exact = _exact_entries(index, query, probability)
    return _Reading(
        probability,
        first,
        best,
        known / wanted if wanted else 0.0,
        head_known,
        best > 0,
        features,
        near,
        similarity,
        exact,
        _exact_entries(index, " ".join(rewrite.get(t, t) for t in tokens), probability)
        if rewrite and not exact
        else (),
    )


def ranker_rows(
    index: SearchIndex, text: str, reading: _Reading | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
    """The occupations the re-ranker weighs for a text, and their features (None: none)."""
    if index.rank_evidence is None:
        raise ValueError("this index gathered no re-ranking evidence")
    if reading is None:
        reading = _model_reading(index, text)
    return rank_features(
        model=index.model,
        evidence=index.rank_evidence,
        features=reading.features,
        query=normalize(text),
        probability=reading.probability,
        best_similarity=reading.name_similarity,
        best_field=index.fields[reading.best_name].astype(np.int64),
        name_owners=index.owners,
        near_names=reading.near_names,
        near_similarity=reading.near_similarity,
        eligible=index.candidates,
        exact_owners=list(dict.fromkeys(int(index.owners[e]) for e in reading.exact)),
        known_share=reading.known_share,
        head_known=reading.head_known,
    )


def _read(index: SearchIndex, text: str) -> _Reading:
    """What the text most likely names: the title model's reading, its candidates re-ranked by
    the index's trees when it has them (the probability is then a softmax of the trees' scores
    over the candidates, and only candidates are eligible). A text that is a name once its
    spelling is corrected keeps the title model's reading."""
    reading = _model_reading(index, text)
    # A misspelled name ("plumer") is read by the title model, as names found exactly are
    # ordered by it: the trees learn from, and re-rank, titles that are no name at all.
    if index.ranker is None or index.rank_evidence is None or reading.corrected:
        return reading
    found = ranker_rows(index, text, reading)
    if found is None:
        return reading
    candidates, rows = found
    scores = index.ranker.scores(rows)
    weights = np.exp(scores - scores.max())
    probability = np.zeros_like(reading.probability)
    probability[candidates] = weights / weights.sum()
    eligible = np.zeros(len(probability), dtype=bool)
    eligible[candidates] = True
    return replace(reading, probability=probability, eligible=eligible)


def _is_known(words: tuple[str, ...], word: str) -> bool:
    position = bisect_left(words, word)
    return position < len(words) and words[position] == word


def _code_hits(index: SearchIndex, query: str) -> list[int]:
    """Occupations whose code starts with the digits typed ("29-11" -> 29-11xx)."""
    digits = re.sub(r"\D", "", query)
    start = bisect_left(index.codes, (digits,))
    found = []
    for code, occupation in index.codes[start:]:
        if not code.startswith(digits):
            break
        found.append(occupation)
    return found


def search(career: CareerGraph, text: str, *, first: int = 10) -> list[SearchHit]:
    """Rank occupations by what ``text`` most likely means as a job title or code.

    Each occupation appears once, with its best-matching name. Exact names and codes rank first
    (score 1); then occupations sharing a word with the text, by the (re-ranked) probability
    (spelling and half-typed last words are read as the known words they are closest to).

    >>> from graphql_api.graph.tiny import tiny_career
    >>> [(h.occupation.title, h.matched_text) for h in search(tiny_career(), "nurse", first=2)]
    [('Registered Nurses', 'Staff Nurse'), ('Licensed Practical and Licensed Vocational Nurses', 'Licensed Practical Nurse')]
    """
    return search_titles(search_index(career), text, first=first)


def search_titles(index: SearchIndex, text: str, *, first: int = 10) -> list[SearchHit]:
    """:func:`search` over a given index (the held-out benchmark's indexes lack some titles)."""
    query = normalize(text)
    if not query:
        return []
    hits: list[SearchHit] = []
    taken: set[int] = set()
    if _CODE_PREFIX.match(text.strip()):
        for occupation in _code_hits(index, text.strip())[:first]:
            record = index.occupations[occupation]
            exact = record.code == text.strip() or record.soc == text.strip()
            hits.append(SearchHit(record, record.code, "code", 1.0 if exact else 0.9))
            taken.add(occupation)
        return hits
    reading = _read(index, text)
    for entry in reading.exact:
        owner = int(index.owners[entry])
        if owner not in taken:
            taken.add(owner)
            hits.append(_hit(index, owner, entry, 1.0))
    matched = np.flatnonzero(reading.eligible & index.candidates)
    order = matched[np.argsort(-reading.probability[matched], kind="stable")]
    for owner in order.tolist():
        if len(hits) >= first:
            break
        if owner not in taken:
            taken.add(owner)
            entry = int(reading.best_name[owner])
            hits.append(_hit(index, owner, entry, float(reading.probability[owner])))
    return hits[:first]


def _hit(index: SearchIndex, owner: int, entry: int, score: float) -> SearchHit:
    return SearchHit(
        occupation=index.occupations[owner],
        matched_text=index.originals[entry],
        matched_field=FIELDS[int(index.fields[entry])],
        score=round(min(score, 1.0), 4),
    )


def _exact_entries(
    index: SearchIndex, query: str, probability: npt.NDArray[np.float64]
) -> tuple[int, ...]:
    """Names equal to the text, most likely occupation first: an occupation's own title before
    names it merely goes by; then, among the occupations a name is listed under, the title
    model's log probability plus EXACT_EVIDENCE_WEIGHT times the name's evidence (its O*NET
    sources), so "Patient Care Technician (PCT)", four sources under Nursing Assistants, wins
    over one source elsewhere, while "CNC Operator", one source under the operators and two
    under the programmers, goes to the operators the model is sure of."""
    entries = index.exact.get(query, ())
    if len(entries) < 2:
        return tuple(entries)
    return tuple(
        sorted(
            entries,
            key=lambda e: (
                int(index.fields[e]) not in (_TITLE, _CODE_FIELD),
                -(
                    math.log(max(float(probability[int(index.owners[e])]), 1e-300))
                    + EXACT_EVIDENCE_WEIGHT * float(index.evidence[e])
                ),
                index.occupations[int(index.owners[e])].code,
            ),
        )
    )


def _alternatives(index: SearchIndex, reading: _Reading, chosen: int) -> tuple[Alternative, ...]:
    """The runner-ups close to the chosen occupation (probability at least CLOSE_SHARE of the
    winner's), most likely first."""
    probability = reading.probability
    top = np.argsort(-probability)[: MAX_ALTERNATIVES + 1]
    bar = CLOSE_SHARE * max(float(probability[chosen]), float(probability[top[0]]))
    return tuple(
        Alternative(index.occupations[int(o)], round(float(probability[o]), 4))
        for o in top.tolist()
        if o != chosen and probability[o] >= bar and reading.eligible[o]
    )[:MAX_ALTERNATIVES]


def resolve_occupation(career: CareerGraph, identifier: str) -> Match | None:
    """Resolve an O*NET-SOC code, SOC code, slug or title (or alternate title) to an occupation.

    Codes, slugs and exact names resolve first; any other title resolves to the title model's
    most likely occupation when the model knows enough of it, and the match lists the close
    runner-ups with their probabilities.

    >>> from graphql_api.graph.tiny import tiny_career
    >>> career = tiny_career()
    >>> match = resolve_occupation(career, "cna")
    >>> match.occupation.title, match.matched_by, match.score
    ('Nursing Assistants', 'alternate_title', 1.0)
    >>> resolve_occupation(career, "senior software engineer").occupation.title
    'Software Developers'
    """
    raw = identifier.strip()
    if not raw:
        return None
    bare = _BARE_CODE.match(raw)
    if bare:
        raw = f"{bare.group(1)}-{bare.group(2)}" + (f".{bare.group(3)}" if bare.group(3) else "")
    if _CODE.match(raw):
        return _resolve_code(career, raw)
    slug = raw.lower()
    if slug in career.by_slug:
        return Match(career.by_slug[slug], "slug", raw, 1.0)
    return resolve_title(search_index(career), raw)


def resolve_title(index: SearchIndex, text: str) -> Match | None:
    """Resolve a title (not a code or slug) over a given index: an exact name, else the title
    model's most likely occupation when the model knows enough of the text."""
    query = normalize(text)
    if not query:
        return None
    reading = _read(index, text)
    exact = reading.exact
    if exact:
        entry = exact[0]
        owner = int(index.owners[entry])
        return Match(
            index.occupations[owner],
            FIELDS[int(index.fields[entry])],
            index.originals[entry],
            1.0,
            _alternatives(index, reading, owner),
        )
    if reading.known_share < MIN_KNOWN_SHARE and not reading.head_known:
        return None
    # The same reading search ranks by: occupations sharing something with the text.
    shared = np.where(reading.eligible & index.candidates, reading.probability, -1.0)
    owner = int(np.argmax(shared))
    if shared[owner] < 0:
        return None
    entry = int(reading.best_name[owner])
    return Match(
        index.occupations[owner],
        f"closest_{FIELDS[int(index.fields[entry])]}",
        index.originals[entry],
        round(min(float(reading.probability[owner]), 0.9999), 4),
        _alternatives(index, reading, owner),
    )


def _resolve_code(career: CareerGraph, raw: str) -> Match | None:
    if raw in career.by_code:
        kind = "onet_soc_code" if "." in raw else "soc_code"
        return Match(career.by_code[raw], kind, raw, 1.0)
    if "." not in raw:
        for candidate in (f"{raw}.00", raw):
            if candidate in career.by_code:
                return Match(career.by_code[candidate], "soc_code", raw, 1.0)
        specialties = [o for o in career.occupations if o.soc == raw]
        if specialties:
            return Match(specialties[0], "soc_code", raw, 1.0)
    return None
