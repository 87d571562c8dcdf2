"""Tests for the CPS table 11 / 11b reader, on invented workbooks and the real tables."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment

from graphql_api.ingest.cps import inherit_levels, read_cps_table
from graphql_api.ingest.errors import ReleaseFormatError
from tests.conftest import shared_path

NOTE_11B = "NOTE: Invented. Annual estimates for 2025 are 11-month averages that exclude October."


def write_11b(
    path: Path,
    rows: list[tuple[str, int, list[object]]],
    *,
    blank_top: int = 0,
    extra_column: bool = False,
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "cpsaat11b"
    for _ in range(blank_top):
        sheet.append([])
    sheet.append(
        ["HOUSEHOLD DATA\n ANNUAL AVERAGES\n 11b. Employed people by detailed occupation and age"]
    )
    sheet.append(["[Numbers in thousands]"])
    sheet.append([""])
    sheet.append(["Occupation", "2025"])
    labels = [
        "",
        "Total, 16 years and over",
        "16 to 19 years",
        "20 to 24 years",
        "25 to 34 years",
        "35 to 44 years",
        "45 to 54 years",
        "55 to 64 years",
        "65 years and over",
        "Median age",
    ]
    if extra_column:
        labels.insert(2, "Invented column")
    sheet.append(labels)
    sheet.append([""])
    for title, indent, published in rows:
        values = [published[0], 0, *published[1:]] if extra_column else published
        sheet.append([title, *values])
        sheet.cell(sheet.max_row, 1).alignment = Alignment(indent=indent)
    sheet.append([""])
    sheet.append([NOTE_11B])
    workbook.save(path)
    return path


# Invented figures, typed for these tests.
ROWS_11B = [
    ("Total employed", 0, [1000, 50, 100, 200, 200, 200, 150, 100, 42.0]),
    ("Widget occupations", 1, [100, 5, 10, 20, 20, 20, 15, 10, 41.5]),
    ("Widget polishers", 2, [60, 3, 6, 12, 12, 12, 9, 6, 40.9]),
    ("Widget testers", 2, [40, 2, 4, 8, 8, 8, 6, 4, "–"]),
]


def test_table_11b_normal_layout(tmp_path: Path) -> None:
    table = read_cps_table(write_11b(tmp_path / "b.xlsx", ROWS_11B))
    assert (table.table, table.year, table.indented) == ("11b", 2025, True)
    assert "11-month averages" in table.note
    assert [r.level for r in table.rows] == [0, 1, 2, 2]
    polishers = table.rows[2]
    assert polishers.title == "Widget polishers"
    assert polishers.total_employed == 60.0
    assert polishers.values["65_plus"] == 6.0
    assert polishers.values["median_age"] == 40.9
    assert (polishers.sheet, polishers.row) == ("cpsaat11b", 9)
    assert table.rows[3].values["median_age"] is None


def test_table_11b_moved_header_and_extra_column(tmp_path: Path) -> None:
    table = read_cps_table(write_11b(tmp_path / "b.xlsx", ROWS_11B, blank_top=3, extra_column=True))
    assert table.rows[2].row == 12
    assert table.rows[2].values["16_19"] == 3.0
    assert table.rows[2].values["median_age"] == 40.9


def test_table_11b_bad_number_is_refused(tmp_path: Path) -> None:
    rows = [*ROWS_11B[:3], ("Widget testers", 2, [40, "two", 4, 8, 8, 8, 6, 4, 39.0])]
    with pytest.raises(
        ReleaseFormatError,
        match=r"sheet 'cpsaat11b', row 10: 16 19: expected a number, found 'two'",
    ):
        read_cps_table(write_11b(tmp_path / "b.xlsx", rows))


def test_missing_column_is_refused(tmp_path: Path) -> None:
    path = write_11b(tmp_path / "b.xlsx", ROWS_11B)
    workbook = openpyxl.load_workbook(path)
    workbook.active.delete_cols(10)  # "Median age"
    workbook.save(path)
    with pytest.raises(ReleaseFormatError, match=r"sheet 'cpsaat11b', row 4: .*median age"):
        read_cps_table(path)


def write_11(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "cpsaat11"
    sheet.append(
        [
            "HOUSEHOLD DATA\nANNUAL AVERAGES\n11. Employed persons by detailed occupation, sex,"
            " race, and Hispanic or Latino ethnicity"
        ]
    )
    sheet.append(["[Numbers in thousands]"])
    sheet.append([])
    sheet.append(["Occupation", 2022])
    sheet.append([None, "Total\nemployed", "Percent of total employed"])
    sheet.append(
        [
            None,
            None,
            "Women",
            "White",
            "Black or\nAfrican\nAmerican",
            "Asian",
            "Hispanic\nor Latino",
        ]
    )
    sheet.append([])
    sheet.append(["Total, 16 years and over", 1000, 47.0, 77.0, 12.5, 6.5, 18.0])
    sheet.append(["Widget polishers", 60, 30.5, 70.0, 20.0, 5.0, 25.0])
    sheet.append(["Widget testers", 40, "–", "–", "–", "–", "–"])
    sheet.append([])
    sheet.append(["NOTE: Invented note. Dash indicates no data."])
    workbook.save(path)
    return path


def test_table_11_stacked_header(tmp_path: Path) -> None:
    table = read_cps_table(write_11(tmp_path / "a.xlsx"))
    assert (table.table, table.year, table.indented) == ("11", 2022, False)
    assert len(table.rows) == 3
    assert table.rows[1].values == {
        "women": 30.5,
        "white": 70.0,
        "black": 20.0,
        "asian": 5.0,
        "hispanic": 25.0,
    }
    assert table.rows[2].values["women"] is None
    assert table.rows[2].total_employed == 40.0
    assert table.note.startswith("NOTE: Invented note.")


def test_inherit_levels(tmp_path: Path) -> None:
    plain = read_cps_table(write_11(tmp_path / "a.xlsx"))
    indented = read_cps_table(write_11b(tmp_path / "b.xlsx", ROWS_11B))
    leveled = inherit_levels(plain, indented)
    assert [r.level for r in leveled.rows] == [0, 2, 2]
    assert leveled.indented


def test_data_after_notes_is_refused(tmp_path: Path) -> None:
    path = write_11(tmp_path / "a.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.active.append(["Stray occupation", 5, 1, 1, 1, 1, 1])
    workbook.save(path)
    with pytest.raises(ReleaseFormatError, match="row 13: data row after the notes"):
        read_cps_table(path)


@pytest.mark.shared
def test_real_table_11b_2025() -> None:
    table = read_cps_table(shared_path("bls", "cps_2025", "cpsaat11b.xlsx"))
    assert (table.table, table.year, table.indented) == ("11b", 2025, True)
    assert len(table.rows) == 595
    assert "11-month averages that exclude October" in table.note
    rows = {r.title: r for r in table.rows}
    assert rows["Total employed"].total_employed == 163493.0
    assert rows["Total employed"].values["median_age"] == 42.1
    nurses = rows["Registered nurses"]
    assert (nurses.level, nurses.total_employed, nurses.values["median_age"]) == (3, 3528.0, 42.3)
    assert rows["Legislators"].values["median_age"] is None
    assert {r.level for r in table.rows} == {0, 1, 2, 3}


@pytest.mark.shared
def test_real_table_11_2022() -> None:
    table = read_cps_table(shared_path("bls", "cps_2022", "cpsaat11.xlsx"))
    assert (table.table, table.year) == ("11", 2022)
    assert len(table.rows) == 595
    rows = {r.title: r for r in table.rows}
    assert rows["Total, 16 years and over"].total_employed == 158291.0
    assert rows["Registered nurses"].total_employed == 3363.0
    assert rows["Registered nurses"].values["women"] == 87.9
    assert rows["Software developers"].values["asian"] == 36.4
    assert rows["Machine feeders and offbearers"].values["women"] is None
    # This copy of the workbook carries no indents; the 2025 table lends its levels.
    assert not table.indented
    leveled = inherit_levels(
        table, read_cps_table(shared_path("bls", "cps_2025", "cpsaat11b.xlsx"))
    )
    assert {r.title: r.level for r in leveled.rows}["Registered nurses"] == 3
