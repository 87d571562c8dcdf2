"""The in-memory career graph: NetworkX topology plus columnar facts and similarity matrices."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from graphql_api.ingest.snapshot import Snapshot, default_snapshot_dir, read_snapshot

__all__ = [
    "Area",
    "CareerGraph",
    "Descriptor",
    "Group",
    "Industry",
    "Occupation",
    "Requirement",
    "Task",
    "load_graph",
    "node_id",
]

NATIONAL = "0000000"
NULL = int(np.iinfo(np.int32).min)
ALL_INDUSTRIES = "000000"


def node_id(kind: str, key: str) -> str:
    """Return the graph node id of a thing: its kind, a colon, its code.

    >>> node_id("occupation", "31-1131.00")
    'occupation:31-1131.00'
    """
    return f"{kind}:{key}"


@dataclass(frozen=True, slots=True)
class Task:
    """One task statement of an occupation."""

    text: str
    task_type: str | None
    task_id: int | None


@dataclass(frozen=True, slots=True)
class Occupation:
    """An occupation node: an O*NET-SOC occupation, or an OEWS occupation O*NET does not cover."""

    index: int
    code: str
    soc: str
    onet: bool
    title: str
    slug: str
    description: str | None
    tasks: tuple[Task, ...]
    alternate_titles: tuple[str, ...]
    # Per alternate title: its short form (e.g. "CNA") and how many O*NET sources report it.
    alternate_short_titles: tuple[str | None, ...]
    alternate_title_sources: tuple[int, ...]
    reported_titles: tuple[str, ...]
    job_zone: int | None
    pay_soc: str | None
    pay_basis: str
    group: str | None

    @property
    def node(self) -> str:
        return node_id("occupation", self.code)

    @property
    def major_group(self) -> str:
        return self.soc[:3] + "0000"


@dataclass(frozen=True, slots=True)
class Group:
    """A SOC major, minor or broad group."""

    code: str
    title: str
    kind: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A skill-like descriptor: rated skill, knowledge, ability, technology or derived."""

    id: str
    name: str
    kind: str
    description: str | None
    extra: str | None


@dataclass(frozen=True, slots=True)
class Requirement:
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
class Industry:
    """An OEWS industry (NAICS-based) with its parent."""

    code: str
    name: str
    level: int
    parent: str | None
    # An ownership re-cut of other industries (e.g. "Hospitals, Privately Owned"): left out of
    # lists and shares so no job is counted twice.
    ownership_view: bool = False


@dataclass(frozen=True, slots=True)
class Area:
    """The nation, a state or a metropolitan area."""

    code: str
    kind: str
    state_code: str
    name: str


@dataclass
class OewsFacts:
    """Columnar OEWS cells: one column per (occupation, industry, area), 17 datatypes each."""

    release: str
    year: int
    datatypes: tuple[str, ...]
    occupation_codes: tuple[str, ...]
    industry_codes: tuple[str, ...]
    area_codes: tuple[str, ...]
    keys: npt.NDArray[np.int64]
    # Fixed-point integers as stored (NULL where BLS published no number); ``scales`` divide
    # them back into the published decimals exactly, one value at a time, so the whole table
    # never sits in memory as floats.
    raw: npt.NDArray[np.int32]
    scales: tuple[int, ...]
    notes: npt.NDArray[np.uint8]
    note_table: tuple[tuple[str, str | None], ...]
    footnotes: dict[str, str]
    occupation_index: dict[str, int] = field(default_factory=dict)
    industry_index: dict[str, int] = field(default_factory=dict)
    area_index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.occupation_index = {c: i for i, c in enumerate(self.occupation_codes)}
        self.industry_index = {c: i for i, c in enumerate(self.industry_codes)}
        self.area_index = {c: i for i, c in enumerate(self.area_codes)}

    @staticmethod
    def composite(occupation: int, industry: int, area: int) -> int:
        return (occupation << 32) | (industry << 16) | area

    def column(
        self, occupation: str, industry: str = ALL_INDUSTRIES, area: str = NATIONAL
    ) -> int | None:
        """Return the column of one cell, or None when BLS published no such cell."""
        try:
            key = self.composite(
                self.occupation_index[occupation],
                self.industry_index[industry],
                self.area_index[area],
            )
        except KeyError:
            return None
        position = int(np.searchsorted(self.keys, key))
        if position < len(self.keys) and int(self.keys[position]) == key:
            return position
        return None

    def occupation_columns(self, occupation: str) -> npt.NDArray[np.int64]:
        """Return every column of one occupation (all industries and areas)."""
        index = self.occupation_index.get(occupation)
        if index is None:
            return np.empty(0, dtype=np.int64)
        start = int(np.searchsorted(self.keys, index << 32))
        stop = int(np.searchsorted(self.keys, (index + 1) << 32))
        return np.arange(start, stop, dtype=np.int64)

    def industry_of(self, columns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return (self.keys[columns] >> 16) & 0xFFFF

    def area_of(self, columns: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return self.keys[columns] & 0xFFFF

    def number(self, row: int, column: int) -> float | None:
        """The published value of one datatype row in one cell, or None."""
        stored = int(self.raw[row, column])
        return None if stored == NULL else stored / self.scales[row]

    def value(self, column: int, datatype: str) -> float | None:
        return self.number(self.datatypes.index(datatype), column)

    def row(self, datatype: str, columns: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Values of one datatype over many cells as floats, NaN where not published."""
        index = self.datatypes.index(datatype)
        stored = self.raw[index, columns]
        out: npt.NDArray[np.float64] = stored.astype(np.float64) / self.scales[index]
        out[stored == NULL] = np.nan
        return out

    def note(self, column: int, datatype: str) -> tuple[str, str | None]:
        return self.note_table[int(self.notes[self.datatypes.index(datatype), column])]


@dataclass
class CareerGraph:
    """A loaded snapshot: the NetworkX graph, lookup tables, facts and similarity inputs."""

    graph: nx.DiGraph
    manifest: dict[str, Any]
    occupations: tuple[Occupation, ...]
    by_code: dict[str, Occupation]
    by_slug: dict[str, Occupation]
    groups: dict[str, Group]
    descriptors: dict[str, Descriptor]
    requirements: dict[str, tuple[Requirement, ...]]
    industries: dict[str, Industry]
    areas: dict[str, Area]
    oews: OewsFacts
    related: dict[str, tuple[tuple[str, str, int], ...]]
    education: dict[str, Any]
    interests: dict[str, list[list[Any]]]
    job_zone_reference: list[dict[str, Any]]
    sources: list[dict[str, str]]
    extra_tables: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", "unknown"))


def _decode_oews(snapshot: Snapshot) -> OewsFacts:
    meta = snapshot.tables["oews"]
    raw = snapshot.arrays["oews_values"]
    if not raw.flags.writeable:
        raw = raw.copy()
    for annual, hourly in meta["annual_from_hourly"].items():
        annual_row, hourly_row = int(annual), int(hourly)
        both = (raw[annual_row] != NULL) & (raw[hourly_row] != NULL)
        # Annual figures are stored as the difference from hourly (cents) x 2,080, rounded to
        # tens of dollars: the inverse of the builder's encoding.
        predicted = (np.round(raw[hourly_row].astype(np.float64) * 2080 / 1000) * 10).astype(
            np.int64
        )
        restored = raw[annual_row].astype(np.int64) + predicted
        raw[annual_row] = np.where(both, restored, raw[annual_row]).astype(np.int32)
    keys16 = snapshot.arrays["oews_keys"].astype(np.int64)
    keys = (keys16[0] << 32) | (keys16[1] << 16) | keys16[2]
    return OewsFacts(
        release=meta["release"],
        year=int(meta["year"]),
        datatypes=tuple(meta["datatypes"]),
        occupation_codes=tuple(o[0] for o in meta["occupations"]),
        industry_codes=tuple(i[0] for i in snapshot.tables["industries"]),
        area_codes=tuple(a[0] for a in snapshot.tables["areas"]),
        keys=keys,
        raw=raw,
        scales=tuple(int(x) for x in meta["scales"]),
        notes=snapshot.arrays["oews_notes"],
        note_table=tuple((n, r) for n, r in meta["notes"]),
        footnotes=meta["footnotes"],
    )


def load_graph(path: Path | str | None = None) -> CareerGraph:
    """Load a snapshot file (or the folder holding one; None: the embedded default) into a ready
    :class:`CareerGraph`."""
    return graph_from_snapshot(read_snapshot(path if path is not None else default_snapshot_dir()))


def graph_from_snapshot(snapshot: Snapshot) -> CareerGraph:
    """Build the graph from an already-read snapshot."""
    tables = snapshot.tables
    graph = nx.DiGraph()
    groups = {g[0]: Group(g[0], g[1], g[2], g[3]) for g in tables["groups"]}
    for group in groups.values():
        graph.add_node(node_id("group", group.code), kind="group", code=group.code)
    for group in groups.values():
        if group.parent:
            graph.add_edge(
                node_id("group", group.code), node_id("group", group.parent), kind="part_of"
            )

    occupations: list[Occupation] = []
    for index, row in enumerate(tables["occupations"]):
        occupation = Occupation(
            index=index,
            code=row["code"],
            soc=row["soc"],
            onet=row["onet"],
            title=row["title"],
            slug=row["slug"],
            description=row["description"],
            tasks=tuple(Task(t[0], t[1], t[2]) for t in row["tasks"]),
            alternate_titles=tuple(a[0] for a in row["alternate_titles"]),
            alternate_short_titles=tuple(a[1] for a in row["alternate_titles"]),
            alternate_title_sources=tuple(
                a[2] if len(a) > 2 else 1 for a in row["alternate_titles"]
            ),
            reported_titles=tuple(row["reported_titles"]),
            job_zone=row["job_zone"],
            pay_soc=row["pay_soc"],
            pay_basis=row["pay_basis"],
            group=row["group"],
        )
        occupations.append(occupation)
        graph.add_node(occupation.node, kind="occupation", code=occupation.code)
        if occupation.group:
            graph.add_edge(occupation.node, node_id("group", occupation.group), kind="part_of")

    descriptors = {d[0]: Descriptor(d[0], d[1], d[2], d[3], d[4]) for d in tables["descriptors"]}
    for descriptor in descriptors.values():
        graph.add_node(node_id("skill", descriptor.id), kind="skill", skill_kind=descriptor.kind)
    requires = tables["requires"]
    bits = requires["flag_bits"]
    sources = requires["sources"]
    by_occupation: dict[str, list[Requirement]] = defaultdict(list)
    for occ, desc, imp, lvl, wt, src, flags in zip(
        requires["occupation"],
        requires["descriptor"],
        requires["importance"],
        requires["level"],
        requires["weight"],
        requires["source"],
        requires["flags"],
        strict=True,
    ):
        requirement = Requirement(
            occ,
            desc,
            imp,
            lvl,
            wt,
            sources[src],
            bool(flags & bits["recommend_suppress"]),
            bool(flags & bits["not_relevant"]),
            bool(flags & bits["hot"]),
            bool(flags & bits["in_demand"]),
        )
        by_occupation[occ].append(requirement)
    graph.add_edges_from(
        (
            node_id("occupation", occ),
            node_id("skill", desc),
            {"kind": "requires", "source": sources[src]},
        )
        for occ, desc, src in zip(
            requires["occupation"], requires["descriptor"], requires["source"], strict=True
        )
    )

    industries = {
        i[0]: Industry(i[0], i[1], i[2], i[3], bool(i[4]) if len(i) > 4 else False)
        for i in tables["industries"]
    }
    for industry in industries.values():
        graph.add_node(node_id("industry", industry.code), kind="industry", code=industry.code)
        if industry.parent:
            graph.add_edge(
                node_id("industry", industry.code),
                node_id("industry", industry.parent),
                kind="part_of",
            )
    areas = {a[0]: Area(a[0], a[1], a[2], a[3]) for a in tables["areas"]}
    for area in areas.values():
        graph.add_node(node_id("area", area.code), kind="area", area_kind=area.kind)

    related: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for code, other, tier, rank in tables.get("related", []):
        related[code].append((other, tier, rank))
        graph.add_edge(
            node_id("occupation", code),
            node_id("occupation", other),
            kind="related_to",
            tier=tier,
            index=rank,
        )
    known = {
        "oews",
        "areas",
        "industries",
        "groups",
        "occupations",
        "descriptors",
        "requires",
        "related",
        "education",
        "interests",
        "job_zone_reference",
        "sources",
    }
    career = CareerGraph(
        graph=graph,
        manifest=snapshot.manifest,
        occupations=tuple(occupations),
        by_code={o.code: o for o in occupations},
        by_slug={o.slug: o for o in occupations},
        groups=groups,
        descriptors=descriptors,
        requirements={k: tuple(v) for k, v in by_occupation.items()},
        industries=industries,
        areas=areas,
        oews=_decode_oews(snapshot),
        related={k: tuple(v) for k, v in related.items()},
        education=tables.get("education", {}),
        interests=tables.get("interests", {}),
        job_zone_reference=tables.get("job_zone_reference", []),
        sources=tables.get("sources", []),
        extra_tables={k: v for k, v in tables.items() if k not in known},
    )
    _add_employment_edges(career)
    return career


def _add_employment_edges(career: CareerGraph) -> None:
    """Add occupation -employed_in-> industry edges from national industry cells.

    Only NAICS sectors and subsectors (display levels 2 and 3) become edges; finer cells stay in
    the columnar facts, reached through the industry functions.
    """
    facts = career.oews
    national = facts.area_index.get(NATIONAL)
    if national is None:
        return
    areas = facts.keys & 0xFFFF
    industry_idx = (facts.keys >> 16) & 0xFFFF
    occupation_idx = facts.keys >> 32
    selected = np.nonzero(
        (areas == national) & (industry_idx != facts.industry_index.get(ALL_INDUSTRIES, -1))
    )[0]
    employment_values = facts.row("employment", selected)
    levels = np.array([career.industries[c].level for c in facts.industry_codes])
    edges = []
    by_soc: dict[str, list[Occupation]] = defaultdict(list)
    for occupation in career.occupations:
        if occupation.pay_soc:
            by_soc[occupation.pay_soc].append(occupation)
    for column, employment in zip(selected, employment_values, strict=True):
        industry = int(industry_idx[column])
        if levels[industry] not in (2, 3):
            continue
        if career.industries[facts.industry_codes[industry]].ownership_view:
            continue
        soc = facts.occupation_codes[int(occupation_idx[column])]
        for occupation in by_soc.get(soc, ()):
            edges.append(
                (
                    occupation.node,
                    node_id("industry", facts.industry_codes[industry]),
                    {
                        "kind": "employed_in",
                        "employment": None if np.isnan(employment) else float(employment),
                    },
                )
            )
    career.graph.add_edges_from(edges)
