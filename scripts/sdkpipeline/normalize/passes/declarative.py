"""Declarative fixes: the overrides file's patches, and the schemas the project keeps beside the spec."""

from __future__ import annotations

import copy

from ...errors import PipelineError
from ...spec.pointer import parse as parse_pointer
from ...spec.pointer import pointer
from ..context import Overrides, PassLog
from ._common import Document, resolve_through_refs


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
            parent = resolve_through_refs(doc, tokens[:-1])
        except (KeyError, IndexError, TypeError, ValueError):
            raise PipelineError(
                f"patch target {patch.pointer} does not exist in the spec (its parent is missing)",
                file=overrides.file,
                where=where,
                hint="the vendor document changed: update or drop this patch",
            ) from None
        last: str | int = tokens[-1]
        if isinstance(parent, list) and str(last).isdigit():
            last = int(last)
        elif not isinstance(parent, dict):
            raise PipelineError(
                f"patch target {patch.pointer}: its parent is {type(parent).__name__}, not a mapping"
                + (" (a list takes an index)" if isinstance(parent, list) else ""),
                file=overrides.file,
                where=where,
                hint="the vendor document changed: update or drop this patch",
            )
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
