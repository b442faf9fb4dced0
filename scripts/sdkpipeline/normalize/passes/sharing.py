"""Sharing: repeated inline schemas become named components; nullable shapes become unions."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ...errors import PipelineError
from ...spec.pointer import component_name, pointer, schema_ref
from ...spec.pointer import parse as parse_pointer
from ...spec.yamlio import canonical_json
from ..classnames import TakenNames, class_of
from ..context import NamedLocation, Overrides, PassLog
from ..naming import pascal_case, rewrite_refs, singular
from ..walk import Schema, Slot, Tokens, all_slots, operations, stable_tokens, types_of
from ._common import DOC_KEYS, USAGE_KEYS, Document, free_name, is_nullable, ptr, resolve_through_refs

# --------------------------------------------------------------------------- shared schemas


@dataclass
class _Group:
    key: str
    kind: str  # "enum" or "object"
    members: list[Slot] = field(default_factory=list)
    name: str | None = None
    forced: bool = False
    recorded: bool = False  # named by the names record: a name a release published
    component: str | None = None
    # Schemas of other shapes the record merged into this class (objects differing only by optional properties).
    extra_shapes: list[Schema] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return min(len(m.tokens) for m in self.members)


def hoist_repeated_schemas(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Move repeated inline enums (same values) and objects (same structure) into named components.

    Nullable uses stay nullable (`anyOf: [$ref, {type: 'null'}]`). Names come from the overrides file's `names`,
    then from the names record (a class a release published keeps its name, and becomes a component wherever the
    generator would now name it otherwise, even for one use), then from the property that holds the schema
    ('currency' → Currency, 'orders[]' → Order); a name already taken (or published for another shape) is
    qualified by the enclosing one ('PaymentOrder').
    """
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    keys: dict[int, str] = {}
    groups: dict[str, _Group] = {}
    for slot in all_slots(doc, post_order=True):
        schema = slot.schema
        keys[id(schema)] = _structural_key(schema, keys)
        kind = hoistable_kind(slot)
        if kind is None:
            continue
        group = groups.setdefault(f"{kind}:{keys[id(schema)]}", _Group(keys[id(schema)], kind))
        group.members.append(slot)
    for group in groups.values():
        group.members.sort(key=lambda m: (len(m.tokens), ptr(m.tokens)))
    forced_names = _apply_name_overrides(doc, list(groups.values()), overrides)
    all_groups = _apply_names_record(doc, list(groups.values()), overrides, keys, forced_names)
    hoisted = [
        g for g in all_groups if g.forced or _worth_hoisting(g, overrides) or (g.recorded and _needs_pinning(doc, g))
    ]
    # Names a release published are never given to another shape, even when their own shape is gone; a name is
    # taken when the generator would make its class of another component (`Plan` beside the vendor's `plan`).
    taken = TakenNames.of_components(doc)
    taken.update([*overrides.record.schemas, *forced_names])
    for g in hoisted:
        if g.forced and g.name in schemas:
            raise PipelineError(f"name '{g.name}' is already a component", file=overrides.file, where="/names")
    taken.update(g.name for g in hoisted if g.name)
    _name_by_rules([g for g in hoisted if g.name is None], taken, overrides)
    _hoist(doc, hoisted, schemas, log)
    return doc


def _apply_name_overrides(doc: Document, groups: list[_Group], overrides: Overrides) -> set[str]:
    """Name the groups the overrides file names (`names` entries on inline schemas); returns those names."""
    named = {
        n.pointer: n
        for n in overrides.names
        if component_name("#" + n.pointer) is None  # an inline schema, not a component
    }
    used_names: set[str] = set()
    for group in groups:
        forced = [named[ptr(m.tokens)] for m in group.members if ptr(m.tokens) in named]
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
    return {g.name for g in groups if g.forced and g.name}


def _apply_names_record(
    doc: Document, groups: list[_Group], overrides: Overrides, keys: dict[int, str], forced_names: set[str]
) -> list[_Group]:
    """Give the uses of each published class that name again; returns the groups, some split or merged.

    A structural group whose uses were published under several names (identical envelopes kept inline, each its
    own class) is split by name; a new use joins the largest published class of its shape when the shape is
    shared anyway. A published object class whose uses now differ only by optional properties (the vendor added
    an optional field to one of them) stays one class, which gains the field; otherwise the name stays with the
    uses holding most of it, and the other shape is named anew (the surface check reports that as breaking).
    """
    owner = overrides.record.owner_of()
    if not owner:
        return groups
    split: list[_Group] = []
    for g in groups:
        split.extend([g] if g.forced else _split_by_record(doc, g, owner, overrides))
    by_name: dict[str, list[_Group]] = defaultdict(list)
    for g in split:
        if g.recorded and g.name:
            by_name[g.name].append(g)
    merged_away: set[int] = set()
    for _name, claimants in sorted(by_name.items()):
        if len(claimants) == 1:
            continue
        claimants.sort(key=lambda g: (-len(g.members), g.depth, ptr(g.members[0].tokens)))
        primary = claimants[0]
        if _differ_only_by_optional_properties(claimants, keys):
            primary.extra_shapes = [c.members[0].schema for c in claimants]
            for other in claimants[1:]:
                primary.members.extend(other.members)
                merged_away.add(id(other))
            primary.members.sort(key=lambda m: (len(m.tokens), ptr(m.tokens)))
        else:
            for other in claimants[1:]:
                other.name, other.recorded = None, False
    components = (doc.get("components") or {}).get("schemas") or {}
    for g in split:
        if g.recorded and (g.name in forced_names or g.name in components):
            g.name, g.recorded = None, False  # an override, or a vendor component, took the name on purpose
    return [g for g in split if id(g) not in merged_away]


def _split_by_record(doc: Document, group: _Group, owner: dict[str, str], overrides: Overrides) -> list[_Group]:
    """`group` as one group per published name of its uses (new uses joining the largest when shared)."""
    parts: dict[str | None, list[Slot]] = defaultdict(list)
    for m in group.members:
        parts[owner.get(pointer(*stable_tokens(doc, m.tokens)))].append(m)
    if None in parts and len(parts) > 1 and _worth_hoisting(group, overrides):
        largest = max((n for n in parts if n is not None), key=lambda n: (len(parts[n]), n))
        parts[largest].extend(parts.pop(None))
    out = []
    for name, members in sorted(parts.items(), key=lambda item: item[0] or ""):
        members.sort(key=lambda m: (len(m.tokens), ptr(m.tokens)))
        out.append(_Group(group.key, group.kind, members, name=name, recorded=name is not None))
    return out


def _needs_pinning(doc: Document, group: _Group) -> bool:
    """Whether a published class the sharing rules would leave inline would lose its name there: the generator
    names a nullable schema's class '…Type0', and an inline one after its parent, which may have changed."""
    return any(is_nullable(m.schema) or class_of(doc, m.tokens) != group.name for m in group.members)


def _differ_only_by_optional_properties(groups: list[_Group], keys: dict[int, str]) -> bool:
    """Whether these object shapes are one shape but for properties that are not required."""
    if any(g.kind != "object" for g in groups):
        return False
    shapes = [g.members[0].schema for g in groups]
    rest = {_structural_key({k: v for k, v in s.items() if k != "properties"}, keys) for s in shapes}
    if len(rest) != 1:
        return False  # another `required`, type or keyword: not the same class with more options
    seen: dict[str, str] = {}
    for shape in shapes:
        for prop, sub in shape["properties"].items():
            key = _key_of(sub, keys)
            if seen.setdefault(prop, key) != key:
                return False
    return True


def _name_by_rules(groups: list[_Group], taken: TakenNames, overrides: Overrides) -> None:
    """Names for shapes nothing names yet: the property's, or, when taken or contested, a qualified one."""
    bases = {id(g): _base_name(g) for g in groups}
    claimants: dict[str, list[_Group]] = defaultdict(list)
    for g in groups:
        claimants[bases[id(g)]].append(g)
    # Parents are named before children, so a qualified name can use its parent's ('OrderStatus').
    for g in sorted(groups, key=lambda g: (g.depth, -len(g.members), ptr(g.members[0].tokens))):
        base = bases[id(g)]
        rivals = claimants[base]
        # A name several shapes want goes to none of them when they are enums (generic words such as
        # 'status' or 'type'), and to the most used one when they are objects (domain nouns such as 'order').
        most_used = max(rivals, key=lambda r: (len(r.members), -r.depth)) is g and (
            len(rivals) == 1 or len(g.members) > max(len(r.members) for r in rivals if r is not g)
        )
        if base not in taken and (len(rivals) == 1 or (g.kind == "object" and most_used)):
            g.name = base
        else:
            g.name = _qualified_name(g, base, taken, overrides.keep_inline)
        taken.add(g.name)


def _hoist(doc: Document, hoisted: list[_Group], schemas: dict[str, Any], log: PassLog) -> None:
    """Replace every use by a reference to its group's component, creating the component from the first use."""
    # Children before parents, so a component built from a member already refers to its children.
    slots = sorted(((m, g) for g in hoisted for m in g.members), key=lambda mg: (-len(mg[0].tokens), ptr(mg[0].tokens)))
    for slot, group in slots:
        assert group.name is not None
        schema = slot.schema
        nullable = is_nullable(schema)
        if group.component is None:
            schemas[group.name] = _component_body(schema, group.kind)
            group.component = group.name
            why = "; published name kept" if group.recorded else ""
            log.change(
                pointer("components", "schemas", group.name),
                f"new shared {group.kind} ({len(group.members)} uses{why})",
            )
        ref: dict[str, Any] = {"$ref": schema_ref(group.name)}
        usage = {k: schema[k] for k in USAGE_KEYS if k in schema}
        # Enum values and object descriptions live in the component; the use keeps its own words.
        if nullable:
            slot.replace({"anyOf": [ref, {"type": "null"}], **usage})
        elif "default" in usage and group.recorded and class_of(doc, slot.tokens) == group.name:
            # A published class pinned where it used to be inline keeps its default: the generator reads a
            # default beside `allOf: [$ref]`, not beside a bare `$ref` (the keyword argument would lose it).
            usage.pop("title", None)
            slot.replace({"allOf": [ref], **usage})
        else:
            usage.pop("title", None)
            slot.replace({**ref, **usage} if usage else ref)
    for group in hoisted:
        if group.extra_shapes:
            # The published class gains the optional properties only some of its uses have (every shape's, since
            # the component was built from whichever use came first).
            body = schemas[str(group.name)]
            body["properties"] = dict(body["properties"])
            for shape in group.extra_shapes:
                for prop, sub in shape["properties"].items():
                    body["properties"].setdefault(prop, sub)


def _refers_to(doc: Document, entry: NamedLocation) -> bool:
    """Whether the raw-document location of `entry` now refers to the component it names."""
    try:
        node = resolve_through_refs(doc, parse_pointer(entry.pointer))
    except (KeyError, IndexError, TypeError, ValueError):
        return False
    if isinstance(node, dict) and isinstance(node.get("anyOf"), list) and node["anyOf"]:
        node = node["anyOf"][0]
    return isinstance(node, dict) and node.get("$ref") == schema_ref(entry.name)


def hoistable_kind(slot: Slot) -> str | None:
    """'enum' or 'object' for an inline schema the sharing pass may turn into a named component, else None."""
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
    return group.kind == "object" and (is_nullable(member.schema) or member.tokens[-1] == "items")


def _base_name(group: _Group) -> str:
    counts: dict[str, int] = defaultdict(int)
    for m in group.members:
        prop = m.property_name or "value"
        counts[pascal_case(singular(prop) if m.tokens[-1] == "items" else prop)] += 1
    return max(counts, key=lambda name: (counts[name], -list(counts).index(name)))


def _qualified_name(group: _Group, base: str, taken: TakenNames, keep_inline: frozenset[str]) -> str:
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
    return free_name(taken, candidates[-1])


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


def _component_body(schema: Schema, kind: str) -> Schema:
    body = {k: v for k, v in schema.items() if k not in USAGE_KEYS or (kind == "object" and k == "description")}
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
        if k in DOC_KEYS:
            continue
        if k == "type":
            types = [t for t in types_of(schema) if t != "null"]
            shape[k] = types
        elif k == "enum" and isinstance(v, list):
            shape[k] = sorted((x for x in v if x is not None), key=repr)
        elif k == "properties" and isinstance(v, dict):
            shape[k] = {name: _key_of(sub, keys) for name, sub in v.items()}
        elif isinstance(v, dict):
            shape[k] = _key_of(v, keys)
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            shape[k] = [_key_of(x, keys) for x in v]
        else:
            shape[k] = v
    return hashlib.sha1(canonical_json(shape).encode()).hexdigest()


def _key_of(node: Any, keys: dict[int, str]) -> str:
    """A sub-schema's structural key when the walk made one, else its text."""
    # Not `keys.get(id(node), canonical_json(node))`: that serialises every subtree at every level above it.
    key = keys.get(id(node))
    return key if key is not None else canonical_json(node)


def lift_nullable_unions(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Rewrite nullable enums, objects and arrays as `anyOf: [schema, {type: 'null'}]`.

    openapi-python-client parses `type: [X, 'null']` on scalars correctly, but on enums it makes one
    class per value and on objects/arrays '…Type0' classes; the anyOf form gives `Model | None`.
    """
    for slot in list(all_slots(doc, post_order=True)):
        schema = slot.schema
        if not is_nullable(schema) or "$ref" in schema:
            continue
        types = [t for t in types_of(schema) if t != "null"]
        has_enum = isinstance(schema.get("enum"), list)
        items = schema.get("items")
        # Arrays of scalars or of anything parse fine as `list[X] | None`; arrays of models need the union.
        model_items = isinstance(items, dict) and ("$ref" in items or "object" in types_of(items))
        if not has_enum and "object" not in types and not ("array" in types and model_items):
            continue
        if has_enum and all(v is None for v in schema["enum"]):
            continue  # `enum: [null]` is the null value alone, which the generator reads as None already
        inner = {k: v for k, v in schema.items() if k not in USAGE_KEYS}
        if types:
            inner["type"] = types[0] if len(types) == 1 else types
        if has_enum:
            inner["enum"] = [v for v in inner["enum"] if v is not None]
        outer = {k: schema[k] for k in USAGE_KEYS if k in schema}
        slot.replace({"anyOf": [inner, {"type": "null"}], **outer})
        log.change(ptr(slot.tokens), "nullable union as anyOf [schema, null]")
    return doc


def merge_identical_components(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Merge component schemas that are identical but for their operation-prefixed names.

    express-zod-api style specs repeat e.g. `<operationId>NegativeResponse` once per operation; the
    shared name is what is left after the operationId (and a leading 'Parameter'). A merged component a release
    published (the names record) is made again from the vendor components it was made of, whatever the
    operations are called now; a vendor component whose operation is gone (or renamed) joins the group whose
    name it ends with, so an operation's removal or rename never unmakes a published class.
    """
    schemas = (doc.get("components") or {}).get("schemas") or {}
    op_ids = frozenset(str(op.get("operationId")) for _, _, op in operations(doc) if op.get("operationId"))
    # Names the overrides file gives merged components ('RequestBody' → 'EmptyRequestBody').
    renamed = {name: n.name for n in overrides.names if (name := component_name("#" + n.pointer)) is not None}
    plans: dict[str, list[str]] = {}  # target → the vendor components merged into it
    shapes: dict[str, str] = {}
    for target, names in _published_merges(schemas, overrides, renamed):
        plans[target] = [n for n in names if n != target]
        shapes[target] = canonical_json(schemas[names[0]])
    planned = {n for names in plans.values() for n in names}

    def shape_of(target: str, names: list[str]) -> str | None:
        """The shape the name `target` has already (planned, or a component not among `names`)."""
        if target in shapes:
            return shapes[target]
        return canonical_json(schemas[target]) if target in schemas and target not in names else None

    by_key: dict[str, list[str]] = defaultdict(list)
    for name, schema in schemas.items():
        if name not in planned:
            by_key[canonical_json(schema)].append(name)
    candidates: dict[str, list[list[str]]] = defaultdict(list)
    for key, names in by_key.items():
        suffix = _shared_suffix(names, op_ids)
        # One name alone merges only into a published merged component of its shape (a new operation's copy).
        if suffix is not None and (len(names) >= 2 or shape_of(suffix, names) == key):
            candidates[suffix].append(names)
    for target, groups in candidates.items():
        chosen = _chosen_group(groups, schemas, shapes.get(target))
        if chosen is None or not target or shape_of(target, chosen) not in (None, canonical_json(schemas[chosen[0]])):
            continue
        if renamed.get(target) in schemas and target not in plans:
            continue
        plans.setdefault(target, []).extend(n for n in chosen if n != target)
    _apply_merges(doc, schemas, plans, op_ids, log)
    return doc


def _chosen_group(groups: list[list[str]], schemas: dict[str, Any], published: str | None) -> list[str] | None:
    """Which group of identical components takes a name (None: none does); `published` is the shape of the merged
    component a release published under it."""
    if published is not None:
        # A published merged component takes the copies of its shape; another shape never gets its name.
        groups = [g for g in groups if canonical_json(schemas[g[0]]) == published]
    else:
        # When several different schemas would take the same name, only a strictly largest group does;
        # a name already given (also under its override) is not given again, so re-running changes nothing.
        groups.sort(key=len, reverse=True)
        if len(groups) > 1 and len(groups[0]) == len(groups[1]):
            return None
    return groups[0] if groups else None


def _apply_merges(
    doc: Document, schemas: dict[str, Any], plans: dict[str, list[str]], op_ids: frozenset[str], log: PassLog
) -> None:
    """Make each planned component of the first of its vendor components, and point every reference at it."""
    # New components in the order of the first vendor component named after them, whichever rule merged them.
    first: dict[str, int] = {}
    for i, name in enumerate(schemas):
        first.setdefault(_strip_operation_prefix(name, op_ids), i)
    order = {name: i for i, name in enumerate(schemas)}
    mapping: dict[str, str] = {}
    for target, names in sorted(
        plans.items(), key=lambda item: first.get(item[0], order.get(item[1][0] if item[1] else "", 0))
    ):
        if not names:
            continue
        count = len(names) + (target in schemas)  # the vendor's own component of that name is one of them
        schemas.setdefault(target, schemas[names[0]])
        mapping.update((n, target) for n in names)
        log.change(pointer("components", "schemas", target), f"merged {count} identical components")
    if mapping:
        for old in mapping:
            del schemas[old]
        rewrite_refs(doc, {schema_ref(o): schema_ref(n) for o, n in mapping.items()})


def _published_merges(
    schemas: dict[str, Any], overrides: Overrides, renamed: dict[str, str]
) -> list[tuple[str, list[str]]]:
    """(target, vendor components) for each merged component the names record holds: its vendor components still
    there, the largest identical set of them; the target is the name the overrides file renames to the published
    one, else the published name. A component the overrides file names itself is the maintainer's to name."""
    named_by_override = set(renamed)
    inverse = {new: old for old, new in renamed.items()}
    out: list[tuple[str, list[str]]] = []
    for published, members in sorted(overrides.record.merged.items()):
        target = inverse.get(published, published)
        present = [m for m in sorted(members) if m in schemas and m != target and m not in named_by_override]
        shapes: dict[str, list[str]] = defaultdict(list)
        for name in present:
            shapes[canonical_json(schemas[name])].append(name)
        if not shapes:
            continue
        key, names = max(shapes.items(), key=lambda item: (len(item[1]), item[0]))
        if target in schemas and canonical_json(schemas[target]) != key:
            continue  # the name is another shape's now: the rule below decides, the surface check reports it
        out.append((target, names))
    return out


def _shared_suffix(names: list[str], op_ids: frozenset[str]) -> str | None:
    """The name identical components share once their operationIds are taken off, or None.

    A component named after an operation the document no longer has (removed, or renamed without its
    components) keeps its old prefix: it joins when its name ends with the others' shared name.
    """
    stripped = {short for n in names if (short := _strip_operation_prefix(n, op_ids)) != n}
    if len(stripped) != 1:
        return None  # none named after an operation (the vendor's own names), or several names
    suffix = stripped.pop()
    return suffix if all(n.endswith(suffix) for n in names) else None


def _strip_operation_prefix(name: str, op_ids: frozenset[str]) -> str:
    """`name` without the longest operationId it starts with (and a 'Parameter' after it), if it is longer."""
    # Its prefixes looked up, longest first: comparing every name with every operationId grew with their product.
    for end in range(len(name) - 1, 0, -1):
        if name[:end] in op_ids:
            rest = name[end:]
            if rest.startswith("Parameter") and len(rest) > len("Parameter"):
                rest = rest[len("Parameter") :]
            return rest
    return name
