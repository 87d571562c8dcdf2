"""Related careers and career paths on the real snapshots."""

from __future__ import annotations

import itertools

import pytest

from graphql_api.graph.related import (
    RelatedFilter,
    career_path,
    move_label,
    related_careers,
    transition_graph,
)


def test_related_careers_honour_the_default_filter(career) -> None:
    nurse = career.by_code["29-1141.00"]
    results = related_careers(career, nurse, first=20)
    assert results
    assert all(r.occupation.code != nurse.code for r in results)
    assert all(r.score >= 0.30 for r in results)
    assert all(r.wage_ratio is None or r.wage_ratio >= 0.75 for r in results)
    assert all(r.job_zone_change is None or r.job_zone_change <= 1 for r in results)
    scores = [r.score for r in results]
    assert scores == sorted(scores, reverse=True)
    for r in results:
        assert r.label == move_label(r.wage_ratio, r.same_major_group)


def test_filters_narrow_the_list(career) -> None:
    nurse = career.by_code["29-1141.00"]
    other = related_careers(career, nurse, where=RelatedFilter(major_group="other"), first=10)
    assert all(not r.same_major_group for r in other)
    richer = related_careers(career, nurse, where=RelatedFilter(min_wage_ratio=1.2), first=10)
    assert all(r.wage_ratio is not None and r.wage_ratio >= 1.2 for r in richer)
    with pytest.raises(ValueError, match="method"):
        related_careers(career, nurse, method="astrology")
    with pytest.raises(ValueError, match="weights"):
        related_careers(career, nurse, weights={"skills": -1.0})


def test_career_paths_respect_the_step_bound(career) -> None:
    graph = transition_graph(career)
    assistants = career.by_code["31-1131.00"]
    nurses = career.by_code["29-1141.00"]
    for steps in (1, 2, 3, 4):
        for path in career_path(career, assistants, nurses, max_steps=steps, first=3):
            assert 1 <= len(path.steps) <= steps
            assert path.steps[0].source is assistants
            assert path.steps[-1].target is nurses
            for step, after in itertools.pairwise(path.steps):
                assert step.target is after.source
            for step in path.steps:
                assert graph.has_edge(step.source.index, step.target.index)
    assert career_path(career, nurses, nurses) == []


@pytest.mark.parametrize(
    "where",
    [
        RelatedFilter(),
        RelatedFilter(min_score=None, max_job_zone_increase=None, min_wage_ratio=None),
        RelatedFilter(min_score=0.1, max_job_zone_increase=0, min_wage_ratio=1.1),
        RelatedFilter(min_score=0.05, major_group="same"),
        RelatedFilter(min_score=0.05, major_group="other", min_wage_ratio=None),
    ],
)
@pytest.mark.parametrize("method", ["composite", "tasks", "industries", "onet"])
def test_the_total_count_is_the_length_of_the_whole_list(career, where, method) -> None:
    """``count_related`` filters whole columns at once; it must count exactly what the ranking
    keeps, rule for rule (NaN scores, missing Job Zones and wages included)."""
    from graphql_api.graph.lookups import count_related
    from graphql_api.graph.similarity import similarity_model

    model = similarity_model(career)
    for occupation in career.occupations[::97]:
        row = (
            model.composite_row(occupation.index, None)
            if method in {"composite", "onet"}
            else model.matrices[method][occupation.index]
        )
        total = count_related(
            career,
            occupation,
            scores=row,
            method=method,
            min_score=where.min_score,
            max_job_zone_increase=where.max_job_zone_increase,
            min_wage_ratio=where.min_wage_ratio,
            major_group=where.major_group,
        )
        listed = related_careers(career, occupation, method=method, where=where, first=2000)
        assert total == len(listed), (occupation.code, method, where)
