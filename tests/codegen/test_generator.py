"""Codegen's side of openapi-python-client (codegen/generator.py): its identifiers and its readable messages."""

from __future__ import annotations

from sdkpipeline.codegen import generator


def test_identifiers_are_the_generators() -> None:
    """Module, function and argument names the model computes match what the generator writes."""
    assert generator.identifier("GetListOfOrder") == "get_list_of_order"
    assert generator.identifier("X-Subaccount-Id") == "x_subaccount_id"
    assert generator.identifier("1st") == "field_1st"


def test_readable_replaces_untrusted_string_reprs() -> None:
    text = "bad <openapi_python_client.schema.untrusted_string.UntrustedString object at 0x7f00ab> here"
    assert generator.readable(text) == "bad … here"
