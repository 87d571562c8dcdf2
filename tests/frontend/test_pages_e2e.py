"""The bundled pages in real headless Chromium against a real `careergraph serve` on loopback.

Debian's chromium driven by playwright-core (frontend/e2e/pages.mjs; no browser download).
Screenshots at 1280 and 375 px land in build/artifacts/.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import ARTIFACTS, OPERATIONS, run_node

pytestmark = pytest.mark.e2e

NURSING_ASSISTANTS = "31-1131.00"
CUSTOMER_SERVICE = "43-4051.00"


@pytest.fixture(scope="module")
def report(node: str, chromium: str, full_server: str) -> dict[str, Any]:
    os.environ.setdefault("CHROMIUM", chromium)
    result = run_node(node, "e2e/pages.mjs", full_server, str(ARTIFACTS), timeout=600)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    assert "failure" not in data, data.get("failure")
    return data


def _api_compare(base: str, a: str, b: str) -> dict[str, Any]:
    query = (OPERATIONS / "comparePage.graphql").read_text(encoding="utf-8")
    response = httpx.post(
        f"{base}/graphql", json={"query": query, "variables": {"a": a, "b": b}}, timeout=30
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return dict(body["data"]["compare"])


def _png_width(path: Path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return int(struct.unpack(">I", header[16:20])[0])


def test_no_console_errors_csp_refusals_or_other_origins(report: dict[str, Any]) -> None:
    assert report["problems"] == []


def test_graphiql_renders_the_examples_and_runs_the_comparison(report: dict[str, Any]) -> None:
    graphiql = report["graphiql"]
    assert graphiql["csp"].startswith("default-src 'none'")
    assert graphiql["introspectionStatus"] == 200
    names = [path.stem for path in sorted(OPERATIONS.glob("*.graphql"))]
    operation_names = [name[0].upper() + name[1:] for name in names]
    assert graphiql["tabs"] == operation_names
    assert graphiql["status"] == 200
    assert graphiql["errors"] == []
    assert graphiql["compareTitles"] == ["Nursing Assistants", "Customer Service Representatives"]
    assert '"data"' in graphiql["resultShown"].replace("\xa0", " ")


def test_compare_picks_with_the_keyboard_in_one_request(report: dict[str, Any]) -> None:
    compare = report["compare"]
    assert compare["pickA"]["value"] == "Nursing Assistants"
    assert compare["pickA"]["activeId"] == "occupation-a-list-0"
    assert compare["pickB"]["value"] == "Customer Service Representatives"
    # Autocomplete asks `search`; the comparison itself is exactly one request.
    assert set(compare["countsBeforeCompare"]) == {"Search"}
    assert compare["counts"]["ComparePage"] == 1
    assert set(compare["counts"]) == {"Search", "ComparePage"}
    assert compare["title"] == "Nursing Assistants vs Customer Service Representatives"
    assert compare["sections"] == [
        "Overview",
        "Salary",
        "Education",
        "Demographics",
        "Duties",
        "Skills",
        "Summary",
        "Related careers",
    ]
    assert compare["sharedSkills"] > 0
    assert compare["charts"] == 1


def test_the_url_holds_the_choice(report: dict[str, Any]) -> None:
    compare = report["compare"]
    assert compare["url"].endswith(f"/compare?a={NURSING_ASSISTANTS}&b={CUSTOMER_SERVICE}")
    # A fresh page at that URL shows the same comparison, again from one request.
    assert compare["sharedCounts"] == {"ComparePage": 1}
    assert compare["sharedTitle"] == compare["title"]
    assert compare["sharedFigures"] == compare["figures"]
    assert compare["sharedInputs"] == ["Nursing Assistants", "Customer Service Representatives"]


def test_salary_figures_equal_the_apis(report: dict[str, Any], full_server: str) -> None:
    api = _api_compare(full_server, NURSING_ASSISTANTS, CUSTOMER_SERVICE)
    shown = report["compare"]["figures"]
    for side in ("a", "b"):
        wages = api[side]["wages"]
        annual, hourly = wages["annual"], wages["hourly"]
        assert shown["annual-median"][side] == f"${annual['median']:,.0f}"
        assert shown["salary-median"][side] == f"${annual['median']:,.0f}"
        assert shown["hourly-median"][side] == f"${hourly['median']:,.2f}/hr"
        assert shown["salary-range"][side] == f"${annual['p10']:,.0f} - ${annual['p90']:,.0f}"
        assert shown["jobs"][side] == f"{api[side]['employment']['jobs']:,.0f}"
        state = api[side]["topPayingStates"]["nodes"][0]
        assert shown["top-state"][side] == f"{state['area']['name']} (${state['value']:,.0f})"


def test_usable_at_375_and_1280_px_with_screenshots(report: dict[str, Any]) -> None:
    assert report["compare"]["overflow1280"] <= 0
    assert report["compare"]["overflow375"] <= 0
    assert _png_width(ARTIFACTS / "compare-1280.png") == 1280
    assert _png_width(ARTIFACTS / "compare-375.png") == 375
    assert _png_width(ARTIFACTS / "graphiql-1280.png") == 1280


def test_ambiguous_titles_show_the_alternatives(report: dict[str, Any]) -> None:
    ambiguous = report["ambiguous"]
    assert ambiguous["counts"] == {"ComparePage": 1}
    # "technician" is an alternate title of several occupations: the page says which it took
    # and links the others (the lookup's Match.alternatives, from the same request).
    assert any(note.startswith("“Technician” matched") for note in ambiguous["notes"])
    assert ambiguous["alternatives"], "close alternatives are offered as links"
