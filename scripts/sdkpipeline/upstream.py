"""openapi-python-client, the pinned generator: the one module that imports it (import-linter forbids it elsewhere).

codegen/generator.py drives it and reads its names from here. The normalizer applies the generator's naming and
parsing rules (class and enum member names, which defaults it takes) from its own copies
(normalize/generator_rules.py): it runs while this module is imported beside it, and never imports it. A new
generator version is read in this one place (pyproject.toml pins it; tests/test_upstream.py checks the two agree,
and the copies against the generator's own).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from .interrupts import signals_deferred


class _Deferred(types.ModuleType):
    """Stands in for a module while the generator is imported: the real one is imported on first use.

    openapi-python-client imports httpx and httpcore at its top only to fetch a document by URL, which the pipeline
    never asks of it (it hands the generator a file): 0.05 s of each run's 0.2 s of imports, with ssl and h11.
    """

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)  # what the import machinery looks up on a module in sys.modules
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attribute)


def _take_out(stand_ins: dict[str, _Deferred]) -> None:
    for name, stand_in in stand_ins.items():
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]


_DEFERRED = ("httpcore", "httpx")
_stand_ins = {name: _Deferred(name) for name in _DEFERRED if name not in sys.modules}
sys.modules.update(_stand_ins)
# Ctrl-C during this import (0.2 s) is held until it ends: raised inside pydantic's class machinery, it was
# swallowed ("Exception ignored in ...") or wrapped in a RuntimeError (Python 3.11) instead of ending the run.
try:
    with signals_deferred():
        from openapi_python_client import Project, strings
        from openapi_python_client.config import Config, ConfigFile, MetaType
        from openapi_python_client.parser import GeneratorData
        from openapi_python_client.parser import (
            openapi as endpoint_parser,
        )  # its copy of an endpoint: codegen/generator.py
        from openapi_python_client.parser.errors import ErrorLevel, GeneratorError, PropertyError
        from openapi_python_client.parser.openapi import Endpoint
        from openapi_python_client.parser.properties import AnyProperty, EnumProperty, ModelProperty, Property
        from openapi_python_client.parser.properties.boolean import BooleanProperty
        from openapi_python_client.parser.properties.const import ConstProperty
        from openapi_python_client.parser.properties.date import DateProperty
        from openapi_python_client.parser.properties.datetime import DateTimeProperty
        from openapi_python_client.parser.properties.file import FileProperty
        from openapi_python_client.parser.properties.float import FloatProperty
        from openapi_python_client.parser.properties.int import IntProperty
        from openapi_python_client.parser.properties.list_property import ListProperty
        from openapi_python_client.parser.properties.none import NoneProperty
        from openapi_python_client.parser.properties.protocol import Value
        from openapi_python_client.parser.properties.string import StringProperty
        from openapi_python_client.parser.properties.union import UnionProperty
        from openapi_python_client.parser.properties.uuid import UuidProperty
        from openapi_python_client.schema import OpenAPI, Reference, Schema, UntrustedString
        from openapi_python_client.strings import ClassName, pascal_case, snake_case
finally:
    # Taken out again: anything else that imports them gets the real modules; the generator's stand-ins
    # import them when used.
    _take_out(_stand_ins)
    del _stand_ins

# The version the pipeline and the templates are written against (pyproject.toml pins it exactly).
GENERATOR_VERSION = "0.29.1"

__all__ = [
    "GENERATOR_VERSION",
    "AnyProperty",
    "BooleanProperty",
    "ClassName",
    "Config",
    "ConfigFile",
    "ConstProperty",
    "DateProperty",
    "DateTimeProperty",
    "Endpoint",
    "EnumProperty",
    "ErrorLevel",
    "FileProperty",
    "FloatProperty",
    "GeneratorData",
    "GeneratorError",
    "IntProperty",
    "ListProperty",
    "MetaType",
    "ModelProperty",
    "NoneProperty",
    "OpenAPI",
    "Project",
    "Property",
    "PropertyError",
    "Reference",
    "Schema",
    "StringProperty",
    "UnionProperty",
    "UntrustedString",
    "UuidProperty",
    "Value",
    "endpoint_parser",
    "pascal_case",
    "snake_case",
    "strings",
]
