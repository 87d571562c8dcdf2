"""The example operations in schema/operations run through the ASGI app and give real values."""

from __future__ import annotations

from typing import Any

import pytest

from graphql_api.graph.facts import cell_facts, occupation_facts
from graphql_api.graph.search import resolve_occupation
from tests.api.conftest import OPERATIONS, Api, operation

NAMES = sorted(p.stem for p in OPERATIONS.glob("*.graphql"))


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    return list(body.get("errors") or [])


def test_required_operations_exist() -> None:
    required = {
        "comparePage",
        "occupationProfile",
        "search",
        "relatedCareers",
        "careerPath",
        "browse",
        "skillLookup",
    }
    assert required <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_example_operation_runs_without_errors(api: Api, name: str) -> None:
    body = api.run(operation(name))
    assert body["data"] is not None
    # The embedded default is complete: every example runs clean on it.
    assert _errors(body) == []


def test_profile_pay_equals_oews(api: Api) -> None:
    body = api.run(operation("occupationProfile"))["data"]
    data = body["occupation"]
    assert data["code"] == "29-1141.00"
    assert body["occupationMatch"]["matchedBy"] == "SOC_CODE"
    assert body["occupationMatch"]["matchedField"] is None
    facts = cell_facts(api.graph, "29-1141")
    assert facts is not None
    # BLS OEWS May 2025, registered nurses (29-1141), national, all industries.
    assert data["employment"]["jobs"] == facts.get("employment") == 3_379_720
    assert data["wages"]["annual"]["median"] == facts.get("annual_median") == 97_550
    assert data["wages"]["annual"]["mean"] == facts.get("annual_mean") == 101_420
    assert data["wages"]["hourly"]["median"] == facts.get("hourly_median") == 46.9
    assert data["wages"]["basis"] == "DIRECT"
    assert data["groupPath"][0]["title"] == "Healthcare Practitioners and Technical Occupations"
    states = data["topPayingStates"]["nodes"]
    assert states == sorted(states, key=lambda s: -s["value"])
    assert all(s["employment"] >= 100 for s in states)
    assert any(s["kind"] == "OEWS" and s["title"] == "BLS OEWS May 2025" for s in data["sources"])
    assert {s["kind"] for s in data["sources"]} == {
        "OEWS",
        "ONET",
        "EMPLOYMENT_PROJECTIONS",
        "CURRENT_POPULATION_SURVEY",
    }
    assert all(len(s["sha256"]) == 64 for s in data["sources"])


def test_profile_in_a_state(api: Api) -> None:
    body = api.run(
        operation("occupationProfile"), {"id": "registered nurses", "area": "California"}
    )
    facts = cell_facts(api.graph, "29-1141", area="0600000")
    assert facts is not None
    assert body["data"]["occupation"]["wages"]["annual"]["median"] == facts.get("annual_median")


def test_full_profile_has_onet_layers(api: Api) -> None:
    data = api.run(operation("occupationProfile"))["data"]["occupation"]
    assert data["jobZone"]["zone"] == 4
    assert data["alternateTitles"]["totalCount"] > 50
    assert data["interests"]["code"]
    assert data["skills"]["nodes"][0]["score"] >= data["skills"]["nodes"][-1]["score"]
    assert data["technology"]["nodes"]
    assert all(t["hot"] for t in data["technology"]["nodes"])
    assert data["onetEducation"]["typicalRequiredLevel"]["label"]


def test_compare_page(api: Api) -> None:
    body = api.run(operation("comparePage"), {"a": "patient care technician"})
    a = resolve_occupation(api.graph, "patient care technician")
    b = resolve_occupation(api.graph, "customer service representatives")
    assert b is not None
    if a is None:
        # The default snapshot has no O*NET alternate titles to resolve the title through.
        assert body["data"]["compare"] is None
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND"
        assert error["extensions"]["suggestions"]
        body = api.run(operation("comparePage"), {"a": "nursing assistants"})
        a = resolve_occupation(api.graph, "nursing assistants")
        assert a is not None
    data = body["data"]["compare"]
    assert data["a"]["code"] == a.occupation.code
    assert data["b"]["code"] == b.occupation.code == "43-4051.00"
    measures = {m["name"]: m for m in data["measures"]}
    median = measures["annualMedianWage"]
    facts_b = occupation_facts(api.graph, b.occupation)
    assert facts_b is not None
    assert median["b"] == facts_b.get("annual_median") == data["b"]["wages"]["annual"]["median"]
    if median["a"] is not None:
        assert median["difference"] == pytest.approx(median["b"] - median["a"])
        assert median["higher"] == ("A" if median["a"] > median["b"] else "B")
    assert data["summary"]
    assert any("per year" in s for s in data["summary"])


def test_full_compare_page_has_skills(api: Api) -> None:
    data = api.run(operation("comparePage"), {"a": "patient care technician"})["data"]["compare"]
    assert (data["aMatch"]["matchedBy"], data["aMatch"]["matchedField"]) == (
        "EXACT_NAME",
        "ALTERNATE_TITLE",
    )
    shared = data["sharedSkills"]["nodes"]
    assert shared
    assert all(s["aScore"] > 0 and s["bScore"] > 0 for s in shared)
    assert all(g["gap"] > 0 for g in data["skillGap"]["nodes"])
    assert -1 <= data["similarity"]["score"] <= 1


def test_search(api: Api) -> None:
    data = api.run(operation("search"))["data"]["search"]
    assert data["nodes"][0]["occupation"]["code"] == "29-1141.00"
    assert data["totalCount"] >= len(data["nodes"]) == 5
    scores = [n["score"] for n in data["nodes"]]
    assert scores == sorted(scores, reverse=True)


def test_related_careers_respect_filters(api: Api) -> None:
    data = api.run(operation("relatedCareers"))["data"]["relatedCareers"]
    assert data["totalCount"] >= len(data["nodes"]) > 0
    for node in data["nodes"]:
        assert node["score"] >= 0.3
        assert node["wageRatio"] is None or node["wageRatio"] >= 1.0
        assert node["jobZoneChange"] is None or node["jobZoneChange"] <= 1
        assert node["label"] in {
            "ADVANCEMENT",
            "LATERAL_ADVANCEMENT",
            "SIMILAR",
            "LATERAL_TRANSITION",
        }


def test_related_pages_continue(api: Api) -> None:
    query = """query($after: String) { relatedCareers(of: "29-1141.00", first: 3, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { occupation { code } } } }"""
    first = api.run(query)["data"]["relatedCareers"]
    second = api.run(query, {"after": first["pageInfo"]["endCursor"]})["data"]["relatedCareers"]
    both = api.run(query.replace("first: 3", "first: 6"))["data"]["relatedCareers"]
    assert [n["occupation"]["code"] for n in first["nodes"] + second["nodes"]] == [
        n["occupation"]["code"] for n in both["nodes"]
    ]
    assert first["totalCount"] == second["totalCount"]


def test_onet_method_follows_onet(api: Api) -> None:
    query = """{ relatedCareers(of: "29-1141.00", method: ONET, first: 3,
      filter: {maxJobZoneIncrease: null, minWageRatio: null}) {
        nodes { occupation { code } onetRank onetTier } } }"""
    nodes = api.run(query)["data"]["relatedCareers"]["nodes"]
    expected = [code for code, _, _ in api.graph.related["29-1141.00"][:3]]
    assert [n["occupation"]["code"] for n in nodes] == expected
    assert [n["onetRank"] for n in nodes] == [1, 2, 3]


def test_career_path(api: Api) -> None:
    data = api.run(operation("careerPath"))["data"]["careerPath"]
    assert data["nodes"]
    for path in data["nodes"]:
        steps = path["steps"]
        assert steps[0]["source"]["code"] == "31-1131.00"
        assert steps[-1]["target"]["code"] == "29-1141.00"
        assert path["length"] == len(steps) <= 3
        assert all(s["score"] >= 0.3 for s in steps)


def test_browse(api: Api) -> None:
    data = api.run(operation("browse"))["data"]
    assert data["groups"]["totalCount"] == 22
    group = data["group"]
    assert group["title"] == "Healthcare Practitioners and Technical Occupations"
    assert group["occupationCount"] == group["occupations"]["totalCount"] > 50
    assert {c["kind"] for c in group["children"]["nodes"]} == {"MINOR"}
    assert data["area"]["code"] == "0600000"
    employment = [n["employment"] for n in data["area"]["occupations"]["nodes"]]
    assert employment == sorted(employment, reverse=True)
    assert data["industry"]["name"] == "Hospitals"
    assert "O*NET" in {lic["source"]: lic["text"] for lic in data["dataset"]["licences"]}["onet"]


def test_skill_lookup(api: Api) -> None:
    data = api.run(
        operation("skillLookup"),
        {
            "skill": "Active Listening",
            "skills": ["Active Listening", "Critical Thinking", "Programming"],
        },
    )["data"]
    skill = data["skill"]
    assert skill["name"] == "Active Listening"
    scores = [n["rating"]["score"] for n in skill["occupations"]["nodes"]]
    assert scores == sorted(scores, reverse=True)
    matches = data["occupationsBySkills"]["nodes"]
    assert matches
    assert all(m["coverage"] == 1.0 and not m["missingSkills"] for m in matches)
    core = data["coreSkills"]["nodes"]
    assert core[0]["score"] == 100.0
    assert all(c["skill"]["kind"] != "TECHNOLOGY" for c in core)
