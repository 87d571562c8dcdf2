"""Cursor connections: every list the API serves pages through ``first``/``after``."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, Generic, TypeVar

import strawberry

from graphql_api.api.errors import bad_user_input

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "After",
    "Connection",
    "Edge",
    "First",
    "PageInfo",
    "decode_cursor",
    "encode_cursor",
    "page_window",
    "paginate",
    "paginate_as",
]

# Hard ceiling on any page; asking for more is refused, never silently cut.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10

First = Annotated[
    int,
    strawberry.argument(
        description=f"How many items to return, 0 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); "
        "a value outside that range is BAD_USER_INPUT and this field alone is null."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items after this cursor: the `endCursor` of the previous page "
        "(omit for the first page)."
    ),
]

T = TypeVar("T")
S = TypeVar("S")


def encode_cursor(offset: int) -> str:
    """An opaque cursor for the item at ``offset``.

    >>> encode_cursor(0)
    'b2Zmc2V0OjA='
    """
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The offset a cursor stands for; BAD_USER_INPUT naming ``after`` when it is not ours."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        kind, _, number = text.partition(":")
        offset = int(number)
    except (binascii.Error, UnicodeError, ValueError):
        raise bad_user_input("after", "is not a cursor this API issued") from None
    if kind != "offset" or offset < 0:
        raise bad_user_input("after", "is not a cursor this API issued")
    return offset


def page_window(first: int | None, after: str | None) -> tuple[int, int]:
    """Check ``first``/``after`` and return (start offset, page size)."""
    size = DEFAULT_PAGE_SIZE if first is None else first
    if size < 0 or size > MAX_PAGE_SIZE:
        raise bad_user_input("first", f"must be between 0 and {MAX_PAGE_SIZE}")
    start = decode_cursor(after) + 1 if after is not None else 0
    return start, size


@strawberry.type(description="Where a page sits in the full list, for fetching the next page.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description=(
            "True when more items follow this page; pass `endCursor` as `after` to get them."
        )
    )
    has_previous_page: bool = strawberry.field(
        description="True when this page does not start at the first item."
    )
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first item on this page (null on an empty page)."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item on this page (null on an empty page)."
    )


@strawberry.type(description="One item of a page with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque position of this item; use as `after`.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description=(
        "A page of a list. Ask for `nodes` for just the items, or `edges` for items with "
        "cursors; `pageInfo.endCursor` passed as `after` fetches the next page. `first` is at "
        f"most {MAX_PAGE_SIZE}."
    )
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page with cursors.")
    page_info: PageInfo = strawberry.field(description="Paging state: is there a next page?")
    total_count: int = strawberry.field(
        description="How many items the whole list holds (all pages)."
    )

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def paginate(
    items: Sequence[T] | Callable[[int], Sequence[T]],
    *,
    first: int | None,
    after: str | None,
    total: int | None = None,
) -> Connection[T]:
    """Cut one page from ``items`` (a sequence, or a function returning the first n items).

    With a function, ``total`` must be given: the full list's length.
    """
    return paginate_as(items, lambda item: item, first=first, after=after, total=total)


def paginate_as(
    items: Sequence[S] | Callable[[int], Sequence[S]],
    convert: Callable[[S], T],
    *,
    first: int | None,
    after: str | None,
    total: int | None = None,
) -> Connection[T]:
    """Like :func:`paginate`, converting only the page's records into GraphQL objects.

    Rankings can hold hundreds of rows (every metro area); building types for the page alone
    keeps a ``first: 3`` request from paying for all of them.
    """
    start, size = page_window(first, after)
    if callable(items):
        assert total is not None, "a lazy list needs its total"
        records = list(items(start + size))[start : start + size]
        count = total
    else:
        records = list(items[start : start + size])
        count = len(items)
    window = [convert(record) for record in records]
    edges = [Edge(cursor=encode_cursor(start + i), node=node) for i, node in enumerate(window)]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(window) < count,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=count,
    )
