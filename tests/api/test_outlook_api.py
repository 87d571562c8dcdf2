"""Outlook, education, experience and demographics through the ASGI app, checked against BLS."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.api.conftest import Api
from tests.conftest import shared_path

PROFILE = """
query Outlook($id: String!) {
  occupation(id: $id) {
    code
    title
    outlook {
      period baseYear projectedYear percentChange growthLabel growthText averagePercentChange
      employmentStart employmentEnd employmentChange annualOpenings medianWage medianWageTopCoded
      nemCode nemTitle match inherited source { publisher table year location }
    }
    education {
      mostCommonDegree mostCommonShare degreeSourceKind degreeSource { table year }
      distribution { label percent } typicalEntryEducation entryEducationSource { table }
    }
    experience { workExperience training typicalLabel typicalYears distribution { label percent } }
    demographics {
      medianAge ageBands { label employed }
      womenShare whiteShare blackShare asianShare hispanicShare
      ageFrom { censusTitle match throughSocGroup surveyYear source { table year note } }
      sharesFrom { censusTitle match throughSocGroup surveyYear source { table year } }
    }
  }
}
"""

# Every 4th occupation in code order: about 250 occupations across all SOC major groups.
SAMPLE_STEP = 4
MIN_SAMPLE = 100
GROWTH_TEXT = {
    "MUCH_FASTER": "Much faster than average",
    "FASTER": "Faster than average",
    "AS_FAST": "As fast as average",
    "SLOWER": "Slower than average",
    "LITTLE_OR_NO_CHANGE": "Little or no change",
    "DECLINE": "Decline",
}
DASHES = {"–", "—", "-", ""}


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() in DASHES):
        return None
    return float(value)


def _title(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _rows(path: Path, sheet: str | None = None) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        return [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def table_12() -> dict[str, tuple[Any, ...]]:
    """Table 1.2 rows by NEM code, read straight from the workbook."""
    path = shared_path("bls", "ep_2024_34", "occupation.xlsx")
    rows = _rows(path, "Table 1.2")
    header = next(i for i, row in enumerate(rows) if row and row[1] and "code" in str(row[1]))
    out: dict[str, tuple[Any, ...]] = {}
    for row in rows[header + 1 :]:
        code = str(row[1] or "").strip()
        if re.fullmatch(r"\d{2}-\d{4}", code):
            out[code] = row
    return out


def _census(path: Path, first_data_label: str) -> dict[str, list[tuple[Any, ...]]]:
    rows = _rows(path)
    start = next(i for i, row in enumerate(rows) if _title(row[0]).startswith(first_data_label))
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows[start:]:
        if row and row[0] and row[1] is not None:
            out[_title(row[0])].append(row)
    return out


@pytest.fixture(scope="module")
def table_11b() -> dict[str, list[tuple[Any, ...]]]:
    """CPS 2025 table 11b rows by Census title (a title may repeat)."""
    return _census(shared_path("bls", "cps_2025", "cpsaat11b.xlsx"), "Total employed")


@pytest.fixture(scope="module")
def table_11() -> dict[str, list[tuple[Any, ...]]]:
    """CPS 2022 table 11 rows by Census title."""
    return _census(shared_path("bls", "cps_2022", "cpsaat11.xlsx"), "Total, 16 years")


@pytest.fixture(scope="module")
def served(api: Api) -> list[dict[str, Any]]:
    """The served profile of every SAMPLE_STEP-th occupation of the full snapshot."""
    codes = sorted(api.graph.by_code)[::SAMPLE_STEP]
    out = []
    for code in codes:
        body = api.run(PROFILE, {"id": code})
        assert "errors" not in body, body["errors"]
        out.append(body["data"]["occupation"])
    return out


def test_outlook_equals_table_12(
    served: list[dict[str, Any]], table_12: dict[str, tuple[Any, ...]]
) -> None:
    checked = 0
    for occupation in served:
        outlook = occupation["outlook"]
        if outlook is None:
            continue
        row = table_12[outlook["nemCode"]]
        assert _title(row[0]) == outlook["nemTitle"]
        assert outlook["percentChange"] == pytest.approx(float(row[8]))
        # Table 1.2 prints thousands; the API serves the same figure as whole jobs.
        assert outlook["annualOpenings"] == round(float(row[10]) * 1000)
        assert outlook["employmentStart"] == round(float(row[3]) * 1000)
        assert outlook["employmentEnd"] == round(float(row[4]) * 1000)
        assert outlook["employmentChange"] == round(float(row[7]) * 1000)
        if not outlook["medianWageTopCoded"]:
            assert outlook["medianWage"] == _number(row[11])
        assert occupation["education"]["typicalEntryEducation"] == _title(row[12])
        assert (outlook["growthLabel"] == "DECLINE") == (float(row[8]) <= -0.5)
        checked += 1
    assert checked >= MIN_SAMPLE, checked


def test_median_age_equals_table_11b(
    served: list[dict[str, Any]], table_11b: dict[str, list[tuple[Any, ...]]]
) -> None:
    checked = 0
    for occupation in served:
        people = occupation["demographics"]
        if people is None or people["ageFrom"] is None:
            continue
        line = people["ageFrom"]
        assert line["surveyYear"] == 2025
        rows = table_11b[line["censusTitle"]]
        assert people["medianAge"] in {_number(row[9]) for row in rows}
        bands = [b["employed"] for b in people["ageBands"]]
        expected = [
            [None if (n := _number(v)) is None else round(n * 1000) for v in row[2:9]]
            for row in rows
        ]
        assert bands in expected
        checked += people["medianAge"] is not None
    assert checked >= MIN_SAMPLE, checked


def test_shares_equal_table_11(
    served: list[dict[str, Any]], table_11: dict[str, list[tuple[Any, ...]]]
) -> None:
    checked = 0
    keys = ("womenShare", "whiteShare", "blackShare", "asianShare", "hispanicShare")
    for occupation in served:
        people = occupation["demographics"]
        if people is None or people["sharesFrom"] is None:
            continue
        line = people["sharesFrom"]
        assert line["surveyYear"] == 2022
        rows = table_11[line["censusTitle"]]
        served_shares = tuple(people[k] for k in keys)
        assert served_shares in {tuple(_number(v) for v in row[2:7]) for row in rows}
        checked += people["womenShare"] is not None
    assert checked >= MIN_SAMPLE, checked


def test_figures_name_their_sources(served: list[dict[str, Any]]) -> None:
    with_outlook = [o for o in served if o["outlook"]]
    assert with_outlook
    for occupation in with_outlook:
        outlook = occupation["outlook"]
        assert outlook["period"] == "2024-34"
        assert (outlook["baseYear"], outlook["projectedYear"]) == (2024, 2034)
        assert outlook["averagePercentChange"] == pytest.approx(3.1)
        assert outlook["source"]["table"] == "Table 1.2"
        assert GROWTH_TEXT[outlook["growthLabel"]] == outlook["growthText"]
    ages = [o["demographics"]["ageFrom"] for o in served if o["demographics"]]
    # The 2025 age table covers eleven months; its note travels with the figure.
    assert any("11-month" in (a["source"]["note"] or "") for a in ages if a)


def test_registered_nurses(api: Api) -> None:
    data = api.run(PROFILE, {"id": "29-1141"})["data"]["occupation"]
    assert data["outlook"]["growthLabel"] == "FASTER"
    assert data["outlook"]["growthText"] == "Faster than average"
    assert data["outlook"]["match"] == "DIRECT"
    assert data["education"]["mostCommonDegree"] == "Bachelor's degree"
    assert data["education"]["degreeSourceKind"] == "BLS_ATTAINMENT"
    assert data["education"]["degreeSource"] == {"table": "Table 5.3", "year": "2022-23"}
    assert len(data["education"]["distribution"]) == 7
    assert data["demographics"]["sharesFrom"]["censusTitle"] == "Registered nurses"
    assert data["demographics"]["sharesFrom"]["throughSocGroup"] is False
    assert data["experience"]["typicalYears"] is not None


def test_group_matches_are_flagged(api: Api) -> None:
    # Elementary school teachers have no Census line of their own: CPS prints one for the
    # SOC broad group "Elementary and middle school teachers".
    data = api.run(PROFILE, {"id": "25-2021.00"})["data"]["occupation"]
    line = data["demographics"]["sharesFrom"]
    assert line["match"] == "HIERARCHY"
    assert line["throughSocGroup"] is True
    assert line["censusTitle"] == "Elementary and middle school teachers"


def test_aggregate_projection_names_its_row(api: Api) -> None:
    data = api.run(PROFILE, {"id": "13-1021.00"})["data"]["occupation"]
    assert data["outlook"]["match"] == "AGGREGATE"
    assert data["outlook"]["nemCode"] == "13-1020"


COMPARE = """
query Compare($a: String!, $b: String!) {
  compare(a: $a, b: $b) {
    measures { name label unit a b difference ratio higher }
    degrees {
      a { mostCommonDegree mostCommonShare typicalEntryEducation }
      b { mostCommonDegree mostCommonShare typicalEntryEducation }
      sameMostCommonDegree sameEntryEducation
    }
    summary
  }
}
"""

NEW_MEASURES = {
    "growthPercent",
    "employmentChange",
    "projectedEmployment",
    "annualOpenings",
    "mostCommonDegreeShare",
    "typicalExperienceYears",
    "medianAge",
    "womenShare",
    "whiteShare",
    "blackShare",
    "asianShare",
    "hispanicShare",
}


def test_compare_summary_mentions_growth(api: Api) -> None:
    body = api.run(COMPARE, {"a": "nursing assistants", "b": "43-4051"})
    assert "errors" not in body
    data = body["data"]["compare"]
    measures = {m["name"]: m for m in data["measures"]}
    assert set(measures) >= NEW_MEASURES
    growth = measures["growthPercent"]
    assert (growth["a"], growth["b"], growth["higher"]) == (2.3, -5.5, "A")
    assert growth["difference"] == pytest.approx(-7.8)
    assert measures["annualOpenings"]["a"] == 204100
    assert (
        "Nursing Assistants grow 2% by 2034, as fast as average, while customer service "
        "representatives decline 6% (all occupations: 3%)." in data["summary"]
    )
    assert any("openings a year" in s for s in data["summary"])
    assert any(s.startswith("Women are") for s in data["summary"])
    degrees = data["degrees"]
    assert degrees["a"]["typicalEntryEducation"] == "Postsecondary nondegree award"
    assert degrees["b"]["typicalEntryEducation"] == "High school diploma or equivalent"
    assert degrees["sameEntryEducation"] is False


def test_compare_many_carries_outlook_measures(api: Api) -> None:
    body = api.run(
        '{ compareMany(ids: ["29-1141", "15-1252", "55-1011"]) { measures { name values } } }'
    )
    assert "errors" not in body
    rows = {m["name"]: m["values"] for m in body["data"]["compareMany"]["measures"]}
    assert set(rows) >= NEW_MEASURES
    # Military occupations have no BLS projection: null, not zero.
    assert rows["growthPercent"] == [4.9, 15.8, None]
    assert rows["medianAge"][:2] == [42.3, 38.6]
