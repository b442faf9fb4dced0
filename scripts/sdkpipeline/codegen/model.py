"""The typed model of an SDK: every decision about its surface, made once, in Python a test can reach.

Built from the normalized spec (including the `x-sdk-*` decisions the normalizer wrote there) and the
generator's parsed endpoints (the type strings it prints). The resource and client templates only print
this model; `_operations.json` in each package is its serialisation; the contract tests read it back.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import PipelineError
from ..normalize.walk import operations as spec_operations
from ..spec.pointer import deref, pointer
from . import identifiers
from .generator import Endpoint, ListProperty, ModelProperty, Parsed, Property, UnionProperty, identifier

Location = Literal["path", "query", "header", "cookie"]
PaginationKind = Literal["cursor", "offset", "token", "page"]
CredentialStyle = Literal["bearer", "header", "query", "cookie"]

# Keywords every resource method takes after the operation's own parameters (RequestOptions).
OPTION_KEYWORDS = ("extra_headers", "timeout", "max_retries")
# Attribute names a resource cannot take on the client (they are the client's own).
CLIENT_ATTRIBUTES = frozenset(
    {"close", "base_url", "timeout", "max_retries", "http_client", "with_options", "request", "request_raw"}
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


@dataclass(frozen=True)
class Body:
    """The request body of an operation."""

    media_type: str
    annotation: str
    required: bool
    description: str
    variants: tuple[BodyVariant, ...]  # empty when the body is not a model (a list, a file, any value)
    flattened: bool  # one model whose fields are the method's keywords (else the method takes `body=`)


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
    returns: str  # the annotation of the parsed 2xx result
    pagination: Pagination | None
    unwrap: tuple[str, ...] | None  # attribute path from the parsed body to the resource it carries
    deprecation: Deprecation | None
    request_content_types: tuple[str, ...]
    type_imports: tuple[str, ...] = field(repr=False)  # import lines only annotations need
    runtime_imports: tuple[str, ...] = field(repr=False)  # import lines defaults need at definition

    @property
    def qualified_name(self) -> str:
        return f"{self.resource}.{self.name}"

    @property
    def method_name(self) -> str:
        """The name as a Python method (a keyword or a builtin the class body needs gets a trailing underscore)."""
        return identifiers.method_name(self.name)

    @property
    def constant(self) -> str:
        """The module-level name of the operation's record in its resource module."""
        return "_OP_" + self.name.upper()

    @property
    def keyword_params(self) -> tuple[Param, ...]:
        """The keyword arguments before the per-request options: body fields (or `body`), query, headers, cookies."""
        body: tuple[Param, ...] = ()
        if self.body is not None:
            if self.body.flattened:
                body = self.body.variants[0].fields
            else:
                body = (
                    Param(
                        keyword="body",
                        wire_name="body",
                        location="body",
                        annotation=self.body.annotation,
                        required=self.body.required,
                        default=None if self.body.required else "UNSET",
                        description=self.body.description,
                        endpoint_argument="body",
                    ),
                )
        return (*body, *self.query_params, *self.header_params, *self.cookie_params)


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


_NOT_SERIALISED = frozenset({"type_imports", "runtime_imports", "description", "summary"})


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
    credentials = credentials_of(spec, env_prefix=env_prefix)
    operations: list[Operation] = []
    for path, method, op in spec_operations(dict(spec)):
        found = by_key.get((method, identifier(str(op.get("operationId")))))
        if found is None:
            raise PipelineError(
                f"the generator produced no function for {method.upper()} {path}",
                file=spec_path,
                where=pointer("paths", path, method),
            )
        tag, endpoint = found
        operations.append(
            build_operation(spec, path, method, op, endpoint, tag=tag, package=package, credentials=credentials)
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
) -> Operation:
    """One operation: the spec says what it is, the generator how its types are spelled."""
    type_imports = {line.replace("from ...", "from ..") for line in endpoint.relative_imports}
    path_params = tuple(_param(p, "path") for p in endpoint.path_parameters)
    query_params = tuple(_param(p, "query") for p in endpoint.query_parameters)
    header_params = tuple(_header_param(p) for p in endpoint.header_parameters)
    cookie_params = tuple(_param(p, "cookie") for p in endpoint.cookie_parameters)
    path_params, query_params, header_params, cookie_params = _distinct_keywords(
        path_params, query_params, header_params, cookie_params, has_body=bool(endpoint.bodies)
    )
    taken = {p.keyword for p in (*path_params, *query_params, *header_params, *cookie_params)} | {
        *OPTION_KEYWORDS,
        "self",
    }
    body = _body(endpoint, taken, type_imports)
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
    pagination = _pagination(op, endpoint, query_params, type_imports)
    params = (
        *path_params,
        *query_params,
        *cookie_params,
        *(body.variants[0].fields if body and body.flattened else ()),
    )
    runtime_imports = _runtime_imports(params, type_imports)
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
        returns=_returns(endpoint),
        pagination=pagination,
        unwrap=tuple(op["x-sdk-unwrap"]) if isinstance(op.get("x-sdk-unwrap"), list) else None,
        deprecation=_deprecation(op),
        request_content_types=tuple(str(m) for m in raw_body),
        type_imports=tuple(sorted(type_imports)),
        runtime_imports=tuple(sorted(runtime_imports)),
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


def _param(prop: Property, location: Location | Literal["body"]) -> Param:
    return Param(
        keyword=str(prop.python_name),
        wire_name=_text(prop.name),
        location=location,
        annotation=prop.get_type_string().as_unembedded_code(),
        required=bool(prop.required),
        default=_default(prop),
        description=prop.to_docstring(),
        endpoint_argument=str(prop.python_name),
    )


def _header_param(prop: Property) -> Param:
    """A header parameter is a keyword named without its X- prefix (X-Subaccount-Id → subaccount_id)."""
    wire = _text(prop.name)
    keyword_name = identifier(wire)
    if keyword_name.startswith("x_") and len(keyword_name) > 2:
        keyword_name = keyword_name[2:]
    description = f"{keyword_name}: the {wire} header. {prop.description or ''}"
    return dataclasses.replace(
        _param(prop, "header"),
        keyword=keyword_name,
        wire_name=wire,
        default=None if prop.required else "UNSET",
        description=description,
    )


def _text(value: object) -> str:
    """The text of one of the generator's UntrustedString values (or of a plain string)."""
    get = getattr(value, "get_untrusted_value", None)
    return str(get()) if callable(get) else str(value)


def _default(prop: Property) -> str | None:
    if prop.default is not None:
        return str(prop.default.python_code.as_unembedded_code())
    return None if prop.required else "UNSET"


def _body(endpoint: Endpoint, taken: set[str], type_imports: set[str]) -> Body | None:
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
            description=props[0].to_docstring(),
            variants=(),
            flattened=False,
        )
    body = endpoint.bodies[0]
    prop = body.prop
    variants = tuple(_variants(prop))
    flattened = (
        str(body.body_type) == "json"
        and isinstance(prop, ModelProperty)
        and prop.required_properties is not None
        and len(variants) == 1
        and not any(f.keyword in taken for f in variants[0].fields)
    )
    if flattened and isinstance(prop, ModelProperty):
        type_imports.update(prop.relative_imports or ())
        type_imports.update(prop.lazy_imports or ())
    return Body(
        media_type=_text(body.content_type),
        annotation=prop.get_type_string().as_unembedded_code(),
        required=bool(prop.required),
        description=prop.to_docstring(),
        variants=variants,
        flattened=flattened,
    )


def _variants(prop: Property) -> Iterable[BodyVariant]:
    """The model classes a body may be: itself, or each model of a union."""
    candidates = list(prop.inner_properties) if isinstance(prop, UnionProperty) else [prop]
    for candidate in candidates:
        if not isinstance(candidate, ModelProperty) or candidate.required_properties is None:
            continue
        fields = tuple(
            _param(f, "body") for f in (*candidate.required_properties, *(candidate.optional_properties or ()))
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


def _returns(endpoint: Endpoint) -> str:
    types: list[str] = []
    for response in endpoint.responses.patterns:
        span = response.status_code.range
        if span is None or not (span[0] >= 200 and span[1] < 300):
            continue
        none = response.source["attribute"] == "None"
        text = "None" if none else response.prop.get_type_string().as_unembedded_code()
        if text not in types:
            types.append(text)
    return " | ".join(types) if types else "Any"


def _deprecation(op: Mapping[str, Any]) -> Deprecation | None:
    if not op.get("deprecated"):
        return None
    replacement = op.get("x-sdk-replacement")
    return Deprecation(replacement=str(replacement) if replacement else None)


def _pagination(
    op: Mapping[str, Any], endpoint: Endpoint, query: Sequence[Param], type_imports: set[str]
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
    if not isinstance(page, ModelProperty) or page.required_properties is None:
        return None
    items_path, holder, item = _attribute_path(page, [str(t) for t in decision["items"]])
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
        return _attribute_path(page, [str(t) for t in wire])[0] if isinstance(wire, list) else None

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


def _attribute_path(model: ModelProperty, wire: list[str]) -> tuple[tuple[str, ...], ModelProperty, Property | None]:
    """(python attribute path, the model holding the last one, the last property) for a wire-name path."""
    names: list[str] = []
    holder = model
    found: Property | None = None
    for token in wire:
        if found is not None:
            if not isinstance(found, ModelProperty):
                return tuple(names), holder, None
            holder = found
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
                    and not any(
                        f.required for f in (op.body.variants[0].fields if op.body and op.body.variants else ())
                    )
                    and (op.body is None or op.body.variants)
                ),
                None,
            )
        name = resource.name if resource else ""
        listing = next((op for op in resource.operations if op.name == "list"), None) if resource else None
        return cls(
            resource=resource,
            item=(name[:-1] if name.endswith("s") else "item") if name else "item",
            write=write,
            idempotent=any(op.idempotency_header for op in model.operations),
            paginated=listing is not None and listing.pagination is not None,
        )
