"""What each generated model, enum and endpoint table holds: decided here, printed by the templates.

The generator parses the spec into property objects (`ModelProperty`, `EnumProperty`, ...); this module
turns one model into a `ModelPlan` (its fields' attribute and JSON names, annotations, defaults and the
one expression that reads each from a decoded JSON object), one enum into an `EnumPlan`, and an
endpoint's documented responses into the rows of its `_RESPONSES` table. templates/model.py.jinja,
str_enum.py.jinja, int_enum.py.jinja and endpoint_module.py.jinja only print these; the behaviour the
expressions call (lenient parsing, open enums, paths in errors) is the runtime's (templates/runtime/_models.py).

A property shape one converter expression cannot read (a union of two shapes that both need converting,
such as `datetime | date`, or a list of lists of models) is read by its annotation instead
(`read_field(Class, "attr", value)`, slower but complete). A multipart body is the runtime's
`Model.to_multipart()`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import PipelineError
from .escape import docstring, py_str, py_value, text_of
from .generator import (
    AnyProperty,
    BooleanProperty,
    ConstProperty,
    DateProperty,
    DateTimeProperty,
    Endpoint,
    EnumProperty,
    FileProperty,
    FloatProperty,
    IntProperty,
    ListProperty,
    ModelProperty,
    NoneProperty,
    Property,
    StringProperty,
    UnionProperty,
    UuidProperty,
    untrusted_text,
)
from .imports import LINE_LENGTH
from .text import fill_lines

__all__ = [
    "EnumPlan",
    "FieldPlan",
    "ModelPlan",
    "ResponseRow",
    "Shape",
    "endpoint_responses",
    "enum_plan",
    "model_plan",
    "parameter_docstring",
    "url_parts",
]

# Docstrings wrap here (the generated packages' ruff line length is 120; a field docstring is indented 4).
WRAP = 112
# A model's class body is printed as ruff formats it at the package's line length (imports.LINE_LENGTH), so that the
# post-hooks leave most model modules as written (Kubernetes apps: 70 of 193 were rewritten) and the import check's
# interpreter can compile them while the rest of the package is made (`generate._run_generator`). What precedes the
# literals on their lines:
_ALIASES_AT = len("    _aliases = ")
_NULLABLE_AT = len("    _nullable = frozenset(") + len(")")
_ARGUMENT_AT = 8  # an argument on a line of its own in the class body


@dataclass(frozen=True)
class Shape:
    """A property's type as the SDK reads it: its annotation and, when it needs one, its converter."""

    annotation: str
    # `{}` is the source expression: `as_model(Order, {})`; None: the JSON value is kept as it comes.
    convert: str | None = None
    models: frozenset[tuple[str, str]] = frozenset()  # (class, module) of the models it names
    enums: frozenset[tuple[str, str]] = frozenset()  # (class, module) of the enums it names
    aliases: frozenset[tuple[str, str]] = frozenset()  # (name, module) of the enums' named Literals it uses
    helpers: frozenset[str] = frozenset()  # runtime names the converter calls
    needs: frozenset[str] = frozenset()  # other names the annotation uses: Literal, datetime, File
    # No converter expression fits: `_fill` reads the field by its annotation (runtime `read_field`).
    by_annotation: bool = False


@dataclass(frozen=True)
class FieldPlan:
    """One field of a model class."""

    attr: str  # the Python attribute (and constructor keyword)
    key: str  # the JSON key
    annotation: str
    default: str | None  # Python code of the default; None: the constructor requires it
    read: str  # the `_fill` expression that reads it from `data`
    description: tuple[str, ...]  # docstring lines (empty: none)
    # `_fill` sets the field only when the body has its key (`if <present>:`); None: it always reads it
    # (a required field, whose absence the runtime handles). An absent field's slot stays empty: not set.
    present: str | None = None
    # An optional field whose value the spec allows to be null: its annotation's `| None` cannot say so
    # (it is there for absence too), the class's `_nullable` does, for strict parsing.
    nullable: bool = False


@dataclass(frozen=True)
class ModelPlan:
    """One generated model class and the module around it."""

    class_name: str
    docstring: tuple[str, ...]
    fields: tuple[FieldPlan, ...]
    aliases: tuple[tuple[str, str], ...]  # (attribute, JSON key) where they differ
    imports: tuple[str, ...]  # before the class
    lookups: tuple[tuple[str, str], ...]  # (module-level name, enum class): the enums' `members(...)`
    late_imports: tuple[str, ...]  # after the class: the models it nests (cycles allowed)

    @property
    def docstring_text(self) -> str:
        """The class docstring's text as printed in the class body (`docstring_text`)."""
        return docstring_text(self.docstring)

    @property
    def aliases_code(self) -> str:
        """The class's `_aliases` as a Python literal, as ruff formats `    _aliases = <dict>`: on the line where it
        fits, else one item a line with a trailing comma."""
        items = [f"{py_str(attr)}: {py_str(key)}" for attr, key in self.aliases]
        one_line = "{" + ", ".join(items) + "}"
        if _ALIASES_AT + _width(one_line) <= LINE_LENGTH:
            return one_line
        return "{\n" + "".join(f"        {item},\n" for item in items) + "    }"

    @property
    def guarded(self) -> tuple[FieldPlan, ...]:
        """The fields `_fill` sets only when the body has them (after the others, counting what it read)."""
        return tuple(f for f in self.fields if f.present)

    @property
    def nullable_code(self) -> str | None:
        """The class's `_nullable` (its optional fields that may be null) as a Python literal; None: none."""
        names = [py_str(f.attr) for f in self.fields if f.nullable]
        if not names:
            return None
        # As ruff formats `    _nullable = frozenset(<set>)`: on the line, else the set alone on the next one, else
        # one name a line.
        one_line = "{" + ", ".join(names) + "}"
        if _NULLABLE_AT + _width(one_line) <= LINE_LENGTH:
            return f"frozenset({one_line})"
        if _ARGUMENT_AT + _width(one_line) <= LINE_LENGTH:
            return f"frozenset(\n        {one_line}\n    )"
        return "frozenset(\n        {\n" + "".join(f"            {name},\n" for name in names) + "        }\n    )"


def docstring_text(lines: Sequence[str]) -> str:
    """A class docstring's lines as printed in its body: each after the first indented 4, a blank one left empty, as
    ruff formats a docstring (a field's string after it is no docstring to ruff, which leaves it as printed)."""
    return "\n".join(line if i == 0 or not line else "    " + line for i, line in enumerate(lines))


def _width(text: str) -> int:
    """How wide ruff counts a line (a wide East Asian character counts two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@dataclass(frozen=True)
class EnumPlan:
    """One generated enum class and the `Literal` alias of its values."""

    class_name: str
    base: str  # OpenStrEnum or OpenIntEnum
    alias: str  # <class>Literal: the values as a Literal type
    members: tuple[tuple[str, str], ...]  # (member name, Python literal of the value)
    literal: str  # Literal[...] of the values, in the spec's order


# An enum with more values than this is annotated with its named Literal (`CurrencyLiteral`, defined beside
# the enum), not its values spelled out (Fungies `Currency` has 150 values, `CountryCode` 235); the same
# limit as the resource signatures' (codegen/model.py).
INLINE_LITERAL_LIMIT = 16


def value_alias(enum_class: str) -> str:
    """The name of an enum's `Literal` alias of its values (`Currency` → `CurrencyLiteral`)."""
    return f"{enum_class}Literal"


def literal_of(values: Iterable[object]) -> str:
    """`Literal["a", "b"]` of some enum values."""
    return f"Literal[{', '.join(py_value(v) for v in values)}]"


def lookup_name(enum_class: str) -> str:
    """The module-level name a model binds an enum's `Lookup` to."""
    return f"_{enum_class}"


# --- shapes ----------------------------------------------------------------------------------------


_SCALARS: dict[type, str] = {
    StringProperty: "str",
    IntProperty: "int",
    FloatProperty: "float",
    BooleanProperty: "bool",
    UuidProperty: "str",  # kept as the text the API sent: ids are strings to the caller (see docs)
    AnyProperty: "Any",
}


def shape_of(prop: object, *, where: str) -> Shape:
    """The shape of a property, without the `| None` an optional field adds (that depends on whether it is required)."""
    for scalar, name in _SCALARS.items():
        if isinstance(prop, scalar):
            return Shape(name, needs=frozenset({"Any"}) if name == "Any" else frozenset())
    for kind, shaper in _SHAPERS:
        if isinstance(prop, kind):
            return shaper(prop, where)
    raise PipelineError(
        f"{where}: a {type(prop).__name__} has no shape in codegen/fields.py",
        hint="add it there (annotation and converter) and to the runtime's check",
    )


def _none_shape(_prop: Any, _where: str) -> Shape:
    return Shape("None")


def _const_shape(prop: ConstProperty, _where: str) -> Shape:
    return Shape(f"Literal[{prop.value.python_code.as_unembedded_code()}]", needs=frozenset({"Literal"}))


def _enum_shape(prop: EnumProperty, _where: str) -> Shape:
    name, module = str(prop.class_info.name), str(prop.class_info.module_name)
    values = list(prop.values.values())
    long = len(values) > INLINE_LITERAL_LIMIT
    return Shape(
        f"{name} | {value_alias(name) if long else literal_of(values)}",
        convert=f"{lookup_name(name)}[{{}}]",
        enums=frozenset({(name, module)}),
        aliases=frozenset({(value_alias(name), module)}) if long else frozenset(),
        needs=frozenset() if long else frozenset({"Literal"}),
    )


def _model_shape(prop: ModelProperty, _where: str) -> Shape:
    name, module = str(prop.class_info.name), str(prop.class_info.module_name)
    return Shape(
        name,
        convert=f"as_model({name}, {{}})",
        models=frozenset({(name, module)}),
        helpers=frozenset({"as_model"}),
    )


def _datetime_shape(_prop: DateTimeProperty, _where: str) -> Shape:
    return Shape(
        "datetime.datetime",
        convert="as_datetime({})",
        helpers=frozenset({"as_datetime"}),
        needs=frozenset({"datetime"}),
    )


def _date_shape(_prop: DateProperty, _where: str) -> Shape:
    return Shape("datetime.date", convert="as_date({})", helpers=frozenset({"as_date"}), needs=frozenset({"datetime"}))


def _file_shape(_prop: FileProperty, _where: str) -> Shape:
    return Shape("File", needs=frozenset({"File"}))


def _list_shape(prop: ListProperty, *, where: str) -> Shape:
    inner = shape_of(prop.inner_property, where=f"{where}[]")
    convert = None
    helpers: frozenset[str] = frozenset()
    by_annotation = inner.by_annotation
    if inner.convert is not None and not by_annotation:
        if inner.models and inner.convert.startswith("as_model("):
            (name, _module), *_ = inner.models
            convert = f"as_models({name}, {{}})"
            helpers = frozenset({"as_models"})
        elif inner.enums and not inner.models and inner.convert.startswith("_"):
            (name, _module), *_ = inner.enums
            convert = f"as_enums({lookup_name(name)}, {{}})"
            helpers = frozenset({"as_enums"})
        else:  # a list of lists of models, of dates, ...: no one-call reader
            by_annotation = True
    return Shape(
        f"list[{inner.annotation}]",
        convert=convert,
        models=inner.models,
        enums=inner.enums,
        aliases=inner.aliases,
        helpers=helpers,
        needs=inner.needs,
        by_annotation=by_annotation,
    )


def _union_shape(prop: UnionProperty, *, where: str) -> Shape:
    members = [shape_of(inner, where=where) for inner in prop.inner_properties]
    by_annotation = _read_by_annotation(members)
    merged = functools.reduce(_merge, members, Shape(""))
    return replace(
        merged,
        annotation=_union_annotation(members),
        convert=None if by_annotation else next((m.convert for m in members if m.convert is not None), None),
        helpers=frozenset() if by_annotation else merged.helpers,
        by_annotation=by_annotation,
    )


def _converts(shape: Shape) -> bool:
    return shape.convert is not None or shape.by_annotation


def _read_by_annotation(members: list[Shape]) -> bool:
    """Whether a union of these is read by its annotation, no one converter fitting every member."""
    converting = [m for m in members if _converts(m)]
    others = [m for m in members if not _converts(m) and m.annotation != "None"]
    # Two members to convert (`datetime | date`), or one beside plain values: the runtime picks the member
    # the value fits, by the annotation.
    return len(converting) > 1 or bool(converting and others) or any(m.by_annotation for m in members)


def _merge(first: Shape, second: Shape) -> Shape:
    """The names both shapes use, together (the annotation and converter the first's)."""
    return replace(
        first,
        models=first.models | second.models,
        enums=first.enums | second.enums,
        aliases=first.aliases | second.aliases,
        helpers=first.helpers | second.helpers,
        needs=first.needs | second.needs,
    )


def _union_annotation(members: list[Shape]) -> str:
    """The members' annotations as one union, each part once, in order, null last (`str | None`, as people write it)."""
    parts = dict.fromkeys(part for member in members for part in member.annotation.split(" | "))
    return " | ".join([*(p for p in parts if p != "None"), *(["None"] if "None" in parts else [])])


_SHAPERS: tuple[tuple[type, Callable[[Any, str], Shape]], ...] = (
    (NoneProperty, _none_shape),
    (ConstProperty, _const_shape),
    (EnumProperty, _enum_shape),
    (ModelProperty, _model_shape),
    (DateTimeProperty, _datetime_shape),
    (DateProperty, _date_shape),
    (FileProperty, _file_shape),
    (ListProperty, lambda prop, where: _list_shape(prop, where=where)),
    (UnionProperty, lambda prop, where: _union_shape(prop, where=where)),
)


# --- models ----------------------------------------------------------------------------------------


def model_plan(model: ModelProperty) -> ModelPlan:
    """The plan of one generated model class."""
    name = str(model.class_info.name)
    props = [*(model.required_properties or ()), *(model.optional_properties or ())]
    shapes = [shape_of(p, where=f"{name}.{untrusted_text(p.name)}") for p in props]
    fields = tuple(_field(p, s, name) for p, s in zip(props, shapes, strict=True))
    enums = sorted({e for s in shapes for e in s.enums})
    return ModelPlan(
        class_name=name,
        docstring=_docstring(model),
        fields=fields,
        aliases=tuple((f.attr, f.key) for f in fields if f.attr != f.key),
        imports=_model_imports(shapes, enums=enums),
        lookups=tuple((lookup_name(enum), enum) for enum, _ in enums),
        late_imports=_late_imports(shapes, class_name=name),
    )


def _late_imports(shapes: list[Shape], *, class_name: str) -> tuple[str, ...]:
    """The imports after a model class: the other models its fields nest (cycles allowed)."""
    models = {m for s in shapes for m in s.models if m[0] != class_name}
    return tuple(f"from .{module} import {model_name}" for model_name, module in sorted(models))


def _model_imports(shapes: list[Shape], *, enums: list[tuple[str, str]]) -> tuple[str, ...]:
    """The imports before a model class: datetime, typing, the runtime names its fields call, its enums."""
    needs = {n for s in shapes for n in s.needs}
    return (
        *(["import datetime"] if "datetime" in needs else []),
        f"from typing import {', '.join(sorted({'Any', *(needs & {'Literal'})}))}",
        f"from .._models import {', '.join(sorted(_runtime_names(shapes, enums=bool(enums))))}",
        *(["from ..types import File"] if "File" in needs else []),
        *_enum_imports([*enums, *(a for s in shapes for a in s.aliases)]),
    )


def _runtime_names(shapes: list[Shape], *, enums: bool) -> set[str]:
    """The runtime names a model module imports: `Model`, the converters its fields call, `members` for enums."""
    helpers = {h for s in shapes for h in s.helpers}
    by_annotation = {"read_field"} if any(s.by_annotation for s in shapes) else set()
    return {"Model", *helpers, *by_annotation, *(("members",) if enums else ())}


def _enum_imports(names: list[tuple[str, str]]) -> list[str]:
    """One `from .<module> import ...` per module of these (name, module) pairs."""
    by_module: dict[str, set[str]] = {}
    for name, module in names:
        by_module.setdefault(module, set()).add(name)
    return [f"from .{module} import {', '.join(sorted(members))}" for module, members in sorted(by_module.items())]


def _field(prop: Property, shape: Shape, class_name: str) -> FieldPlan:
    key = untrusted_text(prop.name)
    attr = str(prop.python_name)
    required = bool(prop.required)
    default = _default(prop)
    key_code = py_str(key)
    # A field the constructor requires is read by subscript (a missing one is a KeyError, which the
    # runtime turns into an unset field); any other only when the body has it, so an absent one stays unset.
    source = f"data[{key_code}]"
    if shape.by_annotation:
        read = f"read_field({class_name}, {py_str(attr)}, {source})"
    else:
        read = shape.convert.format(source) if shape.convert else source
    return FieldPlan(
        attr=attr,
        key=key,
        annotation=shape.annotation if required else _nullable(shape.annotation),
        default=default,
        read=read,
        description=_wrapped(_with_server_default(prop.description, prop), indent=4),
        present=None if required and default is None else f"{key_code} in data",
        nullable=not required and _allows_null(shape.annotation),
    )


def _allows_null(annotation: str) -> bool:
    return annotation in ("Any", "None") or annotation.endswith(" | None")


def _nullable(annotation: str) -> str:
    """An optional field's annotation: `X | None` (it reads None when not set), None last as people write it."""
    if _allows_null(annotation):
        return annotation
    return annotation + " | None"


def _default(prop: Property) -> str | None:
    """The constructor's default: None for an optional field (not set: not sent), the only value of a
    required one-value enum or const (so the caller never has to spell it); no default (None) when the
    caller must pass it. A spec default is what the server does when a field is absent: it is documented
    (`_with_server_default`), never filled in."""
    if not prop.required:
        return "None"
    if isinstance(prop, ConstProperty):
        return str(prop.value.python_code.as_unembedded_code())
    if isinstance(prop, EnumProperty) and len(prop.values) == 1:
        (member,) = prop.values
        return f"{prop.class_info.name}.{member}"
    return None


def server_default(prop: Property) -> str | None:
    """The spec's default of a property as Python code (a uuid one as its text), or None when it has none."""
    if prop.default is None:
        return None
    # A uuid field (or a union holding one) holds the text (see _SCALARS): its default is the text, not UUID(...).
    if _holds_uuid(prop) and isinstance(prop.default.raw_value, str):
        return py_str(prop.default.raw_value)
    return str(prop.default.python_code.as_unembedded_code())


def _with_server_default(description: object, prop: Property) -> str:
    """The field's description, and the spec's default as what the server assumes when it is not sent."""
    text = untrusted_text(description).rstrip() if description else ""
    default = server_default(prop)
    if default is None or prop.required:
        return text
    return (
        f"{text}{'' if not text or text.endswith(('.', ':')) else '.'}{' ' if text else ''}Server default: {default}."
    )


def _holds_uuid(prop: object) -> bool:
    return isinstance(prop, UuidProperty) or (
        isinstance(prop, UnionProperty) and any(isinstance(p, UuidProperty) for p in prop.inner_properties)
    )


def _docstring(model: ModelProperty) -> tuple[str, ...]:
    parts = [text for text in (model.data.title, model.description) if text]
    lines: list[str] = []
    for text in parts:
        if lines:
            lines.append("")
        lines.extend(_wrapped(text, indent=4))
    return tuple(lines)


def _wrapped(text: object, *, indent: int) -> tuple[str, ...]:
    return _wrapped_text(text_of(text), indent) if text else ()


@functools.lru_cache(maxsize=1 << 14)
def _wrapped_text(text: str, indent: int) -> tuple[str, ...]:
    """A description's lines; kept per text (Asana's 3,024 field descriptions are 1,106 texts)."""
    safe = docstring(text).strip()
    lines: list[str] = []
    for paragraph in safe.splitlines():
        lines.extend(fill_lines(paragraph, WRAP - indent) or [""])
    return tuple(lines)


# --- enums -----------------------------------------------------------------------------------------


def enum_plan(prop: EnumProperty, taken: Iterable[str] = ()) -> EnumPlan:
    """The plan of one generated enum class; `taken` are the class names the alias must not collide with."""
    name = str(prop.class_info.name)
    alias = value_alias(name)
    if alias in set(taken):
        raise PipelineError(
            f"enum {name}: its values alias {alias} has the name of a generated class",
            hint="rename one of them in specs/<api>/overrides.yaml",
        )
    is_int = prop.value_type is int
    members = tuple((str(member), py_value(value)) for member, value in sorted(prop.values.items()))
    return EnumPlan(
        class_name=name,
        base="OpenIntEnum" if is_int else "OpenStrEnum",
        alias=alias,
        members=members,
        literal=literal_of(prop.values.values()),
    )


# --- endpoints -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseRow:
    """One documented response: a status range, how its body is sent and the type it is read as."""

    low: int
    high: int
    source: str  # json, text, bytes or none (the generator's reading of the media type)
    type: str  # Python code of the type (a model, `list[Order]`, `Any`; `None` for no body)


# The generator's `response.source.attribute` → how the runtime reads the body.
_SOURCES = {"response.json()": "json", "response.text": "text", "response.content": "bytes", "None": "none"}


def endpoint_responses(endpoint: Endpoint) -> tuple[ResponseRow, ...]:
    """The `_RESPONSES` rows of an endpoint module, in the generator's matching order (default last)."""
    rows: list[ResponseRow] = []
    responses = [*endpoint.responses.patterns, *([endpoint.responses.default] if endpoint.responses.default else [])]
    for response in responses:
        span = response.status_code.range
        low, high = span if span is not None else (0, 999)
        source = _SOURCES.get(str(response.source["attribute"]))
        if source is None:
            raise PipelineError(
                f"{endpoint.method.upper()} {untrusted_text(endpoint.path)}: a response read as "
                f"{response.source['attribute']} is not supported",
                hint="extend codegen/fields.py and the runtime's read_body",
            )
        tp = "None" if source == "none" else response.prop.get_type_string(no_optional=True).as_unembedded_code()
        rows.append(ResponseRow(low, high, source, tp))
    return tuple(rows)


def url_parts(endpoint: Endpoint) -> tuple[tuple[bool, str], ...]:
    """An endpoint's path as (is a parameter, text): literal text, and the Python names of its path parameters.

    The generator writes each path parameter into the path as `{python_name}`; every other character, braces
    included, is the vendor's literal text (printed as a string literal, never a format string).
    """
    path = untrusted_text(endpoint.path)
    names = sorted({str(p.python_name) for p in endpoint.path_parameters}, key=len, reverse=True)
    if not names:
        return ((False, path),) if path else ()
    pattern = re.compile("{(" + "|".join(re.escape(n) for n in names) + ")}")
    parts: list[tuple[bool, str]] = []
    for index, piece in enumerate(pattern.split(path)):
        if index % 2:
            parts.append((True, piece))
        elif piece:
            parts.append((False, piece))
    return tuple(parts)


def parameter_docstring(prop: Property) -> str:
    """An endpoint argument's docstring line, as the generator's `to_docstring` says it, not yet escaped."""
    annotation = prop.get_type_string().as_unembedded_code()
    line = f"{prop.python_name} ({annotation}): {untrusted_text(prop.description or '')}"
    if prop.default:
        line += f" Default: {prop.default.python_code.as_unembedded_code()}."
    if prop.example:
        line += f" Example: {untrusted_text(prop.example)}."
    return line
