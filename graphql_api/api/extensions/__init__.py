"""Protective schema extensions: document limits, cost, error masking, caches."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from strawberry.extensions import SchemaExtension, ValidationCache

from graphql_api.config import Settings

from .aliases import MaxAliasesLimiter
from .cost import DEFAULT_LIST_SIZE, CostLimiter
from .depth import QueryDepthLimiter
from .masking import MaskInternalErrors
from .response_cache import ResponseCache
from .tokens import TokenLimiter

__all__ = [
    "CostLimiter",
    "MaskInternalErrors",
    "MaxAliasesLimiter",
    "QueryDepthLimiter",
    "ResponseCache",
    "TokenLimiter",
    "protective_extensions",
]


def protective_extensions(
    settings: Settings,
    *,
    cost_map: Mapping[str, int] | None = None,
    default_list_size: int = DEFAULT_LIST_SIZE,
) -> list[Callable[[], SchemaExtension]]:
    """Extension factories for ``strawberry.Schema(extensions=...)``, in the order they must run.

    Masking wraps everything; the token limiter parses (with its own document cache); the
    depth and alias rules join validation, whose results are cached; the cost check runs last,
    after validation passed, because it reads the request's variables.
    """
    max_tokens = settings.max_tokens
    max_bytes = settings.max_document_bytes
    cache_size = settings.document_cache_size
    max_depth = settings.max_depth
    max_aliases = settings.max_aliases
    max_cost = settings.max_cost
    costs = dict(cost_map or {})

    return [
        MaskInternalErrors,
        lambda: TokenLimiter(max_tokens=max_tokens, max_bytes=max_bytes, cache_size=cache_size),
        lambda: QueryDepthLimiter(max_depth=max_depth),
        lambda: MaxAliasesLimiter(max_aliases=max_aliases),
        lambda: ValidationCache(maxsize=cache_size),
        lambda: CostLimiter(max_cost=max_cost, cost_map=costs, default_list_size=default_list_size),
    ]
