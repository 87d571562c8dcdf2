"""Dataset domain: the snapshot this server answers from."""

from __future__ import annotations

import strawberry

from graphql_api.api.types.browse import Dataset
from graphql_api.api.types.common import AppInfo

__all__ = ["COST", "DatasetQuery"]

COST: dict[str, int] = {}


@strawberry.type
class DatasetQuery:
    @strawberry.field(description="The snapshot: version, releases, sources and licences.")
    def dataset(self, info: AppInfo) -> Dataset:
        return Dataset(record=info.context.career)
