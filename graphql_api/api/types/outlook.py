"""Outlook, education, experience and demographics types: BLS projections, CPS and O*NET."""

from __future__ import annotations

from enum import Enum

import strawberry

from graphql_api.graph import outlook as graph_outlook
from graphql_api.graph.model import CareerGraph
from graphql_api.graph.model import Occupation as OccupationRecord

__all__ = [
    "AgeBand",
    "CensusLine",
    "CensusMatchMethod",
    "DegreeSource",
    "Demographics",
    "EducationProfile",
    "Experience",
    "FigureSource",
    "GrowthLabel",
    "Outlook",
    "PercentShare",
    "ProjectionMatch",
    "demographics_of",
    "education_of",
    "experience_of",
    "jobs",
    "outlook_of",
]

# BLS Table 1.2 and CPS tables 11/11b print counts in thousands.
_PER_THOUSAND = 1000


def jobs(thousands: float | None) -> int | None:
    """A BLS figure printed in thousands as a whole count (189.1 -> 189100).

    >>> jobs(189.1), jobs(-5.5), jobs(None)
    (189100, -5500, None)
    """
    return None if thousands is None else round(thousands * _PER_THOUSAND)


@strawberry.type(
    description=(
        "Where one figure comes from: the publisher, table, year or period, and the row, so a "
        "page can cite it (e.g. `BLS Employment Projections`, `Table 1.2`, `2024-34`)."
    )
)
class FigureSource:
    publisher: str = strawberry.field(
        description="Publisher and programme, e.g. `BLS Current Population Survey` or `O*NET 30.1`."
    )
    table: str = strawberry.field(description="The table, e.g. `Table 1.2` or `Table 11b`.")
    year: str = strawberry.field(
        description="Survey year or period covered, e.g. `2025`, `2022-23` or `2024-34`."
    )
    location: str | None = strawberry.field(
        description="Sheet and row (BLS) or scale (O*NET) the figure was read from."
    )
    note: str | None = strawberry.field(
        description=(
            "The publisher's note where it qualifies the figures, e.g. that the CPS 2025 annual "
            "averages cover eleven months."
        )
    )

    @staticmethod
    def of(source: graph_outlook.Source) -> FigureSource:
        return FigureSource(
            publisher=source.publisher,
            table=source.table,
            year=source.year,
            location=source.location,
            note=source.note,
        )

    @staticmethod
    def of_optional(source: graph_outlook.Source | None) -> FigureSource | None:
        return None if source is None else FigureSource.of(source)


@strawberry.enum(
    description=(
        "How projected growth compares with the all-occupations average, in the Occupational "
        "Outlook Handbook's words (whole percents against the rounded average: for 2024-34, "
        "3%: 7% or more is much faster, 5-6% faster, 2-4% as fast, 1% slower, 0% little or "
        "no change, below 0% decline)."
    )
)
class GrowthLabel(Enum):
    MUCH_FASTER = strawberry.enum_value(
        "Much faster than average", description="Much faster than average."
    )
    FASTER = strawberry.enum_value("Faster than average", description="Faster than average.")
    AS_FAST = strawberry.enum_value("As fast as average", description="About as fast as average.")
    SLOWER = strawberry.enum_value("Slower than average", description="Slower than average.")
    LITTLE_OR_NO_CHANGE = strawberry.enum_value(
        "Little or no change", description="Little or no change."
    )
    DECLINE = strawberry.enum_value("Decline", description="Employment is projected to decline.")


@strawberry.enum(description="How an occupation's SOC code was matched to a projections row.")
class ProjectionMatch(Enum):
    DIRECT = strawberry.enum_value(
        "direct", description="BLS projects this SOC code as its own line item."
    )
    AGGREGATE = strawberry.enum_value(
        "aggregate",
        description=(
            "BLS projects this code only inside a line item covering several SOC codes of the "
            "same broad group (e.g. 13-1020 for 13-1021, 13-1022 and 13-1023); its figures."
        ),
    )
    SUMMARY = strawberry.enum_value(
        "summary",
        description=(
            "No line item covers the code; the figures are the broad group's total (e.g. "
            "21-1010 Counselors)."
        ),
    )


@strawberry.type(
    description=(
        "Projected employment, growth and openings from BLS Employment Projections (Table 1.2). "
        "Null where BLS projects no figure. Counts are whole "
        "jobs: BLS prints thousands, and these are those figures times 1,000."
    )
)
class Outlook:
    period: str = strawberry.field(description="The projection decade, e.g. `2024-34`.")
    percent_change: float = strawberry.field(
        description="Projected employment growth over the decade, in percent (BLS, one decimal)."
    )
    growth_label: GrowthLabel = strawberry.field(
        description="How that growth compares with the all-occupations average."
    )
    growth_text: str = strawberry.field(
        description="The label in BLS's wording, e.g. `Faster than average`, ready to display."
    )
    average_percent_change: float | None = strawberry.field(
        description="Projected growth of all occupations over the same decade, in percent."
    )
    base_year: int | None = strawberry.field(description="The base year, e.g. 2024.")
    projected_year: int | None = strawberry.field(
        description='The year projected to, e.g. 2034 ("... by 2034").'
    )
    employment_start: int = strawberry.field(
        description="Employment in the base year (2024 for 2024-34), in jobs."
    )
    employment_end: int = strawberry.field(
        description="Projected employment in the final year (2034 for 2024-34), in jobs."
    )
    employment_change: int = strawberry.field(
        description="Projected change in employment over the decade, in jobs (negative: fewer)."
    )
    annual_openings: int = strawberry.field(
        description=(
            "Average openings per year over the decade, from growth and from workers leaving "
            "or changing occupations, in jobs."
        )
    )
    median_wage: float | None = strawberry.field(
        description=(
            "Median annual wage in the base year as Table 1.2 prints it, in USD (see "
            "`medianWageTopCoded`)."
        )
    )
    median_wage_top_coded: bool = strawberry.field(
        description="BLS prints the wage as a floor (`>= $239,200`): the value is that cap."
    )
    nem_code: str = strawberry.field(
        description="The National Employment Matrix code the figures belong to, e.g. `29-1141`."
    )
    nem_title: str = strawberry.field(description="That row's title in the projections table.")
    match: ProjectionMatch = strawberry.field(
        description="How the occupation was matched to that row."
    )
    inherited: bool = strawberry.field(
        description="An O*NET specialty showing the figures of the SOC occupation it belongs to."
    )
    source: FigureSource = strawberry.field(description="Table, period and row of the figures.")


def _years(period: str) -> tuple[int | None, int | None]:
    """'2024-34' -> (2024, 2034); (None, None) for a period written otherwise."""
    first, _, last = period.partition("-")
    if not (first.isdigit() and last.isdigit() and len(first) == 4):
        return None, None
    start = int(first)
    # BLS writes the end year with two digits: 2024-34 ends in 2034.
    end = int(last) if len(last) == 4 else start - start % 100 + int(last)
    return start, end if end >= start else end + 100


def outlook_of(career: CareerGraph, occupation: OccupationRecord) -> Outlook | None:
    """The occupation's projection as an API type, or None when the snapshot has none."""
    found = graph_outlook.outlook(career, occupation)
    if found is None:
        return None
    start, end = _years(found.period)
    return Outlook(
        period=found.period,
        percent_change=found.percent_change,
        growth_label=GrowthLabel(found.growth_label),
        growth_text=found.growth_label,
        average_percent_change=found.average_percent_change,
        base_year=start,
        projected_year=end,
        employment_start=round(found.employment_2024 * _PER_THOUSAND),
        employment_end=round(found.employment_2034 * _PER_THOUSAND),
        employment_change=round(found.employment_change * _PER_THOUSAND),
        annual_openings=round(found.annual_openings * _PER_THOUSAND),
        median_wage=found.median_wage_2024,
        median_wage_top_coded=found.median_wage_top_coded,
        nem_code=found.nem_code,
        nem_title=found.nem_title,
        match=ProjectionMatch(found.match),
        inherited=found.inherited,
        source=FigureSource.of(found.source),
    )


@strawberry.type(description="One category of a distribution and the percent of workers in it.")
class PercentShare:
    label: str = strawberry.field(description="The category, in the publisher's words.")
    percent: float | None = strawberry.field(
        description="Percent in this category (null where not published)."
    )
    suppressed: bool = strawberry.field(
        description="O*NET recommends suppressing this estimate (low precision); BLS: false."
    )

    @staticmethod
    def of(share: graph_outlook.Share) -> PercentShare:
        return PercentShare(label=share.label, percent=share.percent, suppressed=share.suppressed)


@strawberry.enum(description="Which table the degree distribution comes from.")
class DegreeSource(Enum):
    BLS_ATTAINMENT = strawberry.enum_value(
        "bls_attainment",
        description=(
            "BLS Table 5.3: the highest degree held by workers 25 and older (ACS), i.e. what "
            "workers have."
        ),
    )
    ONET_REQUIRED_LEVEL = strawberry.enum_value(
        "onet_required_level",
        description=(
            "O*NET Required Level of Education (RL), used where BLS has no attainment figures: "
            "what incumbents say the job requires."
        ),
    )


@strawberry.type(
    description=(
        "Degrees held (BLS Table 5.3; O*NET's required level where BLS has none) and the "
        "typical entry-level education (BLS Table 1.2). Null when the snapshot has neither."
    )
)
class EducationProfile:
    most_common_degree: str | None = strawberry.field(
        description="The degree level most workers hold, e.g. `Bachelor's degree`."
    )
    most_common_share: float | None = strawberry.field(
        description="Percent of workers at that level."
    )
    most_common_suppressed: bool = strawberry.field(
        description="O*NET flags that share as low precision (O*NET source only)."
    )
    degree_source_kind: DegreeSource | None = strawberry.field(
        description="Whether the distribution is BLS attainment or O*NET required level."
    )
    degree_source: FigureSource | None = strawberry.field(
        description="Table, years and row of the degree figures."
    )
    distribution: list[PercentShare] = strawberry.field(
        description="Every degree level and its share, lowest level first."
    )
    attainment_approximate: bool = strawberry.field(
        description=(
            "BLS marks the attainment shares as approximated from a broader ACS occupation."
        )
    )
    typical_entry_education: str | None = strawberry.field(
        description="Education BLS says is typically needed to enter, e.g. `Bachelor's degree`."
    )
    entry_education_source: FigureSource | None = strawberry.field(
        description="Table, period and row of the entry education."
    )
    onet_required_level: list[PercentShare] = strawberry.field(
        description="O*NET's required level of education distribution, whenever O*NET has one."
    )
    onet_source: FigureSource | None = strawberry.field(
        description="O*NET release and scale of `onetRequiredLevel`."
    )
    inherited: bool = strawberry.field(
        description="An O*NET specialty showing its SOC occupation's BLS figures."
    )


def education_of(career: CareerGraph, occupation: OccupationRecord) -> EducationProfile | None:
    """The occupation's degree profile as an API type, or None when the snapshot has none."""
    found = graph_outlook.education(career, occupation)
    if found is None:
        return None
    kind = None
    if found.degree_source is not None:
        bls = found.degree_source.table == "Table 5.3"
        kind = DegreeSource.BLS_ATTAINMENT if bls else DegreeSource.ONET_REQUIRED_LEVEL
    return EducationProfile(
        most_common_degree=found.most_common_degree,
        most_common_share=found.most_common_share,
        most_common_suppressed=found.most_common_suppressed,
        degree_source_kind=kind,
        degree_source=FigureSource.of_optional(found.degree_source),
        distribution=[PercentShare.of(s) for s in found.distribution],
        attainment_approximate=found.attainment_approximate,
        typical_entry_education=found.typical_entry_education,
        entry_education_source=FigureSource.of_optional(found.entry_education_source),
        onet_required_level=[PercentShare.of(s) for s in found.onet_required_level],
        onet_source=FigureSource.of_optional(found.onet_source),
        inherited=found.inherited,
    )


@strawberry.type(
    description=(
        "Work experience: BLS's entry requirement and training (Table 1.2) and O*NET's related "
        "work experience distribution. Null when the snapshot has neither."
    )
)
class Experience:
    work_experience: str | None = strawberry.field(
        description=(
            "Work experience in a related occupation BLS says entrants need, e.g. `Less than "
            "5 years` or `None`."
        )
    )
    training: str | None = strawberry.field(
        description="Typical on-the-job training to become competent, e.g. `Moderate-term`."
    )
    work_experience_source: FigureSource | None = strawberry.field(
        description="Table, period and row of `workExperience` and `training`."
    )
    distribution: list[PercentShare] = strawberry.field(
        description="O*NET related work experience: percent of incumbents per range, shortest first."
    )
    typical_label: str | None = strawberry.field(
        description=(
            "The median range of that distribution (where the cumulative share passes half), "
            "e.g. `Over 1 year, up to and including 2 years`."
        )
    )
    typical_years_min: float | None = strawberry.field(
        description="Lower end of the typical range, in years."
    )
    typical_years_max: float | None = strawberry.field(
        description="Upper end of the typical range, in years (null for `Over 10 years`)."
    )
    typical_years: float | None = strawberry.field(
        description="Typical years of experience: the range's midpoint (its lower end if open)."
    )
    onet_source: FigureSource | None = strawberry.field(
        description="O*NET release and scale of the distribution."
    )


def experience_of(career: CareerGraph, occupation: OccupationRecord) -> Experience | None:
    """The occupation's experience block as an API type, or None when the snapshot has none."""
    found = graph_outlook.experience(career, occupation)
    if found is None:
        return None
    return Experience(
        work_experience=found.work_experience,
        training=found.training,
        work_experience_source=FigureSource.of_optional(found.work_experience_source),
        distribution=[PercentShare.of(s) for s in found.distribution],
        typical_label=found.typical_label,
        typical_years_min=found.typical_years_min,
        typical_years_max=found.typical_years_max,
        typical_years=found.typical_years,
        onet_source=FigureSource.of_optional(found.onet_source),
    )


@strawberry.enum(description="How a Census occupation line was matched to the SOC occupation.")
class CensusMatchMethod(Enum):
    EXACT = strawberry.enum_value("exact", description="Same title.")
    NORMALIZED = strawberry.enum_value(
        "normalized",
        description="Same words after normalising case, plurals, punctuation and word order.",
    )
    HIERARCHY = strawberry.enum_value(
        "hierarchy",
        description=(
            "The Census line is a SOC broad or minor group containing the occupation: its "
            "figures are those of the whole group."
        ),
    )


@strawberry.type(
    description=(
        "The Census occupation line (CPS) a set of figures comes from, and how it was matched. "
        'When `throughSocGroup` is true, show the figures as "figures for the Census group '
        '<censusTitle>".'
    )
)
class CensusLine:
    census_title: str = strawberry.field(description="The Census occupation title.")
    match: CensusMatchMethod = strawberry.field(description="How it was matched.")
    through_soc_group: bool = strawberry.field(
        description=(
            "Matched through the SOC hierarchy: the line covers a group of occupations, not "
            "this one alone."
        )
    )
    survey_year: int = strawberry.field(description="The CPS annual average year, e.g. 2025.")
    source: FigureSource = strawberry.field(description="Table, year and row of the figures.")


def _census_line(
    title: str | None, method: str | None, source: graph_outlook.Source | None
) -> CensusLine | None:
    figure_source = FigureSource.of_optional(source)
    if title is None or method is None or figure_source is None:
        return None
    match = CensusMatchMethod(method)
    return CensusLine(
        census_title=title,
        match=match,
        through_soc_group=match is CensusMatchMethod.HIERARCHY,
        survey_year=int(figure_source.year),
        source=figure_source,
    )


@strawberry.type(description="Workers of one age band (CPS Table 11b).")
class AgeBand:
    label: str = strawberry.field(description="The band, e.g. `25 to 34 years`.")
    employed: int | None = strawberry.field(
        description=(
            "People employed in this band (BLS prints thousands; this is times 1,000). Null "
            "where BLS shows a dash."
        )
    )


@strawberry.type(
    description=(
        "Who works in the occupation, from the BLS Current Population Survey: age (Table 11b) "
        "and sex, race and Hispanic ethnicity (Table 11), each from the Census line in "
        "`ageFrom` / `sharesFrom` with its survey year. Shares are percents of those employed; "
        "null where BLS shows a dash (base under 50,000). Null when no Census line matched."
    )
)
class Demographics:
    median_age: float | None = strawberry.field(
        description="Median age of workers, in years (survey year: `ageFrom.surveyYear`)."
    )
    age_bands: list[AgeBand] = strawberry.field(
        description="Workers by age band, youngest first (empty without an age line)."
    )
    women_share: float | None = strawberry.field(
        description="Women, percent of workers (survey year: `sharesFrom.surveyYear`)."
    )
    white_share: float | None = strawberry.field(description="White, percent of workers.")
    black_share: float | None = strawberry.field(
        description="Black or African American, percent of workers."
    )
    asian_share: float | None = strawberry.field(description="Asian, percent of workers.")
    hispanic_share: float | None = strawberry.field(
        description=(
            "Hispanic or Latino, percent of workers (of any race, so race shares and this one "
            "do not add up to 100)."
        )
    )
    age_from: CensusLine | None = strawberry.field(
        description="The Census line, match and survey year behind the age figures."
    )
    shares_from: CensusLine | None = strawberry.field(
        description="The Census line, match and survey year behind the sex, race and Hispanic shares."
    )
    inherited: bool = strawberry.field(
        description="An O*NET specialty showing its SOC occupation's figures."
    )


def demographics_of(career: CareerGraph, occupation: OccupationRecord) -> Demographics | None:
    """The occupation's CPS figures as an API type, or None when no Census line matched."""
    found = graph_outlook.demographics(career, occupation)
    if found is None:
        return None
    return Demographics(
        median_age=found.median_age,
        age_bands=[AgeBand(label=b.label, employed=jobs(b.thousands)) for b in found.age_bands],
        women_share=found.women_share,
        white_share=found.white_share,
        black_share=found.black_share,
        asian_share=found.asian_share,
        hispanic_share=found.hispanic_share,
        age_from=_census_line(found.age_census_title, found.age_match, found.age_source),
        shares_from=_census_line(
            found.shares_census_title, found.shares_match, found.shares_source
        ),
        inherited=found.inherited,
    )
