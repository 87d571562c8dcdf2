"""Protective schema extensions: document limits, cost, error codes and masking, caches."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from strawberry.extensions import DisableIntrospection, SchemaExtension

from .aliases import MaxAliasesLimiter
from .cost import DEFAULT_LIST_SIZE, CostCache, CostLimiter
from .depth import QueryDepthLimiter
from .error_codes import ErrorCodes
from .limits import Limits
from .masking import MaskInternalErrors
from .object_cache import ObjectCache, caching_executor
from .plain_fields import plain_field_executor
from .time_limit import time_limited_executor
from .tokens import TokenLimiter
from .validation import DocumentValidationCache, ValidationResults

__all__ = [
    "CostLimiter",
    "ErrorCodes",
    "Limits",
    "MaskInternalErrors",
    "MaxAliasesLimiter",
    "ObjectCache",
    "QueryDepthLimiter",
    "TokenLimiter",
    "caching_executor",
    "plain_field_executor",
    "protective_extensions",
    "time_limited_executor",
]


def protective_extensions(
    limits: Limits | None = None,
    *,
    cost_map: Mapping[str, int] | None = None,
    default_list_size: int = DEFAULT_LIST_SIZE,
) -> list[Callable[[], SchemaExtension]]:
    """Extension factories for ``strawberry.Schema(extensions=...)``, in the order they must run.

    Error coding wraps everything, so it sees the errors of every stage; masking comes next;
    the token limiter parses (with its own document cache); the depth and alias rules (and
    graphql-core's NoSchemaIntrospectionCustomRule, through Strawberry's DisableIntrospection,
    when introspection is off) join validation, whose results are cached; the cost check runs
    last, after validation passed, because it reads the request's variables.
    """
    limits = limits or Limits()
    costs = dict(cost_map or {})
    cost_cache = CostCache(maxsize=limits.document_cache_size)
    validations = ValidationResults(limits.document_cache_size)
    suggestions = limits.field_suggestions
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: ErrorCodes(field_suggestions=suggestions),
        MaskInternalErrors,
        lambda: TokenLimiter(
            max_tokens=limits.max_tokens,
            max_bytes=limits.max_document_bytes,
            cache_size=limits.document_cache_size,
        ),
        lambda: QueryDepthLimiter(max_depth=limits.max_depth),
        lambda: MaxAliasesLimiter(max_aliases=limits.max_aliases),
    ]
    if not limits.introspection:
        extensions.append(DisableIntrospection)
    extensions += [
        lambda: DocumentValidationCache(validations),
        lambda: CostLimiter(
            max_cost=limits.max_cost,
            cost_map=costs,
            default_list_size=default_list_size,
            cache=cost_cache,
        ),
    ]
    return extensions
