"""Fetch the official releases into a folder that ``careergraph data build --from`` reads."""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

__all__ = ["RELEASES", "Release", "download_releases"]


@dataclass(frozen=True, slots=True)
class Release:
    """One official file: where its publisher serves it and where it lands under the folder."""

    url: str
    target: str
    what: str


# Published locations as of the releases the project reads (O*NET 30.1, OEWS May 2025,
# Employment Projections 2024-34, CPS annual tables).
RELEASES: tuple[Release, ...] = (
    Release(
        "https://www.onetcenter.org/dl_files/database/db_30_1_text.zip",
        "onet/db_30_1_text.zip",
        "O*NET 30.1 text release",
    ),
    *(
        Release(
            f"https://download.bls.gov/pub/time.series/oe/{name}",
            f"bls/oews/{name}",
            f"OEWS {name}",
        )
        for name in (
            "oe.data.0.Current",
            "oe.area",
            "oe.industry",
            "oe.occupation",
            "oe.datatype",
            "oe.footnote",
            "oe.release",
        )
    ),
    Release(
        "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx",
        "bls/ep_2024_34/occupation.xlsx",
        "Employment Projections occupation tables",
    ),
    Release(
        "https://www.bls.gov/emp/ind-occ-matrix/education.xlsx",
        "bls/ep_2024_34/education.xlsx",
        "Employment Projections education tables",
    ),
    Release("https://www.bls.gov/cps/cpsaat11.xlsx", "bls/cps/cpsaat11.xlsx", "CPS table 11"),
    Release("https://www.bls.gov/cps/cpsaat11b.xlsx", "bls/cps/cpsaat11b.xlsx", "CPS table 11b"),
)
# BLS refuses requests without a contact in the user agent.
_USER_AGENT = "careergraph-data-download/0.1 (+https://github.com/careergraph)"


def download_releases(
    to: Path,
    *,
    base_url: str | None = None,
    releases: tuple[Release, ...] = RELEASES,
    timeout: float = 60.0,
    progress: bool = True,
    report: Callable[[str], None] = print,
) -> list[tuple[Release, Path | None, str | None]]:
    """Download each release into ``to``; returns (release, path or None, error or None) per file.

    ``base_url`` replaces each URL's scheme and host (for mirrors and tests). A file is written
    to a temporary name and moved into place only when complete; a failed file leaves any earlier
    copy untouched and the others still download.
    """
    results: list[tuple[Release, Path | None, str | None]] = []
    for release in releases:
        url = release.url
        if base_url:
            path = url.split("://", 1)[1].split("/", 1)[1]
            url = base_url.rstrip("/") + "/" + path
        target = to / release.target
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".download-", dir=target.parent)
        os.close(handle)
        try:
            request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                total = int(response.headers.get("Content-Length") or 0) or None
                with (
                    open(temporary, "wb") as out,
                    tqdm(
                        total=total,
                        unit="B",
                        unit_scale=True,
                        desc=release.target,
                        disable=not progress,
                    ) as bar,
                ):
                    for chunk in iter(lambda: response.read(1 << 16), b""):
                        out.write(chunk)
                        bar.update(len(chunk))
            shutil.move(temporary, target)
            results.append((release, target, None))
        except (OSError, ValueError) as error:
            report(f"could not download {release.what} from {url}: {error}")
            results.append((release, None, str(error)))
        finally:
            Path(temporary).unlink(missing_ok=True)
    return results
