"""Shared enums, the Node interface, global ids, and small value types."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from graphql_api.api.context import Context
from graphql_api.api.errors import bad_user_input
from graphql_api.graph import model, search
from graphql_api.ranker import COMPONENTS

if TYPE_CHECKING:
    from graphql_api.api.types.occupation import Occupation

__all__ = [
    "Higher",
    "MajorGroupFilter",
    "Match",
    "MatchAlternative",
    "MoveLabel",
    "Node",
    "PayMeasure",
    "RelatedMethod",
    "SimilarityComponents",
    "SkillKind",
    "Source",
    "WageStatistic",
    "career_of",
    "decode_global_id",
    "encode_global_id",
    "enum_member",
    "jobs_count",
    "skill_kind_of",
]

AppInfo = Info[Context, None]


def career_of(info: AppInfo) -> Any:
    """The request's :class:`CareerGraph`."""
    return info.context.career


def encode_global_id(kind: str, key: str) -> str:
    """Relay-style global id: base64 of ``Type:key``.

    >>> encode_global_id("Occupation", "29-1141.00")
    'T2NjdXBhdGlvbjoyOS0xMTQxLjAw'
    """
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def decode_global_id(value: str) -> tuple[str, str]:
    """Split a global id into (type name, key); BAD_USER_INPUT naming ``id`` when malformed."""
    try:
        text = base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise bad_user_input("id", "is not a global id (base64 of Type:key)") from None
    kind, sep, key = text.partition(":")
    if not sep or not kind or not key:
        raise bad_user_input("id", "is not a global id (base64 of Type:key)")
    return kind, key


@strawberry.interface(description="Anything with a global id: fetch it again with `node(id:)`.")
class Node:
    @strawberry.field(description="Global id (base64 of `Type:key`), stable across snapshots.")
    def id(self) -> strawberry.ID:
        raise NotImplementedError  # every implementing type resolves its own id


def enum_text(member: Enum) -> str:
    """The string behind a Strawberry enum member (typed: mypy sees EnumValueDefinition)."""
    return str(member.value)


E = TypeVar("E", bound=Enum)


def enum_member(kind: type[E], text: str | None, default: E) -> E:
    """The member of ``kind`` whose value is ``text``, or ``default`` for anything else."""
    for member in kind:
        if enum_text(member) == text:
            return member
    return default


@strawberry.enum(description="Kinds of descriptor an occupation can require.")
class SkillKind(Enum):
    SKILL = strawberry.enum_value("skill", description="O*NET skill (e.g. Active Listening).")
    KNOWLEDGE = strawberry.enum_value("knowledge", description="O*NET knowledge area.")
    ABILITY = strawberry.enum_value("ability", description="O*NET ability.")
    TECHNOLOGY = strawberry.enum_value(
        "technology", description="Software or technology named in O*NET Technology Skills."
    )
    DERIVED = strawberry.enum_value(
        "derived",
        description=(
            "As a filter: the descriptors derived from task statements and descriptions "
            "(source `derived:...`), whatever their kind: the knowledge areas O*NET does not "
            "rate in this release."
        ),
    )


RATED_KINDS = frozenset({"skill", "knowledge", "ability", "technology"})


def skill_kind_of(kind: str) -> SkillKind:
    """Map a descriptor's kind to the enum; anything unrated is DERIVED."""
    return SkillKind(kind) if kind in RATED_KINDS else SkillKind.DERIVED


@strawberry.enum(description="How related careers are scored.")
class RelatedMethod(Enum):
    COMPOSITE = strawberry.enum_value(
        "composite",
        description=(
            "The relatedness ranker (default): 600 boosted regression trees (LambdaMART) over "
            "every component (its similarity standardised among the occupation's candidates, "
            "and how typical the candidate is on it), the Job Zone change, the pay gap and the "
            "SOC groups shared, fitted on O*NET's expert-reviewed related occupations (never "
            "read as a feature). Its output is calibrated by a logistic map fitted out of fold, "
            "so the score is the estimated chance that O*NET's analysts list the move among the "
            "occupation's ten most related. With `weights`, the weighted mean of the components "
            "instead."
        ),
    )
    WORDS = strawberry.enum_value("words", description="The `words` component alone.")
    TASKS = strawberry.enum_value("tasks", description="The `tasks` component alone.")
    ACTIVITIES = strawberry.enum_value(
        "activities", description="The `activities` component alone."
    )
    TITLES = strawberry.enum_value("titles", description="The `titles` component alone.")
    DESCRIPTION = strawberry.enum_value(
        "description", description="The `description` component alone."
    )
    SKILLS = strawberry.enum_value("skills", description="The `skills` component alone.")
    INTERESTS = strawberry.enum_value("interests", description="The `interests` component alone.")
    TECHNOLOGY = strawberry.enum_value(
        "technology", description="The `technology` component alone."
    )
    TOOLS = strawberry.enum_value("tools", description="The `tools` component alone.")
    INDUSTRIES = strawberry.enum_value(
        "industries", description="The `industries` component alone."
    )
    ONET = strawberry.enum_value(
        "onet",
        description=(
            "O*NET's own Related Occupations list in O*NET's order (empty "
            "otherwise), explained with our component scores. `minScore` does not apply."
        ),
    )


@strawberry.enum(description="What kind of move a related career is, by pay and SOC major group.")
class MoveLabel(Enum):
    ADVANCEMENT = strawberry.enum_value(
        "advancement", description="Pays at least 5% more, same SOC major group."
    )
    LATERAL_ADVANCEMENT = strawberry.enum_value(
        "lateral advancement", description="Pays at least 5% more, another SOC major group."
    )
    SIMILAR = strawberry.enum_value(
        "similar", description="Pay within 5% or lower (or unknown), same SOC major group."
    )
    LATERAL_TRANSITION = strawberry.enum_value(
        "lateral transition",
        description="Pay within 5% or lower (or unknown), another SOC major group.",
    )


@strawberry.enum(description="Restrict related careers by SOC major group.")
class MajorGroupFilter(Enum):
    ANY = strawberry.enum_value("any", description="No restriction.")
    SAME = strawberry.enum_value("same", description="Only the occupation's own major group.")
    OTHER = strawberry.enum_value("other", description="Only other major groups.")


@strawberry.enum(description="Which side of a two-way comparison has the higher value.")
class Higher(Enum):
    A = strawberry.enum_value("a", description="The first occupation (`a`).")
    B = strawberry.enum_value("b", description="The second occupation (`b`).")
    EQUAL = strawberry.enum_value("equal", description="Both are equal.")


@strawberry.enum(description="A wage statistic published by OEWS.")
class WageStatistic(Enum):
    MEAN = strawberry.enum_value("mean", description="The mean (average) wage.")
    MEDIAN = strawberry.enum_value("median", description="The median: half earn more.")
    P10 = strawberry.enum_value("p10", description="The 10th percentile: 10% earn less.")
    P25 = strawberry.enum_value("p25", description="The 25th percentile.")
    P75 = strawberry.enum_value("p75", description="The 75th percentile.")
    P90 = strawberry.enum_value("p90", description="The 90th percentile: 10% earn more.")


@strawberry.enum(description="The OEWS figure a pay ranking sorts by.")
class PayMeasure(Enum):
    ANNUAL_MEAN = strawberry.enum_value("annual_mean", description="Mean annual wage.")
    ANNUAL_MEDIAN = strawberry.enum_value("annual_median", description="Median annual wage.")
    HOURLY_MEAN = strawberry.enum_value("hourly_mean", description="Mean hourly wage.")
    HOURLY_MEDIAN = strawberry.enum_value("hourly_median", description="Median hourly wage.")
    EMPLOYMENT = strawberry.enum_value("employment", description="Number of jobs.")


@strawberry.type(description="Another occupation an identifier could mean, and how likely.")
class MatchAlternative:
    record: strawberry.Private[model.Occupation]
    score: float = strawberry.field(
        description="The resolver's probability that the identifier means this occupation, 0-1 "
        "(its share among the candidates the trees re-rank)."
    )

    @strawberry.field(description="The occupation.")
    def occupation(
        self,
    ) -> Annotated[Occupation, strawberry.lazy("graphql_api.api.types.occupation")]:
        from graphql_api.api.types.occupation import Occupation  # noqa: PLC0415 (import cycle)

        return Occupation.of(self.record)


@strawberry.enum(description="How an identifier was matched to an occupation.")
class MatchMethod(Enum):
    ONET_SOC_CODE = strawberry.enum_value(
        "onet_soc_code", description="An O*NET-SOC code, e.g. `29-1141.00`."
    )
    SOC_CODE = strawberry.enum_value(
        "soc_code",
        description="A SOC code (`29-1141`, `291141`); one O*NET splits resolves to its first "
        "O*NET occupation.",
    )
    SLUG = strawberry.enum_value("slug", description="A slug, e.g. `registered-nurses`.")
    EXACT_NAME = strawberry.enum_value(
        "exact",
        description="The text equals one of the occupation's names (`matchedField` says which).",
    )
    CLOSEST_NAME = strawberry.enum_value(
        "closest",
        description="No name equals the text: the most likely occupation, as the title model's "
        "candidates are re-ranked by boosted trees fitted on held-out O*NET alternate titles "
        "(`score` is its probability, `matchedField` the kind of name closest to the text). A "
        "text that is a name once its spelling is corrected (`plumer`) keeps the title model's "
        "reading.",
    )


@strawberry.enum(description="Which kind of name of an occupation matched.")
class MatchField(Enum):
    TITLE = strawberry.enum_value("title", description="Its title.")
    CODE = strawberry.enum_value("code", description="Its O*NET-SOC or SOC code.")
    ALTERNATE_TITLE = strawberry.enum_value(
        "alternate_title", description="One of O*NET's alternate titles for it."
    )
    REPORTED_TITLE = strawberry.enum_value(
        "reported_title", description="A title its workers reported to O*NET."
    )


def match_method(matched_by: str) -> tuple[MatchMethod, MatchField | None]:
    """The graph's match label as the API's method and field.

    >>> match_method("closest_alternate_title")
    (<MatchMethod.CLOSEST_NAME: 'closest'>, <MatchField.ALTERNATE_TITLE: 'alternate_title'>)
    >>> match_method("soc_code")
    (<MatchMethod.SOC_CODE: 'soc_code'>, None)
    """
    if matched_by in {"onet_soc_code", "soc_code", "slug"}:
        return MatchMethod(matched_by), None
    if matched_by.startswith("closest_"):
        return MatchMethod.CLOSEST_NAME, MatchField(matched_by.removeprefix("closest_"))
    return MatchMethod.EXACT_NAME, MatchField(matched_by)


@strawberry.type(
    description=(
        "How an identifier you passed resolved: the occupation, how it matched and the close "
        "alternatives. It belongs to the lookup (`Query.occupationMatch`, `Comparison.aMatch`), "
        "not to the occupation, so a normalised client cache keeps each lookup's own."
    )
)
class Match:
    record: strawberry.Private[model.Occupation]
    matched_by: MatchMethod = strawberry.field(description="How the identifier matched.")
    matched_field: MatchField | None = strawberry.field(
        description="Which kind of name matched (null for a code or slug)."
    )
    matched_text: str = strawberry.field(description="The code, title or name that matched.")
    score: float = strawberry.field(
        description=(
            "1 for a code, slug or exact name; for CLOSEST_NAME, the resolver's "
            "probability that the identifier means this occupation (0-1)."
        )
    )
    alternatives: list[MatchAlternative] = strawberry.field(
        default_factory=list,
        description=(
            "Close runner-ups, most likely first (at most 4): other occupations the identifier "
            "could mean, with a probability at least a fifth of the best reading's. Empty when "
            "the reading is clear."
        ),
    )

    @strawberry.field(description="The occupation the identifier resolved to.")
    def occupation(
        self,
    ) -> Annotated[Occupation, strawberry.lazy("graphql_api.api.types.occupation")]:
        from graphql_api.api.types.occupation import Occupation  # noqa: PLC0415 (import cycle)

        return Occupation.of(self.record)

    @staticmethod
    def of(found: search.Match) -> Match:
        method, field = match_method(found.matched_by)
        return Match(
            record=found.occupation,
            matched_by=method,
            matched_field=field,
            matched_text=found.matched_text,
            score=found.score,
            alternatives=[
                MatchAlternative(record=a.occupation, score=a.score) for a in found.alternatives
            ],
        )


@strawberry.type(description="A published source behind the numbers, with its release and licence.")
class Source:
    name: str = strawberry.field(description="Short name of the source file or package.")
    kind: SourceKind = strawberry.field(description="Which published program it belongs to.")
    title: str = strawberry.field(description="What it is, e.g. `BLS OEWS May 2025`.")
    release: str | None = strawberry.field(
        description="The publisher's release, e.g. `May 2025` (OEWS) or `30.1` (O*NET)."
    )
    year: int | None = strawberry.field(description="Reference year of the release, where known.")
    version: str | None = strawberry.field(
        description="Version of the file or carrier package the snapshot was built from."
    )
    licence: str | None = strawberry.field(description="Licence and attribution text to show.")
    detail: str | None = strawberry.field(description="Which tables or files were read.")
    publisher: str | None = strawberry.field(
        description="Who publishes it, e.g. `U.S. Bureau of Labor Statistics`."
    )
    sha256: str | None = strawberry.field(
        description="SHA-256 of the file read (equal to the official file's hash)."
    )


def camel_case(name: str) -> str:
    """A snake_case figure name as the camelCase GraphQL field it matches.

    >>> camel_case("annual_median"), camel_case("hourly_p10")
    ('annualMedian', 'hourlyP10')
    """
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@strawberry.enum(description="Which published program a source belongs to.")
class SourceKind(Enum):
    OEWS = strawberry.enum_value(
        "oews", description="BLS Occupational Employment and Wage Statistics (pay and jobs)."
    )
    ONET = strawberry.enum_value(
        "onet", description="The O*NET Database (USDOL/ETA): occupations, tasks, skills, titles."
    )
    EMPLOYMENT_PROJECTIONS = strawberry.enum_value(
        "ep", description="BLS Employment Projections (growth, openings, education)."
    )
    CURRENT_POPULATION_SURVEY = strawberry.enum_value(
        "cps", description="BLS Current Population Survey (age, sex, race and ethnicity)."
    )

    @staticmethod
    def of(kind: str) -> SourceKind:
        if "OEWS" in kind:
            return SourceKind.OEWS
        if "O*NET" in kind:
            return SourceKind.ONET
        if "Projections" in kind:
            return SourceKind.EMPLOYMENT_PROJECTIONS
        return SourceKind.CURRENT_POPULATION_SURVEY


def jobs_count(value: float | None) -> int | None:
    """A job count as published (BLS rounds employment to tens): an Int, not a Float.

    >>> jobs_count(1448910.0), jobs_count(None)
    (1448910, None)
    """
    return None if value is None else round(value)


def source_from(
    entry: model.Source, *, oews_release: str, oews_year: int, onet_release: str | None
) -> Source:
    """Turn a snapshot's source record into a :class:`Source`."""
    release: str | None = entry.version
    year: int | None = None
    if "OEWS" in entry.kind:
        release, year = oews_release, oews_year
    elif "O*NET" in entry.kind and onet_release:
        release = onet_release
    return Source(
        name=entry.name,
        kind=SourceKind.of(entry.kind),
        title=entry.kind,
        release=release,
        year=year,
        version=entry.version,
        licence=entry.licence,
        detail=entry.detail,
        publisher=entry.publisher or None,
        sha256=entry.sha256 or None,
    )


@strawberry.type(
    description=(
        "Similarity components, each a cosine from -1 to 1 (null where either side lacks "
        "that data)."
    )
)
class SimilarityComponents:
    words: float | None = strawberry.field(
        description="Cosine of TF-IDF over every word of the tasks, titles, description and activities."
    )
    tasks: float | None = strawberry.field(
        description="Cosine of TF-IDF over the task statements' words."
    )
    activities: float | None = strawberry.field(
        description="Cosine of TF-IDF over the detailed work activities (O*NET DWAs) of the tasks."
    )
    titles: float | None = strawberry.field(
        description="Cosine of TF-IDF over the words of the own, alternate and reported titles."
    )
    description: float | None = strawberry.field(
        description="Cosine of TF-IDF over the words of the O*NET description."
    )
    skills: float | None = strawberry.field(
        description="Cosine of the standardised rated skill-importance profiles, -1 to 1."
    )
    interests: float | None = strawberry.field(
        description="Cosine of the standardised RIASEC interest profiles, -1 to 1."
    )
    technology: float | None = strawberry.field(
        description="Cosine of TF-IDF over the software (UNSPSC commodities) used."
    )
    tools: float | None = strawberry.field(
        description="Cosine of TF-IDF over the tools and machines (UNSPSC commodities) used."
    )
    industries: float | None = strawberry.field(
        description="Cosine of the national employment shares across OEWS sectors."
    )

    @staticmethod
    def of(values: Mapping[str, float | None]) -> SimilarityComponents:
        return SimilarityComponents(**{name: values.get(name) for name in COMPONENTS})
