"""Comparison types: two occupations side by side, or a table of up to ten."""

from __future__ import annotations

import strawberry

from graphql_api.api.pagination import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    paginate_as,
)
from graphql_api.api.types.browse import SkillPair
from graphql_api.api.types.common import AppInfo, Higher, Match, SimilarityComponents
from graphql_api.api.types.occupation import Occupation, OnetEducation
from graphql_api.api.types.outlook import EducationProfile, education_of
from graphql_api.graph.compare import Comparison as GraphComparison
from graphql_api.graph.compare import Measure as GraphMeasure
from graphql_api.graph.related import SkillPair as GraphSkillPair

__all__ = [
    "Comparison",
    "ComparisonTable",
    "DegreeComparison",
    "EducationComparison",
    "Measure",
    "MeasureRow",
]


@strawberry.type(description="One numeric measure of two occupations (`a` and `b`).")
class Measure:
    name: str = strawberry.field(description="Stable key, e.g. `annualMedianWage`.")
    label: str = strawberry.field(description="Human label, e.g. `median annual wage`.")
    unit: str = strawberry.field(description="Unit, e.g. `USD`, `jobs`, `zone 1-5`.")
    a: float | None = strawberry.field(description="Value for `a` (null when unpublished).")
    b: float | None = strawberry.field(description="Value for `b`.")
    difference: float | None = strawberry.field(description="b - a.")
    ratio: float | None = strawberry.field(
        description="b / a; null when a is not positive or b is negative (a ratio of signed "
        "changes, such as growth against decline, means nothing)."
    )
    higher: Higher | None = strawberry.field(description="Which side is higher.")

    @staticmethod
    def of(measure: GraphMeasure) -> Measure:
        return Measure(
            name=measure.name,
            label=measure.label,
            unit=measure.unit,
            a=measure.a,
            b=measure.b,
            difference=measure.difference,
            ratio=measure.ratio,
            higher=Higher(measure.higher) if measure.higher else None,
        )


@strawberry.type(description="O*NET education, experience and training of both sides.")
class EducationComparison:
    a: OnetEducation | None = strawberry.field(description="Occupation a (null where absent).")
    b: OnetEducation | None = strawberry.field(description="Occupation b.")


@strawberry.type(
    description=(
        "Degrees side by side: each side's most common degree with its share and typical "
        "entry-level education (BLS; O*NET's required level where BLS has none)."
    )
)
class DegreeComparison:
    a: EducationProfile | None = strawberry.field(
        description="Occupation a (null where the snapshot has no education figures)."
    )
    b: EducationProfile | None = strawberry.field(description="Occupation b.")

    @strawberry.field(
        description="Both sides' most common degree is the same (null when either is unknown)."
    )
    def same_most_common_degree(self) -> bool | None:
        if self.a is None or self.b is None:
            return None
        if self.a.most_common_degree is None or self.b.most_common_degree is None:
            return None
        return self.a.most_common_degree == self.b.most_common_degree

    @strawberry.field(
        description="Both need the same typical entry-level education (null when either is unknown)."
    )
    def same_entry_education(self) -> bool | None:
        if self.a is None or self.b is None:
            return None
        if self.a.typical_entry_education is None or self.b.typical_entry_education is None:
            return None
        return self.a.typical_entry_education == self.b.typical_entry_education


@strawberry.type(description="Overall similarity of two occupations and its components.")
class Similarity:
    score: float | None = strawberry.field(
        description=(
            "The relatedness ranker's score of a move from `a` to `b`, 0 to 1 (the estimated "
            "chance that O*NET's analysts list `b` among `a`'s ten most related), or the "
            "weighted mean of the components when `weights` are given; 0.30 and above counts as "
            "a viable move."
        )
    )
    components: SimilarityComponents = strawberry.field(description="The component scores.")


def _pairs(
    items: tuple[GraphSkillPair, ...], first: int, after: str | None
) -> Connection[SkillPair] | None:
    return paginate_as(items, SkillPair.of, first=first, after=after)


@strawberry.type(
    description=(
        "Everything a comparison page shows for two occupations `a` and `b`, in one request."
    )
)
class Comparison:
    record: strawberry.Private[GraphComparison]
    a: Occupation = strawberry.field(description="The first occupation, full profile.")
    b: Occupation = strawberry.field(description="The second occupation, full profile.")
    a_match: Match = strawberry.field(description="How the `a` you passed matched `a`.")
    b_match: Match = strawberry.field(description="How the `b` you passed matched `b`.")
    education: EducationComparison = strawberry.field(
        description="O*NET education and experience side by side."
    )

    @strawberry.field(
        description=(
            "Every numeric measure side by side: pay, jobs, Job Zone, projected growth, "
            "employment change and openings, most-common-degree share, typical experience, "
            "median age, women's, race and Hispanic shares."
        )
    )
    def measures(self) -> list[Measure]:
        return [Measure.of(m) for m in self.record.measures]

    @strawberry.field(
        description=(
            "Most common degree and typical entry-level education of both sides (`a` or `b` "
            "is null where BLS has no figures for it)."
        )
    )
    def degrees(self, info: AppInfo) -> DegreeComparison:
        career = info.context.career
        return DegreeComparison(
            a=education_of(career, self.record.a), b=education_of(career, self.record.b)
        )

    @strawberry.field(description="Important skills both have, with both sides' scores.")
    def shared_skills(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[SkillPair] | None:
        return _pairs(self.record.shared_skills, first, after)

    @strawberry.field(description="Important skills only `a` has.")
    def only_a(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[SkillPair] | None:
        return _pairs(self.record.only_a, first, after)

    @strawberry.field(description="Important skills only `b` has.")
    def only_b(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[SkillPair] | None:
        return _pairs(self.record.only_b, first, after)

    @strawberry.field(
        description="Skills to build moving from a to b: where b scores higher, biggest gap first."
    )
    def skill_gap(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[SkillPair] | None:
        return _pairs(self.record.skill_gap, first, after)

    @strawberry.field(description="Overall similarity and its components.")
    def similarity(self) -> Similarity:
        return Similarity(
            score=self.record.similarity,
            components=SimilarityComponents.of(self.record.components),
        )

    @strawberry.field(description="Occupations O*NET relates to both.")
    def common_related(
        self, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Occupation] | None:
        return paginate_as(self.record.common_related, Occupation.of, first=first, after=after)

    @strawberry.field(
        description=(
            "Plain-English sentences generated from the numbers: who pays more and by how much, "
            "jobs, projected growth and openings, preparation, degrees and entry education, "
            "median age and women's share, each side's top three skills, best-paying states. "
            "A sentence whose figures are missing is left out."
        )
    )
    def summary(self) -> list[str]:
        return list(self.record.summary)


@strawberry.type(description="One measure across every compared occupation.")
class MeasureRow:
    name: str = strawberry.field(description="Stable key, e.g. `annualMedianWage`.")
    label: str = strawberry.field(description="Human label.")
    unit: str = strawberry.field(description="Unit.")
    values: list[float | None] = strawberry.field(
        description="One value per occupation, in the order of `occupations`."
    )


@strawberry.type(description="Several occupations compared as a table.")
class ComparisonTable:
    occupations: list[Occupation] = strawberry.field(
        description="The occupations, in the order asked (2 to 10)."
    )
    matches: list[Match] = strawberry.field(
        description="How each id you passed matched, in the same order as `occupations`."
    )
    measures: list[MeasureRow] = strawberry.field(
        description=(
            "One row per measure, the same measures as `Comparison.measures` (pay, jobs, "
            "growth, openings, degrees, age, shares)."
        )
    )
    similarity: list[list[float | None]] = strawberry.field(
        description=(
            "The relatedness ranker's score of every move, row to column (rows and columns "
            "follow `occupations`; 1 on the diagonal). A move and its reverse can differ: the "
            "ranker's features weigh how close each is among the other's candidates."
        )
    )
