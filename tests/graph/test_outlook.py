"""Tests for the outlook, education, experience and demographics graph functions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from graphql_api.graph.model import CareerGraph, graph_from_snapshot
from graphql_api.graph.outlook import (
    AgeBand,
    Share,
    Source,
    demographics,
    education,
    experience,
    outlook,
    years_range,
)
from graphql_api.ingest.oews import DATATYPES
from graphql_api.snapshot import Snapshot
from graphql_api.snapshot import tables as t


def occupation_row(code: str, title: str) -> t.OccupationRow:
    soc = code[:7]
    return t.OccupationRow(
        code=code,
        soc=soc,
        onet="." in code,
        title=title,
        slug=title.lower().replace(" ", "-"),
        description=None,
        job_zone=None,
        pay_soc=soc,
        pay_basis="direct",
        group=None,
    )


# Invented figures in the shapes ingest.outlook_layer writes.
PROJECTION = {
    "nem_code": "29-1141",
    "nem_title": "Registered nurses",
    "nem_line_item": True,
    "match": "direct",
    "period": "2024-34",
    "employment_2024": 100.0,
    "employment_2034": 105.0,
    "change": 5.0,
    "percent_change": 5.0,
    "annual_openings": 9.5,
    "self_employed_percent": 0.5,
    "median_wage_2024": 90000.0,
    "median_wage_top_coded": False,
    "entry_education": "Bachelor's degree",
    "work_experience": "None",
    "training": "None",
    "growth_label": "Faster than average",
    "sheet": "Table 1.2",
    "row": 438,
    "soc": "29-1141",
    "inherited": False,
}
ATTAINMENT = {
    "nem_code": "29-1141",
    "nem_title": "Registered nurses",
    "match": "direct",
    "years": "2022-23",
    "shares": [["High school", 10.0], ["Associate's degree", 30.0], ["Bachelor's degree", 60.0]],
    "most_common": "Bachelor's degree",
    "most_common_share": 60.0,
    "most_common_tied": [],
    "acs_approximate": False,
    "sheet": "Table 5.3",
    "row": 329,
    "soc": "29-1141",
    "inherited": False,
}
SEX_RACE = {
    "table": "11",
    "survey_year": 2022,
    "census_title": "Registered nurses",
    "match": "normalized",
    "level": 3,
    "total_employed": 3000.0,
    "values": {"women": 87.0, "white": 70.0, "black": 15.0, "asian": 9.0, "hispanic": None},
    "sheet": "cpsaat11",
    "row": 240,
}
AGE = {
    "table": "11b",
    "survey_year": 2025,
    "census_title": "Registered nurses",
    "match": "normalized",
    "level": 3,
    "total_employed": 3100.0,
    "values": {
        "16_19": 1.0,
        "20_24": 100.0,
        "25_34": 800.0,
        "35_44": 800.0,
        "45_54": 700.0,
        "55_64": 500.0,
        "65_plus": 199.0,
        "median_age": 42.5,
    },
    "sheet": "cpsaat11b",
    "row": 250,
}
RL = [
    ["2.D.1", "Required Level of Education", "RL", 2, "High School Diploma"],
    ["2.D.1", "Required Level of Education", "RL", 5, "Associate's Degree"],
    ["2.D.1", "Required Level of Education", "RL", 6, "Bachelor's Degree"],
]
RW = [
    ["3.A.1", "Related Work Experience", "RW", 1, "None"],
    ["3.A.1", "Related Work Experience", "RW", 2, "Up to and including 1 month"],
    ["3.A.1", "Related Work Experience", "RW", 6, "Over 1 year, up to and including 2 years"],
    ["3.A.1", "Related Work Experience", "RW", 11, "Over 10 years"],
]


def tiny_snapshot() -> Snapshot:
    nurse = "29-1141.00"
    speciality = "29-1141.01"
    onet_only = "15-2099.01"
    tables: dict[str, Any] = {
        "oews": {
            "release": "May 2099",
            "year": 2099,
            "datatypes": list(DATATYPES),
            "scales": [1] * len(DATATYPES),
            "annual_from_hourly": {},
            "notes": [["", None]],
            "footnotes": {},
        },
        "oews_occupations": t.encode_table([], t.OewsOccupationRow),
        "areas": t.encode_table([], t.AreaRow),
        "industries": t.encode_table([], t.IndustryRow),
        "groups": t.encode_table([], t.GroupRow),
        "occupations": t.encode_table(
            [
                occupation_row(onet_only, "Invented Analysts"),
                occupation_row(nurse, "Registered Nurses"),
                occupation_row(speciality, "Acute Care Nurses"),
                occupation_row("31-1120", "Home Health and Personal Care Aides"),
            ],
            t.OccupationRow,
        ),
        "descriptors": t.encode_table([], t.DescriptorRow),
        "requires": t.encode_table([], t.RequirementRow),
        "education_categories": t.encode_table(
            [t.EducationCategoryRow(*row) for row in RL + RW], t.EducationCategoryRow
        ),
        "education_values": t.encode_table(
            [
                t.EducationValueRow(code, scale, category, percent, suppressed)
                for code, scales in {
                    nurse: {
                        "RL": [[2, 5.0, False], [5, 35.0, False], [6, 60.0, True]],
                        "RW": [
                            [1, 30.0, False],
                            [2, 10.0, False],
                            [6, 40.0, False],
                            [11, 20.0, False],
                        ],
                    },
                    onet_only: {
                        "RL": [[2, 20.0, False], [5, 45.0, True], [6, 35.0, False]],
                        "RW": [
                            [1, 5.0, False],
                            [2, 5.0, False],
                            [6, 10.0, False],
                            [11, 80.0, False],
                        ],
                    },
                }.items()
                for scale, rows in scales.items()
                for category, percent, suppressed in rows
            ],
            t.EducationValueRow,
        ),
        "projections": {
            nurse: PROJECTION,
            speciality: {**PROJECTION, "inherited": True},
        },
        "attainment": {nurse: ATTAINMENT, speciality: {**ATTAINMENT, "inherited": True}},
        "demographics": {
            nurse: {"sex_race": SEX_RACE, "age": AGE, "soc": "29-1141", "inherited": False},
            "31-1120": {"sex_race": None, "age": AGE, "soc": "31-1120", "inherited": False},
        },
        "outlook_meta": {
            "projections": {"all_occupations_percent_change": 3.1, "period": "2024-34"},
            "attainment": {"years": "2022-23"},
            "sex_race": {"survey_year": 2022, "note": "NOTE: invented."},
            "age": {"survey_year": 2025, "note": "NOTE: 11-month averages (invented)."},
        },
    }
    arrays = {
        "oews_keys": np.zeros((3, 0), dtype=np.uint16),
        "oews_values": np.zeros((len(DATATYPES), 0), dtype=np.int32),
        "oews_notes": np.zeros((len(DATATYPES), 0), dtype=np.uint8),
    }
    return Snapshot(manifest={"onet_release": "30.1"}, tables=tables, arrays=arrays)


@pytest.fixture
def career() -> CareerGraph:
    return graph_from_snapshot(tiny_snapshot())


def test_outlook_carries_figures_and_source(career: CareerGraph):
    found = outlook(career, career.by_code["29-1141.00"])
    assert found is not None
    assert (found.percent_change, found.annual_openings, found.employment_change) == (
        5.0,
        9.5,
        5.0,
    )
    assert found.growth_label == "Faster than average"
    assert found.average_percent_change == 3.1
    assert found.match == "direct"
    assert found.inherited is False
    assert found.source == Source(
        "BLS Employment Projections", "Table 1.2", "2024-34", "Table 1.2 row 438"
    )
    speciality = outlook(career, career.by_code["29-1141.01"])
    assert speciality is not None
    assert speciality.inherited is True
    assert outlook(career, career.by_code["15-2099.01"]) is None


def test_education_prefers_bls_attainment(career: CareerGraph):
    found = education(career, career.by_code["29-1141.00"])
    assert found is not None
    assert (found.most_common_degree, found.most_common_share) == ("Bachelor's degree", 60.0)
    assert found.degree_source == Source(
        "BLS Employment Projections", "Table 5.3", "2022-23", "Table 5.3 row 329"
    )
    assert found.distribution[0] == Share("High school", 10.0)
    assert found.typical_entry_education == "Bachelor's degree"
    assert found.entry_education_source is not None
    assert found.entry_education_source.table == "Table 1.2"
    assert found.onet_required_level[2] == Share("Bachelor's Degree", 60.0, suppressed=True)
    assert found.onet_source is not None
    assert found.onet_source.location == "Required Level of Education (RL)"


def test_education_falls_back_to_onet_required_level(career: CareerGraph):
    found = education(career, career.by_code["15-2099.01"])
    assert found is not None
    assert (found.most_common_degree, found.most_common_share) == ("Associate's Degree", 45.0)
    assert found.most_common_suppressed is True  # O*NET's flag travels with the figure
    assert found.degree_source is not None
    assert found.degree_source.publisher == "O*NET 30.1"
    assert found.typical_entry_education is None
    assert education(career, career.by_code["31-1120"]) is None


def test_experience_typical_years(career: CareerGraph):
    found = experience(career, career.by_code["29-1141.00"])
    assert found is not None
    assert found.work_experience == "None"
    # 30 + 10 = 40 < 50, then 40 more passes half: the "1-2 years" category.
    assert found.typical_label == "Over 1 year, up to and including 2 years"
    assert (found.typical_years_min, found.typical_years_max, found.typical_years) == (
        1.0,
        2.0,
        1.5,
    )
    veteran = experience(career, career.by_code["15-2099.01"])
    assert veteran is not None
    assert (veteran.typical_years_min, veteran.typical_years_max, veteran.typical_years) == (
        10.0,
        None,
        10.0,
    )
    assert veteran.work_experience_source is None
    assert experience(career, career.by_code["31-1120"]) is None


def test_demographics_figures_and_survey_years(career: CareerGraph):
    found = demographics(career, career.by_code["29-1141.00"])
    assert found is not None
    assert found.median_age == 42.5
    assert found.women_share == 87.0
    assert (found.white_share, found.black_share, found.asian_share) == (70.0, 15.0, 9.0)
    assert found.hispanic_share is None
    assert found.shares_source is not None
    assert found.shares_source.year == "2022"
    assert found.age_source is not None
    assert (found.age_source.table, found.age_source.year) == ("Table 11b", "2025")
    assert found.age_source.note is not None
    assert "11-month" in found.age_source.note
    assert found.age_bands[0] == AgeBand("16 to 19 years", 1.0)
    assert found.shares_census_title == "Registered nurses"
    assert found.shares_match == "normalized"
    aides = demographics(career, career.by_code["31-1120"])
    assert aides is not None
    assert aides.women_share is None
    assert aides.shares_source is None
    assert aides.median_age == 42.5
    assert demographics(career, career.by_code["15-2099.01"]) is None


def test_functions_return_none_without_the_layer():
    snapshot = tiny_snapshot()
    for name in ("projections", "attainment", "demographics", "outlook_meta", "education_values"):
        del snapshot.tables[name]
    career = graph_from_snapshot(snapshot)
    nurse = career.by_code["29-1141.00"]
    assert outlook(career, nurse) is None
    assert education(career, nurse) is None
    assert experience(career, nurse) is None
    assert demographics(career, nurse) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("None", (0.0, 0.0)),
        ("Over 3 months, up to and including 6 months", (0.25, 0.5)),
        ("Over 6 months, up to and including 1 year", (0.5, 1.0)),
        ("Over 10 years", (10.0, None)),
        ("Something else", None),
    ],
)
def test_years_range(text: str, expected: tuple[float, float | None] | None):
    assert years_range(text) == expected
