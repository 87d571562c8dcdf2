"""Refuse operations nested deeper than a limit, following fragments; introspection has its own.

Kept instead of Strawberry's ``QueryDepthLimiter`` because it does more: introspection subtrees
are measured separately (GraphiQL's own schema query nests 15 deep and must pass a limit of 12,
while graphql-core's ``MaxIntrospectionDepthRule``, which it adds, refuses introspection abuse);
fragments are measured once each without recursing through spreads; and the rule class is cached
per limit so the validation cache (``validation.py``) reuses results. The refusal carries QUERY_TOO_DEEP.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_introspection_query,
    parse,
)
from graphql.language import SKIP, FragmentSpreadNode, VisitorAction
from graphql.validation import MaxIntrospectionDepthRule
from strawberry.extensions import AddValidationRules

from graphql_api.api.errors import ErrorCode, limit_exceeded

from ._fragments import fragments_in_dependency_order

__all__ = ["STANDARD_INTROSPECTION_DEPTH", "QueryDepthLimiter", "depth_rule", "operation_depths"]

_INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})

# (ordinary depth, introspection depth) of a selection set.
_Depths = tuple[int, int]


def _measure(selection_set: SelectionSetNode, fragments: dict[str, _Depths]) -> _Depths:
    plain = intro = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            child = (0, 0)
            if selection.selection_set:
                child = _measure(selection.selection_set, fragments)
            if selection.name.value in _INTROSPECTION_ROOTS:
                plain = max(plain, 1)
                intro = max(intro, 1 + max(child))
            else:
                plain = max(plain, 1 + child[0])
                intro = max(intro, child[1])
        elif isinstance(selection, InlineFragmentNode):
            child = _measure(selection.selection_set, fragments)
            plain, intro = max(plain, child[0]), max(intro, child[1])
        elif isinstance(selection, FragmentSpreadNode):
            child = fragments.get(selection.name.value, (0, 0))
            plain, intro = max(plain, child[0]), max(intro, child[1])
    return plain, intro


def operation_depths(document: DocumentNode) -> dict[OperationDefinitionNode, _Depths]:
    """Per operation: (depth of ordinary fields, depth of ``__schema``/``__type`` subtrees).

    A leaf field counts 1, so ``{ a { b } }`` has depth 2.

    >>> [d for d in operation_depths(parse("{ a { b } }")).values()]
    [(2, 0)]
    """
    fragments: dict[str, _Depths] = {}
    for fragment in fragments_in_dependency_order(document):
        fragments[fragment.name.value] = _measure(fragment.selection_set, fragments)
    return {
        op: _measure(op.selection_set, fragments)
        for op in document.definitions
        if isinstance(op, OperationDefinitionNode)
    }


def _standard_introspection_depth() -> int:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
        one_of=True,
    )
    return max(intro for _, intro in operation_depths(parse(query)).values())


# GraphiQL (graphql-js getIntrospectionQuery) nests ofType to the same depth as graphql-core's
# default type_depth, so the IDE's own schema fetch passes. Abuse of introspection lists
# ("fields { type { fields ...") is refused separately by graphql-core's MaxIntrospectionDepthRule.
STANDARD_INTROSPECTION_DEPTH = _standard_introspection_depth()


@cache
def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule class refusing operations deeper than ``max_depth`` (one class per limit).

    The class is cached so the rules tuple stays equal across requests and Strawberry's
    the validation cache can reuse results.
    """
    introspection_limit = max(max_depth, STANDARD_INTROSPECTION_DEPTH)

    class QueryDepthRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> VisitorAction:
            for operation, (plain, intro) in operation_depths(node).items():
                if plain > max_depth:
                    self.report_error(
                        limit_exceeded(
                            ErrorCode.QUERY_TOO_DEEP,
                            "the maximum depth",
                            limit=max_depth,
                            actual=plain,
                            nodes=operation,
                        )
                    )
                if intro > introspection_limit:
                    self.report_error(
                        limit_exceeded(
                            ErrorCode.QUERY_TOO_DEEP,
                            "the maximum introspection depth",
                            limit=introspection_limit,
                            actual=intro,
                            nodes=operation,
                        )
                    )
            return SKIP

    QueryDepthRule.__name__ = f"QueryDepthRule{max_depth}"
    return QueryDepthRule


class QueryDepthLimiter(AddValidationRules):
    """Add the depth rule and graphql-core's MaxIntrospectionDepthRule to validation.

    Pass as a factory: ``lambda: QueryDepthLimiter(max_depth=12)``.
    """

    def __init__(self, *, max_depth: int) -> None:
        super().__init__([depth_rule(max_depth), MaxIntrospectionDepthRule])
