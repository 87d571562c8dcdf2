"""Reuse completed objects across requests: an occupation's profile is executed once per selection.

A comparison is rarely the same pair twice (about a million ordered pairs), so whole responses
seldom repeat; but each side of every pair is one of about a thousand occupations, and a front end
asks for the same profile selection on each side. The data is read-only per snapshot, so the
completed result of a selection on an object depends only on the snapshot, the object, the
selection (fragments expanded) and the variables that selection reads. :class:`ObjectCache` keeps
those results (bounded in estimated bytes, least recently used first out), and the executor class
made by :func:`caching_executor` consults it in ``complete_object_value`` for the object types it
is given an identity function for.

What is never cached, so a hit is always the answer a fresh execution would give:

- a completion that recorded any field error (or raised): errors keep their paths per request;
- selections with directives other than ``@include``/``@skip`` (``@defer`` and ``@stream``
  deliver incrementally) or with fragment arguments;
- selections of leaves only (``{ id code title }``): executing them costs less than the lookup;
- objects whose identity function returns None (for Occupation: one carrying a per-lookup
  ``match``).

Relies on graphql-core's ``complete_object_value`` and ``collected_errors`` (pinned in
pyproject.toml; ``tests/api/test_object_cache.py`` fails if either moves).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import (
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLResolveInfo,
    Node,
    VariableNode,
    print_ast,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

__all__ = [
    "ObjectCache",
    "SelectionPlan",
    "caching_executor",
    "estimated_bytes",
    "plan_selection",
]

Identity = Callable[[Any], Hashable | None]
"""Maps a resolved source object to what identifies its data, or None when it must not be cached."""

_SAFE_DIRECTIVES = frozenset({"include", "skip"})
_UNSET = "\x00unset"


def estimated_bytes(value: object) -> int:
    """A rough count of the memory a completed result holds (str, numbers, lists and dicts).

    Used only to bound the cache; it counts CPython's usual object sizes, not exact ones.

    >>> estimated_bytes({"a": [1, 2.5, None], "b": "xyz"}) > estimated_bytes({"a": []})
    True
    """
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += 49 + len(item)
        elif isinstance(item, dict):
            total += 232 + 72 * len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            total += 56 + 8 * len(item)
            stack.extend(item)
        else:
            total += 24
    return total


@dataclass(frozen=True)
class SelectionPlan:
    """What a selection set reads, computed once per document (fields are nodes of a cached parse).

    ``fingerprint`` is the printed selection with every fragment it reaches; ``variables`` the
    names of the variables it reads, in order. ``cacheable`` is False when it must be executed.
    """

    nodes: tuple[FieldNode, ...]
    fingerprint: str
    variables: tuple[str, ...]
    cacheable: bool

    def variable_key(self, coerced: Mapping[str, Any]) -> str:
        """The values of the variables this selection reads, rendered canonically."""
        if not self.variables:
            return ""
        values = [coerced.get(name, _UNSET) for name in self.variables]
        return json.dumps(values, sort_keys=True, default=repr, separators=(",", ":"))


def plan_selection(
    field_details: Sequence[FieldDetails], fragments: Mapping[str, FragmentDetails]
) -> SelectionPlan:
    """Fingerprint the merged selection of ``field_details`` and decide whether it may be cached.

    >>> from graphql import parse
    >>> doc = parse("query($n: Int) { a { ...F } } fragment F on A { b(first: $n) { c } }")
    >>> field = doc.definitions[0].selection_set.selections[0]
    >>> frags = {"F": FragmentDetails(doc.definitions[1])}
    >>> plan = plan_selection([FieldDetails(field, None)], frags)
    >>> plan.variables, plan.cacheable
    (('n',), True)
    >>> plan_selection([FieldDetails(doc.definitions[1].selection_set.selections[0], None)], {}).cacheable
    False
    """
    nodes = tuple(detail.node for detail in field_details)
    variables: set[str] = set()
    reached: set[str] = set()
    state = {"nested": False, "safe": True}

    def walk(node: Node) -> None:
        if isinstance(node, VariableNode):
            variables.add(node.name.value)
            return
        if isinstance(node, DirectiveNode) and node.name.value not in _SAFE_DIRECTIVES:
            state["safe"] = False
        if isinstance(node, FieldNode) and node.selection_set is not None:
            state["nested"] = True
        if isinstance(node, FragmentSpreadNode):
            name = node.name.value
            details = fragments.get(name)
            if details is None or details.variable_signatures:
                state["safe"] = False
            elif name not in reached:
                reached.add(name)
                walk(details.definition.selection_set)
        for key in node.keys:
            child = getattr(node, key, None)
            if isinstance(child, Node):
                walk(child)
            elif isinstance(child, tuple | list):
                for item in child:
                    if isinstance(item, Node):
                        walk(item)

    safe_details = all(
        detail.defer_usage is None and detail.fragment_variable_values is None
        for detail in field_details
    )
    for node in nodes:
        if node.selection_set is not None:
            walk(node.selection_set)
    printed = [print_ast(node.selection_set) for node in nodes if node.selection_set is not None]
    printed += [print_ast(fragments[name].definition) for name in sorted(reached)]
    return SelectionPlan(
        nodes=nodes,
        fingerprint="\n".join(printed),
        variables=tuple(sorted(variables)),
        cacheable=safe_details and state["safe"] and state["nested"],
    )


class ObjectCache:
    """Completed object results, at most ``max_bytes`` (estimated) of them; 0 disables it.

    Keys carry a scope (the snapshot version), so a reload changes every key and old entries age
    out. ``hits`` and ``misses`` count lookups; ``observe``, when set, is called with each
    lookup's result (True for a hit), which the server turns into a Prometheus counter.

    >>> cache = ObjectCache(max_bytes=10_000)
    >>> cache.put(("v", "x"), {"a": 1})
    >>> cache.get(("v", "x")), cache.get(("v", "y")), (cache.hits, cache.misses)
    ({'a': 1}, None, (1, 1))
    """

    def __init__(self, max_bytes: int, max_plans: int = 1024) -> None:
        self.enabled = max_bytes > 0
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self.observe: Callable[[bool], None] | None = None
        self._entries: LRUCache[Hashable, tuple[Any, int]] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=lambda entry: entry[1]
        )
        # Plans by the identity of their field nodes; each plan holds its nodes, so an id is
        # never reused while its plan is stored.
        self._plans: LRUCache[tuple[int, ...], SelectionPlan] = LRUCache(maxsize=max_plans)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        """Estimated bytes currently held."""
        return int(self._entries.currsize)

    def plan(
        self, field_details: Sequence[FieldDetails], fragments: Mapping[str, FragmentDetails]
    ) -> SelectionPlan:
        """The (memoised) plan of a selection."""
        key = tuple(id(detail.node) for detail in field_details)
        plan = self._plans.get(key)
        if plan is None or any(
            a is not b.node for a, b in zip(plan.nodes, field_details, strict=True)
        ):
            plan = plan_selection(field_details, fragments)
            self._plans[key] = plan
        return plan

    def get(self, key: Hashable) -> Any:
        """The stored result for ``key`` or None, counting a hit or a miss."""
        with self._lock:
            entry = self._entries.get(key)
            hit = entry is not None
            if hit:
                self.hits += 1
            else:
                self.misses += 1
        if self.observe is not None:
            self.observe(hit)
        return entry[0] if entry is not None else None

    def put(self, key: Hashable, value: Any) -> None:
        """Store a completed result (unless it alone would exceed the bound)."""
        size = estimated_bytes(value) + 256
        if size > self.max_bytes:
            return
        with self._lock:
            self._entries[key] = (value, size)

    def clear(self) -> None:
        """Drop every entry and plan (counters are kept)."""
        with self._lock:
            self._entries.clear()
            self._plans.clear()


def caching_executor(
    base: type[StrawberryGraphQLCoreExecutionContext],
    cache: ObjectCache,
    identities: Mapping[str, Identity],
    scope: Callable[[Any], Hashable],
) -> type[StrawberryGraphQLCoreExecutionContext]:
    """``base`` with completed objects of the types in ``identities`` served from ``cache``.

    ``identities`` maps a GraphQL type name to a function of the resolved source object;
    ``scope`` maps the request's context to what versions the data (the snapshot version).
    """

    class CachingExecutor(base):  # type: ignore[misc,valid-type]
        def complete_object_value(  # noqa: PLR0917 - graphql-core's signature
            self,
            return_type: GraphQLObjectType,
            field_details_list: list[FieldDetails],
            info: GraphQLResolveInfo[Any],
            path: Path,
            result: Any,
            position_context: Any,
        ) -> Any:
            identify = identities.get(return_type.name)
            identity = identify(result) if identify is not None else None
            if identity is None:
                return super().complete_object_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            plan = cache.plan(field_details_list, self.fragments)
            if not plan.cacheable:
                return super().complete_object_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            key = (
                scope(self.context_value),
                return_type.name,
                identity,
                plan.fingerprint,
                plan.variable_key(self.variable_values.coerced),
            )
            stored = cache.get(key)
            if stored is not None:
                return stored
            errors = self.collected_errors.errors
            before = len(errors)
            completed = super().complete_object_value(
                return_type, field_details_list, info, path, result, position_context
            )
            if not self.is_awaitable(completed):
                if len(errors) == before:
                    cache.put(key, completed)
                return completed

            async def settle() -> Any:
                value = await completed
                # Concurrent siblings may add errors meanwhile; then this result is not kept.
                if len(errors) == before:
                    cache.put(key, value)
                return value

            return settle()

    CachingExecutor.__name__ = f"Caching{base.__name__}"
    return CachingExecutor
