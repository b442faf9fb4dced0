"""SDK decisions a reviewer should see: written into the normalized spec as `x-sdk-*` extensions.

The SDK model (codegen/model.py) reads these and nothing else to decide how an operation pages
(`x-sdk-pagination`) and what a method returns (`x-sdk-unwrap`). An override (a patch setting the
extension on an operation, or `false` to turn it off) wins over the rule here, because patches apply
first and these passes leave an operation that already has a decision.
"""

from __future__ import annotations

import re
from typing import Any

from ...spec.pointer import deref, pointer
from ..context import Overrides, PassLog
from ..naming import pascal_case
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
    openai-python and stripe-python return the resource; `data` holding several members (a product and
    its offers) is returned whole, and `{data: [...]}` is its list. A list that pages returns its
    pages (`x-sdk-pagination` decides); the raw response keeps the whole body.
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
    # An envelope: `data`, beside nothing or a constant `status` (any other member would be lost).
    others = [n for n in properties if n != "data"]
    if "data" not in properties or any(
        n != "status" or "const" not in (deref(doc, properties[n]) or {}) for n in others
    ):
        return None
    data = _object(doc, properties["data"])
    members = (data.get("properties") or {}) if isinstance(data, dict) else {}
    if len(members) == 1:
        ((name, member),) = members.items()
        inner = _object(doc, member)
        if isinstance(inner, dict) and "object" in types_of(inner) and inner.get("properties"):
            return ["data", str(name)]
    return ["data"]


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
        if not str(status).startswith("2"):
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
