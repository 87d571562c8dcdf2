"""Tests for the derived (task-text) skill layer."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from graphql_api.ingest.derived_skills import (
    METHOD_VERSION,
    DerivedEdge,
    DerivedLayer,
    derive_skill_layer,
    similarity_matrix,
)

OCCUPATIONS = [
    ("11-0001.00", "Kitchen Manager", "Run a restaurant kitchen and its cooks."),
    ("11-0002.00", "Head Baker", "Bake bread and pastry in a bakery."),
    ("29-0001.00", "Ward Nurse", "Care for patients on a hospital ward."),
    ("29-0002.00", "Clinic Nurse", "Treat patients in a clinic."),
    ("49-0001.00", "Engine Mechanic", "Repair and maintain engines."),
]
TASKS = [
    ("11-0001.00", "Plan menus and order food for the kitchen."),
    ("11-0001.00", "Supervise cooks preparing meals."),
    ("11-0002.00", "Bake bread, rolls and pastry."),
    ("11-0002.00", "Order flour and other food supplies."),
    ("29-0001.00", "Give medication to patients."),
    ("29-0001.00", "Record patient vital signs."),
    ("29-0002.00", "Dress wounds and give medication to patients."),
    ("49-0001.00", "Repair engines and replace worn parts."),
    ("49-0001.00", "Inspect engines with diagnostic tools."),
]
VOCABULARY = [
    ("k:food", "Food Production", "knowledge", "Food, bread, meals, kitchen and cooking."),
    ("k:medicine", "Medicine", "knowledge", "Patients, medication, wounds and treatment."),
    ("k:mechanical", "Mechanical", "knowledge", "Engines, machines, tools and repair."),
]


def _derive(**kwargs: object) -> DerivedLayer:
    return derive_skill_layer(OCCUPATIONS, TASKS, vocabulary=VOCABULARY, rank=3, **kwargs)  # type: ignore[arg-type]


def test_same_inputs_give_identical_layer_whatever_the_input_order() -> None:
    first = _derive()
    again = derive_skill_layer(
        list(reversed(OCCUPATIONS)),
        list(reversed(TASKS)),
        vocabulary=list(reversed(VOCABULARY)),
        rank=3,
    )
    assert first == again


def test_each_occupation_scores_highest_on_its_own_field() -> None:
    layer = _derive()
    best: dict[str, str] = {}
    for code in {e.occupation for e in layer.edges}:
        own = [e for e in layer.edges if e.occupation == code]
        best[code] = max(own, key=lambda e: e.weight).descriptor
    assert best == {
        "11-0001.00": "k:food",
        "11-0002.00": "k:food",
        "29-0001.00": "k:medicine",
        "29-0002.00": "k:medicine",
        "49-0001.00": "k:mechanical",
    }


def test_weights_are_in_unit_range_rounded_and_carry_the_method() -> None:
    layer = _derive()
    assert layer.method == METHOD_VERSION
    assert {e.source for e in layer.edges} == {METHOD_VERSION}
    for edge in layer.edges:
        assert 0.0 < edge.weight <= 1.0
        assert round(edge.weight, 3) == edge.weight
    # Min-max per descriptor: its best occupation always gets 1.
    for descriptor in {e.descriptor for e in layer.edges}:
        assert max(e.weight for e in layer.edges if e.descriptor == descriptor) == 1.0


def test_edge_cap_per_occupation() -> None:
    broad = [
        *VOCABULARY,
        ("k:supply", "Purchasing", "knowledge", "Order food, supplies and parts."),
        ("k:care", "Care", "knowledge", "Care for patients and give medication; cook meals."),
        ("k:tools", "Tools", "knowledge", "Tools, ovens and diagnostic equipment for engines."),
    ]
    uncapped = derive_skill_layer(OCCUPATIONS, TASKS, vocabulary=broad, rank=3)
    assert max(Counter(e.occupation for e in uncapped.edges).values()) > 2
    capped = derive_skill_layer(OCCUPATIONS, TASKS, vocabulary=broad, rank=3, max_edges=2)
    per_occupation = Counter(e.occupation for e in capped.edges)
    assert max(per_occupation.values()) == 2
    # The cap keeps each occupation's strongest edges.
    for code in per_occupation:
        kept = sorted(e.weight for e in capped.edges if e.occupation == code)
        every = sorted((e.weight for e in uncapped.edges if e.occupation == code), reverse=True)
        assert kept == sorted(every[:2])


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate occupation"):
        derive_skill_layer([*OCCUPATIONS, OCCUPATIONS[0]], TASKS, vocabulary=VOCABULARY)
    with pytest.raises(ValueError, match="unknown occupation"):
        derive_skill_layer(OCCUPATIONS, [*TASKS, ("99-9999.00", "Sing.")], vocabulary=VOCABULARY)
    with pytest.raises(ValueError, match="duplicate descriptor"):
        derive_skill_layer(OCCUPATIONS, TASKS, vocabulary=[*VOCABULARY, VOCABULARY[0]], rank=3)


def test_similarity_is_z_scored_cosine_over_edges() -> None:
    edges = (
        DerivedEdge("a", "x", 1.0, "s"),
        DerivedEdge("b", "x", 0.5, "s"),
        DerivedEdge("c", "y", 1.0, "s"),
    )
    sim = similarity_matrix(DerivedLayer((), edges, "s", ""), ["a", "b", "c", "absent"])
    # Columns z-scored over 4 rows: x -> [1.5, 0.5, -0.5, -0.5]/s, y -> [-1, -1, 3, -1]/s'.
    x = np.array([1.0, 0.5, 0.0, 0.0])
    y = np.array([0.0, 0.0, 1.0, 0.0])
    z = np.column_stack([(x - x.mean()) / x.std(), (y - y.mean()) / y.std()])
    unit = z / np.linalg.norm(z, axis=1, keepdims=True)
    np.testing.assert_allclose(sim, unit @ unit.T)
    assert sim[0, 0] == pytest.approx(1.0)
    assert sim[0, 2] < 0 < sim[0, 1]


def test_food_occupations_are_closer_to_each_other_than_to_nurses() -> None:
    layer = _derive()
    codes = [code for code, _, _ in OCCUPATIONS]
    sim = similarity_matrix(layer, codes)
    assert sim[0, 1] > sim[0, 2]
    assert sim[2, 3] > sim[2, 4]
