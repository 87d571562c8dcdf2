"""Arguments shared by several fields, each with the one description a front end can act on."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphql_api.api.types.common import PayMeasure, SkillKind

__all__ = [
    "AreaArgument",
    "IndustryArgument",
    "MinEmployment",
    "PayOrder",
    "SkillKindFilter",
]

AreaArgument = Annotated[
    str | None,
    strawberry.argument(
        description="Where: `national` (default), an OEWS area code (`06` or `0600000` for "
        "California, `0042660` for a metro) or a state or metro name (`California`). An unknown "
        "area is BAD_USER_INPUT naming `area`."
    ),
]
IndustryArgument = Annotated[
    str | None,
    strawberry.argument(
        description="Narrow to one OEWS industry: its code (`622000`) or name (`Hospitals`); omit "
        "for all industries. An unknown industry is BAD_USER_INPUT naming `industry`."
    ),
]
MinEmployment = Annotated[
    int,
    strawberry.argument(
        description="Leave out places or industries with fewer jobs than this (default 100), so a "
        "handful of workers cannot top the list."
    ),
]
PayOrder = Annotated[
    PayMeasure,
    strawberry.argument(description="The OEWS figure to rank by, highest first."),
]
SkillKindFilter = Annotated[
    SkillKind | None,
    strawberry.argument(
        description="Only descriptors of this kind (omit for every kind but TECHNOLOGY)."
    ),
]
