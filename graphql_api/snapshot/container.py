"""The snapshot container: one deterministic zip of JSON tables and numpy arrays."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

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

# 2: named-column record tables (graphql_api.snapshot.tables) instead of positional rows.
SNAPSHOT_FORMAT = 2
SNAPSHOT_NAME = "careergraph.snapshot"
MANIFEST_NAME = "MANIFEST.json"
# A fixed timestamp keeps the zip bytes identical across rebuilds from the same inputs.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class SnapshotError(RuntimeError):
    """A snapshot file is missing, truncated, of another format, or fails its checksum."""


@dataclass
class Snapshot:
    """What a snapshot holds: a manifest, JSON tables and numeric arrays, all by name."""

    manifest: dict[str, Any]
    tables: dict[str, Any] = field(default_factory=dict)
    arrays: dict[str, npt.NDArray[Any]] = field(default_factory=dict)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _array_bytes(array: npt.NDArray[Any]) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def _shuffle(array: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    # Byte planes (all first bytes, then all second bytes...) compress far better for
    # slowly varying integers such as wages; the same trick as HDF5's shuffle filter.
    width = array.dtype.itemsize
    flat = np.ascontiguousarray(array).view(np.uint8).reshape(-1, width)
    return np.ascontiguousarray(flat.T)


def _unshuffle(
    planes: npt.NDArray[np.uint8], dtype: str, shape: tuple[int, ...]
) -> npt.NDArray[Any]:
    flat = np.ascontiguousarray(planes.T).reshape(-1)
    return flat.view(np.dtype(dtype)).reshape(shape)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _content_members(snapshot: Snapshot) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    for name, table in sorted(snapshot.tables.items()):
        members[f"tables/{name}.json"] = _json_bytes(table)
    layout: dict[str, Any] = {}
    for name, array in sorted(snapshot.arrays.items()):
        if array.dtype.kind in "iuf" and array.dtype.itemsize > 1:
            members[f"arrays/{name}.npy"] = _array_bytes(_shuffle(array))
            layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "shuffled": True}
        else:
            members[f"arrays/{name}.npy"] = _array_bytes(array)
            layout[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "shuffled": False}
    members["arrays/layout.json"] = _json_bytes(layout)
    return members


def write_snapshot(snapshot: Snapshot, out_dir: Path) -> dict[str, Any]:
    """Write ``SNAPSHOT_NAME`` and ``MANIFEST_NAME`` into ``out_dir`` atomically.

    Both files are written to temporary names first and only replace the previous ones once
    complete, so a failure at any point leaves the previous snapshot untouched. Returns the
    manifest as written (with the content hash filled in).
    """
    members = _content_members(snapshot)
    digest = hashlib.sha256()
    for name, data in members.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    manifest = dict(snapshot.manifest)
    manifest["format"] = SNAPSHOT_FORMAT
    manifest["content_sha256"] = digest.hexdigest()
    manifest["version"] = manifest.get("version") or digest.hexdigest()[:12]

    out_dir.mkdir(parents=True, exist_ok=True)
    snapshot_tmp = _temp_path(out_dir, SNAPSHOT_NAME)
    manifest_tmp = _temp_path(out_dir, MANIFEST_NAME)
    try:
        with zipfile.ZipFile(snapshot_tmp, "w", compresslevel=9) as archive:
            archive.writestr(_member("manifest.json"), _json_bytes(manifest))
            for name, data in members.items():
                archive.writestr(_member(name), data)
        _fsync(snapshot_tmp)
        file_manifest = dict(manifest)
        file_manifest["snapshot_file"] = SNAPSHOT_NAME
        file_manifest["snapshot_sha256"] = _file_sha256(snapshot_tmp)
        file_manifest["snapshot_bytes"] = snapshot_tmp.stat().st_size
        manifest_tmp.write_text(
            json.dumps(file_manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        _fsync(manifest_tmp)
        # mkstemp creates owner-only files; a snapshot is public data that workers running as
        # another user must be able to read.
        snapshot_tmp.chmod(0o644)
        manifest_tmp.chmod(0o644)
        os.replace(snapshot_tmp, out_dir / SNAPSHOT_NAME)
        os.replace(manifest_tmp, out_dir / MANIFEST_NAME)
    finally:
        snapshot_tmp.unlink(missing_ok=True)
        manifest_tmp.unlink(missing_ok=True)
    return file_manifest


def _temp_path(folder: Path, name: str) -> Path:
    handle, path = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    return Path(path)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_snapshot_dir() -> Path:
    """The folder of the embedded default snapshot: ``data/`` at the project's top level.

    From a checkout (the README's editable install) that is the repository's ``data/``; an
    installation that does not carry it falls back to ``./data``.
    """
    checkout = Path(__file__).resolve().parent.parent.parent / "data"
    if (checkout / SNAPSHOT_NAME).is_file():
        return checkout
    return Path.cwd() / "data"


def resolve_snapshot_path(path: Path | str) -> Path:
    """Accept a snapshot file or a folder holding one; return the file's path."""
    path = Path(path)
    if path.is_dir():
        path = path / SNAPSHOT_NAME
    if not path.is_file():
        raise SnapshotError(f"no snapshot at {path}")
    return path


def read_snapshot(path: Path | str, *, tables: Mapping[str, bool] | None = None) -> Snapshot:
    """Read a snapshot file (or a folder holding one) and check its content hash.

    ``tables`` may name the tables to read (others are skipped), for tools that need only part.
    """
    file = resolve_snapshot_path(path)
    try:
        with zipfile.ZipFile(file) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != SNAPSHOT_FORMAT:
                raise SnapshotError(
                    f"{file} is snapshot format {manifest.get('format')!r}; this careergraph "
                    f"reads format {SNAPSHOT_FORMAT}: rebuild it with 'careergraph data build'"
                )
            layout = json.loads(archive.read("arrays/layout.json"))
            digest = hashlib.sha256()
            snapshot = Snapshot(manifest=manifest)
            # One member at a time, decoded and dropped, keeps peak memory near the final size.
            for info in archive.infolist():
                if info.filename == "manifest.json":
                    continue
                data = archive.read(info)
                digest.update(info.filename.encode() + b"\0" + hashlib.sha256(data).digest())
                _decode_member(snapshot, info.filename, data, layout, tables)
                del data
    except (zipfile.BadZipFile, EOFError, KeyError, OSError, ValueError) as exc:
        raise SnapshotError(f"{file} is not a readable careergraph snapshot: {exc}") from exc
    if digest.hexdigest() != manifest.get("content_sha256"):
        raise SnapshotError(f"{file} fails its content checksum: the file is damaged or edited")
    return snapshot


def _decode_member(
    snapshot: Snapshot,
    name: str,
    data: bytes,
    layout: dict[str, Any],
    tables: Mapping[str, bool] | None,
) -> None:
    if name.startswith("tables/"):
        key = name[len("tables/") : -len(".json")]
        if tables is None or tables.get(key):
            snapshot.tables[key] = json.loads(data)
    elif name.startswith("arrays/") and name != "arrays/layout.json":
        key = name[len("arrays/") : -len(".npy")]
        spec = layout.get(key, {})
        if spec.get("shuffled"):
            # A read-only view over the member's bytes; unshuffling makes the one real copy.
            planes = _npy_view(data)
            snapshot.arrays[key] = _unshuffle(planes, spec["dtype"], tuple(spec["shape"]))
        else:
            snapshot.arrays[key] = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)


def _npy_view(data: bytes) -> npt.NDArray[Any]:
    """Map a .npy file's bytes as an array without copying them."""
    stream = io.BytesIO(data)
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    if fortran or dtype.hasobject:
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    count = int(np.prod(shape)) if shape else 1
    return np.frombuffer(data, dtype=dtype, count=count, offset=stream.tell()).reshape(shape)
