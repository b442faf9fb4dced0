"""The seam to openapi-python-client (codegen/generator.py) is written against one pinned version."""

from __future__ import annotations

import tomllib
from importlib import metadata

from sdkpipeline.codegen import generator
from sdkpipeline.spec.repo import Repo


def test_the_installed_generator_is_the_pinned_one() -> None:
    """A new generator version must be taken on purpose: the templates override its own by file name."""
    pyproject = tomllib.loads((Repo.default().root / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("openapi-python-client")]
    assert pins == [f"openapi-python-client=={generator.GENERATOR_VERSION}"]
    assert metadata.version("openapi-python-client") == generator.GENERATOR_VERSION


def test_identifiers_are_the_generators() -> None:
    """Module, function and argument names the model computes match what the generator writes."""
    assert generator.identifier("GetListOfOrder") == "get_list_of_order"
    assert generator.identifier("X-Subaccount-Id") == "x_subaccount_id"
    assert generator.identifier("1st") == "field_1st"


def test_readable_replaces_untrusted_string_reprs() -> None:
    text = "bad <openapi_python_client.schema.untrusted_string.UntrustedString object at 0x7f00ab> here"
    assert generator.readable(text) == "bad … here"
