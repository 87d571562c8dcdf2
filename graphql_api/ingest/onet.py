"""Reader for the O*NET database text release (tab-separated .txt files, as a folder or a zip)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Literal, TypeVar

from graphql_api.ingest.errors import ReleaseFormatError, ReleaseMissingError

__all__ = [
    "LAYER_FILES",
    "OCCUPATION_DATA",
    "AlternateTitle",
    "Descriptor",
    "DescriptorKind",
    "EducationCategory",
    "EducationValue",
    "InterestScore",
    "JobZone",
    "JobZoneReference",
    "OnetOccupation",
    "OnetRelease",
    "Rating",
    "RelatedOccupation",
    "ReportedTitle",
    "Task",
    "TaskActivity",
    "TechnologySkill",
    "Tool",
    "WorkActivity",
    "find_onet_release",
    "read_occupation_data",
    "read_onet_release",
]

DescriptorKind = Literal["skill", "knowledge", "ability"]

OCCUPATION_DATA = "Occupation Data.txt"
README = "Read Me.txt"

# Layer name -> the release file it comes from (file names as in the O*NET 30.1 text release).
# Only "occupations" is required; every other layer is optional and reported in `missing`.
LAYER_FILES: Mapping[str, str] = MappingProxyType(
    {
        "occupations": OCCUPATION_DATA,
        "alternate_titles": "Alternate Titles.txt",
        "reported_titles": "Sample of Reported Titles.txt",
        "job_zones": "Job Zones.txt",
        "job_zone_reference": "Job Zone Reference.txt",
        "descriptors": "Content Model Reference.txt",
        "skills": "Skills.txt",
        "knowledge": "Knowledge.txt",
        "abilities": "Abilities.txt",
        "technology": "Technology Skills.txt",
        "tasks": "Task Statements.txt",
        "related": "Related Occupations.txt",
        "education_categories": "Education, Training, and Experience Categories.txt",
        "education": "Education, Training, and Experience.txt",
        "interests": "Interests.txt",
        "task_activities": "Tasks to DWAs.txt",
        "work_activities": "DWA Reference.txt",
        "tools": "Tools Used.txt",
    }
)

_RATING_LAYERS: Mapping[str, DescriptorKind] = MappingProxyType(
    {"skills": "skill", "knowledge": "knowledge", "abilities": "ability"}
)
# Content Model branches each descriptor kind lives under (O*NET Content Model: 1.A abilities,
# 2.A basic skills, 2.B cross-functional skills, 2.C knowledge).
_KIND_BRANCHES: tuple[tuple[str, DescriptorKind], ...] = (
    ("1.A.", "ability"),
    ("2.A.", "skill"),
    ("2.B.", "skill"),
    ("2.C.", "knowledge"),
)
_RATING_SCALES = frozenset({"IM", "LV"})
_EDUCATION_SCALES = frozenset({"RL", "RW", "PT", "OJ", "IM"})
_INTEREST_SCALES = frozenset({"OI", "IH"})
_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")
# A DWA ID: its GWA's Content Model id, then .Inn (IWA) and .Dnn (e.g. 4.A.2.a.4.I09.D03).
_DWA = re.compile(r"4\.A(\.[0-9a-z]+)+\.I\d{2}\.D\d{2}")
_VERSION = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database")
# O*NET writes "n/a" where a number or flag was not published.
_NA = "n/a"


@dataclass(frozen=True, slots=True)
class OnetOccupation:
    """One O*NET-SOC occupation from Occupation Data.txt."""

    code: str
    soc_code: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class AlternateTitle:
    """A lay or alternate title of an occupation; `sources` are O*NET source codes ("04", "08")."""

    code: str
    title: str
    short_title: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportedTitle:
    """A job title reported by incumbents, flagged when My Next Move shows it."""

    code: str
    title: str
    shown_in_my_next_move: bool


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A rated Content Model element (a leaf under skills, knowledge or abilities)."""

    element_id: str
    name: str
    description: str
    kind: DescriptorKind


@dataclass(frozen=True, slots=True)
class Rating:
    """The IM (importance, 1-5) and LV (level, 0-7) rows of one occupation and element, merged.

    `n` and `standard_error` are the IM row's (the LV row's when IM is absent); the LV row's own
    are in `level_n` and `level_standard_error`. `recommend_suppress` is true when either scale
    recommends suppression; the per-scale flags say which. `date` and `domain_source` are the IM
    row's when present.
    """

    code: str
    element_id: str
    element_name: str
    kind: DescriptorKind
    importance: float | None
    level: float | None
    n: int | None
    standard_error: float | None
    recommend_suppress: bool
    not_relevant: bool
    date: str
    domain_source: str
    importance_suppressed: bool = False
    level_suppressed: bool = False
    level_n: int | None = None
    level_standard_error: float | None = None


@dataclass(frozen=True, slots=True)
class TechnologySkill:
    """A software example used in an occupation, with its UNSPSC commodity and O*NET flags."""

    code: str
    example: str
    commodity_code: str
    commodity_title: str
    hot: bool
    in_demand: bool


@dataclass(frozen=True, slots=True)
class Task:
    """A task statement; `task_type` is "Core", "Supplemental" or None where O*NET has n/a."""

    code: str
    task_id: int
    text: str
    task_type: str | None
    incumbents_responding: float | None
    date: str
    domain_source: str


@dataclass(frozen=True, slots=True)
class TaskActivity:
    """A task statement linked to one detailed work activity (DWA) it is an instance of."""

    code: str
    task_id: int
    dwa_id: str
    date: str
    domain_source: str


@dataclass(frozen=True, slots=True)
class WorkActivity:
    """A detailed work activity with the intermediate (IWA) and general (GWA) ones above it."""

    element_id: str
    iwa_id: str
    dwa_id: str
    title: str


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool or machine an occupation uses, with its UNSPSC commodity."""

    code: str
    example: str
    commodity_code: str
    commodity_title: str


@dataclass(frozen=True, slots=True)
class RelatedOccupation:
    """O*NET's related occupation with its tier ("Primary-Short", ...) and rank `index`."""

    code: str
    related_code: str
    tier: str
    index: int


@dataclass(frozen=True, slots=True)
class EducationCategory:
    """The meaning of one category of an education, training or experience scale."""

    element_id: str
    element_name: str
    scale_id: str
    category: int
    description: str


@dataclass(frozen=True, slots=True)
class EducationValue:
    """One education, training or experience value; `category` is None on the IM scale."""

    code: str
    element_id: str
    element_name: str
    scale_id: str
    category: int | None
    value: float
    n: int | None
    recommend_suppress: bool
    date: str
    domain_source: str


@dataclass(frozen=True, slots=True)
class InterestScore:
    """A RIASEC score: scale "OI" (occupational interest, 1-7) or "IH" (high-point, 0-6)."""

    code: str
    element_id: str
    element_name: str
    scale_id: str
    value: float


@dataclass(frozen=True, slots=True)
class JobZone:
    """An occupation's Job Zone (1-5)."""

    code: str
    job_zone: int


@dataclass(frozen=True, slots=True)
class JobZoneReference:
    """What one Job Zone means in experience, education and training."""

    job_zone: int
    name: str
    experience: str
    education: str
    job_training: str
    examples: str
    svp_range: str


@dataclass(frozen=True)
class OnetRelease:
    """Everything read from one O*NET text release.

    `layers` names the layers present and `missing` those absent (see `LAYER_FILES` for the file
    each needs). Records whose occupation code is not in Occupation Data are kept; `orphans`
    counts them per layer (only layers that have any).
    """

    version: str | None
    source: Path
    occupations: tuple[OnetOccupation, ...]
    alternate_titles: tuple[AlternateTitle, ...] = ()
    reported_titles: tuple[ReportedTitle, ...] = ()
    job_zones: tuple[JobZone, ...] = ()
    job_zone_reference: tuple[JobZoneReference, ...] = ()
    descriptors: tuple[Descriptor, ...] = ()
    ratings: tuple[Rating, ...] = ()
    technology: tuple[TechnologySkill, ...] = ()
    tasks: tuple[Task, ...] = ()
    related: tuple[RelatedOccupation, ...] = ()
    education_categories: tuple[EducationCategory, ...] = ()
    education: tuple[EducationValue, ...] = ()
    interests: tuple[InterestScore, ...] = ()
    task_activities: tuple[TaskActivity, ...] = ()
    work_activities: tuple[WorkActivity, ...] = ()
    tools: tuple[Tool, ...] = ()
    layers: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    orphans: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def missing_files(self) -> tuple[tuple[str, str], ...]:
        """Each missing layer with the release file it needs."""
        return tuple((layer, LAYER_FILES[layer]) for layer in self.missing)


# --- reading release files ------------------------------------------------------------------


class _ReleaseFiles:
    """The files of one release, in a folder or inside a zip (with or without a top folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        if path.is_dir():
            return
        if not zipfile.is_zipfile(path):
            raise ReleaseMissingError(f"{path}: neither a folder nor a zip file")
        self._zip = zipfile.ZipFile(path)
        prefix = _zip_prefix(self._zip)
        if prefix is None:
            self._zip.close()
            raise ReleaseMissingError(f"{path}: no {OCCUPATION_DATA!r} in this zip")
        self._prefix = prefix

    def __enter__(self) -> _ReleaseFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._zip is not None:
            self._zip.close()

    def label(self, name: str) -> str:
        """How errors name a file: its path, or zip path plus member."""
        if self._zip is None:
            return str(self.path / name)
        return f"{self.path}:{self._prefix}{name}"

    def read(self, name: str) -> bytes | None:
        """The file's bytes, or None when the release lacks it."""
        if self._zip is None:
            file = self.path / name
            return file.read_bytes() if file.is_file() else None
        try:
            return self._zip.read(self._prefix + name)
        except KeyError:
            return None


def _zip_prefix(archive: zipfile.ZipFile) -> str | None:
    """The folder inside the zip that holds Occupation Data.txt (shallowest), or None."""
    found = [
        member[: -len(OCCUPATION_DATA)]
        for member in archive.namelist()
        if PurePosixPath(member).name == OCCUPATION_DATA
    ]
    if not found:
        return None
    return min(found, key=lambda prefix: (prefix.count("/"), prefix))


Row = tuple[str, ...]


def _rows(file: str, data: bytes, columns: Sequence[str]) -> Iterator[tuple[int, Row]]:
    """Yield (line number, the named columns' fields) for each data row of a release file.

    Fields are split on tabs only: O*NET text files use no quoting (task statements contain
    plain double quotes), so csv with QUOTE_NONE would give the same fields, more slowly.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = data[: error.start].count(b"\n") + 1
        raise ReleaseFormatError(file, where, "not UTF-8 text") from error
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise ReleaseFormatError(file, 1, "empty file: no header row")
    header = lines[0].rstrip("\r").split("\t")
    positions = {name.strip(): index for index, name in enumerate(header)}
    for column in columns:
        if column not in positions:
            raise ReleaseFormatError(file, 1, f"missing column {column!r}")
    width = len(header)
    # Every caller asks for two or more columns, so itemgetter returns a tuple.
    pick: Callable[[list[str]], Row] = itemgetter(*(positions[column] for column in columns))
    for number, line in enumerate(lines[1:], start=2):
        fields = line.rstrip("\r").split("\t")
        if len(fields) != width:
            raise ReleaseFormatError(
                file, number, f"expected {width} tab-separated fields, found {len(fields)}"
            )
        yield number, pick(fields)


def _code(file: str, line: int, value: str) -> str:
    if not _CODE.fullmatch(value):
        raise ReleaseFormatError(file, line, f"O*NET-SOC code {value!r} is not NN-NNNN.NN")
    return value


def _float(file: str, line: int, column: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ReleaseFormatError(file, line, f"{column} {value!r} is not a number") from None


def _int(file: str, line: int, column: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ReleaseFormatError(file, line, f"{column} {value!r} is not an integer") from None


def _float_or_na(file: str, line: int, column: str, value: str) -> float | None:
    return None if value == _NA else _float(file, line, column, value)


def _int_or_na(file: str, line: int, column: str, value: str) -> int | None:
    return None if value == _NA else _int(file, line, column, value)


def _flag(file: str, line: int, column: str, value: str, *, na: bool = False) -> bool:
    """A Y/N flag; where `na` is allowed, O*NET's "n/a" (not assessed) reads as False."""
    if value == "Y":
        return True
    if value == "N" or (na and value == _NA):
        return False
    raise ReleaseFormatError(file, line, f"{column} {value!r} is not Y or N")


def _scale(file: str, line: int, value: str, allowed: frozenset[str]) -> str:
    if value not in allowed:
        expected = ", ".join(sorted(allowed))
        raise ReleaseFormatError(file, line, f"unknown Scale ID {value!r} (expected {expected})")
    return value


# --- one reader per layer -------------------------------------------------------------------


def _occupations(file: str, data: bytes) -> tuple[OnetOccupation, ...]:
    records: list[OnetOccupation] = []
    seen: dict[str, int] = {}
    for line, (code, title, description) in _rows(
        file, data, ("O*NET-SOC Code", "Title", "Description")
    ):
        _code(file, line, code)
        if code in seen:
            raise ReleaseFormatError(
                file, line, f"duplicate code {code} (first on line {seen[code]})"
            )
        seen[code] = line
        records.append(OnetOccupation(code, code[:7], title, description))
    return tuple(records)


def _alternate_titles(file: str, data: bytes) -> tuple[AlternateTitle, ...]:
    columns = ("O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)")
    return tuple(
        AlternateTitle(
            _code(file, line, code),
            title,
            None if short == _NA else short,
            tuple(source.strip() for source in sources.split(",") if source.strip()),
        )
        for line, (code, title, short, sources) in _rows(file, data, columns)
    )


def _reported_titles(file: str, data: bytes) -> tuple[ReportedTitle, ...]:
    columns = ("O*NET-SOC Code", "Reported Job Title", "Shown in My Next Move")
    return tuple(
        ReportedTitle(_code(file, line, code), title, _flag(file, line, columns[2], shown))
        for line, (code, title, shown) in _rows(file, data, columns)
    )


def _job_zones(file: str, data: bytes) -> tuple[JobZone, ...]:
    records: list[JobZone] = []
    for line, (code, zone) in _rows(file, data, ("O*NET-SOC Code", "Job Zone")):
        value = _int(file, line, "Job Zone", zone)
        if not 1 <= value <= 5:
            raise ReleaseFormatError(file, line, f"Job Zone {value} is not 1-5")
        records.append(JobZone(_code(file, line, code), value))
    return tuple(records)


def _job_zone_reference(file: str, data: bytes) -> tuple[JobZoneReference, ...]:
    columns = (
        "Job Zone",
        "Name",
        "Experience",
        "Education",
        "Job Training",
        "Examples",
        "SVP Range",
    )
    return tuple(
        JobZoneReference(_int(file, line, "Job Zone", zone), *rest)
        for line, (zone, *rest) in _rows(file, data, columns)
    )


def _descriptors(file: str, data: bytes) -> tuple[Descriptor, ...]:
    """The leaves of the skills, knowledge and abilities branches: the elements O*NET rates."""
    elements = [
        (element_id, name, description)
        for _, (element_id, name, description) in _rows(
            file, data, ("Element ID", "Element Name", "Description")
        )
    ]
    parents = {element_id.rpartition(".")[0] for element_id, _, _ in elements}
    records: list[Descriptor] = []
    for element_id, name, description in elements:
        if element_id in parents:
            continue
        for branch, kind in _KIND_BRANCHES:
            if element_id.startswith(branch):
                records.append(Descriptor(element_id, name, description, kind))
                break
    return tuple(records)


@dataclass(slots=True)
class _ScaleRow:
    value: float
    n: int | None
    standard_error: float | None
    suppress: bool
    not_relevant: bool
    date: str
    domain_source: str
    line: int


def _ratings(file: str, data: bytes, kind: DescriptorKind) -> tuple[Rating, ...]:
    columns = (
        "O*NET-SOC Code",
        "Element ID",
        "Element Name",
        "Scale ID",
        "Data Value",
        "N",
        "Standard Error",
        "Recommend Suppress",
        "Not Relevant",
        "Date",
        "Domain Source",
    )
    merged: dict[tuple[str, str], tuple[str, dict[str, _ScaleRow]]] = {}
    for line, row in _rows(file, data, columns):
        code, element_id, name, scale, value, n, error, suppress, relevant, date, domain = row
        _code(file, line, code)
        _scale(file, line, scale, _RATING_SCALES)
        parsed = _ScaleRow(
            _float(file, line, "Data Value", value),
            _int_or_na(file, line, "N", n),
            _float_or_na(file, line, "Standard Error", error),
            _flag(file, line, "Recommend Suppress", suppress, na=True),
            # The IM row has "n/a": only the LV scale says whether an element is not relevant.
            _flag(file, line, "Not Relevant", relevant, na=True),
            date,
            domain,
            line,
        )
        scales = merged.setdefault((code, element_id), (name, {}))[1]
        if scale in scales:
            first = scales[scale].line
            raise ReleaseFormatError(
                file, line, f"duplicate {scale} row for {code} {element_id} (first on line {first})"
            )
        scales[scale] = parsed
    records: list[Rating] = []
    for (code, element_id), (name, scales) in merged.items():
        importance = scales.get("IM")
        level = scales.get("LV")
        main = importance or level
        assert main is not None  # every entry was created by at least one row
        records.append(
            Rating(
                code=code,
                element_id=element_id,
                element_name=name,
                kind=kind,
                importance=importance.value if importance else None,
                level=level.value if level else None,
                n=main.n,
                standard_error=main.standard_error,
                recommend_suppress=any(row.suppress for row in scales.values()),
                not_relevant=level.not_relevant if level else False,
                date=main.date,
                domain_source=main.domain_source,
                importance_suppressed=importance.suppress if importance else False,
                level_suppressed=level.suppress if level else False,
                level_n=level.n if level else None,
                level_standard_error=level.standard_error if level else None,
            )
        )
    return tuple(records)


def _technology(file: str, data: bytes) -> tuple[TechnologySkill, ...]:
    columns = (
        "O*NET-SOC Code",
        "Example",
        "Commodity Code",
        "Commodity Title",
        "Hot Technology",
        "In Demand",
    )
    return tuple(
        TechnologySkill(
            _code(file, line, code),
            example,
            commodity,
            commodity_title,
            _flag(file, line, "Hot Technology", hot),
            _flag(file, line, "In Demand", demand),
        )
        for line, (code, example, commodity, commodity_title, hot, demand) in _rows(
            file, data, columns
        )
    )


def _tasks(file: str, data: bytes) -> tuple[Task, ...]:
    columns = (
        "O*NET-SOC Code",
        "Task ID",
        "Task",
        "Task Type",
        "Incumbents Responding",
        "Date",
        "Domain Source",
    )
    return tuple(
        Task(
            _code(file, line, code),
            _int(file, line, "Task ID", task_id),
            text,
            None if task_type == _NA else task_type,
            _float_or_na(file, line, "Incumbents Responding", responding),
            date,
            domain,
        )
        for line, (code, task_id, text, task_type, responding, date, domain) in _rows(
            file, data, columns
        )
    )


def _related(file: str, data: bytes) -> tuple[RelatedOccupation, ...]:
    columns = ("O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index")
    return tuple(
        RelatedOccupation(
            _code(file, line, code),
            _code(file, line, related),
            tier,
            _int(file, line, "Index", index),
        )
        for line, (code, related, tier, index) in _rows(file, data, columns)
    )


def _education_categories(file: str, data: bytes) -> tuple[EducationCategory, ...]:
    columns = ("Element ID", "Element Name", "Scale ID", "Category", "Category Description")
    return tuple(
        EducationCategory(
            element_id,
            name,
            _scale(file, line, scale, _EDUCATION_SCALES),
            _int(file, line, "Category", category),
            description,
        )
        for line, (element_id, name, scale, category, description) in _rows(file, data, columns)
    )


def _education(file: str, data: bytes) -> tuple[EducationValue, ...]:
    columns = (
        "O*NET-SOC Code",
        "Element ID",
        "Element Name",
        "Scale ID",
        "Category",
        "Data Value",
        "N",
        "Recommend Suppress",
        "Date",
        "Domain Source",
    )
    records: list[EducationValue] = []
    for line, row in _rows(file, data, columns):
        code, element_id, name, scale, category, value, n, suppress, date, domain = row
        records.append(
            EducationValue(
                _code(file, line, code),
                element_id,
                name,
                _scale(file, line, scale, _EDUCATION_SCALES),
                _int_or_na(file, line, "Category", category),
                _float(file, line, "Data Value", value),
                _int_or_na(file, line, "N", n),
                _flag(file, line, "Recommend Suppress", suppress, na=True),
                date,
                domain,
            )
        )
    return tuple(records)


def _interests(file: str, data: bytes) -> tuple[InterestScore, ...]:
    columns = ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value")
    return tuple(
        InterestScore(
            _code(file, line, code),
            element_id,
            name,
            _scale(file, line, scale, _INTEREST_SCALES),
            _float(file, line, "Data Value", value),
        )
        for line, (code, element_id, name, scale, value) in _rows(file, data, columns)
    )


def _task_activities(file: str, data: bytes) -> tuple[TaskActivity, ...]:
    columns = ("O*NET-SOC Code", "Task ID", "DWA ID", "Date", "Domain Source")
    return tuple(
        TaskActivity(
            _code(file, line, code),
            _int(file, line, "Task ID", task_id),
            _dwa(file, line, dwa),
            date,
            domain,
        )
        for line, (code, task_id, dwa, date, domain) in _rows(file, data, columns)
    )


def _dwa(file: str, line: int, value: str) -> str:
    if not _DWA.fullmatch(value):
        raise ReleaseFormatError(file, line, f"bad DWA ID {value!r}")
    return value


def _work_activities(file: str, data: bytes) -> tuple[WorkActivity, ...]:
    columns = ("Element ID", "IWA ID", "DWA ID", "DWA Title")
    out = []
    for line, (element, iwa, dwa, title) in _rows(file, data, columns):
        # A DWA's id extends its IWA's, which extends its GWA's (4.A.1.a.1 > .I01 > .D01).
        if not (_dwa(file, line, dwa).startswith(iwa + ".") and iwa.startswith(element + ".")):
            raise ReleaseFormatError(file, line, f"DWA {dwa!r} is not under {iwa!r}")
        out.append(WorkActivity(element, iwa, dwa, title))
    return tuple(out)


def _tools(file: str, data: bytes) -> tuple[Tool, ...]:
    columns = ("O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title")
    out = []
    for line, (code, example, commodity, title) in _rows(file, data, columns):
        # UNSPSC commodity codes are eight digits.
        if not (len(commodity) == 8 and commodity.isdigit()):
            raise ReleaseFormatError(file, line, f"bad Commodity Code {commodity!r}")
        out.append(Tool(_code(file, line, code), example, commodity, title))
    return tuple(out)


def _version(data: bytes | None) -> str | None:
    if data is None:
        return None
    found = _VERSION.search(data.decode("utf-8-sig", errors="replace"))
    return found.group(1) if found else None


_Record = TypeVar("_Record")


def _orphans(known: frozenset[str], codes: Iterator[str]) -> int:
    return sum(1 for code in codes if code not in known)


# --- public functions -----------------------------------------------------------------------


def read_onet_release(path: Path) -> OnetRelease:
    """Read an O*NET text release given as a folder or as the published zip.

    Only Occupation Data.txt is required (ReleaseMissingError without it); other files are
    optional layers, listed in `missing` when absent. Malformed rows raise ReleaseFormatError.
    Records for codes absent from Occupation Data are kept and counted in `orphans`.
    """
    path = Path(path)
    if not path.exists():
        raise ReleaseMissingError(f"{path}: no such folder or zip")
    with _ReleaseFiles(path) as files:
        texts = {layer: files.read(name) for layer, name in LAYER_FILES.items()}
        version = _version(files.read(README))
        labels = {layer: files.label(name) for layer, name in LAYER_FILES.items()}
    occupation_data = texts["occupations"]
    if occupation_data is None:
        raise ReleaseMissingError(f"{labels['occupations']}: required file is absent")

    def layer(name: str, read: Callable[[str, bytes], tuple[_Record, ...]]) -> tuple[_Record, ...]:
        data = texts[name]
        return () if data is None else read(labels[name], data)

    occupations = _occupations(labels["occupations"], occupation_data)
    ratings = tuple(
        rating
        for name, kind in _RATING_LAYERS.items()
        if (data := texts[name]) is not None
        for rating in _ratings(labels[name], data, kind)
    )
    alternate_titles = layer("alternate_titles", _alternate_titles)
    reported_titles = layer("reported_titles", _reported_titles)
    job_zones = layer("job_zones", _job_zones)
    technology = layer("technology", _technology)
    tasks = layer("tasks", _tasks)
    related = layer("related", _related)
    education = layer("education", _education)
    interests = layer("interests", _interests)
    task_activities = layer("task_activities", _task_activities)
    tools = layer("tools", _tools)

    known = frozenset(occupation.code for occupation in occupations)
    counts = {
        "alternate_titles": _orphans(known, (r.code for r in alternate_titles)),
        "reported_titles": _orphans(known, (r.code for r in reported_titles)),
        "job_zones": _orphans(known, (r.code for r in job_zones)),
        **{
            name: _orphans(known, (r.code for r in ratings if r.kind == kind))
            for name, kind in _RATING_LAYERS.items()
        },
        "technology": _orphans(known, (r.code for r in technology)),
        "tasks": _orphans(known, (r.code for r in tasks)),
        "related": _orphans(known, (code for r in related for code in (r.code, r.related_code))),
        "education": _orphans(known, (r.code for r in education)),
        "interests": _orphans(known, (r.code for r in interests)),
        "task_activities": _orphans(known, (r.code for r in task_activities)),
        "tools": _orphans(known, (r.code for r in tools)),
    }
    return OnetRelease(
        version=version,
        source=path,
        occupations=occupations,
        alternate_titles=alternate_titles,
        reported_titles=reported_titles,
        job_zones=job_zones,
        job_zone_reference=layer("job_zone_reference", _job_zone_reference),
        descriptors=layer("descriptors", _descriptors),
        ratings=ratings,
        technology=technology,
        tasks=tasks,
        related=related,
        education_categories=layer("education_categories", _education_categories),
        education=education,
        interests=interests,
        task_activities=task_activities,
        work_activities=layer("work_activities", _work_activities),
        tools=tools,
        layers=tuple(name for name, data in texts.items() if data is not None),
        missing=tuple(name for name, data in texts.items() if data is None),
        orphans=MappingProxyType({name: count for name, count in counts.items() if count}),
    )


def read_occupation_data(
    path_or_bytes: Path | str | bytes, *, name: str = OCCUPATION_DATA
) -> tuple[OnetOccupation, ...]:
    r"""Read O*NET "Occupation Data" from raw bytes, the file itself, or a release folder or zip.

    `name` is the file looked up inside a folder or zip, and the name errors use for raw bytes.

    >>> data = b"O*NET-SOC Code\tTitle\tDescription\r\n31-1131.00\tNursing Assistants\tCare.\r\n"
    >>> read_occupation_data(data)[0].soc_code
    '31-1131'
    """
    if isinstance(path_or_bytes, bytes):
        return _occupations(name, path_or_bytes)
    path = Path(path_or_bytes)
    if path.is_file() and not zipfile.is_zipfile(path):
        return _occupations(str(path), path.read_bytes())
    if not path.exists():
        raise ReleaseMissingError(f"{path}: no such file, folder or zip")
    with _ReleaseFiles(path) as files:
        data = files.read(name)
        label = files.label(name)
    if data is None:
        raise ReleaseMissingError(f"{label}: required file is absent")
    return _occupations(label, data)


def find_onet_release(folder: Path) -> Path | None:
    """Find an O*NET text release (a zip or a folder holding Occupation Data.txt) under `folder`.

    The shallowest wins; among releases at one depth, the last in name order, so that
    db_30_1_text beats db_29_0_text. Unreadable zips are passed over.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None
    for _, names in _by_depth(folder):
        candidates = [path for path in names if _is_release(path)]
        if candidates:
            return max(candidates, key=lambda path: (path.name, str(path)))
    return None


def _by_depth(folder: Path) -> Iterator[tuple[int, list[Path]]]:
    """Yield the entries of `folder` level by level (the folder itself first)."""
    level = [folder]
    depth = 0
    while level:
        yield depth, level
        children: list[Path] = []
        for directory in level:
            if not directory.is_dir() or (directory.is_symlink() and depth > 0):
                continue
            try:
                children.extend(sorted(directory.iterdir()))
            except OSError:
                continue
        level = children
        depth += 1


def _is_release(path: Path) -> bool:
    if path.is_dir():
        return (path / OCCUPATION_DATA).is_file()
    if path.suffix.lower() != ".zip" or not path.is_file():
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return _zip_prefix(archive) is not None
    except (zipfile.BadZipFile, OSError):
        return False
