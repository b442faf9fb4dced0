"""What a resource method hands the engine and what a raw call returns, and the checks made before sending.

`Operation` and `RequestOptions` describe one call to the engine; `APIResponse` is what a raw call returns.
`check_path_params`, `warn_deprecated` and `json_body` run in the resource method before anything is
sent: an empty id, a deprecated operation and a request body given as keywords, a dict or a model.

Hand-written runtime (templates/runtime/_request.py), copied unchanged into each SDK. Kept out of `_base_client`
so that importing the package and constructing a client load neither typing nor dataclasses: resource
modules import this one, the client does not.
"""

from __future__ import annotations

import datetime
import enum
import unicodedata
import urllib.parse
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

from ._base_client import NOT_GIVEN, SAFE_METHODS, NotGiven

if TYPE_CHECKING:
    import httpx

    from ._base_client import TimeoutTypes

__all__ = [
    "APIResponse",
    "BodyShape",
    "JsonBody",
    "Operation",
    "RequestOptions",
    "check_path_params",
    "json_body",
    "to_jsonable",
    "warn_deprecated",
]

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
    # Attribute path from the parsed body to what the method returns (`data.order` of an envelope).
    unwrap: tuple[str, ...] = ()
    # The DeprecationWarning a call emits (the operation is deprecated; the message names the replacement).
    deprecated: str | None = None

    @property
    def retry_safe(self) -> bool:
        """Whether a request that may have reached the server can be sent again."""
        return self.method.upper() in SAFE_METHODS or self.idempotency_header is not None


@dataclass(frozen=True)
class RequestOptions:
    """Per-request options every resource method takes."""

    extra_headers: Mapping[str, str] | None = None
    # Query parameters and JSON body members the SDK does not know (yet), sent as given: they win over
    # the SDK's own values of the same name.
    extra_query: Mapping[str, object] | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: TimeoutTypes | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN


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
        return f"<APIResponse [{self.status_code}] {self.operation.name}>"


# -- before sending ------------------------------------------------------------------------------------


def check_path_params(operation: Operation, **values: object) -> None:
    """Refuse a path parameter that would change the request's target, before anything is sent.

    None, "" and whitespace are refused (`retrieve("")` would fetch the list instead), with the message
    openai-python gives for the same mistake; so are `.` and `..` and what a server may turn into them
    (`subaccounts.delete("..")` would send `DELETE /v1`: httpx removes dot segments, and a server that
    decodes an id before routing would resolve `%2E%2E`, `．．` or `../x`).
    """
    for name, value in values.items():
        if value is None or not str(value).strip():
            raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r} ({operation.name})")
        if _has_dot_segment(str(value)):
            raise ValueError(
                f"Expected an id for `{name}` but received {value!r} ({operation.name}): a path parameter that is "
                "`.` or `..`, or has one between slashes once decoded, would send the request to another path"
            )


def _has_dot_segment(value: str) -> bool:
    """Whether `value`, percent-decoded (repeatedly) and NFKC-normalised, has a `.` or `..` part between slashes."""
    if "." not in value and "%" not in value and value.isascii():
        return False
    text = value
    for _ in range(_DECODING_ROUNDS):
        decoded = urllib.parse.unquote(unicodedata.normalize("NFKC", text))
        if decoded == text:
            break
        text = decoded
    else:
        return True  # still changing after every round: no id is encoded that many times
    return any(part.strip() in (".", "..") for part in text.replace("\\", "/").split("/"))


# How many times an id is percent-decoded when looking for dot segments: a server (or a proxy in front of it)
# may decode a path more than once; an id that still changes after that many rounds is refused.
_DECODING_ROUNDS: Final = 4


def warn_deprecated(operation: Operation) -> None:
    """The operation's DeprecationWarning, attributed to the line that called the resource method."""
    if operation.deprecated:
        # 1: this function, 2: the resource method, 3: its caller (for a coroutine too: the awaiting frame).
        warnings.warn(operation.deprecated, DeprecationWarning, stacklevel=3)


@dataclass(frozen=True)
class BodyShape:
    """One shape a JSON request body may take: its fields' keywords and JSON names, the required ones, the defaults."""

    name: str
    fields: Mapping[str, str]  # keyword argument → JSON member
    required: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)  # sent when the keyword is not passed


class JsonBody(dict[str, Any]):
    """A request body built from keywords or a dict, already JSON: a dict, which serialises as a model does."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self)


def json_body(
    operation: Operation, shapes: Sequence[BodyShape], fields: Mapping[str, Any], body: Any, *, unset: object
) -> Any:
    """The request body of a call: from its keyword arguments (`fields`), or `body=` (a model or a dict).

    A keyword not passed is NOT_GIVEN. Keywords pick the shape whose fields they are (a body with
    several shapes, such as an order by amount or by price), whose defaults fill the rest; a missing
    required field, a mix of two shapes or keywords beside `body=` is a TypeError raised before
    anything is sent. A dict is sent as given (enums, dates, UUIDs and models in it made JSON); a model
    is serialised by its own `to_dict()`.
    """
    given = {k: v for k, v in fields.items() if v is not NOT_GIVEN}
    if body is not NOT_GIVEN:
        if given:
            raise TypeError(
                f"{operation.name}(): pass the body as keyword arguments or as body=..., not both "
                f"(got body= and {', '.join(sorted(given))})"
            )
        return JsonBody(to_jsonable(body, unset=unset)) if isinstance(body, Mapping) else body
    shape = _shape_of(operation, shapes, given)
    values = {**shape.defaults, **given}
    return JsonBody({shape.fields[k]: to_jsonable(v, unset=unset) for k, v in values.items() if v is not unset})


def _shape_of(operation: Operation, shapes: Sequence[BodyShape], given: Mapping[str, Any]) -> BodyShape:
    """The first shape whose fields the given keywords are, with all its required fields given."""
    fitting = [s for s in shapes if set(given) <= set(s.fields) and set(s.required) <= set(given)]
    if fitting:
        return fitting[0]
    if len(shapes) == 1:
        missing = [k for k in shapes[0].required if k not in given]
        raise TypeError(f"{operation.name}() missing required keyword argument(s): {', '.join(missing)}")
    forms = " or ".join(f"{s.name} ({', '.join(s.required) or 'no required field'})" for s in shapes)
    raise TypeError(
        f"{operation.name}(): the keyword arguments {', '.join(sorted(given)) or '(none)'} fit none of the "
        f"body's shapes; pass the required fields of exactly one of {forms}"
    )


# The default `unset` of to_jsonable: a marker no value is.
_NO_MARKER: Any = object()


def to_jsonable(value: Any, *, unset: object = _NO_MARKER) -> Any:
    """`value` as JSON: models by their `to_dict()`, enums by value, UUIDs and dates as strings; `unset` left out."""
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, unset=unset) for k, v in value.items() if v is not unset}
    if isinstance(value, list | tuple):
        return [to_jsonable(v, unset=unset) for v in value if v is not unset]
    if isinstance(value, datetime.date):  # a datetime is a date too
        return value.isoformat()
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    import uuid  # here: only a body holding a UUID needs it, and it costs a few ms to import

    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON: pass a dict, a list, a model or a plain value")
