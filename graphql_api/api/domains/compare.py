"""Compare domain: two occupations side by side, or a table of up to ten."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.api.domains.occupation import ID_DESCRIPTION, resolve_match
from graphql_api.api.errors import bad_user_input
from graphql_api.api.types.common import AppInfo
from graphql_api.api.types.compare import (
    Comparison,
    ComparisonTable,
    EducationComparison,
    MeasureRow,
)
from graphql_api.api.types.occupation import Occupation, onet_education
from graphql_api.graph.compare import MEASURES, compare, compare_many

__all__ = ["COST", "CompareQuery"]

COST: dict[str, int] = {"Query.compare": 20, "Query.compareMany": 40}
# compareMany takes 2 to 10 occupations (issue 3).
MIN_COMPARED, MAX_COMPARED = 2, 10


@strawberry.type
class CompareQuery:
    @strawberry.field(
        description=(
            "The whole comparison page for two occupations: both profiles, every measure side "
            "by side, shared and exclusive skills, the skill gap a -> b, similarity, related "
            "careers in common and summary sentences."
        )
    )
    def compare(
        self,
        info: AppInfo,
        a: Annotated[str, strawberry.argument(description="First occupation. " + ID_DESCRIPTION)],
        b: Annotated[str, strawberry.argument(description="Second occupation.")],
    ) -> Comparison | None:
        career = info.context.career
        left, right = resolve_match(career, a, "a"), resolve_match(career, b, "b")
        result = compare(career, left.record, right.record)
        return Comparison(
            record=result,
            a=Occupation.of(left.record),
            b=Occupation.of(right.record),
            a_match=left,
            b_match=right,
            education=EducationComparison(
                a=onet_education(career, left.record), b=onet_education(career, right.record)
            ),
        )

    @strawberry.field(
        description=(
            "Compare 2 to 10 occupations: every measure as a table, plus pairwise similarity."
        )
    )
    def compare_many(
        self,
        info: AppInfo,
        ids: Annotated[list[str], strawberry.argument(description="2 to 10 occupation ids.")],
    ) -> ComparisonTable | None:
        if not MIN_COMPARED <= len(ids) <= MAX_COMPARED:
            raise bad_user_input("ids", f"must name {MIN_COMPARED} to {MAX_COMPARED} occupations")
        career = info.context.career
        matches = [resolve_match(career, i, "ids") for i in ids]
        rows, matrix = compare_many(career, [m.record for m in matches])
        return ComparisonTable(
            occupations=[Occupation.of(m.record) for m in matches],
            matches=matches,
            measures=[
                MeasureRow(
                    name=spec.name,
                    label=spec.label,
                    unit=spec.unit,
                    values=[row[spec.name] for row in rows],
                )
                for spec in MEASURES
            ],
            similarity=matrix,
        )
