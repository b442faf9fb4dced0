"""`<package>.testing`: the fake clients of both SDKs, through every operation and the real client code paths.

Each operation is called as an application calls it, with values made from the normalized spec (its
documented request body when there is one), on a fake client with strict response validation: the answer
is the documented example and parses completely into the method's model.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import cnaught_client
import fungies_client
import pytest
from cnaught_client.testing import AsyncFakeCNaught, FakeCNaught, InvalidRequestError
from fungies_client import testing as fungies_testing
from fungies_client import webhooks
from fungies_client.testing import AsyncFakeFungies, FakeFungies

from sdkpipeline.codegen.fake import example_of, vendor_examples
from sdkpipeline.codegen.identifiers import method_name
from sdkpipeline.codegen.model import CLIENT_ATTRIBUTES, resource_attribute
from sdkpipeline.spec.pointer import deref
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import load_document

from .conftest import collect, resolve

APIS = load_registry()
PACKAGES = {"cnaught": cnaught_client, "fungies": fungies_client}
FAKES: dict[str, tuple[type[Any], type[Any]]] = {
    "cnaught": (FakeCNaught, AsyncFakeCNaught),
    "fungies": (FakeFungies, AsyncFakeFungies),
}


@cache
def _spec(api: str) -> Any:
    return load_document(APIS[api].normalized_spec)


@cache
def _index(api: str) -> list[dict[str, Any]]:
    path = Path(PACKAGES[api].__file__).parent / "_operations.json"
    ops: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["operations"]
    return ops


@cache
def _data(api: str) -> dict[str, Any]:
    path = Path(PACKAGES[api].__file__).parent / "_testing.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


OPERATIONS = [(api, op) for api in sorted(APIS) for op in _index(api)]


def make(api: str, engine: str, **options: Any) -> Any:
    sync, asynchronous = FAKES[api]
    return (sync if engine == "sync" else asynchronous)(**options)


class OperationCall:
    """One operation called as an application would: positional path values, keywords, `body=`."""

    def __init__(self, api: str, op: dict[str, Any]) -> None:
        self.api, self.op = api, op
        self.spec = _spec(api)
        self.raw_op = self.spec["paths"][op["path"]][op["method"].lower()]

    def _param_schema(self, wire_name: str, location: str) -> Any:
        shared = self.spec["paths"][self.op["path"]].get("parameters") or []
        for raw in [*(self.raw_op.get("parameters") or []), *shared]:
            param = deref(self.spec, raw)
            if param["name"] == wire_name and param["in"] == location:
                return param.get("schema") or {}
        raise AssertionError(f"{self.op['name']}: no {location} parameter {wire_name} in the spec")

    def arguments(self) -> tuple[list[Any], dict[str, Any]]:
        params = self.op["params"]  # the operation record's (`_operations.json`)
        args = [
            str(example_of(self.spec, self._param_schema(p["wire_name"], "path"), name=p["wire_name"]))
            for p in params
            if p["location"] == "path"
        ]
        kwargs: dict[str, Any] = {}
        for p in params:
            if p["location"] in ("query", "header", "cookie") and p["required"]:
                kwargs[p["keyword"]] = example_of(self.spec, self._param_schema(p["wire_name"], p["location"]))
        body = self.op["body"]
        media = next(iter(deref(self.spec, self.raw_op.get("requestBody") or {}).get("content") or {}), None)
        if body is not None and media == "application/octet-stream":
            types = importlib.import_module(f"{PACKAGES[self.api].__name__}.types")
            kwargs["body"] = types.File(payload=io.BytesIO(b"<svg/>"), mime_type="image/svg+xml")
        elif body is not None and not (body["shapes"] and not body["fields"]):
            kwargs["body"] = self.request_body()  # (a body without fields, `{}`, is sent by the method itself)
        return args, kwargs

    def request_body(self) -> Any:
        """The spec's example of the body, else the vendor's first request example, else one made from the schema."""
        content = deref(self.spec, self.raw_op["requestBody"])["content"]["application/json"]
        for example in [content.get("example"), *(content.get("examples") or {}).values()]:
            example = deref(self.spec, example)
            if isinstance(example, dict) and "value" in example:
                return example["value"]
        documented = [
            body
            for _, status, body in vendor_examples(APIS[self.api].examples_dir, self.op["operation_id"], success=200)
            if status is None
        ]
        return documented[0] if documented else example_of(self.spec, content["schema"])

    def method(self, client: Any, *, raw: bool = False) -> Callable[..., Any]:
        resource = getattr(client, resource_attribute(self.op["resource"]))
        return getattr(resource.with_raw_response if raw else resource, method_name(self.op["name"]))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("api", "op"), OPERATIONS, ids=[f"{api}-{op['resource']}.{op['name']}" for api, op in OPERATIONS]
)
async def test_every_operation_answers_with_its_example_and_parses(api: str, op: dict[str, Any], engine: str) -> None:
    """The documented success status and body, read strictly into the method's model (a list: its first page)."""
    call = OperationCall(api, op)
    args, kwargs = call.arguments()
    client = make(api, engine, strict_response_validation=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ResponseValidationWarning would mean the example does not fit
        warnings.simplefilter("ignore", DeprecationWarning)  # orders.create_ride is deprecated by the API
        raw = await resolve(call.method(client, raw=True)(*args, **kwargs))
        parsed = raw.parse()
    documented = _data(api)["operations"][_index(api).index(op)]
    assert documented["name"] == f"{op['resource']}.{op['name']}"
    assert raw.status_code == documented["success"]
    assert client.calls[-1].operation == documented["name"]
    # What the method says it returns (its annotation: `Order`, `builtins.list[Portfolio]`, `SyncPage[Order]`).
    returns = str(inspect.signature(call.method(client)).return_annotation).removeprefix("builtins.")
    if op["pagination"] is not None:
        assert type(parsed).__name__ in ("SyncPage", "AsyncPage")
        item_type = returns.split("[", 1)[1][:-1]
        assert parsed.items and all(type(item).__name__ == item_type for item in parsed.items)
    elif returns == "None":
        assert (parsed, raw.content) == (None, b"")
    elif returns.startswith("list["):
        assert [type(item).__name__ for item in parsed] == [returns[5:-1]] * len(raw.json())
    else:
        assert raw.json() == documented["responses"][str(documented["success"])]["body"]
        assert type(parsed).__name__ == returns
        assert type(parsed).__module__.startswith(f"{PACKAGES[api].__name__}.models.")


def test_every_operation_of_the_index_is_in_the_fake_s_data() -> None:
    """`_testing.json` has each operation of `_operations.json`, in order, with its method, path and success status."""
    for api in APIS:
        shipped = [(o["name"], o["method"], o["path"], o["success"]) for o in _data(api)["operations"]]
        index = [
            (f"{o['resource']}.{o['name']}", o["method"], o["path"], min(o["success_statuses"])) for o in _index(api)
        ]
        assert shipped == index


# -- respond, calls, typed errors ----------------------------------------------------------------------------


async def test_respond_programs_the_answer_of_an_operation(engine: str) -> None:
    """The programmed body is what the method returns, unwrapped and typed; afterwards the example again."""
    cn = make("cnaught", engine)
    cn.respond("orders.retrieve", json={**_order("o-1"), "amount_kg": 2.5}, times=1)
    order = await resolve(cn.orders.retrieve("o-1"))
    assert (type(order).__name__, order.id, order.amount_kg) == ("Order", "o-1", 2.5)
    again = await resolve(cn.orders.retrieve("o-1"))
    assert again.id == "Gre28Fc35bt3"  # the documented example
    fg = make("fungies", engine)
    fg.respond("orders.update", json={"status": "success", "data": {"order": {**_fg_order(), "status": "CANCELLED"}}})
    updated = await resolve(fg.orders.update("5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11", status="CANCELLED"))
    assert (type(updated).__name__, updated.status) == ("Order", "CANCELLED")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
    ],
)
async def test_an_error_status_raises_the_typed_error_with_the_documented_problem(
    engine: str, status: int, error: str
) -> None:
    """CNaught documents a problem body per status: the error carries it (status, detail, request id)."""
    cn = make("cnaught", engine)
    cn.respond("orders.cancel", status=status, headers={"x-request-id": "req-7"})
    with pytest.raises(getattr(cnaught_client, error)) as caught:
        await resolve(cn.orders.cancel("o-1"))
    assert caught.value.status_code == status
    assert caught.value.request_id == "req-7"
    assert caught.value.detail or caught.value.title  # the documented problem's text, not an empty body


async def test_retries_run_for_real_without_waiting(engine: str) -> None:
    """A 503 then a 429 are retried (a GET is safe); a third failure surfaces as the typed error."""
    cn = make("cnaught", engine)
    cn.respond("orders.retrieve", status=503, times=1)
    cn.respond("orders.retrieve", status=429, headers={"Retry-After": "30"}, times=1)
    order = await resolve(cn.orders.retrieve("o-1"))
    assert order.id == "Gre28Fc35bt3"
    assert [c.status for c in cn.calls] == [503, 429, 200]
    cn.respond("orders.retrieve", status=500)
    with pytest.raises(cnaught_client.InternalServerError):
        await resolve(cn.orders.retrieve("o-1"))
    assert len(cn.calls) == 3 + 3  # the first attempt and max_retries=2 more
    fg = make("fungies", engine)
    fg.respond("orders.retrieve", status=400, json={"status": "error", "error": {"message": "Invalid order id"}})
    with pytest.raises(fungies_client.BadRequestError, match="Invalid order id"):
        await resolve(fg.orders.retrieve("1001"))
    assert len(fg.calls) == 1  # a 400 is not retried


async def test_calls_record_each_request_as_sent_with_keys_redacted(engine: str) -> None:
    """Operation, method, path, query, headers (idempotency key as sent, keys redacted) and the JSON body."""
    cn = make("cnaught", engine)
    await resolve(cn.orders.create(amount_kg=10, description="team offsite"))
    call = cn.calls[-1]
    assert (call.operation, call.method, call.path, call.query) == ("orders.create", "POST", "/orders", {})
    assert call.json == {"amount_kg": 10, "description": "team offsite"}
    assert call.headers["authorization"] == "<redacted>"
    assert len(call.headers["idempotency-key"]) == 36  # the SDK's own key, one per call
    fg = make("fungies", engine)
    await collect(fg.orders.list(statuses=["PAID", "REFUNDED"], take=5))
    listed = fg.calls[-1]
    assert listed.query == {"statuses": ["PAID", "REFUNDED"], "take": "5"}
    assert listed.headers["x-fngs-public-key"] == "<redacted>"
    assert "x-fngs-secret-key" not in listed.headers  # orders.list needs the public key only


async def test_raw_responses_and_with_options_go_through_the_fake(engine: str) -> None:
    """`with_raw_response` shows the envelope as sent; `with_options()` keeps the fake as transport."""
    fg = make("fungies", engine)
    raw = await resolve(fg.users.with_raw_response.retrieve("5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11"))
    assert raw.json()["status"] == "success"
    assert type(raw.parse()).__name__ == "User"
    await resolve(fg.with_options(max_retries=0).users.retrieve("5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11"))
    assert [c.operation for c in fg.calls] == ["users.retrieve", "users.retrieve"]


# -- requests the spec does not allow ------------------------------------------------------------------------


async def test_a_request_the_spec_does_not_allow_names_the_field_and_the_rule(engine: str) -> None:
    """The issue's example (a body field of the wrong type), a query enum, a path id that is no UUID."""
    cn = make("cnaught", engine)
    with pytest.raises(InvalidRequestError) as caught:
        await resolve(cn.orders.create(amount_kg="ten"))  # type: ignore[arg-type]
    assert caught.value.problems == ["request body: amount_kg: 'ten' is not of type 'number'"]
    assert str(caught.value).startswith("orders.create: the request does not fit the API's spec: ")
    fg = make("fungies", engine)
    with pytest.raises(
        fungies_testing.InvalidRequestError, match=r"query parameter statuses: \[0\]: 'SHIPPED' is not one of"
    ):
        await collect(fg.orders.list(statuses=["SHIPPED"]))  # type: ignore[list-item]
    with pytest.raises(fungies_testing.InvalidRequestError, match=r"path parameter userId: 'me' is not a 'uuid'"):
        await resolve(fg.users.retrieve("me"))
    with pytest.raises(
        fungies_testing.InvalidRequestError, match=r"query parameter take: -1 is less than the minimum of 0"
    ):
        await collect(fg.orders.list(take=-1))


async def test_a_body_a_form_does_not_admit_is_refused_with_all_its_problems(engine: str) -> None:
    """`body=` as a dict is checked as sent: a required member missing, an unknown enum value, a nested field."""
    fg = make("fungies", engine)
    with pytest.raises(fungies_testing.InvalidRequestError) as caught:
        await resolve(fg.users.create(body={"username": "ann", "object": "robot"}))
    assert any("'email' is a required property" in p for p in caught.value.problems), caught.value.problems
    assert fg.calls[-1].status is None  # recorded, never answered


# -- lists that page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "method", "keywords"),
    [
        ("cnaught", "orders.list", {"limit": 1}),  # cursor: starting_after
        ("fungies", "orders.list", {"take": 2}),  # offset: skip and the total count
        ("fungies", "subscriptions.list", {"take": 2}),  # token: cursor and hasMore
        ("fungies", "users.inventory", {"limit": 2}),  # page: page and the page count
    ],
)
async def test_lists_walk_every_page_in_their_own_style(
    engine: str, api: str, method: str, keywords: dict[str, Any]
) -> None:
    """Five items set, small pages: iterating the first page fetches every page and yields each item once."""
    client = make(api, engine)
    resource, name = method.split(".")
    id_of = (lambda n: f"6f1f7ad2-3c55-4c3e-8d43-0b7c1e2f9a1{n}") if api == "fungies" else (lambda n: f"item-{n}")
    client.set_items(method, [{"id": id_of(n)} for n in range(5)])
    path = [] if method != "users.inventory" else ["5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11"]
    walked = await collect(getattr(getattr(client, resource), name)(*path, **keywords))
    assert [str(item.id) for item in walked] == [id_of(n) for n in range(5)]
    assert len(client.calls) >= 3  # five items in pages of one or two


async def test_a_list_answers_the_documented_items_by_default(engine: str) -> None:
    """Without set_items, a list pages through its example item and copies of it under new ids."""
    cn = make("cnaught", engine)
    orders = await collect(cn.orders.list(limit=2))
    assert [o.id for o in orders] == ["Gre28Fc35bt3", "Gre28Fc35bt3-2", "Gre28Fc35bt3-3"]


# -- webhooks ------------------------------------------------------------------------------------------------


def test_a_webhook_delivery_is_verified_and_parsed_by_the_package_s_own_webhooks_module() -> None:
    """`fake.webhook()` gives the body and signature header Fungies sends; `webhooks.unwrap` accepts both."""
    fake = FakeFungies()
    for event_type in sorted(webhooks.EVENT_TYPES):
        delivery = fake.webhook(event_type)
        event = webhooks.unwrap(delivery.body, delivery.headers[webhooks.SIGNATURE_HEADER], fake.webhook_secret)
        assert (event.type, event.known) == (event_type, True)
    paid = fake.webhook("payment_success", data={"order": {"id": "8b9d2c4e-1f3a-4b5c-9d6e-7f8091a2b3c4"}}, secret="s1")
    event = webhooks.unwrap(paid.body, paid.headers[webhooks.SIGNATURE_HEADER], "s1")
    assert str(event.data.order.id) == "8b9d2c4e-1f3a-4b5c-9d6e-7f8091a2b3c4"
    with pytest.raises(webhooks.WebhookSignatureError):
        webhooks.unwrap(paid.body, paid.headers[webhooks.SIGNATURE_HEADER], "another-secret")
    assert not webhooks.parse_event(fake.webhook("refund_disputed", data={"id": 1}).body).known


def test_cnaught_documents_no_signed_webhooks_so_its_fake_sends_none() -> None:
    """Only an API with signed webhook events (Fungies) has `webhook()` on its fake."""
    assert not hasattr(FakeCNaught(), "webhook")


# -- the module itself ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", sorted(APIS))
def test_the_package_does_not_import_its_test_double(api: str) -> None:
    """`import pkg`, a client and a call load neither `pkg.testing` nor `pkg._testing`; importing them works."""
    package = APIS[api].package
    code = (
        f"import sys, {package}\n"
        f"assert not [m for m in sys.modules if m.startswith(('{package}.testing', '{package}._testing'))]\n"
        f"import {package}.testing\n"
        f"print(sorted({package}.testing.__all__))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(APIS[api].output_dir)}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert f"Fake{APIS[api].client_class}" in out.stdout


def test_the_fake_s_own_members_are_reserved_client_attributes() -> None:
    """A resource named like a fake client's member would be hidden: model.CLIENT_ATTRIBUTES reserves them."""
    members = {name for cls in (FakeFungies, FakeCNaught) for name in dir(cls) if not name.startswith("_")}
    own = members - set(dir(fungies_client.Fungies)) - set(dir(cnaught_client.CNaught))
    assert own == {"calls", "fake_api", "respond", "reset", "set_items", "webhook", "webhook_secret"}
    assert own <= CLIENT_ATTRIBUTES


async def test_a_sync_and_an_async_fake_client_can_share_one_fake(engine: str) -> None:
    """`fake_api=` makes two clients answer from, and record into, the same fake."""
    first = FakeCNaught()
    second = make("cnaught", engine, fake_api=first.fake_api)
    first.respond("orders.retrieve", json=_order("shared"))
    assert (await resolve(second.orders.retrieve("x"))).id == "shared"
    assert first.calls is second.calls and len(first.calls) == 1


def _order(order_id: str) -> dict[str, Any]:
    return {
        "id": order_id,
        "order_number": "1",
        "created_on": "2024-01-01T00:00:00Z",
        "amount_kg": 1,
        "state": "placed",
        "price_usd_cents": 100,
        "certificate_public_url": None,
        "certificate_download_public_url": None,
    }


def _fg_order() -> dict[str, Any]:
    return {"id": "5f0c8a52-3c1e-4a8e-9a4e-7f1f0d4f7b11", "number": "1001", "status": "PAID", "createdAt": 1}


@pytest.mark.slow
def test_the_user_suite_passes_mypy_strict(tmp_path: Path) -> None:
    """tests/sdk/user_suite (an application and its tests with the fakes) type-checks: a fake is its client."""
    packages = os.pathsep.join(str(api.output_dir) for api in APIS.values())
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        str(tmp_path),
        "--no-error-summary",
        "user_suite",
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": packages},
        cwd=Path(__file__).parent,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
