"""A tiny hand-built career graph for examples and fast tests, like ``nx.path_graph(5)``.

Five occupations, a handful of skills, three places and two industries, with invented figures
(round numbers, so an example can be checked by eye). It goes through the same snapshot tables
and decoder as a real snapshot, so what works here works on the embedded default.

>>> career = tiny_career()
>>> sorted(career.by_code)
['15-1252.00', '29-1141.00', '29-2061.00', '31-1131.00', '43-4051.00']
>>> career.by_code["29-1141.00"].title
'Registered Nurses'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphql_api.graph.model import CareerGraph, graph_from_snapshot
from graphql_api.snapshot import Snapshot
from graphql_api.snapshot import tables as t
from graphql_api.snapshot.codec import ANNUAL_FROM_HOURLY, NULL, OEWS_SCALES, encode_oews_values

__all__ = ["TINY_DATATYPES", "tiny_career", "tiny_snapshot"]

# The OEWS datatypes in snapshot row order (as graphql_api.ingest.oews.DATATYPES lists them).
TINY_DATATYPES = (
    "employment",
    "employment_rse",
    "hourly_mean",
    "annual_mean",
    "wage_rse",
    "hourly_p10",
    "hourly_p25",
    "hourly_median",
    "hourly_p75",
    "hourly_p90",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "jobs_per_1000",
    "location_quotient",
)

_OCCUPATIONS = (
    ("29-1141.00", "Registered Nurses", 3, "29-1141", "Care for patients."),
    ("29-2061.00", "Licensed Practical and Licensed Vocational Nurses", 3, "29-2061", "Nurse."),
    ("31-1131.00", "Nursing Assistants", 2, "31-1131", "Help patients with daily care."),
    ("43-4051.00", "Customer Service Representatives", 2, "43-4051", "Answer customers."),
    ("15-1252.00", "Software Developers", 4, "15-1252", "Write software."),
)
_TASKS = {
    "29-1141.00": ("Monitor patient health.", "Administer medications to patients."),
    "29-2061.00": ("Monitor patient health.", "Dress wounds."),
    "31-1131.00": ("Help patients bathe and dress.", "Measure patient vital signs."),
    "43-4051.00": ("Answer customer questions.", "Resolve customer complaints."),
    "15-1252.00": ("Write computer programs.", "Test software."),
}
_ALTERNATES = {
    "29-1141.00": (("Staff Nurse", None, 3), ("Registered Nurse", "RN", 4)),
    "29-2061.00": (("Licensed Practical Nurse", "LPN", 4),),
    "31-1131.00": (("Certified Nursing Assistant", "CNA", 4), ("Patient Care Technician", None, 4)),
    "43-4051.00": (("Customer Care Representative", None, 3),),
    "15-1252.00": (("Software Engineer", None, 4),),
}
_SKILLS = (
    ("onet:2.A.1.a", "Reading Comprehension"),
    ("onet:2.B.1.e", "Service Orientation"),
    ("onet:2.B.3.e", "Programming"),
)
# Importance (1-5) per occupation and skill, in _SKILLS order.
_IMPORTANCE = {
    "29-1141.00": (4.0, 4.0, 1.0),
    "29-2061.00": (3.5, 4.0, 1.0),
    "31-1131.00": (3.0, 3.5, 1.0),
    "43-4051.00": (3.0, 4.5, 1.2),
    "15-1252.00": (4.0, 2.0, 4.8),
}
_AREAS = (
    ("0000000", "national", "00", "U.S."),
    ("5300000", "state", "53", "Washington"),
    ("0042660", "metro", "53", "Seattle-Tacoma-Bellevue, WA"),
)
_INDUSTRIES = (
    ("000000", "Cross-industry", 1, None, False),
    ("622000", "Hospitals", 3, "000000", False),
)
# National, all-industry jobs and median hourly wage per SOC code; WA and Seattle pay 20% more.
_PAY = {
    "29-1141": (3_000_000, 45.00),
    "29-2061": (600_000, 30.00),
    "31-1131": (1_400_000, 20.00),
    "43-4051": (2_600_000, 21.50),
    "15-1252": (1_600_000, 65.00),
}


def _cells() -> tuple[Any, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    socs = sorted(_PAY)
    columns: list[tuple[int, int, int, dict[str, float]]] = []
    for o, soc in enumerate(socs):
        jobs, hourly = _PAY[soc]
        for a, (_, kind, _, _) in enumerate(_AREAS):
            factor = 1.0 if kind == "national" else 1.2
            share = 1.0 if kind == "national" else (0.03 if kind == "state" else 0.015)
            wage = round(hourly * factor, 2)
            figures = {
                "employment": round(jobs * share, -1),
                "hourly_median": wage,
                "annual_median": round(wage * 2080, -1),
                "hourly_mean": wage,
                "annual_mean": round(wage * 2080, -1),
            }
            columns.append((o, 0, a, figures))
        if soc.startswith("29") or soc == "31-1131":
            figures = {"employment": round(jobs * 0.5, -1), "hourly_median": hourly}
            figures["annual_median"] = round(hourly * 2080, -1)
            columns.append((o, 1, 0, figures))
    keys = np.array([[c[0] for c in columns], [c[1] for c in columns], [c[2] for c in columns]])
    values = np.full((len(TINY_DATATYPES), len(columns)), NULL, dtype=np.int64)
    for column, (_, _, _, figures) in enumerate(columns):
        for name, value in figures.items():
            row = TINY_DATATYPES.index(name)
            values[row, column] = round(value * OEWS_SCALES[row])
    return socs, keys.astype(np.uint16), encode_oews_values(values)


def tiny_snapshot() -> Snapshot:
    """The tiny graph's snapshot: the same named tables a build writes, with invented figures."""
    socs, keys, values = _cells()
    occupations = [
        t.OccupationRow(
            code=code,
            soc=soc,
            onet=True,
            title=title,
            slug=title.lower().replace(" ", "-"),
            description=description,
            job_zone=zone,
            pay_soc=soc,
            pay_basis="direct",
            group=soc[:3] + "0000",
        )
        for code, title, zone, soc, description in _OCCUPATIONS
    ]
    groups = sorted({o.soc[:3] + "0000" for o in occupations})
    requires = [
        t.RequirementRow(
            code,
            skill,
            importance,
            None,
            None,
            "O*NET (invented) skill ratings",
            recommend_suppress=False,
            not_relevant=False,
            hot=False,
            in_demand=False,
        )
        for code, row in _IMPORTANCE.items()
        for (skill, _), importance in zip(_SKILLS, row, strict=True)
    ]
    tables: dict[str, Any] = {
        "oews": {
            "release": "May 2099 (invented)",
            "release_code": "tiny",
            "year": 2099,
            "datatypes": list(TINY_DATATYPES),
            "scales": list(OEWS_SCALES),
            "annual_from_hourly": {str(k): v for k, v in ANNUAL_FROM_HOURLY.items()},
            "notes": [["", None]],
            "footnotes": {},
        },
        "oews_occupations": t.encode_table(
            (t.OewsOccupationRow(soc, soc, 3) for soc in socs), t.OewsOccupationRow
        ),
        "areas": t.encode_table((t.AreaRow(*a) for a in _AREAS), t.AreaRow),
        "industries": t.encode_table((t.IndustryRow(*i) for i in _INDUSTRIES), t.IndustryRow),
        "groups": t.encode_table(
            (t.GroupRow(g, f"Group {g}", "major", None) for g in groups), t.GroupRow
        ),
        "occupations": t.encode_table(occupations, t.OccupationRow),
        "tasks": t.encode_table(
            (
                t.TaskRow(code, text, "Core", None)
                for code, texts in _TASKS.items()
                for text in texts
            ),
            t.TaskRow,
        ),
        "alternate_titles": t.encode_table(
            (
                t.AlternateTitleRow(code, title, short, sources)
                for code, titles in _ALTERNATES.items()
                for title, short, sources in titles
            ),
            t.AlternateTitleRow,
        ),
        "descriptors": t.encode_table(
            (
                t.DescriptorRow(key, name, "skill", f"{name} (invented).", None)
                for key, name in _SKILLS
            ),
            t.DescriptorRow,
        ),
        "requires": t.encode_table(requires, t.RequirementRow),
        "related": t.encode_table(
            (
                t.RelatedRow("31-1131.00", "29-2061.00", "Primary-Short", 1),
                t.RelatedRow("29-2061.00", "29-1141.00", "Primary-Short", 1),
            ),
            t.RelatedRow,
        ),
    }
    arrays = {
        "oews_keys": keys,
        "oews_values": values,
        "oews_notes": np.zeros((len(TINY_DATATYPES), keys.shape[1]), dtype=np.uint8),
    }
    manifest = {"name": "careergraph tiny", "kind": "tiny", "version": "tiny", "onet_release": "0"}
    return Snapshot(manifest=manifest, tables=tables, arrays=arrays)


def tiny_career() -> CareerGraph:
    """The tiny graph, decoded as a real snapshot would be.

    >>> tiny_career().by_code["31-1131.00"].alternate_short_titles
    ('CNA', None)
    """
    from graphql_api.graph.prepared import prepare  # noqa: PLC0415 - prepared imports tiny's users

    return prepare(graph_from_snapshot(tiny_snapshot()))
