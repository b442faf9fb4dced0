"""The names record (specs/<api>/names.yaml): which class and which SDK method each published thing got.

Once a release has published a class or a method, regeneration keeps that name for the same schema or
operation; the passes read the record before their naming rules (`hoist_repeated_schemas` for classes made from
inline schemas, `name_operations` for resources and methods). The record is made from what the pipeline
produced: `published_names` maps every inline enum or object of the raw document to the class the generated
package has for it, and every operation to its `resource.method`. `nox -s generate` adds what is new and never
removes an entry; a breaking release (`nox -s update_specs`, `nox -s release`) drops the names it no longer has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..spec.pointer import pointer
from ..spec.registry import Api
from ..spec.yamlio import Document, dump_document, load_document
from .classnames import class_of, component_aliases
from .context import NamesRecord
from .passes._common import resolve_through_refs, through_ref
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
# operations: operationId → resource.method of the SDK client.
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
    if not isinstance(schemas, dict) or not all(isinstance(v, list) for v in schemas.values()):
        raise PipelineError("'schemas' maps a class name to a list of JSON pointers", file=path, where="/schemas")
    if not isinstance(ops, dict):
        raise PipelineError("'operations' maps an operationId to resource.method", file=path, where="/operations")
    for op_id, name in ops.items():
        if not isinstance(name, str) or name.count(".") != 1:
            raise PipelineError(f"'{name}' is not resource.method", file=path, where=pointer("operations", op_id))
    return NamesRecord(
        file=path,
        schemas={str(k): frozenset(str(u) for u in v) for k, v in schemas.items()},
        operations={str(k): str(v) for k, v in ops.items()},
        enum_members=_load_enum_members(data.get("enum_members") or {}, path),
    )


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
        "operations": dict(sorted(record.operations.items())),
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

    With `keep`, only the class names in it and the operations of `new` survive (a breaking release drops the
    names it no longer publishes).
    """
    kept = None if keep is None else set(keep)
    schemas: dict[str, frozenset[str]] = {}
    for name in sorted(set(old.schemas) | set(new.schemas)):
        if kept is not None and name not in kept:
            continue
        schemas[name] = old.schemas.get(name, frozenset()) | new.schemas.get(name, frozenset())
    operations = dict(old.operations) if kept is None else {}
    operations.update(new.operations)
    # A use now held by another class than the record says (a breaking rename) belongs to the new one only.
    owner = {use: name for name, uses in new.schemas.items() for use in uses}
    schemas = {name: frozenset(u for u in uses if owner.get(u, name) == name) or uses for name, uses in schemas.items()}
    enums = {w: {**new.enum_members.get(w, {}), **m} for w, m in old.enum_members.items() if kept is None}
    enums.update({w: m for w, m in new.enum_members.items() if w not in enums})
    return NamesRecord(file=old.file, schemas=schemas, operations=operations, enum_members=enums)


# --- what a generated package published -------------------------------------------------------------------


def published_names(raw: Document, normalized: Document, classes: Iterable[str]) -> NamesRecord:
    """The record of one generation: the class of every inline enum and object of `raw`, and each operation's name.

    `classes` are the class names the generated package has; a use whose class the generator's naming rule (as
    mirrored here) does not find among them is left out rather than recorded under a wrong name.
    """
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
    for _, _, op in operations(normalized):
        resource, method = op.get("x-sdk-resource"), op.get("x-sdk-method")
        if op.get("operationId") and resource and method:
            ops[str(op["operationId"])] = f"{resource}.{method}"
    return NamesRecord(
        schemas={k: frozenset(v) for k, v in schemas.items()},
        operations=ops,
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
    return published_names(load_document(api.spec), load_document(api.normalized_spec), model_classes(package))


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
    unrecorded += sorted(op for op, name in now.operations.items() if record.operations.get(op) != name)
    unrecorded += sorted(w for w, m in now.enum_members.items() if record.enum_members.get(w) != m)
    if unrecorded:
        listed = ", ".join(unrecorded[:8]) + (" …" if len(unrecorded) > 8 else "")
        problems.append(f"{shown} does not record {listed}: run `nox -s generate` and commit it")
    gone = sorted(n for n in record.schemas if n not in classes)
    gone += sorted(op for op in record.operations if op not in now.operations)
    if gone:
        listed = ", ".join(gone[:8]) + (" …" if len(gone) > 8 else "")
        problems.append(
            f"{shown}: published name(s) {listed} no longer in {api.dist_name}; only a breaking release drops a "
            "name (`nox -s update_specs` or `nox -s release` records it)"
        )
    return problems
