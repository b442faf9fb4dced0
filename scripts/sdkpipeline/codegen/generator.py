"""The one seam to openapi-python-client: everything the pipeline uses of it, typed, in one module.

Only the generator's public names are used (`Project`, `Config`, `GeneratorData`, the parsed `Endpoint`
and property objects); the version is pinned in pyproject.toml and checked by tests/codegen/test_generator.py,
which also exercises every attribute this module and codegen/model.py read.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_python_client import Project, strings
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
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
from openapi_python_client.parser.properties.string import StringProperty
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.parser.properties.uuid import UuidProperty

from ..errors import PipelineError

# The version this module and the templates are written against (pyproject.toml pins it exactly).
GENERATOR_VERSION = "0.29.1"
# Prefix the generator gives a field whose name is not a valid identifier ('1st' → 'field_1st').
FIELD_PREFIX = "field_"

__all__ = [
    "FIELD_PREFIX",
    "GENERATOR_VERSION",
    "AnyProperty",
    "BooleanProperty",
    "ConstProperty",
    "DateProperty",
    "DateTimeProperty",
    "Endpoint",
    "EnumProperty",
    "FileProperty",
    "FloatProperty",
    "GeneratorData",
    "IntProperty",
    "ListProperty",
    "ModelProperty",
    "NoneProperty",
    "Parsed",
    "Property",
    "StringProperty",
    "UnionProperty",
    "UuidProperty",
    "build",
    "identifier",
    "parse",
    "safe_for_docstring",
    "untrusted_text",
]


@dataclass(frozen=True)
class Parsed:
    """The generator's reading of a normalized spec, and the project that renders it."""

    data: GeneratorData
    project: Project

    def endpoints(self) -> Iterator[tuple[str, Endpoint]]:
        """(tag module name, endpoint) for every operation the generator parsed."""
        for tag, collection in self.data.endpoint_collections_by_tag.items():
            for endpoint in collection.endpoints:
                yield str(tag), endpoint

    def models_by_class(self) -> dict[str, ModelProperty]:
        """Every model the generator made, by class name, with its fields (a reference to it may lack them)."""
        return {str(model.class_info.name): model for model in self.data.models}

    def problems(self) -> list[GeneratorError]:
        """What the generator could not parse (it would drop the endpoint or schema and carry on)."""
        found: list[GeneratorError] = list(self.data.errors)
        for collection in self.data.endpoint_collections_by_tag.values():
            found.extend(collection.parse_errors)
        return found


def safe_for_docstring(text: object) -> str:
    """Spec text made safe to print inside a triple-quoted docstring (the generator's own escaping)."""
    return strings.safe_for_docstring(text)


def untrusted_text(value: object) -> str:
    """The text of one of the generator's UntrustedString values (or of a plain string)."""
    get = getattr(value, "get_untrusted_value", None)
    return str(get()) if callable(get) else str(value)


def identifier(name: str) -> str:
    """The generator's Python identifier for a name (module, function and argument names)."""
    return str(strings.PythonIdentifier(name, FIELD_PREFIX))


def parse(
    document: Mapping[str, Any],
    *,
    document_file: Path,
    output: Path,
    dist_name: str,
    package: str,
    version: str,
    templates: Path,
    spec_path: Path,
) -> Parsed:
    """Parse a normalized spec with our settings; errors are reported against the user's `spec_path`."""
    config = Config.from_sources(
        ConfigFile(
            project_name_override=dist_name,
            package_name_override=package,
            package_version_override=version,
            post_hooks=[],  # the pipeline runs the pinned ruff itself, once
            field_prefix=FIELD_PREFIX,
            literal_enums=False,
            # A schema's `title` is its class name as it stands: the normalizer titles the classes a user
            # meets (`OrderUpdateParams`, normalize/passes/sdk.py name_sdk_classes), inline ones too.
            use_path_prefixes_for_title_model_names=False,
        ),
        meta_type=MetaType.UV,
        document_source=document_file,
        file_encoding="utf-8",
        overwrite=True,
        output_path=output,
    )
    data = GeneratorData.from_dict(dict(document), config=config)
    if isinstance(data, GeneratorError):
        raise PipelineError(
            f"openapi-python-client rejected the normalized spec: {data.header}: {readable(data.detail)}",
            file=spec_path,
        )
    return Parsed(data=data, project=Project(openapi=data, config=config, custom_template_path=templates))


def build(parsed: Parsed) -> Sequence[GeneratorError]:
    """Render the generator's own files (models, endpoint modules, client, pyproject, README)."""
    # The generator prints "Generating <temporary dir>"; our CLI reports the result itself.
    with contextlib.redirect_stdout(io.StringIO()):
        return parsed.project.build()


def refuse(errors: Sequence[GeneratorError], spec_path: Path) -> None:
    """Fail on any generator problem: its default is to drop an endpoint or schema and carry on."""
    if errors:
        details = "\n".join(f"  - {e.header}: {readable(e.detail)}" if e.detail else f"  - {e.header}" for e in errors)
        raise PipelineError(
            f"openapi-python-client reported {len(errors)} problem(s) with the normalized spec; "
            f"nothing was written:\n{details}",
            file=spec_path,
            hint="fix it with a normalizer pass or an override, never by editing generated code",
        )


_UNTRUSTED = re.compile(r"<openapi_python_client\.schema\.untrusted_string\.UntrustedString object at 0x[0-9a-f]+>")


def readable(detail: object) -> str:
    """The generator's messages embed reprs of its UntrustedString values: show their text."""
    return _UNTRUSTED.sub("…", str(detail))
