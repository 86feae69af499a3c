"""Relay-style cursor connections over an ordered list."""

import base64
from collections.abc import Sequence
from typing import Generic, TypeVar

import strawberry

from api.errors import BadCursor, NegativePage, PageTooLarge

DEFAULT_PAGE = 50
MAX_PAGE = 500
_PREFIX = "offset:"

Node = TypeVar("Node")


@strawberry.type(description="Where a page stands in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )


@strawberry.type(description="One item of a page, with the cursor that points at it.")
class Edge(Generic[Node]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: Node = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, with cursors to move on.")
class Connection(Generic[Node]):
    edges: list[Edge[Node]] = strawberry.field(description="This page's items.")
    page_info: PageInfo = strawberry.field(description="How to get the next page.")
    total_count: int = strawberry.field(description="Items in the whole list.")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset just after `cursor`; 0 without one."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(text)
        offset = int(text.removeprefix(_PREFIX))
    except ValueError:
        raise BadCursor() from None
    if offset < 0:
        raise BadCursor()
    return offset + 1


def page_bounds(first: int | None, after: str | None) -> tuple[int, int]:
    """Validated (start, size) of the page asked for."""
    size = DEFAULT_PAGE if first is None else first
    if size < 0:
        raise NegativePage(size)
    if size > MAX_PAGE:
        raise PageTooLarge(size, MAX_PAGE)
    return decode_cursor(after), size


def paginate(
    items: Sequence, first: int | None, after: str | None, build
) -> Connection:
    """A page of `items` (already ordered), each turned into a node by `build`."""
    start, size = page_bounds(first, after)
    window = items[start : start + size]
    edges = [
        Edge(cursor=encode_cursor(start + i), node=build(item))
        for i, item in enumerate(window)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + len(window) < len(items),
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(items),
    )
