"""The runtime's side of httpx, for a server it does not trust: bounded reading, a deadline, masked logs.

Hand-written runtime (templates/runtime/_transport.py), copied unchanged into each SDK. `_base_client`
imports it with the first request (it imports httpx and httpcore), never when the package is imported.

- `BodyReader` takes a response body as it arrives and undoes its Content-Encoding itself, in steps of at
  most `STEP` bytes, counting as it goes: httpx's own decoders inflate a whole network read at once (one
  64 KiB read of a gzip bomb is 64 MiB) and keep no count, so the limit could only be checked too late.
- `deadline_transport()` is the transport of the blocking clients the SDK creates: each socket operation
  waits at most until the current attempt's `DEADLINE`, so an answer dripping one byte at a time (status
  line, headers or body) cannot outlive the timeout. httpx's timeouts bound each read, not their sum.
  The async engine needs none of it: `asyncio.timeout` cancels the attempt as a whole.
- `mask_in_httpx_log()` masks the value of a query parameter that carries a key in the URL httpx logs
  with every request (its INFO line `HTTP Request: GET <url>`), as the SDK's own log records do.
"""

from __future__ import annotations

import contextvars
import logging
import time
import zlib
from typing import TYPE_CHECKING, Any, Final

import httpcore
import httpx

if TYPE_CHECKING:
    import ssl
    from collections.abc import Collection, Iterable, Iterator

__all__ = [
    "DEADLINE",
    "DEADLINE_PASSED",
    "STEP",
    "BodyReader",
    "BodyTooLarge",
    "UndecodableBody",
    "deadline_transport",
    "keep_body",
    "mask_in_httpx_log",
    "mask_params",
]

# The time.monotonic() by which the attempt running in this context must end (None: no deadline).
DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)
DEADLINE_PASSED: Final = "the attempt ran past its deadline"
# The most one decompression step returns: what the limit can be overshot by, and what a bomb costs at once.
STEP: Final = 64 * 1024
# Content-Encoding tokens that change nothing (RFC 9110 §8.4.1); any other unknown one is left as it is,
# as httpx leaves it (the request's Accept-Encoding names only gzip and deflate).
_UNCHANGED: Final = frozenset({"", "identity"})


class BodyTooLarge(Exception):
    """The body passed the limit; the text says how (the engine raises the SDK's error from it)."""


class UndecodableBody(Exception):
    """The body is not valid in its Content-Encoding; the text says which and why."""


class BodyReader:
    """Takes a body's raw chunks (`feed`), decodes them within `limit` bytes at every stage, and returns it (`finish`).

    `BodyTooLarge` when the body passes the limit as sent, at any decoding stage, or by its Content-Length
    before anything is read; `UndecodableBody` when it is not valid gzip or deflate; httpx.ReadTimeout for a
    chunk that arrives after `deadline` (a transport without a deadline at the socket: one passed in).
    """

    def __init__(self, headers: httpx.Headers, *, limit: int, deadline: float | None, request: httpx.Request) -> None:
        self._limit = limit
        self._deadline = deadline
        self._request = request
        codings = [c.strip().lower() for value in headers.get_list("content-encoding") for c in value.split(",")]
        # Decoded in the reverse of the order they were applied (RFC 9110 §8.4).
        self._layers = [_Inflater(c) for c in reversed(codings) if c not in _UNCHANGED and c in _INFLATERS]
        # Bytes seen at each stage: as sent, then after each decoding.
        self._totals = [0] * (len(self._layers) + 1)
        self._parts: list[bytes] = []
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge(f"declares {int(declared):,} bytes (Content-Length)")

    def feed(self, chunk: bytes) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise httpx.ReadTimeout(DEADLINE_PASSED, request=self._request)
        self._count(0, len(chunk))
        self._parts.extend(self._through(0, chunk))

    def finish(self) -> bytes:
        for stage in range(len(self._layers)):
            # What each layer still holds goes through the layers after it.
            for tail in self._layers[stage].flush():
                self._count(stage + 1, len(tail))
                self._parts.extend(self._through(stage + 1, tail))
        body = b"".join(self._parts)
        self._parts = []
        return body

    def _through(self, stage: int, data: bytes) -> Iterator[bytes]:
        """`data` decoded by the layers from `stage` on, a bounded piece at a time, each stage counted."""
        if stage == len(self._layers):
            yield data
            return
        for piece in self._layers[stage].feed(data):
            self._count(stage + 1, len(piece))
            yield from self._through(stage + 1, piece)

    def _count(self, stage: int, n: int) -> None:
        self._totals[stage] += n
        if self._totals[stage] > self._limit:
            if stage == 0:
                raise BodyTooLarge("passed that size as it arrived")
            coding = self._layers[stage - 1].coding
            raise BodyTooLarge(f"passed that size while its Content-Encoding ({coding}) was undone")


class _Inflater:
    """One content-coding undone in steps: no call returns more than STEP bytes, whatever the input inflates to."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._decompressor = zlib.decompressobj(_INFLATERS[coding])
        # "deflate" is meant to be zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send it raw.
        self._may_be_raw = coding == "deflate"

    def feed(self, data: bytes) -> Iterator[bytes]:
        d = self._decompressor
        # Bytes after the end of the stream (padding, a second gzip member) are dropped, as httpx drops them:
        # keeping them (`unused_data`) would let a server make the client hold anything it sends.
        while data and not d.eof:
            try:
                out = d.decompress(data, STEP)
            except zlib.error as exc:
                if not self._may_be_raw:
                    raise UndecodableBody(f"its Content-Encoding ({self.coding}) is not valid: {exc}") from None
                self._may_be_raw = False
                self._decompressor = d = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._may_be_raw = False
            data = d.unconsumed_tail
            if out:
                yield out

    def flush(self) -> Iterable[bytes]:
        # Input is consumed in bounded steps, so what zlib still holds is at most the rest of one match.
        tail = self._decompressor.flush()
        return [tail] if tail else []


# The window bits of each coding zlib can undo (gzip: with its header and trailer; deflate: zlib-wrapped).
_INFLATERS: Final = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


def keep_body(response: httpx.Response, body: bytes) -> None:
    """Store the body read and decoded by a `BodyReader` as the response's content (what `.content` returns).

    httpx has no public way to hand a streamed response its decoded body; `read()` fills `_content` the same
    way (httpx 0.28, the range every SDK declares), so `.content`, `.text` and `.json()` read it from there.
    """
    response._content = body


def deadline_transport() -> httpx.HTTPTransport:
    """httpx's own transport (same defaults as `httpx.Client()`), its sockets bounded by the attempt's deadline."""
    transport = httpx.HTTPTransport()
    # httpcore's pool takes a network backend (public API); httpx's transport offers no way to pass one, so
    # the backend of the pool it made is wrapped (httpx 0.28 keeps the pool in `_pool`).
    pool = transport._pool
    pool._network_backend = _DeadlineBackend(pool._network_backend)
    return transport


def _within(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout`, shortened to what is left of the attempt; `error` when nothing is left."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error(DEADLINE_PASSED)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits no longer than the current attempt's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, _within(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's blocking backend, its connections made and used within the current attempt's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_tcp(
            host, port, _within(timeout, httpcore.ConnectTimeout), local_address, socket_options
        )
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(path, _within(timeout, httpcore.ConnectTimeout), socket_options)
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def mask_params(url: httpx.URL, names: Collection[str]) -> httpx.URL:
    """`url` with the value of each query parameter named in `names` replaced by `<redacted>`."""
    if not names or not any(name in names for name, _ in url.params.multi_items()):
        return url
    return url.copy_with(params=[(k, "<redacted>" if k in names else v) for k, v in url.params.multi_items()])


class _MaskKeysInURLs(logging.Filter):
    """On httpx's logger: the URLs its records carry, with the values of key parameters (`names`) masked."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(mask_params(a, self.names) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


# One filter per copy of this runtime (one per SDK), shared by all its clients: the logger is process-wide.
_HTTPX_LOG_FILTER: Final = _MaskKeysInURLs()


def mask_in_httpx_log(names: Collection[str]) -> None:
    """Mask these query parameters' values in httpx's own log records, from now on and in the whole process."""
    _HTTPX_LOG_FILTER.names.update(names)
    logger = logging.getLogger("httpx")
    if _HTTPX_LOG_FILTER not in logger.filters:
        logger.addFilter(_HTTPX_LOG_FILTER)
