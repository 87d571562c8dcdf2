"""Every national and state OEWS figure, and every O*NET rating, equals the published value."""

from __future__ import annotations

import csv
import os
import random
import sqlite3
from pathlib import Path

import pytest

from graphql_api.graph.facts import cell_facts, occupation_facts
from tests.conftest import shared_path

DATATYPE_NAMES = [
    "employment",
    "employment_rse",
    "hourly_mean",
    "annual_mean",
    "wage_rse",
    "hourly_p10",
    "hourly_p25",
    "hourly_median",
    "hourly_p75",
    "hourly_p90",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "jobs_per_1000",
    "location_quotient",
]
HOURLY = {2, 5, 6, 7, 8, 9}  # zero-based datatype rows of hourly wages
# BLS OEWS May 2025 footnote 5: top-coded at $115.00 an hour / $239,200 a year.
TOP_HOURLY, TOP_ANNUAL = 115.0, 239200.0


def _published(value: str | None, note: str | None, row: int) -> tuple[float | None, bool]:
    codes = {c.strip() for c in (note or "").split(",") if c.strip()}
    if value is not None and value.replace(".", "", 1).isdigit():
        return float(value), "5" in codes
    if "5" in codes:
        return (TOP_HOURLY if row in HOURLY else TOP_ANNUAL), True
    return None, False


@pytest.fixture(scope="module")
def oews_sqlite() -> sqlite3.Connection:
    path = os.environ.get("CAREERGRAPH_OEWS_SQLITE", "")
    if not path or not Path(path).exists():
        pytest.skip("CAREERGRAPH_OEWS_SQLITE is not set (scripts/test prepares the carrier SQLite)")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def test_national_and_state_figures_equal_the_release(career, oews_sqlite) -> None:
    detailed = [
        r[0]
        for r in oews_sqlite.execute(
            "SELECT occupation_code FROM occupation WHERE display_level = 3"
        )
    ]
    sample = random.Random(2025).sample(detailed, 220)
    wanted = set(sample)
    # One pass over the national and state all-industry cells, kept for the sampled codes.
    by_code: dict[str, list[tuple[str, ...]]] = {}
    for row in oews_sqlite.execute(
        "SELECT * FROM cell WHERE (key LIKE 'OEUN%' OR key LIKE 'OEUS%') "
        "AND substr(key, 12, 6) = '000000'"
    ):
        if row[0][17:] in wanted:
            by_code.setdefault(row[0][17:], []).append(row)
    checked = 0
    for code in sample:
        soc = f"{code[:2]}-{code[2:]}"
        rows = by_code.get(code, [])
        assert rows, soc
        for row in rows:
            key = row[0]
            area = key[4:11]
            facts = cell_facts(career, soc, area=area)
            assert facts is not None, (soc, area)
            for index, name in enumerate(DATATYPE_NAMES):
                expected, top = _published(row[1 + index], row[18 + index], index)
                assert facts.values[name] == expected, (soc, area, name)
                assert (name in facts.top_coded) == top, (soc, area, name)
                checked += 1
    print(f"checked {checked} national and state figures for {len(sample)} occupations")
    assert checked > 200 * 17


def test_every_onet_skill_rating_equals_the_release(career) -> None:
    path = shared_path("onet", "db_30_1_text", "Skills.txt")
    expected: dict[tuple[str, str, str], float] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            expected[(row["O*NET-SOC Code"], row["Element ID"], row["Scale ID"])] = float(
                row["Data Value"]
            )
    seen = 0
    for code, requirements in career.requirements.items():
        for requirement in requirements:
            if not requirement.descriptor.startswith("onet:") or requirement.importance is None:
                continue
            element = requirement.descriptor.removeprefix("onet:")
            assert requirement.importance == expected[(code, element, "IM")]
            assert requirement.level == expected[(code, element, "LV")]
            seen += 1
    assert seen * 2 == len(expected)


def test_specialties_inherit_their_soc_parents_pay(career) -> None:
    specialty = career.by_code["15-1299.08"]
    parent = career.by_code["15-1299.00"]
    assert specialty.pay_basis == "inherited"
    child, adult = occupation_facts(career, specialty), occupation_facts(career, parent)
    assert child is not None and adult is not None
    assert child.values == adult.values
    assert child.basis == "inherited" and adult.basis == "direct"


def test_aggregated_oews_codes_cover_their_members(career) -> None:
    # OEWS publishes 31-1121 and 31-1122 only as the aggregate 31-1120.
    aide = career.by_code["31-1122.00"]
    assert aide.pay_soc == "31-1120"
    assert aide.pay_basis == "aggregate"
    assert "31-1120" in career.by_code


def _rows(*parts: str) -> list[dict[str, str]]:
    path = shared_path("onet", "db_30_1_text", *parts)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_job_zone_equals_the_release(career) -> None:
    rows = _rows("Job Zones.txt")
    for row in rows:
        assert career.by_code[row["O*NET-SOC Code"]].job_zone == int(row["Job Zone"])
    assert sum(1 for o in career.occupations if o.job_zone is not None) == len(rows)


def test_every_technology_flag_equals_the_release(career) -> None:
    rows = _rows("Technology Skills.txt")
    served = {
        (code, career.descriptors[r.descriptor].name): (r.hot, r.in_demand)
        for code, requirements in career.requirements.items()
        for r in requirements
        if r.descriptor.startswith("tech:")
    }
    for row in rows:
        key = (row["O*NET-SOC Code"], row["Example"])
        assert served[key] == (row["Hot Technology"] == "Y", row["In Demand"] == "Y"), key
    assert len(served) == len(rows)
