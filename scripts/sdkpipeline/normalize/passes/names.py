"""Names: published operationIds and tags kept, component renames from the overrides file, and each operation's
SDK resource and method."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ...errors import PipelineError
from ...spec.pointer import parse as parse_pointer
from ...spec.pointer import pointer, schema_ref
from ..context import SHOWN, Overrides, PassLog
from ..naming import pascal_case, rewrite_refs
from ..walk import operations
from ._common import Document


def keep_published_operations(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """Give each operation the operationId and first tag a release published for it (the names record, found by
    method and path, so a vendor's rename is no new operation).

    The generator names the function module users import after the operationId (`api.orders.get_order_by_id`) and
    files it under the first tag: a vendor's new operationId or first tag would move it. Components the vendor
    named after the operationId (`<operationId>PositiveResponse`, as express-zod-api does) take the published
    prefix back with it, so every name made from them stays too. A published operationId another operation now
    has is left to that one (with a warning; the surface comparison reports what moved).
    """
    record = overrides.record
    if not record.operations:
        return doc
    found = list(operations(doc))
    schemas = (doc.get("components") or {}).get("schemas")
    schemas = schemas if isinstance(schemas, dict) else {}
    taken = {str(op.get("operationId")) for _, _, op in found if op.get("operationId")}
    # Each component belongs to the longest operationId its name starts with (as the merge pass reads them).
    prefixes = sorted(taken, key=len, reverse=True)
    owner = {n: next((p for p in prefixes if _prefixed(n, p)), None) for n in schemas if isinstance(n, str)}
    mapping: dict[str, str] = {}
    for path, method, op in found:
        published = record.operation_at(method, path, op.get("operationId"))
        if published is None:
            continue
        where = pointer("paths", path, method)
        current = op.get("operationId")
        if published.operation_id != current:
            if published.operation_id in taken:
                log.warn(
                    f"{where}: the published operationId {published.operation_id} is another operation's now; "
                    f"this one keeps the vendor's {current}"
                )
            else:
                op["operationId"] = published.operation_id
                taken.add(published.operation_id)
                log.change(
                    pointer("paths", path, method, "operationId"),
                    f"published {published.operation_id} kept (the vendor's is {current})",
                )
                for name, prefix in owner.items():
                    renamed = published.operation_id + name[len(str(current)) :]
                    if current and prefix == current and renamed not in schemas:
                        schemas[renamed] = schemas.pop(name)
                        mapping[schema_ref(name)] = schema_ref(renamed)
        raw_tags = op.get("tags")
        tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
        first = str(tags[0]) if tags else "default"
        if published.tag and published.tag != first:
            op["tags"] = [published.tag, *(t for t in tags if t != published.tag)]
            log.change(pointer("paths", path, method, "tags"), f"published first tag {published.tag!r} kept")
    if mapping:
        rewrite_refs(doc, mapping)
    return doc


def _prefixed(name: str, prefix: str) -> bool:
    """Whether a component is named after an operation: the operationId, then a capitalised word."""
    return name.startswith(prefix) and name[len(prefix) : len(prefix) + 1].isupper()


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

    The overrides file's `operation_names` decide first, then the names record (a method a release published keeps
    its resource and name), then the rule: the resource is the operation's first tag (the spec diff's rule too, so
    a second tag never moves a method), the method comes from HTTP method and path (`GET /orders` → orders.list,
    `POST /orders/{id}/cancel` → orders.cancel). Operations the rule gives one name are all named from their
    operationIds instead, with one warning listing every such case.
    """
    chosen: dict[str, tuple[str, str]] = {}
    ruled: dict[str, tuple[str, str]] = {}
    places: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, method, op in operations(doc):
        op_id = str(op.get("operationId") or f"{method} {path}")
        places[op_id] = (path, method, op)
        tags = op.get("tags") or ["default"]
        resource = _snake(pascal_case(str(tags[0])))
        override = overrides.operation_names.get(op_id)
        recorded = overrides.record.operation_at(method, path, op.get("operationId"))
        if override and "." in override:
            chosen[op_id] = _split(override)
        elif override:
            chosen[op_id] = (resource, override)
        elif recorded:
            chosen[op_id] = _split(recorded.method)
        else:
            ruled[op_id] = (resource, _derive_method_name(path, method, resource))
    _refuse_chosen_collisions(chosen, overrides)
    names = {**chosen, **_settle_rule_collisions(ruled, set(chosen.values()), log)}
    for op_id, (path, method, op) in places.items():
        resource, name = names[op_id]
        if op.get("x-sdk-resource") != resource or op.get("x-sdk-method") != name:
            op["x-sdk-resource"] = resource
            op["x-sdk-method"] = name
            log.change(pointer("paths", path, method), f"SDK method {resource}.{name}")
    return doc


def _split(name: str) -> tuple[str, str]:
    resource, method = name.split(".", 1)
    return resource, method


def _refuse_chosen_collisions(chosen: dict[str, tuple[str, str]], overrides: Overrides) -> None:
    """Two names the maintainer (or a release) chose for two operations must differ: every clash in one error."""
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for op_id, name in chosen.items():
        by_name[name].append(op_id)
    clashes = [f"{' and '.join(ids)} both map to {r}.{m}" for (r, m), ids in sorted(by_name.items()) if len(ids) > 1]
    if clashes:
        raise PipelineError(
            "; ".join(clashes),
            file=overrides.file,
            where="/operation_names",
            hint="give each operation its own resource.method in operation_names",
        )


def _settle_rule_collisions(
    ruled: dict[str, tuple[str, str]], chosen: set[tuple[str, str]], log: PassLog
) -> dict[str, tuple[str, str]]:
    """The rule's names, except where two operations (or a chosen name) share one: those are named from their
    operationIds (`GetV0ProductsProductIdPlansPlanIdUpdate` → `get_v0_products_product_id_plans_plan_id_update`)."""
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for op_id, name in ruled.items():
        by_name[name].append(op_id)
    names = dict(ruled)
    taken = set(chosen) | {name for name, ids in by_name.items() if len(ids) == 1 and name not in chosen}
    cases: list[str] = []
    for (resource, method), ids in sorted(by_name.items()):
        if len(ids) == 1 and (resource, method) not in chosen:
            continue
        renamed = []
        for op_id in sorted(ids):
            fallback = _snake(pascal_case(op_id))
            candidate, n = fallback, 2
            while (resource, candidate) in taken:
                candidate, n = f"{fallback}_{n}", n + 1
            taken.add((resource, candidate))
            names[op_id] = (resource, candidate)
            renamed.append(f"{op_id} → {resource}.{candidate}")
        cases.append(f"{resource}.{method}: {', '.join(renamed)}")
    if cases:  # one line per name, the first few (all of them made one line of 7 KB on Kubernetes apps)
        more = [f"… and {len(cases) - SHOWN} more (see the normalized spec)"] if len(cases) > SHOWN else []
        log.warn(
            f"{len(cases)} SDK method name(s) claimed by more than one operation, named from their operationIds "
            "instead (choose better ones in operation_names):" + "".join(f"\n    {c}" for c in cases[:SHOWN] + more)
        )
    return names


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
