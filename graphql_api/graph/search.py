"""Typo-tolerant search over occupation titles, alternate titles and codes, and id resolution."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from graphql_api.graph.facts import occupation_facts
from graphql_api.graph.model import CareerGraph, Occupation

__all__ = ["Match", "SearchHit", "SearchIndex", "normalize", "resolve_occupation", "search"]

_PARENTHESES = re.compile(r"\([^)]*\)")
_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
_BARE_CODE = re.compile(r"^(\d{2})(\d{4})(\d{2})?$")
# Below this similarity a title lookup is not trusted to name an occupation: measured on typed
# titles, wrong picks ("patient care technician" -> Patient Representatives) sit below 0.5 and
# right ones with typos ("registerd nurse" 0.56) above it.
MIN_RESOLVE_SCORE = 0.5
# Up to 3% more score for the occupation with the most jobs (log scale).
POPULARITY_WEIGHT = 0.03
# Up to 4% more score for an alternate title that four or more O*NET sources report.
EVIDENCE_WEIGHT = 0.04


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, fold whitespace.

    >>> normalize("  Nurse   Practitioners, All-Other ")
    'nurse practitioners all other'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _fold(text: str) -> list[str]:
    """Words of a normalised text with plurals folded ("nurses" meets "nurse")."""
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in text.split()
    ]


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
        # Word-level index, IDF-weighted: "customer care technician" should meet "customer care
        # representative" (rarer words shared) before "customer data technician".
        token_postings: dict[str, list[int]] = defaultdict(list)
        for entry, text in enumerate(texts):
            for token in set(_fold(text)):
                token_postings[token].append(entry)
        count = max(len(texts), 1)
        self.idf = {t: math.log(count / len(e)) + 1.0 for t, e in token_postings.items()}
        self.unknown_idf = math.log(count) + 1.0
        self.token_postings = {t: np.asarray(e, dtype=np.int32) for t, e in token_postings.items()}
        self.token_norms = np.zeros(len(texts))
        for entry, text in enumerate(texts):
            self.token_norms[entry] = math.sqrt(sum(self.idf[t] ** 2 for t in set(_fold(text))))
        # A small popularity prior: between near-equal names, the occupation with more jobs is
        # the likelier meaning ("truck driver" -> heavy truck drivers before freight forwarders).
        jobs = np.array([_national_jobs(career, o) for o in career.occupations])
        scale = math.log10(1.0 + float(jobs.max())) if jobs.size and jobs.max() > 0 else 1.0
        self.prior = 1.0 + POPULARITY_WEIGHT * np.log10(1.0 + jobs) / scale
        self.exact: dict[str, list[int]] = defaultdict(list)
        for entry, text in enumerate(texts):
            self.exact[text].append(entry)

    def weight(self, entry: int) -> float:
        """How much a match on this name counts: its field, how many O*NET sources report it
        (an alternate title four sources report beats one reported once), and how many jobs the
        occupation has."""
        field = self.FIELD_WEIGHT[self.FIELDS[int(self.fields[entry])]]
        evidence = 1.0 + EVIDENCE_WEIGHT * (min(int(self.evidence[entry]), 4) - 1) / 3
        return field * evidence * float(self.prior[int(self.owners[entry])])

    def scores(self, query: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Return candidate entries and their similarity to the query.

        The mean of the trigram Dice coefficient (typo-tolerant) and the IDF-weighted cosine of
        the words (which words matter).
        """
        grams = _trigrams(query)
        lists = [self.postings[g] for g in grams if g in self.postings]
        if not lists:
            return np.empty(0, dtype=np.int64), np.empty(0)
        counts = np.bincount(np.concatenate(lists), minlength=len(self.texts))
        candidates = np.nonzero(counts)[0]
        dice = 2.0 * counts[candidates] / (len(grams) + self.sizes[candidates])
        words = set(_fold(query))
        overlap = np.zeros(len(self.texts))
        for word in words:
            entries = self.token_postings.get(word)
            if entries is not None:
                overlap[entries] += self.idf[word] ** 2
        query_norm = math.sqrt(sum(self.idf.get(w, self.unknown_idf) ** 2 for w in words)) or 1.0
        norms = self.token_norms[candidates]
        cosine = np.divide(
            overlap[candidates], norms * query_norm, out=np.zeros(len(candidates)), where=norms > 0
        )
        return candidates, 0.5 * dice + 0.5 * cosine


def _national_jobs(career: CareerGraph, occupation: Occupation) -> float:
    facts = occupation_facts(career, occupation)
    jobs = facts.get("employment") if facts is not None else None
    return jobs or 0.0


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
        owner = int(index.owners[entry])
        # Ranked uncapped (so weights still order exact matches); shown capped at 1.
        score *= index.weight(entry)
        current = best.get(owner)
        if current is None or score > current[0] or (score == current[0] and entry < current[1]):
            best[owner] = (score, entry)
    ranked = sorted(
        best.items(),
        key=lambda item: (-item[1][0], career.occupations[item[0]].code),
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
                int(index.fields[e] > 1),  # the occupation's own title or code first
                -index.weight(e),
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
