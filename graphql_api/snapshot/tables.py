"""The snapshot's named tables: one frozen record type per row, encoded as named columns.

A table travels as ``{"columns": {field: [values...]}, "rows": n}``: every value is found by its
field name, never by position, and :func:`decode_table` checks the fields against the record type,
so a reader never has to know the writer's column order. Encoding and decoding sit side by side.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql_api.snapshot.container import SnapshotError

__all__ = [
    "TABLE_ROWS",
    "AlternateTitleRow",
    "AreaRow",
    "DescriptorRow",
    "EducationCategoryRow",
    "EducationValueRow",
    "GroupRow",
    "IndustryRow",
    "InterestRow",
    "JobZoneReferenceRow",
    "OccupationRow",
    "OewsOccupationRow",
    "RelatedRow",
    "ReportedTitleRow",
    "RequirementRow",
    "SourceRow",
    "TaskRow",
    "decode_table",
    "encode_table",
    "group_by_occupation",
]

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class AreaRow:
    """An OEWS area: the nation, a state or a metropolitan area."""

    code: str
    kind: str
    state_code: str
    name: str


@dataclass(frozen=True, slots=True)
class IndustryRow:
    """An OEWS industry with its parent; ``ownership_view`` marks re-cuts by owner."""

    code: str
    name: str
    level: int
    parent: str | None
    ownership_view: bool


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A SOC major, minor or broad group."""

    code: str
    title: str
    kind: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class OewsOccupationRow:
    """An OEWS occupation code (detailed or a group) as OEWS lists it."""

    code: str
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class OccupationRow:
    """An occupation node's own facts (lists such as tasks are tables of their own)."""

    code: str
    soc: str
    onet: bool
    title: str
    slug: str
    description: str | None
    job_zone: int | None
    pay_soc: str | None
    pay_basis: str
    group: str | None


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One O*NET task statement of an occupation, in release order."""

    occupation: str
    text: str
    task_type: str | None
    task_id: int | None


@dataclass(frozen=True, slots=True)
class AlternateTitleRow:
    """An O*NET alternate title, its short form and how many O*NET sources report it."""

    occupation: str
    title: str
    short_title: str | None
    sources: int


@dataclass(frozen=True, slots=True)
class ReportedTitleRow:
    """A job title incumbents reported (O*NET Sample of Reported Titles)."""

    occupation: str
    title: str


@dataclass(frozen=True, slots=True)
class DescriptorRow:
    """A skill-like descriptor: rated skill, knowledge, ability, technology or derived."""

    id: str
    name: str
    kind: str
    description: str | None
    commodity_code: str | None


@dataclass(frozen=True, slots=True)
class RequirementRow:
    """An occupation -requires-> descriptor edge with its numbers and source."""

    occupation: str
    descriptor: str
    importance: float | None
    level: float | None
    weight: float | None
    source: str
    recommend_suppress: bool
    not_relevant: bool
    hot: bool
    in_demand: bool


@dataclass(frozen=True, slots=True)
class RelatedRow:
    """One of O*NET's expert-reviewed related occupations, with its tier and rank."""

    occupation: str
    related: str
    tier: str
    rank: int


@dataclass(frozen=True, slots=True)
class EducationCategoryRow:
    """A category of an O*NET education, training and experience scale."""

    element_id: str
    element_name: str
    scale: str
    category: int
    description: str


@dataclass(frozen=True, slots=True)
class EducationValueRow:
    """The share of respondents in one category of one scale for one occupation."""

    occupation: str
    scale: str
    category: int
    percent: float
    suppressed: bool


@dataclass(frozen=True, slots=True)
class InterestRow:
    """An O*NET interest score: RIASEC occupational interest (OI) or a high point (IH)."""

    occupation: str
    element_id: str
    element_name: str
    scale: str
    value: float


@dataclass(frozen=True, slots=True)
class JobZoneReferenceRow:
    """What one O*NET Job Zone means."""

    job_zone: int
    name: str
    experience: str
    education: str
    job_training: str
    examples: str
    svp_range: str


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One input of the build as the manifest records it."""

    name: str
    kind: str
    publisher: str
    version: str
    origin: str
    sha256: str
    licence: str
    detail: str


TABLE_ROWS: Mapping[str, type[Any]] = {
    "areas": AreaRow,
    "industries": IndustryRow,
    "groups": GroupRow,
    "oews_occupations": OewsOccupationRow,
    "occupations": OccupationRow,
    "tasks": TaskRow,
    "alternate_titles": AlternateTitleRow,
    "reported_titles": ReportedTitleRow,
    "descriptors": DescriptorRow,
    "requires": RequirementRow,
    "related": RelatedRow,
    "education_categories": EducationCategoryRow,
    "education_values": EducationValueRow,
    "interests": InterestRow,
    "job_zone_reference": JobZoneReferenceRow,
    "sources": SourceRow,
}
"""Every record table of a snapshot, by name, with its row type."""


def encode_table(rows: Iterable[Any], row_type: type[Any]) -> dict[str, Any]:
    """Rows of one record type as named columns.

    >>> encode_table([GroupRow("29-0000", "Healthcare", "major", None)], GroupRow)["rows"]
    1
    """
    names = [f.name for f in dataclasses.fields(row_type)]
    materialised = list(rows)
    for row in materialised:
        if type(row) is not row_type:
            raise TypeError(f"{row!r} is not a {row_type.__name__}")
    columns = {name: [getattr(row, name) for row in materialised] for name in names}
    return {"columns": columns, "rows": len(materialised)}


def decode_table(table: Mapping[str, Any], row_type: type[R], *, name: str = "") -> tuple[R, ...]:
    """Named columns back into records; fields that differ from the record type are refused.

    >>> table = encode_table([GroupRow("29-0000", "Healthcare", "major", None)], GroupRow)
    >>> decode_table(table, GroupRow)[0].title
    'Healthcare'
    """
    label = name or row_type.__name__
    try:
        columns: Mapping[str, Sequence[Any]] = table["columns"]
        count = int(table["rows"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"table {label!r} is not a named-column table") from exc
    fields = [f.name for f in dataclasses.fields(row_type)]  # type: ignore[arg-type]
    if sorted(columns) != sorted(fields):
        missing = sorted(set(fields) - set(columns))
        extra = sorted(set(columns) - set(fields))
        raise SnapshotError(
            f"table {label!r} has other fields than {row_type.__name__}: "
            f"missing {missing}, unexpected {extra}"
        )
    if any(len(columns[f]) != count for f in fields):
        raise SnapshotError(f"table {label!r} has columns of different lengths")
    return tuple(itertools.starmap(row_type, zip(*(columns[f] for f in fields), strict=True)))


def group_by_occupation(rows: Iterable[R]) -> dict[str, tuple[R, ...]]:
    """Rows that carry an ``occupation`` field, grouped by it, order kept."""
    out: dict[str, list[R]] = {}
    for row in rows:
        out.setdefault(row.occupation, []).append(row)  # type: ignore[attr-defined]
    return {code: tuple(items) for code, items in out.items()}
