"""Refuse operations whose static cost (fields, multiplied by page sizes) exceeds a limit."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator, Mapping
from typing import Any

from cachetools import LRUCache
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    Undefined,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from graphql_api.api.errors import ErrorCode, limit_exceeded

from ._fragments import fragments_in_dependency_order

__all__ = [
    "DEFAULT_LIST_SIZE",
    "PAGE_ARGUMENTS",
    "CostCache",
    "CostLimiter",
    "operation_cost",
    "page_variables",
]

# Assumed length of a list or connection whose size no argument states (Saleor uses the same idea).
DEFAULT_LIST_SIZE = 10
# Arguments that bound how many items a list or connection field returns.
PAGE_ARGUMENTS = ("first", "last", "limit")

_Parent = GraphQLObjectType | GraphQLInterfaceType | None


def _argument_default(argument: GraphQLArgument) -> Any:
    # Schemas built in code (Strawberry) set default_value; graphql-core 3.3 keeps SDL defaults
    # in a GraphQLDefaultInput (a value or a literal) instead.
    if argument.default_value is not Undefined:
        return argument.default_value
    default = getattr(argument, "default", None)
    if default is None:
        return None
    literal = getattr(default, "literal", Undefined)
    if literal is not Undefined and literal is not None:
        return value_from_ast_untyped(literal)
    value = getattr(default, "value", None)
    return None if value is Undefined else value


class _Costing:
    def __init__(
        self,
        schema: GraphQLSchema,
        variables: Mapping[str, Any],
        cost_map: Mapping[str, int],
        default_list_size: int,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.cost_map = cost_map
        self.default_list_size = default_list_size
        self.fragments: dict[str, int] = {}

    def _type(self, name: str | None, fallback: _Parent) -> _Parent:
        if name is None:
            return fallback
        found = self.schema.get_type(name)
        return found if isinstance(found, GraphQLObjectType | GraphQLInterfaceType) else None

    def selection_set(self, node: SelectionSetNode, parent: _Parent) -> int:
        total = 0
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._type(condition.name.value if condition else None, parent)
                total += self.selection_set(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragments.get(selection.name.value, 0)
        return total

    def field(self, node: FieldNode, parent: _Parent) -> int:
        name = node.name.value
        # Introspection is priced flat: its size is the schema's, and its nesting is bounded by
        # the depth limiter's introspection rules.
        if name.startswith("__") or parent is None:
            return 1
        definition = parent.fields.get(name)
        if definition is None:
            return 1
        own = 1 + self.cost_map.get(f"{parent.name}.{name}", 0)
        if not node.selection_set:
            return own
        child_type = get_named_type(definition.type)
        child = self._type(child_type.name, None)
        inner = self.selection_set(node.selection_set, child)
        return own + self.multiplier(node, definition, parent) * inner

    def multiplier(self, node: FieldNode, definition: GraphQLField, parent: _Parent) -> int:
        for argument in PAGE_ARGUMENTS:
            if argument not in definition.args:
                continue
            given = next((a.value for a in node.arguments or () if a.name.value == argument), None)
            value = (
                value_from_ast_untyped(given, dict(self.variables))
                if given is not None
                else _argument_default(definition.args[argument])
            )
            if isinstance(value, int) and not isinstance(value, bool):
                return max(value, 0)
            return self.default_list_size
        named = get_named_type(definition.type)
        in_connection = parent is not None and parent.name.endswith("Connection")
        if is_list_type(get_nullable_type(definition.type)) and not in_connection:
            return self.default_list_size
        if named.name.endswith("Connection"):
            return self.default_list_size
        return 1


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
    cost_map: Mapping[str, int] | None = None,
    default_list_size: int = DEFAULT_LIST_SIZE,
) -> int | None:
    """The static cost of the operation the request would run, or None if it names none.

    Every field costs 1 plus its ``cost_map["Type.field"]`` entry; the cost of a field's
    selections is multiplied by its ``first``/``last``/``limit`` argument (literal, variable or
    schema default), or by ``default_list_size`` for a list or ``...Connection`` field without
    one. Lists directly inside a connection (``edges``, ``nodes``) are sized by the connection.

    >>> from graphql import build_schema, parse
    >>> s = build_schema("type Query { xs(first: Int): [X] } type X { a: Int b: Int }")
    >>> operation_cost(s, parse("{ xs(first: 5) { a b } }"))
    11
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    costing = _Costing(schema, variables or {}, cost_map or {}, default_list_size)
    for fragment in fragments_in_dependency_order(document):
        parent = costing._type(fragment.type_condition.name.value, None)
        costing.fragments[fragment.name.value] = costing.selection_set(
            fragment.selection_set, parent
        )
    root = schema.get_root_type(operation.operation)
    return costing.selection_set(operation.selection_set, root)


def page_variables(document: DocumentNode) -> frozenset[str]:
    """Names of the variables a page argument (``first``/``last``/``limit``) reads: the only
    variables the cost depends on.

    >>> from graphql import parse
    >>> sorted(page_variables(parse("query($n: Int, $t: String) { xs(first: $n, text: $t) { a } }")))
    ['n']
    """
    names: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        # Nesting is bounded before parsing (tokens.MAX_NESTING), so recursion is safe here.
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                for argument in selection.arguments or ():
                    if argument.name.value in PAGE_ARGUMENTS and isinstance(
                        argument.value, VariableNode
                    ):
                        names.add(argument.value.name.value)
                walk(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set)

    for definition in document.definitions:
        walk(getattr(definition, "selection_set", None))
    return frozenset(names)


class CostCache:
    """Costs already computed, keyed by document text, operation name and the values of its page
    variables (so the thousand variable sets of one comparison page share one entry)."""

    def __init__(self, maxsize: int = 1024) -> None:
        self.page_variables: LRUCache[str, frozenset[str]] = LRUCache(maxsize=maxsize)
        self.costs: LRUCache[tuple[Hashable, ...], int | None] = LRUCache(maxsize=maxsize)
        self.lock = threading.Lock()


class CostLimiter(SchemaExtension):
    """Refuse, at validation time, an operation costing more than ``max_cost``.

    The cost depends on variables, so it is computed per request (after the usual validation
    passed) rather than by a cached validation rule; a shared :class:`CostCache` remembers it per
    document and page-variable values. Place it after the validation cache.
    Pass as a factory: ``lambda: CostLimiter(max_cost=50_000, cost_map=COST_MAP, cache=c)``.
    """

    def __init__(
        self,
        *,
        max_cost: int,
        cost_map: Mapping[str, int] | None = None,
        default_list_size: int = DEFAULT_LIST_SIZE,
        cache: CostCache | None = None,
    ) -> None:
        self.max_cost = max_cost
        self.cost_map = cost_map or {}
        self.default_list_size = default_list_size
        self.cache = cache

    def _cost(self, schema: GraphQLSchema, document: DocumentNode) -> int | None:
        context = self.execution_context
        variables = context.variables or {}
        key: tuple[Hashable, ...] | None = None
        cache = self.cache
        if cache is not None and context.query:
            with cache.lock:
                names = cache.page_variables.get(context.query)
            if names is None:
                names = page_variables(document)
                with cache.lock:
                    cache.page_variables[context.query] = names
            values = tuple((name, variables.get(name)) for name in sorted(names))
            if all(isinstance(v, int | None) for _, v in values):
                key = (context.query, context.operation_name, values)
                with cache.lock:
                    if key in cache.costs:
                        return cache.costs[key]
        cost = operation_cost(
            schema,
            document,
            operation_name=context.operation_name,
            variables=variables,
            cost_map=self.cost_map,
            default_list_size=self.default_list_size,
        )
        if cache is not None and key is not None:
            with cache.lock:
                cache.costs[key] = cost
        return cost

    def on_validate(self) -> Iterator[None]:
        """Validate (unless an earlier extension did), then price the operation."""
        context = self.execution_context
        document = context.graphql_document
        graphql_schema = context.schema._schema
        if document is not None:
            if context.pre_execution_errors is None:
                context.pre_execution_errors = validate_document(
                    graphql_schema, document, context.validation_rules
                )
            if not context.pre_execution_errors:
                cost = self._cost(graphql_schema, document)
                if cost is not None and cost > self.max_cost:
                    context.pre_execution_errors = [
                        limit_exceeded(
                            ErrorCode.QUERY_TOO_COMPLEX,
                            "the maximum query cost",
                            limit=self.max_cost,
                            actual=cost,
                        )
                    ]
        yield
