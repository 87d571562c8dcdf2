"""Search domain: typo-tolerant search over every name and code of an occupation."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.api.errors import check_text
from graphql_api.api.pagination import DEFAULT_PAGE_SIZE, After, Connection, First, paginate_as
from graphql_api.api.types.common import AppInfo, MatchField
from graphql_api.api.types.occupation import Occupation
from graphql_api.graph.search import search

__all__ = ["COST", "SearchHit", "SearchQuery"]

COST: dict[str, int] = {"Query.search": 5}


@strawberry.type(description="One search result.")
class SearchHit:
    occupation: Occupation = strawberry.field(description="The occupation found.")
    matched_text: str = strawberry.field(description="Which of its names matched.")
    matched_field: MatchField = strawberry.field(description="Which kind of name matched.")
    score: float = strawberry.field(description="Relevance, 0-1 (1 = exact).")


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description=(
            "Typo-tolerant search over titles, alternate titles and codes, best first; fast "
            "enough for autocomplete."
        )
    )
    def search(
        self,
        info: AppInfo,
        text: Annotated[str, strawberry.argument(description="What the user typed.")],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[SearchHit] | None:
        check_text("text", text)
        career = info.context.career
        hits = search(career, text, first=len(career.occupations))
        return paginate_as(
            hits,
            lambda h: SearchHit(
                occupation=Occupation.of(h.occupation),
                matched_text=h.matched_text,
                matched_field=MatchField(h.matched_field),
                score=h.score,
            ),
            first=first,
            after=after,
        )
