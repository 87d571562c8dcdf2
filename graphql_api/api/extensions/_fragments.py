"""Fragment bookkeeping shared by the document limits: dependency order, cycles broken."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

__all__ = ["fragments_in_dependency_order", "operations"]


def operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    """The operation definitions of ``document``, in order."""
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    # Nesting is bounded before parsing (tokens.MAX_NESTING), so plain recursion is safe here.
    names: list[str] = []
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            names.append(selection.name.value)
        elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
            names.extend(_spreads(selection.selection_set))
    return names


def fragments_in_dependency_order(document: DocumentNode) -> list[FragmentDefinitionNode]:
    """Fragments ordered so each comes after the fragments it spreads.

    A spread that closes a cycle is simply not followed (validation reports the cycle), and the
    walk uses an explicit stack so a long chain of fragments cannot exhaust Python's recursion.
    Analyses that measure fragments in this order never recurse through a spread: they read the
    already measured value, and treat a missing one (cycle or unknown name) as empty.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    spreads = {name: _spreads(f.selection_set) for name, f in fragments.items()}
    ordered: list[FragmentDefinitionNode] = []
    done: set[str] = set()
    for start in fragments:
        if start in done:
            continue
        stack = [(start, iter(spreads[start]))]
        on_path = {start}
        while stack:
            name, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                on_path.discard(name)
                done.add(name)
                ordered.append(fragments[name])
            elif child in fragments and child not in done and child not in on_path:
                on_path.add(child)
                stack.append((child, iter(spreads[child])))
    return ordered
