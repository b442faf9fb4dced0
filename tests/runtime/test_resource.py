"""What a generated resource method calls (templates/runtime/_resource.py) and the raw and streaming wrappers around
it (templates/runtime/_response.py), sync and async, on the mock API: a retrieve, an overloaded create (body as
keywords of two shapes, or `body=`) and a paginated list, each as the generated code writes them.
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator, Mapping
from typing import Any, cast, overload

import pytest
from runtime._base_client import AsyncAPIClient, SyncAPIClient
from runtime._exceptions import APIStatusError, NotFoundError
from runtime._models import Model, as_model, as_models
from runtime._pagination import AsyncPage, AsyncPaginator, Pagination, SyncPage
from runtime._request import Body, BodyShape, Param, RequestOptions, TimeoutTypes
from runtime._resource import call, call_async
from runtime._response import (
    APIResponse,
    AsyncStreamedAPIResponse,
    StreamedAPIResponse,
    async_to_raw_response_wrapper,
    async_to_streamed_response_wrapper,
    to_raw_response_wrapper,
    to_streamed_response_wrapper,
)
from runtime._sentinels import NOT_GIVEN, UNSET, NotGiven, Unset

from .conftest import ANY_JSON, AsyncClient, Client, Harness, json_response, operation


class Thing(Model):
    id: str

    def _fill(self, data: dict[str, Any]) -> None:
        self.id = data["id"]


class Things(Model):
    data: list[Thing]

    def _fill(self, data: dict[str, Any]) -> None:
        self.data = as_models(Thing, data.get("data", []))


class Envelope(Model):
    thing: Thing

    def _fill(self, data: dict[str, Any]) -> None:
        self.thing = as_model(Thing, data["thing"])


def _endpoint(name: str, method: str, url: str, responses: Any) -> None:
    """A generated endpoint module (`runtime.api.things.<name>`): `_get_kwargs` and `_RESPONSES`."""
    module = types.ModuleType(f"runtime.api.things.{name}")

    def _get_kwargs(**arguments: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"method": method, "url": url.format(**arguments)}
        params = {k: v for k, v in arguments.items() if k in ("limit", "starting_after") and v is not UNSET}
        if params:
            kwargs["params"] = params
        if "body" in arguments and arguments["body"] is not UNSET:
            body = arguments["body"]
            kwargs["json"] = body.to_dict() if hasattr(body, "to_dict") else body
        return kwargs

    module._get_kwargs = _get_kwargs  # type: ignore[attr-defined]
    module._RESPONSES = responses  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module


_endpoint("retrieve", "get", "/things/{id}", ((200, 200, "json", Envelope),))
_endpoint("create", "post", "/things", ((200, 201, "json", Envelope),))
_endpoint("list", "get", "/things", ((200, 200, "json", Things),))

RETRIEVE = operation(
    name="things.retrieve",
    operation_id="GetThing",
    method="GET",
    params=(Param(keyword="id", location="path", required=True),),
    unwrap=("thing",),
)
CREATE = operation(
    name="things.create",
    operation_id="CreateThing",
    method="POST",
    params=(Param(keyword="body", location="body"),),
    body=Body(
        required=True,
        fields=(
            Param(keyword="size", location="body", required=True),
            Param(keyword="colour", location="body"),
            Param(keyword="price", location="body", wire_name="priceCents", required=True),
        ),
        shapes=(
            BodyShape(name="BySize", fields=("size", "colour"), required=("size",), defaults={"colour": "red"}),
            BodyShape(name="ByPrice", fields=("price",), required=("price",)),
        ),
    ),
    unwrap=("thing",),
)
LIST = operation(
    name="things.list",
    operation_id="ListThings",
    method="GET",
    params=(Param(keyword="limit", location="query"), Param(keyword="starting_after", location="query")),
    pagination=Pagination(kind="cursor", items=("data",), cursor="starting_after", size="limit"),
)


class ThingsResource:
    """As the generated resource module writes one: a signature, and one call of the runtime."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def retrieve(
        self,
        id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Thing:
        return cast("Thing", call(self._client, RETRIEVE, locals()))

    @overload
    def create(self, *, size: int, colour: str | Unset = UNSET) -> Thing: ...

    @overload
    def create(self, *, price: int) -> Thing: ...

    @overload
    def create(self, *, body: Mapping[str, Any]) -> Thing: ...

    def create(
        self,
        *,
        size: int | NotGiven = NOT_GIVEN,
        colour: str | Unset | NotGiven = NOT_GIVEN,
        price: int | NotGiven = NOT_GIVEN,
        body: Mapping[str, Any] | NotGiven = NOT_GIVEN,
    ) -> Thing:
        return cast("Thing", call(self._client, CREATE, locals()))

    def list(self, *, limit: int | Unset = UNSET, starting_after: str | Unset = UNSET) -> SyncPage[Thing]:
        return cast("SyncPage[Thing]", call(self._client, LIST, locals()))


class AsyncThingsResource:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    async def retrieve(self, id: str) -> Thing:
        return cast("Thing", await call_async(self._client, RETRIEVE, locals()))

    @overload
    async def create(self, *, size: int, colour: str | Unset = UNSET) -> Thing: ...

    @overload
    async def create(self, *, price: int) -> Thing: ...

    async def create(
        self,
        *,
        size: int | NotGiven = NOT_GIVEN,
        colour: str | Unset | NotGiven = NOT_GIVEN,
        price: int | NotGiven = NOT_GIVEN,
    ) -> Thing:
        return cast("Thing", await call_async(self._client, CREATE, locals()))

    def list(self, *, limit: int | Unset = UNSET, starting_after: str | Unset = UNSET) -> AsyncPaginator[Thing]:
        return cast("AsyncPaginator[Thing]", call_async(self._client, LIST, locals()))


def _resource(harness: Harness, **options: Any) -> Any:
    client = harness.client(**options)
    return AsyncThingsResource(client) if isinstance(client, AsyncAPIClient) else ThingsResource(client)


def _raw(harness: Harness) -> Any:
    return async_to_raw_response_wrapper if harness.engine == "async" else to_raw_response_wrapper


async def _resolve(value: Any) -> Any:
    return await value if hasattr(value, "__await__") else value


def _pages() -> list[Any]:
    """Two pages of a list: a full one (of two) and the last."""
    return [json_response(200, {"data": [{"id": "a"}, {"id": "b"}]}), json_response(200, {"data": [{"id": "c"}]})]


# -- the method: its arguments mapped to the endpoint's, the answer parsed and unwrapped --------------------------


async def test_a_method_maps_its_arguments_and_returns_what_the_envelope_carries(harness: Harness) -> None:
    harness.server.reply(json_response(200, {"thing": {"id": "t/1"}}))
    thing = await _resolve(_resource(harness).retrieve("t/1"))
    assert thing == Thing(id="t/1")
    assert harness.server.last.url.path == "/v1/things/t/1"


@pytest.mark.parametrize("value", ["", None, " "])
async def test_an_empty_path_parameter_is_refused_before_anything_is_sent(harness: Harness, value: Any) -> None:
    with pytest.raises(ValueError, match=r"Expected a non-empty value for `id` but received .* \(things.retrieve\)"):
        await _resolve(_resource(harness).retrieve(value))
    assert harness.server.requests == []


async def test_an_overloaded_method_picks_the_shape_of_its_keywords(harness: Harness) -> None:
    """Keywords of one shape: its defaults fill the rest, JSON names on the wire."""
    harness.server.reply(json_response(201, {"thing": {"id": "n"}}))
    resource = _resource(harness)
    await _resolve(resource.create(size=3))
    assert json.loads(harness.server.last.read()) == {"colour": "red", "size": 3}
    await _resolve(resource.create(price=250))
    assert harness.server.last.read() == b'{"priceCents":250}'
    with pytest.raises(TypeError, match="fit none of the body's shapes"):
        await _resolve(resource.create(size=3, price=250))
    assert len(harness.server.requests) == 2


async def test_a_list_walks_every_page(harness: Harness) -> None:
    harness.server.reply(*_pages())
    listing = _resource(harness).list(limit=2)
    items = [t async for t in listing] if harness.engine == "async" else list(listing)
    assert [t.id for t in items] == ["a", "b", "c"]
    assert [dict(r.url.params) for r in harness.server.requests] == [
        {"limit": "2"},
        {"limit": "2", "starting_after": "b"},
    ]


# -- with_raw_response: the same method, answering with the APIResponse -------------------------------------------


async def test_a_raw_call_answers_with_the_response_and_parses_on_demand(harness: Harness) -> None:
    harness.server.reply(json_response(200, {"thing": {"id": "t1"}}, headers={"X-Request-Id": "r1"}))
    raw = await _resolve(_raw(harness)(_resource(harness).retrieve)("t1"))
    assert isinstance(raw, APIResponse)
    assert (raw.status_code, raw.headers["x-request-id"], raw.json()) == (200, "r1", {"thing": {"id": "t1"}})
    assert raw.parse() == Thing(id="t1")  # what the method itself returns
    assert repr(raw) == "<APIResponse [200] things.retrieve>"


async def test_a_raw_call_of_an_overloaded_method_takes_its_keywords(harness: Harness) -> None:
    harness.server.reply(json_response(201, {"thing": {"id": "n"}}))
    raw = await _resolve(_raw(harness)(_resource(harness).create)(price=5))
    assert (raw.status_code, raw.parse()) == (201, Thing(id="n"))
    assert harness.server.last.read() == b'{"priceCents":5}'


async def test_a_raw_list_is_the_first_page_which_walks_on(harness: Harness) -> None:
    harness.server.reply(*_pages())
    raw = await _resolve(_raw(harness)(_resource(harness).list)(limit=2))
    assert raw.json() == {"data": [{"id": "a"}, {"id": "b"}]}
    page = raw.parse()
    assert isinstance(page, AsyncPage if harness.engine == "async" else SyncPage)
    items = [t async for t in page] if harness.engine == "async" else list(page)
    assert [t.id for t in items] == ["a", "b", "c"]


async def test_a_raw_call_still_raises_on_an_error_status(harness: Harness) -> None:
    harness.server.reply(json_response(404, {"title": "Not Found"}))
    with pytest.raises(NotFoundError, match=r"things\.retrieve: HTTP 404"):
        await _resolve(_raw(harness)(_resource(harness).retrieve)("t1"))


async def test_the_wrapper_answers_raw_only_for_its_own_call(harness: Harness) -> None:
    """The mode is the call's: the method called plainly afterwards returns the parsed value again."""
    harness.server.reply(json_response(200, {"thing": {"id": "t1"}}))
    resource = _resource(harness)
    await _resolve(_raw(harness)(resource.retrieve)("t1"))
    assert await _resolve(resource.retrieve("t1")) == Thing(id="t1")


def test_the_wrappers_keep_the_methods_name_and_signature() -> None:
    resource = ThingsResource(cast("SyncAPIClient", object()))
    wrapped = to_raw_response_wrapper(resource.retrieve)
    assert (wrapped.__name__, wrapped.__wrapped__) == ("retrieve", resource.retrieve)  # type: ignore[attr-defined]
    assert to_streamed_response_wrapper(resource.create).__doc__ == resource.create.__doc__


# -- with_streaming_response: a context manager; the body read as it is iterated ---------------------------------


def test_a_streamed_call_sends_nothing_before_the_block(harness: Harness) -> None:
    resource = _resource(harness)
    wrapper = async_to_streamed_response_wrapper if harness.engine == "async" else to_streamed_response_wrapper
    wrapper(resource.retrieve)("t1")
    assert harness.server.requests == []


async def test_a_streamed_call_parses_what_the_method_returns(harness: Harness) -> None:
    harness.server.reply(json_response(200, {"thing": {"id": "t1"}}))
    resource = _resource(harness)
    if harness.engine == "async":
        async with async_to_streamed_response_wrapper(resource.retrieve)("t1") as response:
            assert isinstance(response, AsyncStreamedAPIResponse)
            assert await response.parse() == Thing(id="t1")
    else:
        with to_streamed_response_wrapper(resource.retrieve)("t1") as response:
            assert isinstance(response, StreamedAPIResponse)
            assert response.parse() == Thing(id="t1")
    assert response.is_closed


async def test_a_streamed_list_parses_to_its_first_page(harness: Harness) -> None:
    harness.server.reply(*_pages())
    resource = _resource(harness)
    if harness.engine == "async":
        async with async_to_streamed_response_wrapper(resource.list)(limit=2) as response:
            page = await response.parse()
        items = [t async for t in page]
    else:
        with to_streamed_response_wrapper(resource.list)(limit=2) as response:
            page = response.parse()
        items = list(page)
    assert [t.id for t in items] == ["a", "b", "c"]


async def test_a_streamed_call_of_an_overloaded_method_takes_its_keywords(harness: Harness) -> None:
    harness.server.reply(json_response(201, {"thing": {"id": "n"}}))
    resource = _resource(harness)
    if harness.engine == "async":
        async with async_to_streamed_response_wrapper(resource.create)(size=1, colour="blue") as response:
            chunks = [chunk async for chunk in response.iter_bytes()]
    else:
        with to_streamed_response_wrapper(resource.create)(size=1, colour="blue") as response:
            chunks = list(response.iter_bytes())
    assert b"".join(chunks) == b'{"thing":{"id":"n"}}'
    assert json.loads(harness.server.last.read()) == {"size": 1, "colour": "blue"}


async def test_a_streamed_call_raises_on_an_error_status_when_the_block_starts(harness: Harness) -> None:
    harness.server.reply(json_response(404, {"title": "Not Found"}))
    resource = _resource(harness)
    with pytest.raises(NotFoundError):
        if harness.engine == "async":
            async with async_to_streamed_response_wrapper(resource.retrieve)("t1"):
                pass
        else:
            with to_streamed_response_wrapper(resource.retrieve)("t1"):
                pass


async def test_an_envelope_saying_error_raises_when_the_streamed_body_is_parsed(harness: Harness) -> None:
    """An API that answers `status: error` with a 200: a streamed body is checked when it is read whole."""
    enveloped = operation(name="things.retrieve", operation_id="GetThing", method="GET", success_status="success")
    harness.server.reply(json_response(200, {"status": "error", "message": "no"}))
    client = harness.client()
    args = (enveloped, {"method": "get", "url": "/x"}, ANY_JSON, RequestOptions())
    if isinstance(client, AsyncAPIClient):
        streamed = await client.request_stream(*args)
        with pytest.raises(APIStatusError, match=r"things\.retrieve"):
            await streamed.parse()
    else:
        response = client.request_stream(*args)
        with pytest.raises(APIStatusError, match=r"things\.retrieve"):
            response.parse()


# -- the engine sends before reading: a real server that holds the body back ------------------------------------


class _Held:
    """A loopback HTTP server whose answer's body waits until the test lets it go (`release`)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.released = threading.Event()
        held = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                held.released.wait(10)
                for chunk in (b'{"thing": ', b'{"id": "late"}}'):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> _Held:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def held() -> Iterator[_Held]:
    with _Held() as server:
        yield server


def test_a_streamed_response_is_there_before_its_body(held: _Held) -> None:
    """The headers are in hand while the server still holds the body back; iterating then reads it."""
    import httpx

    client = Client(
        keys={}, base_url=held.url, timeout=10.0, max_retries=0, default_headers=None, user_agent="t",
        random_fn=None, http_client=httpx.Client(), sleep=None,
    )  # fmt: skip
    with to_streamed_response_wrapper(ThingsResource(client).retrieve)("t1") as response:
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
        assert not held.released.is_set()  # nothing of the body was needed to get here
        held.released.set()
        chunks = list(response.iter_bytes())
    assert b"".join(chunks) == b'{"thing": {"id": "late"}}'
    assert response.is_closed


async def test_an_async_streamed_response_is_there_before_its_body(held: _Held) -> None:
    import httpx

    client = AsyncClient(
        keys={}, base_url=held.url, timeout=10.0, max_retries=0, default_headers=None, user_agent="t",
        random_fn=None, http_client=httpx.AsyncClient(), sleep=None,
    )  # fmt: skip
    async with async_to_streamed_response_wrapper(AsyncThingsResource(client).retrieve)("t1") as response:
        assert response.status_code == 200
        assert not held.released.is_set()
        held.released.set()
        assert await response.parse() == Thing(id="late")
    assert response.is_closed
