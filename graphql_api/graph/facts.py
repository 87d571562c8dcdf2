"""Pay and employment facts of occupations from the OEWS cells, and rankings over them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt

from graphql_api.graph.model import ALL_INDUSTRIES, NATIONAL, CareerGraph, Occupation, OewsFacts

__all__ = [
    "DEFAULT_RANKINGS",
    "CellFacts",
    "Ranked",
    "Ranking",
    "cell_facts",
    "default_rankings",
    "national_facts",
    "occupation_facts",
    "top_areas",
    "top_industries",
]

# The rankings prepared at load for every occupation: what a profile page shows by default.
DEFAULT_BY = "annual_mean"
DEFAULT_MIN_EMPLOYMENT = 100.0
DEFAULT_INDUSTRY_LEVELS = frozenset({4})
DEFAULT_RANKINGS = ("state", "metro", "industry")


@dataclass(frozen=True, slots=True)
class CellFacts:
    """The 17 OEWS figures of one occupation in one area and industry, with their flags."""

    soc: str
    area: str
    industry: str
    values: dict[str, float | None]
    top_coded: frozenset[str]
    null_reasons: dict[str, str]
    footnotes: dict[str, tuple[str, ...]]
    basis: str

    def get(self, datatype: str) -> float | None:
        return self.values.get(datatype)


def _facts_at(
    career: CareerGraph, column: int, soc: str, *, area: str, industry: str, basis: str
) -> CellFacts:
    facts = career.oews
    values: dict[str, float | None] = {}
    top: set[str] = set()
    reasons: dict[str, str] = {}
    notes: dict[str, tuple[str, ...]] = {}
    for row, name in enumerate(facts.datatypes):
        values[name] = facts.number(row, column)
        note, reason = facts.note_table[int(facts.notes[row, column])]
        codes = tuple(c for c in note.split(",") if c)
        if codes:
            notes[name] = codes
        if "5" in codes:
            top.add(name)
        if reason and values[name] is None:
            reasons[name] = reason
    return CellFacts(soc, area, industry, values, frozenset(top), reasons, notes, basis)


def cell_facts(
    career: CareerGraph, soc: str, *, area: str = NATIONAL, industry: str = ALL_INDUSTRIES
) -> CellFacts | None:
    """Return the OEWS figures of an OEWS occupation code in an area and industry, if published."""
    column = career.oews.column(soc, industry, area)
    if column is None:
        return None
    return _facts_at(career, column, soc, area=area, industry=industry, basis="direct")


def occupation_facts(
    career: CareerGraph,
    occupation: Occupation,
    *,
    area: str = NATIONAL,
    industry: str = ALL_INDUSTRIES,
) -> CellFacts | None:
    """Return an occupation's OEWS figures, through its pay source (direct, inherited, aggregate)."""
    if occupation.pay_soc is None:
        return None
    if area == NATIONAL and industry == ALL_INDUSTRIES:
        return career.indexes.national_facts.get(occupation.code)
    return _uncached_facts(career, occupation, area=area, industry=industry)


def _uncached_facts(
    career: CareerGraph, occupation: Occupation, *, area: str, industry: str
) -> CellFacts | None:
    if occupation.pay_soc is None:
        return None
    column = career.oews.column(occupation.pay_soc, industry, area)
    if column is None:
        return None
    return _facts_at(
        career, column, occupation.pay_soc, area=area, industry=industry, basis=occupation.pay_basis
    )


def national_facts(career: CareerGraph) -> dict[str, CellFacts]:
    """Every occupation's national, all-industry figures (prepared at load: every profile and
    comparison reads them)."""
    out: dict[str, CellFacts] = {}
    for occupation in career.occupations:
        facts = _uncached_facts(career, occupation, area=NATIONAL, industry=ALL_INDUSTRIES)
        if facts is not None:
            out[occupation.code] = facts
    return out


@dataclass(frozen=True, slots=True)
class Ranked:
    """One entry of a ranking: the place or industry code, its value and employment."""

    code: str
    value: float
    employment: float | None
    top_coded: bool


class Ranking(Sequence[Ranked]):
    """A ranking held as its cells' column numbers, best first; entries are made when read, so
    a page of one costs one entry however many places the ranking holds."""

    __slots__ = ("_codes", "_columns", "_facts", "_positions", "_row")

    def __init__(
        self,
        facts: OewsFacts,
        by: str,
        columns: npt.NDArray[np.int64],
        positions: npt.NDArray[np.int64],
        codes: tuple[str, ...],
    ) -> None:
        self._facts = facts
        self._row = facts.datatypes.index(by)
        self._columns = columns
        self._positions = positions
        self._codes = codes

    def __len__(self) -> int:
        return len(self._columns)

    def _entry(self, i: int) -> Ranked:
        facts, row, column = self._facts, self._row, int(self._columns[i])
        employment = facts.number(facts.datatypes.index("employment"), column)
        note, _ = facts.note_table[int(facts.notes[row, column])]
        return Ranked(
            self._codes[int(self._positions[i])],
            float(facts.number(row, column) or 0.0),
            employment,
            "5" in note.split(","),
        )

    @overload
    def __getitem__(self, index: int) -> Ranked: ...
    @overload
    def __getitem__(self, index: slice) -> list[Ranked]: ...
    def __getitem__(self, index: int | slice) -> Ranked | list[Ranked]:
        if isinstance(index, slice):
            return [self._entry(i) for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return self._entry(index % len(self))

    def __iter__(self) -> Iterator[Ranked]:
        return (self._entry(i) for i in range(len(self)))


def _eligible(
    facts: OewsFacts,
    columns: npt.NDArray[np.int64],
    *,
    by: str,
    min_employment: float,
    want_area: bool,
    kinds: frozenset[str] | None,
    industry_levels: frozenset[int] | None,
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]
]:
    """The cells of ``columns`` a ranking keeps: (columns, place or industry positions, values,
    employment)."""
    area_idx = facts.area_of(columns)
    industry_idx = facts.industry_of(columns)
    national = facts.area_index[NATIONAL]
    all_industries = facts.industry_index[ALL_INDUSTRIES]
    if want_area:
        keep = (industry_idx == all_industries) & (area_idx != national)
        positions = area_idx
        if kinds is not None:
            keep &= np.isin(facts.area_kinds[positions], list(kinds))
    else:
        keep = (area_idx == national) & (industry_idx != all_industries)
        positions = industry_idx
        if industry_levels is not None:
            keep &= np.isin(facts.industry_levels[positions], list(industry_levels))
        keep &= ~facts.industry_ownership_views[positions]
    values = facts.row(by, columns)
    employment = facts.row("employment", columns)
    keep &= ~np.isnan(values) & ~np.isnan(employment) & (employment >= min_employment)
    return columns[keep], positions[keep], values[keep], employment[keep]


def _rank(
    career: CareerGraph,
    occupation: Occupation,
    *,
    by: str,
    min_employment: float,
    want_area: bool,
    kinds: frozenset[str] | None,
    industry_levels: frozenset[int] | None,
) -> Ranking:
    facts = career.oews
    codes = facts.area_codes if want_area else facts.industry_codes
    empty = np.empty(0, dtype=np.int64)
    if occupation.pay_soc is None:
        return Ranking(facts, by, empty, empty, codes)
    if by == DEFAULT_BY and min_employment == DEFAULT_MIN_EMPLOYMENT:
        name = None
        if want_area and kinds is not None and len(kinds) == 1:
            name = next(iter(kinds))
        elif not want_area and industry_levels == DEFAULT_INDUSTRY_LEVELS:
            name = "industry"
        if name in DEFAULT_RANKINGS:
            prepared = career.indexes.rankings.get((occupation.pay_soc, name))
            return prepared if prepared is not None else Ranking(facts, by, empty, empty, codes)
    columns, positions, values, employment = _eligible(
        facts,
        facts.occupation_columns(occupation.pay_soc),
        by=by,
        min_employment=min_employment,
        want_area=want_area,
        kinds=kinds,
        industry_levels=industry_levels,
    )
    # Highest value first; ties (e.g. several places at the top code) break by employment, then
    # code, so the order never depends on storage order.
    order = np.lexsort((positions, -employment, -values))
    return Ranking(facts, by, columns[order], positions[order], codes)


def default_rankings(career: CareerGraph) -> Mapping[tuple[str, str], Ranking]:
    """Every OEWS code's default rankings (states, metros, NAICS 4-digit industries by annual
    mean, at least 100 employed), keyed (code, ranking), sorted over all cells at once."""
    facts = career.oews
    every = np.arange(len(facts.keys), dtype=np.int64)
    occupations = facts.keys >> 32
    out: dict[tuple[str, str], Ranking] = {}
    for name in DEFAULT_RANKINGS:
        want_area = name != "industry"
        columns, positions, values, employment = _eligible(
            facts,
            every,
            by=DEFAULT_BY,
            min_employment=DEFAULT_MIN_EMPLOYMENT,
            want_area=want_area,
            kinds=frozenset({name}) if want_area else None,
            industry_levels=None if want_area else DEFAULT_INDUSTRY_LEVELS,
        )
        owner = occupations[columns]
        # Per occupation, the same order as _rank: value, then employment, then code.
        order = np.lexsort((positions, -employment, -values, owner))
        columns, positions, owner = columns[order], positions[order], owner[order]
        codes = facts.area_codes if want_area else facts.industry_codes
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else ()
        bounds = [*(int(i) for i in starts), len(owner)]
        for start, stop in itertools.pairwise(bounds):
            soc = facts.occupation_codes[int(owner[start])]
            out[soc, name] = Ranking(
                facts, DEFAULT_BY, columns[start:stop], positions[start:stop], codes
            )
    return out


def top_areas(
    career: CareerGraph,
    occupation: Occupation,
    *,
    kind: str = "state",
    by: str = "annual_mean",
    min_employment: float = 100.0,
) -> Ranking:
    """Rank the states or metro areas where an occupation is paid most (or by another datatype).

    ``min_employment`` keeps places with a handful of workers off the top of the list.
    """
    return _rank(
        career,
        occupation,
        by=by,
        min_employment=min_employment,
        want_area=True,
        kinds=frozenset({kind}),
        industry_levels=None,
    )


def top_industries(
    career: CareerGraph,
    occupation: Occupation,
    *,
    by: str = "annual_mean",
    min_employment: float = 100.0,
    levels: frozenset[int] | None = frozenset({4}),
) -> Ranking:
    """Rank the industries (NAICS 4-digit by default) by an OEWS datatype for an occupation."""
    return _rank(
        career,
        occupation,
        by=by,
        min_employment=min_employment,
        want_area=False,
        kinds=None,
        industry_levels=levels,
    )
