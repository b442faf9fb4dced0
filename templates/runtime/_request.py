"""The record of one operation, which a generated resource module prints and every part of the SDK reads, and the
checks and body building done before anything is sent.

`Operation` (with its `Param`s, `Body`, `BodyShape`s, `Deprecation` and `_pagination.Pagination`) is the one
description of an operation: the pipeline's SDK model builds these very records (codegen/model.py), the
resource module prints them, `_operations.json` serialises them, the engine reads them. `RequestOptions` are the
per-request options every method takes. `check_path_params`, `warn_deprecated` and `json_body` run before
anything is sent: an empty id, a deprecated operation, a request body given as keywords, a dict or a model.

Hand-written runtime (templates/runtime/_request.py), copied unchanged into each SDK. It imports no other runtime
module but the sentinels, so importing the package and constructing a client load neither typing nor
dataclasses: resource modules import this one, the client does not.
"""

from __future__ import annotations

import datetime
import enum
import sys
import unicodedata
import urllib.parse
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

from ._sentinels import NOT_GIVEN, UNSET, NotGiven

if TYPE_CHECKING:
    from types import FrameType

    import httpx

    from ._pagination import Pagination

__all__ = [
    "OPTION_KEYWORDS",
    "SAFE_METHODS",
    "Body",
    "BodyShape",
    "Deprecation",
    "JsonBody",
    "Operation",
    "Param",
    "RequestOptions",
    "TimeoutTypes",
    "check_path_params",
    "credential_like",
    "custom_path",
    "json_body",
    "path_segment",
    "to_jsonable",
    "warn_at_caller",
    "warn_deprecated",
]

# Methods that change nothing on the server (RFC 9110 §9.2.1): retried whatever happened to the first attempt.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# A header whose name holds one of these words carries a credential: its value never reaches a log record or the
# test double's record, wherever the header came from (the client's keys, `default_headers`, `extra_headers`, a
# custom request's `headers`, the server's answer).
CREDENTIAL_WORDS: Final = ("auth", "cookie", "key", "token", "secret", "password", "session", "signature")
# Names that hold such a word and no secret: shown, so a retried write can be matched with the server's records.
NOT_CREDENTIALS: Final = frozenset({"idempotency-key"})
# The keywords every resource method takes after the operation's own (openai-python's request options).
OPTION_KEYWORDS = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")

TimeoutTypes: TypeAlias = "float | httpx.Timeout | None"
Location = Literal["path", "query", "header", "cookie", "body"]

# The package this module is copied into (`<package>._request`): warnings point at the first frame outside it.
_PACKAGE = __name__.rpartition(".")[0]


@dataclass(frozen=True)
class Param:
    """One argument of a resource method: the keyword it is passed as and where it goes on the wire."""

    keyword: str
    location: Location
    wire_name: str = ""  # the parameter's (or body field's) name in the spec; "": the keyword
    # The generated endpoint function's argument it fills (a body field: the attribute of its model); "": the keyword.
    argument: str = ""
    required: bool = False  # the spec requires it

    def __post_init__(self) -> None:
        object.__setattr__(self, "wire_name", self.wire_name or self.keyword)
        object.__setattr__(self, "argument", self.argument or self.keyword)


@dataclass(frozen=True)
class BodyShape:
    """One shape a JSON request body may take (a model of the spec): the keywords of its fields."""

    name: str  # the model class
    fields: tuple[str, ...]  # keywords of `Body.fields`
    required: tuple[str, ...] = ()  # keywords a call must pass for this shape
    defaults: Mapping[str, Any] = field(default_factory=dict)  # keyword → JSON value sent when not passed


@dataclass(frozen=True)
class Body:
    """An operation's request body: whether it must be sent, and (a JSON object the method takes as keywords) its
    fields and the shapes they make."""

    required: bool = False
    fields: tuple[Param, ...] = ()  # every field of every shape, once
    # Empty: the method takes the whole body as `body=` (a list, a file, a form, any value).
    shapes: tuple[BodyShape, ...] = ()
    # The body is one file sent as its bytes (`body=` takes any form `_files.upload` reads).
    file: bool = False


@dataclass(frozen=True)
class Deprecation:
    """An operation the vendor marks deprecated, and what to call instead (when the spec or an override says)."""

    replacement: str | None = None

    def message(self, qualified_name: str) -> str:
        """The DeprecationWarning a call emits."""
        instead = f"; use client.{self.replacement}() instead" if self.replacement else ""
        return f"{qualified_name}() is deprecated by the API{instead}"


@dataclass(frozen=True)
class Operation:
    """One operation of the API as the SDK offers it: `client.<resource>.<name>(...)`."""

    resource: str
    name: str  # the resource method ('list', 'create_ride')
    operation_id: str
    method: str  # upper case
    path: str
    endpoint: str  # the generated endpoint module, relative to the package ('api.orders.cancel_order')
    # Every argument but the body's fields (`body.fields`) and the per-request options: path parameters
    # (positional, in order), `body`, query, header and cookie parameters.
    params: tuple[Param, ...] = ()
    body: Body | None = None
    security: tuple[tuple[str, ...], ...] = ()  # alternatives, each a set of scheme names
    # The header that makes a retried write safe (the operation declares it): sent on every attempt.
    idempotency_header: str | None = None
    # The `status` value a success body carries when the API wraps bodies in an envelope; any other value
    # means an error, whatever the HTTP status.
    success_status: str | None = None
    # The 2xx statuses the spec documents (empty when a range or `default` documents any status).
    success_statuses: tuple[int, ...] = ()
    # Attribute path from the parsed body to what the method returns (`data.order` of an envelope).
    unwrap: tuple[str, ...] = ()
    deprecation: Deprecation | None = None
    pagination: Pagination | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.resource}.{self.name}"

    @property
    def custom(self) -> bool:
        """A custom request (`client.get(path, ...)`): no generated endpoint, the path the caller's."""
        return not self.endpoint

    @property
    def safe(self) -> bool:
        """The method changes nothing on the server."""
        return self.method.upper() in SAFE_METHODS

    @property
    def retry_safe(self) -> bool:
        """Whether a request that may have reached the server can be sent again."""
        return self.safe or self.idempotency_header is not None


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

    @classmethod
    def of(cls, arguments: Mapping[str, Any]) -> RequestOptions:
        """The options among a method's arguments (OPTION_KEYWORDS)."""
        return cls(**{name: arguments[name] for name in OPTION_KEYWORDS if name in arguments})


# -- before sending ------------------------------------------------------------------------------------


def check_path_params(operation: Operation, arguments: Mapping[str, Any]) -> None:
    """Refuse a path parameter that would change the request's target, before anything is sent.

    None, "" and whitespace are refused (`retrieve("")` would fetch the list instead), with the message
    openai-python gives for the same mistake; so are `.` and `..` and what a server may turn into them
    (`subaccounts.delete("..")` would send `DELETE /v1`: httpx removes dot segments, and a server that
    decodes an id before routing would resolve `%2E%2E`, `．．` or `../x`).
    """
    for param in operation.params:
        if param.location == "path":
            _check_path_value(param.keyword, arguments.get(param.keyword), f" ({operation.qualified_name})")


def path_segment(value: object, *, name: str) -> str:
    """One path parameter as its URL segment, percent-encoded whole (`/ ? # %` included), checked as
    `check_path_params` checks it: the function layer (`<package>.api.<tag>.<operation>`) builds its URLs with
    this, so an id cannot change the target there either."""
    _check_path_value(name, value, "")
    return urllib.parse.quote(str(value), safe="")


def credential_like(name: str) -> bool:
    """The header `name` carries a credential by its name (`Authorization`, `X-Api-Key`, `X-Session-Token`)."""
    lowered = name.lower()
    return lowered not in NOT_CREDENTIALS and any(word in lowered for word in CREDENTIAL_WORDS)


def custom_path(path: object, base_url: str) -> str:
    """The path, relative to `base_url`, of a custom request (`client.get(path, ...)`): `ValueError` before anything
    is sent for one that would take the client's keys elsewhere or out of `base_url`: an absolute URL that is not
    under `base_url`, a scheme-relative `//host`, a `.` or `..` segment (as is or encoded, as `check_path_params`
    judges an id). An absolute URL under `base_url` (a link the API returned) is taken as its path."""
    if not isinstance(path, str) or not path.strip():
        raise ValueError(f"Expected a path relative to base_url ('/orders') but received {path!r}")
    if not path.isprintable():
        raise ValueError(f"Expected a path relative to base_url but received {path!r}: it holds control characters")
    relative = path
    parts = urllib.parse.urlsplit(path)
    if parts.scheme or parts.netloc or path.replace("\\", "/").startswith("//"):
        under = base_url.rstrip("/") + "/"
        if not path.startswith(under):
            raise ValueError(
                f"Expected a path relative to base_url ({base_url.rstrip('/')}) but received {path!r}: a custom "
                "request is sent with the client's keys, so it goes to base_url's origin and under its path only "
                "(pass base_url=... to the client, or with_options(base_url=...), to reach another)"
            )
        relative = path[len(under) - 1 :]
    if not relative.startswith("/"):
        relative = "/" + relative
    route = relative.split("?", 1)[0].split("#", 1)[0]
    if _has_dot_segment(route):
        raise ValueError(
            f"Expected a path relative to base_url but received {path!r}: a `.` or `..` segment (or one encoded) "
            "would send the request outside base_url's path"
        )
    return relative


def _check_path_value(name: str, value: object, where: str) -> None:
    if value is None or not str(value).strip():
        raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}{where}")
    if _has_dot_segment(str(value)):
        raise ValueError(
            f"Expected an id for `{name}` but received {value!r}{where}: a path parameter that is `.` or `..`, "
            "or has one between slashes once decoded, would send the request to another path"
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
    if operation.deprecation is not None:
        warn_at_caller(operation.deprecation.message(operation.qualified_name), DeprecationWarning)


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """Warn at the first frame outside the package: the user's line, however many SDK frames are between
    (resource method, raw or streaming wrapper, engine); for a coroutine, the awaiting line."""
    level = 2  # the stack level of this function's caller, the frame the walk starts from
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_PACKAGE + "."):
        level += 1
        frame = frame.f_back
    warnings.warn(message, category, stacklevel=level)


class JsonBody(dict[str, Any]):
    """A request body built from keywords or a dict, already JSON: a dict, which serialises as a model does."""

    def to_dict(self) -> dict[str, Any]:
        return dict(self)


def json_body(operation: Operation, arguments: Mapping[str, Any]) -> Any:
    """The request body of a call whose body fields are keywords: from those keywords, or `body=` (a model or a
    dict).

    A keyword not passed is UNSET (NOT_GIVEN is read the same way). Keywords pick the shape whose fields they
    are (a body with several shapes, such as an order by amount or by price), whose defaults fill the rest; a
    missing required field, a mix of two shapes or keywords beside `body=` is a TypeError raised before anything
    is sent. A dict is sent as given (enums, dates, UUIDs and models in it made JSON); a model is serialised by
    its own `to_dict()`.
    """
    fields = operation.body.fields if operation.body else ()
    shapes = operation.body.shapes if operation.body else ()
    given = {f.keyword: arguments[f.keyword] for f in fields if _passed(arguments.get(f.keyword, UNSET))}
    body = _body_argument(operation, arguments)
    if _passed(body):
        return _whole_body(operation, body, given)
    shape = _shape_of(operation, shapes, given)
    wire = {f.keyword: f.wire_name for f in fields}
    values = {**shape.defaults, **given}
    return JsonBody({wire[k]: to_jsonable(v) for k, v in values.items() if v is not UNSET})


def _body_argument(operation: Operation, arguments: Mapping[str, Any]) -> Any:
    """What the call passed as `body=` (UNSET: nothing, or the operation takes no such argument)."""
    return next((arguments.get(p.keyword, UNSET) for p in operation.params if p.location == "body"), UNSET)


def _whole_body(operation: Operation, body: Any, given: Mapping[str, Any]) -> Any:
    """A body passed whole (`body=`): a dict made JSON, a model as it is; a TypeError beside body keywords."""
    if given:
        raise TypeError(
            f"{operation.qualified_name}(): pass the body as keyword arguments or as body=..., not both "
            f"(got body= and {', '.join(sorted(given))})"
        )
    return JsonBody(to_jsonable(body)) if isinstance(body, Mapping) else body


def _passed(value: object) -> bool:
    return value is not UNSET and value is not NOT_GIVEN


def _shape_of(operation: Operation, shapes: tuple[BodyShape, ...], given: Mapping[str, Any]) -> BodyShape:
    """The first shape whose fields the given keywords are, with all its required fields given."""
    fitting = [s for s in shapes if set(given) <= set(s.fields) and set(s.required) <= set(given)]
    if fitting:
        return fitting[0]
    raise _no_shape(operation, shapes, given)


def _no_shape(operation: Operation, shapes: tuple[BodyShape, ...], given: Mapping[str, Any]) -> TypeError:
    """The error for body keywords that fit no shape: the required ones missing, or (several shapes) each one's."""
    if len(shapes) == 1:
        missing = [k for k in shapes[0].required if k not in given]
        return TypeError(f"{operation.qualified_name}() missing required keyword argument(s): {', '.join(missing)}")
    forms = " or ".join(f"{s.name} ({', '.join(s.required) or 'no required field'})" for s in shapes)
    return TypeError(
        f"{operation.qualified_name}(): the keyword arguments {', '.join(sorted(given)) or '(none)'} fit none of "
        f"the body's shapes; pass the required fields of exactly one of {forms}"
    )


def to_jsonable(value: Any) -> Any:
    """`value` as JSON: models by their `to_dict()`, enums by value, UUIDs and dates as strings; UNSET left out."""
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items() if v is not UNSET}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value if v is not UNSET]
    return _jsonable_object(value)


def _jsonable_object(value: Any) -> Any:
    """`to_jsonable` of what is neither JSON nor a container: a date, a model, a UUID; TypeError for anything else."""
    if isinstance(value, datetime.date):  # a datetime is a date too
        return value.isoformat()
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    import uuid  # here: only a body holding a UUID needs it, and it costs a few ms to import

    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON: pass a dict, a list, a model or a plain value")
