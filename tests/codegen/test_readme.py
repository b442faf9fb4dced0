"""Tests for sdkpipeline.codegen.readme: what the package README shows, picked from the SDK model of small spec
fragments, and which of its optional sections apply."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from sdkpipeline.codegen.readme import ReadmePlan

from .fragments import (
    BY_AMOUNT,
    BY_PRICE,
    THING,
    THINGS,
    TWO_VARIANTS,
    Doc,
    document,
    listing,
    obj,
    ok,
    post_operation,
    query_params,
    sdk_model,
)


def test_readme_examples_are_picked_from_the_model(tmp_path: Path) -> None:
    get_one = {
        "get": {
            "operationId": "GetThing",
            "tags": ["Things"],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": ok(THING),
        }
    }
    paths = {"/things": listing("ListThings", query_params("page"), obj(results=THINGS)), "/things/{id}": get_one}
    plan = ReadmePlan.of(sdk_model(document(paths, schemas={"Thing": THING}), tmp_path))
    assert plan.resource == "things"
    assert (plan.item, plan.paginated, plan.idempotent, plan.write) == ("thing", True, False, None)


def test_readme_shows_a_body_by_keywords_in_each_form_and_as_a_dict(tmp_path: Path) -> None:
    """The README's request examples come from the model: the create call of each variant, then `body=`."""
    schemas = {"ByAmount": BY_AMOUNT, "ByPrice": BY_PRICE, "Thing": THING}
    statuses = {"type": "array", "items": {"type": "string", "enum": ["PAID", "UNPAID"]}}
    orders = listing("ListOrders", [{"name": "statuses", "in": "query", "schema": statuses}], obj(data=THINGS))
    paths = {**post_operation("CreateOrder", TWO_VARIANTS), "/orders/list": orders}
    plan = ReadmePlan.of(sdk_model(document(paths, schemas=schemas), tmp_path))
    assert plan.create == "orders.create(amount_kg=10)"
    assert plan.variants == ("orders.create(price_usd_cents=10)",)
    assert plan.body_dict == 'orders.create(body={"amount_kg": 10})'
    assert plan.enum_call == 'things.list(statuses=["PAID"])'
    assert (plan.envelope, plan.unwrapped, plan.deprecated) == ((), None, ())


class TestReadmeSections:
    """The README prints the sections the plan says apply, in order; each section only prints."""

    PATHS: ClassVar[Doc] = {
        "/things": listing("ListThings", query_params("page"), obj(results=THINGS)),
        "/things/{id}": {
            "get": {
                "operationId": "GetThing",
                "tags": ["Things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": ok(THING),
            }
        },
    }

    def test_an_api_without_keys_has_no_requests_or_authentication_section(self, tmp_path: Path) -> None:
        plan = ReadmePlan.of(sdk_model(document(self.PATHS, schemas={"Thing": THING}), tmp_path))
        assert plan.sections == (
            "quickstart_retrieve",
            "usage",
            "errors",
            "retries",
            "pagination",
            "raw_responses",
            "async",
            "logging",
            "testing",
            "operations",
        )
        assert plan.operations.splitlines() == [
            "| `client.things.list()` | `GET /things` | ListThings |",
            "| `client.things.retrieve()` | `GET /things/{id}` | GetThing |",
        ]

    def test_keys_webhooks_and_deprecated_operations_add_their_sections(self, tmp_path: Path) -> None:
        schemes = {"A": {"type": "http", "scheme": "bearer"}, "B": {"type": "apiKey", "in": "header", "name": "k"}}
        paths = json.loads(json.dumps(self.PATHS))
        paths["/things"]["get"]["deprecated"] = True
        plan = ReadmePlan.of(
            sdk_model(document(paths, schemas={"Thing": THING}, security=schemes), tmp_path), webhooks=True
        )
        assert {"requests", "authentication", "authentication_several", "deprecated", "webhooks"} <= set(plan.sections)
        assert plan.credential_lines.splitlines() == [
            "- `api_key` (sent as `Authorization: Bearer`), read from `SHOP_API_KEY` when not passed.",
            "- `k` (sent as `k`), read from `SHOP_K` when not passed.",
        ]
        assert plan.deprecated_lines == "- `client.things.list()`"
