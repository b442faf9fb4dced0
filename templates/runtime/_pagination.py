"""Pages that walk every page of a list operation, sync and async.

Hand-written runtime (templates/runtime/_pagination.py), copied unchanged into each SDK. Which operations
page, and how, is the normalizer's `x-sdk-pagination` decision (normalize/passes/sdk.py), which the SDK
model turns into the `Pagination` record of the operation (`_request.Operation.pagination`): the kind (`limit` +
`starting_after`: cursor; `skip` + `take`: offset; `cursor`: token; `page`: page) and where the items,
the total or the next cursor are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

__all__ = ["AsyncPage", "AsyncPaginator", "Pagination", "SyncPage"]

T = TypeVar("T")


@dataclass(frozen=True)
class Pagination:
    """How one list operation pages (attribute paths are into the parsed 2xx model)."""

    kind: Literal["cursor", "offset", "token", "page"]
    items: tuple[str, ...]
    # The endpoint function's argument (a query parameter) that moves to the next page: starting_after, skip,
    # cursor or page.
    cursor: str
    # The argument that sets the page size, and its default in the spec.
    size: str | None = None
    default_size: int | None = None
    # cursor kind: the parameter that pages backwards, and the item attribute the cursors name.
    reverse_cursor: str | None = None
    item_id: str = "id"
    # offset kind: the total count; token kind: the next cursor and the has-more flag; page kind: the page count.
    total: tuple[str, ...] | None = None
    next_cursor: tuple[str, ...] | None = None
    has_more: tuple[str, ...] | None = None
    pages: tuple[str, ...] | None = None
    first_page: int = 1

    def items_of(self, parsed: Any) -> list[Any]:
        found = _get(parsed, self.items)
        return list(found) if isinstance(found, Sequence) else []

    def next_params(self, parsed: Any, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The parameter changes that fetch the page after `parsed`, or None when it was the last."""
        items = self.items_of(parsed)
        if self.kind == "cursor":
            return self._after_cursor(items, params)
        if self.kind == "offset":
            return self._after_offset(parsed, items, params)
        if self.kind == "token":
            return self._after_token(parsed, items)
        return self._after_page(parsed, items, params)

    def _page_size(self, params: Mapping[str, Any]) -> int | None:
        """The page size the call asked for, else the spec's default (None: neither says)."""
        size = _number(params.get(self.size)) if self.size else None
        return size if size is not None else self.default_size

    def _after_cursor(self, items: list[Any], params: Mapping[str, Any]) -> dict[str, Any] | None:
        # A page shorter than the size asked for is the last.
        size = self._page_size(params)
        if not items or (size is not None and len(items) < size):
            return None
        if self.reverse_cursor and _given(params.get(self.reverse_cursor)):
            return {self.reverse_cursor: getattr(items[0], self.item_id)}
        return {self.cursor: getattr(items[-1], self.item_id)}

    def _after_offset(self, parsed: Any, items: list[Any], params: Mapping[str, Any]) -> dict[str, Any] | None:
        start = _number(params.get(self.cursor)) or 0
        total = _number(_get(parsed, self.total)) if self.total else None
        if not items or (total is not None and start + len(items) >= total):
            return None
        size = self._page_size(params)
        if size is not None and len(items) < size:
            return None
        return {self.cursor: start + len(items)}

    def _after_token(self, parsed: Any, items: list[Any]) -> dict[str, Any] | None:
        token = _get(parsed, self.next_cursor) if self.next_cursor else None
        more = _get(parsed, self.has_more) if self.has_more else None
        if not _given(token) or more is False or (more is None and not items):
            return None
        return {self.cursor: token}

    def _after_page(self, parsed: Any, items: list[Any], params: Mapping[str, Any]) -> dict[str, Any] | None:
        current = _number(params.get(self.cursor)) or self.first_page
        pages = _number(_get(parsed, self.pages)) if self.pages else None
        if not items or (pages is not None and current >= pages):
            return None
        return {self.cursor: current + 1}


def _get(obj: Any, path: tuple[str, ...] | None) -> Any:
    for name in path or ():
        obj = getattr(obj, name, None)
    return obj


def _given(value: Any) -> bool:
    # A parameter not passed is `UNSET` (falsy); a model field the body left out reads None.
    return value is not None and (bool(value) or value == 0)


def _number(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


class SyncPage(Generic[T]):
    """One page of a list: `items` holds its items; iterating walks this page and every page after it."""

    def __init__(
        self,
        *,
        fetch: Callable[[Mapping[str, Any]], Any],
        pagination: Pagination,
        params: Mapping[str, Any],
        parsed: Any,
    ) -> None:
        self._fetch = fetch
        self._pagination = pagination
        self.params = dict(params)
        self.response = parsed
        self.items: list[T] = pagination.items_of(parsed)
        # The request id of this page's response (its body carries it), given to its items too.
        self._request_id: str | None = getattr(parsed, "_request_id", None)
        if self._request_id is not None:
            from ._models import stamp_request_id

            stamp_request_id(self.items, self._request_id)

    @classmethod
    def first(
        cls, *, fetch: Callable[[Mapping[str, Any]], Any], pagination: Pagination, params: Mapping[str, Any]
    ) -> SyncPage[T]:
        return cls(fetch=fetch, pagination=pagination, params=params, parsed=fetch({}))

    def has_next_page(self) -> bool:
        return self._pagination.next_params(self.response, self.params) is not None

    def next_page(self) -> SyncPage[T] | None:
        """The page after this one (one request), or None on the last page."""
        changes = self._pagination.next_params(self.response, self.params)
        if changes is None:
            return None
        params = {**self.params, **changes}
        return SyncPage(fetch=self._fetch, pagination=self._pagination, params=params, parsed=self._fetch(params))

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        page: SyncPage[T] | None = self
        while page is not None:
            yield page
            page = page.next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items

    def __repr__(self) -> str:
        return f"<SyncPage items={len(self.items)}>"


class AsyncPage(Generic[T]):
    """One page of a list: `items` holds its items; `async for` walks this page and every page after it."""

    def __init__(
        self,
        *,
        fetch: Callable[[Mapping[str, Any]], Awaitable[Any]],
        pagination: Pagination,
        params: Mapping[str, Any],
        parsed: Any,
    ) -> None:
        self._fetch = fetch
        self._pagination = pagination
        self.params = dict(params)
        self.response = parsed
        self.items: list[T] = pagination.items_of(parsed)
        # The request id of this page's response (its body carries it), given to its items too.
        self._request_id: str | None = getattr(parsed, "_request_id", None)
        if self._request_id is not None:
            from ._models import stamp_request_id

            stamp_request_id(self.items, self._request_id)

    def has_next_page(self) -> bool:
        return self._pagination.next_params(self.response, self.params) is not None

    async def next_page(self) -> AsyncPage[T] | None:
        """The page after this one (one request), or None on the last page."""
        changes = self._pagination.next_params(self.response, self.params)
        if changes is None:
            return None
        params = {**self.params, **changes}
        parsed = await self._fetch(params)
        return AsyncPage(fetch=self._fetch, pagination=self._pagination, params=params, parsed=parsed)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page: AsyncPage[T] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    def __repr__(self) -> str:
        return f"<AsyncPage items={len(self.items)}>"


class AsyncPaginator(Generic[T]):
    """What an async list method returns: `await` it for the first page, or `async for` over every item."""

    def __init__(
        self,
        *,
        fetch: Callable[[Mapping[str, Any]], Awaitable[Any]],
        pagination: Pagination,
        params: Mapping[str, Any],
    ) -> None:
        self._fetch = fetch
        self._pagination = pagination
        self._params = dict(params)

    async def _first(self) -> AsyncPage[T]:
        parsed = await self._fetch({})
        return AsyncPage(fetch=self._fetch, pagination=self._pagination, params=self._params, parsed=parsed)

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._first()
        async for item in page:
            yield item
