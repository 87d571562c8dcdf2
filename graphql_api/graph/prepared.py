"""What a loaded graph prepares before it serves: typed, immutable indexes over the model.

Every query that would otherwise build an index on its first call (and make the first user of a
worker pay for it) reads it from here; :func:`prepare` runs once at load, before ``/readyz``.

>>> from graphql_api.graph.tiny import tiny_career
>>> career = tiny_career()
>>> [o.code for o, _ in career.indexes.skill_occupations["onet:2.B.3.e"]][:1]
['15-1252.00']
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from graphql_api.graph.model import CareerGraph, Occupation, node_id

if TYPE_CHECKING:
    import networkx as nx

    from graphql_api.graph.facts import CellFacts, Ranking
    from graphql_api.graph.lookups import CoreSkill
    from graphql_api.graph.related import SkillScore
    from graphql_api.graph.search import SearchIndex
    from graphql_api.graph.similarity import SimilarityModel

__all__ = ["Indexes", "OccupationColumns", "prepare"]


@dataclass(frozen=True)
class OccupationColumns:
    """Per-occupation figures as arrays (by occupation index), for filters over every candidate.

    Missing values are NaN (no Job Zone; no published wage), so comparisons with them are false.
    """

    wages: npt.NDArray[np.float64]
    job_zones: npt.NDArray[np.float64]
    major_groups: npt.NDArray[np.str_]

    @staticmethod
    def of(career: CareerGraph, wages: Sequence[float | None]) -> OccupationColumns:
        return OccupationColumns(
            wages=np.array([w if w else np.nan for w in wages], dtype=np.float64),
            job_zones=np.array(
                [np.nan if o.job_zone is None else o.job_zone for o in career.occupations],
                dtype=np.float64,
            ),
            major_groups=np.array([o.major_group for o in career.occupations], dtype=np.str_),
        )


@dataclass(frozen=True)
class Indexes:
    """Indexes computed once per loaded graph."""

    # Per occupation code: every descriptor with its 0-100 score, and the ones it "has".
    profiles: Mapping[str, Mapping[str, SkillScore]]
    has: Mapping[str, Mapping[str, SkillScore]]
    # Per occupation code: its descriptors but technology, O*NET-rated first, highest score first
    # (the order of ``Occupation.skills``).
    ranked_skills: Mapping[str, tuple[SkillScore, ...]]
    # Per descriptor id: the occupations requiring it (read off the graph's requires edges),
    # strongest first.
    skill_occupations: Mapping[str, tuple[tuple[Occupation, SkillScore], ...]]
    # The graph occupation that shows an OEWS code's own figures.
    occupation_for_soc: Mapping[str, Occupation]
    # core_skills() for kind None (all but technology) and "technology".
    core_skills: Mapping[str | None, tuple[CoreSkill, ...]]
    # Per occupation code: its national, all-industry OEWS figures (absent where unpublished).
    national_facts: Mapping[str, CellFacts]
    # Per (OEWS code, "state" | "metro" | "industry"): the default top-paying ranking.
    rankings: Mapping[tuple[str, str], Ranking]
    # Per occupation (by index): the national annual median wage (mean where no median).
    national_wages: tuple[float | None, ...]
    # The same wages, Job Zones and SOC major groups as arrays.
    occupation_columns: OccupationColumns
    # The component similarities and the ranker's score of every move, with each row ranked.
    similarity: SimilarityModel
    # The viable moves career paths walk.
    transition_graph: nx.DiGraph
    # The title and text search index (search, resolve, occupation(id:)).
    search: SearchIndex
    # Seconds spent preparing, per index (reported by the load benchmark).
    timings: Mapping[str, float]


def _occupations_requiring(
    career: CareerGraph, profiles: Mapping[str, Mapping[str, SkillScore]]
) -> dict[str, tuple[tuple[Occupation, SkillScore], ...]]:
    graph = career.graph
    out: dict[str, tuple[tuple[Occupation, SkillScore], ...]] = {}
    for descriptor in career.descriptors:
        node = node_id("skill", descriptor)
        if node not in graph:
            continue
        entries = []
        for occupation_node in graph.predecessors(node):
            occupation = career.by_code.get(occupation_node.partition(":")[2])
            score = profiles.get(occupation.code, {}).get(descriptor) if occupation else None
            if occupation is not None and score is not None:
                entries.append((occupation, score))
        entries.sort(key=lambda e: (-e[1].score, -(e[1].level or 0.0), e[0].code))
        out[descriptor] = tuple(entries)
    return out


def prepare(career: CareerGraph) -> CareerGraph:
    """Return ``career`` with its indexes computed (the same object: the model itself is frozen)."""
    from graphql_api.graph import lookups  # noqa: PLC0415 - lookups imports this module's users
    from graphql_api.graph.facts import default_rankings, national_facts  # noqa: PLC0415
    from graphql_api.graph.related import (  # noqa: PLC0415
        build_transition_graph,
        national_wages,
        skill_profile,
        skills_order,
    )
    from graphql_api.graph.similarity import build_similarity_model  # noqa: PLC0415

    timings: dict[str, float] = {}
    start = time.perf_counter()
    rankings = default_rankings(career)
    national = national_facts(career)
    timings["rankings"] = time.perf_counter() - start
    start = time.perf_counter()
    wages = national_wages(career, national)
    timings["national_wages"] = time.perf_counter() - start
    start = time.perf_counter()
    similarity = build_similarity_model(career, wages)
    timings["similarity"] = time.perf_counter() - start
    start = time.perf_counter()
    transitions = build_transition_graph(career, similarity, wages)
    timings["transition_graph"] = time.perf_counter() - start

    start = time.perf_counter()
    profiles = {o.code: MappingProxyType(skill_profile(career, o)) for o in career.occupations}
    has = {
        o.code: MappingProxyType(lookups.skills_had(profiles[o.code])) for o in career.occupations
    }
    ranked = {
        code: tuple(
            sorted(
                (s for s in profile.values() if s.descriptor.kind != "technology"),
                key=skills_order,
            )
        )
        for code, profile in profiles.items()
    }
    timings["profiles"] = time.perf_counter() - start

    start = time.perf_counter()
    skill_occupations = _occupations_requiring(career, profiles)
    timings["skill_occupations"] = time.perf_counter() - start

    by_soc: dict[str, Occupation] = {}
    for occupation in career.occupations:
        if occupation.pay_soc and occupation.pay_basis == "direct":
            current = by_soc.get(occupation.pay_soc)
            if current is None or occupation.code < current.code:
                by_soc[occupation.pay_soc] = occupation

    from graphql_api.graph.search import (  # noqa: PLC0415
        index_names,
        index_occupations,
        national_employment,
        occupation_kinship,
    )

    start = time.perf_counter()
    names = index_names(career.occupations)
    stored = career.title_reading
    # The builder's reading, when it read these very names (else they are read here).
    reading = stored[0] if stored is not None and stored[1] == names.digest() else None
    fitted = career.title_ranker
    # The builder's re-ranker, when it was fitted on these very names.
    ranker = fitted[0] if fitted is not None and fitted[1] == names.digest() else None
    search = index_occupations(
        career.occupations,
        national_employment(career, national),
        reading,
        names,
        ranker,
        kinship=occupation_kinship(career),
    )
    timings["search_index"] = time.perf_counter() - start

    partial = Indexes(
        profiles=MappingProxyType(profiles),
        has=MappingProxyType(has),
        ranked_skills=MappingProxyType(ranked),
        skill_occupations=MappingProxyType(skill_occupations),
        occupation_for_soc=MappingProxyType(by_soc),
        core_skills=MappingProxyType({}),
        national_facts=MappingProxyType(national),
        rankings=MappingProxyType(dict(rankings)),
        national_wages=wages,
        occupation_columns=OccupationColumns.of(career, wages),
        similarity=similarity,
        transition_graph=transitions,
        search=search,
        timings=MappingProxyType(timings),
    )
    object.__setattr__(career, "_indexes", partial)
    start = time.perf_counter()
    weights = lookups.transition_weights(career)
    core: dict[str | None, tuple[CoreSkill, ...]] = defaultdict(tuple)
    for kind in (None, "technology"):
        core[kind] = tuple(lookups.rank_core_skills(career, weights, kind=kind))
    timings["core_skills"] = time.perf_counter() - start
    object.__setattr__(
        career,
        "_indexes",
        dataclasses.replace(
            partial, core_skills=MappingProxyType(dict(core)), timings=MappingProxyType(timings)
        ),
    )
    return career
