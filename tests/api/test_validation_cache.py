"""The validation cache: one validation per parsed document, and refusals kept as refusals."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import strawberry
from strawberry.schema import schema as strawberry_schema

from graphql_api.api.extensions import Limits, protective_extensions


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


def test_a_document_is_validated_once_and_errors_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[Any] = []
    real = strawberry_schema.validate_document

    def counting(*args: Any) -> Any:
        calls.append(args[1])
        return real(*args)

    monkeypatch.setattr(strawberry_schema, "validate_document", counting)
    schema = strawberry.Schema(query=Query, extensions=protective_extensions(Limits()))
    for _ in range(3):
        result = asyncio.run(schema.execute("{ hello }"))
        assert result.data == {"hello": "hi"}
    assert len(calls) == 1
    for _ in range(2):
        refused = asyncio.run(schema.execute("{ nope }"))
        assert refused.errors
        assert "nope" in refused.errors[0].message
    assert len(calls) == 2
    # The parse cache hands the same document object for the same text.
    assert calls[0] is not calls[1]
