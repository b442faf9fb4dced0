"""The size limit on response bodies (`max_response_size`): as sent, by Content-Length, and while decompressing.

Real servers on 127.0.0.1 send large bodies (made as they are sent), chunked bodies and gzip bombs; the
bounded steps of decompression are checked on `_transport.BodyReader` itself. Memory is printed by
`nox -s reliability` (peak RSS per attack), never asserted here.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import httpx
import pytest
from runtime import _transport
from runtime._exceptions import APIResponseValidationError, ResponseTooLargeError
from runtime._models import Model, Responses, ResponseValidationWarning
from runtime._request import Operation

from sdkpipeline.testing.faultserver import Reply, gzip_bomb, running, zeros

from .conftest import ANY_JSON, GET, POST, AsyncClient, Harness, get_kwargs, json_response

LIMIT = 1 << 20  # 1 MiB: small, so that every case here is quick
PAYLOAD = b'{"items": [' + b", ".join(b'{"n": %d}' % i for i in range(2000)) + b"]}"
JSON_PAYLOAD = {"items": [{"n": i} for i in range(2000)]}


class Thing(Model):
    id: str

    def _fill(self, data: dict[str, Any]) -> None:
        self.id = data["id"]


async def _fetch(harness: Harness, reply: Reply, *, operation: Operation = GET, responses: Responses = ANY_JSON) -> Any:
    """The parsed body of one call to a server that answers `reply`, on a client limited to LIMIT bytes."""
    with running(lambda seen: reply) as server:
        client = harness.live_client(server.url, max_response_size=LIMIT, max_retries=0)
        try:
            return await harness.request(operation, get_kwargs(), client=client, responses=responses)
        finally:
            await harness.close(client)


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip.compress(PAYLOAD)),
        ("deflate", zlib.compress(PAYLOAD)),
        ("deflate", _raw_deflate(PAYLOAD)),  # "deflate" sent without its zlib wrapper, as some servers do
        ("gzip, gzip", gzip.compress(gzip.compress(PAYLOAD))),
        ("identity", PAYLOAD),
        ("br", PAYLOAD),  # a coding the runtime does not know is left as it is, as httpx leaves it
    ],
    ids=["gzip", "deflate", "raw deflate", "gzip twice", "identity", "unknown coding"],
)
async def test_encoded_bodies_under_the_limit_are_decoded(harness: Harness, encoding: str, body: bytes) -> None:
    reply = Reply(body=body, headers={"Content-Encoding": encoding})
    assert await _fetch(harness, reply) == JSON_PAYLOAD


async def test_the_client_asks_only_for_codings_it_decodes(harness: Harness) -> None:
    with running(lambda seen: Reply(body=b"{}")) as server:
        client = harness.live_client(server.url)
        try:
            await harness.request(GET, get_kwargs(), client=client)
        finally:
            await harness.close(client)
        [seen] = server.snapshot()
    assert seen.headers["accept-encoding"] == "gzip, deflate"


async def test_a_body_of_exactly_the_limit_is_read(harness: Harness) -> None:
    body = b'"' + b"x" * (LIMIT - 2) + b'"'
    assert await _fetch(harness, Reply(stream=lambda: [body])) == "x" * (LIMIT - 2)


@pytest.mark.parametrize(
    ("reply", "how"),
    [
        (Reply(stream=zeros(500_000_000), length=500_000_000), "declares 500,000,000 bytes (Content-Length)"),
        (Reply(stream=zeros(LIMIT + 1)), "passed that size as it arrived"),  # chunked: no length to go by
        (
            Reply(body=gzip_bomb(64 << 20), headers={"Content-Encoding": "gzip"}),
            "passed that size while its Content-Encoding (gzip) was undone",
        ),
        (
            Reply(body=gzip.compress(gzip_bomb(64 << 20)), headers={"Content-Encoding": "gzip, gzip"}),
            "passed that size while its Content-Encoding (gzip) was undone",
        ),
    ],
    ids=["500 MB by Content-Length", "1 byte over, chunked", "gzip bomb (64 KiB to 64 MiB)", "gzip bomb, gzipped"],
)
async def test_a_body_over_the_limit_is_refused_while_reading(harness: Harness, reply: Reply, how: str) -> None:
    """ResponseTooLargeError says how the body passed the limit, the limit, and how to raise it."""
    with pytest.raises(ResponseTooLargeError) as info:
        await _fetch(harness, reply)
    error = info.value
    assert (error.limit, error.status_code) == (LIMIT, 200)
    assert str(error) == (
        f"things.retrieve: the HTTP 200 response {how}: more than max_response_size (1,048,576 bytes), so it "
        f"was not read further; if the API does send that much, raise it: {type(harness.client()).__name__}"
        "(max_response_size=...) or client.with_options(max_response_size=...)"
    )


@pytest.mark.parametrize("how", ["read", "parse"])
async def test_a_streamed_body_is_held_to_the_limit_when_read_whole(harness: Harness, how: str) -> None:
    """`with_streaming_response` hands the response back before its body; reading it whole keeps to the limit."""
    from runtime._request import RequestOptions

    reply = Reply(body=gzip_bomb(64 << 20), headers={"Content-Encoding": "gzip"})
    with running(lambda seen: reply) as server:
        client = harness.live_client(server.url, max_response_size=LIMIT, max_retries=0)
        try:
            with pytest.raises(ResponseTooLargeError, match=r"Content-Encoding \(gzip\) was undone"):
                if isinstance(client, AsyncClient):
                    streamed = await client.request_stream(GET, get_kwargs(), ANY_JSON, RequestOptions())
                    await (streamed.read() if how == "read" else streamed.parse())
                else:
                    response = client.request_stream(GET, get_kwargs(), ANY_JSON, RequestOptions())
                    response.read() if how == "read" else response.parse()
        finally:
            await harness.close(client)


async def test_an_error_answer_is_held_to_the_same_limit(harness: Harness) -> None:
    """A 500 whose body is endless is refused like any body (and not retried: its size will not change)."""
    with running(lambda seen: Reply(status=500, stream=zeros(10 * LIMIT))) as server:
        client = harness.live_client(server.url, max_response_size=LIMIT, max_retries=2)
        try:
            with pytest.raises(ResponseTooLargeError, match="the HTTP 500 response passed that size"):
                await harness.request(GET, get_kwargs(), client=client)
        finally:
            await harness.close(client)
        assert server.requests == 1


async def test_a_body_already_in_memory_is_held_to_the_limit(harness: Harness) -> None:
    """A transport that hands over the body whole (httpx.MockTransport): its size is checked all the same."""
    harness.server.reply(json_response(200, "x" * LIMIT))
    with pytest.raises(ResponseTooLargeError, match=r"response holds 1,048,578 bytes: more than max_response_size"):
        await harness.request(GET, client=harness.client(max_response_size=LIMIT))


async def test_a_corrupt_gzip_body_is_a_validation_error_for_a_read(harness: Harness) -> None:
    reply = Reply(body=b"\x1f\x8b\x08\x00not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(APIResponseValidationError, match=r"the HTTP 200 body cannot be read: its Content-Encoding"):
        await _fetch(harness, reply)


async def test_a_corrupt_gzip_body_after_a_write_warns_and_returns_what_fits(harness: Harness) -> None:
    """The write happened: no exception that would invite a second one; an empty body, judged as any that misfits."""
    reply = Reply(body=b"\x1f\x8b\x08\x00not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.warns(ResponseValidationWarning, match="does not fit Thing.*the write succeeded"):
        result = await _fetch(harness, reply, operation=POST, responses=((200, 200, "json", Thing),))
    assert isinstance(result, Thing) and result.to_dict() == {}


@pytest.mark.parametrize("size", [0, -1])
def test_the_limit_is_at_least_one_byte(harness: Harness, size: int) -> None:
    with pytest.raises(ValueError, match=f"max_response_size must be 1 byte or more, not {size}"):
        harness.client(max_response_size=size)


# -- the reader itself: bounded steps -------------------------------------------------------------------------


def _reader(encoding: str, *, limit: int) -> _transport.BodyReader:
    headers = httpx.Headers({"Content-Encoding": encoding})
    return _transport.BodyReader(headers, limit=limit, deadline=None, request=httpx.Request("GET", "http://t/"))


def test_no_decompression_step_returns_more_than_a_step() -> None:
    """A bomb is undone in pieces of at most STEP bytes: memory follows the limit, not what the body inflates to."""
    bomb = gzip_bomb(16 << 20)
    inflater = _transport._Inflater("gzip")
    pieces = [len(piece) for piece in inflater.feed(bomb)]
    assert max(pieces) == _transport.STEP
    assert sum(pieces) + sum(len(t) for t in inflater.flush()) == 16 << 20


def test_the_reader_stops_at_the_first_step_past_the_limit() -> None:
    reader = _reader("gzip", limit=3 * _transport.STEP)
    with pytest.raises(_transport.BodyTooLarge):
        reader.feed(gzip_bomb(16 << 20))
    assert reader._totals[1] == 4 * _transport.STEP  # three steps fit, the fourth passed the limit


def test_bytes_after_the_end_of_a_gzip_stream_are_dropped() -> None:
    """Trailing data (padding, a second member) is neither kept nor decoded, as httpx does."""
    reader = _reader("gzip", limit=LIMIT)
    reader.feed(gzip.compress(b'{"a": 1}') + b"trailing bytes")
    assert reader.finish() == b'{"a": 1}'
