"""Side-by-side comparison of two or more occupations, with plain-English summary sentences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graphql_api.graph.facts import CellFacts, occupation_facts, top_areas
from graphql_api.graph.model import CareerGraph, Occupation
from graphql_api.graph.related import SkillPair, skill_pairs, skill_profile
from graphql_api.graph.similarity import COMPONENTS, DEFAULT_WEIGHTS, similarity_model

__all__ = [
    "MEASURES",
    "Comparison",
    "Measure",
    "MeasureSpec",
    "compare",
    "compare_many",
    "measure_values",
]


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """A numeric measure every comparison carries: its name, unit and how to read it."""

    name: str
    label: str
    unit: str
    value: Callable[[CareerGraph, Occupation], float | None]


def _oews(datatype: str) -> Callable[[CareerGraph, Occupation], float | None]:
    def read(career: CareerGraph, occupation: Occupation) -> float | None:
        facts: CellFacts | None = occupation_facts(career, occupation)
        return facts.get(datatype) if facts is not None else None

    return read


def _job_zone(career: CareerGraph, occupation: Occupation) -> float | None:
    return float(occupation.job_zone) if occupation.job_zone is not None else None


MEASURES: list[MeasureSpec] = [
    MeasureSpec("annualMedianWage", "median annual wage", "USD", _oews("annual_median")),
    MeasureSpec("annualMeanWage", "mean annual wage", "USD", _oews("annual_mean")),
    MeasureSpec("hourlyMedianWage", "median hourly wage", "USD/hour", _oews("hourly_median")),
    MeasureSpec("hourlyMeanWage", "mean hourly wage", "USD/hour", _oews("hourly_mean")),
    MeasureSpec("annualP10Wage", "10th percentile annual wage", "USD", _oews("annual_p10")),
    MeasureSpec("annualP90Wage", "90th percentile annual wage", "USD", _oews("annual_p90")),
    MeasureSpec("employment", "jobs (national, OEWS)", "jobs", _oews("employment")),
    MeasureSpec("jobsPer1000", "jobs per 1,000", "per 1,000 jobs", _oews("jobs_per_1000")),
    MeasureSpec("jobZone", "O*NET Job Zone", "zone 1-5", _job_zone),
]


@dataclass(frozen=True, slots=True)
class Measure:
    """One numeric measure for two occupations: both values, difference, ratio, which is higher."""

    name: str
    label: str
    unit: str
    a: float | None
    b: float | None

    @property
    def difference(self) -> float | None:
        return None if self.a is None or self.b is None else round(self.b - self.a, 4)

    @property
    def ratio(self) -> float | None:
        if self.a is None or self.b is None or self.a == 0:
            return None
        return round(self.b / self.a, 4)

    @property
    def higher(self) -> str | None:
        if self.a is None or self.b is None:
            return None
        if self.a == self.b:
            return "equal"
        return "a" if self.a > self.b else "b"


def measure_values(career: CareerGraph, occupation: Occupation) -> dict[str, float | None]:
    """Every comparison measure of one occupation, by name."""
    return {spec.name: spec.value(career, occupation) for spec in MEASURES}


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything a comparison page shows for two occupations."""

    a: Occupation
    b: Occupation
    measures: tuple[Measure, ...]
    shared_skills: tuple[SkillPair, ...]
    only_a: tuple[SkillPair, ...]
    only_b: tuple[SkillPair, ...]
    skill_gap: tuple[SkillPair, ...]
    similarity: float | None
    components: dict[str, float | None]
    common_related: tuple[Occupation, ...]
    summary: tuple[str, ...]


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _top_names(career: CareerGraph, occupation: Occupation, count: int = 3) -> list[str]:
    profile = skill_profile(career, occupation)
    ranked = sorted(
        (s for s in profile.values() if s.descriptor.kind != "technology"),
        key=lambda s: (-s.score, s.descriptor.id),
    )
    return [s.descriptor.name for s in ranked[:count]]


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _summary(
    career: CareerGraph, a: Occupation, b: Occupation, measures: dict[str, Measure], shared: int
) -> list[str]:
    sentences: list[str] = []
    wage = measures["annualMedianWage"]
    if wage.a is not None and wage.b is not None and wage.a != wage.b:
        high, low = (a, b) if wage.a > wage.b else (b, a)
        hv, lv = max(wage.a, wage.b), min(wage.a, wage.b)
        sentences.append(
            f"{high.title} earn {_money(hv - lv)} more per year than {low.title} at the median "
            f"({_money(hv)} vs {_money(lv)}, {100 * (hv / lv - 1):.0f}% more)."
        )
    elif wage.a is not None and wage.b is not None:
        sentences.append(
            f"{a.title} and {b.title} have the same median annual wage ({_money(wage.a)})."
        )
    jobs = measures["employment"]
    if jobs.a is not None and jobs.b is not None and jobs.a != jobs.b:
        more, fewer = (a, b) if jobs.a > jobs.b else (b, a)
        sentences.append(
            f"There are more {more.title.lower()} jobs ({max(jobs.a, jobs.b):,.0f}) than "
            f"{fewer.title.lower()} jobs ({min(jobs.a, jobs.b):,.0f}) in the U.S."
        )
    zone = measures["jobZone"]
    if zone.a is not None and zone.b is not None and zone.a != zone.b:
        more_prep = a if zone.a > zone.b else b
        sentences.append(
            f"{more_prep.title} need more preparation (Job Zone {max(zone.a, zone.b):.0f} vs {min(zone.a, zone.b):.0f})."
        )
    for occupation in (a, b):
        names = _top_names(career, occupation)
        if names:
            sentences.append(f"The top skills of {occupation.title.lower()} are {_join(names)}.")
    for occupation in (a, b):
        best = top_areas(career, occupation, kind="state")
        if best:
            place = career.areas[best[0].code].name
            sentences.append(
                f"{occupation.title} are paid most in {place} ({_money(best[0].value)} mean)."
            )
    if shared:
        sentences.append(f"They share {shared} important skills.")
    return sentences


def compare(
    career: CareerGraph, a: Occupation, b: Occupation, *, weights: dict[str, float] | None = None
) -> Comparison:
    """Compare two occupations: every measure side by side, skills shared and not, similarity."""
    values_a = measure_values(career, a)
    values_b = measure_values(career, b)
    measures = {
        spec.name: Measure(
            spec.name, spec.label, spec.unit, values_a[spec.name], values_b[spec.name]
        )
        for spec in MEASURES
    }
    shared, only_a, only_b, gaps = skill_pairs(career, a, b)
    model = similarity_model(career)
    composite = float(model.composite(weights or DEFAULT_WEIGHTS)[a.index, b.index])
    related_a = {code for code, _, _ in career.related.get(a.code, ())}
    related_b = {code for code, _, _ in career.related.get(b.code, ())}
    common = tuple(career.by_code[c] for c in sorted(related_a & related_b) if c in career.by_code)
    return Comparison(
        a=a,
        b=b,
        measures=tuple(measures.values()),
        shared_skills=tuple(shared),
        only_a=tuple(only_a),
        only_b=tuple(only_b),
        skill_gap=tuple(gaps),
        similarity=None if math.isnan(composite) else round(composite, 4),
        components={
            name: (round(v, 4) if v is not None else None)
            for name, v in model.components(a.index, b.index).items()
            if name in COMPONENTS
        },
        common_related=common,
        summary=tuple(_summary(career, a, b, measures, len(shared))),
    )


def compare_many(
    career: CareerGraph, occupations: Sequence[Occupation]
) -> tuple[list[dict[str, float | None]], list[list[float | None]]]:
    """Return every measure per occupation and the pairwise composite similarity matrix."""
    model = similarity_model(career)
    composite = model.composite()
    rows = [measure_values(career, o) for o in occupations]
    matrix: list[list[float | None]] = []
    for x in occupations:
        line: list[float | None] = []
        for y in occupations:
            value = 1.0 if x.index == y.index else float(composite[x.index, y.index])
            line.append(None if math.isnan(value) else round(value, 4))
        matrix.append(line)
    return rows, matrix
