"""What a resource method hands the engine (`Operation`, `RequestOptions`) and what a raw call returns (`APIResponse`).

Hand-written runtime (templates/runtime/_request.py), copied unchanged into each SDK. Kept out of `_base_client`
so that importing the package and constructing a client load neither typing nor dataclasses: resource
modules import this one, the client does not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._base_client import NOT_GIVEN, SAFE_METHODS, NotGiven

if TYPE_CHECKING:
    import httpx

    from ._base_client import TimeoutTypes

__all__ = ["APIResponse", "Operation", "RequestOptions"]

T = TypeVar("T")


@dataclass(frozen=True)
class Operation:
    """What the engine needs to know about one operation of the spec."""

    name: str
    operation_id: str
    method: str
    security: tuple[tuple[str, ...], ...] = ()
    # The header that makes a retried write safe (the operation declares it): sent on every attempt.
    idempotency_header: str | None = None
    # The `status` value a success body carries when the API wraps bodies in an envelope; any other
    # value means an error, whatever the HTTP status.
    success_status: str | None = None
    # The 2xx statuses the spec documents for the operation (the generated parser knows only these).
    statuses: tuple[int, ...] = ()

    @property
    def retry_safe(self) -> bool:
        """Whether a request that may have reached the server can be sent again."""
        return self.method.upper() in SAFE_METHODS or self.idempotency_header is not None


@dataclass(frozen=True)
class RequestOptions:
    """Per-request options every resource method takes."""

    extra_headers: Mapping[str, str] | None = None
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN


class APIResponse(Generic[T]):
    """A response as it came: status, headers and body, with `parse()` for the typed result."""

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
        """The body parsed into the operation's model (parsed once)."""
        if not self._parsed:
            self._parsed.append(self._parse())
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] {self.operation.name}>"
