"""Fixed-point codec for OEWS figures: the builder's encoding and the loader's decoding together."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "ANNUAL_FROM_HOURLY",
    "NULL",
    "OEWS_SCALES",
    "decode_oews_values",
    "encode_oews_value",
    "encode_oews_values",
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
    """The inverse of :func:`encode_oews_values`: the published fixed-point integers."""
    raw = stored.copy() if not stored.flags.writeable else stored
    pairs = (
        annual_from_hourly.items() if isinstance(annual_from_hourly, dict) else annual_from_hourly
    )
    for annual, hourly in pairs:
        both = (raw[annual] != NULL) & (raw[hourly] != NULL)
        restored = raw[annual].astype(np.int64) + _predicted_annual(raw[hourly].astype(np.int64))
        raw[annual] = np.where(both, restored, raw[annual]).astype(np.int32)
    return raw
