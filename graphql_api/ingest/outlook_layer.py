"""Outlook, education and demographics tables for the snapshot, from BLS projections and CPS."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql_api.ingest.census_match import CensusMatch, match_census_titles, match_coverage
from graphql_api.ingest.cps import CpsOccupationRow, CpsTable, inherit_levels
from graphql_api.ingest.projections import (
    GROWTH_LABELS,
    EducationAttainment,
    ProjectedOccupation,
    Projections,
    growth_label,
)

__all__ = [
    "AGE_BANDS",
    "SEX_RACE_SHARES",
    "NemMatch",
    "growth_bands",
    "outlook_tables",
    "resolve_nem",
]

SEX_RACE_SHARES = ("women", "white", "black", "asian", "hispanic")
AGE_BANDS = ("16_19", "20_24", "25_34", "35_44", "45_54", "55_64", "65_plus")
# Table 5.3's title names the ACS years behind each release's attainment shares
# ("... by detailed occupation, 2022–23" in the 2024-34 education.xlsx); the reader keeps no title.
_ATTAINMENT_YEARS = {"2024-34": "2022-23"}
_GROWTH_SOURCE = (
    "BLS Occupational Outlook Handbook 'Job Outlook' phrases, applied to Table 1.2 percent "
    "change rounded to a whole percent against the 'Total, all occupations' row"
)


@dataclass(frozen=True, slots=True)
class NemMatch:
    """The National Employment Matrix row whose figures a SOC code shows, and how.

    ``method`` is "direct" (the NEM line item has the SOC code), "aggregate" (a NEM line item
    that BLS publishes for several SOC codes of the same broad group, e.g. 13-1020 for 13-1021,
    13-1022 and 13-1023) or "summary" (no line item covers the code; the NEM summary row of its
    broad group, e.g. 21-1010 "Counselors", stands in).
    """

    soc: str
    nem: ProjectedOccupation
    method: str


def _broad_code(soc: str) -> str:
    """'13-1021' -> '13-1020', the SOC broad group holding a detailed code."""
    return soc[:6] + "0"


def resolve_nem(
    socs: Sequence[str], projections: Projections, *, claimed: Sequence[str] = ()
) -> dict[str, NemMatch]:
    """Find the NEM row behind each SOC code; codes with no covering row are absent.

    ``claimed`` are SOC codes that other occupations hold in their own right (O*NET's codes):
    a NEM line item with one of those codes never stands in for a sibling.

    A code with no line item of its own takes, in order: the line item of its broad group
    (xx-xxx0, which covers the whole group by definition); else the one line item of the same
    broad group that no occupation claims (BLS's own aggregate, e.g. 53-1047 for 53-1042..49);
    else the broad group's summary row. Two or more candidates leave the code unmatched.

    >>> from graphql_api.ingest.projections import ProjectedOccupation, Projections
    >>> def row(code, line=True):
    ...     return ProjectedOccupation(code, code, line, 1, 1, 0, 0, None, 0, None, False,
    ...                                None, None, None, "Table 1.2", 1)
    >>> p = Projections("2024-34", (row("00-0000", False), row("13-1020")), (), row("00-0000"))
    >>> resolve_nem(["13-1021"], p)["13-1021"].method
    'aggregate'
    """
    by_code = projections.by_code()
    claimed_codes = set(claimed)
    free = [o for o in projections.line_items if o.code not in claimed_codes]
    out: dict[str, NemMatch] = {}
    for soc in socs:
        own = by_code.get(soc)
        if own is not None and own.line_item:
            out[soc] = NemMatch(soc, own, "direct")
            continue
        broad = by_code.get(_broad_code(soc))
        if broad is not None and broad.line_item:
            out[soc] = NemMatch(soc, broad, "aggregate")
            continue
        siblings = [o for o in free if o.code[:6] == soc[:6] and o.code != soc]
        if len(siblings) == 1:
            out[soc] = NemMatch(soc, siblings[0], "aggregate")
        elif not siblings and broad is not None:
            out[soc] = NemMatch(soc, broad, "summary")
    return out


def growth_bands(average: float) -> list[dict[str, Any]]:
    """Whole-percent ranges of each growth label for an all-occupations average.

    Computed by asking ``growth_label`` itself, so the bands cannot drift from the labels;
    None marks an open end.

    >>> [(b["label"], b["min_percent"], b["max_percent"]) for b in growth_bands(3.1)][:2]
    [('Much faster than average', 7, None), ('Faster than average', 5, 6)]
    """
    low, high = -100, 200
    ranges: dict[str, list[int]] = {}
    for percent in range(low, high + 1):
        ranges.setdefault(growth_label(float(percent), average), []).append(percent)
    bands = []
    for label in GROWTH_LABELS:
        if label not in ranges:
            continue
        values = ranges[label]
        bands.append(
            {
                "label": label,
                "min_percent": None if values[0] == low else values[0],
                "max_percent": None if values[-1] == high else values[-1],
            }
        )
    return bands


def _projection_row(match: NemMatch, period: str, average: float) -> dict[str, Any]:
    nem = match.nem
    return {
        "nem_code": nem.code,
        "nem_title": nem.title,
        "nem_line_item": nem.line_item,
        "match": match.method,
        "period": period,
        "employment_2024": nem.employment_2024,
        "employment_2034": nem.employment_2034,
        "change": nem.change,
        "percent_change": nem.percent_change,
        "annual_openings": nem.annual_openings,
        "self_employed_percent": nem.self_employed_percent,
        "median_wage_2024": nem.median_wage_2024,
        "median_wage_top_coded": nem.median_wage_top_coded,
        "entry_education": nem.entry_education,
        "work_experience": nem.work_experience,
        "training": nem.training,
        "growth_label": growth_label(nem.percent_change, average),
        "sheet": nem.sheet,
        "row": nem.row,
    }


def _attainment_row(
    match: NemMatch, attainment: EducationAttainment, years: str | None
) -> dict[str, Any]:
    shares = list(attainment.shares.items())
    top = max(share for _, share in shares)
    leaders = [level for level, share in shares if share == top]
    return {
        "nem_code": attainment.code,
        "nem_title": attainment.title,
        "match": match.method,
        "years": years,
        "shares": [[level, share] for level, share in shares],
        "most_common": leaders[0],
        "most_common_share": top,
        "most_common_tied": leaders[1:],
        "acs_approximate": attainment.acs_approximate,
        "sheet": attainment.sheet,
        "row": attainment.row,
    }


def _census_part(
    table: CpsTable, match: CensusMatch, row: CpsOccupationRow, keys: Sequence[str]
) -> dict[str, Any]:
    return {
        "table": table.table,
        "survey_year": table.year,
        "census_title": match.census_title,
        "match": match.method,
        "level": match.level,
        "total_employed": row.total_employed,
        "values": {key: row.values.get(key) for key in keys},
        "sheet": row.sheet,
        "row": row.row,
    }


def _pick_table(cps: Sequence[CpsTable], number: str) -> CpsTable | None:
    found = [t for t in cps if t.table == number]
    # The most recent survey year wins when a build is given two years of one table.
    return max(found, key=lambda t: t.year) if found else None


def _soc_titles(occupations: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """One title per SOC code: its own row or its O*NET '.00' row (specialities never)."""
    titles: dict[str, str] = {}
    for code, soc, title in occupations:
        if code in (soc, f"{soc}.00"):
            titles.setdefault(soc, title)
    return titles


def _coverage(
    codes: Sequence[tuple[str, str]], tables: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Count (key, soc) pairs by what the per-SOC tables hold for their SOC code."""
    outlook = tables["projections"]
    attainment = tables["attainment"]
    demographics = tables["demographics"]
    with_outlook = [soc for _, soc in codes if soc in outlook]
    return {
        "total": len(codes),
        "outlook": len(with_outlook),
        "outlook_by_match": dict(
            sorted(Counter(outlook[s]["match"] for s in with_outlook).items())
        ),
        "entry_education": sum(
            1 for _, soc in codes if soc in outlook and outlook[soc]["entry_education"]
        ),
        "attainment": sum(1 for _, soc in codes if soc in attainment),
        "demographics_matched": sum(1 for _, soc in codes if soc in demographics),
        # A matched Census line may show only dashes (base under 50,000): counted apart.
        "demographics": sum(1 for _, soc in codes if _has_values(demographics.get(soc))),
        "sex_race": sum(1 for _, soc in codes if _has_values(demographics.get(soc), ("sex_race",))),
        "median_age": sum(
            1
            for _, soc in codes
            if (demographics.get(soc) or {}).get("age")
            and demographics[soc]["age"]["values"]["median_age"] is not None
        ),
    }


def _has_values(
    entry: Mapping[str, Any] | None, parts: Sequence[str] = ("sex_race", "age")
) -> bool:
    if not entry:
        return False
    return any(
        value is not None
        for part in parts
        if entry.get(part)
        for value in entry[part]["values"].values()
    )


def outlook_tables(
    projections: Projections | None,
    cps: Sequence[CpsTable],
    occupations: Sequence[tuple[str, str, str]],
    soc_groups: Sequence[tuple[str, str]],
    *,
    oews_detailed: Sequence[str] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build the snapshot tables "projections", "attainment", "demographics", "outlook_meta".

    ``occupations`` are the snapshot's (occupation code, SOC code, title); ``soc_groups`` the
    OEWS (group code, title) pairs used to match aggregated Census lines. Every figure is keyed
    by occupation code; O*NET specialities (.01, .02...) carry their SOC code's figures with
    ``inherited`` set. Returns (tables, coverage counts for the manifest); with
    ``oews_detailed`` (the OEWS detailed SOC codes) the counts include those codes too.
    """
    if projections is None and not cps:
        return {}, {}
    tables: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    onet_socs = sorted({soc for code, soc, _ in occupations if "." in code})
    socs = sorted({soc for _, soc, _ in occupations} | set(oews_detailed or ()))

    by_soc: dict[str, dict[str, dict[str, Any]]] = {
        "projections": {},
        "attainment": {},
        "demographics": {},
    }
    if projections is not None:
        average = projections.total.percent_change
        years = _ATTAINMENT_YEARS.get(projections.period)
        attainment = {a.code: a for a in projections.attainment}
        for soc, match in resolve_nem(socs, projections, claimed=onet_socs).items():
            by_soc["projections"][soc] = _projection_row(match, projections.period, average)
            found = attainment.get(match.nem.code)
            if found is not None:
                by_soc["attainment"][soc] = _attainment_row(match, found, years)
        meta["projections"] = {
            "source": "BLS Employment Projections",
            "period": projections.period,
            "table": "Table 1.2",
            "all_occupations_percent_change": average,
            "all_occupations_annual_openings": projections.total.annual_openings,
            "growth_label_bands": growth_bands(average),
            "growth_label_source": _GROWTH_SOURCE,
            "units": "employment, change and openings in thousands; wages in dollars",
        }
        if projections.attainment:
            meta["attainment"] = {
                "source": "BLS Employment Projections",
                "table": "Table 5.3",
                "years": years,
                "note": "workers 25 years and older; shares of the occupation's workers by "
                "highest level of education (ACS)",
            }

    census: dict[str, Any] = {}
    table_11 = _pick_table(cps, "11")
    table_11b = _pick_table(cps, "11b")
    if table_11 is not None and table_11b is not None:
        # A copy of table 11 saved without indents takes its levels from table 11b.
        table_11 = inherit_levels(table_11, table_11b)
    titles = _soc_titles(occupations)
    for extra in oews_detailed or ():
        titles.setdefault(extra, "")
    soc_list = [(soc, titles[soc]) for soc in sorted(titles) if titles[soc]]
    for part, table, keys in (
        ("sex_race", table_11, SEX_RACE_SHARES),
        ("age", table_11b, (*AGE_BANDS, "median_age")),
    ):
        if table is None:
            continue
        rows = {row.title: row for row in table.rows}
        matches = match_census_titles(
            [(row.title, row.level) for row in table.rows], soc_list, soc_groups
        )
        for soc, census_line in sorted(matches.items()):
            entry = by_soc["demographics"].setdefault(soc, {"sex_race": None, "age": None})
            entry[part] = _census_part(table, census_line, rows[census_line.census_title], keys)
        matched = match_coverage(matches, soc_list)
        census[table.table] = {
            "matched": matched.matched,
            "total": matched.total,
            "by_method": dict(sorted(matched.by_method.items())),
        }
        meta[part] = {
            "source": "BLS Current Population Survey",
            "table": f"Table {table.table}",
            "survey_year": table.year,
            "units": "percent of total employed"
            if part == "sex_race"
            else "thousands employed by age band; median age in years",
            "note": table.note,
        }

    # Per occupation code: its SOC code's rows, marked inherited for O*NET specialities.
    for name, per_soc in by_soc.items():
        out: dict[str, Any] = {}
        for code, soc, _ in sorted(occupations):
            row = per_soc.get(soc)
            if row is None:
                continue
            inherited = "." in code and not code.endswith(".00")
            out[code] = {**row, "soc": soc, "inherited": inherited}
        tables[name] = out
    meta["survey_years"] = {
        part: meta[part]["survey_year"] for part in ("sex_race", "age") if part in meta
    }
    meta["census_match_method"] = (
        "Census titles matched to SOC titles: exact, then normalised words, then SOC broad or "
        "minor group titles for aggregated Census lines; unmatched occupations have no figures "
        "(graphql_api.ingest.census_match)"
    )
    meta["notes"] = [
        "O*NET specialities (codes .01, .02 ...) show their SOC occupation's BLS figures "
        "(inherited).",
        "NEM 'aggregate' rows are BLS line items covering several SOC codes; 'summary' rows are "
        "broad-group totals standing in where no line item covers a code.",
    ]
    tables["outlook_meta"] = meta

    occupation_pairs = [(code, soc) for code, soc, _ in occupations]
    coverage: dict[str, Any] = {
        "occupations": _coverage(occupation_pairs, by_soc),
        "soc_codes": _coverage([(s, s) for s in sorted({s for _, s in occupation_pairs})], by_soc),
        "census_match": census,
    }
    if oews_detailed is not None:
        coverage["oews_detailed"] = _coverage([(s, s) for s in sorted(set(oews_detailed))], by_soc)
    return tables, coverage
