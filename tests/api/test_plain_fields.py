"""Plain leaf fields completed by a read and a serialize give exactly graphql-core's answers.

Each case runs one small schema twice, through Strawberry's executor class and through the
plain-field executor made from it, and compares the whole result: data, error messages, paths.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from enum import Enum
from typing import Any

import strawberry
from graphql.execution.executor import Executor
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from graphql_api.api.extensions import plain_field_executor
from graphql_api.api.extensions.plain_fields import plain_leaf


@strawberry.enum
class Level(Enum):
    LOW = "low"
    HIGH = "high"


@strawberry.type
class Item:
    name: str
    note: str | None
    level: Level
    share: float
    count: int
    # Plain on the schema, but the value is wrong for its type or missing.
    broken_count: int
    missing_name: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


class Exploding:
    """A source whose ``name`` raises when read."""

    @property
    def name(self) -> str:
        raise RuntimeError("no name today")


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [
            Item(
                name="a",
                note=None,
                level=Level.HIGH,
                share=0.25,
                count=3,
                broken_count="x",  # type: ignore[arg-type]
                missing_name=None,  # type: ignore[arg-type]
            )
        ]

    @strawberry.field
    def exploding(self) -> Item | None:
        return Exploding()  # type: ignore[return-value]


def _schemas(**kwargs: Any) -> tuple[strawberry.Schema, strawberry.Schema]:
    plain = plain_field_executor(StrawberryGraphQLCoreExecutionContext)
    return (
        strawberry.Schema(query=Query, **kwargs),
        strawberry.Schema(query=Query, execution_context_class=plain, **kwargs),
    )


def _run(schema: strawberry.Schema, query: str) -> dict[str, Any]:
    result = asyncio.run(schema.execute(query))
    errors = [(e.message, e.path) for e in result.errors or []]
    return {"data": result.data, "errors": sorted(errors, key=str)}


def test_plain_values_enums_and_nulls_match_graphql_core() -> None:
    generic, plain = _schemas()
    query = "{ items { name note level share count shout __typename } }"
    expected = _run(generic, query)
    assert expected["data"] == {
        "items": [
            {
                "name": "a",
                "note": None,
                "level": "HIGH",
                "share": 0.25,
                "count": 3,
                "shout": "A",
                "__typename": "Item",
            }
        ]
    }
    assert _run(plain, query) == expected


def test_values_that_do_not_serialize_or_are_null_get_graphql_core_errors() -> None:
    generic, plain = _schemas()
    for query in (
        "{ items { brokenCount } }",
        "{ items { missingName } }",
        "{ exploding { name } }",
    ):
        expected = _run(generic, query)
        assert expected["errors"], query
        assert _run(plain, query) == expected, query


def test_a_resolve_hook_still_sees_every_field() -> None:
    seen: list[str] = []

    class Spy(SchemaExtension):
        def resolve(
            self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
        ) -> Any:
            seen.append(info.field_name)
            return _next(root, info, *args, **kwargs)

    generic, plain = _schemas(extensions=[Spy])
    query = "{ items { name count } }"
    _run(generic, query)
    expected = sorted(seen)
    seen.clear()
    _run(plain, query)
    assert sorted(seen) == expected
    assert "name" in seen


def test_only_basic_scalar_fields_without_arguments_take_the_short_path() -> None:
    schema = strawberry.Schema(query=Query)._schema
    item = schema.type_map["Item"]
    assert plain_leaf(item.fields["name"]) is not None  # type: ignore[attr-defined]
    assert plain_leaf(item.fields["level"]) is not None  # type: ignore[attr-defined]
    assert plain_leaf(item.fields["shout"]) is None  # type: ignore[attr-defined]
    assert plain_leaf(schema.type_map["Query"].fields["items"]) is None  # type: ignore[attr-defined]


def test_the_internals_it_relies_on_are_where_it_expects_them() -> None:
    schema = strawberry.Schema(query=Query)._schema
    field = schema.type_map["Item"].fields["name"]  # type: ignore[attr-defined]
    definition = field.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
    assert isinstance(definition, StrawberryField)
    assert definition.is_basic_field
    source = Query().items()[0]
    assert definition.default_resolver(source, definition.python_name) == "a"
    parameters = list(inspect.signature(Executor.execute_field).parameters)
    assert parameters == [
        "self",
        "parent_type",
        "source",
        "field_details_list",
        "path",
        "position_context",
    ]
    assert "middleware_manager" in Executor.__annotations__
