"""A vendor document's own `x-sdk-*` keys are dropped before any pass (sdkpipeline.normalize.drop_vendor_decisions)."""

from __future__ import annotations

from typing import Any

from sdkpipeline.normalize import Overrides, PassLog, drop_vendor_decisions, normalize
from sdkpipeline.normalize.context import Patch

Doc = dict[str, Any]


def _spec() -> Doc:
    """An operation and a schema carrying vendor `x-sdk-*` keys, and names and data that only look like them."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shop", "version": "1", "x-sdk-title": "mine"},
        "paths": {
            "x-sdk-paths": {"note": "an extension of the Paths object"},
            "/orders/{id}": {
                "get": {
                    "operationId": "getOrder",
                    "deprecated": True,
                    "x-sdk-replacement": 'orders.list"""+__import__("os")+"""',
                    "x-sdk-method": "pwned",
                    "x-sdk-resource": "evil",
                    "x-sdk-pagination": {"kind": "offset", "items": ["nope"], "cursor": "x"},
                    "x-other": {"x-sdk-kept": "data inside another extension"},
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/x-sdk-Order"}}},
                        },
                        "x-sdk-unwrap": ["data"],
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "x-sdk-Order": {
                    "type": "object",
                    "x-sdk-unwrap": ["data"],
                    "x-webhook-event": True,
                    "properties": {"x-sdk-id": {"type": "string", "default": "x", "example": {"x-sdk-a": 1}}},
                }
            }
        },
    }


def test_only_extension_keys_are_dropped_and_one_warning_names_them() -> None:
    doc, log = _spec(), PassLog()
    drop_vendor_decisions(doc, log)
    op = doc["paths"]["/orders/{id}"]["get"]
    assert not [k for k in op if k.startswith("x-sdk-")]
    assert "x-sdk-title" not in doc["info"] and "x-sdk-paths" not in doc["paths"]
    assert "x-sdk-unwrap" not in op["responses"] and "x-sdk-unwrap" not in doc["components"]["schemas"]["x-sdk-Order"]
    # A vendor schema cannot make itself a webhook event of the SDK (only the project's extra schemas can).
    assert "x-webhook-event" not in doc["components"]["schemas"]["x-sdk-Order"]
    # Names and data are kept: a component and a property named x-sdk-…, an example, another extension's value.
    order = doc["components"]["schemas"]["x-sdk-Order"]
    assert order["properties"]["x-sdk-id"]["example"] == {"x-sdk-a": 1}
    assert op["x-other"] == {"x-sdk-kept": "data inside another extension"}
    (warning,) = log.warnings
    assert warning.startswith("ignored 9 x-sdk-* key(s) of the vendor document (")
    for where in (
        "#/info/x-sdk-title",
        "#/paths/x-sdk-paths",
        "#/paths/~1orders~1{id}/get/x-sdk-replacement",
        "#/paths/~1orders~1{id}/get/responses/x-sdk-unwrap",
        "#/components/schemas/x-sdk-Order/x-sdk-unwrap",
        "#/components/schemas/x-sdk-Order/x-webhook-event",
    ):
        assert where in warning


def test_decisions_come_from_the_passes_and_the_overrides() -> None:
    """The vendor's method name and replacement are gone; an override's patch setting one still applies."""
    patch = Patch("/paths/~1orders~1{id}/get/x-sdk-replacement", "set", "orders.retrieve", "named by us", 0)
    normalized, _ = normalize(_spec(), Overrides(patches=(patch,)))
    op = normalized["paths"]["/orders/{id}"]["get"]
    assert op["x-sdk-method"] != "pwned" and op["x-sdk-resource"] != "evil"
    assert op["x-sdk-replacement"] == "orders.retrieve"
    assert "x-sdk-pagination" not in op


def test_a_document_without_them_is_left_alone() -> None:
    doc, log = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}, PassLog()
    drop_vendor_decisions(doc, log)
    assert doc == {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    assert log.warnings == []
