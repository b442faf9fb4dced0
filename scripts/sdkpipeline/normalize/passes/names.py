"""Names: component renames from the overrides file, and each operation's SDK resource and method."""

from __future__ import annotations

import re

from ...errors import PipelineError
from ...spec.pointer import parse as parse_pointer
from ...spec.pointer import pointer
from ..context import Overrides, PassLog
from ..naming import pascal_case, rewrite_refs, schema_ref
from ..walk import operations
from ._common import Document


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
