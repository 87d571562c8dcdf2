"""Pay and employment facts: rankings and industry lists on the real snapshots."""

from __future__ import annotations

import pytest

from graphql_api.graph.facts import occupation_facts, top_areas, top_industries
from graphql_api.graph.lookups import occupation_industries


@pytest.mark.parametrize("code", ["29-1141.00", "25-2021.00", "15-1252.00", "31-1131.00"])
def test_industry_shares_never_count_a_job_twice(career, code: str) -> None:
    occupation = career.by_code[code]
    checked = 0
    for level in (2, 3, 4, 5):
        rows = occupation_industries(career, occupation, levels=frozenset({level}))
        checked += len(rows)
        assert all(not industry.ownership_view for industry, _, _ in rows)
        assert sum(share or 0.0 for _, _, share in rows) <= 1.0001, (code, level)
    assert checked > 0, code


def test_rankings_respect_the_employment_floor_and_order(career) -> None:
    nurse = career.by_code["29-1141.00"]
    states = top_areas(career, nurse, kind="state", min_employment=1000)
    assert states
    assert all(career.areas[r.code].kind == "state" for r in states)
    assert all(r.employment is not None and r.employment >= 1000 for r in states)
    assert [r.value for r in states] == sorted((r.value for r in states), reverse=True)
    # California's published mean for registered nurses tops the list (OEWS May 2025).
    ca = occupation_facts(career, nurse, area="0600000")
    assert ca is not None
    assert states[0].code == "0600000"
    assert states[0].value == ca.values["annual_mean"]
    industries = top_industries(career, nurse, min_employment=100)
    assert all(not career.industries[r.code].ownership_view for r in industries)


def test_rankings_prepared_at_load_equal_the_ones_worked_out_per_request(
    career, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default rankings (annual mean, >= 100 employed) come from one sort over every cell at
    load; they must be exactly what the per-occupation path computes, entry for entry."""
    from graphql_api.graph import facts

    def rankings() -> dict[tuple[str, str], list[facts.Ranked]]:
        out = {}
        for occupation in career.occupations[::5]:
            for name in facts.DEFAULT_RANKINGS:
                out[occupation.code, name] = list(
                    top_areas(career, occupation, kind=name)
                    if name != "industry"
                    else top_industries(career, occupation)
                )
        return out

    prepared = rankings()
    # With the default no longer recognised, every ranking is worked out per call.
    monkeypatch.setattr(facts, "DEFAULT_MIN_EMPLOYMENT", -1.0)
    worked_out = rankings()
    assert prepared == worked_out
    assert sum(len(r) for r in prepared.values()) > 10_000


def test_a_ranking_reads_like_a_list(career) -> None:
    from graphql_api.graph.facts import cell_facts

    nurse = career.by_code["29-1141.00"]
    states = top_areas(career, nurse, kind="state")
    everything = list(states)
    assert len(states) == len(everything) > 40
    assert states[0] == everything[0] and states[-1] == everything[-1]
    assert states[2:5] == everything[2:5]
    with pytest.raises(IndexError):
        states[len(states)]
    # The national figures prepared at load are the cell's own.
    assert occupation_facts(career, nurse) == cell_facts(career, "29-1141")
