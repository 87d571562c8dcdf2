"""The Occupation type: profile, pay, employment, skills, industries and rankings."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graphql_api.api.arguments import (
    AreaArgument,
    IndustryArgument,
    MinEmployment,
    PayOrder,
    SkillKindFilter,
)
from graphql_api.api.errors import not_found
from graphql_api.api.pagination import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    paginate,
    paginate_as,
)
from graphql_api.api.types.browse import Area, Group, Industry, SkillRating, TechnologySkill
from graphql_api.api.types.common import (
    AppInfo,
    Match,
    Node,
    PayMeasure,
    RelatedMethod,
    SkillKind,
    Source,
    WageStatistic,
    camel_case,
    encode_global_id,
    enum_member,
    enum_text,
    jobs_count,
    source_from,
)
from graphql_api.api.types.outlook import (
    Demographics,
    EducationProfile,
    Experience,
    Outlook,
    demographics_of,
    education_of,
    experience_of,
    outlook_of,
)
from graphql_api.graph import model
from graphql_api.graph.facts import CellFacts, top_areas, top_industries
from graphql_api.graph.lookups import (
    group_path,
    occupation_industries,
    resolve_area,
    resolve_industry,
    sources_of,
)
from graphql_api.graph.model import ALL_INDUSTRIES, NATIONAL, CareerGraph
from graphql_api.graph.related import skill_profile, skills_order
from graphql_api.graph.search import normalize

if TYPE_CHECKING:
    from graphql_api.api.types.related import (
        RelatedCareer,
        RelatedFilterInput,
        SimilarityWeightsInput,
    )

__all__ = [
    "AlternateTitle",
    "AreaPay",
    "CategoryShare",
    "Employment",
    "IndustryPay",
    "Interests",
    "JobZone",
    "NullReason",
    "Occupation",
    "OccupationIndustry",
    "OnetEducation",
    "PayBasis",
    "Task",
    "WageFigures",
    "Wages",
    "area_argument",
    "industry_argument",
    "occupation_identity",
    "occupation_sources",
]


@strawberry.enum(description="Where an occupation's OEWS figures come from.")
class PayBasis(Enum):
    DIRECT = strawberry.enum_value(
        "direct", description="BLS publishes this occupation's own figures."
    )
    INHERITED = strawberry.enum_value(
        "inherited",
        description=(
            "An O*NET specialty that BLS does not survey separately: the figures are those of "
            "the SOC occupation it belongs to."
        ),
    )
    AGGREGATE = strawberry.enum_value(
        "aggregate",
        description="BLS publishes only a combined code containing this occupation; its figures.",
    )
    NONE = strawberry.enum_value("none", description="OEWS publishes no figures for it.")


@strawberry.type(description="Why a figure is null, in BLS's words.")
class NullReason:
    figure: str = strawberry.field(
        description="The figure's field name, camelCase as in `Measure.name`, e.g. `annualMedian`."
    )
    reason: str = strawberry.field(description="Why BLS did not publish it.")


def _reasons(facts: CellFacts, names: tuple[str, ...]) -> list[NullReason]:
    return [
        NullReason(figure=camel_case(n), reason=facts.null_reasons[n])
        for n in names
        if n in facts.null_reasons
    ]


_STATISTICS = ("mean", "median", "p10", "p25", "p75", "p90")


@strawberry.type(
    description=(
        "Wage statistics in one unit (annual USD or hourly USD). A figure BLS top-codes (shown "
        "by BLS as a floor such as >= $239,200) is listed in `topCoded`: the value is the cap, "
        "not the true figure."
    )
)
class WageFigures:
    mean: float | None = strawberry.field(description="Mean wage.")
    median: float | None = strawberry.field(description="Median wage (50th percentile).")
    p10: float | None = strawberry.field(description="10th percentile wage.")
    p25: float | None = strawberry.field(description="25th percentile wage.")
    p75: float | None = strawberry.field(description="75th percentile wage.")
    p90: float | None = strawberry.field(description="90th percentile wage.")
    top_coded: list[WageStatistic] = strawberry.field(
        description="Statistics whose value is BLS's top-code cap rather than the true figure."
    )
    null_reasons: list[NullReason] = strawberry.field(
        description="Why any null statistic was not published."
    )

    @staticmethod
    def of(facts: CellFacts, unit: str) -> WageFigures:
        names = tuple(f"{unit}_{s}" for s in _STATISTICS)
        return WageFigures(
            mean=facts.get(f"{unit}_mean"),
            median=facts.get(f"{unit}_median"),
            p10=facts.get(f"{unit}_p10"),
            p25=facts.get(f"{unit}_p25"),
            p75=facts.get(f"{unit}_p75"),
            p90=facts.get(f"{unit}_p90"),
            top_coded=[WageStatistic(s) for s in _STATISTICS if f"{unit}_{s}" in facts.top_coded],
            null_reasons=_reasons(facts, names),
        )


@strawberry.type(description="Pay of an occupation in one area and industry (BLS OEWS).")
class Wages:
    area: Area = strawberry.field(description="The area these figures are for.")
    industry: Industry = strawberry.field(description="The industry (or cross-industry total).")
    annual: WageFigures = strawberry.field(description="Annual wages in USD.")
    hourly: WageFigures = strawberry.field(description="Hourly wages in USD.")
    rse: float | None = strawberry.field(
        description="Relative standard error of the mean wage, in percent."
    )
    basis: PayBasis = strawberry.field(description="Whose figures these are (own or inherited).")
    inherited: bool = strawberry.field(
        description="True when the figures belong to a containing SOC code, not this occupation."
    )
    pay_code: str = strawberry.field(description="The OEWS occupation code the figures are for.")


@strawberry.type(description="Employment of an occupation in one area and industry (BLS OEWS).")
class Employment:
    area: Area = strawberry.field(description="The area these figures are for.")
    industry: Industry = strawberry.field(description="The industry (or cross-industry total).")
    jobs: int | None = strawberry.field(description="Number of jobs, rounded by BLS.")
    jobs_per_1000: float | None = strawberry.field(
        description="Jobs in this occupation per 1,000 jobs in the area."
    )
    location_quotient: float | None = strawberry.field(
        description="Concentration relative to the nation (1.0 = the national share)."
    )
    rse: float | None = strawberry.field(
        description="Relative standard error of the employment estimate, in percent."
    )
    basis: PayBasis = strawberry.field(description="Whose figures these are (own or inherited).")
    null_reasons: list[NullReason] = strawberry.field(
        description="Why any null figure was not published."
    )


def _area(career: CareerGraph, code: str) -> Area:
    return Area.of(career.areas[code])


def _wages(career: CareerGraph, facts: CellFacts) -> Wages:
    basis = enum_member(PayBasis, facts.basis, PayBasis.DIRECT)
    return Wages(
        area=_area(career, facts.area),
        industry=Industry.of(career.industries[facts.industry]),
        annual=WageFigures.of(facts, "annual"),
        hourly=WageFigures.of(facts, "hourly"),
        rse=facts.get("wage_rse"),
        basis=basis,
        inherited=basis is not PayBasis.DIRECT,
        pay_code=facts.soc,
    )


def _employment(career: CareerGraph, facts: CellFacts) -> Employment:
    basis = enum_member(PayBasis, facts.basis, PayBasis.DIRECT)
    return Employment(
        area=_area(career, facts.area),
        industry=Industry.of(career.industries[facts.industry]),
        jobs=jobs_count(facts.get("employment")),
        jobs_per_1000=facts.get("jobs_per_1000"),
        location_quotient=facts.get("location_quotient"),
        rse=facts.get("employment_rse"),
        basis=basis,
        null_reasons=_reasons(
            facts, ("employment", "jobs_per_1000", "location_quotient", "employment_rse")
        ),
    )


def area_argument(career: CareerGraph, area: str | None) -> str:
    """Resolve an `area` argument to an OEWS area code; NOT_FOUND with suggestions otherwise."""
    if area is None:
        return NATIONAL
    found = resolve_area(career, area)
    if found is None:
        words = normalize(area)
        suggestions = [
            a.name for a in career.areas.values() if words and words[:4] in normalize(a.name)
        ][:5]
        raise not_found("area", area, suggestions=suggestions)
    return found.code


def industry_argument(career: CareerGraph, industry: str | None) -> str:
    """Resolve an `industry` argument to an OEWS industry code; NOT_FOUND otherwise."""
    if industry is None:
        return ALL_INDUSTRIES
    found = resolve_industry(career, industry)
    if found is None:
        words = normalize(industry)
        suggestions = [
            i.name for i in career.industries.values() if words and words[:4] in normalize(i.name)
        ][:5]
        raise not_found("industry", industry, suggestions=suggestions)
    return found.code


@strawberry.type(description="A task statement from O*NET.")
class Task:
    statement: str = strawberry.field(description="What workers do.")
    category: str | None = strawberry.field(
        description="O*NET's task type: `Core` or `Supplemental` (null where unknown)."
    )
    task_id: int | None = strawberry.field(description="O*NET task id, where known.")


@strawberry.type(description="Another title the occupation goes by (O*NET alternate titles).")
class AlternateTitle:
    title: str = strawberry.field(description="The title.")
    reported: bool = strawberry.field(
        description="True when incumbents reported it in O*NET surveys (Sample of Reported Titles)."
    )


@strawberry.type(description="O*NET Job Zone: how much preparation an occupation needs (1-5).")
class JobZone:
    zone: int = strawberry.field(description="1 (little or no preparation) to 5 (extensive).")
    name: str | None = strawberry.field(description="O*NET's name for the zone.")
    education: str | None = strawberry.field(description="Typical education, in O*NET's words.")
    experience: str | None = strawberry.field(description="Typical experience needed.")
    training: str | None = strawberry.field(description="Typical job training.")
    examples: str | None = strawberry.field(description="Example occupations in this zone.")
    svp_range: str | None = strawberry.field(description="Specific Vocational Preparation range.")


@strawberry.type(description="Share of incumbents in one category of an O*NET scale.")
class CategoryShare:
    category: int = strawberry.field(description="O*NET category number on the scale.")
    label: str = strawberry.field(description="What the category means.")
    percent: float = strawberry.field(description="Percent of respondents in this category.")
    suppressed: bool = strawberry.field(
        description="O*NET recommends suppressing this estimate (low precision)."
    )


@strawberry.type(
    description=(
        "Education, experience and training distributions from O*NET's Education, Training, "
        "and Experience survey."
    )
)
class OnetEducation:
    required_level: list[CategoryShare] = strawberry.field(
        description="Required level of education (O*NET scale RL, 12 categories)."
    )
    typical_required_level: CategoryShare | None = strawberry.field(
        description="The required-level category most respondents chose."
    )
    related_work_experience: list[CategoryShare] = strawberry.field(
        description="Related work experience (scale RW)."
    )
    on_site_training: list[CategoryShare] = strawberry.field(
        description="On-site or in-plant training (scale PT)."
    )
    on_the_job_training: list[CategoryShare] = strawberry.field(
        description="On-the-job training (scale OJ)."
    )


def onet_education(career: CareerGraph, occupation: model.Occupation) -> OnetEducation | None:
    """Build the O*NET education block, or None when the snapshot has none for it."""
    scales = career.education.get(occupation.code)
    if not scales:
        return None

    def scale(name: str) -> list[CategoryShare]:
        return [
            CategoryShare(
                category=share.category,
                label=share.label,
                percent=share.percent,
                suppressed=share.suppressed,
            )
            for share in scales.get(name, ())
        ]

    required = scale("RL")
    return OnetEducation(
        required_level=required,
        typical_required_level=max(required, key=lambda c: (c.percent, -c.category), default=None),
        related_work_experience=scale("RW"),
        on_site_training=scale("PT"),
        on_the_job_training=scale("OJ"),
    )


_RIASEC = ("Realistic", "Investigative", "Artistic", "Social", "Enterprising", "Conventional")


@strawberry.type(description="One RIASEC interest and its O*NET score.")
class InterestScore:
    interest: str = strawberry.field(description="Realistic, Investigative, Artistic, ...")
    score: float = strawberry.field(description="Occupational interest score, 1 to 7.")


@strawberry.type(description="Work interests (Holland RIASEC) from O*NET.")
class Interests:
    scores: list[InterestScore] = strawberry.field(description="All six interests, highest first.")
    high_points: list[str] = strawberry.field(
        description="O*NET's first, second and third interest high points (up to three)."
    )
    code: str = strawberry.field(
        description="The high points as a Holland code, e.g. `SIC` (Social, Investigative, ...)."
    )


def interests(career: CareerGraph, occupation: model.Occupation) -> Interests | None:
    """Build the RIASEC block, or None when the snapshot has none for it."""
    rows = career.interests.get(occupation.code)
    if not rows:
        return None
    scores = [InterestScore(interest=r.name, score=r.value) for r in rows if r.scale == "OI"]
    scores.sort(key=lambda s: (-s.score, s.interest))
    # IH rows hold a high point as the RIASEC number (1 Realistic ... 6 Conventional); 0 is none.
    high = [_RIASEC[int(r.value) - 1] for r in rows if r.scale == "IH" and 1 <= r.value <= 6]
    return Interests(scores=scores, high_points=high, code="".join(h[0] for h in high))


@strawberry.type(description="An industry employing an occupation, with pay there (national).")
class OccupationIndustry:
    industry: Industry = strawberry.field(description="The industry.")
    employment: int | None = strawberry.field(description="Jobs in this industry.")
    share: float | None = strawberry.field(
        description="Share of the occupation's national jobs in this industry (0-1)."
    )
    annual_mean: float | None = strawberry.field(description="Mean annual wage there.")
    annual_median: float | None = strawberry.field(description="Median annual wage there.")


@strawberry.type(description="One place in a pay ranking.")
class AreaPay:
    area: Area = strawberry.field(description="The state or metro area.")
    value: float = strawberry.field(description="The ranked figure (see `by`).")
    employment: int | None = strawberry.field(description="Jobs there.")
    top_coded: bool = strawberry.field(description="The value is BLS's top-code cap.")


@strawberry.type(description="One industry in a pay ranking (national).")
class IndustryPay:
    industry: Industry = strawberry.field(description="The industry.")
    value: float = strawberry.field(description="The ranked figure (see `by`).")
    employment: int | None = strawberry.field(description="Jobs there.")
    top_coded: bool = strawberry.field(description="The value is BLS's top-code cap.")


def occupation_sources(career: CareerGraph, occupation: model.Occupation) -> list[Source]:
    """The release files behind this occupation's figures (graph.lookups decides which)."""
    return [
        source_from(
            entry,
            oews_release=career.oews.release,
            oews_year=career.oews.year,
            onet_release=career.dataset.onet_release,
        )
        for entry in sources_of(career, occupation)
    ]


_MIN_EMPLOYMENT_DESCRIPTION = (
    "Leave out places or industries with fewer jobs than this (default 100), so a handful of "
    "workers cannot top the list."
)


@strawberry.type(
    description=(
        "An occupation: an O*NET-SOC occupation, or an OEWS occupation O*NET does not cover. "
        "Pay and employment are BLS OEWS; skills, tasks, Job Zone, education and interests are "
        "O*NET (null or empty where the snapshot lacks them)."
    )
)
class Occupation(Node):
    record: strawberry.Private[model.Occupation]
    match: Match | None = strawberry.field(
        default=None,
        description="How the `id` you passed was matched (only on `occupation(id:)` results).",
        deprecation_reason=(
            "How an id matched belongs to the lookup, not the occupation: a normalised client "
            "cache overwrites it between lookups. Use `Query.occupationMatch(id:)` or "
            "`Comparison.aMatch` / `bMatch`."
        ),
    )

    # Plain values set once in ``of`` (no resolver call per field read).
    id: strawberry.ID = strawberry.field(
        description="Global id; `node(id:)` returns this occupation."
    )
    code: str = strawberry.field(
        description="The primary code: O*NET-SOC (`29-1141.00`) or SOC (`13-1020`)."
    )
    soc_code: str = strawberry.field(description="The 2018 SOC code (`29-1141`).")
    onet_code: str | None = strawberry.field(
        description="The O*NET-SOC code, or null when O*NET does not cover it."
    )
    title: str = strawberry.field(description="The title.")
    slug: str = strawberry.field(
        description="URL-friendly name, accepted wherever an occupation id is."
    )
    description: str | None = strawberry.field(
        description="O*NET's description of the work (null where absent)."
    )

    @strawberry.field(description="Other titles, O*NET alternate titles.")
    def alternate_titles(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[AlternateTitle] | None:
        reported = set(self.record.reported_titles)
        titles = list(self.record.alternate_titles)
        titles += [t for t in self.record.reported_titles if t not in set(titles)]
        items = [AlternateTitle(title=t, reported=t in reported) for t in titles]
        return paginate(items, first=first, after=after)

    @strawberry.field(description="Task statements, core tasks first where O*NET says which.")
    def tasks(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Task] | None:
        items = [
            Task(statement=t.text, category=t.task_type, task_id=t.task_id)
            for t in self.record.tasks
        ]
        return paginate(items, first=first, after=after)

    @strawberry.field(
        description="SOC groups above this occupation: major, minor, broad (at most 3)."
    )
    def group_path(self, info: AppInfo) -> list[Group]:
        return [Group.of(g) for g in group_path(info.context.career, self.record)]

    @strawberry.field(
        description="The SOC major group, e.g. Healthcare Practitioners and Technical."
    )
    def major_group(self, info: AppInfo) -> Group | None:
        path = group_path(info.context.career, self.record)
        return Group.of(path[0]) if path else None

    @strawberry.field(description="O*NET Job Zone with its reference text (null where unknown).")
    def job_zone(self, info: AppInfo) -> JobZone | None:
        zone = self.record.job_zone
        if zone is None:
            return None
        ref = info.context.career.job_zone_reference.get(zone)
        return JobZone(
            zone=zone,
            name=ref.name if ref else None,
            education=ref.education if ref else None,
            experience=ref.experience if ref else None,
            training=ref.job_training if ref else None,
            examples=ref.examples if ref else None,
            svp_range=ref.svp_range if ref else None,
        )

    @strawberry.field(
        description=("Education, experience and training from O*NET (null where O*NET has none).")
    )
    def onet_education(self, info: AppInfo) -> OnetEducation | None:
        return onet_education(info.context.career, self.record)

    @strawberry.field(description="Holland RIASEC interests from O*NET (null where absent).")
    def interests(self, info: AppInfo) -> Interests | None:
        return interests(info.context.career, self.record)

    @strawberry.field(
        description=(
            "Projected growth, employment change and annual openings over the BLS projection "
            "decade (2024-34), with the growth label (null where "
            "BLS projects no figure)."
        )
    )
    def outlook(self, info: AppInfo) -> Outlook | None:
        return outlook_of(info.context.career, self.record)

    @strawberry.field(
        description=(
            "Most common degree and its share, the full degree distribution and the typical "
            "entry-level education (BLS; O*NET's required level where BLS has none). Null "
            "where the snapshot has none."
        )
    )
    def education(self, info: AppInfo) -> EducationProfile | None:
        return education_of(info.context.career, self.record)

    @strawberry.field(
        description=(
            "Work experience and training needed (BLS) and typical years of related experience "
            "(O*NET). Null where the snapshot has none."
        )
    )
    def experience(self, info: AppInfo) -> Experience | None:
        return experience_of(info.context.career, self.record)

    @strawberry.field(
        description=(
            "Median age, age bands, and women's, race and Hispanic shares (BLS CPS), with the "
            "Census line and survey year behind each. Null where no Census line matched."
        )
    )
    def demographics(self, info: AppInfo) -> Demographics | None:
        return demographics_of(info.context.career, self.record)

    @strawberry.field(description="Where the pay figures come from (own, inherited, aggregate).")
    def pay_basis(self) -> PayBasis:
        basis = self.record.pay_basis
        return enum_member(PayBasis, basis, PayBasis.NONE)

    @strawberry.field(
        description=(
            "Pay (BLS OEWS) in an area: `national` (default), an OEWS area code (`0600000`) or "
            "a state or metro name (`California`). `industry` narrows to an OEWS industry code "
            "or name. Null when BLS published no such cell."
        )
    )
    def wages(
        self, info: AppInfo, area: AreaArgument = "national", industry: IndustryArgument = None
    ) -> Wages | None:
        career = info.context.career
        key = (self.record.code, area_argument(career, area), industry_argument(career, industry))
        facts = info.context.facts(key)
        return _wages(career, facts) if facts is not None else None

    @strawberry.field(description="Employment (BLS OEWS) in an area and industry, as for `wages`.")
    def employment(
        self, info: AppInfo, area: AreaArgument = "national", industry: IndustryArgument = None
    ) -> Employment | None:
        career = info.context.career
        key = (self.record.code, area_argument(career, area), industry_argument(career, industry))
        facts = info.context.facts(key)
        return _employment(career, facts) if facts is not None else None

    @strawberry.field(
        description=(
            "Skills, knowledge and abilities: O*NET-rated ones first, highest score first, then "
            "descriptors derived from task text (their `source` says so; the scores are on "
            "different scales). `kind` narrows to one kind; without it every kind but "
            "TECHNOLOGY (see `technology`)."
        )
    )
    def skills(
        self,
        info: AppInfo,
        kind: SkillKindFilter = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[SkillRating] | None:
        career = info.context.career
        if kind is None:
            # Prepared at load in this order.
            ranked = career.indexes.ranked_skills.get(self.record.code, ())
            return paginate_as(ranked, SkillRating.of, first=first, after=after)
        profile = skill_profile(career, self.record)
        if kind is SkillKind.DERIVED:
            chosen = [s for s in profile.values() if s.source.startswith("derived:")]
        else:
            chosen = [s for s in profile.values() if s.descriptor.kind == enum_text(kind)]
        chosen.sort(key=skills_order)
        return paginate_as(chosen, SkillRating.of, first=first, after=after)

    @strawberry.field(
        description=(
            "Software and technology used (O*NET Technology Skills), hot "
            "technologies first. `hotOnly` keeps only O*NET hot technologies."
        )
    )
    def technology(
        self,
        info: AppInfo,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        hot_only: Annotated[
            bool,
            strawberry.argument(description="Only O*NET Hot Technologies (frequent in job ads)."),
        ] = False,
    ) -> Connection[TechnologySkill] | None:
        career = info.context.career
        rows = []
        for requirement in career.requirements.get(self.record.code, ()):
            descriptor = career.descriptors.get(requirement.descriptor)
            if descriptor is None or descriptor.kind != "technology":
                continue
            if hot_only and not requirement.hot:
                continue
            rows.append(TechnologySkill.of(descriptor, requirement))
        rows.sort(key=lambda t: (not t.hot, not t.in_demand, t.skill.record.name.lower()))
        return paginate(rows, first=first, after=after)

    @strawberry.field(
        description=(
            "Industries employing this occupation nationally, most jobs first. `level` is the "
            "OEWS industry level: 2 sector, 3 subsector, 4 industry group (default), 5 industry."
        )
    )
    def industries(
        self,
        info: AppInfo,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        level: Annotated[
            int,
            strawberry.argument(
                description="OEWS industry level: 2 sector, 3 subsector, 4 industry group "
                "(default), 5 industry."
            ),
        ] = 4,
    ) -> Connection[OccupationIndustry] | None:
        rows = [
            OccupationIndustry(
                industry=Industry.of(industry),
                employment=jobs_count(facts.get("employment")),
                share=share,
                annual_mean=facts.get("annual_mean"),
                annual_median=facts.get("annual_median"),
            )
            for industry, facts, share in occupation_industries(
                info.context.career, self.record, levels=frozenset({level})
            )
        ]
        return paginate(rows, first=first, after=after)

    def _areas(  # noqa: PLR0917 - the shared body of two list fields
        self,
        info: AppInfo,
        kind: str,
        by: PayMeasure,
        min_employment: int,
        first: int,
        after: str | None,
    ) -> Connection[AreaPay] | None:
        career = info.context.career
        ranked = top_areas(
            career, self.record, kind=kind, by=enum_text(by), min_employment=min_employment
        )
        return paginate_as(
            ranked,
            lambda r: AreaPay(
                area=Area.of(career.areas[r.code]),
                value=r.value,
                employment=jobs_count(r.employment),
                top_coded=r.top_coded,
            ),
            first=first,
            after=after,
        )

    @strawberry.field(
        description="States where this occupation pays most. " + _MIN_EMPLOYMENT_DESCRIPTION
    )
    def top_paying_states(
        self,
        info: AppInfo,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        min_employment: MinEmployment = 100,
        by: PayOrder = PayMeasure.ANNUAL_MEAN,
    ) -> Connection[AreaPay] | None:
        return self._areas(info, "state", by, min_employment, first, after)

    @strawberry.field(
        description="Metro areas where this occupation pays most. " + _MIN_EMPLOYMENT_DESCRIPTION
    )
    def top_paying_metros(
        self,
        info: AppInfo,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        min_employment: MinEmployment = 100,
        by: PayOrder = PayMeasure.ANNUAL_MEAN,
    ) -> Connection[AreaPay] | None:
        return self._areas(info, "metro", by, min_employment, first, after)

    @strawberry.field(
        description=(
            "Industries (OEWS 4-digit industry groups, national) where this occupation pays "
            "most. " + _MIN_EMPLOYMENT_DESCRIPTION
        )
    )
    def top_paying_industries(
        self,
        info: AppInfo,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        min_employment: MinEmployment = 100,
        by: PayOrder = PayMeasure.ANNUAL_MEAN,
    ) -> Connection[IndustryPay] | None:
        career = info.context.career
        ranked = top_industries(
            career, self.record, by=enum_text(by), min_employment=min_employment
        )
        return paginate_as(
            ranked,
            lambda r: IndustryPay(
                industry=Industry.of(career.industries[r.code]),
                value=r.value,
                employment=jobs_count(r.employment),
                top_coded=r.top_coded,
            ),
            first=first,
            after=after,
        )

    @strawberry.field(
        description=(
            "Careers a worker in this occupation could move to, with the reasons; the same as "
            "`Query.relatedCareers(of:)`."
        )
    )
    def related_careers(  # noqa: PLR0917 - GraphQL arguments, passed by keyword
        self,
        info: AppInfo,
        method: Annotated[
            RelatedMethod,
            strawberry.argument(description="How similarity is scored (default COMPOSITE)."),
        ] = RelatedMethod.COMPOSITE,
        weights: Annotated[
            Annotated[SimilarityWeightsInput, strawberry.lazy("graphql_api.api.types.related")]
            | None,
            strawberry.argument(description="Component weights of COMPOSITE (omit for defaults)."),
        ] = None,
        filter: Annotated[
            Annotated[RelatedFilterInput, strawberry.lazy("graphql_api.api.types.related")] | None,
            strawberry.argument(
                description="Which careers qualify (omit for the published defaults: score >= "
                "threshold, Job Zone up by at most 1, keeps >= 75% of earnings)."
            ),
        ] = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> (
        Connection[Annotated[RelatedCareer, strawberry.lazy("graphql_api.api.types.related")]]
        | None
    ):
        from graphql_api.api.types.related import related_connection  # noqa: PLC0415 - cycle

        return related_connection(
            info,
            self.record,
            method=method,
            weights=weights,
            where=filter,
            first=first,
            after=after,
        )

    @strawberry.field(description="The published sources behind this occupation's figures.")
    def sources(self, info: AppInfo) -> list[Source]:
        return occupation_sources(info.context.career, self.record)

    @staticmethod
    def of(record: model.Occupation, match: Match | None = None) -> Occupation:
        return Occupation(
            record=record,
            id=strawberry.ID(encode_global_id("Occupation", record.code)),
            code=record.code,
            soc_code=record.soc,
            onet_code=record.code if record.onet else None,
            title=record.title,
            slug=record.slug,
            description=record.description,
            match=match,
        )


def occupation_identity(source: object) -> str | None:
    """What identifies an Occupation's data for the object cache: its code, unless it carries a
    per-lookup ``match`` (which is not the occupation's data).

    >>> occupation_identity(object()) is None
    True
    """
    if isinstance(source, Occupation) and source.match is None:
        return source.record.code
    return None
