"""extra_query and extra_body on the wire, and the resource an envelope carries (templates/runtime/_base_client.py)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from .conftest import ANY_JSON, operation
from .surface_runtime import runtime_module

base = runtime_module("_base_client")
request = runtime_module("_request")
exceptions = runtime_module("_exceptions")
models = runtime_module("_models")

OP = operation(name="orders.create", operation_id="SubmitOrder", method="POST")


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
    _client(seen).request(OP, kwargs, ANY_JSON, options)
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
        _client(seen).request(OP, kwargs, ANY_JSON, request.RequestOptions(extra_body={"x": 1}))
    assert seen == []


class Ord(models.Model):
    id: str

    def _fill(self, data: dict[str, Any]) -> int:
        self.id = data["id"]
        return 1


class Data(models.Model):
    order: Ord | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        read = 0
        if "order" in data:
            self.order = models.as_model(Ord, data["order"])
            read += 1
        return read


class Envelope(models.Model):
    data: Data | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        read = 0
        if "data" in data:
            self.data = models.as_model(Data, data["data"])
            read += 1
        return read


ENVELOPE = ((200, 200, "json", Envelope),)
CANCEL = operation(name="orders.cancel", operation_id="Cancel", method="PATCH", unwrap=("data", "order"))
RETRIEVE = operation(name="orders.retrieve", operation_id="Get", method="GET", unwrap=("data", "order"))


def test_the_method_returns_what_the_envelope_carries() -> None:
    reply = httpx.Response(200, json={"status": "success", "data": {"order": {"id": "o-1"}}})
    result = _client([], reply).request(CANCEL, {"method": "patch", "url": "/x"}, ENVELOPE, request.RequestOptions())
    assert result == Ord(id="o-1")


WITHOUT_RESOURCE = [{"data": {"order": None}}, {"data": {}}, {}]


@pytest.mark.parametrize("body", WITHOUT_RESOURCE)
def test_a_read_whose_envelope_lacks_its_resource_names_the_path(body: dict[str, Any]) -> None:
    reply = httpx.Response(200, json=body)
    with pytest.raises(exceptions.APIResponseValidationError) as info:
        _client([], reply).request(RETRIEVE, {"method": "get", "url": "/x"}, ENVELOPE, request.RequestOptions())
    assert (info.value.path, info.value.field) == ("data.order", "order")
    assert str(info.value).startswith("orders.retrieve (Get): the response body has no data.order to return (HTTP 200)")


@pytest.mark.parametrize("body", WITHOUT_RESOURCE)
def test_a_write_whose_envelope_lacks_its_resource_returns_the_body_with_a_warning(body: dict[str, Any]) -> None:
    reply = httpx.Response(200, json=body)
    with pytest.warns(models.ResponseValidationWarning, match=r"no data\.order to return \(the write succeeded\)"):
        result = _client([], reply).request(
            CANCEL, {"method": "patch", "url": "/x"}, ENVELOPE, request.RequestOptions()
        )
    assert isinstance(result, Envelope) and result.to_dict() == body


def test_a_raw_response_parses_to_what_the_method_returns_and_keeps_the_body() -> None:
    reply = httpx.Response(200, json={"status": "success", "data": {"order": {"id": "o-1"}}})
    raw = _client([], reply).request_raw(
        CANCEL,
        {"method": "patch", "url": "/x"},
        ENVELOPE,
        request.RequestOptions(),
        result=lambda order: f"page of {order.id}",
    )
    assert raw.parse() == "page of o-1"
    assert raw.json()["status"] == "success"
