"""The document limits, cost model, masking rule and settings, without HTTP."""

from __future__ import annotations

import pytest
from graphql import GraphQLError, build_schema, get_introspection_query, parse

from graphql_api.api.errors import ErrorCode, is_public_error
from graphql_api.api.extensions.aliases import alias_counts
from graphql_api.api.extensions.cost import operation_cost
from graphql_api.api.extensions.depth import STANDARD_INTROSPECTION_DEPTH, operation_depths
from graphql_api.api.extensions.tokens import MAX_NESTING, parse_limited
from graphql_api.config import Settings, SettingsError
from graphql_api.server.caching import ResponseCache, response_key

SDL = """
type Query { occupation(code: String!): Occupation  occupations(first: Int): OccupationConnection
             groups: [Group!]!  skills(limit: Int = 5): [Skill!]! }
type OccupationConnection { totalCount: Int  edges: [Edge!]!  nodes: [Occupation!]! }
type Edge { node: Occupation }
type Occupation { title: String  skills(limit: Int = 5): [Skill!]!  group: Group }
type Group { name: String  occupations(first: Int): OccupationConnection }
type Skill { name: String }
"""
SCHEMA = build_schema(SDL)


def _cost(query: str, **kwargs: object) -> int | None:
    return operation_cost(SCHEMA, parse(query), **kwargs)  # type: ignore[arg-type]


def test_depth_follows_fragments_and_survives_cycles() -> None:
    doc = parse("query Q { a { ...F } } fragment F on X { b { c } } ")
    assert list(operation_depths(doc).values()) == [(3, 0)]
    cyclic = parse("{ a { ...F } } fragment F on X { b { ...G } } fragment G on X { c { ...F } }")
    # The spread closing the cycle is not followed: a > F.b > G.c.
    assert list(operation_depths(cyclic).values()) == [(3, 0)]


def test_long_fragment_chains_do_not_recurse() -> None:
    chain = " ".join(f"fragment F{i} on Q {{ ...F{i + 1} }}" for i in range(3000))
    doc = parse("{ ...F0 } " + chain + " fragment F3000 on Q { a: x b: x }")
    assert list(operation_depths(doc).values()) == [(1, 0)]
    assert list(alias_counts(doc).values()) == [2]


def test_aliases_count_each_fragment_use_without_blowup() -> None:
    # Each fragment spreads the next twice: 2**40 expansions, counted in linear time.
    frags = " ".join(f"fragment F{i} on Q {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    doc = parse("{ ...F0 } " + frags + " fragment F40 on Q { a: x }")
    assert list(alias_counts(doc).values()) == [2**40]


def test_introspection_depth_is_measured_separately() -> None:
    query = get_introspection_query(descriptions=True, input_value_deprecation=True)
    ((plain, intro),) = operation_depths(parse(query)).values()
    assert plain == 1
    assert intro <= STANDARD_INTROSPECTION_DEPTH
    assert STANDARD_INTROSPECTION_DEPTH == 15


def test_tokens_and_size_are_refused_before_parsing() -> None:
    with pytest.raises(GraphQLError) as raised:
        parse_limited("{ " + "a " * 20 + "}", max_tokens=10, max_bytes=1000)
    assert raised.value.extensions == {"code": "TOO_MANY_TOKENS", "limit": 10, "actual": 11}
    with pytest.raises(GraphQLError) as raised:
        parse_limited("{ a }" + " " * 10_000_000, max_tokens=10, max_bytes=1000)
    assert raised.value.extensions["code"] == "DOCUMENT_TOO_LARGE"
    with pytest.raises(GraphQLError) as raised:
        parse_limited("{a" * 70 + "}" * 70, max_tokens=1000, max_bytes=10_000)
    assert raised.value.extensions == {
        "code": "QUERY_TOO_DEEP",
        "limit": MAX_NESTING,
        "actual": MAX_NESTING + 1,
    }


def test_comments_do_not_count_as_tokens() -> None:
    doc = parse_limited("# a comment\n{ a }", max_tokens=3, max_bytes=100)
    assert len(doc.definitions) == 1


def test_cost_multiplies_by_page_arguments_and_variables() -> None:
    # occupations(first: 20) -> 20 x (edges x node x title): edges is sized by the connection.
    assert _cost("{ occupations(first: 20) { totalCount edges { node { title } } } }") == 1 + 20 * (
        1 + 1 + 1 * (1 + 1)
    )
    query = "query Q($n: Int) { occupations(first: $n) { nodes { title } } }"
    assert _cost(query, variables={"n": 50}) == 1 + 50 * (1 + 1)
    # Without a value, a connection is assumed to hold 10 items.
    assert _cost(query) == 1 + 10 * (1 + 1)


def test_cost_uses_schema_defaults_lists_and_cost_map() -> None:
    # skills(limit) defaults to 5 in the schema; groups is a plain list (10).
    assert _cost("{ skills { name } }") == 1 + 5 * 1
    assert _cost("{ groups { name } }") == 1 + 10 * 1
    assert _cost('{ occupation(code: "x") { title } }', cost_map={"Query.occupation": 20}) == 22


def test_cost_prices_fragments_and_skips_introspection() -> None:
    doc = "{ groups { ...G } } fragment G on Group { occupations(first: 3) { nodes { title } } }"
    assert _cost(doc) == 1 + 10 * (1 + 3 * (1 + 1))
    assert _cost("{ __schema { types { fields { name } } } }") == 1


def test_cost_of_unknown_operation_is_none() -> None:
    assert _cost("query A { groups { name } }", operation_name="B") is None


def test_public_and_internal_errors() -> None:
    assert is_public_error(GraphQLError("Cannot query field"))
    coded = GraphQLError("gone", extensions={"code": str(ErrorCode.NOT_FOUND)})
    assert is_public_error(GraphQLError("gone", path=["a"], original_error=coded))
    assert not is_public_error(GraphQLError("boom", path=["a"], original_error=RuntimeError("x")))
    assert not is_public_error(GraphQLError("boom", original_error=ValueError("x")))


def _body(cache: ResponseCache, key: object) -> bytes | None:
    entry = cache.get(key)  # type: ignore[arg-type]
    return None if entry is None else entry.body


def test_response_cache_is_lru_and_bounded_in_entries() -> None:
    cache = ResponseCache(max_bytes=1_000_000, max_entries=2)
    a, b, c = (response_key("v", q, None, None) for q in ("a", "b", "c"))
    cache.put(a, b"A")
    cache.put(b, b"B")
    assert _body(cache, a) == b"A"
    cache.put(c, b"C")
    assert _body(cache, b) is None
    assert (_body(cache, a), _body(cache, c)) == (b"A", b"C")
    assert (cache.hits, cache.misses, len(cache)) == (3, 1, 2)
    assert response_key("v2", "a", None, None) != a


def test_response_cache_is_bounded_in_bytes() -> None:
    # Each entry costs its bytes plus 256 for its key: four 10 KB bodies fit in 45 KB, five do not.
    cache = ResponseCache(max_bytes=45_000)
    keys = [response_key("v", str(i), None, None) for i in range(5)]
    for key in keys:
        cache.put(key, b"x" * 10_000)
    assert len(cache) == 4
    assert cache.size_bytes <= 45_000
    assert _body(cache, keys[0]) is None  # the least recently used went first
    # A body larger than the whole cache is never stored; nothing else is evicted for it.
    cache.put(response_key("v", "huge", None, None), b"x" * 50_000)
    assert len(cache) == 4
    # Gzip bytes count too.
    entry = cache.get(keys[4])
    assert entry is not None
    assert entry.with_gzip().size > entry.size


def test_response_cache_disabled_by_either_bound() -> None:
    for cache in (ResponseCache(max_bytes=0), ResponseCache(max_bytes=1000, max_entries=0)):
        cache.put(response_key("v", "a", None, None), b"A")
        assert len(cache) == 0
        assert not cache.enabled


def test_settings_from_env() -> None:
    settings = Settings.from_env(
        {
            "CAREERGRAPH_PORT": "9001",
            "CAREERGRAPH_GRAPHIQL": "off",
            "CAREERGRAPH_SNAPSHOT": "/tmp/x.db",
            "CAREERGRAPH_MAX_COST": "10",
        },
        workers=3,
    )
    assert (settings.port, settings.graphiql, settings.workers, settings.max_cost) == (
        9001,
        False,
        3,
        10,
    )
    assert str(settings.snapshot) == "/tmp/x.db"
    assert Settings.from_env(settings.to_env()) == settings
    assert Settings.from_env({}) == Settings()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CAREERGRAPH_PORT", "eighty", "CAREERGRAPH_PORT: expected an integer, got 'eighty'"),
        ("CAREERGRAPH_PORT", "70000", "CAREERGRAPH_PORT: expected a port number 0-65535"),
        ("CAREERGRAPH_WORKERS", "0", "CAREERGRAPH_WORKERS: expected a positive integer"),
        ("CAREERGRAPH_GRAPHIQL", "maybe", "CAREERGRAPH_GRAPHIQL: expected true/false"),
        ("CAREERGRAPH_LOG_LEVEL", "loud", "CAREERGRAPH_LOG_LEVEL: expected one of"),
        ("CAREERGRAPH_RESPONSE_CACHE_BYTES", "-1", "CAREERGRAPH_RESPONSE_CACHE_BYTES: expected"),
        ("CAREERGRAPH_INTROSPECTION", "perhaps", "CAREERGRAPH_INTROSPECTION: expected true/false"),
    ],
)
def test_bad_settings_name_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(")) as raised:
        Settings.from_env({variable: value})
    assert raised.value.variable == variable
