"""The ``careergraph`` command: data build, data info, and clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphql_api import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_data_build_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "full"
    assert cli.main(["data", "build", "--from", str(FIXTURES), "--out", str(out)]) == 0
    assert (out / "careergraph.snapshot").exists()
    capsys.readouterr()
    assert cli.main(["data", "info", "--snapshot", str(out), "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["counts"]["facts"]["oews_cells"] == 9
    assert cli.main(["data", "info", "--snapshot", str(out)]) == 0
    text = capsys.readouterr().out
    assert "oews_cells: 9" in text
    assert "CC BY 4.0" in text


def test_info_on_a_damaged_snapshot_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "careergraph.snapshot"
    bad.write_bytes(b"not a zip")
    assert cli.main(["data", "info", "--snapshot", str(bad)]) == 1
    assert "not a readable careergraph snapshot" in capsys.readouterr().err


def test_build_from_a_missing_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli.main(["data", "build", "--from", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
        == 2
    )
    assert "is not a folder" in capsys.readouterr().err
