"""Raw and streamed responses, and the wrappers that turn a resource method into a call answering with one.

A resource method exists once per engine (`OrdersResource.create`, `AsyncOrdersResource.create`) and returns
what the operation gives (the parsed, unwrapped body, or pages). `with_raw_response.create(...)` is the same
method wrapped by `to_raw_response_wrapper`: the call answers with an `APIResponse` (status, headers, the body
as sent; `parse()` for what the method returns). `with_streaming_response.create(...)` is wrapped by
`to_streamed_response_wrapper`: a context manager whose `StreamedAPIResponse` has the status and headers, and
reads the body only as it is iterated (`iter_bytes`, `iter_text`, `iter_lines`) or parsed; leaving the block
closes the connection. The wrappers are ParamSpec-typed, as openai-python's are: the wrapped call takes exactly
the method's arguments (its overloads too).

The wrapper tells the engine how to answer through a context variable read when the call starts (so nothing
of the kind travels in the method's arguments or headers). Hand-written runtime
(templates/runtime/_response.py), copied unchanged into each SDK.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, TypeVar

if TYPE_CHECKING:
    import httpx

    from ._request import Operation

__all__ = [
    "APIResponse",
    "AsyncStreamedAPIResponse",
    "AsyncStreamedResponse",
    "StreamedAPIResponse",
    "StreamedResponse",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "response_mode",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

Mode = Literal["parse", "raw", "stream"]
# How the call being made answers: what the method returns (parse), an APIResponse (raw) or a
# StreamedAPIResponse whose body is not read yet (stream). Set by the wrappers around one call only.
_MODE: contextvars.ContextVar[Mode] = contextvars.ContextVar("response_mode", default="parse")


def response_mode() -> Mode:
    """How the resource method being called answers (read once, when it starts)."""
    return _MODE.get()


class APIResponse(Generic[T]):
    """A response as it came: status, headers and body (`json()` for the body as sent, envelope and all),
    with `parse()` for what the method itself returns (the same type, as in openai-python)."""

    def __init__(
        self,
        *,
        http_response: httpx.Response,
        parse: Callable[[], T],
        operation: Operation,
        retries_taken: int,
    ) -> None:
        self.http_response = http_response
        self.operation = operation
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    @property
    def request(self) -> httpx.Request:
        return self.http_response.request

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> T:
        """What the method returns: the body parsed into the operation's model and unwrapped (parsed once)."""
        if not self._parsed:
            self._parsed.append(self._parse())
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.operation.qualified_name}>"


class _Streamed:
    """What the sync and async streamed responses share: status, headers, the request, the operation."""

    def __init__(self, *, http_response: httpx.Response, operation: Operation, retries_taken: int) -> None:
        self.http_response = http_response
        self.operation = operation
        self.retries_taken = retries_taken

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.operation.qualified_name}>"


class StreamedAPIResponse(_Streamed, Generic[T]):
    """A response whose body is read only as you iterate it (`iter_bytes`, `iter_text`, `iter_lines`) or ask for
    it whole (`read()`, `json()`, `parse()`, within the client's max_response_size); the status and headers are
    there from the start. Iterating reads as you go: a body you iterated is no longer there to read whole."""

    def __init__(
        self,
        *,
        http_response: httpx.Response,
        parse: Callable[[], T],
        read: Callable[[], bytes],
        operation: Operation,
        retries_taken: int,
    ) -> None:
        super().__init__(http_response=http_response, operation=operation, retries_taken=retries_taken)
        self._parse = parse
        self._read = read
        self._parsed: list[T] = []

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body as it arrives, decoded (gzip, ...), in chunks."""
        yield from self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        yield from self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        yield from self.http_response.iter_lines()

    def read(self) -> bytes:
        """The whole body (read from the network now if it was not yet)."""
        return self._read()

    def json(self) -> Any:
        self._read()
        return self.http_response.json()

    def parse(self) -> T:
        """What the method returns: the whole body read, parsed and unwrapped (once)."""
        if not self._parsed:
            self._parsed.append(self._parse())
        return self._parsed[0]

    def close(self) -> None:
        """Release the connection (what leaving the `with` block does)."""
        self.http_response.close()


class AsyncStreamedAPIResponse(_Streamed, Generic[T]):
    """The asyncio form of `StreamedAPIResponse`: `async for` over `iter_bytes()`, `await parse()`."""

    def __init__(
        self,
        *,
        http_response: httpx.Response,
        parse: Callable[[], Awaitable[T]],
        read: Callable[[], Awaitable[bytes]],
        operation: Operation,
        retries_taken: int,
    ) -> None:
        super().__init__(http_response=http_response, operation=operation, retries_taken=retries_taken)
        self._parse = parse
        self._read = read
        self._parsed: list[T] = []

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        async for chunk in self.http_response.aiter_bytes(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        async for chunk in self.http_response.aiter_text(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        async for line in self.http_response.aiter_lines():
            yield line

    async def read(self) -> bytes:
        return await self._read()

    async def json(self) -> Any:
        await self._read()
        return self.http_response.json()

    async def parse(self) -> T:
        if not self._parsed:
            self._parsed.append(await self._parse())
        return self._parsed[0]

    async def close(self) -> None:
        await self.http_response.aclose()


class StreamedResponse(Generic[T]):
    """`with client.orders.with_streaming_response.retrieve(id) as response:` sends the request on entering
    and closes the response on leaving."""

    def __init__(self, send: Callable[[], StreamedAPIResponse[T]]) -> None:
        self._send = send
        self._response: StreamedAPIResponse[T] | None = None

    def __enter__(self) -> StreamedAPIResponse[T]:
        self._response = self._send()
        return self._response

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamedResponse(Generic[T]):
    """`async with client.orders.with_streaming_response.retrieve(id) as response:` (asyncio)."""

    def __init__(self, send: Callable[[], Awaitable[AsyncStreamedAPIResponse[T]]]) -> None:
        self._send = send
        self._response: AsyncStreamedAPIResponse[T] | None = None

    async def __aenter__(self) -> AsyncStreamedAPIResponse[T]:
        self._response = await self._send()
        return self._response

    async def __aexit__(self, *exc: object) -> None:
        if self._response is not None:
            await self._response.close()


def _answering(mode: Mode, call: Callable[[], Any]) -> Any:
    """`call()` with the engine answering as `mode` says (what it gives is the wrapper's to type)."""
    token = _MODE.set(mode)
    try:
        return call()
    finally:
        _MODE.reset(token)


async def _answering_async(mode: Mode, call: Callable[[], Awaitable[Any]]) -> Any:
    # The mode is read when the method starts: inside the coroutine for an `async def` method, at the call for
    # an async list (a plain method returning its paginator); both happen here, with the mode set.
    token = _MODE.set(mode)
    try:
        return await call()
    finally:
        _MODE.reset(token)


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """`func` answering with the `APIResponse` whose `parse()` is what `func` returns."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        response: APIResponse[R] = _answering("raw", functools.partial(func, *args, **kwargs))
        return response

    return wrapped


def async_to_raw_response_wrapper(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[APIResponse[R]]]:
    """The asyncio form of `to_raw_response_wrapper` (an async list method too: it returns an awaitable)."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        response: APIResponse[R] = await _answering_async("raw", functools.partial(func, *args, **kwargs))
        return response

    return wrapped


def to_streamed_response_wrapper(func: Callable[P, R]) -> Callable[P, StreamedResponse[R]]:
    """`func` as a context manager answering with a `StreamedAPIResponse` (nothing is sent before `with`)."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> StreamedResponse[R]:
        def send() -> StreamedAPIResponse[R]:
            response: StreamedAPIResponse[R] = _answering("stream", functools.partial(func, *args, **kwargs))
            return response

        return StreamedResponse(send)

    return wrapped


def async_to_streamed_response_wrapper(func: Callable[P, Awaitable[R]]) -> Callable[P, AsyncStreamedResponse[R]]:
    """The asyncio form of `to_streamed_response_wrapper` (`async with`)."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedResponse[R]:
        async def send() -> AsyncStreamedAPIResponse[R]:
            call = functools.partial(func, *args, **kwargs)
            response: AsyncStreamedAPIResponse[R] = await _answering_async("stream", call)
            return response

        return AsyncStreamedResponse(send)

    return wrapped
