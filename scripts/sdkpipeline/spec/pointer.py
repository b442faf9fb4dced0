"""JSON pointers (RFC 6901) and local `$ref` resolution: the one place both are written."""

from __future__ import annotations

from typing import Any, TypeGuard

Token = str | int


def escape(token: Token) -> str:
    """Escape one reference token: `/` → `~1`, `~` → `~0`."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: Token) -> str:
    """Build a pointer from unescaped tokens: pointer("paths", "/orders") == "/paths/~1orders"."""
    return "".join("/" + escape(t) for t in tokens)


def parse(json_pointer: str) -> list[str]:
    """The unescaped tokens of a pointer ("" is the whole document)."""
    if json_pointer == "":
        return []
    if not json_pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {json_pointer!r}")
    return [unescape(t) for t in json_pointer[1:].split("/")]


def get(doc: Any, tokens: list[str] | tuple[Token, ...]) -> Any:
    """The node at `tokens`; list indices may be given as strings. Raises KeyError/IndexError/ValueError."""
    node = doc
    for token in tokens:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def is_local_ref(ref: object) -> TypeGuard[str]:
    return isinstance(ref, str) and (ref == "#" or ref.startswith("#/"))


def ref_tokens(ref: str) -> list[str]:
    """The tokens a local `$ref` ('#/components/schemas/Order') points to."""
    if not is_local_ref(ref):
        raise ValueError(f"not a local reference: {ref!r}")
    return parse(ref[1:])


def resolve_ref(doc: Any, ref: str) -> Any:
    """The node a local `$ref` points to. Raises KeyError/IndexError/ValueError/TypeError when there is none."""
    return get(doc, ref_tokens(ref))


def deref(doc: Any, node: Any, *, limit: int = 64) -> Any:
    """Follow `$ref`s from `node` until a node that is not a local reference (at most `limit` hops)."""
    for _ in range(limit):
        if not (isinstance(node, dict) and is_local_ref(node.get("$ref"))):
            return node
        node = resolve_ref(doc, node["$ref"])
    raise ValueError("reference chain too long (a cycle of $refs?)")


def component_name(ref: str) -> str | None:
    """'#/components/schemas/Order' → 'Order' (None for any other reference)."""
    tokens = ref_tokens(ref) if is_local_ref(ref) else []
    if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
        return tokens[2]
    return None
