"""SDK runtime tests: mock transports, a fake clock, clients wired to both, and the secret scan.

No test reaches the network: every client gets an `httpx.MockTransport` whose handler is a `Server`
that answers with queued replies and keeps every request it saw.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import cnaught_client
import fungies_client
import httpx
import pytest
from cnaught_client import _base_client as cn_base
from cnaught_client import _exceptions as cn_exceptions
from fungies_client import _base_client as fg_base
from fungies_client import _exceptions as fg_exceptions

from ..mock_api import Server

CN_KEY = "cn-secret-api-key-5e1d8a"
FG_PUBLIC = "fg-public-key-0c7b42"
FG_SECRET = "fg-secret-key-93fa61"
SECRETS = (CN_KEY, FG_PUBLIC, FG_SECRET)


def json_response(status: int, body: Any, *, headers: dict[str, str] | None = None, ctype: str = "") -> httpx.Response:
    content_type = ctype or "application/json"
    return httpx.Response(
        status, content=json.dumps(body).encode(), headers={"Content-Type": content_type, **(headers or {})}
    )


def cn_order(order_id: str = "Gre28Fc35bt3", state: str = "placed") -> dict[str, Any]:
    """A CNaught Order as the docs show it."""
    return {
        "id": order_id,
        "order_number": "47726-53238-46633-33562-7433",
        "created_on": "2022-08-01T18:00:00.000000Z",
        "amount_kg": 10.5,
        "state": state,
        "price_usd_cents": 2350,
        "certificate_public_url": None,
        "certificate_download_public_url": None,
    }


def fg_order(number: str = "1001", status: str = "PAID") -> dict[str, Any]:
    """A Fungies Order with its required fields."""
    return {
        "id": "5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11",
        "number": number,
        "status": status,
        "createdAt": 1700000000,
        "orderNumber": number,
    }


def fg_success(data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "success", "data": data}


async def resolve(value: Any) -> Any:
    """The result of a sync call, or of an async one awaited: lets one test body drive both twins."""
    return await value if inspect.isawaitable(value) else value


async def collect(listing: Any) -> list[Any]:
    """Every item of a paginated list, sync (`SyncPage`) or async (`AsyncPaginator`)."""
    if hasattr(listing, "__aiter__"):
        return [item async for item in listing]
    return list(listing)


class Clock:
    """A fake `sleep`: records each delay instead of waiting."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


@pytest.fixture(params=["sync", "async"])
def engine(request: pytest.FixtureRequest) -> str:
    """Which client a test drives: the blocking one or the asyncio one."""
    return str(request.param)


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(autouse=True)
def _no_key_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Keys and base URLs from the developer's shell must not leak into the tests.
    for name in ("CNAUGHT_API_KEY", "CNAUGHT_BASE_URL", "FUNGIES_PUBLIC_KEY", "FUNGIES_SECRET_KEY", "FUNGIES_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _transport(server: Server) -> httpx.MockTransport:
    return httpx.MockTransport(server)


@pytest.fixture
def make_cn(server: Server, clock: Clock) -> Callable[..., cnaught_client.CNaught]:
    def make(**kwargs: Any) -> cnaught_client.CNaught:
        kwargs.setdefault("api_key", CN_KEY)
        return cnaught_client.CNaught(
            http_client=httpx.Client(transport=_transport(server)),
            **{"_sleep": clock.sleep, "_random": lambda: 0.0, **kwargs},
        )

    return make


@pytest.fixture
def make_acn(server: Server, clock: Clock) -> Callable[..., cnaught_client.AsyncCNaught]:
    def make(**kwargs: Any) -> cnaught_client.AsyncCNaught:
        kwargs.setdefault("api_key", CN_KEY)
        return cnaught_client.AsyncCNaught(
            http_client=httpx.AsyncClient(transport=_transport(server)),
            **{"_sleep": clock.asleep, "_random": lambda: 0.0, **kwargs},
        )

    return make


@pytest.fixture
def make_fg(server: Server, clock: Clock) -> Callable[..., fungies_client.Fungies]:
    def make(**kwargs: Any) -> fungies_client.Fungies:
        kwargs.setdefault("public_key", FG_PUBLIC)
        kwargs.setdefault("secret_key", FG_SECRET)
        return fungies_client.Fungies(
            http_client=httpx.Client(transport=_transport(server)),
            **{"_sleep": clock.sleep, "_random": lambda: 0.0, **kwargs},
        )

    return make


@pytest.fixture
def make_afg(server: Server, clock: Clock) -> Callable[..., fungies_client.AsyncFungies]:
    def make(**kwargs: Any) -> fungies_client.AsyncFungies:
        kwargs.setdefault("public_key", FG_PUBLIC)
        kwargs.setdefault("secret_key", FG_SECRET)
        return fungies_client.AsyncFungies(
            http_client=httpx.AsyncClient(transport=_transport(server)),
            **{"_sleep": clock.asleep, "_random": lambda: 0.0, **kwargs},
        )

    return make


# -- the secret scan: every log record, client repr and exception of every test --------------------------


class SeenObjects:
    """What the scan looked at during one test (so a test can check that the scan saw something)."""

    def __init__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self.errors: list[BaseException] = []
        self.clients: list[object] = []

    def texts(self) -> Iterator[tuple[str, str]]:
        for record in self.records:
            yield "log record", record.getMessage()
        for raised in self.errors:
            # The error, and every error it was raised from: a traceback prints them all.
            error: BaseException | None = raised
            chain: set[int] = set()
            while error is not None and id(error) not in chain:
                chain.add(id(error))
                yield f"{type(error).__name__} str", str(error)
                yield f"{type(error).__name__} repr", repr(error)
                yield f"{type(error).__name__} args", repr(error.args)
                error = error.__cause__ or error.__context__
        for client in self.clients:
            yield f"{type(client).__name__} repr", repr(client)


class _Collect(logging.Handler):
    def __init__(self, seen: SeenObjects) -> None:
        super().__init__(level=logging.DEBUG)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.records.append(record)


def _record_instances(monkeypatch: pytest.MonkeyPatch, cls: type, into: list[Any]) -> None:
    original = cls.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        into.append(self)

    monkeypatch.setattr(cls, "__init__", init)


@pytest.fixture(autouse=True)
def secret_scan(monkeypatch: pytest.MonkeyPatch) -> Iterator[SeenObjects]:
    """Fails the test when a key shows in a log record (the SDKs' and httpx's), an exception (or one it was raised
    from) or a client repr made during it."""
    seen = SeenObjects()
    handler = _Collect(seen)
    loggers = [logging.getLogger(name) for name in ("cnaught_client", "fungies_client", "httpx", "httpcore")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    for module in (cn_exceptions, fg_exceptions):
        _record_instances(monkeypatch, module.APIError, seen.errors)
    for module in (cn_base, fg_base):
        _record_instances(monkeypatch, module._BaseClient, seen.clients)
    try:
        yield seen
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
    found = leaks(seen)
    assert not found, f"a key leaked into: {found}"


def leaks(seen: SeenObjects) -> list[tuple[str, str]]:
    """Every scanned text that contains one of the test keys."""
    return [(where, text) for where, text in seen.texts() for key in SECRETS if key in text]


@pytest.fixture(params=["sync", "async"])
def cn(request: pytest.FixtureRequest, make_cn: Any, make_acn: Any) -> Callable[..., Any]:
    """A CNaught client factory: the blocking client, then its async twin."""
    return make_cn if request.param == "sync" else make_acn  # type: ignore[no-any-return]


@pytest.fixture(params=["sync", "async"])
def fg(request: pytest.FixtureRequest, make_fg: Any, make_afg: Any) -> Callable[..., Any]:
    """A Fungies client factory: the blocking client, then its async twin."""
    return make_fg if request.param == "sync" else make_afg  # type: ignore[no-any-return]
