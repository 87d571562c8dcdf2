"""Validation results cached by the identity of the parsed document, not by its hash.

Strawberry's ``ValidationCache`` keys an ``lru_cache`` on ``(schema, document, rules)``, so each
request hashes the whole document tree: about 0.35 ms of a 5 ms comparison page. Documents here
come from a parse cache keyed by their text (``tokens.py``), so one text is one document object,
and its identity is enough. Each entry keeps its document, so an id is never reused while its
entry is stored; a document not seen before (or parsed again after eviction) is validated again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from cachetools import LRUCache
from strawberry.extensions import SchemaExtension

__all__ = ["DocumentValidationCache", "ValidationResults"]


class ValidationResults:
    """The shared store: (schema, document, rules) identities -> (document, errors)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: LRUCache[tuple[int, int, tuple[Any, ...]], tuple[Any, Any]] = LRUCache(
            maxsize=max(maxsize, 1)
        )
        self._lock = threading.Lock()

    def validate(self, schema: Any, document: Any, rules: Any) -> Any:
        from strawberry.schema.schema import validate_document  # noqa: PLC0415 - a cycle

        key = (id(schema), id(document), tuple(rules))
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] is document:
            return entry[1]
        errors = validate_document(schema, document, rules)
        if self.maxsize > 0:
            with self._lock:
                self._entries[key] = (document, errors)
        return errors


class DocumentValidationCache(SchemaExtension):
    """Replaces Strawberry's ``ValidationCache``; one :class:`ValidationResults` per schema."""

    def __init__(self, results: ValidationResults) -> None:
        super().__init__()
        self.results = results

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.pre_execution_errors = self.results.validate(
            context.schema._schema, context.graphql_document, context.validation_rules
        )
        yield
