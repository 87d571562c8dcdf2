"""graphql-schema-linter with the committed rules (frontend/.graphql-schema-linterrc) on the SDL."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import npx


def _lint(node: str, *schema: str) -> list[dict[str, object]]:
    result = npx(node, "graphql-schema-linter", "--format", "json", *schema)
    assert result.returncode in {0, 1}, result.stderr
    errors: list[dict[str, object]] = json.loads(result.stdout)["errors"]
    return errors


def test_schema_passes_the_contract_rules(node: str) -> None:
    errors = _lint(node)  # the schema named in the config: schema/schema.graphql
    assert [f"{e['rule']}: {e['message']}" for e in errors] == []


def test_the_rules_catch_what_they_are_for(node: str, tmp_path: Path) -> None:
    schema = tmp_path / "bad.graphql"
    schema.write_text(
        '"""Root."""\ntype Query {\n'
        '  """A."""\n  kind: String\n'
        '  """B."""\n  totalCount: Float\n'
        '  """C."""\n  employment2024: Int\n'
        '  """D."""\n  things(first: Int, after: String): ThingConnection!\n'
        '  """E."""\n  pick(x: Int): Thing\n'
        "}\n"
        '"""An entity."""\ninterface Node {\n  """Id."""\n  id: ID!\n}\n'
        '"""A thing."""\ntype Thing implements Node {\n  """Id."""\n  id: ID!\n'
        '  """How it was found."""\n  match: String\n}\n'
        '"""Page."""\ntype ThingConnection {\n  """Edges."""\n  edges: [ThingEdge!]!\n'
        '  """Paging."""\n  pageInfo: PageInfo!\n}\n'
        '"""Edge."""\ntype ThingEdge {\n  """Node."""\n  node: Thing!\n  """Cursor."""\n  cursor: String!\n}\n'
        '"""Paging."""\ntype PageInfo {\n  """Next?"""\n  hasNextPage: Boolean!\n'
        '  """Prev?"""\n  hasPreviousPage: Boolean!\n  """Start."""\n  startCursor: String\n'
        '  """End."""\n  endCursor: String\n}\n'
    )
    rules = {str(e["rule"]) for e in _lint(node, str(schema))}
    assert {
        "kinds-are-enums",
        "counts-are-ints",
        "no-release-years-in-names",
        "connection-fields-are-nullable",
        "no-lookup-state-on-entities",
        "arguments-have-descriptions",
    } <= rules
