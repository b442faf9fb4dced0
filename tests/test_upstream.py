"""The one module that imports openapi-python-client (sdkpipeline/upstream.py) is written against one pinned version."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdkpipeline import upstream
from sdkpipeline.normalize import generator_rules
from sdkpipeline.spec.repo import Repo


def test_the_installed_generator_is_the_pinned_one() -> None:
    """A new generator version must be taken on purpose: the templates override its own by file name."""
    pyproject = tomllib.loads((Repo.default().root / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("openapi-python-client")]
    assert pins == [f"openapi-python-client=={upstream.GENERATOR_VERSION}"]
    assert metadata.version("openapi-python-client") == upstream.GENERATOR_VERSION


def test_the_generators_httpx_is_the_real_one_when_used() -> None:
    """upstream.py imports the generator with stand-ins for httpx and httpcore, which the pipeline never uses: in a
    fresh interpreter, neither is loaded by it; what the generator looks up on them is the real modules' (its URL
    fetching still works); a later `import httpx` gets the real module."""
    program = """
import sys, types
import sdkpipeline.upstream
assert not {"httpx", "httpcore", "ssl"} & set(sys.modules), sorted({"httpx", "httpcore", "ssl"} & set(sys.modules))
import openapi_python_client
assert callable(openapi_python_client.httpx.get)  # the real function, loaded on this first use
import httpx, httpcore
assert type(httpx) is types.ModuleType and type(httpcore) is types.ModuleType
assert openapi_python_client.httpx.get is httpx.get
assert openapi_python_client.httpcore.NetworkError is httpcore.NetworkError
print("ok")
"""
    env = {**os.environ, "PYTHONPATH": str(Path(upstream.__file__).parents[1])}
    run = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False)
    assert run.stdout.strip() == "ok", run.stderr


# The normalizer's copies of the generator's rules (sdkpipeline/normalize/generator_rules.py), held to the
# generator's own: names from any text, and whether each property class takes a default.
_NAMES = [
    "",
    "_",
    "__",
    "2",
    "1st",
    "id",
    "type",
    "self",
    "datetime",
    "class",
    "None",
    "import",
    "ASC",
    "asc",
    "GMT+0",
    "io.k8s.api.apps.v1.Deployment",
    "user-id",
    "user_id",
    "UserID",
    "HTTPServer",
    "xml2json",
    "Ünïcode naïve",
    "日本語",
    "a.b c-d_e",
    "ABC_def",
    "already_snake",
    "CamelCaseName",
    "x·y",
    "٣",
    "ǅungla",
    "  spaced  ",
]
_DEFAULTS: list[object] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2**70,
    1.0,
    1.5,
    -0.0,
    float("inf"),
    float("nan"),
    "",
    "0",
    "1",
    "1.0",
    "1.5",
    "1e3",
    "1e999",
    "-inf",
    "nan",
    "true",
    "TRUE",
    "False",
    "yes",
    "abc",
    "2024-01-31",
    "2024-13-01",
    "2024-01-31T10:00:00Z",
    "2024-01-31T10:00:00+02:00",
    "20240131",
    "550e8400-e29b-41d4-a716-446655440000",
    "{550e8400-e29b-41d4-a716-446655440000}",
    "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
    [],
    {},
    ["1"],
]


def _generator_takes(convert: Any, value: object) -> bool:
    """Whether a property class's `convert_value` takes a default: no PropertyError, no exception (inf and nan make
    IntProperty's conversion raise)."""
    try:
        return not isinstance(convert(value), upstream.PropertyError)
    except (ArithmeticError, TypeError, ValueError):
        return False


_CONVERTERS = {
    "takes_boolean": upstream.BooleanProperty.convert_value,
    "takes_float": upstream.FloatProperty.convert_value,
    "takes_int": upstream.IntProperty.convert_value,
    "takes_date": upstream.DateProperty.convert_value,
    "takes_datetime": upstream.DateTimeProperty.convert_value,
    "takes_uuid": upstream.UuidProperty.convert_value,
}


def _names_agree(text: str) -> None:
    assert generator_rules.snake_case(text) == upstream.snake_case(text)
    assert generator_rules.pascal_case(text) == upstream.pascal_case(text)
    assert generator_rules.class_name(text) == str(upstream.ClassName(text, generator_rules.FIELD_PREFIX))


@pytest.mark.parametrize("text", _NAMES)
def test_the_normalizers_name_rules_are_the_generators(text: str) -> None:
    _names_agree(text)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=24))
def test_the_normalizers_name_rules_are_the_generators_for_any_text(text: str) -> None:
    _names_agree(text)


def test_the_normalizers_name_constants_are_the_generators() -> None:
    from openapi_python_client import strings

    assert generator_rules.DELIMITERS == strings.DELIMITERS
    assert generator_rules.RESERVED_WORDS == strings.RESERVED_WORDS


@pytest.mark.parametrize("rule", sorted(_CONVERTERS))
@pytest.mark.parametrize("value", _DEFAULTS, ids=repr)
def test_the_normalizer_takes_the_defaults_the_generator_takes(rule: str, value: object) -> None:
    assert getattr(generator_rules, rule)(value) == _generator_takes(_CONVERTERS[rule], value)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40)))
def test_the_normalizer_takes_any_default_the_generator_takes(value: object) -> None:
    for rule, convert in _CONVERTERS.items():
        assert getattr(generator_rules, rule)(value) == _generator_takes(convert, value), rule


def test_the_normalizer_runs_without_the_generator() -> None:
    """The command normalizes in a process of its own while it imports the generator (codegen/generate.py): that
    process must not import it too. In a fresh interpreter, a document that exercises the naming and default
    passes (enum members, class names, defaults of every kind) normalizes with the generator never loaded."""
    program = """
import sys
from pathlib import Path
from sdkpipeline.normalize import load_overrides, normalize
from sdkpipeline.spec.prepare import prepare_spec
from sdkpipeline.spec.repo import Repo
prepared = prepare_spec(Path(sys.argv[1]), repo=Repo.default())
overrides = load_overrides(Path(sys.argv[1] + ".none"))
normalized, log = normalize(prepared.document, overrides, file=prepared.file, strict=False)
assert log.changes, "nothing was repaired: the document does not exercise the passes"
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("openapi_python_client", "pydantic", "jinja2"))
print(loaded or "none")
"""
    spec = Repo.default().root / "tests" / "data" / "corpus" / "large" / "k8s-apps-v1.json"
    env = {**os.environ, "PYTHONPATH": str(Path(upstream.__file__).parents[1])}
    run = subprocess.run(
        [sys.executable, "-c", program, str(spec)], env=env, capture_output=True, text=True, check=False
    )
    assert run.stdout.strip() == "none", run.stdout + run.stderr
