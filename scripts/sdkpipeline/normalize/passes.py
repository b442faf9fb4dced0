"""The normalizer passes: each small, named for what it does, spec in → spec out.

A pass reads only the document and the API's overrides, and reports every change it makes to the
log (the runner warns about a pass that changed nothing). The runner hands each pass its own copy
of the document once, so passes edit that copy in place and return it.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import PipelineError, pointer
from ..yamlio import canonical_json
from .context import NamedLocation, Overrides, PassLog
from .naming import pascal_case, rewrite_refs, schema_ref, singular
from .walk import (
    Schema,
    Slot,
    Tokens,
    all_slots,
    get_pointer,
    is_nullable_type,
    operations,
    parse_pointer,
    types_of,
)

Document = dict[str, Any]
Pass = Callable[[Document, Overrides, PassLog], Document]

# Keys that describe a schema to a reader but do not change what it accepts.
_DOC_KEYS = frozenset({"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly"})
# Keys that stay on the usage site when a schema moves into a shared component.
_USAGE_KEYS = ("description", "default", "title", "example", "examples", "deprecated", "readOnly", "writeOnly")


def _ptr(tokens: Tokens) -> str:
    return pointer(*tokens)


# --------------------------------------------------------------------------- declarative fixes


def apply_patches(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Apply the overrides file's JSON-pointer patches (vendor drift and single-field fixes)."""
    for patch in overrides.patches:
        where = f"/patches/{patch.index}"
        try:
            tokens = parse_pointer(patch.pointer)
        except ValueError as exc:
            raise PipelineError(str(exc), file=overrides.file, where=where) from None
        if not tokens:
            raise PipelineError("a patch cannot replace the whole document", file=overrides.file, where=where)
        try:
            # Through references: a patch written against the raw document still finds its target in a
            # normalized one, where the schema it names has moved into a shared component.
            parent = _resolve_through_refs(doc, tokens[:-1])
        except (KeyError, IndexError, TypeError, ValueError):
            raise PipelineError(
                f"patch target {patch.pointer} does not exist in the spec (its parent is missing)",
                file=overrides.file,
                where=where,
                hint="the vendor document changed: update or drop this patch",
            ) from None
        last: str | int = tokens[-1]
        if isinstance(parent, list):
            last = int(last)
        exists = (last in parent) if isinstance(parent, dict) else (0 <= int(last) < len(parent))
        # A patch already in effect (normalizing a normalized spec) changes nothing and logs nothing.
        if patch.op == "set":
            if exists and parent[last] == patch.value:
                continue
            parent[last] = copy.deepcopy(patch.value)
        elif patch.op == "merge":
            if not exists or not isinstance(parent[last], dict) or not isinstance(patch.value, dict):
                raise PipelineError(
                    f"merge needs an existing mapping at {patch.pointer}", file=overrides.file, where=where
                )
            if all(k in parent[last] and parent[last][k] == v for k, v in patch.value.items()):
                continue
            parent[last].update(copy.deepcopy(patch.value))
        elif patch.op == "remove":
            if not exists:
                continue
            del parent[last]
        log.change(patch.pointer, f"{patch.op}: {patch.reason}")
    return doc


def _index_tokens(doc: Any, tokens: list[str]) -> list[str | int]:
    out: list[str | int] = []
    node = doc
    for token in tokens:
        key: str | int = int(token) if isinstance(node, list) else token
        out.append(key)
        node = node[key]
    return out


def add_extra_schemas(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Add the schemas the project keeps beside the vendor spec (e.g. webhook events) as components."""
    if not overrides.extra_schemas:
        return doc
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in overrides.extra_schemas.items():
        if name in schemas:
            if schemas[name] == schema:
                continue  # added by an earlier run: normalizing a normalized spec changes nothing
            raise PipelineError(
                f"extra schema '{name}' clashes with a vendor component of that name",
                file=overrides.file,
                where=pointer("components", "schemas", name),
            )
        schemas[name] = copy.deepcopy(schema)
        log.change(pointer("components", "schemas", name), "added project-kept schema")
    return doc


# --------------------------------------------------------------------------- vendor defects


_TEMPLATE_PARAM = re.compile(r"\{([^}/]+)\}")


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
                p = get_pointer(doc, tuple(parse_pointer(p["$ref"][1:])))
            except (KeyError, IndexError, TypeError, ValueError):
                continue
        if isinstance(p, dict):
            out.append(p)
    return out


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


_PREPROCESSED = re.compile(r"^(boolean|integer|number|string|array|object) \(preprocessed\)$")


def fix_untyped_schemas(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Complete schemas that lack a type or items: 'format: boolean (preprocessed)', bare 'properties'."""
    for slot in all_slots(doc):
        schema = slot.schema
        if "array" in types_of(schema) and "items" not in schema and "prefixItems" not in schema:
            schema["items"] = {}  # JSON Schema's meaning of a missing `items`; the generator requires one
            log.change(_ptr(slot.tokens), "array without items: items may be any value")
        if "type" in schema or "$ref" in schema:
            continue
        fmt = schema.get("format")
        if isinstance(fmt, str) and (m := _PREPROCESSED.match(fmt)):
            schema["type"] = m.group(1)
            del schema["format"]
            log.change(_ptr(slot.tokens), f"typed '{fmt}' as {m.group(1)}")
        elif fmt == "any":
            del schema["format"]
            log.change(_ptr(slot.tokens), "dropped 'format: any' (any value)")
        elif "properties" in schema and not any(k in schema for k in ("allOf", "anyOf", "oneOf")):
            schema["type"] = "object"
            log.change(_ptr(slot.tokens), "typed schema with properties as object")
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
                log.change(_ptr(slot.tokens), f"{exclusive} {bound} excluded the default; made it {inclusive}")
    return doc


def fix_null_defaults(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Make `null` part of a nullable enum (vendor form: `type: [string, 'null']`, enum without null)."""
    for slot in all_slots(doc):
        schema = slot.schema
        enum = schema.get("enum")
        if isinstance(enum, list) and is_nullable_type(schema) and None not in enum:
            enum.append(None)
            log.change(_ptr(slot.tokens), "nullable enum: added null to its values")
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
    for name, response in (components.get("responses") or {}).items():
        for media, item in ((response or {}).get("content") or {}).items():
            schema = item.get("schema") if isinstance(item, dict) else None
            if not isinstance(schema, dict) or "$ref" in schema or types_of(schema) not in ([], ["object"]):
                continue
            if "properties" not in schema:
                continue
            target = _free_name(schemas, pascal_case(name) if name[:1].isupper() else name)
            schemas[target] = schema
            item["schema"] = {"$ref": schema_ref(target)}
            log.change(pointer("components", "responses", name, "content", media, "schema"), f"hoisted into {target}")
    return doc


def _free_name(taken: dict[str, Any] | set[str], base: str) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


# --------------------------------------------------------------------------- shared schemas


@dataclass
class _Group:
    key: str
    kind: str  # "enum" or "object"
    members: list[Slot] = field(default_factory=list)
    name: str | None = None
    forced: bool = False
    component: str | None = None

    @property
    def depth(self) -> int:
        return min(len(m.tokens) for m in self.members)


def hoist_repeated_schemas(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Move repeated inline enums (same values) and objects (same structure) into named components.

    Nullable uses stay nullable (`anyOf: [$ref, {type: 'null'}]`). Names come from the property that
    holds the schema ('currency' → Currency, 'orders[]' → Order) or from the overrides file's `names`;
    a name already taken is qualified by the enclosing one ('PaymentOrder').
    """
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    named = {
        n.pointer: n
        for n in overrides.names
        if not n.pointer.startswith("/components/schemas/") or n.pointer.count("/") > 3
    }
    keys: dict[int, str] = {}
    groups: dict[str, _Group] = {}
    for slot in all_slots(doc, post_order=True):
        schema = slot.schema
        keys[id(schema)] = _structural_key(schema, keys)
        kind = _hoistable_kind(slot)
        if kind is None:
            continue
        group = groups.setdefault(f"{kind}:{keys[id(schema)]}", _Group(keys[id(schema)], kind))
        group.members.append(slot)
    used_names: set[str] = set()
    for group in groups.values():
        group.members.sort(key=lambda m: (len(m.tokens), _ptr(m.tokens)))
        forced = [named[_ptr(m.tokens)] for m in group.members if _ptr(m.tokens) in named]
        if len({f.name for f in forced}) > 1:
            raise PipelineError(
                f"names {', '.join(sorted({f.name for f in forced}))} are given to one shared schema",
                file=overrides.file,
                where="/names",
                hint="structurally identical schemas become one class: give them one name",
            )
        if forced:
            group.name, group.forced = forced[0].name, True
            used_names.add(forced[0].pointer)
    # An entry whose schema is already a reference to its named component was applied by an earlier run.
    unused = [n.pointer for n in named.values() if n.pointer not in used_names and not _refers_to(doc, n)]
    if unused:
        raise PipelineError(
            f"names entry for {unused[0]} matches no inline object or enum in the spec",
            file=overrides.file,
            where="/names",
            hint="the vendor document changed: update or drop the entry",
        )
    hoisted = [g for g in groups.values() if g.forced or _worth_hoisting(g, overrides)]
    taken: set[str] = set(schemas)
    forced_names = {g.name for g in hoisted if g.forced and g.name}
    bases = {id(g): _base_name(g) for g in hoisted if not g.forced}
    claimants: dict[str, list[_Group]] = defaultdict(list)
    for g in hoisted:
        if not g.forced:
            claimants[bases[id(g)]].append(g)
    # Parents are named before children, so a qualified name can use its parent's ('OrderStatus').
    for g in sorted(hoisted, key=lambda g: (not g.forced, g.depth, -len(g.members), _ptr(g.members[0].tokens))):
        if g.forced and g.name:
            if g.name in schemas:
                raise PipelineError(f"name '{g.name}' is already a component", file=overrides.file, where="/names")
            taken.add(g.name)
            continue
        base = bases[id(g)]
        rivals = claimants[base]
        # A name several shapes want goes to none of them when they are enums (generic words such as
        # 'status' or 'type'), and to the most used one when they are objects (domain nouns such as 'order').
        most_used = max(rivals, key=lambda r: (len(r.members), -r.depth)) is g and (
            len(rivals) == 1 or len(g.members) > max(len(r.members) for r in rivals if r is not g)
        )
        if base not in taken and base not in forced_names and (len(rivals) == 1 or (g.kind == "object" and most_used)):
            g.name = base
        else:
            g.name = _qualified_name(g, base, taken | forced_names, overrides.keep_inline)
        taken.add(g.name)
    # Children before parents, so a component built from a member already refers to its children.
    slots = sorted(
        ((m, g) for g in hoisted for m in g.members), key=lambda mg: (-len(mg[0].tokens), _ptr(mg[0].tokens))
    )
    for slot, group in slots:
        assert group.name is not None
        schema = slot.schema
        nullable = _is_nullable(schema)
        if group.component is None:
            schemas[group.name] = _component_body(schema, group.kind)
            group.component = group.name
            log.change(
                pointer("components", "schemas", group.name), f"new shared {group.kind} ({len(group.members)} uses)"
            )
        ref: dict[str, Any] = {"$ref": schema_ref(group.name)}
        usage = {k: schema[k] for k in _USAGE_KEYS if k in schema}
        # Enum values and object descriptions live in the component; the use keeps its own words.
        if nullable:
            slot.replace({"anyOf": [ref, {"type": "null"}], **usage})
        else:
            usage.pop("title", None)
            slot.replace({**ref, **usage} if usage else ref)
    return doc


def _resolve_through_refs(doc: Document, tokens: list[str]) -> Any:
    """The node at raw-document `tokens`, following references and nullable unions where the path moved."""
    node: Any = doc
    for token in tokens:
        if isinstance(node, list):
            node = node[int(token)]
            continue
        if token not in node:
            node = _through_ref(doc, node)
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _refers_to(doc: Document, entry: NamedLocation) -> bool:
    """Whether the raw-document location of `entry` now refers to the component it names."""
    try:
        node = _resolve_through_refs(doc, parse_pointer(entry.pointer))
    except (KeyError, IndexError, TypeError, ValueError):
        return False
    if isinstance(node, dict) and isinstance(node.get("anyOf"), list) and node["anyOf"]:
        node = node["anyOf"][0]
    return isinstance(node, dict) and node.get("$ref") == schema_ref(entry.name)


def _through_ref(doc: Document, node: Any) -> Any:
    """Follow a (possibly nullable) local schema reference; other nodes are returned as they are."""
    if isinstance(node, dict) and isinstance(node.get("anyOf"), list) and node["anyOf"]:
        node = node["anyOf"][0]  # `anyOf: [X, {type: 'null'}]` is how the passes write a nullable X
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        return get_pointer(doc, tuple(parse_pointer(node["$ref"][1:])))
    return node


def _hoistable_kind(slot: Slot) -> str | None:
    tokens = slot.tokens
    if tokens[:2] == ("components", "schemas") and len(tokens) == 3:
        return None  # already a component
    schema = slot.schema
    if "$ref" in schema:
        return None
    if isinstance(schema.get("enum"), list) and [v for v in schema["enum"] if v is not None]:
        return "enum"
    if "object" in types_of(schema) and isinstance(schema.get("properties"), dict) and schema["properties"]:
        if tokens[-1] == "schema" and tokens[-3] == "content":
            return None  # a body's own top-level schema: named after its operation by the generator
        return "object"
    return None


def _worth_hoisting(group: _Group, overrides: Overrides) -> bool:
    props = {m.property_name for m in group.members}
    if props and props <= overrides.keep_inline:
        return False
    if len(group.members) >= 2:
        return True
    # One use, but inside a nullable union or a list: the generator would name it '…Type0' / '…Item'.
    member = group.members[0]
    return group.kind == "object" and (_is_nullable(member.schema) or member.tokens[-1] == "items")


def _base_name(group: _Group) -> str:
    counts: dict[str, int] = defaultdict(int)
    for m in group.members:
        prop = m.property_name or "value"
        counts[pascal_case(singular(prop) if m.tokens[-1] == "items" else prop)] += 1
    return max(counts, key=lambda name: (counts[name], -list(counts).index(name)))


def _qualified_name(group: _Group, base: str, taken: set[str], keep_inline: frozenset[str]) -> str:
    """The shortest free name made of the enclosing property names and `base` ('SubscriptionStatus')."""
    candidates: list[str] = []
    for member in group.members:
        prefix = ""
        for ancestor in _enclosing_properties(member.tokens, keep_inline):
            prefix = ancestor + prefix
            candidates.append(prefix + base if not base.startswith(prefix) else base)
        root = (
            member.tokens[2] if member.tokens[:2] == ("components", "schemas") else pascal_case(str(member.tokens[1]))
        )
        candidates.append(f"{root}{prefix}{base}")
    free = [c for c in candidates if c not in taken]
    if free:
        return min(free, key=lambda c: (len(c), candidates.index(c)))
    return _free_name(taken, candidates[-1])


def _enclosing_properties(tokens: Tokens, keep_inline: frozenset[str]) -> list[str]:
    """Class-name words of the properties enclosing `tokens`, innermost first ('orders[]' → 'Order')."""
    words: list[str] = []
    # Skip the schema's own property name (and the items/anyOf steps below it): walk what encloses it.
    end = len(tokens)
    while end >= 2 and (
        tokens[end - 1] == "items" or isinstance(tokens[end - 1], int) or tokens[end - 1] in ("anyOf", "oneOf", "allOf")
    ):
        end -= 1
    if end >= 2 and tokens[end - 2] == "properties":
        end -= 2
    i = end - 1
    while i >= 1:
        if tokens[i - 1] == "properties" and isinstance(tokens[i], str):
            name = str(tokens[i])
            if name not in keep_inline:
                items = i + 1 < len(tokens) and tokens[i + 1] == "items"
                words.append(pascal_case(singular(name) if items else name))
            i -= 2
        else:
            i -= 1
    return words


def _is_nullable(schema: Schema) -> bool:
    return is_nullable_type(schema) or (isinstance(schema.get("enum"), list) and None in schema["enum"])


def _component_body(schema: Schema, kind: str) -> Schema:
    body = {k: v for k, v in schema.items() if k not in _USAGE_KEYS or (kind == "object" and k == "description")}
    types = [t for t in types_of(body) if t != "null"]
    if types:
        body["type"] = types[0] if len(types) == 1 else types
    if kind == "enum":
        body["enum"] = [v for v in body["enum"] if v is not None]
    return body


def _structural_key(schema: Schema, keys: dict[int, str]) -> str:
    """What a schema accepts, ignoring prose and nullability; children by their own keys (linear)."""
    shape: dict[str, Any] = {}
    for k, v in schema.items():
        if k in _DOC_KEYS:
            continue
        if k == "type":
            types = [t for t in types_of(schema) if t != "null"]
            shape[k] = types
        elif k == "enum" and isinstance(v, list):
            shape[k] = sorted((x for x in v if x is not None), key=repr)
        elif k == "properties" and isinstance(v, dict):
            shape[k] = {name: keys.get(id(sub), canonical_json(sub)) for name, sub in v.items()}
        elif isinstance(v, dict):
            shape[k] = keys.get(id(v), canonical_json(v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            shape[k] = [keys.get(id(x), canonical_json(x)) for x in v]
        else:
            shape[k] = v
    return hashlib.sha1(canonical_json(shape).encode()).hexdigest()


def lift_nullable_unions(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Rewrite nullable enums, objects and arrays as `anyOf: [schema, {type: 'null'}]`.

    openapi-python-client parses `type: [X, 'null']` on scalars correctly, but on enums it makes one
    class per value and on objects/arrays '…Type0' classes; the anyOf form gives `Model | None`.
    """
    for slot in list(all_slots(doc, post_order=True)):
        schema = slot.schema
        if not _is_nullable(schema) or "$ref" in schema:
            continue
        types = [t for t in types_of(schema) if t != "null"]
        has_enum = isinstance(schema.get("enum"), list)
        items = schema.get("items")
        # Arrays of scalars or of anything parse fine as `list[X] | None`; arrays of models need the union.
        model_items = isinstance(items, dict) and ("$ref" in items or "object" in types_of(items))
        if not has_enum and "object" not in types and not ("array" in types and model_items):
            continue
        inner = {k: v for k, v in schema.items() if k not in _USAGE_KEYS}
        if types:
            inner["type"] = types[0] if len(types) == 1 else types
        if has_enum:
            inner["enum"] = [v for v in inner["enum"] if v is not None]
        outer = {k: schema[k] for k in _USAGE_KEYS if k in schema}
        slot.replace({"anyOf": [inner, {"type": "null"}], **outer})
        log.change(_ptr(slot.tokens), "nullable union as anyOf [schema, null]")
    return doc


def merge_identical_components(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Merge component schemas that are identical but for their operation-prefixed names.

    express-zod-api style specs repeat e.g. `<operationId>NegativeResponse` once per operation; the
    shared name is what is left after the operationId (and a leading 'Parameter').
    """
    schemas = (doc.get("components") or {}).get("schemas") or {}
    op_ids = sorted(
        {str(op.get("operationId")) for _, _, op in operations(doc) if op.get("operationId")}, key=len, reverse=True
    )
    by_key: dict[str, list[str]] = defaultdict(list)
    for name, schema in schemas.items():
        by_key[canonical_json(schema)].append(name)
    mapping: dict[str, str] = {}
    candidates: dict[str, list[list[str]]] = defaultdict(list)
    for names in by_key.values():
        suffixes = {_strip_operation_prefix(n, op_ids) for n in names}
        if len(names) >= 2 and len(suffixes) == 1:
            candidates[suffixes.pop()].append(names)
    # Names the overrides file gives merged components ('RequestBody' → 'EmptyRequestBody').
    renamed = {
        parse_pointer(n.pointer)[2]: n.name
        for n in overrides.names
        if n.pointer.startswith("/components/schemas/") and n.pointer.count("/") == 3
    }
    for target, groups in candidates.items():
        # When several different schemas would take the same name, only a strictly largest group does;
        # a name already given (also under its override) is not given again, so re-running changes nothing.
        groups.sort(key=len, reverse=True)
        if len(groups) > 1 and len(groups[0]) == len(groups[1]):
            continue
        names = groups[0]
        if not target or (target in schemas and target not in names) or renamed.get(target) in schemas:
            continue
        for n in names:
            if n != target:
                mapping[n] = target
        if target not in schemas:
            schemas[target] = schemas[names[0]]
        log.change(pointer("components", "schemas", target), f"merged {len(names)} identical components")
    if mapping:
        for old in mapping:
            del schemas[old]
        rewrite_refs(doc, {schema_ref(o): schema_ref(n) for o, n in mapping.items()})
    return doc


def _strip_operation_prefix(name: str, op_ids: list[str]) -> str:
    for op_id in op_ids:
        if name.startswith(op_id) and len(name) > len(op_id):
            rest = name[len(op_id) :]
            if rest.startswith("Parameter") and len(rest) > len("Parameter"):
                rest = rest[len("Parameter") :]
            return rest
    return name


def rename_components(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Rename components named in the overrides file (`names` entries on /components/schemas/X)."""
    schemas = (doc.get("components") or {}).get("schemas") or {}
    mapping: dict[str, str] = {}
    for entry in overrides.names:
        tokens = parse_pointer(entry.pointer)
        if len(tokens) != 3 or tokens[:2] != ["components", "schemas"]:
            continue
        old = tokens[2]
        if old not in schemas and entry.name in schemas:
            continue  # renamed by an earlier run (normalizing a normalized spec changes nothing)
        if old not in schemas:
            raise PipelineError(
                f"names entry for {entry.pointer}: no such component after normalization",
                file=overrides.file,
                where="/names",
                hint="the vendor document changed, or a pass merged it under another name",
            )
        if entry.name in schemas:
            raise PipelineError(
                f"cannot rename {old}: '{entry.name}' already exists", file=overrides.file, where="/names"
            )
        schemas[entry.name] = schemas.pop(old)
        mapping[schema_ref(old)] = schema_ref(entry.name)
        log.change(pointer("components", "schemas", entry.name), f"renamed from {old}: {entry.reason}")
    if mapping:
        rewrite_refs(doc, mapping)
    return doc


def name_operations(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Give each operation its SDK resource and method name (`x-sdk-resource`, `x-sdk-method`).

    Derived from tag, HTTP method and path (`GET /orders` → orders.list, `POST /orders/{id}/cancel`
    → orders.cancel); the overrides file's `operation_names` settles the rest.
    """
    seen: dict[tuple[str, str], str] = {}
    for path, method, op in operations(doc):
        op_id = str(op.get("operationId") or f"{method} {path}")
        # The last tag is the most specific one ('offers', 'keys' → keys).
        tags = op.get("tags") or ["default"]
        resource = _snake(pascal_case(str(tags[-1])))
        override = overrides.operation_names.get(op_id)
        if override and "." in override:
            resource, name = override.split(".", 1)
        else:
            name = override or _derive_method_name(path, method, resource)
        if (resource, name) in seen:
            raise PipelineError(
                f"operations {seen[(resource, name)]} and {op_id} both map to {resource}.{name}",
                file=overrides.file,
                where="/operation_names",
                hint=f"name one of them in operation_names, e.g. {op_id}: {resource}.<name>",
            )
        seen[(resource, name)] = op_id
        if op.get("x-sdk-resource") != resource or op.get("x-sdk-method") != name:
            op["x-sdk-resource"] = resource
            op["x-sdk-method"] = name
            log.change(pointer("paths", path, method), f"SDK method {resource}.{name}")
    return doc


def _snake(text: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", text).lower()


def _derive_method_name(path: str, method: str, resource: str) -> str:
    segments = [s for s in path.strip("/").split("/") if s]
    if segments and segments[-1].startswith("{"):
        return {"get": "retrieve", "put": "update", "patch": "update", "delete": "delete"}.get(method, method)
    last = _snake(pascal_case(segments[-1])) if segments else ""
    # A path ending in the collection itself ('/orders', '/checkout/sessions') takes the REST verb.
    if not last or last == resource or resource.endswith("_" + last) or resource.endswith(last):
        return {"get": "list", "post": "create"}.get(method, method)
    return last


# Passes that repair a defect of the vendor document: each change is reported to the maintainer.
REPAIR_PASSES = frozenset(
    {
        "declare_path_parameters",
        "strip_ignored_header_parameters",
        "fix_untyped_schemas",
        "fix_defaults_outside_bounds",
        "fix_null_defaults",
        "collapse_binary_request_bodies",
        "hoist_response_schemas",
    }
)

# The explicit, ordered list the runner applies. Order matters: fixes first, then sharing, then names.
PASSES: tuple[Pass, ...] = (
    apply_patches,
    add_extra_schemas,
    declare_path_parameters,
    strip_ignored_header_parameters,
    fix_untyped_schemas,
    fix_defaults_outside_bounds,
    fix_null_defaults,
    collapse_binary_request_bodies,
    hoist_response_schemas,
    hoist_repeated_schemas,
    lift_nullable_unions,
    merge_identical_components,
    rename_components,
    name_operations,
)
