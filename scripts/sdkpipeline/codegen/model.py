"""The typed model of an SDK: every decision about its surface, made once, in Python a test can reach.

Built from the normalized spec (including the `x-sdk-*` decisions the normalizer wrote there) and the
generator's parsed endpoints (the type strings it prints). The resource and client templates only print
this model; `_operations.json` in each package is its serialisation; the contract tests read it back.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import PipelineError
from ..normalize.walk import operations as spec_operations
from ..normalize.walk import types_of
from ..spec.pointer import component_name, deref, pointer
from . import identifiers
from .escape import py_str, py_value
from .fields import server_default
from .generator import (
    ConstProperty,
    Endpoint,
    EnumProperty,
    ListProperty,
    ModelProperty,
    Parsed,
    Property,
    UnionProperty,
    identifier,
)

Location = Literal["path", "query", "header", "cookie"]
PaginationKind = Literal["cursor", "offset", "token", "page"]
CredentialStyle = Literal["bearer", "header", "query", "cookie"]

# Keywords every resource method takes after the operation's own parameters (RequestOptions), as in
# openai-python: headers, query parameters and body members the SDK does not know yet, and limits.
OPTION_KEYWORDS = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")
# The default of a keyword whose absence the runtime must see (a body field beside `body=`).
NOT_GIVEN = "NOT_GIVEN"
# An enum with more values than this is accepted as a named Literal (`<package>.literals`), not spelled
# out in every signature (Fungies `Currency` has 150 values, `CountryCode` 235).
INLINE_LITERAL_LIMIT = 16
# Attribute names a resource cannot take on the client (they are the client's own, or its test double's:
# `<package>.testing`, templates/runtime/_testing.py FakeClient).
CLIENT_ATTRIBUTES = frozenset(
    {"close", "base_url", "timeout", "max_retries", "http_client", "with_options", "request", "request_raw"}
    | {"calls", "respond", "set_items", "reset", "fake_api", "webhook", "webhook_secret"}
)
# Builtins a method may shadow inside a resource class body, where annotations are resolved.
_SHADOWED_BUILTINS = ("list", "dict", "type", "set", "tuple")


@dataclass(frozen=True)
class Param:
    """One argument of a resource method: where it goes on the wire and how the SDK spells it."""

    keyword: str  # the resource method's argument
    wire_name: str  # the parameter's (or body field's) name in the spec
    location: Location | Literal["body"]
    annotation: str
    required: bool
    default: str | None  # Python code of the default (None: no default)
    description: str
    endpoint_argument: str  # the generated endpoint function's argument it fills


@dataclass(frozen=True)
class BodyVariant:
    """One shape a request body may take: a model class and its fields."""

    class_name: str
    module: str  # models.<module>
    fields: tuple[Param, ...]

    @property
    def required_keywords(self) -> tuple[str, ...]:
        """The fields a call must pass (required, and with no single value to default to)."""
        return tuple(f.keyword for f in self.fields if f.required and f.default is None)

    @property
    def defaults(self) -> tuple[tuple[str, str], ...]:
        """(keyword, Python code) of the fields sent with a value when not passed."""
        return tuple((f.keyword, f.default) for f in self.fields if f.default not in (None, "UNSET", NOT_GIVEN))


@dataclass(frozen=True)
class Body:
    """The request body of an operation."""

    media_type: str
    annotation: str  # what `body=` takes: the variants' classes (and a Mapping for JSON), or a file
    required: bool
    description: str
    variants: tuple[BodyVariant, ...]  # empty when the body is not a model (a list, a file, any value)
    # The variants' fields are the method's keywords (one overload per variant, one for `body=`); else the
    # method takes only `body=`.
    flattened: bool


@dataclass(frozen=True)
class LiteralAlias:
    """A long enum's values as a named Literal (`CurrencyLiteral`), printed once into `<package>.literals`."""

    name: str
    enum: str  # the enum class it spells out
    values: tuple[str | int, ...]

    @property
    def code(self) -> str:
        return f"Literal[{', '.join(py_value(v) for v in self.values)}]"


@dataclass(frozen=True)
class Pagination:
    """How a list operation pages: the query parameters to advance and where the items are."""

    kind: PaginationKind
    items: tuple[str, ...]  # attribute path from the parsed page to its list of items
    item_type: str
    cursor: str  # the query parameter that moves through the pages
    size: str | None = None
    default_size: int | None = None
    reverse_cursor: str | None = None
    total: tuple[str, ...] | None = None
    next_cursor: tuple[str, ...] | None = None
    has_more: tuple[str, ...] | None = None
    pages: tuple[str, ...] | None = None


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
    """One operation of the API as the SDK offers it."""

    operation_id: str
    method: str  # upper case
    path: str
    tag: str
    resource: str
    name: str  # the resource method ('list', 'create_ride')
    module: str  # the generated endpoint module (<package>.api.<tag>.<module>)
    summary: str
    description: str
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    header_params: tuple[Param, ...]
    cookie_params: tuple[Param, ...]
    body: Body | None
    security: tuple[tuple[str, ...], ...]  # alternatives, each a set of scheme names
    api_key_headers: tuple[str, ...]  # header names of the apiKey schemes the operation may send
    idempotency_header: str | None
    success_statuses: tuple[int, ...]
    success_status: str | None  # the `status` value of a success envelope ({status: "success", data})
    # What the method returns: the parsed 2xx body, unwrapped (`x-sdk-unwrap`); a paginated method returns
    # pages of `pagination.item_type` instead.
    returns: str
    pagination: Pagination | None
    unwrap: tuple[str, ...] | None  # attribute path from the parsed body to the resource it carries
    deprecation: Deprecation | None
    request_content_types: tuple[str, ...]
    type_imports: tuple[str, ...] = field(repr=False)  # import lines only annotations need
    runtime_imports: tuple[str, ...] = field(repr=False)  # import lines defaults need at definition
    literals: tuple[LiteralAlias, ...] = field(default=(), repr=False)  # named Literals its annotations use
    # What unwrapping leaves out: the class of the whole body, and the members beside the returned resource
    # (`data.subscription`, attribute paths into the body), which `with_raw_response` keeps.
    envelope: str | None = None
    beside: tuple[str, ...] = ()

    @property
    def qualified_name(self) -> str:
        return f"{self.resource}.{self.name}"

    @property
    def returns_data(self) -> bool:
        """The method returns its envelope's `data` object whole: the answer holds no single resource to return
        (`{success: true}`), as the normalizer found it (`x-sdk-unwrap: [data]`)."""
        return self.unwrap is not None and len(self.unwrap) == 1 and not self.returns.startswith("list[")

    @property
    def method_name(self) -> str:
        """The name as a Python method (a keyword or a builtin the class body needs gets a trailing underscore)."""
        return identifiers.method_name(self.name)

    @property
    def constant(self) -> str:
        """The module-level name of the operation's record in its resource module."""
        return "_OP_" + self.name.upper()

    @property
    def deprecation_message(self) -> str | None:
        return self.deprecation.message(self.qualified_name) if self.deprecation else None

    @property
    def body_fields(self) -> tuple[Param, ...]:
        """Every keyword a flattened body takes: the fields of all its variants, each once, in order."""
        if self.body is None or not self.body.flattened:
            return ()
        merged: dict[str, Param] = {}
        for variant in self.body.variants:
            for f in variant.fields:
                seen = merged.get(f.keyword)
                if seen is None:
                    merged[f.keyword] = f
                elif seen.annotation != f.annotation:
                    merged[f.keyword] = dataclasses.replace(seen, annotation=union(seen.annotation, f.annotation))
        return tuple(merged.values())

    @property
    def overloaded(self) -> bool:
        """The method has a signature per body variant and one for `body=` (its body has fields)."""
        return bool(self.body_fields)

    @property
    def body_param(self) -> Param | None:
        """The `body=` keyword: the whole body as a model (or a dict, for JSON), or a file."""
        if self.body is None:
            return None
        if self.body.flattened and not self.overloaded:
            return None  # a body without fields (`{}`): nothing to pass
        optional = self.overloaded or not self.body.required
        # An optional body of its own (no fields) defaults to UNSET, so its type admits Unset.
        annotation = union(self.body.annotation, "Unset") if optional and not self.overloaded else self.body.annotation
        return Param(
            keyword="body",
            wire_name="body",
            location="body",
            annotation=annotation,
            required=not optional,
            default=(NOT_GIVEN if self.overloaded else "UNSET") if optional else None,
            description=f"body: the whole request body{' instead of its fields' if self.overloaded else ''}. "
            + self.body.description,
            endpoint_argument="body",
        )

    @property
    def keyword_params(self) -> tuple[Param, ...]:
        """The keyword arguments before the per-request options, as the method's implementation takes them.

        A body with fields takes each as a keyword defaulting to NOT_GIVEN (what was passed picks the
        variant; its defaults fill the rest) and `body=`; the overloads (`overloads`) show the real defaults.
        """
        fields = tuple(
            dataclasses.replace(f, annotation=union(f.annotation, "NotGiven"), default=NOT_GIVEN, required=False)
            for f in self.body_fields
        )
        body = self.body_param
        if body is not None and self.overloaded:
            body = dataclasses.replace(body, annotation=union(body.annotation, "NotGiven"))
        rest = (*self.query_params, *self.header_params, *self.cookie_params)
        return (*fields, *((body,) if body else ()), *rest)

    @property
    def overloads(self) -> tuple[tuple[Param, ...], ...]:
        """The keyword arguments of each signature a type checker sees: one per body variant, one with `body=`."""
        if not self.overloaded or self.body is None:
            return ()
        rest = (*self.query_params, *self.header_params, *self.cookie_params)
        body = self.body_param
        assert body is not None
        by_body = dataclasses.replace(body, required=True, default=None)
        per_variant = tuple((*v.fields, *rest) for v in self.body.variants)
        return (*per_variant, (by_body, *rest))


@dataclass(frozen=True)
class Credential:
    """One security scheme: the client argument and environment variable it is read from, and where it is sent."""

    scheme: str
    parameter: str
    env: str
    style: CredentialStyle
    name: str  # the header, query parameter or cookie it is sent as
    prefix: str = ""


@dataclass(frozen=True)
class Resource:
    """A group of operations: one attribute of the client and one module of resources/."""

    name: str  # module name and the client attribute it is reached by (unless reserved, see `attribute`)
    operations: tuple[Operation, ...]

    @property
    def class_name(self) -> str:
        return "".join(part[:1].upper() + part[1:] for part in self.name.split("_")) + "Resource"

    @property
    def attribute(self) -> str:
        return f"{self.name}_resource" if self.name in CLIENT_ATTRIBUTES else self.name

    @property
    def shadowed_builtins(self) -> tuple[str, ...]:
        """Builtins that a method of this resource shadows in the class body (annotations must qualify them)."""
        names = {op.method_name for op in self.operations}
        return tuple(b for b in _SHADOWED_BUILTINS if b in names)

    def qualify(self, annotation: str) -> str:
        """`annotation` inside the class body: `list[X]` is `builtins.list[X]` when a method is named `list`."""
        for name in self.shadowed_builtins:
            annotation = annotation.replace(f"{name}[", f"builtins.{name}[")
        return annotation

    @property
    def type_imports(self) -> tuple[str, ...]:
        """Import lines the annotations of every method need (not the ones a default needs at definition)."""
        runtime = set(self.runtime_imports)
        lines = {line for op in self.operations for line in op.type_imports}
        return tuple(
            sorted(
                line
                for line in lines - runtime
                if not line.startswith("from ..types") and not line.startswith("from typing ")
            )
        )

    @property
    def runtime_imports(self) -> tuple[str, ...]:
        return tuple(sorted({line for op in self.operations for line in op.runtime_imports}))

    @property
    def overloaded(self) -> bool:
        return any(op.overloaded for op in self.operations)


@dataclass(frozen=True)
class SdkModel:
    """Everything the SDK offers: its operations by resource, and the credentials its client takes."""

    package: str
    operations: tuple[Operation, ...]
    credentials: tuple[Credential, ...]
    default_base_url: str

    @property
    def resources(self) -> tuple[Resource, ...]:
        grouped: dict[str, list[Operation]] = {}
        for op in self.operations:
            grouped.setdefault(op.resource, []).append(op)
        return tuple(Resource(name, tuple(ops)) for name, ops in grouped.items())

    @property
    def literals(self) -> tuple[LiteralAlias, ...]:
        """The named Literals of every signature, once each (`<package>.literals`)."""
        found = {alias.name: alias for op in self.operations for alias in op.literals}
        return tuple(found[name] for name in sorted(found))

    def to_json(self) -> dict[str, Any]:
        """The serialisation shipped as `_operations.json` (prose and import lines left out: see the docstrings)."""
        return {
            "package": self.package,
            "default_base_url": self.default_base_url,
            "credentials": [dataclasses.asdict(c) for c in self.credentials],
            "operations": [_without(dataclasses.asdict(op), _NOT_SERIALISED) for op in self.operations],
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1) + "\n"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SdkModel:
        """The model read back from `_operations.json` (the contract tests' view of the SDK)."""
        return cls(
            package=str(data["package"]),
            default_base_url=str(data["default_base_url"]),
            credentials=tuple(Credential(**c) for c in data["credentials"]),
            operations=tuple(_operation_from_json(op) for op in data["operations"]),
        )


_NOT_SERIALISED = frozenset({"type_imports", "runtime_imports", "literals", "description", "summary"})


def _without(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list | tuple):
        return [_without(v, keys) for v in value]
    return value


def _params_from_json(items: Sequence[Mapping[str, Any]]) -> tuple[Param, ...]:
    return tuple(Param(**{**p, "description": ""}) for p in items)


def _paths(value: Any) -> tuple[str, ...] | None:
    return tuple(value) if value is not None else None


def _operation_from_json(op: Mapping[str, Any]) -> Operation:
    body = op.get("body")
    pagination = op.get("pagination")
    return Operation(
        **{k: op[k] for k in ("operation_id", "method", "path", "tag", "resource", "name", "module")},
        summary="",
        description="",
        path_params=_params_from_json(op["path_params"]),
        query_params=_params_from_json(op["query_params"]),
        header_params=_params_from_json(op["header_params"]),
        cookie_params=_params_from_json(op["cookie_params"]),
        body=Body(
            media_type=body["media_type"],
            annotation=body["annotation"],
            required=body["required"],
            description="",
            variants=tuple(
                BodyVariant(v["class_name"], v["module"], _params_from_json(v["fields"])) for v in body["variants"]
            ),
            flattened=body["flattened"],
        )
        if body
        else None,
        security=tuple(tuple(alt) for alt in op["security"]),
        api_key_headers=tuple(op["api_key_headers"]),
        idempotency_header=op["idempotency_header"],
        success_statuses=tuple(op["success_statuses"]),
        success_status=op["success_status"],
        returns=op["returns"],
        pagination=Pagination(
            **{k: v for k, v in pagination.items() if k not in ("items", "total", "next_cursor", "has_more", "pages")},
            items=tuple(pagination["items"]),
            total=_paths(pagination["total"]),
            next_cursor=_paths(pagination["next_cursor"]),
            has_more=_paths(pagination["has_more"]),
            pages=_paths(pagination["pages"]),
        )
        if pagination
        else None,
        unwrap=_paths(op["unwrap"]),
        envelope=op.get("envelope"),
        beside=tuple(op.get("beside") or ()),
        deprecation=Deprecation(**op["deprecation"]) if op["deprecation"] else None,
        request_content_types=tuple(op["request_content_types"]),
        type_imports=(),
        runtime_imports=(),
    )


# --- building ----------------------------------------------------------------------------------------------


def build_model(
    spec: Mapping[str, Any], parsed: Parsed, *, package: str, env_prefix: str, spec_path: Any = None
) -> SdkModel:
    """The SDK model of a normalized spec, as parsed by the generator."""
    by_key = {(e.method.lower(), str(e.name)): (tag, e) for tag, e in parsed.endpoints()}
    models = parsed.models_by_class()
    credentials = credentials_of(spec, env_prefix=env_prefix)
    operations: list[Operation] = []
    for path, method, op in spec_operations(dict(spec)):
        found = by_key.get(
            (method, identifiers.shortened(identifiers.printed_name(identifier(str(op.get("operationId"))))))
        )
        if found is None:
            raise PipelineError(
                f"the generator produced no function for {method.upper()} {path}",
                file=spec_path,
                where=pointer("paths", path, method),
            )
        tag, endpoint = found
        operations.append(
            build_operation(
                spec, path, method, op, endpoint, tag=tag, package=package, credentials=credentials, models=models
            )
        )
    servers = spec.get("servers") or []
    base_url = str(servers[0].get("url") or "") if servers and isinstance(servers[0], dict) else ""
    return SdkModel(package=package, operations=tuple(operations), credentials=credentials, default_base_url=base_url)


def build_operation(
    spec: Mapping[str, Any],
    path: str,
    method: str,
    op: Mapping[str, Any],
    endpoint: Endpoint,
    *,
    tag: str,
    package: str,
    credentials: Sequence[Credential] = (),
    models: Mapping[str, ModelProperty] | None = None,
) -> Operation:
    """One operation: the spec says what it is, the generator how its types are spelled.

    `models` are the generator's models by class name: a field that refers to a component may carry a copy of
    its model without the fields, which the attribute paths of pagination and unwrapping walk through.
    """
    models = models or {}
    type_imports = {line.replace("from ...", "from ..") for line in endpoint.relative_imports}
    signature = _Signature(spec_params=_spec_parameters(spec, path, op), spec=spec)
    path_params = tuple(signature.param(p, "path") for p in endpoint.path_parameters)
    query_params = tuple(signature.param(p, "query") for p in endpoint.query_parameters)
    header_params = tuple(signature.header_param(p) for p in endpoint.header_parameters)
    cookie_params = tuple(signature.param(p, "cookie") for p in endpoint.cookie_parameters)
    path_params, query_params, header_params, cookie_params = _distinct_keywords(
        path_params, query_params, header_params, cookie_params, has_body=bool(endpoint.bodies)
    )
    taken = {p.keyword for p in (*path_params, *query_params, *header_params, *cookie_params)} | {
        *OPTION_KEYWORDS,
        "self",
        "body",
    }
    body = _body(endpoint, taken, type_imports, signature)
    security = _security(spec, op)
    schemes = {c.scheme: c for c in credentials}
    api_key_headers = tuple(
        sorted(
            {
                schemes[name].name
                for alternative in security
                for name in alternative
                if name in schemes and schemes[name].style == "header"
            }
        )
    )
    pagination = _pagination(op, endpoint, query_params, type_imports, models)
    unwrap, returns, envelope, beside = _unwrapped(op, endpoint, type_imports, models)
    params = (
        *path_params,
        *query_params,
        *cookie_params,
        *(f for v in (body.variants if body else ()) for f in v.fields),
    )
    runtime_imports = _runtime_imports(params, type_imports)
    type_imports.update(f"from ..literals import {alias.name}" for alias in signature.literals.values())
    raw_body = (deref(spec, op.get("requestBody")) or {}).get("content") or {}
    return Operation(
        operation_id=str(op.get("operationId")),
        method=method.upper(),
        path=path,
        tag=str((op.get("tags") or ["default"])[0]),
        resource=identifiers.resource_name(str(op.get("x-sdk-resource") or "operations")),
        name=str(op.get("x-sdk-method") or identifier(str(op.get("operationId")))),
        module=f"{package}.api.{tag}.{identifier(str(endpoint.name))}",
        summary=str(op.get("summary") or ""),
        description=str(op.get("description") or ""),
        path_params=path_params,
        query_params=query_params,
        header_params=header_params,
        cookie_params=cookie_params,
        body=body,
        security=security,
        api_key_headers=api_key_headers,
        idempotency_header=next((h.wire_name for h in header_params if h.wire_name.lower() == "idempotency-key"), None),
        success_statuses=_success_statuses(op),
        success_status=_success_status(spec, op),
        returns=returns,
        pagination=pagination,
        unwrap=unwrap,
        envelope=envelope,
        beside=beside,
        deprecation=_deprecation(op),
        request_content_types=tuple(str(m) for m in raw_body),
        type_imports=tuple(sorted(type_imports)),
        runtime_imports=tuple(sorted(runtime_imports)),
        literals=tuple(signature.literals[name] for name in sorted(signature.literals)),
    )


def _distinct_keywords(*groups: tuple[Param, ...], has_body: bool) -> list[tuple[Param, ...]]:
    """Each group of parameters with keywords distinct across all of them and from the per-call options."""
    flat = [p for group in groups for p in group]
    reserved = {"self", *OPTION_KEYWORDS, *(("body",) if has_body else ())}
    keywords = iter(identifiers.parameter_keywords([(p.keyword, p.location) for p in flat], reserved=reserved))
    return [tuple(_renamed(p, next(keywords)) for p in group) for group in groups]


def _renamed(param: Param, keyword_name: str) -> Param:
    if keyword_name == param.keyword:
        return param
    # The docstring line starts with the keyword (`timeout (int | Unset): …`, `id: the X-Id header`).
    description = re.sub(rf"^{re.escape(param.keyword)}\b", keyword_name, param.description)
    return dataclasses.replace(param, keyword=keyword_name, description=description)


def credentials_of(spec: Mapping[str, Any], *, env_prefix: str) -> tuple[Credential, ...]:
    """One client argument per security scheme the SDK can send: bearer tokens and API keys.

    An http bearer scheme is `api_key`; an apiKey scheme is named after what it is sent as
    (`x-fngs-public-key` → `public_key`, `X-API-Key` → `api_key`), or after the scheme when that name is
    taken (identifiers.credential_parameters). Each is read from <ENV_PREFIX>_<ARGUMENT> when not passed.
    """
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    found: list[Credential] = []
    for scheme_name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue
        kind = scheme.get("type")
        if kind == "http" and str(scheme.get("scheme") or "").lower() == "bearer":
            style: CredentialStyle = "bearer"
            sent_as, prefix, parameter = "Authorization", "Bearer ", "api_key"
        elif kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            style = scheme["in"]
            sent_as, prefix = str(scheme.get("name")), ""
            tokens = identifier(sent_as).split("_")
            parameter = (
                f"{tokens[-2]}_key"
                if len(tokens) >= 2 and tokens[-1] == "key"
                else "_".join(t for t in tokens if t != "x")
            )
        else:
            continue
        found.append(
            Credential(
                scheme=str(scheme_name),
                parameter=parameter,
                env=f"{env_prefix}_{parameter.upper()}",
                style=style,
                name=sent_as,
                prefix=prefix,
            )
        )
    # One argument each: two schemes that want `api_key` would be a duplicate argument of the constructor.
    parameters = identifiers.credential_parameters([(c.parameter, c.scheme) for c in found])
    return tuple(
        dataclasses.replace(c, parameter=p, env=f"{env_prefix}_{p.upper()}")
        for c, p in zip(found, parameters, strict=True)
    )


def union(*annotations: str) -> str:
    """The union of type annotations, each member once (`str | UUID` and `str` → `str | UUID`)."""
    members: list[str] = []
    for annotation in annotations:
        for member in _top_level_members(annotation):
            if member not in members:
                members.append(member)
    return " | ".join(members)


def _top_level_members(annotation: str) -> list[str]:
    """`A | list[B | C] | None` → [A, list[B | C], None]."""
    members, depth, start, quote = [], 0, 0, ""
    for index, char in enumerate(annotation):
        if quote:
            quote = "" if char == quote else quote
            continue
        if char in "'\"":
            quote = char
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            members.append(annotation[start:index].strip())
            start = index + 1
    members.append(annotation[start:].strip())
    return [m for m in members if m]


@dataclass
class _Signature:
    """Builds the parameters of one operation's methods; collects the named Literals they use."""

    spec_params: Mapping[tuple[str, str], Mapping[str, Any]]
    spec: Mapping[str, Any] = field(default_factory=dict)  # the document, for the parameters' `$ref`s
    literals: dict[str, LiteralAlias] = field(default_factory=dict)

    def param(self, prop: Property, location: Location | Literal["body"]) -> Param:
        keyword_name = identifiers.method_keyword(str(prop.python_name))
        return Param(
            keyword=keyword_name,
            wire_name=_text(prop.name),
            location=location,
            annotation=self.accepting(prop),
            required=bool(prop.required),
            default=_default(prop),
            description=_described(keyword_name, self.description(prop, location), prop),
            endpoint_argument=str(prop.python_name),
        )

    def header_param(self, prop: Property) -> Param:
        """A header parameter is a keyword named without its X- prefix (X-Subaccount-Id → subaccount_id)."""
        wire = _text(prop.name)
        keyword_name = identifier(wire)
        if keyword_name.startswith("x_") and len(keyword_name) > 2:
            keyword_name = keyword_name[2:]
        text = f"the {wire} header. {self.description(prop, 'header')}".strip()
        return dataclasses.replace(
            self.param(prop, "header"),
            keyword=keyword_name,
            wire_name=wire,
            description=_described(keyword_name, text, prop),
        )

    def description(self, prop: Property, location: str) -> str:
        """The parameter's description in the spec (the generator loses it for a nullable query parameter);
        where the spec only has a placeholder (`GET /v0/offers/list Parameter`, as express-zod-api writes
        them), a sentence saying what the parameter is: its name, where it goes, its type and values."""
        wire = _text(prop.name)
        spec_param = self.spec_params.get((location, wire)) or {}
        schema = deref(self.spec, spec_param.get("schema")) if isinstance(spec_param.get("schema"), dict) else {}
        text = spec_param.get("description") or (schema or {}).get("description") or _text(prop.description or "")
        text = " ".join(str(text).split())
        if location == "body" or (text and not _PLACEHOLDER.fullmatch(text)):
            return text
        kind = _kind_of(self.spec, schema) if isinstance(schema, dict) else ""
        if location == "header":  # `header_param` names the header before it
            return f"{kind[:1].upper()}{kind[1:]}." if kind else ""
        return f"the `{wire}` {location} parameter{': ' + kind if kind else ''}."

    def accepting(self, prop: Property) -> str:
        """The generator's annotation, widened to what a user holds: enums also as their values, UUIDs as str."""
        annotation = prop.get_type_string().as_unembedded_code()
        widened: dict[str, str] = {}
        for enum in _enums_in(prop):
            name = str(enum.class_info.name)
            values = tuple(enum.values.values())
            literal = LiteralAlias(name=f"{name}Literal", enum=name, values=values)
            if len(values) > INLINE_LITERAL_LIMIT:
                self.literals[literal.name] = literal
                widened[name] = f"{name} | {literal.name}"
            else:
                widened[name] = f"{name} | {literal.code}"
        if widened:
            pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in widened) + r")\b")
            annotation = pattern.sub(lambda m: widened[m.group(1)], annotation)
        annotation = re.sub(r"\bUUID\b", "str | UUID", annotation)
        return _deduplicated(annotation)


def _deduplicated(annotation: str) -> str:
    """Each union (top level and inside brackets) with every member once."""
    inner = re.sub(r"\[([^\[\]]*)\]", lambda m: "[" + union(m.group(1)) + "]", annotation)
    return union(inner)


def _enums_in(prop: object) -> Iterator[EnumProperty]:
    """The enum classes an annotation names: the property's own, its items', its union members'."""
    if isinstance(prop, EnumProperty):
        yield prop
    elif isinstance(prop, ListProperty):
        yield from _enums_in(prop.inner_property)
    elif isinstance(prop, UnionProperty):
        for inner in prop.inner_properties:
            yield from _enums_in(inner)


def _spec_parameters(spec: Mapping[str, Any], path: str, op: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    """The operation's parameters in the spec (path-level ones too) by (location, name)."""
    item = (spec.get("paths") or {}).get(path) or {}
    found: dict[tuple[str, str], Any] = {}
    for raw in (*(item.get("parameters") or []), *(op.get("parameters") or [])):
        param = deref(spec, raw)
        if isinstance(param, dict):
            description = raw.get("description") if isinstance(raw, dict) and "$ref" in raw else None
            found[(str(param.get("in")), str(param.get("name")))] = (
                {**param, "description": description} if description else param
            )
    return found


def _described(keyword_name: str, text: str, prop: Property) -> str:
    """`limit: Limits the number of orders returned. Server default: 20.` (the docstring line of a parameter):
    the spec's default is what the server does when the argument is not passed, which sends nothing; a
    required field with one possible value says it is filled in."""
    line = f"{keyword_name}: {text}".rstrip()
    default = server_default(prop) or _default(prop)
    if default is None or default == "UNSET":
        return line
    note = f"Always {default} (filled in)." if prop.required else f"Server default: {default}."
    return f"{line}{'' if line.endswith(('.', ':')) else '.'} {note}"


# What express-zod-api writes where a parameter has no description: `GET /v0/offers/list Parameter`.
_PLACEHOLDER = re.compile(r"[A-Z]+ /\S* Parameter")
# Enums with more values than this are named by their class, not listed (Fungies `Currency` has 150).
_LISTED_VALUES = 8
# Bounds at the ends of a double's range say nothing (Fungies' `valueFrom`: ±1.797e308).
_NO_BOUND = 1e300
# Nested lists and unions described before the words stop helping (and a cycle of `$ref`s stops).
_DEPTH = 3


def _kind_of(spec: Mapping[str, Any], schema: Mapping[str, Any], *, depth: int = 0) -> str:
    """What values a parameter takes, in words: `one of 'ASC', 'DESC'`, `an integer, at least 0`, `a list,
    each a UUID`, from its schema (null left out: a parameter not passed is not sent)."""
    ref = schema.get("$ref")
    schema = deref(spec, schema)
    if not isinstance(schema, dict) or depth > _DEPTH:
        return ""
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            kinds = [_kind_of(spec, member, depth=depth + 1) for member in schema[key]]
            return " or ".join(dict.fromkeys(k for k in kinds if k))
    values = [v for v in schema.get("enum") or () if v is not None]
    if values:
        name = schema.get("title") or (component_name(ref) if isinstance(ref, str) else None)
        if len(values) > _LISTED_VALUES:
            return f"a value of {name} ({len(values)} values)" if name else f"one of {len(values)} values"
        return "one of " + ", ".join(repr(v) for v in values)
    types = [t for t in types_of(schema) if t != "null"]
    kind = types[0] if len(types) == 1 else None
    if kind == "array":
        items = _kind_of(spec, schema.get("items") or {}, depth=depth + 1)
        return f"a list, each {items}" if items else "a list"
    if kind in ("integer", "number"):
        bounds = [
            f"{word} {schema[key]}"
            for key, word in (("minimum", "at least"), ("maximum", "at most"))
            if isinstance(schema.get(key), int | float) and abs(schema[key]) < _NO_BOUND
        ]
        return ", ".join([f"an {kind}" if kind == "integer" else "a number", *bounds])
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        fmt = schema.get("format")
        return {"uuid": "a UUID", "date-time": "an ISO 8601 date-time", "date": "an ISO 8601 date"}.get(
            str(fmt), "a string"
        )
    if kind == "object":
        return "an object"
    return ""


def _text(value: object) -> str:
    """The text of one of the generator's UntrustedString values (or of a plain string)."""
    get = getattr(value, "get_untrusted_value", None)
    return str(get()) if callable(get) else str(value)


def _default(prop: Property) -> str | None:
    """Python code of the argument's default: UNSET for an optional one (not passed: not sent; the spec's
    default, what the server then does, is documented instead), the only value a required single-value
    field has, or None (the caller must pass it)."""
    if prop.required and isinstance(prop, ConstProperty):
        return str(prop.value.python_code.as_unembedded_code())
    if prop.required and isinstance(prop, EnumProperty) and len(prop.values) == 1:
        (member,) = prop.values
        return f"{prop.class_info.name}.{member}"
    return None if prop.required else "UNSET"


def _body(endpoint: Endpoint, taken: set[str], type_imports: set[str], signature: _Signature) -> Body | None:
    if not endpoint.bodies:
        return None
    if len(endpoint.bodies) > 1:
        # Several media types: the generator takes a union of their types as `body`.
        props = [b.prop for b in endpoint.bodies]
        annotation = " | ".join(p.get_type_string(no_optional=True).as_unembedded_code() for p in props)
        return Body(
            media_type=_text(endpoint.bodies[0].content_type),
            annotation=annotation,
            required=all(bool(p.required) for p in props),
            description=_body_description(props[0]),
            variants=(),
            flattened=False,
        )
    body = endpoint.bodies[0]
    prop = body.prop
    variants = tuple(_variants(prop, signature))
    json_body = str(body.body_type) == "json"
    flattened = (
        json_body
        and bool(variants)
        and len(variants) == len(_candidates(prop))
        and not any(f.keyword in taken for v in variants for f in v.fields)
    )
    annotation = prop.get_type_string(no_optional=True).as_unembedded_code()
    if flattened:
        annotation = union(annotation, "Mapping[str, Any]")
        for candidate in _candidates(prop):
            if isinstance(candidate, ModelProperty):
                type_imports.update(candidate.relative_imports or ())
                type_imports.update(candidate.lazy_imports or ())
                type_imports.update(candidate.get_lazy_imports(prefix=".."))
    return Body(
        media_type=_text(body.content_type),
        annotation=annotation,
        required=bool(prop.required),
        description=_body_description(prop),
        variants=variants,
        flattened=flattened,
    )


def _body_description(prop: Property) -> str:
    return " ".join(_text(prop.description or "").split())


def _candidates(prop: Property) -> list[object]:
    return list(prop.inner_properties) if isinstance(prop, UnionProperty) else [prop]


def _variants(prop: Property, signature: _Signature) -> Iterable[BodyVariant]:
    """The model classes a body may be: itself, or each model of a union."""
    for candidate in _candidates(prop):
        if not isinstance(candidate, ModelProperty) or candidate.required_properties is None:
            continue
        fields = tuple(
            signature.param(f, "body") for f in (*candidate.required_properties, *(candidate.optional_properties or ()))
        )
        yield BodyVariant(
            class_name=str(candidate.class_info.name), module=str(candidate.class_info.module_name), fields=fields
        )


def _security(spec: Mapping[str, Any], op: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    security = op.get("security", spec.get("security")) or []
    return tuple(tuple(sorted(str(name) for name in requirement)) for requirement in security)


def _success_statuses(op: Mapping[str, Any]) -> tuple[int, ...]:
    """The documented 2xx statuses; empty when a range (`2XX`) or `default` documents any status."""
    codes = [str(code) for code in (op.get("responses") or {})]
    if any(c.upper() == "2XX" or c == "default" for c in codes):
        return ()
    return tuple(sorted(int(c) for c in codes if c.isdigit() and c.startswith("2")))


def _success_status(spec: Mapping[str, Any], op: Mapping[str, Any]) -> str | None:
    """The `status` constant a 2xx body carries when the API wraps bodies in an envelope."""
    for code, response in (op.get("responses") or {}).items():
        if not str(code).startswith("2"):
            continue
        content = (deref(spec, response) or {}).get("content") or {}
        schema = deref(spec, (content.get("application/json") or {}).get("schema")) or {}
        status = ((schema.get("properties") or {}).get("status")) or {}
        if isinstance(status.get("const"), str):
            return str(status["const"])
    return None


def _success_props(endpoint: Endpoint) -> list[Property | None]:
    """The parsed 2xx results (None for a response without a body), first documented first."""
    found: list[Property | None] = []
    for response in endpoint.responses.patterns:
        span = response.status_code.range
        if span is None or not (span[0] >= 200 and span[1] < 300):
            continue
        found.append(None if response.source["attribute"] == "None" else response.prop)
    return found


def _returns(endpoint: Endpoint) -> str:
    types: list[str] = []
    for prop in _success_props(endpoint):
        text = "None" if prop is None else prop.get_type_string().as_unembedded_code()
        if text not in types:
            types.append(text)
    return " | ".join(types) if types else "Any"


def _unwrapped(
    op: Mapping[str, Any], endpoint: Endpoint, type_imports: set[str], models: Mapping[str, ModelProperty]
) -> tuple[tuple[str, ...] | None, str, str | None, tuple[str, ...]]:
    """(attribute path, annotation) of what the method returns, the normalizer's `x-sdk-unwrap` of the body, and
    what that leaves out: the body's class and the attribute paths of the members beside the returned one."""
    decision = op.get("x-sdk-unwrap")
    if not isinstance(decision, list) or not decision:
        return None, _returns(endpoint), None, ()
    bodies = [p for p in _success_props(endpoint) if p is not None]
    where = pointer("paths", _text(endpoint.path), endpoint.method.lower(), "x-sdk-unwrap")
    if len(bodies) != 1 or not isinstance(bodies[0], ModelProperty):
        raise PipelineError("x-sdk-unwrap: the operation has no single success model to unwrap", where=where)
    names, holder, found = _attribute_path(_with_fields(bodies[0], models), [str(t) for t in decision], models)
    if found is None:
        raise PipelineError(f"x-sdk-unwrap: {'.'.join(decision)} is not in the response model", where=where)
    type_imports.update(holder.relative_imports or ())
    type_imports.update(holder.lazy_imports or ())
    type_imports.update(found.get_imports(prefix=".."))
    lazy = getattr(found, "get_lazy_imports", None)
    if callable(lazy):
        type_imports.update(lazy(prefix=".."))
    if isinstance(found, ListProperty):
        inner_lazy = getattr(found.inner_property, "get_lazy_imports", None)
        if callable(inner_lazy):
            type_imports.update(inner_lazy(prefix=".."))
    # The envelope's own members (`status`) say nothing the caller lacks; the resource's siblings do.
    siblings = [*(holder.required_properties or ()), *(holder.optional_properties or ())] if len(names) > 1 else []
    beside = tuple(".".join((*names[:-1], str(p.python_name))) for p in siblings if p is not found)
    returns = found.get_type_string(no_optional=True).as_unembedded_code()
    return names, returns, str(bodies[0].class_info.name), beside


def _deprecation(op: Mapping[str, Any]) -> Deprecation | None:
    if not op.get("deprecated"):
        return None
    replacement = op.get("x-sdk-replacement")
    return Deprecation(replacement=str(replacement) if replacement else None)


def _pagination(
    op: Mapping[str, Any],
    endpoint: Endpoint,
    query: Sequence[Param],
    type_imports: set[str],
    models: Mapping[str, ModelProperty],
) -> Pagination | None:
    """The normalizer's `x-sdk-pagination` decision, in the attribute names of the parsed models."""
    decision = op.get("x-sdk-pagination")
    if not isinstance(decision, dict):
        return None
    page = next(
        (
            r.prop
            for r in endpoint.responses.patterns
            if r.status_code.range and r.status_code.range[0] >= 200 and r.status_code.range[1] < 300
        ),
        None,
    )
    if not isinstance(page, ModelProperty):
        return None
    page = _with_fields(page, models)
    if page.required_properties is None:
        return None
    items_path, holder, item = _attribute_path(page, [str(t) for t in decision["items"]], models)
    if not isinstance(item, ListProperty):
        raise PipelineError(
            f"x-sdk-pagination: items {'.'.join(decision['items'])} is not a list in the response model",
            where=pointer("paths", _text(endpoint.path), endpoint.method.lower(), "x-sdk-pagination"),
        )
    inner = item.inner_property
    type_imports.update(holder.relative_imports or ())
    type_imports.update(holder.lazy_imports or ())
    type_imports.update(inner.get_imports(prefix=".."))
    size = decision.get("size")
    size_param = next((p for p in query if p.wire_name == size), None)
    default_size = _int_default(endpoint, size) if size_param is not None else None

    def path_of(key: str) -> tuple[str, ...] | None:
        wire = decision.get(key)
        return _attribute_path(page, [str(t) for t in wire], models)[0] if isinstance(wire, list) else None

    return Pagination(
        kind=decision["kind"],
        items=items_path,
        item_type=inner.get_type_string(no_optional=True).as_unembedded_code(),
        cursor=_query_keyword(query, str(decision["cursor"])),
        size=_query_keyword(query, str(size)) if size else None,
        default_size=default_size,
        reverse_cursor=_query_keyword(query, str(decision["reverse_cursor"]))
        if decision.get("reverse_cursor")
        else None,
        total=path_of("total"),
        next_cursor=path_of("next_cursor"),
        has_more=path_of("has_more"),
        pages=path_of("pages"),
    )


def _with_fields(model: ModelProperty, models: Mapping[str, ModelProperty]) -> ModelProperty:
    """The model with its fields: the generator's own when `model` is a reference's copy without them."""
    if model.required_properties is not None:
        return model
    return models.get(str(model.class_info.name), model)


def _attribute_path(
    model: ModelProperty, wire: list[str], models: Mapping[str, ModelProperty] | None = None
) -> tuple[tuple[str, ...], ModelProperty, Property | None]:
    """(python attribute path, the model holding the last one, the last property) for a wire-name path."""
    names: list[str] = []
    holder = model
    found: Property | None = None
    for token in wire:
        if found is not None:
            if not isinstance(found, ModelProperty):
                return tuple(names), holder, None
            holder = _with_fields(found, models or {})
        props = [*(holder.required_properties or []), *(holder.optional_properties or [])]
        found = next((p for p in props if _text(p.name) == token), None)
        if found is None:
            return tuple(names), holder, None
        names.append(str(found.python_name))
    return tuple(names), holder, found


def _query_keyword(query: Sequence[Param], wire: str) -> str:
    return next((p.keyword for p in query if p.wire_name == wire), identifier(wire))


def _int_default(endpoint: Endpoint, wire: str | None) -> int | None:
    for prop in endpoint.query_parameters:
        if _text(prop.name) == wire and prop.default is not None and isinstance(prop.default.raw_value, int | float):
            return int(prop.default.raw_value)
    return None


def _runtime_imports(params: Iterable[Param], type_imports: set[str]) -> set[str]:
    """Import lines for names in defaults (an enum member, `datetime.date…`, `UUID(…)`), which run when the
    method is defined."""
    code = " ".join(re.sub(r"'[^']*'|\"[^\"]*\"", "", p.default) for p in params if p.default)
    needed = set(re.findall(r"(?<![.\w])([A-Za-z_]\w*)", code))
    return {line for line in type_imports if line.split(" import ")[-1].removeprefix("import ") in needed}


# --- what the package README shows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadmePlan:
    """The operations the package README uses as examples (every example in it is run by the tests)."""

    resource: Resource | None  # the first resource with both `list` and `retrieve`
    item: str  # the variable name of one of its items ('order')
    write: Operation | None  # a write on one item of it that needs nothing but the id
    idempotent: bool  # some operation declares an Idempotency-Key header
    paginated: bool  # the resource's `list` pages
    create: str | None = None  # a call creating something from keywords: `orders.create(amount_kg=10)`
    variants: tuple[
        str, ...
    ] = ()  # the same call in the body's other forms (`orders.create(total_price_usd_cents=10)`)
    body_dict: str | None = None  # the same body as `body={...}`
    # The same body as its model, as a caller builds one: (the class, `Class(keyword=value, ...)`, the method).
    body_model: tuple[str, str, str] | None = None
    enum_call: str | None = None  # a list filtered by enum values given as strings: `orders.list(statuses=["PAID"])`
    envelope: tuple[str, ...] | None = None  # what a method unwraps from an envelope (`data`, `order`), if any
    unwrapped: Operation | None = None  # an operation on one item that returns what its envelope carries
    # The exceptions to "a method returns the resource": its envelope's `data` whole (no single resource in
    # it), or the resource without the members beside it (`data.subscription`, kept by the raw response).
    returns_data: tuple[Operation, ...] = ()
    with_beside: tuple[Operation, ...] = ()
    beside_example: Operation | None = None  # one of those on one item that needs nothing but its id
    deprecated: tuple[Operation, ...] = ()

    @classmethod
    def of(cls, model: SdkModel) -> ReadmePlan:
        resource = next((r for r in model.resources if {"list", "retrieve"} <= {op.name for op in r.operations}), None)
        write = None
        if resource is not None:
            write = next(
                (
                    op
                    for op in resource.operations
                    if op.method in ("POST", "PATCH", "DELETE")
                    and op.path.count("{") == 1
                    and not any(v.required_keywords for v in (op.body.variants if op.body else ()))
                    and (op.body is None or op.body.variants)
                ),
                None,
            )
        name = resource.name if resource else ""
        listing = next((op for op in resource.operations if op.name == "list"), None) if resource else None
        create = _creation(model, resource)
        calls = [_call(create, v) for v in create.body.variants] if create and create.body else []
        on_one = [
            op
            for op in (resource.operations if resource else ())
            if op.unwrap and len(op.unwrap) > 1 and op.path.count("{") == 1 and not _required(op)
        ]
        unwrapped = next((op for op in on_one if op.name == "retrieve"), on_one[0] if on_one else None)
        return cls(
            resource=resource,
            item=(name[:-1] if name.endswith("s") else "item") if name else "item",
            write=write,
            idempotent=any(op.idempotency_header for op in model.operations),
            paginated=listing is not None and listing.pagination is not None,
            create=calls[0][0] if calls else None,
            variants=tuple(call for call, _ in calls[1:]),
            body_dict=f"{create.resource}.{create.method_name}(body={calls[0][1]})" if create and calls else None,
            body_model=(*_model_call(create.body.variants[0]), f"{create.resource}.{create.method_name}")
            if create and create.body and calls
            else None,
            enum_call=_enum_call(model, resource),
            envelope=next((op.unwrap for op in model.operations if op.unwrap and op.success_status), None),
            unwrapped=unwrapped,
            returns_data=tuple(op for op in model.operations if op.returns_data),
            with_beside=tuple(op for op in model.operations if op.beside),
            beside_example=next(
                (op for op in model.operations if op.beside and op.path.count("{") == 1 and not _required(op)), None
            ),
            deprecated=tuple(op for op in model.operations if op.deprecation),
        )


def _creation(model: SdkModel, resource: Resource | None) -> Operation | None:
    """A `create` whose required fields take plain values: the README resource's own, else the first."""
    candidates = [op for op in model.operations if op.name == "create" and op.overloaded and op.body]
    if resource is not None:
        candidates.sort(key=lambda op: op.resource != resource.name)
    return next((op for op in candidates if all(_sample(f) is not None for f in _required(op))), None)


def _required(op: Operation) -> tuple[Param, ...]:
    variant = op.body.variants[0] if op.body and op.body.variants else None
    return tuple(f for f in variant.fields if f.keyword in variant.required_keywords) if variant else ()


def _sample(param: Param) -> str | None:
    """Python code of an example value for a parameter: its first enum value, a number or a string."""
    value = _first_literal_value(param.annotation)
    if value is not None:
        return py_value(value)
    members = _top_level_members(param.annotation)
    if "int" in members or "float" in members:
        return "10"
    if members[:1] == ["str"]:
        return '"example"'
    return None


def _first_literal_value(annotation: str) -> str | int | None:
    """The first value of the first `Literal[...]` in an annotation (read as code, never as text)."""
    try:
        tree = ast.parse(annotation, mode="eval")
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
            first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            if isinstance(first, ast.Constant) and isinstance(first.value, str | int):
                return first.value
    return None


# The example value of a field `_sample` has none for.
EXAMPLE = '"example"'


def _call(op: Operation, variant: BodyVariant) -> tuple[str, str]:
    """(`resource.method(keyword=value, ...)`, the same body as a dict of JSON names) for one variant."""
    fields = [f for f in variant.fields if f.keyword in variant.required_keywords]
    samples = [(f, _sample(f) or EXAMPLE) for f in fields]
    keywords = ", ".join(f"{f.keyword}={value}" for f, value in samples)
    as_dict = "{" + ", ".join(f"{py_str(f.wire_name)}: {value}" for f, value in samples) + "}"
    return f"{op.resource}.{op.method_name}({keywords})", as_dict


def _model_call(variant: BodyVariant) -> tuple[str, str]:
    """(the class, `Class(keyword=value, ...)`) of a body variant with its required fields."""
    fields = [f for f in variant.fields if f.keyword in variant.required_keywords]
    # The constructor takes the model's attribute names (`type_`), which the method's keywords may not be.
    keywords = ", ".join(f"{f.endpoint_argument}={_sample(f) or EXAMPLE}" for f in fields)
    return variant.class_name, f"{variant.class_name}({keywords})"


def _enum_call(model: SdkModel, resource: Resource | None) -> str | None:
    """A `list` call with an enum query parameter given as plain strings (a list of them first)."""
    candidates = [
        (op, param)
        for op in model.operations
        if op.name == "list"
        for param in op.query_params
        if "Literal[" in param.annotation
    ]
    candidates.sort(key=lambda c: (not _is_list(c[1]), c[0].resource != getattr(resource, "name", None)))
    for op, param in candidates:
        sample = _sample(param)
        if sample is not None:
            value = f"[{sample}]" if _is_list(param) else sample
            return f"{op.resource}.{op.method_name}({param.keyword}={value})"
    return None


def _is_list(param: Param) -> bool:
    return param.annotation.startswith(("list[", "builtins.list["))
