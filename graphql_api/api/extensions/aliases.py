"""Refuse operations that use more aliases than a limit, counting each fragment use.

Kept instead of Strawberry's ``MaxAliasesLimiter`` because it does more: Strawberry's re-walks a
fragment at every spread, recursively, so a chain of fragments that each spread the next twice
costs exponential time (and a long chain exhausts the recursion limit); here each fragment is
counted once, in dependency order, and reused (linear time, no recursion through spreads), and
the refusal carries TOO_MANY_ALIASES with the limit and the count.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.language import SKIP, VisitorAction
from strawberry.extensions import AddValidationRules

from graphql_api.api.errors import ErrorCode, limit_exceeded

from ._fragments import fragments_in_dependency_order

__all__ = ["MaxAliasesLimiter", "alias_counts", "aliases_rule"]


def _count(selection_set: SelectionSetNode, fragments: dict[str, int]) -> int:
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += selection.alias is not None
            if selection.selection_set:
                total += _count(selection.selection_set, fragments)
        elif isinstance(selection, InlineFragmentNode):
            total += _count(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            total += fragments.get(selection.name.value, 0)
    return total


def alias_counts(document: DocumentNode) -> dict[OperationDefinitionNode, int]:
    """Per operation, the aliases it would execute (a fragment spread twice counts twice).

    Fragments are counted once each and then reused, so a chain of fragments that doubles at
    every step costs linear time to count.

    >>> from graphql import parse
    >>> list(alias_counts(parse("{ a: x b: x }")).values())
    [2]
    """
    fragments: dict[str, int] = {}
    for fragment in fragments_in_dependency_order(document):
        fragments[fragment.name.value] = _count(fragment.selection_set, fragments)
    return {
        op: _count(op.selection_set, fragments)
        for op in document.definitions
        if isinstance(op, OperationDefinitionNode)
    }


@cache
def aliases_rule(max_aliases: int) -> type[ValidationRule]:
    """A validation rule class refusing operations with more than ``max_aliases`` aliases."""

    class MaxAliasesRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> VisitorAction:
            for operation, count in alias_counts(node).items():
                if count > max_aliases:
                    self.report_error(
                        limit_exceeded(
                            ErrorCode.TOO_MANY_ALIASES,
                            "the alias limit",
                            limit=max_aliases,
                            actual=count,
                            nodes=operation,
                        )
                    )
            return SKIP

    MaxAliasesRule.__name__ = f"MaxAliasesRule{max_aliases}"
    return MaxAliasesRule


class MaxAliasesLimiter(AddValidationRules):
    """Add the alias rule to validation. Pass as a factory: ``lambda: MaxAliasesLimiter(...)``."""

    def __init__(self, *, max_aliases: int) -> None:
        super().__init__([aliases_rule(max_aliases)])
