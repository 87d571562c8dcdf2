"""The per-request context: the loaded career graph and typed DataLoaders over it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from graphql_api.graph.facts import CellFacts, occupation_facts
from graphql_api.graph.loaded import LoadedSnapshot
from graphql_api.graph.loaded import SnapshotSettings as Settings
from graphql_api.graph.model import CareerGraph, load_graph
from graphql_api.graph.related import wage_of

__all__ = [
    "Context",
    "DataLoaders",
    "FactsKey",
    "build_context",
    "load_snapshot",
    "snapshot_version",
]

# (occupation code, OEWS area code, OEWS industry code)
FactsKey = tuple[str, str, str]


@dataclass
class DataLoaders:
    """Batching loaders for facts a list fans out over (e.g. wages of 100 related careers).

    ``facts`` loads an occupation's OEWS cell in an area and industry; ``wage`` its national
    median (or mean) annual wage. Each batch is one pass over the columnar facts.
    """

    facts: DataLoader[FactsKey, CellFacts | None]
    wage: DataLoader[str, float | None]
    batches: list[str] = field(default_factory=list)


@dataclass
class Context:
    """What every resolver gets as ``info.context``."""

    career: CareerGraph
    loaders: DataLoaders


def _loaders(career: CareerGraph) -> DataLoaders:
    batches: list[str] = []

    async def load_facts(keys: Sequence[FactsKey]) -> list[CellFacts | None]:
        batches.append("facts")
        return [
            occupation_facts(career, career.by_code[code], area=area, industry=industry)
            if code in career.by_code
            else None
            for code, area, industry in keys
        ]

    async def load_wage(keys: Sequence[str]) -> list[float | None]:
        batches.append("wage")
        return [wage_of(career, career.by_code[k]) if k in career.by_code else None for k in keys]

    return DataLoaders(
        facts=DataLoader(load_fn=load_facts), wage=DataLoader(load_fn=load_wage), batches=batches
    )


def build_context(snapshot: LoadedSnapshot[CareerGraph], request: object = None) -> Context:
    """Build one request's context (the server calls this per request)."""
    return Context(career=snapshot.graph, loaders=_loaders(snapshot.graph))


def load_snapshot(settings: Settings) -> LoadedSnapshot[CareerGraph]:
    """Load the snapshot named in settings, or the embedded default in ``data/``."""
    # load_graph prepares every index before it returns, so /readyz says ready only then.
    career = load_graph(settings.snapshot)
    return LoadedSnapshot(version=snapshot_version(career), graph=career)


def snapshot_version(career: CareerGraph) -> str:
    """The manifest's version, else the first 12 hex digits of its content hash."""
    return career.dataset.version
