"""Browse and lookup types: SOC groups, industries, areas, skills, and the dataset."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graphql_api.api.context import snapshot_version
from graphql_api.api.pagination import DEFAULT_PAGE_SIZE, After, Connection, First, paginate
from graphql_api.api.types.common import (
    AppInfo,
    Node,
    PayMeasure,
    SkillKind,
    Source,
    encode_global_id,
    enum_member,
    enum_text,
    jobs_count,
    skill_kind_of,
    source_from,
)
from graphql_api.graph import model
from graphql_api.graph.lookups import (
    OccupationFigures,
    area_occupations,
    group_occupations,
    industry_occupations,
    skill_occupations,
    tree_children,
)
from graphql_api.graph.related import SkillPair as GraphSkillPair
from graphql_api.graph.related import SkillScore

if TYPE_CHECKING:
    from graphql_api.api.types.occupation import Occupation

__all__ = [
    "Area",
    "AreaKind",
    "Dataset",
    "Group",
    "GroupKind",
    "Industry",
    "Licence",
    "OccupationPay",
    "Skill",
    "SkillOccupation",
    "SkillPair",
    "SkillRating",
    "TechnologySkill",
]

LazyOccupation = Annotated["Occupation", strawberry.lazy("graphql_api.api.types.occupation")]


def _occupation(record: model.Occupation) -> Occupation:
    from graphql_api.api.types.occupation import Occupation  # noqa: PLC0415 - cycle

    return Occupation.of(record)


@strawberry.type(description="An occupation's OEWS figures in one area or industry.")
class OccupationPay:
    occupation: LazyOccupation = strawberry.field(description="The occupation.")
    employment: int | None = strawberry.field(description="Jobs (BLS rounds to tens).")
    jobs_per_1000: float | None = strawberry.field(description="Jobs per 1,000 jobs in the area.")
    location_quotient: float | None = strawberry.field(
        description="Concentration relative to the nation (1.0 = national share)."
    )
    annual_mean: float | None = strawberry.field(description="Mean annual wage, USD.")
    annual_median: float | None = strawberry.field(description="Median annual wage, USD.")
    hourly_median: float | None = strawberry.field(description="Median hourly wage, USD.")

    @staticmethod
    def of(row: OccupationFigures) -> OccupationPay:
        facts = row.facts
        return OccupationPay(
            occupation=_occupation(row.occupation),
            employment=jobs_count(facts.get("employment")),
            jobs_per_1000=facts.get("jobs_per_1000"),
            location_quotient=facts.get("location_quotient"),
            annual_mean=facts.get("annual_mean"),
            annual_median=facts.get("annual_median"),
            hourly_median=facts.get("hourly_median"),
        )


_SORT_DESCRIPTION = "Sort by this figure, largest first (default EMPLOYMENT)."


@strawberry.enum(description="Kinds of OEWS area.")
class AreaKind(Enum):
    NATIONAL = strawberry.enum_value("national", description="The United States as a whole.")
    STATE = strawberry.enum_value(
        "state", description="A state, the District of Columbia or a territory."
    )
    METRO = strawberry.enum_value(
        "metro", description="A metropolitan statistical area (or OEWS nonmetropolitan area)."
    )


@strawberry.type(description="The nation, a state (or territory) or a metropolitan area (OEWS).")
class Area(Node):
    record: strawberry.Private[model.Area]

    @strawberry.field(description="Global id; `node(id:)` returns this area.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Area", self.record.code))

    @strawberry.field(description="OEWS area code (`0000000` national, `0600000` California).")
    def code(self) -> str:
        return self.record.code

    @strawberry.field(description="Name, e.g. `California` or `Abilene, TX`.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="National, state or metro.")
    def kind(self) -> AreaKind:
        kind = self.record.kind
        return enum_member(AreaKind, kind, AreaKind.METRO)

    @strawberry.field(description="Two-digit FIPS state code (`00` for the nation).")
    def state_code(self) -> str:
        return self.record.state_code

    @strawberry.field(description="Occupations BLS publishes for this area. " + _SORT_DESCRIPTION)
    def occupations(
        self,
        info: AppInfo,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        sort: Annotated[
            PayMeasure,
            strawberry.argument(
                description="The figure to sort by, largest first (default EMPLOYMENT)."
            ),
        ] = PayMeasure.EMPLOYMENT,
    ) -> Connection[OccupationPay] | None:
        rows = area_occupations(info.context.career, self.record, sort=enum_text(sort))
        return paginate([OccupationPay.of(r) for r in rows], first=first, after=after)

    @staticmethod
    def of(record: model.Area) -> Area:
        return Area(record=record)


@strawberry.type(description="An OEWS industry (NAICS-based) with its place in the hierarchy.")
class Industry(Node):
    record: strawberry.Private[model.Industry]

    @strawberry.field(description="Global id; `node(id:)` returns this industry.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Industry", self.record.code))

    @strawberry.field(description="OEWS industry code (`622000` Hospitals; `000000` all).")
    def code(self) -> str:
        return self.record.code

    @strawberry.field(description="Industry name.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(
        description=(
            "OEWS display level: 0 all, 1 ownership, 2 sector, 3 subsector, 4 group, 5 industry."
        )
    )
    def level(self) -> int:
        return self.record.level

    @strawberry.field(description="The industry one level up (null at the top).")
    def parent(self, info: AppInfo) -> Industry | None:
        code = self.record.parent
        industries = info.context.career.industries
        return Industry.of(industries[code]) if code and code in industries else None

    @strawberry.field(description="Industries one level down.")
    def children(
        self, info: AppInfo, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Industry] | None:
        career = info.context.career
        rows = [
            Industry.of(career.industries[code])
            for code in tree_children(career, "industry", self.record.code)
        ]
        return paginate(rows, first=first, after=after)

    @strawberry.field(
        description="Occupations BLS publishes for this industry nationally. " + _SORT_DESCRIPTION
    )
    def occupations(
        self,
        info: AppInfo,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        sort: Annotated[
            PayMeasure,
            strawberry.argument(
                description="The figure to sort by, largest first (default EMPLOYMENT)."
            ),
        ] = PayMeasure.EMPLOYMENT,
    ) -> Connection[OccupationPay] | None:
        rows = industry_occupations(info.context.career, self.record, sort=enum_text(sort))
        return paginate([OccupationPay.of(r) for r in rows], first=first, after=after)

    @staticmethod
    def of(record: model.Industry) -> Industry:
        return Industry(record=record)


@strawberry.enum(description="Levels of the SOC hierarchy.")
class GroupKind(Enum):
    MAJOR = strawberry.enum_value("major", description="Major group, e.g. 29-0000.")
    MINOR = strawberry.enum_value("minor", description="Minor group, e.g. 29-1000.")
    BROAD = strawberry.enum_value("broad", description="Broad occupation, e.g. 29-1140.")


@strawberry.type(
    description=(
        "A SOC group, e.g. 29-0000 Healthcare Practitioners and Technical Occupations; "
        "browse down through `children` to `occupations`."
    )
)
class Group(Node):
    record: strawberry.Private[model.Group]

    @strawberry.field(description="Global id; `node(id:)` returns this group.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Group", self.record.code))

    @strawberry.field(description="SOC code of the group (`29-0000`).")
    def code(self) -> str:
        return self.record.code

    @strawberry.field(description="Title of the group.")
    def title(self) -> str:
        return self.record.title

    @strawberry.field(description="Major, minor or broad.")
    def kind(self) -> GroupKind:
        kind = self.record.kind
        return enum_member(GroupKind, kind, GroupKind.BROAD)

    @strawberry.field(description="The group one level up (null for a major group).")
    def parent(self, info: AppInfo) -> Group | None:
        groups = info.context.career.groups
        code = self.record.parent
        return Group.of(groups[code]) if code and code in groups else None

    @strawberry.field(description="Groups one level down, in code order.")
    def children(
        self, info: AppInfo, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Group] | None:
        career = info.context.career
        rows = [
            Group.of(career.groups[code])
            for code in tree_children(career, "group", self.record.code)
        ]
        return paginate(rows, first=first, after=after)

    @strawberry.field(description="Every occupation within this group at any depth, in code order.")
    def occupations(
        self, info: AppInfo, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[LazyOccupation] | None:
        rows = [_occupation(o) for o in group_occupations(info.context.career, self.record)]
        return paginate(rows, first=first, after=after)

    @strawberry.field(description="How many occupations the group holds at any depth.")
    def occupation_count(self, info: AppInfo) -> int:
        return len(group_occupations(info.context.career, self.record))

    @staticmethod
    def of(record: model.Group) -> Group:
        return Group(record=record)


@strawberry.type(
    description="A skill-like descriptor: skill, knowledge, ability, technology or derived."
)
class Skill(Node):
    record: strawberry.Private[model.Descriptor]

    # Plain values set once in ``of`` (no resolver call per field read).
    id: strawberry.ID = strawberry.field(description="Global id; `node(id:)` returns this skill.")
    skill_id: str = strawberry.field(
        description="Descriptor id (`onet:2.A.1.a` for an O*NET element, `tech:...` for software)."
    )
    name: str = strawberry.field(description="Name, e.g. `Active Listening` or `Microsoft Excel`.")
    kind: SkillKind = strawberry.field(description="Which kind of descriptor it is.")
    description: str | None = strawberry.field(
        description=(
            "Definition (O*NET), or the technology's category (e.g. `Spreadsheet software`)."
        )
    )

    @strawberry.field(description="Occupations that need this most (highest 0-100 score first).")
    def occupations(
        self, info: AppInfo, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[SkillOccupation] | None:
        rows = [
            SkillOccupation(occupation=_occupation(o), rating=SkillRating.of(s))
            for o, s in skill_occupations(info.context.career, self.record)
        ]
        return paginate(rows, first=first, after=after)

    @staticmethod
    def of(record: model.Descriptor) -> Skill:
        return Skill(
            record=record,
            id=strawberry.ID(encode_global_id("Skill", record.id)),
            skill_id=record.id,
            name=record.name,
            kind=skill_kind_of(record.kind),
            description=record.description,
        )


@strawberry.type(
    description=(
        "How much an occupation needs a skill. `score` is 0-100 on every source: O*NET "
        "importance (1-5) rescaled, or the derived layer's weight x 100, or 100/50 for a "
        "hot/other technology."
    )
)
class SkillRating:
    skill: Skill = strawberry.field(description="The skill.")
    score: float = strawberry.field(description="0-100, comparable across occupations.")
    importance: float | None = strawberry.field(description="O*NET importance, 1-5 (rated only).")
    level: float | None = strawberry.field(description="O*NET level, 0-7 (rated only).")
    weight: float | None = strawberry.field(
        description="Share of the occupation's derived profile, 0-1 (derived only)."
    )
    source: str = strawberry.field(description="Where the rating comes from.")

    @staticmethod
    def of(score: SkillScore) -> SkillRating:
        return SkillRating(
            skill=Skill.of(score.descriptor),
            score=score.score,
            importance=score.importance,
            level=score.level,
            weight=score.weight,
            source=score.source,
        )


@strawberry.type(description="An occupation and how much it needs the skill.")
class SkillOccupation:
    occupation: LazyOccupation = strawberry.field(description="The occupation.")
    rating: SkillRating = strawberry.field(description="Its rating on the skill.")


@strawberry.type(description="A technology an occupation uses (O*NET Technology Skills).")
class TechnologySkill:
    skill: Skill = strawberry.field(description="The software or technology.")
    category: str | None = strawberry.field(
        description="Its category, e.g. `Spreadsheet software`."
    )
    hot: bool = strawberry.field(description="O*NET hot technology: frequently in job postings.")
    in_demand: bool = strawberry.field(
        description="O*NET in-demand: often in this occupation's job postings."
    )
    source: str = strawberry.field(description="Where the link comes from.")

    @staticmethod
    def of(descriptor: model.Descriptor, requirement: model.Requirement) -> TechnologySkill:
        return TechnologySkill(
            skill=Skill.of(descriptor),
            category=descriptor.description,
            hot=requirement.hot,
            in_demand=requirement.in_demand,
            source=requirement.source,
        )


@strawberry.type(description="One skill seen from two occupations (a and b).")
class SkillPair:
    skill: Skill = strawberry.field(description="The skill.")
    a: SkillRating | None = strawberry.field(description="Occupation a's rating (null if none).")
    b: SkillRating | None = strawberry.field(description="Occupation b's rating (null if none).")
    a_score: float = strawberry.field(description="a's 0-100 score (0 if a lacks it).")
    b_score: float = strawberry.field(description="b's 0-100 score (0 if b lacks it).")
    gap: float = strawberry.field(description="b's score minus a's: what moving a -> b adds.")

    @staticmethod
    def of(pair: GraphSkillPair) -> SkillPair:
        return SkillPair(
            skill=Skill.of(pair.descriptor),
            a=SkillRating.of(pair.a) if pair.a else None,
            b=SkillRating.of(pair.b) if pair.b else None,
            a_score=pair.a.score if pair.a else 0.0,
            b_score=pair.b.score if pair.b else 0.0,
            gap=round(pair.gap, 1),
        )


@strawberry.type(description="A licence or attribution the data requires you to show.")
class Licence:
    source: str = strawberry.field(description="Whose data: `bls`, `onet`.")
    text: str = strawberry.field(description="The attribution text.")


@strawberry.enum(description="How a snapshot was made.")
class DatasetKind(Enum):
    RELEASES = strawberry.enum_value(
        "releases",
        description="Built by `careergraph data build` from the official releases (the embedded "
        "default is one).",
    )
    TEST = strawberry.enum_value(
        "test", description="Hand-built with invented figures, for examples and tests."
    )


@strawberry.type(description="The snapshot this server answers from.")
class Dataset:
    record: strawberry.Private[model.CareerGraph]

    @strawberry.field(description="Snapshot version (content hash prefix); changes with the data.")
    def version(self) -> str:
        return snapshot_version(self.record)

    @strawberry.field(description="Snapshot name, e.g. `careergraph full`.")
    def name(self) -> str | None:
        return self.record.dataset.name

    @strawberry.field(description="How the snapshot was made.")
    def kind(self) -> DatasetKind:
        return DatasetKind.RELEASES if self.record.dataset.kind == "default" else DatasetKind.TEST

    @strawberry.field(description="OEWS release, e.g. `May 2025`.")
    def oews_release(self) -> str | None:
        return self.record.dataset.oews_release

    @strawberry.field(description="O*NET release, e.g. `30.1` (null when not built from one).")
    def onet_release(self) -> str | None:
        return self.record.dataset.onet_release

    @strawberry.field(description="Data layers present (skills, technology, related...).")
    def layers(self) -> list[str]:
        return list(self.record.dataset.layers)

    @strawberry.field(description="Layers the release lacked, built without.")
    def missing_layers(self) -> list[str]:
        return list(self.record.dataset.missing_layers)

    @strawberry.field(description="Notes from the build.")
    def notes(self) -> list[str]:
        return list(self.record.dataset.notes)

    @strawberry.field(description="Every source read to build the snapshot.")
    def sources(self) -> list[Source]:
        career = self.record
        return [
            source_from(
                entry,
                oews_release=career.oews.release,
                oews_year=career.oews.year,
                onet_release=career.dataset.onet_release,
            )
            for entry in career.sources
        ]

    @strawberry.field(description="Licences and attribution text to display with the data.")
    def licences(self) -> list[Licence]:
        return [Licence(source=name, text=text) for name, text in self.record.dataset.licence_texts]

    @strawberry.field(description="Number of occupations.")
    def occupation_count(self) -> int:
        return len(self.record.occupations)
