"""Tests for the outlook layer tables, on invented records and on the real BLS workbooks."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import openpyxl
import pytest

from graphql_api.ingest.cps import CpsOccupationRow, CpsTable, read_cps_table
from graphql_api.ingest.onet import read_occupation_data
from graphql_api.ingest.outlook_layer import growth_bands, outlook_tables, resolve_nem
from graphql_api.ingest.projections import (
    EducationAttainment,
    ProjectedOccupation,
    Projections,
    read_projections,
)
from tests.conftest import shared_path

LEVELS = ("Less than high school", "High school", "Bachelor's degree", "Master's degree")


def nem(
    code: str,
    percent: float,
    *,
    line: bool = True,
    openings: float = 1.0,
    education: str | None = "Bachelor's degree",
    row: int = 5,
) -> ProjectedOccupation:
    # Invented figures: employment 100 -> 100 + percent, wage 50,000.
    return ProjectedOccupation(
        code=code,
        title=f"Title {code}",
        line_item=line,
        employment_2024=100.0,
        employment_2034=100.0 + percent,
        change=percent,
        percent_change=percent,
        self_employed_percent=None,
        annual_openings=openings,
        median_wage_2024=239200.0 if code == "11-1011" else 50000.0,
        median_wage_top_coded=code == "11-1011",
        entry_education=education if line else None,
        work_experience="5 years or more" if line else None,
        training="None" if line else None,
        sheet="Table 1.2",
        row=row,
    )


def attain(code: str, shares: tuple[float, ...], row: int) -> EducationAttainment:
    return EducationAttainment(
        code=code,
        title=f"Title {code}",
        shares=dict(zip(LEVELS, shares, strict=True)),
        sheet="Table 5.3",
        row=row,
        acs_approximate=code == "13-1020",
    )


def projections() -> Projections:
    total = nem("00-0000", 3.1, line=False, openings=500.0, row=3)
    rows = (
        total,
        nem("11-1011", 4.9, openings=22.2, row=6),
        nem("13-1020", -11.0, openings=5.5, row=7),
        nem("21-1010", 8.0, line=False, row=8),
        nem("21-1012", 1.2, row=9),
        nem("51-2027", 1.0, row=10),
        nem("51-2028", 1.0, row=11),
        nem("31-1120", 17.0, education="High school diploma or equivalent", row=12),
    )
    attainment = (
        attain("11-1011", (1.0, 9.0, 60.0, 30.0), 4),
        attain("13-1020", (10.0, 40.0, 40.0, 10.0), 5),  # a tie, on purpose
    )
    return Projections("2024-34", rows, attainment, total)


def cps_row(title: str, level: int, values: dict[str, float | None], row: int) -> CpsOccupationRow:
    return CpsOccupationRow(title, level, 100.0, values, "sheet", row)


def cps_tables() -> list[CpsTable]:
    shares = {"women": 30.5, "white": 80.1, "black": 9.2, "asian": 6.3, "hispanic": 7.7}
    dashes: dict[str, float | None] = dict.fromkeys(shares)
    ages: dict[str, float | None] = {
        "16_19": 1.0,
        "20_24": 2.0,
        "25_34": 3.0,
        "35_44": 4.0,
        "45_54": 5.0,
        "55_64": 6.0,
        "65_plus": 7.0,
        "median_age": 51.3,
    }
    table_11 = CpsTable(
        "11",
        2022,
        "NOTE: invented.",
        (
            cps_row("Total, 16 years and over", 0, shares, 8),
            cps_row("Chief executives", 0, shares, 9),
            cps_row("Buyers and purchasing agents, farm products", 0, dashes, 10),
            cps_row("Counselors", 0, {**shares, "women": 70.0}, 11),
        ),
        indented=False,
    )
    table_11b = CpsTable(
        "11b",
        2025,
        "NOTE: invented; 11-month averages.",
        (
            cps_row("Total employed", 0, ages, 7),
            cps_row("Chief executives", 3, ages, 8),
            cps_row("Counselors", 2, {**ages, "median_age": 40.0}, 9),
        ),
    )
    return [table_11, table_11b]


OCCUPATIONS = [
    ("11-1011.00", "11-1011", "Chief Executives"),
    ("11-1011.03", "11-1011", "Chief Sustainability Officers"),
    ("13-1021.00", "13-1021", "Buyers and Purchasing Agents, Farm Products"),
    ("21-1011.00", "21-1011", "Substance Abuse and Behavioral Disorder Counselors"),
    ("21-1012.00", "21-1012", "Educational, Guidance, and Career Counselors and Advisors"),
    ("31-1120", "31-1120", "Home Health and Personal Care Aides"),
    ("51-2022.00", "51-2022", "Electrical and Electronic Equipment Assemblers"),
    ("55-1011.00", "55-1011", "Air Crew Officers"),
]
GROUPS = [("21-1010", "Counselors"), ("21-0000", "Community and social service occupations")]


@pytest.fixture
def built() -> tuple[dict[str, Any], dict[str, Any]]:
    return outlook_tables(projections(), cps_tables(), OCCUPATIONS, GROUPS)


def test_projection_rows_say_where_they_came_from(built: tuple[dict[str, Any], dict[str, Any]]):
    table = built[0]["projections"]
    assert sorted(table) == [
        "11-1011.00",
        "11-1011.03",
        "13-1021.00",
        "21-1011.00",
        "21-1012.00",
        "31-1120",
    ]
    chief = table["11-1011.00"]
    assert chief["nem_code"] == "11-1011"
    assert chief["match"] == "direct"
    assert chief["inherited"] is False
    assert chief["percent_change"] == 4.9
    assert chief["annual_openings"] == 22.2
    assert chief["growth_label"] == "Faster than average"
    assert chief["median_wage_2024"] == 239200.0
    assert chief["median_wage_top_coded"] is True
    assert (chief["sheet"], chief["row"], chief["period"]) == ("Table 1.2", 6, "2024-34")
    assert table["11-1011.03"] == {**chief, "inherited": True}
    buyers = table["13-1021.00"]
    assert (buyers["nem_code"], buyers["match"], buyers["growth_label"]) == (
        "13-1020",
        "aggregate",
        "Decline",
    )
    # 21-1012 is O*NET's own code, so only the broad group's summary row covers 21-1011.
    assert (table["21-1011.00"]["nem_code"], table["21-1011.00"]["match"]) == (
        "21-1010",
        "summary",
    )
    assert table["21-1011.00"]["entry_education"] is None
    assert table["21-1012.00"]["growth_label"] == "Slower than average"
    assert table["31-1120"]["match"] == "direct"
    # Two unclaimed line items (51-2027, 51-2028) could cover 51-2022: never guessed.
    assert "51-2022.00" not in table
    assert "55-1011.00" not in table


def test_resolve_nem_prefers_the_broad_group_line_item():
    rows = (nem("00-0000", 3.1, line=False), nem("13-1020", 1.0), nem("13-1029", 1.0))
    found = resolve_nem(["13-1021", "13-1029"], Projections("2024-34", rows, (), rows[0]))
    assert found["13-1021"].nem.code == "13-1020"
    assert found["13-1021"].method == "aggregate"
    assert found["13-1029"].method == "direct"


def test_attainment_most_common_and_ties(built: tuple[dict[str, Any], dict[str, Any]]):
    table = built[0]["attainment"]
    chief = table["11-1011.00"]
    assert chief["most_common"] == "Bachelor's degree"
    assert chief["most_common_share"] == 60.0
    assert chief["most_common_tied"] == []
    assert chief["shares"][0] == ["Less than high school", 1.0]
    assert chief["years"] == "2022-23"
    assert table["11-1011.03"]["inherited"] is True
    buyers = table["13-1021.00"]
    assert (buyers["most_common"], buyers["most_common_tied"]) == (
        "High school",
        ["Bachelor's degree"],
    )
    assert buyers["acs_approximate"] is True
    assert "21-1011.00" not in table  # a summary row has no Table 5.3 line


def test_demographics_match_titles_and_groups(built: tuple[dict[str, Any], dict[str, Any]]):
    table = built[0]["demographics"]
    chief = table["11-1011.00"]
    assert chief["sex_race"]["values"]["women"] == 30.5
    assert chief["sex_race"]["survey_year"] == 2022
    assert chief["sex_race"]["census_title"] == "Chief executives"
    assert chief["sex_race"]["match"] == "normalized"
    # Table 11 came without indents and took its levels from 11b.
    assert chief["sex_race"]["level"] == 3
    assert chief["age"]["values"]["median_age"] == 51.3
    assert chief["age"]["survey_year"] == 2025
    assert table["11-1011.03"]["inherited"] is True
    counselors = table["21-1011.00"]
    assert counselors["sex_race"]["match"] == "hierarchy"
    assert counselors["sex_race"]["values"]["women"] == 70.0
    assert counselors["age"]["values"]["median_age"] == 40.0
    buyers = table["13-1021.00"]
    assert buyers["sex_race"]["values"]["women"] is None  # BLS dash stays a dash
    assert buyers["age"] is None
    assert "51-2022.00" not in table


def test_meta_and_coverage(built: tuple[dict[str, Any], dict[str, Any]]):
    tables, coverage = built
    meta = tables["outlook_meta"]
    assert meta["projections"]["all_occupations_percent_change"] == 3.1
    assert meta["survey_years"] == {"sex_race": 2022, "age": 2025}
    assert "11-month" in meta["age"]["note"]
    assert coverage["occupations"]["total"] == 8
    assert coverage["occupations"]["outlook"] == 6
    assert coverage["occupations"]["outlook_by_match"] == {
        "aggregate": 1,
        "direct": 4,
        "summary": 1,
    }
    assert coverage["occupations"]["attainment"] == 3
    assert coverage["occupations"]["demographics_matched"] == 5
    assert coverage["occupations"]["sex_race"] == 4
    assert coverage["occupations"]["median_age"] == 4
    assert coverage["soc_codes"]["total"] == 7
    assert coverage["census_match"]["11"]["by_method"] == {"hierarchy": 2, "normalized": 2}
    assert "oews_detailed" not in coverage


def test_oews_detailed_coverage_counts_codes_of_their_own():
    _, coverage = outlook_tables(
        projections(), [], OCCUPATIONS, GROUPS, oews_detailed=["11-1011", "13-1020", "99-9999"]
    )
    assert coverage["oews_detailed"]["total"] == 3
    assert coverage["oews_detailed"]["outlook"] == 2
    assert coverage["oews_detailed"]["outlook_by_match"] == {"direct": 2}


def test_tables_are_json_and_deterministic(built: tuple[dict[str, Any], dict[str, Any]]):
    tables, coverage = built
    again = outlook_tables(projections(), cps_tables(), list(reversed(OCCUPATIONS)), GROUPS)
    assert json.dumps(again, sort_keys=False) == json.dumps((tables, coverage), sort_keys=False)
    assert json.loads(json.dumps(tables)) == tables


def test_nothing_in_nothing_out():
    assert outlook_tables(None, [], OCCUPATIONS, GROUPS) == ({}, {})


def test_growth_bands_follow_the_labels():
    bands = {b["label"]: (b["min_percent"], b["max_percent"]) for b in growth_bands(3.1)}
    assert bands == {
        "Much faster than average": (7, None),
        "Faster than average": (5, 6),
        "As fast as average": (2, 4),
        "Slower than average": (1, 1),
        "Little or no change": (0, 0),
        "Decline": (None, -1),
    }


# --------------------------------------------------------------------------------------------
# The real release: figures served equal the workbook cells, read here with openpyxl alone.


def _sheet_rows(path: Any, sheet: str | None = None) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = [tuple(r) for r in worksheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


@pytest.mark.shared
def test_real_tables_equal_the_workbooks():
    ep = shared_path("bls", "ep_2024_34")
    occupation_xlsx, education_xlsx = ep / "occupation.xlsx", ep / "education.xlsx"
    table_11_path = shared_path("bls", "cps_2022", "cpsaat11.xlsx")
    table_11b_path = shared_path("bls", "cps_2025", "cpsaat11b.xlsx")
    onet = shared_path("onet", "db_30_1_text", "Occupation Data.txt")
    found = read_projections(occupation_xlsx, education_xlsx)
    cps = [read_cps_table(table_11_path), read_cps_table(table_11b_path)]
    occupations = [(o.code, o.soc_code, o.title) for o in read_occupation_data(onet)]
    # No OEWS release in ../shared: the NEM summary rows carry the SOC group titles.
    groups = [(o.code, o.title) for o in found.occupations if not o.line_item]
    tables, coverage = outlook_tables(found, cps, occupations, groups)
    print("coverage:", json.dumps(coverage, sort_keys=True))

    # Table 1.2 by NEM code: column B code, I percent change, K annual openings.
    nem_cells = {
        r[1]: r for r in _sheet_rows(occupation_xlsx, "Table 1.2") if r[1] and r[2] == "Line item"
    }
    attainment_cells = {r[1]: r for r in _sheet_rows(education_xlsx, "Table 5.3") if r[1]}
    by_title_11 = {" ".join(str(r[0]).split()): r for r in _sheet_rows(table_11_path) if r[0]}
    by_title_11b = {" ".join(str(r[0]).split()): r for r in _sheet_rows(table_11b_path) if r[0]}

    def number(value: Any) -> float | None:
        return None if value in (None, "–", "—", "-") else float(value)

    checked = Counter(projections=0, attainment=0, shares=0, age=0)
    codes = sorted(tables["projections"])
    for code in codes[::3]:
        row = tables["projections"][code]
        cells = nem_cells[row["nem_code"]]
        assert row["percent_change"] == float(cells[8]), code
        assert row["annual_openings"] == float(cells[10]), code
        assert row["employment_2024"] == float(cells[3]), code
        checked["projections"] += 1
        attainment = tables["attainment"].get(code)
        if attainment is not None:
            published = attainment_cells[row["nem_code"]][2:9]
            assert [share for _, share in attainment["shares"]] == [float(v) for v in published]
            assert attainment["most_common_share"] == max(float(v) for v in published)
            checked["attainment"] += 1
        people = tables["demographics"].get(code)
        if people and people["sex_race"]:
            cells_11 = by_title_11[people["sex_race"]["census_title"]]
            values = people["sex_race"]["values"]
            assert [values[k] for k in ("women", "white", "black", "asian", "hispanic")] == [
                number(v) for v in cells_11[2:7]
            ], code
            checked["shares"] += values["women"] is not None
        if people and people["age"]:
            cells_11b = by_title_11b[people["age"]["census_title"]]
            assert people["age"]["values"]["median_age"] == number(cells_11b[9]), code
            checked["age"] += people["age"]["values"]["median_age"] is not None
    print("checked against the workbooks:", dict(checked))
    assert checked["projections"] >= 100
    assert checked["attainment"] >= 100
    assert checked["shares"] >= 100
    assert checked["age"] >= 100
    assert coverage["occupations"]["total"] == len(occupations)
    assert coverage["occupations"]["outlook"] > 0.95 * len(occupations)
    assert coverage["census_match"]["11"]["matched"] > 0.8 * coverage["census_match"]["11"]["total"]
