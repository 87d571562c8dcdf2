"""The project's seed page, "patient care technician vs customer care technician", on the embedded
default through a real ``careergraph serve`` process: every figure the page shows that public data
has equals the release it comes from, read here independently (sqlite3, openpyxl, csv)."""

from __future__ import annotations

import csv
import os
import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from tests.conftest import shared_path

pytestmark = pytest.mark.e2e

SEED = """
query Seed($a: String!, $b: String!) {
  compare(a: $a, b: $b) {
    a { ...Side }
    b { ...Side }
    sharedSkills(first: 100) { totalCount nodes { skill { skillId name } aScore bScore } }
  }
}
fragment Side on Occupation {
  code socCode title
  wages { annual { median p10 p90 } hourly { median } }
  employment { jobs }
  outlook { nemCode percentChange annualOpenings }
  education { mostCommonDegree mostCommonShare typicalEntryEducation }
  experience { workExperience typicalYears }
  demographics {
    medianAge womenShare whiteShare blackShare asianShare hispanicShare
    ageFrom { censusTitle } sharesFrom { censusTitle }
  }
  tasks(first: 100) { totalCount nodes { statement } }
  skills(first: 100) { nodes { skill { skillId name kind } score } }
  topPayingStates(first: 1) { nodes { area { code name } value } }
  topPayingMetros(first: 1) { nodes { area { code name } value } }
  topPayingIndustries(first: 1) { nodes { industry { code name } value } }
}
"""
DASHES = {"-", "–", "—", ""}
# BLS OEWS May 2025 footnote 5: annual wages at or above $239,200 are top-coded at that bound.
TOP_ANNUAL = 239200.0


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() in DASHES):
        return None
    return float(value)


def _title(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _sheet(path: Path, sheet: str | None = None) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        return [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _by_code(rows: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {str(r[1]).strip(): r for r in rows if r[1] and re.fullmatch(r"\d\d-\d{4}", str(r[1]))}


def _by_title(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        if row and row[0] and len(row) > 2 and row[1] is not None:
            out[_title(row[0])].append(row)
    return out


@pytest.fixture(scope="module")
def page(full_server: str) -> dict[str, Any]:
    response = httpx.post(
        f"{full_server}/graphql",
        json={
            "query": SEED,
            "variables": {"a": "patient care technician", "b": "customer care technician"},
        },
        timeout=60,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    compare: dict[str, Any] = body["data"]["compare"]
    return compare


@pytest.fixture(scope="module")
def oews() -> sqlite3.Connection:
    path = os.environ.get("CAREERGRAPH_OEWS_SQLITE", "")
    if not path or not Path(path).exists():
        pytest.skip("CAREERGRAPH_OEWS_SQLITE is not set (scripts/test prepares the carrier SQLite)")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def test_both_titles_resolve_as_a_career_site_means_them(page: dict[str, Any]) -> None:
    assert page["a"]["code"] == "31-1131.00"  # Nursing Assistants, via O*NET's alternate title
    # A technician is not a supervisor: Customer Service Representatives or Computer User
    # Support Specialists are what career sites mean.
    assert page["b"]["code"] in {"43-4051.00", "15-1232.00"}
    assert "Supervisor" not in page["b"]["title"]


def _cell(db: sqlite3.Connection, key: str) -> tuple[Any, ...]:
    row = db.execute("SELECT * FROM cell WHERE key = ?", (key,)).fetchone()
    assert row is not None, key
    return tuple(row)


def _top(db: sqlite3.Connection, pattern: str, soc6: str, *, level: int | None = None) -> str:
    """The area or industry code with the highest published annual mean (>= 100 jobs)."""
    best: tuple[float, float, str] | None = None
    for row in db.execute("SELECT * FROM cell WHERE key LIKE ?", (pattern + soc6,)):
        key = row[0]
        jobs, mean = _number(row[1]), _number(row[4])
        if "5" in (row[18 + 3] or ""):
            mean = TOP_ANNUAL
        if jobs is None or mean is None or jobs < 100:
            continue
        place = key[4:11] if level is None else key[11:17]
        if level is not None:
            name, display = db.execute(
                "SELECT industry_name, display_level FROM industry WHERE industry_code = ?",
                (place,),
            ).fetchone()
            lowered = name.lower()
            overlapping = lowered.endswith(" owned") or "ownership only" in lowered
            if display != level or overlapping or ", including " in lowered:
                continue
        candidate = (mean, jobs, place)
        if best is None or (candidate[0], candidate[1]) > (best[0], best[1]):
            best = candidate
    assert best is not None
    return best[2]


@pytest.mark.parametrize("side", ["a", "b"])
def test_pay_jobs_and_top_places_equal_oews(
    page: dict[str, Any], oews: sqlite3.Connection, side: str
) -> None:
    occupation = page[side]
    soc6 = occupation["socCode"].replace("-", "")
    national = _cell(oews, f"OEUN0000000000000{soc6}")
    assert occupation["employment"]["jobs"] == _number(national[1])
    assert occupation["wages"]["hourly"]["median"] == _number(national[8])
    annual = occupation["wages"]["annual"]
    assert (annual["p10"], annual["median"], annual["p90"]) == (
        _number(national[11]),
        _number(national[13]),
        _number(national[15]),
    )
    state = occupation["topPayingStates"]["nodes"][0]["area"]["code"]
    metro = occupation["topPayingMetros"]["nodes"][0]["area"]["code"]
    industry = occupation["topPayingIndustries"]["nodes"][0]["industry"]["code"]
    assert state == _top(oews, "OEUS%000000", soc6)
    assert metro == _top(oews, "OEUM%000000", soc6)
    assert industry == _top(oews, "OEUN0000000%", soc6, level=4)


@pytest.mark.parametrize("side", ["a", "b"])
def test_growth_degree_and_experience_equal_the_projections(
    page: dict[str, Any], side: str
) -> None:
    occupation = page[side]
    table_12 = _by_code(_sheet(shared_path("bls", "ep_2024_34", "occupation.xlsx"), "Table 1.2"))
    table_53 = _sheet(shared_path("bls", "ep_2024_34", "education.xlsx"), "Table 5.3")
    outlook = occupation["outlook"]
    row = table_12[outlook["nemCode"]]
    assert outlook["percentChange"] == pytest.approx(float(row[8]))
    # Table 1.2 prints thousands; the API serves whole jobs.
    assert outlook["annualOpenings"] == round(float(row[10]) * 1000)
    assert occupation["education"]["typicalEntryEducation"] == _title(row[12])
    assert occupation["experience"]["workExperience"] == _title(row[13])
    header = table_53[1]
    shares = _by_code(table_53)[outlook["nemCode"]]
    best = max(range(2, 9), key=lambda i: float(shares[i]))
    assert occupation["education"]["mostCommonShare"] == pytest.approx(float(shares[best]))
    assert occupation["education"]["mostCommonDegree"].lower() == _title(header[best]).lower()


@pytest.mark.parametrize("side", ["a", "b"])
def test_age_gender_and_race_equal_the_cps(page: dict[str, Any], side: str) -> None:
    people = page[side]["demographics"]
    table_11b = _by_title(_sheet(shared_path("bls", "cps_2025", "cpsaat11b.xlsx")))
    table_11 = _by_title(_sheet(shared_path("bls", "cps_2022", "cpsaat11.xlsx")))
    ages = {_number(r[9]) for r in table_11b[people["ageFrom"]["censusTitle"]]}
    assert people["medianAge"] is not None
    assert people["medianAge"] in ages
    keys = ("womenShare", "whiteShare", "blackShare", "asianShare", "hispanicShare")
    published = {
        tuple(_number(v) for v in r[2:7]) for r in table_11[people["sharesFrom"]["censusTitle"]]
    }
    assert tuple(people[k] for k in keys) in published
    assert people["womenShare"] is not None


def _onet(*parts: str) -> list[dict[str, str]]:
    path = shared_path("onet", "db_30_1_text", *parts)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("side", ["a", "b"])
def test_duties_and_skill_scores_equal_onet(page: dict[str, Any], side: str) -> None:
    occupation = page[side]
    code = occupation["code"]
    tasks = {r["Task"] for r in _onet("Task Statements.txt") if r["O*NET-SOC Code"] == code}
    served = {n["statement"] for n in occupation["tasks"]["nodes"]}
    assert served == tasks
    assert occupation["tasks"]["totalCount"] == len(tasks)
    importance = {
        r["Element ID"]: float(r["Data Value"])
        for r in _onet("Skills.txt")
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "IM"
    }
    rated = [
        n for n in occupation["skills"]["nodes"] if n["skill"]["skillId"].startswith("onet:2.")
    ]
    assert len(rated) == len(importance) == 35
    for node in rated:
        element = node["skill"]["skillId"].removeprefix("onet:")
        # The API's 0-100 score is O*NET's 1-5 importance rescaled.
        assert node["score"] == pytest.approx((importance[element] - 1) / 4 * 100, abs=0.051)


def test_shared_skills_are_those_both_rate_important(page: dict[str, Any]) -> None:
    rows = _onet("Skills.txt")

    def important(code: str) -> dict[str, float]:
        # O*NET importance >= 3 of 5 is what "has the skill" means in the API.
        return {
            r["Element ID"]: float(r["Data Value"])
            for r in rows
            if r["O*NET-SOC Code"] == code and r["Scale ID"] == "IM" and float(r["Data Value"]) >= 3
        }

    a, b = important(page["a"]["code"]), important(page["b"]["code"])
    shared = page["sharedSkills"]["nodes"]
    rated = {
        n["skill"]["skillId"].removeprefix("onet:"): n
        for n in shared
        if n["skill"]["skillId"].startswith("onet:")
    }
    assert set(rated) == set(a) & set(b)
    assert rated, "the two occupations share rated skills"
    for element, node in rated.items():
        assert node["aScore"] == pytest.approx((a[element] - 1) / 4 * 100, abs=0.051)
        assert node["bScore"] == pytest.approx((b[element] - 1) / 4 * 100, abs=0.051)
