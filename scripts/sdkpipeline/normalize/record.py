"""The names record (specs/<api>/names.yaml): which class and which SDK method each published thing got.

Once a release has published a class or a method, regeneration keeps that name for the same schema or
operation; the passes read the record before their naming rules (`hoist_repeated_schemas` for classes made from
inline schemas, `merge_identical_components` for components merged from identical vendor ones,
`keep_published_operations` for each operation's operationId and first tag, which name the function module users
import, and `name_operations` for resources and methods). The record is made from what the pipeline produced:
`published_names` maps every inline enum or object of the raw document to the class the generated package has for
it, every operation (by method and path, which an operationId rename does not move) to its operationId, first tag
and `resource.method`, and every merged component to the vendor components it was made of. `nox -s generate` adds
what is new and never removes an entry; a breaking release (`nox -s update_specs`, `nox -s release`) drops the
names it no longer has.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..spec.pointer import pointer
from ..spec.registry import Api
from ..spec.yamlio import Document, dump_document, load_document
from .classnames import class_of, component_aliases
from .context import NamesRecord, Overrides, PassLog, PublishedOperation, operation_key
from .passes._common import resolve_through_refs, through_ref
from .passes.names import keep_published_operations
from .passes.sharing import hoistable_kind
from .walk import all_slots, operations, stable_tokens

__all__ = [
    "check_names_record",
    "current_names",
    "extend_record",
    "load_record",
    "merge_records",
    "names_record_path",
    "published_names",
    "record_text",
    "write_record",
]

_HEADER = """\
# The names this SDK has published, kept by every regeneration (README "Releasing": names that do not move).
# schemas: a class made from inline schemas of the vendor document → the places of those schemas (JSON
#   pointers into the raw document; parameters by name). A new use of the same shape gets the same class.
# operations: METHOD /path → what the operation published: its operationId (the function module
#   api.<tag>.<operation_id in snake case>), its first tag (the api.<tag> package) and its SDK method resource.method.
# merged: a component made of identical vendor components (one per operation) → the vendor components' names.
# Written by `nox -s generate` (adds, never removes) and by the release sessions (a breaking release drops
# names it no longer has). Review it like the overrides; edit it only to rename on purpose, in a breaking release.
"""


_ENUM_MEMBERS_NOTE = """\
# enum_members: an enum whose values the generator would name alike (`ASC`/`asc`) → its members (member: value).
"""


def load_record(path: Path | None) -> NamesRecord:
    """Read specs/<api>/names.yaml (an empty record when there is none yet)."""
    if path is None or not path.exists():
        return NamesRecord(file=path)
    data = load_document(path)
    schemas = data.get("schemas") or {}
    ops = data.get("operations") or {}
    merged = data.get("merged") or {}
    for key, value in (("schemas", schemas), ("merged", merged)):
        if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
            raise PipelineError(f"'{key}' maps a class name to a list of names", file=path, where=pointer(key))
    if not isinstance(ops, dict):
        raise PipelineError(
            "'operations' maps 'METHOD /path' to its operation_id, tag and method", file=path, where="/operations"
        )
    return NamesRecord(
        file=path,
        schemas={str(k): frozenset(str(u) for u in v) for k, v in schemas.items()},
        operations={str(key): _published_operation(key, entry, path) for key, entry in ops.items()},
        merged={str(k): frozenset(str(u) for u in v) for k, v in merged.items()},
        enum_members=_load_enum_members(data.get("enum_members") or {}, path),
    )


def _published_operation(key: object, entry: object, path: Path) -> PublishedOperation:
    where = pointer("operations", str(key))
    if isinstance(entry, str):
        # The record before operations were keyed by method and path: operationId → resource.method. Found by its
        # operationId until the next generation writes the entry under its method and path.
        if entry.count(".") != 1:
            raise PipelineError(f"'{entry}' is not resource.method", file=path, where=where)
        return PublishedOperation(operation_id=str(key), tag="", method=entry)
    fields = entry if isinstance(entry, dict) else {}
    values = {name: fields.get(name) for name in ("operation_id", "tag", "method")}
    if not all(isinstance(v, str) and v for v in values.values()) or str(values["method"]).count(".") != 1:
        raise PipelineError(
            "an operation entry is {operation_id: ..., tag: ..., method: resource.method}", file=path, where=where
        )
    return PublishedOperation(str(values["operation_id"]), str(values["tag"]), str(values["method"]))


def _load_enum_members(members: object, path: Path) -> dict[str, dict[str, Any]]:
    """The record's `enum_members`: enum pointer → {member: value}."""
    if not isinstance(members, dict) or not all(isinstance(v, dict) for v in members.values()):
        raise PipelineError(
            "'enum_members' maps an enum's pointer to its members (member: value)", file=path, where="/enum_members"
        )
    return {str(where): {str(m): v for m, v in names.items()} for where, names in members.items()}


def record_text(record: NamesRecord) -> str:
    """The record as the committed YAML: names sorted, every list sorted, so a diff shows only what changed."""
    data: Document = {
        "schemas": {name: sorted(uses) for name, uses in sorted(record.schemas.items())},
        "operations": {
            key: {"operation_id": op.operation_id, "tag": op.tag, "method": op.method}
            for key, op in sorted(record.operations.items())
        },
        "merged": {name: sorted(members) for name, members in sorted(record.merged.items())},
    }
    text = _HEADER + dump_document(data)
    if record.enum_members:
        enums = {where: dict(sorted(m.items())) for where, m in sorted(record.enum_members.items())}
        text += _ENUM_MEMBERS_NOTE + dump_document({"enum_members": enums})
    return text


def write_record(record: NamesRecord, path: Path) -> bool:
    """Write the record when its text changed; returns whether it did."""
    text = record_text(record)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def merge_records(old: NamesRecord, new: NamesRecord, *, keep: Iterable[str] | None = None) -> NamesRecord:
    """`old` extended by `new`: every name kept, new names and new uses added.

    With `keep`, only the class names in it and the operations and merged components of `new` survive (a breaking
    release drops the names it no longer publishes).
    """
    kept = None if keep is None else set(keep)
    schemas: dict[str, frozenset[str]] = {}
    for name in sorted(set(old.schemas) | set(new.schemas)):
        if kept is not None and name not in kept:
            continue
        schemas[name] = old.schemas.get(name, frozenset()) | new.schemas.get(name, frozenset())
    # An operation found under another method or path (same operationId) is the same operation: one entry.
    moved = {op.operation_id for op in new.operations.values()}
    operations = {} if kept is not None else {k: v for k, v in old.operations.items() if v.operation_id not in moved}
    operations.update(new.operations)
    merged = {} if kept is not None else dict(old.merged)
    for name, members in new.merged.items():
        merged[name] = merged.get(name, frozenset()) | members
    # A use now held by another class than the record says (a breaking rename) belongs to the new one only.
    owner = {use: name for name, uses in new.schemas.items() for use in uses}
    schemas = {name: frozenset(u for u in uses if owner.get(u, name) == name) or uses for name, uses in schemas.items()}
    enums = {w: {**new.enum_members.get(w, {}), **m} for w, m in old.enum_members.items() if kept is None}
    enums.update({w: m for w, m in new.enum_members.items() if w not in enums})
    return NamesRecord(file=old.file, schemas=schemas, operations=operations, merged=merged, enum_members=enums)


# --- what a generated package published -------------------------------------------------------------------


def published_names(
    raw: Document, normalized: Document, classes: Iterable[str], *, record: NamesRecord | None = None
) -> NamesRecord:
    """The record of one generation: the class of every inline enum and object of `raw`, each operation's
    operationId, first tag and SDK method, and the vendor components each merged component was made of.

    `classes` are the class names the generated package has; a use whose class the generator's naming rule (as
    mirrored here) does not find among them is left out rather than recorded under a wrong name. With the
    `record` the normalizer read, `raw` is first seen as the normalizer saw it: with the published operationIds
    (and the components named after them), so that a vendor's renamed operation is recorded where it was.
    """
    if record is not None and record.operations:
        raw = keep_published_operations(copy.deepcopy(raw), Overrides(record=record), PassLog())
    known = set(classes)
    aliases = component_aliases(raw, normalized)
    schemas: dict[str, set[str]] = {}
    for slot in all_slots(raw):
        if hoistable_kind(slot) is None:
            continue
        name = class_of(normalized, slot.tokens, aliases=aliases)
        if name is not None and name in known and not _named_by_title(normalized, slot.tokens):
            schemas.setdefault(name, set()).add(pointer(*stable_tokens(raw, slot.tokens)))
    ops = {}
    for path, http_method, op in operations(normalized):
        resource, method = op.get("x-sdk-resource"), op.get("x-sdk-method")
        if op.get("operationId") and resource and method:
            tags = op.get("tags")
            # The generator files an untagged operation under `api.default`.
            tag = str(tags[0]) if isinstance(tags, list) and tags else "default"
            published = PublishedOperation(str(op["operationId"]), tag, f"{resource}.{method}")
            ops[operation_key(http_method, path)] = published
    components = (normalized.get("components") or {}).get("schemas") or {}
    raw_components = (raw.get("components") or {}).get("schemas") or {}
    merged: dict[str, set[str]] = {}
    for vendor, became in aliases.items():
        if became in components and became not in raw_components:
            merged.setdefault(became, set()).add(vendor)
    return NamesRecord(
        schemas={k: frozenset(v) for k, v in schemas.items()},
        operations=ops,
        merged={k: frozenset(v) for k, v in merged.items() if len(v) > 1},
        enum_members=published_enum_members(raw, normalized),
    )


def _named_by_title(normalized: Document, tokens: tuple[str | int, ...]) -> bool:
    """An inline model with a title is named by it (the vendor's, or name_sdk_classes' from the recorded method),
    as a component is by its name: nothing to record."""
    try:
        node = resolve_through_refs(normalized, [str(t) for t in tokens])
    except (KeyError, IndexError, TypeError, ValueError):
        return False
    return isinstance(node, dict) and "$ref" not in node and bool(node.get("title")) and "enum" not in node


def published_enum_members(raw: Document, normalized: Document) -> dict[str, dict[str, Any]]:
    """The members of each enum the normalizer named apart (`x-enum-varnames`), by its place in the raw document."""
    found: dict[str, dict[str, Any]] = {}
    for slot in all_slots(raw):
        if not isinstance(slot.schema.get("enum"), list):
            continue
        try:
            now = through_ref(normalized, resolve_through_refs(normalized, [str(t) for t in slot.tokens]))
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        names = now.get("x-enum-varnames") if isinstance(now, dict) else None
        values = [v for v in now.get("enum") or [] if v is not None] if isinstance(now, dict) else []
        if isinstance(names, list) and len(names) == len(values):
            found[pointer(*stable_tokens(raw, slot.tokens))] = {str(n): v for n, v in zip(names, values, strict=True)}
    return found


# --- the record of one API --------------------------------------------------------------------------------

_CLASS = re.compile(r"^class (\w+)\b", re.MULTILINE)


def model_classes(package_dir: Path) -> set[str]:
    """The class names defined in a generated package's `models/` modules."""
    found: set[str] = set()
    for module in sorted((package_dir / "models").glob("*.py")):
        found.update(_CLASS.findall(module.read_text(encoding="utf-8")))
    return found


def current_names(api: Api) -> NamesRecord:
    """What the committed raw spec, normalized spec and generated package of `api` publish."""
    package = api.output_dir / api.package
    if not api.normalized_spec.is_file() or not package.is_dir():
        raise PipelineError(
            "no generated package to record names from", file=api.output_dir, hint="run `nox -s generate`"
        )
    record = load_record(names_record_path(api.overrides))
    raw, normalized = load_document(api.spec), load_document(api.normalized_spec)
    return published_names(raw, normalized, model_classes(package), record=record)


def extend_record(api: Api, *, prune: bool = False) -> bool:
    """Add what the generated package publishes to specs/<api>/names.yaml; with `prune`, drop what it no longer
    has (only a breaking release may). Returns whether the file changed."""
    path = names_record_path(api.overrides)
    old = load_record(path)
    new = current_names(api)
    return write_record(merge_records(old, new, keep=set(new.schemas) if prune else None), path)


def names_record_path(overrides: Path) -> Path:
    """specs/<api>/names.yaml: the names record lives beside the overrides file."""
    return overrides.with_name("names.yaml")


def check_names_record(api: Api) -> list[str]:
    """Problems with the names record (run with the drift check): every name the package publishes is recorded,
    and every recorded name is still published (a breaking release drops the names it no longer has)."""
    path = names_record_path(api.overrides)
    shown = api.repo.shown(path)
    record = load_record(path)
    now = current_names(api)
    classes = model_classes(api.output_dir / api.package)
    problems = []
    unrecorded = sorted(n for n, uses in now.schemas.items() if not uses <= record.schemas.get(n, frozenset()))
    unrecorded += sorted(key for key, op in now.operations.items() if record.operations.get(key) != op)
    unrecorded += sorted(n for n, members in now.merged.items() if not members <= record.merged.get(n, frozenset()))
    unrecorded += sorted(w for w, m in now.enum_members.items() if record.enum_members.get(w) != m)
    if unrecorded:
        listed = ", ".join(unrecorded[:8]) + (" …" if len(unrecorded) > 8 else "")
        problems.append(f"{shown} does not record {listed}: run `nox -s generate` and commit it")
    gone = sorted(n for n in record.schemas if n not in classes)
    gone += sorted(key for key in record.operations if key not in now.operations)
    # A merged component with one vendor component left is still the published class (the merge pass keeps it).
    components = (load_document(api.normalized_spec).get("components") or {}).get("schemas") or {}
    gone += sorted(n for n in record.merged if n not in now.merged and n not in components)
    if gone:
        listed = ", ".join(gone[:8]) + (" …" if len(gone) > 8 else "")
        problems.append(
            f"{shown}: published name(s) {listed} no longer in {api.dist_name}; only a breaking release drops a "
            "name (`nox -s update_specs` or `nox -s release` records it)"
        )
    return problems
