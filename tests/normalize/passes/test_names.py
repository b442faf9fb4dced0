"""The naming passes (normalize/passes/names.py): published operations kept, renames, SDK resource and method.

Each pass on a tiny inline spec, one class per pass (`TestLiftNullableUnions` for lift_nullable_unions): at least
one exact output, and the runner's "found nothing to change" warning when the pass has nothing to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import Overrides
from sdkpipeline.normalize import passes as p
from sdkpipeline.normalize.context import NamedLocation, NamesRecord, PublishedOperation
from tests.normalize.passes.fragments import (
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


class TestKeepPublishedOperations:
    RECORD = NamesRecord(operations={"GET /orders/{id}": PublishedOperation("GetOrder", "orders", "orders.retrieve")})

    def test_a_renamed_operation_keeps_its_published_id_tag_and_components(self) -> None:
        """The vendor renamed GetOrder (and its components, as express-zod-api does) and retagged it."""
        ok = {"description": "ok", **json_content({"$ref": REF("RetrieveOrderPositiveResponse")})}
        op = make_op("RetrieveOrder", tags=["sales", "orders"], responses={"200": ok})
        doc = make_spec(
            {"RetrieveOrderPositiveResponse": make_obj(id={"type": "string"})}, {"/orders/{id}": {"get": op}}
        )
        out, log = run_pass(p.keep_published_operations, doc, Overrides(record=self.RECORD))
        kept = out["paths"]["/orders/{id}"]["get"]
        assert (kept["operationId"], kept["tags"]) == ("GetOrder", ["orders", "sales"])
        assert set(schemas_of(out)) == {"GetOrderPositiveResponse"}
        assert kept["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": REF("GetOrderPositiveResponse")
        }
        assert changes_of(log) == [
            ("/paths/~1orders~1{id}/get/operationId", "published GetOrder kept (the vendor's is RetrieveOrder)"),
            ("/paths/~1orders~1{id}/get/tags", "published first tag 'orders' kept"),
        ]

    def test_found_by_its_path_with_another_parameter_name_or_by_its_operation_id(self) -> None:
        doc = make_spec(paths={"/orders/{order_id}": {"get": make_op("Renamed", tags=["orders"])}})
        out, _ = run_pass(p.keep_published_operations, doc, Overrides(record=self.RECORD))
        assert out["paths"]["/orders/{order_id}"]["get"]["operationId"] == "GetOrder"
        moved = make_spec(paths={"/orders/{id}": {"put": make_op("GetOrder", tags=["orders"])}})
        assert_nothing_to_do(p.keep_published_operations, moved, Overrides(record=self.RECORD))

    def test_a_published_id_another_operation_has_now_stays_there(self) -> None:
        doc = make_spec(
            paths={"/orders/{id}": {"get": make_op("Renamed", tags=["orders"])}, "/o": {"get": make_op("GetOrder")}}
        )
        out, log = run_pass(p.keep_published_operations, doc, Overrides(record=self.RECORD))
        assert out["paths"]["/orders/{id}"]["get"]["operationId"] == "Renamed"
        assert "the published operationId GetOrder is another operation's now" in log.warnings[0]

    def test_nothing_to_do(self) -> None:
        doc = make_spec(paths={"/orders/{id}": {"get": make_op("GetOrder", tags=["orders"])}})
        assert_nothing_to_do(p.keep_published_operations, doc, Overrides(record=self.RECORD))


class TestRenameComponents:
    def test_renames_and_rewrites_references(self) -> None:
        name = NamedLocation("/components/schemas/NegativeResponse", "ErrorResponse", "the error envelope")
        doc = make_spec({"NegativeResponse": make_obj(), "Order": make_obj(error={"$ref": REF("NegativeResponse")})})
        out, log = run_pass(p.rename_components, doc, Overrides(names=(name,)))
        assert schemas_of(out) == {"Order": make_obj(error={"$ref": REF("ErrorResponse")}), "ErrorResponse": make_obj()}
        assert changes_of(log) == [
            ("/components/schemas/ErrorResponse", "renamed from NegativeResponse: the error envelope")
        ]
        assert_nothing_to_do(p.rename_components, out, Overrides(names=(name,)))

    def test_missing_component_is_an_error(self) -> None:
        name = NamedLocation("/components/schemas/NegativeResponse", "ErrorResponse", "why")
        overrides = Overrides(file=Path("overrides.yaml"), names=(name,))
        with pytest.raises(PipelineError, match="no such component after normalization") as info:
            run_pass(p.rename_components, make_spec({"Order": make_obj()}), overrides)
        assert info.value.where == "/names"

    def test_taken_name_is_an_error(self) -> None:
        name = NamedLocation("/components/schemas/NegativeResponse", "Order", "why")
        with pytest.raises(PipelineError, match="cannot rename NegativeResponse: 'Order' already exists"):
            run_pass(
                p.rename_components,
                make_spec({"NegativeResponse": make_obj(), "Order": make_obj()}),
                Overrides(names=(name,)),
            )

    def test_nothing_to_do(self) -> None:
        assert_nothing_to_do(p.rename_components, make_spec({"Order": make_obj()}))


class TestNameOperations:
    @staticmethod
    def _names(doc: Doc) -> dict[str, str]:
        return {
            f"{method.upper()} {path}": f"{op['x-sdk-resource']}.{op['x-sdk-method']}"
            for path, item in doc["paths"].items()
            for method, op in item.items()
        }

    def test_derived_names(self) -> None:
        tags = {"tags": ["orders"]}
        doc = make_spec(
            paths={
                "/orders": {"get": make_op("a", **tags), "post": make_op("b", **tags)},
                "/orders/{id}": {
                    "get": make_op("c", **tags),
                    "patch": make_op("d", **tags),
                    "delete": make_op("e", **tags),
                },
                "/orders/{id}/cancel": {"post": make_op("f", **tags)},
                "/v0/checkout/sessions": {"post": make_op("g", tags=["Checkout Sessions"])},
                "/v0/refunds/list": {"get": make_op("h", tags=["refunds"])},
            }
        )
        out, log = run_pass(p.name_operations, doc)
        assert self._names(out) == {
            "GET /orders": "orders.list",
            "POST /orders": "orders.create",
            "GET /orders/{id}": "orders.retrieve",
            "PATCH /orders/{id}": "orders.update",
            "DELETE /orders/{id}": "orders.delete",
            "POST /orders/{id}/cancel": "orders.cancel",
            "POST /v0/checkout/sessions": "checkout_sessions.create",
            "GET /v0/refunds/list": "refunds.list",
        }
        assert changes_of(log)[0] == ("/paths/~1orders/get", "SDK method orders.list")

    def test_operation_names_override(self) -> None:
        doc = make_spec(
            paths={"/v0/orders/list": {"get": make_op("a", tags=["orders"])}, "/v0/stats": {"get": make_op("b")}}
        )
        overrides = Overrides(operation_names={"a": "list_all", "b": "stats.summary"})
        out, _ = run_pass(p.name_operations, doc, overrides)
        assert self._names(out) == {"GET /v0/orders/list": "orders.list_all", "GET /v0/stats": "stats.summary"}

    def test_collisions_are_named_from_operation_ids_with_one_warning(self) -> None:
        # GET /orders/list and GET /orders are both orders.list; /{id} under two tags' paths both retrieve
        doc = make_spec(
            paths={
                "/v0/orders/list": {"get": make_op("GetOrders", tags=["orders"])},
                "/v0/orders": {"get": make_op("ListOrders", tags=["orders"])},
                "/v0/keys/{id}": {"get": make_op("GetKey", tags=["keys"])},
                "/v0/keys/{id}/x/{xid}": {"get": make_op("GetKeyX", tags=["keys"])},
                "/v0/keys": {"get": make_op("ListKeys", tags=["keys"])},
            }
        )
        out, log = run_pass(p.name_operations, doc)
        assert self._names(out) == {
            "GET /v0/orders/list": "orders.get_orders",
            "GET /v0/orders": "orders.list_orders",
            "GET /v0/keys/{id}": "keys.get_key",
            "GET /v0/keys/{id}/x/{xid}": "keys.get_key_x",
            "GET /v0/keys": "keys.list",
        }
        assert log.warnings == [
            "name_operations: 2 SDK method name(s) claimed by more than one operation, named from their "
            "operationIds instead (choose better ones in operation_names):\n"
            "    keys.retrieve: GetKey → keys.get_key, GetKeyX → keys.get_key_x\n"
            "    orders.list: GetOrders → orders.get_orders, ListOrders → orders.list_orders"
        ]

    def test_a_warning_shows_three_collisions_and_counts_the_rest(self) -> None:
        paths = {f"/v0/{tag}/list": {"get": make_op(f"Get{tag}", tags=[tag])} for tag in "abcde"}
        paths |= {f"/v0/{tag}": {"get": make_op(f"List{tag}", tags=[tag])} for tag in "abcde"}
        _, log = run_pass(p.name_operations, make_spec(paths=paths))
        [warning] = log.warnings
        assert warning.splitlines()[1:] == [
            "    a.list: Geta → a.geta, Lista → a.lista",
            "    b.list: Getb → b.getb, Listb → b.listb",
            "    c.list: Getc → c.getc, Listc → c.listc",
            "    … and 2 more (see the normalized spec)",
        ]
        assert warning.startswith("name_operations: 5 SDK method name(s) claimed by more than one operation")

    def test_an_override_settles_a_collision(self) -> None:
        doc = make_spec(
            paths={
                "/v0/orders/list": {"get": make_op("a", tags=["orders"])},
                "/v0/orders": {"get": make_op("b", tags=["orders"])},
            }
        )
        out, log = run_pass(p.name_operations, doc, Overrides(operation_names={"b": "list_all"}))
        assert self._names(out) == {"GET /v0/orders/list": "orders.list", "GET /v0/orders": "orders.list_all"}
        assert log.warnings == []

    def test_chosen_names_that_clash_are_all_reported_in_one_error(self) -> None:
        doc = make_spec(
            paths={
                "/a": {"get": make_op("a", tags=["t"]), "post": make_op("b", tags=["t"])},
                "/c": {"get": make_op("c", tags=["t"]), "post": make_op("d", tags=["t"])},
            }
        )
        names = {"a": "t.x", "b": "t.x", "c": "t.y", "d": "t.y"}
        overrides = Overrides(file=Path("specs/shop/overrides.yaml"), operation_names=names)
        with pytest.raises(PipelineError) as info:
            run_pass(p.name_operations, doc, overrides)
        assert str(info.value) == (
            "specs/shop/overrides.yaml#/operation_names: a and b both map to t.x; c and d both map to t.y\n"
            "  hint: give each operation its own resource.method in operation_names"
        )

    def test_the_first_tag_is_the_resource(self) -> None:
        # a second tag (the vendor files key operations under 'offers' and 'keys') never moves a method
        doc = make_spec(paths={"/v0/offers/{id}/keys/add": {"post": make_op("AddKeys", tags=["offers", "keys"])}})
        out, _ = run_pass(p.name_operations, doc)
        assert self._names(out) == {"POST /v0/offers/{id}/keys/add": "offers.add"}

    def test_the_record_keeps_a_published_method(self) -> None:
        doc = make_spec(paths={"/v0/offers/{id}/keys/add": {"post": make_op("AddKeys", tags=["offers", "keys"])}})
        published = PublishedOperation("AddKeys", "offers", "keys.add")
        overrides = Overrides(record=NamesRecord(operations={"POST /v0/offers/{id}/keys/add": published}))
        out, _ = run_pass(p.name_operations, doc, overrides)
        assert self._names(out) == {"POST /v0/offers/{id}/keys/add": "keys.add"}

    def test_the_record_follows_an_operation_by_method_and_path(self) -> None:
        """A renamed operationId or path parameter finds the published method by method and path."""
        published = PublishedOperation("GetOrder", "orders", "orders.fetch")
        record = NamesRecord(operations={"GET /orders/{id}": published})
        doc = make_spec(paths={"/orders/{order_id}": {"get": make_op("RetrieveOrder", tags=["orders"])}})
        out, _ = run_pass(p.name_operations, doc, Overrides(record=record))
        assert self._names(out) == {"GET /orders/{order_id}": "orders.fetch"}

    def test_nothing_to_do(self) -> None:
        named = make_op("a", tags=["orders"], **{"x-sdk-resource": "orders", "x-sdk-method": "list"})
        assert_nothing_to_do(p.name_operations, make_spec(paths={"/orders": {"get": named}}))
