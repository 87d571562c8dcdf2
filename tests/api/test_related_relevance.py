"""Related careers agree with expert judgement, measured through the API.

The reference is O*NET 30.1's expert-reviewed related occupations (tiers Primary-Short and
Primary-Long: each occupation's top ten). COMPOSITE's ranker is fitted on those lists when the
snapshot is built, so this in-sample figure is a floor check; the honest, cross-validated
figure comes from ``tests/benchmarks/test_related_relevance.py``.
"""

from __future__ import annotations

import statistics

from tests.api.conftest import Api

QUERY = """
query($of: String!) {
  relatedCareers(of: $of, first: 10,
                 filter: {minScore: null, maxJobZoneIncrease: null, minWageRatio: null}) {
    nodes { occupation { code } score components { words tasks titles skills } }
  }
}
"""
REFERENCE_TIERS = ("Primary-Short", "Primary-Long")
RECALL_FLOOR = 0.60


def test_composite_recall_at_10_against_onet(api: Api) -> None:
    graph = api.graph
    recalls = []
    for occupation in graph.occupations:
        reference = {
            c for c, tier, _ in graph.related.get(occupation.code, ()) if tier in REFERENCE_TIERS
        }
        if not reference:
            continue
        body = api.run(QUERY, {"of": occupation.code})
        assert "errors" not in body, body
        nodes = body["data"]["relatedCareers"]["nodes"]
        assert len(nodes) == 10
        scores = [n["score"] for n in nodes]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        found = {n["occupation"]["code"] for n in nodes}
        recalls.append(len(found & reference) / len(reference))
    assert len(recalls) > 900
    recall = statistics.fmean(recalls)
    print(f"COMPOSITE recall@10 through the API over {len(recalls)} occupations: {recall:.3f}")
    assert recall >= RECALL_FLOOR


def test_each_signal_alone_is_a_method(api: Api) -> None:
    body = api.run(
        """{ words: relatedCareers(of: "29-1141.00", method: WORDS, first: 3,
               filter: {minScore: null}) { nodes { occupation { code } score components { words } } }
             titles: relatedCareers(of: "29-1141.00", method: TITLES, first: 3,
               filter: {minScore: null}) { nodes { score components { titles } } } }"""
    )
    assert "errors" not in body, body
    words = body["data"]["words"]["nodes"]
    assert [n["score"] for n in words] == [n["components"]["words"] for n in words]
    titles = body["data"]["titles"]["nodes"]
    assert [n["score"] for n in titles] == [n["components"]["titles"] for n in titles]


def test_a_custom_mix_weighs_only_the_named_components(api: Api) -> None:
    body = api.run(
        """{ relatedCareers(of: "29-1141.00", first: 5, weights: {tasks: 1, titles: 1},
               filter: {minScore: null}) {
               nodes { score components { tasks titles } } } }"""
    )
    assert "errors" not in body, body
    for node in body["data"]["relatedCareers"]["nodes"]:
        parts = node["components"]
        assert abs(node["score"] - (parts["tasks"] + parts["titles"]) / 2) < 1e-3
