"""Related careers and career paths: explainable moves between occupations."""

from __future__ import annotations

import math

import strawberry

from graphql_api.api.errors import bad_user_input
from graphql_api.api.pagination import Connection, page_window, paginate
from graphql_api.api.types.browse import SkillPair
from graphql_api.api.types.common import (
    AppInfo,
    MajorGroupFilter,
    MoveLabel,
    RelatedMethod,
    SimilarityComponents,
    enum_text,
)
from graphql_api.api.types.occupation import Occupation
from graphql_api.graph import model
from graphql_api.graph.lookups import count_related
from graphql_api.graph.related import (
    DEFAULT_FILTER,
    RelatedFilter,
    related_careers,
)
from graphql_api.graph.related import (
    CareerPath as GraphCareerPath,
)
from graphql_api.graph.related import (
    RelatedCareer as GraphRelatedCareer,
)
from graphql_api.graph.similarity import similarity_model
from graphql_api.ranker import COMPONENTS

__all__ = [
    "CareerPath",
    "PathStep",
    "RelatedCareer",
    "RelatedFilterInput",
    "SimilarityWeightsInput",
    "related_connection",
]

_PRACTICE = (
    "Defaults follow published transition research (World Economic Forum / Burning Glass, "
    "'Towards a Reskilling Revolution', 2018): a move is viable at a score >= 0.30, a Job Zone "
    "rise of at most 1, and keeping >= 75% of earnings. Pass null to switch a filter off."
)


@strawberry.input(description="Which related careers to keep. " + _PRACTICE)
class RelatedFilterInput:
    min_score: float | None = strawberry.field(
        default=DEFAULT_FILTER.min_score,
        description=(
            "Minimum score under the chosen method (default 0.30: on the COMPOSITE ranker's "
            "scale a 30% estimated chance of being among the ten most related; on a component's "
            "or a weighted mix's scale a cosine of 0.30). Ignored by method ONET."
        ),
    )
    max_job_zone_increase: int | None = strawberry.field(
        default=DEFAULT_FILTER.max_job_zone_increase,
        description="Largest allowed Job Zone rise (default 1); unknown Job Zones pass.",
    )
    min_wage_ratio: float | None = strawberry.field(
        default=DEFAULT_FILTER.min_wage_ratio,
        description=(
            "Minimum ratio of the target's median annual wage to this one's (default 0.75: "
            "keep at least 75% of earnings); unknown wages pass."
        ),
    )
    major_group: MajorGroupFilter = strawberry.field(
        default=MajorGroupFilter.ANY,
        description="Keep any, only the same, or only other SOC major groups (default ANY).",
    )


@strawberry.input(
    description=(
        "A custom mix: the COMPOSITE score becomes the weighted mean of the named components' "
        "similarities instead of the ranker's score. Components left out weigh 0; weights are "
        "non-negative, not all zero; a component unknown for a pair drops out of the mean."
    )
)
class SimilarityWeightsInput:
    words: float = strawberry.field(default=0.0, description="Weight of `words`.")
    tasks: float = strawberry.field(default=0.0, description="Weight of `tasks`.")
    activities: float = strawberry.field(default=0.0, description="Weight of `activities`.")
    titles: float = strawberry.field(default=0.0, description="Weight of `titles`.")
    description: float = strawberry.field(default=0.0, description="Weight of `description`.")
    skills: float = strawberry.field(default=0.0, description="Weight of `skills`.")
    interests: float = strawberry.field(default=0.0, description="Weight of `interests`.")
    technology: float = strawberry.field(default=0.0, description="Weight of `technology`.")
    tools: float = strawberry.field(default=0.0, description="Weight of `tools`.")
    industries: float = strawberry.field(default=0.0, description="Weight of `industries`.")


@strawberry.type(description="A career a worker could move to, with the numbers behind it.")
class RelatedCareer:
    occupation: Occupation = strawberry.field(description="The career to move to.")
    score: float | None = strawberry.field(
        description=(
            "Score under the chosen method: COMPOSITE's ranker 0 to 1, a component or a "
            "weighted mix -1 to 1 (null where it cannot be computed)."
        )
    )
    percentile: float = strawberry.field(
        description="Percent of this occupation's candidates scoring below this one (0-100)."
    )

    onet_tier: str | None = strawberry.field(
        description="O*NET's related-occupation tier (`Primary-Short`...) where O*NET lists it."
    )
    onet_rank: int | None = strawberry.field(description="Position in O*NET's own list.")

    wage_ratio: float | None = strawberry.field(
        description="Target's median annual wage / this one's (null when either is unpublished)."
    )
    job_zone_change: int | None = strawberry.field(
        description="Target's Job Zone minus this one's (positive = more preparation)."
    )
    label: MoveLabel = strawberry.field(description="What kind of move it is.")
    same_major_group: bool = strawberry.field(description="Both in the same SOC major group.")
    # The explanations below are worked out only when a query selects them.
    row: strawberry.Private[GraphRelatedCareer]

    @strawberry.field(
        description=(
            "Every component's similarity behind the score (the COMPOSITE ranker's trees combine "
            "them with the Job Zone, pay and SOC-group features; see RelatedMethod.COMPOSITE)."
        )
    )
    def components(self) -> SimilarityComponents:
        return SimilarityComponents.of(self.row.components)

    @strawberry.field(description="Up to 5 important skills both have, strongest in common first.")
    def top_shared_skills(self) -> list[SkillPair]:
        return [SkillPair.of(p) for p in self.row.shared_skills]

    @strawberry.field(description="Up to 5 skills the target needs more of, biggest gap first.")
    def biggest_skill_gaps(self) -> list[SkillPair]:
        return [SkillPair.of(p) for p in self.row.skill_gaps]

    @staticmethod
    def of(row: GraphRelatedCareer) -> RelatedCareer:
        return RelatedCareer(
            row=row,
            occupation=Occupation.of(row.occupation),
            score=None if math.isnan(row.score) else row.score,
            percentile=row.percentile,
            onet_tier=row.onet_tier,
            onet_rank=row.onet_index,
            wage_ratio=row.wage_ratio,
            job_zone_change=row.job_zone_change,
            label=MoveLabel(row.label),
            same_major_group=row.same_major_group,
        )


def _weights(weights: SimilarityWeightsInput | None) -> dict[str, float] | None:
    if weights is None:
        return None
    chosen = {name: float(getattr(weights, name)) for name in COMPONENTS}
    if (
        any(v < 0 or math.isnan(v) or math.isinf(v) for v in chosen.values())
        or sum(chosen.values()) <= 0
    ):
        raise bad_user_input("weights", "must be non-negative numbers, not all zero")
    return chosen


def _filter(where: RelatedFilterInput | None) -> RelatedFilter:
    if where is None:
        return DEFAULT_FILTER
    for name, value in (("minScore", where.min_score), ("minWageRatio", where.min_wage_ratio)):
        if value is not None and (math.isnan(value) or math.isinf(value)):
            raise bad_user_input(f"filter.{name}", "must be a finite number")
    return RelatedFilter(
        min_score=where.min_score,
        max_job_zone_increase=where.max_job_zone_increase,
        min_wage_ratio=where.min_wage_ratio,
        major_group=enum_text(where.major_group),
    )


def related_connection(
    info: AppInfo,
    occupation: model.Occupation,
    *,
    method: RelatedMethod,
    weights: SimilarityWeightsInput | None,
    where: RelatedFilterInput | None,
    first: int,
    after: str | None,
) -> Connection[RelatedCareer] | None:
    """Page through an occupation's related careers."""
    career = info.context.career
    chosen = _weights(weights)
    rule = _filter(where)
    page_window(first, after)
    model_ = similarity_model(career)
    if method in (RelatedMethod.COMPOSITE, RelatedMethod.ONET):
        row = model_.composite_row(occupation.index, chosen)
    else:
        row = model_.matrices[enum_text(method)][occupation.index]
    total = count_related(
        career,
        occupation,
        scores=row,
        method=enum_text(method),
        min_score=rule.min_score,
        max_job_zone_increase=rule.max_job_zone_increase,
        min_wage_ratio=rule.min_wage_ratio,
        major_group=rule.major_group,
    )

    def rows(count: int) -> list[RelatedCareer]:
        if count == 0:
            return []
        found = related_careers(
            career, occupation, method=enum_text(method), weights=chosen, where=rule, first=count
        )
        return [RelatedCareer.of(r) for r in found]

    return paginate(rows, first=first, after=after, total=total)


@strawberry.type(description="One move along a career path.")
class PathStep:
    source: Occupation = strawberry.field(description="Where this step starts.")
    target: Occupation = strawberry.field(description="Where this step ends.")
    score: float = strawberry.field(
        description="The relatedness ranker's score of the move, 0 to 1."
    )
    wage_ratio: float | None = strawberry.field(
        description="Target's median annual wage / source's."
    )
    skill_gaps: list[SkillPair] = strawberry.field(
        description="Up to 3 skills the target needs more of, biggest first."
    )


@strawberry.type(
    description=(
        "A sequence of viable moves (each ranker score >= 0.30, Job Zone +1 at most, "
        ">= 75% of earnings kept) between two occupations."
    )
)
class CareerPath:
    steps: list[PathStep] = strawberry.field(description="The moves, in order.")
    average_score: float = strawberry.field(description="Mean score of the steps.")
    length: int = strawberry.field(description="Number of moves.")

    @staticmethod
    def of(path: GraphCareerPath) -> CareerPath:
        return CareerPath(
            steps=[
                PathStep(
                    source=Occupation.of(s.source),
                    target=Occupation.of(s.target),
                    score=s.score,
                    wage_ratio=s.wage_ratio,
                    skill_gaps=[SkillPair.of(p) for p in s.skill_gaps],
                )
                for s in path.steps
            ],
            average_score=path.total_score,
            length=len(path.steps),
        )
