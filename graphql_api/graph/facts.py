"""Pay and employment facts of occupations from the OEWS cells, and rankings over them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphql_api.graph.model import ALL_INDUSTRIES, NATIONAL, CareerGraph, Occupation

__all__ = [
    "CellFacts",
    "cell_facts",
    "occupation_facts",
    "top_areas",
    "top_industries",
]


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
    column = career.oews.column(occupation.pay_soc, industry, area)
    if column is None:
        return None
    return _facts_at(
        career, column, occupation.pay_soc, area=area, industry=industry, basis=occupation.pay_basis
    )


@dataclass(frozen=True, slots=True)
class Ranked:
    """One entry of a ranking: the place or industry code, its value and employment."""

    code: str
    value: float
    employment: float | None
    top_coded: bool


def _rank(
    career: CareerGraph,
    occupation: Occupation,
    *,
    by: str,
    min_employment: float,
    want_area: bool,
    kinds: frozenset[str] | None,
    industry_levels: frozenset[int] | None,
) -> list[Ranked]:
    facts = career.oews
    if occupation.pay_soc is None:
        return []
    columns = facts.occupation_columns(occupation.pay_soc)
    if columns.size == 0:
        return []
    area_idx = facts.area_of(columns)
    industry_idx = facts.industry_of(columns)
    national = facts.area_index[NATIONAL]
    all_industries = facts.industry_index[ALL_INDUSTRIES]
    if want_area:
        mask = (industry_idx == all_industries) & (area_idx != national)
    else:
        mask = (area_idx == national) & (industry_idx != all_industries)
    columns = columns[mask]
    values = facts.row(by, columns)
    employment = facts.row("employment", columns)
    keep = ~np.isnan(values) & ~np.isnan(employment) & (employment >= min_employment)
    if want_area:
        positions = facts.area_of(columns)
        if kinds is not None:
            keep &= np.isin(facts.area_kinds[positions], list(kinds))
        codes = facts.area_codes
    else:
        positions = facts.industry_of(columns)
        if industry_levels is not None:
            keep &= np.isin(facts.industry_levels[positions], list(industry_levels))
        keep &= ~facts.industry_ownership_views[positions]
        codes = facts.industry_codes
    columns, values, employment, positions = (
        columns[keep],
        values[keep],
        employment[keep],
        positions[keep],
    )
    # Highest value first; ties (e.g. several places at the top code) break by employment, then
    # code, so the order never depends on storage order.
    order = np.lexsort((positions, -employment, -values))
    row = facts.datatypes.index(by)
    out: list[Ranked] = []
    for i in order:
        note, _ = facts.note_table[int(facts.notes[row, columns[i]])]
        out.append(
            Ranked(
                codes[int(positions[i])],
                float(values[i]),
                float(employment[i]),
                "5" in note.split(","),
            )
        )
    return out


def top_areas(
    career: CareerGraph,
    occupation: Occupation,
    *,
    kind: str = "state",
    by: str = "annual_mean",
    min_employment: float = 100.0,
) -> list[Ranked]:
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
) -> list[Ranked]:
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
