"""The packaged pages as served by the app: /compare, the bundled GraphiQL, assets and their CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from graphql_api.server.graphiql import load_example_operations, render_graphiql
from graphql_api.server.pages import (
    CONTENT_SECURITY_POLICY,
    PACKAGED_OPERATIONS,
    PageHeaders,
    page_routes,
)

from .conftest import OPERATIONS, STATIC


class _Refs(HTMLParser):
    """Every script and stylesheet a page loads, and the inline script bodies it has."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.inline_scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.sources.append(str(attributes["src"]))
            else:
                self.inline_scripts.append(attributes)
        if tag == "link" and attributes.get("rel") in {"stylesheet", "modulepreload"}:
            self.sources.append(str(attributes["href"]))


def _refs(html: str) -> _Refs:
    parser = _Refs()
    parser.feed(html)
    return parser


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=page_routes(), middleware=[Middleware(PageHeaders)])
    return TestClient(app)


def test_compare_page_is_served_with_its_csp(client: TestClient) -> None:
    response = client.get("/compare")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["cache-control"] == "no-cache"
    assert '<main id="app">' in response.text


@pytest.mark.parametrize("page", ["compare.html", "graphiql.html"])
def test_pages_load_only_packaged_files_and_run_no_inline_script(
    client: TestClient, page: str
) -> None:
    refs = _refs((STATIC / page).read_text(encoding="utf-8"))
    assert refs.sources, "the page loads its bundle"
    for source in refs.sources:
        # Same origin, under /static/assets, and present in the package.
        assert re.fullmatch(r"/static/assets/[\w.-]+\.(js|css)", source), source
        response = client.get(source)
        assert response.status_code == 200, source
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    # The only script element without src is GraphiQL's JSON data slot, which never runs.
    assert all(s.get("type") == "application/json" for s in refs.inline_scripts)


def test_csp_allows_no_other_origin_and_no_inline_script() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    for value in directives.values():
        assert "http" not in value and "*" not in value, value


def test_non_html_responses_get_no_page_headers(client: TestClient) -> None:
    response = client.get("/static/THIRD_PARTY_LICENSES.md")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert "content-security-policy" not in response.headers
    # Every bundled npm package's licence, by name.
    for package in ("react", "react-dom", "graphiql", "graphql", "monaco-editor"):
        assert f"## {package} - " in response.text, package


def test_unknown_asset_is_404(client: TestClient) -> None:
    assert client.get("/static/assets/nope.js").status_code == 404


def test_graphiql_page_opens_the_examples_as_tabs() -> None:
    operations = load_example_operations(OPERATIONS)
    html = render_graphiql(operations)
    refs = _refs(html)
    assert any(source.startswith("/static/assets/graphiql-") for source in refs.sources)
    assert "unpkg.com" not in html
    for name, text in operations.items():
        assert f'"name": "{name}"' in html
        first_line = text.splitlines()[0].replace("<", "\\u003c").replace(">", "\\u003e")
        assert first_line.replace('"', '\\"') in html


def test_packaged_operations_are_the_examples() -> None:
    # An installed wheel has no schema/ folder: the build ships the examples inside the package.
    assert load_example_operations(PACKAGED_OPERATIONS) == load_example_operations(OPERATIONS)
