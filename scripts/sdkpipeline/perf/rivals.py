"""The model layers the parsing bench puts beside this pipeline's: the baseline models and pydantic v2.

- **Baseline models**: what the pipeline generated before the runtime model layer (templates/runtime/_models.py),
  i.e. openapi-python-client's own model and property templates plus the two property-template overrides
  this repository then had (a plain-value union read by a cast; a list of `Any` without one). Those two are
  kept byte for byte in perf/baseline/property_templates; the bench runs the generator's CLI on the same
  normalized spec with them, so the baseline is regenerated in every run rather than copied from history.
- **pydantic v2**: models made by datamodel-code-generator (pinned in the bench dependency group) from the
  same normalized spec, one module per body with its root class `Body`. String patterns are left out (our
  models check none either); everything else is the generator's default reading (enums as Enum classes,
  uuid as UUID, email as EmailStr).

And the measure of generated model code the bench reports: physical lines per declared field.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import PipelineError
from ..spec.pointer import resolve_ref
from ..spec.registry import Api

BASELINE_TEMPLATES = Path(__file__).parent / "baseline"
PYDANTIC_ROOT = "Body"


# --- the baseline models ----------------------------------------------------------------------------


def baseline_package_dir(work: Path, api: Api) -> Path:
    """Where the baseline models of an API are generated (`--meta none`: the directory is the package)."""
    return work / "baseline" / api.name / f"baseline_{api.package}"


def baseline_argv(normalized_spec: Path, out: Path) -> list[str]:
    """The generator's CLI on the normalized spec with the baseline templates (default post-hooks: ruff)."""
    return [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(normalized_spec),
        "--output-path",
        str(out),
        "--meta",
        "none",
        "--custom-template-path",
        str(BASELINE_TEMPLATES),
    ]


# --- pydantic ----------------------------------------------------------------------------------------


def without_patterns(node: Any) -> Any:
    """A copy of a spec with every string `pattern` keyword left out."""
    if isinstance(node, dict):
        return {k: without_patterns(v) for k, v in node.items() if not (k == "pattern" and isinstance(v, str))}
    if isinstance(node, list):
        return [without_patterns(v) for v in node]
    return node


def pydantic_schema(doc: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema document for datamodel-code-generator: the body's schema at the root (a `$ref` resolved,
    so the root is a model of its own and not a wrapper), the spec's components beside it, no patterns."""
    root = response
    if "$ref" in root:
        found = resolve_ref(doc, str(root["$ref"]))
        if not isinstance(found, dict):
            raise PipelineError(f"$ref {root['$ref']} does not point at a schema")
        root = found
    schema = copy.deepcopy(root)
    schema["title"] = PYDANTIC_ROOT
    schema["components"] = copy.deepcopy(doc.get("components") or {})
    result: dict[str, Any] = without_patterns(schema)
    return result


def pydantic_argv(schema_file: Path, out_file: Path) -> list[str]:
    """datamodel-code-generator's CLI: pydantic v2 models of one JSON Schema document, root class `Body`."""
    return [
        sys.executable,
        "-m",
        "datamodel_code_generator",
        "--input",
        str(schema_file),
        "--input-file-type",
        "jsonschema",
        "--output",
        str(out_file),
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--target-python-version",
        "3.11",
        "--class-name",
        PYDANTIC_ROOT,
    ]


def write_pydantic_input(doc: dict[str, Any], response: dict[str, Any], schema_file: Path) -> None:
    schema_file.parent.mkdir(parents=True, exist_ok=True)
    schema_file.write_text(json.dumps(pydantic_schema(doc, response)), encoding="utf-8")


def load_module(path: Path, name: str) -> ModuleType:
    """A generated module imported from its file under a unique name."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PipelineError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pydantic_parsers(module: ModuleType) -> tuple[Callable[[Any], Any], Callable[[bytes], Any]]:
    """(model_validate, model_validate_json) of a generated module's root class."""
    root = getattr(module, PYDANTIC_ROOT)
    return root.model_validate, root.model_validate_json


# --- lines per field -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelCode:
    """The generated model modules of a package: modules, declared fields and physical lines."""

    modules: int
    fields: int
    lines: int
    enum_modules: int
    enum_lines: int

    @property
    def lines_per_field(self) -> float:
        return self.lines / self.fields if self.fields else 0.0

    @property
    def lines_per_field_with_enums(self) -> float:
        return (self.lines + self.enum_lines) / self.fields if self.fields else 0.0


def model_code(models_dir: Path) -> ModelCode:
    """Count the model modules under `models_dir` (not `__init__.py`).

    A field is an annotated assignment in a class body other than `additional_properties` and class
    variables; a module whose classes are all enums counts apart (it declares values, not fields). Lines
    are every line of the file: header, imports, docstrings and blank lines included.
    """
    modules = fields = lines = enum_modules = enum_lines = 0
    for path in sorted(models_dir.glob("*.py")):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        classes = [node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]
        if classes and all(_is_enum(cls) for cls in classes):
            enum_modules += 1
            enum_lines += source.count("\n")
            continue
        modules += 1
        lines += source.count("\n")
        fields += sum(_fields(cls) for cls in classes)
    return ModelCode(modules, fields, lines, enum_modules, enum_lines)


def _is_enum(cls: ast.ClassDef) -> bool:
    return any(isinstance(base, ast.Name) and base.id.endswith("Enum") for base in cls.bases)


def _fields(cls: ast.ClassDef) -> int:
    count = 0
    for statement in cls.body:
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            continue
        if statement.target.id == "additional_properties" or "ClassVar" in ast.unparse(statement.annotation):
            continue
        count += 1
    return count
