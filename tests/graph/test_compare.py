"""Tests for graph/compare.py: measures side by side and summary sentences, on the full snapshot."""

from __future__ import annotations

import pytest

from graphql_api.graph.compare import MEASURES, Measure, compare, compare_many, measure_values
from graphql_api.graph.model import CareerGraph
from graphql_api.graph.outlook import demographics, education, outlook


def _pair(graph: CareerGraph, a: str, b: str) -> tuple[dict[str, Measure], list[str]]:
    result = compare(graph, graph.by_code[a], graph.by_code[b])
    return {m.name: m for m in result.measures}, list(result.summary)


def test_measure_names_are_unique_and_include_outlook() -> None:
    names = [spec.name for spec in MEASURES]
    assert len(names) == len(set(names))
    assert {"growthPercent", "annualOpenings", "employmentChange", "medianAge", "womenShare"} <= (
        set(names)
    )


def test_outlook_measures_equal_graph_figures(career: CareerGraph) -> None:
    nurses = career.by_code["29-1141.00"]
    values = measure_values(career, nurses)
    found = outlook(career, nurses)
    people = demographics(career, nurses)
    degrees = education(career, nurses)
    assert found is not None and people is not None and degrees is not None
    assert values["growthPercent"] == found.percent_change == 4.9
    # Thousands in Table 1.2, whole jobs in the measure.
    assert values["annualOpenings"] == 189_100
    assert values["employmentChange"] == 166_100
    assert values["projectedEmployment"] == 3_557_100
    assert values["medianAge"] == people.median_age == 42.3
    assert values["womenShare"] == 87.9
    assert values["hispanicShare"] == 8.1
    assert values["mostCommonDegreeShare"] == degrees.most_common_share == 54.4
    assert values["typicalExperienceYears"] == 1.5


def test_side_by_side_difference_ratio_and_higher(career: CareerGraph) -> None:
    measures, _ = _pair(career, "29-1141.00", "15-1252.00")
    growth = measures["growthPercent"]
    assert (growth.a, growth.b, growth.higher) == (4.9, 15.8, "b")
    assert growth.difference == pytest.approx(10.9)
    assert growth.ratio == pytest.approx(15.8 / 4.9, abs=1e-4)
    age = measures["medianAge"]
    assert (age.a, age.b, age.higher) == (42.3, 38.6, "a")
    assert measures["growthPercent"].unit == "percent"


def test_summary_growth_openings_and_degrees(career: CareerGraph) -> None:
    _, summary = _pair(career, "29-1141.00", "15-1252.00")
    assert (
        "Registered Nurses grow 5% by 2034, faster than average, while software developers "
        "grow 16%, much faster than average (all occupations: 3%)." in summary
    )
    assert (
        "BLS projects about 189,100 openings a year for registered nurses and 115,200 for "
        "software developers (2024-34)." in summary
    )
    assert "Most registered nurses hold a bachelor's degree (54%)." in summary
    assert (
        "Registered Nurses and software developers both typically need a bachelor's degree "
        "to enter (BLS)." in summary
    )
    assert (
        "The median age of workers is 42.3 for registered nurses and 38.6 for software "
        "developers (CPS 2025)." in summary
    )
    assert "Women are 88% of registered nurses and 22% of software developers (CPS 2022)." in (
        summary
    )


def test_summary_decline_and_plurality_degree(career: CareerGraph) -> None:
    _, summary = _pair(career, "31-1131.00", "43-4051.00")
    assert (
        "Nursing Assistants grow 2% by 2034, as fast as average, while customer service "
        "representatives decline 6% (all occupations: 3%)." in summary
    )
    assert (
        "The most common education among nursing assistants is a high school diploma or "
        "equivalent (37%)." in summary
    )
    assert (
        "BLS lists the typical entry-level education as a postsecondary nondegree award for "
        "nursing assistants and a high school diploma or equivalent for customer service "
        "representatives." in summary
    )


def test_summary_names_census_groups(career: CareerGraph) -> None:
    _, summary = _pair(career, "25-2021.00", "11-1011.00")
    assert (
        "The CPS figures for elementary school teachers, except special education are those "
        'of the Census group "Elementary and middle school teachers", which covers more than '
        "this occupation." in summary
    )


def test_missing_figures_skip_rather_than_guess(career: CareerGraph) -> None:
    # Military occupations (55-xxxx) have no BLS projection or CPS line.
    soldier = career.by_code["55-1011.00"]
    assert outlook(career, soldier) is None
    measures, summary = _pair(career, "55-1011.00", "29-1141.00")
    growth = measures["growthPercent"]
    assert growth.a is None and growth.b == 4.9
    assert (growth.difference, growth.ratio, growth.higher) == (None, None, None)
    growth_sentences = [s for s in summary if "by 2034" in s]
    assert growth_sentences == [
        "Registered Nurses grow 5% by 2034, faster than average (all occupations: 3%)."
    ]
    assert not any("55-1011" in s or "None" in s for s in summary)


def test_compare_many_rows_carry_outlook(career: CareerGraph) -> None:
    codes = ["29-1141.00", "31-1131.00", "55-1011.00"]
    rows, matrix = compare_many(career, [career.by_code[c] for c in codes])
    assert [r["growthPercent"] for r in rows] == [4.9, 2.3, None]
    assert [r["annualOpenings"] for r in rows][:2] == [189_100, 204_100]
    assert len(matrix) == 3
