"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, for the SDKs' reliability checks.

Each request goes to a `route` the caller supplies, which answers with a `Reply`: a status, headers and
body, optionally delivered late (headers after the client's timeout), cut short (Content-Length larger
than what is sent, then the connection closed), reset mid-body (SO_LINGER 0, so the kernel sends RST),
dripped one byte at a time, or made while it is sent (a body too large to hold, with or without a
Content-Length). The server records every request (`Seen`), counts connections (accepted, closed, peak
open) and bytes sent, and detects writes sent twice.

Built on http.server's ThreadingHTTPServer rather than asyncio streams: the standard library parses the
requests (no hand-written HTTP parser here), a thread per connection lets a reply block, sleep or reset its
own socket directly, and the loads here (at most a client pool of 100 connections) fit threads easily.
"""

from __future__ import annotations

import functools
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from .localserver import free_port

# The header a client sets to tell its calls apart: echoed on the answer, the same on every retry.
MARKER_HEADER = "X-Request-Marker"
IDEMPOTENCY_HEADER = "idempotency-key"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long an idle keep-alive connection is kept: past it the server closes it (a client that never closes
# its pool still shows as leaked, since the check runs well within this).
IDLE_TIMEOUT = 30.0

Fault = Literal["none", "cut", "reset"]


@dataclass(frozen=True)
class Reply:
    """What the server answers, and how it misbehaves while doing so."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    fault: Fault = "none"  # cut: half the body, then close; reset: half the body, then RST
    delay: float = 0.0  # seconds before the status line is sent
    # Seconds between bytes: the body goes out one byte at a time (with `drip_headers`, the status line and
    # headers too), so that no single read waits long while the whole answer takes as long as the server likes.
    drip: float = 0.0
    drip_headers: bool = False
    # A body made while it is sent (`body` is then ignored): gigabytes cost the server no memory. `length` is
    # the Content-Length it declares; None sends it chunked, so the client learns its size only by reading.
    stream: Callable[[], Iterable[bytes]] | None = None
    length: int | None = None


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    connection: int  # which connection it came on (1, 2, … in accept order)

    @property
    def marker(self) -> str | None:
        return self.headers.get(MARKER_HEADER.lower())

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get(IDEMPOTENCY_HEADER)

    @property
    def is_write(self) -> bool:
        return self.method not in SAFE_METHODS


Route = Callable[[Seen], Reply]


class FaultServer:
    """The server: `with FaultServer(route) as server:` starts it on a free port and stops it after."""

    def __init__(self, route: Route, *, keep_requests: bool = True) -> None:
        self.route = route
        # Off for long runs whose memory is measured in this process: the count is kept, the requests are not.
        self.keep_requests = keep_requests
        self.seen: list[Seen] = []
        self.requests = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.accepted = 0
        self.closed = 0
        self.peak_open = 0
        self.body_bytes_sent = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------------------

    def start(self) -> FaultServer:
        handler = type("Handler", (_Handler,), {"fault_server": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler, bind_and_activate=False)
        httpd.daemon_threads = True
        httpd.request_queue_size = 1024  # 500 tasks connecting at once must not overflow the accept backlog
        httpd.allow_reuse_address = True
        httpd.server_bind()
        httpd.server_activate()
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, wake delayed replies, close the listening socket."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._httpd = self._thread = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "the server is not running"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- what it saw --------------------------------------------------------------------------------------

    @property
    def open_connections(self) -> int:
        """Connections accepted and not yet closed."""
        with self._lock:
            return self.accepted - self.closed

    def wait_until_closed(self, *, timeout: float = 5.0) -> int:
        """Open connections once the clients' closes have reached the server (a bounded wait, then the count)."""
        for _ in range(int(timeout / 0.01)):
            if self.open_connections == 0:
                break
            time.sleep(0.01)
        return self.open_connections

    def duplicated_writes(self) -> int:
        """Writes without an idempotency key that arrived more than once (same marker)."""
        counts = Counter(s.marker for s in self.snapshot() if s.is_write and s.idempotency_key is None and s.marker)
        return sum(n - 1 for n in counts.values() if n > 1)

    def replayed_keyed_writes(self) -> int:
        """Extra attempts of writes that carried an idempotency key (allowed: the server applies them once)."""
        counts = Counter(s.idempotency_key for s in self.snapshot() if s.is_write and s.idempotency_key)
        return sum(n - 1 for n in counts.values() if n > 1)

    def attempts(self, marker: str) -> int:
        return sum(1 for s in self.snapshot() if s.marker == marker)

    def snapshot(self) -> list[Seen]:
        with self._lock:
            return list(self.seen)

    def forget_requests(self) -> None:
        """Start a new tally of requests (connections are still counted from the start)."""
        with self._lock:
            self.seen.clear()
            self.requests = 0

    # -- called by the handler threads ----------------------------------------------------------------------

    def _opened(self) -> int:
        with self._lock:
            self.accepted += 1
            self.peak_open = max(self.peak_open, self.accepted - self.closed)
            return self.accepted

    def _closed(self) -> None:
        with self._lock:
            self.closed += 1

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.requests += 1
            if self.keep_requests:
                self.seen.append(seen)

    def _wait(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _sent(self, n: int) -> None:
        with self._lock:
            self.body_bytes_sent += n


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the clients' pools reuse connections
    timeout = IDLE_TIMEOUT
    # Headers and body go out in two writes: with Nagle's algorithm the body waits for the client's
    # delayed ACK of the headers (40 ms a request on Linux loopback).
    disable_nagle_algorithm = True
    fault_server: FaultServer

    def setup(self) -> None:
        super().setup()
        self.connection_number = self.fault_server._opened()

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:
            # The client reset the connection while the server waited for its next request (a client that
            # gave up on a body it did not want): nothing to answer, and no traceback on stderr.
            self.close_connection = True

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.fault_server._closed()

    def log_message(self, format: str, *args: Any) -> None:  # the base class's parameter name
        pass  # thousands of requests: the table is the report

    def do_GET(self) -> None:  # http.server dispatches on do_<METHOD>
        self._answer()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        seen = Seen(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            connection=self.connection_number,
        )
        self.fault_server._record(seen)
        reply = self.fault_server.route(seen)
        if reply.delay:
            self.fault_server._wait(reply.delay)
        try:
            self._send(reply, seen)
        except OSError:
            # The client gave up first (its timeout, or it closed the pool): nothing to answer.
            self.close_connection = True

    def _send(self, reply: Reply, seen: Seen) -> None:
        chunked = reply.stream is not None and reply.length is None
        header_block = ("\r\n".join(_head(reply, seen, chunked=chunked)) + "\r\n\r\n").encode("latin-1")
        self._write(header_block, drip=reply.drip if reply.drip_headers else 0.0)
        if reply.status == 204 or self.command == "HEAD":
            return
        if reply.stream is not None:
            self._send_stream(reply, reply.stream, chunked=chunked)
            return
        if reply.fault == "none":
            self._write(reply.body, drip=reply.drip, body=True)
            return
        self.wfile.write(reply.body[: len(reply.body) // 2])
        self.wfile.flush()
        self.close_connection = True
        if reply.fault == "reset":
            # SO_LINGER with a zero timeout: close() discards what is unsent and answers with RST, not FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def _send_stream(self, reply: Reply, stream: Callable[[], Iterable[bytes]], *, chunked: bool) -> None:
        """A streamed body, each chunk as it comes (framed when chunked)."""
        for chunk in stream():
            if chunked:
                self._write(b"%x\r\n" % len(chunk))
            self._write(chunk, drip=reply.drip, body=True)
            if chunked:
                self._write(b"\r\n")
        if chunked:
            self._write(b"0\r\n\r\n")

    def _write(self, data: bytes, *, drip: float = 0.0, body: bool = False) -> None:
        """All of `data`, or one byte every `drip` seconds (an OSError ends it: the client went away)."""
        if not drip:
            self.wfile.write(data)
            if body:
                self.fault_server._sent(len(data))
            return
        for i in range(len(data)):
            if self.fault_server._stopping.is_set():
                raise ConnectionAbortedError("the server is stopping")
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            if body:
                self.fault_server._sent(1)
            self.fault_server._wait(drip)


def _head(reply: Reply, seen: Seen, *, chunked: bool) -> list[str]:
    """The status line and headers of a reply: its type and framing (none on a 204), the request's marker."""
    head = [f"HTTP/1.1 {reply.status} {_reason(reply.status)}"]
    if reply.content_type and reply.status != 204:
        head.append(f"Content-Type: {reply.content_type}")
    if chunked:
        head.append("Transfer-Encoding: chunked")
    elif reply.status != 204:
        head.append(f"Content-Length: {reply.length if reply.stream is not None else len(reply.body)}")
    if seen.marker is not None:
        head.append(f"{MARKER_HEADER}: {seen.marker}")
    head += [f"{name}: {value}" for name, value in reply.headers.items()]
    return head


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


# -- routes the scenarios share ------------------------------------------------------------------------------


def first_then(first: Reply, then: Route, *, times: int) -> Route:
    """`first` for the first `times` attempts of each call (by marker), then `then`: a 429 storm, a flaky proxy."""
    attempts: Counter[str | None] = Counter()
    lock = threading.Lock()

    def route(seen: Seen) -> Reply:
        with lock:
            attempts[seen.marker] += 1
            n = attempts[seen.marker]
        return first if n <= times else then(seen)

    return route


def cursor_page(
    query: Mapping[str, str], *, total: int, default_limit: int, make_item: Callable[[int], Any]
) -> list[Any]:
    """One page of `total` items addressed by `limit` and `starting_after` (the id of the last item seen)."""
    limit = int(query.get("limit") or default_limit)
    after = query.get("starting_after")
    start = int(after.rsplit("-", 1)[-1]) + 1 if after else 0
    return [make_item(i) for i in range(start, min(start + limit, total))]


def offset_page(
    query: Mapping[str, str], *, total: int, default_take: int, make_item: Callable[[int], Any]
) -> list[Any]:
    """One page of `total` items addressed by `skip` and `take`."""
    skip, take = int(query.get("skip") or 0), int(query.get("take") or default_take)
    return [make_item(i) for i in range(skip, min(skip + take, total))]


def zeros(total: int, *, chunk: int = 1 << 20) -> Callable[[], Iterator[bytes]]:
    """A `Reply.stream` of `total` zero bytes, made a chunk at a time."""

    def stream() -> Iterator[bytes]:
        block = bytes(min(chunk, total))
        left = total
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)

    return stream


@functools.lru_cache(maxsize=4)
def gzip_bomb(inflated: int) -> bytes:
    """A gzip body of `inflated` zero bytes: about a thousandth of that on the wire (1 GiB is 1.0 MB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [compressor.compress(chunk) for chunk in zeros(inflated)()]
    parts.append(compressor.flush())
    return b"".join(parts)


@contextmanager
def running(route: Route, *, keep_requests: bool = True) -> Iterator[FaultServer]:
    """A started server, stopped when the block ends (whatever happened in it)."""
    server = FaultServer(route, keep_requests=keep_requests).start()
    try:
        yield server
    finally:
        server.stop()
