"""What the package README shows: the plan `templates/README.md.jinja` and its sections print.

The operations its examples call are picked from the SDK model (every example in the README is run by
tests/sdk/test_readme.py), and each part of the text that depends on the API is made here, so the guide fits every
API the registry holds; `ReadmePlan.sections` names the optional parts that apply (templates/readme/<name>.md.jinja).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .escape import md_code, md_text, py_str, py_value
from .model import BodyVariant, Credential, Method, Param, Resource, SdkModel
from .records import Operation

__all__ = ["ReadmePlan"]


@dataclass(frozen=True)
class ReadmePlan:
    """The operations the package README uses as examples (every example in it is run by the tests), and the text
    of each part that depends on the API; `sections` are the optional parts that apply, in order."""

    resource: str | None  # the client attribute of the first resource with both `list` and `retrieve`
    item: str  # the variable name of one of its items ('order')
    write: str | None  # a write on one item of it that needs nothing but the id (its method name)
    idempotent: bool  # some operation declares an Idempotency-Key header
    paginated: bool  # the resource's `list` pages
    base: str  # the base_url argument the examples pass ('' when the spec names a server)
    create: str | None = None  # a call creating something from keywords: `orders.create(amount_kg=10)`
    variants: tuple[
        str, ...
    ] = ()  # the same call in the body's other forms (`orders.create(total_price_usd_cents=10)`)
    body_dict: str | None = None  # the same body as `body={...}`
    # The same body as its model, as a caller builds one: (the class, `Class(keyword=value, ...)`, the method).
    body_model: tuple[str, str, str] | None = None
    enum_call: str | None = None  # a list filtered by enum values given as strings: `orders.list(statuses=["PAID"])`
    envelope: tuple[str, ...] = ()  # what a method unwraps from an envelope (`data`, `order`), if any
    unwrapped: Method | None = None  # an operation on one item that returns what its envelope carries
    # The exceptions to "a method returns the resource": its envelope's `data` whole (no single resource in it),
    # or the resource without the members beside it (`data.subscription`, kept by the raw response).
    returns_data: tuple[Method, ...] = ()
    with_beside: tuple[Method, ...] = ()
    beside_example: Method | None = None  # one of those on one item that needs nothing but its id
    package: str = ""  # the import package the examples import models from
    deprecated: tuple[Operation, ...] = ()
    credentials: tuple[Credential, ...] = ()
    webhooks: bool = False  # the API has a webhooks module (its README section shows its receiver)
    # The event type the test double's signed delivery example uses (the API has webhooks and a module to sign them).
    signed_webhook: str | None = None
    page_size: str | None = None  # the keyword that sets the page size of the example resource's list
    refusal_call: str | None = None  # `orders.create`: a create whose body has required fields (refused as `body={}`)
    operations: str = ""  # the table of every method (`| client.x.y() | METHOD /path | operationId |` rows)
    custom_path: str | None = None  # the example resource's `retrieve` path, its id filled in (a custom request)
    upload: str | None = None  # a method taking one file as its body, on one item: `subaccounts.upload_logo`

    @classmethod
    def of(cls, model: SdkModel, *, webhooks: bool = False) -> ReadmePlan:
        resource = _example_resource(model)
        create, variants, body_dict = _creation_calls(model, resource)
        creation = _creation(model, resource)
        return cls(
            resource=resource.attribute if resource else None,
            item=_item_name(resource),
            write=_write(resource),
            idempotent=any(op.idempotency_header for op in model.operations),
            paginated=_pages(resource),
            base="" if model.default_base_url else 'base_url="https://api.example.com"',
            create=create,
            variants=variants,
            body_dict=body_dict,
            body_model=_model_call(creation) if creation and body_dict else None,
            enum_call=_enum_call(model, resource),
            envelope=_envelope(model),
            unwrapped=_unwrapped_example(resource),
            returns_data=_methods_where(model, lambda m: m.returns_data),
            with_beside=_methods_where(model, lambda m: bool(m.beside)),
            package=model.package,
            beside_example=_beside_example(model),
            deprecated=_deprecated(model),
            credentials=model.credentials,
            webhooks=webhooks,
            signed_webhook=_signed_webhook(model) if webhooks else None,
            page_size=_page_size(resource),
            refusal_call=_refusal_call(create),
            operations=_operations_table(model),
            custom_path=_custom_path(resource, _item_name(resource).upper() + "_ID"),
            upload=_upload(model),
        )

    @property
    def sections(self) -> tuple[str, ...]:
        """The optional parts of the README that apply (templates/readme/<name>.md.jinja), in order."""
        chosen = {
            "quickstart_retrieve": self.resource is not None,
            "usage": True,
            **self._calling_sections(),
            "errors": True,
            "retries": True,
            "retries_idempotency_key": self.idempotent and self.resource is not None and self.write is not None,
            "pagination": self.paginated and self.resource is not None,
            "raw_responses": self.resource is not None,
            "custom_requests": bool(self.credentials) and self.custom_path is not None,
            "uploads": self.upload is not None,
            "async": True,
            "logging": True,
            "deprecated": bool(self.deprecated),
            "webhooks": self.webhooks,
            "testing": True,
            "operations": True,
        }
        return tuple(name for name, applies in chosen.items() if applies)

    def _calling_sections(self) -> dict[str, bool]:
        """The sections on calling the API, from requests to authentication: none for an API without credentials."""
        if not self.credentials:
            return {}
        return {
            "requests": True,
            "create": self.create is not None,
            "sends": True,
            "sends_model": self.body_model is not None,
            "extras": True,
            "extras_create": self.create is not None,
            "responses": True,
            "responses_exceptions": bool(self.returns_data or self.with_beside),
            "responses_beside": self.beside_example is not None,
            "responses_unwrapped": self.unwrapped is not None and self.resource is not None,
            "responses_fields": True,
            "responses_fields_example": self.resource is not None,
            "authentication": True,
            "authentication_several": len(self.credentials) > 1,
            "authentication_example": True,
        }

    @property
    def id_value(self) -> str:
        return f"{self.item.upper()}_ID"

    @property
    def key_comment(self) -> str:
        return "  # keys from the environment, see Authentication" if self.credentials else ""

    @property
    def several_forms(self) -> str:
        return " (a body with several forms takes the\nfields of one of them)" if self.variants else ""

    @property
    def variant_lines(self) -> str:
        """The create call in the body's other forms, a line each."""
        return "".join(f"client.{call}  # the body's other form\n" for call in self.variants)

    @property
    def base_argument(self) -> str:
        return f", {self.base}" if self.base else ""

    @property
    def extra_call(self) -> str:
        """`orders.create(amount_kg=10, extra_body=..., extra_headers=...)` (the create call with options)."""
        return f'{(self.create or "")[:-1]}, extra_body={{"source": "docs"}}, extra_headers={{"X-Trace-Id": "t-1"}})'

    @property
    def envelope_text(self) -> str:
        if not self.envelope:
            return ""
        return (
            ": this API wraps its answers as\n"
            '`{"status": "success", "data": {...}}`, and a method returns what the envelope carries '
            f"(`data.{self.envelope[-1]}`\nwhen `data` holds one object, else `data`)"
        )

    @property
    def exception_lines(self) -> str:
        """The Responses section's list of the methods that do not return the resource an envelope carries."""
        lines = [
            f"- {md_code(f'client.{m.resource}.{m.method_name}()')} returns the answer's `data` whole "
            f"({md_code(str(m.returns))}): it holds no single resource."
            for m in self.returns_data
        ]
        lines += [
            f"- {md_code(f'client.{m.resource}.{m.method_name}()')} returns the {md_code(str(m.returns))}; the answer "
            f"also carries {', '.join(md_code(path) for path in m.beside)}, which the raw response keeps "
            f"({md_code(f'{m.envelope}.from_dict(raw.json())')} reads it typed)."
            for m in self.with_beside
        ]
        return "\n".join(lines)

    @property
    def beside_code(self) -> str:
        """The Responses example of a method whose answer carries more than its resource: both, from one raw call."""
        m = self.beside_example
        if m is None:
            return ""
        call = f'client.{m.resource}.with_raw_response.{m.method_name}("{str(m.returns).upper()}_ID")'
        return (
            f"from {self.package}.models import {m.envelope}\n\n"
            f"raw = {call}\n"
            f"returned, whole = raw.parse(), {m.envelope}.from_dict(raw.json())"
            f"  # the {m.returns}, and the whole answer\n"
            f"print(returned, whole.{m.beside[0]})"
        )

    @property
    def credential_lines(self) -> str:
        """The Authentication section's list: each key argument, how it is sent, its environment variable."""
        return "\n".join(
            f"- `{c.parameter}` (sent as {md_code(c.name + (': Bearer' if c.style == 'bearer' else ''))}), "
            f"read from {md_code(c.env)} when not passed."
            for c in self.credentials
        )

    @property
    def credential_arguments(self) -> str:
        """The arguments of the Authentication example's client (each key from its variable, then the base URL)."""
        lines = [f"    {c.parameter}=os.environ[{py_str(c.env)}]," for c in self.credentials]
        return "\n".join([*lines, *([f"    {self.base},"] if self.base else [])])

    @property
    def retry_note(self) -> str:
        if self.idempotent:
            return (
                " (the SDK sends one on every operation that declares it, generated once per\n"
                "call and the same on every attempt)"
            )
        return (
            "; this API declares none, so a write is retried only when it never left the\n"
            "client (the connection was refused)"
        )

    @property
    def retry_calls(self) -> str:
        """The per-client and per-call options of the Retries example (none without a resource to call)."""
        if self.resource is None:
            return ""
        call = f'client.{self.resource}.retrieve("{self.id_value}"'
        return (
            f'\nclient.with_options(max_retries=0).{self.resource}.retrieve("{self.id_value}")'
            f'\n{call}, timeout=5.0, max_retries=1, extra_headers={{"X-Trace-Id": "t-1"}})'
        )

    @property
    def error_call(self) -> str:
        return f'client.{self.resource}.retrieve("does-not-exist")' if self.resource else "pass  # any call"

    @property
    def raw_method(self) -> str:
        return self.write or "retrieve"

    @property
    def raw_headers(self) -> str:
        return ', raw.headers.get("X-Idempotent-Replay")' if self.idempotent else ""

    @property
    def async_note(self) -> str:
        return "; list methods can be awaited (first page) or iterated with `async for`" if self.paginated else ""

    @property
    def async_body(self) -> str:
        """The body of the Async example's `async with` block."""
        if self.resource is None:
            return "        print(client)"
        first = f'        {self.item} = await client.{self.resource}.retrieve("{self.id_value}")'
        if self.paginated:
            loop = f"        async for {self.item} in client.{self.resource}.list():\n            print({self.item})"
            return f"{first}\n{loop}"
        return f"{first}\n        print(await client.{self.resource}.list())"

    @property
    def fake_pages_note(self) -> str:
        if not self.paginated:
            return ""
        return (
            "; a list pages through the\n  example's items (made up to three with copies under new ids) in the "
            "operation's own paging style"
        )

    @property
    def respond_example(self) -> str:
        return f"{self.resource}.retrieve" if self.resource else "resource.method"

    @property
    def page_size_argument(self) -> str:
        return f"{self.page_size}=2" if self.page_size else ""

    @property
    def page_calls_check(self) -> str:
        return "    assert len(fake.calls) == 3  # pages of 2, 2 and 1\n" if self.page_size else ""

    @property
    def deprecated_lines(self) -> str:
        return "\n".join(
            f"- {md_code(f'client.{op.qualified_name}()')}"
            + (
                f": use {md_code(f'client.{op.deprecation.replacement}()')}"
                if op.deprecation and op.deprecation.replacement
                else ""
            )
            for op in self.deprecated
        )


def _envelope(model: SdkModel) -> tuple[str, ...]:
    """The members the first operation that unwraps its answer reads the result from (`data`); empty: none does."""
    return next((op.unwrap for op in model.operations if op.unwrap and op.success_status), ())


def _beside_example(model: SdkModel) -> Method | None:
    """A method returning its resource without the members beside it, on one item, that needs nothing but its id."""
    return next((m for m in model.methods if m.beside and m.operation.path.count("{") == 1 and not _required(m)), None)


def _methods_where(model: SdkModel, test: Callable[[Method], bool]) -> tuple[Method, ...]:
    return tuple(m for m in model.methods if test(m))


def _deprecated(model: SdkModel) -> tuple[Operation, ...]:
    return tuple(op for op in model.operations if op.deprecation)


def _signed_webhook(model: SdkModel) -> str | None:
    return min((e.type for e in model.webhooks.events), default=None)


def _refusal_call(create: str | None) -> str | None:
    """The method of a create call that passes a body (`orders.create`): sent as `body={}`, it is refused."""
    return create.split("(")[0] if create and not create.endswith("()") else None


def _example_resource(model: SdkModel) -> Resource | None:
    """The first resource with both `list` and `retrieve`: the one the examples call."""
    return next((r for r in model.resources if {"list", "retrieve"} <= {m.name for m in r.methods}), None)


def _item_name(resource: Resource | None) -> str:
    """The variable an example holds one item of the resource in (`orders` → `order`)."""
    name = resource.name if resource else ""
    return name[:-1] if name.endswith("s") else "item"


def _pages(resource: Resource | None) -> bool:
    """The example resource's `list` pages."""
    listing = next((m for m in resource.methods if m.name == "list"), None) if resource else None
    return listing is not None and listing.operation.pagination is not None


def _creation_calls(model: SdkModel, resource: Resource | None) -> tuple[str | None, tuple[str, ...], str | None]:
    """(the create call by keywords, the same in the body's other forms, the same with `body={...}`)."""
    create = _creation(model, resource)
    calls = [_call(create, v) for v in create.body.variants] if create and create.body else []
    if create is None or not calls:
        return None, (), None
    (first, as_dict), others = calls[0], calls[1:]
    return first, tuple(call for call, _ in others), f"{create.resource}.{create.method_name}(body={as_dict})"


def _page_size(resource: Resource | None) -> str | None:
    """The keyword that sets the page size of the example resource's list, if it has one."""
    listing = next((m for m in resource.methods if m.name == "list"), None) if resource else None
    pagination = listing.operation.pagination if listing else None
    if listing is None or pagination is None or pagination.size is None:
        return None
    return next((p.keyword for p in listing.query_params if p.argument == pagination.size), None)


def _operations_table(model: SdkModel) -> str:
    """The rows of the README's table of every method: `| client.x.y() | METHOD /path | operationId |`."""
    rows = []
    for m in model.methods:
        call, http = f"client.{m.resource}.{m.method_name}()", f"{m.operation.method} {m.operation.path}"
        rows.append(f"| {md_code(call)} | {md_code(http)} | {md_text(m.operation.operation_id)} |")
    return "\n".join(rows)


def _custom_path(resource: Resource | None, id_value: str) -> str | None:
    """Python code of the path of the example resource's `retrieve`, its id filled in: `"/orders/ORDER_ID"`."""
    retrieve = next((m for m in resource.methods if m.name == "retrieve"), None) if resource else None
    if retrieve is None or retrieve.operation.path.count("{") != 1:
        return None
    return py_str(re.sub(r"\{[^}]*\}", id_value, retrieve.operation.path))


def _upload(model: SdkModel) -> str | None:
    """`resource.method` of the first method that takes one file as its body and one id (the Uploads example)."""
    return next(
        (
            f"{m.resource}.{m.method_name}"
            for m in model.methods
            if m.body and m.body.file and m.operation.path.count("{") == 1
        ),
        None,
    )


def _write(resource: Resource | None) -> str | None:
    """A write on one item of the resource that needs nothing but its id (the raw and idempotency examples)."""
    if resource is None:
        return None
    return next(
        (
            m.name
            for m in resource.methods
            if m.operation.method in ("POST", "PATCH", "DELETE")
            and m.operation.path.count("{") == 1
            and not any(v.required_keywords for v in (m.body.variants if m.body else ()))
            and (m.body is None or m.body.variants)
        ),
        None,
    )


def _unwrapped_example(resource: Resource | None) -> Method | None:
    """An operation on one item that returns what its envelope carries (its `retrieve` when it has one)."""
    on_one = [
        m
        for m in (resource.methods if resource else ())
        if len(m.operation.unwrap) > 1 and m.operation.path.count("{") == 1 and not _required(m)
    ]
    return next((m for m in on_one if m.name == "retrieve"), on_one[0] if on_one else None)


def _creation(model: SdkModel, resource: Resource | None) -> Method | None:
    """A `create` whose required fields take plain values: the README resource's own, else the first."""
    candidates = [m for m in model.methods if m.name == "create" and m.overloaded and m.body]
    if resource is not None:
        candidates.sort(key=lambda m: m.resource != resource.name)
    return next((m for m in candidates if all(_sample(f) is not None for f in _required(m))), None)


def _required(method: Method) -> tuple[Param, ...]:
    variant = method.body.variants[0] if method.body and method.body.variants else None
    return tuple(f for f in variant.fields if f.keyword in variant.required_keywords) if variant else ()


def _sample(param: Param) -> str | None:
    """Python code of an example value for a parameter: its first enum value, a number or a string."""
    values = param.annotation.literal_values()
    if values:
        return py_value(values[0])
    members = [str(m) for m in param.annotation.members]
    if "int" in members or "float" in members:
        return "10"
    if members[:1] == ["str"]:
        return '"example"'
    return None


def _model_call(method: Method) -> tuple[str, str, str] | None:
    """(the class, `Class(keyword=value, ...)`, `resource.method`) of the body's first variant with its required
    fields: the constructor takes the model's attribute names (`type_`), which the method's keywords may not be."""
    if method.body is None or not method.body.variants:
        return None
    variant = method.body.variants[0]
    fields = [f for f in variant.fields if f.keyword in variant.required_keywords]
    keywords = ", ".join(f"{f.argument}={_sample(f) or EXAMPLE}" for f in fields)
    return variant.name, f"{variant.name}({keywords})", f"{method.resource}.{method.method_name}"


# The example value of a field `_sample` has none for.
EXAMPLE = '"example"'


def _call(method: Method, variant: BodyVariant) -> tuple[str, str]:
    """(`resource.method(keyword=value, ...)`, the same body as a dict of JSON names) for one variant."""
    fields = [f for f in variant.fields if f.keyword in variant.required_keywords]
    samples = [(f, _sample(f) or EXAMPLE) for f in fields]
    keywords = ", ".join(f"{f.keyword}={value}" for f, value in samples)
    as_dict = "{" + ", ".join(f"{py_str(f.wire_name)}: {value}" for f, value in samples) + "}"
    return f"{method.resource}.{method.method_name}({keywords})", as_dict


def _enum_call(model: SdkModel, resource: Resource | None) -> str | None:
    """A `list` call with an enum query parameter given as plain strings (a list of them first)."""
    candidates = [
        (m, param)
        for m in model.methods
        if m.name == "list"
        for param in m.query_params
        if param.annotation.literal_values()
    ]
    candidates.sort(
        key=lambda c: (not c[1].annotation.members[0].is_list, c[0].resource != getattr(resource, "name", None))
    )
    for m, param in candidates:
        sample = _sample(param)
        if sample is not None:
            value = f"[{sample}]" if param.annotation.members[0].is_list else sample
            return f"{m.resource}.{m.method_name}({param.keyword}={value})"
    return None
