"""The exported SDL matches the schema, and every type and field is described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType
from strawberry.printer import print_schema

from graphql_api.api.schema import build_schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_exported_sdl_has_not_drifted() -> None:
    expected = print_schema(build_schema()) + "\n"
    assert SDL.read_text(encoding="utf-8") == expected, (
        "schema/schema.graphql is stale: regenerate it with "
        '`python -c "from strawberry.printer import print_schema; '
        'from graphql_api.api.schema import build_schema; print(print_schema(build_schema()))"`'
    )


def test_every_type_and_field_has_a_description() -> None:
    schema = build_schema()._schema
    missing = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if name != "Query" and not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, d in kind.fields.items() if not d.description]
        if isinstance(kind, GraphQLEnumType) and kind.name not in {"WageStatistic", "AreaKind"}:
            missing += [f"{name}.{v}" for v, d in kind.values.items() if not d.description]
    assert missing == []
