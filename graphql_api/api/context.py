"""The per-request context: the loaded career graph and a per-request memo of OEWS cells."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql_api.graph.facts import CellFacts, occupation_facts
from graphql_api.graph.loaded import LoadedSnapshot
from graphql_api.graph.loaded import SnapshotSettings as Settings
from graphql_api.graph.model import CareerGraph, load_graph

__all__ = [
    "Context",
    "FactsKey",
    "build_context",
    "load_snapshot",
    "snapshot_version",
]

# (occupation code, OEWS area code, OEWS industry code)
FactsKey = tuple[str, str, str]


@dataclass
class Context:
    """What every resolver gets as ``info.context``.

    ``facts`` gives an occupation's OEWS cell, each computed at most once per request (a page's
    wages and employment read the same cell). National cells are prepared at load, so the
    resolvers that read them stay synchronous: no DataLoader round trip through the event loop.
    """

    career: CareerGraph
    _facts: dict[FactsKey, CellFacts | None] = field(default_factory=dict, repr=False)

    @property
    def computed(self) -> int:
        """How many cells this request has computed (each key once)."""
        return len(self._facts)

    def facts(self, key: FactsKey) -> CellFacts | None:
        """The OEWS cell of (occupation code, area code, industry code), None when unpublished."""
        if key in self._facts:
            return self._facts[key]
        code, area, industry = key
        occupation = self.career.by_code.get(code)
        found = (
            None
            if occupation is None
            else occupation_facts(self.career, occupation, area=area, industry=industry)
        )
        self._facts[key] = found
        return found


def build_context(snapshot: LoadedSnapshot[CareerGraph], request: object = None) -> Context:
    """Build one request's context (the server calls this per request)."""
    return Context(career=snapshot.graph)


def load_snapshot(settings: Settings) -> LoadedSnapshot[CareerGraph]:
    """Load the snapshot named in settings, or the embedded default in ``data/``."""
    # load_graph prepares every index before it returns, so /readyz says ready only then.
    career = load_graph(settings.snapshot)
    return LoadedSnapshot(version=snapshot_version(career), graph=career)


def snapshot_version(career: CareerGraph) -> str:
    """The manifest's version, else the first 12 hex digits of its content hash."""
    return career.dataset.version
