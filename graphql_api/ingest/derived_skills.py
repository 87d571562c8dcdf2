"""Derive an occupation -> skill layer from task statements where no rated O*NET skills exist."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "METHOD_VERSION",
    "DerivedDescriptor",
    "DerivedEdge",
    "DerivedLayer",
    "VocabularyEntry",
    "derive_skill_layer",
    "similarity_matrix",
]

METHOD_VERSION = "derived:tasks-lsa-v2"

Matrix = npt.NDArray[np.float64]

VocabularyEntry = tuple[str, str, str, str]
"""A descriptor offered to the method: (id, name, kind, description)."""

# Latent rank of the occupation text space. Measured against O*NET 30.1 rated skills
# (scripts/derived_skills_eval.py): ranks 5-12 all clear the bar; 8 sits in the flat middle.
DEFAULT_RANK = 8
DEFAULT_MAX_EDGES = 40
_MIN_DF = 1
# Share of the LSA-smoothed score in a descriptor's weight; the rest is the direct overlap.
_BLEND = 0.5
_MAX_DF_SHARE = 0.5
_CHUNK = 1024

_TOKEN = re.compile(r"[a-z][a-z0-9]*")
_STOPWORDS = frozenset(
    {
        "a",
        "about",
        "across",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "between",
        "both",
        "by",
        "can",
        "during",
        "e",
        "each",
        "etc",
        "for",
        "from",
        "g",
        "has",
        "have",
        "how",
        "if",
        "in",
        "including",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "new",
        "not",
        "of",
        "on",
        "or",
        "other",
        "others",
        "over",
        "per",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "up",
        "upon",
        "use",
        "used",
        "using",
        "various",
        "via",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "will",
        "with",
        "within",
        "without",
    }
)


@dataclass(frozen=True, slots=True)
class DerivedDescriptor:
    """A skill-like descriptor of the derived layer (shown in the API as a skill)."""

    id: str
    name: str
    kind: str
    description: str


@dataclass(frozen=True, slots=True)
class DerivedEdge:
    """occupation -requires-> descriptor with a relative weight in [0, 1]."""

    occupation: str
    descriptor: str
    weight: float
    source: str


@dataclass(frozen=True)
class DerivedLayer:
    """The derived descriptors, the weighted edges to them, and how they were made."""

    descriptors: tuple[DerivedDescriptor, ...]
    edges: tuple[DerivedEdge, ...]
    method: str
    notes: str


def _stem(word: str) -> str:
    # A plural fold is enough to join "tasks"/"task"; heavier stemming measured no better.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _tokens(text: str) -> list[str]:
    return [_stem(w) for w in _TOKEN.findall(text.lower()) if len(w) > 1 and w not in _STOPWORDS]


def _weighted(counts: Counter[str], index: dict[str, int], idf: Matrix) -> dict[int, float]:
    # Sublinear term frequency times idf, L2-normalised.
    out = {
        index[t]: (1.0 + math.log(n)) * float(idf[index[t]])
        for t, n in counts.items()
        if t in index
    }
    norm = math.sqrt(sum(v * v for v in out.values()))
    return {j: v / norm for j, v in sorted(out.items())} if norm > 0 else {}


def _occupation_space(
    documents: Sequence[list[str]],
) -> tuple[Matrix, dict[str, int], Matrix]:
    """TF-IDF rows of the occupation documents, the term index and the idf vector."""
    frequency: Counter[str] = Counter()
    counts = [Counter(doc) for doc in documents]
    for c in counts:
        frequency.update(c.keys())
    n = len(documents)
    terms = sorted(t for t, df in frequency.items() if _MIN_DF <= df <= _MAX_DF_SHARE * n)
    index = {t: i for i, t in enumerate(terms)}
    idf = np.array([math.log((1 + n) / (1 + frequency[t])) + 1.0 for t in terms])
    matrix = np.zeros((n, len(terms)))
    for row, c in enumerate(counts):
        for j, v in _weighted(c, index, idf).items():
            matrix[row, j] = v
    return matrix, index, idf


def _affinity(
    occupations: Matrix, texts: Sequence[str], index: dict[str, int], idf: Matrix
) -> Matrix:
    """Raw TF-IDF dot products occupation x descriptor text, in chunks to bound memory."""
    out = np.zeros((occupations.shape[0], len(texts)))
    for start in range(0, len(texts), _CHUNK):
        block = texts[start : start + _CHUNK]
        dense = np.zeros((len(block), occupations.shape[1]))
        for row, text in enumerate(block):
            for j, v in _weighted(Counter(_tokens(text)), index, idf).items():
                dense[row, j] = v
        out[:, start : start + len(block)] = occupations @ dense.T
    return out


def _latent_basis(matrix: Matrix, rank: int) -> Matrix:
    """Orthonormal basis of the top-`rank` left singular subspace (sign-free via eigh)."""
    gram = matrix @ matrix.T
    _, vectors = np.linalg.eigh(gram)
    basis: Matrix = np.ascontiguousarray(vectors[:, ::-1][:, :rank])
    return basis


def _unit_range(columns: Matrix) -> Matrix:
    """Min-max scale each column to [0, 1] (a constant column becomes 0)."""
    low, high = columns.min(axis=0), columns.max(axis=0)
    scaled: Matrix = (columns - low) / np.where(high > low, high - low, 1.0)
    return scaled


def derive_skill_layer(
    occupations: Sequence[tuple[str, str, str]],
    tasks: Sequence[tuple[str, str]],
    *,
    vocabulary: Sequence[VocabularyEntry] = (),
    rank: int = DEFAULT_RANK,
    max_edges: int = DEFAULT_MAX_EDGES,
) -> DerivedLayer:
    """Weight descriptors per occupation by LSA-smoothed overlap with its task text.

    ``occupations`` are (O*NET-SOC code, title, description); ``tasks`` are (code, task
    statement). Every ``vocabulary`` entry becomes a descriptor. Each occupation keeps its
    ``max_edges`` strongest.

    >>> occ = [("1", "Cook", "Cook meals."), ("2", "Baker", "Bake bread."),
    ...        ("3", "Nurse", "Care for patients.")]
    >>> tasks = [("1", "Cook food in a kitchen."), ("2", "Bake food in a kitchen."),
    ...          ("3", "Give patients medicine.")]
    >>> voc = [("k:food", "Food Production", "knowledge", "Food, kitchen, meals, bread."),
    ...        ("k:med", "Medicine", "knowledge", "Patients, medicine and care.")]
    >>> layer = derive_skill_layer(occ, tasks, vocabulary=voc, rank=3)
    >>> [(e.occupation, e.descriptor, e.weight) for e in layer.edges]
    [('1', 'k:food', 0.949), ('2', 'k:food', 1.0), ('3', 'k:med', 1.0)]
    """
    if rank < 1 or max_edges < 1:
        raise ValueError("rank and max_edges must be at least 1")
    codes = sorted({code for code, _, _ in occupations})
    if len(codes) != len(occupations):
        raise ValueError("duplicate occupation code")
    position = {code: i for i, code in enumerate(codes)}
    texts = [[title, description] for _, title, description in sorted(occupations)]
    for code, statement in sorted(tasks):
        if code not in position:
            raise ValueError(f"task for unknown occupation {code!r}")
        texts[position[code]].append(statement)
    documents = [_tokens(" ".join(parts)) for parts in texts]
    matrix, index, idf = _occupation_space(documents)
    basis = _latent_basis(matrix, min(rank, len(codes)))

    def smoothed(entries: Sequence[VocabularyEntry]) -> Matrix:
        raw = _affinity(matrix, [f"{name} {desc}" for _, name, _, desc in entries], index, idf)
        # Projecting onto the occupation subspace keeps only the broad axes of the task text,
        # which is what carries the rated-skill similarity (rank 5-12 beat raw TF-IDF). Alone it
        # also lights up descriptors the text never mentions (Geography for registered nurses);
        # an equal blend with the direct overlap keeps the descriptors a person would name on
        # top and measured slightly better (Spearman 0.657 vs 0.654 on the embedded inputs).
        blended: Matrix = _BLEND * _unit_range(basis @ (basis.T @ raw)) + (
            1.0 - _BLEND
        ) * _unit_range(raw)
        return blended

    entries = sorted(vocabulary)
    scores = smoothed(entries)
    if len({e[0] for e in entries}) != len(entries):
        raise ValueError("duplicate descriptor id")

    # Min-max per descriptor: 1 marks the occupation that matches it best. An affine map per
    # column leaves the z-scored similarity unchanged, so the weights stay readable for free.
    low, high = scores.min(axis=0), scores.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    weights = np.round((scores - low) / span, 3)
    edges: list[DerivedEdge] = []
    for row, code in enumerate(codes):
        order = np.argsort(-weights[row], kind="stable")[:max_edges]
        for j in sorted(order.tolist(), key=lambda j: entries[j][0]):
            w = float(weights[row, j])
            if w > 0:
                edges.append(DerivedEdge(code, entries[j][0], w, METHOD_VERSION))
    used = {e.descriptor for e in edges}
    descriptors = tuple(
        DerivedDescriptor(id_, name, kind, description)
        for id_, name, kind, description in sorted(entries)
        if id_ in used
    )
    notes = (
        f"TF-IDF (sublinear tf, min_df={_MIN_DF}, max_df={_MAX_DF_SHARE}) over title, "
        f"description and task statements; descriptor score = {_BLEND} x rank-{rank} "
        f"LSA-projected plus {1 - _BLEND} x direct TF-IDF overlap with the descriptor's name "
        "and description (each min-max scaled); "
        f"{len(entries)} descriptors; weights min-max scaled per descriptor, top {max_edges} "
        "per occupation, 3 decimals."
    )
    return DerivedLayer(descriptors, tuple(edges), METHOD_VERSION, notes)


def similarity_matrix(layer: DerivedLayer, codes: Sequence[str]) -> Matrix:
    """Cosine similarity of occupations over z-scored descriptor weight columns.

    >>> layer = DerivedLayer((), (DerivedEdge("a", "x", 1.0, "s"), DerivedEdge("b", "y", 1.0, "s")),
    ...                      "s", "")
    >>> similarity_matrix(layer, ["a", "b"]).round(3).tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    position = {code: i for i, code in enumerate(codes)}
    columns = {d: j for j, d in enumerate(sorted({e.descriptor for e in layer.edges}))}
    weights = np.zeros((len(codes), len(columns)))
    for edge in layer.edges:
        row = position.get(edge.occupation)
        if row is not None:
            weights[row, columns[edge.descriptor]] = edge.weight
    std = weights.std(axis=0)
    z = (weights[:, std > 0] - weights[:, std > 0].mean(axis=0)) / std[std > 0]
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    unit = np.divide(z, norms, out=np.zeros_like(z), where=norms > 0)
    result: Matrix = unit @ unit.T
    return result
