"""The fault server itself: each misbehaviour reaches a plain httpx client as the fault it stands for."""

from __future__ import annotations

import gzip
import socket
import struct

import httpx
import pytest

from sdkpipeline.testing.faultserver import (
    MARKER_HEADER,
    Reply,
    Seen,
    cursor_page,
    first_then,
    gzip_bomb,
    offset_page,
    running,
    zeros,
)

BODY = b'{"id": "o-1", "note": "' + b"x" * 2000 + b'"}'


def _ok(seen: Seen) -> Reply:
    return Reply(body=BODY)


def test_a_well_behaved_answer_echoes_the_marker() -> None:
    with running(_ok) as server, httpx.Client() as client:
        response = client.get(f"{server.url}/orders/o-1?limit=2", headers={MARKER_HEADER: "m-1"})
        assert response.content == BODY
        assert response.headers[MARKER_HEADER] == "m-1"
        [seen] = server.snapshot()
        assert (seen.method, seen.path, seen.query, seen.marker) == ("GET", "/orders/o-1", {"limit": "2"}, "m-1")


def test_a_cut_body_is_a_protocol_error() -> None:
    with (
        running(lambda seen: Reply(body=BODY, fault="cut")) as server,
        httpx.Client() as client,
        pytest.raises(
            httpx.RemoteProtocolError,
            match=r"without sending complete message body \(received 1012 bytes, expected 2025\)",
        ),
    ):
        client.get(server.url)


def test_a_reset_is_a_read_error() -> None:
    reset = running(lambda seen: Reply(body=BODY, fault="reset"))
    with reset as server, httpx.Client() as client, pytest.raises(httpx.ReadError):
        client.get(server.url)


def test_late_headers_are_a_read_timeout() -> None:
    late = running(lambda seen: Reply(body=BODY, delay=0.5))
    with late as server, httpx.Client(timeout=0.1) as client, pytest.raises(httpx.ReadTimeout):
        client.get(server.url)


def test_204_has_no_body_and_no_length() -> None:
    with running(lambda seen: Reply(status=204, content_type=None)) as server, httpx.Client() as client:
        response = client.delete(server.url)
        assert (response.status_code, response.content, response.headers.get("content-length")) == (204, b"", None)


def test_first_then_counts_attempts_per_marker() -> None:
    storm = first_then(Reply(status=429), _ok, times=2)
    with running(storm) as server, httpx.Client() as client:
        statuses = [client.get(server.url, headers={MARKER_HEADER: m}).status_code for m in ("a", "a", "b", "a")]
    assert statuses == [429, 429, 429, 200]


def test_connections_left_open_are_counted_until_the_client_closes() -> None:
    with running(_ok) as server:
        client = httpx.Client()
        client.get(server.url)
        client.get(server.url)  # the same keep-alive connection
        assert (server.accepted, server.open_connections) == (1, 1)
        assert server.wait_until_closed(timeout=0.2) == 1  # a client that never closes is a leak
        client.close()
        assert server.wait_until_closed() == 0


def test_a_write_sent_twice_without_a_key_is_a_duplicate() -> None:
    with running(_ok) as server, httpx.Client() as client:
        for _ in range(3):
            client.post(server.url, headers={MARKER_HEADER: "w-1"})
        for _ in range(2):
            client.post(server.url, headers={MARKER_HEADER: "w-2", "Idempotency-Key": "k-2"})
        client.get(server.url, headers={MARKER_HEADER: "r-1"})
        client.get(server.url, headers={MARKER_HEADER: "r-1"})
        assert server.duplicated_writes() == 2  # w-1 twice more; keyed writes and reads are not duplicates
        assert server.replayed_keyed_writes() == 1


@pytest.mark.parametrize(
    ("query", "ids"),
    [({}, [0, 1, 2]), ({"starting_after": "o-2", "limit": "2"}, [3, 4]), ({"starting_after": "o-6"}, [])],
)
def test_cursor_pages(query: dict[str, str], ids: list[int]) -> None:
    assert cursor_page(query, total=7, default_limit=3, make_item=lambda i: i) == ids


@pytest.mark.parametrize(("query", "ids"), [({}, [0, 1, 2]), ({"skip": "6", "take": "3"}, [6]), ({"skip": "9"}, [])])
def test_offset_pages(query: dict[str, str], ids: list[int]) -> None:
    assert offset_page(query, total=7, default_take=3, make_item=lambda i: i) == ids


def test_a_dripped_body_comes_a_byte_per_read() -> None:
    """Each byte of the body is its own write: a reader sees one byte at a time, each well within its timeout."""
    with running(lambda seen: Reply(body=b'{"a": 1}', drip=0.01)) as server:
        with httpx.Client(timeout=1) as client, client.stream("GET", server.url) as response:
            chunks = list(response.iter_raw())
        assert (b"".join(chunks), max(len(c) for c in chunks)) == (b'{"a": 1}', 1)
        assert server.wait_until_closed() == 0  # the handler is done: its count is final
        assert server.body_bytes_sent == 8


def test_dripped_headers_delay_the_status_line_itself() -> None:
    """With drip_headers the status line and headers drip too: a read timeout shorter than the whole never fires."""
    reply = Reply(body=b"{}", drip=0.01, drip_headers=True)
    with running(lambda seen: reply) as server, httpx.Client(timeout=0.5) as client:
        response = client.get(server.url)
    assert (response.status_code, response.content, response.headers["content-length"]) == (200, b"{}", "2")


@pytest.mark.parametrize(("length", "chunked"), [(3 << 20, False), (None, True)], ids=["Content-Length", "chunked"])
def test_a_streamed_body_is_made_while_it_is_sent(length: int | None, chunked: bool) -> None:
    reply = Reply(stream=zeros(3 << 20, chunk=1 << 20), length=length)
    with running(lambda seen: reply) as server:
        with httpx.Client() as client:
            response = client.get(server.url)
        assert (response.content, "transfer-encoding" in response.headers) == (bytes(3 << 20), chunked)
        assert server.wait_until_closed() == 0  # the handler is done: its count is final
        assert server.body_bytes_sent == 3 << 20


def test_a_gzip_bomb_inflates_to_its_size_from_a_thousandth_of_it() -> None:
    bomb = gzip_bomb(8 << 20)
    assert len(bomb) < (8 << 20) // 500
    assert gzip.decompress(bomb) == bytes(8 << 20)


def test_a_client_resetting_its_connection_between_requests_leaves_no_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A client that gives up on a connection (RST while the server waits for its next request) is no error."""
    with running(_ok) as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 OK")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        assert server.wait_until_closed() == 0
    assert capsys.readouterr().err == ""
