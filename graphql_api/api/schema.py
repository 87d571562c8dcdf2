"""The GraphQL schema: the Query type merged from the domains, and the schema factory."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import ExecutionContext

from graphql_api.api.context import Context, build_context, load_snapshot
from graphql_api.api.domains import browse, compare, dataset, occupation, related, search
from graphql_api.api.errors import is_public_error
from graphql_api.api.extensions import (
    Limits,
    ObjectCache,
    caching_executor,
    plain_field_executor,
    protective_extensions,
    time_limited_executor,
)
from graphql_api.api.types.browse import Area, Group, Industry, Skill
from graphql_api.api.types.occupation import Occupation, occupation_identity

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
    """The schema, logging only unexpected errors, with its cache of completed objects.

    NOT_FOUND, BAD_USER_INPUT and limit refusals are answers to the client, not faults of the
    service: logging each with a traceback would bury the internal errors that need attention.
    ``object_cache`` (None when off) is the executor's; the server counts its hits.
    """

    object_cache: ObjectCache | None = None

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
    executor: type[StrawberryGraphQLCoreExecutionContext] = (
        time_limited_executor(limits.execution_timeout_ms)
        if limits.execution_timeout_ms
        else StrawberryGraphQLCoreExecutionContext
    )
    if limits.plain_fields:
        executor = plain_field_executor(executor)
    cache = ObjectCache(limits.object_cache_bytes) if limits.object_cache_bytes else None
    if cache is not None:
        executor = caching_executor(
            executor, cache, {"Occupation": occupation_identity}, scope=_snapshot_scope
        )
    schema = CareerSchema(
        query=Query,
        types=[Occupation, Group, Industry, Area, Skill],
        extensions=protective_extensions(limits, cost_map=COST_MAP),
        execution_context_class=executor,
        config=StrawberryConfig(disable_field_suggestions=not limits.field_suggestions),
    )
    schema.object_cache = cache
    return schema


def _snapshot_scope(context: Context) -> tuple[str, int]:
    # The version names the data; the graph's identity tells apart two loads of one version
    # (a rebuilt snapshot keeps its manifest version only if its content is the same).
    return (context.career.dataset.version, id(context.career))
