"""Overlong text arguments are refused, naming the argument; error messages never echo megabytes."""

from __future__ import annotations

from tests.api.conftest import Api

LONG = "nurse " * 5000


def test_overlong_search_text_is_refused(api: Api) -> None:
    body = api.run("query($t: String!) { search(text: $t) { totalCount } }", {"t": LONG})
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "text"}
    assert len(error["message"]) < 200


def test_overlong_occupation_ids_are_refused_per_argument(api: Api) -> None:
    body = api.run(
        'query($a: String!) { compare(a: $a, b: "29-1141") { similarity { score } } }', {"a": LONG}
    )
    assert body["errors"][0]["extensions"]["argument"] == "a"
    body = api.run("query($t: String!) { occupation(id: $t) { title } }", {"t": LONG})
    assert body["errors"][0]["extensions"]["argument"] == "id"


def test_not_found_echoes_at_most_a_line(api: Api) -> None:
    unknown = "q" * 150
    body = api.run("query($t: String!) { occupation(id: $t) { title } }", {"t": unknown})
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert len(error["extensions"]["identifier"]) <= 101
    assert len(error["message"]) < 300
