"""HTTP behaviour of the app, through the real ASGI app with a tiny test schema."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
from graphql import get_introspection_query
from starlette.testclient import TestClient

from graphql_api.config import Settings
from graphql_api.server import create_app, render_graphiql
from tests import serving_stub

GQL_JSON = "application/graphql-response+json"


def _app(**overrides: object) -> TestClient:
    settings = Settings.from_env({}, **overrides)
    app = create_app(
        settings,
        schema_factory=serving_stub.build_schema,
        context_factory=serving_stub.build_context,
        snapshot_loader=serving_stub.load_snapshot,
        example_operations={"Hello": "query Hello { hello }", "Version": "{ version }"},
    )
    return TestClient(app)


def _wait_ready(client: TestClient) -> None:
    for _ in range(500):
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.01)
    pytest.fail("app never became ready")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with _app() as c:
        _wait_ready(c)
        yield c


def test_post_json(client: TestClient) -> None:
    r = client.post(
        "/graphql",
        json={
            "query": "query Q($n: String!) { hello(name: $n) }",
            "variables": {"n": "Ada"},
            "operationName": "Q",
        },
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"data": {"hello": "Hello, Ada!"}}


def test_get_query(client: TestClient) -> None:
    r = client.get("/graphql", params={"query": "{ version }"})
    assert r.status_code == 200
    assert r.json() == {"data": {"version": "stub-1"}}


def test_get_mutation_is_405(client: TestClient) -> None:
    r = client.get("/graphql", params={"query": "mutation { touch }"})
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    assert client.post("/graphql", json={"query": "mutation { touch }"}).json() == {
        "data": {"touch": True}
    }


def test_other_methods_are_405(client: TestClient) -> None:
    r = client.put("/graphql", json={"query": "{ version }"})
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD, POST"
    assert r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_bad_json_is_400(client: TestClient) -> None:
    r = client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_missing_query_is_400(client: TestClient) -> None:
    assert client.post("/graphql", json={"variables": {}}).status_code == 400
    assert client.post("/graphql", json={"query": 42}).status_code == 400


def test_wrong_content_type_is_415(client: TestClient) -> None:
    r = client.post("/graphql", content=b"{ version }", headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_body_limit_is_413() -> None:
    with _app(max_request_bytes=100) as c:
        _wait_ready(c)
        r = c.post("/graphql", json={"query": "{ version }", "variables": {"x": "y" * 200}})
        assert r.status_code == 413


def test_accept_negotiation(client: TestClient) -> None:
    good = {"query": "{ version }"}
    bad = {"query": "{ nope }"}
    r = client.post("/graphql", json=good, headers={"accept": GQL_JSON})
    assert (r.status_code, r.headers["content-type"]) == (200, GQL_JSON)
    # A request error: 400 with graphql-response+json, 200 with application/json; no "data".
    r = client.post("/graphql", json=bad, headers={"accept": GQL_JSON})
    assert r.status_code == 400
    assert "data" not in r.json()
    assert r.json()["errors"][0]["message"] == "Cannot query field 'nope' on type 'Query'."
    r = client.post("/graphql", json=bad, headers={"accept": "application/json"})
    assert r.status_code == 200
    r = client.post("/graphql", json=good, headers={"accept": f"application/json, {GQL_JSON}"})
    assert r.headers["content-type"] == GQL_JSON
    r = client.post("/graphql", json=good, headers={"accept": "*/*"})
    assert r.headers["content-type"].startswith("application/json")
    assert client.post("/graphql", json=good, headers={"accept": "text/csv"}).status_code == 406


def test_graphiql_for_browsers(client: TestClient) -> None:
    r = client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "/static/assets/graphiql-" in r.text  # the bundled build, no CDN
    assert "query Hello { hello }" in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_graphiql_disabled() -> None:
    with _app(graphiql=False) as c:
        assert c.get("/graphql", headers={"accept": "text/html"}).status_code == 404


def test_graphiql_examples_cannot_break_out() -> None:
    html = render_graphiql({"x": "# </script><script>alert(1)</script>"})
    assert "<script>alert(1)" not in html
    assert "\\u003c/script\\u003e" in html


def test_internal_error_is_masked_and_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        r = client.post("/graphql", json={"query": "{ boom }"})
    body = r.json()
    assert r.status_code == 200
    assert body["data"] == {"boom": None}
    assert body["errors"][0]["message"] == "Unexpected error."
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "hunter2" not in r.text
    assert "Traceback" not in r.text
    assert any(rec.exc_info and "hunter2" in str(rec.exc_info[1]) for rec in caplog.records)


def test_coded_errors_pass_through(client: TestClient) -> None:
    r = client.post("/graphql", json={"query": '{ occupation(code: "nurse") }'})
    error = r.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert error["extensions"]["suggestions"] == ["29-1141.00"]
    r = client.post("/graphql", json={"query": "{ page(first: 500) }"})
    error = r.json()["errors"][0]
    assert error["message"] == "Argument 'first' must be at most 100."
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "snapshotVersion": "stub-1"}


def test_not_ready_until_loaded() -> None:
    release = threading.Event()

    def slow_loader(settings: Settings) -> serving_stub.LoadedSnapshot[dict[str, str]]:
        release.wait(10)
        return serving_stub.load_snapshot(settings)

    app = create_app(
        Settings.from_env({}),
        schema_factory=serving_stub.build_schema,
        context_factory=serving_stub.build_context,
        snapshot_loader=slow_loader,
    )
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").json() == {"status": "loading"}
        r = c.post("/graphql", json={"query": "{ version }"})
        assert r.status_code == 503
        assert r.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        release.set()
        _wait_ready(c)
        assert c.post("/graphql", json={"query": "{ version }"}).status_code == 200


def test_failed_load_is_reported() -> None:
    def broken(settings: Settings) -> serving_stub.LoadedSnapshot[dict[str, str]]:
        raise FileNotFoundError("snapshot.db")

    app = create_app(
        Settings.from_env({}),
        schema_factory=serving_stub.build_schema,
        context_factory=serving_stub.build_context,
        snapshot_loader=broken,
    )
    with TestClient(app) as c:
        for _ in range(500):
            if c.get("/readyz").json()["status"] != "loading":
                break
            time.sleep(0.01)
        r = c.get("/readyz")
        assert r.status_code == 503
        assert r.json() == {"status": "failed", "error": "FileNotFoundError: snapshot.db"}


def test_response_cache_hits(client: TestClient) -> None:
    state = client.app.state.careergraph  # type: ignore[attr-defined]
    serving_stub.CALLS.clear()
    request = {"query": "query H($n: String) { hello(name: $n) }", "variables": {"n": "a", "m": 1}}
    first = client.post("/graphql", json=request)
    reordered = {"query": request["query"], "variables": {"m": 1, "n": "a"}}
    second = client.post("/graphql", json=reordered)
    assert first.content == second.content
    assert serving_stub.CALLS == ["hello"]
    assert state.response_cache.hits == 1
    client.post("/graphql", json={"query": request["query"], "variables": {"n": "b"}})
    assert serving_stub.CALLS == ["hello", "hello"]
    # Masked internal errors and mutations are never cached.
    client.post("/graphql", json={"query": "{ boom }"})
    client.post("/graphql", json={"query": "{ boom }"})
    client.post("/graphql", json={"query": "mutation { touch }"})
    client.post("/graphql", json={"query": "mutation { touch }"})
    assert state.response_cache.hits == 1
    assert len(state.response_cache) == 2


def test_response_cache_disabled() -> None:
    with _app(response_cache_size=0) as c:
        _wait_ready(c)
        serving_stub.CALLS.clear()
        c.post("/graphql", json={"query": "{ hello }"})
        c.post("/graphql", json={"query": "{ hello }"})
        assert serving_stub.CALLS == ["hello", "hello"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ root { " + "child { " * 12 + "name" + " }" * 14, "QUERY_TOO_DEEP"),
        ("{ " + " ".join(f"a{i}: version" for i in range(31)) + " }", "TOO_MANY_ALIASES"),
        ("{ " + "version " * 5001 + "}", "TOO_MANY_TOKENS"),
        (
            "{ items(first: 100) { children(first: 100) { children(first: 10) { name } } } }",
            "QUERY_TOO_COMPLEX",
        ),
    ],
)
def test_limits_refuse_over_http(client: TestClient, query: str, code: str) -> None:
    r = client.post("/graphql", json={"query": query}, headers={"accept": GQL_JSON})
    assert r.status_code == 400
    body = r.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code
    assert body["errors"][0]["message"].startswith("Query refused: the ")


def test_graphiql_introspection_passes(client: TestClient) -> None:
    query = get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
        one_of=True,
    )
    r = client.post("/graphql", json={"query": query})
    assert r.status_code == 200
    assert "errors" not in r.json()
    assert r.json()["data"]["__schema"]["queryType"] == {"name": "Query", "kind": "OBJECT"}


def test_variable_coercion_failure_is_a_request_error() -> None:
    """A variable of the wrong type is a request error: 400 under graphql-response+json, no data."""
    import strawberry
    from starlette.testclient import TestClient

    from graphql_api.config import Settings
    from graphql_api.graph.loaded import LoadedSnapshot
    from graphql_api.server import create_app

    @strawberry.type
    class Query:
        @strawberry.field
        def double(self, n: int) -> int:
            return 2 * n

    app = create_app(
        Settings(),
        schema_factory=lambda limits: strawberry.Schema(query=Query),
        context_factory=lambda snapshot, request: None,
        snapshot_loader=lambda settings: LoadedSnapshot(version="t", graph=None),
    )
    with TestClient(app) as client:
        response = client.post(
            "/graphql",
            json={"query": "query($n: Int!) { double(n: $n) }", "variables": {"n": "abc"}},
            headers={"Accept": "application/graphql-response+json"},
        )
        assert response.status_code == 400
        body = response.json()
        assert "data" not in body
        assert "Int cannot represent" in body["errors"][0]["message"]
        ok = client.post(
            "/graphql",
            json={"query": "query($n: Int!) { double(n: $n) }", "variables": {"n": 4}},
            headers={"Accept": "application/graphql-response+json"},
        )
        assert ok.status_code == 200
        assert ok.json() == {"data": {"double": 8}}


def test_several_operations_need_a_name_and_cors_is_open() -> None:
    import strawberry
    from starlette.testclient import TestClient

    from graphql_api.config import Settings
    from graphql_api.graph.loaded import LoadedSnapshot
    from graphql_api.server import create_app

    @strawberry.type
    class Query:
        @strawberry.field
        def one(self) -> int:
            return 1

    app = create_app(
        Settings(),
        schema_factory=lambda limits: strawberry.Schema(query=Query),
        context_factory=lambda snapshot, request: None,
        snapshot_loader=lambda settings: LoadedSnapshot(version="t", graph=None),
    )
    document = "query A { one } query B { one }"
    with TestClient(app) as client:
        unnamed = client.post("/graphql", json={"query": document})
        assert unnamed.status_code == 400
        assert "operation name" in unnamed.json()["errors"][0]["message"]
        named = client.post("/graphql", json={"query": document, "operationName": "B"})
        assert named.json() == {"data": {"one": 1}}
        preflight = client.options(
            "/graphql",
            headers={
                "Origin": "https://careers.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
        simple = client.get(
            "/graphql", params={"query": "{ one }"}, headers={"Origin": "https://careers.example"}
        )
        assert simple.headers["access-control-allow-origin"] == "*"


def test_reload_swaps_the_snapshot_and_a_failed_reload_keeps_the_old_one() -> None:
    import asyncio

    import strawberry
    from starlette.testclient import TestClient

    from graphql_api.config import Settings
    from graphql_api.graph.loaded import LoadedSnapshot
    from graphql_api.server import create_app, reload_snapshot

    versions = iter(["v1", "v2", "broken"])

    def loader(settings: Settings) -> LoadedSnapshot[str]:
        version = next(versions)
        if version == "broken":
            raise ValueError("truncated snapshot")
        return LoadedSnapshot(version=version, graph=version)

    @strawberry.type
    class Query:
        @strawberry.field
        def version(self, info: strawberry.Info) -> str:
            return str(info.context)

    app = create_app(
        Settings(),
        schema_factory=lambda limits: strawberry.Schema(query=Query),
        context_factory=lambda snapshot, request: snapshot.graph,
        snapshot_loader=loader,
    )
    with TestClient(app) as client:
        assert client.get("/readyz").json()["snapshotVersion"] == "v1"
        assert client.post("/graphql", json={"query": "{ version }"}).json()["data"] == {
            "version": "v1"
        }
        asyncio.run(reload_snapshot(app))
        assert client.get("/readyz").json()["snapshotVersion"] == "v2"
        # The response cache is keyed by snapshot version: the same query now answers v2.
        assert client.post("/graphql", json={"query": "{ version }"}).json()["data"] == {
            "version": "v2"
        }
        asyncio.run(reload_snapshot(app))
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["snapshotVersion"] == "v2"


@pytest.mark.parametrize("freeze", [True, False])
def test_a_loaded_snapshot_is_frozen_out_of_the_garbage_collector(freeze: bool) -> None:
    """With ``gc_freeze`` (the default) the worker freezes the loaded heap (a reload collects
    the old graph first), so full collections under load no longer walk the graph."""
    import gc

    gc.unfreeze()
    try:
        with _app(gc_freeze=freeze) as c:
            _wait_ready(c)
            assert (gc.get_freeze_count() > 0) is freeze
    finally:
        gc.unfreeze()
