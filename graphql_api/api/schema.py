"""The GraphQL schema: the Query type over the career graph, and the schema factory."""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from graphql_api.api.context import build_context, load_snapshot
from graphql_api.api.errors import bad_user_input, check_text, is_public_error, not_found
from graphql_api.api.extensions import Limits, protective_extensions, time_limited_executor
from graphql_api.api.pagination import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    paginate,
    paginate_as,
)
from graphql_api.api.types.browse import (
    Area,
    AreaKind,
    Dataset,
    Group,
    Industry,
    Skill,
    SkillRating,
)
from graphql_api.api.types.common import (
    AppInfo,
    Match,
    MatchField,
    Node,
    RelatedMethod,
    SkillKind,
    decode_global_id,
    enum_text,
)
from graphql_api.api.types.compare import (
    Comparison,
    ComparisonTable,
    EducationComparison,
    MeasureRow,
)
from graphql_api.api.types.occupation import Occupation, onet_education
from graphql_api.api.types.related import (
    CareerPath,
    RelatedCareer,
    RelatedFilterInput,
    SimilarityWeightsInput,
    related_connection,
)
from graphql_api.graph import model
from graphql_api.graph.compare import MEASURES, compare, compare_many
from graphql_api.graph.lookups import (
    core_skills,
    occupations_by_skills,
    resolve_area,
    resolve_industry,
    resolve_skill,
    skill_suggestions,
)
from graphql_api.graph.related import career_path
from graphql_api.graph.search import resolve_occupation, search

__all__ = ["COST_MAP", "Query", "build_context", "build_schema", "load_snapshot"]

# Extra static cost of fields that fan out over many occupations or run graph algorithms; the
# cost extension multiplies a field's selections by its `first`, these add the work done once.
COST_MAP: dict[str, int] = {
    "Query.compare": 20,
    "Query.compareMany": 40,
    "Query.relatedCareers": 20,
    "Occupation.relatedCareers": 20,
    "Query.careerPath": 200,
    "Query.coreSkills": 50,
    "Query.occupationsBySkills": 30,
    "Query.search": 5,
    "Query.occupationMatch": 5,
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

# compareMany takes 2 to 10 occupations (issue 3); occupationsBySkills at most 20 skills.
MIN_COMPARED, MAX_COMPARED = 2, 10
MAX_SKILLS_ASKED = 20
MAX_PATH_STEPS = 6
MAX_PATHS = 10
_SUGGESTIONS = 5

ID_DESCRIPTION = (
    "An O*NET-SOC code (`29-1141.00`), SOC code (`29-1141`), slug (`registered-nurses`) or any "
    "title or alternate title (`patient care technician`)."
)


def resolve_match(career: model.CareerGraph, identifier: str, argument: str = "id") -> Match:
    """Resolve an occupation argument, or raise NOT_FOUND with the closest titles."""
    check_text(argument, identifier)
    match = resolve_occupation(career, identifier)
    if match is None:
        hits = search(career, identifier, first=_SUGGESTIONS)
        raise not_found("occupation", identifier, suggestions=[h.occupation.title for h in hits])
    return Match.of(match)


def resolve(career: model.CareerGraph, identifier: str, argument: str = "id") -> Occupation:
    """Resolve an occupation argument to the occupation (see :func:`resolve_match`)."""
    match = resolve_match(career, identifier, argument)
    return Occupation.of(match.record, match)


@strawberry.type(description="One search result.")
class SearchHit:
    occupation: Occupation = strawberry.field(description="The occupation found.")
    matched_text: str = strawberry.field(description="Which of its names matched.")
    matched_field: MatchField = strawberry.field(description="Which kind of name matched.")
    score: float = strawberry.field(description="Relevance, 0-1 (1 = exact).")


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


@strawberry.type(
    description=(
        "careergraph: U.S. occupations with BLS OEWS pay and employment and O*NET skills, "
        "tasks and related occupations. Every occupation argument accepts a code, slug or title."
    )
)
class Query:
    @strawberry.field(
        description=(
            "One occupation's profile. Null with a NOT_FOUND error (with `suggestions`) when "
            "nothing matches; `occupationMatch` says how an id matched."
        )
    )
    def occupation(
        self,
        info: AppInfo,
        id: Annotated[str, strawberry.argument(description=ID_DESCRIPTION)],
    ) -> Occupation | None:
        return resolve(info.context.career, id)

    @strawberry.field(
        description=(
            "How an identifier resolves: the occupation, how it matched (code, slug, exact "
            "name or the title model's closest reading) and close alternatives when it is "
            "ambiguous. Null with NOT_FOUND (and `suggestions`) when nothing matches."
        )
    )
    def occupation_match(
        self,
        info: AppInfo,
        id: Annotated[str, strawberry.argument(description=ID_DESCRIPTION)],
    ) -> Match | None:
        return resolve_match(info.context.career, id)

    @strawberry.field(
        description=(
            "Typo-tolerant search over titles, alternate titles and codes, best first; fast "
            "enough for autocomplete."
        )
    )
    def search(
        self,
        info: AppInfo,
        text: Annotated[str, strawberry.argument(description="What the user typed.")],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[SearchHit] | None:
        check_text("text", text)
        career = info.context.career
        hits = search(career, text, first=len(career.occupations))
        return paginate_as(
            hits,
            lambda h: SearchHit(
                occupation=Occupation.of(h.occupation),
                matched_text=h.matched_text,
                matched_field=MatchField(h.matched_field),
                score=h.score,
            ),
            first=first,
            after=after,
        )

    @strawberry.field(
        description=(
            "The whole comparison page for two occupations: both profiles, every measure side "
            "by side, shared and exclusive skills, the skill gap a -> b, similarity, related "
            "careers in common and summary sentences."
        )
    )
    def compare(
        self,
        info: AppInfo,
        a: Annotated[str, strawberry.argument(description="First occupation. " + ID_DESCRIPTION)],
        b: Annotated[str, strawberry.argument(description="Second occupation.")],
    ) -> Comparison | None:
        career = info.context.career
        left, right = resolve_match(career, a, "a"), resolve_match(career, b, "b")
        result = compare(career, left.record, right.record)
        return Comparison(
            record=result,
            a=Occupation.of(left.record),
            b=Occupation.of(right.record),
            a_match=left,
            b_match=right,
            education=EducationComparison(
                a=onet_education(career, left.record), b=onet_education(career, right.record)
            ),
        )

    @strawberry.field(
        description=(
            "Compare 2 to 10 occupations: every measure as a table, plus pairwise similarity."
        )
    )
    def compare_many(
        self,
        info: AppInfo,
        ids: Annotated[list[str], strawberry.argument(description="2 to 10 occupation ids.")],
    ) -> ComparisonTable | None:
        if not MIN_COMPARED <= len(ids) <= MAX_COMPARED:
            raise bad_user_input("ids", f"must name {MIN_COMPARED} to {MAX_COMPARED} occupations")
        career = info.context.career
        matches = [resolve_match(career, i, "ids") for i in ids]
        rows, matrix = compare_many(career, [m.record for m in matches])
        return ComparisonTable(
            occupations=[Occupation.of(m.record) for m in matches],
            matches=matches,
            measures=[
                MeasureRow(
                    name=spec.name,
                    label=spec.label,
                    unit=spec.unit,
                    values=[row[spec.name] for row in rows],
                )
                for spec in MEASURES
            ],
            similarity=matrix,
        )

    @strawberry.field(
        description=(
            "Careers a worker in `of` could move to, each with its score, percentile, "
            "components, shared skills, skill gaps, wage ratio, Job Zone change and a label. "
            "The default filter keeps viable moves as published research defines them "
            "(similarity >= 0.30, Job Zone +1 at most, >= 75% of earnings)."
        )
    )
    def related_careers(  # noqa: PLR0917 - GraphQL arguments, passed by keyword
        self,
        info: AppInfo,
        of: Annotated[str, strawberry.argument(description=ID_DESCRIPTION)],
        method: Annotated[
            RelatedMethod,
            strawberry.argument(description="How similarity is scored (default COMPOSITE)."),
        ] = RelatedMethod.COMPOSITE,
        weights: Annotated[
            SimilarityWeightsInput | None,
            strawberry.argument(description="Component weights of COMPOSITE (omit for defaults)."),
        ] = None,
        filter: Annotated[
            RelatedFilterInput | None,
            strawberry.argument(
                description="Which careers qualify (omit for the published defaults: score >= "
                "threshold, Job Zone up by at most 1, keeps >= 75% of earnings)."
            ),
        ] = None,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
    ) -> Connection[RelatedCareer] | None:
        occupation = resolve(info.context.career, of, "of")
        return related_connection(
            info,
            occupation.record,
            method=method,
            weights=weights,
            where=filter,
            first=first,
            after=after,
        )

    @strawberry.field(
        description=(
            "The best few paths of viable moves from one occupation to another, fewest and "
            "closest moves first; empty when no path of at most `maxSteps` exists."
        )
    )
    def career_path(  # noqa: PLR0917 - GraphQL arguments, passed by keyword
        self,
        info: AppInfo,
        from_: Annotated[str, strawberry.argument(name="from", description="Starting occupation.")],
        to: Annotated[str, strawberry.argument(description="Target occupation.")],
        max_steps: Annotated[
            int, strawberry.argument(description=f"Most moves per path, 1 to {MAX_PATH_STEPS}.")
        ] = 4,
        first: Annotated[
            int, strawberry.argument(description=f"How many paths, at most {MAX_PATHS}.")
        ] = 3,
        after: After = None,
    ) -> Connection[CareerPath] | None:
        if not 1 <= max_steps <= MAX_PATH_STEPS:
            raise bad_user_input("maxSteps", f"must be between 1 and {MAX_PATH_STEPS}")
        if not 0 <= first <= MAX_PATHS:
            raise bad_user_input("first", f"must be between 0 and {MAX_PATHS}")
        career = info.context.career
        source, target = resolve(career, from_, "from"), resolve(career, to, "to")
        paths = career_path(
            career, source.record, target.record, max_steps=max_steps, first=MAX_PATHS
        )
        return paginate([CareerPath.of(p) for p in paths], first=first, after=after)

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

    @strawberry.field(description="The snapshot: version, releases, sources and licences.")
    def dataset(self, info: AppInfo) -> Dataset:
        return Dataset(record=info.context.career)


class CareerSchema(strawberry.Schema):
    """The schema, logging only unexpected errors.

    NOT_FOUND, BAD_USER_INPUT and limit refusals are answers to the client, not faults of the
    service: logging each with a traceback would bury the internal errors that need attention.
    """

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [error for error in errors if not is_public_error(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """Build the schema with the protective extensions configured from ``limits``.

    The server passes values from its settings (``Settings.limits()``); without any, the public
    service's defaults apply.
    """
    limits = limits or Limits()
    return CareerSchema(
        query=Query,
        types=[Occupation, Group, Industry, Area, Skill],
        extensions=protective_extensions(limits, cost_map=COST_MAP),
        execution_context_class=(
            time_limited_executor(limits.execution_timeout_ms)
            if limits.execution_timeout_ms
            else None
        ),
        config=StrawberryConfig(disable_field_suggestions=not limits.field_suggestions),
    )
