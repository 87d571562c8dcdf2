"""Related careers that explain themselves, skill profiles, and multi-step career paths."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np
import numpy.typing as npt

from graphql_api.graph.facts import CellFacts
from graphql_api.graph.model import CareerGraph, Descriptor, Occupation
from graphql_api.graph.similarity import (
    COMPONENTS,
    VIABLE_SCORE,
    SimilarityModel,
    similarity_model,
)

__all__ = [
    "DEFAULT_FILTER",
    "METHODS",
    "CareerPath",
    "PathStep",
    "RelatedCareer",
    "RelatedFilter",
    "SkillPair",
    "SkillScore",
    "build_transition_graph",
    "career_path",
    "important_skills",
    "move_label",
    "national_wages",
    "related_careers",
    "skill_pairs",
    "skill_profile",
    "transition_graph",
    "wage_of",
]

METHODS = ("composite", *COMPONENTS, "onet")
# O*NET rates importance on 1-5; O*NET OnLine treats 3.0 (50 on its 0-100 scale) and above as
# important, and so do we when deciding what counts as a skill an occupation "has".
IMPORTANT = 3.0
# Derived weights have no such scale: an occupation "has" its strongest derived descriptors.
# Eight, a quarter of the 33 knowledge areas, keeps "has" selective enough that shared and
# exclusive skills differ between occupations.
DERIVED_TOP = 8
# A viable move keeps at least 75% of earnings (the published transition threshold below).
KEEPS_EARNINGS = 0.75
# Pay within +/-5% counts as the same pay when labelling a move.
SAME_PAY_BAND = 0.05


@dataclass(frozen=True, slots=True)
class RelatedFilter:
    """Which candidate moves to keep. Defaults follow published transition research.

    A move is commonly treated as viable when combined similarity is at least 0.30, the Job Zone
    rises by at most one, and the worker keeps at least 75% of earnings (the thresholds used by
    the World Economic Forum / Burning Glass "Towards a Reskilling Revolution" transition
    pathways, 2018).
    """

    min_score: float | None = VIABLE_SCORE
    max_job_zone_increase: int | None = 1
    min_wage_ratio: float | None = KEEPS_EARNINGS
    major_group: str = "any"  # any | same | other


DEFAULT_FILTER = RelatedFilter()


@dataclass(frozen=True, slots=True)
class SkillScore:
    """One occupation's standing on a descriptor, on a 0-100 score and its native scale."""

    descriptor: Descriptor
    score: float
    importance: float | None
    level: float | None
    weight: float | None
    source: str
    hot: bool = False
    in_demand: bool = False


def skills_order(score: SkillScore) -> tuple[bool, float, float, str]:
    """Sort key of a skills list: O*NET-rated descriptors first (rated importance and derived
    weights are different scales), then highest score, highest level, id."""
    return (score.importance is None, -score.score, -(score.level or 0.0), score.descriptor.id)


@dataclass(frozen=True, slots=True)
class SkillPair:
    """A descriptor seen from two occupations."""

    descriptor: Descriptor
    a: SkillScore | None
    b: SkillScore | None

    @property
    def gap(self) -> float:
        return (self.b.score if self.b else 0.0) - (self.a.score if self.a else 0.0)


@dataclass(frozen=True)
class RelatedCareer:
    """A candidate move with the numbers behind it (shared skills and gaps worked out on use)."""

    source: Occupation
    occupation: Occupation
    method: str
    score: float
    percentile: float
    onet_tier: str | None
    onet_index: int | None
    wage_ratio: float | None
    job_zone_change: int | None
    label: str
    same_major_group: bool
    career: CareerGraph = field(repr=False, compare=False)
    explain: int = 5

    @cached_property
    def components(self) -> dict[str, float | None]:
        """Every similarity component of the move (worked out when read)."""
        values = similarity_model(self.career).components(self.source.index, self.occupation.index)
        return {k: (round(v, 4) if v is not None else None) for k, v in values.items()}

    @cached_property
    def _pairs(self) -> tuple[list[SkillPair], list[SkillPair], list[SkillPair], list[SkillPair]]:
        return skill_pairs(self.career, self.source, self.occupation)

    @property
    def shared_skills(self) -> tuple[SkillPair, ...]:
        return tuple(self._pairs[0][: self.explain])

    @property
    def skill_gaps(self) -> tuple[SkillPair, ...]:
        return tuple(self._pairs[3][: self.explain])


def skill_profile(
    career: CareerGraph, occupation: Occupation, *, kind: str | None = None
) -> dict[str, SkillScore]:
    """Return an occupation's descriptors with a 0-100 score (rated importance or derived weight).

    Per descriptor kind, O*NET ratings win: a kind the occupation has ratings for (e.g. skills in
    a full snapshot) leaves the derived layer's descriptors of that kind out, while a kind the
    release does not rate (knowledge, when Knowledge.txt is absent) keeps its derived ones.
    """
    out: dict[str, SkillScore] = {}
    requirements = career.requirements.get(occupation.code, ())
    descriptors = career.descriptors
    known = [(r, d) for r in requirements if (d := descriptors.get(r.descriptor)) is not None]
    rated_kinds = {d.kind for r, d in known if r.importance is not None}
    for requirement, descriptor in known:
        if kind is not None and descriptor.kind != kind:
            continue
        importance = requirement.importance
        if importance is not None:
            score = (importance - 1.0) / 4.0 * 100.0
        elif descriptor.kind in rated_kinds:
            continue
        elif requirement.weight is not None:
            score = requirement.weight * 100.0
        elif descriptor.kind == "technology":
            score = 100.0 if requirement.hot else 50.0
        else:
            continue
        out[descriptor.id] = SkillScore(
            descriptor,
            round(score, 1),
            importance,
            requirement.level,
            requirement.weight,
            requirement.source,
            requirement.hot,
            requirement.in_demand,
        )
    return out


def important_skills(profile: dict[str, SkillScore]) -> dict[str, SkillScore]:
    """The descriptors an occupation "has": rated ones at importance >= 3, plus its strongest
    derived ones (of the kinds it has no ratings for)."""
    rated = {
        k: v for k, v in profile.items() if v.importance is not None and v.importance >= IMPORTANT
    }
    derived = sorted(
        (v for v in profile.values() if v.weight is not None),
        key=lambda v: (-v.score, v.descriptor.id),
    )
    return rated | {v.descriptor.id: v for v in derived[:DERIVED_TOP]}


def skill_pairs(
    career: CareerGraph, a: Occupation, b: Occupation
) -> tuple[list[SkillPair], list[SkillPair], list[SkillPair], list[SkillPair]]:
    """Return (shared, only in a, only in b, gaps from a to b) for two occupations.

    Shared skills are those both occupations have, strongest-in-common first; a gap is a
    descriptor where b scores higher than a, largest first.
    """
    # The profiles and "has" sets prepared at load; technology is compared elsewhere.
    indexes = career.indexes
    profile_a = indexes.profiles.get(a.code, {})
    profile_b = indexes.profiles.get(b.code, {})
    has_a = {
        k: v for k, v in indexes.has.get(a.code, {}).items() if v.descriptor.kind != "technology"
    }
    has_b = {
        k: v for k, v in indexes.has.get(b.code, {}).items() if v.descriptor.kind != "technology"
    }
    shared = [
        SkillPair(career.descriptors[k], profile_a.get(k), profile_b.get(k))
        for k in has_a.keys() & has_b.keys()
    ]
    shared.sort(
        key=lambda p: (-min(p.a.score if p.a else 0, p.b.score if p.b else 0), p.descriptor.id)
    )
    only_a = [
        SkillPair(career.descriptors[k], v, profile_b.get(k))
        for k, v in has_a.items()
        if k not in has_b
    ]
    only_a.sort(key=lambda p: (-(p.a.score if p.a else 0), p.descriptor.id))
    only_b = [
        SkillPair(career.descriptors[k], profile_a.get(k), v)
        for k, v in has_b.items()
        if k not in has_a
    ]
    only_b.sort(key=lambda p: (-(p.b.score if p.b else 0), p.descriptor.id))
    gaps = [
        SkillPair(career.descriptors[k], profile_a.get(k), v)
        for k, v in has_b.items()
        if v.score > (profile_a[k].score if k in profile_a else 0.0)
    ]
    gaps.sort(key=lambda p: (-p.gap, p.descriptor.id))
    return shared, only_a, only_b, gaps


def national_wages(
    career: CareerGraph, national: Mapping[str, CellFacts]
) -> tuple[float | None, ...]:
    """Every occupation's national annual median wage (the mean where no median is published),
    from each occupation's national figures (``national_facts``)."""
    wages: list[float | None] = []
    for each in career.occupations:
        facts = national.get(each.code)
        value = None if facts is None else facts.get("annual_median") or facts.get("annual_mean")
        wages.append(value if isinstance(value, float) else None)
    return tuple(wages)


def wage_of(career: CareerGraph, occupation: Occupation) -> float | None:
    """Return the national annual median wage (or mean where the median is not published)."""
    return career.indexes.national_wages[occupation.index]


def move_label(wage_ratio: float | None, same_major_group: bool) -> str:
    """Label a move by pay and SOC major group.

    >>> move_label(1.2, True), move_label(1.2, False), move_label(1.0, True), move_label(0.9, False)
    ('advancement', 'lateral advancement', 'similar', 'lateral transition')
    """
    higher = wage_ratio is not None and wage_ratio >= 1.0 + SAME_PAY_BAND
    if higher:
        return "advancement" if same_major_group else "lateral advancement"
    return "similar" if same_major_group else "lateral transition"


def _ranked(
    career: CareerGraph, index: int, method: str, weights: dict[str, float] | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int16] | npt.NDArray[np.intp], int]:
    """A method's scores for one occupation, its candidates best first, and how many scored."""
    model = similarity_model(career)
    if method in ("composite", "onet") and weights is None:
        return model.scores[index], model.order[index], int(model.scored[index])
    if method in ("composite", "onet"):
        row = model.composite_row(index, weights)
    else:
        row = model.matrices[method][index].astype(np.float64)
        row[index] = np.nan
    order = np.argsort(-np.nan_to_num(row, nan=-np.inf), kind="stable")
    return row, order, int((~np.isnan(row)).sum())


def related_careers(
    career: CareerGraph,
    occupation: Occupation,
    *,
    method: str = "composite",
    weights: dict[str, float] | None = None,
    where: RelatedFilter = DEFAULT_FILTER,
    first: int = 10,
    explain: int = 5,
) -> list[RelatedCareer]:
    """Rank the occupations a worker in ``occupation`` could move to, with the reasons.

    ``method`` picks the score: the ranker's ``composite`` (or, with ``weights``, a weighted
    mean of the components), one component alone, or ``onet`` (O*NET's own related list, in
    O*NET's order, still explained by our component scores).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if weights is not None:
        unknown = set(weights) - set(COMPONENTS)
        if (
            unknown
            or any(w < 0 or math.isnan(w) for w in weights.values())
            or sum(weights.values()) <= 0
        ):
            raise ValueError(
                f"weights must be non-negative numbers for {', '.join(COMPONENTS)}, not all zero"
            )
    row, order, scored = _ranked(career, occupation.index, method, weights)
    onet = {other: (tier, rank) for other, tier, rank in career.related.get(occupation.code, ())}
    candidates: Iterable[tuple[int, int]]
    if method == "onet":
        listed = [career.by_code[c].index for c in onet if c in career.by_code]
        positions = {int(i): r for r, i in enumerate(order[:scored])}
        candidates = sorted(
            ((i, positions.get(i, scored)) for i in listed),
            key=lambda item: onet[career.occupations[item[0]].code][1],
        )
    else:
        # Walked lazily: a filter rarely needs more than a few dozen of the ~1,000 candidates.
        candidates = ((int(i), r) for r, i in enumerate(order[:scored]))
    base_wage = wage_of(career, occupation)
    out: list[RelatedCareer] = []
    for index, rank in candidates:
        score = float(row[index])
        if where.min_score is not None and method != "onet" and score < where.min_score:
            break
        other = career.occupations[index]
        zone_change = (
            other.job_zone - occupation.job_zone
            if other.job_zone is not None and occupation.job_zone is not None
            else None
        )
        if (
            where.max_job_zone_increase is not None
            and zone_change is not None
            and zone_change > where.max_job_zone_increase
        ):
            continue
        other_wage = wage_of(career, other)
        ratio = other_wage / base_wage if other_wage and base_wage else None
        if where.min_wage_ratio is not None and ratio is not None and ratio < where.min_wage_ratio:
            continue
        same = other.major_group == occupation.major_group
        if where.major_group == "same" and not same:
            continue
        if where.major_group == "other" and same:
            continue
        tier, onet_rank = onet.get(other.code, (None, None))
        out.append(
            RelatedCareer(
                source=occupation,
                occupation=other,
                method=method,
                score=round(score, 4) if not math.isnan(score) else float("nan"),
                percentile=round(100.0 * max(scored - rank - 1, 0) / max(scored, 1), 1),
                onet_tier=tier,
                onet_index=onet_rank,
                wage_ratio=round(ratio, 4) if ratio is not None else None,
                job_zone_change=zone_change,
                label=move_label(ratio, same),
                same_major_group=same,
                career=career,
                explain=explain,
            )
        )
        if len(out) >= first:
            break
    return out


@dataclass(frozen=True, slots=True)
class PathStep:
    """One move along a career path."""

    source: Occupation
    target: Occupation
    score: float
    wage_ratio: float | None
    skill_gaps: tuple[SkillPair, ...]


@dataclass(frozen=True, slots=True)
class CareerPath:
    """A sequence of moves from one occupation to another."""

    steps: tuple[PathStep, ...]
    total_score: float = field(default=0.0)


# Each occupation links to its strongest few neighbours in the transition graph; enough to
# find paths, sparse enough that paths mean "each step is a real move".
_TRANSITION_NEIGHBOURS = 20
# How many cheapest simple paths are looked at for ones within the step bound.
_PATHS_EXAMINED = 50


def build_transition_graph(
    career: CareerGraph, model: SimilarityModel, wages: Sequence[float | None]
) -> nx.DiGraph:
    """The graph of viable moves career paths walk: each occupation's strongest viable moves."""
    scores = model.composite()
    graph = nx.DiGraph()
    for occupation in career.occupations:
        row = scores[occupation.index]
        kept = 0
        for i in model.order[occupation.index][: model.scored[occupation.index]]:
            score = float(row[i])
            if math.isnan(score) or score < VIABLE_SCORE:
                break
            other = career.occupations[int(i)]
            if occupation.job_zone and other.job_zone and other.job_zone - occupation.job_zone > 1:
                continue
            base, target = wages[occupation.index], wages[int(i)]
            if base and target and target / base < KEEPS_EARNINGS:
                continue
            graph.add_edge(occupation.index, int(i), weight=1.0 - score, score=score)
            kept += 1
            if kept >= _TRANSITION_NEIGHBOURS:
                break
    return graph


def transition_graph(career: CareerGraph) -> nx.DiGraph:
    """The graph of viable moves career paths walk (prepared at load)."""
    return career.indexes.transition_graph


def career_path(
    career: CareerGraph,
    source: Occupation,
    target: Occupation,
    *,
    max_steps: int = 4,
    first: int = 3,
) -> list[CareerPath]:
    """Return up to ``first`` best paths of at most ``max_steps`` viable moves from source to target.

    Moves are edges of the transition graph (each occupation's strongest viable related careers);
    a path's cost is the sum of (1 - score) over its steps, so fewer, closer moves win.
    """
    graph = transition_graph(career)
    if source.index not in graph or target.index not in graph or source.index == target.index:
        return []
    # Only occupations on some path of at most max_steps moves can matter: keep those (hop
    # distance from the source plus hop distance to the target within the bound), so the
    # k-shortest-paths search never wanders through long detours.
    ahead = nx.single_source_shortest_path_length(graph, source.index, cutoff=max_steps)
    if target.index not in ahead:
        return []
    behind = nx.single_source_shortest_path_length(
        graph.reverse(copy=False), target.index, cutoff=max_steps
    )
    within = [n for n, d in ahead.items() if n in behind and d + behind[n] <= max_steps]
    corridor = graph.subgraph(within)
    paths: list[CareerPath] = []
    try:
        generator = nx.shortest_simple_paths(corridor, source.index, target.index, weight="weight")
        for nodes in itertools.islice(generator, _PATHS_EXAMINED):
            if len(nodes) - 1 > max_steps:
                continue
            steps = []
            for u, v in itertools.pairwise(nodes):
                a, b = career.occupations[u], career.occupations[v]
                wa, wb = wage_of(career, a), wage_of(career, b)
                _, _, _, gaps = skill_pairs(career, a, b)
                steps.append(
                    PathStep(
                        a,
                        b,
                        round(graph.edges[u, v]["score"], 4),
                        round(wb / wa, 4) if wa and wb else None,
                        tuple(gaps[:3]),
                    )
                )
            total = sum(s.score for s in steps) / len(steps)
            paths.append(CareerPath(tuple(steps), round(total, 4)))
            if len(paths) >= first:
                break
    except nx.NetworkXNoPath:
        return []
    return paths
