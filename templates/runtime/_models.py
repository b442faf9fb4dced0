"""The models' runtime: the `Model` base class, open enums, parsing (lenient or strict) and serialisation.

Hand-written runtime (templates/runtime/_models.py), copied unchanged into each SDK. A generated model
class declares its fields (annotations, defaults, the JSON keys that differ from the attribute names)
and one `_fill` method that reads a decoded JSON object in one straight pass; everything else is here:

- An optional field is typed `X | None` and reads `None` when the body left it out, as in openai-python;
  `model_fields_set` tells absent from null: the fields the body held or the constructor was given.
  A field that is not set has an empty slot, so `to_dict()` (and so a request body) holds only the
  fields set: a spec default is what the server does, never a value the SDK sends.
- Parsing is **lenient** by default, as the vendors' own SDKs are: an unknown field is kept
  (`additional_properties`), an unknown enum value is kept as a pseudo-member of its enum, a `null` the
  spec forgot is kept as `None`, a missing required field is left unset (reading it raises an
  `AttributeError` that says so). Only a value that cannot be represented at all (a string where an
  object or a list is expected, ...) fails, with the JSON path of the value (`data.orders[3].currency`).
- **Strict** parsing (`strict=True`, the clients' `strict_response_validation=True`) also fails on wrong
  scalar types, unknown enum values, missing required fields and nulls the spec does not allow.
- The fast path (`_fill`) checks nothing it does not need: when it meets a value it cannot use, the
  body is walked once more against the type annotations (`check`) to name the path. That walk is
  also the strict validator, so the two modes share one reading of the types.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, ClassVar, Self, dataclass_transform

from ._sentinels import UNSET, Unset

if TYPE_CHECKING:
    import inspect
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

__all__ = [
    "UNSET",
    "Lookup",
    "Model",
    "OpenIntEnum",
    "OpenStrEnum",
    "Problem",
    "ResponseValidationError",
    "ResponseValidationWarning",
    "Responses",
    "Unset",
    "as_date",
    "as_datetime",
    "as_enums",
    "as_model",
    "as_models",
    "check",
    "decode_body",
    "header_values",
    "members",
    "parse",
    "query_params",
    "read_body",
    "read_bytes",
    "read_field",
    "response_for_status",
    "salvage",
    "stamp_request_id",
    "to_plain",
    "type_name",
]

_new = object.__new__


# A path into a JSON document: object keys and list indices, from the body's root.
Path = tuple[str | int, ...]
# One thing wrong with a body: where (a rendered path, "" for the body itself) and what.
Problem = tuple[str, str]


def render_path(path: Iterable[str | int]) -> str:
    """`("data", "orders", 3, "currency")` → `data.orders[3].currency`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


class ResponseValidationError(ValueError):
    """A JSON body that does not fit its model: `path` names the first value at fault (`data.orders[3].currency`).

    `problems` lists every (path, reason) found; the message shows the first few.
    """

    def __init__(self, problems: Sequence[Problem], *, model: str = "") -> None:
        self.problems = list(problems) or [("", "the body does not fit the model")]
        self.path, self.reason = self.problems[0]
        self.model = model
        super().__init__(f"{model + ': ' if model else ''}{self.details}")

    @property
    def details(self) -> str:
        """The first few (path, reason) as text."""
        shown = "; ".join(f"{path or 'the body'}: {reason}" for path, reason in self.problems[:3])
        return shown + (f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else "")


class ResponseValidationWarning(UserWarning):
    """A successful write answered with a body that does not fit its model (the call did not raise)."""


# --- open enums ----------------------------------------------------------------------------------------


class OpenStrEnum(enum.StrEnum):
    """A string enum that keeps values the API adds later: `OrderState("refunded")` is a pseudo-member.

    A pseudo-member is an instance of the enum (so `isinstance`, `==` with the raw string, `.value` and
    `str()` work as for a member), made anew for each call and never added to the enum's members;
    `known` tells the documented members from it.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        """Whether this is one of the values the API documents (not a pseudo-member)."""
        return type(self)._value2member_map_.get(self._value_) is self

    def __repr__(self) -> str:
        if self.known:
            return super().__repr__()
        return f"<{type(self).__name__}: {self._value_!r} (undocumented)>"


class OpenIntEnum(enum.IntEnum):
    """An integer enum that keeps values the API adds later (see `OpenStrEnum`)."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        member = int.__new__(cls, value)
        member._name_ = str(value)
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        """Whether this is one of the values the API documents (not a pseudo-member)."""
        return type(self)._value2member_map_.get(self._value_) is self

    def __repr__(self) -> str:
        if self.known:
            return super().__repr__()
        return f"<{type(self).__name__}: {self._value_!r} (undocumented)>"


class Lookup(dict[Any, Any]):
    """A JSON value → its enum member, for the generated `_fill`: one dictionary lookup for a known value.

    `lookup[value]` gives the member; a missing or null value comes back as it is; an unknown value of
    the enum's type becomes a pseudo-member; a value of another type raises (the body is then checked).
    """

    __slots__ = ("enum",)

    def __init__(self, enum_class: type[enum.Enum]) -> None:
        super().__init__(enum_class._value2member_map_)
        self.enum = enum_class

    def __missing__(self, value: Any) -> Any:
        if value is UNSET or value is None:
            return value
        return self.enum(value)


_LOOKUPS: dict[type[enum.Enum], Lookup] = {}


def members(enum_class: type[enum.Enum]) -> Lookup:
    """The (shared) `Lookup` of an enum; model modules bind it once, at import."""
    found = _LOOKUPS.get(enum_class)
    if found is None:
        found = _LOOKUPS[enum_class] = Lookup(enum_class)
    return found


# --- models --------------------------------------------------------------------------------------------


def _sort_fields(cls: type, fields: tuple[tuple[str, str], ...], defaults: dict[str, Any]) -> None:
    """A model class's required fields (no default), optional ones (None: unset unless given) and filled ones (any
    other default, which the constructor sets)."""
    cls._required = tuple((attr, key) for attr, key in fields if attr not in defaults)  # type: ignore[attr-defined]
    cls._optional = frozenset(attr for attr, value in defaults.items() if value is None)  # type: ignore[attr-defined]
    cls._filled = {attr: value for attr, value in defaults.items() if value is not None}  # type: ignore[attr-defined]


class _ModelMeta(type):
    """Turns the annotated fields of a model class into slots and records its fields, keys and defaults.

    The defaults are taken out of the class body (a slot and a class attribute cannot share a name) and
    kept in `_defaults`; a type checker still reads them in the source (`dataclass_transform`). A field
    whose default is None is optional: the constructor leaves it unset unless it is given. Any other
    default (the only value a required field can take) is set by the constructor, so it is sent.
    """

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> _ModelMeta:
        own = [
            attr
            for attr, annotation in namespace.get("__annotations__", {}).items()
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
        ]
        defaults = {attr: namespace.pop(attr) for attr in own if attr in namespace}
        namespace.setdefault("__slots__", tuple(own))
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        inherited: tuple[tuple[str, str], ...] = getattr(cls, "_fields", ())
        aliases: dict[str, str] = getattr(cls, "_aliases", {})
        fields = (*inherited, *((attr, aliases.get(attr, attr)) for attr in own))
        all_defaults = {**getattr(cls, "_defaults", {}), **defaults}
        cls._fields = fields  # type: ignore[attr-defined]
        cls._keys = frozenset(key for _, key in fields)  # type: ignore[attr-defined]
        cls._defaults = all_defaults  # type: ignore[attr-defined]
        _sort_fields(cls, fields, all_defaults)
        # Each field's slot read without `Model.__getattr__` (which answers for an empty one): is it set?
        cls._slots = tuple((attr, key, getattr(cls, attr).__get__) for attr, key in fields)  # type: ignore[attr-defined]
        return cls

    @property
    def __signature__(cls) -> inspect.Signature:
        """The constructor as `help()` and `inspect.signature()` show it: keyword-only, annotated, defaults."""
        import inspect

        annotations: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            annotations.update(inspect.get_annotations(klass))
        defaults: dict[str, Any] = getattr(cls, "_defaults", {})
        parameters = [
            inspect.Parameter(
                attr,
                inspect.Parameter.KEYWORD_ONLY,
                default=defaults.get(attr, inspect.Parameter.empty),
                annotation=annotations.get(attr, inspect.Parameter.empty),
            )
            for attr, _ in getattr(cls, "_fields", ())
        ]
        return inspect.Signature(parameters, return_annotation=None)


@dataclass_transform(kw_only_default=True)
class Model(metaclass=_ModelMeta):
    """Base class of every generated model: keyword-only constructor, `from_dict`, `to_dict`, `to_json`,
    `model_fields_set`, `model_copy`.

    An optional field reads None when it is not set; `model_fields_set` names the fields that are (given
    to the constructor, present in the parsed body, or assigned since), and only those are serialised,
    so a request sends what the caller set and nothing else. Unknown JSON fields are kept in
    `additional_properties` (also reachable as `model["key"]`). `repr()` shows the fields that are set;
    `dict(model)` gives every field by attribute name and then the unknown fields, as pydantic's do.
    """

    __slots__ = ("__weakref__", "_extra", "_rid")

    # Written by _ModelMeta for each class: (attribute, JSON key) of every field in order, the set of
    # JSON keys, the defaults, the fields without a default, the optional fields (default None) and the
    # defaults the constructor sets (any other).
    _fields: ClassVar[tuple[tuple[str, str], ...]]
    _keys: ClassVar[frozenset[str]]
    _defaults: ClassVar[dict[str, Any]]
    _required: ClassVar[tuple[tuple[str, str], ...]]
    _optional: ClassVar[frozenset[str]]
    _filled: ClassVar[dict[str, Any]]
    _slots: ClassVar[tuple[tuple[str, str, Any], ...]]  # (attribute, JSON key, the slot's reader)
    # Written by a generated class: attribute → JSON key, where the two differ; the optional fields whose
    # value may be null (their annotation's `| None` is there for absence too), for strict parsing.
    _aliases: ClassVar[dict[str, str]] = {}
    _nullable: ClassVar[frozenset[str]] = frozenset()
    if TYPE_CHECKING:
        # The unknown fields (a slot, set only when there are some); not a field for _ModelMeta.
        _extra: dict[str, Any] | None
        # The request id of the response the model was read from (a slot, set only then): `_request_id`.
        _rid: str | None

    def __init__(self, *args: Any, **fields: Any) -> None:
        cls = type(self)
        if args:
            raise TypeError(f"{cls.__name__}() takes keyword arguments only ({len(args)} positional given)")
        missing = [attr for attr, _ in cls._required if attr not in fields]
        if missing:
            raise TypeError(f"{cls.__name__}() missing required keyword argument(s): {', '.join(missing)}")
        filled = cls._filled
        for attr, _ in cls._fields:
            if attr in fields:
                setattr(self, attr, fields.pop(attr))
            elif attr in filled:
                setattr(self, attr, filled[attr])
        if fields:
            raise TypeError(f"{cls.__name__}() got unexpected keyword argument(s): {', '.join(sorted(fields))}")

    def _fill(self, data: dict[str, Any]) -> int:
        """Set every field the decoded JSON object has; return how many of its keys that was (generated for
        each class: the rest of the keys are unknown fields)."""
        return 0

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], *, strict: bool = False) -> Self:
        """The model of a decoded JSON object; `ResponseValidationError` names the path when it does not fit.

        (`src_dict`: the name the generator's models gave this argument, kept for callers who pass it by name.)"""
        result: Self = parse(cls, src_dict, strict=strict)
        return result

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the model: the fields that are set (by their JSON keys) and the unknown fields kept."""
        out = {key: to_plain(value) for key, value in self._extra_items()}
        for _, key, value in self._set_fields():
            out[key] = to_plain(value)
        return out

    def to_json(self, *, indent: int | None = 2) -> str:
        """`to_dict()` as JSON text."""
        import json

        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_multipart(self) -> list[tuple[str, Any]]:
        """The model as multipart/form-data parts (httpx `files=`): a file as itself, a nested object or
        list of objects as a JSON part, any other value as text; a list field gives one part per item."""
        parts: list[tuple[str, Any]] = []
        for _, key, value in self._set_fields():
            parts.extend((key, _multipart_part(item)) for item in (value if isinstance(value, list) else [value]))
        parts.extend((key, _multipart_part(value)) for key, value in self._extra_items())
        return parts

    @property
    def _request_id(self) -> str | None:
        """The id the server gave the request this model was read from (its `x-request-id` header, else
        `request-id`), to quote to the API's support; None when the response had none or the model was not
        read from one. Not a field: outside `to_dict()`, `model_fields_set`, `dict(model)` and equality."""
        rid: str | None = getattr(self, "_rid", None)
        return rid

    # -- which fields are set, copies ----------------------------------------------------------------

    @property
    def model_fields_set(self) -> set[str]:
        """The fields that are set, by attribute name: given to the constructor (a required field's only
        value, which it fills in, too), present in the parsed body (null included), or assigned since.
        A field outside it reads None and is left out of `to_dict()`, and so of a request body."""
        return {attr for attr, _, _ in self._set_fields()}

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, with the fields of `update` (by attribute name) set on it: shallow by default (nested
        models and lists are shared with this model), every nested value copied too with `deep=True`."""
        cls = type(self)
        unknown = sorted(set(update or ()) - {attr for attr, _ in cls._fields})
        if unknown:
            raise TypeError(f"{cls.__name__}.model_copy() got unknown field(s) in update: {', '.join(unknown)}")
        if deep:
            import copy

            copied: Self = copy.deepcopy(self)
        else:
            copied = _new(cls)
            for attr, _, value in self._set_fields():
                setattr(copied, attr, value)
            extra: dict[str, Any] | None = getattr(self, "_extra", None)
            if extra:
                copied._extra = dict(extra)
        for attr, value in (update or {}).items():
            setattr(copied, attr, value)
        return copied

    def __copy__(self) -> Self:
        return self.model_copy()

    def __getstate__(self) -> dict[str, Any]:
        # What pickle and deepcopy keep: the fields that are set (object's own would read the others
        # through __getattr__, as None, and set them) and the unknown fields.
        state = {attr: value for attr, _, value in self._set_fields()}
        extra: dict[str, Any] | None = getattr(self, "_extra", None)
        if extra:
            state["_extra"] = extra
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for attr, value in state.items():
            setattr(self, attr, value)

    def _set_fields(self) -> Iterator[tuple[str, str, Any]]:
        """(attribute, JSON key, value) of each field that is set, in declaration order."""
        for attr, key, read in type(self)._slots:
            try:
                value = read(self)
            except AttributeError:  # an empty slot: not set
                continue
            if value is not UNSET:
                yield attr, key, value

    # -- unknown fields -----------------------------------------------------------------------------

    @property
    def additional_properties(self) -> dict[str, Any]:
        """The fields of the JSON object the model does not declare, as they came."""
        extra: dict[str, Any] | None = getattr(self, "_extra", None)
        if extra is None:
            extra = self._extra = {}
        return extra

    @additional_properties.setter
    def additional_properties(self, value: dict[str, Any]) -> None:
        self._extra = value

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties)

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

    def _extra_items(self) -> Iterable[tuple[str, Any]]:
        extra: dict[str, Any] | None = getattr(self, "_extra", None)
        return extra.items() if extra else ()

    # -- reading, comparing, showing ----------------------------------------------------------------

    if not TYPE_CHECKING:
        # Hidden from type checkers: a `__getattr__` would make any attribute name type-check.

        def __getattr__(self, name: str) -> Any:
            # Only called for an attribute that is not set: an optional field (None), a required field
            # with one possible value that the body left out (that value), or any other required field
            # the response left out (an error that says so).
            cls = type(self)
            if name in cls._defaults:
                return cls._defaults[name]
            if any(attr == name for attr, _ in cls._required):
                raise AttributeError(
                    f"{cls.__name__}.{name} is not set: the body left out this field, which the API documents "
                    "as always present (parsing is lenient; `strict_response_validation=True` makes it an error)",
                    name=name,
                    obj=self,
                )
            raise AttributeError(f"{cls.__name__!r} object has no attribute {name!r}", name=name, obj=self)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """`dict(model)`: (attribute, value) of every field, None for an optional one that is not set, then
        the unknown fields by their JSON keys, as pydantic's models iterate; a required field the body
        left out has no value and is skipped."""
        values = {attr: value for attr, _, value in self._set_fields()}
        defaults = type(self)._defaults
        for attr, _ in type(self)._fields:
            if attr in values:
                yield attr, values[attr]
            elif attr in defaults:
                yield attr, defaults[attr]
        yield from self._extra_items()

    def __repr__(self) -> str:
        parts = [f"{attr}={value!r}" for attr, _, value in self._set_fields()]
        extra = dict(self._extra_items())
        if extra:
            parts.append(f"additional_properties={extra!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Model)
        return list(self._set_fields()) == list(other._set_fields()) and dict(self._extra_items()) == dict(
            other._extra_items()
        )


def stamp_request_id(value: object, request_id: str | None) -> None:
    """Give a model read from a response (or each model of a list read from one) its `_request_id`."""
    if request_id is None:
        return
    for item in value if isinstance(value, list) else (value,):
        if isinstance(item, Model):
            item._rid = request_id


def _multipart_part(value: Any) -> Any:
    """One form part: (filename, content, content type), as the generator's multipart models write them."""
    to_tuple = getattr(value, "to_tuple", None)
    if to_tuple is not None:  # the package's File
        return to_tuple()
    plain = to_plain(value)
    if isinstance(plain, dict | list):
        import json

        return (None, json.dumps(plain).encode(), "application/json")
    return (None, str(plain).encode(), "text/plain")


# --- the fast path ---------------------------------------------------------------------------------------


def as_model(cls: type[Model], value: Any) -> Any:
    """A JSON object as `cls` (a missing or null value comes back as it is); the hot path of parsing."""
    if value.__class__ is not dict:
        return _absent(value, "an object")
    self = _new(cls)
    try:
        read = self._fill(value)
    except KeyError:
        read = _fill_without_required(self, value)
    # `_fill` counts the keys it read: fewer than the body has means unknown fields (a set comparison of
    # the keys would build a set per object, as much as reading a small one).
    if read != len(value):
        _keep_unknown(self, value)
    return self


def _keep_unknown(self: Model, data: dict[str, Any]) -> None:
    keys = type(self)._keys
    extra = {key: item for key, item in data.items() if key not in keys}
    if extra:
        self._extra = extra


def _fill_without_required(self: Model, data: dict[str, Any]) -> int:
    """`_fill` when a required field is missing: the field is left unset, so reading it raises. Returns how
    many of the body's keys are fields, as `_fill` does."""
    cls = type(self)
    padded = {key: UNSET for _, key in cls._required}
    padded.update(data)
    self._fill(padded)
    for attr, key in cls._required:
        if key not in data:
            delattr(self, attr)
    return sum(key in data for key in cls._keys)


def as_models(cls: type[Model], value: Any) -> Any:
    """A JSON list of objects as a list of `cls`: `as_model` for each item, written out in the loop (a list
    page is most of a body's objects, and a call per item is a tenth of reading a small one)."""
    if value.__class__ is not list:
        return _absent(value, "a list")
    fill = cls._fill
    out: list[Any] = []
    append = out.append
    for item in value:
        if item.__class__ is not dict:
            append(_absent(item, "an object"))
            continue
        self = _new(cls)
        try:
            read = fill(self, item)
        except KeyError:
            read = _fill_without_required(self, item)
        if read != len(item):
            _keep_unknown(self, item)
        append(self)
    return out


def as_enums(lookup: Lookup, value: Any) -> Any:
    """A JSON list of enum values as a list of members (pseudo-members for values the API added)."""
    if value.__class__ is not list:
        return _absent(value, "a list")
    return [lookup[item] for item in value]


def as_datetime(value: Any) -> Any:
    """An ISO 8601 date-time string as a `datetime`."""
    if value.__class__ is not str:
        return _absent(value, "a date-time string")
    import datetime

    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)


def as_date(value: Any) -> Any:
    """An ISO 8601 date string as a `date`."""
    if value.__class__ is not str:
        return _absent(value, "a date string")
    import datetime

    return datetime.date.fromisoformat(value)


def _absent(value: Any, expected: str) -> Any:
    if value is UNSET or value is None:
        return value
    raise TypeError(f"expected {expected}, got {_kind(value)}")


_KINDS = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}


def _kind(value: Any) -> str:
    """How a JSON value is spoken of in a message."""
    if value is None:
        return "null"
    if value is UNSET:
        return "nothing"
    return _KINDS.get(value.__class__, type(value).__name__)


# --- parsing with checks -----------------------------------------------------------------------------


def parse(cls: Any, data: Any, *, strict: bool = False) -> Any:
    """`data` (decoded JSON) as `cls`; `ResponseValidationError` names the path when it does not fit.

    `cls` is a model class or any type a response is documented as (`list[Order]`, `Any`, ...).
    Lenient (the default) fails only on a value that cannot be represented; `strict` also fails on wrong
    scalar types, unknown enum values, missing required fields and nulls the spec does not allow.
    """
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        return _parse_value(cls, data, strict=strict)
    if strict:
        problems = _checked(lambda: check(cls, data, strict=True), cls.__name__)
        if problems:
            raise ResponseValidationError(problems, model=cls.__name__)
    if data.__class__ is not dict:
        data = _as_object(data, cls.__name__)
    try:
        return as_model(cls, data)
    except RecursionError:
        raise ResponseValidationError([("", _TOO_DEEP)], model=cls.__name__) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        problems = _checked(lambda: check(cls, data, strict=False), cls.__name__)
        raise ResponseValidationError(problems or [("", f"{type(exc).__name__}: {exc}")], model=cls.__name__) from exc


def _as_object(data: Any, name: str) -> dict[str, Any]:
    """A Mapping a caller built as a dict; anything else is no object."""
    if not isinstance(data, dict) and hasattr(data, "keys"):
        return dict(data)
    raise ResponseValidationError([("", f"expected an object, got {_kind(data)}")], model=name)


def _parse_value(tp: Any, data: Any, *, strict: bool) -> Any:
    """`parse` for a type that is not a model: a list of models, an enum, plain JSON."""
    shape = _shape(tp)
    name = type_name(tp)
    if data is UNSET:  # an empty body: nothing, where the type allows anything
        if shape.kind == "any":
            return None
        raise ResponseValidationError([("", f"expected {_describe(shape)}, got nothing")], model=name)

    def problems(strict: bool) -> list[Problem]:
        found: list[tuple[Path, str]] = []
        _check(shape, data, (), strict, found)
        return [(render_path(p), r) for p, r in found]

    if strict:
        found = _checked(lambda: problems(True), name)
        if found:
            raise ResponseValidationError(found, model=name)
    try:
        return _read(shape, data)
    except RecursionError:
        raise ResponseValidationError([("", _TOO_DEEP)], model=name) from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        found = problems(False) or [("", f"{type(exc).__name__}: {exc}")]
        raise ResponseValidationError(found, model=name) from exc


_TOO_DEEP = "the body is nested too deeply to parse"


def _checked(run: Callable[[], list[Problem]], name: str) -> list[Problem]:
    """The problems a check finds; a body too deep for the check's recursion is one problem itself."""
    try:
        return run()
    except RecursionError:
        raise ResponseValidationError([("", _TOO_DEEP)], model=name) from None


def _read(shape: _Shape, value: Any) -> Any:
    """A JSON value as `shape` says, with the same readers a generated `_fill` calls."""
    kind = shape.kind
    if kind == "model":
        return as_model(shape.target, value)
    if kind == "enum":
        return members(shape.target)[value]
    if kind == "datetime":
        return as_datetime(value)
    if kind == "date":
        return as_date(value)
    if not shape.converts:
        return value
    if kind == "list":
        return _read_list(shape, value)
    if kind == "union":
        return _read_union(shape, value)
    return value


def _by_conversion(shape: _Shape) -> tuple[list[_Shape], list[_Shape]]:
    """A union's members to convert (models, enums, dates) and its plain ones, each in order."""
    return [m for m in shape.args if m.converts], [m for m in shape.args if not m.converts]


def _read_list(shape: _Shape, value: Any) -> Any:
    if value.__class__ is not list:
        return _absent(value, "a list")
    return [_read(shape.args[0], item) for item in value]


def _read_union(shape: _Shape, value: Any) -> Any:
    """A value of a union as its first member it fits (members to convert first: `datetime` before `str`)."""
    if value is None or value is UNSET:
        return value
    converting, plain = _by_conversion(shape)
    if len(converting) == 1 and not plain:
        return _read(converting[0], value)
    fitting = _first_fitting([*converting, *plain], value, strict=True)
    if fitting is None:  # leniently: the first member to convert that can represent it
        fitting = _first_fitting(converting, value, strict=False)
    if fitting is not None:
        return _read(fitting, value)
    if plain:
        return value  # a plain member keeps it as it came (lenient parsing)
    raise TypeError(f"expected {_describe(shape)}, got {_kind(value)}")


def read_field(cls: type[Model], attr: str, value: Any) -> Any:
    """A field no single converter reads (`datetime | date`, a list of lists of models): read by its
    annotation, each union member tried in turn. Generated `_fill`s call it only for such fields."""
    if value is UNSET or value is None:
        return value
    return _read(_fields_of(cls)[attr].shape, value)


def type_name(tp: Any) -> str:
    """How a response type is named in a message: `Order`, `list[Order]`, `Any`."""
    import typing

    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin is not None and args:
        inner = ", ".join(type_name(arg) for arg in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    return getattr(tp, "__name__", None) or str(tp).removeprefix("typing.")


def salvage(cls: Any, data: Any) -> Any:
    """`cls` from as much of `data` as fits: a value that does not is moved, under its key, to the
    `additional_properties` of the object that holds it (the field stays unset); never raises.

    The fallback for a 2xx answer to a write whose body does not fit its model: the write happened, so the
    caller gets a model (and a warning), not an exception that would invite a second write. A response
    documented as something else than a model (a list, ...) comes back as the decoded JSON.
    """
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        return None if data is UNSET else data
    if data.__class__ is not dict:
        return _empty(cls)
    try:
        return _salvaged(cls, data)
    except RecursionError:  # too deep to walk: nothing of it is kept
        return _empty(cls)


def _empty(cls: type[Model]) -> Model:
    """A model with no field set (a required one raises on reading, an optional one None)."""
    empty = _new(cls)
    _fill_without_required(empty, {})
    return empty


def _salvaged(cls: type[Model], data: dict[str, Any]) -> Model:
    moved: list[tuple[Path, str, Any]] = []
    pruned = data
    for path in {_nearest_key(path) for path in _problem_paths(cls, data)}:
        if path:
            pruned, value = _without(pruned, path)
            moved.append((path[:-1], str(path[-1]), value))
    result: Model = as_model(cls, pruned)
    for holder_path, key, value in moved:
        holder = _follow(result, type(result), holder_path)
        if isinstance(holder, Model):
            holder.additional_properties[key] = value
    return result


def _problem_paths(cls: type[Model], data: Any) -> list[Path]:
    found: list[tuple[Path, str]] = []
    _check_model(cls, data, (), False, found)
    return [path for path, _ in found]


def _nearest_key(path: Path) -> Path:
    """The path of the object key that holds the value at `path` (a list item's list)."""
    end = len(path)
    while end and isinstance(path[end - 1], int):
        end -= 1
    return path[:end]


def _without(data: Any, path: Path) -> tuple[Any, Any]:
    """(a copy of `data` without the value at `path`, that value); only the containers on the path are copied."""
    head, rest = path[0], path[1:]
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    if not rest:
        return copy, copy.pop(head) if isinstance(copy, dict) else copy[head]
    copy[head], value = _without(data[head], rest)
    return copy, value


def _follow(value: Any, cls: type[Model], path: Path) -> Any:
    """The object of the parsed tree at a JSON path (keys mapped to attributes)."""
    for part in path:
        if isinstance(part, int):
            value = value[part] if isinstance(value, list) and part < len(value) else None
        elif isinstance(value, Model):
            attr = next((a for a, key in type(value)._fields if key == part), None)
            value = getattr(value, attr, None) if attr else value.additional_properties.get(part)
        else:
            return None
    return value


# --- the check: one walk of a body against the type annotations -----------------------------------------

_NoneType = type(None)


_CONVERTED = frozenset({"model", "enum", "datetime", "date"})


class _Shape:
    """What an annotation allows, compiled once per field (see `_shape`)."""

    __slots__ = ("args", "converts", "kind", "nullable", "target")

    def __init__(self, kind: str, *, target: Any = None, args: tuple[_Shape, ...] = (), nullable: bool = False) -> None:
        self.kind = kind  # any, str, int, float, bool, literal, enum, model, list, map, datetime, date, union
        self.target = target  # the literal values, enum class or model class
        self.args = args  # list/map: (item,); union: the members
        self.nullable = nullable
        # Whether `_fill` converts such a value (the only values lenient parsing can fail on): a model,
        # an enum, a date, a list of those, or a union holding one. A map's values are kept as they come.
        self.converts: bool = kind in _CONVERTED or (kind in ("list", "union") and any(a.converts for a in args))


class _Field:
    __slots__ = ("attr", "key", "required", "shape")

    def __init__(self, attr: str, key: str, shape: _Shape, required: bool) -> None:
        self.attr, self.key, self.shape, self.required = attr, key, shape, required


_FIELDS: dict[type[Model], dict[str, _Field]] = {}


def _fields_of(cls: type[Model]) -> dict[str, _Field]:
    """The fields of a model class by attribute, in declaration order, their shapes compiled once."""
    found = _FIELDS.get(cls)
    if found is None:
        import typing

        # Each class's annotations are read in its own module (where the bottom imports put the nested
        # models), never in the class namespace, whose slot descriptors could shadow a type's name.
        hints = typing.get_type_hints(cls, localns={})
        found = _FIELDS[cls] = {}
        for attr, key in cls._fields:
            shape = _shape(hints[attr])
            optional = attr in cls._optional
            if optional:  # `X | None` of an optional field says absent reads None; `_nullable` says null fits
                shape.nullable = attr in cls._nullable
            found[attr] = _Field(attr, key, shape, required=not optional)
    return found


def _shape(hint: Any) -> _Shape:
    import types
    import typing

    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _union_shape(typing.get_args(hint))
    if origin is typing.Literal:
        return _Shape("literal", target=frozenset(typing.get_args(hint)))
    if origin is list:
        return _Shape("list", args=(_shape(typing.get_args(hint)[0]),))
    if origin is dict:
        return _Shape("map", args=(_shape(typing.get_args(hint)[1]),))
    if hint is Any or hint is object or hint is _NoneType or not isinstance(hint, type):
        return _Shape("any", nullable=True)
    return _class_shape(hint)


def _union_shape(args: tuple[Any, ...]) -> _Shape:
    """`X | Y | None`: its members but None, nullable when None is one; a union of one member is that member."""
    members = [_shape(arg) for arg in args if arg is not _NoneType]
    nullable = _NoneType in args
    if len(members) == 1:
        members[0].nullable = nullable
        return members[0]
    return _Shape("union", args=tuple(members), nullable=nullable)


def _class_shape(hint: type) -> _Shape:
    if issubclass(hint, Model):
        return _Shape("model", target=hint)
    if issubclass(hint, enum.Enum):
        return _Shape("enum", target=hint)
    if hint in (str, int, float, bool):
        return _Shape(hint.__name__)
    if hint.__name__ in ("datetime", "date") and hint.__module__ == "datetime":
        return _Shape(hint.__name__)
    return _Shape("any", nullable=True)  # File and anything else a response never carries


def check(cls: type[Model], data: Any, *, strict: bool) -> list[Problem]:
    """Every (path, reason) at which `data` does not fit `cls`; empty when it fits.

    Lenient: only values `_fill` cannot represent (an object, list, enum or date where something else is).
    Strict: also scalar types, unknown enum values, missing required fields and nulls the spec does not allow.
    """
    found: list[tuple[Path, str]] = []
    _check_model(cls, data, (), strict, found)
    return [(render_path(path), reason) for path, reason in found]


def _check_model(cls: type[Model], value: Any, path: Path, strict: bool, out: list[tuple[Path, str]]) -> None:
    if not isinstance(value, dict):
        out.append((path, f"expected an object ({cls.__name__}), got {_kind(value)}"))
        return
    for field in _fields_of(cls).values():
        if field.key not in value:
            if strict and field.required:
                out.append(((*path, field.key), "a required field is missing"))
            continue
        _check(field.shape, value[field.key], (*path, field.key), strict, out)


def _check(shape: _Shape, value: Any, path: Path, strict: bool, out: list[tuple[Path, str]]) -> None:
    if not strict and not shape.converts:
        return  # `_fill` keeps such a value as it came
    if value is None:
        if strict and not shape.nullable:
            out.append((path, f"null is not allowed here ({_describe(shape)} expected)"))
        return
    checker = _CHECKS.get(shape.kind)
    if checker is not None:
        checker(shape, value, path, strict, out)
    elif strict and not _scalar_fits(shape, value):
        out.append((path, f"expected {_describe(shape)}, got {_kind(value)}"))


def _check_items(shape: _Shape, value: Any, path: Path, strict: bool, out: list[tuple[Path, str]]) -> None:
    """A list's items or a map's values, each against the shape's one argument."""
    if not isinstance(value, list if shape.kind == "list" else dict):
        out.append((path, f"expected {_describe(shape)}, got {_kind(value)}"))
        return
    items: Iterable[tuple[str | int, Any]] = enumerate(value) if isinstance(value, list) else value.items()
    for index, item in items:
        _check(shape.args[0], item, (*path, index), strict, out)


def _check_date(shape: _Shape, value: Any, path: Path, strict: bool, out: list[tuple[Path, str]]) -> None:
    kind = shape.kind
    if not isinstance(value, str) or not _parses(as_datetime if kind == "datetime" else as_date, value):
        out.append((path, f"expected an ISO 8601 {kind.replace('datetime', 'date-time')} string, got {value!r}"))


def _check_nested_model(shape: _Shape, value: Any, path: Path, strict: bool, out: list[tuple[Path, str]]) -> None:
    _check_model(shape.target, value, path, strict, out)


def _first_fitting(members: Iterable[_Shape], value: Any, *, strict: bool) -> _Shape | None:
    """The first of `members` that `value` fits (strictly, or as lenient parsing can read it); None: none does."""
    for member in members:
        found: list[tuple[Path, str]] = []
        _check(member, value, (), strict, found)
        if not found:
            return member
    return None


def _check_union(shape: _Shape, value: Any, path: Path, strict: bool, out: list[tuple[Path, str]]) -> None:
    # Lenient: `_fill` applies the converting member (the generator refuses a union with two), so only it counts.
    members = [m for m in shape.args if strict or m.converts]
    first: list[tuple[Path, str]] | None = None
    for member in members:
        found: list[tuple[Path, str]] = []
        _check(member, value, path, strict, found)
        if not found:
            return
        first = found if first is None else first
    out.extend(first or [])


def _check_enum(shape: _Shape, value: Any, path: Path, strict: bool, out: list[tuple[Path, str]]) -> None:
    enum_class: type[enum.Enum] = shape.target
    known = enum_class._value2member_map_
    try:
        if value in known:
            return
    except TypeError:  # unhashable: a list or an object
        pass
    if strict:
        out.append((path, f"{value!r} is not a value of {enum_class.__name__} ({', '.join(map(repr, known))})"))
        return
    try:
        enum_class(value)
    except (ValueError, TypeError):
        out.append((path, f"expected a value of {enum_class.__name__}, got {_kind(value)}"))


# The check of each kind that holds more than a scalar (the scalars' is `_scalar_fits`, strict only).
_CHECKS: dict[str, Callable[[_Shape, Any, Path, bool, list[tuple[Path, str]]], None]] = {
    "union": _check_union,
    "model": _check_nested_model,
    "list": _check_items,
    "map": _check_items,
    "enum": _check_enum,
    "datetime": _check_date,
    "date": _check_date,
}


def _scalar_fits(shape: _Shape, value: Any) -> bool:
    kind = shape.kind
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "literal":
        return any(value == allowed and type(value) is type(allowed) for allowed in shape.target)
    return True


def _parses(convert: Callable[[Any], Any], value: str) -> bool:
    try:
        convert(value)
    except ValueError:
        return False
    return True


def _describe(shape: _Shape) -> str:
    kind = shape.kind
    if kind == "model":
        return f"an object ({shape.target.__name__})"
    if kind == "enum":
        return f"a value of {shape.target.__name__}"
    if kind == "list":
        return "a list"
    if kind == "map":
        return "an object"
    if kind == "literal":
        return " or ".join(repr(v) for v in sorted(shape.target, key=repr))
    if kind == "union":
        return " or ".join(_describe(m) for m in shape.args)
    return {"str": "a string", "int": "an integer", "float": "a number", "bool": "a boolean"}.get(kind, kind)


# --- serialising ---------------------------------------------------------------------------------------

_JSON_SCALARS = frozenset({str, int, float, bool, _NoneType})


def to_plain(value: Any) -> Any:
    """A value as plain JSON data: models as objects, enum members as their values, UUIDs as strings."""
    if value.__class__ in _JSON_SCALARS:
        return value
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    return _plain_other(value)


def _plain_other(value: Any) -> Any:
    """`to_plain` of what is neither JSON, a model, an enum member nor a container: a date, a UUID, a subclass."""
    if isinstance(value, str | int | float):  # subclasses of the scalars
        return value
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    import uuid

    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def query_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters for httpx: unset and null ones left out, models (deepObject) spread, enums as values."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if value is UNSET or value is None:
            continue
        plain = to_plain(value)
        if isinstance(plain, dict):
            out.update(plain)
        else:
            out[name] = plain
    return out


def header_values(headers: Mapping[str, Any]) -> dict[str, str]:
    """Header values as text (booleans as true/false); unset and null ones left out."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        if value is UNSET or value is None:
            continue
        plain = to_plain(value)
        out[name] = ("true" if plain else "false") if isinstance(plain, bool) else str(plain)
    return out


# --- responses -----------------------------------------------------------------------------------------

# What an endpoint documents, in the order the generator matches them (exact codes, then ranges, then
# `default`): (lowest status, highest status, how the body is sent, the type it is read as). How: "json"
# (decoded, then read as the type: a model, `list[Order]`, `Any`, ...), "text", "bytes" or "none".
Responses = tuple[tuple[int, int, str, Any], ...]


def response_for_status(responses: Responses, status: int) -> tuple[bool, str, Any]:
    """(documented?, how the body is sent, its type) for a status; an undocumented 2xx reads as the
    documented success response; any other undocumented status has no body to read ("none")."""
    for low, high, source, tp in responses:
        if low <= status <= high:
            return True, source, tp
    if 200 <= status < 300:
        for low, high, source, tp in responses:
            if low >= 200 and high < 300:
                return False, source, tp
    return False, "none", None


def read_body(source: str, tp: Any, content: bytes, text: Callable[[], str], *, strict: bool = False) -> Any:
    """A response body as its documented type: JSON read by `parse`, text, bytes, or None."""
    if source == "none" or tp is None:
        return None
    if source == "bytes":
        return read_bytes(tp, content)
    if source == "text":
        return text()
    return parse(tp, decode_body(content), strict=strict)


def read_bytes(tp: Any, content: bytes) -> Any:
    """A binary body as its documented type: the package's `File` (the content as its `payload`), or bytes."""
    if isinstance(tp, type) and tp is not bytes:
        import io

        return tp(payload=io.BytesIO(content))
    return content


def decode_body(content: bytes) -> Any:
    """A response body as JSON; `ResponseValidationError` when it is not JSON (UNSET when it is empty)."""
    if not content:
        return UNSET
    import json

    try:
        return json.loads(content)
    except ValueError as exc:
        raise ResponseValidationError([("", f"the body is not JSON ({exc})")]) from None
    except RecursionError:  # json.loads recurses per nesting level: hostile nesting is a body, not a crash
        raise ResponseValidationError([("", _TOO_DEEP)]) from None
