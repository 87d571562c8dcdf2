"""Outlook, education, experience and demographics of an occupation, each figure with its source."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql_api.graph.model import CareerGraph, Occupation

__all__ = [
    "AgeBand",
    "Demographics",
    "EducationProfile",
    "Experience",
    "Outlook",
    "Share",
    "Source",
    "demographics",
    "education",
    "experience",
    "outlook",
    "years_range",
]

_BLS_EP = "BLS Employment Projections"
_BLS_CPS = "BLS Current Population Survey"
# O*NET scale ids in Education, Training, and Experience: Required Level of Education and
# Related Work Experience (O*NET 30.1 "Education, Training, and Experience Categories").
_REQUIRED_LEVEL = "RL"
_RELATED_EXPERIENCE = "RW"
_AGE_LABELS = {
    "16_19": "16 to 19 years",
    "20_24": "20 to 24 years",
    "25_34": "25 to 34 years",
    "35_44": "35 to 44 years",
    "45_54": "45 to 54 years",
    "55_64": "55 to 64 years",
    "65_plus": "65 years and over",
}
_SPAN = r"(\d+(?:\.\d+)?) (month|year)s?"
_UP_TO = re.compile(rf"up to and including {_SPAN}")
_BETWEEN = re.compile(rf"over {_SPAN}, up to and including {_SPAN}")
_OVER = re.compile(rf"over {_SPAN}")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure comes from: publisher, table, year or period covered, row, and note.

    ``note`` is the publisher's own note where it qualifies the figures (e.g. that the CPS
    2025 annual averages cover eleven months).
    """

    publisher: str
    table: str
    year: str
    location: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Share:
    """One category of a distribution and its percent; ``suppressed`` is O*NET's flag."""

    label: str
    percent: float | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class AgeBand:
    """Workers of one age band, in thousands, as CPS table 11b prints them."""

    label: str
    thousands: float | None


@dataclass(frozen=True, slots=True)
class Outlook:
    """Projected employment, growth and openings (Table 1.2); counts are in thousands.

    ``match`` says how the NEM row was found ("direct", "aggregate": a BLS line item covering
    several SOC codes, "summary": the broad group's total); ``inherited`` marks an O*NET
    speciality showing its SOC occupation's figures.
    """

    occupation: str
    soc: str
    nem_code: str
    nem_title: str
    match: str
    inherited: bool
    period: str
    employment_2024: float
    employment_2034: float
    employment_change: float
    percent_change: float
    annual_openings: float
    median_wage_2024: float | None
    median_wage_top_coded: bool
    growth_label: str
    average_percent_change: float | None
    source: Source


@dataclass(frozen=True, slots=True)
class EducationProfile:
    """Degrees held and needed: BLS attainment (Table 5.3), else O*NET required level.

    ``distribution`` is the degree source's full distribution; ``onet_required_level`` is
    O*NET's answer to "what level of education is required", shown whenever O*NET has one.
    """

    occupation: str
    most_common_degree: str | None
    most_common_share: float | None
    most_common_suppressed: bool
    degree_source: Source | None
    distribution: tuple[Share, ...]
    attainment_approximate: bool
    typical_entry_education: str | None
    entry_education_source: Source | None
    onet_required_level: tuple[Share, ...]
    onet_source: Source | None
    inherited: bool


@dataclass(frozen=True, slots=True)
class Experience:
    """Work experience: BLS's entry requirement and O*NET's related-experience distribution.

    The typical figure is the median O*NET category (where the cumulative share passes half):
    its label, its range in years, and ``typical_years``, the range's midpoint (its lower end
    for the open-ended "Over 10 years").
    """

    occupation: str
    work_experience: str | None
    training: str | None
    work_experience_source: Source | None
    distribution: tuple[Share, ...]
    typical_label: str | None
    typical_years_min: float | None
    typical_years_max: float | None
    typical_years: float | None
    onet_source: Source | None


@dataclass(frozen=True, slots=True)
class Demographics:
    """Who works in the occupation (CPS), from the Census line matched to its SOC code.

    Shares are percents of those employed; BLS's dashes (base under 50,000) stay None. Sex,
    race and ethnicity come from table 11, age from table 11b; each has its survey year.
    """

    occupation: str
    median_age: float | None
    age_bands: tuple[AgeBand, ...]
    age_source: Source | None
    age_census_title: str | None
    age_match: str | None
    women_share: float | None
    white_share: float | None
    black_share: float | None
    asian_share: float | None
    hispanic_share: float | None
    shares_source: Source | None
    shares_census_title: str | None
    shares_match: str | None
    inherited: bool


def _row(career: CareerGraph, table: str, occupation: Occupation) -> Mapping[str, Any] | None:
    rows = career.outlook_tables.get(table)
    return rows.get(occupation.code) if isinstance(rows, Mapping) else None


def _meta(career: CareerGraph, part: str) -> Mapping[str, Any]:
    meta = career.outlook_tables.get("outlook_meta") or {}
    found = meta.get(part)
    return found if isinstance(found, Mapping) else {}


def _ep_source(table: str, year: str, row: Mapping[str, Any]) -> Source:
    return Source(_BLS_EP, table, year, f"{row['sheet']} row {row['row']}")


def outlook(career: CareerGraph, occupation: Occupation) -> Outlook | None:
    """Return the occupation's 2024-34 style projection, or None when BLS projects none."""
    row = _row(career, "projections", occupation)
    if row is None:
        return None
    average = _meta(career, "projections").get("all_occupations_percent_change")
    return Outlook(
        occupation=occupation.code,
        soc=row["soc"],
        nem_code=row["nem_code"],
        nem_title=row["nem_title"],
        match=row["match"],
        inherited=row["inherited"],
        period=row["period"],
        employment_2024=row["employment_2024"],
        employment_2034=row["employment_2034"],
        employment_change=row["change"],
        percent_change=row["percent_change"],
        annual_openings=row["annual_openings"],
        median_wage_2024=row["median_wage_2024"],
        median_wage_top_coded=row["median_wage_top_coded"],
        growth_label=row["growth_label"],
        average_percent_change=average,
        source=_ep_source("Table 1.2", row["period"], row),
    )


def _onet_source(career: CareerGraph, scale: str) -> Source:
    release = career.dataset.onet_release
    name = "Required Level of Education" if scale == _REQUIRED_LEVEL else "Related Work Experience"
    return Source(
        f"O*NET {release}" if release else "O*NET",
        "Education, Training, and Experience",
        str(release or ""),
        f"{name} ({scale})",
    )


def _onet_distribution(
    career: CareerGraph, occupation: Occupation, scale: str
) -> tuple[Share, ...]:
    shares = career.education.get(occupation.code, {}).get(scale, ())
    return tuple(Share(s.label, s.percent, s.suppressed) for s in shares)


def _leader(shares: Sequence[Share]) -> Share | None:
    present = [s for s in shares if s.percent is not None]
    if not present:
        return None
    # max() keeps the first of equal shares: the lower level, as the table lists them.
    return max(present, key=lambda s: s.percent or 0.0)


def education(career: CareerGraph, occupation: Occupation) -> EducationProfile | None:
    """Return degrees held (BLS) or required (O*NET) and the typical entry education."""
    attainment = _row(career, "attainment", occupation)
    projection = _row(career, "projections", occupation)
    required = _onet_distribution(career, occupation, _REQUIRED_LEVEL)
    if attainment is None and projection is None and not required:
        return None
    onet_source = _onet_source(career, _REQUIRED_LEVEL) if required else None
    if attainment is not None:
        distribution = tuple(Share(label, share) for label, share in attainment["shares"])
        degree: str | None = attainment["most_common"]
        share: float | None = attainment["most_common_share"]
        suppressed = False
        years = attainment.get("years") or _meta(career, "attainment").get("years") or ""
        degree_source: Source | None = _ep_source("Table 5.3", years, attainment)
    else:
        distribution = required
        leader = _leader(required)
        degree = leader.label if leader else None
        share = leader.percent if leader else None
        suppressed = leader.suppressed if leader else False
        degree_source = onet_source if leader else None
    entry = projection.get("entry_education") if projection else None
    return EducationProfile(
        occupation=occupation.code,
        most_common_degree=degree,
        most_common_share=share,
        most_common_suppressed=suppressed,
        degree_source=degree_source,
        distribution=distribution,
        attainment_approximate=bool(attainment and attainment["acs_approximate"]),
        typical_entry_education=entry,
        entry_education_source=(
            _ep_source("Table 1.2", projection["period"], projection) if projection else None
        ),
        onet_required_level=required,
        onet_source=onet_source,
        inherited=bool((attainment or projection or {}).get("inherited", False)),
    )


def years_range(description: str) -> tuple[float, float | None] | None:
    """Read an O*NET Related Work Experience category as (min, max) years; None if unknown.

    >>> years_range("Over 1 year, up to and including 2 years")
    (1.0, 2.0)
    >>> years_range("Over 10 years"), years_range("None")
    ((10.0, None), (0.0, 0.0))
    """
    text = description.strip().lower()

    def years(number: str, unit: str) -> float:
        return float(number) / (12 if unit == "month" else 1)

    if text == "none":
        return 0.0, 0.0
    if match := _BETWEEN.fullmatch(text):
        return years(match[1], match[2]), years(match[3], match[4])
    if match := _UP_TO.fullmatch(text):
        return 0.0, years(match[1], match[2])
    if match := _OVER.fullmatch(text):
        return years(match[1], match[2]), None
    return None


def _median(shares: Sequence[Share]) -> Share | None:
    total = sum(s.percent or 0.0 for s in shares)
    if total <= 0:
        return None
    running = 0.0
    for share in shares:
        running += share.percent or 0.0
        if running >= total / 2:
            return share
    return None  # pragma: no cover - the loop always reaches the total


def experience(career: CareerGraph, occupation: Occupation) -> Experience | None:
    """Return BLS's entry work experience and O*NET's related-experience distribution."""
    projection = _row(career, "projections", occupation)
    distribution = _onet_distribution(career, occupation, _RELATED_EXPERIENCE)
    if projection is None and not distribution:
        return None
    typical = _median(distribution)
    bounds = years_range(typical.label) if typical else None
    low, high = bounds if bounds else (None, None)
    midpoint = None if low is None else (low if high is None else (low + high) / 2)
    return Experience(
        occupation=occupation.code,
        work_experience=projection.get("work_experience") if projection else None,
        training=projection.get("training") if projection else None,
        work_experience_source=(
            _ep_source("Table 1.2", projection["period"], projection) if projection else None
        ),
        distribution=distribution,
        typical_label=typical.label if typical else None,
        typical_years_min=low,
        typical_years_max=high,
        typical_years=midpoint,
        onet_source=_onet_source(career, _RELATED_EXPERIENCE) if distribution else None,
    )


def _cps_source(career: CareerGraph, kind: str, part: Mapping[str, Any]) -> Source:
    return Source(
        _BLS_CPS,
        f"Table {part['table']}",
        str(part["survey_year"]),
        f"{part['sheet']} row {part['row']}",
        _meta(career, kind).get("note") or None,
    )


def demographics(career: CareerGraph, occupation: Occupation) -> Demographics | None:
    """Return median age, women's, race and Hispanic shares from the matched Census line."""
    row = _row(career, "demographics", occupation)
    if row is None:
        return None
    shares = row.get("sex_race")
    age = row.get("age")
    share_values: Mapping[str, float | None] = shares["values"] if shares else {}
    age_values: Mapping[str, float | None] = age["values"] if age else {}
    return Demographics(
        occupation=occupation.code,
        median_age=age_values.get("median_age"),
        age_bands=tuple(
            AgeBand(label, age_values.get(key)) for key, label in _AGE_LABELS.items() if age
        ),
        age_source=_cps_source(career, "age", age) if age else None,
        age_census_title=age["census_title"] if age else None,
        age_match=age["match"] if age else None,
        women_share=share_values.get("women"),
        white_share=share_values.get("white"),
        black_share=share_values.get("black"),
        asian_share=share_values.get("asian"),
        hispanic_share=share_values.get("hispanic"),
        shares_source=_cps_source(career, "sex_race", shares) if shares else None,
        shares_census_title=shares["census_title"] if shares else None,
        shares_match=shares["match"] if shares else None,
        inherited=bool(row.get("inherited", False)),
    )
