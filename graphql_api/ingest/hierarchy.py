"""SOC and NAICS hierarchy rules shared by the builder: parents of groups and industries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["industry_parent", "soc_group_kind", "soc_parent"]


def soc_group_kind(code: str) -> str:
    """Name the SOC level of a group code: ``major`` (11-0000), ``minor`` (11-1000), ``broad``.

    >>> soc_group_kind("29-0000"), soc_group_kind("29-1000"), soc_group_kind("29-1140")
    ('major', 'minor', 'broad')
    """
    if code[3:] == "0000":
        return "major"
    if code[4:] == "000":
        return "minor"
    return "broad"


def soc_parent(code: str, groups: Iterable[str]) -> str | None:
    """Return the nearest SOC group above ``code`` among ``groups`` (broad, then minor, then major).

    SOC 2018 encodes the hierarchy in the digits: broad groups end in 0, minor groups in 000 and
    major groups in 0000.

    >>> soc_parent("29-1141", {"29-0000", "29-1000", "29-1140"})
    '29-1140'
    >>> soc_parent("29-1140", {"29-0000", "29-1000", "29-1140"})
    '29-1000'
    """
    known = set(groups)
    for candidate in (code[:6] + "0", code[:4] + "000", code[:3] + "0000"):
        if candidate != code and candidate in known:
            return candidate
    return None


def _sector_range(code: str) -> tuple[int, int] | None:
    # OEWS writes NAICS sectors as "AA--BB" (a half-open range of two-digit prefixes) and the
    # government sector as "99-100".
    if "-" not in code:
        return None
    first, _, last = code.partition("-")
    last = last.lstrip("-")
    if not (first.isdigit() and last.isdigit()):
        return None
    return int(first), int(last[:2]) if len(last) > 2 else int(last)


def industry_parent(code: str, levels: Mapping[str, int]) -> str | None:
    """Return the parent of an OEWS industry code given every code's display level.

    >>> levels = {"000000": 0, "62--63": 2, "621000": 3, "621100": 4, "621111": 5}
    >>> industry_parent("621111", levels), industry_parent("621000", levels)
    ('621100', '62--63')
    """
    level = levels[code]
    if level == 0:
        return None
    best: tuple[int, str] | None = None
    if code.isdigit():
        for other, other_level in levels.items():
            if other_level >= level or other == code:
                continue
            if other.isdigit():
                stem = other.rstrip("0")
                if stem and code.startswith(stem) and (best is None or other_level > best[0]):
                    best = (other_level, other)
            else:
                span = _sector_range(other)
                if (
                    span
                    and span[0] <= int(code[:2]) < span[1]
                    and (best is None or other_level > best[0])
                ):
                    best = (other_level, other)
    if best is not None:
        return best[1]
    return "000000" if "000000" in levels and code != "000000" else None
