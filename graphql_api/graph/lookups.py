"""Reverse lookups over the graph: skills to occupations, places and industries, the SOC tree."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graphql_api.graph.facts import CellFacts, cell_facts
from graphql_api.graph.model import (
    ALL_INDUSTRIES,
    NATIONAL,
    Area,
    CareerGraph,
    Descriptor,
    Group,
    Industry,
    Occupation,
    Source,
    node_id,
)
from graphql_api.graph.related import (
    DEFAULT_FILTER,
    SkillScore,
    important_skills,
    wage_of,
)
from graphql_api.graph.search import normalize
from graphql_api.graph.similarity import similarity_model

__all__ = [
    "CoreSkill",
    "OccupationFigures",
    "SkillCoverage",
    "area_occupations",
    "core_skills",
    "count_related",
    "group_occupations",
    "group_path",
    "has_skills",
    "industry_occupations",
    "occupation_for_soc",
    "occupation_industries",
    "occupations_by_skills",
    "rank_core_skills",
    "resolve_area",
    "resolve_industry",
    "resolve_skill",
    "skill_occupations",
    "skills_had",
    "sources_of",
    "transition_weights",
    "tree_children",
]


def skills_had(profile: Mapping[str, SkillScore]) -> dict[str, SkillScore]:
    """The rule for what an occupation "has": :func:`important_skills`, plus any technology."""
    had = important_skills(dict(profile))
    had.update({k: v for k, v in profile.items() if v.descriptor.kind == "technology"})
    return had


def has_skills(career: CareerGraph, occupation: Occupation) -> Mapping[str, SkillScore]:
    """The descriptors an occupation "has" (see :func:`skills_had`), prepared at load.

    >>> from graphql_api.graph.tiny import tiny_career
    >>> career = tiny_career()
    >>> sorted(s.descriptor.name for s in has_skills(career, career.by_code["15-1252.00"]).values())
    ['Programming', 'Reading Comprehension']
    """
    return career.indexes.has.get(occupation.code, {})


def skill_occupations(
    career: CareerGraph, descriptor: Descriptor
) -> list[tuple[Occupation, SkillScore]]:
    """Occupations that need a descriptor, most first (by 0-100 score, then level, then code).

    The list is read off the graph's ``requires`` edges at load.
    """
    return list(career.indexes.skill_occupations.get(descriptor.id, ()))


def resolve_skill(career: CareerGraph, identifier: str) -> Descriptor | None:
    """Resolve a descriptor id (``onet:2.A.1.a``, ``tech:...``), element id or name."""
    raw = identifier.strip()
    if not raw:
        return None
    for candidate in (raw, f"onet:{raw}", f"tech:{raw}"):
        if candidate in career.descriptors:
            return career.descriptors[candidate]
    wanted = normalize(raw)
    named = [d for d in career.descriptors.values() if normalize(d.name) == wanted]
    if named:
        # A name shared by a rated descriptor and a technology resolves to the rated one.
        return min(named, key=lambda d: (d.kind == "technology", d.id))
    return None


def skill_suggestions(career: CareerGraph, identifier: str, *, first: int = 5) -> list[str]:
    """Names of descriptors whose name contains any word of ``identifier``, shortest first."""
    words = [w for w in normalize(identifier).split() if len(w) > 2]
    if not words:
        return []
    found = [d for d in career.descriptors.values() if any(w in normalize(d.name) for w in words)]
    found.sort(key=lambda d: (d.kind == "technology", len(d.name), d.id))
    return [d.name for d in found[:first]]


@dataclass(frozen=True, slots=True)
class SkillCoverage:
    """How many of the asked-for skills an occupation has."""

    occupation: Occupation
    coverage: float
    matched: tuple[SkillScore, ...]
    missing: tuple[Descriptor, ...]


def occupations_by_skills(
    career: CareerGraph, descriptors: Sequence[Descriptor], *, min_coverage: float = 0.5
) -> list[SkillCoverage]:
    """Occupations having at least ``min_coverage`` of ``descriptors``, best covered first.

    Ties on coverage break by the mean score of the matched skills, then by code.
    """
    if not descriptors:
        return []
    out: list[SkillCoverage] = []
    for occupation in career.occupations:
        had = has_skills(career, occupation)
        matched = tuple(had[d.id] for d in descriptors if d.id in had)
        coverage = len(matched) / len(descriptors)
        if not matched or coverage < min_coverage:
            continue
        missing = tuple(d for d in descriptors if d.id not in had)
        out.append(SkillCoverage(occupation, round(coverage, 4), matched, missing))
    out.sort(
        key=lambda c: (
            -c.coverage,
            -sum(s.score for s in c.matched) / len(c.matched),
            c.occupation.code,
        )
    )
    return out


@dataclass(frozen=True, slots=True)
class OccupationFigures:
    """An occupation's OEWS figures in one area and industry."""

    occupation: Occupation
    facts: CellFacts


def occupation_for_soc(career: CareerGraph, soc: str) -> Occupation | None:
    """The graph occupation an OEWS occupation code stands for (its own figures, lowest code)."""
    return career.indexes.occupation_for_soc.get(soc)


def _cells(career: CareerGraph, *, area: str, industry: str, sort: str) -> list[OccupationFigures]:
    facts = career.oews
    area_index = facts.area_index.get(area)
    industry_index = facts.industry_index.get(industry)
    if area_index is None or industry_index is None:
        return []
    mask = (facts.area_of(np.arange(len(facts.keys))) == area_index) & (
        facts.industry_of(np.arange(len(facts.keys))) == industry_index
    )
    out: list[OccupationFigures] = []
    for column in np.nonzero(mask)[0]:
        soc = facts.occupation_codes[int(facts.keys[column] >> 32)]
        occupation = occupation_for_soc(career, soc)
        if occupation is None:
            continue
        figures = cell_facts(career, soc, area=area, industry=industry)
        if figures is not None:
            out.append(OccupationFigures(occupation, figures))

    def key(row: OccupationFigures) -> tuple[float, str]:
        value = row.facts.get(sort)
        return (-(value if value is not None else -math.inf), row.occupation.code)

    out.sort(key=key)
    return out


def industry_occupations(
    career: CareerGraph, industry: Industry, *, area: str = NATIONAL, sort: str = "employment"
) -> list[OccupationFigures]:
    """Occupations BLS publishes for an industry (nationally), largest ``sort`` figure first."""
    return _cells(career, area=area, industry=industry.code, sort=sort)


def area_occupations(
    career: CareerGraph, area: Area, *, sort: str = "employment"
) -> list[OccupationFigures]:
    """Occupations BLS publishes for an area (all industries), largest ``sort`` figure first."""
    return _cells(career, area=area.code, industry=ALL_INDUSTRIES, sort=sort)


def occupation_industries(
    career: CareerGraph, occupation: Occupation, *, levels: frozenset[int] = frozenset({4})
) -> list[tuple[Industry, CellFacts, float | None]]:
    """The industries employing an occupation nationally: (industry, figures, share of its jobs).

    Largest employment first; ``levels`` are OEWS industry display levels (2 sector, 3
    subsector, 4 industry group, 5 industry).
    """
    if occupation.pay_soc is None:
        return []
    facts = career.oews
    columns = facts.occupation_columns(occupation.pay_soc)
    national = facts.area_index.get(NATIONAL)
    total_cell = cell_facts(career, occupation.pay_soc)
    total = total_cell.get("employment") if total_cell else None
    out: list[tuple[Industry, CellFacts, float | None]] = []
    for column in columns[facts.area_of(columns) == national]:
        code = facts.industry_codes[int((facts.keys[column] >> 16) & 0xFFFF)]
        industry = career.industries[code]
        if code == ALL_INDUSTRIES or industry.level not in levels or industry.ownership_view:
            continue
        figures = cell_facts(career, occupation.pay_soc, industry=code)
        if figures is None:
            continue
        jobs = figures.get("employment")
        share = round(jobs / total, 4) if jobs is not None and total else None
        out.append((industry, figures, share))
    out.sort(key=lambda r: (-(r[1].get("employment") or -1.0), r[0].code))
    return out


def _lookup(entries: Iterable[tuple[str, str]], identifier: str) -> str | None:
    wanted = normalize(identifier)
    for code, name in entries:
        if code == identifier.strip() or normalize(name) == wanted:
            return code
    return None


def resolve_area(career: CareerGraph, identifier: str) -> Area | None:
    """Resolve an OEWS area code (``0000000``, ``0600000``), ``national`` or a place name."""
    raw = identifier.strip()
    if raw.lower() in ("", "national", "us", "u.s.", "united states"):
        return career.areas.get(NATIONAL)
    code = _lookup(((a.code, a.name) for a in career.areas.values()), raw)
    return career.areas.get(code) if code else None


def resolve_industry(career: CareerGraph, identifier: str) -> Industry | None:
    """Resolve an OEWS industry code (``622000``, ``11--12``) or industry name."""
    code = _lookup(((i.code, i.name) for i in career.industries.values()), identifier)
    return career.industries.get(code) if code else None


def group_path(career: CareerGraph, occupation: Occupation) -> list[Group]:
    """The SOC groups above an occupation, major group first."""
    path: list[Group] = []
    code = occupation.group
    while code is not None and code in career.groups:
        group = career.groups[code]
        path.append(group)
        code = group.parent
    return path[::-1]


def _parts(career: CareerGraph, node: str) -> list[str]:
    """The nodes one ``part_of`` edge below ``node`` in the graph (children in the tree)."""
    return [
        child for child, _, kind in career.graph.in_edges(node, data="kind") if kind == "part_of"
    ]


def tree_children(career: CareerGraph, kind: str, code: str) -> list[str]:
    """Codes of the groups (or industries) one level below a group (or industry), in code order.

    >>> from graphql_api.graph.tiny import tiny_career
    >>> tree_children(tiny_career(), "industry", "000000")
    ['622000']
    """
    prefix = f"{kind}:"
    return sorted(
        child.removeprefix(prefix)
        for child in _parts(career, node_id(kind, code))
        if child.startswith(prefix)
    )


def group_occupations(career: CareerGraph, group: Group) -> list[Occupation]:
    """Every occupation within a SOC group (at any depth), in code order: a walk down the tree.

    >>> from graphql_api.graph.tiny import tiny_career
    >>> career = tiny_career()
    >>> [o.code for o in group_occupations(career, career.groups["29-0000"])]
    ['29-1141.00', '29-2061.00']
    """
    found: list[Occupation] = []
    stack = [node_id("group", group.code)]
    while stack:
        for child in _parts(career, stack.pop()):
            if child.startswith("group:"):
                stack.append(child)
            else:
                found.append(career.by_code[child.partition(":")[2]])
    return sorted(found, key=lambda o: o.code)


@dataclass(frozen=True, slots=True)
class CoreSkill:
    """A descriptor's weight in career transitions."""

    descriptor: Descriptor
    score: float
    transitions: int
    occupations: int


# Each occupation's strongest viable neighbours form the transition edges core skills are read
# from; the same sparsity idea as the career-path graph in graph/related.py.
_CORE_NEIGHBOURS = 10


def core_skills(career: CareerGraph, *, kind: str | None = None) -> list[CoreSkill]:
    """Rank descriptors by how much career transitions run through them (prepared at load).

    Transition edges join each occupation to its ten most similar occupations with composite
    similarity >= 0.30 (the viability threshold of :class:`RelatedFilter`). A descriptor's raw
    score is the weighted degree of the skill in those edges: the sum, over edges whose two
    ends both have the descriptor, of the edge's similarity. Scores are scaled to 0-100 (the top
    descriptor is 100). Technology is left out unless ``kind="technology"`` asks for it.
    """
    prepared = career.indexes.core_skills.get(kind)
    if prepared is not None:
        return list(prepared)
    return rank_core_skills(career, transition_weights(career), kind=kind)


@dataclass(frozen=True, slots=True)
class TransitionWeights:
    """Per descriptor: summed similarity and count of transition edges both ends have it on."""

    weight: Mapping[str, float]
    count: Mapping[str, int]
    holders: Mapping[str, int]


def transition_weights(career: CareerGraph) -> TransitionWeights:
    """The weighted degree of every descriptor over the transition edges (see core_skills)."""
    scores = similarity_model(career).composite()
    floor = DEFAULT_FILTER.min_score or 0.0
    weight: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    holders: dict[str, int] = defaultdict(int)
    had = [set(has_skills(career, o)) for o in career.occupations]
    for skills in had:
        for skill in skills:
            holders[skill] += 1
    for occupation in career.occupations:
        row = np.nan_to_num(scores[occupation.index], nan=-1.0)
        row[occupation.index] = -1.0
        for other in np.argsort(-row, kind="stable")[:_CORE_NEIGHBOURS]:
            similarity = float(row[other])
            if similarity < floor:
                break
            for skill in had[occupation.index] & had[int(other)]:
                weight[skill] += similarity
                count[skill] += 1
    return TransitionWeights(dict(weight), dict(count), dict(holders))


def rank_core_skills(
    career: CareerGraph, weights: TransitionWeights, *, kind: str | None = None
) -> list[CoreSkill]:
    """Scale and rank :func:`transition_weights` for one descriptor kind (None: all but tech)."""

    def wanted(descriptor: Descriptor) -> bool:
        if kind is None:
            return descriptor.kind != "technology"
        return descriptor.kind == kind

    chosen = {k: w for k, w in weights.weight.items() if wanted(career.descriptors[k])}
    top = max(chosen.values(), default=0.0)
    out = [
        CoreSkill(
            career.descriptors[k],
            round(100.0 * w / top, 2),
            weights.count[k],
            weights.holders[k],
        )
        for k, w in chosen.items()
        if top > 0
    ]
    out.sort(key=lambda c: (-c.score, c.descriptor.id))
    return out


def count_related(
    career: CareerGraph,
    occupation: Occupation,
    *,
    scores: Sequence[float] | npt.NDArray[np.float64],
    method: str,
    min_score: float | None,
    max_job_zone_increase: int | None,
    min_wage_ratio: float | None,
    major_group: str,
) -> int:
    """How many candidates :func:`related_careers` keeps under a filter, without explanations.

    ``scores`` is the occupation's row of the method's score matrix.
    """
    columns = career.indexes.occupation_columns
    if method == "onet":
        # O*NET's own list is the candidate set; the filter's other rules apply as below.
        keep = np.zeros(len(career.occupations), dtype=np.bool_)
        listed = [
            career.by_code[c].index
            for c, _, _ in career.related.get(occupation.code, ())
            if c in career.by_code
        ]
        keep[listed] = True
    else:
        row = np.asarray(scores, dtype=np.float64)
        keep = ~np.isnan(row)
        keep[occupation.index] = False
        if min_score is not None:
            keep &= row >= min_score
    if max_job_zone_increase is not None and occupation.job_zone is not None:
        # Comparisons with NaN (no Job Zone) are false: such candidates stay.
        keep &= ~(columns.job_zones - occupation.job_zone > max_job_zone_increase)
    base = wage_of(career, occupation)
    if min_wage_ratio is not None and base:
        keep &= ~(columns.wages / base < min_wage_ratio)
    if major_group in {"same", "other"}:
        same = columns.major_groups == occupation.major_group
        keep &= same if major_group == "same" else ~same
    return int(np.count_nonzero(keep))


def _onet_file_covers(career: CareerGraph, occupation: Occupation, file: str) -> bool:
    """Whether an O*NET release file has rows for this occupation."""
    requirements = career.requirements.get(occupation.code, ())
    covers = {
        "Occupation Data.txt": occupation.onet,
        "Task Statements.txt": bool(occupation.tasks),
        "Alternate Titles.txt": bool(occupation.alternate_titles),
        "Sample of Reported Titles.txt": bool(occupation.reported_titles),
        "Skills.txt": any(r.importance is not None for r in requirements),
        "Technology Skills.txt": any(r.source.endswith("technology skills") for r in requirements),
        "Job Zones.txt": occupation.job_zone is not None,
        "Education, Training, and Experience.txt": occupation.code in career.education,
        "Interests.txt": occupation.code in career.interests,
        "Related Occupations.txt": occupation.code in career.related,
    }
    return covers.get(file, False)


def sources_of(career: CareerGraph, occupation: Occupation) -> tuple[Source, ...]:
    """The release files whose figures this occupation's profile shows, as the manifest names them.

    OEWS when the occupation has pay figures; each O*NET file that has rows for it; the BLS
    projections and CPS tables when its outlook or demographics come from them.
    """
    outlook_parts = {
        "Employment Projections": occupation.code in career.outlook_tables.get("projections", {}),
        "Current Population Survey": occupation.code
        in career.outlook_tables.get("demographics", {}),
    }
    out: list[Source] = []
    for source in career.sources:
        file = source.name.rpartition("/")[2]
        if "OEWS" in source.kind:
            keep = occupation.pay_soc is not None
        elif "O*NET" in source.kind:
            keep = _onet_file_covers(career, occupation, file)
        else:
            keep = any(part in source.kind and found for part, found in outlook_parts.items())
        if keep:
            out.append(source)
    return tuple(out)
