"""What the test double of an SDK (`<package>.testing`) needs of the spec, shipped as `<package>/_testing.json`.

For each operation of the SDK model (named `resource.method`, with its method and path): the parameters
and the request body with their schemas reduced to the keywords the runtime's validator checks
(`KEYWORDS` of templates/runtime/_testing.py), the documented success status, a body for every documented status (the
spec's example, else the vendor's example file `specs/<api>/examples/<operationId>__<case>.json`, else one
made from the schema), and how a list pages on the wire (`x-sdk-pagination`, in the API's JSON names). The
schemas those refer to are shipped once, keyed by their `$ref`. For an API with webhook events (components
marked `x-webhook-event`), a delivery body per event type, from the vendor's documented deliveries
(`examples/webhooks/<event type>__<case>.json`) or the event's schema.

Everything here is data: it reaches the package as JSON (`json.dumps`), never as code.
"""

from __future__ import annotations

import ast
import json
import math
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from ..normalize.walk import operations as spec_operations
from ..spec.pointer import deref, is_local_ref, pointer, references, resolve_ref
from ..spec.values import first_branch, kind_of, merged_objects
from .identifiers import method_name
from .model import SdkModel, resource_attribute

# The runtime module whose validator checks the shipped schemas; its `KEYWORDS` are the keywords shipped.
RUNTIME_MODULE = "_testing.py"
# Keywords whose value is one subschema, or a list or a map of them.
_SUBSCHEMA = frozenset({"items", "not", "additionalProperties"})
_SUBSCHEMA_LISTS = frozenset({"anyOf", "oneOf", "allOf"})
# A vendor example's case names its status by a three-digit prefix, a request body by `request_`, and
# anything else is the success body (specs/VENDORED.md).
_STATUS_CASE = re.compile(r"^(?P<status>[1-5]\d\d)(?:_|$)")
# Made-up values are derived from the field's name, so two runs make the same bytes.
_NAMESPACE = uuid.UUID("6f1f7ad2-3c55-4c3e-8d43-0b7c1e2f9a10")
# How deep a schema may refer back into itself before a made-up example stops following it.
_RECURSION = 2
# Webhook event components the normalizer merged from the project's schemas (specs/fungies/webhooks.yaml).
WEBHOOK_MARKER = "x-webhook-event"


def fake_data(spec: Mapping[str, Any], sdk: SdkModel, *, examples_dir: Path, runtime: Path) -> dict[str, Any]:
    """The contents of `_testing.json` for one SDK: operations, the schemas they refer to, webhook deliveries.

    `runtime` is templates/runtime/, whose validator decides which schema keywords are worth shipping.
    """
    builder = _Builder(spec, examples_dir, validated_keywords(runtime))
    by_id = {str(op.get("operationId")): (path, method, op) for path, method, op in spec_operations(dict(spec))}
    operations = []
    for entry in sdk.operations:
        path, method, op = by_id[entry.operation_id]
        where = pointer("paths", path, method)
        operations.append(
            {
                "name": entry.qualified_name,
                # How a call spells it when that differs (`client.orders.import_()`, `client.close_resource`).
                "aliases": _aliases(entry.qualified_name, entry.resource, method_name(entry.name)),
                "operation_id": entry.operation_id,
                "method": entry.method,
                "path": entry.path,
                "security": [list(alternative) for alternative in entry.security],
                "parameters": builder.parameters(spec, path, op),
                "body": builder.body(op, where),
                "success": min(entry.success_statuses, default=200),
                "responses": builder.responses(entry.operation_id, op, min(entry.success_statuses, default=200)),
                "pagination": builder.pagination(op, where),
            }
        )
    return {
        "package": sdk.package,
        "base_url": sdk.default_base_url,
        "credentials": _credentials(spec),
        "operations": operations,
        "schemas": builder.shipped_schemas(),
        "webhooks": builder.webhooks(),
    }


# `KEYWORDS...(` at the start of a line, through its indented or blank lines, to the `)` closing it at column 0.
_KEYWORDS_STATEMENT = re.compile(r"^KEYWORDS\b[^\n]*\((?:\n[ \t][^\n]*|\n)*\n\)[ \t]*$", re.M)


def validated_keywords(runtime: Path) -> frozenset[str]:
    """The JSON Schema keywords the runtime's validator checks: `KEYWORDS` of templates/runtime/_testing.py,
    read from its source (it is package code, not importable here), so the list has one home."""
    module = runtime / RUNTIME_MODULE
    try:
        source = module.read_text(encoding="utf-8")
        # The statement alone where it is found (parsing the whole 53 KB module took 10 to 40 ms in the forked
        # child, whose large heap each collection walks); else the module.
        statement = _KEYWORDS_STATEMENT.search(source)
        tree = ast.parse(statement.group() if statement else source)
    except (OSError, SyntaxError) as exc:
        raise PipelineError(f"cannot read the runtime's validator: {exc}", file=module) from None
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "KEYWORDS" for t in targets) and node.value is not None:
                call = node.value
                if isinstance(call, ast.Call) and call.args:
                    return frozenset(ast.literal_eval(call.args[0]))
    raise PipelineError("the runtime's validator names no KEYWORDS = frozenset({...})", file=module)


def vendor_examples(examples_dir: Path, operation_id: str, *, success: int) -> Iterator[tuple[str, int | None, Any]]:
    """(case, status, body) of the vendor's example files of one operation; status None for a request body.

    A response case's status is its three-digit prefix; a case without one is the success body (`success`).
    """
    for path in sorted(examples_dir.glob(f"{operation_id}__*.json")) if examples_dir.is_dir() else ():
        case = path.stem.split("__", 1)[1]
        if case.startswith("request_"):
            status: int | None = None
        else:
            match = _STATUS_CASE.match(case)
            status = int(match["status"]) if match else success
        yield case, status, _read_json(path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PipelineError(f"cannot read the example body: {exc}", file=path) from None


def _aliases(name: str, resource: str, python_name: str) -> list[str]:
    spelled = f"{resource_attribute(resource)}.{python_name}"
    return [spelled] if spelled != name else []


def _credentials(spec: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Where each security scheme's key travels: a header (an http scheme's is Authorization), the query or a cookie."""
    out: dict[str, dict[str, str]] = {}
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in schemes.items():
        scheme = deref(spec, scheme)
        if not isinstance(scheme, dict):
            continue
        if scheme.get("type") == "http":
            out[str(name)] = {"in": "header", "name": "Authorization"}
        elif scheme.get("type") == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            out[str(name)] = {"in": str(scheme["in"]), "name": str(scheme.get("name"))}
    return out


class _Builder:
    """Collects the schemas the shipped operations refer to while it reduces them."""

    def __init__(self, spec: Mapping[str, Any], examples_dir: Path, keywords: frozenset[str]) -> None:
        self.spec = spec
        self.examples_dir = examples_dir
        self.keywords = keywords
        self.version = str(spec.get("openapi") or "3.1")
        self._schemas: dict[str, Any] = {}
        self._pending: list[str] = []
        # One maker for every response: a component's example is made once (a Kubernetes resource is the body of
        # each of its operations' several responses), not once per response.
        self._examples = _Example(spec)

    # -- requests ------------------------------------------------------------------------------------

    def parameters(self, spec: Mapping[str, Any], path: str, op: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The operation's parameters (the path item's too; the operation's win), each with its reduced schema."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        item = (spec.get("paths") or {}).get(path) or {}
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = deref(spec, raw)
            if not isinstance(param, dict) or param.get("in") not in ("path", "query", "header", "cookie"):
                continue
            schema = param.get("schema")
            if schema is None and isinstance(param.get("content"), dict):
                media: Any = next(iter(param["content"].values()), {})
                schema = media.get("schema") if isinstance(media, dict) else None
            location = str(param["in"])
            # OpenAPI's defaults: form style (exploded) in the query and cookies, simple in paths and headers.
            style = str(param.get("style") or ("form" if location in ("query", "cookie") else "simple"))
            found[(str(param["name"]), location)] = {
                "name": str(param["name"]),
                "in": location,
                "required": bool(param.get("required")) or location == "path",
                "style": style,
                "explode": bool(param.get("explode", style == "form")),
                "schema": self.reduce(schema) if isinstance(schema, dict) else {},
            }
        return list(found.values())

    def body(self, op: Mapping[str, Any], where: str) -> dict[str, Any] | None:
        """The request body: whether it is required, and the schema of each media type it may be sent as."""
        body = deref(self.spec, op.get("requestBody"))
        if not isinstance(body, dict):
            return None
        content = body.get("content") or {}
        if not isinstance(content, dict) or not content:
            raise PipelineError("the request body names no media type", where=f"{where}/requestBody")
        media_types = {
            str(media): self.reduce(entry["schema"])
            if isinstance(entry, dict) and isinstance(entry.get("schema"), dict)
            else {}
            for media, entry in content.items()
        }
        # Raw uploads the normalizer collapsed into one octet-stream body (collapse_binary_request_bodies) are
        # sent as the media type the caller names: the API takes the ones the vendor listed, as bytes.
        collapsed = body.get("x-content-types")
        if isinstance(collapsed, list) and collapsed:
            media_types = {str(media): {} for media in collapsed}
        return {"required": bool(body.get("required")), "media_types": media_types}

    def reduce(self, schema: Any) -> Any:
        """A schema with only the validator's keywords (OpenAPI 3.0's `nullable` and boolean bounds made 3.1's)."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            return {}
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key not in self.keywords:
                continue
            if key == "$ref":
                if not is_local_ref(value):
                    continue  # a remote reference: left unchecked rather than guessed
                out[key] = value
                if value not in self._schemas and value not in self._pending:
                    self._pending.append(value)
            elif key == "properties" and isinstance(value, dict):
                out[key] = {str(name): self.reduce(sub) for name, sub in value.items()}
            elif key in _SUBSCHEMA:
                out[key] = self.reduce(value)
            elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.reduce(sub) for sub in value]
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                bound = "minimum" if key == "exclusiveMinimum" else "maximum"
                if value and bound in schema:
                    out[key] = schema[bound]
            else:
                out[key] = value
        # A bound an exclusive one replaced (3.0's `minimum: 0, exclusiveMinimum: true`) is not inclusive too.
        for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if isinstance(schema.get(exclusive), bool) and schema[exclusive]:
                out.pop(bound, None)
        if schema.get("nullable") is True and self.version.startswith("3.0"):
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    def shipped_schemas(self) -> dict[str, Any]:
        """Every schema the reduced ones refer to, by its `$ref` (followed transitively)."""
        while self._pending:
            ref = self._pending.pop(0)
            try:
                target = resolve_ref(self.spec, ref)
            except (KeyError, IndexError, ValueError, TypeError):
                raise PipelineError(f"$ref {ref} points to nothing") from None
            self._schemas[ref] = self.reduce(target)
        return dict(sorted(self._schemas.items()))

    # -- responses -----------------------------------------------------------------------------------

    def responses(self, operation_id: str, op: Mapping[str, Any], success: int) -> dict[str, Any]:
        """A body for each documented status: the spec's example, the vendor's file, else one made from the schema."""
        files: dict[int, Any] = {}
        for _, status, body in vendor_examples(self.examples_dir, operation_id, success=success):
            if status is not None:
                files.setdefault(status, body)
        out: dict[str, Any] = {}
        for code, response in (op.get("responses") or {}).items():
            if not str(code).isdigit():
                continue
            status = int(code)
            media, entry = _media(deref(self.spec, response))
            if media is None:
                out[str(status)] = {"content_type": None, "body": None}
                continue
            documented = _documented(self.spec, entry)
            if documented is not _NONE:
                body = documented
            elif status in files:
                body = files[status]
            else:
                body = self._examples.value(entry.get("schema") or {}, name="value", stack=())
            out[str(status)] = {"content_type": media, "body": body}
        if str(success) not in out and success in files:
            out[str(success)] = {"content_type": "application/json", "body": files[success]}
        return out

    def pagination(self, op: Mapping[str, Any], where: str) -> dict[str, Any] | None:
        """How a list pages, in wire names (`x-sdk-pagination`), with its page size's default from the spec."""
        decision = op.get("x-sdk-pagination")
        if not isinstance(decision, dict):
            return None
        kind = decision.get("kind")
        if kind not in ("cursor", "offset", "token", "page") or not isinstance(decision.get("items"), list):
            raise PipelineError("x-sdk-pagination needs a kind and the path of its items", where=where)
        size = decision.get("size")
        default_size = None
        for raw in op.get("parameters") or []:
            param = deref(self.spec, raw)
            if isinstance(param, dict) and param.get("name") == size and param.get("in") == "query":
                default = deref(self.spec, param.get("schema") or {}).get("default")
                if isinstance(default, int) and not isinstance(default, bool):
                    default_size = default
        return {
            "kind": kind,
            "items": [str(t) for t in decision["items"]],
            "cursor": str(decision["cursor"]),
            "size": str(size) if size else None,
            "default_size": default_size,
            "reverse_cursor": str(decision["reverse_cursor"]) if decision.get("reverse_cursor") else None,
            **{
                key: [str(t) for t in decision[key]] if isinstance(decision.get(key), list) else None
                for key in ("total", "next_cursor", "has_more", "pages")
            },
        }

    def webhooks(self) -> dict[str, Any]:
        """A delivery body for each webhook event type: the vendor's documented one, else made from the schema."""
        deliveries: dict[str, Any] = {}
        folder = self.examples_dir / "webhooks"
        for name, schema in ((self.spec.get("components") or {}).get("schemas") or {}).items():
            if not (isinstance(schema, dict) and schema.get(WEBHOOK_MARKER)):
                continue
            event_type = ((schema.get("properties") or {}).get("type") or {}).get("const")
            if not isinstance(event_type, str):
                raise PipelineError(
                    f"webhook event {name} has no `type` constant",
                    where=pointer("components", "schemas", str(name)),
                )
            files = sorted(folder.glob(f"{event_type}__*.json")) if folder.is_dir() else []
            deliveries[event_type] = _read_json(files[0]) if files else example_of(self.spec, schema)
        return dict(sorted(deliveries.items()))


_NONE: Any = object()


def _media(response: Any) -> tuple[str | None, dict[str, Any]]:
    """(media type, its entry) of a response's first media type, or (None, {}) for a response without a body."""
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict) or not content:
        return None, {}
    media, entry = next(iter(content.items()))
    return str(media), entry if isinstance(entry, dict) else {}


def _documented(spec: Mapping[str, Any], entry: Mapping[str, Any]) -> Any:
    """The media type's own example (`example`, else the first of `examples`), or _NONE."""
    if "example" in entry:
        return entry["example"]
    for example in (entry.get("examples") or {}).values():
        example = deref(spec, example)
        if isinstance(example, dict) and "value" in example:
            return example["value"]
    return _NONE


def example_of(spec: Mapping[str, Any], schema: Any, *, name: str = "value") -> Any:
    """A value of the schema: its own example, const, default or first enum value, else one made up by type.

    Objects get every property (a field the schema names is a field the SDK reads), arrays one item. Made-up
    values are stable (derived from the field name), so regeneration writes the same bytes.
    """
    return _Example(spec).value(schema, name=name, stack=())


class _Example:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        # A bare reference's value by (reference, name, references followed so far): all it depends on. Shared
        # between the places that ask, so never changed once made (only serialised).
        self._made: dict[tuple[str, str, tuple[str, ...]], Any] = {}
        self._reached: dict[str, frozenset[str]] = {}  # `_reaches`: what each reference's value may follow
        self._refs: dict[str, frozenset[str]] = {}  # `_refers_to`: the references in each one's schema

    def value(self, schema: Any, *, name: str, stack: tuple[str, ...]) -> Any:
        if not isinstance(schema, dict):
            return None
        ref = schema.get("$ref")
        if is_local_ref(ref) and len(schema) == 1:
            # The references followed so far matter only where the value may follow one of them again (a depth
            # cut, `_RECURSION`); elsewhere the value is the one made at the top, and made once: a Kubernetes
            # resource's metadata is in the body of each of its operations, under a different stack each time.
            key = (ref, name, stack if stack and not self._reaches(ref).isdisjoint(stack) else ())
            if key not in self._made:
                self._made[key] = self._value(schema, name=name, stack=stack)
            return self._made[key]
        return self._value(schema, name=name, stack=stack)

    def _reaches(self, ref: str) -> frozenset[str]:
        """`ref` and every reference its value may follow: any `$ref` in the schemas it leads to, transitively."""
        reached = self._reached.get(ref)
        if reached is None:
            seen, todo = {ref}, [ref]
            while todo:
                for found in self._refers_to(todo.pop()) - seen:
                    seen.add(found)
                    todo.append(found)
            reached = self._reached[ref] = frozenset(seen)
        return reached

    def _refers_to(self, ref: str) -> frozenset[str]:
        """The references in the schema `ref` points to (`pointer.references`: those in examples and extensions are
        data, never followed); none where it points to nothing (making the value says so)."""
        found = self._refs.get(ref)
        if found is None:
            try:
                held = (holder["$ref"] for _, holder in references(resolve_ref(self.spec, ref)))
                found = frozenset(r for r in held if is_local_ref(r))
            except (KeyError, IndexError, ValueError, TypeError):
                found = frozenset()
            self._refs[ref] = found
        return found

    def _value(self, schema: dict[str, Any], *, name: str, stack: tuple[str, ...]) -> Any:
        """A reference followed, else the value the schema gives, else one made from its parts or its type."""
        ref = schema.get("$ref")
        if is_local_ref(ref):
            return self._referenced(schema, ref, name=name, stack=stack)
        given = _given(schema)
        if given is not _NONE:
            return given
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema["allOf"], name=name, stack=stack)
        branch = first_branch(schema, lambda b: _kind(self.spec, b))
        if branch is not None:
            return self.value(branch, name=name, stack=stack)
        made = _MADE_BY_KIND.get(_kind(self.spec, schema))
        return made(self, schema, name, stack) if made is not None else _string(schema, name)

    def _referenced(self, schema: dict[str, Any], ref: str, *, name: str, stack: tuple[str, ...]) -> Any:
        """The referenced schema's value, the reference's siblings over it; _EMPTY where it recurs too deep."""
        if stack.count(ref) >= _RECURSION:
            return _EMPTY
        merged = {**resolve_ref(self.spec, ref), **{k: v for k, v in schema.items() if k != "$ref"}}
        return self.value(merged, name=name, stack=(*stack, ref))

    def _all_of(self, parts: list[Any], *, name: str, stack: tuple[str, ...]) -> dict[str, Any]:
        """The parts' values merged (a part whose value is no object adds nothing)."""
        return merged_objects(self.value(part, name=name, stack=stack) for part in parts)

    def _object(self, schema: dict[str, Any], name: str, stack: tuple[str, ...]) -> dict[str, Any]:
        """Every property, but those left out as recursing too deep."""
        out = {}
        for prop, sub in (schema.get("properties") or {}).items():
            made = self.value(sub, name=str(prop), stack=stack)
            if made is not _EMPTY:
                out[str(prop)] = made
        return out

    def _array(self, schema: dict[str, Any], name: str, stack: tuple[str, ...]) -> list[Any]:
        """One item, or as many as `minItems` asks (none where the item recurses too deep)."""
        item = self.value(schema.get("items") or {}, name=name, stack=stack)
        count = max(1, int(schema.get("minItems", 0)))
        return [] if item is _EMPTY else [item] * count


# A value made from the schema's type (a string, and a schema of no type, by `_string`).
_MADE_BY_KIND: dict[str | None, Callable[[_Example, dict[str, Any], str, tuple[str, ...]], Any]] = {
    "object": _Example._object,
    "array": _Example._array,
    "integer": lambda _example, schema, _name, _stack: _number(schema),
    "number": lambda _example, schema, _name, _stack: _number(schema),
    "boolean": lambda *_: False,
    "null": lambda *_: None,
}


def _given(schema: Mapping[str, Any]) -> Any:
    """The value the schema states (its example, const, default, first example or first non-null enum value:
    None when it has no other), or _NONE."""
    for key in ("example", "const", "default"):
        if schema.get(key) is not None:
            return schema[key]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if isinstance(schema.get("enum"), list):
        return next((v for v in schema["enum"] if v is not None), None)
    return _NONE


_EMPTY: Any = object()  # a recursive branch not followed: the property is left out


def _kind(spec: Mapping[str, Any], schema: Any) -> str | None:
    return kind_of(deref(spec, schema))


# Values a `pattern` often admits: a number, an upper-case code, a word, a slug, a hex digest.
_PATTERN_CANDIDATES = ("1001", "ABC123DEF456", "example", "example-1", "0123456789abcdef", "a")


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _number(schema: Mapping[str, Any]) -> int:
    """1 when the bounds allow it, else the integer nearest to 1 that they do."""

    def bound(key: str) -> float | None:
        value = schema.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    low, high = bound("minimum"), bound("maximum")
    above, below = bound("exclusiveMinimum"), bound("exclusiveMaximum")
    value = 1
    if low is not None and value < low:
        value = math.ceil(low)
    if above is not None and value <= above:
        value = math.floor(above) + 1
    if high is not None and value > high:
        value = math.floor(high)
    if below is not None and value >= below:
        value = math.ceil(below) - 1
    return value


def _string(schema: Mapping[str, Any], name: str) -> str:
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2024-01-01T12:00:00Z"
    if fmt == "date":
        return "2024-01-01"
    if fmt == "uuid":
        return str(uuid.uuid5(_NAMESPACE, name))
    if fmt == "email":
        return "user@example.com"
    if fmt in ("uri", "url") or name.lower().endswith(("url", "uri")):
        return f"https://example.com/{name}"
    text = f"example {name}"
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        # No value is made from a regex: the first stock value that fits it (numbers and codes are common).
        text = next((c for c in (text, *_PATTERN_CANDIDATES) if _matches(pattern, c)), text)
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int):
        text = text.ljust(low, "x")
    return text[:high] if isinstance(high, int) else text
