"""Vendor edits of the committed specs, one per kind a release must judge, and what each release must say.

Each edit is a function changing a copy of a vendored document the way a vendor would (with express-zod-api,
Fungies' generator, a renamed operation renames its `<operationId>*` components too). `EDITS` pairs it with the
release it must make from the registry's versions (cnaught 3.0.0, fungies 0.5.0): the version, the spec report's
and the surface comparison's severities, and the line the CHANGELOG entry opens with. `ROWS` collects what each
run found; tests/release/conftest.py prints them as one table at the end of the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sdkpipeline.release.specdiff import Severity

Doc = dict[str, Any]
BREAKING, ADDITIVE, PATCH = Severity.BREAKING, Severity.ADDITIVE, Severity.PATCH


def schemas_of(doc: Doc) -> Doc:
    schemas: Doc = doc["components"]["schemas"]
    return schemas


def envelope_data(doc: Doc, component: str) -> Doc:
    """The properties of a Fungies response envelope's `data` object."""
    props: Doc = schemas_of(doc)[component]["properties"]["data"]["properties"]
    return props


def _rename_refs(doc: Doc, old: str, new: str) -> None:
    text = json.dumps(doc).replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed = json.loads(text)
    doc.clear()
    doc.update(renamed)


def _rename_operation(doc: Doc, path: str, method: str, new: str, *, components: bool) -> None:
    op = doc["paths"][path][method]
    old = op["operationId"]
    op["operationId"] = new
    if not components:
        return
    for name in [n for n in schemas_of(doc) if n.startswith(old) and n[len(old) :][:1].isupper()]:
        schemas_of(doc)[new + name[len(old) :]] = schemas_of(doc).pop(name)
        _rename_refs(doc, name, new + name[len(old) :])


def _parameter(op: Doc, name: str) -> Doc:
    found: Doc = next(p for p in op["parameters"] if p.get("name") == name)
    return found


# --- CNaught ---------------------------------------------------------------------------------------------


def order_state_gains_a_value(doc: Doc) -> None:
    # Order.state is only returned: a new value is one more a reader may see (the SDK's enums are open).
    schemas_of(doc)["Order"]["properties"]["state"]["enum"].append("refunded")


def order_state_loses_a_value(doc: Doc) -> None:
    schemas_of(doc)["Order"]["properties"]["state"]["enum"].remove("fulfilled")


def list_limit_default_changed(doc: Doc) -> None:
    _parameter(doc["paths"]["/orders"]["get"], "limit")["schema"]["default"] = 50


def subaccount_header_gets_a_default(doc: Doc) -> None:
    # The header every order operation takes: a default means the server applies it to calls that leave it out.
    doc["components"]["parameters"]["SubaccountId"]["schema"]["default"] = "main"


def order_retrieval_operation_id_renamed(doc: Doc) -> None:
    _rename_operation(doc, "/orders/{id}", "get", "RetrieveOrder", components=False)


def orders_filed_under_another_first_tag(doc: Doc) -> None:
    doc["paths"]["/orders"]["get"]["tags"] = ["Purchases", "Orders"]


def order_path_parameter_renamed(doc: Doc) -> None:
    item = doc["paths"].pop("/orders/{id}")
    _parameter(item, "id")["name"] = "order_id"  # declared on the path item
    doc["paths"]["/orders/{order_id}"] = item


def quote_class_renamed(doc: Doc) -> None:
    schemas_of(doc)["CarbonQuote"] = schemas_of(doc).pop("Quote")
    _rename_refs(doc, "Quote", "CarbonQuote")


def quote_patch_follows_the_rename(overrides: str) -> str:
    """What the maintainer does first: the override that patched Quote patches CarbonQuote."""
    return overrides.replace("/components/schemas/Quote/", "/components/schemas/CarbonQuote/")


def operation_added(doc: Doc) -> None:
    doc["paths"]["/portfolios/{id}/projects"] = {
        "get": {
            "operationId": "GetPortfolioProjects",
            "tags": ["Portfolios"],
            "summary": "Projects of a portfolio",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
            },
        }
    }


def optional_query_parameter_added(doc: Doc) -> None:
    doc["paths"]["/orders"]["get"]["parameters"].append(
        {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}
    )


def required_request_field_added(doc: Doc) -> None:
    body = schemas_of(doc)["SubaccountParameters"]
    body["properties"]["country"] = {"type": "string", "description": "ISO country of the subaccount"}
    body["required"] = [*body.get("required", []), "country"]


def response_field_made_nullable(doc: Doc) -> None:
    schemas_of(doc)["Portfolio"]["properties"]["name"]["type"] = ["string", "null"]


def request_field_made_nullable(doc: Doc) -> None:
    schemas_of(doc)["SubaccountParameters"]["properties"]["name"]["type"] = ["string", "null"]


def list_limit_type_changed(doc: Doc) -> None:
    _parameter(doc["paths"]["/orders"]["get"], "limit")["schema"]["type"] = ["number", "null"]


def order_list_description_changed(doc: Doc) -> None:
    doc["paths"]["/orders"]["get"]["description"] = "Lists your orders, newest first."


# --- Fungies ---------------------------------------------------------------------------------------------

SUBSCRIPTION_STATES = ["all", "active", "canceled", "incomplete", "incomplete_expired", "past_due", "trialing"]


def subscription_status_gains_a_value(doc: Doc) -> None:
    # Every returned subscription status (class SubscriptionStatus); the list filter's own enum stays.
    def visit(node: Any) -> None:
        if isinstance(node, dict):
            values = node.get("enum")
            if isinstance(values, list) and values[: len(SUBSCRIPTION_STATES)] == SUBSCRIPTION_STATES:
                values.append("scheduled")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for name, schema in schemas_of(doc).items():
        if name != "GetV0SubscriptionsListParameterStatus":
            visit(schema)


def subscription_filter_gains_a_value(doc: Doc) -> None:
    # The subscriptions list's status filter (its own component, class SubscriptionListStatus) takes one more.
    schemas_of(doc)["GetV0SubscriptionsListParameterStatus"]["enum"].append("scheduled")


def order_filter_loses_a_value(doc: Doc) -> None:
    schemas_of(doc)["GetV0OrdersListParameterStatuses"]["items"]["enum"].remove("EXPIRED")


def cancel_default_changed(doc: Doc) -> None:
    body = schemas_of(doc)["PatchV0SubscriptionsSubscriptionIdOrNumberCancelRequestBody"]
    body["properties"]["cancelAtIntervalEnd"]["default"] = True


def user_update_patch_becomes_put(doc: Doc) -> None:
    item = doc["paths"]["/v0/users/{userId}/update"]
    item["put"] = item.pop("patch")


def payment_operation_id_renamed_with_its_components(doc: Doc) -> None:
    _rename_operation(doc, "/v0/payments/{paymentId}", "get", "RetrievePayment", components=True)


def payment_operation_id_renamed_alone(doc: Doc) -> None:
    _rename_operation(doc, "/v0/payments/{paymentId}", "get", "RetrievePayment", components=False)


def unarchive_removed_with_its_components(doc: Doc) -> None:
    op = doc["paths"].pop("/v0/users/{userId}/unarchive")["patch"]
    own = op["operationId"]
    for name in [n for n in schemas_of(doc) if n.startswith(own) and n[len(own) :][:1].isupper()]:
        del schemas_of(doc)[name]


def unarchive_removed_components_left(doc: Doc) -> None:
    del doc["paths"]["/v0/users/{userId}/unarchive"]


def payment_envelope_gains_a_field(doc: Doc) -> None:
    envelope = schemas_of(doc)["GetV0PaymentsPaymentIdPositiveResponse"]
    envelope["properties"]["requestId"] = {"type": "string", "description": "Identifier of this request."}
    envelope["required"] = [*envelope["required"], "requestId"]


def discount_gains_an_optional_field(doc: Doc) -> None:
    # One of the five inline discount objects (class Discount): the class gains the field, nothing splits.
    discount = envelope_data(doc, "GetV0DiscountsDiscountIdPositiveResponse")["discount"]
    discount["properties"]["note"] = {"type": "string", "description": "Internal note on the discount."}


def order_list_needs_a_region(doc: Doc) -> None:
    doc["paths"]["/v0/orders/list"]["get"]["parameters"].append(
        {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
    )


@dataclass(frozen=True)
class Edit:
    """A vendor edit and the release it must make."""

    api: str
    edit: Callable[[Doc], None]
    version: str
    spec: Severity | None
    surface: Severity | None
    summary: str  # the first line of the CHANGELOG entry's summary
    overrides: Callable[[str], str] | None = None  # what the maintainer changes in overrides.yaml first
    keeps: tuple[str, ...] = ()  # paths of the surface (below the package) that must not change


@dataclass
class Row:
    """What one run of `update_specs` found, for the table."""

    kind: str
    api: str
    spec: str
    bump: str
    surface: str
    summary: str


ROWS: list[Row] = []


def severity_text(severity: Severity | None, count: int) -> str:
    return f"{severity.value if severity else 'none'} ({count})"
