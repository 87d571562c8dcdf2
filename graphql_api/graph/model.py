"""The in-memory career graph: NetworkX topology plus columnar facts and similarity matrices."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import numpy as np
import numpy.typing as npt

from graphql_api.graph.title_ranker import RANKER_TABLE, TitleRanker, decode_ranker
from graphql_api.graph.titles import READING_TABLE, TitleReading, decode_reading
from graphql_api.ranker import COMPONENTS, Ranker
from graphql_api.snapshot import Snapshot, default_snapshot_dir, read_snapshot
from graphql_api.snapshot import tables as t
from graphql_api.snapshot.codec import NULL, decode_oews_values, decode_scores, decode_similarity
from graphql_api.snapshot.container import SnapshotError

if TYPE_CHECKING:
    from graphql_api.graph.prepared import Indexes

__all__ = [
    "Area",
    "CareerGraph",
    "DatasetInfo",
    "Descriptor",
    "EducationCategory",
    "EducationShare",
    "Group",
    "Industry",
    "InterestScore",
    "JobZoneReference",
    "Occupation",
    "RelatedLink",
    "Requirement",
    "Source",
    "Task",
    "load_graph",
    "node_id",
]

NATIONAL = "0000000"
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


Requirement = t.RequirementRow
"""An occupation -requires-> descriptor edge with its numbers and source (the snapshot's row)."""


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


class RelatedLink(NamedTuple):
    """One of O*NET's expert-reviewed related occupations of an occupation."""

    code: str
    tier: str
    rank: int


@dataclass(frozen=True, slots=True)
class EducationCategory:
    """A category of an O*NET education scale (RL required level, RW related experience ...)."""

    scale: str
    category: int
    label: str


@dataclass(frozen=True, slots=True)
class EducationShare:
    """The percent of respondents in one category of one O*NET education scale."""

    scale: str
    category: int
    label: str
    percent: float
    suppressed: bool


@dataclass(frozen=True, slots=True)
class InterestScore:
    """An O*NET interest score: OI (RIASEC level, 1-7) or IH (high-point, the RIASEC number)."""

    element_id: str
    name: str
    scale: str
    value: float


JobZoneReference = t.JobZoneReferenceRow
Source = t.SourceRow


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the snapshot is: from its manifest, typed."""

    name: str
    kind: str
    version: str
    content_sha256: str
    oews_release: str | None
    onet_release: str | None
    layers: tuple[str, ...]
    missing_layers: tuple[str, ...]
    notes: tuple[str, ...]
    # (source, attribution text) pairs, e.g. ("onet", "This product includes ... CC BY 4.0 ...").
    licence_texts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, manifest: Mapping[str, Any]) -> DatasetInfo:
        content = str(manifest.get("content_sha256", "unknown"))
        return cls(
            name=str(manifest.get("name", "careergraph")),
            kind=str(manifest.get("kind", "default")),
            version=str(manifest.get("version") or content[:12]),
            content_sha256=content,
            oews_release=manifest.get("oews_release"),
            onet_release=manifest.get("onet_release"),
            layers=tuple(manifest.get("layers", ())),
            missing_layers=tuple(manifest.get("missing_layers", ())),
            notes=tuple(manifest.get("notes", ())),
            licence_texts=tuple(
                (str(k), str(v)) for k, v in sorted(manifest.get("licences", {}).items())
            ),
        )


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
    # Per storage index: each area's kind, each industry's level and ownership-view flag.
    area_kinds: npt.NDArray[np.str_]
    industry_levels: npt.NDArray[np.int64]
    industry_ownership_views: npt.NDArray[np.bool_]
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


@dataclass(frozen=True)
class Relatedness:
    """The similarity components the builder stored and the ranker it fitted on them.

    A boosted-trees ranker (the builder's) comes as its scores of every move, ``composite``; a
    logistic one (older snapshots) as ``ranker``, applied at load. Both None when the release
    had no related lists to fit on. ``ranker_description`` is the stored account of the fit.
    """

    components: Mapping[str, npt.NDArray[np.float32]]
    ranker: Ranker | None
    fitted_on: Mapping[str, Any]
    composite: npt.NDArray[np.float64] | None = None
    ranker_description: Mapping[str, Any] | None = None


def _decode_relatedness(snapshot: Snapshot, size: int) -> Relatedness | None:
    meta = snapshot.tables.get("relatedness")
    stored = snapshot.arrays.get("similarity")
    if meta is None or stored is None:
        return None
    names = list(meta["components"])
    if names != list(COMPONENTS) or stored.shape[0] != len(names):
        raise SnapshotError(
            f"similarity components {names} differ from this version's {list(COMPONENTS)}"
        )
    bounds = meta["lower_bounds"]
    try:
        components = {
            name: decode_similarity(stored[k], float(bounds[name]), size)
            for k, name in enumerate(names)
        }
        description = meta["ranker"]
        form = None if description is None else description.get("form")
        ranker = Ranker.from_json(description) if form == "logistic" else None
        composite = None
        if form == "boosted-trees":
            scores = snapshot.arrays.get("composite")
            if scores is None:
                raise ValueError("a boosted-trees ranker without its scores")
            composite = decode_scores(scores, size)
        elif form not in (None, "logistic"):
            raise ValueError(f"unknown ranker form {form!r}")
    except (KeyError, ValueError, AttributeError) as exc:
        raise SnapshotError(f"the relatedness table is damaged: {exc}") from exc
    return Relatedness(
        MappingProxyType(components),
        ranker,
        MappingProxyType(meta["fitted_on"]),
        composite,
        None if description is None else MappingProxyType(description),
    )


@dataclass(frozen=True)
class CareerGraph:
    """A loaded snapshot: the NetworkX topology, typed records, columnar facts, prepared indexes."""

    graph: nx.DiGraph
    manifest: Mapping[str, Any]
    dataset: DatasetInfo
    occupations: tuple[Occupation, ...]
    by_code: Mapping[str, Occupation]
    by_slug: Mapping[str, Occupation]
    groups: Mapping[str, Group]
    descriptors: Mapping[str, Descriptor]
    requirements: Mapping[str, tuple[Requirement, ...]]
    industries: Mapping[str, Industry]
    areas: Mapping[str, Area]
    oews: OewsFacts
    related: Mapping[str, tuple[RelatedLink, ...]]
    education: Mapping[str, Mapping[str, tuple[EducationShare, ...]]]
    education_categories: Mapping[str, tuple[EducationCategory, ...]]
    interests: Mapping[str, tuple[InterestScore, ...]]
    job_zone_reference: Mapping[int, JobZoneReference]
    sources: tuple[Source, ...]
    # The outlook layer's named tables (projections, attainment, demographics, outlook_meta),
    # decoded into records by graph.outlook at load; nothing outside graph/ reads them.
    outlook_tables: Mapping[str, Any] = field(default_factory=dict)
    # The builder's similarity components and fitted ranker (None in a snapshot without them).
    relatedness: Relatedness | None = None
    # The reading of every occupation name the builder stored, with the digest of the names it
    # read (None: the snapshot has none, or another version of the rules made it).
    title_reading: tuple[TitleReading, str] | None = None
    # The builder's title re-ranker and the digest of the names it was fitted on (None: none).
    title_ranker: tuple[TitleRanker, str] | None = None
    # Set once by graph.prepared.prepare() at load; read through ``indexes``.
    _indexes: Indexes | None = field(default=None, repr=False, compare=False)

    @property
    def version(self) -> str:
        return self.dataset.version

    @property
    def indexes(self) -> Indexes:
        """The indexes prepared at load (``load_graph`` prepares; a bare decode does not)."""
        if self._indexes is None:
            raise RuntimeError("this CareerGraph is not prepared: load it with load_graph()")
        return self._indexes


def _decode_oews(snapshot: Snapshot) -> OewsFacts:
    meta = snapshot.tables["oews"]
    raw = decode_oews_values(
        snapshot.arrays["oews_values"],
        [(int(k), int(v)) for k, v in meta["annual_from_hourly"].items()],
    )
    keys16 = snapshot.arrays["oews_keys"].astype(np.int64)
    keys = (keys16[0] << 32) | (keys16[1] << 16) | keys16[2]
    table = snapshot.tables
    areas = t.decode_table(table["areas"], t.AreaRow)
    industries = t.decode_table(table["industries"], t.IndustryRow)
    return OewsFacts(
        release=meta["release"],
        year=int(meta["year"]),
        datatypes=tuple(meta["datatypes"]),
        occupation_codes=tuple(
            o.code for o in t.decode_table(table["oews_occupations"], t.OewsOccupationRow)
        ),
        industry_codes=tuple(i.code for i in industries),
        area_codes=tuple(a.code for a in areas),
        keys=keys,
        raw=raw,
        scales=tuple(int(x) for x in meta["scales"]),
        notes=snapshot.arrays["oews_notes"],
        note_table=tuple((n, r) for n, r in meta["notes"]),
        footnotes=meta["footnotes"],
        area_kinds=np.array([a.kind for a in areas], dtype=np.str_),
        industry_levels=np.array([i.level for i in industries], dtype=np.int64),
        industry_ownership_views=np.array([i.ownership_view for i in industries], dtype=np.bool_),
    )


def _decode_title_ranker(table: Mapping[str, Any] | None) -> tuple[TitleRanker, str] | None:
    ranker = decode_ranker(table)
    if ranker is None or table is None:
        return None
    return ranker, str(table.get("names_sha256"))


def load_graph(path: Path | str | None = None) -> CareerGraph:
    """Load a snapshot file (or the folder holding one; None: the embedded default) into a ready
    :class:`CareerGraph`."""
    # prepared imports the query modules, which import this one.
    from graphql_api.graph.prepared import prepare  # noqa: PLC0415

    # Loading makes about a million objects and frees few: the cyclic collector would walk the
    # growing heap again and again for nothing (a third of the load time, measured), so it
    # pauses until the model is ready. Whoever serves it collects once then (and may freeze).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return prepare(
            graph_from_snapshot(read_snapshot(path if path is not None else default_snapshot_dir()))
        )
    finally:
        if collecting:
            gc.enable()


def _table(snapshot: Snapshot, name: str, row_type: type[t.R]) -> tuple[t.R, ...]:
    found = snapshot.tables.get(name)
    return () if found is None else t.decode_table(found, row_type, name=name)


def graph_from_snapshot(snapshot: Snapshot) -> CareerGraph:
    """Decode every table of a snapshot into typed records and the NetworkX topology."""
    graph = nx.DiGraph()
    groups = {
        g.code: Group(g.code, g.title, g.kind, g.parent)
        for g in _table(snapshot, "groups", t.GroupRow)
    }
    for group in groups.values():
        graph.add_node(node_id("group", group.code), kind="group", code=group.code)
    for group in groups.values():
        if group.parent:
            graph.add_edge(
                node_id("group", group.code), node_id("group", group.parent), kind="part_of"
            )

    tasks = t.group_by_occupation(_table(snapshot, "tasks", t.TaskRow))
    alternates = t.group_by_occupation(_table(snapshot, "alternate_titles", t.AlternateTitleRow))
    reported = t.group_by_occupation(_table(snapshot, "reported_titles", t.ReportedTitleRow))
    occupations: list[Occupation] = []
    for index, row in enumerate(_table(snapshot, "occupations", t.OccupationRow)):
        alternate = alternates.get(row.code, ())
        occupation = Occupation(
            index=index,
            code=row.code,
            soc=row.soc,
            onet=row.onet,
            title=row.title,
            slug=row.slug,
            description=row.description,
            tasks=tuple(Task(x.text, x.task_type, x.task_id) for x in tasks.get(row.code, ())),
            alternate_titles=tuple(a.title for a in alternate),
            alternate_short_titles=tuple(a.short_title for a in alternate),
            alternate_title_sources=tuple(a.sources for a in alternate),
            reported_titles=tuple(r.title for r in reported.get(row.code, ())),
            job_zone=row.job_zone,
            pay_soc=row.pay_soc,
            pay_basis=row.pay_basis,
            group=row.group,
        )
        occupations.append(occupation)
        graph.add_node(occupation.node, kind="occupation", code=occupation.code)
        if occupation.group:
            graph.add_edge(occupation.node, node_id("group", occupation.group), kind="part_of")

    descriptors = {
        d.id: Descriptor(d.id, d.name, d.kind, d.description, d.commodity_code)
        for d in _table(snapshot, "descriptors", t.DescriptorRow)
    }
    for descriptor in descriptors.values():
        graph.add_node(node_id("skill", descriptor.id), kind="skill", skill_kind=descriptor.kind)
    by_occupation: dict[str, list[Requirement]] = defaultdict(list)
    for r in _table(snapshot, "requires", t.RequirementRow):
        by_occupation[r.occupation].append(r)
    # The numbers and source of each edge live in ``requirements``; the edge is the topology.
    graph.add_edges_from(
        (
            (f"occupation:{r.occupation}", f"skill:{r.descriptor}")
            for rows in by_occupation.values()
            for r in rows
        ),
        kind="requires",
    )

    industries = {
        i.code: Industry(i.code, i.name, i.level, i.parent, i.ownership_view)
        for i in _table(snapshot, "industries", t.IndustryRow)
    }
    for industry in industries.values():
        graph.add_node(node_id("industry", industry.code), kind="industry", code=industry.code)
        if industry.parent:
            graph.add_edge(
                node_id("industry", industry.code),
                node_id("industry", industry.parent),
                kind="part_of",
            )
    areas = {
        a.code: Area(a.code, a.kind, a.state_code, a.name)
        for a in _table(snapshot, "areas", t.AreaRow)
    }
    for area in areas.values():
        graph.add_node(node_id("area", area.code), kind="area", area_kind=area.kind)

    related: dict[str, list[RelatedLink]] = defaultdict(list)
    for link in _table(snapshot, "related", t.RelatedRow):
        related[link.occupation].append(RelatedLink(link.related, link.tier, link.rank))
        graph.add_edge(
            node_id("occupation", link.occupation),
            node_id("occupation", link.related),
            kind="related_to",
            tier=link.tier,
            index=link.rank,
        )

    categories: dict[str, list[EducationCategory]] = defaultdict(list)
    labels: dict[tuple[str, int], str] = {}
    for c in _table(snapshot, "education_categories", t.EducationCategoryRow):
        categories[c.scale].append(EducationCategory(c.scale, c.category, c.description))
        labels[(c.scale, c.category)] = c.description
    education: dict[str, dict[str, list[EducationShare]]] = defaultdict(lambda: defaultdict(list))
    for v in _table(snapshot, "education_values", t.EducationValueRow):
        education[v.occupation][v.scale].append(
            EducationShare(
                v.scale,
                v.category,
                labels.get((v.scale, v.category), str(v.category)),
                v.percent,
                v.suppressed,
            )
        )
    interests = {
        code: tuple(InterestScore(r.element_id, r.element_name, r.scale, r.value) for r in rows)
        for code, rows in t.group_by_occupation(
            _table(snapshot, "interests", t.InterestRow)
        ).items()
    }
    outlook_names = ("projections", "attainment", "demographics", "outlook_meta")
    return CareerGraph(
        graph=graph,
        manifest=MappingProxyType(dict(snapshot.manifest)),
        dataset=DatasetInfo.of(snapshot.manifest),
        occupations=tuple(occupations),
        by_code=MappingProxyType({o.code: o for o in occupations}),
        by_slug=MappingProxyType({o.slug: o for o in occupations}),
        groups=MappingProxyType(groups),
        descriptors=MappingProxyType(descriptors),
        requirements=MappingProxyType({k: tuple(v) for k, v in by_occupation.items()}),
        industries=MappingProxyType(industries),
        areas=MappingProxyType(areas),
        oews=_decode_oews(snapshot),
        related=MappingProxyType({k: tuple(v) for k, v in related.items()}),
        education=MappingProxyType(
            {
                code: MappingProxyType({scale: tuple(v) for scale, v in scales.items()})
                for code, scales in education.items()
            }
        ),
        education_categories=MappingProxyType({k: tuple(v) for k, v in categories.items()}),
        interests=MappingProxyType(interests),
        job_zone_reference=MappingProxyType(
            {z.job_zone: z for z in _table(snapshot, "job_zone_reference", t.JobZoneReferenceRow)}
        ),
        sources=_table(snapshot, "sources", t.SourceRow),
        outlook_tables=MappingProxyType(
            {k: snapshot.tables[k] for k in outlook_names if k in snapshot.tables}
        ),
        relatedness=_decode_relatedness(snapshot, len(occupations)),
        title_reading=decode_reading(snapshot.tables.get(READING_TABLE), snapshot.arrays),
        title_ranker=_decode_title_ranker(snapshot.tables.get(RANKER_TABLE)),
    )
