"""The normalizer: checks a raw vendor document, then runs the ordered passes over one copy of it."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import PipelineError, raise_all
from ..spec.pointer import Trail, find, pointer, references, resolve_ref, schema_ref, trail_tokens
from ..spec.pointer import parse as parse_pointer
from ..spec.yamlio import MAX_DEPTH, Document
from . import checks
from .context import Change, Overrides, PassLog, Reference
from .overrides import load_overrides
from .passes import BEFORE_CHECKS, KEEP_REFERENCES, PASSES, Pass
from .record import names_record_path

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
    strict: bool = True,
    defer: bool = False,
    keep_decisions: bool = False,
) -> tuple[Document, PassLog]:
    """Check `doc`, then apply every pass in order to a private copy of it.

    The document's own `x-sdk-*` keys are dropped first (drop_vendor_decisions), unless `keep_decisions`
    says the document is the pipeline's (a normalized spec normalized again, a test stating what earlier
    passes decided). The published operation names come back and the overrides' patches apply before the
    document's contents are judged, so that the patch an error message suggests is one that can work. Every
    problem is collected (the checks', a refused repair's, the normalized document's) and reported in one error at
    the end; with `defer`, when every pass ran, they are left in `log.problems` for the caller to report with its
    own (the generator's). `strict` (an API of the registry) refuses the lossy repairs the overrides file does not
    accept.
    """
    check_structure(doc, file=file)
    work = copy_document(doc)
    log = PassLog()
    if not keep_decisions:
        drop_vendor_decisions(work, log)
    checked = finished = False
    for step in passes:
        if not checked and step not in BEFORE_CHECKS:
            if not _checked_contents(work, file=file, log=log):
                break  # containers of the wrong kind: no pass can walk the document
            checked = True
        log.current = step.__name__
        before = len(log.changes)
        try:
            work = step(work, overrides, log)
            if len(log.changes) != before and step not in KEEP_REFERENCES:
                log.document_changed()
        except PipelineError as problem:
            log.problems.append(problem)
            break
        except Exception:
            if log.problems:
                break  # a pass tripped over a problem already found: report the problems, not the trip
            raise
        if len(log.changes) == before:
            log.warn("found nothing to change")
        refused = [c for c in log.changes[before:] if _refused(c, overrides, strict=strict)]
        log.problems.extend(_refusals(refused, file=file))
    else:
        finished = True
    log.current = ""
    if finished and not checked:
        finished = _checked_contents(work, file=file, log=log)
    if finished:
        log.problems.extend(checks.normalized_document_problems(work, file=file))
        reported = {problem.where for problem in log.problems}
        late = reference_problems(work, file=file, stage="after normalization", refs=log.references(work))
        log.problems.extend(problem for problem in late if problem.where not in reported)
    if not (defer and finished):
        raise_all(log.problems)  # a run the passes could not finish is not worth probing with the generator
    return work, log


_ATOMS = frozenset({str, int, float, bool, type(None)})


def copy_document(node: Any, memo: dict[int, Any] | None = None) -> Any:
    """`copy.deepcopy(node)` of a parsed document, in a third of the time: plain mappings, lists and scalars are
    copied here, anything else by deepcopy. A mapping or list that YAML aliases put at several places stays one
    object in the copy, as with deepcopy. Recursive: check_size has bounded the document's depth."""
    memo = {} if memo is None else memo
    kind = type(node)
    if kind is dict or kind is list:
        done = memo.get(id(node))
        if done is not None:
            return done
        if kind is dict:
            mapping: dict[Any, Any] = {}
            memo[id(node)] = mapping
            for key, value in node.items():
                mapping[key] = value if type(value) in _ATOMS else copy_document(value, memo)
            return mapping
        items: list[Any] = []
        memo[id(node)] = items
        items.extend(value if type(value) in _ATOMS else copy_document(value, memo) for value in node)
        return items
    return node if kind in _ATOMS else copy.deepcopy(node, memo)


def _checked_contents(doc: Document, *, file: Path | None, log: PassLog) -> bool:
    """Add the content problems of `doc` to the log; False when the passes cannot walk it at all."""
    shapes = list(checks.shape_problems(doc, file=file))
    log.problems.extend(shapes)
    if shapes:
        return False
    log.problems.extend(checks.raw_document_problems(doc, file=file, max_depth=MAX_DEPTH))
    broken = reference_problems(doc, file=file, stage="", refs=log.references(doc))
    log.problems.extend(broken)
    if broken:
        log.document_changed()
    for problem in broken:
        # Reported; the reference becomes "any value" so the passes and the generator can judge the rest.
        holder = find(doc, parse_pointer(problem.where or "")[:-1])
        if isinstance(holder, dict):
            holder.pop("$ref", None)
    return True


def _refused(change: Change, overrides: Overrides, *, strict: bool) -> bool:
    """Whether a repair is refused: the overrides file says so for its pass, or (for a published SDK) it drops
    something the document says and the overrides file does not accept that pass."""
    policy = overrides.repairs.get(change.pass_name)
    if policy is not None:
        return policy == "refuse"
    return strict and change.lossy


def _refusals(changes: list[Change], *, file: Path | None) -> list[PipelineError]:
    return [
        PipelineError(
            f"{change.pass_name} would change the document here: {change.message}",
            file=file,
            where=change.pointer,
            hint=f"fix the document with a patch in the API's overrides file, or accept the repair there "
            f"(`repairs: {{{change.pass_name}: apply}}`)",
        )
        for change in changes
    ]


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
    # Only mappings and lists are walked, each place kept as a trail: the pointers are built for what is dropped.
    stack: list[tuple[Any, Trail, bool]] = [(doc, None, False)]
    while stack:
        node, trail, names = stack.pop()
        if isinstance(node, list):
            stack.extend((item, (trail, i), False) for i, item in enumerate(node) if isinstance(item, (dict, list)))
            continue
        components = trail is not None and trail == (None, "components")
        for key in list(node):
            value = node[key]
            if names:
                if isinstance(value, (dict, list)):
                    stack.append((value, (trail, key), False))
            elif isinstance(key, str) and (key.startswith(DECISION_PREFIX) or key in DECISION_KEYS):
                dropped.append(pointer(*trail_tokens(trail), key))
                del node[key]
            elif key not in _DATA_KEYS and isinstance(value, (dict, list)) and not _is_extension(key):
                stack.append((value, (trail, key), key in _NAME_MAPS or components))
    if dropped:
        dropped.sort()
        shown = ", ".join(f"#{p}" for p in dropped[:10]) + (
            f" and {len(dropped) - 10} more" if len(dropped) > 10 else ""
        )
        log.warn(
            f"ignored {len(dropped)} {DECISION_PREFIX}* key(s) of the vendor document ({shown}): SDK decisions "
            "come from the passes and the overrides file"
        )


def _is_extension(key: object) -> bool:
    return isinstance(key, str) and key.startswith("x-")


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
    """What no pass can make sense of, every problem at once: operationIds, schema keywords, `$ref`s."""
    log = PassLog()
    _checked_contents(doc, file=file, log=log)
    raise_all(log.problems)


def reference_problems(
    doc: Document, *, file: Path | None, stage: str, refs: Iterable[Reference] | None = None
) -> list[PipelineError]:
    """Each broken `$ref` of the document (examples and `x-` extensions hold data, not references); a cycle
    once, at the reference that enters it at its first member in document order. `refs`: the document's
    references when the caller has walked them already (PassLog.references)."""
    problems: list[PipelineError] = []
    cycles: dict[frozenset[str], tuple[int, PipelineError]] = {}
    order = {ref: i for i, (_, ref) in enumerate(_component_refs(doc))}
    reaches_something: set[str] = set()
    walked = references(doc) if refs is None else refs
    for tokens, holder in walked:  # the problems are sorted: no pointer is built for the rest
        where = pointer(*tokens, "$ref")
        try:
            _follow_chain(doc, holder["$ref"], file=file, where=where, stage=stage, done=reaches_something)
        except _Cycle as cycle:
            # Once per cycle: preferably at a reference inside it that enters it at its first member.
            inside = cycle.members[0] == holder["$ref"] and where.rsplit("/", 1)[0] in cycle.inside
            rank = order.get(cycle.members[0], len(order)) if inside else len(order) + 1
            if cycle.key not in cycles or rank < cycles[cycle.key][0]:
                cycles[cycle.key] = (rank, cycle.problem)
        except PipelineError as problem:
            problems.append(problem)
    return sorted([*problems, *(p for _, p in cycles.values())], key=lambda p: p.where or "")


def _component_refs(doc: Document) -> list[tuple[str, str]]:
    schemas = (doc.get("components") or {}).get("schemas") or {}
    return [(str(name), schema_ref(str(name))) for name in schemas]


class _Cycle(Exception):
    """A chain of `$ref`s that comes back on itself: its members (as refs) and the problem to report."""

    def __init__(self, members: list[str], problem: PipelineError) -> None:
        super().__init__(problem.message)
        self.members, self.problem = members, problem
        self.key = frozenset(members)
        self.inside = {"/" + m.removeprefix("#/") for m in members}


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
            members = chain[chain.index(following) :]
            cycle = " → ".join([*members, following])
            suffix = f" ({stage})" if stage else ""
            raise _Cycle(
                members,
                PipelineError(
                    f"$ref cycle {cycle}: the chain of references never reaches a schema{suffix}",
                    file=file,
                    where=where,
                    hint="point one reference of the cycle at a real schema (a patch in the API's overrides file)",
                ),
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
