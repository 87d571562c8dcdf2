"""Reader for CPS annual-average tables 11 (sex, race, ethnicity) and 11b (age) by occupation."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from graphql_api.ingest.errors import ReleaseFormatError
from graphql_api.ingest.xlsx import (
    Header,
    Sheet,
    cell_text,
    locate_header,
    normalize_label,
    optional_number,
    read_sheet,
    required_number,
    where,
)

__all__ = ["CpsOccupationRow", "CpsTable", "inherit_levels", "read_cps_table"]

_TOTAL = r"(?:\d{4} )?total,? (?:employed|16 years and over)"
# Regexes over normalised header labels; value keys are the names CpsOccupationRow.values uses.
_TABLE_11 = {
    "occupation": r"occupation",
    "total": _TOTAL,
    "women": r"(?:.* )?women",
    "white": r"(?:.* )?white",
    "black": r"(?:.* )?black or african american",
    "asian": r"(?:.* )?asian",
    "hispanic": r"(?:.* )?hispanic or latino",
}
_TABLE_11B = {
    "occupation": r"occupation",
    "total": _TOTAL,
    "16_19": r"16 to 19 years",
    "20_24": r"20 to 24 years",
    "25_34": r"25 to 34 years",
    "35_44": r"35 to 44 years",
    "45_54": r"45 to 54 years",
    "55_64": r"55 to 64 years",
    "65_plus": r"65 years and over",
    "median_age": r"median age",
}
_TABLE_NUMBER = re.compile(r"(?:^|\s)(11b?)\.\s")
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True, slots=True)
class CpsOccupationRow:
    """One occupation line: Census title, hierarchy level, employed (thousands) and its values.

    Table 11 values are percents of total employed ("women", "white", "black", "asian",
    "hispanic"); table 11b values are thousands by age band ("16_19" ... "65_plus") and
    "median_age" in years. None where BLS shows a dash (base below 50,000 or no data).
    """

    title: str
    level: int
    total_employed: float
    values: dict[str, float | None]
    sheet: str
    row: int


@dataclass(frozen=True)
class CpsTable:
    """One CPS table; ``indented`` says whether the workbook carried the hierarchy indents."""

    table: str
    year: int
    note: str
    rows: tuple[CpsOccupationRow, ...]
    indented: bool = True


def _table_number(sheet: Sheet, header: Header | None) -> str | None:
    rows = sheet.rows[: header.first_row - 1] if header else sheet.rows[:10]
    for row in rows:
        match = _TABLE_NUMBER.search(cell_text(row.get(0)).replace("\n", " "))
        if match:
            return match.group(1)
    return None


def _year(sheet: Sheet, header: Header) -> int:
    for row in sheet.rows[header.first_row - 1 : header.last_row]:
        for value in row.values:
            text = cell_text(value)
            if _YEAR.fullmatch(text):
                return int(text)
    raise ReleaseFormatError(sheet.file, where(sheet, header.first_row), "header names no year")


def _locate(sheet: Sheet) -> tuple[str, Header]:
    """Find the header; the title ("11." or "11b.") or, failing that, the columns say which."""
    titled = _table_number(sheet, None)
    order = ["11b", "11"] if titled != "11" else ["11", "11b"]
    error: ReleaseFormatError | None = None
    for table in order:
        try:
            return table, locate_header(sheet, _TABLE_11B if table == "11b" else _TABLE_11)
        except ReleaseFormatError as problem:
            if error is None or table == titled:
                error = problem
    assert error is not None
    raise error


def read_cps_table(path: Path) -> CpsTable:
    """Read cpsaat11.xlsx or cpsaat11b.xlsx, telling them apart by title and header."""
    sheet = read_sheet(path)
    table, header = _locate(sheet)
    columns = _TABLE_11B if table == "11b" else _TABLE_11
    keys = [key for key in columns if key not in {"occupation", "total"}]
    title_col, total_col = header.columns["occupation"], header.columns["total"]
    value_cols = [header.columns[k] for k in keys] + [total_col]
    rows: list[CpsOccupationRow] = []
    notes: list[str] = []
    for row in sheet.rows[header.last_row :]:
        title = cell_text(row.get(title_col))
        filled = [c for c in value_cols if cell_text(row.get(c))]
        if not title and not filled:
            continue
        if not filled:
            notes.append(" ".join(title.split()))
            continue
        if notes:
            raise ReleaseFormatError(path, where(sheet, row.number), "data row after the notes")
        if not title:
            raise ReleaseFormatError(path, where(sheet, row.number), "values without a title")
        values = {
            key: optional_number(sheet, row, header.columns[key], key.replace("_", " "))
            for key in keys
        }
        rows.append(
            CpsOccupationRow(
                title=" ".join(title.split()),
                level=row.indent,
                total_employed=required_number(sheet, row, total_col, "total employed"),
                values=values,
                sheet=sheet.name,
                row=row.number,
            )
        )
    if not rows:
        raise ReleaseFormatError(path, where(sheet, header.last_row), "no occupation rows")
    return CpsTable(
        table=table,
        year=_year(sheet, header),
        note="\n".join(notes),
        rows=tuple(rows),
        indented=any(r.level for r in rows),
    )


def inherit_levels(table: CpsTable, reference: CpsTable) -> CpsTable:
    """Give a table saved without indents the levels of the same titles in an indented table.

    Some copies of cpsaat11.xlsx lost their cell indents; the Census occupation list is the
    same across tables 11 and 11b of nearby years, so titles carry their level over. Titles the
    reference lacks keep level 0; ``indented`` is True when every title but the total was found.
    """
    if table.indented or not reference.indented:
        return table
    levels: dict[str, int] = {}
    for row in reference.rows:
        levels.setdefault(normalize_label(row.title), row.level)
    rows = tuple(
        dataclasses.replace(row, level=levels.get(normalize_label(row.title), 0))
        for row in table.rows
    )
    # The table's own total line is titled differently across tables ("Total employed").
    complete = all(
        normalize_label(row.title) in levels
        for row in table.rows
        if not normalize_label(row.title).startswith("total")
    )
    return dataclasses.replace(table, rows=rows, indented=complete)
