"""Codegen's side of openapi-python-client (codegen/generator.py): its identifiers and its readable messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from sdkpipeline.codegen import generator


def test_identifiers_are_the_generators() -> None:
    """Module, function and argument names the model computes match what the generator writes."""
    assert generator.identifier("GetListOfOrder") == "get_list_of_order"
    assert generator.identifier("X-Subaccount-Id") == "x_subaccount_id"
    assert generator.identifier("1st") == "field_1st"


def test_readable_replaces_untrusted_string_reprs() -> None:
    text = "bad <openapi_python_client.schema.untrusted_string.UntrustedString object at 0x7f00ab> here"
    assert generator.readable(text) == "bad … here"


def test_the_endpoint_templates_macros_are_made_once_per_run(tmp_path: Path) -> None:
    """The generator renders the endpoint template with a global of its own (`isbool`); the template it imports its
    macros from must have every global the importer has, or Jinja makes that module again for each endpoint module
    (Kubernetes apps: 77 times) instead of reusing the one it made."""
    from .fragments import document, parse_fragment

    env = parse_fragment(document({}), tmp_path).project.env
    macros = env.get_template("endpoint_macros.py.jinja")
    # What the generator does: the importing template gets `isbool` as a global of its own.
    importer = env.from_string('{% from "endpoint_macros.py.jinja" import kwargs %}x', globals={"isbool": bool})
    made: list[object] = []
    make_module = type(macros).make_module

    def counted(self: jinja2.Template, *args: Any, **kwargs: Any) -> Any:
        made.append(self)
        return make_module(self, *args, **kwargs)

    type(macros).make_module = counted  # type: ignore[method-assign]
    try:
        for _ in range(3):
            assert importer.render() == "x"
    finally:
        type(macros).make_module = make_module  # type: ignore[method-assign]
    assert made.count(macros) <= 1
