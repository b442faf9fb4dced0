"""What users import: the public surface of a generated SDK package, and how it changed between two releases.

The spec change report (specdiff.py) judges the vendor document; this module judges what the pipeline made of
it, so a change of *names* (a class the hoisting rules named otherwise, a method filed under another resource,
a constructor whose positional order moved) cannot go out under a non-breaking version. griffe reads both
packages statically (nothing is imported or executed); what it does not model for generated code is added here:
model fields with their types, defaults and required-ness (attrs or the runtime's Model synthesize `__init__`), the
constructor's keyword-only-ness, enum members and their values, the defaults an overloaded method's variants give a
keyword argument, and the operation index (`_operations.json`: each SDK method `resource.method` → the HTTP method
and path it calls).

A surface is a flat mapping from a dotted path (`fungies_client.models.Order.status`,
`fungies_client.resources.orders.OrdersResource.list(term)`) to an `Item`; every object is described once, at
the shortest public path it can be imported from, and every other public path to it is an alias. Two surfaces
are compared path by path, each difference classified in the spec report's Severity terms, by direction: a model
is on the request side when a function takes it (directly or inside another model the user builds), on the response
side when a function returns it, and a type that accepts more is additive in a request, a type that returns more
enum values (a wider `Literal`, a new member) additive in a response; a default that changes what an unchanged call
sends is breaking. griffe's own breaking-change check runs too, and anything it finds at a place the path comparison
did not judge is reported as breaking.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..codegen.views import resource_of_raw_view
from ..errors import PipelineError
from .specdiff import Severity

__all__ = ["Item", "Surface", "SurfaceChange", "diff_surfaces", "format_surface", "read_surface"]

_RANK = {Severity.BREAKING: 0, Severity.ADDITIVE: 1, Severity.PATCH: 2}
# Methods every generated model and resource has; their signatures are the runtime's, not the API's.
_SKIPPED_DUNDERS = frozenset({"__getitem__", "__setitem__", "__delitem__", "__contains__", "__str__", "__repr__"})


@dataclass(frozen=True)
class Item:
    """One public thing: its kind, the text two releases compare, whether a caller must supply it, and the value a
    keyword argument or model field takes when the caller leaves it out (source text; "" for none)."""

    kind: str  # module, class, function, property, attribute, field, member, parameter, constructor, alias, operation
    text: str = ""
    required: bool = False
    default: str = ""


Surface = dict[str, Item]


@dataclass(frozen=True)
class SurfaceChange:
    """One classified difference between the previous and the new package's surface.

    `renamed` is (old, new) for a renamed class or keyword argument, and for every change that only follows a
    class rename (an annotation that names the class, its module): the CHANGELOG says it in one line.
    """

    path: str
    detail: str
    severity: Severity
    renamed: tuple[str, str] | None = None
    was: str = ""  # a renamed object's previous path


# --- reading a package ------------------------------------------------------------------------------------


def read_surface(package_root: Path, package: str) -> Surface:
    """The public surface of the import package `package` found in `package_root` (a generated/<dist> directory)."""
    return _read(package_root, package)[0]


def _read(package_root: Path, package: str) -> tuple[Surface, Any, dict[str, str]]:
    """(surface, griffe's module, definition path → the public path it is described at)."""
    import griffe  # the release dependency group; only the release path reads surfaces

    if not (package_root / package / "__init__.py").is_file():
        raise PipelineError(f"no package {package} to read the surface of", file=package_root)
    root = _load(package_root, package)
    surface: Surface = {}
    public: dict[str, str] = {}
    for path, obj, first in _public_objects(root, griffe):
        if first:
            _describe(surface, path, obj, griffe)
            public[str(obj.path)] = path
        else:
            surface[path] = Item("alias", str(obj.path))
    _expand_raw_views(surface, public)
    surface.update(_operations(package_root / package / "_operations.json"))
    return surface, root, public


def _load(package_root: Path, package: str) -> Any:
    import griffe

    loader = griffe.GriffeLoader(search_paths=[str(package_root)], allow_inspection=False)
    try:
        module = loader.load(package)
    except (griffe.LoadingError, ImportError, SyntaxError) as exc:
        raise PipelineError(f"griffe cannot read {package}: {exc}", file=package_root) from None
    # Re-exports inside the package (`models/__init__.py`, the lazy top-level exports) point at their definitions.
    loader.resolve_aliases(implicit=False, external=False)
    return module


def _public_objects(root: Any, griffe: Any) -> Iterator[tuple[str, Any, bool]]:
    """(path, object, first) for every public path to an object; `first` at the shortest (breadth first), where
    the object is described; every other path to it is an alias."""
    seen: set[str] = set()
    queue: deque[tuple[str, Any]] = deque([(root.path, root)])
    while queue:
        path, obj = queue.popleft()
        target = _target(obj)
        if target is None:
            continue
        if target.path in seen:
            yield path, target, False
            continue
        seen.add(target.path)
        yield path, target, True
        if target.kind is griffe.Kind.MODULE:
            for name, member in sorted(target.members.items()):
                if _is_public(name, member) and not _is_external(member, root.path):
                    queue.append((f"{path}.{name}", member))


def _target(obj: Any) -> Any:
    if not obj.is_alias:
        return obj
    try:
        return obj.final_target
    except Exception:  # griffe raises several alias errors; an import it cannot resolve is nothing users import
        return None


def _is_public(name: str, member: Any) -> bool:
    if name.startswith("_"):
        return False
    try:
        return bool(member.is_public)
    except Exception:  # an alias griffe cannot resolve is not something users import from us
        return False


def _is_external(member: Any, package: str) -> bool:
    if not member.is_alias:
        return False
    target = str(member.target_path)
    return not (target == package or target.startswith(package + "."))


def _describe(surface: Surface, path: str, obj: Any, griffe: Any) -> None:
    kind = obj.kind
    if kind is griffe.Kind.MODULE:
        surface[path] = Item("module")
    elif kind is griffe.Kind.CLASS:
        _describe_class(surface, path, obj, griffe)
    elif kind is griffe.Kind.FUNCTION:
        _describe_function(surface, path, obj)
    else:
        surface[path] = Item("attribute", _annotation(obj.annotation))


def _describe_class(surface: Surface, path: str, cls: Any, griffe: Any) -> None:
    bases = [str(b) for b in cls.bases]
    is_enum = any(b.endswith("Enum") for b in bases)
    attrs, members = _fields_style(cls, bases)
    surface[path] = Item("class", "enum" if is_enum else ", ".join(bases))
    fields: list[str] = []
    for name, member in _own_public_members(cls, members):
        child = f"{path}.{name}"
        if "property" in member.labels:
            returns = member.returns if member.kind is griffe.Kind.FUNCTION else member.annotation
            surface[child] = Item("property", _annotation(returns))
        elif member.kind is griffe.Kind.FUNCTION:
            _describe_function(surface, child, member)
        elif is_enum:
            surface[child] = Item("member", _text(member.value))
        elif attrs is not None:
            if _is_field(member):
                field = _field(member)
                surface[child] = field
                fields.extend([name] if field.required else [])
        else:
            _describe_attribute(surface, child, cls, name, member)
    if attrs is not None:
        # attrs writes __init__ from the fields in order: positional arguments follow the spec's property order
        # unless the class is keyword-only (templates/model.py.jinja), which is part of what a caller relies on.
        style = "keyword-only" if "kw_only=True" in attrs else "positional: " + ", ".join(fields)
        surface[f"{path}.__init__"] = Item("constructor", style)


def _fields_style(cls: Any, bases: list[str]) -> tuple[str | None, Any]:
    """(how the class's fields make its constructor: the attrs decorator's text, or None for no fields; the
    members to describe)."""
    decorators = [str(d.value) for d in cls.decorators]
    attrs = next((d for d in decorators if "attrs_define" in d or d.endswith("define")), None)
    if attrs is not None or not any(b.rpartition(".")[2] == "Model" for b in bases):
        return attrs, cls.members
    # A subclass of the runtime's `Model` (templates/runtime/_models.py): its annotated attributes are its
    # fields and its constructor is always keyword-only (dataclass_transform), as an attrs class's with kw_only.
    # Its methods (from_dict, to_dict, to_json, ...) are the runtime Model's: inherited members count.
    try:
        return "Model(kw_only=True)", cls.all_members
    except Exception:  # griffe could not resolve the base: its own members only
        return "Model(kw_only=True)", cls.members


def _own_public_members(cls: Any, members: Any) -> Iterator[tuple[str, Any]]:
    """(name, member) of each public member, an inherited one resolved to the base's definition."""
    for name, member in members.items():
        if member.is_alias and name not in cls.members:  # inherited: griffe gives an alias to the base's member
            member = _target(member)
            if member is None:
                continue
        if member.is_alias or (name.startswith("_") and name != "__init__") or name in _SKIPPED_DUNDERS:
            continue
        yield name, member


def _field(member: Any) -> Item:
    required = member.value is None
    return Item("field", _annotation(member.annotation), required=required, default=_text(member.value))


def _describe_attribute(surface: Surface, path: str, cls: Any, name: str, member: Any) -> None:
    if (view := _RAW_VIEW.fullmatch(_text(member.value))) and name == view["method"]:
        # `self.create = to_raw_response_wrapper(resource.create)`: the method of the resource class the view
        # is named after (`OrdersResourceWithRawResponse` wraps `OrdersResource`), answering with an
        # APIResponse: described as that method once the whole package is read (`_expand_raw_views`).
        wrapped = f"{cls.parent.path}.{resource_of_raw_view(cls.name)}.{name}"
        surface[path] = Item("raw view", wrapped, default=view["wrapper"])
    elif member.annotation is not None or member.value is not None:
        surface[path] = Item("attribute", _annotation(member.annotation))


_RAW_VIEW = re.compile(r"(?P<wrapper>(?:async_)?to_raw_response_wrapper)\(resource\.(?P<method>\w+)\)")
_ASYNC_PAGINATOR = re.compile(r"^AsyncPaginator\[(.*)\]$")


def _expand_raw_views(surface: Surface, public: dict[str, str]) -> None:
    """Each raw view's method as the signature its ParamSpec-typed wrapper gives it: the wrapped method's
    parameters, returning `APIResponse[<what the method returns>]` (an async list's AsyncPaginator awaited: its
    page). A view whose method cannot be found stays an attribute (and a change of it is judged as one)."""
    views = [(p, i) for p, i in surface.items() if i.kind == "raw view"]
    parameters: dict[str, list[tuple[str, Item]]] = {}  # function path → its `(name)` entries, read once
    for path, item in surface.items() if views else ():
        if item.kind == "parameter":
            parameters.setdefault(path.partition("(")[0], []).append((path, item))
    for path, item in views:
        cls, _, method = item.text.rpartition(".")
        wrapped = f"{public.get(cls, cls)}.{method}"
        signature = surface.get(wrapped)
        if signature is None or signature.kind != "function":
            surface[path] = Item("attribute")
            continue
        returns = signature.text
        if item.default.startswith("async_"):
            returns = _ASYNC_PAGINATOR.sub(r"AsyncPage[\1]", returns)
        surface[path] = Item("function", f"APIResponse[{returns}]")
        for name, parameter in parameters.get(wrapped, ()):
            surface[path + name[len(wrapped) :]] = parameter


def _is_field(member: Any) -> bool:
    """An attrs field the constructor takes (not `_attrs_field(init=False, ...)` such as additional_properties)."""
    value = _text(member.value)
    return member.annotation is not None and not ("init=False" in value and "attrs_field" in value)


def _describe_function(surface: Surface, path: str, func: Any) -> None:
    surface[path] = Item("function", _annotation(func.returns))
    # An overloaded method (one variant per request body) declares its real defaults on the variants; the
    # implementation's `NOT_GIVEN` only tells it which ones the caller gave.
    variants: dict[str, set[str]] = {}
    for overload in getattr(func, "overloads", None) or ():
        for param in overload.parameters:
            if param.default is not None:
                variants.setdefault(param.name, set()).add(_text(param.default))
    for param in func.parameters:
        if param.name in ("self", "cls") or param.name.startswith("_"):
            continue  # private keyword arguments (`_sleep`) are test seams, not API
        kind = param.kind.value
        default = _text(param.default)
        if default == _NOT_GIVEN and param.name in variants:
            default = " | ".join(sorted(variants[param.name]))
        surface[f"{path}({param.name})"] = Item(
            "parameter",
            f"{kind}: {_annotation(param.annotation)}",
            required=param.default is None and not kind.startswith("variadic"),
            default=default,
        )


def _operations(index: Path) -> Surface:
    """`resource.method` → the HTTP method and path it calls, from the package's operation index.

    Keyed by what users call, not by operationId: a vendor's new operationId, HTTP method or path under the same
    SDK method is a note, never an SDK method "removed".
    """
    if not index.is_file():
        return {}
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PipelineError(f"not JSON: {exc}", file=index) from None
    items: Surface = {}
    for op in data.get("operations", []):
        if isinstance(op, dict) and op.get("resource"):
            # `name` in the SDK model's index (codegen/model.py); `sdk_method` in indexes before it (up to 1.0.0)
            method = f"{op.get('resource')}.{op.get('sdk_method') or op.get('name')}"
            call = f"{str(op.get('method') or '').upper()} {op.get('path') or ''}".strip()
            items[f"{_OPERATION}{method}"] = Item("operation", call)
    return items


_OPERATION = "SDK method "
_NOT_GIVEN = "NOT_GIVEN"


def _text(expr: Any) -> str:
    return "" if expr is None else str(expr)


def _annotation(expr: Any) -> str:
    """An annotation as text, its top-level union members sorted (`None | str` and `str | None` are one type)."""
    return " | ".join(sorted(_union(_text(expr))))


# --- comparing two surfaces -------------------------------------------------------------------------------


def diff_surfaces(old: Surface, new: Surface) -> list[SurfaceChange]:
    """Every difference from `old` to `new`, classified; a removed object's members are not listed again."""
    changes: list[SurfaceChange] = []
    old, new = _enum_defaults_as_values(old), _enum_defaults_as_values(new)
    # A class travels the ways it did in either release (a model that became request-side is judged as one).
    before, after = model_directions(old), model_directions(new)

    def ways(path: str) -> frozenset[str]:
        cls = _parent(path)
        return before.get(cls, frozenset()) | after.get(cls, frozenset())

    removed = _topmost(sorted(set(old) - set(new)))
    added = _topmost(sorted(set(new) - set(old)))
    renames = _renamed_classes(old, new, removed, added)
    keywords = _renamed_keywords(old, new, removed, added)
    paired = {*renames, *renames.values(), *keywords, *keywords.values()}
    for path in removed:
        if path not in paired:
            changes.append(_removed(path, old[path]))
    for path in added:
        if path in paired:
            continue
        parent = old.get(_parent(path))
        # A member of something callers already used (not of a path that only aliased it before).
        existed = parent is not None and parent.kind != "alias"
        changes.append(_added(path, new[path], parent_existed=existed, directions=ways(path)))
    for path in sorted(set(old) & set(new)):
        if old[path] != new[path]:
            changes.append(_changed(path, old[path], new[path], directions=ways(path)))
    classes = [(a, b) for a, b in renames.items() if old[a].kind == "class"]
    for was, now in renames.items():
        # A module renamed with the class it defines is part of that class's rename.
        names = next(((_last(a), _last(b)) for a, b in classes if f"{was}.{_last(a)}" in old), (_last(was), _last(now)))
        detail = f"{_NOUN[new[now].kind]} `{was}` renamed to `{now}`"
        changes.append(SurfaceChange(now, detail, Severity.BREAKING, names, was))
    for was, now in keywords.items():
        names = (_member(was), _member(now))
        detail = f"keyword argument `{was}` renamed to `{names[1]}`"
        changes.append(SurfaceChange(now, detail, Severity.BREAKING, names, was))
    changes = _following_renames(changes, [(_last(a), _last(b)) for a, b in classes])
    return sorted(changes, key=lambda c: (_RANK[c.severity], c.path))


def _enum_defaults_as_values(surface: Surface) -> Surface:
    """Defaults written as an enum member (`InvoicingBehavior.VOID`) as the member's value (`'void'`): what is
    sent, so the same value spelt either way is no change."""
    values = {f"{_last(_parent(p))}.{_last(p)}": i.text for p, i in surface.items() if i.kind == "member"}
    if not values:
        return surface
    return {
        path: dataclasses.replace(item, default=values[item.default]) if item.default in values else item
        for path, item in surface.items()
    }


def _last(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _member(path: str) -> str:
    return path[path.index("(") + 1 : -1] if path.endswith(")") else _last(path)


def _body(surface: Surface, path: str, name: str) -> dict[str, Item]:
    """What is inside a class or module, its own name written `{}` (so a renamed class compares equal)."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    inside = (path + ".", path + "(")
    return {
        p[len(path) :]: Item(i.kind, word.sub("{}", i.text), i.required, i.default)
        for p, i in surface.items()
        if p.startswith(inside)
    }


def _renamed_classes(old: Surface, new: Surface, removed: list[str], added: list[str]) -> dict[str, str]:
    """Removed → added class (and the module defining it) that are the same but for the name: a rename."""
    pairs: dict[str, str] = {}
    for kind in ("class", "module"):
        gone = [p for p in removed if old[p].kind == kind]
        came = [p for p in added if new[p].kind == kind]
        for was in gone:
            if kind == "module":
                # A module is renamed with the class it defines (`models.quote` → `models.carbon_quote`).
                inner = {_last(a): _last(b) for a, b in pairs.items() if old[a].kind == "class"}
                defined = [n for n, i in old.items() if n.startswith(was + ".") and i.kind == "alias"]
                names = {_last(n) for n in defined} & set(inner)
                matches = [
                    p for p in came if _parent(p) == _parent(was) and any(f"{p}.{inner[n]}" in new for n in names)
                ]
            else:
                body = _body(old, was, _last(was))
                matches = [p for p in came if _parent(p) == _parent(was) and _body(new, p, _last(p)) == body]
            if len(matches) == 1 and matches[0] not in pairs.values():
                pairs[was] = matches[0]
    return pairs


def _renamed_keywords(old: Surface, new: Surface, removed: list[str], added: list[str]) -> dict[str, str]:
    """A function's one removed keyword argument and one added one of the same kind, type and default: a rename
    (a renamed path parameter)."""
    gone: dict[str, list[str]] = {}
    came: dict[str, list[str]] = {}
    for path in removed:
        if old[path].kind == "parameter":
            gone.setdefault(_parent(path), []).append(path)
    for path in added:
        if new[path].kind == "parameter":
            came.setdefault(_parent(path), []).append(path)
    pairs: dict[str, str] = {}
    for function, was in gone.items():
        now = came.get(function, [])
        if len(was) == 1 and len(now) == 1 and old[was[0]] == new[now[0]]:
            pairs[was[0]] = now[0]
    return pairs


def _following_renames(changes: list[SurfaceChange], renames: list[tuple[str, str]]) -> list[SurfaceChange]:
    """Changes that only follow a class rename (an annotation naming the class, an alias to it) are marked so."""
    if not renames:
        return changes
    out = []
    for change in changes:
        follows = None if change.renamed else next((r for r in renames if _only_renames(change, *r)), None)
        out.append(dataclasses.replace(change, renamed=follows) if follows else change)
    return out


def _only_renames(change: SurfaceChange, was: str, now: str) -> bool:
    texts = re.findall(r"`([^`]*)` → `([^`]*)`", change.detail)
    word = re.compile(rf"\b{re.escape(was)}\b")
    # Unions are written sorted: the renamed member may sort elsewhere.
    return bool(texts) and all(_members(word.sub(now, a)) == _members(b) for a, b in texts)


def _topmost(paths: list[str]) -> list[str]:
    """The paths none of whose ancestors are in `paths` (a removed class, not also each of its fields)."""
    chosen: list[str] = []
    listed = set(paths)
    for path in paths:
        if not any(a in listed for a in _ancestors(path)):
            chosen.append(path)
    return chosen


def _ancestors(path: str) -> Iterator[str]:
    current = path
    while True:
        parent = _parent(current)
        if parent == current:
            return
        yield parent
        current = parent


def _parent(path: str) -> str:
    if path.endswith(")") and "(" in path:
        return path[: path.index("(")]
    if path.startswith(_OPERATION):
        return path
    return path.rsplit(".", 1)[0] if "." in path else path


_NOUN = {
    "module": "module",
    "class": "class",
    "function": "function",
    "property": "property",
    "attribute": "attribute",
    "field": "model field",
    "member": "enum member",
    "parameter": "keyword argument",
    "constructor": "constructor",
    "alias": "name",
    "operation": "SDK method",
}

# Which way a value travels: into the API (arguments, models the caller builds) or out of it (what is returned).
REQUEST, RESPONSE = "request", "response"
Directions = dict[str, frozenset[str]]  # model field path's class → the directions it travels


def _removed(path: str, item: Item) -> SurfaceChange:
    if item.kind == "operation":
        method = path.removeprefix(_OPERATION)
        return SurfaceChange(path, f"SDK method `{method}` removed (it called {item.text})", Severity.BREAKING)
    return SurfaceChange(path, f"{_NOUN[item.kind]} `{path}` removed", Severity.BREAKING)


def _added(path: str, item: Item, *, parent_existed: bool, directions: frozenset[str]) -> SurfaceChange:
    if item.kind == "operation":
        method = path.removeprefix(_OPERATION)
        return SurfaceChange(path, f"SDK method `{method}` added ({item.text})", Severity.ADDITIVE)
    # A new required argument of something callers already call breaks them; on something new it does not. A new
    # required field of a model only returned to the caller is a new guarantee.
    breaks = item.kind == "parameter" or (item.kind == "field" and REQUEST in directions)
    if parent_existed and item.required and breaks:
        return SurfaceChange(path, f"required {_NOUN[item.kind]} `{path}` added", Severity.BREAKING)
    return SurfaceChange(path, f"{_NOUN[item.kind]} `{path}` added", Severity.ADDITIVE)


def _changed(path: str, old: Item, new: Item, *, directions: frozenset[str]) -> SurfaceChange:
    noun = _NOUN[new.kind]
    if "alias" in (old.kind, new.kind) and old.kind != new.kind:
        # The same object, described at another of its import paths (its shorter one appeared or went).
        return SurfaceChange(path, f"`{path}` is now described as a {noun} (was a {_NOUN[old.kind]})", Severity.PATCH)
    if old.kind != new.kind:
        return SurfaceChange(path, f"`{path}` was a {_NOUN[old.kind]}, is now a {noun}", Severity.BREAKING)
    if new.kind == "operation":
        method = path.removeprefix(_OPERATION)
        # The SDK method stays; what it sends on the wire is the spec report's to judge (a moved operation).
        return SurfaceChange(path, f"`{method}` now calls {new.text} (was {old.text})", Severity.PATCH)
    if new.kind == "alias":
        return SurfaceChange(path, f"`{path}` now refers to `{new.text}` (was `{old.text}`)", Severity.PATCH)
    if new.kind == "parameter":
        return _changed_parameter(path, old, new)
    if new.kind in ("field", "function", "property"):
        # A field travels where its model does; a function's text is what it returns, a property's what it gives.
        ways = directions if new.kind == "field" else frozenset({RESPONSE})
        return _changed_value(path, noun, old, new, ways)
    parts = []
    if old.text != new.text:
        parts.append(f"`{old.text}` → `{new.text}`")
    if old.required != new.required:
        parts.append("now required" if new.required else "no longer required")
    return SurfaceChange(path, f"{noun} `{path}`: {'; '.join(parts)}", Severity.BREAKING)


def _changed_value(path: str, noun: str, old: Item, new: Item, directions: frozenset[str]) -> SurfaceChange:
    """A model field, return type or property that changed, judged by the way its values travel."""
    parts: list[str] = []
    severity = Severity.PATCH
    if old.text != new.text:
        parts.append(f"`{old.text}` → `{new.text}`")
        severity = _type_change(old.text, new.text, directions)
    if old.required != new.required:
        parts.append("now required" if new.required else "no longer required")
        # Required in a model the caller builds, or optional (maybe Unset) in one the caller reads, breaks code.
        tightened = (REQUEST in directions and new.required) or (RESPONSE in directions and not new.required)
        severity = _worse(severity, Severity.BREAKING if tightened else Severity.ADDITIVE)
    if old.default != new.default:
        # A model sends only the fields that were set (templates/runtime/_models.py): its defaults are read-side
        # fallbacks, never sent, so a changed default changes no call.
        parts.append(_default_text(old.default, new.default, sends=False))
    return SurfaceChange(path, f"{noun} `{path}`: {'; '.join(parts)}", severity)


def _changed_parameter(path: str, old: Item, new: Item) -> SurfaceChange:
    old_kind, old_type = old.text.split(": ", 1)
    new_kind, new_type = new.text.split(": ", 1)
    parts: list[str] = []
    severity = Severity.PATCH
    if old_kind != new_kind:
        parts.append(f"{old_kind} → {new_kind}")
        # A keyword-only argument that may now also be given by position breaks no caller.
        loosened = old_kind == "keyword-only" and new_kind == "positional or keyword"
        severity = Severity.ADDITIVE if loosened else Severity.BREAKING
    if old_type != new_type:
        parts.append(f"`{old_type}` → `{new_type}`")
        severity = _worse(severity, _type_change(old_type, new_type, frozenset({REQUEST})))
    if old.required != new.required:
        parts.append("now required" if new.required else "now optional")
        severity = _worse(severity, Severity.BREAKING if new.required else Severity.ADDITIVE)
    if old.default != new.default:
        parts.append(_default_text(old.default, new.default, sends=True))
        severity = _worse(severity, Severity.BREAKING)
    return SurfaceChange(path, f"keyword argument `{path}`: {'; '.join(parts)}", severity)


def _default_text(old: str, new: str, *, sends: bool) -> str:
    """`default `False` → `True``, and for a value sent to the API what a call that leaves it out sends now."""
    text = f"default `{old or 'none'}` → `{new or 'none'}`"
    if not sends:
        return text
    sent = "nothing for it" if new in ("", "UNSET", _NOT_GIVEN) else f"`{new}`"
    return f"{text} (calls that leave it out now send {sent})"


def _type_change(old: str, new: str, directions: frozenset[str]) -> Severity:
    """How a changed annotation affects callers: a value the caller gives may accept more (additive) but not less;
    a value the caller reads may carry more enum values (a wider `Literal`: the SDK's enums are open) or fewer
    of anything, but a new type or `None` must be handled (breaking)."""
    before, after = _members(old), _members(new)
    verdicts = []
    if REQUEST in directions or not directions:
        verdicts.append(Severity.ADDITIVE if before <= after else Severity.BREAKING)
    if RESPONSE in directions or not directions:
        gained = after - before
        verdicts.append(Severity.ADDITIVE if all(m.startswith("Literal[") for m in gained) else Severity.BREAKING)
    return min(verdicts, key=_RANK.__getitem__)


def _members(annotation: str) -> frozenset[str]:
    """The top-level union members of an annotation, a `Literal[...]` member split into one per value."""
    out: set[str] = set()
    for member in _union(annotation):
        if member.startswith("Literal[") and member.endswith("]"):
            out.update(f"Literal[{value}]" for value in _union(member[len("Literal[") : -1].replace(",", "|")))
        else:
            out.add(member)
    return frozenset(out)


def _union(annotation: str) -> frozenset[str]:
    """The members of a top-level `A | B | None` annotation (brackets kept whole)."""
    parts, depth, current = [], 0, ""
    for char in annotation:
        depth += char in "[("
        depth -= char in "])"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return frozenset(parts)


_NAME = re.compile(r"\b[A-Za-z_]\w*\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def model_directions(surface: Surface) -> Directions:
    """Each class → the ways its values travel: `request` when a function takes it (or a field of a request-side
    class holds it), `response` when a function or property gives it (or a field of a response-side class)."""
    classes: dict[str, list[str]] = {}
    fields: dict[str, list[str]] = {}
    for path, item in surface.items():
        if item.kind == "class":
            classes.setdefault(path.rsplit(".", 1)[-1], []).append(path)
        elif item.kind == "field":
            fields.setdefault(_parent(path), []).append(item.text)
    classes_by_path = {path for paths in classes.values() for path in paths}
    found: dict[str, set[str]] = {}
    pending: list[tuple[str, str]] = []

    def reach(annotation: str, way: str) -> None:
        for name in _NAME.findall(_QUOTED.sub("", annotation)):
            for cls in classes.get(name, ()):
                if way not in found.setdefault(cls, set()):
                    found[cls].add(way)
                    pending.append((cls, way))

    for path, item in surface.items():
        # A constructor builds an object here (a webhook event from its parts); only a call sends it.
        if item.kind == "parameter" and not path.startswith(tuple(f"{c}.__init__(" for c in classes_by_path)):
            reach(item.text.split(": ", 1)[-1], REQUEST)
        elif item.kind in ("function", "property"):
            reach(item.text, RESPONSE)
    while pending:
        cls, way = pending.pop()
        for annotation in fields.get(cls, ()):
            reach(annotation, way)
    return {cls: frozenset(ways) for cls, ways in found.items()}


def _worse(a: Severity, b: Severity) -> Severity:
    return a if _RANK[a] <= _RANK[b] else b


def compare_packages(old_root: Path, new_root: Path, package: str) -> list[SurfaceChange]:
    """The surface changes from the package in `old_root` to the one in `new_root` (generated/<dist> directories).

    griffe's own breaking-change check runs too; what it finds at a place the comparison above did not judge
    (the same object, one enclosing it that broke, or one inside it) is added as breaking, so nothing griffe sees
    goes unreported; where the comparison judged the same change by direction (a default of a response model's
    field, a wider `Literal`), its judgement stands.
    """
    import griffe

    old, old_module, public = _read(old_root, package)
    new, new_module, _ = _read(new_root, package)
    changes = diff_surfaces(old, new)
    judged = {c.path for c in changes} | {c.was for c in changes if c.was}
    covered = {p for c in changes if c.severity is Severity.BREAKING for p in (c.path, c.was) if p}
    for breakage in griffe.find_breaking_changes(old_module, new_module):
        path = _public_path(str(breakage.obj.path), public)
        inside = (path + ".", path + "(")
        if path in judged or any(a in covered for a in _ancestors(path)) or any(c.startswith(inside) for c in judged):
            continue
        if breakage.kind is griffe.BreakageKind.OBJECT_CHANGED_KIND and _same_kind(old.get(path), new.get(path)):
            continue  # a raw view's method, now its wrapper's attribute: described (and compared) as the function
        judged.add(path)
        covered.add(path)
        changes.append(SurfaceChange(path, f"{breakage.kind.value}: `{path}` (griffe)", Severity.BREAKING))
    return sorted(changes, key=lambda c: (_RANK[c.severity], c.path))


def _same_kind(old: Item | None, new: Item | None) -> bool:
    return old is not None and new is not None and old.kind == new.kind


def _public_path(path: str, public: dict[str, str]) -> str:
    """`path` (a definition path) as the public path its object, or the nearest enclosing one, is described at."""
    head, tail = path, ""
    while head:
        if head in public:
            return public[head] + tail
        if "." not in head:
            break
        head, last = head.rsplit(".", 1)
        tail = f".{last}{tail}"
    return path


def surface_severity(changes: Iterable[SurfaceChange]) -> Severity | None:
    return min((c.severity for c in changes), key=_RANK.__getitem__, default=None)


def format_surface(changes: Iterable[SurfaceChange], *, heading: str = "### SDK surface") -> str:
    """A Markdown section listing the surface changes by severity (a line saying so when there are none)."""
    ordered = list(changes)
    lines = [heading, ""]
    if not ordered:
        return "\n".join([*lines, "No change to the SDK's public names, signatures or model fields."]) + "\n"
    for severity, title in (
        (Severity.BREAKING, "breaking"),
        (Severity.ADDITIVE, "additive"),
        (Severity.PATCH, "other"),
    ):
        lines += [f"- {title}: {c.detail}" for c in ordered if c.severity is severity]
    return "\n".join(lines) + "\n"
