"""The class names openapi-python-client 0.29 gives schemas, mirrored so the passes can keep a published one.

The generator names a component after its title or its name, and an inline schema after its parent class and
property (`Order` + `status` → `OrderStatus`; `_item` for array items, `_type_<i>` or the member's title for union
members; `<operationId>Body`, `<operationId>Response<status>` at an operation). The names record is made with
this mirror, and only with names the generated package really has; the sharing pass uses it to tell when a
published name would move (a nullable schema turned into a union, a parent renamed) and must be pinned.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ..spec.pointer import component_name, references
from . import generator_rules
from .walk import Tokens, types_of

Document = dict[str, Any]


def component_aliases(raw: Document, normalized: Document) -> dict[str, str]:
    """Raw component name → the normalized component it became (merged or renamed by a pass), read off the
    references: where the raw document refers to X, the normalized one refers to what X became."""
    schemas = (normalized.get("components") or {}).get("schemas") or {}
    aliases: dict[str, str] = {}
    for tokens, holder in references(raw):
        old = component_name(holder["$ref"])
        if old is not None and old not in schemas and old not in aliases:
            now = _node_at(normalized, tokens)
            target = now.get("$ref") if isinstance(now, dict) else None
            new = component_name(target) if isinstance(target, str) else None
            if new is not None:
                aliases[old] = new
    return aliases


def _node_at(doc: Any, tokens: Tokens) -> Any:
    node = doc
    for token in tokens:
        in_list = isinstance(node, list) and isinstance(token, int) and token < len(node)
        if in_list or (isinstance(node, dict) and token in node):
            node = node[token]
        else:
            return None
    return node


def class_of(doc: Document, tokens: Tokens, *, aliases: dict[str, str] | None = None) -> str | None:
    """The class openapi-python-client 0.29 makes for the schema found at raw `tokens` in the normalized `doc`.

    Mirrors the generator's rule: a component is its (title or) name; an inline schema is its parent class's name
    plus the property's (`_item` for array items, `_type_<i>` or the member's title for union members), and a
    schema that is now a reference is the referenced component. None where the rule is not mirrored here.
    """
    start = _start(doc, tokens, aliases or {})
    if start is None:
        return None
    node, parent, name, rest = start
    i = 0
    while i < len(rest):
        token = rest[i]
        ref = _ref_target(doc, node, token)
        if ref is not None:
            node, parent, name = ref[1], ref[0], None
            continue
        if _is_lifted(node) and token not in node:
            node, name = node["anyOf"][0], union_member_name(node, node["anyOf"][0], name, 0)
            continue
        if token == "properties" and i + 1 < len(rest) and isinstance(node.get("properties"), dict):
            if name is not None:
                parent, name = class_name(parent, node, name), None
            prop = str(rest[i + 1])
            node, name, i = node["properties"].get(prop), prop, i + 2
        elif token == "items" and isinstance(node.get("items"), dict):
            node, name, i = node["items"], f"{name}_item", i + 1
        elif token in ("anyOf", "oneOf") and i + 1 < len(rest):
            members = node.get(token) or []
            index = int(rest[i + 1])
            if index >= len(members):
                return None
            node, name, i = members[index], union_member_name(node, members[index], name, index), i + 2
        else:
            return None
        if not isinstance(node, dict):
            return None
    ref = _ref_target(doc, node, None)
    if ref is not None:
        return ref[0]
    if _is_lifted(node):
        # A nullable schema the passes rewrote as `anyOf: [schema, null]`: the class is the union's first member.
        node, name = node["anyOf"][0], union_member_name(node, node["anyOf"][0], name, 0)
    if name is None:
        return parent
    return class_name(parent, node, name)


def _start(doc: Document, tokens: Tokens, aliases: dict[str, str]) -> tuple[Any, str, str | None, Tokens] | None:
    """(node, enclosing class, name so far, remaining tokens) where a raw slot's path begins."""
    if tokens[:2] == ("components", "schemas") and len(tokens) >= 3:
        name = aliases.get(str(tokens[2]), str(tokens[2]))
        node = ((doc.get("components") or {}).get("schemas") or {}).get(name)
        if not isinstance(node, dict):
            return None
        return node, class_name("", node, name), None, tokens[3:]
    if tokens[:1] != ("paths",) or len(tokens) < 4:
        return None
    op = ((doc.get("paths") or {}).get(str(tokens[1])) or {}).get(str(tokens[2]))
    if not isinstance(op, dict) or not op.get("operationId"):
        return None
    endpoint = str(op["operationId"])
    place = tokens[3]
    if place == "requestBody" and len(tokens) >= 7 and tokens[4] == "content" and tokens[6] == "schema":
        content = (op.get("requestBody") or {}).get("content") or {}
        node = (content.get(str(tokens[5])) or {}).get("schema")
        parent = endpoint if len(content) == 1 else f"{endpoint}_{_body_type(str(tokens[5]))}"
        return (node, parent, "body", tokens[7:]) if isinstance(node, dict) else None
    if place == "responses" and len(tokens) >= 8 and tokens[5] == "content" and tokens[7] == "schema":
        response = (op.get("responses") or {}).get(str(tokens[4])) or {}
        node = ((response.get("content") or {}).get(str(tokens[6])) or {}).get("schema")
        return (node, endpoint, f"response_{tokens[4]}", tokens[8:]) if isinstance(node, dict) else None
    return None


def _body_type(media: str) -> str:
    return {"application/json": "json", "multipart/form-data": "multipart", "application/octet-stream": "files"}.get(
        media, "data"
    )


def _ref_target(doc: Document, node: Any, token: str | int | None) -> tuple[str, Any] | None:
    """(class, schema) when `node` is now a reference (or a nullable one) and the raw path goes on inside it."""
    if not isinstance(node, dict):
        return None
    ref = node.get("$ref")
    for wrapper in ("anyOf", "allOf"):
        # `anyOf: [$ref, null]` (a nullable use) and `allOf: [$ref]` (a use with its own default) name the ref.
        members = node.get(wrapper)
        if ref is None and isinstance(members, list) and members and token != wrapper:
            first = members[0]
            ref = first.get("$ref") if isinstance(first, dict) else None
    name = component_name(ref) if isinstance(ref, str) else None
    if name is None:
        return None
    target = ((doc.get("components") or {}).get("schemas") or {}).get(name)
    if not isinstance(target, dict):
        return None
    return class_name("", target, name), target


def union_member_name(union: Any, member: Any, name: str | None, index: int) -> str:
    """The name the generator gives the `index`th member of a union schema named `name`: `<name>_<title>`
    when the member has a title of its own, else `<name>_type_<index>`."""
    title = member.get("title") if isinstance(member, dict) else None
    subscript = title if title is not None and title != union.get("title") else f"type_{index}"
    return f"{name}_{subscript}"


def _is_lifted(node: Any) -> bool:
    """`anyOf: [schema, {type: 'null'}]` as lift_nullable_unions writes a nullable schema."""
    members = node.get("anyOf") if isinstance(node, dict) else None
    return (
        isinstance(members, list)
        and len(members) == 2
        and isinstance(members[0], dict)
        and members[1] == {"type": "null"}
    )


def class_name(parent: str, schema: dict[str, Any], name: str) -> str:
    """The class the generator makes of `schema`, called `name` (its key or property), inside class `parent`:
    a model's title as it stands (use_path_prefixes_for_title_model_names is off), else its name, after the
    parent's; an enum's title or name, always after the parent's (parser/properties/model_property.py,
    enum_property.py)."""
    title = schema.get("title")
    return _class_name(parent, str(title or name), is_enum=isinstance(schema.get("enum"), list), titled=bool(title))


# Names repeat across a document (every class inside `Order` starts `Order…`, every naming pass asks again), and
# the generator's case rules are regular expressions: asked once per name, they took a fifth of normalizing 10 MB.
@functools.lru_cache(maxsize=1 << 16)
def _class_name(parent: str, own: str, *, is_enum: bool, titled: bool) -> str:
    pascal_case = generator_rules.pascal_case
    return _as_class(f"{pascal_case(parent)}{pascal_case(own)}" if parent and (is_enum or not titled) else own)


class GeneratedClass(NamedTuple):
    """A class the generator makes of a schema: its name, kind ('enum' or 'model'), place, enum values (sorted
    reprs), and the class it is named after (empty for a component)."""

    name: str
    kind: str
    tokens: Tokens
    values: Any
    parent: str


# A schema still to name: (schema, its name so far, the enclosing class, its tokens).
_Pending = tuple[Any, str, str, Tokens]


def generated_classes(doc: Document) -> Iterator[GeneratedClass]:
    """The classes the generator makes of the schemas of `doc` (components, and inline schemas of operations), in
    document order, each one's inline classes after it."""
    # Mirrors parser/properties/__init__.py property_from_data: enums, unions, arrays, models.
    roots: list[_Pending] = [
        (schema, str(name), "", ("components", "schemas", name))
        for name, schema in ((doc.get("components") or {}).get("schemas") or {}).items()
    ]
    roots += _operation_roots(doc)
    stack = roots[::-1]
    while stack:
        schema, name, parent, tokens = stack.pop()
        kind = _class_kind(schema)
        if kind == "enum":
            values = sorted((repr(v) for v in schema["enum"] if v is not None), key=str)
            yield GeneratedClass(class_name(parent, schema, name), "enum", tokens, values, parent)
        elif kind == "model":
            own = class_name(parent, schema, name)
            yield GeneratedClass(own, "model", tokens, None, parent)
            stack.extend(reversed(_model_members(schema, own, tokens)))
        elif kind == "union":
            stack.extend(reversed(_union_members(schema, name, parent, tokens)))
        elif kind == "array":
            stack.extend(reversed(_array_members(schema, name, parent, tokens)))


def _class_kind(schema: Any) -> str | None:
    """What the generator makes of a schema: an 'enum' or a 'model' class, a 'union' or an 'array' whose members
    may be classes, or None (a reference, a scalar, a const: no class of its own)."""
    if not isinstance(schema, dict) or _is_a_reference(schema) or schema.get("type") == "boolean":
        return None
    if isinstance(schema.get("enum"), list) and any(v is not None for v in schema["enum"]):
        return "enum"
    if schema.get("anyOf") or schema.get("oneOf") or isinstance(schema.get("type"), list):
        return "union"
    types = types_of(schema)
    if "const" in schema or types in (["string"], ["number"], ["integer"], ["null"]):
        return None
    if types == ["array"]:
        return "array"
    if types == ["object"] or "allOf" in schema or "properties" in schema:
        return "model"
    return None


def _is_a_reference(schema: dict[str, Any]) -> bool:
    """A `$ref`, or an `allOf`/`anyOf`/`oneOf` of one reference, which is that reference (a default may sit beside
    it): the generator uses the referenced class."""
    parts = [*(schema.get("allOf") or []), *(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
    return "$ref" in schema or (len(parts) == 1 and isinstance(parts[0], dict) and "$ref" in parts[0])


def _union_members(schema: dict[str, Any], name: str, parent: str, tokens: Tokens) -> list[_Pending]:
    subs = [(m, key, i) for key in ("anyOf", "oneOf") for i, m in enumerate(schema.get(key) or [])]
    if len(subs) == 1 and isinstance(subs[0][0], dict) and "$ref" in subs[0][0]:
        return []  # a union of one reference is that reference
    return [
        (member, union_member_name(schema, member, name, index), parent, (*tokens, key, i))
        for index, (member, key, i) in enumerate(subs)
    ]


def _array_members(schema: dict[str, Any], name: str, parent: str, tokens: Tokens) -> list[_Pending]:
    # `prefixItems`, then `items`: the order their classes claim names in (the first of a name keeps it).
    members: list[_Pending] = []
    for key in ("prefixItems", "items"):
        items = schema.get(key)
        for i, item in enumerate(items if isinstance(items, list) else [items]):
            token = (key, i) if isinstance(items, list) else (key,)
            members.append((item, f"{name}_item", parent, (*tokens, *token)))
    return members


def _model_members(schema: dict[str, Any], own: str, tokens: Tokens) -> list[_Pending]:
    """A model's properties (its own, then those of its inline `allOf` parts) and its additional properties."""
    props: list[tuple[str, Any, Tokens]] = [
        (k, v, (*tokens, "properties", k)) for k, v in (schema.get("properties") or {}).items()
    ]
    for i, part in enumerate(schema.get("allOf") or []):
        if isinstance(part, dict) and "$ref" not in part:
            props += [(k, v, (*tokens, "allOf", i, "properties", k)) for k, v in (part.get("properties") or {}).items()]
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and extra:
        props.append(("AdditionalProperty", extra, (*tokens, "additionalProperties")))
    return [(sub, str(key), own, sub_tokens) for key, sub, sub_tokens in props]


def _operation_roots(doc: Document) -> list[_Pending]:
    """(schema, name, parent class, tokens) of each inline schema of an operation, as the generator names it: a
    parameter after the endpoint, `body`, `response_<status>` (parser/openapi.py, bodies.py, responses.py)."""
    roots: list[_Pending] = []
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
            op = item.get(method)
            if not isinstance(op, dict) or not isinstance(op.get("operationId"), str):
                continue
            endpoint, base = op["operationId"], ("paths", path, method)
            for i, param in enumerate(op.get("parameters") or []):
                if isinstance(param, dict) and isinstance(param.get("schema"), dict):
                    roots.append(
                        (param["schema"], str(param.get("name")), endpoint, (*base, "parameters", i, "schema"))
                    )
            body = _content_of(op.get("requestBody"))
            for media, item_ in body.items():
                if isinstance(item_, dict) and isinstance(item_.get("schema"), dict):
                    parent = endpoint if len(body) == 1 else f"{endpoint}_{_body_type(str(media))}"
                    roots.append((item_["schema"], "body", parent, (*base, "requestBody", "content", media, "schema")))
            for status, response in (op.get("responses") or {}).items():
                for media, item_ in _content_of(response).items():
                    if isinstance(item_, dict) and isinstance(item_.get("schema"), dict):
                        tokens = (*base, "responses", str(status), "content", media, "schema")
                        roots.append((item_["schema"], f"response_{status}", endpoint, tokens))
    return roots


def _content_of(owner: Any) -> dict[str, Any]:
    content = owner.get("content") if isinstance(owner, dict) else None
    return content if isinstance(content, dict) else {}


# Names a package's top level already has (the generator's client.py, the SDK runtime's exports): a client
# class named like one of them would shadow it.
PACKAGE_NAMES = frozenset(
    {
        *("Client", "AuthenticatedClient", "APIError", "APIStatusError", "APIConnectionError", "APITimeoutError"),
        *("APIResponseValidationError", "MissingCredentialsError", "BadRequestError", "AuthenticationError"),
        *("PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError", "RateLimitError"),
        *("InternalServerError", "APIResponse", "NotGiven", "SyncPage", "AsyncPage", "AsyncPaginator"),
        *("File", "Response", "Unset"),
    }
)
# Names the generated modules import or define beside the models (endpoint, model and resource modules): a model
# or enum class named like one would shadow it (a schema `Client` made ruff and mypy fail on every endpoint).
GENERATED_MODULE_NAMES = frozenset(
    {
        *PACKAGE_NAMES,
        *("Model", "Mapping", "Any", "Final", "Literal", "NotGiven", "AsyncAPIClient", "SyncAPIClient"),
        *("Pagination", "BodyShape", "Operation", "RequestOptions", "TimeoutTypes", "Responses", "HTTPStatus"),
    }
)
# Class names no schema may take: those, and what a model or enum module imports besides (the runtime's enum
# bases, typing's names). separate_clashing_class_names renames a schema that would (codegen refuses what is left).
RESERVED_CLASS_NAMES = GENERATED_MODULE_NAMES | {"OpenStrEnum", "OpenIntEnum", "TypeAlias", "UUID"}


class TakenNames:
    """Names in use, compared as the generator's class names too: a component `plan` takes the class `Plan`.

    One rule for every naming pass (hoisting, readable names, clashes): a new name is free only when neither it
    nor the class the generator would make of it is taken.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names: set[str] = set()
        self._classes: set[str] = set()
        self.update(names)

    @classmethod
    def of_components(cls, doc: Document) -> TakenNames:
        """The component names of `doc` and the classes the generator makes of them (their titles too)."""
        schemas = (doc.get("components") or {}).get("schemas") or {}
        taken = cls(str(name) for name in schemas)
        taken.update(class_name("", s, str(n)) for n, s in schemas.items() if isinstance(s, dict))
        return taken

    def add(self, name: str) -> None:
        self._names.add(name)
        self._classes.add(_as_class(name))

    def update(self, names: Iterable[str]) -> None:
        for name in names:
            self.add(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._names or _as_class(name) in self._classes)


@functools.lru_cache(maxsize=1 << 16)
def _as_class(name: str) -> str:
    """The generator's class name of a name (a component's, a title)."""
    return generator_rules.class_name(name)


def free_class_name(taken: set[str] | TakenNames, base: str) -> str:
    """The class name `base` makes (the generator's rule), or with 2, 3… after it: whichever is not taken."""
    first = generator_rules.class_name(base)
    name, n = first, 2
    while name in taken:
        name, n = f"{first}{n}", n + 1
    return name
