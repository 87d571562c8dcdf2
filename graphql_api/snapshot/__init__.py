"""The snapshot format: the container, its named tables and the figures codec, with its version."""

from graphql_api.snapshot.container import (
    MANIFEST_NAME,
    SNAPSHOT_FORMAT,
    SNAPSHOT_NAME,
    Snapshot,
    SnapshotError,
    default_snapshot_dir,
    read_snapshot,
    resolve_snapshot_path,
    write_snapshot,
)

__all__ = [
    "MANIFEST_NAME",
    "SNAPSHOT_FORMAT",
    "SNAPSHOT_NAME",
    "Snapshot",
    "SnapshotError",
    "default_snapshot_dir",
    "read_snapshot",
    "resolve_snapshot_path",
    "write_snapshot",
]
