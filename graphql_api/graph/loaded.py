"""The loaded snapshot: a prepared model together with the version of the file it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

__all__ = ["LoadedSnapshot", "SnapshotSettings"]

G = TypeVar("G")


@dataclass(frozen=True)
class LoadedSnapshot(Generic[G]):
    """What a snapshot loader hands the service: the ready model and its snapshot version.

    The version keys every cache (documents, responses, HTTP ETags), so one version means one
    set of answers.

    >>> LoadedSnapshot(version="v1", graph={"nodes": 0}).version
    'v1'
    """

    version: str
    graph: G


class SnapshotSettings(Protocol):
    """What a snapshot loader reads from the service's settings: which file to load.

    ``None`` means the embedded default snapshot. The service's ``Settings`` satisfy it, so the
    layers below the server never import the server's configuration.
    """

    @property
    def snapshot(self) -> Path | None:
        """The snapshot file or folder, or None for the embedded default."""
        ...
