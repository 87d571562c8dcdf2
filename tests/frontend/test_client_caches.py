"""Every example operation through Apollo Client 4 and urql graphcache with the documented cache
configuration (frontend/src/cache.ts), against a real server: no cache warning at all."""

from __future__ import annotations

import json

import pytest

from .conftest import OPERATIONS, run_node

pytestmark = pytest.mark.e2e


def test_examples_run_warning_free_in_apollo_and_urql(node: str, full_server: str) -> None:
    # --conditions=development selects Apollo Client 4's development build (its warnings on).
    result = run_node(
        node,
        "--conditions=development",
        "e2e/clients.mjs",
        f"{full_server}/graphql",
        str(OPERATIONS),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    names = sorted(p.name for p in OPERATIONS.glob("*.graphql"))
    assert report["operations"] == names

    for client in ("apollo", "urql"):
        results = report[client]["results"]
        # Each operation forwards, then backwards over a cache holding all the others.
        assert [r["name"] for r in results] == names + names[::-1]
        for r in results:
            assert r["data"], (client, r)
            assert r["errors"] == [], (client, r)
            assert r["cacheComplete"], (client, r)
            assert r["sameAsNetwork"], (client, r)
        assert report[client]["warnings"] == [], client
    # Entities are normalised: the examples select `id` wherever a type has one.
    assert report["apollo"]["normalised"] > 50

    # The harness hears warnings: the same runs without the configuration warn.
    canary = report["canary"]
    assert canary["urqlWithoutKeys"] > 0
    assert canary["apolloWithoutTypePolicies"] > 0
    assert canary["apolloWithTypePolicies"] == 0
