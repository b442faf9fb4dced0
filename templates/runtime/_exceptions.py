"""The SDK's exceptions: every error a call raises is an `APIError`.

Hand-written runtime (templates/runtime/_exceptions.py), copied unchanged into each SDK.
"""

from __future__ import annotations

# Not `from typing import TYPE_CHECKING`: importing typing would be most of what importing the package
# costs; type checkers treat any `TYPE_CHECKING` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    # Annotations only: importing httpx (ssl, email, ...) costs more than the whole package import,
    # so it waits for the first request (_base_client imports it there).
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]


class APIError(Exception):
    """Base class of every exception the SDK raises."""

    message: str
    request: httpx.Request | None

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class MissingCredentialsError(APIError):
    """A key the operation's security requires was neither passed nor found in the environment."""


class APIConnectionError(APIError):
    """The request did not get a response: the connection failed or broke."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """A response body does not match the schema the API documents for it."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        field: str | None = None,
        response: httpx.Response | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, request=request)
        self.operation = operation
        self.field = field
        self.response = response


class APIStatusError(APIError):
    """The API answered with an error: a non-2xx status (or a 2xx carrying an error envelope).

    `status_code`, `headers` and `body` (raw bytes) are the response's; `problem` is the decoded JSON
    body and `title`, `detail`, `type`, `errors` the fields of an RFC 7807 problem or an error envelope.
    """

    status_code: int
    headers: httpx.Headers
    body: bytes
    problem: Any

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        problem: Any = None,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, request=request if request is not None else _request_of(response))
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = response.content
        self.problem = problem

    @property
    def title(self) -> str | None:
        """The problem's `title` (RFC 7807)."""
        return _text(self.problem, "title")

    @property
    def detail(self) -> str | None:
        """The problem's `detail` (or `details`), or the error envelope's `error.message`."""
        return _text(self.problem, "detail") or _text(self.problem, "details") or _envelope_message(self.problem)

    @property
    def type(self) -> str | None:
        """The problem's `type` URI."""
        return _text(self.problem, "type")

    @property
    def errors(self) -> Mapping[str, Any] | None:
        """Validation errors by field name (the problem's `errors` member)."""
        errors = self.problem.get("errors") if isinstance(self.problem, dict) else None
        return errors if isinstance(errors, dict) else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r})"


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429."""


class InternalServerError(APIStatusError):
    """HTTP 5xx."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP status."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def make_status_error(response: httpx.Response, *, operation: str) -> APIStatusError:
    """The typed exception for an error response, its body decoded when it is JSON."""
    problem = decode_json(response)
    cls = status_error_class(response.status_code)
    summary = _summary(problem) or response.reason_phrase or "error"
    return cls(f"{operation}: HTTP {response.status_code}: {summary}", response=response, problem=problem)


def decode_json(response: httpx.Response) -> Any:
    """The body as JSON, or None when it is empty or not JSON."""
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError):  # RecursionError: json.loads on hostile nesting
        return None


def _summary(problem: Any) -> str | None:
    parts = [p for p in (_text(problem, "title"), _text(problem, "detail") or _text(problem, "details")) if p]
    message = _envelope_message(problem) or _text(problem, "message")
    if message and message not in parts:
        parts.append(message)
    return ": ".join(parts) if parts else None


def _text(problem: Any, key: str) -> str | None:
    # `dict`, not `Mapping`: the problem is decoded JSON, and collections.abc is not imported at run time.
    value = problem.get(key) if isinstance(problem, dict) else None
    return value if isinstance(value, str) else None


def _envelope_message(problem: Any) -> str | None:
    error = problem.get("error") if isinstance(problem, dict) else None
    return _text(error, "message")


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:
        return None
