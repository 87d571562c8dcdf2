"""Identifier resolution and title search: the tiny graph (fast tier) and the real snapshots."""

from __future__ import annotations

import pytest

from graphql_api.graph.search import build_search_index, normalize, resolve_occupation, search
from graphql_api.graph.tiny import tiny_career
from graphql_api.graph.titles import abbreviation_pairs, head_noun, stem

# --- fast tier: no snapshot --------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny():  # type: ignore[no-untyped-def]
    return tiny_career()


def test_head_noun_is_the_kind_of_work() -> None:
    assert head_noun("Customer Care Technician") == "technician"
    assert head_noun("Director of Nursing") == "director"
    assert head_noun("Registered Nurse (RN)") == "nurse"
    # Head rates are learned per stem.
    rates = {stem("representative"): 0.9, stem("products"): 0.1, stem("wholesale"): 0.1}
    assert head_noun("Sales Representative, Wholesale, Products", rates) == "representative"


def test_abbreviations_come_from_the_titles_that_spell_them_out() -> None:
    assert abbreviation_pairs("Licensed Practical Nurse (LPN)") == [
        ("lpn", ("licensed", "practical", "nurse"))
    ]
    assert abbreviation_pairs("EMT (Emergency Medical Technician)") == [
        ("emt", ("emergency", "medical", "technician"))
    ]
    assert abbreviation_pairs("Nurse (Caregiver)") == []


def test_stems_meet_across_plurals_and_ing() -> None:
    assert stem("nurses") == stem("nursing") == stem("nurse")
    assert stem("drivers") == "driver" != stem("driving")


def test_tiny_graph_resolves_codes_slugs_titles_and_short_titles(tiny) -> None:  # type: ignore[no-untyped-def]
    cases = {
        "29-1141.00": ("29-1141.00", "onet_soc_code"),
        "29-1141": ("29-1141.00", "soc_code"),
        "291141": ("29-1141.00", "soc_code"),
        "registered-nurses": ("29-1141.00", "slug"),
        "Registered Nurses": ("29-1141.00", "title"),
        "LPN": ("29-2061.00", "alternate_title"),
        "cna": ("31-1131.00", "alternate_title"),
    }
    for identifier, expected in cases.items():
        match = resolve_occupation(tiny, identifier)
        assert match is not None, identifier
        assert (match.occupation.code, match.matched_by) == expected, identifier
        assert match.score == 1.0


def test_tiny_graph_reads_unlisted_titles_by_their_words(tiny) -> None:  # type: ignore[no-untyped-def]
    match = resolve_occupation(tiny, "senior software engineer")
    assert match is not None
    assert match.occupation.code == "15-1252.00"
    assert match.matched_by == "closest_alternate_title"
    assert 0 < match.score < 1
    assert resolve_occupation(tiny, "xyzzy plugh") is None
    assert resolve_occupation(tiny, "   ") is None


def test_search_index_is_a_pure_function_of_the_graph(tiny) -> None:  # type: ignore[no-untyped-def]
    first, second = build_search_index(tiny), build_search_index(tiny)
    assert first.texts == second.texts
    assert first.exact == second.exact


def test_search_completes_the_last_word_as_typed(tiny) -> None:  # type: ignore[no-untyped-def]
    (top,) = search(tiny, "softw", first=1)
    assert top.occupation.code == "15-1252.00"
    codes = [h.occupation.code for h in search(tiny, "29-", first=10)]
    assert codes == ["29-1141.00", "29-2061.00"]


# --- snapshot tier -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "code", "how"),
    [
        ("29-1141.00", "29-1141.00", "onet_soc_code"),
        ("29-1141", "29-1141.00", "soc_code"),
        ("291141", "29-1141.00", "soc_code"),
        ("registered-nurses", "29-1141.00", "slug"),
        ("Registered Nurses", "29-1141.00", "title"),
        ("  registered   NURSES ", "29-1141.00", "title"),
        ("31-1120", "31-1120", "soc_code"),  # an OEWS aggregate occupation
    ],
)
def test_codes_slugs_and_titles_resolve(career, identifier: str, code: str, how: str) -> None:
    match = resolve_occupation(career, identifier)
    assert match is not None
    assert (match.occupation.code, match.matched_by) == (code, how)
    assert match.score == 1.0


def test_typos_resolve_to_the_closest_title(career) -> None:
    match = resolve_occupation(career, "registerd nurse")
    assert match is not None
    assert match.occupation.code == "29-1141.00"
    assert match.matched_by.startswith("closest_")
    assert 0.5 <= match.score < 1.0


def test_nothing_close_resolves_to_nothing(career) -> None:
    assert resolve_occupation(career, "xyzzy plugh") is None
    assert resolve_occupation(career, "") is None
    assert resolve_occupation(career, "99-9999") is None


# Issues 7 and 8: what a job seeker means, on the complete default.
@pytest.mark.parametrize(
    ("identifier", "code"),
    [
        ("patient care technician", "31-1131.00"),
        ("cna", "31-1131.00"),
        ("CNA", "31-1131.00"),
        ("rn", "29-1141.00"),
        ("lpn", "29-2061.00"),
        ("emt", "29-2042.00"),
        ("cdl driver", "53-3032.00"),
        ("hvac tech", "49-9021.00"),
        ("travel nurse", "29-1141.00"),
        ("senior software engineer", "15-1252.00"),
        # Job-posting noise after a dash or in parentheses, contractions and typos.
        ("Sr. Software Engineer, Backend (Remote)", "15-1252.00"),
        ("Teller - Part Time - 20 hrs", "43-3071.00"),
        ("Warehouse Associate - 2nd Shift", "53-7062.00"),
        ("Certified Nursing Assistant (CNA) - Night Shift", "31-1131.00"),
        ("nurce", "29-1141.00"),
        ("plumer", "47-2152.00"),
        # Exact titles O*NET lists under several occupations: the name's sources and the
        # model's probability together.
        ("cnc operator", "51-9161.00"),
        ("research assistant", "19-4061.00"),
        ("project manager", "13-1082.00"),
    ],
)
def test_titles_resolve_as_a_job_seeker_means_them(career, identifier: str, code: str) -> None:
    match = resolve_occupation(career, identifier)
    assert match is not None
    assert match.occupation.code == code, (match.occupation.title, match.matched_text)


def test_a_technician_is_not_a_supervisor(career) -> None:
    match = resolve_occupation(career, "customer care technician")
    assert match is not None
    assert match.occupation.code in {"43-4051.00", "15-1232.00"}, match.occupation.title
    assert not any(w in match.occupation.title for w in ("Supervisor", "Manager"))
    # Close readings are said, with their probabilities, most likely first.
    assert match.alternatives
    scores = [a.score for a in match.alternatives]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= match.score for s in scores)
    assert match.occupation.code not in {a.occupation.code for a in match.alternatives}


def test_exact_titles_under_several_occupations_take_the_best_supported(career) -> None:
    # O*NET lists "Patient Care Technician" under 29-2099.00 and 31-1132.00 (one source each)
    # and "Patient Care Technician (PCT)" under 31-1131.00 (four sources).
    match = resolve_occupation(career, "patient care technician")
    assert match is not None
    assert (match.occupation.code, match.matched_by, match.score) == (
        "31-1131.00",
        "alternate_title",
        1.0,
    )
    assert {a.occupation.code for a in match.alternatives} & {"29-2099.00", "31-1132.00"}


def test_search_ranks_one_hit_per_occupation_best_first(career) -> None:
    hits = search(career, "nurse", first=10)
    codes = [h.occupation.code for h in hits]
    assert len(codes) == len(set(codes)) == 10
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert all("nurs" in normalize(h.matched_text) for h in hits[:5])


def test_search_is_typo_tolerant(career) -> None:
    (top,) = search(career, "sofware developr", first=1)
    assert top.occupation.code == "15-1252.00"


def test_search_puts_exact_names_first(career) -> None:
    hits = search(career, "cna", first=5)
    assert hits[0].occupation.code == "31-1131.00"
    assert hits[0].score == 1.0
    assert hits[0].matched_text == "CNA"


def test_a_reading_made_by_other_rules_is_not_used(tiny) -> None:  # type: ignore[no-untyped-def]
    from graphql_api.graph.search import index_names
    from graphql_api.graph.titles import decode_reading, encode_reading, read_titles

    names = index_names(tiny.occupations)
    reading = read_titles(names.model_names)
    table, arrays = encode_reading(reading, names.digest())
    decoded = decode_reading(table, arrays)
    assert decoded is not None
    assert decoded[1] == names.digest()
    assert decoded[0].keys == reading.keys
    assert (decoded[0].ids == reading.ids).all()
    assert decoded[0].head_rate == reading.head_rate
    assert decode_reading({**table, "fingerprint": "0" * 64}, arrays) is None
    assert decode_reading(None, arrays) is None


def test_the_default_snapshot_stores_the_reading_of_its_names(career) -> None:  # type: ignore[no-untyped-def]
    """The committed snapshot's reading matches its names and these rules: load reads no title."""
    from graphql_api.graph.search import index_names, search_index

    assert career.title_reading is not None
    assert career.title_reading[1] == index_names(career.occupations).digest()
    assert search_index(career).reading_stored


def test_an_inconsistent_stored_reading_is_refused(tiny) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from graphql_api.graph.search import index_names
    from graphql_api.graph.titles import READING_IDS, decode_reading, encode_reading, read_titles
    from graphql_api.snapshot import SnapshotError

    names = index_names(tiny.occupations)
    table, arrays = encode_reading(read_titles(names.model_names), names.digest())
    broken = {**arrays, READING_IDS: np.append(arrays[READING_IDS], len(table["keys"]))}
    with pytest.raises(SnapshotError, match="title reading"):
        decode_reading(table, broken)
    beyond = {**arrays, READING_IDS: arrays[READING_IDS] + len(table["keys"])}
    with pytest.raises(SnapshotError, match="title reading"):
        decode_reading(table, beyond)


def test_the_default_snapshot_re_ranks_titles_with_trees_fitted_on_its_names(career) -> None:  # type: ignore[no-untyped-def]
    from graphql_api.graph.search import index_names, search_index

    assert career.title_ranker is not None
    assert career.title_ranker[1] == index_names(career.occupations).digest()
    assert search_index(career).ranker is not None


def test_re_ranked_search_keeps_exact_names_first_and_scores_in_order(career) -> None:  # type: ignore[no-untyped-def]
    hits = search(career, "cna", first=10)
    assert hits[0].occupation.code == "31-1131.00"
    assert hits[0].score == 1.0
    fuzzy = search(career, "night shift patient sitter", first=10)
    assert len(fuzzy) == 10
    scores = [h.score for h in fuzzy]
    assert scores == sorted(scores, reverse=True)
    assert 0.0 <= scores[-1] <= scores[0] <= 1.0
    # The shares of a re-ranked reading sum to at most one over the occupations shown.
    assert sum(scores) <= 1.0 + 1e-3


def test_a_stored_title_ranker_of_another_form_or_feature_set_is_not_used(career) -> None:  # type: ignore[no-untyped-def]
    from graphql_api.graph.title_ranker import decode_ranker, encode_ranker
    from graphql_api.snapshot import SnapshotError

    assert career.title_ranker is not None
    table = encode_ranker(career.title_ranker[0], career.title_ranker[1])
    decoded = decode_ranker(table)
    assert decoded is not None and decoded.text == table["trees"]
    assert decode_ranker(None) is None
    # Trees fitted on other features belong to another version of the rules: the model's order.
    assert decode_ranker({**table, "features": ["probability"]}) is None
    with pytest.raises(SnapshotError, match="unknown form"):
        decode_ranker({**table, "form": "linear"})
    # Damaged trees are refused before LightGBM reads them (it can abort on malformed text).
    with pytest.raises(SnapshotError, match="title ranker is damaged"):
        decode_ranker({**table, "trees": table["trees"][: len(table["trees"]) // 3]})


def test_the_title_ranker_fit_is_reproducible(tiny) -> None:  # type: ignore[no-untyped-def]
    from graphql_api.graph.search import fit_title_ranker

    jobs = [1000.0] * len(tiny.occupations)
    first = fit_title_ranker(tiny.occupations, jobs)
    second = fit_title_ranker(tiny.occupations, jobs)
    if first is None:
        assert second is None
    else:
        assert second is not None and first.text == second.text


def test_character_grams_are_numbered_alike_for_names_and_queries() -> None:
    import numpy as np

    from graphql_api.graph.title_ranker import _gram_similarity, gather_evidence

    texts = ["police officer", "policeman", "café owner", "bus driver", "truck driver"]
    owners = [0, 0, 1, 2, 2]
    evidence = gather_evidence(
        texts, owners, ["33-3051", "11-9051", "53-3052"], [[], [], []], [False] * 3, [1.0] * 3
    )
    # Every 3- and 4-gram of the padded names is numbered once, with its occupations.
    grams = {f" {t} "[i : i + n] for t in texts for n in (3, 4) for i in range(len(t) + 3 - n)}
    assert len(evidence.gram_ids) == len(grams)
    assert np.diff(evidence.gram_offsets).sum() == len(evidence.gram_occupations)
    # A name read back is closest to its own occupation; spelling the names lack still meets
    # the grams they share ("policemen" with "policeman"), a non-ASCII name is read as typed,
    # and a query of characters no name has is near nothing.
    for query, owner in (("policemen", 0), ("café", 1), ("truck driver", 2)):
        similarity = _gram_similarity(evidence, query)
        assert int(np.argmax(similarity)) == owner
        assert 0.0 < similarity.max() <= 1.0 + 1e-9
    assert _gram_similarity(evidence, "€€€").max() == 0.0
    assert _gram_similarity(evidence, "truck driver")[2] == pytest.approx(
        _gram_similarity(evidence, "truck driver").max()
    )


def test_word_cover_counts_the_words_each_occupation_holds() -> None:
    from graphql_api.graph.title_ranker import WordHolders

    holders = WordHolders.of([{"nurse", "regist"}, {"nurse"}, set()])
    assert holders.cover({"nurse", "regist", "unknown"}, 3).tolist() == [2.0, 1.0, 0.0]
    assert holders.cover(set(), 3).tolist() == [0.0, 0.0, 0.0]


def test_nearest_names_take_the_earlier_name_on_ties() -> None:
    import numpy as np

    from graphql_api.graph.title_ranker import nearest_names

    names = np.array([3, 5, 8, 9, 12], dtype=np.int64)
    similarity = np.array([0.5, 0.9, 0.5, 0.5, 0.7])
    assert nearest_names(names, similarity, 3).tolist() == [1, 4, 0]
    assert nearest_names(names, similarity, 4).tolist() == [1, 4, 0, 2]
    assert nearest_names(names, similarity, 10).tolist() == [1, 4, 0, 2, 3]
    assert nearest_names(names[:0], similarity[:0], 3).tolist() == []


def test_the_sparse_reading_equals_the_dense_similarity_over_every_name(tiny) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from graphql_api.graph.search import _model_reading

    index = build_search_index(tiny)
    for text in ("staff nurse", "registerd nurse", "senior software engineer", "zzz", "cna"):
        reading = _model_reading(index, text)
        # The reference: every name's weighted Jaccard with the text, as a dense vector.
        overlap = np.zeros(len(index.texts))
        total = 0.0
        for key, _ in reading.features.keys:
            feature = index.model.feature_ids.get(key)
            if feature is None:
                continue
            total += float(index.feature_weights[feature])
            start, stop = index.name_offsets[feature], index.name_offsets[feature + 1]
            overlap[index.name_entries[start:stop]] += index.feature_weights[feature]
        dense = overlap / np.maximum(total + index.name_weights - overlap, 1e-9)
        assert reading.near_names.tolist() == np.flatnonzero(dense).tolist()
        assert np.allclose(reading.near_similarity, dense[reading.near_names])
        best = np.maximum.reduceat(dense, index.starts)
        assert np.allclose(reading.name_similarity, best)
        chosen = dense[reading.best_name]
        assert np.allclose(chosen, best)
        assert all(index.owners[reading.best_name] == np.arange(len(index.occupations)))


def test_a_misspelled_name_keeps_the_title_models_reading(career) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from graphql_api.graph.search import _model_reading, _read, search_index

    index = search_index(career)
    reading = _model_reading(index, "plumer")
    assert reading.exact == ()
    assert [index.originals[e] for e in reading.corrected] == ["Plumber"]
    # The trees learn from titles that are no name; "plumer" is a name misspelled.
    assert np.array_equal(_read(index, "plumer").probability, reading.probability)
    match = resolve_occupation(career, "plumer")
    assert match is not None
    assert match.occupation.code == "47-2152.00"
    assert match.matched_by.startswith("closest_") and 0.5 < match.score < 1.0
    # A title that is no name, misspelled or not, is re-ranked.
    assert _model_reading(index, "plumbing estimater").corrected == ()
    assert not np.array_equal(
        _read(index, "plumbing estimator").probability,
        _model_reading(index, "plumbing estimator").probability,
    )


def test_work_kinship_reads_the_work_and_no_title() -> None:
    import numpy as np

    from graphql_api.graph.title_ranker import KINSHIP_COMPONENTS, work_kinship
    from graphql_api.ranker import COMPONENTS

    rng = np.random.default_rng(7)
    components = {c: rng.random((4, 4)).astype(np.float32) for c in COMPONENTS}
    components["tasks"][0, 1] = np.nan
    kinship = work_kinship(components)
    assert kinship.dtype == np.float32 and kinship.shape == (4, 4)
    assert np.diagonal(kinship).tolist() == [0.0] * 4
    # The mean of the work's components, an unknown cosine counted as 0.
    expected = (components["activities"][0, 1] + components["description"][0, 1]) / 3
    assert kinship[0, 1] == pytest.approx(expected, rel=1e-6)
    # Nothing that holds titles (or is fitted on O*NET's related lists) reaches it: a held-out
    # title cannot come back to the trees through its occupation's kinship.
    assert not {"titles", "words"} & set(KINSHIP_COMPONENTS)
    shuffled = dict(components)
    for name in set(COMPONENTS) - set(KINSHIP_COMPONENTS):
        shuffled[name] = rng.random((4, 4)).astype(np.float32)
    assert (work_kinship(shuffled) == kinship).all()


def test_the_served_index_reads_the_snapshot_kinship(career) -> None:  # type: ignore[no-untyped-def]
    """The loaded default's re-ranker reads the kinship of its own similarity components, and
    a kinship of another shape is refused."""
    import numpy as np

    from graphql_api.graph.search import occupation_kinship, search_index
    from graphql_api.graph.title_ranker import gather_evidence

    index = search_index(career)
    assert index.ranker is not None and index.rank_evidence is not None
    kinship = occupation_kinship(career)
    assert kinship is not None
    assert (index.rank_evidence.kinship == kinship).all()
    assert float(kinship.max()) > 0.0
    with pytest.raises(ValueError, match="kinship of shape"):
        gather_evidence(
            ["a b"],
            [0],
            ["11-1011", "11-1021"],
            [[], []],
            [False] * 2,
            [1.0] * 2,
            np.zeros((3, 3), dtype=np.float32),
        )
