"""The comparison page end to end: a real ``careergraph serve`` process on loopback, real HTTP."""

from __future__ import annotations

import httpx
import pytest

from graphql_api.graph.facts import occupation_facts
from tests.server_process import ROOT

pytestmark = pytest.mark.e2e


def test_compare_page_over_http(full_server: str, career) -> None:
    document = (ROOT / "schema" / "operations" / "comparePage.graphql").read_text()
    response = httpx.post(
        f"{full_server}/graphql",
        json={
            "query": document,
            "operationName": "ComparePage",
            "variables": {"a": "patient care technician"},
        },
        headers={"Accept": "application/graphql-response+json"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    body = response.json()
    assert "errors" not in body, body.get("errors")
    page = body["data"]["compare"]
    a, b = page["a"], page["b"]
    assert page["aMatch"]["matchedBy"] == "EXACT_NAME"
    assert page["aMatch"]["matchedField"] in {"ALTERNATE_TITLE", "REPORTED_TITLE"}
    assert page["aMatch"]["matchedText"].lower().startswith("patient care technician")
    assert b["title"] == "Customer Service Representatives"
    for side in (a, b):
        facts = occupation_facts(career, career.by_code[side["code"]])
        assert facts is not None
        assert side["wages"]["annual"]["median"] == facts.values["annual_median"]
        assert side["employment"]["jobs"] == facts.values["employment"]
    wage = next(m for m in page["measures"] if m["name"] == "annualMedianWage")
    assert wage["a"] == a["wages"]["annual"]["median"]
    assert wage["difference"] == pytest.approx(wage["b"] - wage["a"])
    assert page["sharedSkills"]["totalCount"] > 0
    assert any("more per year" in sentence for sentence in page["summary"])


def test_graphiql_and_health_over_http(full_server: str) -> None:
    page = httpx.get(f"{full_server}/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    assert "ComparePage" in page.text
    assert httpx.get(f"{full_server}/healthz", timeout=5).json() == {"status": "ok"}
    assert httpx.get(f"{full_server}/readyz", timeout=5).json()["status"] == "ready"
