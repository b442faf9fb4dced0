"""What the pass families share: the pass signature, prose keys, nullability, paths through references."""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from ...spec.pointer import is_local_ref, pointer, resolve_ref
from ..context import Overrides, PassLog
from ..walk import Schema, Tokens, is_nullable_type

Document = dict[str, Any]
Pass = Callable[[Document, Overrides, PassLog], Document]

# Keys that describe a schema to a reader but do not change what it accepts.
DOC_KEYS = frozenset({"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly"})
# Keys that stay on the usage site when a schema moves into a shared component.
USAGE_KEYS = ("description", "default", "title", "example", "examples", "deprecated", "readOnly", "writeOnly")


def ptr(tokens: Tokens) -> str:
    return pointer(*tokens)


def resolve_through_refs(doc: Document, tokens: list[str]) -> Any:
    """The node at raw-document `tokens`, following references and nullable unions where the path moved."""
    node: Any = doc
    for token in tokens:
        if isinstance(node, list):
            node = node[int(token)]
            continue
        if token not in node:
            node = through_ref(doc, node)
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def through_ref(doc: Document, node: Any) -> Any:
    """Follow a (possibly nullable) local schema reference; other nodes are returned as they are."""
    if isinstance(node, dict) and isinstance(node.get("anyOf"), list) and node["anyOf"]:
        node = node["anyOf"][0]  # `anyOf: [X, {type: 'null'}]` is how the passes write a nullable X
    if isinstance(node, dict) and is_local_ref(node.get("$ref")):
        return resolve_ref(doc, node["$ref"])
    return node


def is_nullable(schema: Schema) -> bool:
    return is_nullable_type(schema) or (isinstance(schema.get("enum"), list) and None in schema["enum"])


def free_name(taken: Container[str], base: str) -> str:
    """`base`, or `base2`, `base3`… whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"
