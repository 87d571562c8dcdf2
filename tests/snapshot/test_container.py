"""The snapshot container: deterministic bytes, checksums, atomic replacement, clear refusals."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import numpy as np
import pytest

from graphql_api.snapshot import (
    MANIFEST_NAME,
    SNAPSHOT_NAME,
    Snapshot,
    SnapshotError,
    read_snapshot,
    write_snapshot,
)
from graphql_api.snapshot import container as snapshot_module


def _sample() -> Snapshot:
    return Snapshot(
        manifest={"name": "test"},
        tables={"occupations": [{"code": "29-1141.00", "title": "Registered Nurses"}]},
        arrays={
            "values": np.array([[1, -5, 70000], [2, 3, 4]], dtype=np.int32),
            "notes": np.array([0, 1, 2], dtype=np.uint8),
        },
    )


def test_round_trip_keeps_tables_and_arrays(tmp_path: Path) -> None:
    write_snapshot(_sample(), tmp_path)
    loaded = read_snapshot(tmp_path)
    assert loaded.tables["occupations"][0]["title"] == "Registered Nurses"
    assert loaded.arrays["values"].dtype == np.int32
    assert loaded.arrays["values"].tolist() == [[1, -5, 70000], [2, 3, 4]]
    assert loaded.arrays["notes"].tolist() == [0, 1, 2]
    assert loaded.manifest["name"] == "test"


def test_same_content_gives_same_bytes(tmp_path: Path) -> None:
    first = write_snapshot(_sample(), tmp_path / "a")
    second = write_snapshot(_sample(), tmp_path / "b")
    assert first["snapshot_sha256"] == second["snapshot_sha256"]
    assert (tmp_path / "a" / SNAPSHOT_NAME).read_bytes() == (
        tmp_path / "b" / SNAPSHOT_NAME
    ).read_bytes()


def test_failed_write_leaves_previous_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_snapshot(_sample(), tmp_path)
    before = hashlib.sha256((tmp_path / SNAPSHOT_NAME).read_bytes()).hexdigest()
    manifest_before = (tmp_path / MANIFEST_NAME).read_text()

    def explode(path: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(snapshot_module, "_fsync", explode)
    changed = _sample()
    changed.tables["occupations"][0]["title"] = "Changed"
    with pytest.raises(OSError, match="disk full"):
        write_snapshot(changed, tmp_path)
    assert hashlib.sha256((tmp_path / SNAPSHOT_NAME).read_bytes()).hexdigest() == before
    assert (tmp_path / MANIFEST_NAME).read_text() == manifest_before
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_NAME, SNAPSHOT_NAME]


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    write_snapshot(_sample(), tmp_path)
    data = (tmp_path / SNAPSHOT_NAME).read_bytes()
    broken = tmp_path / "broken.snapshot"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(SnapshotError, match="not a readable careergraph snapshot"):
        read_snapshot(broken)


def test_edited_member_fails_the_checksum(tmp_path: Path) -> None:
    write_snapshot(_sample(), tmp_path)
    source = tmp_path / SNAPSHOT_NAME
    edited = tmp_path / "edited.snapshot"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(edited, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "tables/occupations.json":
                data = data.replace(b"Registered", b"Licensed")
            new.writestr(info, data)
    with pytest.raises(SnapshotError, match="checksum"):
        read_snapshot(edited)


def test_other_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.snapshot"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", '{"format": 99}')
    with pytest.raises(SnapshotError, match="format 99"):
        read_snapshot(path)


def test_missing_snapshot_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="no snapshot"):
        read_snapshot(tmp_path / "nowhere")
