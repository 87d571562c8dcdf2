"""Occupation domain root fields: one occupation's profile, and how an identifier resolves."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.api.errors import check_text, not_found
from graphql_api.api.types.common import AppInfo, Match
from graphql_api.api.types.occupation import Occupation
from graphql_api.graph import model
from graphql_api.graph.search import resolve_occupation, search

__all__ = ["COST", "ID_DESCRIPTION", "OccupationQuery", "resolve", "resolve_match"]

COST: dict[str, int] = {"Query.occupationMatch": 5}
_SUGGESTIONS = 5

ID_DESCRIPTION = (
    "An O*NET-SOC code (`29-1141.00`), SOC code (`29-1141`), slug (`registered-nurses`) or any "
    "title or alternate title (`patient care technician`)."
)


def resolve_match(career: model.CareerGraph, identifier: str, argument: str = "id") -> Match:
    """Resolve an occupation argument, or raise NOT_FOUND with the closest titles."""
    check_text(argument, identifier)
    match = resolve_occupation(career, identifier)
    if match is None:
        hits = search(career, identifier, first=_SUGGESTIONS)
        raise not_found("occupation", identifier, suggestions=[h.occupation.title for h in hits])
    return Match.of(match)


def resolve(career: model.CareerGraph, identifier: str, argument: str = "id") -> Occupation:
    """Resolve an occupation argument to the occupation (see :func:`resolve_match`)."""
    match = resolve_match(career, identifier, argument)
    return Occupation.of(match.record, match)


@strawberry.type
class OccupationQuery:
    @strawberry.field(
        description=(
            "One occupation's profile. Null with a NOT_FOUND error (with `suggestions`) when "
            "nothing matches; `occupationMatch` says how an id matched."
        )
    )
    def occupation(
        self,
        info: AppInfo,
        id: Annotated[str, strawberry.argument(description=ID_DESCRIPTION)],
    ) -> Occupation | None:
        return resolve(info.context.career, id)

    @strawberry.field(
        description=(
            "How an identifier resolves: the occupation, how it matched (code, slug, exact "
            "name or the title model's closest reading) and close alternatives when it is "
            "ambiguous. Null with NOT_FOUND (and `suggestions`) when nothing matches."
        )
    )
    def occupation_match(
        self,
        info: AppInfo,
        id: Annotated[str, strawberry.argument(description=ID_DESCRIPTION)],
    ) -> Match | None:
        return resolve_match(info.context.career, id)
