"""Complete plain leaf fields without the resolver machinery: an attribute read and a serialize.

Most fields of a page are plain values on an object (a title, a code, a share): Strawberry marks
them *basic* (no resolver, no field extensions) and resolves them with its default resolver.
graphql-core still builds a resolve info, calls the resolver through Strawberry's wrapper and
completes the value through the generic path, for each one; about 480 of the comparison page's
620 fields. The executor class made by :func:`plain_field_executor` completes a basic field of
a scalar or enum type without arguments directly: the default resolver's read, then the type's
``serialize``, the two steps graphql-core's own path ends in.

Anything else takes graphql-core's path unchanged, field by field: fields with arguments,
resolvers, field extensions or object types; an executor with middleware; and, so that every
error is the one graphql-core would give (with its path and locations), any value that is null,
fails to read or does not serialize.

Relies on Strawberry's ``strawberry-definition`` back reference and ``is_basic_field`` and on
graphql-core's ``execute_field`` (pinned in pyproject.toml; ``tests/api/test_plain_fields.py``
fails if they move).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

__all__ = ["PlainLeaf", "plain_field_executor", "plain_leaf"]


class PlainLeaf:
    """How to complete one basic leaf field: read ``name`` with ``read``, then ``serialize``."""

    __slots__ = ("name", "read", "serialize")

    def __init__(self, name: str, read: Any, serialize: Any) -> None:
        self.name = name
        self.read = read
        self.serialize = serialize


def plain_leaf(field_def: GraphQLField) -> PlainLeaf | None:
    """The fast completion of ``field_def``, or None when it must take graphql-core's path."""
    if field_def.args:
        return None
    definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or not getattr(definition, "is_basic_field", False):
        return None
    leaf = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
    if not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        return None
    return PlainLeaf(definition.python_name, definition.default_resolver, leaf.serialize)


def plain_field_executor(
    base: type[StrawberryGraphQLCoreExecutionContext],
) -> type[StrawberryGraphQLCoreExecutionContext]:
    """``base`` with basic scalar and enum fields completed by a read and a serialize."""
    # Per field definition (they live as long as the schema; the entry keeps it alive, so its
    # id is never reused while stored).
    plans: dict[int, tuple[GraphQLField, PlainLeaf | None]] = {}

    class PlainFieldExecutor(base):  # type: ignore[misc,valid-type]
        def execute_field(
            self,
            parent_type: GraphQLObjectType,
            source: Any,
            field_details_list: Any,
            path: Path,
            position_context: Any,
        ) -> Any:
            node = field_details_list[0].node
            field_def = parent_type.fields.get(node.name.value)
            middleware = self.middleware_manager
            # Strawberry always passes a manager; it wraps resolvers only when it has entries
            # (schema extensions with a ``resolve`` hook).
            if (
                field_def is not None
                and not node.arguments
                and (middleware is None or not middleware.middlewares)
            ):
                entry = plans.get(id(field_def))
                if entry is None:
                    entry = (field_def, plain_leaf(field_def))
                    plans[id(field_def)] = entry
                leaf = entry[1]
                if leaf is not None:
                    try:
                        value = leaf.read(source, leaf.name)
                        if value is not None:
                            serialized = leaf.serialize(value)
                            if serialized is not None and serialized is not Undefined:
                                return serialized
                    except Exception:  # noqa: S110 - graphql-core's path reports it
                        pass
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )

    PlainFieldExecutor.__name__ = f"PlainField{base.__name__}"
    return PlainFieldExecutor
