"""Random valid documents generated from the schema never give HTTP 500 or an uncoded error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import queries
from strawberry.printer import print_schema

from graphql_api.api.errors import PUBLIC_CODES
from graphql_api.api.extensions.masking import MASKED_MESSAGE
from graphql_api.api.schema import build_schema
from tests.api.conftest import Api

SDL = print_schema(build_schema())


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=queries(SDL))
def test_random_documents_are_answered(api: Api, document: str) -> None:
    response = api.client.post("/graphql", json={"query": document})
    assert response.status_code != 500
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code in PUBLIC_CODES or error["message"] == MASKED_MESSAGE, error
        # Stricter than the bar: nothing a generated document does should be an internal error.
        assert code != "INTERNAL_SERVER_ERROR", (document, error)
