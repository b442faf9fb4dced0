"""Classify the changes between two OpenAPI 3.x documents, pick the semver bump, and write the changelog entry.

Written by hand: the maintained OpenAPI differ is a Go binary, and it judges HTTP wire compatibility, while our
version number has to follow the surface of the *generated SDK*.

A change's severity answers one question: does upgrading to the regenerated SDK break code that type-checked and
ran against the previous one? Server behaviour that changes whether or not the user upgrades (a tighter
`maxLength`, a new `default`) cannot be signalled by our version number; it is reported as a patch-level change
so a reviewer still reads it. "Request" covers parameters and request bodies; "response" covers 2xx responses
only (error bodies are not diffed).

| Change | Request | 2xx response | Why |
| --- | --- | --- | --- |
| operation removed | breaking | | the method is gone |
| operation added | additive | | |
| HTTP method or path changed, operationId kept | patch | | the SDK method stays; judged on the SDK surface (6) |
| path parameter renamed | breaking | | the positional argument's keyword name changes |
| operationId changed | patch | | the names record keeps the published function module and method (7) |
| first tag changed | patch | | the names record keeps the published `api/<tag>/` module and resource (7) |
| other tags changed | patch | | |
| parameter removed | breaking | | the keyword argument is gone |
| parameter added, required (path parameters always are) | breaking | | a new required argument |
| parameter added, optional | additive | | |
| parameter moved to another `in` | breaking | | path parameters are positional, the others keywords |
| request body added: required / optional | breaking / additive | | |
| request body removed | breaking | | |
| 2xx status added or removed | | breaking | the parsed response type changes |
| media type added / removed | additive / breaking | additive / breaking | |
| field removed | breaking | breaking | the keyword argument / the attribute is gone |
| field added, required | breaking | additive | a new required argument / a new attribute |
| field added, optional | additive | additive | |
| optional -> required | breaking | additive | a response field gives a new guarantee |
| required -> optional | additive | breaking | the attribute may now be `Unset` |
| nullable -> not nullable | breaking | additive | `None` is refused / never returned |
| not nullable -> nullable | additive | breaking | the user must now handle `None` |
| type changed (1) | breaking | breaking | the annotation changes |
| model renamed (2) | breaking | breaking | users import the generated class by name |
| enum value added | additive | additive (3) | |
| enum value removed | breaking | breaking (4) | |
| oneOf/anyOf variant added | additive | breaking | more is accepted / a new shape to handle |
| oneOf/anyOf variant removed | breaking | additive | |
| security: an old way to authenticate no longer suffices | breaking | | the caller needs a credential |
| any other security change | patch | | |
| description, summary, title, example(s) | patch | patch | documentation |
| default changed (added, removed) | breaking | patch | an unchanged call now sends another value |
| any other keyword (5) | patch | patch | server behaviour or documentation, not SDK surface |

(1) Also: plain <-> enum, `items` appearing or vanishing, and a `format` that picks the Python type (date,
    date-time, uuid, binary).
(2) An object or enum schema now defined by another component, or moved between inline and a component.
(3) Our SDK parses unknown enum values leniently, so a new value in a response does not break parsing; if the
    templates ever parse strictly, this rule must become breaking.
(4) The server merely stops sending the value, but the generated Enum class loses the member, so code that names
    it fails.
(5) Constraints (`maxLength`, `minimum`, `pattern`, ...), other formats (int32, double), `deprecated`,
    parameter `style`/`explode`, extensions.
(6) Operations are paired by method and path; what is left is paired by the path with its parameter names left
    out (a renamed path parameter), then by operationId (a PATCH that became a PUT, a path that moved).
(7) specs/<api>/names.yaml, keyed by method and path (normalize/record.py): `keep_published_operations` puts
    the published operationId and first tag back, so what users import does not move.

Locations are JSON pointers into the new document (into the old one for removals), pointing at the node where
the change physically lives: a change inside a `$ref`'d schema is located in `components`, and `Change.operation`
says through which operation it was reached (a shared schema is reported once per operation, because the same
edit can be breaking in a request and additive in a response). Members of a `parameters` list are addressed by
their `name` (`/paths/~1orders/get/parameters/limit`), not by an index that shifts when the vendor reorders them.
Only `paths` are walked: schemas reachable from no operation, `webhooks` and error responses generate no SDK
call a user makes, so they are not compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import unquote

from ..spec import pointer as jsonpointer
from ..spec.statuses import is_success

__all__ = ["Change", "Severity", "bump_version", "diff_specs", "format_report", "overall_severity"]


class Severity(Enum):
    """How an SDK user is affected by a change: decides the semver part to bump."""

    BREAKING = "breaking"
    ADDITIVE = "additive"
    PATCH = "patch"


_RANK = {Severity.BREAKING: 0, Severity.ADDITIVE: 1, Severity.PATCH: 2}


@dataclass(frozen=True)
class Change:
    """One classified difference between the old and the new document."""

    kind: str
    location: str
    operation: str | None
    detail: str
    severity: Severity


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """List the classified changes from `old` to `new`, sorted by severity, then location."""
    differ = _Differ(old, new)
    differ.compare_operations()
    return sorted(dict.fromkeys(differ.changes), key=_order)


def overall_severity(changes: Iterable[Change]) -> Severity | None:
    """The most severe change's severity, or None when there are no changes."""
    return min((c.severity for c in changes), key=_RANK.__getitem__, default=None)


_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def bump_version(version: str, severity: Severity | None) -> str:
    """Bump an `X.Y.Z` version for `severity`; unchanged for None.

    From 1.0.0 on: breaking bumps X, additive bumps Y, patch bumps Z. Below 1.0.0 we follow the usual 0.x
    convention (Cargo's, and what pip users expect from `~=0.Y.Z`): breaking bumps Y, additive and patch bump Z.
    """
    match = _VERSION.fullmatch(version)
    if match is None:
        raise ValueError(f"version {version!r} is not of the form X.Y.Z (three non-negative integers, no suffix)")
    major, minor, patch = (int(part) for part in match.groups())
    if severity is None:
        return version
    if major == 0:
        if severity is Severity.BREAKING:
            return f"0.{minor + 1}.0"
        return f"0.{minor}.{patch + 1}"
    if severity is Severity.BREAKING:
        return f"{major + 1}.0.0"
    if severity is Severity.ADDITIVE:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


_SECTIONS = (
    (Severity.BREAKING, "Breaking changes"),
    (Severity.ADDITIVE, "Additions"),
    (Severity.PATCH, "Other changes"),
)


def format_report(changes: Iterable[Change], *, api: str, old_version: str, new_version: str) -> str:
    """A Markdown CHANGELOG entry: one section per severity, empty sections left out."""
    ordered = sorted(changes, key=_order)
    lines = [f"## {new_version} ({api})", "", f"Changes to the {api} API description since {old_version}."]
    if not ordered:
        lines += ["", "No changes to the API description."]
    for severity, title in _SECTIONS:
        entries = [f"- {c.detail} ({_code(c.location)})" for c in ordered if c.severity is severity]
        if entries:
            lines += ["", f"### {title}", "", *entries]
    return "\n".join(lines) + "\n"


def _order(change: Change) -> tuple[int, str, str, str, str]:
    return (_RANK[change.severity], change.location, change.operation or "", change.kind, change.detail)


def _code(text: str) -> str:
    """A Markdown code span that survives backticks inside `text`."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --- walking --------------------------------------------------------------------------------------------------

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# OpenAPI 3.x: header parameters with these names are ignored (the SDK sets them itself).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
# Formats that change the generated Python type (datetime, date, UUID, File); others are documentation.
_TYPED_FORMATS = frozenset({"date", "date-time", "uuid", "binary"})
_DOC_KEYS = {
    "summary": "description-changed",
    "description": "description-changed",
    "title": "description-changed",
    "example": "example-changed",
    "examples": "example-changed",
    "deprecated": "deprecated-changed",
}
_CONSTRAINT_KEYS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)
# Schema keywords compared structurally through _View; everything else not named here falls to the catch-all.
_STRUCTURAL_KEYS = frozenset(
    {"$ref", "type", "nullable", "enum", "const", "format", "properties", "required", "items", "allOf", "anyOf"}
    | {"oneOf", "additionalProperties", "default", *_DOC_KEYS, *_CONSTRAINT_KEYS}
)
_PARAMETER_KEYS = frozenset({"name", "in", "required", "schema", "content", "$ref", *_DOC_KEYS})
_MISSING: Any = object()


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _child(at: str, *tokens: str | int) -> str:
    return at + jsonpointer.pointer(*tokens)


def _same(old: Mapping[str, Any], new: Mapping[str, Any], key: str) -> bool:
    """Whether `key` is equally absent or equally valued in both (an explicit null differs from absence)."""
    return (key in old) == (key in new) and _canonical(old.get(key)) == _canonical(new.get(key))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class _Document:
    """One side of the diff: resolves local `$ref`s and reports where the target lives."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def lookup(self, at: str) -> Any:
        node: Any = self.root
        for token in jsonpointer.parse(at):
            if isinstance(node, Mapping) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return _MISSING
        return node

    def resolve(self, node: Any, at: str) -> tuple[Any, str]:
        """Follow a chain of local `$ref`s; an external, dangling or cyclic one is left in place."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref: str = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                break
            seen.add(ref)
            target_at = unquote(ref[1:])
            target = self.lookup(target_at)
            if target is _MISSING:
                break
            # OpenAPI 3.1 allows siblings next to $ref (description, summary): they win over the target's.
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings} if siblings and isinstance(target, Mapping) else target
            at = target_at
        return node, at


@dataclass(frozen=True)
class _Operation:
    label: str
    at: str
    node: Mapping[str, Any]
    container_params: tuple[tuple[Any, str], ...]  # path-item level parameters with their list pointer base
    key: tuple[str, str]  # (method, path)


_PATH_PARAMETER = re.compile(r"\{([^{}]*)\}")


def _path_parameters(path: str) -> list[str]:
    return _PATH_PARAMETER.findall(path)


def _template(path: str) -> str:
    """The path with its parameter names left out: `/orders/{id}` and `/orders/{order_id}` are one path."""
    return _PATH_PARAMETER.sub("{}", path)


def _template_key(key: tuple[str, str], op: _Operation) -> object:
    return (key[0], _template(key[1]))


def _operation_id_key(key: tuple[str, str], op: _Operation) -> object:
    op_id = op.node.get("operationId")
    return op_id if isinstance(op_id, str) and op_id else None


@dataclass(frozen=True)
class _Parameter:
    name: str
    location: str
    node: Mapping[str, Any]
    at: str  # where the parameter object lives (a component when $ref'd)
    member_at: str  # its entry in the operation's or path item's `parameters` list, addressed by name


@dataclass(frozen=True)
class _Scope:
    operation: str
    request: bool
    subject: str  # what the schema root is, in words: "the request body", "parameter `limit` (query)"
    noun: str  # what a field below it is called: "request field", "response field"

    def describe(self, path: tuple[str, ...]) -> str:
        if not path:
            return self.subject
        text = ""
        for segment in path:
            if segment == "[]":
                text += "[]"
            elif segment == "{}":
                text += ".*"
            else:
                text += f".{segment}" if text else segment
        return f"{self.noun} `{text}`"

    @property
    def side(self) -> str:
        return "request" if self.request else "response"


@dataclass
class _View:
    """A schema with its nullability unwrapped and its allOf members merged: what the SDK type is built from."""

    node: Mapping[str, Any]
    at: str
    nullable: bool
    types: frozenset[str]
    typed_format: str | None
    enum: dict[str, tuple[Any, str]] | None
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    variants: list[tuple[Any, str]] = field(default_factory=list)

    def signature(self) -> tuple[frozenset[str], str | None, bool]:
        """What decides the generated Python type (enum values aside)."""
        return self.types, self.typed_format, self.enum is not None

    def type_text(self) -> str:
        text = "/".join(sorted(self.types)) or "any"
        if self.typed_format:
            text += f" ({self.typed_format})"
        if self.enum is not None:
            text += " enum"
        return text


# (scope, path, old schema, its pointer, new schema, its pointer): one comparison still to make.
_SchemaPair = tuple[_Scope, tuple[str, ...], Any, str, Any, str]


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old = _Document(old)
        self.new = _Document(new)
        self.changes: list[Change] = []
        # New component name → the old one it is (named after an operationId the vendor renamed).
        self.aliases: dict[str, str] = {}
        # (operation, request?, old pointer, new pointer): compared once; this is also the guard against cycles.
        self._seen: set[tuple[str, bool, str, str]] = set()

    def emit(self, kind: str, location: str, operation: str | None, detail: str, severity: Severity) -> None:
        self.changes.append(Change(kind, location, operation, " ".join(detail.split()), severity))

    # --- operations ---------------------------------------------------------------------------------------

    def compare_operations(self) -> None:
        old_ops = dict(self._operations(self.old))
        new_ops = dict(self._operations(self.new))
        removed = {k: op for k, op in old_ops.items() if k not in new_ops}
        added = {k: op for k, op in new_ops.items() if k not in old_ops}
        pairs: list[tuple[_Operation, _Operation, dict[str, str]]] = [
            (old_ops[k], op, {}) for k, op in new_ops.items() if k in old_ops
        ]
        pairs += self._pair_moved(removed, added)
        self._alias_renamed_components(pairs)
        for op in removed.values():
            self.emit("operation-removed", op.at, op.label, f"{op.label}: operation removed", Severity.BREAKING)
        for op in added.values():
            self.emit("operation-added", op.at, op.label, f"{op.label}: operation added", Severity.ADDITIVE)
        for old, new, renamed in pairs:
            self._compare_operation(old, new, renamed)

    def _alias_renamed_components(self, pairs: list[tuple[_Operation, _Operation, dict[str, str]]]) -> None:
        """A component named after a renamed operationId (`<operationId>PositiveResponse`) is the old one: the
        names record gives it its published name back (normalize/passes/names.py keep_published_operations)."""
        old_names = set(_mapping(_mapping(self.old.root.get("components")).get("schemas")))
        new_names = set(_mapping(_mapping(self.new.root.get("components")).get("schemas")))
        for was, now in _renamed_operation_ids(pairs):
            for name in new_names:
                rest = name[len(now) :]
                if name.startswith(now) and rest[:1].isupper() and was + rest in old_names - new_names:
                    self.aliases[name] = was + rest

    def _pair_moved(
        self, removed: dict[tuple[str, str], _Operation], added: dict[tuple[str, str], _Operation]
    ) -> list[tuple[_Operation, _Operation, dict[str, str]]]:
        """Operations that moved rather than went: a renamed path parameter (same method, same path but for its
        parameter names), then an operation whose operationId stayed (another HTTP method or path). Paired
        operations are taken out of `removed` and `added`."""
        pairs: list[tuple[_Operation, _Operation, dict[str, str]]] = []
        for match in (_template_key, _operation_id_key):
            olds: dict[object, list[tuple[str, str]]] = {}
            news: dict[object, list[tuple[str, str]]] = {}
            for key, op in removed.items():
                olds.setdefault(match(key, op), []).append(key)
            for key, op in added.items():
                news.setdefault(match(key, op), []).append(key)
            for found, old_keys in olds.items():
                new_keys = news.get(found, [])
                if found is None or len(old_keys) != 1 or len(new_keys) != 1:
                    continue  # ambiguous: reported as removed and added
                old, new = removed.pop(old_keys[0]), added.pop(new_keys[0])
                pairs.append((old, new, self._moved(old, new)))
        return pairs

    def _moved(self, old: _Operation, new: _Operation) -> dict[str, str]:
        """Report how a paired operation moved; returns its renamed path parameters (old name → new name)."""
        (old_method, old_path), (new_method, new_path) = old.key, new.key
        old_names, new_names = _path_parameters(old_path), _path_parameters(new_path)
        if _template(old_path) == _template(new_path) and old_method == new_method:
            renamed = {a: b for a, b in zip(old_names, new_names, strict=True) if a != b}
            for a, b in renamed.items():
                self.emit(
                    "path-parameter-renamed",
                    _child(new.at, "parameters", b),
                    new.label,
                    f"{new.label}: path parameter `{a}` renamed to `{b}`: a call that names it as a keyword "
                    "argument must use the new name",
                    Severity.BREAKING,
                )
            return renamed
        what = "HTTP method" if old_path == new_path else "path" if old_method == new_method else "method and path"
        self.emit(
            "operation-moved",
            new.at,
            new.label,
            f"{old.label} is now {new.label} (operationId {_show(new.node.get('operationId'))} kept): its {what} "
            "changed; the SDK method stays, judged on the SDK surface",
            Severity.PATCH,
        )
        # Path parameters named alike are one parameter; the rest are compared by name as usual.
        return {}

    def _operations(self, doc: _Document) -> Iterator[tuple[tuple[str, str], _Operation]]:
        paths = doc.root.get("paths")
        if not isinstance(paths, Mapping):
            return
        for path, raw_item in paths.items():
            item, item_at = doc.resolve(raw_item, _child("", "paths", str(path)))
            if not isinstance(item, Mapping):
                continue
            shared = item.get("parameters")
            container = tuple((p, item_at) for p in shared) if isinstance(shared, list) else ()
            for method in _METHODS:
                node = item.get(method)
                if isinstance(node, Mapping):
                    label = f"{method.upper()} {path}"
                    key = (method, str(path))
                    yield key, _Operation(label, _child(item_at, method), node, container, key)

    def _compare_operation(self, old: _Operation, new: _Operation, renamed: Mapping[str, str]) -> None:
        label = new.label
        if old.node.get("operationId") != new.node.get("operationId"):
            # The generator names the function module after the operationId; the names record keeps the
            # published one (normalize/passes/names.py keep_published_operations), so nothing users import moves.
            self.emit(
                "operation-id-changed",
                _child(new.at, "operationId"),
                label,
                f"{label}: operationId changed from {_show(old.node.get('operationId'))} to "
                f"{_show(new.node.get('operationId'))}; the SDK keeps the published function module and method",
                Severity.PATCH,
            )
        self._compare_doc_keys(label, f"{label}: operation", old.node, old.at, new.node, new.at)
        self._compare_tags(old, new)
        self._compare_security(old, new)
        self._compare_parameters(old, new, renamed)
        self._compare_request_body(old, new)
        self._compare_responses(old, new)

    def _compare_tags(self, old: _Operation, new: _Operation) -> None:
        before, after = _tags(old.node), _tags(new.node)
        if before == after:
            return
        # The generator files an endpoint under api/<first tag>/; the names record keeps the published first tag.
        moved = before[:1] != after[:1]
        self.emit(
            "tags-changed",
            _child(new.at, "tags"),
            new.label,
            f"{new.label}: tags changed from {_show(before)} to {_show(after)}"
            + ("; the SDK keeps the published function module and resource" if moved else ""),
            Severity.PATCH,
        )

    def _compare_security(self, old: _Operation, new: _Operation) -> None:
        before = _security_alternatives(self.old.root, old.node)
        after = _security_alternatives(self.new.root, new.node)
        if before == after:
            return
        # A caller who satisfied an old alternative keeps working if some new alternative needs no more schemes.
        stranded = [alt for alt in before if not any(other <= alt for other in after)]
        self.emit(
            "security-changed",
            _child(new.at, "security"),
            new.label,
            f"{new.label}: security requirements changed from {_show_security(before)} to {_show_security(after)}",
            Severity.BREAKING if stranded else Severity.PATCH,
        )

    # --- parameters ---------------------------------------------------------------------------------------

    def _parameters(self, doc: _Document, op: _Operation) -> dict[tuple[str, str], _Parameter]:
        own = op.node.get("parameters")
        entries = [*op.container_params, *((p, op.at) for p in (own if isinstance(own, list) else ()))]
        found: dict[tuple[str, str], _Parameter] = {}
        for raw, base in entries:
            node, at = doc.resolve(raw, "")
            if not isinstance(node, Mapping):
                continue
            name, location = node.get("name"), node.get("in")
            if not isinstance(name, str) or not isinstance(location, str):
                continue
            if location == "header" and name.lower() in _IGNORED_HEADERS:
                continue
            member_at = _child(base, "parameters", name)
            # Operation-level parameters override path-level ones with the same name and location.
            found[(location, name)] = _Parameter(name, location, node, at or member_at, member_at)
        return found

    def _compare_parameters(self, old_op: _Operation, new_op: _Operation, renamed: Mapping[str, str]) -> None:
        label = new_op.label
        before = self._parameters(self.old, old_op)
        after = self._parameters(self.new, new_op)
        # A renamed path parameter (reported with the operation's move) is compared with its new self.
        for old_name, new_name in renamed.items():
            if ("path", old_name) in before and ("path", new_name) in after:
                before[("path", new_name)] = before.pop(("path", old_name))
        removed = {k: p for k, p in before.items() if k not in after}
        added = {k: p for k, p in after.items() if k not in before}
        self._pair_relocated(label, removed, added)
        self._report_parameters(label, removed, added)
        for key, param in after.items():
            if key in before:
                self._compare_parameter(label, before[key], param)

    def _pair_relocated(
        self, label: str, removed: dict[tuple[str, str], _Parameter], added: dict[tuple[str, str], _Parameter]
    ) -> None:
        """Same name, other `in`: a move rather than a removal plus an addition (when the name is unambiguous).
        Moved parameters are taken out of `removed` and `added`."""
        removed_names = [p.name for p in removed.values()]
        added_names = [p.name for p in added.values()]
        for key, param in list(added.items()):
            if added_names.count(param.name) == 1 and removed_names.count(param.name) == 1:
                old_key = next(k for k, p in removed.items() if p.name == param.name)
                gone = removed.pop(old_key)
                del added[key]
                self.emit(
                    "parameter-location-changed",
                    param.member_at,
                    label,
                    f"{label}: parameter `{param.name}` moved from {gone.location} to {param.location}",
                    Severity.BREAKING,
                )

    def _report_parameters(
        self, label: str, removed: dict[tuple[str, str], _Parameter], added: dict[tuple[str, str], _Parameter]
    ) -> None:
        for param in removed.values():
            self.emit(
                "parameter-removed",
                param.member_at,
                label,
                f"{label}: parameter `{param.name}` ({param.location}) removed",
                Severity.BREAKING,
            )
        for param in added.values():
            required = _parameter_required(param)
            self.emit(
                "parameter-added",
                param.member_at,
                label,
                f"{label}: {'required' if required else 'optional'} parameter `{param.name}` ({param.location}) added",
                Severity.BREAKING if required else Severity.ADDITIVE,
            )

    def _compare_parameter(self, label: str, old: _Parameter, new: _Parameter) -> None:
        what = f"parameter `{new.name}` ({new.location})"
        was, now = _parameter_required(old), _parameter_required(new)
        if was != now:
            self.emit(
                "required-changed",
                _child(new.at, "required"),
                label,
                f"{label}: {what} is now {'required' if now else 'optional'}",
                Severity.BREAKING if now else Severity.ADDITIVE,
            )
        self._compare_doc_keys(label, f"{label}: {what}", old.node, old.at, new.node, new.at)
        self._compare_other_keys(
            label, f"{label}: {what}", "parameter-changed", old.node, new.node, new.at, _PARAMETER_KEYS
        )
        scope = _Scope(label, True, what, f"{what} field")
        old_schema, old_at = _parameter_schema(old)
        new_schema, new_at = _parameter_schema(new)
        self.compare_schema(scope, (), old_schema, old_at, new_schema, new_at)

    # --- bodies -------------------------------------------------------------------------------------------

    def _compare_request_body(self, old_op: _Operation, new_op: _Operation) -> None:
        label = new_op.label
        old, old_at = self.old.resolve(old_op.node.get("requestBody"), _child(old_op.at, "requestBody"))
        new, new_at = self.new.resolve(new_op.node.get("requestBody"), _child(new_op.at, "requestBody"))
        old = old if isinstance(old, Mapping) else None
        new = new if isinstance(new, Mapping) else None
        if old is None and new is None:
            return
        if new is None:
            self.emit("request-body-removed", old_at, label, f"{label}: request body removed", Severity.BREAKING)
            return
        now = new.get("required") is True
        if old is None:
            self.emit(
                "request-body-added",
                new_at,
                label,
                f"{label}: {'required' if now else 'optional'} request body added",
                Severity.BREAKING if now else Severity.ADDITIVE,
            )
            return
        self._compare_body_required(label, was=old.get("required") is True, now=now, at=new_at)
        self._compare_doc_keys(label, f"{label}: request body", old, old_at, new, new_at)
        scope = _Scope(label, True, "the request body", "request field")
        self._compare_content(scope, old, old_at, new, new_at)

    def _compare_body_required(self, label: str, *, was: bool, now: bool, at: str) -> None:
        if was != now:
            self.emit(
                "required-changed",
                _child(at, "required"),
                label,
                f"{label}: the request body is now {'required' if now else 'optional'}",
                Severity.BREAKING if now else Severity.ADDITIVE,
            )

    def _compare_responses(self, old_op: _Operation, new_op: _Operation) -> None:
        label = new_op.label
        old_all, new_all = old_op.node.get("responses"), new_op.node.get("responses")
        before = _success_responses(old_all, _child(old_op.at, "responses"))
        after = _success_responses(new_all, _child(new_op.at, "responses"))
        for status, (_, at) in before.items():
            if status not in after:
                self.emit("response-removed", at, label, f"{label}: {status} response removed", Severity.BREAKING)
        for status, (raw, at) in after.items():
            if status not in before:
                self.emit(
                    "response-added",
                    at,
                    label,
                    f"{label}: {status} response added (the parsed response type changes)",
                    Severity.BREAKING,
                )
                continue
            old, old_at = self.old.resolve(before[status][0], before[status][1])
            new, new_at = self.new.resolve(raw, at)
            if not isinstance(old, Mapping) or not isinstance(new, Mapping):
                continue
            self._compare_doc_keys(label, f"{label}: {status} response", old, old_at, new, new_at)
            scope = _Scope(label, False, f"the {status} response body", "response field")
            self._compare_content(scope, old, old_at, new, new_at)

    def _compare_content(
        self, scope: _Scope, old: Mapping[str, Any], old_at: str, new: Mapping[str, Any], new_at: str
    ) -> None:
        label = scope.operation
        before = _mapping(old.get("content"))
        after = _mapping(new.get("content"))
        for media in before:
            if media not in after:
                self.emit(
                    "media-type-removed",
                    _child(old_at, "content", media),
                    label,
                    f"{label}: {scope.subject} no longer accepts or returns {media}",
                    Severity.BREAKING,
                )
        for media, entry in after.items():
            at = _child(new_at, "content", media)
            if media not in before:
                self.emit(
                    "media-type-added",
                    at,
                    label,
                    f"{label}: {scope.subject} now also accepts or returns {media}",
                    Severity.ADDITIVE,
                )
                continue
            old_entry, entry = _mapping(before[media]), _mapping(entry)
            old_entry_at = _child(old_at, "content", media)
            self._compare_doc_keys(label, f"{label}: {scope.subject} ({media})", old_entry, old_entry_at, entry, at)
            self.compare_schema(
                scope,
                (),
                old_entry.get("schema", {}),
                _child(old_entry_at, "schema"),
                entry.get("schema", {}),
                _child(at, "schema"),
            )

    # --- schemas ------------------------------------------------------------------------------------------

    def compare_schema(
        self, scope: _Scope, path: tuple[str, ...], old_raw: Any, old_at: str, new_raw: Any, new_at: str
    ) -> None:
        """Compare two schemas and everything below them, through any number of `$ref`d models.

        Iterative (a stack in the order recursion would take): a chain of thousands of models, each a
        property of the one before, must not exhaust Python's stack.
        """
        pending: list[_SchemaPair] = [(scope, path, old_raw, old_at, new_raw, new_at)]
        while pending:
            below: list[_SchemaPair] = []
            self._compare_one_schema(*pending.pop(), below=below)
            pending.extend(reversed(below))

    def _compare_one_schema(
        self,
        scope: _Scope,
        path: tuple[str, ...],
        old_raw: Any,
        old_at: str,
        new_raw: Any,
        new_at: str,
        *,
        below: list[_SchemaPair],
    ) -> None:
        """Compare one pair of schemas; the pairs under them go to `below`, in order."""
        old, old_at = self.old.resolve(old_raw, old_at)
        new, new_at = self.new.resolve(new_raw, new_at)
        key = (scope.operation, scope.request, old_at, new_at)
        if key in self._seen:
            return
        self._seen.add(key)
        label = scope.operation
        what = f"{label}: {scope.describe(path)}"
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            if _canonical(old) != _canonical(new):  # boolean schemas (3.1)
                self.emit(
                    "type-changed",
                    new_at,
                    label,
                    f"{what} changed from {_show(old)} to {_show(new)}",
                    Severity.BREAKING,
                )
            return
        before = _view(self.old, old, old_at, frozenset())
        after = _view(self.new, new, new_at, frozenset())
        self._compare_keywords(scope, what, *_keywords(before, old, old_at), *_keywords(after, new, new_at))
        self._compare_nullable(scope, what, before, after, at=new_at)
        if before.signature() != after.signature():
            self.emit(
                "type-changed",
                after.at,
                label,
                f"{what} changed type from {before.type_text()} to {after.type_text()}",
                Severity.BREAKING,
            )
            return  # below a type change, field-by-field differences are noise
        self._compare_model_names(label, what, before, after)
        self._compare_enum(scope, what, before, after)
        self._compare_properties(scope, path, before, after, below=below)
        for keyword, segment in (("items", "[]"), ("additionalProperties", "{}")):
            self._compare_subschema(scope, (*path, segment), what, keyword, before, after, below=below)
        self._compare_variants(scope, path, what, before, after, below=below)

    def _compare_nullable(self, scope: _Scope, what: str, before: _View, after: _View, *, at: str) -> None:
        if before.nullable != after.nullable:
            loosened = after.nullable == scope.request  # accepts None in a request, or never sends it back
            self.emit(
                "nullable-changed",
                at,
                scope.operation,
                f"{what} is {'now' if after.nullable else 'no longer'} nullable",
                Severity.ADDITIVE if loosened else Severity.BREAKING,
            )

    def _compare_model_names(self, label: str, what: str, before: _View, after: _View) -> None:
        """The generated model class a schema names (a renamed component is the same class: `aliases`)."""
        old_model, new_model = _model_name(before), _model_name(after)
        if old_model != self.aliases.get(new_model or "", new_model) and (old_model or new_model):
            self.emit(
                "model-renamed",
                after.at,
                label,
                f"{what} is now {_model_text(new_model)} instead of {_model_text(old_model)} "
                "(the generated model class is renamed)",
                Severity.BREAKING,
            )

    def _compare_subschema(
        self,
        scope: _Scope,
        path: tuple[str, ...],
        what: str,
        keyword: str,
        before: _View,
        after: _View,
        *,
        below: list[_SchemaPair],
    ) -> None:
        """`items` or `additionalProperties`: both schemas compared (through `below`), or the change reported."""
        old_sub, new_sub = before.node.get(keyword), after.node.get(keyword)
        if isinstance(old_sub, Mapping) and isinstance(new_sub, Mapping):
            below.append((scope, path, old_sub, _child(before.at, keyword), new_sub, _child(after.at, keyword)))
        elif _canonical(old_sub) != _canonical(new_sub):
            # Array items appearing or vanishing change the element type (list[Any] <-> list[X]); a map's
            # value schema appearing is a patch: the model keeps its additional_properties either way.
            self.emit(
                "type-changed" if keyword == "items" else "schema-changed",
                _child(after.at, keyword),
                scope.operation,
                f"{what}: {keyword} changed from {_show(old_sub)} to {_show(new_sub)}",
                Severity.BREAKING if keyword == "items" else Severity.PATCH,
            )

    def _compare_keywords(
        self, scope: _Scope, what: str, old: Mapping[str, Any], old_at: str, new: Mapping[str, Any], new_at: str
    ) -> None:
        label = scope.operation
        self._compare_doc_keys(label, what, old, old_at, new, new_at)
        formats = (old.get("format"), new.get("format"))
        if formats[0] != formats[1] and not _TYPED_FORMATS.intersection(formats):
            self.emit(
                "constraint-changed",
                _child(new_at, "format"),
                label,
                f"{what}: format changed from {_show(formats[0])} to {_show(formats[1])}",
                Severity.PATCH,
            )
        for keyword in _CONSTRAINT_KEYS:
            if not _same(old, new, keyword):
                self.emit(
                    "constraint-changed",
                    _child(new_at if keyword in new else old_at, keyword),
                    label,
                    f"{what}: {keyword} changed from {_show(old.get(keyword))} to {_show(new.get(keyword))}",
                    Severity.PATCH,
                )
        if not _same(old, new, "default"):
            self.emit(
                "default-changed",
                _child(new_at if "default" in new else old_at, "default"),
                label,
                f"{what}: default {_default_change(old, new, request=scope.request)}",
                # The SDK sends a request default for the caller who leaves the value out: the same call sends
                # another value. A response default only fills in what the server left out.
                Severity.BREAKING if scope.request else Severity.PATCH,
            )
        self._compare_other_keys(label, what, "schema-changed", old, new, new_at, _STRUCTURAL_KEYS)

    def _compare_enum(self, scope: _Scope, what: str, before: _View, after: _View) -> None:
        if before.enum is None or after.enum is None:
            return
        for key, (value, at) in before.enum.items():
            if key not in after.enum:
                self.emit(
                    "enum-value-removed",
                    at,
                    scope.operation,
                    f"{what}: enum value {_show(value)} removed",
                    Severity.BREAKING,
                )
        for key, (value, at) in after.enum.items():
            if key not in before.enum:
                self.emit(
                    "enum-value-added",
                    at,
                    scope.operation,
                    f"{what}: enum value {_show(value)} added",
                    Severity.ADDITIVE,
                )

    def _compare_properties(
        self, scope: _Scope, path: tuple[str, ...], before: _View, after: _View, *, below: list[_SchemaPair]
    ) -> None:
        label, side = scope.operation, scope.side
        for name, (_, at) in before.properties.items():
            if name not in after.properties:
                self.emit(
                    f"{side}-field-removed",
                    at,
                    label,
                    f"{label}: {scope.describe((*path, name))} removed",
                    Severity.BREAKING,
                )
        for name, (raw, at) in after.properties.items():
            sub = (*path, name)
            now = name in after.required
            if name not in before.properties:
                self.emit(
                    f"{side}-field-added",
                    at,
                    label,
                    f"{label}: {'required' if now else 'optional'} {scope.describe(sub)} added",
                    Severity.BREAKING if now and scope.request else Severity.ADDITIVE,
                )
                continue
            if (name in before.required) != now:
                self._report_required_changed(scope, sub, now=now, at=at)
            old_raw, old_at = before.properties[name]
            below.append((scope, sub, old_raw, old_at, raw, at))

    def _report_required_changed(self, scope: _Scope, path: tuple[str, ...], *, now: bool, at: str) -> None:
        tightened = now == scope.request  # required in a request, or optional in a response
        self.emit(
            "required-changed",
            at,
            scope.operation,
            f"{scope.operation}: {scope.describe(path)} is now {'required' if now else 'optional'}",
            Severity.BREAKING if tightened else Severity.ADDITIVE,
        )

    def _compare_variants(
        self,
        scope: _Scope,
        path: tuple[str, ...],
        what: str,
        before: _View,
        after: _View,
        *,
        below: list[_SchemaPair],
    ) -> None:
        """Pair oneOf/anyOf members by their $ref target or their type; unpaired ones were added or removed."""
        unpaired = list(before.variants)
        for raw, at in after.variants:
            key = _variant_key(self.new, raw, at)
            match = next((v for v in unpaired if _variant_key(self.old, *v) == key), None)
            if match is None:
                self.emit(
                    "variant-added",
                    at,
                    scope.operation,
                    f"{what}: a new {key} alternative is accepted or returned",
                    Severity.ADDITIVE if scope.request else Severity.BREAKING,
                )
                continue
            unpaired.remove(match)
            below.append((scope, path, match[0], match[1], raw, at))
        for raw, at in unpaired:
            self.emit(
                "variant-removed",
                at,
                scope.operation,
                f"{what}: the {_variant_key(self.old, raw, at)} alternative was removed",
                Severity.BREAKING if scope.request else Severity.ADDITIVE,
            )

    # --- keywords shared by every object ------------------------------------------------------------------

    def _compare_doc_keys(
        self, label: str, what: str, old: Mapping[str, Any], old_at: str, new: Mapping[str, Any], new_at: str
    ) -> None:
        for keyword, kind in _DOC_KEYS.items():
            if not _same(old, new, keyword):
                verb = "added" if keyword not in old else "removed" if keyword not in new else "changed"
                self.emit(
                    kind,
                    _child(new_at if keyword in new else old_at, keyword),
                    label,
                    f"{what}: {keyword} {verb}",
                    Severity.PATCH,
                )

    def _compare_other_keys(
        self,
        label: str,
        what: str,
        kind: str,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        at: str,
        known: frozenset[str],
    ) -> None:
        changed = sorted(k for k in {*old, *new} - known if not _same(old, new, k))
        if changed:
            names = ", ".join(f"`{k}`" for k in changed)
            self.emit(kind, at, label, f"{what}: {names} changed", Severity.PATCH)


# --- helpers on plain spec nodes ------------------------------------------------------------------------------


def _default_change(old: Mapping[str, Any], new: Mapping[str, Any], *, request: bool) -> str:
    """`changed from X to Y`, and in a request what a call that leaves the value out gets now.

    The SDKs send only what the caller passed (a default is the server's), so the call is unchanged on the wire,
    but the server now applies another value to it: breaking all the same.
    """
    before = _show(old["default"]) if "default" in old else "none"
    after = _show(new["default"]) if "default" in new else "none"
    text = f"changed from {before} to {after}"
    if not request:
        return text
    got = after if "default" in new else "no default"
    return f"{text}: calls that leave it out now get {got} from the server (the SDK sends nothing for it)"


def _is_null_schema(doc: _Document, raw: Any, at: str) -> bool:
    node, _ = doc.resolve(raw, at)
    if not isinstance(node, Mapping):
        return False
    return node.get("type") == "null" or node.get("enum") == [None] or ("const" in node and node["const"] is None)


def _view(doc: _Document, node: Mapping[str, Any], at: str, stack: frozenset[str]) -> _View:
    variants, nullable = _variants(doc, node, at)
    unwrapped = _unwrapped(doc, node, at, stack, variants=variants if nullable else [])
    if unwrapped is not None:
        return unwrapped
    types, null_type = _declared_types(node)
    enum, null_member = _enum(node, at)
    parts = list(_all_of_views(doc, node, at, stack))
    types |= {t for part in parts for t in part.types}
    properties, required = _properties(node, at, parts)
    return _View(
        node=node,
        at=at,
        nullable=nullable or null_type or null_member or any(part.nullable for part in parts),
        types=frozenset(types or _implied_types(node, properties, variants)),
        typed_format=_typed_format(node),
        enum=enum,
        properties=properties,
        required=frozenset(required),
        variants=variants,
    )


def _renamed_operation_ids(pairs: list[tuple[_Operation, _Operation, dict[str, str]]]) -> Iterator[tuple[str, str]]:
    """(old, new) operationId of each paired operation whose operationId changed."""
    for old, new, _ in pairs:
        was, now = old.node.get("operationId"), new.node.get("operationId")
        if isinstance(was, str) and isinstance(now, str) and was and now and was != now:
            yield was, now


def _unwrapped(
    doc: _Document, node: Mapping[str, Any], at: str, stack: frozenset[str], *, variants: list[tuple[Any, str]]
) -> _View | None:
    """A schema that is only `anyOf: [X, null]` (its non-null `variants` X alone): the view of X, nullable."""
    if len(variants) != 1 or {"type", "properties", "enum", "const"} & node.keys():
        return None
    inner, inner_at = doc.resolve(*variants[0])
    if not isinstance(inner, Mapping) or inner_at in stack:
        return None
    unwrapped = _view(doc, inner, inner_at, stack | {at})
    unwrapped.nullable = True
    return unwrapped


def _typed_format(node: Mapping[str, Any]) -> str | None:
    """The schema's format when the generator types it (date-time, binary, ...)."""
    fmt = node.get("format")
    return fmt if isinstance(fmt, str) and fmt in _TYPED_FORMATS else None


def _variants(doc: _Document, node: Mapping[str, Any], at: str) -> tuple[list[tuple[Any, str]], bool]:
    """The members of a schema's `anyOf` and `oneOf` but the null ones, and whether there was a null one."""
    nullable = False
    variants: list[tuple[Any, str]] = []
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword)
        if not isinstance(members, list):
            continue
        entries = [(m, _child(at, keyword, i)) for i, m in enumerate(members)]
        others = [(m, a) for m, a in entries if not _is_null_schema(doc, m, a)]
        nullable = nullable or len(others) < len(entries)
        variants.extend(others)
    return variants, nullable


def _declared_types(node: Mapping[str, Any]) -> tuple[set[str], bool]:
    """The types a schema's `type` declares but null, and whether it allows null (`null`, 3.0's `nullable`)."""
    raw_type = node.get("type")
    declared = raw_type if isinstance(raw_type, list) else [raw_type] if raw_type is not None else []
    types = {t for t in declared if isinstance(t, str) and t != "null"}
    return types, "null" in declared or node.get("nullable") is True


def _enum(node: Mapping[str, Any], at: str) -> tuple[dict[str, tuple[Any, str]] | None, bool]:
    """A schema's `enum` (or `const`) values but null, by canonical text, and whether null is one of them."""
    if isinstance(node.get("enum"), list):
        values = node["enum"]
        enum = {_canonical(v): (v, _child(at, "enum", i)) for i, v in enumerate(values) if v is not None}
        return enum, None in values
    if "const" not in node:
        return None, False
    if node["const"] is None:
        return None, True
    return {_canonical(node["const"]): (node["const"], _child(at, "const"))}, False


def _all_of_views(doc: _Document, node: Mapping[str, Any], at: str, stack: frozenset[str]) -> Iterator[_View]:
    """The view of each `allOf` part (a reference followed, a cycle not)."""
    members = node.get("allOf")
    for i, member in enumerate(members if isinstance(members, list) else ()):
        inner, inner_at = doc.resolve(member, _child(at, "allOf", i))
        if isinstance(inner, Mapping) and inner_at not in stack:
            yield _view(doc, inner, inner_at, stack | {at})


def _properties(node: Mapping[str, Any], at: str, parts: list[_View]) -> tuple[dict[str, tuple[Any, str]], set[str]]:
    """A schema's properties and required names: its `allOf` parts' (in order), then its own."""
    properties: dict[str, tuple[Any, str]] = {}
    required: set[str] = set()
    for part in parts:
        properties.update(part.properties)
        required |= part.required
    own = node.get("properties")
    if isinstance(own, Mapping):
        properties.update({str(name): (schema, _child(at, "properties", str(name))) for name, schema in own.items()})
    own_required = node.get("required")
    if isinstance(own_required, list):
        required |= {r for r in own_required if isinstance(r, str)}
    return properties, required


def _implied_types(node: Mapping[str, Any], properties: Mapping[str, Any], variants: list[tuple[Any, str]]) -> set[str]:
    """The type of a schema that declares none: what its keywords imply."""
    if properties or "additionalProperties" in node:
        return {"object"}
    if "items" in node:
        return {"array"}
    if variants:
        return {"union"}
    if isinstance(node.get("$ref"), str):  # external or dangling: the reference is the type
        return {f"$ref {node['$ref']}"}
    return set()


def _keywords(view: _View, outer: Mapping[str, Any], outer_at: str) -> tuple[Mapping[str, Any], str]:
    """The keywords that describe a schema: an unwrapped `anyOf: [X, null]` contributes its wrapper's as well."""
    if view.node is outer:
        return outer, outer_at
    return {**view.node, **{k: v for k, v in outer.items() if k not in ("anyOf", "oneOf")}}, outer_at


def _model_name(view: _View) -> str | None:
    """The component an object or enum schema is defined as: the generator names the model class after it."""
    name = jsonpointer.component_name("#" + view.at)
    if name is None or (view.enum is None and "object" not in view.types):
        return None
    return name


def _model_text(name: str | None) -> str:
    return f"component `{name}`" if name else "an inline schema"


def _variant_key(doc: _Document, raw: Any, at: str) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("$ref"), str):
        return f"`{raw['$ref']}`"
    node, node_at = doc.resolve(raw, at)
    if not isinstance(node, Mapping):
        return _show(node)
    return _view(doc, node, node_at, frozenset()).type_text()


def _tags(operation: Mapping[str, Any]) -> list[str]:
    tags = operation.get("tags")
    return [str(t) for t in tags] if isinstance(tags, list) else []


def _parameter_required(param: _Parameter) -> bool:
    return param.location == "path" or param.node.get("required") is True


def _parameter_schema(param: _Parameter) -> tuple[Any, str]:
    if "schema" in param.node:
        return param.node["schema"], _child(param.at, "schema")
    content = param.node.get("content")
    if isinstance(content, Mapping):
        for media, entry in content.items():
            if isinstance(entry, Mapping) and "schema" in entry:
                return entry["schema"], _child(param.at, "content", media, "schema")
    return {}, _child(param.at, "schema")


def _success_responses(responses: Any, at: str) -> dict[str, tuple[Any, str]]:
    if not isinstance(responses, Mapping):
        return {}
    # YAML loads an unquoted `200:` as an int; the pointer token is the same either way.
    return {str(code): (raw, _child(at, str(code))) for code, raw in responses.items() if is_success(code)}


def _security_alternatives(root: Mapping[str, Any], operation: Mapping[str, Any]) -> frozenset[frozenset[str]]:
    """Each alternative is the set of schemes a caller must present together; {} means no authentication."""
    requirements = operation.get("security", root.get("security"))
    if not isinstance(requirements, list) or not requirements:
        return frozenset({frozenset()})
    return frozenset(frozenset(str(k) for k in r) for r in requirements if isinstance(r, Mapping))


def _show_security(alternatives: frozenset[frozenset[str]]) -> str:
    shown = sorted(" + ".join(sorted(alt)) or "none" for alt in alternatives)
    return " or ".join(shown)
