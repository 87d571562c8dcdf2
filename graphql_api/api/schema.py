"""The GraphQL schema: the Query type merged from the domains, and the schema factory."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graphql_api.api.context import build_context, load_snapshot
from graphql_api.api.domains import browse, compare, dataset, occupation, related, search
from graphql_api.api.errors import is_public_error
from graphql_api.api.extensions import Limits, protective_extensions, time_limited_executor
from graphql_api.api.types.browse import Area, Group, Industry, Skill
from graphql_api.api.types.occupation import Occupation

__all__ = ["COST_MAP", "Query", "build_context", "build_schema", "load_snapshot"]

_DOMAINS = (occupation, search, compare, related, browse, dataset)

# Extra static cost of fields that fan out over many occupations or run graph algorithms; the
# cost extension multiplies a field's selections by its `first`, these add the work done once.
COST_MAP: dict[str, int] = {name: cost for domain in _DOMAINS for name, cost in domain.COST.items()}


@strawberry.type(
    description=(
        "careergraph: U.S. occupations with BLS OEWS pay and employment and O*NET skills, "
        "tasks and related occupations. Every occupation argument accepts a code, slug or title."
    )
)
class Query(
    occupation.OccupationQuery,
    search.SearchQuery,
    compare.CompareQuery,
    related.RelatedQuery,
    browse.BrowseQuery,
    dataset.DatasetQuery,
):
    """The root: every domain's fields, merged."""


class CareerSchema(strawberry.Schema):
    """The schema, logging only unexpected errors.

    NOT_FOUND, BAD_USER_INPUT and limit refusals are answers to the client, not faults of the
    service: logging each with a traceback would bury the internal errors that need attention.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [error for error in errors if not is_public_error(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """Build the schema with the protective extensions configured from ``limits``.

    The server passes values from its settings (``Settings.limits()``); without any, the public
    service's defaults apply.
    """
    limits = limits or Limits()
    return CareerSchema(
        query=Query,
        types=[Occupation, Group, Industry, Area, Skill],
        extensions=protective_extensions(limits, cost_map=COST_MAP),
        execution_context_class=(
            time_limited_executor(limits.execution_timeout_ms)
            if limits.execution_timeout_ms
            else None
        ),
        config=StrawberryConfig(disable_field_suggestions=not limits.field_suggestions),
    )
