"""The object cache: a completed occupation selection is reused only where it is the same answer.

Every test compares against a schema with the cache off, so a stale or mixed-up entry shows up as
a difference in the data, not only in the counters.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from graphql import parse
from graphql.execution.collect_fields import FieldDetails, FragmentDetails
from graphql.execution.executor import Executor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graphql_api.api.context import build_context, snapshot_version
from graphql_api.api.extensions import Limits, ObjectCache
from graphql_api.api.extensions.object_cache import estimated_bytes, plan_selection
from graphql_api.api.schema import build_schema
from graphql_api.graph.loaded import LoadedSnapshot
from graphql_api.graph.model import CareerGraph
from tests.api.conftest import Api

PAIR = """
query Pair($a: String!, $b: String!, $n: Int! = 3) {
  compare(a: $a, b: $b) {
    a { ...Side }
    b { ...Side }
  }
}
fragment Side on Occupation {
  code title
  wages { annual { median } }
  skills(first: $n) { nodes { skill { id } score } }
  relatedCareers(first: 2) { nodes { occupation { code } score } }
}
"""


class Runner:
    def __init__(self, career: CareerGraph, **limits: Any) -> None:
        self.schema = build_schema(Limits(**limits))
        self.snapshot = LoadedSnapshot(version=snapshot_version(career), graph=career)
        self.loop = asyncio.new_event_loop()

    @property
    def cache(self) -> ObjectCache:
        cache = getattr(self.schema, "object_cache", None)
        assert isinstance(cache, ObjectCache)
        return cache

    def run(self, query: str, **variables: Any) -> dict[str, Any]:
        result = self.loop.run_until_complete(
            self.schema.execute(
                query,
                variable_values=variables,
                context_value=build_context(self.snapshot, None),
            )
        )
        return {"data": result.data, "errors": [e.formatted for e in result.errors or []]}


@pytest.fixture(scope="module")
def cached(career: CareerGraph) -> Runner:
    return Runner(career)


@pytest.fixture(scope="module")
def uncached(career: CareerGraph) -> Runner:
    return Runner(career, object_cache_bytes=0)


def test_the_cache_is_off_when_its_bound_is_zero(uncached: Runner) -> None:
    assert getattr(uncached.schema, "object_cache", None) is None


def test_a_side_seen_before_is_served_from_the_cache_with_the_same_data(
    cached: Runner, uncached: Runner
) -> None:
    first = cached.run(PAIR, a="29-1141.00", b="43-4051.00")
    hits = cached.cache.hits
    # The same occupation again, on the other side and in another pair.
    second = cached.run(PAIR, a="43-4051.00", b="29-1141.00")
    assert cached.cache.hits == hits + 2
    assert second == uncached.run(PAIR, a="43-4051.00", b="29-1141.00")
    assert first == uncached.run(PAIR, a="29-1141.00", b="43-4051.00")
    assert second["data"]["compare"]["a"] == first["data"]["compare"]["b"]
    assert not second["errors"]


def test_variables_the_selection_reads_are_part_of_the_key(
    cached: Runner, uncached: Runner
) -> None:
    three = cached.run(PAIR, a="15-1252.00", b="11-1021.00", n=3)
    five = cached.run(PAIR, a="15-1252.00", b="11-1021.00", n=5)
    assert len(three["data"]["compare"]["a"]["skills"]["nodes"]) == 3
    assert len(five["data"]["compare"]["a"]["skills"]["nodes"]) == 5
    assert five == uncached.run(PAIR, a="15-1252.00", b="11-1021.00", n=5)


def test_a_fragment_of_the_same_name_with_another_body_is_another_selection(
    cached: Runner,
) -> None:
    other = PAIR.replace("code title", "code description")
    cached.run(PAIR, a="29-2061.00", b="31-1131.00")
    changed = cached.run(other, a="29-2061.00", b="31-1131.00")
    side = changed["data"]["compare"]["a"]
    assert "description" in side
    assert "title" not in side


def test_a_completion_with_a_field_error_is_not_kept(cached: Runner, uncached: Runner) -> None:
    query = """
    query($a: String!, $b: String!) {
      compare(a: $a, b: $b) { a { code wages(area: "no such area") { annual { median } } } }
    }
    """
    before = len(cached.cache)
    first = cached.run(query, a="47-2111.00", b="47-2031.00")
    assert first["errors"], "an unknown area is a field error"
    assert len(cached.cache) == before
    assert cached.run(query, a="47-2111.00", b="47-2031.00") == uncached.run(
        query, a="47-2111.00", b="47-2031.00"
    )


def test_leaf_only_selections_and_lookups_with_a_match_are_executed(cached: Runner) -> None:
    before = len(cached.cache)
    cached.run("query($a: String!, $b: String!) { compare(a: $a, b: $b) { a { code title } } }",
               a="13-2011.00", b="13-2051.00")  # fmt: skip
    # occupation(id:) results carry the lookup's match, which is not the occupation's data.
    cached.run(
        '{ occupation(id: "registered nurse") { code skills(first: 2) { nodes { score } } } }'
    )
    assert len(cached.cache) == before


def test_a_bound_smaller_than_an_entry_stores_nothing() -> None:
    cache = ObjectCache(max_bytes=1000)
    cache.put("k", {"title": "x" * 2000})
    assert len(cache) == 0
    cache.put("k", {"a": 1})
    assert len(cache) == 1
    assert cache.size_bytes >= estimated_bytes({"a": 1})


def test_the_cache_evicts_the_least_recently_used_within_its_bound() -> None:
    value = {"title": "x" * 100}
    size = estimated_bytes(value) + 256
    cache = ObjectCache(max_bytes=3 * size)
    for key in "abc":
        cache.put(key, value)
    cache.get("a")
    cache.put("d", value)
    assert [key for key in "abcd" if cache.get(key) is not None] == ["a", "c", "d"]
    assert cache.size_bytes <= cache.max_bytes


def test_defer_stream_and_unknown_fragments_are_never_cached() -> None:
    doc = parse(
        "{ a { b @defer { c } } } { a { ... on A @stream { b { c } } } } { a { ...Missing } }"
    )
    for definition in doc.definitions:
        field = definition.selection_set.selections[0]  # type: ignore[attr-defined]
        assert not plan_selection([FieldDetails(field, None)], {}).cacheable


def test_include_and_skip_read_their_variables() -> None:
    doc = parse(
        "query($x: Boolean!) { a { b @include(if: $x) { c } ...F } }"
        " fragment F on A { d(n: 1) { e } }"
    )
    field = doc.definitions[0].selection_set.selections[0]  # type: ignore[attr-defined]
    plan = plan_selection(
        [FieldDetails(field, None)],
        {"F": FragmentDetails(doc.definitions[1])},  # type: ignore[arg-type]
    )
    assert plan.cacheable
    assert plan.variables == ("x",)
    assert plan.variable_key({"x": True}) != plan.variable_key({"x": False})
    assert "fragment F on A" in plan.fingerprint


def test_graphql_core_internals_the_cache_relies_on_are_where_it_expects_them() -> None:
    # complete_object_value(return_type, field_details_list, info, path, result, position_context)
    parameters = list(inspect.signature(Executor.complete_object_value).parameters)
    assert parameters == [
        "self",
        "return_type",
        "field_details_list",
        "info",
        "path",
        "result",
        "position_context",
    ]
    assert issubclass(StrawberryGraphQLCoreExecutionContext, Executor)
    assert "collected_errors" in Executor.__annotations__
    assert {"node", "defer_usage", "fragment_variable_values"} <= set(FieldDetails._fields)


def _counter(text: str, result: str) -> float:
    line = f'careergraph_object_cache_total{{result="{result}"}} '
    return sum(float(row[len(line) :]) for row in text.splitlines() if row.startswith(line))


def test_the_server_counts_object_cache_hits_on_metrics(api: Api) -> None:
    before = api.client.get("/metrics").text
    for b in ("27-1024.00", "27-1025.00"):
        body = api.run(PAIR, {"a": "19-1029.04", "b": b})
        assert not body.get("errors"), body
    after = api.client.get("/metrics").text
    assert _counter(after, "hit") - _counter(before, "hit") >= 1
    assert _counter(after, "miss") - _counter(before, "miss") >= 2
