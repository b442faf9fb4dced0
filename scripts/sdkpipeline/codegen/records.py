"""The SDK runtime's own record types, in the pipeline: the SDK model builds the very `Operation`, `Param`, `Body`,
`BodyShape`, `Deprecation`, `Pagination` and `Credential` records the runtime reads, and this module prints them as
Python source (`python_source`) and reads them back from `_operations.json` (`operation_from_json`).

The runtime is templates/runtime (plain Python, copied unchanged into every package), imported here as the
package `runtime`, as mypy checks it and its tests import it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import math
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import PipelineError
from .escape import py_value

# The runtime of the checkout this pipeline runs from (the records are its types, whatever the output).
RUNTIME = Path(__file__).resolve().parents[3] / "templates" / "runtime"


def _import_runtime() -> None:
    """Make `runtime` importable: the package in templates/runtime (not on sys.path, and not installed)."""
    loaded = sys.modules.get("runtime")
    if loaded is not None:
        if Path(next(iter(getattr(loaded, "__path__", [""])))).resolve() != RUNTIME:
            raise PipelineError(f"another module named 'runtime' is loaded ({loaded!r}); the SDK runtime is {RUNTIME}")
        return
    spec = importlib.util.spec_from_file_location(
        "runtime", RUNTIME / "__init__.py", submodule_search_locations=[str(RUNTIME)]
    )
    if spec is None or spec.loader is None:
        raise PipelineError("cannot import the SDK runtime", file=RUNTIME)
    package = importlib.util.module_from_spec(spec)
    sys.modules["runtime"] = package
    spec.loader.exec_module(package)


_import_runtime()

from runtime._base_client import Credential as CredentialRecord  # noqa: E402
from runtime._pagination import Pagination  # noqa: E402
from runtime._request import OPTION_KEYWORDS, Body, BodyShape, Deprecation, Operation, Param  # noqa: E402

__all__ = [
    "OPTION_KEYWORDS",
    "Body",
    "BodyShape",
    "CredentialRecord",
    "Deprecation",
    "Operation",
    "Pagination",
    "Param",
    "operation_from_json",
    "python_source",
    "to_json",
]


def python_source(value: object) -> str:
    """`value` as Python source that evaluates to an equal value, for a generated module to print.

    A record (a dataclass, or a runtime object whose attributes are its constructor's keywords) is a call with
    keywords, those at their default left out; tuples, lists and dicts are displays; every string and number is a
    literal made by the pipeline's one escape (codegen/escape.py `py_value`), so text from a vendor document stays
    data and can never become code.
    """
    if value is None or isinstance(value, bool | int | str):
        return py_value(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PipelineError(f"{value!r} has no Python literal")
        return py_value(value)
    if isinstance(value, tuple | list | Mapping):
        return _display(value)
    keywords = ", ".join(f"{name}={python_source(v)}" for name, v in _record_fields(value))
    return f"{type(value).__name__}({keywords})"


def _display(value: tuple[object, ...] | list[object] | Mapping[object, object]) -> str:
    """A tuple, list or dict display of the values' sources."""
    if isinstance(value, tuple):
        items = [python_source(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, list):
        return f"[{', '.join(python_source(v) for v in value)}]"
    return "{" + ", ".join(f"{python_source(k)}: {python_source(v)}" for k, v in value.items()) + "}"


def _record_fields(record: object) -> list[tuple[str, object]]:
    """(keyword, value) of the constructor arguments a record needs: an argument is left out when the record built
    without it has the same attributes (its default, or a value the record derives from the others)."""
    cls = type(record)
    if not dataclasses.is_dataclass(cls) and not getattr(cls, "__slots__", None):
        raise PipelineError(f"{cls.__name__} is no record: it cannot be printed as Python source")
    try:
        parameters = _parameters(cls)
        kwargs = {name: getattr(record, name) for name in parameters}
    except (TypeError, ValueError, AttributeError):
        raise PipelineError(f"{cls.__name__} is no record: it cannot be printed as Python source") from None
    for name, parameter in parameters.items():
        if parameter.default is not inspect.Parameter.empty:
            trial = {k: v for k, v in kwargs.items() if k != name}
            if _attributes(cls(**trial), parameters) == _attributes(record, parameters):
                kwargs = trial
    return list(kwargs.items())


_PARAMETERS: dict[type, Mapping[str, inspect.Parameter]] = {}


def _parameters(cls: type) -> Mapping[str, inspect.Parameter]:
    """A record class's constructor parameters, looked up once per class (Kubernetes apps prints 875 records)."""
    found = _PARAMETERS.get(cls)
    if found is None:
        found = _PARAMETERS[cls] = inspect.signature(cls).parameters
    return found


def _attributes(record: object, names: Mapping[str, object]) -> list[object]:
    return [getattr(record, name) for name in names]


def to_json(record: object) -> Any:
    """A record as JSON (`_operations.json`): its fields, records and tuples inside it as objects and arrays."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_json(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, tuple | list):
        return [to_json(v) for v in record]
    if isinstance(record, Mapping):
        return {str(k): to_json(v) for k, v in record.items()}
    return record


def operation_from_json(data: Mapping[str, Any]) -> Operation:
    """An `Operation` record read back from `_operations.json` (`to_json` of one)."""
    body = data.get("body")
    pagination = data.get("pagination")
    deprecation = data.get("deprecation")
    return Operation(
        **{k: data[k] for k in ("resource", "name", "operation_id", "method", "path", "endpoint")},
        params=tuple(_param(p) for p in data.get("params") or ()),
        body=_body(body) if body is not None else None,
        security=_security(data.get("security") or ()),
        idempotency_header=data.get("idempotency_header"),
        success_status=data.get("success_status"),
        success_statuses=tuple(data.get("success_statuses") or ()),
        unwrap=tuple(data.get("unwrap") or ()),
        deprecation=Deprecation(**deprecation) if deprecation is not None else None,
        pagination=_pagination(pagination) if pagination is not None else None,
    )


def _security(alternatives: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    """The security requirement's alternatives, each the schemes it needs together."""
    return tuple(tuple(alternative) for alternative in alternatives)


def _body(data: Mapping[str, Any]) -> Body:
    return Body(
        required=bool(data["required"]),
        fields=tuple(_param(p) for p in data["fields"]),
        shapes=tuple(
            BodyShape(
                name=s["name"],
                fields=tuple(s["fields"]),
                required=tuple(s["required"]),
                defaults=dict(s["defaults"]),
            )
            for s in data["shapes"]
        ),
        file=bool(data.get("file", False)),
    )


def _pagination(data: Mapping[str, Any]) -> Pagination:
    def path(key: str) -> tuple[str, ...] | None:
        value = data.get(key)
        return tuple(value) if value is not None else None

    return Pagination(
        kind=data["kind"],
        items=tuple(data["items"]),
        cursor=data["cursor"],
        size=data.get("size"),
        default_size=data.get("default_size"),
        reverse_cursor=data.get("reverse_cursor"),
        item_id=data.get("item_id", "id"),
        total=path("total"),
        next_cursor=path("next_cursor"),
        has_more=path("has_more"),
        pages=path("pages"),
        first_page=data.get("first_page", 1),
    )


def _param(data: Mapping[str, Any]) -> Param:
    return Param(**data)
