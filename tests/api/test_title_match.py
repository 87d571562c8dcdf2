"""The `match` of an occupation looked up by title, through the API: what it matched and the
close alternatives (issues 7 and 8)."""

from __future__ import annotations

from tests.api.conftest import Api

QUERY = """
query ($id: String!) {
  occupationMatch(id: $id) {
    matchedBy matchedField matchedText score
    alternatives { score occupation { code title } }
    occupation { code title }
  }
}
"""


def test_a_technician_resolves_to_support_work_and_says_what_else_it_could_be(api: Api) -> None:
    body = api.run(QUERY, {"id": "customer care technician"})
    match = body["data"]["occupationMatch"]
    occupation = match["occupation"]
    assert occupation["code"] in {"43-4051.00", "15-1232.00"}, occupation["title"]
    assert match["matchedBy"] == "CLOSEST_NAME"
    assert 0 < match["score"] < 1
    alternatives = match["alternatives"]
    assert 1 <= len(alternatives) <= 4
    scores = [a["score"] for a in alternatives]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= match["score"] for s in scores)
    assert occupation["code"] not in {a["occupation"]["code"] for a in alternatives}


def test_codes_match_exactly_without_alternatives(api: Api) -> None:
    match = api.run(QUERY, {"id": "29-1141"})["data"]["occupationMatch"]
    assert (match["matchedBy"], match["score"], match["alternatives"]) == ("SOC_CODE", 1.0, [])


def test_abbreviations_resolve_as_job_seekers_use_them(api: Api) -> None:
    wanted = {
        "cna": "31-1131.00",
        "rn": "29-1141.00",
        "lpn": "29-2061.00",
        "emt": "29-2042.00",
        "cdl driver": "53-3032.00",
    }
    for identifier, code in wanted.items():
        occupation = api.run(QUERY, {"id": identifier})["data"]["occupationMatch"]["occupation"]
        assert occupation["code"] == code, (identifier, occupation["title"])
