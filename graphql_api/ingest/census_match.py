"""Match Census occupation titles (CPS tables) to SOC detailed occupations by title.

Method, in order; a SOC code matched by an earlier step is not revisited, and a step that finds
more than one Census title for a SOC code leaves it unmatched (never guess):

1. ``exact``: the Census title and the SOC title are the same string (spaces collapsed).
2. ``normalized``: the titles have the same bag of words after lower-casing, dropping
   punctuation, reading "&" as "and", singularising each word ("nurses" -> "nurse",
   "secretaries" -> "secretary"), reading "all other" / "other" / "miscellaneous" as one
   "residual line" mark (so "Other X" matches "X, all other" but never "X"), and dropping the
   filler words "and", "or", "the", "of". A bag of words also equates the word orders of
   comma-inverted titles ("Cooks, restaurant" and "Restaurant cooks").
3. ``hierarchy``: a Census line whose title equals (exactly or normalised) the title of a SOC
   broad or minor group stands for every detailed SOC occupation below that group that is
   still unmatched; the most specific group wins (broad before minor). Major groups are not
   used: a major-group line is a summary, never a stand-in for its occupations.

SOC codes left unmatched are absent from the result.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["CensusMatch", "MatchCoverage", "match_census_titles", "match_coverage", "title_key"]

_WORD = re.compile(r"[a-z0-9]+")
_DROPPED = frozenset({"all", "other", "miscellaneous", "and", "or", "the", "of"})
_RESIDUAL = frozenset({"other", "miscellaneous"})
# Words whose trailing "s" is not a plural ending.
_NOT_PLURAL = frozenset({"analysis", "series", "species", "gas", "bus", "status", "chassis"})


@dataclass(frozen=True, slots=True)
class CensusMatch:
    """The Census line a SOC code was matched to, how, and that line's indent level."""

    soc_code: str
    census_title: str
    method: str
    level: int


@dataclass(frozen=True, slots=True)
class MatchCoverage:
    """How many SOC occupations found a Census line, in all and per method."""

    matched: int
    total: int
    by_method: Mapping[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float:
        """Matched over total (0.0 when there is nothing to match)."""
        return self.matched / self.total if self.total else 0.0


def _singular(word: str) -> str:
    if word in _NOT_PLURAL or len(word) <= 3:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def title_key(title: str) -> frozenset[str]:
    """The normalised bag of words two titles must share to match (method "normalized").

    >>> title_key("Movers, All Other") == title_key("Other movers")
    True
    """
    text = title.lower().replace("&", " and ")
    words = [_singular(w) for w in _WORD.findall(text)]
    key = {w for w in words if w not in _DROPPED}
    # "Other X" is a residual line, not X itself: keep that fact in the key.
    if _RESIDUAL.intersection(words):
        key.add("<residual>")
    return frozenset(key)


def _exact(title: str) -> str:
    return " ".join(title.split())


def _unique(index: Mapping[object, list[tuple[str, int]]], key: object) -> tuple[str, int] | None:
    found = index.get(key, [])
    return found[0] if len({title for title, _ in found}) == 1 else None


def _group_prefix(code: str) -> str | None:
    """'15-1250' -> '15-125' (broad), '15-1200' -> '15-12' (minor); None for major groups."""
    major, _, digits = code.partition("-")
    stem = digits.rstrip("0")
    return f"{major}-{stem}" if stem else None


def match_census_titles(
    census_titles: Sequence[tuple[str, int]],
    soc_occupations: Sequence[tuple[str, str]],
    soc_groups: Sequence[tuple[str, str]] = (),
) -> dict[str, CensusMatch]:
    """Match (Census title, level) lines to (SOC code, title) occupations; soc_code -> match.

    >>> census = [("Registered nurses", 3), ("Cooks", 3)]
    >>> soc = [("29-1141", "Registered Nurses"), ("35-2014", "Cooks, Restaurant")]
    >>> {code: m.method for code, m in match_census_titles(census, soc).items()}
    {'29-1141': 'normalized'}
    """
    by_exact: dict[object, list[tuple[str, int]]] = defaultdict(list)
    by_key: dict[object, list[tuple[str, int]]] = defaultdict(list)
    for title, level in census_titles:
        by_exact[_exact(title)].append((_exact(title), level))
        by_key[title_key(title)].append((_exact(title), level))

    matches: dict[str, CensusMatch] = {}
    for code, soc_title in soc_occupations:
        for method, index, key in (
            ("exact", by_exact, _exact(soc_title)),
            ("normalized", by_key, title_key(soc_title)),
        ):
            found = _unique(index, key)
            if found:
                matches[code] = CensusMatch(code, found[0], method, found[1])
                break

    # Longer prefixes are more specific groups (broad before minor), so they claim codes first.
    groups = []
    for group_code, group_title in soc_groups:
        prefix = _group_prefix(group_code)
        if prefix is None:
            continue
        found = _unique(by_exact, _exact(group_title)) or _unique(by_key, title_key(group_title))
        if found:
            groups.append((prefix, found))
    groups.sort(key=lambda item: len(item[0]), reverse=True)
    for prefix, (census_title, level) in groups:
        for code, _ in soc_occupations:
            if code not in matches and code.startswith(prefix):
                matches[code] = CensusMatch(code, census_title, "hierarchy", level)
    return matches


def match_coverage(
    matches: Mapping[str, CensusMatch], soc_occupations: Sequence[tuple[str, str]]
) -> MatchCoverage:
    """Count how many of ``soc_occupations`` were matched, in all and by method."""
    codes = {code for code, _ in soc_occupations}
    found = [m for code, m in matches.items() if code in codes]
    return MatchCoverage(len(found), len(codes), dict(Counter(m.method for m in found)))
