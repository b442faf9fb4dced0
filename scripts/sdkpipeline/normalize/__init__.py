"""The normalizer: checks a raw vendor document, then runs the ordered passes over one copy of it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..spec.pointer import pointer, resolve_ref
from ..spec.yamlio import MAX_DEPTH, Document, load_document
from . import checks
from .context import NamedLocation, Overrides, PassLog, Patch
from .passes import BEFORE_CHECKS, PASSES, Pass
from .record import load_record, names_record_path

__all__ = [
    "PASSES",
    "Overrides",
    "PassLog",
    "check_document",
    "check_structure",
    "drop_vendor_decisions",
    "load_overrides",
    "names_record_path",
    "normalize",
]

MAX_NODES = 2_000_000


def normalize(
    doc: Document,
    overrides: Overrides,
    *,
    file: Path | None = None,
    passes: tuple[Pass, ...] = PASSES,
    keep_decisions: bool = False,
) -> tuple[Document, PassLog]:
    """Check `doc`, then apply every pass in order to a private copy of it.

    The document's own `x-sdk-*` keys are dropped first (drop_vendor_decisions), unless `keep_decisions`
    says the document is the pipeline's (a normalized spec normalized again, a test stating what earlier
    passes decided). The published operation names come back and the overrides' patches apply before the
    document's contents are judged, so that the patch an error message suggests is one that can work.
    """
    check_structure(doc, file=file)
    work = copy.deepcopy(doc)
    log = PassLog()
    if not keep_decisions:
        drop_vendor_decisions(work, log)
    checked = False
    for step in passes:
        if not checked and step not in BEFORE_CHECKS:
            check_contents(work, file=file)
            checked = True
        log.current = step.__name__
        before = len(log.changes)
        work = step(work, overrides, log)
        if len(log.changes) == before:
            log.warn("found nothing to change")
    log.current = ""
    if not checked:
        check_contents(work, file=file)
    checks.check_normalized_document(work, file=file)
    check_references(work, file=file, stage="after normalization")
    return work, log


DECISION_PREFIX = "x-sdk-"
# Extensions outside x-sdk-* that are the project's decisions too: a component marked as a webhook event
# becomes part of the webhooks module (and of the test double's signed deliveries). Only the project's own
# schemas (the overrides file's `extra_schemas`, added after this step) may carry it.
DECISION_KEYS = frozenset({"x-webhook-event"})
# Mappings whose keys are names (of properties, components, media types, ...), not OpenAPI fields: a key
# there is never an extension, whatever it starts with.
_NAME_MAPS = frozenset(
    {
        *("properties", "patternProperties", "$defs", "definitions", "headers", "encoding", "links"),
        *("callbacks", "variables", "scopes", "mapping", "content", "securitySchemes", "webhooks"),
    }
)
# Values that are data, not OpenAPI objects: nothing in them is a decision.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def drop_vendor_decisions(doc: Document, log: PassLog) -> None:
    """Remove the vendor document's own `x-sdk-*` (and `DECISION_KEYS`) keys, with one warning naming where they were.

    `x-sdk-*` are the pipeline's decisions (resource, method, pagination, unwrapping, replacement): they come
    from the passes and the overrides file (whose patches apply after this), never from the vendor, whose
    text would otherwise choose what the SDK calls, returns, or prints.
    """
    dropped: list[str] = []
    stack: list[tuple[Any, tuple[str | int, ...], bool]] = [(doc, (), False)]
    while stack:
        node, tokens, names = stack.pop()
        if isinstance(node, list):
            stack.extend((item, (*tokens, i), False) for i, item in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key in list(node):
            if names:
                stack.append((node[key], (*tokens, key), False))
            elif isinstance(key, str) and (key.startswith(DECISION_PREFIX) or key in DECISION_KEYS):
                dropped.append(pointer(*tokens, key))
                del node[key]
            elif not (isinstance(key, str) and key.startswith("x-")) and key not in _DATA_KEYS:
                named = key in _NAME_MAPS or tokens == ("components",)
                stack.append((node[key], (*tokens, key), named))
    if dropped:
        dropped.sort()
        shown = ", ".join(f"#{p}" for p in dropped[:10]) + (
            f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
        )
        log.warn(
            f"ignored {len(dropped)} {DECISION_PREFIX}* key(s) of the vendor document ({shown}): SDK decisions "
            "come from the passes and the overrides file"
        )


def check_document(doc: Document, *, file: Path | None = None) -> None:
    """Reject what is not an OpenAPI 3.x document, or what no pass can make sense of."""
    check_structure(doc, file=file)
    check_contents(doc, file=file)


def check_structure(doc: Document, *, file: Path | None = None) -> None:
    """An OpenAPI 3.x document of a reasonable size: judged before anything (a patch too) touches it."""
    version = doc.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        found = f"'openapi: {version}'" if version is not None else "no 'openapi' key"
        if "swagger" in doc:
            found = f"'swagger: {doc['swagger']}' (Swagger 2)"
        raise PipelineError(
            f"not an OpenAPI 3.x document: found {found}",
            file=file,
            where="/openapi",
            hint="the pipeline reads OpenAPI 3.0 and 3.1 documents",
        )
    for key in ("info", "paths"):
        if not isinstance(doc.get(key), dict):
            raise PipelineError(f"'{key}' must be a mapping", file=file, where=pointer(key))
    checks.check_size(doc, file=file, max_depth=MAX_DEPTH, max_nodes=MAX_NODES)


def check_contents(doc: Document, *, file: Path | None = None) -> None:
    """What no pass can make sense of, every problem at once: operationIds, schema keywords, enums, `$ref`s."""
    checks.check_raw_document(doc, file=file, max_depth=MAX_DEPTH)
    check_references(doc, file=file, stage="")


def check_references(doc: Document, *, file: Path | None, stage: str) -> None:
    """Every `$ref` must point at something in this document, and a chain of `$ref`s must end in one."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    reaches_something: set[str] = set()
    while stack:
        node, tokens = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                where = pointer(*tokens, "$ref")
                _follow_chain(doc, ref, file=file, where=where, stage=stage, done=reaches_something)
            stack.extend((v, (*tokens, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*tokens, i)) for i, v in enumerate(node))


def _follow_chain(doc: Document, ref: str, *, file: Path | None, where: str, stage: str, done: set[str]) -> None:
    """Follow `$ref` → `$ref` → … iteratively (any length); a chain that comes back on itself is refused.

    openapi-python-client 0.29.1 crashes (UnboundLocalError) on a component that is a `$ref` to
    itself and loops forever on a cycle that does not pass through the first component
    (parser/properties/__init__.py `_create_schemas`).
    """
    chain = [ref]
    while ref not in done:
        target = _resolve(doc, ref, file=file, where=where, stage=stage)
        following = target.get("$ref") if isinstance(target, dict) else None
        if not isinstance(following, str):
            break
        if following in chain:
            cycle = " → ".join([*chain[chain.index(following) :], following])
            suffix = f" ({stage})" if stage else ""
            raise PipelineError(
                f"$ref cycle {cycle}: the chain of references never reaches a schema{suffix}",
                file=file,
                where=where,
                hint="point one reference of the cycle at a real schema (a patch in the API's overrides file)",
            )
        chain.append(following)
        ref = following
    done.update(chain)


def _resolve(doc: Document, ref: str, *, file: Path | None, where: str, stage: str) -> Any:
    suffix = f" ({stage})" if stage else ""
    if not ref.startswith("#"):
        target = ref.split("#", 1)[0]
        base = file.parent if file is not None else Path.cwd()
        exists = (base / target).exists()
        raise PipelineError(
            f"$ref '{ref}' points into another file{'' if exists else ', which does not exist'}{suffix}",
            file=file,
            where=where,
            hint="the pipeline needs a single self-contained document: bundle external references first",
        )
    try:
        return resolve_ref(doc, ref)
    except (KeyError, IndexError, ValueError, TypeError):
        raise PipelineError(f"$ref '{ref}' points to nothing{suffix}", file=file, where=where) from None


def load_overrides(path: Path | None) -> Overrides:
    """Read specs/<api>/overrides.yaml (every entry carries its reason) and the names record beside it."""
    if path is None or not path.exists():
        return Overrides(file=path, record=load_record(None if path is None else names_record_path(path)))
    data = load_document(path)
    patches = []
    for i, entry in enumerate(data.get("patches") or []):
        where = f"/patches/{i}"
        if not isinstance(entry, dict) or "pointer" not in entry or not entry.get("reason"):
            raise PipelineError(
                "a patch needs 'pointer', one of set/merge/remove, and 'reason'", file=path, where=where
            )
        ops = [op for op in ("set", "merge", "remove") if op in entry]
        if len(ops) != 1:
            raise PipelineError("a patch needs exactly one of set, merge, remove", file=path, where=where)
        patches.append(Patch(str(entry["pointer"]), ops[0], entry.get(ops[0]), str(entry["reason"]), i))
    names = []
    for i, entry in enumerate(data.get("names") or []):
        if not isinstance(entry, dict) or not {"pointer", "name", "reason"} <= set(entry):
            raise PipelineError("a names entry needs 'pointer', 'name' and 'reason'", file=path, where=f"/names/{i}")
        names.append(NamedLocation(str(entry["pointer"]), str(entry["name"]), str(entry["reason"])))
    op_names = data.get("operation_names") or {}
    if not isinstance(op_names, dict):
        raise PipelineError("'operation_names' maps operationId → name", file=path, where="/operation_names")
    extra: dict[str, Any] = {}
    extra_file = data.get("extra_schemas")
    if extra_file:
        extra_path = path.parent / str(extra_file)
        extra_doc = load_document(extra_path)
        extra = ((extra_doc.get("components") or {}).get("schemas")) or {}
        if not extra:
            raise PipelineError("no components/schemas in the extra schemas file", file=extra_path)
    hoisting = data.get("hoisting") or {}
    return Overrides(
        file=path,
        patches=tuple(patches),
        names=tuple(names),
        operation_names={str(k): str(v) for k, v in op_names.items()},
        keep_inline=frozenset(str(x) for x in hoisting.get("keep_inline") or ()),
        extra_schemas=extra,
        record=load_record(names_record_path(path)),
    )
