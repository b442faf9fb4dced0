"""SDK decisions a reviewer should see: written into the normalized spec as `x-sdk-*` extensions.

The SDK model (codegen/model.py) reads these and nothing else to decide how an operation pages
(`x-sdk-pagination`) and what a method returns (`x-sdk-unwrap`). An override (a patch setting the
extension on an operation, or `false` to turn it off) wins over the rule here, because patches apply
first and these passes leave an operation that already has a decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ...spec.pointer import component_name, deref, pointer
from ...spec.statuses import is_success
from ..classnames import TakenNames, free_class_name
from ..context import Overrides, PassLog, Reference
from ..naming import pascal_case, singular
from ..walk import operations, types_of
from ._common import Document

PAGINATION = "x-sdk-pagination"
UNWRAP = "x-sdk-unwrap"

# The pagination styles, recognised by the operation's query parameters (first match wins):
#   cursor: `limit` and `starting_after` (CNaught; `ending_before` pages backwards)
#   offset: `skip` and `take`, with a `count` or `total` beside the items (Fungies)
#   token:  `cursor`, with the next cursor (`cursor`/`next_cursor`) and `has_more` beside the items
#   page:   `page`, with `pages`/`total_pages` beside the items
_SIZE_NAMES = {
    "cursor": ("limit",),
    "offset": ("take",),
    "token": ("take", "limit"),
    "page": ("limit", "per_page", "take"),
}
_SIBLINGS = {
    "offset": (("total", ("count", "total")),),
    "token": (("next_cursor", ("cursor", "next_cursor")), ("has_more", ("has_more",))),
    "page": (("pages", ("pages", "total_pages")),),
}


def describe_pagination(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Record how each list operation pages (`x-sdk-pagination`), from its query parameters and response."""
    for path, method, op in operations(doc):
        if PAGINATION in op:
            continue  # decided by an override (or by an earlier run)
        decision = pagination_of(doc, op)
        if decision is not None:
            op[PAGINATION] = decision
            log.change(
                pointer("paths", path, method, PAGINATION),
                f"{decision['kind']} pagination over {'.'.join(decision['items'])}",
            )
    return doc


def describe_unwrap(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Record what each method returns of its answer (`x-sdk-unwrap`): the resource an envelope carries.

    `{status: "success", data: {order: {...}}}` → `[data, order]`: the method returns the order, as
    openai-python and stripe-python return the resource. An envelope is known by its documented keys, not by
    its exact key set: `data` beside a constant marker (`status: success`), whatever else the vendor adds at
    the top (a request id, a timestamp: the raw response keeps them), or `data` alone; `data` beside only
    members that vary (`{id, type, data}`, `{data, meta}`) is a resource or a page that would lose them, and
    is returned whole. The member named after the operation's resource (`order` for `orders.*`) is chosen even
    beside others, so a member the vendor adds later never changes what a published method returns; else
    `data`'s only object member, else `data` itself; `{data: [...]}` is its list. A list that pages returns its
    pages (`x-sdk-pagination` decides). An override (a patch setting `x-sdk-unwrap: [data]`) keeps related
    objects together.
    """
    for path, method, op in operations(doc):
        if UNWRAP in op or isinstance(op.get(PAGINATION), dict):
            continue  # decided by an override, or a list whose pagination says where its items are
        decision = unwrap_of(doc, op)
        if decision is not None:
            op[UNWRAP] = decision
            log.change(pointer("paths", path, method, UNWRAP), f"the method returns the body's {'.'.join(decision)}")
    return doc


def unwrap_of(doc: Document, op: dict[str, Any]) -> list[str] | None:
    """The wire-name path to what the method returns, or None when it returns the whole body."""
    schema = _success_schema(doc, op)
    if not isinstance(schema, dict) or "object" not in types_of(schema):
        return None
    properties = schema.get("properties") or {}
    others = [n for n in properties if n != "data"]
    if "data" not in properties or (others and not any(_is_constant(deref(doc, properties[n])) for n in others)):
        return None
    data = _object(doc, properties["data"])
    members = {
        str(n): _object(doc, m) for n, m in ((data.get("properties") or {}) if isinstance(data, dict) else {}).items()
    }
    objects = [n for n, m in members.items() if isinstance(m, dict) and "object" in types_of(m) and m.get("properties")]
    resource = singular_word(str(op.get("x-sdk-resource") or "")).replace("_", "")
    named = [n for n in objects if _snake(n).replace("_", "") == resource]
    if named:
        return ["data", named[0]]
    if len(members) == 1 and objects:
        return ["data", objects[0]]
    return ["data"]


def _is_constant(schema: Any) -> bool:
    """A member with one possible value (`status: {const: success}`): what marks a body as an envelope."""
    if not isinstance(schema, dict):
        return False
    values = schema.get("enum")
    return "const" in schema or (isinstance(values, list) and len(values) == 1)


def pagination_of(doc: Document, op: dict[str, Any]) -> dict[str, Any] | None:
    """The pagination decision for one operation, or None when it does not page."""
    query = [str(p.get("name")) for p in _parameters(doc, op) if p.get("in") == "query"]
    kind, cursor = _kind(query)
    if kind is None or cursor is None:
        return None
    found = _items(doc, _success_schema(doc, op))
    if found is None:
        return None
    items, holder = found
    decision: dict[str, Any] = {"kind": kind, "items": items, "cursor": cursor}
    size = next((n for n in _SIZE_NAMES[kind] if n in query), None)
    if size is not None:
        decision["size"] = size
    if kind == "cursor" and "ending_before" in query:
        decision["reverse_cursor"] = "ending_before"
    # Siblings are matched by their snake_case name ('totalPages' is a `total_pages`).
    siblings = {_snake(str(n)): str(n) for n in holder.get("properties") or {}}
    for key, names in _SIBLINGS.get(kind, ()):
        name = next((siblings[n] for n in names if n in siblings), None)
        if name is not None:
            decision[key] = [*items[:-1], name]
    return decision


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", pascal_case(name)).lower()


def _in_order(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """Properties, the required ones first (the generator lists a model's fields in that order)."""
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    ordered = [n for n in properties if n in required] + [n for n in properties if n not in required]
    return [(str(n), properties[n]) for n in ordered]


def _kind(query: list[str]) -> tuple[str | None, str | None]:
    if "starting_after" in query and "limit" in query:
        return "cursor", "starting_after"
    if "skip" in query and "take" in query:
        return "offset", "skip"
    if "cursor" in query:
        return "token", "cursor"
    if "page" in query:
        return "page", "page"
    return None, None


def _parameters(doc: Document, op: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in (deref(doc, p) for p in op.get("parameters") or []) if isinstance(p, dict)]


def _success_schema(doc: Document, op: dict[str, Any]) -> Any:
    """The JSON schema of the operation's first 2xx response (None when it has none)."""
    for status, response in (op.get("responses") or {}).items():
        if not is_success(status):
            continue
        content = (deref(doc, response) or {}).get("content") or {}
        media = content.get("application/json")
        if isinstance(media, dict):
            return _object(doc, media.get("schema"))
    return None


def _object(doc: Document, schema: Any) -> Any:
    """`schema` with references followed and a nullable union (`anyOf: [X, null]`) read as X."""
    schema = deref(doc, schema)
    if isinstance(schema, dict) and isinstance(schema.get("anyOf"), list):
        real = [s for s in schema["anyOf"] if not (isinstance(s, dict) and types_of(s) == ["null"])]
        if len(real) == 1:
            return deref(doc, real[0])
    return schema


def _items(doc: Document, schema: Any) -> tuple[list[str], dict[str, Any]] | None:
    """(wire-name path to the first list of items, the object holding it): at the top or one level down."""
    if not isinstance(schema, dict):
        return None
    for name, sub in _in_order(schema):
        if "array" in types_of(_object(doc, sub)):
            return [name], schema
    for name, sub in _in_order(schema):
        inner = _object(doc, sub)
        if isinstance(inner, dict) and "object" in types_of(inner):
            for child, leaf in _in_order(inner):
                if "array" in types_of(_object(doc, leaf)):
                    return [name, child], inner
    return None


def name_sdk_classes(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Readable names for the classes a user meets in method signatures, by one rule (openai-python's).

    For `orders.update` (`PatchV0OrdersOrderIdOrNumberUpdate`): its request body is `OrderUpdateParams`,
    what it returns (when that is no named resource) `OrderUpdateResponse`, the envelope around a
    returned resource `OrderUpdateEnvelope`, a parameter's enum `OrderUpdate<Parameter>`. The name is
    the schema's `title` (the generator's class name), so components and JSON pointers keep the vendor's
    names. Only schemas named after the operation (by the vendor's operationId or, inline, by the
    generator) are named; a named resource (`Order`), a shared component and an existing title are kept.
    """
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    uses = _reference_counts(log.references(doc))
    taken = TakenNames.of_components(doc)
    taken.update(str(s["title"]) for s in _titled(doc))
    for path, method, op in operations(doc):
        resource, name = op.get("x-sdk-resource"), op.get("x-sdk-method")
        if not resource or not name:
            continue
        prefix = pascal_case(singular_word(str(resource))) + pascal_case(str(name))
        namer = _Namer(doc, schemas, uses, taken, log, owned=pascal_case(str(op.get("operationId") or "")))
        where = pointer("paths", path, method)
        body = _json_media(deref(doc, op.get("requestBody")))
        if body is not None:
            namer.name(body["schema"], f"{prefix}Params", f"{where}/requestBody")
        response = _success_media(doc, op)
        unwrap = op.get(UNWRAP)
        if response is not None and isinstance(unwrap, list) and unwrap:
            target = _unwrap_target(doc, response["schema"], [str(t) for t in unwrap])
            # What a shared envelope carries is named with it (SuccessResponse's data: SuccessResponseData).
            if target is not None and namer.owns(response["schema"]):
                namer.name(target, f"{prefix}Response", f"{where}/{UNWRAP}")
            namer.name(response["schema"], f"{prefix}Envelope", f"{where}/responses")
        elif response is not None:
            namer.name(response["schema"], f"{prefix}Response", f"{where}/responses")
        for param in _parameters(doc, op):
            if isinstance(param.get("schema"), dict):
                namer.name(param["schema"], prefix + pascal_case(str(param.get("name"))), f"{where}/parameters")
    _title_nullable_components(schemas, log)
    return doc


def singular_word(word: str) -> str:
    """`orders` → `order`, `checkout_sessions` → `checkout_session`, `impact` stays (last word only)."""
    head, _, last = word.rpartition("_")
    return f"{head}_{singular(last)}" if head else singular(last)


# How the vendor (express-zod-api) and the generator name a schema after its operation: <operationId><role>.
_OPERATION_ROLES = ("RequestBody", "Body", "PositiveResponse", "Response", "Parameter")


class _Namer:
    """Titles the schemas of one operation: its own components (used by it alone) and inline schemas."""

    def __init__(
        self,
        doc: Document,
        schemas: dict[str, Any],
        uses: dict[str, int],
        taken: TakenNames,
        log: PassLog,
        *,
        owned: str,
    ) -> None:
        self.doc, self.schemas, self.uses, self.taken, self.log, self.owned = doc, schemas, uses, taken, log, owned

    def owns(self, schema: Any) -> bool:
        """Inline, or a component named after this operation that only it uses."""
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not isinstance(ref, str):
            return True
        name = component_name(ref) or ""
        role = name[len(self.owned) :] if name.startswith(self.owned) else ""
        return role.startswith(_OPERATION_ROLES) and self.uses.get(ref, 0) == 1

    def name(self, schema: Any, title: str, where: str) -> None:
        if not self.owns(schema):
            return
        ref = schema.get("$ref")
        target = self.schemas.get(component_name(ref) or "") if isinstance(ref, str) else schema
        if not isinstance(target, dict) or not _is_class(target) or "title" in target:
            return  # no class, or already named (by an override, or an earlier run)
        if not isinstance(ref, str) and any(target is component for component in self.schemas.values()):
            return  # the same mapping as a component (a YAML alias): it is named by the component's name
        if title in self.taken:
            chosen = free_class_name(self.taken, title)
            self.log.warn(f"{where}: the class {title} exists already: this one is {chosen}")
            title = chosen
        target["title"] = title
        self.taken.add(title)
        at = pointer("components", "schemas", component_name(ref) or "") if isinstance(ref, str) else where
        self.log.change(at, f"class {title}")


def _titled(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema with a string `title` (the classes already named)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("title"), str) and ("properties" in current or "enum" in current):
                yield current
            # Mappings and lists only: the strings and numbers of a document far outnumber them.
            stack.extend(
                v for k, v in current.items() if isinstance(v, (dict, list)) and k not in ("example", "examples")
            )
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, (dict, list)))


def _reference_counts(refs: Iterable[Reference]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, holder in refs:
        counts[holder["$ref"]] = counts.get(holder["$ref"], 0) + 1
    return counts


def _json_media(owner: Any) -> dict[str, Any] | None:
    content = owner.get("content") if isinstance(owner, dict) else None
    media = content.get("application/json") if isinstance(content, dict) else None
    return media if isinstance(media, dict) and isinstance(media.get("schema"), dict) else None


def _success_media(doc: Document, op: dict[str, Any]) -> dict[str, Any] | None:
    for status, response in (op.get("responses") or {}).items():
        if is_success(status):
            return _json_media(deref(doc, response))
    return None


def _unwrap_target(doc: Document, schema: Any, path: list[str]) -> Any:
    """The schema `path` leads to from a body's schema (None when it is not there)."""
    node: Any = schema
    for token in path:
        holder = _object(doc, node)
        properties = holder.get("properties") if isinstance(holder, dict) else None
        if not isinstance(properties, dict) or token not in properties:
            return None
        node = properties[token]
    return node


def _is_class(schema: Any) -> bool:
    """Whether the generator makes a class of the schema (an enum or an object with properties)."""
    return isinstance(schema, dict) and ("enum" in schema or bool(schema.get("properties")))


def _title_nullable_components(schemas: dict[str, Any], log: PassLog) -> None:
    """`X: anyOf: [{object}, null]`: the object is class X, not the generator's `XType0`."""
    for name, schema in schemas.items():
        members = schema.get("anyOf") if isinstance(schema, dict) else None
        if not isinstance(members, list) or len(members) != 2:
            continue
        objects = [m for m in members if isinstance(m, dict) and "object" in types_of(m) and m.get("properties")]
        nulls = [m for m in members if isinstance(m, dict) and types_of(m) == ["null"]]
        if len(objects) == 1 and len(nulls) == 1 and "title" not in objects[0]:
            objects[0]["title"] = name
            log.change(pointer("components", "schemas", name), f"the non-null member is the class {name}")
