"""Related-careers domain: careers a worker could move to, and multi-step career paths."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.api.domains.occupation import ID_DESCRIPTION, resolve
from graphql_api.api.errors import bad_user_input
from graphql_api.api.pagination import DEFAULT_PAGE_SIZE, After, Connection, First, paginate
from graphql_api.api.types.common import AppInfo, RelatedMethod
from graphql_api.api.types.related import (
    CareerPath,
    RelatedCareer,
    RelatedFilterInput,
    SimilarityWeightsInput,
    related_connection,
)
from graphql_api.graph.related import career_path

__all__ = ["COST", "RelatedQuery"]

COST: dict[str, int] = {
    "Query.relatedCareers": 20,
    "Occupation.relatedCareers": 20,
    "Query.careerPath": 200,
}
MAX_PATH_STEPS = 6
MAX_PATHS = 10


@strawberry.type
class RelatedQuery:
    @strawberry.field(
        description=(
            "Careers a worker in `of` could move to, each with its score, percentile, "
            "components, shared skills, skill gaps, wage ratio, Job Zone change and a label. "
            "The default filter keeps viable moves as published research defines them "
            "(similarity >= 0.30, Job Zone +1 at most, >= 75% of earnings)."
        )
    )
    def related_careers(  # noqa: PLR0917 - GraphQL arguments, passed by keyword
        self,
        info: AppInfo,
        of: Annotated[str, strawberry.argument(description=ID_DESCRIPTION)],
        method: Annotated[
            RelatedMethod,
            strawberry.argument(description="How similarity is scored (default COMPOSITE)."),
        ] = RelatedMethod.COMPOSITE,
        weights: Annotated[
            SimilarityWeightsInput | None,
            strawberry.argument(description="Component weights of COMPOSITE (omit for defaults)."),
        ] = None,
        filter: Annotated[
            RelatedFilterInput | None,
            strawberry.argument(
                description="Which careers qualify (omit for the published defaults: score >= "
                "threshold, Job Zone up by at most 1, keeps >= 75% of earnings)."
            ),
        ] = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[RelatedCareer] | None:
        occupation = resolve(info.context.career, of, "of")
        return related_connection(
            info,
            occupation.record,
            method=method,
            weights=weights,
            where=filter,
            first=first,
            after=after,
        )

    @strawberry.field(
        description=(
            "The best few paths of viable moves from one occupation to another, fewest and "
            "closest moves first; empty when no path of at most `maxSteps` exists."
        )
    )
    def career_path(  # noqa: PLR0917 - GraphQL arguments, passed by keyword
        self,
        info: AppInfo,
        from_: Annotated[str, strawberry.argument(name="from", description="Starting occupation.")],
        to: Annotated[str, strawberry.argument(description="Target occupation.")],
        max_steps: Annotated[
            int, strawberry.argument(description=f"Most moves per path, 1 to {MAX_PATH_STEPS}.")
        ] = 4,
        first: Annotated[
            int, strawberry.argument(description=f"How many paths, at most {MAX_PATHS}.")
        ] = 3,
        after: After = None,
    ) -> Connection[CareerPath] | None:
        if not 1 <= max_steps <= MAX_PATH_STEPS:
            raise bad_user_input("maxSteps", f"must be between 1 and {MAX_PATH_STEPS}")
        if not 0 <= first <= MAX_PATHS:
            raise bad_user_input("first", f"must be between 0 and {MAX_PATHS}")
        career = info.context.career
        source, target = resolve(career, from_, "from"), resolve(career, to, "to")
        paths = career_path(
            career, source.record, target.record, max_steps=max_steps, first=MAX_PATHS
        )
        return paginate([CareerPath.of(p) for p in paths], first=first, after=after)
