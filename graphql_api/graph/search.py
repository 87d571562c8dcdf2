"""Typo-tolerant search over occupation titles, alternate titles and codes, and id resolution."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from graphql_api.graph.model import CareerGraph, Occupation

__all__ = ["Match", "SearchHit", "SearchIndex", "normalize", "resolve_occupation", "search"]

_PARENTHESES = re.compile(r"\([^)]*\)")
_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
_BARE_CODE = re.compile(r"^(\d{2})(\d{4})(\d{2})?$")
# Below this trigram similarity a title lookup is not trusted to name an occupation.
MIN_RESOLVE_SCORE = 0.45


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, fold whitespace.

    >>> normalize("  Nurse   Practitioners, All-Other ")
    'nurse practitioners all other'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the occupation, the text that matched, how, and a score in [0, 1]."""

    occupation: Occupation
    matched_text: str
    matched_field: str
    score: float


@dataclass(frozen=True, slots=True)
class Match:
    """How an identifier resolved to an occupation."""

    occupation: Occupation
    matched_by: str
    matched_text: str
    score: float


class SearchIndex:
    """A trigram index over every name an occupation goes by."""

    FIELDS: ClassVar[tuple[str, ...]] = ("title", "code", "alternate_title", "reported_title")
    # A title match outranks the same text found among alternate titles.
    FIELD_WEIGHT: ClassVar[dict[str, float]] = {
        "title": 1.0,
        "code": 1.0,
        "reported_title": 0.97,
        "alternate_title": 0.95,
    }

    def __init__(self, career: CareerGraph) -> None:
        texts: list[str] = []
        originals: list[str] = []
        owners: list[int] = []
        fields: list[int] = []
        evidence: list[int] = []
        seen: set[tuple[int, str]] = set()
        for occupation in career.occupations:
            names = [(occupation.title, 0, 9), (occupation.code, 1, 9)]
            for title, short, sources in zip(
                occupation.alternate_titles,
                occupation.alternate_short_titles,
                occupation.alternate_title_sources,
                strict=True,
            ):
                names.append((title, 2, sources))
                # "Patient Care Technician (PCT)" is also found as "patient care technician",
                # and its short title "PCT" on its own.
                bare = _PARENTHESES.sub(" ", title).strip()
                if bare and bare != title:
                    names.append((bare, 2, sources))
                if short:
                    names.append((short, 2, sources))
            names += [(title, 3, 1) for title in occupation.reported_titles]
            for name, field, weight in names:
                key = normalize(name)
                if not key or (occupation.index, key) in seen:
                    continue
                seen.add((occupation.index, key))
                texts.append(key)
                originals.append(name)
                owners.append(occupation.index)
                fields.append(field)
                evidence.append(weight)
        postings: dict[str, list[int]] = defaultdict(list)
        sizes = np.zeros(len(texts), dtype=np.int32)
        for entry, text in enumerate(texts):
            grams = _trigrams(text)
            sizes[entry] = len(grams)
            for gram in grams:
                postings[gram].append(entry)
        self.texts = texts
        self.originals = originals
        self.owners = np.asarray(owners, dtype=np.int32)
        self.fields = np.asarray(fields, dtype=np.int8)
        self.evidence = np.asarray(evidence, dtype=np.int16)
        self.sizes = sizes
        self.postings: dict[str, npt.NDArray[np.int32]] = {
            gram: np.asarray(entries, dtype=np.int32) for gram, entries in postings.items()
        }
        self.exact: dict[str, list[int]] = defaultdict(list)
        for entry, text in enumerate(texts):
            self.exact[text].append(entry)

    def scores(self, query: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Return candidate entries and their Dice similarity to the query."""
        grams = _trigrams(query)
        lists = [self.postings[g] for g in grams if g in self.postings]
        if not lists:
            return np.empty(0, dtype=np.int64), np.empty(0)
        counts = np.bincount(np.concatenate(lists), minlength=len(self.texts))
        candidates = np.nonzero(counts)[0]
        dice = 2.0 * counts[candidates] / (len(grams) + self.sizes[candidates])
        return candidates, dice


def _index(career: CareerGraph) -> SearchIndex:
    index = career.cache.get("search_index")
    if index is None:
        index = SearchIndex(career)
        career.cache["search_index"] = index
    assert isinstance(index, SearchIndex)
    return index


def search(career: CareerGraph, text: str, *, first: int = 10) -> list[SearchHit]:
    """Rank occupations by how well any of their names matches ``text``; tolerant of typos.

    Each occupation appears once, with its best-matching name. Exact and prefix matches rank
    first; otherwise the score is the trigram Dice coefficient weighted by the name's field.
    """
    query = normalize(text)
    if not query:
        return []
    index = _index(career)
    candidates, dice = index.scores(query)
    best: dict[int, tuple[float, int]] = {}
    tokens = set(query.split())
    for entry, base in zip(candidates.tolist(), dice.tolist(), strict=True):
        name = index.texts[entry]
        score = base
        if name == query:
            score = 1.0
        elif name.startswith(query):
            score = max(score, 0.9 * (0.6 + 0.4 * len(query) / len(name)))
        elif tokens and tokens <= set(name.split()):
            score = max(score, 0.8 * (0.5 + 0.5 * len(query) / len(name)))
        score *= SearchIndex.FIELD_WEIGHT[SearchIndex.FIELDS[int(index.fields[entry])]]
        owner = int(index.owners[entry])
        current = best.get(owner)
        if current is None or score > current[0] or (score == current[0] and entry < current[1]):
            best[owner] = (score, entry)
    ranked = sorted(
        best.items(),
        key=lambda item: (
            -item[1][0],
            -int(index.evidence[item[1][1]]),
            career.occupations[item[0]].code,
        ),
    )
    hits = []
    for owner, (score, entry) in ranked[:first]:
        hits.append(
            SearchHit(
                occupation=career.occupations[owner],
                matched_text=index.originals[entry],
                matched_field=SearchIndex.FIELDS[int(index.fields[entry])],
                score=round(min(score, 1.0), 4),
            )
        )
    return hits


def resolve_occupation(career: CareerGraph, identifier: str) -> Match | None:
    """Resolve an O*NET-SOC code, SOC code, slug or title (or alternate title) to an occupation.

    A title that names no occupation exactly resolves to the best search hit when it is close
    enough; the match says how it was found.
    """
    raw = identifier.strip()
    if not raw:
        return None
    bare = _BARE_CODE.match(raw)
    if bare:
        raw = f"{bare.group(1)}-{bare.group(2)}" + (f".{bare.group(3)}" if bare.group(3) else "")
    if _CODE.match(raw):
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
    slug = raw.lower()
    if slug in career.by_slug:
        return Match(career.by_slug[slug], "slug", raw, 1.0)
    query = normalize(raw)
    index = _index(career)
    exact = index.exact.get(query, [])
    if exact:
        # Several occupations can share a title: the occupation's own title wins, then the
        # alternate title more O*NET sources report, then the lower code.
        entry = min(
            exact,
            key=lambda e: (
                int(index.fields[e]),
                -int(index.evidence[e]),
                career.occupations[int(index.owners[e])].code,
            ),
        )
        field = SearchIndex.FIELDS[int(index.fields[entry])]
        return Match(
            career.occupations[int(index.owners[entry])], field, index.originals[entry], 1.0
        )
    hits = search(career, raw, first=1)
    if hits and hits[0].score >= MIN_RESOLVE_SCORE:
        hit = hits[0]
        return Match(hit.occupation, f"closest_{hit.matched_field}", hit.matched_text, hit.score)
    return None
