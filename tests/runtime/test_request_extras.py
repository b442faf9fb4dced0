"""extra_query and extra_body on the wire, and the resource an envelope carries (templates/runtime/_base_client.py)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from .surface_runtime import runtime_module

base = runtime_module("_base_client")
request = runtime_module("_request")
exceptions = runtime_module("_exceptions")

OP = request.Operation(name="orders.create", operation_id="SubmitOrder", method="POST")


def _client(seen: list[httpx.Request], reply: httpx.Response | None = None) -> Any:
    def handler(sent: httpx.Request) -> httpx.Response:
        seen.append(sent)
        return reply or httpx.Response(200, json={})

    return base.SyncAPIClient(
        keys={},
        base_url="https://api.example",
        timeout=base.NOT_GIVEN,
        max_retries=0,
        default_headers=None,
        user_agent="t",
        random_fn=None,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=None,
    )


def _send(kwargs: dict[str, Any], options: Any) -> httpx.Request:
    seen: list[httpx.Request] = []
    _client(seen).request(OP, kwargs, lambda **_: None, options)
    (sent,) = seen
    return sent


def test_extra_query_is_added_to_the_sdks_parameters_and_wins() -> None:
    kwargs = {"method": "get", "url": "/orders", "params": {"limit": 5, "status": "a"}}
    sent = _send(kwargs, request.RequestOptions(extra_query={"status": "b", "beta": "1"}))
    assert sorted(sent.url.params.multi_items()) == [("beta", "1"), ("limit", "5"), ("status", "b")]


def test_extra_body_is_merged_into_the_json_body() -> None:
    kwargs = {"method": "post", "url": "/orders", "json": {"amount_kg": 10}}
    sent = _send(kwargs, request.RequestOptions(extra_body={"source": "checkout"}))
    assert json.loads(sent.content) == {"amount_kg": 10, "source": "checkout"}


def test_extra_body_is_the_json_body_of_a_request_without_one() -> None:
    sent = _send({"method": "post", "url": "/orders/a/cancel"}, request.RequestOptions(extra_body={"reason": "dup"}))
    assert json.loads(sent.content) == {"reason": "dup"}


def test_extra_body_is_merged_into_a_form() -> None:
    kwargs = {"method": "post", "url": "/forms", "data": {"a": "1"}}
    sent = _send(kwargs, request.RequestOptions(extra_body={"b": "2"}))
    assert sent.content == b"a=1&b=2"


def test_extra_body_beside_raw_content_is_refused_before_sending() -> None:
    seen: list[httpx.Request] = []
    kwargs = {"method": "put", "url": "/logo", "content": b"\x89PNG"}
    with pytest.raises(TypeError, match=r"orders\.create: extra_body needs a JSON object or form body"):
        _client(seen).request(OP, kwargs, lambda **_: None, request.RequestOptions(extra_body={"x": 1}))
    assert seen == []


class Unset:
    """The generated packages' marker of an absent field (matched by its class name)."""


class Holder:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


ENVELOPED = request.Operation(name="orders.cancel", operation_id="Cancel", method="PATCH", unwrap=("data", "order"))


def test_the_method_returns_what_the_envelope_carries() -> None:
    order = Holder(id="o-1")
    seen: list[httpx.Request] = []
    result = _client(seen).request(
        ENVELOPED,
        {"method": "patch", "url": "/x"},
        lambda **_: Holder(data=Holder(order=order)),
        request.RequestOptions(),
    )
    assert result is order


@pytest.mark.parametrize("data", [Holder(order=None), Holder(order=Unset()), Holder()])
def test_an_envelope_without_its_resource_names_the_path(data: Holder) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(exceptions.APIResponseValidationError) as info:
        _client(seen).request(
            ENVELOPED, {"method": "patch", "url": "/x"}, lambda **_: Holder(data=data), request.RequestOptions()
        )
    assert info.value.field == "data.order"
    assert str(info.value).startswith(
        "orders.cancel (Cancel): the response body has no data.order to return (HTTP 200)"
    )


def test_a_raw_response_parses_to_what_the_method_returns_and_keeps_the_body() -> None:
    seen: list[httpx.Request] = []
    reply = httpx.Response(200, json={"status": "success", "data": {"order": {"id": "o-1"}}})
    raw = _client(seen, reply).request_raw(
        ENVELOPED,
        {"method": "patch", "url": "/x"},
        lambda **_: Holder(data=Holder(order="the order")),
        request.RequestOptions(),
        result=lambda order: f"page of {order}",
    )
    assert raw.parse() == "page of the order"
    assert raw.json()["status"] == "success"
