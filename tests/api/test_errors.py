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
    # Row to column, as relatedCareers ranks moves from the row's occupation.
    direct = api.run(
        '{ compare(a: "29-1141", b: "31-1131") { similarity { score } } '
        ' back: compare(a: "31-1131", b: "29-1141") { similarity { score } } }'
    )["data"]
    assert matrix[0][1] == direct["compare"]["similarity"]["score"]
    assert matrix[1][0] == direct["back"]["similarity"]["score"]
    assert all(0.0 <= v <= 1.0 for row in matrix for v in row if v is not None)
    wages = next(m for m in table["measures"] if m["name"] == "annualMedianWage")["values"]
    assert wages[0] == 97_550


def test_wages_and_employment_share_one_cell_per_occupation(career: Any) -> None:
    context = build_context(LoadedSnapshot("test", career))
    query = """{ relatedCareers(of: "29-1141", first: 20, filter: {minScore: 0}) {
      nodes { occupation { wages { annual { median } } employment { jobs } } } } }"""
    result = asyncio.run(build_schema().execute(query, context_value=context))
    assert result.errors is None
    assert len(result.data["relatedCareers"]["nodes"]) == 20
    # Forty reads (wages and employment of twenty careers), twenty cells computed.
    assert context.computed == 20


# Every error class a client can meet on the real schema carries extensions.code (issue 9).


def _code(body: dict[str, Any]) -> str:
    assert "data" not in body or body["data"] is None
    return str(_error(body)["code"])


def test_syntax_error_is_parse_failed(api: Api) -> None:
    assert _code(api.run('{ occupation(id: "29-1141") { title }')) == "GRAPHQL_PARSE_FAILED"


def test_unknown_field_is_validation_failed(api: Api) -> None:
    body = api.run('{ occupation(id: "29-1141") { titel } }')
    assert _code(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean 'title'?" in body["errors"][0]["message"]


def test_wrong_enum_literal_is_validation_failed(api: Api) -> None:
    body = api.run('{ relatedCareers(of: "29-1141", method: SKILLZ) { totalCount } }')
    assert _code(body) == "GRAPHQL_VALIDATION_FAILED"


def test_wrong_enum_variable_is_bad_user_input(api: Api) -> None:
    query = 'query($m: RelatedMethod!) { relatedCareers(of: "29-1141", method: $m) { totalCount } }'
    assert _code(api.run(query, {"m": "SKILLZ"})) == "BAD_USER_INPUT"


def test_missing_variable_is_bad_user_input(api: Api) -> None:
    assert (
        _code(api.run("query($id: String!) { occupation(id: $id) { title } }")) == "BAD_USER_INPUT"
    )


def test_mutation_is_refused_with_a_code(api: Api) -> None:
    assert _code(api.run("mutation { touch }")) == "OPERATION_NOT_SUPPORTED"
    response = api.client.get("/graphql", params={"query": "mutation { touch }"})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_http_errors_are_bad_request(api: Api) -> None:
    for response in (
        api.client.put("/graphql", json={"query": "{ dataset { version } }"}),
        api.client.post("/graphql", content=b"{", headers={"content-type": "application/json"}),
        api.client.post("/graphql", content=b"{}", headers={"content-type": "text/plain"}),
        api.client.post(
            "/graphql", json={"query": "{ dataset { version } }"}, headers={"accept": "text/csv"}
        ),
    ):
        assert response.status_code in {400, 405, 406, 415}
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_a_bad_argument_keeps_sibling_data(api) -> None:  # type: ignore[no-untyped-def]
    """One nullability policy: a field whose argument is refused is null alone (issue 9)."""
    body = api.run('{ dataset { version } search(text: "nurse", first: 1000) { totalCount } }')
    assert body["data"]["dataset"]["version"]
    assert body["data"]["search"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = api.run(
        '{ occupation(id: "29-1141") { title skills(first: 1000) { totalCount } '
        "tasks(first: 2) { totalCount } } }"
    )
    nurse = body["data"]["occupation"]
    assert nurse["title"] == "Registered Nurses"
    assert nurse["skills"] is None
    assert nurse["tasks"]["totalCount"] > 0
    assert [e["path"] for e in body["errors"]] == [["occupation", "skills"]]
