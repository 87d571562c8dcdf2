"""Occupation-to-occupation similarity, computed when a snapshot is built.

Each component of :data:`graphql_api.ranker.COMPONENTS` is a cosine between two occupations'
evidence from the releases:

- ``words``: every word of their tasks, titles, description and detailed work activities
  (TF-IDF);
- ``tasks``: the words of their task statements; ``activities``: the detailed work activities
  (DWAs) their tasks are instances of; ``titles``: the words of their own, alternate and reported
  titles; ``description``: the words of their description (each TF-IDF);
- ``technology`` and ``tools``: the UNSPSC commodities of the software and tools they use (TF-IDF
  over commodity codes);
- ``skills`` and ``interests``: their rated skill importance and RIASEC interest profiles, each
  descriptor standardised over occupations first, so one every occupation rates highly does not
  dominate;
- ``industries``: their national employment shares across OEWS sectors.

O*NET's Related Occupations file is not read here: it is what the ranker is fitted against.
The inverse document frequencies and standardisation are computed over the occupations in
``fit`` (all by default), so cross-validation can keep a held-out fold's evidence out of them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graphql_api.ingest import onet as onet_reader
from graphql_api.ranker import COMPONENTS

__all__ = ["Evidence", "collect_evidence", "component_matrices", "words"]

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
        "well",
        "may",
        "including",
    ]
)
# Words (or codes) found in a single occupation's evidence say nothing about likeness.
_MIN_DOCUMENTS = 2
# An occupation's own title counts twice among its titles.
_OWN_TITLE = 2
_BAGS = ("words", "tasks", "activities", "titles", "description", "technology", "tools")
_PROFILES = ("skills", "interests", "industries")
_STANDARDISED = frozenset({"skills", "interests"})


def words(text: str) -> list[str]:
    """Lower-case words of two letters or more, common function words left out.

    >>> words("Assist patients with bathing, and the like")
    ['assist', 'patients', 'bathing', 'like']
    """
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


@dataclass(frozen=True)
class Evidence:
    """Per occupation (in snapshot order): term bags and numeric profiles (NaN rows: no data)."""

    bags: Mapping[str, Sequence[Counter[str]]]
    profiles: Mapping[str, npt.NDArray[np.float64]]

    @property
    def size(self) -> int:
        return len(self.bags["words"])


def collect_evidence(
    codes: Sequence[str],
    titles: Sequence[str],
    descriptions: Sequence[str | None],
    onet: onet_reader.OnetRelease,
    industry_shares: npt.NDArray[np.float64],
) -> Evidence:
    """Gather each occupation's evidence from the O*NET release (and its OEWS industry shares)."""
    index = {code: i for i, code in enumerate(codes)}
    n = len(codes)
    bags: dict[str, list[Counter[str]]] = {name: [Counter() for _ in range(n)] for name in _BAGS}
    for i, (title, description) in enumerate(zip(titles, descriptions, strict=True)):
        for _ in range(_OWN_TITLE):
            bags["titles"][i].update(words(title))
        bags["description"][i].update(words(description or ""))
    for alternate in onet.alternate_titles:
        if (row := index.get(alternate.code)) is not None:
            bags["titles"][row].update(words(alternate.title))
    for reported in onet.reported_titles:
        if (row := index.get(reported.code)) is not None:
            bags["titles"][row].update(words(reported.title))
    for task in onet.tasks:
        if (row := index.get(task.code)) is not None:
            bags["tasks"][row].update(words(task.text))
    activity_titles = {a.dwa_id: a.title for a in onet.work_activities}
    activity_words: list[Counter[str]] = [Counter() for _ in range(n)]
    for link in onet.task_activities:
        if (row := index.get(link.code)) is not None:
            bags["activities"][row][link.dwa_id] += 1
            activity_words[row].update(words(activity_titles.get(link.dwa_id, "")))
    for software in onet.technology:
        if (row := index.get(software.code)) is not None:
            bags["technology"][row][software.commodity_code] += 1
    for tool in onet.tools:
        if (row := index.get(tool.code)) is not None:
            bags["tools"][row][tool.commodity_code] += 1
    for i in range(n):
        for name in ("tasks", "titles", "description"):
            bags["words"][i].update(bags[name][i])
        bags["words"][i].update(activity_words[i])
    profiles = {
        "skills": _profile(
            index,
            ((r.code, r.element_id, r.importance) for r in onet.ratings if r.kind == "skill"),
        ),
        "interests": _profile(
            index, ((s.code, s.element_id, s.value) for s in onet.interests if s.scale_id == "OI")
        ),
        "industries": np.where(
            industry_shares.any(axis=1, keepdims=True), industry_shares, np.nan
        ).astype(np.float64),
    }
    return Evidence(bags, profiles)


def _profile(
    index: Mapping[str, int], values: Iterable[tuple[str, str, float | None]]
) -> npt.NDArray[np.float64]:
    columns: dict[str, int] = {}
    cells: list[tuple[int, int, float]] = []
    for code, element, value in values:
        row = index.get(code)
        if row is None or value is None:
            continue
        cells.append((row, columns.setdefault(element, len(columns)), value))
    matrix = np.full((len(index), max(len(columns), 1)), np.nan)
    for row, column, value in cells:
        matrix[row, column] = value
    # An occupation rated on only some descriptors has no comparable profile.
    matrix[np.isnan(matrix).any(axis=1)] = np.nan
    return matrix


def _cosine(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float32]:
    """Row cosines; rows that are all zero (no evidence) are NaN against everything."""
    norms = np.linalg.norm(matrix, axis=1)
    usable = norms > 0
    unit = matrix / np.where(usable, norms, 1.0)[:, None]
    out = (unit @ unit.T).astype(np.float32)
    np.clip(out, -1.0, 1.0, out=out)
    out[~usable, :] = np.nan
    out[:, ~usable] = np.nan
    return out


def _tfidf(bags: Sequence[Counter[str]], fit: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    frequency: Counter[str] = Counter()
    documents = 0
    for i, bag in enumerate(bags):
        if fit[i] and bag:
            frequency.update(bag.keys())
            documents += 1
    vocabulary = {
        term: j
        for j, term in enumerate(sorted(t for t, k in frequency.items() if k >= _MIN_DOCUMENTS))
    }
    idf = {t: math.log((1 + documents) / (1 + frequency[t])) for t in vocabulary}
    matrix = np.zeros((len(bags), len(vocabulary)), dtype=np.float64)
    for i, bag in enumerate(bags):
        for term, count in bag.items():
            j = vocabulary.get(term)
            if j is not None:
                matrix[i, j] = (1.0 + math.log(count)) * idf[term]
    return matrix


def _standardise(
    matrix: npt.NDArray[np.float64], fit: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    present = np.asarray(~np.isnan(matrix).any(axis=1), dtype=bool)
    reference = matrix[present & fit]
    mean = reference.mean(axis=0)
    spread = reference.std(axis=0)
    spread[spread == 0] = 1.0
    out: npt.NDArray[np.float64] = np.where(present[:, None], (matrix - mean) / spread, 0.0)
    return out


def component_matrices(
    evidence: Evidence, fit: npt.NDArray[np.bool_] | None = None
) -> dict[str, npt.NDArray[np.float32]]:
    """Every component's occupation x occupation cosine (NaN where a side has no evidence)."""
    mask = np.ones(evidence.size, dtype=bool) if fit is None else fit
    out: dict[str, npt.NDArray[np.float32]] = {}
    for name in COMPONENTS:
        if name in _BAGS:
            out[name] = _cosine(_tfidf(evidence.bags[name], mask))
        elif name in _STANDARDISED:
            out[name] = _cosine(_standardise(evidence.profiles[name], mask))
        else:
            out[name] = _cosine(np.nan_to_num(evidence.profiles[name], nan=0.0))
    return out
