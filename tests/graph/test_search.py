"""Identifier resolution and title search on the real snapshots."""

from __future__ import annotations

import pytest

from graphql_api.graph.search import MIN_RESOLVE_SCORE, normalize, resolve_occupation, search


@pytest.mark.parametrize(
    ("identifier", "code", "how"),
    [
        ("29-1141.00", "29-1141.00", "onet_soc_code"),
        ("29-1141", "29-1141.00", "soc_code"),
        ("291141", "29-1141.00", "soc_code"),
        ("registered-nurses", "29-1141.00", "slug"),
        ("Registered Nurses", "29-1141.00", "title"),
        ("  registered   NURSES ", "29-1141.00", "title"),
        ("31-1120", "31-1120", "soc_code"),  # an OEWS aggregate occupation
    ],
)
def test_codes_slugs_and_titles_resolve(any_graph, identifier: str, code: str, how: str) -> None:
    match = resolve_occupation(any_graph, identifier)
    assert match is not None
    assert (match.occupation.code, match.matched_by) == (code, how)
    assert match.score == 1.0


def test_typos_resolve_to_the_closest_title(any_graph) -> None:
    match = resolve_occupation(any_graph, "registerd nurse")
    assert match is not None
    assert match.occupation.code == "29-1141.00"
    assert match.matched_by.startswith("closest_")
    assert MIN_RESOLVE_SCORE <= match.score < 1.0


def test_nothing_close_resolves_to_nothing(any_graph) -> None:
    assert resolve_occupation(any_graph, "xyzzy plugh") is None
    assert resolve_occupation(any_graph, "") is None
    assert resolve_occupation(any_graph, "99-9999") is None


def test_alternate_titles_resolve_with_the_best_supported_occupation(full_graph) -> None:
    # O*NET lists "Patient Care Technician" under 29-2012.00 and 29-2099.00 (one source each)
    # and "Patient Care Technician (PCT)" under 31-1131.00 (four sources).
    match = resolve_occupation(full_graph, "patient care technician")
    assert match is not None
    assert match.occupation.code == "31-1131.00"
    assert match.matched_by == "alternate_title"
    # Short titles count too.
    cna = resolve_occupation(full_graph, "CNA")
    assert cna is not None
    assert cna.occupation.code == "31-1131.00"


def test_search_ranks_one_hit_per_occupation_best_first(any_graph) -> None:
    hits = search(any_graph, "nurse", first=10)
    codes = [h.occupation.code for h in hits]
    assert len(codes) == len(set(codes)) == 10
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert all("nurs" in normalize(h.matched_text) for h in hits[:5])


def test_search_is_typo_tolerant(any_graph) -> None:
    (top,) = search(any_graph, "sofware developr", first=1)
    assert top.occupation.code == "15-1252.00"
