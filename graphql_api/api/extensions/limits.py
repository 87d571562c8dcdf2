"""The values the API's protective extensions are built from, handed in by whoever serves it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits"]


@dataclass(frozen=True)
class Limits:
    """Document limits and switches for :func:`graphql_api.api.schema.build_schema`.

    The API layer receives these as values; the server fills them from its settings, tests and
    the command line build them directly. The defaults are the public service's.

    >>> Limits(max_depth=5).max_depth
    5
    """

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    # Caps the query text before the lexer sees it, so a 10 MB document costs one len().
    max_document_bytes: int = 100_000
    max_cost: int = 50_000
    document_cache_size: int = 512
    # Milliseconds an operation may run before it is stopped with EXECUTION_TIMEOUT; 0 = no limit.
    execution_timeout_ms: int = 5000
    # Estimated bytes of completed occupation selections reused across requests; 0 = off.
    object_cache_bytes: int = 64 * 1024 * 1024
    # Complete plain scalar fields by an attribute read and a serialize (plain_fields.py); off
    # only to compare with graphql-core's generic path.
    plain_fields: bool = True
    # Both on for the public playground; a private deployment may switch them off.
    introspection: bool = True
    field_suggestions: bool = True
