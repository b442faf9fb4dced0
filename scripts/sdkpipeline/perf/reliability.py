"""The SDKs against a real server on 127.0.0.1 that misbehaves on purpose: one table, correctness only.

`nox -s reliability` runs this module with the generated packages on PYTHONPATH. Each scenario drives
the public clients (`CNaught`, `AsyncCNaught`, `Fungies`, `AsyncFungies`) against a `FaultServer`, then
checks what came back: the typed error and the number of attempts the README documents for each kind of
call, every answer matched to its request, no write without an idempotency key sent twice, no
connection left open once the clients are closed. A second table plays a hostile server (a gzip bomb,
a 500 MB body, answers dripping one byte a second, redirects to another origin, an id of `..`, a key
with a stray newline), each attack in a fresh interpreter so that its peak RSS and wall time are its
own. It prints both tables and exits 1 when any outcome is wrong. Durations are never checked; peak
memory (tracemalloc, or the RSS of the attack's process) is printed, not judged.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import os
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..testing.faultserver import (
    MARKER_HEADER,
    FaultServer,
    Reply,
    Route,
    Seen,
    cursor_page,
    first_then,
    gzip_bomb,
    offset_page,
    running,
    zeros,
)

CN_KEY = "cn-reliability-key"
FG_PUBLIC, FG_SECRET = "fg-reliability-public", "fg-reliability-secret"
MAX_RETRIES = 2  # the SDKs' default: a retried call is seen 3 times
LATE_TIMEOUT, LATE_DELAY = 0.25, 0.6  # the client's timeout, and how late the headers come
RETRY_AFTER = "3"  # seconds: recorded by the clients' `_sleep`, never waited for
HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


# -- valid answers: what the API would say, echoing the caller's id so answers can be matched ----------------


def cn_order(order_id: str) -> dict[str, Any]:
    return {
        "id": order_id,
        "order_number": "47726-53238-46633-33562-7433",
        "created_on": "2022-08-01T18:00:00.000000Z",
        "amount_kg": 10.5,
        "state": "placed",
        "price_usd_cents": 2350,
        "certificate_public_url": None,
        "certificate_download_public_url": None,
    }


def fg_order(number: str) -> dict[str, Any]:
    return {
        "id": "5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11",
        "number": number,
        "status": "PAID",
        "createdAt": 1700000000,
        "orderNumber": number,
    }


def _json(body: Any, status: int = 200) -> Reply:
    return Reply(status=status, body=json.dumps(body).encode())


@dataclass(frozen=True)
class Listing:
    """The size of the lists the server serves."""

    total: int = 10_000
    page_size: int = 20  # both specs' default page size: 10,000 items are 500 pages


def api_route(listing: Listing = Listing()) -> Route:
    """The two APIs as the server plays them, for the operations the scenarios call."""

    def route(seen: Seen) -> Reply:
        parts = seen.path.strip("/").split("/")
        if parts[:3] == ["v0", "orders", "list"]:
            items = offset_page(
                seen.query, total=listing.total, default_take=listing.page_size, make_item=lambda i: fg_order(str(i))
            )
            return _json({"status": "success", "data": {"orders": items, "count": listing.total}})
        if parts[:2] == ["v0", "orders"] and len(parts) >= 3:
            return _json({"status": "success", "data": {"order": fg_order(parts[2])}})
        if parts == ["orders"]:
            page = cursor_page(
                seen.query, total=listing.total, default_limit=listing.page_size, make_item=lambda i: cn_order(f"o-{i}")
            )
            return _json({"data": page})
        if parts[:1] == ["orders"] and len(parts) >= 2:
            return _json(cn_order(parts[1]))
        if parts[:1] == ["subaccounts"] and seen.method == "DELETE":
            return Reply(status=204, content_type=None)
        return _json({"title": "Not Found", "status": 404}, status=404)

    return route


# -- the clients --------------------------------------------------------------------------------------------


@dataclass
class Clients:
    """One CNaught and one Fungies client (sync or async) on the server, and the sleeps they asked for."""

    cn: Any
    fg: Any
    sleeps: list[float] = field(default_factory=list)

    def close(self) -> Awaitable[None] | None:
        if inspect.iscoroutinefunction(self.cn.close):
            return _close_both(self.cn, self.fg)
        self.cn.close()
        self.fg.close()
        return None


async def _close_both(cn: Any, fg: Any) -> None:
    await cn.close()
    await fg.close()


def make_clients(url: str, *, use_async: bool, **options: Any) -> Clients:
    """Clients that own their connection pools (closing them closes the pool), and a recorded sleep."""
    cn_module, fg_module = importlib.import_module("cnaught_client"), importlib.import_module("fungies_client")
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def asleep(seconds: float) -> None:
        sleeps.append(seconds)

    common = {"base_url": url, "_sleep": asleep if use_async else sleep, "_random": lambda: 0.0, **options}
    cn_class = cn_module.AsyncCNaught if use_async else cn_module.CNaught
    fg_class = fg_module.AsyncFungies if use_async else fg_module.Fungies
    return Clients(
        cn=cn_class(api_key=CN_KEY, **common),
        fg=fg_class(public_key=FG_PUBLIC, secret_key=FG_SECRET, **common),
        sleeps=sleeps,
    )


# -- kinds of call, and what each fault must do to each ------------------------------------------------------


def _marked(marker: str) -> dict[str, Any]:
    return {"extra_headers": {MARKER_HEADER: marker}}


@dataclass(frozen=True)
class CallKind:
    """One kind of call: how to make it, and how to tell its answer belongs to it."""

    name: str
    call: Callable[[Clients, str], Any]
    matches: Callable[[Any, str], bool]


READ = CallKind("read (GET)", lambda c, m: c.cn.orders.retrieve(m, **_marked(m)), lambda result, m: result.id == m)
WRITE = CallKind(
    "write, no key (PATCH)",
    lambda c, m: c.fg.orders.update(m, value=1.0, **_marked(m)),
    lambda result, m: result.order_number == m,  # the method returns the order its envelope carries
)
KEYED_WRITE = CallKind(
    "write with Idempotency-Key (POST)",
    lambda c, m: c.cn.orders.cancel(m, **_marked(m)),
    lambda result, m: result.id == m,
)
DELETE_204 = CallKind(
    "delete, 204 documented", lambda c, m: c.cn.subaccounts.delete(m, **_marked(m)), lambda result, m: result is None
)

OK = "ok"  # the typed result, matched to its request
# A write the server accepted whose 2xx body does not fit (not JSON, or none): never an exception:
# the model of what fits (here nothing) and a ResponseValidationWarning.
ACCEPTED = "accepted, body did not fit"


@dataclass(frozen=True)
class Expect:
    outcome: str  # OK, or the exception's class name
    attempts: int  # requests the server saw for the call


@dataclass(frozen=True)
class Fault:
    """A misbehaviour of the server, and what each kind of call must make of it."""

    name: str
    route: Callable[[Route], Route]  # the misbehaving route, made from the well-behaved one
    expect: dict[CallKind, Expect]
    client_options: dict[str, Any] = field(default_factory=dict)
    retry_after: float | None = None  # the waits the clients must ask for, when the server names them


def _always(change: Callable[[Reply], Reply]) -> Callable[[Route], Route]:
    return lambda ok: lambda seen: change(ok(seen))


RETRIED, NOT_RETRIED = MAX_RETRIES + 1, 1


def _expect(read: Expect, write: Expect, keyed: Expect) -> dict[CallKind, Expect]:
    return {READ: read, WRITE: write, KEYED_WRITE: keyed}


CONNECTION = "APIConnectionError"
FAULTS = [
    # Content-Length promises the whole body; half is sent, then the connection closes.
    Fault(
        "body cut mid-way",
        _always(lambda ok: replace(ok, fault="cut")),
        _expect(Expect(CONNECTION, RETRIED), Expect(CONNECTION, NOT_RETRIED), Expect(CONNECTION, RETRIED)),
    ),
    # Half the body, then RST.
    Fault(
        "connection reset mid-body",
        _always(lambda ok: replace(ok, fault="reset")),
        _expect(Expect(CONNECTION, RETRIED), Expect(CONNECTION, NOT_RETRIED), Expect(CONNECTION, RETRIED)),
    ),
    # The answer arrived: not a transport problem, and not retried; a read cannot trust it, a write happened.
    Fault(
        "200 with invalid JSON",
        _always(lambda ok: replace(ok, body=ok.body[: len(ok.body) // 2])),
        _expect(
            Expect("APIResponseValidationError", NOT_RETRIED),
            Expect(ACCEPTED, NOT_RETRIED),
            Expect(ACCEPTED, NOT_RETRIED),
        ),
    ),
    # A proxy's error page: 5xx is retried for reads and keyed writes only.
    Fault(
        "HTML 502 from a proxy",
        _always(lambda ok: Reply(status=502, body=HTML_502, content_type="text/html")),
        _expect(
            Expect("InternalServerError", RETRIED),
            Expect("InternalServerError", NOT_RETRIED),
            Expect("InternalServerError", RETRIED),
        ),
    ),
    # 204 where the spec documents a body: a read cannot trust it, a write was accepted; where the spec
    # documents 204, None.
    Fault(
        "204 with no body",
        _always(lambda ok: Reply(status=204, content_type=None)),
        {
            **_expect(
                Expect("APIResponseValidationError", NOT_RETRIED),
                Expect(ACCEPTED, NOT_RETRIED),
                Expect(ACCEPTED, NOT_RETRIED),
            ),
            DELETE_204: Expect(OK, NOT_RETRIED),
        },
    ),
    # The status line comes after the client's read timeout.
    Fault(
        "headers after the timeout",
        _always(lambda ok: replace(ok, delay=LATE_DELAY)),
        _expect(
            Expect("APITimeoutError", RETRIED),
            Expect("APITimeoutError", NOT_RETRIED),
            Expect("APITimeoutError", RETRIED),
        ),
        client_options={"timeout": LATE_TIMEOUT},
    ),
    # Two 429s with Retry-After for every call, then the answer.
    Fault(
        "429 storm with Retry-After",
        lambda ok: first_then(
            Reply(status=429, body=b'{"title": "Too Many Requests"}', headers={"Retry-After": RETRY_AFTER}), ok, times=2
        ),
        _expect(Expect(OK, RETRIED), Expect("RateLimitError", NOT_RETRIED), Expect(OK, RETRIED)),
        retry_after=float(RETRY_AFTER),
    ),
]


# -- results ------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table, and what was wrong (empty: the scenario behaved as documented)."""

    scenario: str
    requests: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    duplicated_writes: int = 0
    leaked_connections: int = 0
    peak_memory: str = ""
    problems: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _outcome(call: CallKind, marker: str, result: Any, error: BaseException | None) -> str:
    if error is not None:
        return type(error).__name__
    try:
        if call.matches(result, marker):
            return OK
    except AttributeError:  # a field the body left out: lenient parsing leaves it unset, reading it raises
        pass
    # An empty model: what a write gets back when its accepted body had nothing that fits.
    return ACCEPTED if callable(getattr(result, "to_dict", None)) and result.to_dict() == {} else "unmatched answer"


async def _resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def _call(call: CallKind, clients: Clients, marker: str) -> str:
    try:
        result = call.call(clients, marker)
    except Exception as exc:  # every exception is an outcome to report, the unexpected ones most of all
        return _outcome(call, marker, None, exc)
    return _outcome(call, marker, result, None)


async def _acall(call: CallKind, clients: Clients, marker: str) -> str:
    try:
        result = await call.call(clients, marker)
    except Exception as exc:  # as in _call
        return _outcome(call, marker, None, exc)
    return _outcome(call, marker, result, None)


def _finish(row: Row, server: FaultServer, peak: int, *, rss: bool = False) -> Row:
    row.leaked_connections = server.wait_until_closed()
    row.requests = server.requests
    row.duplicated_writes = server.duplicated_writes()
    row.peak_memory = f"{_size(peak)} RSS (process)" if rss else _size(peak)
    if row.leaked_connections:
        row.problems.append(f"{row.leaked_connections} connection(s) still open after the clients were closed")
    if row.duplicated_writes:
        row.problems.append(f"{row.duplicated_writes} write(s) without an idempotency key sent more than once")
    return row


@contextmanager
def _traced() -> Iterator[list[int]]:
    """tracemalloc's peak over the block (client and server threads alike: one process)."""
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


@contextmanager
def _rss() -> Iterator[list[int]]:
    """The process's peak resident size after the block (ru_maxrss): tracemalloc would slow thousands of
    concurrent requests several times over, and the pool's bound is what these scenarios are about."""
    peak: list[int] = []
    try:
        yield peak
    finally:
        peak.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 2**10:.0f} KiB"


# -- the scenarios ------------------------------------------------------------------------------------------


def run_fault(fault: Fault, *, calls_each: int = 2) -> Row:
    """Every kind of call the fault names, `calls_each` times, sync then async; each checked on its own."""
    row = Row(fault.name)
    with running(fault.route(api_route())) as server, _traced() as peak:
        plan = [(call, n) for call in fault.expect for n in range(calls_each)]
        clients = make_clients(server.url, use_async=False, **fault.client_options)
        try:
            for call, n in plan:
                marker = f"s-{call.name.split()[0]}-{n}"
                _judge(row, server, call, marker, _call(call, clients, marker), fault.expect[call])
        finally:
            clients.close()
        _judge_waits(row, fault, clients.sleeps)

        async def run_async() -> None:
            aclients = make_clients(server.url, use_async=True, **fault.client_options)
            try:
                for call, n in plan:
                    marker = f"a-{call.name.split()[0]}-{n}"
                    _judge(row, server, call, marker, await _acall(call, aclients, marker), fault.expect[call])
            finally:
                await _resolve(aclients.close())
            _judge_waits(row, fault, aclients.sleeps)

        asyncio.run(run_async())
    row.extra["replayed keyed writes"] = server.replayed_keyed_writes()
    return _finish(row, server, peak[0])


def _judge_waits(row: Row, fault: Fault, sleeps: list[float]) -> None:
    if fault.retry_after is not None and set(sleeps) != {fault.retry_after}:
        row.problems.append(f"waits {sorted(set(sleeps))} instead of Retry-After {fault.retry_after}")


def _judge(row: Row, server: FaultServer, call: CallKind, marker: str, outcome: str, expected: Expect) -> None:
    row.outcomes[outcome] += 1
    attempts = server.attempts(marker)
    if (outcome, attempts) != (expected.outcome, expected.attempts):
        row.problems.append(
            f"{call.name} {marker}: {outcome} after {attempts} request(s), "
            f"expected {expected.outcome} after {expected.attempts}"
        )


def run_sync_concurrency(*, threads: int = 32, calls_each: int = 64) -> Row:
    """One CNaught client shared by `threads` threads: reads and keyed writes, each answer matched."""
    row = Row(f"1 sync client, {threads} threads")
    with running(api_route()) as server, _rss() as peak:
        clients = make_clients(server.url, use_async=False)
        lock = threading.Lock()

        def worker(t: int) -> None:
            for n in range(calls_each):
                call = READ if n % 2 else KEYED_WRITE
                outcome = _call(call, clients, f"t{t}-{n}")
                with lock:
                    row.outcomes[outcome] += 1

        try:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(worker, range(threads)))
        finally:
            clients.close()
    _check_concurrency(row, server, calls=threads * calls_each, pool_bound=threads)
    return _finish(row, server, peak[0], rss=True)


def run_async_concurrency(*, tasks: int = 500, calls_each: int = 5) -> Row:
    """One AsyncFungies client shared by `tasks` tasks: reads and writes, each answer matched."""
    row = Row(f"1 async client, {tasks} tasks")
    with running(api_route()) as server, _rss() as peak:

        async def main() -> None:
            clients = make_clients(server.url, use_async=True)
            fg_read = CallKind(
                "read",
                lambda c, m: c.fg.orders.retrieve(m, **_marked(m)),
                lambda result, m: result.order_number == m,  # the order the envelope carries
            )

            async def task(t: int) -> list[str]:
                return [await _acall(WRITE if n % 2 else fg_read, clients, f"t{t}-{n}") for n in range(calls_each)]

            try:
                for outcomes in await asyncio.gather(*(task(t) for t in range(tasks))):
                    row.outcomes.update(outcomes)
            finally:
                await _resolve(clients.close())

        asyncio.run(main())
    # httpx's default pool: at most 100 connections (httpx.Limits, the SDK creates its client with them).
    _check_concurrency(row, server, calls=tasks * calls_each, pool_bound=100)
    return _finish(row, server, peak[0], rss=True)


def _check_concurrency(row: Row, server: FaultServer, *, calls: int, pool_bound: int) -> None:
    if row.outcomes != Counter({OK: calls}):
        row.problems.append(f"expected {calls} matched answers, got {dict(row.outcomes)}")
    markers = Counter(s.marker for s in server.snapshot())
    if len(markers) != calls or set(markers.values()) != {1}:
        row.problems.append(f"{calls} calls, but the server saw {len(markers)} distinct markers")
    if server.peak_open > pool_bound:
        row.problems.append(f"{server.peak_open} connections open at once: the pool allows {pool_bound}")
    row.extra["peak open connections"] = server.peak_open
    row.scenario += f", ≤{server.peak_open} connections open"


def run_pagination(*, listing: Listing = Listing(), use_async: bool) -> list[Row]:
    """Every item of a long list, cursor style (CNaught) and offset style (Fungies), in bounded memory."""
    rows = []
    mode = "async" if use_async else "sync"
    pages = -(-listing.total // listing.page_size)
    for api, items_of, ident, expected in (
        ("CNaught cursor", lambda c: c.cn.orders.list(), lambda item: item.id, lambda i: f"o-{i}"),
        (
            "Fungies offset",
            lambda c: c.fg.orders.list(take=listing.page_size),
            lambda item: item.order_number,
            str,
        ),
    ):
        row = Row(f"{listing.total:,} items / {pages} pages, {api}, {mode}")
        walk = Walk(ident=ident, expected=expected)
        with running(api_route(listing), keep_requests=False) as server:
            one_page, every_page, first = _paginate(server, items_of, walk, use_async=use_async)
            row.outcomes[f"{walk.count:,} items"] += 1
            if walk.count != listing.total or walk.wrong:
                row.problems.append(f"{walk.count} items, {walk.wrong} out of place (first: {walk.first_wrong})")
            if first != listing.page_size:
                row.problems.append(f"the first page holds {first} items, not {listing.page_size}")
            row = _finish(row, server, every_page)
            row.peak_memory += f" (1 page: {_size(one_page)})"
        rows.append(row)
    return rows


@dataclass
class Walk:
    """Checks each item as it comes (its id is the next expected one), keeping nothing: memory stays flat."""

    ident: Callable[[Any], str]
    expected: Callable[[int], str]
    count: int = 0
    wrong: int = 0
    first_wrong: str | None = None

    def see(self, item: Any) -> None:
        got, want = self.ident(item), self.expected(self.count)
        if got != want:
            self.wrong += 1
            self.first_wrong = self.first_wrong or f"item {self.count} is {got!r}, not {want!r}"
        self.count += 1


def _paginate(
    server: FaultServer, items_of: Callable[[Clients], Any], walk: Walk, *, use_async: bool
) -> tuple[int, int, int]:
    """Peak memory for the first page alone, then for every page (walked through `walk`); the first page's size."""
    if not use_async:
        clients = make_clients(server.url, use_async=False)
        try:
            with _traced() as one_page:
                first = len(items_of(clients).items)
            server.forget_requests()
            with _traced() as every_page:
                for item in items_of(clients):
                    walk.see(item)
        finally:
            clients.close()
        return one_page[0], every_page[0], first

    async def run() -> tuple[int, int, int]:
        clients = make_clients(server.url, use_async=True)
        try:
            with _traced() as one_page:
                first = len((await items_of(clients)).items)
            server.forget_requests()
            with _traced() as every_page:
                async for item in items_of(clients):
                    walk.see(item)
        finally:
            await _resolve(clients.close())
        return one_page[0], every_page[0], first

    return asyncio.run(run())


# -- a hostile server: each attack in a fresh interpreter, its peak RSS and wall time its own -----------------

BOMB_SIZE = 1 << 30  # 1 GiB of zeros, 1.0 MB on the wire
LARGE_BODY = 500_000_000
ATTACK_TIMEOUT = 2.0  # the client's timeout: an answer dripping 1 byte/s must not outlive it
DRIP_BYTES = 40  # without a deadline the dripped body alone takes this many seconds
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
CHILD_TIMEOUT = 900.0  # an unguarded client can take long; a hung one must not hang the session
# A key read from a file with its newline: the attack checks that no error shows the key.
NEWLINE_SECRET = FG_SECRET + "\n"

REFUSED = "refused before sending"  # a ValueError from the client: nothing went out


@dataclass(frozen=True)
class Attack:
    """What a hostile server does, the call it answers, and the outcome a guarded client gives."""

    name: str
    route: Callable[[str], Route]  # given the other origin's URL (for redirects to it)
    call: str  # the name of the call in `_attack_calls` (the client process looks it up there)
    expect: str
    figures: bool = False  # memory and time are what this attack is about: print them


def _redirect_to_other_origin(status: int) -> Callable[[str], Route]:
    def route(other: str) -> Route:
        return lambda seen: Reply(status=status, headers={"Location": f"{other}{seen.path}"}, content_type=None)

    return route


def _answer_with(reply: Reply) -> Route:
    """A route answering every request with `reply` (made once, before the client starts)."""
    return lambda seen: reply


def _drip(*, headers: bool) -> Callable[[str], Route]:
    body = b'{"id": "' + b"x" * (DRIP_BYTES - 10) + b'"}'
    return lambda other: lambda seen: Reply(body=body, drip=1.0, drip_headers=headers)


ATTACKS = [
    Attack(
        f"gzip bomb ({BOMB_SIZE >> 30} GiB of zeros, 1.0 MB on the wire)",
        lambda other: _answer_with(Reply(body=gzip_bomb(BOMB_SIZE), headers={"Content-Encoding": "gzip"})),
        "cn.retrieve",
        "ResponseTooLargeError",
        figures=True,
    ),
    Attack(
        f"{LARGE_BODY / 1e6:.0f} MB body, Content-Length",
        lambda other: lambda seen: Reply(stream=zeros(LARGE_BODY), length=LARGE_BODY),
        "cn.retrieve",
        "ResponseTooLargeError",
        figures=True,
    ),
    Attack(
        f"{LARGE_BODY / 1e6:.0f} MB body, chunked",
        lambda other: lambda seen: Reply(stream=zeros(LARGE_BODY)),
        "cn.retrieve",
        "ResponseTooLargeError",
        figures=True,
    ),
    Attack(
        f"body dripping 1 byte/s, timeout={ATTACK_TIMEOUT:g}",
        _drip(headers=False),
        "cn.retrieve",
        "APITimeoutError",
        figures=True,
    ),
    Attack(
        f"status and headers dripping 1 byte/s, timeout={ATTACK_TIMEOUT:g}",
        _drip(headers=True),
        "cn.retrieve",
        "APITimeoutError",
        figures=True,
    ),
    *(
        Attack(
            f"{status} to another origin, PATCH with keys and body",
            _redirect_to_other_origin(status),
            "fg.update",
            "RedirectError",
        )
        for status in REDIRECT_STATUSES
    ),
    Attack("id '..' (subaccounts.delete)", lambda other: api_route(), "cn.delete_dots", REFUSED),
    Attack("secret key ending in a newline", lambda other: api_route(), "fg.update_newline_key", REFUSED),
]


def _attack_calls(clients: Clients) -> dict[str, Callable[[], Any]]:
    return {
        "cn.retrieve": lambda: clients.cn.orders.retrieve("o-1"),
        "fg.update": lambda: clients.fg.orders.update("o-1", value=1.0),
        "cn.delete_dots": lambda: clients.cn.subaccounts.delete(".."),
        "fg.update_newline_key": lambda: clients.fg.orders.update("o-1", value=1.0),
    }


@dataclass
class AttackRow:
    attack: str
    engine: str
    outcome: str = ""
    seen: str = ""  # what reached the server(s), or what the error showed
    peak_rss: int = 0
    rss_growth: int = 0
    seconds: float = 0.0
    figures: bool = False
    problems: list[str] = field(default_factory=list)


def attack_child() -> None:
    """The client side of one attack, in its own interpreter (`python -c ... CALL ENGINE URL WARM_UP_URL`).

    The same call first goes to a well-behaved server (WARM_UP_URL), so that the figures printed as JSON
    (outcome, wall time, peak RSS before and after) are the attack's, not the first call's imports.
    """
    call, engine, url, warm_up_url = sys.argv[1:5]
    use_async = engine == "async"
    options: dict[str, Any] = {"timeout": ATTACK_TIMEOUT, "max_retries": 0}
    _attack_call(make_clients(warm_up_url, use_async=use_async, **options), call, use_async=use_async)
    result: dict[str, Any] = {}
    try:
        if call == "fg.update_newline_key":
            clients = _newline_key_clients(url, use_async=use_async, **options)
        else:
            clients = make_clients(url, use_async=use_async, **options)
    except ValueError as exc:
        result.update(outcome=REFUSED, shown=_shows_key(exc))
        print(json.dumps(result))
        return
    start_rss = _current_rss()
    started = time.perf_counter()
    outcome, shown = _attack_call(clients, call, use_async=use_async)
    result.update(
        outcome=outcome,
        shown=shown,
        seconds=time.perf_counter() - started,
        peak_rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        start_rss=start_rss,
    )
    print(json.dumps(result))


def _current_rss() -> int:
    """The process's resident size now (Linux: /proc/self/statm), else its peak so far (ru_maxrss): the
    growth printed is the attack's peak over what the process held when the attack began."""
    try:
        resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def _newline_key_clients(url: str, *, use_async: bool, **options: Any) -> Clients:
    module = importlib.import_module("fungies_client")
    cls = module.AsyncFungies if use_async else module.Fungies
    return Clients(cn=None, fg=cls(public_key=FG_PUBLIC, secret_key=NEWLINE_SECRET, base_url=url, **options))


def _attack_call(clients: Clients, call: str, *, use_async: bool) -> tuple[str, bool]:
    """The call's outcome (the exception's class name, or "answered") and whether its error showed a key."""
    make = _attack_calls(clients)[call]

    async def run_async() -> Any:
        try:
            return await make()
        finally:
            await clients.fg.close()
            if clients.cn is not None:
                await clients.cn.close()

    def run_sync() -> Any:
        try:
            return make()
        finally:
            for client in (clients.cn, clients.fg):
                if client is not None:
                    client.close()

    try:
        asyncio.run(run_async()) if use_async else run_sync()
    except ValueError as exc:
        return REFUSED, _shows_key(exc)
    except Exception as exc:  # every exception is an outcome to report
        return type(exc).__name__, _shows_key(exc)
    return "answered", False


def _shows_key(exc: BaseException) -> bool:
    """Whether the error, or any error it was raised from, shows a key in its str, repr or args."""
    keys = (CN_KEY, FG_PUBLIC, FG_SECRET)
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if any(k in text for text in (str(error), repr(error), repr(error.args)) for k in keys):
            return True
        error = error.__cause__ or error.__context__
    return False


def run_attack(attack: Attack, *, engine: str) -> AttackRow:
    """Play `attack` against a fresh client process; the servers record what reached them."""
    row = AttackRow(attack.name, engine, figures=attack.figures)
    with (
        running(api_route()) as warm_up,
        running(api_route()) as other,
        running(attack.route(other.url)) as server,
    ):
        code = "from sdkpipeline.perf.reliability import attack_child; attack_child()"
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code, attack.call, engine, server.url, warm_up.url],
                capture_output=True,
                text=True,
                timeout=CHILD_TIMEOUT,
                env=os.environ.copy(),
                check=False,
            )
        except subprocess.TimeoutExpired:
            row.outcome = f"still running after {CHILD_TIMEOUT:.0f} s"
            row.problems.append(row.outcome)
            return row
        if proc.returncode != 0:
            row.outcome = f"the client process failed (exit {proc.returncode})"
            row.problems.append(f"{row.outcome}: {proc.stderr.strip()[-500:]}")
            return row
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        row.outcome = result["outcome"]
        row.seconds = result.get("seconds", 0.0)
        row.peak_rss = result.get("peak_rss", 0)
        row.rss_growth = row.peak_rss - result.get("start_rss", row.peak_rss)
        row.seen = _what_was_seen(attack, server, other, shown=result["shown"])
    if row.outcome != attack.expect:
        row.problems.append(f"{row.outcome}, expected {attack.expect}")
    if result["shown"]:
        row.problems.append("an error showed a key")
    if attack.call == "fg.update" and other.requests:
        row.problems.append(f"the other origin received {other.requests} request(s)")
    if attack.call == "cn.delete_dots" and server.requests:
        row.problems.append("the request was sent")
    return row


def _what_was_seen(attack: Attack, server: FaultServer, other: FaultServer, *, shown: bool) -> str:
    if attack.call == "fg.update":
        sent = [
            part
            for s in other.snapshot()
            for part in (
                *(h for h in ("x-fngs-public-key", "x-fngs-secret-key") if h in s.headers),
                *(["the body"] if s.body else []),
            )
        ]
        if not other.requests:
            return "other origin: nothing"
        return f"other origin: {other.requests} request(s)" + (f" with {', '.join(sent)}" if sent else "")
    if attack.call == "cn.delete_dots":
        return ", ".join(f"{s.method} {s.path}" for s in server.snapshot()) or "nothing sent"
    if attack.call == "fg.update_newline_key":
        return "the error shows the key" if shown else "the error shows no key"
    n = server.body_bytes_sent
    return f"{n / 1e6:,.1f} MB of body sent" if n >= 100_000 else f"{n:,} bytes of body sent"


def run_attacks() -> list[AttackRow]:
    return [run_attack(attack, engine=engine) for attack in ATTACKS for engine in ("sync", "async")]


ATTACK_COLUMNS = (
    "attack",
    "engine",
    "outcome",
    "what reached the server / the error",
    "peak RSS (growth)",
    "wall time",
)


def format_attacks(rows: list[AttackRow]) -> str:
    cells = [
        (
            r.attack,
            r.engine,
            r.outcome,
            r.seen,
            f"{_size(r.peak_rss)} (+{_size(max(r.rss_growth, 0))})" if r.figures else "",
            f"{r.seconds:.2f} s" if r.figures else "",
        )
        for r in rows
    ]
    return _table(ATTACK_COLUMNS, cells)


# -- the table ----------------------------------------------------------------------------------------------

COLUMNS = ("scenario", "requests", "outcomes by type", "duplicated writes", "leaked connections", "peak memory")


def format_table(rows: list[Row]) -> str:
    cells = [
        (
            r.scenario,
            f"{r.requests:,}",
            ", ".join(f"{name} ×{n:,}" for name, n in sorted(r.outcomes.items())),
            f"{r.duplicated_writes}"
            + (f" ({r.extra['replayed keyed writes']} keyed retries)" if r.extra.get("replayed keyed writes") else ""),
            str(r.leaked_connections),
            r.peak_memory,
        )
        for r in rows
    ]
    return _table(COLUMNS, cells)


def _table(columns: tuple[str, ...], cells: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(c[i]) for c in [columns, *cells]) for i in range(len(columns))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def warm_up() -> None:
    """One call of each kind first, sync and async: a first call imports modules, which no peak should show."""
    with running(api_route()) as server:
        clients = make_clients(server.url, use_async=False)
        try:
            for call in (READ, WRITE, KEYED_WRITE, DELETE_204):
                _call(call, clients, "warm-up")
            len(clients.cn.orders.list(limit=1).items)
            len(clients.fg.orders.list(take=1).items)
        finally:
            clients.close()

        async def run_async() -> None:
            aclients = make_clients(server.url, use_async=True)
            try:
                for call in (READ, WRITE, KEYED_WRITE, DELETE_204):
                    await _acall(call, aclients, "warm-up")
                len((await aclients.cn.orders.list(limit=1)).items)
            finally:
                await _resolve(aclients.close())

        asyncio.run(run_async())


def run_all(*, scale: float = 1.0) -> list[Row]:
    warm_up()
    rows = [run_fault(fault) for fault in FAULTS]
    rows.append(run_sync_concurrency(threads=32, calls_each=max(2, int(64 * scale))))
    # httpcore 1.0.9 assigns queued requests to connections in O(queued × connections) on every change, so
    # 500 tasks on a pool of 100 cost far more per request than the threads do: one call a task.
    rows.append(run_async_concurrency(tasks=500, calls_each=max(1, int(scale))))
    listing = Listing(total=max(40, int(10_000 * scale)))
    rows += run_pagination(listing=listing, use_async=False)
    rows += run_pagination(listing=listing, use_async=True)
    return rows


def run(*, scale: float) -> int:
    """`sdkpipeline reliability`: print the table; 1 when any scenario's outcome is wrong (never a duration)."""
    rows = run_all(scale=scale)
    print(format_table(rows))
    attacks = run_attacks()
    print()
    print(format_attacks(attacks))
    problems = [f"{r.scenario}: {p}" for r in rows for p in r.problems]
    problems += [f"{r.attack} ({r.engine}): {p}" for r in attacks for p in r.problems]
    print()
    if problems:
        print(f"{len(problems)} wrong outcome(s):")
        print("\n".join(f"  {p}" for p in problems))
        return 1
    print(
        "every fault gave its typed error after the documented number of attempts; every answer matched its "
        "request; no write without an idempotency key was sent twice; no connection was left open; every "
        "attack stopped with its typed error, no key or body reached another origin and no error showed a key"
    )
    return 0
