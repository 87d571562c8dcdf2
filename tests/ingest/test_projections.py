"""Tests for the Employment Projections reader, on invented workbooks and the real release."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from graphql_api.ingest.errors import ReleaseFormatError
from graphql_api.ingest.projections import growth_label, read_projections
from tests.conftest import shared_path

HEADER = [
    "2024 National Employment Matrix title",
    "2024 National Employment Matrix code",
    "Occupation type",
    "Employment, 2024",
    "Employment, 2034",
    "Employment distribution, percent, 2024",
    "Employment distribution, percent, 2034",
    "Employment change, numeric, 2024–34",
    "Employment change, percent, 2024–34",
    "Percent self employed, 2024",
    "Occupational openings, 2024–34 annual average",
    "Median annual wage, dollars, 2024[1]",
    "Typical education needed for entry",
    "Work experience in a related occupation",
    "Typical on-the-job training needed to attain competency in the occupation",
]
# Invented figures, typed for these tests.
ROWS = [
    [
        "Total, all occupations",
        "00-0000",
        "Summary",
        1000,
        1030,
        100,
        100,
        30,
        3.0,
        6.0,
        120,
        50000,
        "—",
        "—",
        "—",
    ],
    [
        "  Widget makers",
        "51-9999",
        "Summary",
        10,
        12,
        1,
        1.2,
        2,
        20.0,
        "—",
        1.5,
        40000,
        "—",
        "—",
        "—",
    ],
    [
        "    Widget polishers",
        "51-9991",
        "Line item",
        4,
        5,
        0.4,
        0.5,
        1,
        25.0,
        1.0,
        0.6,
        ">=$239,200",
        "High school diploma or equivalent",
        "None",
        "Short-term on-the-job training",
    ],
    [
        "    Widget testers",
        "51-9992",
        "Line item",
        6,
        7,
        0.6,
        0.7,
        1,
        16.7,
        2.0,
        0.9,
        "—",
        "—",
        "None",
        "None",
    ],
]
FOOTER = [["Footnotes:"], ["[1] Invented footnote."], ["Source: invented."]]


def write_table(
    path: Path, rows: list[list[object]], *, title_rows: int = 1, extra_column: bool = False
) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Index"
    sheet = workbook.create_sheet("Table 1.2")
    for _ in range(title_rows - 1):
        sheet.append([])
    sheet.append(["Table 1.2 Occupational projections, 2024–2034 (Employment in thousands)"])
    header = list(HEADER)
    if extra_column:
        header.insert(3, "Invented extra column")
        rows = [[*row[:3], "x", *row[3:]] if len(row) > 3 else row for row in rows]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_normal_layout(tmp_path: Path) -> None:
    projections = read_projections(write_table(tmp_path / "o.xlsx", ROWS + FOOTER))
    assert projections.period == "2024-34"
    assert len(projections.occupations) == 4
    assert [o.code for o in projections.line_items] == ["51-9991", "51-9992"]
    assert projections.total.percent_change == 3.0
    polishers = projections.by_code()["51-9991"]
    assert polishers.title == "Widget polishers"
    assert polishers.employment_2024 == 4.0
    assert polishers.median_wage_2024 == 239200.0
    assert polishers.median_wage_top_coded
    assert polishers.training == "Short-term on-the-job training"
    assert (polishers.sheet, polishers.row) == ("Table 1.2", 5)
    testers = projections.by_code()["51-9992"]
    assert testers.median_wage_2024 is None
    assert not testers.median_wage_top_coded
    assert testers.entry_education is None
    assert projections.by_code()["51-9999"].self_employed_percent is None


def test_moved_header_row(tmp_path: Path) -> None:
    projections = read_projections(write_table(tmp_path / "o.xlsx", ROWS + FOOTER, title_rows=4))
    assert projections.by_code()["51-9991"].row == 8
    assert len(projections.line_items) == 2


def test_extra_column(tmp_path: Path) -> None:
    projections = read_projections(write_table(tmp_path / "o.xlsx", ROWS, extra_column=True))
    assert projections.by_code()["51-9992"].employment_2034 == 7.0
    assert projections.by_code()["51-9992"].percent_change == 16.7


def test_footnote_and_blank_rows_end_the_table(tmp_path: Path) -> None:
    rows = [*ROWS, [], [None], *FOOTER, [], ["Note: invented trailing note."]]
    assert len(read_projections(write_table(tmp_path / "o.xlsx", rows)).occupations) == 4


def test_missing_column_is_refused_with_sheet_and_row(tmp_path: Path) -> None:
    path = write_table(tmp_path / "o.xlsx", ROWS)
    workbook = openpyxl.load_workbook(path)
    workbook["Table 1.2"].delete_cols(9)  # "Employment change, percent"
    workbook.save(path)
    with pytest.raises(
        ReleaseFormatError, match=r"sheet 'Table 1\.2', row 2: .*employment change, percent"
    ) as error:
        read_projections(path)
    assert error.value.where == "sheet 'Table 1.2', row 2"


def test_bad_number_is_refused(tmp_path: Path) -> None:
    rows = [list(row) for row in ROWS]
    rows[2][3] = "four"
    with pytest.raises(
        ReleaseFormatError,
        match=r"sheet 'Table 1\.2', row 5: employment 2024: expected a number, found 'four'",
    ):
        read_projections(write_table(tmp_path / "o.xlsx", rows))


def test_unknown_occupation_type_is_refused(tmp_path: Path) -> None:
    rows = [list(row) for row in ROWS]
    rows[3][2] = "Detail"
    with pytest.raises(ReleaseFormatError, match="row 6: occupation type 'Detail'"):
        read_projections(write_table(tmp_path / "o.xlsx", rows))


def test_education_attainment(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Table 5.3"
    sheet.append(["Table 5.3 Invented attainment (Percent)"])
    sheet.append(["", ""])
    sheet.append(
        [
            "2024 National Employment Matrix title",
            "2024 National Employment Matrix code",
            "Less than high school diploma",
            "High school diploma or equivalent",
            "Some college, no degree",
            "Associate's degree",
            "Bachelor's degree",
            "Master's degree",
            "Doctoral or professional degree",
        ]
    )
    sheet.append(["Widget polishers[1]", "51-9991", 10, 40, 20, 10, 15, 4, 1])
    sheet.append(["Widget testers", "51-9992", 5, 30, 25, 10, 20, 8, 2])
    sheet.append(["Footnotes:"])
    workbook.save(tmp_path / "e.xlsx")
    projections = read_projections(write_table(tmp_path / "o.xlsx", ROWS), tmp_path / "e.xlsx")
    first, second = projections.attainment
    assert first.title == "Widget polishers"
    assert first.acs_approximate
    assert not second.acs_approximate
    assert list(first.shares) == [
        "Less than high school diploma",
        "High school diploma or equivalent",
        "Some college, no degree",
        "Associate's degree",
        "Bachelor's degree",
        "Master's degree",
        "Doctoral or professional degree",
    ]
    assert second.shares["Bachelor's degree"] == 20.0
    assert (second.sheet, second.row) == ("Table 5.3", 5)


@pytest.mark.parametrize(
    ("percent", "label"),
    [
        (15.8, "Much faster than average"),
        (6.5, "Much faster than average"),
        (6.4, "Faster than average"),
        (4.9, "Faster than average"),
        (4.4, "As fast as average"),
        (1.5, "As fast as average"),
        (1.4, "Slower than average"),
        (0.4, "Little or no change"),
        (-0.4, "Little or no change"),
        (-0.5, "Decline"),
        (-11.0, "Decline"),
    ],
)
def test_growth_label_2024_34(percent: float, label: str) -> None:
    assert growth_label(percent, 3.1) == label


@pytest.mark.shared
def test_real_table_1_2() -> None:
    projections = read_projections(
        shared_path("bls", "ep_2024_34", "occupation.xlsx"),
        shared_path("bls", "ep_2024_34", "education.xlsx"),
    )
    assert projections.period == "2024-34"
    assert len(projections.line_items) == 832
    assert len(projections.occupations) == 1113
    assert projections.total.percent_change == 3.1
    assert projections.total.employment_2024 == 169956.1
    nurses = projections.by_code()["29-1141"]
    assert nurses.title == "Registered nurses"
    assert (nurses.employment_2024, nurses.employment_2034) == (3391.0, 3557.1)
    assert (nurses.change, nurses.percent_change, nurses.annual_openings) == (166.1, 4.9, 189.1)
    assert nurses.median_wage_2024 == 93600.0
    assert nurses.entry_education == "Bachelor's degree"
    assert (
        growth_label(nurses.percent_change, projections.total.percent_change)
        == "Faster than average"
    )
    top_coded = [o.code for o in projections.occupations if o.median_wage_top_coded]
    assert "29-1022" in top_coded
    assert all(
        o.median_wage_2024 == 239200.0 for o in projections.occupations if o.median_wage_top_coded
    )
    attainment = {a.code: a for a in projections.attainment}
    assert len(attainment) == 833
    assert attainment["00-0000"].shares["Bachelor's degree"] == 25.2
    assert attainment["11-1011"].acs_approximate
