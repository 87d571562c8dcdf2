"""Fixed-point codec for OEWS figures: the builder's encoding and the loader's decoding together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "ANNUAL_FROM_HOURLY",
    "NULL",
    "OEWS_SCALES",
    "SIMILARITY_MISSING",
    "decode_oews_values",
    "decode_scores",
    "decode_similarity",
    "encode_oews_value",
    "encode_oews_values",
    "encode_scores",
    "encode_similarity",
]

NULL = int(np.iinfo(np.int32).min)
"""The stored integer for a figure BLS did not publish."""

# Fixed-point scales per OEWS datatype (order of ingest.oews.DATATYPES): BLS publishes employment
# rounded to tens, RSEs to one decimal, hourly wages to cents, annual wages to dollars,
# employment per 1,000 jobs to three decimals and location quotients to two.
OEWS_SCALES = (1, 10, 100, 1, 10, 100, 100, 100, 100, 100, 1, 1, 1, 1, 1, 1000, 100)
# Annual wages are hourly x 2,080 (OEWS footnote 2); storing annual figures as the difference
# from that product makes them compress to almost nothing without losing a digit.
ANNUAL_FROM_HOURLY = {3: 2, 10: 5, 11: 6, 12: 7, 13: 8, 14: 9}


class PrecisionError(ValueError):
    """A figure has more decimals than BLS publishes for its datatype."""


def encode_oews_value(value: float, row: int) -> int:
    """One published figure as its fixed-point integer.

    >>> encode_oews_value(20.32, 2), encode_oews_value(42260.0, 3)
    (2032, 42260)
    """
    scaled = value * OEWS_SCALES[row]
    fixed = round(scaled)
    if abs(scaled - fixed) > 1e-6:
        raise PrecisionError(f"{value} has more precision than BLS publishes for row {row}")
    return fixed


def _predicted_annual(hourly: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    # cents x 2,080 -> dollars, rounded to tens of dollars as BLS rounds annual wages.
    predicted: npt.NDArray[np.int64] = (
        np.round(hourly.astype(np.float64) * 2080 / 1000) * 10
    ).astype(np.int64)
    return predicted


def encode_oews_values(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    """Fixed-point rows (datatypes x cells, NULL where unpublished) as stored in a snapshot.

    >>> raw = np.array([[NULL]] * 17, dtype=np.int64); raw[2, 0] = 2032; raw[3, 0] = 42260
    >>> stored = encode_oews_values(raw); int(stored[3, 0])
    -10
    >>> int(decode_oews_values(stored, ANNUAL_FROM_HOURLY)[3, 0])
    42260
    """
    out = values.copy()
    for annual, hourly in ANNUAL_FROM_HOURLY.items():
        both = (out[annual] != NULL) & (out[hourly] != NULL)
        out[annual] = np.where(both, out[annual] - _predicted_annual(out[hourly]), out[annual])
    return out.astype(np.int32)


def decode_oews_values(
    stored: npt.NDArray[np.int32], annual_from_hourly: dict[int, int] | Sequence[tuple[int, int]]
) -> npt.NDArray[np.int32]:
    """The inverse of :func:`encode_oews_values`: the published fixed-point integers (a new
    array: ``stored`` is left as it is, whoever else holds it)."""
    raw = stored.copy()
    pairs = (
        annual_from_hourly.items() if isinstance(annual_from_hourly, dict) else annual_from_hourly
    )
    for annual, hourly in pairs:
        both = (raw[annual] != NULL) & (raw[hourly] != NULL)
        restored = raw[annual].astype(np.int64) + _predicted_annual(raw[hourly].astype(np.int64))
        raw[annual] = np.where(both, restored, raw[annual]).astype(np.int32)
    return raw


SIMILARITY_MISSING = 255
"""The stored byte for a pair without a similarity (a side has no evidence)."""
_SIMILARITY_STEPS = 254


def encode_similarity(matrix: npt.NDArray[np.floating[Any]], lower: float) -> npt.NDArray[np.uint8]:
    """A symmetric similarity matrix in [lower, 1] as bytes over its upper triangle.

    Each value is one of 255 evenly spaced steps (a step is 0.004 for cosines in [0, 1]); NaN is
    :data:`SIMILARITY_MISSING`.

    >>> m = np.array([[1.0, 0.5, np.nan], [0.5, 1.0, 0.25], [np.nan, 0.25, 1.0]])
    >>> encode_similarity(m, 0.0).tolist()
    [127, 255, 64]
    """
    upper = matrix[np.triu_indices(matrix.shape[0], 1)].astype(np.float64)
    steps = np.round((np.clip(upper, lower, 1.0) - lower) / (1.0 - lower) * _SIMILARITY_STEPS)
    return np.where(np.isnan(upper), SIMILARITY_MISSING, steps).astype(np.uint8)


def decode_similarity(
    stored: npt.NDArray[np.uint8], lower: float, size: int
) -> npt.NDArray[np.float32]:
    """The full symmetric matrix back from :func:`encode_similarity` (1 on the diagonal of rows
    with any similarity, NaN where missing).

    >>> decode_similarity(np.array([127, 255, 64], dtype=np.uint8), 0.0, 3).astype(float).round(3).tolist()
    [[1.0, 0.5, nan], [0.5, 1.0, 0.252], [nan, 0.252, 1.0]]
    """
    if stored.shape != (size * (size - 1) // 2,):
        raise ValueError(
            f"a similarity over {size} occupations has {size * (size - 1) // 2} pairs, not {stored.shape}"
        )
    values = lower + stored.astype(np.float32) * np.float32((1.0 - lower) / _SIMILARITY_STEPS)
    values[stored == SIMILARITY_MISSING] = np.nan
    out = np.full((size, size), np.nan, dtype=np.float32)
    rows, columns = np.triu_indices(size, 1)
    out[rows, columns] = values
    out[columns, rows] = values
    known = ~np.isnan(out).all(axis=1)
    out[known, known] = 1.0
    return out


SCORE_MISSING = 65535
"""The stored value for a move without a score (the diagonal, or a side without evidence)."""
_SCORE_STEPS = 65534


def encode_scores(matrix: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.uint16]:
    """A square matrix of 0-1 scores (not symmetric) as 16-bit steps of 1/65534; NaN is
    :data:`SCORE_MISSING`. Ties that rounding makes are broken by the stored order, so rankings
    keep 16 bits of resolution, enough for probabilities that differ in the fifth decimal.

    >>> encode_scores(np.array([[np.nan, 0.5], [1.0, 0.0]])).tolist()
    [[65535, 32767], [65534, 0]]
    """
    values = matrix.astype(np.float64)
    steps = np.round(np.clip(values, 0.0, 1.0) * _SCORE_STEPS)
    return np.where(np.isnan(values), SCORE_MISSING, steps).astype(np.uint16)


def decode_scores(stored: npt.NDArray[np.uint16], size: int) -> npt.NDArray[np.float64]:
    """The score matrix back from :func:`encode_scores`.

    >>> decode_scores(np.array([[65535, 32767], [65534, 0]], dtype=np.uint16), 2).round(4).tolist()
    [[nan, 0.5], [1.0, 0.0]]
    """
    if stored.shape != (size, size):
        raise ValueError(f"scores over {size} occupations are {size}x{size}, not {stored.shape}")
    out = stored.astype(np.float64) / _SCORE_STEPS
    out[stored == SCORE_MISSING] = np.nan
    return out
