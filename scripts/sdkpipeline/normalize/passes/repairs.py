"""Repairs of vendor defects: each change is reported to the maintainer as a warning."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ...spec.pointer import Trail, find, pointer, resolve_ref, schema_ref, trail_tokens
from ..classnames import TakenNames
from ..context import Overrides, PassLog
from ..naming import pascal_case
from ..walk import all_slots, is_nullable_type, operations, types_of
from ._common import Document, free_name, ptr

_TEMPLATE_PARAM = re.compile(r"\{([^}/]+)\}")


def derive_operation_ids(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Name an operation that has no operationId (OpenAPI makes it optional) as the generator would.

    openapi-python-client 0.29.1 names it `<method>_<path>` with braces dropped and slashes as underscores
    (parser/openapi.py `generate_operation_id`): `POST /const/{path}` → `post_const_path`. A name another
    operation already has gets a number (`_2`), since operationIds must be unique.
    """
    taken = {str(op["operationId"]) for _, _, op in operations(doc) if isinstance(op.get("operationId"), str)}
    for path, method, op in operations(doc):
        if "operationId" in op:
            continue
        base = f"{method}_{path.replace('{', '').replace('}', '').replace('/', '_').strip('_')}".rstrip("_")
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        op["operationId"] = name
        log.change(
            pointer("paths", path, method, "operationId"), f"no operationId: named '{name}' from method and path"
        )
    return doc


def rename_duplicate_operation_ids(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Rename an operationId another operation already has (a HEAD beside the GET of one path).

    operationIds name the generated functions and must be unique. The first operation in document order (paths in
    order, methods GET, PUT, POST, DELETE, OPTIONS, HEAD, PATCH, TRACE) keeps it; each later one becomes
    `<operationId>_<method>` (with `_2`, `_3`… if that is taken too).
    """
    taken = {str(op["operationId"]) for _, _, op in operations(doc) if isinstance(op.get("operationId"), str)}
    seen: dict[str, str] = {}
    for path, method, op in operations(doc):
        op_id = op.get("operationId")
        if not isinstance(op_id, str):
            continue
        where = pointer("paths", path, method, "operationId")
        if op_id not in seen:
            seen[op_id] = where
            continue
        base = f"{op_id}_{method}"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        op["operationId"] = name
        log.change(where, f"operationId '{op_id}' is also {seen[op_id]}: renamed '{name}'")
    return doc


def declare_path_parameters(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Declare path-template parameters the operation forgot (generators drop such operations)."""
    for path, method, op in operations(doc):
        wanted = _TEMPLATE_PARAM.findall(path)
        if not wanted:
            continue
        declared = {
            p.get("name")
            for p in _resolved_parameters(doc, doc["paths"][path].get("parameters"))
            + _resolved_parameters(doc, op.get("parameters"))
            if p.get("in") == "path"
        }
        for name in wanted:
            if name in declared:
                continue
            op.setdefault("parameters", []).append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "description": f"{method.upper()} {path} Parameter",
                    "schema": {"type": "string"},
                }
            )
            log.change(pointer("paths", path, method, "parameters"), f"declared missing path parameter '{name}'")
    return doc


def _resolved_parameters(doc: Document, params: Any) -> list[dict[str, Any]]:
    out = []
    for p in params or []:
        if isinstance(p, dict) and "$ref" in p:
            try:
                p = resolve_ref(doc, p["$ref"])
            except (KeyError, IndexError, TypeError, ValueError):
                continue
        if isinstance(p, dict):
            out.append(p)
    return out


def require_path_parameters(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A path parameter is required and never null (OpenAPI: `required` MUST be true; a path has no null).

    openapi-python-client drops an operation whose path parameter is optional ("Path parameter must be
    required") or nullable (a union with None "is not allowed in path").
    """
    for where, param in _parameter_objects(doc):
        if param.get("in") != "path":
            continue
        if param.get("required") is not True:
            param["required"] = True
            log.change(pointer(*where), f"path parameter '{param.get('name')}' made required")
        schema = param.get("schema")
        if isinstance(schema, dict) and (schema.get("nullable") is True or is_nullable_type(schema)):
            schema.pop("nullable", None)
            types = [t for t in types_of(schema) if t != "null"]
            if "type" in schema:
                schema["type"] = types[0] if len(types) == 1 else types
            log.change(pointer(*where, "schema"), f"path parameter '{param.get('name')}' made non-nullable")
    return doc


def _parameter_objects(doc: Document) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """(tokens, parameter) for each parameter object: path items', operations' and shared components'."""
    found: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
    for name, param in ((doc.get("components") or {}).get("parameters") or {}).items():
        if isinstance(param, dict):
            found.append((("components", "parameters", name), param))
    owners: list[tuple[tuple[str | int, ...], Any]] = [
        (("paths", path), item) for path, item in (doc.get("paths") or {}).items()
    ]
    owners += [(("paths", path, method), op) for path, method, op in operations(doc)]
    for tokens, owner in owners:
        params = owner.get("parameters") if isinstance(owner, dict) else None
        for i, param in enumerate(params if isinstance(params, list) else []):
            if isinstance(param, dict) and "$ref" not in param:
                found.append(((*tokens, "parameters", i), param))
    return found


_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def strip_ignored_header_parameters(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Drop Accept/Content-Type/Authorization header parameters, which OpenAPI says to ignore."""

    def keep(p: Any) -> bool:
        resolved = _resolved_parameters(doc, [p])
        return not (
            resolved
            and resolved[0].get("in") == "header"
            and str(resolved[0].get("name", "")).lower() in _IGNORED_HEADERS
        )

    owners: list[tuple[tuple[str, ...], dict[str, Any]]] = [
        ((path,), item) for path, item in (doc.get("paths") or {}).items() if isinstance(item, dict)
    ]
    owners += [((path, method), op) for path, method, op in operations(doc)]
    for where, owner in owners:
        params = owner.get("parameters")
        if not params:
            continue
        kept = [p for p in params if keep(p)]
        for p in params:
            if p not in kept:
                name = _resolved_parameters(doc, [p])[0].get("name")
                log.change(pointer("paths", *where, "parameters"), f"dropped ignored header parameter {name}")
        owner["parameters"] = kept
        if not kept:
            del owner["parameters"]
    return doc


def move_required_flags(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """`required: true` on a property (a Swagger 1 habit) goes into its parent's `required` list.

    In OpenAPI 3 `required` is the parent object's list of property names; a boolean on a property makes the
    generator refuse the schema. On a request body's own schema it makes the body required; on a parameter's
    schema, the parameter. `required: false` is what an absent entry means: it is dropped.
    """
    for slot in all_slots(doc):
        schema = slot.schema
        props = schema.get("properties")
        if isinstance(props, dict):
            for name, prop in props.items():
                if not isinstance(prop, dict) or not isinstance(prop.get("required"), bool):
                    continue
                flag = prop.pop("required")
                where = ptr((*slot.tokens, "properties", name, "required"))
                listed = schema.get("required")
                if flag and not (isinstance(listed, list) and name in listed):
                    schema["required"] = [*(listed if isinstance(listed, list) else []), name]
                log.change(where, f"`required: {str(flag).lower()}` on property '{name}' moved to its parent's list")
        if slot.tokens[-1:] == ("schema",) and isinstance(schema.get("required"), bool):
            flag = schema.pop("required")
            owner = _owner_of(doc, slot.tokens)
            in_content = slot.tokens[-3:-2] == ("content",)
            is_body = in_content and (
                "requestBody" in slot.tokens or slot.tokens[:2] == ("components", "requestBodies")
            )
            is_parameter = not in_content and isinstance(owner, dict) and owner.get("in") is not None
            moved = flag and isinstance(owner, dict) and (is_body or is_parameter)
            if moved:
                owner["required"] = True
            what = "request body" if is_body else "parameter" if is_parameter else "response"
            done = f"the {what} is required" if moved else "dropped"
            log.change(
                ptr((*slot.tokens, "required")), f"`required: {str(flag).lower()}` on the {what}'s schema: {done}"
            )
    return doc


def _owner_of(doc: Document, tokens: tuple[str | int, ...]) -> Any:
    """The request body (…/requestBody/content/<media>/schema) or parameter (…/schema) a root schema belongs to."""
    return find(doc, tokens[:-3] if tokens[-3:-2] == ("content",) else tokens[:-1])


_PREPROCESSED = re.compile(r"^(boolean|integer|number|string|array|object) \(preprocessed\)$")


def fix_untyped_schemas(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Complete schemas that lack a type or items: 'format: boolean (preprocessed)', bare 'properties'."""
    for slot in all_slots(doc):
        schema = slot.schema
        if "array" in types_of(schema) and "items" not in schema and "prefixItems" not in schema:
            schema["items"] = {}  # JSON Schema's meaning of a missing `items`; the generator requires one
            log.change(ptr(slot.tokens), "array without items: items may be any value")
        if "type" in schema or "$ref" in schema:
            continue
        fmt = schema.get("format")
        if isinstance(fmt, str) and (m := _PREPROCESSED.match(fmt)):
            schema["type"] = m.group(1)
            del schema["format"]
            log.change(ptr(slot.tokens), f"typed '{fmt}' as {m.group(1)}")
        elif fmt == "any":
            del schema["format"]
            log.change(ptr(slot.tokens), "dropped 'format: any' (any value)")
        elif "properties" in schema and not any(k in schema for k in ("allOf", "anyOf", "oneOf")):
            schema["type"] = "object"
            log.change(ptr(slot.tokens), "typed schema with properties as object")
    return doc


def fix_defaults_outside_bounds(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Make an exclusive bound inclusive when the schema's own default sits on it."""
    for slot in all_slots(doc):
        schema = slot.schema
        default = schema.get("default")
        if not isinstance(default, int | float) or isinstance(default, bool):
            continue
        for exclusive, inclusive in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            bound = schema.get(exclusive)
            if isinstance(bound, int | float) and not isinstance(bound, bool) and bound == default:
                del schema[exclusive]
                schema[inclusive] = bound
                log.change(ptr(slot.tokens), f"{exclusive} {bound} excluded the default; made it {inclusive}")
    return doc


def fix_null_defaults(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Make `null` part of a nullable enum (vendor form: `type: [string, 'null']`, enum without null)."""
    for slot in all_slots(doc):
        schema = slot.schema
        enum = schema.get("enum")
        if isinstance(enum, list) and is_nullable_type(schema) and None not in enum:
            enum.append(None)
            log.change(ptr(slot.tokens), "nullable enum: added null to its values")
    return doc


_BINARY_MEDIA = re.compile(r"^(image|audio|video|font)/|^application/(octet-stream|pdf|zip)$")


def collapse_binary_request_bodies(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Merge raw-binary request media types into one octet-stream body that names the real types."""
    for path, method, op in operations(doc):
        body = op.get("requestBody")
        if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
            continue
        content = body["content"]
        binary = [
            media
            for media, item in content.items()
            if _BINARY_MEDIA.match(media)
            and isinstance(item, dict)
            and isinstance(item.get("schema"), dict)
            and item["schema"].get("format") == "binary"
        ]
        if not binary or (binary == ["application/octet-stream"] and len(content) == 1):
            continue
        for media in binary:
            del content[media]
        content["application/octet-stream"] = {"schema": {"type": "string", "format": "binary"}}
        body["x-content-types"] = binary
        log.change(
            pointer("paths", path, method, "requestBody"),
            f"raw binary body ({', '.join(binary)}) sent as one octet-stream body; the caller picks the type",
        )
    return doc


def hoist_response_schemas(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Move inline schemas of shared responses into named components (one class, not one per operation)."""
    components = doc.get("components") or {}
    schemas = components.setdefault("schemas", {}) if components else {}
    taken = TakenNames.of_components(doc)
    for name, response in (components.get("responses") or {}).items():
        for media, item in ((response or {}).get("content") or {}).items():
            schema = item.get("schema") if isinstance(item, dict) else None
            if not isinstance(schema, dict) or "$ref" in schema or types_of(schema) not in ([], ["object"]):
                continue
            if "properties" not in schema:
                continue
            target = free_name(taken, pascal_case(name) if name[:1].isupper() else name)
            taken.add(target)
            schemas[target] = schema
            item["schema"] = {"$ref": schema_ref(target)}
            log.change(pointer("components", "responses", name, "content", media, "schema"), f"hoisted into {target}")
    return doc


# HTML the vendors put in prose (CNaught: `<b>[Deprecated]</b>`, `<br/><br/>`); a docstring is plain text.
_HTML_TAG = re.compile(
    r"<(/?)(a|b|br|code|div|em|h[1-6]|hr|i|li|ol|p|pre|small|span|strong|sub|sup|u|ul)\b[^<>]*?/?>", re.IGNORECASE
)
# Subtrees that hold data, not prose: a `description` key inside them is a value, not a description.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-sdk-pagination"})


def strip_html_from_descriptions(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Make HTML in descriptions and summaries plain text (line breaks kept, tags dropped, `<code>` backticks)."""
    for trail, owner, key in _prose(doc):
        text = owner[key]
        plain = plain_text(text)
        if plain != text:
            owner[key] = plain
            log.change(pointer(*trail_tokens(trail), key), "HTML in prose made plain text")
    return doc


def plain_text(text: str) -> str:
    """`text` without HTML tags: <br> and </p> become line breaks, <code> backticks, entities their characters."""
    import html

    def replace(match: re.Match[str]) -> str:
        closing, tag = match.group(1), match.group(2).lower()
        if tag in ("br", "hr") or (closing and tag in ("p", "div", "li", "ul", "ol", "pre")):
            return "\n"
        if tag == "code":
            return "`"
        if tag == "li":
            return "- "
        return ""

    if "&" not in text and ("<" not in text or not _HTML_TAG.search(text)):
        return text  # most prose has no tag: `<` is looked for before the pattern
    plain = html.unescape(_HTML_TAG.sub(replace, text))
    lines = [line.rstrip() for line in plain.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + ("\n" if text.endswith("\n") else "")


def _prose(doc: Any) -> Iterator[tuple[Trail, dict[str, Any], str]]:
    """(place, owner, key) of every `description` and `summary` string outside example and default data, in
    document order."""
    # An explicit stack of what is left to visit, a prose string as (owner, key): a recursive generator resumed
    # every generator above it for each node, and built a tuple of tokens for each.
    stack: list[tuple[Any, Trail, str | None]] = [(doc, None, None)]
    while stack:
        node, trail, prose = stack.pop()
        if prose is not None:
            yield trail, node, prose
        elif isinstance(node, dict):
            todo: list[tuple[Any, Trail, str | None]] = []
            for key, value in node.items():
                if key in ("description", "summary") and isinstance(value, str):
                    todo.append((node, trail, key))
                elif key not in _DATA_KEYS and isinstance(value, (dict, list)):
                    todo.append((value, (trail, key), None))
            stack.extend(reversed(todo))
        elif isinstance(node, list):
            todo = [(value, (trail, i), None) for i, value in enumerate(node) if isinstance(value, (dict, list))]
            stack.extend(reversed(todo))


REPLACEMENT = "x-sdk-replacement"
# The vendor's deprecation marker at the start of a description (CNaught: "<b>[Deprecated]</b> Use ...").
_DEPRECATED_MARKER = re.compile(r"^\s*\[deprecated\]", re.IGNORECASE)
_BACKTICKED_PATH = re.compile(r"`(/[^`\s]*)`")


def mark_deprecated_operations(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Flag operations whose description starts with `[Deprecated]` and record the replacement it names.

    The replacement is the first backticked path of the description that is an operation of this
    document, in SDK terms (`x-sdk-replacement: quotes.ground_transport`). A named path the document
    does not have is reported; an override setting `x-sdk-replacement` settles it (patches apply first).
    """
    paths = doc.get("paths") or {}
    for path, method, op in operations(doc):
        description = str(op.get("description") or "")
        marked = bool(_DEPRECATED_MARKER.match(description))
        if marked and op.get("deprecated") is not True:
            op["deprecated"] = True
            log.change(pointer("paths", path, method, "deprecated"), "description starts with [Deprecated]")
        if op.get("deprecated") is not True or REPLACEMENT in op:
            continue
        named = _BACKTICKED_PATH.findall(description)
        found = next((r for r in (_sdk_name(paths, p, method) for p in named) if r is not None), None)
        if found is not None:
            op[REPLACEMENT] = found
            log.change(pointer("paths", path, method, REPLACEMENT), f"replacement named in the description: {found}")
        elif named:
            log.warn(
                f"{pointer('paths', path, method)}: deprecated; the description names {', '.join(named)}, which "
                f"is no operation of the document: set {REPLACEMENT} with an override"
            )
    return doc


def _sdk_name(paths: dict[str, Any], path: str, method: str) -> str | None:
    """`resource.method` of the operation at `path` (its only one, or the one with the same HTTP method)."""
    item = paths.get(path.rstrip("/") or "/")
    if not isinstance(item, dict):
        return None
    ops = [op for m, op in item.items() if m in ("get", "put", "post", "delete", "patch") and isinstance(op, dict)]
    chosen = item.get(method) if len(ops) > 1 else (ops[0] if ops else None)
    if not isinstance(chosen, dict) or not chosen.get("x-sdk-resource") or not chosen.get("x-sdk-method"):
        return None
    return f"{chosen['x-sdk-resource']}.{chosen['x-sdk-method']}"
