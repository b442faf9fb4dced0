"""The typed model of an SDK: every decision about its surface, made once, in Python a test can reach.

Built from the normalized spec (including the `x-sdk-*` decisions the normalizer wrote there) and the
generator's parsed endpoints (the type strings it prints, read into `PyType` trees). Each operation's record is
the runtime's own `Operation` (codegen/records.py), built here once; a `Method` adds what only the generated
resource module needs (the signature, its overloads, the docstring). The templates print the plans of this
module (`Resource` and its `ResourceClass`es, `ClientPlan`, `WebhookPlan`; readme.py `ReadmePlan`) and decide nothing;
`_operations.json` in each package serialises the records (`OperationIndex`), which the contract tests and the
release surface read back.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import PipelineError
from ..normalize.walk import operations as spec_operations
from ..normalize.walk import types_of
from ..spec.pointer import component_name, deref, pointer
from ..spec.statuses import is_success
from . import identifiers, records
from .annotation import LiteralValue, PyType
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
from .records import Body as BodyRecord
from .records import BodyShape, CredentialRecord, Deprecation, Operation, Pagination, python_source
from .records import Param as ParamRecord
from .text import wrap
from .views import raw_view_name, streaming_view_name

Location = Literal["path", "query", "header", "cookie"]
CredentialStyle = Literal["bearer", "header", "query", "cookie"]

OPTION_KEYWORDS = records.OPTION_KEYWORDS
# The per-request options every method takes after the operation's own keywords (RequestOptions), as in
# openai-python: headers, query parameters and body members the SDK does not know yet, and limits.
_OPTION_DECLARATIONS = (
    "extra_headers: Mapping[str, str] | None = None",
    "extra_query: Mapping[str, object] | None = None",
    "extra_body: Mapping[str, object] | None = None",
    "timeout: TimeoutTypes | NotGiven = NOT_GIVEN",
    "max_retries: int | NotGiven = NOT_GIVEN",
)
# An enum with more values than this is accepted as a named Literal (`<package>.literals`), not spelled
# out in every signature (Fungies `Currency` has 150 values, `CountryCode` 235).
INLINE_LITERAL_LIMIT = 16
# Attribute names a resource cannot take on the client (they are the client's own, or its test double's:
# `<package>.testing`, templates/runtime/_testing.py FakeClient).
CLIENT_ATTRIBUTES = frozenset(
    {
        *("close", "base_url", "timeout", "max_retries", "http_client", "with_options"),
        *("request", "request_raw", "request_stream", "with_raw_response", "with_streaming_response"),
        *("get", "post", "put", "patch", "delete"),  # the custom requests
    }
    | {"calls", "respond", "set_items", "reset", "fake_api", "webhook", "webhook_secret"}
)
# Builtins a method may shadow inside a resource class body, where annotations are resolved.
_SHADOWED_BUILTINS = ("list", "dict", "type", "set", "tuple")
# Widths the docstrings are wrapped at: prose, and an argument's line (indented under `Args:`).
_PROSE_WIDTH = 100
_ARGUMENT_WIDTH = 90

UNSET_TYPE = PyType("Unset")
# A body that is one file (the generator's `File`), and what the resource method takes for it instead.
FILE_TYPE = PyType("File")
FILE_INPUT_TYPE = PyType("FileInput")


@dataclass(frozen=True)
class Param:
    """One argument of a resource method: where it goes on the wire (its record) and how the signature spells it."""

    keyword: str  # the resource method's argument
    wire_name: str  # the parameter's (or body field's) name in the spec
    location: Location | Literal["body"]
    annotation: PyType
    required: bool
    default: str | None  # Python code of the default (None: no default)
    description: str  # the spec's words for it (the docstring line adds the keyword and the default)
    argument: str  # the generated endpoint function's argument it fills (a body field: its model's attribute)
    wire_default: LiteralValue = None  # the JSON value a body field's default sends (None: no default)
    # The spec's default as Python code: what the server does when the argument is not passed (which sends
    # nothing), shown in the docstring; never the argument's default.
    server_default: str | None = None

    @property
    def record(self) -> ParamRecord:
        return ParamRecord(
            keyword=self.keyword,
            location=self.location,
            wire_name=self.wire_name,
            argument=self.argument,
            required=self.required,
        )

    @property
    def docstring_line(self) -> str:
        """`limit: Limits the number of orders returned. Server default: 20.` (an argument under `Args:`): the
        spec's default is what the server does when the argument is not passed; a required field with one
        possible value says it is filled in."""
        line = f"{self.keyword}: {self.description}".rstrip()
        if self.required and self.default not in (None, "UNSET"):
            note = f"Always {self.server_default or self.default} (filled in)."
        elif not self.required and self.server_default is not None:
            note = f"Server default: {self.server_default}."
        else:
            return line
        return f"{line}{'' if line.endswith(('.', ':')) else '.'} {note}"

    def declaration(self, qualified: PyType) -> str:
        """`keyword: annotation = default`, with the annotation as the class body needs it."""
        default = f" = {self.default}" if self.default is not None else ""
        return f"{self.keyword}: {qualified}{default}"


@dataclass(frozen=True)
class BodyVariant:
    """One shape a request body may take: a model class and its fields."""

    name: str  # the model class
    module: str  # models.<module>
    fields: tuple[Param, ...]

    @property
    def required_keywords(self) -> tuple[str, ...]:
        """The fields a call must pass (required, and with no single value to default to)."""
        return tuple(f.keyword for f in self.fields if f.required and f.default is None)

    @property
    def record(self) -> BodyShape:
        defaults = {f.keyword: f.wire_default for f in self.fields if f.default not in (None, "UNSET")}
        return BodyShape(
            name=self.name,
            fields=tuple(f.keyword for f in self.fields),
            required=self.required_keywords,
            defaults=defaults,
        )


@dataclass(frozen=True)
class Body:
    """The request body of an operation."""

    media_type: str
    annotation: PyType  # what `body=` takes: the variants' classes (and a Mapping for JSON), or a file
    required: bool
    description: str
    variants: tuple[BodyVariant, ...]  # empty when the body is not a model (a list, a file, any value)
    # The variants' fields are the method's keywords (one overload per variant, one for `body=`); else the
    # method takes only `body=`.
    flattened: bool
    # The body is one file sent as its bytes: `body=` takes any form of a file (`FileInput`: bytes, a path, a binary
    # file object, a tuple, `File`), which the runtime reads before the endpoint function sends it.
    file: bool = False

    def record(self, fields: Sequence[Param]) -> BodyRecord:
        """The body's record, given its fields merged across the variants (`Method.body_fields`)."""
        if not self.flattened:
            return BodyRecord(required=self.required, file=self.file)
        return BodyRecord(
            required=self.required,
            fields=tuple(f.record for f in fields),
            shapes=tuple(v.record for v in self.variants),
        )


@dataclass(frozen=True)
class LiteralAlias:
    """A long enum's values as a named Literal (`CurrencyLiteral`), printed once into `<package>.literals`."""

    name: str
    enum: str  # the enum class it spells out
    values: tuple[LiteralValue, ...]

    @property
    def code(self) -> str:
        return str(PyType.literal(self.values))


@dataclass(frozen=True)
class Method:
    """One operation as a resource method: its record (what the runtime, the contract tests and the release surface
    read) and what only the resource module prints (the signature with its overloads, the docstring)."""

    operation: Operation
    tag: str
    summary: str
    description: str
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    header_params: tuple[Param, ...]
    cookie_params: tuple[Param, ...]
    body: Body | None
    # What the method returns: the parsed 2xx body, unwrapped (`x-sdk-unwrap`); a paginated method returns
    # pages of `item_type` instead.
    returns: PyType
    item_type: PyType | None = None
    # What unwrapping leaves out: the class of the whole body, and the members beside the returned resource
    # (`data.subscription`, attribute paths into the body), which `with_raw_response` keeps.
    envelope: str | None = None
    beside: tuple[str, ...] = ()
    type_imports: tuple[str, ...] = field(default=(), repr=False)  # import lines only annotations need
    runtime_imports: tuple[str, ...] = field(default=(), repr=False)  # import lines defaults need at definition
    literals: tuple[LiteralAlias, ...] = field(default=(), repr=False)  # named Literals its annotations use

    @property
    def name(self) -> str:
        return self.operation.name

    @property
    def resource(self) -> str:
        return self.operation.resource

    @property
    def method_name(self) -> str:
        """The name as a Python method (a keyword or a builtin the class body needs gets a trailing underscore)."""
        return identifiers.method_name(self.operation.name)

    @property
    def constant(self) -> str:
        """The module-level name of the operation's record in its resource module."""
        return "_OP_" + self.operation.name.upper()

    @property
    def returns_data(self) -> bool:
        """The method returns its envelope's `data` object whole: the answer holds no single resource to return
        (`{success: true}`), as the normalizer found it (`x-sdk-unwrap: [data]`)."""
        return len(self.operation.unwrap) == 1 and not self.returns.is_list

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
                    merged[f.keyword] = dataclasses.replace(
                        seen, annotation=PyType.union(seen.annotation, f.annotation)
                    )
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
        # An optional body defaults to UNSET, so its type admits Unset (the overloads' `body=` one does not).
        annotation = (
            PyType.union(self.body.annotation, UNSET_TYPE) if optional and not self.overloaded else self.body.annotation
        )
        words = "the whole request body instead of its fields." if self.overloaded else "the whole request body."
        if self.body.file:
            words = (
                "the file to send: bytes, a `pathlib.Path`, a binary file object, `(file name, content, content "
                "type)` or `File`; its content type is the one given, else the file name's extension's."
            )
        return Param(
            keyword="body",
            wire_name="body",
            location="body",
            annotation=annotation,
            required=not optional,
            default="UNSET" if optional else None,
            description=f"{words} {self.body.description}".strip(),
            argument="body",
        )

    @property
    def other_params(self) -> tuple[Param, ...]:
        """The query, header and cookie parameters (after the body in every signature)."""
        return (*self.query_params, *self.header_params, *self.cookie_params)

    @property
    def keyword_params(self) -> tuple[Param, ...]:
        """The keyword arguments before the per-request options, as the method's implementation takes them.

        A body with fields takes each as a keyword defaulting to UNSET (what was passed picks the variant; a
        variant's one possible values fill the rest) and `body=`; the overloads (`overloads`) show each variant's.
        One sentinel per parameter: UNSET for the API's, NOT_GIVEN only for the per-request options.
        """
        fields = tuple(
            dataclasses.replace(f, annotation=PyType.union(f.annotation, UNSET_TYPE), default="UNSET", required=False)
            for f in self.body_fields
        )
        body = self.body_param
        if body is not None and self.overloaded:
            body = dataclasses.replace(body, annotation=PyType.union(body.annotation, UNSET_TYPE))
        return (*fields, *((body,) if body else ()), *self.other_params)

    @property
    def overloads(self) -> tuple[tuple[Param, ...], ...]:
        """The keyword arguments of each signature a type checker sees: one per body variant, one with `body=`."""
        if not self.overloaded or self.body is None:
            return ()
        body = self.body_param
        assert body is not None
        by_body = dataclasses.replace(body, required=True, default=None)
        per_variant = tuple((*v.fields, *self.other_params) for v in self.body.variants)
        return (*per_variant, (by_body, *self.other_params))

    @functools.cached_property  # printed by the sync and the async resource
    def docstring(self) -> str:
        """The method's docstring, wrapped, relative to its indentation; spec text as it is (the template escapes)."""
        op = self.operation
        parts = [self.summary or op.operation_id]
        if op.deprecation is not None:
            instead = f": use `client.{op.deprecation.replacement}()` instead" if op.deprecation.replacement else ""
            parts.append(f"Deprecated by the API{instead};\na call warns (DeprecationWarning).")
        if self.description:
            parts.append(wrap(self.description, _PROSE_WIDTH))
        lines = [f"`{op.method} {op.path}` ({op.operation_id})."]
        if op.pagination is not None:
            lines.append("Returns the first page; iterating it walks every page.")
        elif op.unwrap:
            lines.append(f"Returns the body's `{'.'.join(op.unwrap)}`.")
            if self.returns_data:
                lines.append("The answer holds no single resource to return: this is its `data` object whole.")
            elif self.beside:
                also = ", ".join(f"`{path}`" for path in self.beside)
                lines.append(
                    wrap(
                        f"The answer also carries {also}, which `with_raw_response.{self.method_name}()` keeps: its "
                        f"`json()` is the whole body, `{self.envelope}.from_dict(raw.json())` the same typed.",
                        _PROSE_WIDTH,
                    )
                )
        if self.overloaded and self.body is not None:
            lines.append(wrap(_body_forms(self.body.variants), _PROSE_WIDTH))
        parts.append("\n".join(lines))
        arguments = (*self.path_params, *self.body_fields, *self.keyword_params[len(self.body_fields) :])
        if arguments:
            parts.append("Args:\n" + "\n".join(_argument_lines(p.docstring_line) for p in arguments))
        return "\n\n".join(parts)


def _body_forms(variants: Sequence[BodyVariant]) -> str:
    forms = (
        f", of one of its {len(variants)} forms: {' or '.join(v.name for v in variants)}" if len(variants) > 1 else ""
    )
    return f"The body is given as keyword arguments (one per field{forms}) or as `body=` (a model or a dict)."


def _argument_lines(line: str) -> str:
    """An argument's docstring line under `Args:`: indented, its continuation lines indented once more."""
    wrapped = wrap(line, _ARGUMENT_WIDTH).split("\n")
    return "\n".join([f"    {wrapped[0]}", *(f"        {rest}" for rest in wrapped[1:])])


@dataclass(frozen=True)
class Credential:
    """One security scheme: the client argument and environment variable it is read from, and where it is sent."""

    scheme: str
    parameter: str
    env: str
    style: CredentialStyle
    name: str  # the header, query parameter or cookie it is sent as
    prefix: str = ""

    @property
    def record(self) -> CredentialRecord:
        """The runtime's `Credential` the client is built with (a bearer token is a header with a prefix)."""
        return CredentialRecord(
            scheme=self.scheme,
            parameter=self.parameter,
            env=self.env,
            name=self.name,
            location="header" if self.style == "bearer" else self.style,
            prefix=self.prefix,
        )


def resource_attribute(name: str) -> str:
    """The client attribute a resource is reached by: its name, unless the client has an attribute of that name."""
    return f"{name}_resource" if name in CLIENT_ATTRIBUTES else name


# --- what the resource modules print ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodPlan:
    """One method as one class of a resource module prints it."""

    name: str
    prefix: str  # "async " for a coroutine
    parameters: str  # the implementation's parameters
    overloads: tuple[str, ...]  # each overload's parameters (none: the method has one signature)
    returns: str
    docstring: str
    call: str  # what its one line returns


@dataclass(frozen=True)
class ResourceClass:
    """One class of a resource module (blocking or asyncio), with its raw and streaming views.

    A view is one line per method: the runtime's ParamSpec-typed wrapper (`_response.to_raw_response_wrapper`, ...)
    over the method, which keeps its overloads for mypy and pyright and answers with the wrapped response type.
    """

    name: str
    engine: str
    raw_name: str
    streaming_name: str
    raw_wrapper: str
    streaming_wrapper: str
    description: str
    methods: tuple[MethodPlan, ...]


@dataclass(frozen=True)
class Resource:
    """A group of operations: one attribute of the client and one module of resources/."""

    name: str  # module name and the client attribute it is reached by (unless reserved, see `attribute`)
    methods: tuple[Method, ...]

    @property
    def class_name(self) -> str:
        return "".join(part[:1].upper() + part[1:] for part in self.name.split("_")) + "Resource"

    @property
    def attribute(self) -> str:
        return resource_attribute(self.name)

    @property
    def title(self) -> str:
        """`Checkout sessions: list, create.` (the module's and the client property's docstring)."""
        return f"{self.name.replace('_', ' ').capitalize()}: {', '.join(m.name for m in self.methods)}."

    # Read for each annotation of the class body: computed anew, a resource of N methods cost N² (Kubernetes apps,
    # 77 methods in one resource: 170,000 method names a run).
    @functools.cached_property
    def shadowed_builtins(self) -> tuple[str, ...]:
        """Builtins that a method of this resource shadows in the class body (annotations must qualify them)."""
        names = {m.method_name for m in self.methods}
        return tuple(b for b in _SHADOWED_BUILTINS if b in names)

    def qualify(self, annotation: PyType) -> PyType:
        """`annotation` inside the class body: `list[X]` is `builtins.list[X]` when a method is named `list`."""
        shadowed = self.shadowed_builtins
        return annotation.replace(
            lambda t: PyType(f"builtins.{t.name}", t.args) if t.name in shadowed and t.args else None
        )

    @property
    def exports(self) -> tuple[str, ...]:
        """The module's `__all__`: the asyncio class, then the blocking one, each followed by its raw and streaming
        views (the order the module has always listed them in)."""
        names = (self._class_name(is_async) for is_async in (True, False))
        return tuple(n for name in names for n in (name, raw_view_name(name), streaming_view_name(name)))

    @property
    def records(self) -> tuple[tuple[str, Operation], ...]:
        """(module constant, record) of each operation, in method order."""
        return tuple((m.constant, m.operation) for m in self.methods)

    @functools.cached_property  # the template reads it twice, and a large document's methods take long to plan
    def classes(self) -> tuple[ResourceClass, ...]:
        """The blocking class and its asyncio twin."""
        return tuple(self._class(is_async) for is_async in (False, True))

    def _class_name(self, is_async: bool) -> str:
        return ("Async" if is_async else "") + self.class_name

    def _class(self, is_async: bool) -> ResourceClass:
        name = self._class_name(is_async)
        wrapper = "async_to_{}_response_wrapper" if is_async else "to_{}_response_wrapper"
        return ResourceClass(
            name=name,
            engine="AsyncAPIClient" if is_async else "SyncAPIClient",
            raw_name=raw_view_name(name),
            streaming_name=streaming_view_name(name),
            raw_wrapper=wrapper.format("raw"),
            streaming_wrapper=wrapper.format("streamed"),
            description=self.name.replace("_", " ").capitalize() + (" (asyncio)" if is_async else ""),
            methods=tuple(self._method(m, is_async) for m in self.methods),
        )

    def _method(self, method: Method, is_async: bool) -> MethodPlan:
        paged = method.item_type is not None
        item = str(self.qualify(method.item_type)) if method.item_type is not None else ""
        if paged:
            returns = f"AsyncPaginator[{item}]" if is_async else f"SyncPage[{item}]"
        else:
            returns = str(self.qualify(method.returns))
        # An async list is a plain method returning an AsyncPaginator (await it, or `async for` over it).
        prefix = "async " if is_async and not paged else ""
        engine_call = f"call_async(self._client, {method.constant}, locals())"
        if is_async and not paged:
            engine_call = "await " + engine_call
        elif not is_async:
            engine_call = f"call(self._client, {method.constant}, locals())"
        return MethodPlan(
            name=method.method_name,
            prefix=prefix,
            parameters=self._parameters(method.path_params, method.keyword_params),
            overloads=tuple(self._parameters(method.path_params, keywords) for keywords in method.overloads),
            returns=returns,
            docstring=method.docstring,
            call=f"cast({python_source(returns)}, {engine_call})",
        )

    def _parameters(self, positional: Sequence[Param], keywords: Sequence[Param]) -> str:
        declared = [p.declaration(self.qualify(p.annotation)) for p in (*positional,)]
        declared += ["*", *(p.declaration(self.qualify(p.annotation)) for p in keywords), *_OPTION_DECLARATIONS]
        return ", ".join(["self", *declared])

    @property
    def type_imports(self) -> tuple[str, ...]:
        """Import lines the annotations of every method need (not the ones a default needs at definition)."""
        runtime = set(self.runtime_imports)
        lines = {line for m in self.methods for line in m.type_imports}
        return tuple(
            sorted(
                line
                for line in lines - runtime
                if not line.startswith("from ..types") and not line.startswith("from typing ")
            )
        )

    @property
    def runtime_imports(self) -> tuple[str, ...]:
        return tuple(sorted({line for m in self.methods for line in m.runtime_imports}))


# --- the client, the webhooks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientClass:
    """The blocking client or its asyncio twin, as `_client.py` prints it."""

    name: str
    prefix: str  # of its resources' classes and its test double: "Async" or ""
    engine: str
    fake_engine: str  # the runtime fake's client its test double is made with (templates/runtime/_testing.py)
    http_client: str
    sleep: str
    description: str
    # The context-manager methods differ only by these: `async def __aenter__`, `await self.close()`.
    async_: str
    a: str
    await_: str


@dataclass(frozen=True)
class ClientPlan:
    """What `_client.py` prints: the clients, their key arguments (one per credential) and resources."""

    client_class: str
    display_name: str
    credentials: tuple[Credential, ...]
    resources: tuple[Resource, ...]  # by name
    default_base_url: str
    base_url_env: str
    log_env: str = ""  # `<PREFIX>_LOG`: debug or info turns the SDK's logging on
    # What a custom request (`client.get(path, ...)`) takes of the API: the idempotency header its writes carry
    # (the one most operations declare), and the success envelope's `status` (when every operation agrees on it).
    idempotency_header: str | None = None
    success_status: str | None = None
    # The test double offers signed webhook deliveries: the API documents webhook events and has a webhooks module
    # (templates/sdk.<api>/webhooks.py.jinja) whose `sign` signs them.
    signed_webhooks: bool = False

    @property
    def classes(self) -> tuple[ClientClass, ...]:
        return (
            ClientClass(
                self.client_class,
                "",
                "SyncAPIClient",
                "SyncFakeClient",
                "httpx.Client",
                "Callable[[float], None]",
                "Client",
                "",
                "",
                "",
            ),
            ClientClass(
                f"Async{self.client_class}",
                "Async",
                "AsyncAPIClient",
                "AsyncFakeClient",
                "httpx.AsyncClient",
                "Callable[[float], Awaitable[None]]",
                "Asynchronous client",
                "async ",
                "a",
                "await ",
            ),
        )

    @property
    def records(self) -> tuple[CredentialRecord, ...]:
        return tuple(c.record for c in self.credentials)

    @property
    def schemes(self) -> str:
        """`ApiKey → `api_key`` for each credential (the module docstring), or `none`."""
        return ", ".join(f"{c.scheme} → `{c.parameter}`" for c in self.credentials) or "none"

    @property
    def base_url_note(self) -> str:
        return f" ({self.default_base_url})" if self.default_base_url else ""


@dataclass(frozen=True)
class WebhookEvent:
    """One documented webhook event: its `type` value and the generated model of its body."""

    type: str
    class_name: str
    module: str  # models.<module>
    data_class: str = "Any"  # the model's `data` (what the event's `data` is for a type checker)

    @property
    def delivery_class(self) -> str:
        """The webhooks module's class of this event's deliveries (`PaymentSuccessEvent` → `PaymentSuccessDelivery`)."""
        return self.class_name.removesuffix("Event") + "Delivery"


@dataclass(frozen=True)
class WebhookPlan:
    """What an API's webhooks module prints about its events (the schemas marked `x-webhook-event`)."""

    events: tuple[WebhookEvent, ...]

    @property
    def table(self) -> dict[str, tuple[str, str]]:
        """Event type → (module under .models, class): the module's `_EVENT_MODELS`."""
        return {e.type: (e.module, e.class_name) for e in self.events}

    @property
    def imports(self) -> tuple[str, ...]:
        return tuple(f"from .models.{e.module} import {e.class_name}" for e in self.events)

    @property
    def union(self) -> str:
        return " | ".join(e.class_name for e in self.events) or "None"

    @property
    def data_imports(self) -> tuple[str, ...]:
        """The models the deliveries' `data` are, for a type checker."""
        return tuple(sorted({f"from .models import {e.data_class}" for e in self.events if e.data_class != "Any"}))

    @property
    def types_text(self) -> str:
        """The documented types as the module docstring lists them."""
        return ",\n".join(f"  `{e.type}`" for e in self.events) + ";" if self.events else "  (none);"


def webhook_plan(spec: Mapping[str, Any], models: Mapping[str, ModelProperty]) -> WebhookPlan:
    """The events of the schemas the project marks `x-webhook-event` (each with a `type` const), in spec order."""
    events = []
    for name, schema in ((spec.get("components") or {}).get("schemas") or {}).items():
        if not isinstance(schema, dict) or not schema.get("x-webhook-event"):
            continue
        kind = ((schema.get("properties") or {}).get("type") or {}).get("const")
        model = models.get(str(name))
        if not isinstance(kind, str) or model is None:
            raise PipelineError(
                "a webhook event schema needs a `type` const and a generated model",
                where=pointer("components", "schemas", str(name)),
            )
        data = next(
            (p for p in (*(model.required_properties or ()), *(model.optional_properties or ())) if p.name == "data"),
            None,
        )
        events.append(
            WebhookEvent(
                type=kind,
                class_name=str(name),
                module=str(model.class_info.module_name),
                data_class=str(data.class_info.name) if isinstance(data, ModelProperty) else "Any",
            )
        )
    return WebhookPlan(tuple(events))


# --- the whole SDK ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperationIndex:
    """`_operations.json`: the operation records and credentials of a package, as the contract tests and the
    release surface read them (the records' own fields, so `resource` and `name` key each SDK method)."""

    package: str
    default_base_url: str
    credentials: tuple[Credential, ...]
    operations: tuple[Operation, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "default_base_url": self.default_base_url,
            "credentials": [dataclasses.asdict(c) for c in self.credentials],
            "operations": [records.to_json(op) for op in self.operations],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OperationIndex:
        return cls(
            package=str(data["package"]),
            default_base_url=str(data["default_base_url"]),
            credentials=tuple(Credential(**c) for c in data["credentials"]),
            operations=tuple(records.operation_from_json(op) for op in data["operations"]),
        )

    def resources(self) -> dict[str, tuple[Operation, ...]]:
        """The operations by resource, in index order."""
        grouped: dict[str, list[Operation]] = {}
        for op in self.operations:
            grouped.setdefault(op.resource, []).append(op)
        return {name: tuple(ops) for name, ops in grouped.items()}


@dataclass(frozen=True)
class SdkModel:
    """Everything the SDK offers: its methods by resource, and the credentials its client takes."""

    package: str
    methods: tuple[Method, ...]
    credentials: tuple[Credential, ...]
    default_base_url: str
    webhooks: WebhookPlan = WebhookPlan(())

    @property
    def operations(self) -> tuple[Operation, ...]:
        return tuple(m.operation for m in self.methods)

    @property
    def resources(self) -> tuple[Resource, ...]:
        grouped: dict[str, list[Method]] = {}
        for m in self.methods:
            grouped.setdefault(m.resource, []).append(m)
        return tuple(Resource(name, tuple(ms)) for name, ms in grouped.items())

    @property
    def literals(self) -> tuple[LiteralAlias, ...]:
        """The named Literals of every signature, once each (`<package>.literals`)."""
        found = {alias.name: alias for m in self.methods for alias in m.literals}
        return tuple(found[name] for name in sorted(found))

    @property
    def index(self) -> OperationIndex:
        return OperationIndex(self.package, self.default_base_url, self.credentials, self.operations)

    def client_plan(
        self, *, client_class: str, display_name: str, env_prefix: str, webhooks_module: bool = False
    ) -> ClientPlan:
        return ClientPlan(
            client_class=client_class,
            display_name=display_name,
            credentials=self.credentials,
            resources=tuple(sorted(self.resources, key=lambda r: r.name)),
            default_base_url=self.default_base_url,
            base_url_env=f"{env_prefix}_BASE_URL",
            log_env=f"{env_prefix}_LOG",
            idempotency_header=_most_common(op.idempotency_header for op in self.operations),
            success_status=_agreed(op.success_status for op in self.operations),
            signed_webhooks=webhooks_module and bool(self.webhooks.events),
        )


def _most_common(values: Iterable[str | None]) -> str | None:
    """The value given most often (the first of those tied), None when none is given."""
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return max(counts, key=lambda v: counts[v]) if counts else None


def _agreed(values: Iterable[str | None]) -> str | None:
    """The one value every given value is, None when there is none or they differ."""
    given = {v for v in values if v is not None}
    return given.pop() if len(given) == 1 else None


# --- building ----------------------------------------------------------------------------------------------


def build_model(
    spec: Mapping[str, Any], parsed: Parsed, *, package: str, env_prefix: str, spec_path: Any = None
) -> SdkModel:
    """The SDK model of a normalized spec, as parsed by the generator."""
    by_key = {(e.method.lower(), str(e.name)): (tag, e) for tag, e in parsed.endpoints()}
    models = parsed.models_by_class()
    credentials = credentials_of(spec, env_prefix=env_prefix)
    methods: list[Method] = []
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
        methods.append(build_method(spec, path, method, op, endpoint, tag=tag, models=models))
    servers = spec.get("servers") or []
    base_url = str(servers[0].get("url") or "") if servers and isinstance(servers[0], dict) else ""
    return SdkModel(
        package=package,
        methods=tuple(methods),
        credentials=credentials,
        default_base_url=base_url,
        webhooks=webhook_plan(spec, models),
    )


def build_method(
    spec: Mapping[str, Any],
    path: str,
    method: str,
    op: Mapping[str, Any],
    endpoint: Endpoint,
    *,
    tag: str,
    models: Mapping[str, ModelProperty] | None = None,
) -> Method:
    """One operation: the spec says what it is, the generator how its types are spelled.

    `models` are the generator's models by class name: a field that refers to a component may carry a copy of
    its model without the fields, which the attribute paths of pagination and unwrapping walk through.
    """
    models = models or {}
    type_imports = {line.replace("from ...", "from ..") for line in endpoint.relative_imports}
    signature = _Signature(spec_params=_spec_parameters(spec, path, op), spec=spec)
    path_params, query_params, header_params, cookie_params = signature.parameters(endpoint)
    taken = {p.keyword for p in (*path_params, *query_params, *header_params, *cookie_params)} | {
        *OPTION_KEYWORDS,
        "self",
        "body",
    }
    body = _body(endpoint, taken, type_imports, signature)
    pagination, item_type = _pagination(op, endpoint, query_params, type_imports, models)
    unwrap, returns, envelope, beside = _unwrapped(op, endpoint, type_imports, models)
    params = (
        *path_params,
        *query_params,
        *cookie_params,
        *(f for v in (body.variants if body else ()) for f in v.fields),
    )
    runtime_imports = _runtime_imports(params, type_imports)
    type_imports.update(f"from ..literals import {alias.name}" for alias in signature.literals.values())
    draft = Method(
        operation=Operation(
            resource=identifiers.resource_name(str(op.get("x-sdk-resource") or "operations")),
            name=str(op.get("x-sdk-method") or identifier(str(op.get("operationId")))),
            operation_id=str(op.get("operationId")),
            method=method.upper(),
            path=path,
            endpoint=f"api.{tag}.{identifier(str(endpoint.name))}",
        ),
        tag=str((op.get("tags") or ["default"])[0]),
        summary=str(op.get("summary") or ""),
        description=str(op.get("description") or ""),
        path_params=path_params,
        query_params=query_params,
        header_params=header_params,
        cookie_params=cookie_params,
        body=body,
        returns=returns,
        item_type=item_type,
        envelope=envelope,
        beside=beside,
        type_imports=tuple(sorted(type_imports)),
        runtime_imports=tuple(sorted(runtime_imports)),
        literals=tuple(signature.literals[name] for name in sorted(signature.literals)),
    )
    record = dataclasses.replace(
        _with_parameters(draft),
        security=_security(spec, op),
        success_status=_success_status(spec, op),
        success_statuses=_success_statuses(op),
        unwrap=unwrap,
        deprecation=_deprecation(op),
        pagination=pagination,
    )
    return dataclasses.replace(draft, operation=record)


def _with_parameters(method: Method) -> Operation:
    """The method's record with its parameters: the signature's but the body's fields (path parameters, `body`, the
    rest), the body's fields and shapes, and the header that makes a retried write safe."""
    body_param = method.body_param
    params = (*method.path_params, *((body_param,) if body_param else ()), *method.other_params)
    idempotency = next((h.wire_name for h in method.header_params if h.wire_name.lower() == "idempotency-key"), None)
    return dataclasses.replace(
        method.operation,
        params=tuple(p.record for p in params),
        body=method.body.record(method.body_fields) if method.body else None,
        idempotency_header=idempotency,
    )


def _distinct_keywords(*groups: tuple[Param, ...], has_body: bool) -> list[tuple[Param, ...]]:
    """Each group of parameters with keywords distinct across all of them and from the per-call options."""
    flat = [p for group in groups for p in group]
    reserved = {"self", *OPTION_KEYWORDS, *(("body",) if has_body else ())}
    keywords = iter(identifiers.parameter_keywords([(p.keyword, p.location) for p in flat], reserved=reserved))
    return [tuple(dataclasses.replace(p, keyword=next(keywords)) for p in group) for group in groups]


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


def _type_of(prop: Any, *, no_optional: bool = False) -> PyType:
    """The generator's annotation of a property (any of its property classes), as a tree."""
    return PyType.parse(prop.get_type_string(no_optional=no_optional).as_unembedded_code())


@dataclass
class _Signature:
    """Builds the parameters of one operation's methods; collects the named Literals they use."""

    spec_params: Mapping[tuple[str, str], Mapping[str, Any]]
    spec: Mapping[str, Any] = field(default_factory=dict)  # the document, for the parameters' `$ref`s
    literals: dict[str, LiteralAlias] = field(default_factory=dict)

    def param(self, prop: Property, location: Location | Literal["body"]) -> Param:
        default = _default(prop)
        return Param(
            keyword=identifiers.method_keyword(str(prop.python_name)),
            wire_name=_text(prop.name),
            location=location,
            annotation=self.accepting(prop),
            required=bool(prop.required),
            default=default,
            description=self.description(prop, location),
            argument=str(prop.python_name),
            wire_default=_wire_default(prop) if default not in (None, "UNSET") else None,
            server_default=server_default(prop),
        )

    def parameters(self, endpoint: Endpoint) -> list[tuple[Param, ...]]:
        """The endpoint's path, query, header and cookie parameters, with keywords distinct across them all."""
        return _distinct_keywords(
            tuple(self.param(p, "path") for p in endpoint.path_parameters),
            tuple(self.param(p, "query") for p in endpoint.query_parameters),
            tuple(self.header_param(p) for p in endpoint.header_parameters),
            tuple(self.param(p, "cookie") for p in endpoint.cookie_parameters),
            has_body=bool(endpoint.bodies),
        )

    def header_param(self, prop: Property) -> Param:
        """A header parameter is a keyword named without its X- prefix (X-Subaccount-Id → subaccount_id)."""
        wire = _text(prop.name)
        keyword_name = identifier(wire)
        if keyword_name.startswith("x_") and len(keyword_name) > 2:
            keyword_name = keyword_name[2:]
        return dataclasses.replace(
            self.param(prop, "header"),
            keyword=keyword_name,
            wire_name=wire,
            default=None if prop.required else "UNSET",
            description=f"the {wire} header. {self.description(prop, 'header')}".strip(),
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

    def accepting(self, prop: Property) -> PyType:
        """The generator's annotation, widened to what a user holds: enums also as their values, UUIDs as str."""
        widened: dict[str, PyType] = {"UUID": PyType.union("str", "UUID")}
        for enum in _enums_in(prop):
            name = str(enum.class_info.name)
            values = tuple(enum.values.values())
            literal = LiteralAlias(name=f"{name}Literal", enum=name, values=values)
            if len(values) > INLINE_LITERAL_LIMIT:
                self.literals[literal.name] = literal
                widened[name] = PyType.union(PyType(name), PyType(literal.name))
            else:
                widened[name] = PyType.union(PyType(name), PyType.literal(values))
        return _type_of(prop).replace(lambda t: widened.get(t.name) if not t.args and not t.values else None)


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
    members = next((schema[key] for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list)), None)
    if members is not None:
        kinds = [_kind_of(spec, member, depth=depth + 1) for member in members]
        return " or ".join(dict.fromkeys(k for k in kinds if k))
    values = [v for v in schema.get("enum") or () if v is not None]
    if values:
        return _enum_kind(values, schema.get("title") or (component_name(ref) if isinstance(ref, str) else None))
    return _typed_kind(spec, schema, depth)


def _typed_kind(spec: Mapping[str, Any], schema: dict[str, Any], depth: int) -> str:
    types = [t for t in types_of(schema) if t != "null"]
    if len(types) != 1:
        return ""
    if types[0] == "array":
        items = _kind_of(spec, schema.get("items") or {}, depth=depth + 1)
        return f"a list, each {items}" if items else "a list"
    describe = _SCALAR_KINDS.get(types[0])
    return describe(schema, types[0]) if describe is not None else ""


def _enum_kind(values: list[Any], name: str | None) -> str:
    if len(values) > _LISTED_VALUES:
        return f"a value of {name} ({len(values)} values)" if name else f"one of {len(values)} values"
    return "one of " + ", ".join(repr(v) for v in values)


def _number_kind(schema: Mapping[str, Any], kind: str) -> str:
    bounds = [
        f"{word} {schema[key]}"
        for key, word in (("minimum", "at least"), ("maximum", "at most"))
        if isinstance(schema.get(key), int | float) and abs(schema[key]) < _NO_BOUND
    ]
    return ", ".join(["an integer" if kind == "integer" else "a number", *bounds])


_STRING_FORMATS = {"uuid": "a UUID", "date-time": "an ISO 8601 date-time", "date": "an ISO 8601 date"}
# A one-type schema's words, by that type (arrays and enums above: they recurse or list values).
_SCALAR_KINDS: dict[str, Callable[[Mapping[str, Any], str], str]] = {
    "integer": _number_kind,
    "number": _number_kind,
    "boolean": lambda _schema, _kind: "true or false",
    "string": lambda schema, _kind: _STRING_FORMATS.get(str(schema.get("format")), "a string"),
    "object": lambda _schema, _kind: "an object",
}


def _text(value: object) -> str:
    """The text of one of the generator's UntrustedString values (or of a plain string)."""
    get = getattr(value, "get_untrusted_value", None)
    return str(get()) if callable(get) else str(value)


def _default(prop: Property) -> str | None:
    """Python code of the argument's default: UNSET for an optional one (not passed: not sent; the spec's
    default, what the server then does, is documented instead: `server_default`), the only value a required
    single-value field has, or None (the caller must pass it)."""
    if prop.required and isinstance(prop, ConstProperty):
        return str(prop.value.python_code.as_unembedded_code())
    if prop.required and isinstance(prop, EnumProperty) and len(prop.values) == 1:
        (member,) = prop.values
        return f"{prop.class_info.name}.{member}"
    return None if prop.required else "UNSET"


def _wire_default(prop: Property) -> LiteralValue:
    """The JSON value `_default` stands for (what the runtime sends for a body field left out)."""
    if prop.default is not None:
        value = prop.default.raw_value
    elif isinstance(prop, ConstProperty):
        value = prop.value.raw_value
    elif isinstance(prop, EnumProperty) and len(prop.values) == 1:
        (value,) = prop.values.values()
    else:
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value  # type: ignore[return-value]  # a float default is JSON too: LiteralValue spells the rest
    raise PipelineError(f"the default of {_text(prop.name)} is no JSON scalar: {value!r}")


def _body(endpoint: Endpoint, taken: set[str], type_imports: set[str], signature: _Signature) -> Body | None:
    if not endpoint.bodies:
        return None
    if len(endpoint.bodies) > 1:
        # Several media types: the generator takes a union of their types as `body`.
        props = [b.prop for b in endpoint.bodies]
        return Body(
            media_type=_text(endpoint.bodies[0].content_type),
            annotation=PyType.union(*(_type_of(p, no_optional=True) for p in props)),
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
    annotation = _type_of(prop, no_optional=True)
    is_file = annotation == FILE_TYPE
    if is_file:
        annotation = FILE_INPUT_TYPE
    if flattened:
        annotation = PyType.union(annotation, "Mapping[str, Any]")
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
        file=is_file,
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
            name=str(candidate.class_info.name), module=str(candidate.class_info.module_name), fields=fields
        )


def _security(spec: Mapping[str, Any], op: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    security = op.get("security", spec.get("security")) or []
    return tuple(tuple(sorted(str(name) for name in requirement)) for requirement in security)


def _success_statuses(op: Mapping[str, Any]) -> tuple[int, ...]:
    """The documented 2xx statuses; empty when a range (`2XX`) or `default` documents any status."""
    codes = [str(code) for code in (op.get("responses") or {})]
    if any(c == "default" or (is_success(c) and not c.isdigit()) for c in codes):
        return ()
    return tuple(sorted(int(c) for c in codes if is_success(c)))


def _success_status(spec: Mapping[str, Any], op: Mapping[str, Any]) -> str | None:
    """The `status` constant a 2xx body carries when the API wraps bodies in an envelope."""
    for code, response in (op.get("responses") or {}).items():
        if not is_success(code):
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
        if span is None or not all(is_success(code) for code in span):
            continue
        found.append(None if response.source["attribute"] == "None" else response.prop)
    return found


def _returns(endpoint: Endpoint) -> PyType:
    types = [PyType("None") if prop is None else _type_of(prop) for prop in _success_props(endpoint)]
    return PyType.union(*types) if types else PyType("Any")


def _unwrapped(
    op: Mapping[str, Any], endpoint: Endpoint, type_imports: set[str], models: Mapping[str, ModelProperty]
) -> tuple[tuple[str, ...], PyType, str | None, tuple[str, ...]]:
    """(attribute path, annotation) of what the method returns, the normalizer's `x-sdk-unwrap` of the body, and
    what that leaves out: the body's class and the attribute paths of the members beside the returned one."""
    decision = op.get("x-sdk-unwrap")
    if not isinstance(decision, list) or not decision:
        return (), _returns(endpoint), None, ()
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
    return names, _type_of(found, no_optional=True), str(bodies[0].class_info.name), beside


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
) -> tuple[Pagination | None, PyType | None]:
    """The normalizer's `x-sdk-pagination` decision in the attribute names of the parsed models, and the items'
    type."""
    decision = op.get("x-sdk-pagination")
    if not isinstance(decision, dict):
        return None, None
    page = next(iter(p for p in _success_props(endpoint) if p is not None), None)
    if not isinstance(page, ModelProperty):
        return None, None
    page = _with_fields(page, models)
    if page.required_properties is None:
        return None, None
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

    def path_of(key: str) -> tuple[str, ...] | None:
        wire = decision.get(key)
        return _attribute_path(page, [str(t) for t in wire], models)[0] if isinstance(wire, list) else None

    pagination = Pagination(
        kind=decision["kind"],
        items=items_path,
        cursor=_query_argument(query, str(decision["cursor"])),
        size=_query_argument(query, str(size)) if size else None,
        default_size=_int_default(endpoint, size) if size_param is not None else None,
        reverse_cursor=_query_argument(query, str(decision["reverse_cursor"]))
        if decision.get("reverse_cursor")
        else None,
        total=path_of("total"),
        next_cursor=path_of("next_cursor"),
        has_more=path_of("has_more"),
        pages=path_of("pages"),
    )
    return pagination, _type_of(inner, no_optional=True)


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


def _query_argument(query: Sequence[Param], wire: str) -> str:
    """The endpoint function's argument a query parameter fills (what the pages change between requests)."""
    return next((p.argument for p in query if p.wire_name == wire), identifier(wire))


def _int_default(endpoint: Endpoint, wire: str | None) -> int | None:
    for prop in endpoint.query_parameters:
        if _text(prop.name) == wire and prop.default is not None and isinstance(prop.default.raw_value, int | float):
            return int(prop.default.raw_value)
    return None


def _runtime_imports(params: Iterable[Param], type_imports: set[str]) -> set[str]:
    """Import lines for names in defaults (an enum member, `datetime.date…`, `UUID(…)`), which run when the
    method is defined."""
    needed: set[str] = set()
    for param in params:
        if param.default:
            needed.update(_names_in_code(param.default))
    return {line for line in type_imports if line.split(" import ")[-1].removeprefix("import ") in needed}


@functools.lru_cache(maxsize=4096)
def _names_in_code(code: str) -> frozenset[str]:
    """The top-level names a Python expression uses (`Type.CODE` → Type; `datetime.date(2024, 1, 1)` → datetime),
    once per expression: nearly every default is `UNSET` (Kubernetes apps: 658 parses of a few texts)."""
    return frozenset(node.id for node in ast.walk(ast.parse(code, mode="eval")) if isinstance(node, ast.Name))


__all__ = [
    "INLINE_LITERAL_LIMIT",
    "OPTION_KEYWORDS",
    "Body",
    "BodyVariant",
    "ClientPlan",
    "Credential",
    "LiteralAlias",
    "Method",
    "OperationIndex",
    "Param",
    "Resource",
    "SdkModel",
    "WebhookPlan",
    "build_method",
    "build_model",
    "credentials_of",
    "python_source",
    "resource_attribute",
]
