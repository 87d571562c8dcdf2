"""Workbook helpers for the BLS readers: open a sheet, find its header by labels, read cells."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from graphql_api.ingest.errors import ReleaseFormatError, ReleaseMissingError

__all__ = [
    "NOT_AVAILABLE",
    "Header",
    "Sheet",
    "SheetRow",
    "cell_text",
    "find_sheet",
    "locate_header",
    "normalize_label",
    "optional_number",
    "read_sheet",
    "required_number",
    "where",
]

# BLS prints a dash (en dash in CPS, em dash in EP tables, hyphen in older files) where a value
# is not available or does not meet publication criteria.
NOT_AVAILABLE = frozenset({"–", "—", "-", "--"})

_FOOTNOTE_MARK = re.compile(r"\[\d+\]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One worksheet row: its 1-based number, cell values and the indent of its first cell."""

    number: int
    values: tuple[object, ...]
    indent: int = 0

    def get(self, column: int) -> object:
        """Return the value in a 0-based column, or None past the row's end."""
        return self.values[column] if column < len(self.values) else None


@dataclass(frozen=True, slots=True)
class Sheet:
    """A worksheet read into memory, with the file it came from (for error messages)."""

    file: Path
    name: str
    rows: tuple[SheetRow, ...]


@dataclass(frozen=True, slots=True)
class Header:
    """Where a table's header sits: its first and last row numbers and each wanted column."""

    first_row: int
    last_row: int
    columns: Mapping[str, int]
    labels: tuple[str, ...]


def where(sheet: Sheet, row: int) -> str:
    """Name a sheet and row the way ReleaseFormatError messages do."""
    return f"sheet '{sheet.name}', row {row}"


def normalize_label(value: object) -> str:
    """Lower-case a header label, drop footnote marks like "[1]", unify dashes and spaces."""
    text = cell_text(value)
    text = _FOOTNOTE_MARK.sub("", text).replace("–", "-").replace("—", "-")
    return _SPACES.sub(" ", text).strip().lower()


def cell_text(value: object) -> str:
    """Return a cell as text ('' for empty), without surrounding whitespace."""
    if value is None:
        return ""
    return str(value).strip()


def _open_workbook(path: Path) -> object:
    if not path.exists():
        raise ReleaseMissingError(f"release file not found: {path}")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ReleaseFormatError(path, None, f"not a readable .xlsx workbook ({error})") from error


def _rows(worksheet: object) -> Iterator[SheetRow]:
    for number, cells in enumerate(worksheet.iter_rows(), start=1):  # type: ignore[attr-defined]
        values = tuple(getattr(cell, "value", None) for cell in cells)
        alignment = getattr(cells[0], "alignment", None) if cells else None
        indent = int(getattr(alignment, "indent", 0) or 0)
        yield SheetRow(number, values, indent)


def read_sheet(path: Path, name: str | None = None) -> Sheet:
    """Read one worksheet (the first when ``name`` is None) into memory."""
    workbook = _open_workbook(path)
    try:
        names: list[str] = list(workbook.sheetnames)  # type: ignore[attr-defined]
        if name is None:
            name = names[0]
        elif name not in names:
            raise ReleaseFormatError(path, None, f"no sheet {name!r} (sheets: {', '.join(names)})")
        worksheet = workbook[name]  # type: ignore[index]
        return Sheet(path, name, tuple(_rows(worksheet)))
    finally:
        workbook.close()  # type: ignore[attr-defined]


def find_sheet(path: Path, title: re.Pattern[str]) -> Sheet:
    """Read the sheet whose name, or the text in its first rows, matches ``title``."""
    workbook = _open_workbook(path)
    try:
        names: list[str] = list(workbook.sheetnames)  # type: ignore[attr-defined]
    finally:
        workbook.close()  # type: ignore[attr-defined]
    for name in names:
        if title.search(name):
            return read_sheet(path, name)
    raise ReleaseFormatError(
        path, None, f"no sheet matching {title.pattern!r} (sheets: {', '.join(names)})"
    )


def _labels(rows: Sequence[SheetRow]) -> tuple[str, ...]:
    width = max((len(row.values) for row in rows), default=0)
    labels = []
    for column in range(width):
        parts = [normalize_label(row.get(column)) for row in rows]
        labels.append(" ".join(part for part in parts if part))
    return tuple(labels)


def locate_header(
    sheet: Sheet,
    columns: Mapping[str, str],
    *,
    scan_rows: int = 40,
    depth: int = 3,
) -> Header:
    """Find the header by its labels: each key of ``columns`` names a regex over a column label.

    A header may span up to ``depth`` rows (CPS tables stack "Percent of total employed" over
    "Women"); the labels of a column are joined, normalised, and matched with ``re.fullmatch``.
    The band ending earliest, then the shallowest, where every pattern matches wins. When none
    does, the error names the row that came closest and the labels it lacks.
    """
    patterns = {key: re.compile(pattern) for key, pattern in columns.items()}
    rows = sheet.rows[:scan_rows]
    best: tuple[int, int, list[str]] = (-1, 0, list(patterns))
    for end in range(len(rows)):
        if not any(cell_text(value) for value in rows[end].values):
            continue
        for size in range(1, min(depth, end + 1) + 1):
            band = rows[end - size + 1 : end + 1]
            labels = _labels(band)
            found: dict[str, int] = {}
            for key, pattern in patterns.items():
                for column, label in enumerate(labels):
                    if label and pattern.fullmatch(label):
                        found[key] = column
                        break
            if len(found) == len(patterns):
                return Header(band[0].number, band[-1].number, found, labels)
            if len(found) > best[0]:
                best = (len(found), band[0].number, [k for k in patterns if k not in found])
    row = best[1] or 1
    missing = ", ".join(columns[key] for key in best[2])
    raise ReleaseFormatError(
        sheet.file, where(sheet, row), f"header row lacks the columns matching: {missing}"
    )


def _parse_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = cell_text(value).replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def optional_number(sheet: Sheet, row: SheetRow, column: int, label: str) -> float | None:
    """Read a number; a BLS "not available" dash becomes None, any other text is refused."""
    value = row.get(column)
    if value is None or cell_text(value) in NOT_AVAILABLE:
        return None
    number = _parse_number(value)
    if number is None:
        raise ReleaseFormatError(
            sheet.file, where(sheet, row.number), f"{label}: expected a number, found {value!r}"
        )
    return number


def required_number(sheet: Sheet, row: SheetRow, column: int, label: str) -> float:
    """Read a number that BLS always publishes; a dash or a blank is refused."""
    number = optional_number(sheet, row, column, label)
    if number is None:
        raise ReleaseFormatError(
            sheet.file,
            where(sheet, row.number),
            f"{label}: expected a number, found {row.get(column)!r}",
        )
    return number
