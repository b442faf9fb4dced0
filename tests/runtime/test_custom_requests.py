"""Custom requests (`client.get/post/put/patch/delete(path, cast_to=...)`, templates/runtime/_base_client.py), sync and
async: relative to base_url and refused before sending when a path would leave it, every key the client holds,
retries under the generated methods' rules, typed errors, the body read as `cast_to`, raw and streamed answers.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from runtime._base_client import AsyncAPIClient
from runtime._exceptions import APIResponseValidationError, APIStatusError, MissingCredentialsError, NotFoundError
from runtime._models import Model
from runtime._response import APIResponse

from sdkpipeline.testing.faultserver import Reply, running

from .conftest import BEARER, PUBLIC, QUERY, SECRET, SESSION, AsyncClient, Client, Harness, json_response


class Thing(Model):
    id: str

    def _fill(self, data: dict[str, Any]) -> int:
        self.id = data["id"]
        return 1


class KeyedClient(Client):
    """An API whose writes carry an idempotency key and whose answers are enveloped (as the generated client says)."""

    _idempotency_header = "Idempotency-Key"
    _success_status = "success"


class AsyncKeyedClient(AsyncClient):
    _idempotency_header = "Idempotency-Key"
    _success_status = "success"


async def _await(value: Any) -> Any:
    return await value if hasattr(value, "__await__") else value


def _keyed(harness: Harness, **options: Any) -> Any:
    """A client of the API with idempotency keys and an envelope, over the harness's mock server and clock."""
    plain = harness.client(**options)
    plain.__class__ = AsyncKeyedClient if isinstance(plain, AsyncAPIClient) else KeyedClient
    return plain


async def test_a_get_goes_under_base_url_with_every_key_the_client_holds(harness: Harness) -> None:
    harness.server.reply(json_response(200, {"id": "t1"}))
    client = harness.client()
    thing = await _await(client.get("/things/t1", cast_to=Thing, params={"expand": "all", "skip": None}))
    assert thing == Thing(id="t1")
    sent = harness.server.last
    assert (sent.method, sent.url.path, sent.url.params["expand"]) == ("GET", "/v1/things/t1", "all")
    assert "skip" not in sent.url.params  # a None parameter is left out, as generated methods leave it
    assert sent.headers["authorization"] == f"Bearer {BEARER}"
    assert (sent.headers["x-public-key"], sent.headers["x-secret-key"]) == (PUBLIC, SECRET)
    assert sent.url.params["key"] == QUERY and f"session={SESSION}" in sent.headers["cookie"]


@pytest.mark.parametrize(
    ("cast_to", "body", "expected"),
    [
        (dict, {"a": [1, 2]}, {"a": [1, 2]}),
        (object, [1, "two", None], [1, "two", None]),
        (list[Thing], [{"id": "a"}, {"id": "b"}], [Thing(id="a"), Thing(id="b")]),
        (dict[str, int], {"a": 1}, {"a": 1}),
    ],
)
async def test_the_body_is_read_as_cast_to(harness: Harness, cast_to: Any, body: Any, expected: Any) -> None:
    harness.server.reply(json_response(200, body))
    assert await _await(harness.client().get("/things", cast_to=cast_to)) == expected


async def test_text_bytes_and_the_response_itself(harness: Harness) -> None:
    harness.server.reply(httpx.Response(200, content=b"plain words", headers={"Content-Type": "text/plain"}))
    client = harness.client()
    assert await _await(client.get("/words", cast_to=str)) == "plain words"
    assert await _await(client.get("/words", cast_to=bytes)) == b"plain words"
    response = await _await(client.get("/words", cast_to=httpx.Response))
    assert isinstance(response, httpx.Response) and (response.status_code, response.content) == (200, b"plain words")
    harness.server.reply(httpx.Response(204))
    assert await _await(client.delete("/things/t1", cast_to=object)) is None  # no body: None, for any JSON


async def test_a_body_that_does_not_fit_cast_to_names_the_request(harness: Harness) -> None:
    harness.server.reply(json_response(200, [1, 2]))
    fits = r"client\.get \(GET /things\): the HTTP 200 body does not fit"
    with pytest.raises(APIResponseValidationError, match=fits):
        await _await(harness.client().get("/things", cast_to=dict))


@pytest.mark.parametrize(
    "path",
    [
        "https://elsewhere.test/v1/things",  # another host
        "http://api.test/v1/things",  # another scheme: another origin
        "https://api.test:8443/v1/things",  # another port
        "https://api.test/v2/things",  # the origin, but not under base_url
        "//elsewhere.test/things",  # scheme-relative
        "\\\\elsewhere.test/things",  # the same, as a browser reads backslashes
        "/../admin",
        "/things/%2e%2e/%2E%2E/admin",
        "..",
        "/things/./t1",
        "",
        "/things\r\nX-Injected: 1",
    ],
)
async def test_a_path_that_would_leave_base_url_is_refused_before_sending(harness: Harness, path: str) -> None:
    harness.server.reply(json_response(200, {}))
    client = harness.client()
    with pytest.raises(ValueError, match="Expected a path relative to base_url"):
        await _await(client.post(path, cast_to=object, body={"a": 1}))
    assert harness.server.requests == []


async def test_an_absolute_url_under_base_url_is_taken_as_its_path(harness: Harness) -> None:
    """A link the API returned (`next` of a page) is followed as a path under base_url, with the keys."""
    harness.server.reply(json_response(200, {"id": "t2"}))
    await _await(harness.client().get("https://api.test/v1/things/t2?expand=1", cast_to=Thing))
    assert str(harness.server.last.url).startswith("https://api.test/v1/things/t2?")
    assert harness.server.last.url.params["expand"] == "1"


async def test_a_read_is_retried_and_a_write_is_not_unless_the_api_uses_idempotency_keys(harness: Harness) -> None:
    harness.server.reply(json_response(503, {}), json_response(200, {"id": "t1"}))
    assert await _await(harness.client().get("/things/t1", cast_to=Thing)) == Thing(id="t1")
    assert len(harness.server.requests) == 2

    harness.server.requests.clear()
    harness.server.reply(json_response(503, {}), json_response(200, {"id": "t1"}))
    with pytest.raises(APIStatusError, match=r"client\.post: HTTP 503"):
        await _await(harness.client().post("/things", cast_to=Thing, body={"size": 1}))
    assert len(harness.server.requests) == 1  # reached the server: never sent twice without a key

    harness.server.requests.clear()
    harness.server.reply(json_response(503, {}), json_response(200, {"status": "success", "id": "t1"}))
    await _await(_keyed(harness).post("/things", cast_to=object, body={"size": 1}))
    keys = [r.headers["idempotency-key"] for r in harness.server.requests]
    assert len(keys) == 2 and keys[0] == keys[1]  # one key per call, the same on every attempt
    harness.server.requests.clear()
    await _await(_keyed(harness).get("/things", cast_to=object))
    assert "idempotency-key" not in harness.server.last.headers  # a read carries none


async def test_an_error_answer_raises_its_typed_error(harness: Harness) -> None:
    harness.server.reply(json_response(404, {"title": "Not Found"}))
    with pytest.raises(NotFoundError, match=r"client\.get: HTTP 404: Not Found"):
        await _await(harness.client().get("/things/nope", cast_to=Thing))
    harness.server.reply(json_response(200, {"status": "error", "error": {"message": "No such thing"}}))
    with pytest.raises(APIStatusError, match="HTTP 200"):
        await _await(_keyed(harness).get("/things/nope", cast_to=object))  # a 2xx carrying an error envelope


async def test_a_client_holding_no_key_raises_before_sending(harness: Harness) -> None:
    harness.server.reply(json_response(200, {}))
    client = harness.client(keys={})
    with pytest.raises(MissingCredentialsError, match=r"client\.get \(GET /things\) needs .*api_key"):
        await _await(client.get("/things", cast_to=object))
    assert harness.server.requests == []


async def test_json_bytes_and_multipart_bodies(harness: Harness) -> None:
    harness.server.reply(json_response(200, {}))
    client = harness.client()
    await _await(client.patch("/things/t1", cast_to=object, body=Thing(id="t1")))
    assert json.loads(harness.server.last.content) == {"id": "t1"}
    await _await(client.put("/blobs/b1", cast_to=object, body=b"\x00\x01", headers={"Content-Type": "image/png"}))
    assert (harness.server.last.content, harness.server.last.headers["content-type"]) == (b"\x00\x01", "image/png")
    await _await(client.post("/uploads", cast_to=object, body={"title": "logo"}, files={"file": ("a.txt", b"hi")}))
    sent = harness.server.last
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="title"\r\n\r\nlogo' in sent.content
    assert b'name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhi' in sent.content
    with pytest.raises(TypeError, match="with files=, body= holds the form's other fields: a dict"):
        await _await(client.post("/uploads", cast_to=object, body=[1], files={"file": b"x"}))


async def test_per_call_timeout_and_max_retries(harness: Harness) -> None:
    harness.server.reply(json_response(503, {}))
    with pytest.raises(APIStatusError):
        await _await(harness.client().get("/things", cast_to=object, max_retries=0, timeout=2.5))
    assert len(harness.server.requests) == 1
    assert harness.server.last.extensions["timeout"]["read"] == 2.5


async def test_raw_and_streamed_custom_requests(harness: Harness) -> None:
    harness.server.reply(json_response(200, {"id": "t1"}, headers={"X-Request-Id": "r-9"}))
    client = harness.client()
    raw = await _await(client.with_raw_response.get("/things/t1", cast_to=Thing))
    assert isinstance(raw, APIResponse) and raw.headers["x-request-id"] == "r-9"
    assert raw.json() == {"id": "t1"} and raw.parse() == Thing(id="t1")
    assert repr(raw) == "<APIResponse [200] client.get>"
    streamed = client.with_streaming_response.post("/things", cast_to=Thing, body={"size": 1})
    if isinstance(client, AsyncAPIClient):
        async with streamed as response:
            chunks = [chunk async for chunk in response.iter_bytes()]
            parsed = await response.parse()
    else:
        with streamed as response:
            chunks = list(response.iter_bytes())
            parsed = response.parse()
    assert b"".join(chunks) == b'{"id":"t1"}' and parsed == Thing(id="t1")


async def test_a_custom_request_to_a_real_server_stays_on_its_origin(harness: Harness) -> None:
    """On the wire: the path under base_url's path, the key in its header, nothing sent for a path that leaves."""
    with running(lambda seen: Reply(body=b'{"id": "t1"}')) as api, running(lambda seen: Reply(body=b"{}")) as other:
        client = harness.live_client(f"{api.url}/v1")
        assert await _await(client.get("/things/t1", cast_to=Thing)) == Thing(id="t1")
        for path in (f"{other.url}/v1/things", f"//127.0.0.1:{other.url.rsplit(':', 1)[1]}/v1/things"):
            with pytest.raises(ValueError, match="Expected a path relative to base_url"):
                await _await(client.get(path, cast_to=object))
        await harness.close(client)
    assert [(s.path, s.headers["authorization"]) for s in api.snapshot()] == [("/v1/things/t1", f"Bearer {BEARER}")]
    assert other.snapshot() == []


async def test_what_a_custom_request_returns_carries_the_request_id(harness: Harness) -> None:
    harness.server.reply(json_response(200, [{"id": "a"}, {"id": "b"}], headers={"X-Request-Id": "req-list-1"}))
    things = await _await(harness.client().get("/things", cast_to=list[Thing]))
    assert [t._request_id for t in things] == ["req-list-1", "req-list-1"]
    harness.server.reply(json_response(200, {"id": "a"}))
    assert (await _await(harness.client().get("/things/a", cast_to=Thing)))._request_id is None
