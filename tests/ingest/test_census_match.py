"""Tests for matching Census occupation titles to SOC codes."""

from __future__ import annotations

import pytest

from graphql_api.ingest.census_match import match_census_titles, match_coverage, title_key
from graphql_api.ingest.cps import read_cps_table
from graphql_api.ingest.projections import read_projections
from tests.conftest import shared_path

SOC = [
    ("29-1141", "Registered Nurses"),
    ("35-2014", "Cooks, Restaurant"),
    ("35-2012", "Cooks, Institution and Cafeteria"),
    ("53-7199", "Material Moving Workers, All Other"),
    ("53-7062", "Laborers and Freight, Stock, and Material Movers, Hand"),
    ("43-6014", "Secretaries & Administrative Assistants"),
    ("99-0001", "Widget Polishers"),
]


def test_exact_normalized_and_unmatched() -> None:
    census = [
        ("Registered nurses", 3),
        ("Other material moving workers", 2),
        ("Laborers and freight, stock, and material movers, hand", 2),
        ("Secretaries and administrative assistants", 3),
        ("Widget Polishers", 3),
    ]
    matches = match_census_titles(census, SOC)
    assert matches["99-0001"].method == "exact"
    assert matches["29-1141"].method == "normalized"
    assert matches["29-1141"].census_title == "Registered nurses"
    assert matches["29-1141"].level == 3
    assert matches["53-7199"].census_title == "Other material moving workers"
    assert matches["43-6014"].method == "normalized"
    assert "35-2014" not in matches  # no Census line; never guessed
    coverage = match_coverage(matches, SOC)
    assert (coverage.matched, coverage.total) == (5, 7)
    assert coverage.by_method == {"exact": 1, "normalized": 4}


def test_hierarchy_uses_broad_and_minor_groups_not_major() -> None:
    census = [("Cooks", 2), ("Food preparation and serving related occupations", 0)]
    groups = [("35-0000", "Food Preparation and Serving Related Occupations"), ("35-2010", "Cooks")]
    matches = match_census_titles(census, SOC, groups)
    assert {c: m.method for c, m in matches.items()} == {
        "35-2014": "hierarchy",
        "35-2012": "hierarchy",
    }
    assert matches["35-2014"].census_title == "Cooks"


def test_residual_line_does_not_stand_for_its_group() -> None:
    groups = [("53-7000", "Material Moving Workers")]
    matches = match_census_titles([("Other material moving workers", 2)], SOC, groups)
    assert set(matches) == {"53-7199"}


def test_ambiguous_titles_stay_unmatched() -> None:
    census = [("Registered nurses", 3), ("Nurses, registered", 3)]
    assert match_census_titles(census, SOC) == {}


def test_word_order_of_inverted_titles() -> None:
    assert title_key("Cooks, restaurant") == title_key("Restaurant cooks")
    assert title_key("Secretaries") == title_key("secretary")
    assert title_key("Other movers") != title_key("Movers")


@pytest.mark.shared
def test_real_coverage() -> None:
    soc: list[tuple[str, str]] = []
    text = shared_path("onet", "db_30_1_text", "Occupation Data.txt").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        code, title, _ = line.split("\t", 2)
        if code.endswith(".00"):
            soc.append((code[:7], title))
    projections = read_projections(shared_path("bls", "ep_2024_34", "occupation.xlsx"))
    groups = [(o.code, o.title) for o in projections.occupations if not o.line_item]
    cps = read_cps_table(shared_path("bls", "cps_2025", "cpsaat11b.xlsx"))
    census = [(r.title, r.level) for r in cps.rows]

    titles_only = match_coverage(match_census_titles(census, soc), soc)
    matches = match_census_titles(census, soc, groups)
    coverage = match_coverage(matches, soc)
    print(f"titles only: {titles_only}; with NEM groups: {coverage} ({coverage.share:.1%})")
    # Measured on O*NET 30.1 (867 SOC codes) x CPS 2025 table 11b: 457 by title, 760 with groups.
    assert titles_only.total == 867
    assert titles_only.matched >= 450
    assert coverage.matched >= 740
    assert matches["29-1141"].census_title == "Registered nurses"
    assert matches["29-1141"].level == 3
    assert matches["15-1252"].census_title == "Software developers"
