"""The HTTP contract through the real ASGI app: coded errors, persisted queries, HTTP caching,
limits (time, rate, CORS, introspection, suggestions) and metrics, on the tiny stub schema."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graphql_api.config import Settings
from graphql_api.server import create_app
from tests import serving_stub

GQL_JSON = "application/graphql-response+json"
EXAMPLES = {"Hello": "query Hello { hello }", "Version": "query Version { version }"}


def _client(schema_factory: Any = serving_stub.build_schema, **overrides: object) -> TestClient:
    app = create_app(
        Settings.from_env({}, **overrides),
        schema_factory=schema_factory,
        context_factory=serving_stub.build_context,
        snapshot_loader=serving_stub.load_snapshot,
        example_operations=EXAMPLES,
    )
    return TestClient(app)


def _ready(client: TestClient) -> TestClient:
    for _ in range(500):
        if client.get("/readyz").status_code == 200:
            return client
        time.sleep(0.01)
    pytest.fail("app never became ready")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with _client() as c:
        yield _ready(c)


@pytest.fixture
def read_only() -> Iterator[TestClient]:
    with _client(serving_stub.build_read_only_schema) as c:
        yield _ready(c)


def _code(response: Any) -> str:
    (error,) = response.json()["errors"]
    return str(error["extensions"]["code"])


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# -- one test per error class: every error a client can see has extensions.code ---------------


def test_syntax_error_is_parse_failed(client: TestClient) -> None:
    r = client.post("/graphql", json={"query": "{ version"}, headers={"accept": GQL_JSON})
    assert (r.status_code, _code(r)) == (400, "GRAPHQL_PARSE_FAILED")
    assert "data" not in r.json()


def test_validation_error_is_validation_failed(client: TestClient) -> None:
    r = client.post("/graphql", json={"query": "{ nope }"})
    assert (r.status_code, _code(r)) == (200, "GRAPHQL_VALIDATION_FAILED")


def test_missing_and_bad_variables_are_bad_user_input(client: TestClient) -> None:
    query = "query($n: String!) { hello(name: $n) }"
    assert _code(client.post("/graphql", json={"query": query})) == "BAD_USER_INPUT"
    r = client.post("/graphql", json={"query": query, "variables": {"n": 4}})
    assert _code(r) == "BAD_USER_INPUT"
    r = client.post("/graphql", json={"query": query, "variables": [1]})
    assert (r.status_code, _code(r)) == (400, "BAD_USER_INPUT")


def test_get_with_bad_variables_says_so_without_a_body(client: TestClient) -> None:
    r = client.get("/graphql", params={"query": "{ version }", "variables": "{not json"})
    assert (r.status_code, _code(r)) == (400, "BAD_USER_INPUT")
    message = r.json()["errors"][0]["message"]
    assert "`variables` query parameter" in message
    assert "body" not in message


@pytest.mark.parametrize(
    ("send", "status"),
    [
        (lambda c: c.put("/graphql", json={"query": "{ version }"}), 405),
        (
            lambda c: c.get(
                "/graphql", params={"query": "{ version }"}, headers={"accept": "text/csv"}
            ),
            406,
        ),
        (
            lambda c: c.post(
                "/graphql", content=b"{ version }", headers={"content-type": "text/plain"}
            ),
            415,
        ),
        (
            lambda c: c.post(
                "/graphql", content=b"{nope", headers={"content-type": "application/json"}
            ),
            400,
        ),
        (lambda c: c.post("/graphql", json={"variables": {}}), 400),
        (lambda c: c.post("/graphql", json={"query": 42}), 400),
        (lambda c: c.get("/graphql", params={"query": "mutation { touch }"}), 405),
    ],
)
def test_http_level_errors_are_bad_request(client: TestClient, send: Any, status: int) -> None:
    r = send(client)
    assert (r.status_code, _code(r)) == (status, "BAD_REQUEST")
    assert r.headers["cache-control"] == "no-store"


def test_body_limit_is_bad_request() -> None:
    with _client(max_request_bytes=100) as c:
        r = _ready(c).post("/graphql", json={"query": "{ version }", "variables": {"x": "y" * 200}})
        assert (r.status_code, _code(r)) == (413, "BAD_REQUEST")


def test_batches_are_refused_with_a_code(client: TestClient) -> None:
    r = client.post("/graphql", json=[{"query": "{ version }"}, {"query": "{ hello }"}])
    assert (r.status_code, _code(r)) == (400, "BAD_REQUEST")
    assert "Batched requests" in r.json()["errors"][0]["message"]


def test_mutation_on_a_read_only_schema_is_operation_not_supported(read_only: TestClient) -> None:
    r = read_only.post("/graphql", json={"query": "mutation { touch }"})
    assert (r.status_code, _code(r)) == (200, "OPERATION_NOT_SUPPORTED")
    r = read_only.post(
        "/graphql", json={"query": "mutation { touch }"}, headers={"accept": GQL_JSON}
    )
    assert r.status_code == 400
    assert read_only.get("/graphql", params={"query": "mutation { touch }"}).status_code == 405


def test_unknown_operation_name_is_coded(client: TestClient) -> None:
    r = client.post("/graphql", json={"query": "query A { version }", "operationName": "B"})
    assert (r.status_code, _code(r)) == (400, "OPERATION_RESOLUTION_FAILURE")


def test_field_errors_keep_their_codes(client: TestClient) -> None:
    assert (
        _code(client.post("/graphql", json={"query": '{ occupation(code: "x") }'})) == "NOT_FOUND"
    )
    assert _code(client.post("/graphql", json={"query": "{ boom }"})) == "INTERNAL_SERVER_ERROR"


def test_not_ready_is_service_unavailable() -> None:
    import threading

    release = threading.Event()

    def slow(settings: Settings) -> Any:
        release.wait(10)
        return serving_stub.load_snapshot(settings)

    app = create_app(
        Settings(),
        schema_factory=serving_stub.build_schema,
        context_factory=serving_stub.build_context,
        snapshot_loader=slow,
    )
    with TestClient(app) as c:
        r = c.post("/graphql", json={"query": "{ version }"})
        assert (r.status_code, _code(r), r.headers["retry-after"]) == (
            503,
            "SERVICE_UNAVAILABLE",
            "1",
        )
        release.set()


# -- automatic persisted queries, as Apollo's PersistedQueryLink speaks them ------------------


def _apq(digest: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def test_apq_hash_first_then_register_then_hash_only(client: TestClient) -> None:
    query = "query Greet($n: String) { hello(name: $n) }"
    digest = _sha(query)
    # 1. The link sends only the hash (GET by default with useGETForHashedQueries).
    params = {"extensions": json.dumps(_apq(digest)), "variables": '{"n": "Ada"}'}
    r = client.get("/graphql", params=params)
    assert (r.status_code, _code(r)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    assert r.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert r.headers["cache-control"] == "no-store"
    # 2. It retries with the document and the hash (POST): registered and executed.
    r = client.post(
        "/graphql", json={"query": query, "variables": {"n": "Ada"}, "extensions": _apq(digest)}
    )
    assert r.json() == {"data": {"hello": "Hello, Ada!"}}
    # 3. From now on the hash alone works, over GET and POST.
    assert client.get("/graphql", params=params).json() == {"data": {"hello": "Hello, Ada!"}}
    r = client.post("/graphql", json={"variables": {"n": "Bo"}, "extensions": _apq(digest)})
    assert r.json() == {"data": {"hello": "Hello, Bo!"}}


def test_apq_hash_is_checked(client: TestClient) -> None:
    r = client.post("/graphql", json={"query": "{ version }", "extensions": _apq("0" * 64)})
    assert (r.status_code, _code(r)) == (400, "BAD_REQUEST")
    assert "does not match" in r.json()["errors"][0]["message"]


def test_apq_off_is_not_supported() -> None:
    with _client(persisted_queries=False) as c:
        r = _ready(c).post("/graphql", json={"extensions": _apq(_sha("{ version }"))})
        assert (r.status_code, _code(r)) == (200, "PERSISTED_QUERY_NOT_SUPPORTED")
        # Trusted documents still answer by hash.
        r = c.post("/graphql", json={"extensions": _apq(_sha(EXAMPLES["Version"]))})
        assert r.json() == {"data": {"version": "stub-1"}}


def test_trusted_documents_only() -> None:
    with _client(trusted_documents_only=True) as c:
        _ready(c)
        by_hash = c.post("/graphql", json={"extensions": _apq(_sha(EXAMPLES["Hello"]))})
        assert by_hash.json() == {"data": {"hello": "Hello, world!"}}
        by_text = c.post("/graphql", json={"query": EXAMPLES["Version"]})
        assert by_text.json() == {"data": {"version": "stub-1"}}
        other = c.post("/graphql", json={"query": "{ version }"})
        assert (other.status_code, _code(other)) == (400, "OPERATION_NOT_TRUSTED")
        # Registration is off: an unknown hash stays unknown, even with its document.
        digest = _sha("{ version }")
        r = c.post("/graphql", json={"query": "{ version }", "extensions": _apq(digest)})
        assert _code(r) == "OPERATION_NOT_TRUSTED"
        assert (
            _code(c.post("/graphql", json={"extensions": _apq(digest)}))
            == "PERSISTED_QUERY_NOT_FOUND"
        )


# -- HTTP caching of GET ----------------------------------------------------------------------


def test_get_has_etag_cache_control_and_304(client: TestClient) -> None:
    params = {"query": "query H($n: String) { hello(name: $n) }", "variables": '{"n": "x"}'}
    first = client.get("/graphql", params=params)
    etag = first.headers["etag"]
    assert etag.startswith('"') and len(etag) == 34
    assert first.headers["cache-control"] == "public, max-age=300, stale-while-revalidate=3600"
    assert "Accept" in first.headers["vary"]
    serving_stub.CALLS.clear()
    again = client.get("/graphql", params=params, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert serving_stub.CALLS == []
    # Other variables, other operation name or another snapshot version: another ETag.
    other = client.get("/graphql", params={**params, "variables": '{"n": "y"}'})
    assert other.headers["etag"] != etag
    assert (
        client.get(
            "/graphql",
            params={**params, "variables": '{"n": "y"}'},
            headers={"if-none-match": etag},
        ).status_code
        == 200
    )


def test_errors_and_posts_are_not_cacheable(client: TestClient) -> None:
    r = client.get("/graphql", params={"query": "{ boom }"})
    assert r.headers["cache-control"] == "no-store"
    assert "etag" not in r.headers
    assert "etag" not in client.post("/graphql", json={"query": "{ version }"}).headers


def test_max_age_is_configurable() -> None:
    with _client(cache_max_age=60, cache_stale_while_revalidate=0) as c:
        r = _ready(c).get("/graphql", params={"query": "{ version }"})
        assert r.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=0"


def test_head_is_get_without_a_body(client: TestClient) -> None:
    params = {"query": "{ version }"}
    get = client.get("/graphql", params=params)
    head = client.head("/graphql", params=params)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == get.headers["content-length"]


def test_gzip_above_the_threshold(client: TestClient) -> None:
    big = {"query": "{ items(first: 100) { name } }"}
    r = client.get("/graphql", params=big, headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["etag"].endswith('-gzip"')
    assert "Accept-Encoding" in r.headers["vary"]
    assert r.json()["data"]["items"][99] == {"name": "item99"}
    # The identity and gzip encodings have distinct validators; both revalidate.
    plain = client.get("/graphql", params=big, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["etag"] != r.headers["etag"]
    for tag in (plain.headers["etag"], r.headers["etag"]):
        assert client.get("/graphql", params=big, headers={"if-none-match": tag}).status_code == 304
    small = client.get(
        "/graphql", params={"query": "{ version }"}, headers={"accept-encoding": "gzip"}
    )
    assert "content-encoding" not in small.headers
    # A POST answer is compressed the same way.
    r = client.post("/graphql", json=big, headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert len(gzip.compress(r.content)) > 0


def test_cors_vary_with_listed_origins() -> None:
    with _client(cors_origins="https://careers.example") as c:
        r = _ready(c).get(
            "/graphql",
            params={"query": "{ version }"},
            headers={"origin": "https://careers.example"},
        )
        assert r.headers["access-control-allow-origin"] == "https://careers.example"
        assert "Origin" in r.headers["vary"]


def test_graphql_responses_vary_on_origin_with_or_without_one() -> None:
    """Requests without an Origin skip the CORS layer; their Vary still names Origin, so a
    shared cache keeps browsers' (CORS) and servers' answers apart, and it reads the same as
    when the CORS layer added it."""
    with _client(cors_origins="https://careers.example") as c:
        _ready(c)
        for method in ("get", "post"):
            plain = (
                c.get("/graphql", params={"query": "{ version }"})
                if method == "get"
                else c.post("/graphql", json={"query": "{ version }"})
            )
            browser = (
                c.get(
                    "/graphql",
                    params={"query": "{ version }"},
                    headers={"origin": "https://careers.example"},
                )
                if method == "get"
                else c.post(
                    "/graphql",
                    json={"query": "{ version }"},
                    headers={"origin": "https://careers.example"},
                )
            )
            assert plain.headers["vary"] == "Accept, Accept-Encoding, Origin", method
            assert browser.headers["vary"] == plain.headers["vary"], method
            assert "access-control-allow-origin" not in plain.headers
            assert browser.headers["access-control-allow-origin"] == "https://careers.example"
            if method == "get":
                etag = plain.headers["etag"]
                revalidated = c.get(
                    "/graphql",
                    params={"query": "{ version }"},
                    headers={"if-none-match": etag},
                )
                assert revalidated.status_code == 304
                assert revalidated.headers["vary"] == plain.headers["vary"]


def test_a_repeated_body_is_read_once_and_a_bad_one_every_time(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphql_api.server import view as view_module

    reads: list[bytes] = []
    original = view_module.request_from_body

    def counting(body: bytes) -> Any:
        reads.append(body)
        return original(body)

    monkeypatch.setattr(view_module, "request_from_body", counting)
    body = json.dumps({"query": "query Hello { hello }", "variables": {"b": 1, "a": 2}})
    answers = [
        client.post("/graphql", content=body, headers={"content-type": "application/json"})
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].content == answers[1].content == answers[2].content
    assert len(reads) == 1
    for _ in range(2):
        bad = client.post(
            "/graphql", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert bad.status_code == 400
    assert len(reads) == 3
    big = json.dumps({"query": "query Hello { hello }", "variables": {"pad": "x" * 5000}})
    for _ in range(2):
        client.post("/graphql", content=big, headers={"content-type": "application/json"})
    assert len(reads) == 5  # a large body is not remembered
    remembered = client.app.state.view._bodies  # type: ignore[attr-defined]
    assert remembered.maxsize == view_module._REMEMBERED_BODIES


# -- limits and switches ----------------------------------------------------------------------


def test_execution_time_limit_stops_sync_and_async_work() -> None:
    with _client(execution_timeout_ms=50) as c:
        _ready(c)
        serving_stub.SLEEPS.clear()
        r = c.post("/graphql", json={"query": "{ items(first: 100) { sleepy(ms: 10) } }"})
        assert r.json() == {
            "errors": [
                {
                    "message": "Execution stopped: the operation ran longer than the time limit of 50 ms.",
                    "extensions": {"code": "EXECUTION_TIMEOUT", "limit": 50},
                }
            ]
        }
        # 100 synchronous fields of at least 10 ms each: execution stopped after a few, not 100.
        assert 1 <= len(serving_stub.SLEEPS) <= 10
        r = c.post("/graphql", json={"query": "{ wait(ms: 3000) }"})
        assert _code(r) == "EXECUTION_TIMEOUT"
        # Never cached: the next request runs again (and times out again).
        assert (
            c.get("/graphql", params={"query": "{ wait(ms: 3000) }"}).headers["cache-control"]
            == "no-store"
        )
        assert c.post("/graphql", json={"query": "{ wait(ms: 1) }"}).json() == {"data": {"wait": 1}}


def test_rate_limit_answers_429_with_retry_after() -> None:
    with _client(rate_limit_per_minute=60, rate_limit_burst=3) as c:
        _ready(c)
        statuses = [c.post("/graphql", json={"query": "{ version }"}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        r = c.post("/graphql", json={"query": "{ version }"})
        assert (r.status_code, _code(r)) == (429, "RATE_LIMITED")
        assert int(r.headers["retry-after"]) >= 1
        # Health probes are never limited.
        assert c.get("/readyz").status_code == 200


def test_rate_limit_is_off_by_default(client: TestClient) -> None:
    assert all(
        client.post("/graphql", json={"query": "{ version }"}).status_code == 200 for _ in range(30)
    )


def test_cors_allows_the_headers_browser_clients_send(client: TestClient) -> None:
    headers = "content-type, authorization, apollographql-client-name, apollographql-client-version, x-request-id"
    r = client.options(
        "/graphql",
        headers={
            "origin": "https://careers.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": headers,
        },
    )
    assert r.status_code == 200
    with _client(cors_headers="content-type") as c:
        r = c.options(
            "/graphql",
            headers={
                "origin": "https://careers.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "x-request-id",
            },
        )
        assert r.status_code == 400


def test_introspection_and_suggestions_on_by_default(client: TestClient) -> None:
    r = client.post("/graphql", json={"query": "{ __schema { queryType { name } } }"})
    assert r.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    r = client.post("/graphql", json={"query": "{ helo }"})
    assert "Did you mean 'hello'?" in r.json()["errors"][0]["message"]


def test_a_field_guessing_probe_learns_nothing_when_both_are_off() -> None:
    probes = [
        "{ helo }",
        '{ hello(nam: "x") }',
        "{ __schema { types { name } } }",
        '{ __type(name: "Query") { fields { name } } }',
        "{ root { chil { name } } }",
        "query($x: Strin) { version }",
    ]
    with _client(introspection=False, field_suggestions=False) as c:
        _ready(c)
        for probe in probes:
            body = c.post("/graphql", json={"query": probe}).json()
            text = json.dumps(body)
            assert "data" not in body or body["data"] is None, probe
            assert "Did you mean" not in text, probe
            for leaked in ("'hello'", "'name'", "'child'", "'String'", "'version'"):
                assert leaked not in text, (probe, text)
            assert all(
                e["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED" for e in body["errors"]
            )
        # Ordinary queries still run.
        assert c.post("/graphql", json={"query": "{ version }"}).json() == {
            "data": {"version": "stub-1"}
        }


# -- metrics and access logs ------------------------------------------------------------------


def _sample(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(name + ("{" + want + "}" if want else " ")):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_errors_and_caches(client: TestClient) -> None:
    before = client.get("/metrics").text
    client.post(
        "/graphql",
        json={"query": "query MetricsProbe { version }", "operationName": "MetricsProbe"},
    )
    client.post(
        "/graphql",
        json={"query": "query MetricsProbe { version }", "operationName": "MetricsProbe"},
    )
    client.post("/graphql", json={"query": "{ nope }"})
    client.post("/graphql", json={"extensions": _apq(_sha(EXAMPLES["Hello"]))})
    after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text
    requests = "careergraph_requests_total"
    labels = {"operation": "MetricsProbe", "method": "POST", "status": "200"}
    assert _sample(text, requests, **labels) - _sample(before, requests, **labels) == 2
    hits = "careergraph_response_cache_total"
    assert _sample(text, hits, result="hit") - _sample(before, hits, result="hit") >= 1
    errors = "careergraph_errors_total"
    code = {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert _sample(text, errors, **code) - _sample(before, errors, **code) == 1
    persisted = "careergraph_persisted_queries_total"
    assert _sample(text, persisted, result="hit") > _sample(before, persisted, result="hit")
    assert _sample(text, "careergraph_snapshot_info", version="stub-1") == 1
    assert "careergraph_request_duration_seconds_bucket" in text
    assert "careergraph_snapshot_load_seconds" in text


def test_access_log_is_one_json_line_per_request(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="careergraph.access"):
        client.get(
            "/graphql", params={"query": "query V { version }"}, headers={"x-request-id": "r-1"}
        )
        client.get("/graphql", params={"query": "query V { version }"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "careergraph.access"]
    assert [line["cache"] for line in lines] == ["miss", "hit"]
    assert [line["operation"] for line in lines] == ["V", "V"]
    assert lines[0]["status"] == 200
    assert lines[0]["request_id"] == "r-1"
    assert lines[0]["duration_ms"] >= 0


def test_a_span_per_request_when_opentelemetry_is_installed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import contextmanager

    from graphql_api.server import observability

    spans: list[dict[str, object]] = []

    class Span:
        def __init__(self, name: str) -> None:
            self.attributes: dict[str, object] = {"name": name}

        def set_attribute(self, key: str, value: object) -> None:
            self.attributes[key] = value

    class Tracer:
        @contextmanager
        def start_as_current_span(self, name: str) -> Iterator[Span]:
            span = Span(name)
            yield span
            spans.append(span.attributes)

    monkeypatch.setattr(observability, "tracer", Tracer())
    client.post("/graphql", json={"query": "query Traced { version }"})
    assert spans == [
        {
            "name": "graphql.request",
            "http.request.method": "POST",
            "http.response.status_code": 200,
            "graphql.operation.name": "Traced",
            "careergraph.cache": "miss",
        }
    ]
