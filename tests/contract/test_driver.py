"""The replay driver: a recorded request read through the SDK model, and where it refuses to guess.

Whatever the model says that a call cannot express fails naming the operation and the parameter.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.testing.contract import ResourceCall, load_operations, read_request, sdk_client, server_url

CN = server_url("cnaught")
FG = server_url("fungies")


def test_path_query_and_renamed_header_become_the_methods_arguments() -> None:
    """Path parameters go positionally, query and header parameters by keyword (X-Subaccount-Id → subaccount_id)."""
    operation = load_operations("cnaught")["GetListOfOrder"]
    call = read_request(
        operation,
        uri=f"{CN}/orders?limit=5&starting_after=abc",
        body=None,
        content_type=None,
        base_url=CN,
        headers={"X-Subaccount-Id": ["sub_1"], "Authorization": ["Bearer <scrubbed>"]},
    ).resource_call()
    assert (call.attribute, call.args, dict(call.kwargs)) == (
        "orders",
        (),
        {"limit": 5, "starting_after": "abc", "subaccount_id": "sub_1"},
    )
    retrieve = load_operations("cnaught")["GetOrderById"]
    call = read_request(retrieve, uri=f"{CN}/orders/Gre28Fc35bt3", body=None, content_type=None, base_url=CN)
    assert str(call.resource_call()) == "orders.retrieve('Gre28Fc35bt3')"


def test_flattened_body_is_one_keyword_per_field() -> None:
    """A flattened body is spread over the field keywords; the function layer still gets `body=` the model."""
    operation = load_operations("cnaught")["RequestFlightQuote"]
    assert operation.record.body is not None and operation.record.body.shapes
    recorded = read_request(
        operation,
        uri=f"{CN}/quotes/flight",
        body=json.dumps({"distance_km": 1200, "portfolio_id": None}).encode(),
        content_type="application/json",
        base_url=CN,
    )
    kwargs = recorded.resource_call().kwargs
    # The fields the body has, a null one too; an absent one is not passed (a keyword not passed sends nothing).
    assert kwargs["distance_km"] == 1200 and kwargs["portfolio_id"] is None
    assert "source" not in kwargs
    assert "body" not in kwargs
    assert type(recorded.function_arguments()["body"]).__name__ == "FlightQuoteParameters"


def test_unknown_query_parameter_is_refused() -> None:
    operation = load_operations("cnaught")["GetListOfOrder"]
    with pytest.raises(PipelineError, match=r"GetListOfOrder: the request's query parameter 'page' is none"):
        read_request(operation, uri=f"{CN}/orders?page=2", body=None, content_type=None, base_url=CN)


def test_missing_required_parameter_is_refused() -> None:
    """A record whose required query parameter the request lacks fails naming the keyword and the wire name."""
    operation = load_operations("fungies")["GetV0OrdersList"]
    take = next(p for p in operation.record.params if p.wire_name == "take")
    record = dataclasses.replace(
        operation.record,
        params=tuple(dataclasses.replace(p, required=True) if p is take else p for p in operation.record.params),
    )
    changed = dataclasses.replace(operation, record=record)
    with pytest.raises(PipelineError, match=r"GetV0OrdersList: .* required take \(query 'take'\)"):
        read_request(changed, uri=f"{FG}/v0/orders/list", body=None, content_type=None, base_url=FG)


def test_body_field_the_flattened_method_cannot_send_is_refused() -> None:
    """A body field with no keyword (kept by the model as an additional property) fails, naming it."""
    operation = load_operations("cnaught")["RequestFlightQuote"]
    body = json.dumps({"distance_km": 1, "surprise": True}).encode()
    recorded = read_request(
        operation, uri=f"{CN}/quotes/flight", body=body, content_type="application/json", base_url=CN
    )
    with pytest.raises(PipelineError, match=r"RequestFlightQuote: quotes.flight\(\) .* \['surprise'\]"):
        recorded.resource_call()


def test_body_for_an_operation_without_one_is_refused() -> None:
    operation = load_operations("cnaught")["GetOrderById"]
    with pytest.raises(PipelineError, match="GetOrderById: the request carries a body"):
        read_request(operation, uri=f"{CN}/orders/x", body=b"{}", content_type="application/json", base_url=CN)


def test_call_the_method_cannot_take_is_refused() -> None:
    """A keyword the method's signature lacks, or a method the client lacks, fails before anything is sent."""
    operation = load_operations("cnaught")["GetOrderById"]
    client = sdk_client("cnaught", CN)
    with pytest.raises(PipelineError, match=r"GetOrderById: CNaught.orders.retrieve cannot take .*colour"):
        ResourceCall(operation, ("id1",), {"colour": "red"}).method(client)
    renamed = dataclasses.replace(operation, record=dataclasses.replace(operation.record, name="fetch"))
    with pytest.raises(PipelineError, match=r"GetOrderById: CNaught.orders.fetch does not exist"):
        ResourceCall(renamed, ("id1",), {}).method(client)
    client.close()
