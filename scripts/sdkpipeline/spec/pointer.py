"""JSON pointers (RFC 6901) and local `$ref` resolution: the one place both are written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeGuard

Token = str | int
Tokens = tuple[Token, ...]
# A place as (the parent's place, its token): a walk makes one per node for nothing, and spells out (trail_tokens)
# only the places it reports.
Trail = tuple["Trail", Token] | None


def escape(token: Token) -> str:
    """Escape one reference token: `/` → `~1`, `~` → `~0`."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: Token) -> str:
    """Build a pointer from unescaped tokens: pointer("paths", "/orders") == "/paths/~1orders"."""
    # escape() written out: the normalizer builds a pointer for every schema it walks (1.2 million tokens in 10 MB).
    return "".join(["/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens])


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


def find(doc: Any, tokens: list[str] | tuple[Token, ...]) -> Any:
    """The node at `tokens`, or None when there is none (list indices may be given as strings)."""
    node = doc
    for token in tokens:
        if isinstance(node, list) and str(token).isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return None
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


def schema_ref(name: str) -> str:
    """'Order' → '#/components/schemas/Order', the reference `component_name` reads back (the name escaped)."""
    return "#" + pointer("components", "schemas", name)


def component_name(ref: str) -> str | None:
    """'#/components/schemas/Order' → 'Order' (None for any other reference)."""
    tokens = ref_tokens(ref) if is_local_ref(ref) else []
    if len(tokens) == 3 and tokens[:2] == ["components", "schemas"]:
        return tokens[2]
    return None


# Mappings whose keys are names (a property, a status code, a media type, a component), never keywords: a
# property called `default` or `example` holds a schema like any other. `components` holds such mappings.
_NAME_MAPS = frozenset(
    {
        *("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "paths", "webhooks"),
        *("responses", "content", "encoding", "headers", "links", "callbacks", "variables", "mapping", "scopes"),
        *("schemas", "parameters", "examples", "requestBodies", "securitySchemes", "pathItems"),
    }
)
# Keywords whose values are data (example values, defaults, enum members, an Example Object's value) or
# vendor extensions: a `$ref` inside them is text, not a reference.
_DATA_KEYWORDS = frozenset({"example", "default", "enum", "const", "value"})
# Name maps that are OpenAPI objects, so may hold `x-` extensions beside their names.
_EXTENSIBLE_MAPS = frozenset({"paths", "responses", "callbacks"})
_KEYWORDS, _NAMES, _SECTIONS, _NAMES_AND_EXTENSIONS = 0, 1, 2, 3  # what the keys of a mapping are


def references(node: Any, tokens: Tokens = (), *, names: bool = False) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    """(tokens, the mapping holding it) for every `$ref` that is a reference, depth first, from `node` (whose
    keys are `names` when it is a mapping like `paths` or `components/responses`, else keywords).

    A `$ref` inside example values, defaults, enum members or `x-` extensions is data the document
    carries (Spotify's policy extension refers to a file of its own): it is neither followed nor rewritten.
    A mapping that YAML aliases put at several places is walked at the first of them only.
    """
    # Each entry's place is a trail (the parent's trail, this token), spelled out as tokens only at a `$ref`:
    # building a tuple for every mapping and list of the document cost more than the rest of the walk.
    stack: list[tuple[Any, Trail, int]] = [(node, None, _NAMES if names else _KEYWORDS)]
    # A YAML alias puts one mapping at many places: walked once, so a "billion laughs" costs its text, not 10^9.
    walked: set[int] = set()
    while stack:
        current, trail, keys = stack.pop()
        if id(current) in walked:
            continue
        walked.add(id(current))
        if isinstance(current, list):
            stack.extend((v, (trail, i), _KEYWORDS) for i, v in enumerate(current) if isinstance(v, (dict, list)))
            continue
        if not isinstance(current, dict):
            continue
        if keys == _KEYWORDS and isinstance(current.get("$ref"), str):
            yield (*tokens, *trail_tokens(trail)), current
        for key, value in current.items():
            if not isinstance(value, (dict, list)) or (keys != _NAMES and isinstance(key, str) and key[:2] == "x-"):
                continue
            if keys != _KEYWORDS:
                stack.append((value, (trail, key), _NAMES if keys == _SECTIONS else _KEYWORDS))
            elif key in _DATA_KEYWORDS or (key == "examples" and isinstance(value, list)):
                continue  # data (a schema's `examples` are values, not Example Objects)
            elif key == "components":
                stack.append((value, (trail, key), _SECTIONS))
            else:
                kind = _NAMES_AND_EXTENSIONS if key in _EXTENSIBLE_MAPS else _NAMES if key in _NAME_MAPS else _KEYWORDS
                stack.append((value, (trail, key), kind))


def trail_tokens(trail: Trail) -> list[Token]:
    """The tokens of a trail, root first."""
    out: list[Token] = []
    while trail is not None:
        trail, token = trail
        out.append(token)
    out.reverse()
    return out
