"""The models through both SDKs' clients (sync and async): forward-compatible parsing, strict on request,
writes that never fail after the server accepted them, plain values for enums, and how models read.

Each test that takes the `cn` or `fg` fixture runs twice: with the blocking client and with its async twin.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import cnaught_client
import fungies_client
import httpx
import pytest
from cnaught_client.models import GenericOrderByAmountParameters, OrderState
from fungies_client.models import OrderStatus

from .conftest import Server, cn_order, collect, fg_order, fg_success, json_response, resolve


def _fg_page(orders: list[dict[str, Any]]) -> dict[str, Any]:
    return fg_success({"orders": orders, "count": len(orders)})


def _fg_orders(count: int) -> list[dict[str, Any]]:
    return [{**fg_order(str(1000 + i)), "currency": "EUR"} for i in range(count)]


# --- a value the API adds later ---------------------------------------------------------------------------


async def test_cnaught_new_state_in_a_single_response_is_kept(cn: Any, server: Server) -> None:
    """`"state": "refunded"` (not in the spec) parses into a pseudo-member of OrderState; the call succeeds."""
    body = cn_order(state="refunded")
    server.reply(json_response(200, body))
    order = await resolve(cn().orders.retrieve("a"))
    assert isinstance(order.state, OrderState)
    assert order.state == "refunded"
    assert not order.state.known
    assert order.to_dict() == body


async def test_cnaught_new_state_in_a_list_page_is_kept(cn: Any, server: Server) -> None:
    """One order with a new state does not fail the page: every order is there, the new state kept."""
    orders = [cn_order("o1"), cn_order("o2", state="refunded"), cn_order("o3", state="fulfilled")]
    server.reply(json_response(200, {"data": orders}))
    items = await collect(cn().orders.list(limit=20))
    assert [o.id for o in items] == ["o1", "o2", "o3"]
    assert [o.state for o in items] == ["placed", "refunded", "fulfilled"]
    assert items[0].state is OrderState.PLACED and not items[1].state.known


async def test_fungies_new_status_in_a_single_response_is_kept(fg: Any, server: Server) -> None:
    """`"status": "REFUND_PENDING"` and an unknown field parse; the order round-trips to the same JSON."""
    body = {**fg_order(status="REFUND_PENDING"), "riskScore": 7}
    server.reply(json_response(200, fg_success({"order": body})))
    order = await resolve(fg().orders.retrieve("1001"))
    assert isinstance(order.status, OrderStatus)
    assert order.status == "REFUND_PENDING" and not order.status.known
    assert order["riskScore"] == 7
    assert order.to_dict() == body


async def test_fungies_new_status_in_a_list_page_is_kept(fg: Any, server: Server) -> None:
    """One order of a page with a new status: the page parses, the others keep their documented members."""
    orders = _fg_orders(3)
    orders[1]["status"] = "REFUND_PENDING"
    server.reply(json_response(200, _fg_page(orders)))
    items = await collect(fg().orders.list())
    assert [o.status for o in items] == ["PAID", "REFUND_PENDING", "PAID"]
    assert items[0].status is OrderStatus.PAID and not items[1].status.known


async def test_fungies_forgotten_null_does_not_fail(fg: Any, server: Server) -> None:
    """A null in a field the spec does not mark nullable (a required string) is kept as None."""
    body = {**fg_order(), "number": None}
    server.reply(json_response(200, fg_success({"order": body})))
    order = await resolve(fg().orders.retrieve("1001"))
    assert order.number is None


# --- a write the server accepted --------------------------------------------------------------------------


async def test_cnaught_200_to_a_documented_201_write_returns_the_order(cn: Any, server: Server) -> None:
    """orders.create documents 201; a 200 with the order parses as the 201 model, with no error or warning."""
    server.reply(json_response(200, cn_order("new")))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        order = await resolve(cn().orders.create(body=GenericOrderByAmountParameters(amount_kg=10)))
    assert isinstance(order, cnaught_client.models.Order)
    assert order.id == "new"
    assert len(server.requests) == 1


async def test_cnaught_write_whose_body_does_not_fit_returns_what_fits(cn: Any, server: Server) -> None:
    """A 201 whose allocations are not a list: the order is returned (what does not fit kept aside), and a warning
    names the operation and path; the raw body stays reachable through with_raw_response."""
    body = {**cn_order("new"), "project_allocations": "pending"}
    server.reply(json_response(201, body))
    with pytest.warns(cnaught_client.ResponseValidationWarning) as caught:
        order = await resolve(cn().orders.create(body=GenericOrderByAmountParameters(amount_kg=10)))
    assert order.id == "new" and order.state is OrderState.PLACED
    assert order["project_allocations"] == "pending"
    assert order.to_dict() == body
    (warning,) = caught
    assert str(warning.message) == (
        "orders.create (SubmitOrder): the HTTP 201 body does not fit Order: project_allocations: expected a list, "
        "got a string (the write succeeded)"
    )
    raw = await resolve(cn().orders.with_raw_response.create(body=GenericOrderByAmountParameters(amount_kg=10)))
    assert raw.json() == body


async def test_cnaught_write_answered_without_a_body_does_not_raise(cn: Any, server: Server) -> None:
    """A 201 with an empty body: an Order with nothing set (reading a required field says so), and a warning."""
    server.reply(httpx.Response(201))
    with pytest.warns(cnaught_client.ResponseValidationWarning, match="HTTP 201 body does not fit Order: the body:"):
        order = await resolve(cn().orders.cancel("a"))
    assert isinstance(order, cnaught_client.models.Order)
    assert order.to_dict() == {}


# --- a body that cannot be represented, and strict mode ---------------------------------------------------


async def test_fungies_wrong_shaped_list_body_names_operation_and_path(fg: Any, server: Server) -> None:
    """An object where the fourth order's currency should be: the error names data.orders[3].currency."""
    orders = _fg_orders(5)
    orders[3]["currency"] = {"code": "EUR"}
    server.reply(json_response(200, _fg_page(orders)))
    with pytest.raises(fungies_client.APIResponseValidationError) as info:
        await collect(fg().orders.list())
    assert info.value.path == "data.orders[3].currency"
    assert info.value.field == "currency"
    assert info.value.operation == "orders.list"
    assert str(info.value) == (
        "orders.list (GetV0OrdersList): the HTTP 200 body does not fit OrderListResponse: "
        "data.orders[3].currency: expected a value of Currency, got an object"
    )


async def test_cnaught_strict_fails_on_a_new_state_with_the_path(cn: Any, server: Server) -> None:
    """strict_response_validation=True: the unknown state is an APIResponseValidationError at `state`."""
    server.reply(json_response(200, cn_order(state="refunded")))
    with pytest.raises(cnaught_client.APIResponseValidationError) as info:
        await resolve(cn(strict_response_validation=True).orders.retrieve("a"))
    assert info.value.path == "state"
    assert "'refunded' is not a value of OrderState" in str(info.value)


async def test_fungies_strict_fails_on_a_wrong_type_in_a_page_with_the_path(fg: Any, server: Server) -> None:
    """Strict (set with with_options): a string where createdAt is an integer fails at its path in the page."""
    orders = _fg_orders(3)
    orders[2]["createdAt"] = "yesterday"
    server.reply(json_response(200, _fg_page(orders)))
    client = fg().with_options(strict_response_validation=True)
    assert client.strict_response_validation is True
    with pytest.raises(fungies_client.APIResponseValidationError) as info:
        await collect(client.orders.list())
    assert info.value.path == "data.orders[2].createdAt"
    assert "expected an integer, got a string" in str(info.value)


# --- enum values as plain strings ---------------------------------------------------------------------------


async def test_fungies_string_enum_values_in_a_query(fg: Any, server: Server) -> None:
    """`statuses=["PAID"]` and an enum member are sent alike, as their values."""
    server.reply(json_response(200, _fg_page(_fg_orders(1))))
    await collect(fg().orders.list(statuses=["PAID", OrderStatus.CANCELLED], order_direction="desc"))
    params = server.requests[0].url.params
    assert params.get_list("statuses") == ["PAID", "CANCELLED"]
    assert params["orderDirection"] == "desc"


async def test_fungies_string_enum_value_in_a_body_field(fg: Any, server: Server) -> None:
    """A body field of enum type takes its plain value and sends it under its JSON key (and nothing else)."""
    server.reply(json_response(200, fg_success({})))
    await resolve(fg().subscriptions.cancel("s1", cancel_option="endInterval"))
    assert json.loads(server.last.read()) == {"cancelOption": "endInterval"}


def test_model_fields_take_enum_values_as_strings() -> None:
    """A model built with the plain value serialises like one built with the member (and only what was given)."""
    by_value = fungies_client.models.SubscriptionCancelParams(cancel_option="endInterval")
    member = fungies_client.models.SubscriptionCancelParamsCancelOption
    by_member = fungies_client.models.SubscriptionCancelParams(cancel_option=member.ENDINTERVAL)
    assert by_value.to_dict() == by_member.to_dict() == {"cancelOption": "endInterval"}


# --- absent and null: optional fields read None, model_fields_set tells them apart -------------------------


async def test_cnaught_absent_and_null_fields_read_none_and_are_told_apart(cn: Any, server: Server) -> None:
    """`metadata: null` and a left-out `subaccount_id` both read None; only the null one is set; the body
    comes back unchanged (null kept, absent left out)."""
    body = {**cn_order(), "metadata": None}
    server.reply(json_response(200, body))
    order = await resolve(cn().orders.retrieve("a"))
    assert order.metadata is None and order.subaccount_id is None
    assert "metadata" in order.model_fields_set and "subaccount_id" not in order.model_fields_set
    assert order.to_dict() == body


async def test_fungies_absent_and_null_fields_read_none_and_are_told_apart(fg: Any, server: Server) -> None:
    """An order with `country: null` and no `currency`: both None, only country set; `value` (server default 0)
    is None when absent: the SDK never invents a value the server did not send."""
    body = {**fg_order(), "country": None}
    server.reply(json_response(200, fg_success({"order": body})))
    order = await resolve(fg().orders.cancel("1001"))
    assert order.country is None and order.currency is None and order.value is None
    assert order.model_fields_set == {"id", "number", "status", "created_at", "order_number", "country"}
    assert order.to_dict() == body


# --- dict(model) and model_copy --------------------------------------------------------------------------


async def test_dict_of_a_returned_model_gives_every_field(cn: Any, server: Server) -> None:
    """`dict(order)`: each field by attribute name (None where not set), then the unknown fields."""
    server.reply(json_response(200, {**cn_order(), "carbon_score": 3}))
    order = await resolve(cn().orders.retrieve("a"))
    as_dict = dict(order)
    assert list(as_dict)[: len(order._fields)] == [attr for attr, _ in order._fields]
    assert as_dict["id"] == "Gre28Fc35bt3" and as_dict["state"] is OrderState.PLACED
    assert as_dict["metadata"] is None and as_dict["carbon_score"] == 3


async def test_a_copied_request_model_sends_its_update(fg: Any, server: Server) -> None:
    """`model_copy(update=...)` of a body model: the copy sends the original's fields with the update; the
    original is unchanged."""
    server.reply(json_response(200, fg_success({"offer": {"id": "o1"}})))
    params = fungies_client.models.OfferUpdateParams(id="o1", name="Summer", tags=[])
    renamed = params.model_copy(update={"name": "Winter"})
    await resolve(fg().offers.update("o1", body=renamed))
    assert json.loads(server.last.read()) == {"id": "o1", "name": "Winter", "tags": []}
    assert params.name == "Summer" and renamed.tags is params.tags
    assert renamed.model_copy(deep=True).tags is not params.tags


# --- how a model reads -------------------------------------------------------------------------------------


async def test_repr_to_dict_and_to_json_of_a_parsed_order(cn: Any, server: Server) -> None:
    """repr shows the fields that are set and nothing unset; to_dict and to_json give the body back."""
    body = cn_order()
    server.reply(json_response(200, body))
    order = await resolve(cn().orders.retrieve("a"))
    shown = repr(order)
    assert shown.startswith(
        "Order(id='Gre28Fc35bt3', amount_kg=10.5, price_usd_cents=2350, order_number='47726-53238-46633-33562-7433',"
    )
    assert "certificate_public_url=None" in shown
    assert "Unset" not in shown and "UNSET" not in shown and "metadata" not in shown
    assert order.to_dict() == body
    assert json.loads(order.to_json()) == body


def test_model_constructors_are_keyword_only() -> None:
    """A positional argument is a TypeError in both SDKs, so the spec's property order never matters."""
    with pytest.raises(TypeError, match="positional"):
        cnaught_client.models.GenericOrderByAmountParameters(10)
    with pytest.raises(TypeError, match="positional"):
        fungies_client.models.Order("5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11", "1001")
    order = fungies_client.models.Order(
        id="5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11", number="1001", status="PAID", created_at=None, order_number="1001"
    )
    assert order.to_dict()["status"] == "PAID"
