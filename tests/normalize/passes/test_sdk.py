"""The SDK-decision passes (normalize/passes/sdk.py): pagination, unwrap and readable class names as x-sdk-*.

Each pass on a tiny inline spec, one class per pass (`TestLiftNullableUnions` for lift_nullable_unions): at least
one exact output, and the runner's "found nothing to change" warning when the pass has nothing to do.
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import pytest

from sdkpipeline.normalize import passes as p
from tests.normalize.passes.fragments import (
    ADDRESS,
    NULL,
    REF,
    Doc,
    assert_nothing_to_do,
    changes_of,
    json_content,
    make_obj,
    make_op,
    make_spec,
    run_pass,
    schemas_of,
)


def _list_op(query: list[str], response: Doc, **fields: Any) -> Doc:
    params = [{"name": n, "in": "query", "schema": {"type": "string"}} for n in query]
    return make_op(
        "ListThings", parameters=params, responses={"200": {"description": "ok", **json_content(response)}}, **fields
    )


def _array() -> Doc:
    return {"type": "array", "items": make_obj(id={"type": "string"})}


class TestDescribePagination:
    @staticmethod
    def _decide(op: Doc) -> Doc | None:
        out, _ = run_pass(p.describe_pagination, make_spec(paths={"/things": {"get": op}}))
        decision: Doc | None = out["paths"]["/things"]["get"].get("x-sdk-pagination")
        return decision

    def test_cursor_style_with_a_backward_cursor(self) -> None:
        op = _list_op(["limit", "starting_after", "ending_before"], make_obj(data=_array()))
        assert self._decide(op) == {
            "kind": "cursor",
            "items": ["data"],
            "cursor": "starting_after",
            "size": "limit",
            "reverse_cursor": "ending_before",
        }

    def test_offset_style_one_level_down_with_its_count(self) -> None:
        body = make_obj(status={"type": "string"}, data=make_obj(orders=_array(), count={"type": "number"}))
        assert self._decide(_list_op(["skip", "take"], body)) == {
            "kind": "offset",
            "items": ["data", "orders"],
            "cursor": "skip",
            "size": "take",
            "total": ["data", "count"],
        }

    def test_token_style_with_next_cursor_and_has_more(self) -> None:
        body = make_obj(items=_array(), nextCursor={"type": "string"}, has_more={"type": "boolean"})
        assert self._decide(_list_op(["cursor", "limit"], body)) == {
            "kind": "token",
            "items": ["items"],
            "cursor": "cursor",
            "size": "limit",
            "next_cursor": ["nextCursor"],
            "has_more": ["has_more"],
        }

    def test_page_style_with_total_pages_through_a_reference(self) -> None:
        doc = make_spec(
            {"Page": make_obj(results=_array(), totalPages={"type": "integer"})},
            {"/things": {"get": _list_op(["page", "per_page"], {"$ref": REF("Page")})}},
        )
        out, log = run_pass(p.describe_pagination, doc)
        assert out["paths"]["/things"]["get"]["x-sdk-pagination"] == {
            "kind": "page",
            "items": ["results"],
            "cursor": "page",
            "size": "per_page",
            "pages": ["totalPages"],
        }
        assert changes_of(log) == [("/paths/~1things/get/x-sdk-pagination", "page pagination over results")]

    def test_required_list_is_preferred_to_an_earlier_optional_one(self) -> None:
        body = {**make_obj(tags=_array(), data=_array()), "required": ["data"]}
        assert self._decide(_list_op(["limit", "starting_after"], body))["items"] == ["data"]  # type: ignore[index]

    def test_no_list_in_the_response_means_no_pagination(self) -> None:
        assert_nothing_to_do(
            p.describe_pagination, make_spec(paths={"/t": {"get": _list_op(["page"], make_obj(n={}))}})
        )

    def test_no_paging_parameters_means_no_pagination(self) -> None:
        doc = make_spec(paths={"/t": {"get": _list_op(["q"], make_obj(data=_array()))}})
        assert_nothing_to_do(p.describe_pagination, doc)

    def test_a_decision_already_made_by_an_override_is_kept(self) -> None:
        op = _list_op(["limit", "starting_after"], make_obj(data=_array()), **{"x-sdk-pagination": False})
        assert_nothing_to_do(p.describe_pagination, make_spec(paths={"/t": {"get": op}}))


class TestDescribeUnwrap:
    @staticmethod
    def _decide(body: Doc, **fields: Any) -> Any:
        op = make_op("GetThing", responses={"200": {"description": "ok", **json_content(body)}}, **fields)
        out, _ = run_pass(p.describe_unwrap, make_spec(paths={"/things/{id}": {"get": op}}))
        return out["paths"]["/things/{id}"]["get"].get("x-sdk-unwrap")

    STATUS: ClassVar[Doc] = {"type": "string", "const": "success"}

    def test_an_envelope_with_one_object_returns_it(self) -> None:
        """Fungies `{status, data: {order}}`: `orders.cancel(id)` returns the order."""
        assert self._decide(make_obj(status=self.STATUS, data=make_obj(order=ADDRESS))) == ["data", "order"]

    def test_an_envelope_with_several_members_returns_data(self) -> None:
        assert self._decide(make_obj(status=self.STATUS, data=make_obj(order=ADDRESS, user=ADDRESS))) == ["data"]

    def test_the_member_named_after_the_resource_is_returned_beside_others(self) -> None:
        """`payments.retrieve` keeps returning the payment when the vendor adds an `offer` beside it."""
        body = make_obj(status=self.STATUS, data=make_obj(payment=ADDRESS, offer=ADDRESS))
        assert self._decide(body, **{"x-sdk-resource": "payments", "x-sdk-method": "retrieve"}) == ["data", "payment"]

    def test_data_with_one_plain_member_returns_data(self) -> None:
        """`{data: {success: true}}`: a flag is no resource; the data object is returned."""
        assert self._decide(make_obj(status=self.STATUS, data=make_obj(success={"type": "boolean"}))) == ["data"]

    def test_a_list_in_data_returns_the_list(self) -> None:
        doc = make_spec(
            paths={"/things": {"get": make_op("ListThings", responses={"200": json_content(make_obj(data=_array()))})}}
        )
        out, log = run_pass(p.describe_unwrap, doc)
        assert out["paths"]["/things"]["get"]["x-sdk-unwrap"] == ["data"]
        assert changes_of(log) == [("/paths/~1things/get/x-sdk-unwrap", "the method returns the body's data")]

    def test_a_body_with_other_members_is_returned_whole(self) -> None:
        """Unwrapping `{data, meta}` would lose `meta`; `{id, type, data}` is a resource with a data field."""
        for body in (
            make_obj(data=make_obj(order=ADDRESS), meta=make_obj(page={"type": "integer"})),
            make_obj(id={"type": "string"}, type={"type": "string"}, data=make_obj(order=ADDRESS)),
        ):
            op = make_op("T", responses={"200": json_content(body)})
            assert_nothing_to_do(p.describe_unwrap, make_spec(paths={"/t": {"get": op}}))

    def test_a_member_added_beside_the_envelopes_keys_keeps_the_unwrap(self) -> None:
        """The vendor adds `requestId` beside `status` and `data`: `payments.retrieve()` still returns the payment."""
        fields = {"x-sdk-resource": "payments", "x-sdk-method": "retrieve"}
        body = make_obj(status=self.STATUS, data=make_obj(payment=ADDRESS), requestId={"type": "string"})
        assert self._decide(body, **fields) == ["data", "payment"]
        marker = {"type": "string", "enum": ["ok"]}  # a one-value enum marks an envelope as a const does
        assert self._decide(make_obj(ok=marker, data=make_obj(payment=ADDRESS), at={"type": "string"}), **fields) == [
            "data",
            "payment",
        ]

    def test_a_list_that_pages_is_left_to_its_pagination(self) -> None:
        op = _list_op(["skip", "take"], make_obj(data=_array()), **{"x-sdk-pagination": {"kind": "offset"}})
        assert_nothing_to_do(p.describe_unwrap, make_spec(paths={"/t": {"get": op}}))

    def test_an_override_wins(self) -> None:
        body = make_obj(status=self.STATUS, data=make_obj(order=ADDRESS))
        assert self._decide(body, **{"x-sdk-unwrap": ["data"]}) == ["data"]


class TestNameSdkClasses:
    """openai-python's names: <Resource><Method>Params / Response / Envelope / <Parameter>."""

    SDK: ClassVar[Doc] = {"x-sdk-resource": "orders", "x-sdk-method": "update"}

    def _doc(self, **responses: Any) -> Doc:
        status = {"type": "string", "const": "success"}
        schemas = {
            "PatchV0OrdersUpdateRequestBody": make_obj(note={"type": "string"}),
            "PatchV0OrdersUpdatePositiveResponse": make_obj(status=status, data=make_obj(order=ADDRESS, user=ADDRESS)),
            "PatchV0OrdersUpdateParameterMode": {"type": "string", "enum": ["a", "b"]},
            "Order": ADDRESS,
        }
        op = make_op(
            "PatchV0OrdersUpdate",
            requestBody=json_content({"$ref": REF("PatchV0OrdersUpdateRequestBody")}),
            parameters=[{"name": "mode", "in": "query", "schema": {"$ref": REF("PatchV0OrdersUpdateParameterMode")}}],
            responses={
                "200": {"description": "ok", **json_content({"$ref": REF("PatchV0OrdersUpdatePositiveResponse")})}
            },
            **self.SDK,
            **responses,
        )
        return make_spec(schemas, {"/v0/orders/{id}/update": {"patch": op}})

    @staticmethod
    def _titles(doc: Doc) -> dict[str, str]:
        return {name: schema["title"] for name, schema in schemas_of(doc).items() if "title" in schema}

    def test_params_response_envelope_and_parameter_enum(self) -> None:
        """The class names are titles: components and pointers keep the vendor's names."""
        doc = self._doc(**{"x-sdk-unwrap": ["data"]})
        out, log = run_pass(p.name_sdk_classes, doc)
        assert self._titles(out) == {
            "PatchV0OrdersUpdateRequestBody": "OrderUpdateParams",
            "PatchV0OrdersUpdatePositiveResponse": "OrderUpdateEnvelope",
            "PatchV0OrdersUpdateParameterMode": "OrderUpdateMode",
        }
        data = schemas_of(out)["PatchV0OrdersUpdatePositiveResponse"]["properties"]["data"]
        assert data["title"] == "OrderUpdateResponse"
        assert ("/components/schemas/PatchV0OrdersUpdateRequestBody", "class OrderUpdateParams") in changes_of(log)

    def test_without_unwrap_the_body_is_the_response(self) -> None:
        out, _ = run_pass(p.name_sdk_classes, self._doc())
        assert self._titles(out)["PatchV0OrdersUpdatePositiveResponse"] == "OrderUpdateResponse"

    def test_a_returned_named_resource_keeps_its_name(self) -> None:
        doc = self._doc(**{"x-sdk-unwrap": ["data", "order"]})
        data = schemas_of(doc)["PatchV0OrdersUpdatePositiveResponse"]["properties"]["data"]
        data["properties"] = {"order": {"$ref": REF("Order")}}
        out, _ = run_pass(p.name_sdk_classes, doc)
        assert "title" not in schemas_of(out)["Order"]
        assert self._titles(out)["PatchV0OrdersUpdatePositiveResponse"] == "OrderUpdateEnvelope"

    def test_a_shared_or_named_component_is_kept(self) -> None:
        """A component two operations use, or one the vendor named, names a concept: it gets no title."""
        doc = self._doc()
        op = doc["paths"]["/v0/orders/{id}/update"]["patch"]
        other = {**copy.deepcopy(op), "x-sdk-method": "other", "operationId": "PatchV0OrdersOther"}
        doc["paths"]["/v0/orders/{id}/other"] = {"patch": other}
        out, _ = run_pass(p.name_sdk_classes, doc)
        assert "PatchV0OrdersUpdateRequestBody" not in self._titles(out)

    def test_a_taken_name_takes_the_first_free_class_name(self) -> None:
        doc = self._doc()
        schemas_of(doc)["orderUpdateParams"] = ADDRESS  # the generator's class OrderUpdateParams
        out, log = run_pass(p.name_sdk_classes, doc)
        assert self._titles(out)["PatchV0OrdersUpdateRequestBody"] == "OrderUpdateParams2"
        assert "the class OrderUpdateParams exists already: this one is OrderUpdateParams2" in " ".join(log.warnings)

    def test_a_nullable_object_component_is_its_own_class(self) -> None:
        """`NotificationConfig: anyOf: [{object}, null]` makes the class NotificationConfig, not ...Type0."""
        doc = make_spec({"NotificationConfig": {"anyOf": [make_obj(url={"type": "string"}), NULL]}})
        out, log = run_pass(p.name_sdk_classes, doc)
        assert schemas_of(out)["NotificationConfig"]["anyOf"][0]["title"] == "NotificationConfig"
        assert changes_of(log) == [
            ("/components/schemas/NotificationConfig", "the non-null member is the class NotificationConfig")
        ]

    def test_nothing_to_do(self) -> None:
        named = {**self.SDK, "responses": {"200": {"description": "ok", **json_content({"$ref": REF("Order")})}}}
        assert_nothing_to_do(p.name_sdk_classes, make_spec({"Order": ADDRESS}, {"/o": {"get": make_op("O", **named)}}))

    @pytest.mark.parametrize(("word", "expected"), [("orders", "order"), ("checkout_sessions", "checkout_session")])
    def test_singular_resource(self, word: str, expected: str) -> None:
        assert p.sdk.singular_word(word) == expected
