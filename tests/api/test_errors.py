"""Errors clients see (NOT_FOUND, BAD_USER_INPUT naming the argument), paging and node ids."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graphql_api.api.context import build_context
from graphql_api.api.schema import build_schema
from graphql_api.graph.loaded import LoadedSnapshot
from tests.api.conftest import Api


def _error(body: dict[str, Any]) -> dict[str, Any]:
    (error,) = body["errors"]
    assert "Traceback" not in error["message"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


def test_unknown_occupation_is_not_found_with_suggestions(api: Api) -> None:
    body = api.run('{ occupation(id: "nurses xqzvbnmwkjhgfdsplkzzqq") { code } }')
    assert body["data"] == {"occupation": None}
    extensions = _error(body)
    assert extensions["code"] == "NOT_FOUND"
    assert any("Nurse" in s for s in extensions["suggestions"])


def test_unknown_area_is_not_found(api: Api) -> None:
    body = api.run('{ occupation(id: "29-1141") { wages(area: "Atlantis") { rse } } }')
    assert _error(body)["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ('{ search(text: "nurse", first: 101) { totalCount } }', "first"),
        ('{ search(text: "nurse", first: -1) { totalCount } }', "first"),
        ('{ search(text: "nurse", after: "bm90IGEgY3Vyc29y") { totalCount } }', "after"),
        ('{ compareMany(ids: ["29-1141"]) { similarity } }', "ids"),
        ('{ careerPath(from: "29-1141", to: "31-1131", maxSteps: 7) { totalCount } }', "maxSteps"),
        (
            '{ relatedCareers(of: "29-1141", weights: {skills: 0, tasks: 0, industries: 0}) '
            "{ totalCount } }",
            "weights",
        ),
        ("{ occupationsBySkills(skills: [], minCoverage: 0.5) { totalCount } }", "skills"),
        ('{ node(id: "!!") { id } }', "id"),
    ],
)
def test_bad_arguments_name_the_argument(api: Api, query: str, argument: str) -> None:
    body = api.run(query)
    extensions = _error(body)
    assert extensions["code"] == "BAD_USER_INPUT"
    assert extensions["argument"] == argument


def test_pages_follow_cursors(api: Api) -> None:
    query = """query($after: String) { groups(first: 5, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { code } } } }"""
    first = api.run(query)["data"]["groups"]
    second = api.run(query, {"after": first["pageInfo"]["endCursor"]})["data"]["groups"]
    every = api.run(query.replace("first: 5", "first: 100"))["data"]["groups"]
    codes = [e["node"]["code"] for e in first["edges"] + second["edges"]]
    assert codes == [e["node"]["code"] for e in every["edges"]][:10]
    assert first["pageInfo"]["hasNextPage"]
    assert second["pageInfo"]["hasPreviousPage"]
    assert not every["pageInfo"]["hasNextPage"]
    assert every["totalCount"] == len(every["edges"]) == 22


def test_node_round_trip(api: Api) -> None:
    ids = api.run(
        '{ occupation(id: "29-1141") { id groupPath { id } } area(code: "California") { id } '
        'industry(code: "622000") { id } }'
    )["data"]
    for global_id, typename in [
        (ids["occupation"]["id"], "Occupation"),
        (ids["occupation"]["groupPath"][0]["id"], "Group"),
        (ids["area"]["id"], "Area"),
        (ids["industry"]["id"], "Industry"),
    ]:
        node = api.run("query($id: ID!) { node(id: $id) { __typename id } }", {"id": global_id})
        assert node["data"]["node"] == {"__typename": typename, "id": global_id}


def test_compare_many_table(api: Api) -> None:
    body = api.run(
        '{ compareMany(ids: ["29-1141", "31-1131", "29-1171"]) { occupations { code } '
        "measures { name values } similarity } }"
    )
    table = body["data"]["compareMany"]
    assert [o["code"] for o in table["occupations"]] == ["29-1141.00", "31-1131.00", "29-1171.00"]
    matrix = table["similarity"]
    assert [matrix[i][i] for i in range(3)] == [1.0, 1.0, 1.0]
    assert matrix[0][1] == matrix[1][0]
    wages = next(m for m in table["measures"] if m["name"] == "annualMedianWage")["values"]
    assert wages[0] == 97_550


def test_wages_fan_out_is_batched(full_graph: Any) -> None:
    context = build_context(LoadedSnapshot("test", full_graph))
    query = """{ relatedCareers(of: "29-1141", first: 20, filter: {minScore: 0}) {
      nodes { occupation { wages { annual { median } } employment { jobs } } } } }"""
    result = asyncio.run(build_schema().execute(query, context_value=context))
    assert result.errors is None
    assert len(result.data["relatedCareers"]["nodes"]) == 20
    # Forty loads (wages and employment of twenty careers) in one batch.
    assert context.loaders.batches == ["facts"]
