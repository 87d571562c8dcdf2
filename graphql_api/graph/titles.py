"""What a job title says: its words, head noun and abbreviations, and a model that reads it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from graphql_api.snapshot.container import SnapshotError

__all__ = [
    "EMPTY",
    "NamedTitle",
    "TitleFeatures",
    "TitleModel",
    "TitleReading",
    "abbreviation_pairs",
    "decode_reading",
    "encode_reading",
    "fit_title_model",
    "head_noun",
    "normalize",
    "read_titles",
    "reader_fingerprint",
    "stem",
    "title_features",
]

# Function words carry no occupation. "it" is not one of them: in titles it is almost always
# "IT", which O*NET spells out ("IT Manager (Information Technology Manager)").
STOPWORDS = frozenset({"and", "of", "the", "for", "in", "a", "an", "to", "at", "with", "or", "on"})
# A head noun comes before these ("Director of Nursing", "Teacher for the Blind").
PREPOSITIONS = frozenset({"of", "for", "in", "at", "to", "with", "on"})
# Sentences, not titles: only their words count, not their grammar.
PROSE_FIELDS = frozenset({"task", "description"})
_PARENTHESES = re.compile(r"\(([^)]*)\)?")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
_SEGMENT = re.compile(r",|\s[-\u2013\u2014/|]+\s")

# Query-side weight of each feature kind (word, head noun, adjacent pair, word prefix). The
# figures were chosen on held-out O*NET alternate titles (tests/benchmarks/test_title_resolution):
# a heavier head noun or pair weight lost top-1, prefixes (morphology: "lecturer" meets
# "lecture") gained about a point of top-5.
KIND_WEIGHTS = (1.0, 1.0, 0.5, 0.5, 0.25)
PREFIX_LENGTH = 4
# Dirichlet smoothing mass (in weighted feature counts) of an occupation's title language model.
# Smoothing up the SOC hierarchy instead (occupation -> broad -> minor group) was measured and
# cost 1-3 points of top-5, so titles are smoothed towards all titles at once.
DIRICHLET_MU = 30.0
# Class priors, in log space: the number of titles O*NET lists for an occupation (a naive-Bayes
# class prior, sharpened: squared measured best) and its national employment (between near-equal
# readings, the occupation most people hold).
TITLE_PRIOR = 2.0
EMPLOYMENT_PRIOR = 0.15


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, fold whitespace; apostrophes join their word.

    >>> normalize("  Nurse   Practitioners, All-Other ")
    'nurse practitioners all other'
    >>> normalize("Commercial Driver's License")
    'commercial drivers license'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_WORD.sub(" ", text.lower().replace("'", "")).split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stemmer for titles: plurals, -ing and a final -e fold, so nurse, nurses and nursing
    meet, while driver and drive stay apart (they name different things).

    >>> [stem(w) for w in ["nurses", "nursing", "nurse", "technicians", "secretaries", "boss"]]
    ['nurs', 'nurs', 'nurs', 'technician', 'secretary', 'boss']
    """
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


# Words that grade a job rather than name it, as job seekers use them ("senior accountant" is an
# accountant). O*NET's titles seldom carry these, so the data cannot teach them: a short list.
# Grade words the titles do carry ("assistant", "associate", "adjunct") are learned: a first word
# whose removal leaves a title of the same occupation, in most of its uses, across many occupations.
LEVEL_WORDS = frozenset(
    stem(w)
    for w in (
        *("senior", "sr", "junior", "jr", "lead", "principal", "staff", "entry", "level"),
        *("i", "ii", "iii", "iv", "experienced", "trainee"),
    )
)
# Contractions job postings use that no O*NET title spells out (so none can be learned); a
# spelled-out pair in the titles ("Admin (Administrator)") always wins over this list.
POSTING_CONTRACTIONS: Mapping[str, tuple[str, ...]] = {
    "mgr": ("manager",),
    "coord": ("coordinator",),
    "spec": ("specialist",),
    "dir": ("director",),
    "supv": ("supervisor",),
    "supvr": ("supervisor",),
    "mgmt": ("management",),
    "svc": ("service",),
    "maint": ("maintenance",),
    "ux": ("user", "experience"),
    "dba": ("database", "administrator"),
}
GRADE_MIN_OCCUPATIONS = 20
GRADE_MIN_SHARE = 0.85


def _split_parentheses(text: str) -> tuple[str, list[str]]:
    """The title outside parentheses and the parenthesised parts."""
    inner = [m.group(1) for m in _PARENTHESES.finditer(text)]
    return _PARENTHESES.sub(" ", text), inner


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What a title says before anything is learned from the titles: its segments and
    parenthesised words, the words the model reads (stopwords out) with their stems, each
    segment's head-noun candidate, and what the head-rate and grade statistics count."""

    segments: tuple[tuple[str, ...], ...]
    inner: tuple[str, ...]
    tokens: tuple[str, ...]  # the main part's words, then the parenthesised ones
    stems: tuple[str, ...]  # the stem of each token
    main: int  # how many tokens the main part has
    heads: tuple[tuple[str, str], ...]  # per segment with one: (stem, word) of its last word
    every_stem: frozenset[str]  # stems of every word of the main part, stopwords too
    plain_last: str | None  # the last word's stem when the title is one plain phrase
    joined: str  # the main part's words


def _parsed_from(segments: tuple[tuple[str, ...], ...], inner: tuple[str, ...]) -> _Parsed:
    main = [w for s in segments for w in s if w not in STOPWORDS]
    tokens = (*main, *(w for w in inner if w not in STOPWORDS))
    heads = []
    for segment in segments:
        words = list(segment)
        for i, word in enumerate(words):
            if word in PREPOSITIONS and i > 0:
                words = words[:i]
                break
        words = [w for w in words if w not in STOPWORDS]
        if words:
            heads.append((stem(words[-1]), words[-1]))
    plain = len(segments) == 1 and not PREPOSITIONS.intersection(segments[0])
    return _Parsed(
        segments=segments,
        inner=inner,
        tokens=tokens,
        stems=tuple(map(stem, tokens)),
        main=len(main),
        heads=tuple(heads),
        every_stem=frozenset(stem(w) for s in segments for w in s),
        plain_last=stem(segments[0][-1]) if plain else None,
        joined=" ".join(" ".join(s) for s in segments),
    )


@lru_cache(maxsize=262144)
def _parse(text: str) -> _Parsed:
    """A title read once per text (nothing in it depends on what the model learns)."""
    return _parsed_from(*_segments(text))


def _segments(text: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The main part of a title as word lists cut at commas and spaced dashes, slashes or bars
    ("Teller - Part Time", "Barista / Crew Member"), and its parenthesised words.

    >>> _segments("Registered Nurse - Med/Surg (RN)")
    ((('registered', 'nurse'), ('med', 'surg')), ('rn',))
    """
    if "(" not in text and "," not in text and " " not in text.strip():
        words = tuple(normalize(text).split())
        return ((words,) if words else ()), ()
    outer, inner = _split_parentheses(text) if "(" in text else (text, [])
    segments = (tuple(normalize(s).split()) for s in _SEGMENT.split(outer))
    return tuple(s for s in segments if s), tuple(normalize(" ".join(inner)).split())


def _choose_head(heads: Sequence[tuple[str, str]], rates: Mapping[str, float]) -> str | None:
    """The candidate whose stem most often ends a title; the earliest segment on a tie."""
    if len(heads) <= 1:
        return heads[0][1] if heads else None
    best, best_rate = heads[0], rates.get(heads[0][0], 0.0)
    for candidate in heads[1:]:
        rate = rates.get(candidate[0], 0.0)
        if rate > best_rate:
            best, best_rate = candidate, rate
    return best[1]


def _is_acronym(short: str, words: Sequence[str]) -> bool:
    initials = "".join(w[0] for w in words if w not in STOPWORDS)
    return len(short) >= 2 and initials == short


def _is_contraction(short: str, word: str) -> bool:
    """``tech`` for technician, ``mgr`` for manager: same first letter, letters in order, shorter."""
    if len(short) < 2 or len(short) >= len(word) or short[0] != word[0]:
        return False
    position = 0
    for letter in short:
        position = word.find(letter, position) + 1
        if position == 0:
            return False
    return True


def _align(short: Sequence[str], long: Sequence[str]) -> list[tuple[str, tuple[str, ...]]] | None:
    """Explain each word of ``short`` as itself, an acronym of a run of ``long`` or a contraction
    of one word of it; None when the two do not align."""
    found: list[tuple[str, tuple[str, ...]]] = []
    position = 0
    for word in short:
        if position < len(long) and long[position] == word:
            position += 1
            continue
        for stop in range(len(long), position, -1):
            if _is_acronym(word, long[position:stop]):
                found.append((word, tuple(long[position:stop])))
                position = stop
                break
        else:
            if position < len(long) and _is_contraction(word, long[position]):
                found.append((word, (long[position],)))
                position += 1
            else:
                return None
    return found if position == len(long) else None


def abbreviation_pairs(title: str) -> list[tuple[str, tuple[str, ...]]]:
    """The abbreviations a title spells out, as O*NET writes them: ``Short (Long)`` or
    ``Long (Short)``.

    >>> abbreviation_pairs("Registered Nurse (RN)")
    [('rn', ('registered', 'nurse'))]
    >>> abbreviation_pairs("HVAC Tech (Heating, Ventilation, and Air Conditioning Technician)")
    [('hvac', ('heating', 'ventilation', 'and', 'air', 'conditioning')), ('tech', ('technician',))]
    >>> abbreviation_pairs("CDL Driver (Commercial Driver's License Driver)")
    [('cdl', ('commercial', 'drivers', 'license'))]
    >>> abbreviation_pairs("Chef (Cook)")
    []
    """
    outer, inner = _split_parentheses(title)
    if len(inner) != 1:
        return []
    first, second = normalize(outer).split(), normalize(inner[0]).split()
    for short, long in ((first, second), (second, first)):
        if len(short) < len(long) or sum(map(len, short)) < sum(map(len, long)):
            found = _align(short, long)
            if found:
                return found
    return []


def head_noun(text: str, head_rate: Mapping[str, float] | None = None) -> str | None:
    """The word that says what kind of work a title names: the last word before any preposition,
    in the comma segment whose last word most often ends a title (``head_rate``, learned from
    titles; without it, the first segment).

    >>> head_noun("Customer Care Technician")
    'technician'
    >>> head_noun("Director of Nursing (DON)")
    'director'
    >>> head_noun("Teachers, Special Education", {"teacher": 0.9, "education": 0.1})
    'teachers'
    """
    return _choose_head(_parse(text).heads, head_rate or {})


@dataclass(frozen=True, slots=True)
class TitleFeatures:
    """What the model reads in a title: word stems (abbreviations spelled out too), the head
    noun's stem, pairs of its main part, and the feature keys with their kind (0 word, 1 head
    noun, 2 pair, 3 word prefix, 4 grade word such as "senior")."""

    words: frozenset[str]
    head: str | None
    pairs: frozenset[str]
    keys: tuple[tuple[str, int], ...]


def _feature_keys(
    words: AbstractSet[str], head: str | None, pairs: AbstractSet[str], graded: AbstractSet[str]
) -> list[str]:
    """The feature keys, kind by kind in the order of KIND_WEIGHTS, sorted within a kind; the
    kind is the key's first letter."""
    keys = ["w:" + w for w in sorted(words)]
    if head:
        keys.append("h:" + head)
    keys += ["b:" + p for p in sorted(pairs)]
    keys += ["p:" + p for p in sorted({w[:PREFIX_LENGTH] for w in words if len(w) > PREFIX_LENGTH})]
    keys += ["g:" + g for g in sorted(graded)]
    return keys


_KIND_OF = {"w": 0, "h": 1, "b": 2, "p": 3, "g": 4}


def title_features(
    words: Iterable[str],
    head: str | None = None,
    pairs: Iterable[str] = (),
    graded: Iterable[str] = (),
) -> TitleFeatures:
    """Features from their parts; prefixes (morphology: "lecturer" meets "lecture") are derived.

    >>> title_features({"nurs", "registered"}, "nurs", {"registered_nurs"}).keys
    (('w:nurs', 0), ('w:registered', 0), ('h:nurs', 1), ('b:registered_nurs', 2), ('p:regi', 3))
    """
    word_set, pair_set = frozenset(words), frozenset(pairs)
    keys = _feature_keys(word_set, head, pair_set, frozenset(graded))
    return TitleFeatures(word_set, head, pair_set, tuple((k, _KIND_OF[k[0]]) for k in keys))


EMPTY = title_features(())


def analyse(
    text: str,
    *,
    head_rate: Mapping[str, float],
    abbreviations: Mapping[str, tuple[str, ...]],
    grades: AbstractSet[str] = LEVEL_WORDS,
    rewrite: Mapping[str, str] | None = None,
) -> TitleFeatures:
    """Read a title: stems of every word and of the abbreviations' expansions, the head noun,
    and the adjacent pairs of its main part. ``rewrite`` replaces words first (spelling).

    >>> found = analyse("RN", head_rate={"nurs": 0.9}, abbreviations={"rn": ("registered", "nurse")})
    >>> sorted(found.words), found.head
    (['nurs', 'registered', 'rn'], 'nurs')
    """
    parsed = _parse(text)
    if rewrite:
        parsed = _parsed_from(
            tuple(tuple(rewrite.get(w, w) for w in s) for s in parsed.segments),
            tuple(rewrite.get(w, w) for w in parsed.inner),
        )
    read = _read_parsed(parsed, head_rate, abbreviations, grades)
    return EMPTY if read is None else title_features(*read)


def _read_parsed(
    parsed: _Parsed,
    head_rate: Mapping[str, float],
    abbreviations: Mapping[str, tuple[str, ...]],
    grades: AbstractSet[str],
) -> tuple[set[str], str | None, set[str], set[str]] | None:
    """:func:`analyse` on a parsed title: its words, head stem, pairs and grade words (None when
    it has no words)."""
    head = _choose_head(parsed.heads, head_rate)
    words: set[str] = set()
    graded: set[str] = set()
    for raw, stemmed in zip(parsed.tokens, parsed.stems, strict=True):
        if raw != head and stemmed in grades:
            # "Senior", "Assistant" grade the job the head noun names; they do not change it.
            graded.add(stemmed)
            continue
        words.add(stemmed)
        expansion = abbreviations.get(raw)
        if expansion:
            expanded = [stem(w) for w in expansion if w not in STOPWORDS]
            words.update(expanded)
            # "RN" is a nurse: an abbreviated head noun takes its expansion's head.
            if (
                raw == head
                and expanded
                and head_rate.get(expanded[-1], 0.0) > head_rate.get(stemmed, 0.0)
            ):
                head = expansion[-1]
    if not words:
        return None
    main = parsed.main
    stems = [
        s
        for w, s in zip(parsed.tokens[:main], parsed.stems[:main], strict=True)
        if w == head or s not in grades
    ]
    head_stem = stem(head) if head else None
    # Adjacent pairs keep compounds together ("customer care"), and the first modifier with the
    # head says what kind of work ("customer>technician": support, not patient care).
    modifiers = [w for w in stems if w != head_stem]
    pairs = {f"{a}_{b}" for a, b in pairwise(stems)}
    if len(modifiers) < len(stems):
        pairs.update(f"{a}_{b}" for a, b in pairwise(modifiers))
    if modifiers and head_stem:
        pairs.add(f"{modifiers[0]}>{head_stem}")
    return words, head_stem, pairs, graded


def prose_words(text: str) -> frozenset[str]:
    """Stems of the words of a sentence (a task statement or a description): words only, since
    a sentence's grammar is no title's and its prefixes only add noise.

    >>> sorted(prose_words("Monitor patients' vital signs."))
    ['monitor', 'patient', 'sign', 'vital']
    """
    if not text.isascii():
        text = normalize(text)
    return frozenset(
        stem(w) for w in _WORD.findall(text.lower().replace("'", "")) if w not in STOPWORDS
    )


@dataclass(frozen=True, slots=True)
class NamedTitle:
    """One name an occupation goes by (or one of its task statements), and how much it counts as
    evidence of that occupation."""

    occupation: int
    text: str
    field: str
    weight: float


@dataclass(frozen=True)
class TitleModel:
    """A title language model per occupation: query likelihood with a Dirichlet prior, plus
    class priors. ``log_scores`` is the log posterior of each occupation up to a constant.

    Postings are flat: feature ``i`` occurs under ``occupations[offsets[i]:offsets[i + 1]]``, with
    ``ratios`` log(1 + count / smoothing mass) beside them."""

    size: int
    feature_ids: Mapping[str, int]
    offsets: npt.NDArray[np.int64]
    occupations: npt.NDArray[np.int32]
    ratios: npt.NDArray[np.float64]
    length_penalty: npt.NDArray[np.float64]
    prior: npt.NDArray[np.float64]
    head_rate: Mapping[str, float]
    abbreviations: Mapping[str, tuple[str, ...]]
    grades: AbstractSet[str]

    def features(self, text: str, rewrite: Mapping[str, str] | None = None) -> TitleFeatures:
        """Read a title the way the model was fitted to read titles."""
        return analyse(
            text,
            head_rate=self.head_rate,
            abbreviations=self.abbreviations,
            grades=self.grades,
            rewrite=rewrite,
        )

    def log_scores(self, features: TitleFeatures) -> tuple[npt.NDArray[np.float64], float]:
        """Log posterior (up to a constant) of every occupation given the title's features, and
        the weight of the features the model knows (0: it knows none, the scores are priors)."""
        scores = self.prior.copy()
        known = 0.0
        for key, kind in features.keys:
            feature = self.feature_ids.get(key)
            if feature is None:
                continue
            weight = KIND_WEIGHTS[kind]
            known += weight
            start, stop = int(self.offsets[feature]), int(self.offsets[feature + 1])
            scores[self.occupations[start:stop]] += weight * self.ratios[start:stop]
        scores -= known * self.length_penalty
        return scores, known


def _learn_abbreviations(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each abbreviation's most frequent expansion among the titles that spell it out."""
    votes: dict[str, Counter[tuple[str, ...]]] = defaultdict(Counter)
    for text in texts:
        if "(" in text:
            for short, long in abbreviation_pairs(text):
                votes[short][long] += 1
    return {short: counts.most_common(1)[0][0] for short, counts in votes.items()}


def _learn_head_rate(texts: Iterable[str]) -> dict[str, float]:
    """How often a word ends a plain title (no comma, no preposition): its rate of being a head."""
    parsed = [_parse(text) for text in texts]
    seen = Counter(chain.from_iterable(p.every_stem for p in parsed))
    last = Counter(p.plain_last for p in parsed if p.plain_last is not None)
    return {w: (last[w] + 0.5) / (n + 1.0) for w, n in seen.items()}


def _learn_grades(titles: Iterable[tuple[int, str]]) -> frozenset[str]:
    """First words that grade a title: "Assistant Professor" and "Professor" name one occupation.

    >>> sorted(_learn_grades([(0, "Assistant Cook"), (0, "Cook"), (1, "Line Cook")]))
    []
    """
    by_occupation: dict[int, set[str]] = defaultdict(set)
    for occupation, text in titles:
        by_occupation[occupation].add(_parse(text).joined)
    dropped: Counter[str] = Counter()
    used: Counter[str] = Counter()
    where: dict[str, set[int]] = defaultdict(set)
    for occupation, known in by_occupation.items():
        for title in known:
            first, _, rest = title.partition(" ")
            if not rest:
                continue
            used[first] += 1
            if rest in known:
                dropped[first] += 1
                where[first].add(occupation)
    return frozenset(
        stem(w)
        for w, n in dropped.items()
        if len(where[w]) >= GRADE_MIN_OCCUPATIONS and n >= GRADE_MIN_SHARE * used[w]
    )


@dataclass(frozen=True)
class TitleReading:
    """What reading the names costs, done once (Python parsing of every title and task):
    the feature keys in id order, each name's feature ids (flat: name ``i`` has
    ``ids[offsets[i]:offsets[i + 1]]``), and what was learned from the titles for reading
    queries. Fitting a :class:`TitleModel` on a reading is numpy work only, so a reading made
    when the snapshot is built can be stored and the model fitted at load."""

    keys: tuple[str, ...]
    offsets: npt.NDArray[np.int64]
    ids: npt.NDArray[np.int64]
    head_rate: Mapping[str, float]
    abbreviations: Mapping[str, tuple[str, ...]]
    grades: frozenset[str]

    def of(self, name: int) -> npt.NDArray[np.int64]:
        """The feature ids of the ``name``-th name read."""
        return self.ids[int(self.offsets[name]) : int(self.offsets[name + 1])]


def read_titles(names: Sequence[NamedTitle]) -> TitleReading:
    """Read every name: titles through their grammar (the head noun, pairs, abbreviations and
    grade words learned from these titles alone), prose through its words only.

    >>> reading = read_titles([NamedTitle(0, "Senior Cook", "alternate_title", 1.0),
    ...                        NamedTitle(0, "Cook", "alternate_title", 1.0)])
    >>> [reading.keys[i] for i in reading.of(1)]
    ['w:cook', 'h:cook']
    """
    texts = [n.text for n in names if n.field not in PROSE_FIELDS]
    abbreviations = {**POSTING_CONTRACTIONS, **_learn_abbreviations(texts)}
    head_rate = _learn_head_rate(texts)
    grades = LEVEL_WORDS | _learn_grades(
        [(n.occupation, n.text) for n in names if n.field not in PROSE_FIELDS]
    )
    # Feature ids in order of first use: looking a new key up gives it the next id.
    numbering: defaultdict[str, int] = defaultdict()
    numbering.default_factory = numbering.__len__
    number = numbering.__getitem__
    title_ids: dict[str, list[int]] = {}
    prose_ids: dict[str, list[int]] = {}
    name_ids: list[list[int]] = []
    for name in names:
        # Each distinct text is read once; most names repeat (bare forms, reported titles).
        title = name.field not in PROSE_FIELDS
        ids = (title_ids if title else prose_ids).get(name.text)
        if ids is None:
            if title:
                read = _read_parsed(_parse(name.text), head_rate, abbreviations, grades)
                ids = [] if read is None else list(map(number, _feature_keys(*read)))
                title_ids[name.text] = ids
            else:
                # Sorted: a set's order changes with the process's hash seed, and the ids
                # must not (a stored reading is part of the snapshot's bytes).
                words = sorted(prose_words(name.text))
                ids = prose_ids[name.text] = [number("w:" + w) for w in words]
        name_ids.append(ids)
    sizes = np.fromiter(map(len, name_ids), dtype=np.int64, count=len(name_ids))
    offsets = np.zeros(len(name_ids) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return TitleReading(
        keys=tuple(numbering),
        offsets=offsets,
        ids=np.fromiter(chain.from_iterable(name_ids), dtype=np.int64, count=int(offsets[-1])),
        head_rate=head_rate,
        abbreviations=abbreviations,
        grades=grades,
    )


def fit_title_model(
    names: Sequence[NamedTitle],
    reading: TitleReading,
    size: int,
    employment: Sequence[float],
    residual: Sequence[bool] | None = None,
) -> TitleModel:
    """Fit the title model on the names given and nothing else (so a held-out title stays out of
    every statistic), from their ``reading`` (:func:`read_titles` of these ``names``).
    ``residual`` marks catch-all occupations ("All Other"), whose title count is no prior.

    >>> names = [NamedTitle(0, "Registered Nurse (RN)", "alternate_title", 1.0),
    ...          NamedTitle(1, "Software Engineer", "alternate_title", 1.0)]
    >>> model = fit_title_model(names, read_titles(names), 2, [100.0, 100.0])
    >>> scores, known = model.log_scores(model.features("rn"))
    >>> int(scores.argmax()), known > 0
    (0, True)
    """
    if len(reading.offsets) != len(names) + 1:
        raise ValueError(f"a reading of {len(reading.offsets) - 1} names, not {len(names)}")
    is_title = np.fromiter(
        (n.field not in PROSE_FIELDS for n in names), dtype=bool, count=len(names)
    )
    sizes = np.diff(reading.offsets)
    name_owner = np.fromiter((n.occupation for n in names), dtype=np.int64, count=len(names))
    name_weight = np.fromiter((n.weight for n in names), dtype=np.float64, count=len(names))
    rows = reading.ids
    owners = np.repeat(name_owner, sizes)
    weights = np.repeat(name_weight, sizes)
    lengths = np.bincount(name_owner, weights=name_weight * sizes, minlength=size)
    title_counts = np.bincount(name_owner[is_title], minlength=size).astype(np.float64)
    # Sum the weights per (feature, occupation), in feature order.
    pair = rows * max(size, 1) + owners
    unique, inverse = np.unique(pair, return_inverse=True)
    counts = np.bincount(inverse, weights=weights)
    feature_of = unique // max(size, 1)
    per_feature = np.bincount(feature_of, weights=counts, minlength=len(reading.keys))
    total = float(lengths.sum()) or 1.0
    background = DIRICHLET_MU * per_feature[feature_of] / total
    offsets = np.zeros(len(reading.keys) + 1, dtype=np.int64)
    np.cumsum(np.bincount(feature_of, minlength=len(reading.keys)), out=offsets[1:])
    if residual is not None and size:
        # A residual class ("Health Technologists and Technicians, All Other") holds the titles
        # no other occupation took: their number says nothing of how often the class is meant.
        leftover = np.asarray(residual, dtype=bool)
        title_counts[leftover] = np.minimum(title_counts[leftover], np.median(title_counts))
    jobs = np.nan_to_num(np.asarray(employment, dtype=np.float64))
    prior = TITLE_PRIOR * np.log1p(title_counts) + EMPLOYMENT_PRIOR * np.log1p(jobs)
    return TitleModel(
        size=size,
        feature_ids={key: i for i, key in enumerate(reading.keys)},
        offsets=offsets,
        occupations=(unique % max(size, 1)).astype(np.int32),
        ratios=np.log1p(counts / background),
        length_penalty=np.log(lengths + DIRICHLET_MU),
        prior=prior,
        head_rate=reading.head_rate,
        abbreviations=reading.abbreviations,
        grades=reading.grades,
    )


# A stored reading is part of the snapshot: a table of what was learned and two arrays of ids.
READING_TABLE = "title_reading"
READING_OFFSETS = "title_reading_offsets"
READING_IDS = "title_reading_ids"


@lru_cache(maxsize=1)
def reader_fingerprint() -> str | None:
    """The sha256 of this module's source: a reading stored by other reading rules than these is
    not used (None when the source cannot be read, and then no stored reading is used)."""
    try:
        return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    except OSError:
        return None


def encode_reading(
    reading: TitleReading, names_digest: str
) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
    """The snapshot table and arrays of a reading of the names whose digest is given."""
    table: dict[str, Any] = {
        "fingerprint": reader_fingerprint(),
        "names_sha256": names_digest,
        "keys": list(reading.keys),
        "head_rate": dict(sorted(reading.head_rate.items())),
        "abbreviations": {k: list(v) for k, v in sorted(reading.abbreviations.items())},
        "grades": sorted(reading.grades),
    }
    arrays: dict[str, npt.NDArray[Any]] = {
        READING_OFFSETS: reading.offsets.astype(np.int64),
        READING_IDS: reading.ids.astype(np.int32),
    }
    return table, arrays


def decode_reading(
    table: Mapping[str, Any] | None, arrays: Mapping[str, npt.NDArray[Any]]
) -> tuple[TitleReading, str] | None:
    """A stored reading and the digest of the names it reads, or None when the snapshot has
    none or it was made by other reading rules (the index then reads the names at load)."""
    fingerprint = reader_fingerprint()
    if table is None or fingerprint is None or table.get("fingerprint") != fingerprint:
        return None
    offsets = np.asarray(arrays[READING_OFFSETS], dtype=np.int64)
    ids = np.asarray(arrays[READING_IDS], dtype=np.int64)
    keys = tuple(table["keys"])
    if (
        len(offsets) == 0
        or int(offsets[-1]) != len(ids)
        or (len(ids) and int(ids.max()) >= len(keys))
    ):
        raise SnapshotError("the snapshot's stored title reading is inconsistent: rebuild it")
    reading = TitleReading(
        keys=keys,
        offsets=offsets,
        ids=ids,
        head_rate={k: float(v) for k, v in table["head_rate"].items()},
        abbreviations={k: tuple(v) for k, v in table["abbreviations"].items()},
        grades=frozenset(table["grades"]),
    )
    return reading, str(table["names_sha256"])
