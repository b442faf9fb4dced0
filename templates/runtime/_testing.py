"""An in-process fake of the API behind the real client, for testing code that uses the SDK.

Hand-written runtime (templates/runtime/_testing.py), copied unchanged into each SDK. What it knows of the
API is data: `_testing.json` beside it (built from the spec by codegen/fake.py), with each operation's
method, path, parameters, request body schema, documented statuses with a body for each, and how a list
pages. `<package>.testing` makes the fake clients of it; nothing else in the package imports this module, so
an application loads none of it (and needs no other dependency) unless its tests use the fake.

`FakeAPI` is an `httpx.MockTransport` handler: it routes each request to its operation, checks it against
the spec (parameters, body, content type, credentials) and raises `InvalidRequestError` naming the field and
the rule when the spec does not allow it, records it (`calls`, credentials redacted), and answers with what
`respond` programmed or the documented example; a list answers with real pages of its items. The real
client does the rest (retries, pagination, unwrapping, typed errors, raw responses).
"""

from __future__ import annotations

import datetime
import json
import math
import operator
import re
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote, urlsplit

import httpx

from ._base_client import DEFAULT_MAX_RETRIES
from ._request import credential_like, to_jsonable

if TYPE_CHECKING:
    from ._base_client import Credential

__all__ = [
    "KEYWORDS",
    "AsyncFakeClient",
    "Call",
    "FakeAPI",
    "FakeClient",
    "InvalidRequestError",
    "SyncFakeClient",
    "Validator",
    "WebhookDelivery",
]

# The package this copy of the runtime belongs to (this module is `<package>._testing`).
PACKAGE: Final = __name__.rpartition(".")[0]
DATA_FILE: Final = "_testing.json"
# A list answers with the example's items, made up to this many with copies under new ids, so that a
# small page size walks several pages.
DEFAULT_ITEMS: Final = 3
# The page size of a list whose spec gives no default and whose call gives none.
DEFAULT_PAGE_SIZE: Final = 10
REDACTED: Final = "<redacted>"
# Headers that carry secrets whatever the API (the security schemes' own are added per API).
SECRET_HEADERS: Final = frozenset({"authorization", "proxy-authorization", "cookie"})
# The JSON Schema keywords `Validator` checks; codegen/fake.py reads this set (from the source) and ships
# schemas with these keywords only: keep it one `frozenset({...})` of string literals.
KEYWORDS: Final = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "anyOf",
        "oneOf",
        "allOf",
        "not",
        "minProperties",
        "maxProperties",
    }
)


class InvalidRequestError(AssertionError):
    """The code under test sent a request the API's spec does not allow (raised by the fake, out of the call).

    An `AssertionError`, not an `APIError`: the real API would refuse the request, so the test fails where
    the call was made. `problems` lists each one as `"<where>: <field>: <rule>"`.
    """

    def __init__(self, operation: str, problems: Sequence[str]) -> None:
        super().__init__(f"{operation}: the request does not fit the API's spec: " + "; ".join(problems))
        self.operation = operation
        self.problems = list(problems)


@dataclass(frozen=True)
class Call:
    """One request as the SDK sent it, credentials redacted.

    `path` is below the base URL (`/orders/o-1`); `query` holds each parameter's text (a list when it was
    sent more than once); `headers` have lower-case names; `json` is the decoded body (None without one);
    `status` is what the fake answered (None when it refused the request).
    """

    operation: str
    method: str
    path: str
    query: dict[str, str | list[str]]
    headers: dict[str, str]
    json: Any
    path_params: dict[str, str] = field(default_factory=dict)
    status: int | None = None
    content: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class WebhookDelivery:
    """A webhook delivery as the API would POST it: the exact body bytes and the headers, signature included."""

    event_type: str
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


# -- the spec's data ------------------------------------------------------------------------------------


@cache
def load_data(package: str = PACKAGE) -> dict[str, Any]:
    """The package's `_testing.json` (read once; the fakes never change it)."""
    text = resources.files(package).joinpath(DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


class _Route:
    """One operation of the data, with its path as a pattern and its aliases."""

    def __init__(self, op: Mapping[str, Any]) -> None:
        self.op = op
        self.name: str = op["name"]
        self.names = (self.name, *op.get("aliases", ()))
        self.method: str = op["method"]
        self.params = re.findall(r"\{([^}]+)\}", op["path"])
        self.pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(op["path"])) + "$")
        self.pagination: Mapping[str, Any] | None = op.get("pagination")


class _Spec:
    """What every fake of one package shares: the routes and the validator (immutable once built)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        # Where templates overlap (`/orders/ride`, `/orders/{id}`) the one with fewer parameters wins.
        self.routes = sorted((_Route(op) for op in data["operations"]), key=lambda r: len(r.params))
        self.by_name = {name: route for route in self.routes for name in route.names}
        self.validator = Validator(data.get("schemas") or {})
        self.credentials: Mapping[str, Mapping[str, str]] = data.get("credentials") or {}
        self.secret_headers = SECRET_HEADERS | {name.lower() for name in self._credential_names("header")}
        self.secret_params = frozenset(self._credential_names("query"))
        self.any_body = _first_bodies(data["operations"])

    def _credential_names(self, location: str) -> list[str]:
        """The names the credentials sent in `location` (header, query) take."""
        return [c["name"] for c in self.credentials.values() if c.get("in") == location]

    def route(self, method: str, path: str) -> tuple[_Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method != method:
                continue
            match = route.pattern.match(path)
            if match is not None:
                return route, {n: unquote(v) for n, v in zip(route.params, match.groups(), strict=True)}
        return None


def _first_bodies(operations: Sequence[Mapping[str, Any]]) -> dict[str, tuple[str | None, Any]]:
    """The documented body of each status, from whichever operation documents it first: the answer to an
    error status that an operation itself does not document."""
    bodies: dict[str, tuple[str | None, Any]] = {}
    for op in operations:
        for status, answer in op["responses"].items():
            bodies.setdefault(status, (answer["content_type"], answer["body"]))
    return bodies


@cache
def _spec(package: str) -> _Spec:
    return _Spec(load_data(package))


# -- validation -------------------------------------------------------------------------------------------


class Validator:
    """JSON Schema (2020-12, the subset in `KEYWORDS`) with messages in jsonschema's words, by field.

    Written here rather than depending on jsonschema: the fake must import with the SDK's own dependencies
    only. `$ref`s name schemas of the `schemas` map; `format` checks uuid, email, date and date-time.
    """

    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self.schemas = schemas
        self._patterns: dict[str, re.Pattern[str]] = {}

    def errors(self, schema: Any, value: Any, path: str = "") -> list[str]:
        """Every problem of `value`, each `"<field>: <rule>"` (the field is empty for the value itself)."""
        return [_located(where, message) for where, message, _ in self._found(schema, value, path)]

    def is_valid(self, schema: Any, value: Any) -> bool:
        return not self._found(schema, value, "")

    def kinds(self, schema: Any, *, depth: int = 0) -> set[str]:
        """The JSON types a schema admits, through `$ref`s and unions (empty: not said)."""
        if not isinstance(schema, dict) or depth > 32:
            return set()
        out = _declared_types(schema)
        if "$ref" in schema:
            out |= self.kinds(self.schemas.get(schema["$ref"]), depth=depth + 1)
        for branch in _branches(schema):
            out |= self.kinds(branch, depth=depth + 1)
        if not out and "enum" in schema:
            out.update(_json_type(v) for v in schema["enum"])
        return out

    def item_schema(self, schema: Any, *, depth: int = 0) -> Any:
        """The `items` schema of an array schema (through `$ref`s and unions), or {}."""
        if not isinstance(schema, dict) or depth > 32:
            return {}
        if "items" in schema:
            return schema["items"]
        if "$ref" in schema:
            return self.item_schema(self.schemas.get(schema["$ref"]), depth=depth + 1)
        for branch in _branches(schema):
            found = self.item_schema(branch, depth=depth + 1)
            if found:
                return found
        return {}

    def _found(self, schema: Any, value: Any, path: str, depth: int = 0) -> list[tuple[str, str, str]]:
        """Every problem of `value` under `schema`, as `_check` appends them."""
        found: list[tuple[str, str, str]] = []
        self._check(schema, value, path, found, depth)
        return found

    # The checks append (field, message, keyword); the keyword lets a union report its closest branch.
    def _check(self, schema: Any, value: Any, path: str, out: list[tuple[str, str, str]], depth: int = 0) -> None:
        if schema is False:
            out.append((path, f"False schema does not allow {_show(value)}", "false"))
            return
        if not isinstance(schema, dict):
            return
        if depth > 64:  # a schema that refers to itself, walking a value nested this deep: stop looking
            return
        ref = schema.get("$ref")
        if ref is not None:
            self._check(self.schemas.get(ref, True), value, path, out, depth + 1)
        if not _type_fits(schema, value, path, out):
            return
        _check_members(schema, value, path, out)
        self._check_kind(schema, value, path, out, depth)
        self._check_combined(schema, value, path, out, depth)

    def _check_kind(
        self, schema: Mapping[str, Any], value: Any, path: str, out: list[tuple[str, str, str]], depth: int
    ) -> None:
        """The keywords of the value's own JSON type: an object's, an array's, a string's, a number's."""
        if isinstance(value, dict):
            self._object(schema, value, path, out, depth)
        elif isinstance(value, list):
            self._array(schema, value, path, out, depth)
        elif isinstance(value, str):
            self._string(schema, value, path, out)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self._number(schema, value, path, out)

    def _check_combined(
        self, schema: Mapping[str, Any], value: Any, path: str, out: list[tuple[str, str, str]], depth: int
    ) -> None:
        """The keywords that combine schemas: allOf, anyOf, oneOf, not."""
        for branch in schema.get("allOf") or ():
            self._check(branch, value, path, out, depth + 1)
        if "anyOf" in schema:
            self._union(schema["anyOf"], value, path, out, depth, one=False)
        if "oneOf" in schema:
            self._union(schema["oneOf"], value, path, out, depth, one=True)
        if "not" in schema and not self._found(schema["not"], value, path, depth + 1):
            out.append((path, f"{_show(value)} should not be valid under {_show(schema['not'])}", "not"))

    def _union(
        self, branches: Sequence[Any], value: Any, path: str, out: list[tuple[str, str, str]], depth: int, *, one: bool
    ) -> None:
        results = [self._found(branch, value, path, depth + 1) for branch in branches]
        passed = sum(1 for found in results if not found)
        if one and passed > 1:
            out.append((path, f"{_show(value)} is valid under each of {passed} of the given schemas", "oneOf"))
        if not passed:
            out.extend(_closest_failure(results, value, path))

    def _object(
        self, schema: Mapping[str, Any], value: dict[str, Any], path: str, out: list[tuple[str, str, str]], depth: int
    ) -> None:
        for name in schema.get("required") or ():
            if name not in value:
                out.append((path, f"{name!r} is a required property", "required"))
        props: Mapping[str, Any] = schema.get("properties") or {}
        for name, sub in props.items():
            if name in value:
                self._check(sub, value[name], _join(path, name), out, depth + 1)
        self._extras(schema, {name: v for name, v in value.items() if name not in props}, path, out, depth)
        _check_size(schema, value, path, out, least="minProperties", most="maxProperties")

    def _extras(
        self, schema: Mapping[str, Any], extras: dict[str, Any], path: str, out: list[tuple[str, str, str]], depth: int
    ) -> None:
        """The members of an object its `properties` do not name, against its `additionalProperties`."""
        extra_schema = schema.get("additionalProperties", True)
        if extra_schema is False and extras:
            listed = ", ".join(repr(name) for name in extras)
            verb = "was" if len(extras) == 1 else "were"
            out.append((path, f"Additional properties are not allowed ({listed} {verb} unexpected)", "additional"))
        elif isinstance(extra_schema, dict):
            for name, member in extras.items():
                self._check(extra_schema, member, _join(path, name), out, depth + 1)

    def _array(
        self, schema: Mapping[str, Any], value: list[Any], path: str, out: list[tuple[str, str, str]], depth: int
    ) -> None:
        if "items" in schema:
            for index, item in enumerate(value):
                self._check(schema["items"], item, f"{path}[{index}]", out, depth + 1)
        _check_size(schema, value, path, out, least="minItems", most="maxItems")
        if schema.get("uniqueItems") and _has_duplicates(value):
            out.append((path, f"{_show(value)} has non-unique elements", "uniqueItems"))

    def _string(self, schema: Mapping[str, Any], value: str, path: str, out: list[tuple[str, str, str]]) -> None:
        _check_size(schema, value, path, out, least="minLength", most="maxLength")
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and self._pattern(pattern).search(value) is None:
            out.append((path, f"{_show(value)} does not match {pattern!r}", "pattern"))
        fmt = schema.get("format")
        if isinstance(fmt, str) and not _format_ok(fmt, value):
            out.append((path, f"{_show(value)} is not a {fmt!r}", "format"))

    def _number(self, schema: Mapping[str, Any], value: float, path: str, out: list[tuple[str, str, str]]) -> None:
        shown = _show(value)
        for keyword, beyond, words, tag in _NUMBER_BOUNDS:
            if keyword in schema and beyond(value, schema[keyword]):
                out.append((path, f"{shown} {words} {schema[keyword]}", tag))
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            quotient = value / step
            if not (math.isfinite(quotient) and quotient == int(quotient)):
                out.append((path, f"{shown} is not a multiple of {step}", "multipleOf"))

    def _pattern(self, pattern: str) -> re.Pattern[str]:
        compiled = self._patterns.get(pattern)
        if compiled is None:
            compiled = self._patterns[pattern] = re.compile(pattern)
        return compiled


# (keyword, the comparison a value fails it by, jsonschema's words, the keyword a union reports it by)
_NUMBER_BOUNDS: Final = (
    ("minimum", operator.lt, "is less than the minimum of", "minimum"),
    ("maximum", operator.gt, "is greater than the maximum of", "maximum"),
    ("exclusiveMinimum", operator.le, "is less than or equal to the minimum of", "min"),
    ("exclusiveMaximum", operator.ge, "is greater than or equal to the maximum of", "max"),
)
# What a `min*`/`max*` keyword says of a value with too few or too many members (properties, items, characters).
_SIZE_WORDS: Final = {
    "minProperties": "does not have enough properties",
    "maxProperties": "has too many properties",
    "minItems": "is too short",
    "maxItems": "is too long",
    "minLength": "is too short",
    "maxLength": "is too long",
}


def _check_size(
    schema: Mapping[str, Any], value: Any, path: str, out: list[tuple[str, str, str]], *, least: str, most: str
) -> None:
    """The count of a value's members within the schema's `least` and `most` keywords (minItems, maxItems, ...)."""
    if least in schema and len(value) < schema[least]:
        out.append((path, f"{_show(value)} {_SIZE_WORDS[least]}", least))
    if most in schema and len(value) > schema[most]:
        out.append((path, f"{_show(value)} {_SIZE_WORDS[most]}", most))


def _has_duplicates(items: list[Any]) -> bool:
    return any(_equal(a, b) for i, a in enumerate(items) for b in items[i + 1 :])


def _type_fits(schema: Mapping[str, Any], value: Any, path: str, out: list[tuple[str, str, str]]) -> bool:
    """Whether the value is of the schema's `type` (when it says one); the problem appended when not."""
    declared = schema.get("type")
    if declared is None or _is_type(value, declared):
        return True
    shown = ", ".join(repr(t) for t in declared) if isinstance(declared, list) else repr(declared)
    out.append((path, f"{_show(value)} is not of type {shown}", "type"))
    return False


def _check_members(schema: Mapping[str, Any], value: Any, path: str, out: list[tuple[str, str, str]]) -> None:
    """`enum` and `const`: the values the schema allows."""
    if "enum" in schema and not any(_equal(value, member) for member in schema["enum"]):
        out.append((path, f"{_show(value)} is not one of {_show(schema['enum'])}", "enum"))
    if "const" in schema and not _equal(value, schema["const"]):
        out.append((path, f"{_show(schema['const'])} was expected", "const"))


def _closest_failure(results: list[list[tuple[str, str, str]]], value: Any, path: str) -> list[tuple[str, str, str]]:
    """What a union reports when no branch fits: the problems of the branch the value was meant for, or each one's."""
    # The branch the value was meant for says more than "none fits": one of the value's own type (a
    # nullable field's real branch), and of those one whose required members are all there (an order by
    # amount, not by price, when amount_kg is given).
    typed = [found for found in results if not _fails_at(found, path, "type")]
    shaped = [found for found in typed if not _fails_at(found, path, "required")]
    closest = shaped if shaped else typed
    if len(closest) == 1:
        return closest[0]
    # Several forms fit as badly: name what each one lacks.
    each = " | ".join("; ".join(_located(p, m) for p, m, _ in found[:2]) for found in closest or results)
    return [(path, f"{_show(value)} is not valid under any of the given schemas ({each})", "anyOf")]


def _fails_at(found: list[tuple[str, str, str]], path: str, keyword: str) -> bool:
    """Whether the value at `path` itself (not a member of it) failed `keyword`."""
    return any(p == path and k == keyword for p, _, k in found)


def _declared_types(schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a schema's own `type` names (a name or a list of them)."""
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    return set()


def _branches(schema: Mapping[str, Any]) -> list[Any]:
    """The schemas of a schema's anyOf, oneOf and allOf, in that order."""
    return [branch for key in ("anyOf", "oneOf", "allOf") for branch in schema.get(key) or ()]


_TYPES: Final[dict[str, Callable[[Any], bool]]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _is_type(value: Any, declared: str | list[str]) -> bool:
    names = declared if isinstance(declared, list) else [declared]
    return any(_TYPES.get(name, lambda _: True)(value) for name in names)


def _json_type(value: Any) -> str:
    return next(name for name, test in _TYPES.items() if name != "integer" and test(value))


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: `true` is not `1`; `1` is `1.0`."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return _equal_lists(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return _equal_objects(a, b)
    return bool(a == b) and (type(a) is type(b) or _both_numbers(a, b))


def _equal_lists(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))


def _equal_objects(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)


def _both_numbers(a: Any, b: Any) -> bool:
    return isinstance(a, int | float) and isinstance(b, int | float)


_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DATE_TIME: Final = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", re.ASCII)


def _format_ok(fmt: str, value: str) -> bool:
    """uuid, email, date and date-time are checked (as jsonschema's FormatChecker does); other formats pass."""
    try:
        if fmt == "uuid":
            return all(value[i] == "-" for i in (8, 13, 18, 23)) and bool(uuid.UUID(value))
        if fmt == "email":
            return "@" in value
        if fmt == "date":
            return bool(_DATE.match(value)) and bool(datetime.date.fromisoformat(value))
        if fmt == "date-time":
            return bool(_DATE_TIME.match(value)) and bool(
                datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            )
    except (ValueError, IndexError):
        return False
    return True


def _located(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# -- the fake API -----------------------------------------------------------------------------------------


@dataclass
class _Answer:
    status: int | None
    body: Any  # None: the documented body of the status
    headers: Mapping[str, str]
    left: int | None  # answers left (None: every call until the next `respond`)


class FakeAPI:
    """The API, in process: routes, validates, records and answers requests (an `httpx.MockTransport` handler)."""

    def __init__(self, data: Mapping[str, Any] | None = None, *, package: str = PACKAGE) -> None:
        self._spec = _Spec(data) if data is not None else _spec(package)
        self.base_url: str = self._spec.data.get("base_url") or "https://api.example.com"
        self.base_path = urlsplit(self.base_url).path.rstrip("/")
        self.calls: list[Call] = []
        self._queued: dict[str, list[_Answer]] = {}
        self._standing: dict[str, _Answer] = {}
        self._items: dict[str, list[Any]] = {}
        self._defaults: dict[str, list[Any]] = {}
        # Threads of the code under test may share one fake client.
        self._lock = threading.Lock()

    @property
    def transport(self) -> httpx.MockTransport:
        """A transport for an `httpx.Client` or `httpx.AsyncClient` that sends every request here."""
        return httpx.MockTransport(self.handle)

    @property
    def operations(self) -> list[str]:
        """Every operation's name, as the client calls it (`orders.retrieve`), in the spec's order."""
        return [op["name"] for op in self._spec.data["operations"]]

    # -- programming ----------------------------------------------------------------------------------

    def respond(
        self,
        operation: str,
        *,
        status: int | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int | None = None,
    ) -> None:
        """Program the next answers of `operation` (`"orders.retrieve"`, as the client calls it).

        `status` defaults to the operation's documented success status; `json` (a dict, a list, a model) to
        the documented body of that status; `headers` are added to the answer. With `times=N` the next N
        calls get this answer, then what was programmed before; without, every call until the next
        `respond` without `times`. Answers given with `times` come first, in the order programmed.
        """
        route = self._route_named(operation)
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status (100-599), not {status}")
        if times is not None and times < 1:
            raise ValueError(f"times must be 1 or more (or None for every call), not {times}")
        answer = _Answer(status, to_jsonable(json), dict(headers or {}), times)
        with self._lock:
            if times is None:
                self._standing[route.name] = answer
            else:
                self._queued.setdefault(route.name, []).append(answer)

    def set_items(self, operation: str, items: Sequence[Any]) -> None:
        """The items a list operation pages through from now on: each a dict (or a model) of the API's JSON
        names, filled in from the documented example item for what it leaves out (an id of its own included).

        The fake pages them as the request asks, but applies none of its filters (a status, a search term):
        set the items the filter would return.
        """
        route = self._route_named(operation)
        if route.pagination is None:
            raise ValueError(f"{route.name} does not page: program its answer with respond(json=...)")
        given = [to_jsonable(item) for item in items]
        for item in given:
            if not isinstance(item, dict):
                raise TypeError(f"{route.name} items are JSON objects, not {type(item).__name__}")
        filled = _filled_in(given, template=self._default_items(route)[0])
        ids = [str(item["id"]) for item in filled if "id" in item]
        if route.pagination["kind"] == "cursor" and len(set(ids)) < len(ids):
            raise ValueError(f"{route.name} pages by item id: give each item an id of its own")
        with self._lock:
            self._items[route.name] = filled

    def reset(self) -> None:
        """Forget the calls, the programmed answers and the items set: every operation answers its example again."""
        with self._lock:
            self.calls.clear()
            self._queued.clear()
            self._standing.clear()
            self._items.clear()

    def webhook(
        self, event_type: str, *, data: Any, secret: str, sign: Callable[[bytes, str], str], header: str
    ) -> WebhookDelivery:
        """A delivery of `event_type`: the documented body (`data`, when given, replaces its data), signed."""
        deliveries: Mapping[str, Any] = self._spec.data.get("webhooks") or {}
        if event_type not in deliveries and (data is None or not deliveries):
            raise ValueError(
                f"{event_type!r} is no documented event type ({', '.join(sorted(deliveries)) or 'none'}); "
                "pass data=... to send an undocumented one"
            )
        body = dict(deliveries.get(event_type) or next(iter(deliveries.values())))
        body["type"] = event_type
        if data is not None:
            body["data"] = to_jsonable(data)
        payload = json.dumps(body).encode()
        headers = {"content-type": "application/json", header: sign(payload, secret)}
        return WebhookDelivery(event_type=event_type, body=payload, headers=headers)

    def _route_named(self, operation: str) -> _Route:
        route = self._spec.by_name.get(operation)
        if route is None:
            import difflib

            close = difflib.get_close_matches(operation, list(self._spec.by_name), n=3)
            hint = (
                f"; did you mean {' or '.join(close)}?" if close else f"; the operations: {', '.join(self.operations)}"
            )
            raise ValueError(f"no operation {operation!r}{hint}")
        return route

    # -- answering ------------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Route, check, record and answer one request."""
        content = request.read()  # MockTransport has read it: the bytes as sent
        path = request.url.path
        relative = path[len(self.base_path) :] if path.startswith(self.base_path) else path
        found = self._spec.route(request.method, relative or "/")
        if found is None:
            raise InvalidRequestError(
                f"{request.method} {relative}", ["no operation of the API has this method and path"]
            )
        route, path_params = found
        query = _query_of(request)
        body, problems = self._check(route, request, path_params, query, content)
        with self._lock:
            answer = None if problems else self._next_answer(route.name)
        response = None if problems else self._response(route, answer, query)
        call = Call(
            operation=route.name,
            method=request.method,
            path=relative,
            query={name: self._shown(name, values) for name, values in query.items()},
            headers={name: self._shown_header(name, value) for name, value in request.headers.items()},
            json=body,
            path_params=path_params,
            status=response.status_code if response is not None else None,
            content=content,
        )
        with self._lock:
            self.calls.append(call)
        if response is None:
            raise InvalidRequestError(route.name, problems)
        return response

    def _shown(self, name: str, values: list[str]) -> str | list[str]:
        """A query parameter as `Call.query` shows it: its text (a list if repeated), a key's redacted."""
        shown = [REDACTED if name in self._spec.secret_params else value for value in values]
        return shown[0] if len(shown) == 1 else shown

    def _shown_header(self, name: str, value: str) -> str:
        """A header as `Call.headers` shows it: its value, a credential's redacted."""
        return REDACTED if name in self._spec.secret_headers or credential_like(name) else value

    def _next_answer(self, name: str) -> _Answer | None:
        queue = self._queued.get(name)
        if queue:
            answer = queue[0]
            if answer.left is not None:
                answer.left -= 1
                if answer.left <= 0:
                    queue.pop(0)
            return answer
        return self._standing.get(name)

    def _response(self, route: _Route, answer: _Answer | None, query: Mapping[str, list[str]]) -> httpx.Response:
        status = answer.status if answer is not None and answer.status is not None else int(route.op["success"])
        content_type, body = self._body(route, answer, status, query)
        headers = dict(answer.headers) if answer is not None else {}
        if body is None or content_type is None:
            return httpx.Response(status, headers=headers)
        payload = json.dumps(body).encode()
        return httpx.Response(status, content=payload, headers={"content-type": content_type, **headers})

    def _body(
        self, route: _Route, answer: _Answer | None, status: int, query: Mapping[str, list[str]]
    ) -> tuple[str | None, Any]:
        """(content type, body) of an answer: the one programmed, a page, the documented one, or a stand-in."""
        op = route.op
        documented = op["responses"].get(str(status)) or {}
        content_type = documented.get("content_type", "application/json")
        success = 200 <= status < 300
        if answer is not None and answer.body is not None:
            return content_type or "application/json", answer.body
        if route.pagination is not None and success:
            return content_type, self._page(route, query)
        if documented:
            return content_type, documented["body"]
        if success:  # a 2xx the operation does not document (202 for a 201): its documented success body
            return _content(op["responses"].get(str(op["success"])))
        if status >= 400:
            return self._error_body(status)
        return None, None

    def _error_body(self, status: int) -> tuple[str | None, Any]:
        """An error status the operation does not document: the body another documents for it, else a problem."""
        content_type, body = self._spec.any_body.get(str(status), (None, None))
        if body is None:
            return "application/problem+json", {
                "type": "about:blank",
                "title": httpx.codes.get_reason_phrase(status),
                "status": status,
            }
        return content_type, body

    # -- requests against the spec --------------------------------------------------------------------

    def _check(
        self,
        route: _Route,
        request: httpx.Request,
        path_params: Mapping[str, str],
        query: Mapping[str, list[str]],
        content: bytes,
    ) -> tuple[Any, list[str]]:
        """(the decoded JSON body, every problem of the request)."""
        op = route.op
        problems: list[str] = []
        cookies = _cookies(request.headers.get("cookie", ""))
        for param in op["parameters"]:
            problems += self._check_parameter(param, _sent(param, request, path_params, query, cookies))
        problems += self._check_credentials(op, request, query, cookies)
        body, body_problems = self._check_body(op, request, content)
        return body, problems + body_problems

    def _check_parameter(self, param: Mapping[str, Any], raw: list[str]) -> list[str]:
        """The problems of one parameter, given the texts sent for it (none: not sent)."""
        where = f"{param['in']} parameter {param['name']}"
        if not raw:
            return [f"{where}: is required"] if param["required"] else []
        validator = self._spec.validator
        kinds = validator.kinds(param["schema"])
        if kinds == {"object"}:
            return []  # an object spread into several parameters (deepObject): not read back here
        value = _parameter_value(validator, param, raw, kinds)
        return [f"{where}: {e}" for e in validator.errors(param["schema"], value, "")]

    def _check_credentials(
        self, op: Mapping[str, Any], request: httpx.Request, query: Mapping[str, list[str]], cookies: Mapping[str, str]
    ) -> list[str]:
        alternatives: list[list[str]] = op["security"]
        if not alternatives or any(not alternative for alternative in alternatives):
            return []

        def sent(scheme: str) -> bool:
            credential = self._spec.credentials.get(scheme)
            if credential is None:
                return True  # a scheme the SDK cannot send: not the code under test's fault
            name, location = credential["name"], credential["in"]
            if location == "header":
                return bool(request.headers.get(name))
            return bool(query.get(name) if location == "query" else cookies.get(name))

        if any(all(sent(scheme) for scheme in alternative) for alternative in alternatives):
            return []
        needed = " or ".join(
            " and ".join(self._spec.credentials.get(s, {}).get("name", s) for s in alternative)
            for alternative in alternatives
        )
        return [f"credentials: the operation needs {needed}"]

    def _check_body(self, op: Mapping[str, Any], request: httpx.Request, content: bytes) -> tuple[Any, list[str]]:
        spec_body: Mapping[str, Any] | None = op["body"]
        if not content:
            if spec_body is not None and spec_body["required"]:
                return None, ["request body: is required"]
            return None, []
        if spec_body is None:
            return None, ["request body: the operation takes none"]
        sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
        media_types: Mapping[str, Any] = spec_body["media_types"]
        schema = next((s for m, s in media_types.items() if _media_matches(m, sent)), None)
        if schema is None:
            return None, [f"request body: content type {sent or '(none)'!r} is not one of {sorted(media_types)}"]
        if not _is_json(sent):
            return None, []  # bytes or a form: the media type is all the spec says
        return self._check_json_body(content, schema)

    def _check_json_body(self, content: bytes, schema: Any) -> tuple[Any, list[str]]:
        """(the decoded body, its problems) of a JSON body."""
        try:
            body = json.loads(content)
        except (ValueError, RecursionError) as exc:
            return None, [f"request body: is not JSON ({exc})"]
        return body, [f"request body: {e}" for e in self._spec.validator.errors(schema, body, "")]

    # -- lists ----------------------------------------------------------------------------------------

    def _default_items(self, route: _Route) -> list[Any]:
        """The documented example's items, made up to DEFAULT_ITEMS with copies under new ids (made once)."""
        made = self._defaults.get(route.name)
        if made is not None:
            return made
        pagination = route.pagination
        assert pagination is not None
        documented = route.op["responses"].get(str(route.op["success"])) or {}
        found = _get(documented.get("body"), pagination["items"])
        items = _padded(list(found) if isinstance(found, list) and found else [{}])
        self._defaults[route.name] = items
        return items

    def _page(self, route: _Route, query: Mapping[str, list[str]]) -> Any:
        """One page of the operation's items, as the request asks for it, in the operation's own paging style."""
        pagination = route.pagination
        assert pagination is not None
        with self._lock:
            items = self._items.get(route.name)
        if items is None:
            items = self._default_items(route)
        ask = _PageAsk(items, pagination, query)
        # The documented page with its paging members replaced (copied along their paths, never changed).
        page = route.op["responses"][str(route.op["success"])]["body"]
        chunk, page = _PAGERS.get(pagination["kind"], _numbered_page)(ask, page if isinstance(page, dict) else {})
        return _with(page, pagination["items"], chunk)


@dataclass(frozen=True)
class _PageAsk:
    """What a list request asks of the items: where to start and how many, in its operation's paging style."""

    items: list[Any]
    pagination: Mapping[str, Any]
    query: Mapping[str, list[str]]

    def given(self, name: str | None) -> str | None:
        """The query parameter's text (the first, sent more than once); None: not sent, or the style has none."""
        values = self.query.get(name) if name else None
        return values[0] if values else None

    @property
    def size(self) -> int:
        return _int(self.given(self.pagination["size"])) or self.pagination["default_size"] or DEFAULT_PAGE_SIZE

    @property
    def cursor(self) -> str | None:
        return self.given(self.pagination["cursor"])


# Each paging style's page: (the items on it, the documented page with its paging members set).
def _cursor_page(ask: _PageAsk, page: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    items, size, cursor = ask.items, ask.size, ask.cursor
    ids = [str(item.get("id")) if isinstance(item, dict) else None for item in items]
    before = ask.given(ask.pagination["reverse_cursor"])
    if before is not None:
        end = _index(ids, before, default=len(items))
        return items[max(0, end - size) : end], page
    start = _index(ids, cursor, default=len(items) - 1) + 1 if cursor is not None else 0
    return items[start : start + size], page


def _offset_page(ask: _PageAsk, page: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    start = _int(ask.cursor) or 0
    return ask.items[start : start + ask.size], _with(page, ask.pagination.get("total"), len(ask.items))


def _token_page(ask: _PageAsk, page: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    items, size, cursor = ask.items, ask.size, ask.cursor
    # A cursor this fake did not hand out names no place in the list: an empty last page.
    token = _int(cursor.removeprefix("fake-cursor-")) if cursor else 0
    start = token if token is not None else len(items)
    more = start + size < len(items)
    page = _with(page, ask.pagination.get("has_more"), more)
    page = _with(page, ask.pagination.get("next_cursor"), f"fake-cursor-{start + size}" if more else None)
    return items[start : start + size], page


def _numbered_page(ask: _PageAsk, page: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    items, size = ask.items, ask.size
    number = _int(ask.cursor) or 1
    pages = max(1, math.ceil(len(items) / size))
    return items[(number - 1) * size : number * size], _with(page, ask.pagination.get("pages"), pages)


_PAGERS: Final[dict[str, Callable[[_PageAsk, dict[str, Any]], tuple[list[Any], dict[str, Any]]]]] = {
    "cursor": _cursor_page,
    "offset": _offset_page,
    "token": _token_page,
}


def _padded(items: list[Any]) -> list[Any]:
    """A list's example items, made up to DEFAULT_ITEMS with copies of the first under new ids."""
    taken = {str(item.get("id")) for item in items if isinstance(item, dict)}
    while len(items) < DEFAULT_ITEMS:
        copied = items[0]
        if isinstance(copied, dict) and "id" in copied:
            copied = {**copied, "id": _another_id(copied["id"], len(items) + 1, taken)}
            taken.add(str(copied["id"]))
        items.append(copied)
    return items


def _filled_in(given: list[Any], *, template: Any) -> list[Any]:
    """Items set by a test, each filled in from the documented example item (an id of its own included)."""
    taken = {str(item["id"]) for item in given if "id" in item}
    filled = []
    for number, item in enumerate(given, 1):
        if isinstance(template, dict) and "id" in template and "id" not in item:
            # An item without an id gets one of its own: a cursor names an item by its id.
            item = {**item, "id": _another_id(template["id"], number, taken)}
            taken.add(str(item["id"]))
        filled.append({**template, **item} if isinstance(template, dict) else item)
    return filled


def _query_of(request: httpx.Request) -> dict[str, list[str]]:
    """Each query parameter's texts, in the order sent."""
    query: dict[str, list[str]] = {}
    for name, value in request.url.params.multi_items():
        query.setdefault(name, []).append(value)
    return query


def _sent(
    param: Mapping[str, Any],
    request: httpx.Request,
    path_params: Mapping[str, str],
    query: Mapping[str, list[str]],
    cookies: Mapping[str, str],
) -> list[str]:
    """The texts the request sent for a parameter, wherever it goes (empty: not sent)."""
    name, location = param["name"], param["in"]
    if location == "path":
        return [path_params[name]] if name in path_params else []
    if location == "query":
        return query.get(name, [])
    if location == "header":
        return [v for k, v in request.headers.multi_items() if k.lower() == name.lower()]
    return [cookies[name]] if name in cookies else []


def _parameter_value(validator: Validator, param: Mapping[str, Any], raw: list[str], kinds: set[str]) -> Any:
    """A parameter's text read as the JSON value its schema describes (what the validator checks)."""
    if "array" in kinds:
        texts = raw if param["explode"] or len(raw) > 1 else raw[0].split(",")
        item_kinds = validator.kinds(validator.item_schema(param["schema"]))
        return [_scalar(text, item_kinds) for text in texts]
    if len(raw) > 1:
        return [_scalar(text, kinds) for text in raw]  # sent more than once: not the one value the spec says
    return _scalar(raw[0], kinds)


def _scalar(text: str, kinds: set[str]) -> Any:
    if "integer" in kinds and re.fullmatch(r"-?\d+", text):
        return int(text)
    number = _number_in(text) if "number" in kinds else None
    if number is not None:
        return number
    if "boolean" in kinds and text in ("true", "false"):
        return text == "true"
    if "null" in kinds and text == "" and "string" not in kinds:
        return None
    return text


def _number_in(text: str) -> float | None:
    """The finite number a text spells (an int when it has no fraction); None: none."""
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if re.fullmatch(r"-?\d+", text) else number


def _content(documented: Mapping[str, Any] | None) -> tuple[str | None, Any]:
    """(content type, body) of a documented answer ((None, None) without one)."""
    if not documented:
        return None, None
    return documented["content_type"], documented["body"]


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _media_matches(documented: str, sent: str) -> bool:
    documented = documented.lower()
    if documented in ("*/*", sent):
        return True
    return documented.endswith("/*") and sent.startswith(documented[:-1])


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def _get(value: Any, path: Sequence[str]) -> Any:
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _with(value: dict[str, Any], path: Sequence[str] | None, new: Any) -> dict[str, Any]:
    """`value` with the member at `path` (JSON names) set: the objects on the way are copies (or new)."""
    if not path:
        return value
    inner = value.get(path[0])
    rest = _with(inner if isinstance(inner, dict) else {}, path[1:], new) if len(path) > 1 else new
    return {**value, path[0]: rest}


def _int(text: str | None) -> int | None:
    if text is None or not re.fullmatch(r"\d+", text):
        return None
    return int(text)


def _index(ids: Sequence[str | None], cursor: str | None, *, default: int) -> int:
    """Where the item whose id the cursor names is (as text: the cursor "7" names the id 7)."""
    return ids.index(cursor) if cursor is not None and cursor in ids else default


_UUID: Final = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _another_id(value: Any, number: int, taken: set[str]) -> Any:
    """An id like `value` (a UUID stays a UUID, a number a number) that no item has yet."""
    for attempt in range(number, number + 1000):
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            candidate: Any = value + attempt
        elif isinstance(value, str) and _UUID.match(value):
            candidate = f"{value[:-4]}{attempt % 0x10000:04x}"
        else:
            candidate = f"{value}-{attempt}"
        if str(candidate) not in taken:
            return candidate
    return value


# -- the fake clients ---------------------------------------------------------------------------------------


class FakeClient:
    """What a fake client adds to the real one: `Fake<Client>` is this (sync or async) before the client class."""

    _fake: FakeAPI

    def __init__(
        self,
        *,
        base_url: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        strict_response_validation: bool = False,
        fake_api: FakeAPI | None = None,
    ) -> None:
        """A client of a new fake of the API (or of `fake_api`, which another fake client may share): a
        placeholder for every key, the fake as its transport."""
        fake = fake_api if fake_api is not None else FakeAPI()
        if base_url is not None:
            fake.base_path = urlsplit(base_url).path.rstrip("/")
        options: dict[str, Any] = {
            **{c.parameter: f"fake-{c.parameter.replace('_', '-')}" for c in _credentials_of(self)},
            "base_url": base_url or fake.base_url,
            "max_retries": max_retries,
            "default_headers": default_headers,
            "strict_response_validation": strict_response_validation,
            **self._transport_options(fake),
        }
        # The real client's constructor (next in the method resolution order of Fake<Client>).
        super().__init__(**options)
        self._fake = fake

    @staticmethod
    def _transport_options(fake: FakeAPI) -> dict[str, Any]:
        raise NotImplementedError  # SyncFakeClient and AsyncFakeClient say which httpx client and sleep

    @property
    def fake_api(self) -> FakeAPI:
        """The fake answering this client (pass it as `fake_api=` to a sync and an async client to share it)."""
        return self._fake

    @property
    def calls(self) -> list[Call]:
        """Every request the client sent, in order (see `Call`)."""
        return self._fake.calls

    def respond(
        self,
        operation: str,
        *,
        status: int | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int | None = None,
    ) -> None:
        """Program the next answers of `operation` (`"orders.retrieve"`); see `FakeAPI.respond`."""
        self._fake.respond(operation, status=status, json=json, headers=headers, times=times)

    def set_items(self, operation: str, items: Sequence[Any]) -> None:
        """The items a list operation pages through from now on; see `FakeAPI.set_items`."""
        self._fake.set_items(operation, items)

    def reset(self) -> None:
        """Forget the calls, programmed answers and items: every operation answers its example again."""
        self._fake.reset()


def _credentials_of(client: object) -> tuple[Credential, ...]:
    """The security schemes of the real client class a fake client derives from (its `_credentials`)."""
    credentials: tuple[Credential, ...] = getattr(client, "_credentials", ())
    return credentials


def _no_sleep(seconds: float) -> None:
    """Retries run for real, without the wait."""


async def _no_async_sleep(seconds: float) -> None:
    """Retries run for real, without the wait."""


class SyncFakeClient(FakeClient):
    """The blocking client's half of a fake client: an `httpx.Client` whose transport is the fake."""

    @staticmethod
    def _transport_options(fake: FakeAPI) -> dict[str, Any]:
        return {"http_client": httpx.Client(transport=fake.transport), "_sleep": _no_sleep}


class AsyncFakeClient(FakeClient):
    """The asyncio client's half of a fake client: an `httpx.AsyncClient` whose transport is the fake."""

    @staticmethod
    def _transport_options(fake: FakeAPI) -> dict[str, Any]:
        return {"http_client": httpx.AsyncClient(transport=fake.transport), "_sleep": _no_async_sleep}
