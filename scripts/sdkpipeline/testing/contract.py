"""Contract checks of the generated SDKs: fixture coverage, SDK calls rebuilt from a recorded request,
parse and round-trip of response bodies, standalone JSON schemas of the spec's bodies.

A recorded request is read through the operation records the package ships (`_operations.json`: the runtime's
own `Operation` records, codegen/model.py OperationIndex): `read_request` matches each path, query, header and
cookie value and the body to the record's parameters, and from that one reading come both the generated
function's arguments and the public client's resource method call (`ResourceCall`: the resource attribute, the
method, path parameters positional, the rest by keyword, a body's fields as one keyword each). Nothing in it
names an API's parameters.

Used by tests/contract (replay, spec validation, Prism, property-based round-trips) and, as
`python -m sdkpipeline.contract`, to print the coverage report or to check a directory of captured
response bodies (`--extra-fixtures DIR`, one line of result per file).

Fixtures are vcrpy cassettes: tests/contract/fixtures/<api>/<operationId>__<case>.yaml, one interaction
each, with the case's source in the cassette's `metadata` (see recorder.py). A case starting with a
three-digit status is an error case with that status, as in the vendors' example folders.
"""

from __future__ import annotations

import copy
import enum
import functools
import importlib
import inspect
import io
import json
import re
import sys
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from ..codegen import identifiers
from ..codegen.model import Credential, OperationIndex, resource_attribute
from ..codegen.records import BodyShape, Operation, Param
from ..errors import PipelineError
from ..normalize.walk import operations as spec_operations
from ..spec.pointer import deref, escape, is_local_ref, pointer
from ..spec.registry import Api, load_registry
from ..spec.repo import Repo
from ..spec.statuses import is_success
from ..spec.yamlio import Document, load_document

# Keys used for every recording against the mock server and every replay: obviously fake, and
# scrubbed from the fixtures all the same.
FAKE_BEARER = "sk_test_contract_FAKE_KEY_0000"
SCRUBBED = "<scrubbed>"
# How deep a $ref may recur into itself when a schema is inlined into a standalone JSON schema.
REF_DEPTH_LIMIT = 3
# OpenAPI keywords that are not JSON Schema validation keywords (or that hypothesis-jsonschema
# does not know): dropped from standalone schemas.
_OPENAPI_ONLY = {"discriminator", "xml", "externalDocs", "example", "deprecated", "readOnly", "writeOnly"}
_STATUS_CASE = re.compile(r"^(?P<status>[1-5]\d\d)(?:_|$)")


@dataclass(frozen=True)
class Response:
    """One documented response of an operation."""

    status: int
    media_type: str | None
    schema: dict[str, Any] | None
    examples: tuple[tuple[str, str, Any], ...]  # (name, JSON pointer, body)


@dataclass(frozen=True)
class SpecOperation:
    """An operation's record as the package ships it (`_operations.json`), with what the normalized spec documents
    about it: its node and its responses (with their examples)."""

    api: Api
    record: Operation
    spec: dict[str, Any] = field(repr=False, compare=False, hash=False)
    responses: dict[int, Response] = field(repr=False, compare=False, hash=False)

    @property
    def request_content_types(self) -> tuple[str, ...]:
        """The media types the spec documents for the request body."""
        body = resolve(normalized_spec(self.api.name), self.spec.get("requestBody")) or {}
        return tuple(str(m) for m in body.get("content") or {})

    @property
    def success_status(self) -> int:
        return min(s for s in self.responses if is_success(s))

    @property
    def module(self) -> Any:
        """The generated endpoint module (the function-per-operation layer)."""
        return importlib.import_module(f"{self.api.package}.{self.record.endpoint}")

    @property
    def pointer(self) -> str:
        return pointer("paths", self.record.path, self.record.method.lower())

    def params(self, *locations: str) -> tuple[Param, ...]:
        """The record's parameters sent in these places (path, query, header, cookie), in order."""
        return tuple(p for p in self.record.params if p.location in locations)


def registry() -> dict[str, Api]:
    return load_registry(Repo.default())


@cache
def normalized_spec(api_name: str) -> Document:
    return load_document(registry()[api_name].normalized_spec)


@cache
def raw_spec(api_name: str) -> Document:
    return load_document(registry()[api_name].spec)


def resolve(doc: Document, node: Any) -> Any:
    """Follow local `$ref`s (siblings of a reference are dropped) until a non-reference node."""
    if isinstance(node, dict) and "$ref" in node and not is_local_ref(node["$ref"]):
        raise PipelineError(f"only local references are supported, not {node['$ref']}")
    try:
        return deref(doc, node)
    except ValueError as exc:
        raise PipelineError(f"{exc} at {node.get('$ref')}") from None


@cache
def load_index(api_name: str) -> OperationIndex:
    """The operation records and credentials of an API as its package ships them (`_operations.json`)."""
    api = registry()[api_name]
    index_file = api.output_dir / api.package / "_operations.json"
    try:
        return OperationIndex.from_json(json.loads(index_file.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PipelineError(f"cannot read the operation index: {exc}", file=index_file) from None


@cache
def load_operations(api_name: str) -> dict[str, SpecOperation]:
    """Every operation of an API, keyed by operationId, in index order."""
    api = registry()[api_name]
    index = load_index(api_name).operations
    doc = normalized_spec(api_name)
    ops = {str(op["operationId"]): (path, method, op) for path, method, op in spec_operations(doc)}
    out: dict[str, SpecOperation] = {}
    for entry in index:
        path, method, op = ops[entry.operation_id]
        responses: dict[int, Response] = {}
        for status, response in (op.get("responses") or {}).items():
            if str(status).isdigit():
                where = pointer("paths", path, method, "responses", str(status))
                responses[int(status)] = _response(doc, int(status), response, where=where)
        out[entry.operation_id] = SpecOperation(api=api, record=entry, spec=op, responses=responses)
    return out


def _response(doc: dict[str, Any], status: int, response: Mapping[str, Any], *, where: str) -> Response:
    """One documented response (a `$ref` followed): its first media type, schema and examples."""
    if "$ref" in response:
        where = str(response["$ref"])[1:]
        response = resolve(doc, response)
    content = response.get("content") or {}
    media = next(iter(content), None)
    if not media:
        return Response(status, media, None, ())
    body = content[media]
    return Response(status, media, body.get("schema"), tuple(_examples(doc, body, f"{where}/content/{escape(media)}")))


def _examples(doc: dict[str, Any], body: Mapping[str, Any], where: str) -> Iterator[tuple[str, str, Any]]:
    """(name, JSON pointer, value) of each example of a media type: its `example`, then each of its `examples`."""
    if "example" in body:
        yield "example", f"{where}/example", body["example"]
    for name, ex in (body.get("examples") or {}).items():
        ex = resolve(doc, ex)
        if isinstance(ex, dict) and "value" in ex:
            yield str(name), f"{where}/examples/{escape(name)}", ex["value"]


def find_operation(operation_id: str, *, apis: Sequence[str] | None = None) -> SpecOperation:
    """The operation with this operationId in any API of the registry (operationIds must not clash)."""
    found = [
        load_operations(name)[operation_id] for name in (apis or registry()) if operation_id in load_operations(name)
    ]
    if not found:
        raise PipelineError(f"no API has an operation {operation_id!r}")
    if len(found) > 1:
        raise PipelineError(f"{operation_id!r} is an operation of more than one API: {[o.api.name for o in found]}")
    return found[0]


def server_url(api_name: str) -> str:
    """The spec's first server URL: the base of every fixture's request URI."""
    servers = normalized_spec(api_name).get("servers") or [{"url": "https://api.invalid"}]
    return str(servers[0]["url"]).rstrip("/")


# --- fixtures and coverage -----------------------------------------------------------------------


def split_name(stem: str) -> tuple[str, str]:
    """`<operationId>__<case>` → (operationId, case)."""
    if "__" not in stem:
        raise PipelineError(f"{stem!r} is not named <operationId>__<case>")
    operation_id, case = stem.split("__", 1)
    return operation_id, case


def case_status(operation: SpecOperation, case: str) -> int | None:
    """The status a case is about: its three-digit prefix, the success status, or None for a request body."""
    if case.startswith("request_"):
        return None
    match = _STATUS_CASE.match(case)
    return int(match["status"]) if match else operation.success_status


def fixture_paths(api_name: str, directory: Path | None = None) -> list[Path]:
    """The recorded fixtures of one API (tests/contract/fixtures/<api>/ unless another root is given)."""
    root = directory or registry()[api_name].repo.fixtures
    return sorted((root / api_name).glob("*__*.yaml"))


@dataclass
class Coverage:
    """Which operations of one API have fixtures, and which cases each has."""

    api: str
    total: int
    cases: dict[str, list[str]]  # operationId → case names (every operation is a key)
    unknown: list[str]  # fixture files naming no operation of the API

    @property
    def with_fixtures(self) -> int:
        return sum(1 for cases in self.cases.values() if cases)

    def missing(self) -> list[str]:
        """Operations lacking a success case or an error case."""
        ops = load_operations(self.api)
        out = []
        for op_id, cases in self.cases.items():
            statuses = {case_status(ops[op_id], c) for c in cases}
            if not any(s is not None and is_success(s) for s in statuses):
                out.append(f"{op_id}: no success case")
            if not any(s is not None and s >= 400 for s in statuses):
                out.append(f"{op_id}: no error case")
        return out


def coverage(api_name: str, directory: Path | None = None) -> Coverage:
    ops = load_operations(api_name)
    cases: dict[str, list[str]] = {op_id: [] for op_id in ops}
    unknown: list[str] = []
    for path in fixture_paths(api_name, directory):
        op_id, case = split_name(path.stem)
        if op_id in cases:
            cases[op_id].append(case)
        else:
            unknown.append(path.name)
    return Coverage(api=api_name, total=len(ops), cases=cases, unknown=unknown)


def format_coverage(report: Coverage) -> list[str]:
    """The per-API coverage block: operations with fixtures / total, then the cases of each operation."""
    percent = 100.0 * report.with_fixtures / report.total if report.total else 0.0
    ops = load_operations(report.api)
    lines = [f"{report.api}: {report.with_fixtures}/{report.total} operations with fixtures ({percent:.0f}%)"]
    for op_id, cases in report.cases.items():
        statuses = sorted({str(case_status(ops[op_id], c)) for c in cases})
        lines.append(f"  {op_id:<58} {len(cases):>2} case(s)  statuses {','.join(statuses) or '-'}")
    for problem in report.missing():
        lines.append(f"  MISSING {problem}")
    for name in report.unknown:
        lines.append(f"  UNKNOWN fixture {name} names no operation of {report.api}")
    return lines


# --- credentials and clients ---------------------------------------------------------------------


def fake_key(credential: Credential) -> str:
    """An obviously fake key for one credential of the model (never a real key's shape)."""
    return FAKE_BEARER if credential.style == "bearer" else f"fake-{credential.name}-0000"


def fake_keys(api_name: str) -> dict[str, str]:
    """The public client's key arguments (`api_key=`, `public_key=`, ...), every one a fake key."""
    return {c.parameter: fake_key(c) for c in load_index(api_name).credentials}


def fake_credentials(operation: SpecOperation) -> dict[str, str]:
    """The headers that carry fake keys for every scheme the operation's security names (function layer)."""
    by_scheme = {c.scheme: c for c in load_index(operation.api.name).credentials}
    out: dict[str, str] = {}
    for requirement in operation.record.security:
        for name in requirement:
            credential = by_scheme.get(name)
            if credential is None:
                raise PipelineError(
                    f"{operation.record.operation_id}: security scheme {name!r} is no credential of the model"
                )
            if credential.style not in ("bearer", "header"):
                raise PipelineError(
                    f"{operation.record.operation_id}: the function layer's client takes headers only, "
                    f"not a {credential.style} credential ({credential.name})"
                )
            out[credential.name] = credential.prefix + fake_key(credential)
    return out


def secret_header_names(api_name: str) -> set[str]:
    """Lower-cased names of every header that carries a credential in this API (plus the usual ones)."""
    names = {"authorization", "proxy-authorization", "cookie", "set-cookie"}
    return names | {c.name.lower() for c in load_index(api_name).credentials if c.style in ("bearer", "header")}


def make_client(operation: SpecOperation, base_url: str, *, headers: Mapping[str, str] | None = None) -> Any:
    """A generated function-layer `Client` for the base URL that sends the given headers (credentials included)."""
    package = importlib.import_module(f"{operation.api.package}.client")
    return package.Client(base_url=base_url, headers=dict(headers or {}), raise_on_unexpected_status=True)


def sdk_client(api_name: str, base_url: str, *, asynchronous: bool = False, **options: Any) -> Any:
    """The public client (`CNaught`, `AsyncFungies`, ...) for the base URL, holding a fake key for every credential."""
    api = registry()[api_name]
    package = importlib.import_module(api.package)
    name = f"Async{api.client_class}" if asynchronous else api.client_class
    return getattr(package, name)(base_url=base_url, **fake_keys(api_name), **options)


# --- a recorded request read through the SDK model ------------------------------------------------


def _parameters(operation: SpecOperation) -> list[dict[str, Any]]:
    doc = normalized_spec(operation.api.name)
    item = doc["paths"][operation.record.path]
    return [resolve(doc, p) for p in [*(item.get("parameters") or []), *(operation.spec.get("parameters") or [])]]


def _hints(operation: SpecOperation) -> dict[str, Any]:
    return typing.get_type_hints(operation.module._get_kwargs)


def convert(annotation: Any, raw: Sequence[str]) -> Any:
    """A query, path or header value (its raw strings) as the Python value the generated function takes."""
    options = list(typing.get_args(annotation)) if _is_union(annotation) else [annotation]
    errors: list[str] = []
    for option in options:
        if getattr(option, "__name__", "") == "Unset" or option is type(None):
            continue
        try:
            if typing.get_origin(option) is list:
                (item,) = typing.get_args(option)
                return [convert(item, [value]) for value in raw]
            return _scalar(option, raw[-1])
        except (ValueError, TypeError, KeyError) as exc:
            errors.append(f"{option}: {exc}")
    raise ValueError(f"cannot read {list(raw)} as {annotation}: {'; '.join(errors)}")


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _scalar(kind: Any, value: str) -> Any:
    read = _SCALAR_READERS.get(kind)
    if read is not None:
        return read(value)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    raise TypeError(f"unsupported parameter type {kind}")


def _boolean(value: str) -> bool:
    if value not in ("true", "false"):
        raise ValueError(f"not a boolean: {value}")
    return value == "true"


# How a parameter's text reads as each scalar type a generated function takes.
_SCALAR_READERS: dict[Any, Callable[[str], Any]] = {
    str: str,
    bool: _boolean,
    int: int,
    float: float,
    uuid.UUID: uuid.UUID,
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
}


@dataclass(frozen=True)
class RecordedCall:
    """A recorded request read through the SDK model: the value of each parameter it carries, and its body."""

    operation: SpecOperation
    path: tuple[tuple[Param, Any], ...]  # every path parameter, in the model's (the method's positional) order
    params: tuple[tuple[Param, Any], ...]  # the query, header and cookie parameters the request carries
    body: Any = None  # the request body model, File or JSON value (see `request_body`)
    has_body: bool = False

    def function_arguments(self) -> dict[str, Any]:
        """The generated function's arguments (`sync_detailed(client=..., **these)`)."""
        out = {param.argument: value for param, value in (*self.path, *self.params)}
        if self.has_body:
            out["body"] = self.body
        return out

    def resource_call(self) -> ResourceCall:
        """The public client's resource method call that sends the same request."""
        kwargs = {param.keyword: value for param, value in self.params}
        if self.has_body:
            kwargs.update(self._body_keywords())
        return ResourceCall(self.operation, tuple(value for _, value in self.path), kwargs)

    def _body_keywords(self) -> dict[str, Any]:
        record = self.operation.record
        assert record.body is not None  # has_body is only set for an operation the record gives a body
        if not record.body.shapes:
            return {self._body_keyword(): self.body}
        # A body of several shapes (an order by amount or by price) takes the keywords of the one it reads as.
        shape = next((s for s in record.body.shapes if s.name == type(self.body).__name__), None)
        if shape is None:
            raise PipelineError(
                f"{record.operation_id}: the method builds a {' or '.join(s.name for s in record.body.shapes)} "
                f"from its keywords, but the recorded body reads as {type(self.body).__name__}"
            )
        unexpressed = sorted(getattr(self.body, "additional_properties", None) or {})
        if unexpressed:
            raise PipelineError(
                f"{record.operation_id}: {record.qualified_name}() takes the body's fields as keywords, "
                f"and none of them sends the recorded field(s) {unexpressed}"
            )
        return self._shape_keywords(shape)

    def _body_keyword(self) -> str:
        """The keyword a body passed whole takes (`body`)."""
        record = self.operation.record
        keyword = next((p.keyword for p in record.params if p.location == "body"), None)
        if keyword is None:
            raise PipelineError(f"{record.operation_id}: the record takes a body but names no keyword for it")
        return keyword

    def _shape_keywords(self, shape: BodyShape) -> dict[str, Any]:
        """The keywords of one body shape that send the recorded body's fields."""
        record = self.operation.record
        assert record.body is not None
        keywords: dict[str, Any] = {}
        present = self.body.model_fields_set
        for field_ in (f for f in record.body.fields if f.keyword in shape.fields):
            if not hasattr(self.body, field_.argument):
                raise PipelineError(
                    f"{record.operation_id}: body field {field_.wire_name!r} (keyword {field_.keyword!r}) "
                    f"is no attribute {field_.argument!r} of {shape.name}"
                )
            # The fields the recorded body has (null ones too): a keyword not passed sends nothing.
            if field_.argument in present:
                keywords[field_.keyword] = getattr(self.body, field_.argument)
        return keywords


@dataclass(frozen=True)
class ResourceCall:
    """A call of a public client's resource method (`client.orders.cancel(id, ...)`) that sends one recorded request."""

    operation: SpecOperation
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any]

    @property
    def attribute(self) -> str:
        """The client attribute the operation's resource is reached by."""
        return resource_attribute(self.operation.record.resource)

    @property
    def method_name(self) -> str:
        return identifiers.method_name(self.operation.record.name)

    def __str__(self) -> str:
        arguments = [*(repr(a) for a in self.args), *(f"{k}={v!r}" for k, v in self.kwargs.items())]
        return f"{self.attribute}.{self.method_name}({', '.join(arguments)})"

    def method(self, client: Any) -> Callable[[], Any]:
        """The bound call on this client; refuses arguments the method's signature does not take."""
        where = f"{self.operation.record.operation_id}: {type(client).__name__}.{self.attribute}.{self.method_name}"
        resource = getattr(client, self.attribute, None)
        method = getattr(resource, self.method_name, None) if resource is not None else None
        if method is None:
            raise PipelineError(f"{where} does not exist, but the SDK model names it")
        try:
            inspect.signature(method).bind(*self.args, **self.kwargs)
        except TypeError as exc:
            raise PipelineError(f"{where} cannot take the arguments the model gives it ({self}): {exc}") from None
        return functools.partial(method, *self.args, **self.kwargs)

    def __call__(self, client: Any) -> Any:
        """Call it: the method's result (a coroutine or an AsyncPaginator on an async client)."""
        return self.method(client)()


def read_request(
    operation: SpecOperation,
    *,
    uri: str,
    body: bytes | None,
    content_type: str | None,
    base_url: str,
    headers: Mapping[str, str | Sequence[str]] | None = None,
) -> RecordedCall:
    """The recorded request's parameter values and body, each matched to its parameter in the SDK model.

    A query parameter the model does not know, a required parameter the request lacks, or a body the model
    has no place for fails naming the operation and the parameter.
    """
    record = operation.record
    hints = _hints(operation)
    parts = urlsplit(uri)
    path = _path_arguments(operation, hints, parts.path, base_url)
    params = [*_query(operation, hints, parts.query), *_headers(operation, hints, headers or {})]
    _refuse_missing(operation, given={p.keyword for p, _ in params})
    if body:
        if record.body is None:
            raise PipelineError(f"{record.operation_id}: the request carries a body, but the record gives it none")
        return RecordedCall(operation, path, tuple(params), request_body(operation, body, content_type), True)
    if record.body is not None and record.body.required:
        raise PipelineError(f"{record.operation_id}: the record requires a body, but the request has none")
    return RecordedCall(operation, path, tuple(params))


def _path_arguments(
    operation: SpecOperation, hints: Mapping[str, Any], uri_path: str, base_url: str
) -> tuple[tuple[Param, Any], ...]:
    """Each path parameter of the record with its value in the request's path."""
    record = operation.record
    path_values = _path_values(operation, uri_path, base_url)
    by_wire = {p.wire_name: p for p in operation.params("path")}
    unknown = sorted(set(path_values) - set(by_wire))
    if unknown or len(path_values) != len(by_wire):
        raise PipelineError(f"{record.operation_id}: the path {record.path} and the record's path parameters differ")
    return tuple((p, _value(operation, hints, p, [path_values[p.wire_name]])) for p in operation.params("path"))


def _refuse_missing(operation: SpecOperation, *, given: set[str]) -> None:
    """An error naming each required query, header or cookie parameter the recorded request has no value for."""
    missing = [p for p in operation.params("query", "header", "cookie") if p.required and p.keyword not in given]
    if missing:
        names = ", ".join(f"{p.keyword} ({p.location} {p.wire_name!r})" for p in missing)
        raise PipelineError(
            f"{operation.record.operation_id}: the recorded request has no value for the required {names}"
        )


def _path_values(operation: SpecOperation, uri_path: str, base_url: str) -> dict[str, str]:
    base_path = urlsplit(base_url).path.rstrip("/")
    path = uri_path[len(base_path) :] if uri_path.startswith(base_path) else uri_path
    names = re.findall(r"\{([^}]+)\}", operation.record.path)
    match = _template_pattern(operation.record.path).match(path)
    if match is None:
        record = operation.record
        raise PipelineError(f"{record.operation_id}: {uri_path} does not match {record.method} {record.path}")
    return {name: unquote(value) for name, value in zip(names, match.groups(), strict=True)}


def _template_pattern(template: str) -> re.Pattern[str]:
    # Path parameter names may not be valid group names (dots, dashes): groups are positional.
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$")


def _value(operation: SpecOperation, hints: Mapping[str, Any], param: Param, raw: Sequence[str]) -> Any:
    if param.argument not in hints:
        raise PipelineError(
            f"{operation.record.operation_id}: the record's {param.location} parameter {param.wire_name!r} fills "
            f"{param.argument!r}, which {operation.module.__name__}._get_kwargs does not take"
        )
    try:
        return convert(hints[param.argument], raw)
    except ValueError as exc:
        raise PipelineError(
            f"{operation.record.operation_id}: {param.location} parameter {param.wire_name!r}: {exc}"
        ) from None


def _query(operation: SpecOperation, hints: Mapping[str, Any], query: str) -> list[tuple[Param, Any]]:
    credentials = {c.name for c in load_index(operation.api.name).credentials if c.style == "query"}
    by_wire = {p.wire_name: p for p in operation.params("query")}
    raw: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        raw.setdefault(key, []).append(value)
    out: list[tuple[Param, Any]] = []
    for key, values in raw.items():
        if key in credentials:
            continue  # a key the client sends itself
        if key not in by_wire:
            raise PipelineError(
                f"{operation.record.operation_id}: the request's query parameter {key!r} is none of the model's "
                f"({', '.join(sorted(by_wire)) or 'none'})"
            )
        out.append((by_wire[key], _value(operation, hints, by_wire[key], values)))
    return out


def _headers(
    operation: SpecOperation, hints: Mapping[str, Any], headers: Mapping[str, str | Sequence[str]]
) -> list[tuple[Param, Any]]:
    """Header and cookie parameters the request carries (credential and transport headers are the client's own)."""
    lowered = {k.lower(): [v] if isinstance(v, str) else list(v) for k, v in headers.items()}
    out: list[tuple[Param, Any]] = []
    for param in operation.params("header"):
        values = lowered.get(param.wire_name.lower())
        if values:
            out.append((param, _value(operation, hints, param, values)))
    cookies = SimpleCookie()
    for line in lowered.get("cookie", []):
        cookies.load(line)
    for param in operation.params("cookie"):
        if param.wire_name in cookies:
            out.append((param, _value(operation, hints, param, [cookies[param.wire_name].value])))
    return out


def call_arguments(
    operation: SpecOperation,
    *,
    uri: str,
    body: bytes | None,
    content_type: str | None,
    base_url: str,
    headers: Mapping[str, str | Sequence[str]] | None = None,
) -> dict[str, Any]:
    """The generated function's arguments that make it send this request (path, query, headers, body)."""
    recorded = read_request(
        operation, uri=uri, body=body, content_type=content_type, base_url=base_url, headers=headers
    )
    return recorded.function_arguments()


def operation_at(api_name: str, method: str, path: str) -> SpecOperation | None:
    """The operation a request line (method, path without the server's base path) is routed to, if any.

    Where templates overlap (`/orders/ride` and `/orders/{id}`) the one with fewer parameters wins, as in
    any router.
    """
    candidates = [
        op
        for op in load_operations(api_name).values()
        if op.record.method == method.upper() and _template_pattern(op.record.path).match(path.split("?", 1)[0])
    ]
    return min(candidates, key=lambda op: op.record.path.count("{"), default=None)


def request_body(operation: SpecOperation, body: bytes, content_type: str | None) -> Any:
    """The request body model (or File) that serialises to exactly these bytes."""
    hints = _hints(operation)
    candidates = [a for a in _options(hints["body"]) if getattr(a, "__name__", "") != "Unset"]
    file_type = next((c for c in candidates if getattr(c, "__name__", "") == "File"), None)
    if file_type is not None:
        mime = content_type if content_type and content_type != "application/octet-stream" else None
        return file_type(payload=io.BytesIO(body), mime_type=mime)
    return _body_model(operation, candidates, json.loads(body))


def _body_model(operation: SpecOperation, candidates: list[Any], data: Any) -> Any:
    """The first body model class whose `from_dict` of `data` gives `data` back by `to_dict()`."""
    problems = []
    for candidate in candidates:
        if not hasattr(candidate, "from_dict"):
            continue
        try:
            model = candidate.from_dict(copy.deepcopy(data))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(f"{candidate.__name__}: {exc!r}")
            continue
        if model.to_dict() == data:
            return model
        problems.append(f"{candidate.__name__}: to_dict() differs")
    raise PipelineError(f"{operation.record.operation_id}: no request model reproduces the body {data}: {problems}")


def request_models(operation: SpecOperation) -> list[Any]:
    """The request body model classes of an operation (none for a body-less or binary one)."""
    hints = _hints(operation)
    if "body" not in hints:
        return []
    return [a for a in _options(hints["body"]) if hasattr(a, "from_dict")]


def _options(annotation: Any) -> list[Any]:
    return list(typing.get_args(annotation)) if _is_union(annotation) else [annotation]


# --- parsing ------------------------------------------------------------------------------------


def parse_response(operation: SpecOperation, status: int, body: bytes, media_type: str | None) -> Any:
    """The SDK's parse of a response: the generated `_parse_response` of the operation."""
    headers = {"content-type": media_type} if media_type else {}
    response = httpx.Response(status, content=body, headers=headers)
    client = make_client(operation, server_url(operation.api.name))
    return operation.module._parse_response(client=client, response=response)


def serialise(parsed: Any) -> Any:
    """What a parsed response serialises back to (`to_dict()`, or the value itself for plain JSON)."""
    if hasattr(parsed, "to_dict"):
        return parsed.to_dict()
    if isinstance(parsed, list):
        return [serialise(item) for item in parsed]
    return parsed


def is_model(operation: SpecOperation, parsed: Any) -> bool:
    return type(parsed).__module__.startswith(f"{operation.api.package}.models")


# --- standalone JSON schemas ----------------------------------------------------------------------


def standalone_schema(doc: Document, schema: Any, *, depth_limit: int = REF_DEPTH_LIMIT) -> Any:
    """A JSON schema with every local `$ref` inlined and OpenAPI-only keywords dropped.

    A reference that recurs into itself more than `depth_limit` times becomes an unsatisfiable
    schema, so generators leave that optional branch out (a required recursive branch cannot be
    generated and says so).
    """

    def walk(node: Any, stack: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = str(node["$ref"])
            if stack.count(ref) >= depth_limit:
                return {"not": {}}
            target = walk(resolve(doc, {"$ref": ref}), (*stack, ref))
            siblings = {k: v for k, v in node.items() if k != "$ref" and k not in _OPENAPI_ONLY}
            siblings = {k: v for k, v in siblings.items() if k not in ("description", "summary", "title")}
            return {"allOf": [target], **walk(siblings, stack)} if siblings else target
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _OPENAPI_ONLY or key.startswith("x-"):
                continue
            if key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
                out[key] = {name: walk(sub, stack) for name, sub in value.items()}
            elif key in ("examples", "enum", "const", "default", "description", "title", "required"):
                out[key] = value
            else:
                out[key] = walk(value, stack)
        return out

    return walk(schema, ())


def request_schema(operation: SpecOperation) -> tuple[str | None, Any]:
    """(media type, standalone schema) of the operation's request body, or (None, None)."""
    body = operation.spec.get("requestBody")
    if not body:
        return None, None
    doc = normalized_spec(operation.api.name)
    content = resolve(doc, body).get("content") or {}
    media = next(iter(content), None)
    if media is None or "schema" not in content[media]:
        return media, None
    return media, standalone_schema(doc, content[media]["schema"])


# --- extra fixtures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtraResult:
    """The outcome for one captured body."""

    file: Path
    ok: bool
    message: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.file.name}: {self.message}"


def check_body_file(path: Path, *, apis: Sequence[str] | None = None) -> ExtraResult:
    """Parse and round-trip one `<operationId>__<case>.json` body with the SDK of its operation."""
    try:
        operation_id, case = split_name(path.stem)
        operation = find_operation(operation_id, apis=apis)
        raw = path.read_bytes()
        data = json.loads(raw)
    except (PipelineError, OSError, ValueError) as exc:
        return ExtraResult(path, False, str(exc))
    status = case_status(operation, case)
    try:
        if status is None:
            models = request_models(operation)
            if not models:
                return ExtraResult(path, False, f"{operation_id} takes no JSON request body")
            model = request_body(operation, raw, "application/json")
            return ExtraResult(path, True, f"request body → {type(model).__name__}, round-trips")
        response = operation.responses.get(status)
        if response is None:
            documented = ", ".join(str(s) for s in operation.responses)
            return ExtraResult(path, False, f"status {status} is not documented for {operation_id} ({documented})")
        parsed = parse_response(operation, status, raw, response.media_type)
    except Exception as exc:
        return ExtraResult(path, False, f"{operation_id} {status}: the SDK cannot parse it: {exc!r}")
    if parsed is None or not is_model(operation, parsed):
        return ExtraResult(path, False, f"{operation_id} {status}: parsed into {type(parsed).__name__}, not a model")
    again = serialise(parsed)
    if again != data:
        return ExtraResult(
            path, False, f"{status} → {type(parsed).__name__}, but to_dict() differs: {_diff(data, again)}"
        )
    return ExtraResult(path, True, f"{status} → {type(parsed).__name__}, round-trips")


def check_extra_fixtures(directory: Path, *, apis: Sequence[str] | None = None) -> list[ExtraResult]:
    """Every `*.json` body in a directory (not recursive), one result each."""
    if not directory.is_dir():
        raise PipelineError("no such directory of extra fixtures", file=directory)
    return [check_body_file(path, apis=apis) for path in sorted(directory.glob("*.json"))]


def _diff(expected: Any, actual: Any, where: str = "") -> str:
    """The first place two JSON values differ, as a JSON pointer and both values."""
    for place, left, right in _differences(expected, actual, where):
        return f"at {place or '/'}: expected {json.dumps(left)[:120]}, got {json.dumps(right, default=str)[:120]}"
    return "no difference"


def _differences(expected: Any, actual: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            left, right = expected.get(key, "<absent>"), actual.get(key, "<absent>")
            yield from _differences(left, right, f"{where}/{escape(str(key))}")
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (left, right) in enumerate(zip(expected, actual, strict=True)):
            yield from _differences(left, right, f"{where}/{i}")
    elif _differ(expected, actual):
        yield where, expected, actual


def _differ(left: Any, right: Any) -> bool:
    """Two JSON scalars differ: by value, or by type (`true` is not `1`), except an int and a float of one value."""
    return left != right or (type(left) is not type(right) and not _same_number(left, right))


def _same_number(left: Any, right: Any) -> bool:
    numbers = (int, float)
    both = isinstance(left, numbers) and isinstance(right, numbers)
    return both and not isinstance(left, bool) and not isinstance(right, bool) and left == right


def first_difference(expected: Any, actual: Any) -> str:
    """Where two JSON values first differ (for assertion messages)."""
    return _diff(expected, actual)


# --- command line -------------------------------------------------------------------------------


def _sdk_on_path() -> None:
    # The generated packages are used from their directories, as in the tests.
    for api in registry().values():
        if str(api.output_dir) not in sys.path:
            sys.path.insert(0, str(api.output_dir))


def run_fixture_check(*, extra_fixtures: Sequence[Path], fixtures: Path | None = None) -> int:
    """`sdkpipeline fixtures`: coverage of the recorded fixtures, or checks of captured bodies (1 on failure)."""
    _sdk_on_path()
    if extra_fixtures:
        failed = 0
        for directory in extra_fixtures:
            for result in check_extra_fixtures(directory):
                print(result.line())
                failed += not result.ok
        return 1 if failed else 0
    complete = True
    for name in registry():
        report = coverage(name, fixtures)
        print("\n".join(format_coverage(report)))
        complete &= report.with_fixtures == report.total and not report.missing()
    return 0 if complete else 1
