"""Finding every schema in an OpenAPI document, with its JSON pointer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]
Tokens = tuple[str | int, ...]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_SINGLE = ("items", "not", "additionalProperties", "contains", "if", "then", "else")
_SUBSCHEMA_KEYS = frozenset({"properties", *_SUBSCHEMA_LISTS, *_SUBSCHEMA_SINGLE})


@dataclass(slots=True)
class Slot:
    """A place holding a schema: replacing `container[key]` rewrites the document there."""

    tokens: Tokens
    container: Any
    key: str | int
    property_name: str | None  # the property (or array of items) this schema describes, if any

    @property
    def schema(self) -> Any:
        return self.container[self.key]

    def replace(self, value: Any) -> None:
        self.container[self.key] = value


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation, in document order."""
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op


def _media_slots(owner: Any, tokens: Tokens) -> Iterator[Slot]:
    content = owner.get("content") if isinstance(owner, dict) else None
    if isinstance(content, dict):
        for media, body in content.items():
            if isinstance(body, dict) and isinstance(body.get("schema"), dict):
                yield Slot((*tokens, "content", media, "schema"), body, "schema", None)


def root_slots(doc: dict[str, Any]) -> Iterator[Slot]:
    """Every top-level schema slot: components, parameters, bodies and responses."""
    components = doc.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        if isinstance(schema, dict):
            yield Slot(("components", "schemas", name), components["schemas"], name, None)
    for name, param in (components.get("parameters") or {}).items():
        if isinstance(param, dict) and isinstance(param.get("schema"), dict):
            yield Slot(("components", "parameters", name, "schema"), param, "schema", param.get("name"))
    for section in ("responses", "requestBodies"):
        for name, owner in (components.get(section) or {}).items():
            yield from _media_slots(owner, ("components", section, name))
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for i, param in enumerate(item.get("parameters") or []):
            if isinstance(param, dict) and isinstance(param.get("schema"), dict):
                yield Slot(("paths", path, "parameters", i, "schema"), param, "schema", param.get("name"))
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            base: Tokens = ("paths", path, method)
            for i, param in enumerate(op.get("parameters") or []):
                if isinstance(param, dict) and isinstance(param.get("schema"), dict):
                    yield Slot((*base, "parameters", i, "schema"), param, "schema", param.get("name"))
            yield from _media_slots(op.get("requestBody"), (*base, "requestBody"))
            for status, response in (op.get("responses") or {}).items():
                yield from _media_slots(response, (*base, "responses", str(status)))


def child_slots(slot: Slot) -> list[Slot]:
    """The direct sub-schemas of the schema in `slot`."""
    schema = slot.container[slot.key]
    # Most schemas are leaves (a string, a number): every pass walks each of them, so they are told apart first.
    if not isinstance(schema, dict) or _SUBSCHEMA_KEYS.isdisjoint(schema):
        return []
    # A list, not a generator: every pass walks every schema, and resuming a generator per child cost more than the
    # children themselves.
    out: list[Slot] = []
    tokens, named = slot.tokens, slot.property_name
    props = schema.get("properties")
    if isinstance(props, dict):
        at = (*tokens, "properties")
        for name, sub in props.items():
            if isinstance(sub, dict):
                out.append(Slot((*at, name), props, name, name))
    for key in _SUBSCHEMA_SINGLE:
        if isinstance(schema.get(key), dict):
            out.append(Slot((*tokens, key), schema, key, named))
    for key in _SUBSCHEMA_LISTS:
        subs = schema.get(key)
        if isinstance(subs, list):
            out.extend(Slot((*tokens, key, i), subs, i, named) for i, sub in enumerate(subs) if isinstance(sub, dict))
    return out


def all_slots(doc: dict[str, Any], *, post_order: bool = False) -> Iterator[Slot]:
    """Every schema slot in the document, parents before children (or children first)."""
    # An explicit stack keeps very deep documents from hitting the recursion limit; the walk is written out here
    # rather than in a generator per root, which every slot resumed (every pass walks every slot).
    for root in root_slots(doc):
        stack = [root]
        if post_order:
            out: list[Slot] = []
            while stack:
                current = stack.pop()
                out.append(current)
                stack.extend(child_slots(current))
            out.reverse()
            yield from out
            continue
        while stack:
            current = stack.pop()
            yield current
            children = child_slots(current)
            if children:
                children.reverse()
                stack.extend(children)


def stable_tokens(doc: dict[str, Any], tokens: Tokens) -> Tokens:
    """`tokens` with each parameter addressed by its name instead of its index, which shifts when one is added."""
    out: list[str | int] = []
    node: Any = doc
    for i, token in enumerate(tokens):
        parameters = i > 0 and tokens[i - 1] == "parameters" and isinstance(token, int) and isinstance(node, list)
        if isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            node = node.get(token) if isinstance(node, dict) else None
        if parameters and isinstance(node, dict) and isinstance(node.get("name"), str):
            out.append(str(node["name"]))
        else:
            out.append(token)
    return tuple(out)


def types_of(schema: Schema) -> list[str]:
    """The schema's `type` as a list; none for anything that is no schema object (a mutated or broken node)."""
    if not isinstance(schema, dict):
        return []
    t = schema.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return []


def is_nullable_type(schema: Schema) -> bool:
    return "null" in types_of(schema) and len(types_of(schema)) > 1
