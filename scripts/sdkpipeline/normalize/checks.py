"""Checks that refuse a spec the generator would crash on or silently mishandle.

Each problem is a `PipelineError` naming the file, the JSON pointer (and the line, for the raw document)
and what to do; a check reports every problem it finds in one error, so a document is fixed in one run.
`raw_document_problems` are looked for in the vendor document once the overrides' patches are applied (so the
patch an error suggests can work); `normalized_document_problems` in what the passes made of it, right before
generation.
The generator's naming rules are those of openapi-python-client 0.29.1 (pinned in pyproject.toml):
https://github.com/openapi-generators/openapi-python-client/tree/v0.29.1/openapi_python_client/parser
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import PipelineError, raise_all
from ..spec.pointer import Trail, component_name, is_local_ref, pointer, ref_tokens, resolve_ref, trail_tokens
from ..spec.yamlio import Document, lines_in, too_deep
from .classnames import generated_classes
from .media import can_read, can_send, is_raw_schema
from .walk import HTTP_METHODS, Slot, all_slots, child_slots, operations

# A linked list of pointer tokens (parent, token): cheap to extend for every node of a large walk.
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


def raw_document_problems(doc: Document, *, file: Path | None, max_depth: int) -> list[PipelineError]:
    """Every problem no pass repairs of a vendor document whose containers are of their kind (`shape_problems`):
    operationIds, schema keywords, nesting."""
    found = [*operation_id_problems(doc, file=file), *unknown_keyword_problems(doc, file=file)]
    try:
        check_reference_depth(doc, file=file, max_depth=max_depth)
    except PipelineError as problem:
        found.append(problem)
    return found


def check_normalized_document(doc: Document, *, file: Path | None) -> None:
    """What only the normalized document shows (names the passes gave, bodies they rewrote)."""
    raise_all(normalized_document_problems(doc, file=file))


def normalized_document_problems(doc: Document, *, file: Path | None) -> list[PipelineError]:
    return [*content_type_problems(doc, file=file), *class_name_problems(doc, file=file)]


_PATCH_HINT = "fix the vendor document with a patch in the API's overrides file"
_COMPONENT_SECTIONS = (
    *("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes"),
    *("links", "callbacks", "pathItems"),
)


def shape_problems(doc: Document, *, file: Path | None) -> Iterator[PipelineError]:
    """Every container of the OpenAPI structure the passes walk is of its kind: `components`, its sections and
    their entries, path items, operations, parameters, bodies, responses and their `content` are mappings
    (a schema may also be a boolean), `parameters` and `tags` lists. A string where a mapping belongs is
    reported at its pointer instead of failing a pass."""
    found: list[tuple[str, str, Any]] = []  # (pointer, what it must be, what it is)

    def need(value: Any, kind: type, tokens: tuple[str | int, ...], *, boolean_ok: bool = False) -> bool:
        if isinstance(value, kind) or (boolean_ok and isinstance(value, bool)):
            return isinstance(value, kind)
        found.append((pointer(*tokens), _KIND_NAMES[kind], value))
        return False

    def content(owner: dict[str, Any], tokens: tuple[str | int, ...]) -> None:
        if "content" in owner and need(owner["content"], dict, (*tokens, "content")):
            for media, item in owner["content"].items():
                if need(item, dict, (*tokens, "content", media)) and "schema" in item:
                    need(item["schema"], dict, (*tokens, "content", media, "schema"), boolean_ok=True)

    def parameters(owner: dict[str, Any], tokens: tuple[str | int, ...]) -> None:
        if "parameters" in owner and need(owner["parameters"], list, (*tokens, "parameters")):
            for i, param in enumerate(owner["parameters"]):
                if need(param, dict, (*tokens, "parameters", i)):
                    if "schema" in param:
                        need(param["schema"], dict, (*tokens, "parameters", i, "schema"), boolean_ok=True)
                    content(param, (*tokens, "parameters", i))

    for key in ("tags", "servers", "security"):
        if key in doc:
            need(doc[key], list, (key,))
    components = doc.get("components")
    if components is not None and need(components, dict, ("components",)):
        for section in _COMPONENT_SECTIONS:
            entries = components.get(section)
            if entries is None or not need(entries, dict, ("components", section)):
                continue
            for name, entry in entries.items():
                tokens = ("components", section, name)
                if need(entry, dict, tokens, boolean_ok=section == "schemas") and section in (
                    "responses",
                    "requestBodies",
                ):
                    content(entry, tokens)
    for path, item in (doc.get("paths") or {}).items():
        if not need(item, dict, ("paths", path)):
            continue
        parameters(item, ("paths", path))
        for method in HTTP_METHODS:
            if method not in item or not need(item[method], dict, ("paths", path, method)):
                continue
            op, tokens = item[method], ("paths", path, method)
            parameters(op, tokens)
            if "tags" in op:
                need(op["tags"], list, (*tokens, "tags"))
            if "requestBody" in op and need(op["requestBody"], dict, (*tokens, "requestBody")):
                content(op["requestBody"], (*tokens, "requestBody"))
            if "responses" in op and need(op["responses"], dict, (*tokens, "responses")):
                for status, response in op["responses"].items():
                    if need(response, dict, (*tokens, "responses", status)):
                        content(response, (*tokens, "responses", status))
    for where, kind, value in found:
        yield PipelineError(
            f"{where} must be {kind}, not {type(value).__name__} {_shown(value)}{_line(file, where)}",
            file=file,
            where=where,
            hint=_PATCH_HINT,
        )


_KIND_NAMES: dict[type, str] = {dict: "a mapping", list: "a list", bool: "a boolean", str: "a string"}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def operation_id_problems(doc: Document, *, file: Path | None) -> Iterator[PipelineError]:
    """An operationId is optional (derive_operation_ids names what has none, rename_duplicate_operation_ids
    renames a repeated one); one given must be a name."""
    for path, method, op in operations(doc):
        if "operationId" not in op:
            continue
        op_id = op["operationId"]
        where = pointer("paths", path, method, "operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            yield PipelineError(
                f"operationId {op_id!r} of {method.upper()} {path} is not a name{_line(file, where)}",
                file=file,
                where=where,
                hint="remove it with a patch in the API's overrides file (the pipeline derives one) or set a name",
            )


def check_size(doc: Document, *, file: Path | None, max_depth: int, max_nodes: int) -> None:
    """Refuse a document nested deeper than `max_depth` or with more than `max_nodes` nodes (aliases expanded)."""
    if _within_size(doc, max_depth=max_depth, max_nodes=max_nodes):
        return
    # Iterative: a hostile document must exhaust neither the stack nor the machine.
    stack: list[tuple[Any, int, Trail]] = [(doc, 0, None)]
    nodes = 0
    while stack:
        node, depth, trail = stack.pop()
        nodes += 1
        if depth > max_depth:
            # Deeper text is refused while parsing (yamlio); this sees nesting made by YAML aliases.
            tokens = trail_tokens(trail)
            raise too_deep(tokens, max_depth=max_depth, file=file, line=_line_number(file, tokens))
        if nodes > max_nodes:
            where = pointer(*trail_tokens(trail)[:3])
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


def _within_size(doc: Any, *, max_depth: int, max_nodes: int) -> bool:
    """Whether check_size has nothing to say: its count and depths, without a place per node (which only the walk
    that reports a problem needs). Stops as soon as either limit is passed."""
    nodes = 1
    stack: list[tuple[Any, int]] = [(doc, 0)] if isinstance(doc, dict | list) else []
    while stack:
        node, depth = stack.pop()
        values = node.values() if isinstance(node, dict) else node
        if not values:
            continue
        if depth + 1 > max_depth:
            return False
        nodes += len(values)
        if nodes > max_nodes:
            return False
        stack.extend((v, depth + 1) for v in values if isinstance(v, (dict, list)))
    return True


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
    deepest, refs = 1, []
    stack = [(Slot(("components", "schemas", name), schemas, name, None), 1, False)]
    while stack:
        slot, level, in_all_of = stack.pop()
        deepest = max(deepest, level)
        ref = slot.schema.get("$ref")
        target_name = component_name(ref) if isinstance(ref, str) else None
        target = schemas.get(target_name) if target_name is not None else None
        # A dangling $ref is reference_problems' to report; a model or enum is written by name.
        if target_name is not None and isinstance(target, dict) and (in_all_of or not _is_named_class(target)):
            refs.append((level, target_name))
        stack.extend((child, level + 1, child.tokens[-2:-1] == ("allOf",)) for child in child_slots(slot))
    return deepest, refs


def _is_named_class(schema: dict[str, Any]) -> bool:
    """The generator refers to a model or an enum by its class name instead of writing it out."""
    return isinstance(schema.get("enum"), list) or isinstance(schema.get("properties"), dict)


def check_unknown_keywords(doc: Document, *, file: Path | None) -> None:
    """Refuse schema keywords the generator would silently drop, and keywords no schema has (typos)."""
    raise_all(list(unknown_keyword_problems(doc, file=file)))


# What the value of a schema keyword the passes read must be (a schema, where the keyword holds one, may
# also be a boolean). A float where `properties` belongs is reported here, never a pass's TypeError.
_KEYWORD_KINDS: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(("properties", "$defs", "patternProperties", "dependentSchemas"), (dict,)),
    **dict.fromkeys(("items", "additionalProperties", "not", "contains", "propertyNames"), (dict, bool)),
    **dict.fromkeys(("allOf", "anyOf", "oneOf", "prefixItems", "enum"), (list,)),
    "required": (list, bool),  # a boolean (Swagger 1) is moved to the parent's list by move_required_flags
    "type": (str, list),
    "discriminator": (dict,),
    "nullable": (bool,),
}


def unknown_keyword_problems(doc: Document, *, file: Path | None) -> Iterator[PipelineError]:
    for slot in all_slots(doc):
        for key, value in slot.schema.items():
            if not isinstance(key, str) or key.startswith("x-"):
                continue
            kinds = _KEYWORD_KINDS.get(key)
            wrong_kind = kinds is not None and not isinstance(value, kinds)
            unnamed = key == "required" and isinstance(value, list) and not all(isinstance(n, str) for n in value)
            unsupported = key in _UNSUPPORTED_KEYWORDS and not (key in _BOOLEAN_OK and isinstance(value, bool))
            unknown = key not in _KNOWN_KEYWORDS and key not in _UNSUPPORTED_KEYWORDS
            if not (wrong_kind or unnamed or unsupported or unknown):
                continue  # the pointer is built for a problem only: this loop sees every key of every schema
            where = pointer(*slot.tokens, key)
            if wrong_kind and kinds is not None:
                wanted = " or ".join(_KIND_NAMES[k] for k in kinds)
                yield PipelineError(
                    f"schema keyword '{key}'{_line(file, where)} must be {wanted}, not {type(value).__name__} "
                    f"{_shown(value)}",
                    file=file,
                    where=where,
                    hint=_PATCH_HINT,
                )
                continue
            if unnamed:
                yield PipelineError(
                    f"schema keyword 'required'{_line(file, where)} must list property names (strings)",
                    file=file,
                    where=where,
                    hint=_PATCH_HINT,
                )
            if unsupported:
                yield PipelineError(
                    f"schema keyword '{key}'{_line(file, where)} ({_UNSUPPORTED_KEYWORDS[key]}) is not supported: "
                    "openapi-python-client would drop it without a word, so the generated model would not "
                    "describe what the API sends",
                    file=file,
                    where=where,
                    hint="express it with properties/oneOf/anyOf through a patch in the API's overrides file, "
                    "or remove it with a `remove` patch whose reason says why the looser schema is right",
                )
            if unknown:
                yield PipelineError(
                    f"unknown schema keyword '{key}'{_line(file, where)}",
                    file=file,
                    where=where,
                    hint="a typo? Schema keywords are JSON Schema 2020-12 or OpenAPI ones; vendor extensions "
                    "start with 'x-'. Fix it with a patch in the API's overrides file",
                )


def check_content_types(doc: Document, *, file: Path | None) -> None:
    """Refuse request bodies and responses in a media type the SDK cannot send or read."""
    raise_all(list(content_type_problems(doc, file=file)))


def content_type_problems(doc: Document, *, file: Path | None) -> Iterator[PipelineError]:
    """After the passes (prefer_json_media_types, treat_other_media_as_bytes), what is still neither
    handled by the generator nor raw bytes: a structured body in a media type it cannot encode."""
    for path, method, op in operations(doc):
        base = ("paths", path, method)
        name = f"{op.get('operationId')} ({method.upper()} {path})"
        body, body_tokens = _resolve(doc, op.get("requestBody"), (*base, "requestBody"))
        for media, item in _content(body):
            raw = isinstance(item, dict) and is_raw_schema(item.get("schema"))
            if not can_send(media) and not raw:
                where = pointer(*body_tokens, "content", media)
                yield PipelineError(
                    f"operation {name}: its request body comes only as '{media}'{_line(file, where)}, which "
                    "the SDK cannot send (it encodes JSON, forms and multipart, and sends other media types "
                    "only as raw bytes, for a string schema)",
                    file=file,
                    where=where,
                    hint="if the API also takes JSON, add that media type with a patch in the API's overrides "
                    "file; if the caller should send the encoded document, make its schema "
                    "`{type: string, format: binary}`",
                )
        for status, response in (op.get("responses") or {}).items():
            resolved, tokens = _resolve(doc, response, (*base, "responses", str(status)))
            content = _content(resolved)
            raw = any(isinstance(item, dict) and is_raw_schema(item.get("schema")) for _, item in content)
            if content and not raw and not any(can_read(m) for m, _ in content):
                where = pointer(*tokens, "content")
                yield PipelineError(
                    f"operation {name}: response {status}{_line(file, where)} comes only as "
                    f"{', '.join(m for m, _ in content)}, which the SDK cannot read",
                    file=file,
                    where=where,
                    hint="a download is `schema: {type: string, format: binary}` (returned as bytes): say so "
                    "with a patch in the API's overrides file",
                )


def check_class_name_collisions(doc: Document, *, file: Path | None) -> None:
    """Refuse two different enums (or an enum and a model) that the generator would give one class name."""
    raise_all(list(class_name_problems(doc, file=file)))


def class_name_problems(doc: Document, *, file: Path | None) -> Iterator[PipelineError]:
    seen: dict[str, tuple[str, str, Any]] = {}  # class name → (kind, pointer, enum values)
    for name, kind, tokens, values, _ in generated_classes(doc):
        where = pointer(*tokens)
        first = seen.setdefault(name, (kind, where, values))
        if first[1] == where or (kind == first[0] == "model") or (kind == "enum" == first[0] and values == first[2]):
            # Identical enums share their class; models the generator itself reports.
            continue
        what = "enums with different values" if kind == first[0] else "an enum and a model"
        yield PipelineError(
            f"{first[1]} and {where} are {what} that openapi-python-client would both name class {name}",
            file=file,
            where=where,
            hint="give one of them another name: a `title`, or a `names` entry, in the API's overrides file",
        )


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


def _line(file: Path | None, where: str) -> str:
    """' at line N' when `where` is in `file` (a raw YAML document), else ''."""
    line = _line_number(file, where)
    return f" at line {line}" if line is not None else ""


def _line_number(file: Path | None, where: str | list[str | int]) -> int | None:
    """The line of pointer `where`; given as tokens (a place YAML aliases made), of the nearest one the text has."""
    if file is None or not file.is_file():
        return None
    lines = lines_in(file)
    if isinstance(where, str):
        return lines.get(where)
    for end in range(len(where), 0, -1):
        if (line := lines.get(pointer(*where[:end]))) is not None:
            return line
    return None
