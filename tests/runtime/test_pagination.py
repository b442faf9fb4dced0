"""Pagination, each style (cursor, offset, token, page), with a fake `fetch` standing in for the request."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from runtime._pagination import AsyncPage, AsyncPaginator, Pagination, SyncPage

CURSOR = Pagination(
    kind="cursor",
    items=("data",),
    cursor="starting_after",
    size="limit",
    default_size=2,
    reverse_cursor="ending_before",
)
OFFSET = Pagination(kind="offset", items=("data", "orders"), cursor="skip", size="take", total=("data", "count"))
TOKEN = Pagination(kind="token", items=("items",), cursor="cursor", next_cursor=("next",), has_more=("has_more",))
PAGE = Pagination(kind="page", items=("items",), cursor="page", size="limit", pages=("pages",))


class Unset:
    """Like the generated models' marker of an absent field: falsy."""

    def __bool__(self) -> bool:
        return False


def item(n: int) -> SimpleNamespace:
    return SimpleNamespace(id=f"id{n}")


class Fetcher:
    """Serves pages from a function of the request's parameter changes, and records every call."""

    def __init__(self, pages: Any) -> None:
        self.pages = pages
        self.calls: list[dict[str, Any]] = []

    def __call__(self, changes: Mapping[str, Any]) -> Any:
        self.calls.append(dict(changes))
        return self.pages(dict(changes))

    async def fetch_async(self, changes: Mapping[str, Any]) -> Any:
        return self(changes)


def _cursor_pages(changes: dict[str, Any]) -> SimpleNamespace:
    # Five items id0..id4 in pages of two, after `starting_after`.
    start = int(changes["starting_after"][2:]) + 1 if "starting_after" in changes else 0
    return SimpleNamespace(data=[item(n) for n in range(start, min(start + 2, 5))])


def _all(page: SyncPage[Any]) -> list[str]:
    return [i.id for i in page]


def test_cursor_walks_every_page_from_the_last_id() -> None:
    fetch = Fetcher(_cursor_pages)
    page: SyncPage[Any] = SyncPage.first(fetch=fetch, pagination=CURSOR, params={"limit": 2})
    assert [i.id for i in page.items] == ["id0", "id1"] and page.has_next_page()
    assert _all(page) == ["id0", "id1", "id2", "id3", "id4"]
    # The first request is the call's own parameters; each later one adds the page's cursor to them.
    assert fetch.calls == [{}, {"limit": 2, "starting_after": "id1"}, {"limit": 2, "starting_after": "id3"}]


def test_cursor_stops_on_a_short_or_empty_page() -> None:
    assert CURSOR.next_params(SimpleNamespace(data=[item(0)]), {"limit": 2}) is None
    assert CURSOR.next_params(SimpleNamespace(data=[]), {}) is None
    # No limit given: the spec's default page size decides whether the page was full.
    assert CURSOR.next_params(SimpleNamespace(data=[item(0), item(1)]), {}) == {"starting_after": "id1"}
    assert CURSOR.next_params(SimpleNamespace(data=[item(0), item(1)]), {"limit": 3}) is None


def test_cursor_pages_backwards_when_the_caller_started_backwards() -> None:
    full = SimpleNamespace(data=[item(7), item(8)])
    assert CURSOR.next_params(full, {"ending_before": "id9", "limit": 2}) == {"ending_before": "id7"}
    assert CURSOR.next_params(full, {"ending_before": Unset(), "limit": 2}) == {"starting_after": "id8"}


def test_offset_advances_by_the_items_and_stops_at_the_total() -> None:
    def pages(changes: dict[str, Any]) -> SimpleNamespace:
        skip = changes.get("skip", 0)
        orders = [item(n) for n in range(skip, min(skip + 2, 5))]
        return SimpleNamespace(data=SimpleNamespace(orders=orders, count=5))

    fetch = Fetcher(pages)
    page: SyncPage[Any] = SyncPage.first(fetch=fetch, pagination=OFFSET, params={"take": 2})
    assert _all(page) == ["id0", "id1", "id2", "id3", "id4"]
    assert fetch.calls == [{}, {"take": 2, "skip": 2}, {"take": 2, "skip": 4}]


def test_offset_without_a_total_stops_on_a_short_page() -> None:
    short = SimpleNamespace(data=SimpleNamespace(orders=[item(0)], count=Unset()))
    full = SimpleNamespace(data=SimpleNamespace(orders=[item(0), item(1)], count=Unset()))
    assert OFFSET.next_params(short, {"take": 2}) is None
    assert OFFSET.next_params(full, {"take": 2, "skip": 10}) == {"skip": 12}
    # The total reached on a full page: no request for an empty page after it.
    assert (
        OFFSET.next_params(SimpleNamespace(data=SimpleNamespace(orders=[item(0), item(1)], count=12)), {"skip": 10})
        is None
    )


def test_token_follows_the_next_cursor_until_has_more_is_false() -> None:
    assert TOKEN.next_params(SimpleNamespace(items=[item(0)], next="t2", has_more=True), {}) == {"cursor": "t2"}
    assert TOKEN.next_params(SimpleNamespace(items=[item(0)], next="t2", has_more=False), {}) is None
    assert TOKEN.next_params(SimpleNamespace(items=[item(0)], next=None, has_more=True), {}) is None
    assert TOKEN.next_params(SimpleNamespace(items=[item(0)], next=Unset(), has_more=Unset()), {}) is None
    # No has_more flag: a token and items go on, a token with no items stops.
    assert TOKEN.next_params(SimpleNamespace(items=[item(0)], next="t2", has_more=None), {}) == {"cursor": "t2"}
    assert TOKEN.next_params(SimpleNamespace(items=[], next="t2", has_more=None), {}) is None


def test_page_numbers_count_from_the_first_page_to_the_page_count() -> None:
    def pages(changes: dict[str, Any]) -> SimpleNamespace:
        number = changes.get("page", 1)
        return SimpleNamespace(items=[item(number)], pages=3)

    fetch = Fetcher(pages)
    page: SyncPage[Any] = SyncPage.first(fetch=fetch, pagination=PAGE, params={})
    assert [p.items[0].id for p in page.iter_pages()] == ["id1", "id2", "id3"]
    assert fetch.calls == [{}, {"page": 2}, {"page": 3}]
    assert PAGE.next_params(SimpleNamespace(items=[], pages=None), {"page": 1}) is None


def test_next_page_is_none_on_the_last_page() -> None:
    fetch = Fetcher(lambda changes: SimpleNamespace(data=[item(0)]))
    page: SyncPage[Any] = SyncPage.first(fetch=fetch, pagination=CURSOR, params={"limit": 2})
    assert not page.has_next_page() and page.next_page() is None
    assert repr(page) == "<SyncPage items=1>" and page.response.data[0].id == "id0"
    assert len(fetch.calls) == 1


def test_items_missing_from_the_body_read_as_an_empty_page() -> None:
    assert CURSOR.items_of(SimpleNamespace(data=Unset())) == []
    assert OFFSET.items_of(SimpleNamespace(data=None)) == []


async def test_async_paginator_awaits_to_the_first_page_and_iterates_every_item() -> None:
    fetch = Fetcher(_cursor_pages)
    paginator: AsyncPaginator[Any] = AsyncPaginator(fetch=fetch.fetch_async, pagination=CURSOR, params={"limit": 2})
    first = await paginator
    assert isinstance(first, AsyncPage) and [i.id for i in first.items] == ["id0", "id1"]
    assert len(fetch.calls) == 1  # awaiting fetches one page
    assert [i.id async for i in paginator] == ["id0", "id1", "id2", "id3", "id4"]
    second = await first.next_page()
    assert second is not None and [i.id for i in second.items] == ["id2", "id3"]
    assert [len(p.items) async for p in first.iter_pages()] == [2, 2, 1]
