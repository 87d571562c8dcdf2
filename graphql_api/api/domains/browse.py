"""Browse domain: skills and reverse lookups, industries, areas, the SOC tree, global ids."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.api.errors import bad_user_input, not_found
from graphql_api.api.pagination import DEFAULT_PAGE_SIZE, After, Connection, First, paginate
from graphql_api.api.types.browse import Area, AreaKind, Group, Industry, Skill, SkillRating
from graphql_api.api.types.common import AppInfo, Node, SkillKind, decode_global_id, enum_text
from graphql_api.api.types.occupation import Occupation
from graphql_api.graph import model
from graphql_api.graph.lookups import (
    core_skills,
    occupations_by_skills,
    resolve_area,
    resolve_industry,
    resolve_skill,
    skill_suggestions,
)

__all__ = ["COST", "BrowseQuery", "CoreSkill", "SkillMatch"]

COST: dict[str, int] = {
    "Query.coreSkills": 50,
    "Query.occupationsBySkills": 30,
    "Skill.occupations": 10,
    "Area.occupations": 10,
    "Industry.occupations": 10,
    "Group.occupations": 5,
    "Group.occupationCount": 5,
    "Occupation.topPayingStates": 2,
    "Occupation.topPayingMetros": 3,
    "Occupation.topPayingIndustries": 3,
    "Occupation.industries": 2,
}
# occupationsBySkills takes at most 20 skills.
MAX_SKILLS_ASKED = 20


@strawberry.type(description="An occupation matching some of the skills asked for.")
class SkillMatch:
    occupation: Occupation = strawberry.field(description="The occupation.")
    coverage: float = strawberry.field(description="Share of the asked skills it has, 0-1.")
    matched_skills: list[SkillRating] = strawberry.field(
        description="The asked skills it has, with its ratings."
    )
    missing_skills: list[Skill] = strawberry.field(description="The asked skills it lacks.")


@strawberry.type(description="A skill and how central it is to moving between careers.")
class CoreSkill:
    skill: Skill = strawberry.field(description="The skill.")
    score: float = strawberry.field(description="Centrality, 0-100 (100 = most central).")
    transitions: int = strawberry.field(
        description="Number of transition edges whose two occupations both have it."
    )
    occupations: int = strawberry.field(description="Number of occupations that have it.")


def _node_of(career: model.CareerGraph, kind: str, key: str) -> Node | None:
    if kind == "Occupation" and key in career.by_code:
        return Occupation.of(career.by_code[key])
    if kind == "Group" and key in career.groups:
        return Group.of(career.groups[key])
    if kind == "Industry" and key in career.industries:
        return Industry.of(career.industries[key])
    if kind == "Area" and key in career.areas:
        return Area.of(career.areas[key])
    if kind == "Skill" and key in career.descriptors:
        return Skill.of(career.descriptors[key])
    return None


@strawberry.type
class BrowseQuery:
    @strawberry.field(
        description=(
            "A skill, knowledge area, ability or technology, by id or name; with the "
            "occupations needing it most."
        )
    )
    def skill(
        self,
        info: AppInfo,
        id: Annotated[
            str,
            strawberry.argument(
                description=(
                    "Descriptor id (`onet:2.A.1.a`, `2.A.1.a`, `tech:...`) or name "
                    "(`Active Listening`)."
                )
            ),
        ],
    ) -> Skill | None:
        career = info.context.career
        found = resolve_skill(career, id)
        if found is None:
            raise not_found("skill", id, suggestions=skill_suggestions(career, id))
        return Skill.of(found)

    @strawberry.field(
        description=(
            "Occupations having at least `minCoverage` (0-1, default 0.5) of the given skills, "
            "best covered first. An occupation has a rated skill at O*NET importance >= 3 of 5."
        )
    )
    def occupations_by_skills(
        self,
        info: AppInfo,
        skills: Annotated[
            list[str], strawberry.argument(description="1 to 20 skill ids or names.")
        ],
        min_coverage: Annotated[
            float,
            strawberry.argument(
                description="Least share (0-1) of the asked-for skills an occupation must have "
                "(default 0.5); outside 0-1 is BAD_USER_INPUT."
            ),
        ] = 0.5,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[SkillMatch] | None:
        if not 1 <= len(skills) <= MAX_SKILLS_ASKED:
            raise bad_user_input("skills", f"must name 1 to {MAX_SKILLS_ASKED} skills")
        if not 0.0 <= min_coverage <= 1.0:
            raise bad_user_input("minCoverage", "must be between 0 and 1")
        career = info.context.career
        descriptors = []
        for name in skills:
            found = resolve_skill(career, name)
            if found is None:
                raise not_found("skill", name, suggestions=skill_suggestions(career, name))
            if found not in descriptors:
                descriptors.append(found)
        rows = [
            SkillMatch(
                occupation=Occupation.of(c.occupation),
                coverage=c.coverage,
                matched_skills=[SkillRating.of(s) for s in c.matched],
                missing_skills=[Skill.of(d) for d in c.missing],
            )
            for c in occupations_by_skills(career, descriptors, min_coverage=min_coverage)
        ]
        return paginate(rows, first=first, after=after)

    @strawberry.field(
        description="An OEWS industry by code (`622000`) or name, with its occupations."
    )
    def industry(
        self,
        info: AppInfo,
        code: Annotated[
            str, strawberry.argument(description="An OEWS industry code (`622000`) or name.")
        ],
    ) -> Industry | None:
        career = info.context.career
        found = resolve_industry(career, code)
        if found is None:
            raise not_found("industry", code)
        return Industry.of(found)

    @strawberry.field(
        description=(
            "An area by OEWS code (`0600000`), `national`, or name (`California`), with its "
            "occupations."
        )
    )
    def area(
        self,
        info: AppInfo,
        code: Annotated[
            str,
            strawberry.argument(
                description="An OEWS area code (`0600000`, `06`, `0042660`), `national`, or a "
                "state or metro name."
            ),
        ],
    ) -> Area | None:
        career = info.context.career
        found = resolve_area(career, code)
        if found is None:
            raise not_found("area", code)
        return Area.of(found)

    @strawberry.field(description="Areas of one kind (states by default), in name order.")
    def areas(
        self,
        info: AppInfo,
        kind: Annotated[
            AreaKind, strawberry.argument(description="Which areas to list (default STATE).")
        ] = AreaKind.STATE,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[Area] | None:
        rows = sorted(
            (a for a in info.context.career.areas.values() if a.kind == enum_text(kind)),
            key=lambda a: a.name,
        )
        return paginate([Area.of(a) for a in rows], first=first, after=after)

    @strawberry.field(description="The SOC tree's top level: the 22 major groups, in code order.")
    def groups(
        self, info: AppInfo, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Group] | None:
        rows = sorted(
            (g for g in info.context.career.groups.values() if g.parent is None),
            key=lambda g: g.code,
        )
        return paginate([Group.of(g) for g in rows], first=first, after=after)

    @strawberry.field(description="A SOC group by code (`29-0000`, `29-1000`, `29-1140`).")
    def group(
        self,
        info: AppInfo,
        code: Annotated[
            str,
            strawberry.argument(
                description="A SOC major, minor or broad group code (`29-0000`, `29-1000`, "
                "`29-1140`)."
            ),
        ],
    ) -> Group | None:
        groups = info.context.career.groups
        if code.strip() not in groups:
            raise not_found("group", code)
        return Group.of(groups[code.strip()])

    @strawberry.field(
        description=(
            "Skills most central to moving between careers. Transition edges join each "
            "occupation to its ten most similar occupations with composite similarity >= 0.30; "
            "a skill's score is its weighted degree over those edges (the sum of the similarity "
            "of every edge whose two occupations both have the skill), scaled so the top skill "
            "is 100. `kind` narrows to one kind (technology only when asked)."
        )
    )
    def core_skills(
        self,
        info: AppInfo,
        kind: Annotated[
            SkillKind | None,
            strawberry.argument(
                description="Rank only this kind (omit for every kind but TECHNOLOGY)."
            ),
        ] = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[CoreSkill] | None:
        career = info.context.career
        rows = core_skills(career, kind=None)
        if kind is SkillKind.TECHNOLOGY:
            rows = core_skills(career, kind="technology")
        elif kind is SkillKind.DERIVED:
            rows = [r for r in rows if r.descriptor.kind not in {"skill", "knowledge", "ability"}]
        elif kind is not None:
            rows = [r for r in rows if r.descriptor.kind == enum_text(kind)]
        items = [
            CoreSkill(
                skill=Skill.of(r.descriptor),
                score=r.score,
                transitions=r.transitions,
                occupations=r.occupations,
            )
            for r in rows
        ]
        return paginate(items, first=first, after=after)

    @strawberry.field(description="Fetch anything with a global id (Relay `node`).")
    def node(
        self,
        info: AppInfo,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="A global id from any type's `id` field."),
        ],
    ) -> Node | None:
        kind, key = decode_global_id(str(id))
        found = _node_of(info.context.career, kind, key)
        if found is None:
            raise not_found("node", str(id))
        return found
