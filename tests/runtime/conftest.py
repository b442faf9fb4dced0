"""Unit tests of the SDK runtime (templates/runtime/), once, as plain Python: no generated package involved.

`templates/` goes on sys.path so the runtime imports as the package `runtime` (as mypy checks it). Each
test builds a tiny client over fake credentials and operations; requests go to an `httpx.MockTransport`
whose handler answers with queued replies, or (`Harness.live_client`, for what a hostile server does:
redirects, drips, bombs) to a real server on 127.0.0.1; sleep and random are fakes, so retries cost no time.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
if str(TEMPLATES) not in sys.path:
    sys.path.insert(0, str(TEMPLATES))

from runtime._base_client import NOT_GIVEN, AsyncAPIClient, Credential, SyncAPIClient  # noqa: E402
from runtime._models import Responses  # noqa: E402
from runtime._request import Operation, RequestOptions  # noqa: E402
from runtime._response import APIResponse  # noqa: E402

from ..mock_api import Server  # noqa: E402

# Secret-looking fake keys: a scan for them in logs and reprs must find nothing.
BEARER = "rt-bearer-secret-5e1d8a"
PUBLIC = "rt-public-secret-0c7b42"
SECRET = "rt-secret-secret-93fa61"
QUERY = "rt-query-secret-77aa01"
SESSION = "rt-session-secret-4b2c9d"
KEYS = {"api_key": BEARER, "public_key": PUBLIC, "secret_key": SECRET, "query_key": QUERY, "session": SESSION}

CREDENTIALS = (
    Credential(scheme="Bearer", parameter="api_key", env="RT_API_KEY", name="Authorization", prefix="Bearer "),
    Credential(scheme="PublicKey", parameter="public_key", env="RT_PUBLIC_KEY", name="X-Public-Key"),
    Credential(scheme="SecretKey", parameter="secret_key", env="RT_SECRET_KEY", name="X-Secret-Key"),
    Credential(scheme="QueryKey", parameter="query_key", env="RT_QUERY_KEY", name="key", location="query"),
    Credential(scheme="CookieKey", parameter="session", env="RT_SESSION", name="session", location="cookie"),
)

BASE_URL = "https://api.test/v1/"


def operation(name: str, operation_id: str, method: str, **fields: Any) -> Operation:
    """An operation record for the engine's tests: `name` is `resource.method`, the path and endpoint stand-ins."""
    resource, _, method_name = name.partition(".")
    return Operation(
        resource=resource,
        name=method_name,
        operation_id=operation_id,
        method=method,
        path=f"/{resource}",
        endpoint=f"api.{resource}.{method_name}",
        **fields,
    )


GET = operation(name="things.retrieve", operation_id="GetThing", method="GET", security=(("Bearer",),))
POST = operation(name="things.create", operation_id="CreateThing", method="POST", security=(("Bearer",),))
IDEMPOTENT = operation(
    name="things.cancel",
    operation_id="CancelThing",
    method="POST",
    security=(("Bearer",),),
    idempotency_header="Idempotency-Key",
)


class Client(SyncAPIClient):
    _credentials = CREDENTIALS


class AsyncClient(AsyncAPIClient):
    _credentials = CREDENTIALS


class Clock:
    """A fake sleep for both engines: records each delay instead of waiting."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def json_response(status: int, body: Any = None, *, headers: dict[str, str] | None = None) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


# A stand-in for a generated endpoint's `_RESPONSES`: any status, the body as JSON (None when empty).
ANY_JSON: Responses = ((0, 999, "json", Any),)


def get_kwargs(url: str = "/things/1", method: str = "get", **more: Any) -> dict[str, Any]:
    """What a generated `_get_kwargs` returns: method, URL relative to the base, and the rest."""
    return {"method": method, "url": url, **more}


class Harness:
    """One engine (sync or async) over the mock server, so a test body drives both the same way."""

    def __init__(self, engine: str, server: Server, clock: Clock) -> None:
        self.engine = engine
        self.server = server
        self.clock = clock

    def client(self, **kwargs: Any) -> Client | AsyncClient:
        transport = httpx.MockTransport(self.server)
        options: dict[str, Any] = {
            "keys": KEYS,
            "base_url": BASE_URL,
            "timeout": NOT_GIVEN,
            "max_retries": 2,
            "default_headers": None,
            "user_agent": "runtime-tests/1.0",
            "random_fn": lambda: 0.0,
            **kwargs,
        }
        if self.engine == "sync":
            options.setdefault("http_client", httpx.Client(transport=transport))
            return Client(sleep=self.clock.sleep, **options)
        options.setdefault("http_client", httpx.AsyncClient(transport=transport))
        return AsyncClient(sleep=self.clock.asleep, **options)

    def live_client(self, url: str, **kwargs: Any) -> Client | AsyncClient:
        """A client on a real server at `url` that makes its own httpx client and transport, as the SDKs' do."""
        return self.client(base_url=url, **{"http_client": None, **kwargs})

    async def close(self, client: Client | AsyncClient) -> None:
        if isinstance(client, AsyncClient):
            await client.close()
        else:
            client.close()

    async def request(
        self,
        operation: Operation,
        kwargs: dict[str, Any] | None = None,
        *,
        client: Client | AsyncClient | None = None,
        responses: Responses = ANY_JSON,
        options: RequestOptions | None = None,
    ) -> Any:
        client = client or self.client()
        args = (operation, kwargs or get_kwargs(), responses, options or RequestOptions())
        if isinstance(client, AsyncClient):
            return await client.request(*args)
        return client.request(*args)

    async def request_raw(
        self,
        operation: Operation,
        kwargs: dict[str, Any] | None = None,
        *,
        client: Client | AsyncClient | None = None,
        responses: Responses = ANY_JSON,
    ) -> APIResponse[Any]:
        client = client or self.client()
        args = (operation, kwargs or get_kwargs(), responses, RequestOptions())
        if isinstance(client, AsyncClient):
            return await client.request_raw(*args)
        return client.request_raw(*args)


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sync", "async"])
def harness(request: pytest.FixtureRequest, server: Server, clock: Clock) -> Harness:
    return Harness(request.param, server, clock)
