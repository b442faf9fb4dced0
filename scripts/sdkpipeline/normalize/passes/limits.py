"""Repairs of what openapi-python-client 0.29.1 cannot hold: defaults it refuses, enum members it merges, class
names it gives twice.

Each repair mirrors the generator's own rule (its case, class-name and default rules copied in
normalize/generator_rules.py, which tests/test_upstream.py holds to the generator's own), so a repaired document is
one the generator takes whole:
https://github.com/openapi-generators/openapi-python-client/tree/v0.29.1/openapi_python_client/parser/properties
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Hashable
from typing import Any

from ...spec.pointer import component_name, find, is_local_ref, pointer, references, resolve_ref, schema_ref
from ..classnames import RESERVED_CLASS_NAMES, GeneratedClass, class_name, free_class_name, generated_classes
from ..context import Overrides, PassLog
from ..generator_rules import (
    pascal_case,
    snake_case,
    takes_boolean,
    takes_date,
    takes_datetime,
    takes_float,
    takes_int,
    takes_uuid,
)
from ..walk import Slot, Tokens, all_slots, stable_tokens, types_of
from ._common import DOC_KEYS, Document, ptr

# --------------------------------------------------------------------------- defaults


def drop_unsupported_defaults(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Drop a `default` the generator refuses, with a warning naming the property, the value and why.

    openapi-python-client drops the whole schema (and the operation or model around it) over one default it
    cannot convert: beside an `allOf: [$ref]` to a model ("ModelProperty cannot have a default value"), an enum
    default that is none of its values ("Value  is not valid for enum"), a date that is no date. Without the
    default the parameter or field is still there; the caller passes the value the API would assume.
    """
    for slot in all_slots(doc):
        schema = slot.schema
        if "default" not in schema:
            continue
        why = default_refusal(doc, schema, schema["default"])
        if why is None:
            continue
        value = schema.pop("default")
        log.change(ptr(slot.tokens), f"{_what(slot)}: dropped default {_shown(value)}: {why}", lossy=True)
    return doc


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _what(slot: Slot) -> str:
    """`property 'direction'`, `parameter 'sort'`, or `schema` for a place without a name."""
    if slot.tokens[-2:-1] == ("properties",):
        return f"property '{slot.key}'"
    if slot.property_name is not None and slot.tokens[-1] == "schema":
        return f"parameter '{slot.property_name}'"
    return "schema"


def default_refusal(doc: Document, schema: Any, value: Any, *, depth: int = 0) -> str | None:
    """Why the generator refuses `value` as the default of `schema` (None when it takes it).

    Mirrors parser/properties/__init__.py `property_from_data` and each property's `convert_value`.
    """
    if value is None or not isinstance(schema, dict) or depth > 32:
        return None
    if "$ref" in schema:
        # A reference used as a schema: the generator follows it (a sibling default is not read).
        target = _target(doc, schema["$ref"])
        return None if depth == 0 else default_refusal(doc, target, value, depth=depth + 1)
    parts = [*(schema.get("allOf") or []), *(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
    if len(parts) == 1 and isinstance(parts[0], dict) and is_local_ref(parts[0].get("$ref")):
        # `allOf: [$ref]` with a default: the referenced class converts it.
        return default_refusal(doc, _target(doc, parts[0]["$ref"]), value, depth=depth + 1)
    types = types_of(schema)
    if types == ["boolean"]:
        return None if takes_boolean(value) else "no boolean"
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return _enum_refusal(schema["enum"], value)
    members = [*(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
    if members or isinstance(schema.get("type"), list):
        return _union_refusal(doc, members or [{**schema, "type": t} for t in types], value, depth=depth)
    if "const" in schema:
        return None if value == schema["const"] else f"the schema's const is {schema['const']!r}"
    if types == ["string"]:
        return _string_refusal(schema, value)
    if types == ["number"]:
        return None if takes_float(value) else "no number"
    if types == ["integer"]:
        return None if takes_int(value) else "no integer"
    if types in (["null"], ["array"]):
        return None  # the generator does not read these defaults
    if types == ["object"] or "allOf" in schema or (not types and "properties" in schema):
        # A model's own default is not read; one it must convert (beside `allOf: [$ref]`, in a union) is refused.
        return "a model takes no default" if depth > 0 else None
    return None


def _union_refusal(doc: Document, alternatives: list[Any], value: Any, *, depth: int) -> str | None:
    """Why no member of a union (`anyOf`/`oneOf`, or a list of types) takes `value` (None when one does)."""
    reasons = [default_refusal(doc, m, value, depth=depth + 1) for m in alternatives if isinstance(m, dict)]
    return None if not reasons or None in reasons else f"no member of the union takes it ({reasons[-1]})"


def _string_refusal(schema: dict[str, Any], value: Any) -> str | None:
    """Why a string schema refuses `value`: a file takes none; a date, date-time or uuid must convert."""
    takes: dict[Any, Callable[[Any], bool]] = {"date-time": takes_datetime, "date": takes_date, "uuid": takes_uuid}
    fmt = schema.get("format")
    if fmt == "binary":
        return "a file takes no default"
    check = takes.get(fmt)
    return None if check is None or check(value) else f"no {fmt}"


def _target(doc: Document, ref: Any) -> Any:
    try:
        return resolve_ref(doc, ref) if is_local_ref(ref) else None
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _enum_refusal(values: list[Any], value: Any) -> str | None:
    """EnumProperty.convert_value: a value of the enum's type that is one of its values."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    kind = type(present[0])
    if not isinstance(value, kind) or value not in present:
        shown = ", ".join(repr(v) for v in present[:6]) + (", …" if len(present) > 6 else "")
        return f"not one of the enum's values ({shown})"
    return None


# --------------------------------------------------------------------------- enum members


def disambiguate_enum_members(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Give enum values that the generator would name alike members of their own (`x-enum-varnames`).

    openapi-python-client names a string value's member by upper-casing it (`asc` → `ASC`, `GMT+0` → `GMT0`)
    and crashes on two values with one member name (`ASC`/`asc`, `add`/`Add`); a value listed twice is kept
    once. The first value keeps the generator's name, a later one takes `_2`, `_3`…; a name the names record
    holds for the enum stays with its value (`specs/<api>/names.yaml`, `enum_members`).
    """
    recorded = overrides.record.enum_members
    for slot in all_slots(doc):
        schema = slot.schema
        values = schema.get("enum")
        if not isinstance(values, list) or len(values) < 2:
            continue
        kept = _without_repeats(values)
        if len(kept) < len(values):
            repeated = sorted({repr(v) for v, first in zip(values, _first_places(values), strict=True) if not first})
            schema["enum"] = kept
            _drop_varnames_of_repeats(schema, values)
            log.change(ptr(slot.tokens), f"enum value(s) {', '.join(repeated)} listed more than once: kept once")
        present = [v for v in schema["enum"] if v is not None]
        if not present or any(isinstance(v, bool) or not isinstance(v, str | int) for v in present):
            continue
        natural = _member_names(schema, present)
        published = recorded.get(pointer(*stable_tokens(doc, slot.tokens)), {}) if recorded else {}
        if len(set(natural)) == len(natural) and all(n.isidentifier() for n in natural) and not published:
            continue
        members = _distinct_members(present, natural, published)
        if members == natural and schema.get("x-enum-varnames") == members:
            continue
        schema["x-enum-varnames"] = members
        renamed = [f"{v!r} → {m}" for v, n, m in zip(present, natural, members, strict=True) if n != m]
        if renamed:
            log.change(ptr(slot.tokens), f"enum members named apart: {', '.join(renamed)}")
    return doc


def _first_places(values: list[Any]) -> list[bool]:
    """For each value, whether it is the first of its kind (1, True and 1.0 compare equal, so the type counts)."""
    seen: set[tuple[str, Any]] = set()
    firsts = []
    for value in values:
        key = (type(value).__name__, value if isinstance(value, Hashable) else repr(value))
        firsts.append(key not in seen)
        seen.add(key)
    return firsts


def _without_repeats(values: list[Any]) -> list[Any]:
    return [v for v, first in zip(values, _first_places(values), strict=True) if first]


def _drop_varnames_of_repeats(schema: dict[str, Any], values: list[Any]) -> None:
    names = schema.get("x-enum-varnames")
    present = [v for v in values if v is not None]
    if isinstance(names, list) and len(names) == len(present):
        firsts = _first_places(present)
        schema["x-enum-varnames"] = [n for n, first in zip(names, firsts, strict=True) if first]


@functools.lru_cache(maxsize=65536)
def _sanitized(key: str) -> str:
    """The generator's member name of a key (`snake_case(key).upper()`); enum values repeat across a document."""
    return str(snake_case(key)).upper()


def _member_names(schema: dict[str, Any], values: list[Any]) -> list[str]:
    """The member name openapi-python-client gives each value (EnumProperty.values_from_list)."""
    var_names = schema.get("x-enum-varnames")
    use_var_names = isinstance(var_names, list) and len(var_names) == len(values)
    names = []
    for i, value in enumerate(values):
        if use_var_names:
            key = str(var_names[i])  # type: ignore[index]  # checked above
        elif isinstance(value, int):
            names.append(f"VALUE_NEGATIVE_{-value}" if value < 0 else f"VALUE_{value}")
            continue
        else:
            key = value.upper() if value and value[0].isalpha() else f"VALUE_{i}"
        names.append(_sanitized(key))
    return names


def _distinct_members(values: list[Any], natural: list[str], published: dict[str, Any]) -> list[str]:
    """One member name per value: the published one, else the generator's, else it with `_2`, `_3`…"""
    by_value = {_value_key(v): m for m, v in published.items()}
    members: list[str | None] = [by_value.get(_value_key(v)) for v in values]
    taken = {m for m in members if m is not None}
    for i, name in enumerate(natural):
        if members[i] is not None:
            continue
        base = name if name.isidentifier() else f"VALUE_{i}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        members[i] = candidate
        taken.add(candidate)
    return [str(m) for m in members]


def _value_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


# --------------------------------------------------------------------------- class names


def separate_clashing_class_names(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Title a schema whose class name the generator already gave another class (`Plan` beside `plan`).

    openapi-python-client refuses the second class of a name (an enum with other values, a model beside an enum
    or a model) and drops what uses it. A vendor component keeps its name over an inline schema, an earlier
    component over a later one; the other becomes `<Name>2` (`3`…, the first class name free).
    """
    found = list(generated_classes(doc))
    taken = {c.name for c in found} | RESERVED_CLASS_NAMES
    # The generator registers every component's own class before the inline classes of any of them; the names the
    # generated modules import (the runtime's Model, File, ConflictError…) are there before any.
    order = sorted(range(len(found)), key=lambda i: (len(found[i].tokens) > 3, i))
    first = {name: GeneratedClass(name, "runtime", (), None, "") for name in RESERVED_CLASS_NAMES}
    for i in order:
        current = found[i]
        seen = first.setdefault(current.name, current)
        if seen.tokens == current.tokens or (current.kind == seen.kind == "enum" and current.values == seen.values):
            continue  # the same class, or identical enums, which share their class
        schema = find(doc, current.tokens)
        if not isinstance(schema, dict):
            continue
        chosen = free_class_name(taken, current.name)
        taken.add(chosen)
        # An enum's class is its parent's name and its title; a model's is its title.
        prefix = pascal_case(current.parent) if current.kind == "enum" and current.parent else ""
        schema["title"] = chosen[len(prefix) :] if prefix and chosen.startswith(prefix) else chosen
        other = "a name the generated modules use" if seen.kind == "runtime" else f"also {pointer(*seen.tokens)}"
        log.change(ptr(current.tokens), f"class {current.name} is {other}: this {current.kind} is class {chosen}")
    return doc


# --------------------------------------------------------------------------- allOf


# What an `allOf` part may say without shaping the value: it annotates the schema around it.
_ANNOTATIONS = frozenset({*DOC_KEYS, "nullable", "externalDocs", "xml"})


def merge_all_of_fragments(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """An `allOf` of annotations and scalar fragments becomes one schema; a reference keeps its class.

    Box writes `allOf: [{type: string, nullable: true}, {nullable: false}]` and `allOf: [{$ref: Role}, {description:
    …}]`: openapi-python-client makes a model of any `allOf` ("Cannot take allOf a non-object" for an enum, an
    empty class for a string) and a copy of the referenced class for a reference with its description. Parts
    that only annotate move to the schema itself (a later part's word wins, as the generator merges them);
    fragments of one scalar type merge into it; a reference left alone is `allOf: [$ref]`, the referenced class.
    """
    for slot in all_slots(doc, post_order=True):
        schema = slot.schema
        parts = schema.get("allOf")
        if not isinstance(parts, list) or not parts or not all(isinstance(p, dict) for p in parts):
            continue
        notes = [p for p in parts if "$ref" not in p and all(_annotates(k) for k in p)]
        rest = [p for p in parts if not any(p is n for n in notes)]
        merged_scalars = _merged_scalars(rest)
        if not notes and merged_scalars is None:
            continue
        outer = {k: v for k, v in schema.items() if k != "allOf"}
        # The parts in order, a later word winning; the schema's own words over all of them.
        words: dict[str, Any] = {}
        for part in parts if merged_scalars is not None else notes:
            words.update(part)
        done = {**words, **outer}
        if done.get("nullable") is False:
            del done["nullable"]
        if merged_scalars is not None:
            what = f"{len(parts)} fragments of one {', '.join(types_of(done)) or 'value'}: merged"
        else:
            done = {**done, "allOf": rest} if rest else done
            what = f"{len(notes)} part(s) that only annotate moved out of the allOf"
        slot.replace(done)
        log.change(ptr(slot.tokens), what)
    return doc


def _annotates(key: Any) -> bool:
    return key in _ANNOTATIONS or (isinstance(key, str) and key.startswith("x-"))


def _merged_scalars(parts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one schema inline scalar parts make (later words win), or None when they are not all of one scalar."""
    if not parts or any("$ref" in p or "properties" in p or "allOf" in p for p in parts):
        return None
    kinds = {t for p in parts for t in types_of(p) if t != "null"}
    if len(kinds) != 1 or kinds & {"object", "array"}:
        return None
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if key in merged and merged[key] != value and not _annotates(key) and key != "type":
                return None  # two different constraints (patterns, enums): not one fragment
            merged[key] = value
    return merged


def settle_all_of_redefinitions(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A property an `allOf` defines again in a way the generator cannot merge keeps the first definition.

    openapi-python-client merges an `allOf` into one class, and refuses the whole model over a property defined
    twice with types it cannot combine (Asana's `parent.resource_subtype`: an enum, then a nullable string). The
    later definition keeps its words (description, example) and the earlier type stands, as the generator does
    itself for two definitions of one kind; a later, narrower type is lost (the log says which).
    """
    schemas = (doc.get("components") or {}).get("schemas") or {}
    for slot in all_slots(doc):
        parts = slot.schema.get("allOf")
        if not isinstance(parts, list) or len(parts) < 2:
            continue
        seen: dict[str, Any] = {}
        for owner, props in _definitions_in_merge_order(doc, slot.schema, schemas):
            for name, definition in props.items():
                if name not in seen:
                    seen[name] = definition
                    continue
                if owner is None or _mergeable(doc, seen[name], definition):
                    continue
                notes = {k: v for k, v in definition.items() if _annotates(k) and k != "nullable"}
                owner[name] = notes
                log.change(
                    ptr((*slot.tokens, "allOf")),
                    f"property '{name}' defined again as {_kind(doc, definition)[0]} after "
                    f"{_kind(doc, seen[name])[0]}: the generator cannot merge them, the first definition stands",
                    lossy=True,
                )
    return doc


def _definitions_in_merge_order(
    doc: Document, schema: dict[str, Any], schemas: dict[str, Any]
) -> list[tuple[dict[str, Any] | None, dict[str, Any]]]:
    """(the properties mapping a definition may be rewritten in, or None for a shared component's, definitions)
    in the order the generator merges them: referenced models first, then the schema's own and inline parts'."""
    found: list[tuple[dict[str, Any] | None, dict[str, Any]]] = []
    for part in schema.get("allOf") or []:
        if isinstance(part, dict) and is_local_ref(part.get("$ref")):
            found.append((None, _all_properties(doc, _target(doc, part["$ref"]))))
    own = schema.get("properties")
    if isinstance(own, dict):
        found.append((own, own))
    for part in schema.get("allOf") or []:
        props = part.get("properties") if isinstance(part, dict) and "$ref" not in part else None
        if isinstance(props, dict):
            found.append((props, props))
    return found


def _all_properties(doc: Document, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Every property a model has once its `allOf` is merged (first definition of each)."""
    if not isinstance(schema, dict) or depth > 32:
        return {}
    merged: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        if isinstance(part, dict) and is_local_ref(part.get("$ref")):
            for name, prop in _all_properties(doc, _target(doc, part["$ref"]), depth + 1).items():
                merged.setdefault(name, prop)
    for props in [schema.get("properties"), *((p or {}).get("properties") for p in schema.get("allOf") or [])]:
        for name, prop in (props if isinstance(props, dict) else {}).items():
            merged.setdefault(name, prop)
    return merged


def _mergeable(doc: Document, first: Any, second: Any) -> bool:
    """Whether openapi-python-client merges the two definitions (parser/properties/merge_properties.py)."""
    (a, a_values), (b, b_values) = _kind(doc, first), _kind(doc, second)
    if "any" in (a, b) or (a == b and a not in ("enum", "list")):
        return True
    if a == b == "list":
        return _mergeable(doc, _items(doc, first), _items(doc, second))
    if "enum" in (a, b):
        if a == b:
            return set(a_values) <= set(b_values) or set(b_values) <= set(a_values)
        values, other = (a_values, b) if a == "enum" else (b_values, a)
        kind = {str: "string", int: "integer"}.get(type(values[0]) if values else str)
        return other == kind
    return {a, b} in ({"integer", "number"},) or (
        "string" in (a, b) and {a, b} - {"string"} <= {"date", "date-time", "binary"}
    )


def _kind(doc: Document, schema: Any, depth: int = 0) -> tuple[str, list[Any]]:
    """The property class the generator makes of `schema` (property_from_data's dispatch), and an enum's values."""
    if not isinstance(schema, dict) or depth > 32:
        return "any", []
    if "$ref" in schema:
        return _kind(doc, _target(doc, schema["$ref"]), depth + 1)
    parts = [*(schema.get("allOf") or []), *(schema.get("anyOf") or []), *(schema.get("oneOf") or [])]
    if len(parts) == 1 and isinstance(parts[0], dict) and "$ref" in parts[0]:
        return _kind(doc, parts[0], depth + 1)
    types = types_of(schema)
    nullable = schema.get("nullable") is True
    if types == ["boolean"] and not nullable:
        return "boolean", []
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        values = schema["enum"]
        return ("union", []) if None in values or nullable else ("enum", values)
    if schema.get("anyOf") or schema.get("oneOf") or len(types) > 1 or (nullable and types):
        return "union", []
    if "const" in schema:
        return "const", []
    if types == ["string"]:
        fmt = schema.get("format")
        return (fmt if fmt in ("date", "date-time", "binary", "uuid") else "string"), []
    if types and types[0] in ("number", "integer", "null"):
        return types[0], []
    if types == ["array"]:
        return "list", []
    if types == ["object"] or schema.get("allOf") or (not types and schema.get("properties")):
        return "model", []
    return "any", []


def _items(doc: Document, schema: Any) -> Any:
    node = schema
    for _ in range(33):
        if isinstance(node, dict) and "$ref" in node:
            node = _target(doc, node["$ref"])
        else:
            break
    return node.get("items") if isinstance(node, dict) else None


def unwrap_component_aliases(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A component that is `allOf` of one reference to a model with inline models of its own (Asana's
    `XResponse: {allOf: [$ref: XBase]}`, XBase's `owner` an inline object) becomes a copy of that model, titled
    with its own name: a class of its own with the same fields.

    openapi-python-client processes the referenced model a second time for such a component and refuses both
    ("Attempted to generate duplicate models" for their inline classes). An alias of a model without inline
    models is left as it is (the generator reads it as the referenced class).
    """
    schemas = (doc.get("components") or {}).get("schemas") or {}
    with_inline_models: set[str] | None = None  # a walk of every class of the document: only once an alias is found
    for name, schema in schemas.items():
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        if not isinstance(parts, list) or len(parts) != 1 or not isinstance(parts[0], dict):
            continue
        ref = parts[0].get("$ref")
        if set(parts[0]) != {"$ref"} or not set(schema) - {"allOf"} <= _ANNOTATIONS - {"default", "nullable"}:
            continue
        target_name = component_name(str(ref)) if is_local_ref(ref) else None
        target = schemas.get(target_name) if target_name else None
        if not isinstance(target, dict) or _kind(doc, target)[0] != "model":
            continue  # an alias of an enum or a scalar reads as the referenced class
        if with_inline_models is None:
            with_inline_models = {
                str(c.tokens[2]) for c in generated_classes(doc) if c.kind == "model" and len(c.tokens) > 3
            }
        if target_name not in with_inline_models:
            continue  # so does an alias of a model without inline models
        words = {k: v for k, v in schema.items() if k != "allOf"}
        schemas[name] = {**copy.deepcopy(target), **words, "title": class_name("", {}, str(name))}
        log.change(pointer("components", "schemas", name), f"allOf of one model ({ref}): a copy of it, titled")
    return doc


def lift_nullable_components(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A model component that may be null (`nullable: true`, `type: [object, 'null']`) and that an `allOf` extends
    is a model; its other uses may be null instead (`anyOf: [$ref, {type: 'null'}]`).

    openapi-python-client makes a nullable component a union, which no `allOf` can extend ("Cannot take allOf a
    non-object": Box's `File--Mini` is `allOf: [File--Base, …]` and `File--Base` is nullable). A use inside an
    `allOf` extends the model, so stays as written; a member of a union makes the union admit null.
    """
    schemas = (doc.get("components") or {}).get("schemas") or {}
    extended = {h["$ref"] for tokens, h in log.references(doc) if tokens[-2:-1] == ("allOf",)}
    lifted: set[str] = set()
    for name, schema in schemas.items():
        if schema_ref(name) not in extended or not isinstance(schema, dict):
            continue
        if not (schema.get("nullable") is True or "null" in types_of(schema)):
            continue
        plain = {k: v for k, v in schema.items() if k != "nullable"}
        types = [t for t in types_of(plain) if t != "null"]
        if "type" in plain:
            plain["type"] = types[0] if len(types) == 1 else types
        if _kind(doc, plain)[0] != "model":
            continue
        schemas[name] = plain
        lifted.add(schema_ref(name))
        log.change(pointer("components", "schemas", name), "nullable model: its uses admit null instead")
    if not lifted:
        return doc
    for tokens, holder in list(references(doc)):
        if holder["$ref"] not in lifted or tokens[-2:-1] == ("allOf",):
            continue
        if tokens[-2:-1] in (("anyOf",), ("oneOf",)):
            union = find(doc, tokens[:-2])
            members = union.get(tokens[-2]) if isinstance(union, dict) else None
            if isinstance(members, list) and {"type": "null"} not in members:
                members.append({"type": "null"})
            continue
        if tokens[-1:] != ("schema",) and not _in_schema(tokens):
            continue  # a reference to a component that is no schema use (a response, a parameter)
        usage = {k: holder.pop(k) for k in list(holder) if k != "$ref"}
        ref = holder.pop("$ref")
        holder.update({"anyOf": [{"$ref": ref}, {"type": "null"}], **usage})
    return doc


def _in_schema(tokens: Tokens) -> bool:
    """Whether `tokens` address a schema inside another (a property, items, additionalProperties…)."""
    return bool(tokens) and (
        tokens[-2:-1] in (("properties",), ("prefixItems",))
        or tokens[-1] in ("items", "additionalProperties", "not", "contains")
        or tokens[:2] == ("components", "schemas")
    )
