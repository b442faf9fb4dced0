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
    "ClientClosedError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "ResponseTooLargeError",
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


class ClientClosedError(APIError, RuntimeError):
    """The client was closed (`close()`, or the end of its `with` block), or the `http_client` it was given is:
    nothing is sent. Make a new client; a copy from `with_options()` follows the client it was made from."""


class APIConnectionError(APIError):
    """The request did not get a response: the connection failed or broke."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class ResponseTooLargeError(APIError):
    """A response body is larger than the client's `max_response_size`: as sent, or decoded (gzip, deflate).

    It was not read further (a Content-Length above the limit: not at all), so memory stays bounded whatever
    the server sends. `limit` is that size in bytes; `status_code` and `headers` are the response's.
    """

    def __init__(
        self,
        message: str,
        *,
        limit: int,
        status_code: int,
        headers: httpx.Headers,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, request=request)
        self.limit = limit
        self.status_code = status_code
        self.headers = headers


class APIResponseValidationError(APIError):
    """A response body does not fit the model the API documents for it.

    `path` is the JSON path of the first value at fault (`data.orders[3].currency`, "" for the body
    itself); `field` is its last key. Raised for any body that cannot be represented, and with
    `strict_response_validation=True` also for wrong types, unknown enum values, missing required fields
    and nulls the spec does not allow; never for a 2xx answer to a write (see `_BaseClient._parse`).
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        field: str | None = None,
        path: str | None = None,
        response: httpx.Response | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message, request=request)
        self.operation = operation
        self.path = path
        self.field = field if field is not None else _last_key(path)
        self.response = response


class APIStatusError(APIError):
    """The API answered with an error: a non-2xx status (or a 2xx carrying an error envelope).

    `status_code`, `headers` and `body` (raw bytes) are the response's; `problem` is the decoded JSON
    body and `title`, `detail`, `type`, `errors` the fields of an RFC 7807 problem or an error envelope;
    `request_id` is the id the server gave the request, when it sent one (quote it to the vendor's support).
    `str(err)` carries all of it: operation, status, title, detail, each field's errors and the request id.
    """

    status_code: int
    headers: httpx.Headers
    body: bytes
    problem: Any
    request_id: str | None

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
        self.request_id = request_id_of(response, problem)

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


class RedirectError(APIStatusError):
    """The server redirected where the SDK does not follow: to another origin (scheme, host or port), or past
    the client's `max_redirects`.

    Nothing was sent there: no key and no request body left the origin of `base_url`. `location` is where
    the redirect pointed, any key in it masked.
    """

    def __init__(self, message: str, *, response: httpx.Response, location: str) -> None:
        super().__init__(message, response=response)
        self.location = location


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


# Where a request id may be: neither vendor documents one, so the headers openai-python (x-request-id) and
# stripe-python (request-id) read, then the `traceId` member ASP.NET Core adds to its problem details (the
# shape of CNaught's, `errors` map included).
REQUEST_ID_HEADERS = ("x-request-id", "request-id")
REQUEST_ID_MEMBERS = ("traceId", "requestId", "request_id")


def make_status_error(response: httpx.Response, *, operation: str) -> APIStatusError:
    """The typed exception for an error response, its body decoded when it is JSON."""
    problem = decode_json(response)
    cls = status_error_class(response.status_code)
    return cls(error_message(operation, response, problem), response=response, problem=problem)


def error_message(operation: str, response: httpx.Response, problem: Any) -> str:
    """`orders.create: HTTP 400: <title>: <detail>; amount_kg: <its errors> (request id: r-1)`."""
    message = f"{operation}: HTTP {response.status_code}: {_summary(problem) or response.reason_phrase or 'error'}"
    fields = _field_errors(problem)
    if fields:
        message += "; " + fields
    request_id = request_id_of(response, problem)
    if request_id:
        message += f" (request id: {request_id})"
    return message


def request_id_of(response: httpx.Response, problem: Any) -> str | None:
    """The id the server gave the request: a request-id header, else a trace id in the problem body."""
    for header in REQUEST_ID_HEADERS:
        value = response.headers.get(header)
        if value:
            return str(value)
    for member in REQUEST_ID_MEMBERS:
        value = _text(problem, member)
        if value:
            return value
    return None


def _field_errors(problem: Any) -> str | None:
    """Each field's errors from the problem's `errors` map (`{"amount_kg": ["must be positive"]}`), in one line."""
    errors = problem.get("errors") if isinstance(problem, dict) else None
    if not isinstance(errors, dict) or not errors:
        return None
    parts = []
    for name, messages in errors.items():
        texts = [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
        parts.append(f"{name}: {' '.join(texts)}")
    return "; ".join(parts)


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


def _last_key(path: str | None) -> str | None:
    """The last object key of a rendered JSON path: `data.orders[3].currency` → `currency`."""
    key = (path or "").rpartition(".")[2].partition("[")[0]
    return key or None


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:
        return None
