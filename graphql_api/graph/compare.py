"""Side-by-side comparison of two or more occupations, with plain-English summary sentences."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from graphql_api.graph.facts import CellFacts, occupation_facts, top_areas
from graphql_api.graph.model import CareerGraph, Occupation
from graphql_api.graph.outlook import (
    Demographics,
    EducationProfile,
    Outlook,
    demographics,
    education,
    experience,
    outlook,
)
from graphql_api.graph.related import SkillPair, skill_pairs
from graphql_api.graph.similarity import COMPONENTS, similarity_model

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


# BLS Table 1.2 prints employment, change and openings in thousands.
_PER_THOUSAND = 1000


def _projected(field: str) -> Callable[[CareerGraph, Occupation], float | None]:
    def read(career: CareerGraph, occupation: Occupation) -> float | None:
        found = outlook(career, occupation)
        if found is None:
            return None
        value: float = getattr(found, field)
        return value if field == "percent_change" else float(round(value * _PER_THOUSAND))

    return read


def _census(field: str) -> Callable[[CareerGraph, Occupation], float | None]:
    def read(career: CareerGraph, occupation: Occupation) -> float | None:
        found = demographics(career, occupation)
        value: float | None = getattr(found, field) if found is not None else None
        return value

    return read


def _degree_share(career: CareerGraph, occupation: Occupation) -> float | None:
    found = education(career, occupation)
    return found.most_common_share if found is not None else None


def _experience_years(career: CareerGraph, occupation: Occupation) -> float | None:
    found = experience(career, occupation)
    years = found.typical_years if found is not None else None
    return None if years is None else round(years, 2)


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
    MeasureSpec(
        "growthPercent",
        "projected employment growth, 2024-34 (BLS)",
        "percent",
        _projected("percent_change"),
    ),
    MeasureSpec(
        "employmentChange",
        "projected employment change, 2024-34 (BLS)",
        "jobs",
        _projected("employment_change"),
    ),
    MeasureSpec(
        "projectedEmployment",
        "projected employment in 2034 (BLS)",
        "jobs",
        _projected("employment_2034"),
    ),
    MeasureSpec(
        "annualOpenings",
        "openings per year, 2024-34 average (BLS)",
        "jobs per year",
        _projected("annual_openings"),
    ),
    MeasureSpec(
        "mostCommonDegreeShare",
        "share of workers holding the most common degree",
        "percent",
        _degree_share,
    ),
    MeasureSpec(
        "typicalExperienceYears",
        "typical related work experience (O*NET)",
        "years",
        _experience_years,
    ),
    MeasureSpec("medianAge", "median age of workers (CPS)", "years", _census("median_age")),
    MeasureSpec("womenShare", "women (CPS)", "percent of workers", _census("women_share")),
    MeasureSpec("whiteShare", "White (CPS)", "percent of workers", _census("white_share")),
    MeasureSpec(
        "blackShare",
        "Black or African American (CPS)",
        "percent of workers",
        _census("black_share"),
    ),
    MeasureSpec("asianShare", "Asian (CPS)", "percent of workers", _census("asian_share")),
    MeasureSpec(
        "hispanicShare",
        "Hispanic or Latino, of any race (CPS)",
        "percent of workers",
        _census("hispanic_share"),
    ),
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
        # A ratio of signed changes (growth of 2% vs a decline of 5%) means nothing.
        if self.a is None or self.b is None or self.a <= 0 or self.b < 0:
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


class Comparison:
    """Everything a comparison page shows for two occupations, each part computed when first read.

    A query that asks only for ``similarity`` pays for no measures, skill pairs or summary.

    >>> from graphql_api.graph.tiny import tiny_career
    >>> career = tiny_career()
    >>> pair = compare(career, career.by_code["31-1131.00"], career.by_code["29-1141.00"])
    >>> next(m for m in pair.measures if m.name == "annualMedianWage").difference
    52000.0
    """

    def __init__(
        self,
        career: CareerGraph,
        a: Occupation,
        b: Occupation,
        *,
        weights: dict[str, float] | None = None,
    ) -> None:
        self.career = career
        self.a = a
        self.b = b
        self.weights = weights

    @cached_property
    def _measures(self) -> dict[str, Measure]:
        values_a = measure_values(self.career, self.a)
        values_b = measure_values(self.career, self.b)
        return {
            spec.name: Measure(
                spec.name, spec.label, spec.unit, values_a[spec.name], values_b[spec.name]
            )
            for spec in MEASURES
        }

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(self._measures.values())

    @cached_property
    def _pairs(self) -> tuple[list[SkillPair], list[SkillPair], list[SkillPair], list[SkillPair]]:
        return skill_pairs(self.career, self.a, self.b)

    @property
    def shared_skills(self) -> tuple[SkillPair, ...]:
        return tuple(self._pairs[0])

    @property
    def only_a(self) -> tuple[SkillPair, ...]:
        return tuple(self._pairs[1])

    @property
    def only_b(self) -> tuple[SkillPair, ...]:
        return tuple(self._pairs[2])

    @property
    def skill_gap(self) -> tuple[SkillPair, ...]:
        return tuple(self._pairs[3])

    @cached_property
    def similarity(self) -> float | None:
        model = similarity_model(self.career)
        composite = float(model.composite_row(self.a.index, self.weights)[self.b.index])
        return None if math.isnan(composite) else round(composite, 4)

    @cached_property
    def components(self) -> dict[str, float | None]:
        model = similarity_model(self.career)
        return {
            name: (round(v, 4) if v is not None else None)
            for name, v in model.components(self.a.index, self.b.index).items()
            if name in COMPONENTS
        }

    @cached_property
    def common_related(self) -> tuple[Occupation, ...]:
        related_a = {link[0] for link in self.career.related.get(self.a.code, ())}
        related_b = {link[0] for link in self.career.related.get(self.b.code, ())}
        by_code = self.career.by_code
        return tuple(by_code[c] for c in sorted(related_a & related_b) if c in by_code)

    @cached_property
    def summary(self) -> tuple[str, ...]:
        return tuple(_summary(self.career, self.a, self.b, self._measures, len(self._pairs[0])))


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _top_names(career: CareerGraph, occupation: Occupation, count: int = 3) -> list[str]:
    # The skills list's order (prepared at load): rated importance and derived weights are
    # different scales, so rated descriptors come first.
    ranked = career.indexes.ranked_skills.get(occupation.code, ())
    return [s.descriptor.name for s in ranked[:count]]


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _whole(value: float) -> int:
    # BLS prints whole percents rounding halves away from zero (4.5 -> 5, -4.5 -> -5).
    magnitude = int(abs(value) + 0.5)
    return magnitude if value >= 0 else -magnitude


def _end_year(period: str) -> str | None:
    """'2024-34' -> '2034'; None for a period written otherwise."""
    first, _, last = period.partition("-")
    if len(first) != 4 or not first.isdigit() or not last.isdigit():
        return None
    return last if len(last) == 4 else first[: 4 - len(last)] + last


def _growth_clause(found: Outlook, *, by_year: bool) -> str:
    change = _whole(found.percent_change)
    end = _end_year(found.period) if by_year else None
    by = f" by {end}" if end else ""
    if found.growth_label == "Decline":
        return f"decline {abs(change)}%{by}"
    if found.growth_label == "Little or no change":
        return f"show little or no change{by} ({change}%)"
    return f"grow {change}%{by}, {found.growth_label.lower()}"


def _outlook_sentences(career: CareerGraph, a: Occupation, b: Occupation) -> list[str]:
    sides = [(o, outlook(career, o)) for o in (a, b)]
    known = [(o, f) for o, f in sides if f is not None]
    if not known:
        return []
    first, first_outlook = known[0]
    text = f"{first.title} {_growth_clause(first_outlook, by_year=True)}"
    if len(known) > 1:
        second, second_outlook = known[1]
        text += f", while {second.title.lower()} {_growth_clause(second_outlook, by_year=False)}"
    average = first_outlook.average_percent_change
    if average is not None:
        text += f" (all occupations: {_whole(average)}%)"
    sentences = [text + "."]
    openings = [f"{round(f.annual_openings * _PER_THOUSAND):,}" for _, f in known]
    if len(known) > 1:
        sentences.append(
            f"BLS projects about {openings[0]} openings a year for {first.title.lower()} and "
            f"{openings[1]} for {known[1][0].title.lower()} ({first_outlook.period})."
        )
    else:
        sentences.append(
            f"BLS projects about {openings[0]} openings a year for {first.title.lower()} "
            f"({first_outlook.period})."
        )
    return sentences


def _degree_phrase(label: str) -> str:
    """A degree label as it reads inside a sentence: "Bachelor's degree" -> "a bachelor's degree".

    >>> _degree_phrase("Less than high school diploma"), _degree_phrase("Associate's degree")
    ('less than a high school diploma', "an associate's degree")
    """
    # O*NET's labels carry explanations after " - " or in brackets; the name comes first.
    text = label.split(" - ", maxsplit=1)[0].split(" (", maxsplit=1)[0].strip().lower()
    if text.startswith("less than ") and not text.startswith("less than a "):
        return "less than a " + text.removeprefix("less than ")
    if text.startswith(("less than", "some ", "no ")):
        return text.replace(", no degree", " but no degree")
    return ("an " if text[:1] in "aeiou" else "a ") + text


def _degree_sentence(occupation: Occupation, found: EducationProfile) -> str | None:
    if found.most_common_degree is None or found.most_common_share is None:
        return None
    degree = _degree_phrase(found.most_common_degree)
    share = f"{found.most_common_share:.0f}%"
    title = occupation.title.lower()
    if found.degree_source is None or found.degree_source.table != "Table 5.3":
        return f"O*NET respondents most often say {title} need {degree} ({share})."
    if found.most_common_share > 50:
        verb = "have" if degree.startswith(("less than", "some ")) else "hold"
        return f"Most {title} {verb} {degree} ({share})."
    return f"The most common education among {title} is {degree} ({share})."


def _education_sentences(career: CareerGraph, a: Occupation, b: Occupation) -> list[str]:
    profiles = [(o, education(career, o)) for o in (a, b)]
    sentences = [
        sentence
        for o, found in profiles
        if found is not None and (sentence := _degree_sentence(o, found)) is not None
    ]
    entry = [
        (o, found.typical_entry_education)
        for o, found in profiles
        if found is not None and found.typical_entry_education
    ]
    if len(entry) == 2 and entry[0][1] == entry[1][1]:
        sentences.append(
            f"{a.title} and {b.title.lower()} both typically need "
            f"{_degree_phrase(entry[0][1])} to enter (BLS)."
        )
    elif entry:
        listed = [f"{_degree_phrase(d)} for {o.title.lower()}" for o, d in entry]
        sentences.append(f"BLS lists the typical entry-level education as {' and '.join(listed)}.")
    return sentences


def _people_sentences(career: CareerGraph, a: Occupation, b: Occupation) -> list[str]:
    found = [(o, d) for o in (a, b) if (d := demographics(career, o)) is not None]
    ages = [
        (o, d.median_age, int(d.age_source.year))
        for o, d in found
        if d.median_age is not None and d.age_source is not None
    ]
    women = [
        (o, d.women_share, int(d.shares_source.year))
        for o, d in found
        if d.women_share is not None and d.shares_source is not None
    ]
    sentences = []
    if ages:
        parts = [f"{v:.1f} for {o.title.lower()}" for o, v, _ in ages]
        years = ", ".join(sorted({str(y) for _, _, y in ages}))
        sentences.append(f"The median age of workers is {' and '.join(parts)} (CPS {years}).")
    if women:
        parts = [f"{v:.0f}% of {o.title.lower()}" for o, v, _ in women]
        years = ", ".join(sorted({str(y) for _, _, y in women}))
        sentences.append(f"Women are {' and '.join(parts)} (CPS {years}).")
    sentences.extend(
        f"The CPS figures for {o.title.lower()} are those of the Census group "
        f'"{title}", which covers more than this occupation.'
        for o, d in found
        for title in _group_titles(d)
    )
    return sentences


def _group_titles(found: Demographics) -> list[str]:
    titles = [
        title
        for title, method in (
            (found.shares_census_title, found.shares_match),
            (found.age_census_title, found.age_match),
        )
        if title is not None and method == "hierarchy"
    ]
    return sorted(set(titles))


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
    sentences.extend(_outlook_sentences(career, a, b))
    zone = measures["jobZone"]
    if zone.a is not None and zone.b is not None and zone.a != zone.b:
        more_prep = a if zone.a > zone.b else b
        sentences.append(
            f"{more_prep.title} need more preparation (Job Zone {max(zone.a, zone.b):.0f} vs {min(zone.a, zone.b):.0f})."
        )
    sentences.extend(_education_sentences(career, a, b))
    sentences.extend(_people_sentences(career, a, b))
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
    """Compare two occupations: every measure side by side, skills shared and not, similarity.

    Each part is computed when first read (see :class:`Comparison`).
    """
    return Comparison(career, a, b, weights=weights)


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
