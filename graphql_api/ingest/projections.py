"""Reader for BLS Employment Projections: occupation.xlsx Table 1.2, education.xlsx Table 5.3."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graphql_api.ingest.errors import ReleaseFormatError
from graphql_api.ingest.xlsx import (
    NOT_AVAILABLE,
    Sheet,
    SheetRow,
    cell_text,
    find_sheet,
    locate_header,
    optional_number,
    required_number,
    where,
)

__all__ = [
    "GROWTH_LABELS",
    "EducationAttainment",
    "ProjectedOccupation",
    "Projections",
    "growth_label",
    "read_education_attainment",
    "read_projections",
]

_NEM_CODE = re.compile(r"\d{2}-\d{4}")
_PERIOD = re.compile(r"(\d{4})\s*[–—-]\s*(\d{2,4})")
_FOOTNOTE_MARK = re.compile(r"\s*\[(\d+)\]")
_TOP_CODED = re.compile(r">=\s*\$?\s*([\d,]+(?:\.\d+)?)")

# Regexes over normalised header labels (see xlsx.normalize_label) of Table 1.2, 2024-34 release.
_OCCUPATION_COLUMNS = {
    "title": r".*matrix title",
    "code": r".*matrix code",
    "type": r"occupation type",
    "employment_2024": r"employment, 2024",
    "employment_2034": r"employment, 2034",
    "change": r"employment change, numeric.*",
    "percent_change": r"employment change, percent.*",
    "self_employed": r"percent self[- ]employed.*",
    "openings": r"occupational openings.*",
    "wage": r"median annual wage.*",
    "education": r"typical education needed for entry",
    "experience": r"work experience in a related occupation",
    "training": r"typical on-the-job training.*",
}
_ATTAINMENT_COLUMNS = {
    "title": r".*matrix title",
    "code": r".*matrix code",
    "first": r"less than high school.*",
    "last": r"doctoral.*",
}


@dataclass(frozen=True, slots=True)
class ProjectedOccupation:
    """One row of Table 1.2; employment, change and openings are in thousands."""

    code: str
    title: str
    line_item: bool
    employment_2024: float
    employment_2034: float
    change: float
    percent_change: float
    self_employed_percent: float | None
    annual_openings: float
    median_wage_2024: float | None
    median_wage_top_coded: bool
    entry_education: str | None
    work_experience: str | None
    training: str | None
    sheet: str
    row: int


@dataclass(frozen=True, slots=True)
class EducationAttainment:
    """One row of Table 5.3: percent of workers 25+ by highest level of education.

    ``acs_approximate`` is BLS's footnote [1]: the occupation is not an exact match with the
    American Community Survey, so its shares are those of a broader ACS group.
    """

    code: str
    title: str
    shares: dict[str, float]
    sheet: str
    row: int
    acs_approximate: bool = False


@dataclass(frozen=True)
class Projections:
    """Table 1.2 (and optionally 5.3) of one Employment Projections release."""

    period: str
    occupations: tuple[ProjectedOccupation, ...]
    attainment: tuple[EducationAttainment, ...]
    total: ProjectedOccupation

    @property
    def line_items(self) -> tuple[ProjectedOccupation, ...]:
        """The detailed occupations (BLS "Line item" rows)."""
        return tuple(o for o in self.occupations if o.line_item)

    def by_code(self) -> dict[str, ProjectedOccupation]:
        """Index the rows by NEM code."""
        return {o.code: o for o in self.occupations}


def _text(value: object) -> str | None:
    text = cell_text(value)
    return None if not text or text in NOT_AVAILABLE else text


def _period(sheet: Sheet, before_row: int) -> str:
    for row in sheet.rows[: before_row - 1]:
        match = _PERIOD.search(cell_text(row.get(0)))
        if match:
            return f"{match.group(1)}-{match.group(2)[-2:]}"
    raise ReleaseFormatError(sheet.file, where(sheet, 1), "title names no projection period")


def _data_rows(sheet: Sheet, first: int, code_column: int, title_column: int) -> list[SheetRow]:
    """Rows carrying a NEM code; the notes BLS prints after the table end it."""
    rows: list[SheetRow] = []
    notes_started = False
    for row in sheet.rows[first:]:
        code = cell_text(row.get(code_column))
        title = cell_text(row.get(title_column))
        if not code:
            if title and rows:
                notes_started = True
            continue
        if notes_started:
            raise ReleaseFormatError(
                sheet.file, where(sheet, row.number), f"occupation row {code!r} after the notes"
            )
        if not _NEM_CODE.fullmatch(code):
            raise ReleaseFormatError(
                sheet.file, where(sheet, row.number), f"not a NEM occupation code: {code!r}"
            )
        if not title:
            raise ReleaseFormatError(sheet.file, where(sheet, row.number), "title is empty")
        rows.append(row)
    if not rows:
        raise ReleaseFormatError(sheet.file, where(sheet, first), "no occupation rows")
    return rows


def _wage(sheet: Sheet, row: SheetRow, column: int) -> tuple[float | None, bool]:
    # OEWS top-codes wages it will not publish exactly; Table 1.2 prints them as ">=$239,200".
    match = _TOP_CODED.fullmatch(cell_text(row.get(column)))
    if match:
        return float(match.group(1).replace(",", "")), True
    return optional_number(sheet, row, column, "median annual wage"), False


def _occupation(sheet: Sheet, row: SheetRow, columns: dict[str, int]) -> ProjectedOccupation:
    kind = cell_text(row.get(columns["type"]))
    if kind not in {"Line item", "Summary"}:
        raise ReleaseFormatError(
            sheet.file, where(sheet, row.number), f"occupation type {kind!r} is not known"
        )
    wage, top_coded = _wage(sheet, row, columns["wage"])

    def number(key: str, label: str) -> float:
        return required_number(sheet, row, columns[key], label)

    return ProjectedOccupation(
        code=cell_text(row.get(columns["code"])),
        title=cell_text(row.get(columns["title"])),
        line_item=kind == "Line item",
        employment_2024=number("employment_2024", "employment 2024"),
        employment_2034=number("employment_2034", "employment 2034"),
        change=number("change", "numeric change"),
        percent_change=number("percent_change", "percent change"),
        self_employed_percent=optional_number(
            sheet, row, columns["self_employed"], "percent self-employed"
        ),
        annual_openings=number("openings", "annual openings"),
        median_wage_2024=wage,
        median_wage_top_coded=top_coded,
        entry_education=_text(row.get(columns["education"])),
        work_experience=_text(row.get(columns["experience"])),
        training=_text(row.get(columns["training"])),
        sheet=sheet.name,
        row=row.number,
    )


def read_education_attainment(education_xlsx: Path) -> tuple[EducationAttainment, ...]:
    """Read Table 5.3 of education.xlsx: attainment shares of workers 25+ per occupation."""
    sheet = find_sheet(education_xlsx, re.compile(r"^Table 5\.3$"))
    header = locate_header(sheet, _ATTAINMENT_COLUMNS)
    code_col, title_col = header.columns["code"], header.columns["title"]
    first, last = header.columns["first"], header.columns["last"]
    label_row = sheet.rows[header.last_row - 1]
    levels = [
        (column, _FOOTNOTE_MARK.sub("", cell_text(label_row.get(column))))
        for column in range(first, last + 1)
    ]
    records = []
    for row in _data_rows(sheet, header.last_row, code_col, title_col):
        raw_title = cell_text(row.get(title_col))
        shares = {label: required_number(sheet, row, column, label) for column, label in levels}
        records.append(
            EducationAttainment(
                code=cell_text(row.get(code_col)),
                title=_FOOTNOTE_MARK.sub("", raw_title).strip(),
                shares=shares,
                sheet=sheet.name,
                row=row.number,
                acs_approximate="[1]" in raw_title,
            )
        )
    return tuple(records)


def read_projections(occupation_xlsx: Path, education_xlsx: Path | None = None) -> Projections:
    """Read Table 1.2 of occupation.xlsx (and Table 5.3 of education.xlsx when given)."""
    sheet = find_sheet(occupation_xlsx, re.compile(r"^Table 1\.2$"))
    header = locate_header(sheet, _OCCUPATION_COLUMNS)
    columns = dict(header.columns)
    period = _period(sheet, header.first_row)
    rows = _data_rows(sheet, header.last_row, columns["code"], columns["title"])
    occupations = tuple(_occupation(sheet, row, columns) for row in rows)
    seen: dict[str, int] = {}
    for occupation in occupations:
        if occupation.code in seen:
            raise ReleaseFormatError(
                occupation_xlsx,
                where(sheet, occupation.row),
                f"code {occupation.code} repeats row {seen[occupation.code]}",
            )
        seen[occupation.code] = occupation.row
    total = next((o for o in occupations if o.code == "00-0000"), None)
    if total is None:
        raise ReleaseFormatError(
            occupation_xlsx, where(sheet, header.last_row), "no 'Total, all occupations' row"
        )
    attainment = read_education_attainment(education_xlsx) if education_xlsx else ()
    return Projections(period, occupations, attainment, total)


# Wording of the Occupational Outlook Handbook's "Job Outlook" phrases, fastest first.
GROWTH_LABELS = (
    "Much faster than average",
    "Faster than average",
    "As fast as average",
    "Slower than average",
    "Little or no change",
    "Decline",
)


def growth_label(percent_change: float, average: float) -> str:
    """Describe a projected percent change the way the Occupational Outlook Handbook does.

    The OOH compares the change, rounded to a whole percent as it prints it, with the average
    for all occupations (3 percent for 2024-34, Table 1.2 "Total, all occupations": 3.1).
    Bands, as offsets from the rounded average a (2024-34 values in brackets):
    much faster >= a+4 [7% or more]; faster a+2..a+3 [5-6%]; as fast a-1..a+1 [2-4%];
    slower 1..a-2 [1%]; little or no change 0 [0%]; decline < 0 [-1% or lower].
    Source: BLS Occupational Outlook Handbook, "Job Outlook" phrases and the OOH statements
    for 2024-34 (e.g. registered nurses 5% "faster than average", lawyers 4% "about as fast");
    the bands could not be checked against bls.gov from this offline build.

    >>> growth_label(4.9, 3.1)
    'Faster than average'
    >>> growth_label(-11.0, 3.1)
    'Decline'
    """
    change = _round_half_away(percent_change)
    base = _round_half_away(average)
    if change >= base + 4:
        return GROWTH_LABELS[0]
    if change >= base + 2:
        return GROWTH_LABELS[1]
    if change >= base - 1:
        return GROWTH_LABELS[2]
    if change >= 1:
        return GROWTH_LABELS[3]
    if change == 0:
        return GROWTH_LABELS[4]
    return GROWTH_LABELS[5]


def _round_half_away(value: float) -> int:
    # BLS rounds 4.5 to 5 and -4.5 to -5 when it prints whole percents; round() would not.
    magnitude = int(abs(value) + 0.5)
    return magnitude if value >= 0 else -magnitude
