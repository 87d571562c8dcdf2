"""The `match` of an occupation looked up by title, through the API: what it matched and the
close alternatives (issues 7 and 8)."""

from __future__ import annotations

from tests.api.conftest import Api

QUERY = """
query ($id: String!) {
  occupation(id: $id) {
    code
    title
    match { matchedBy matchedText score alternatives { score occupation { code title } } }
  }
}
"""


def test_a_technician_resolves_to_support_work_and_says_what_else_it_could_be(api: Api) -> None:
    body = api.run(QUERY, {"id": "customer care technician"})
    occupation = body["data"]["occupation"]
    assert occupation["code"] in {"43-4051.00", "15-1232.00"}, occupation["title"]
    match = occupation["match"]
    assert match["matchedBy"].startswith("closest_")
    assert 0 < match["score"] < 1
    alternatives = match["alternatives"]
    assert 1 <= len(alternatives) <= 4
    scores = [a["score"] for a in alternatives]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= match["score"] for s in scores)
    assert occupation["code"] not in {a["occupation"]["code"] for a in alternatives}


def test_codes_match_exactly_without_alternatives(api: Api) -> None:
    match = api.run(QUERY, {"id": "29-1141"})["data"]["occupation"]["match"]
    assert (match["matchedBy"], match["score"], match["alternatives"]) == ("soc_code", 1.0, [])


def test_abbreviations_resolve_as_job_seekers_use_them(api: Api) -> None:
    wanted = {
        "cna": "31-1131.00",
        "rn": "29-1141.00",
        "lpn": "29-2061.00",
        "emt": "29-2042.00",
        "cdl driver": "53-3032.00",
    }
    for identifier, code in wanted.items():
        occupation = api.run(QUERY, {"id": identifier})["data"]["occupation"]
        assert occupation["code"] == code, (identifier, occupation["title"])
