"""Checks that refuse a spec the generator would crash on or silently mishandle.

Each check raises one `PipelineError` naming the file, the JSON pointer (and the line, for the raw
document) and what to do. `check_raw_document` runs on the vendor document before the passes;
`check_normalized_document` on what the passes made of it, right before generation.
The generator's naming rules are those of openapi-python-client 0.29.1 (pinned in pyproject.toml):
https://github.com/openapi-generators/openapi-python-client/tree/v0.29.1/openapi_python_client/parser
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..spec.pointer import is_local_ref, pointer, ref_tokens, resolve_ref
from ..spec.pointer import parse as parse_pointer
from ..spec.yamlio import Document, line_of, too_deep
from .walk import Slot, all_slots, child_slots, operations, types_of

# A linked list of pointer tokens (parent, token): cheap to extend for every node of a large walk.
_Trail = tuple["_Trail", str | int] | None

# JSON Schema 2020-12 and OpenAPI 3.0/3.1 schema keywords the generator reads or may safely ignore
# (validation the client does not enforce, annotations).
_KNOWN_KEYWORDS = frozenset(
    {
        *("$schema", "$id", "$ref", "$anchor", "$dynamicAnchor", "$vocabulary", "$comment", "$defs"),
        *("allOf", "anyOf", "oneOf", "prefixItems", "items", "contains", "properties", "additionalProperties"),
        *("propertyNames", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum"),
        *("exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems"),
        *("maxContains", "minContains", "maxProperties", "minProperties", "required", "dependentRequired"),
        *("title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "format"),
        *("contentEncoding", "contentMediaType", "contentSchema"),
        *("discriminator", "xml", "externalDocs", "example", "nullable"),
    }
)
# Keywords that shape the data but that openapi-python-client drops without a word: a model generated
# without them would not describe what the API sends or accepts.
_UNSUPPORTED_KEYWORDS = {
    "not": "an excluded schema",
    "if": "a conditional schema",
    "then": "a conditional schema",
    "else": "a conditional schema",
    "patternProperties": "properties typed by name pattern",
    "dependentSchemas": "properties that depend on another property",
    "dependencies": "properties that depend on another property (draft 4-7)",
    "unevaluatedProperties": "a schema for unevaluated properties",
    "unevaluatedItems": "a schema for unevaluated items",
    "$dynamicRef": "a dynamic reference",
    "$recursiveRef": "a recursive reference",
}
# Applicators that are harmless as booleans (`unevaluatedProperties: false` only closes the object).
_BOOLEAN_OK = frozenset({"unevaluatedProperties", "unevaluatedItems"})

# What the generator can send (parser/bodies.py body_from_data) and read (parser/responses.py).
_REQUEST_TYPES = frozenset({"application/json", "application/x-www-form-urlencoded", "multipart/form-data"})
_BINARY = "application/octet-stream"


def check_raw_document(doc: Document, *, file: Path | None, max_depth: int, max_nodes: int) -> None:
    """Everything that can be judged on the vendor document itself."""
    check_size(doc, file=file, max_depth=max_depth, max_nodes=max_nodes)
    check_reference_depth(doc, file=file, max_depth=max_depth)
    check_unknown_keywords(doc, file=file)
    check_enum_case_collisions(doc, file=file)
    check_content_types(doc, file=file, before_passes=True)


def check_normalized_document(doc: Document, *, file: Path | None) -> None:
    """What only the normalized document shows (names the passes gave, bodies they rewrote)."""
    check_content_types(doc, file=file, before_passes=False)
    check_class_name_collisions(doc, file=file)


def check_size(doc: Document, *, file: Path | None, max_depth: int, max_nodes: int) -> None:
    """Refuse a document nested deeper than `max_depth` or with more than `max_nodes` nodes (aliases expanded)."""
    # Iterative: a hostile document must exhaust neither the stack nor the machine.
    stack: list[tuple[Any, int, _Trail]] = [(doc, 0, None)]
    nodes = 0
    while stack:
        node, depth, trail = stack.pop()
        nodes += 1
        if depth > max_depth:
            # Deeper text is refused while parsing (yamlio); this sees nesting made by YAML aliases.
            tokens = _tokens_of(trail)
            raise too_deep(tokens, max_depth=max_depth, file=file, line=_line_number(file, pointer(*tokens)))
        if nodes > max_nodes:
            where = pointer(*_tokens_of(trail)[:3])
            raise PipelineError(
                f"more than {max_nodes} nodes once YAML aliases are expanded, passed inside {where}: "
                "far too large to be a reasonable spec",
                file=file,
                where=where,
                hint="YAML aliases (*name) are copied wherever used: reference shared schemas with $ref instead",
            )
        if isinstance(node, dict):
            stack.extend((v, depth + 1, (trail, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, (trail, i)) for i, v in enumerate(node))


def check_reference_depth(doc: Document, *, file: Path | None, max_depth: int) -> None:
    """Refuse a component nested deeper than `max_depth` once the `$ref`s the generator inlines are followed.

    openapi-python-client names models and enums, but writes arrays, unions and allOf members into the
    type that uses them: a chain of array components (`A0: {items: {$ref: A1}}`, A1 …) is one type
    `list[list[…]]` that the generator builds recursively (RecursionError near 300 levels).
    Each component's own nesting is bounded by check_size; this follows the chain, iteratively.
    """
    schemas = (doc.get("components") or {}).get("schemas") or {}
    if not isinstance(schemas, dict):
        return
    local = {name: _inline_refs(name, schemas) for name, schema in schemas.items() if isinstance(schema, dict)}
    depth: dict[str, tuple[int, tuple[str, ...]]] = {}  # component → (inline depth, the chain reaching it)
    for start in local:
        # Post-order over the inline-reference graph with an explicit stack; a cycle is the generator's to report.
        stack: list[tuple[str, bool]] = [(start, False)]
        visiting: set[str] = set()
        while stack:
            name, expanded = stack.pop()
            if name in depth:
                continue
            own_depth, refs = local[name]
            if not expanded:
                visiting.add(name)
                stack.append((name, True))
                stack.extend((target, False) for _, target in refs if target not in depth and target not in visiting)
                continue
            visiting.discard(name)
            best: tuple[int, tuple[str, ...]] = (own_depth, (name,))
            for at, target in refs:
                # The target's root takes the place of the {$ref} at level `at`.
                if target in depth and at - 1 + depth[target][0] >= best[0]:
                    best = (at - 1 + depth[target][0], (name, *depth[target][1]))
            depth[name] = best
            if best[0] > max_depth:
                chain = " → ".join(best[1][:4]) + (" → …" if len(best[1]) > 4 else "")
                where = pointer("components", "schemas", name)
                raise PipelineError(
                    f"nested deeper than {max_depth} levels inside {where} once its $refs are followed "
                    f"({len(best[1])} components: {chain}): not a reasonable spec",
                    file=file,
                    where=where,
                    hint="arrays, unions and allOf members are written into the type that uses them: give the "
                    "nesting a named model (an object with properties) somewhere along the chain",
                )


def _inline_refs(name: str, schemas: dict[str, Any]) -> tuple[int, list[tuple[int, str]]]:
    """A component's own depth, and the components it inlines: (depth of the $ref in it, component name)."""
    prefix = "#/components/schemas/"
    deepest, refs = 1, []
    stack = [(Slot(("components", "schemas", name), schemas, name, None), 1, False)]
    while stack:
        slot, level, in_all_of = stack.pop()
        deepest = max(deepest, level)
        ref = slot.schema.get("$ref")
        token = ref.removeprefix(prefix) if isinstance(ref, str) and ref.startswith(prefix) else "/"
        target = schemas.get(token.replace("~1", "/").replace("~0", "~")) if "/" not in token else None
        # A dangling $ref is check_references' to report; a model or enum is written by name.
        if isinstance(target, dict) and (in_all_of or not _is_named_class(target)):
            refs.append((level, token.replace("~1", "/").replace("~0", "~")))
        stack.extend((child, level + 1, child.tokens[-2:-1] == ("allOf",)) for child in child_slots(slot))
    return deepest, refs


def _is_named_class(schema: dict[str, Any]) -> bool:
    """The generator refers to a model or an enum by its class name instead of writing it out."""
    return isinstance(schema.get("enum"), list) or isinstance(schema.get("properties"), dict)


def check_unknown_keywords(doc: Document, *, file: Path | None) -> None:
    """Refuse schema keywords the generator would silently drop, and keywords no schema has (typos)."""
    for slot in all_slots(doc):
        for key, value in slot.schema.items():
            if not isinstance(key, str) or key.startswith("x-"):
                continue
            where = pointer(*slot.tokens, key)
            if key in _UNSUPPORTED_KEYWORDS and not (key in _BOOLEAN_OK and isinstance(value, bool)):
                raise PipelineError(
                    f"schema keyword '{key}'{_line(file, where)} ({_UNSUPPORTED_KEYWORDS[key]}) is not supported: "
                    "openapi-python-client would drop it without a word, so the generated model would not "
                    "describe what the API sends",
                    file=file,
                    where=where,
                    hint="express it with properties/oneOf/anyOf through a patch in the API's overrides file, "
                    "or remove it with a `remove` patch whose reason says why the looser schema is right",
                )
            if key not in _KNOWN_KEYWORDS and key not in _UNSUPPORTED_KEYWORDS:
                raise PipelineError(
                    f"unknown schema keyword '{key}'{_line(file, where)}",
                    file=file,
                    where=where,
                    hint="a typo? Schema keywords are JSON Schema 2020-12 or OpenAPI ones; vendor extensions "
                    "start with 'x-'. Fix it with a patch in the API's overrides file",
                )


def check_enum_case_collisions(doc: Document, *, file: Path | None) -> None:
    """Refuse an enum whose values become the same Python member name (`usd`, `USD` → `USD`)."""
    from openapi_python_client.strings import snake_case  # the generator's own rule (enum_property.py)

    for slot in all_slots(doc):
        values = slot.schema.get("enum")
        if not isinstance(values, list):
            continue
        present = [v for v in values if v is not None]
        var_names = slot.schema.get("x-enum-varnames")
        use_var_names = isinstance(var_names, list) and len(var_names) == len(present)
        members: dict[str, Any] = {}
        for i, value in enumerate(present):
            if isinstance(value, bool) or not isinstance(value, str | int):
                continue  # the generator reports other value types itself
            if use_var_names:
                member = str(snake_case(str(var_names[i]))).upper()
            elif isinstance(value, int):
                member = f"VALUE_NEGATIVE_{-value}" if value < 0 else f"VALUE_{value}"
            else:
                key = value.upper() if value and value[0].isalpha() else f"VALUE_{i}"
                member = str(snake_case(key)).upper()
            if member in members:
                where = pointer(*slot.tokens, "enum", values.index(value, values.index(members[member]) + 1))
                raise PipelineError(
                    f"enum values {members[member]!r} and {value!r} both become member {member} of the "
                    f"generated Enum{_line(file, where)}",
                    file=file,
                    where=where,
                    hint="if they mean the same, drop one with a patch in the API's overrides file; if not, "
                    "name the members with x-enum-varnames",
                )
            members[member] = value


def check_content_types(doc: Document, *, file: Path | None, before_passes: bool) -> None:
    """Refuse request bodies and responses in a media type the generator cannot send or read.

    Before the passes, a raw binary request body is left alone: collapse_binary_request_bodies sends
    it as application/octet-stream (the check after the passes sees what it did not).
    """
    for path, method, op in operations(doc):
        base = ("paths", path, method)
        body, body_tokens = _resolve(doc, op.get("requestBody"), (*base, "requestBody"))
        for media, item in _content(body):
            binary = isinstance(item, dict) and isinstance(item.get("schema"), dict) and _is_binary(item["schema"])
            if not _can_send(media) and not (before_passes and binary):
                where = pointer(*body_tokens, "content", media)
                raise PipelineError(
                    f"request body media type '{media}' of {method.upper()} {path}{_line(file, where)} is "
                    "not supported: openapi-python-client sends JSON, forms, multipart and octet-stream only",
                    file=file,
                    where=where,
                    hint="if the API also takes JSON, remove this media type with a `remove` patch in the "
                    "API's overrides file; a raw binary body needs `schema: {type: string, format: binary}`",
                )
        for status, response in (op.get("responses") or {}).items():
            resolved, tokens = _resolve(doc, response, (*base, "responses", str(status)))
            media_types = [media for media, _ in _content(resolved)]
            if media_types and not any(_can_read(m) for m in media_types):
                where = pointer(*tokens, "content")
                raise PipelineError(
                    f"response {status} of {method.upper()} {path}{_line(file, where)} comes only as "
                    f"{', '.join(media_types)}, which openapi-python-client cannot read "
                    "(it reads JSON, text/* and application/octet-stream)",
                    file=file,
                    where=where,
                    hint="a binary download is application/octet-stream with `schema: {type: string, "
                    "format: binary}`: say so with a patch in the API's overrides file",
                )


def check_class_name_collisions(doc: Document, *, file: Path | None) -> None:
    """Refuse two different enums (or an enum and a model) that the generator would give one class name."""
    seen: dict[str, tuple[str, str, Any]] = {}  # class name → (kind, pointer, enum values)
    for name, kind, tokens, values in _generated_classes(doc):
        where = pointer(*tokens)
        first = seen.setdefault(name, (kind, where, values))
        if first[1] == where or (kind == first[0] == "model") or (kind == "enum" == first[0] and values == first[2]):
            # Identical enums share their class; models the generator itself reports.
            continue
        what = "enums with different values" if kind == first[0] else "an enum and a model"
        raise PipelineError(
            f"{first[1]} and {where} are {what} that openapi-python-client would both name class {name}",
            file=file,
            where=where,
            hint="give one of them another name: a `title`, or a `names` entry, in the API's overrides file",
        )


def _generated_classes(doc: Document) -> Iterator[tuple[str, str, tuple[str | int, ...], Any]]:
    """(class name, 'enum' | 'model', pointer tokens, enum values) for the classes component schemas make."""
    from openapi_python_client.strings import ClassName, pascal_case  # the generator's own naming

    def class_name(schema: dict[str, Any], name: str, parent: str) -> str:
        own = str(schema.get("title") or name)
        return str(ClassName(f"{pascal_case(parent)}{pascal_case(own)}" if parent else own, "field_"))

    # Mirrors parser/properties/__init__.py property_from_data: enums, unions, arrays, models.
    stack: list[tuple[Any, str, str, tuple[str | int, ...]]] = [
        (schema, str(name), "", ("components", "schemas", name))
        for name, schema in reversed(list(((doc.get("components") or {}).get("schemas") or {}).items()))
    ]
    while stack:
        schema, name, parent, tokens = stack.pop()
        if not isinstance(schema, dict) or "$ref" in schema or schema.get("type") == "boolean":
            continue
        parts = [*(schema.get("allOf") or []), *(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
        if len(parts) == 1 and isinstance(parts[0], dict) and "$ref" in parts[0]:
            continue  # `allOf`/`anyOf`/`oneOf` of one reference is that reference (a default may sit beside it)
        members = [*(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
        if isinstance(schema.get("enum"), list) and [v for v in schema["enum"] if v is not None]:
            values = sorted((repr(v) for v in schema["enum"] if v is not None), key=str)
            yield class_name(schema, name, parent), "enum", tokens, values
        elif members or isinstance(schema.get("type"), list):
            subs = [(m, key, i) for key in ("anyOf", "oneOf") for i, m in enumerate(schema.get(key) or [])]
            if len(subs) == 1 and isinstance(subs[0][0], dict) and "$ref" in subs[0][0]:
                continue  # a union of one reference is that reference
            for index, (member, key, i) in enumerate(subs):
                title = member.get("title") if isinstance(member, dict) else None
                subscript = title if title and title != schema.get("title") else f"type_{index}"
                stack.append((member, f"{name}_{subscript}", parent, (*tokens, key, i)))
        elif "const" in schema or types_of(schema) in (["string"], ["number"], ["integer"], ["null"]):
            continue
        elif types_of(schema) == ["array"]:
            for key in ("prefixItems", "items"):
                items = schema.get(key)
                for i, item in enumerate(items if isinstance(items, list) else [items]):
                    token = (key, i) if isinstance(items, list) else (key,)
                    stack.append((item, f"{name}_item", parent, (*tokens, *token)))
        elif types_of(schema) == ["object"] or "allOf" in schema or "properties" in schema:
            own = class_name(schema, name, parent)
            yield own, "model", tokens, None
            props = [(k, v, (*tokens, "properties", k)) for k, v in (schema.get("properties") or {}).items()]
            for i, part in enumerate(schema.get("allOf") or []):
                if isinstance(part, dict) and "$ref" not in part:
                    props += [
                        (k, v, (*tokens, "allOf", i, "properties", k))
                        for k, v in (part.get("properties") or {}).items()
                    ]
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                props.append(("AdditionalProperty", extra, (*tokens, "additionalProperties")))
            stack.extend((sub, str(key), own, sub_tokens) for key, sub, sub_tokens in reversed(props))


def _resolve(doc: Document, node: Any, tokens: tuple[str | int, ...]) -> tuple[Any, tuple[str | int, ...]]:
    """Follow one local `$ref` (request bodies and responses may live in components)."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not is_local_ref(ref):
        return node, tokens
    try:
        return resolve_ref(doc, ref), tuple(ref_tokens(ref))
    except (KeyError, IndexError, ValueError, TypeError):
        return None, tuple(ref_tokens(ref))


def _content(owner: Any) -> list[tuple[str, Any]]:
    content = owner.get("content") if isinstance(owner, dict) else None
    return [(str(k), v) for k, v in content.items()] if isinstance(content, dict) else []


def _media_type(media: str) -> str | None:
    # As the generator (strings.get_content_type): parameters dropped, an unparsable type is None.
    message = Message()
    message.add_header("Content-Type", media)
    parsed = message.get_content_type()
    return parsed if media.startswith(parsed) else None


def _can_send(media: str) -> bool:
    parsed = _media_type(media)
    return parsed is not None and (parsed in _REQUEST_TYPES or parsed == _BINARY or parsed.endswith("+json"))


def _can_read(media: str) -> bool:
    parsed = _media_type(media)
    return parsed is not None and (
        parsed.startswith("text/") or parsed in ("application/json", _BINARY) or parsed.endswith("+json")
    )


def _is_binary(schema: dict[str, Any]) -> bool:
    return types_of(schema) == ["string"] and schema.get("format") == "binary"


def _tokens_of(trail: _Trail) -> list[str | int]:
    tokens: list[str | int] = []
    while trail is not None:
        trail, token = trail
        tokens.append(token)
    return tokens[::-1]


def _line(file: Path | None, where: str) -> str:
    """' at line N' when `where` is in `file` (a raw YAML document), else ''."""
    line = _line_number(file, where)
    return f" at line {line}" if line is not None else ""


def _line_number(file: Path | None, where: str) -> int | None:
    if file is None or not file.is_file():
        return None
    line = line_of(file, where)
    return line if line is not None and _exists(file, where) else None


def _exists(file: Path, where: str) -> bool:
    # line_of stops at the last token it finds; a line is only worth showing for the pointer itself.
    from ..spec.yamlio import load_document

    node: Any = load_document(file)
    for token in parse_pointer(where):
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return False
    return True
