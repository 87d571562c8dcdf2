"""``careergraph data download`` against a local HTTP server on loopback."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphql_api.ingest.download import Release, download_releases


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    (root / "dl").mkdir(parents=True)
    (root / "dl" / "db_text.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (root / "dl" / "oe.area").write_text("area_code\tarea_name\n0000000\tNational\n")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


RELEASES = (
    Release("https://publisher.invalid/dl/db_text.zip", "onet/db_text.zip", "O*NET release"),
    Release("https://publisher.invalid/dl/oe.area", "bls/oews/oe.area", "OEWS areas"),
    Release(
        "https://publisher.invalid/dl/missing.xlsx", "bls/missing.xlsx", "a file the server lacks"
    ),
)


def test_downloads_into_the_layout_build_reads(server: str, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    results = download_releases(
        out, base_url=server, releases=RELEASES, progress=False, report=lambda m: None
    )
    assert (out / "bls" / "oews" / "oe.area").read_text().startswith("area_code")
    assert (out / "onet" / "db_text.zip").read_bytes()[:4] == b"PK\x05\x06"
    failed = [r for r in results if r[2] is not None]
    assert [r[0].target for r in failed] == ["bls/missing.xlsx"]
    assert "404" in (failed[0][2] or "")


def test_failed_download_keeps_an_earlier_copy(server: str, tmp_path: Path) -> None:
    out = tmp_path / "releases"
    earlier = out / "bls" / "missing.xlsx"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"earlier copy")
    download_releases(
        out, base_url=server, releases=RELEASES[2:], progress=False, report=lambda m: None
    )
    assert earlier.read_bytes() == b"earlier copy"
    assert sorted(p.name for p in earlier.parent.iterdir()) == ["missing.xlsx"]


def test_cli_download_reports_failures(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graphql_api import cli
    from graphql_api.ingest import download

    monkeypatch.setattr(download, "RELEASES", RELEASES[:2])
    assert (
        cli.main(["data", "download", "--to", str(tmp_path / "r"), "--base-url", server, "--quiet"])
        == 0
    )
    assert (tmp_path / "r" / "bls" / "oews" / "oe.area").exists()
