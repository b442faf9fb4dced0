"""The models' runtime (templates/runtime/_models.py) on small hand-written models, as the templates write them.

The classes below are what templates/model.py.jinja and str_enum.py.jinja generate (a `_fill` of one line
per field, an optional one set only when the body has it, the nested models imported after the class): a
shop order with lines, a status enum, a renamed JSON key and a nested object, enough for every reading
rule of the runtime.
"""

from __future__ import annotations

import copy
import datetime
import json
import pickle
import uuid
from typing import Any, ClassVar, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runtime._models import (
    UNSET,
    Lookup,
    Model,
    OpenIntEnum,
    OpenStrEnum,
    ResponseValidationError,
    as_date,
    as_datetime,
    as_enums,
    as_model,
    as_models,
    check,
    decode_body,
    header_values,
    members,
    parse,
    query_params,
    read_body,
    read_field,
    response_for_status,
    salvage,
    to_plain,
)

# --- the models under test (the shape of generated code) -------------------------------------------------


class Status(OpenStrEnum):
    OPEN = "open"
    PAID = "paid"


class Priority(OpenIntEnum):
    LOW = 1
    HIGH = 2


_Status = members(Status)
_Priority = members(Priority)


class Line(Model):
    sku: str
    quantity: int
    price: float | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        self.sku = data["sku"]
        self.quantity = data["quantity"]
        read = 2
        if "price" in data:
            self.price = data["price"]
            read += 1
        return read


class Shop(Model):
    """A nested object that may be null."""

    name: str | None = None
    _nullable: ClassVar[frozenset[str]] = frozenset({"name"})

    def _fill(self, data: dict[str, Any]) -> int:
        read = 0
        if "name" in data:
            self.name = data["name"]
            read += 1
        return read


class Order(Model):
    id: str
    status: Status | Literal["open", "paid"]
    kind: Literal["order"] = "order"
    created_at: int | None = None
    lines: list[Line] | None = None
    shop: Shop | None = None
    tags: list[str] | None = None
    priority: Priority | Literal[1, 2] | None = None
    history: list[Status | Literal["open", "paid"]] | None = None
    note: str | None = None
    """Server default: 'none' (the server's, when the field is not sent)."""
    _aliases: ClassVar[dict[str, str]] = {"created_at": "createdAt"}
    _nullable: ClassVar[frozenset[str]] = frozenset({"created_at", "shop"})

    def _fill(self, data: dict[str, Any]) -> int:
        self.id = data["id"]
        self.status = _Status[data["status"]]
        read = 2
        if "kind" in data:
            self.kind = data["kind"]
            read += 1
        if "createdAt" in data:
            self.created_at = data["createdAt"]
            read += 1
        if "lines" in data:
            self.lines = as_models(Line, data["lines"])
            read += 1
        if "shop" in data:
            self.shop = as_model(Shop, data["shop"])
            read += 1
        if "tags" in data:
            self.tags = data["tags"]
            read += 1
        if "priority" in data:
            self.priority = _Priority[data["priority"]]
            read += 1
        if "history" in data:
            self.history = as_enums(_Status, data["history"])
            read += 1
        if "note" in data:
            self.note = data["note"]
            read += 1
        return read


class Page(Model):
    data: PageData

    def _fill(self, data: dict[str, Any]) -> int:
        self.data = as_model(PageData, data["data"])
        return 1


class PageData(Model):
    orders: list[Order]
    count: int | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        self.orders = as_models(Order, data["orders"])
        read = 1
        if "count" in data:
            self.count = data["count"]
            read += 1
        return read


class Stamp(Model):
    at: datetime.datetime | None = None
    on: datetime.date | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        read = 0
        if "at" in data:
            self.at = as_datetime(data["at"])
            read += 1
        if "on" in data:
            self.on = as_date(data["on"])
            read += 1
        return read


def order_json(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "o1",
        "status": "paid",
        "kind": "order",
        "createdAt": 1700000000,
        "lines": [{"sku": "A-1", "quantity": 2, "price": 9.5}],
        "shop": {"name": "Corner"},
        "tags": ["gift"],
        "priority": 2,
        "history": ["open", "paid"],
        "note": "leave at the door",
    }
    body.update(changes)
    return body


def page_json(orders: list[dict[str, Any]]) -> dict[str, Any]:
    return {"data": {"orders": orders, "count": len(orders)}}


# --- UNSET and open enums -------------------------------------------------------------------------------


def test_unset_is_falsy_reads_as_unset_and_pickles_as_the_singleton() -> None:
    """UNSET is one object: falsy, shown as UNSET, the same object after a pickle round trip."""
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
    assert copy.deepcopy(UNSET) is UNSET


def test_open_str_enum_keeps_an_undocumented_value_as_a_pseudo_member() -> None:
    """An unknown string is an instance of the enum, equal to the string, not a documented member, not cached."""
    member = Status("refunded")
    assert isinstance(member, Status)
    assert member == "refunded"
    assert member.value == "refunded"
    assert str(member) == "refunded"
    assert not member.known
    assert Status.PAID.known
    assert Status("refunded") is not member  # never added to the enum
    assert list(Status) == [Status.OPEN, Status.PAID]
    assert "undocumented" in repr(member)
    assert pickle.loads(pickle.dumps(member)) == "refunded"


def test_open_enum_refuses_a_value_of_the_wrong_type() -> None:
    """A number is not a value of a string enum, and a string is not one of an int enum."""
    with pytest.raises(ValueError, match="5 is not a valid Status"):
        Status(5)
    with pytest.raises(ValueError, match="'1' is not a valid Priority"):
        Priority("1")
    assert Priority(7) == 7 and not Priority(7).known


def test_lookup_gives_members_pseudo_members_and_absent_values() -> None:
    """The `_fill` lookup: the member itself, the value as it came for UNSET and null, a pseudo-member otherwise."""
    lookup = members(Status)
    assert isinstance(lookup, Lookup)
    assert members(Status) is lookup  # shared by every model module
    assert lookup["paid"] is Status.PAID
    assert lookup[UNSET] is UNSET
    assert lookup[None] is None
    assert lookup["refunded"] == "refunded" and not lookup["refunded"].known
    with pytest.raises(TypeError):
        lookup[["a", "list"]]


# --- constructing ---------------------------------------------------------------------------------------


def test_constructor_is_keyword_only() -> None:
    """A positional argument is a TypeError: the order of the spec's properties can never break a caller."""
    with pytest.raises(TypeError, match=r"Line\(\) takes keyword arguments only \(2 positional given\)"):
        Line("A-1", 2)  # type: ignore[misc]


def test_help_shows_the_keyword_only_constructor() -> None:
    """inspect.signature (and so help()) shows every field as a keyword-only parameter with its default."""
    import inspect

    signature = inspect.signature(Line)
    assert str(signature) == "(*, sku: 'str', quantity: 'int', price: 'float | None' = None) -> None"


def test_constructor_names_missing_and_unexpected_arguments() -> None:
    """A missing required field and an unknown keyword are TypeErrors naming them."""
    with pytest.raises(TypeError, match=r"Line\(\) missing required keyword argument\(s\): quantity"):
        Line(sku="A-1")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\): colour"):
        Line(sku="A-1", quantity=1, colour="red")  # type: ignore[call-arg]


def test_constructor_sets_only_what_is_given_and_takes_enum_values_as_strings() -> None:
    """An optional field not given is not set (reads None, not sent); a required one-value field is set to its value."""
    order = Order(id="o1", status="paid")
    assert order.kind == "order"
    assert order.note is None and order.lines is None
    assert order.model_fields_set == {"id", "status", "kind"}
    assert order.to_dict() == {"id": "o1", "status": "paid", "kind": "order"}


def test_models_are_slotted_and_compare_by_value() -> None:
    """An unknown attribute cannot be set by mistake; equal fields make equal models (and no hash)."""
    line = Line(sku="A-1", quantity=1)
    with pytest.raises(AttributeError):
        line.colour = "red"  # type: ignore[attr-defined]
    assert line == Line(sku="A-1", quantity=1)
    assert line != Line(sku="A-1", quantity=2)
    with pytest.raises(TypeError):
        hash(line)


# --- which fields are set: absent, null, copies ------------------------------------------------------------


def test_model_fields_set_tells_an_absent_field_from_a_null_one() -> None:
    """Both read None; only the null one is set, and to_dict gives the body back as it came (null kept)."""
    with_null = Order.from_dict({"id": "o1", "status": "open", "note": None})
    absent = Order.from_dict({"id": "o1", "status": "open"})
    assert with_null.note is None and absent.note is None
    assert "note" in with_null.model_fields_set and "note" not in absent.model_fields_set
    assert with_null.to_dict() == {"id": "o1", "status": "open", "note": None}
    assert with_null != absent


def test_a_request_model_serialises_only_the_fields_given() -> None:
    """The constructor sets what it is given (None included: sent as null), and nothing else."""
    order = Order(id="o1", status="open", note=None, tags=["a"])
    assert order.model_fields_set == {"id", "status", "kind", "note", "tags"}
    assert order.to_dict() == {"id": "o1", "status": "open", "kind": "order", "note": None, "tags": ["a"]}
    assert [key for key, _ in order.to_multipart()] == ["id", "status", "kind", "tags", "note"]


def test_assigning_sets_a_field_and_deleting_unsets_it() -> None:
    """An assignment is sent; `del` makes the field absent again: it reads None and is left out."""
    order = Order.from_dict({"id": "o1", "status": "open"})
    order.note = "ring twice"
    assert "note" in order.model_fields_set and order.to_dict()["note"] == "ring twice"
    del order.note
    assert order.note is None and "note" not in order.model_fields_set
    assert order.to_dict() == {"id": "o1", "status": "open"}


def test_dict_of_a_model_gives_every_field_by_attribute_then_the_unknown_ones() -> None:
    """`dict(model)` (pydantic's iteration): unset optional fields as None, constants as their value, extras
    by their JSON key; a required field the body left out has no value and is not there."""
    line = Line.from_dict({"sku": "A", "quantity": 2, "bin": 7})
    assert dict(line) == {"sku": "A", "quantity": 2, "price": None, "bin": 7}
    order = Order.from_dict({"status": "open", "createdAt": 5})
    assert dict(order) == {
        "status": Status.OPEN,
        "kind": "order",
        "created_at": 5,
        "lines": None,
        "shop": None,
        "tags": None,
        "priority": None,
        "history": None,
        "note": None,
    }


def test_model_copy_is_shallow_and_sets_the_update() -> None:
    """The copy shares nested values, has its own unknown fields, and the update's fields are set on it."""
    order = Order.from_dict(order_json(giftWrap=True))
    copied = order.model_copy(update={"note": None, "tags": ["new"]})
    assert copied is not order and copied.id == "o1"
    assert copied.lines is order.lines  # shallow
    assert copied.note is None and "note" in copied.model_fields_set and copied.tags == ["new"]
    assert order.note == "leave at the door" and order.tags == ["gift"]
    copied["giftWrap"] = False
    assert order["giftWrap"] is True
    assert copy.copy(order) == order and copy.copy(order) is not order


def test_model_copy_deep_copies_nested_values() -> None:
    """deep=True: nested models and lists are copies; what is not set stays unset."""
    order = Order.from_dict({"id": "o1", "status": "open", "lines": [{"sku": "A", "quantity": 1}]})
    deep = order.model_copy(deep=True)
    assert deep == order and deep.lines is not order.lines
    assert isinstance(deep.lines, list) and isinstance(order.lines, list)
    deep.lines[0].quantity = 5
    assert order.lines[0].quantity == 1
    assert deep.model_fields_set == order.model_fields_set == {"id", "status", "lines"}


def test_model_copy_refuses_a_field_the_model_does_not_have() -> None:
    """A typo in `update` is a TypeError naming it, not a silently ignored key."""
    with pytest.raises(TypeError, match=r"Order\.model_copy\(\) got unknown field\(s\) in update: colour"):
        Order(id="o1", status="open").model_copy(update={"colour": "red"})


def test_pickle_and_deepcopy_keep_what_is_set() -> None:
    """A round trip keeps the set fields, the unset ones unset and the unknown ones."""
    order = Order.from_dict({"id": "o1", "status": "open", "note": None, "x": 1})
    for again in (pickle.loads(pickle.dumps(order)), copy.deepcopy(order)):
        assert again == order
        assert again.model_fields_set == {"id", "status", "note"}
        assert again["x"] == 1 and again.lines is None


# --- lenient parsing ------------------------------------------------------------------------------------


def test_a_full_body_parses_into_members_and_nested_models() -> None:
    """Every reading rule on one body: renamed key, enum member, nested list and object, int enum."""
    order = Order.from_dict(order_json())
    assert order.status is Status.PAID
    assert order.created_at == 1700000000
    assert order.lines == [Line(sku="A-1", quantity=2, price=9.5)]
    assert isinstance(order.shop, Shop) and order.shop.name == "Corner"
    assert order.priority is Priority.HIGH
    assert order.history == [Status.OPEN, Status.PAID]
    assert order.additional_properties == {}


def test_unknown_fields_are_kept_and_serialised_back() -> None:
    """A field the spec does not declare is kept in additional_properties (and `order[key]`), and in to_dict."""
    body = order_json(giftWrap={"paper": "red"})
    body["lines"][0]["warehouse"] = "B"
    order = Order.from_dict(body)
    assert order.additional_properties == {"giftWrap": {"paper": "red"}}
    assert order["giftWrap"] == {"paper": "red"}
    assert "giftWrap" in order and order.additional_keys == ["giftWrap"]
    assert isinstance(order.lines, list) and order.lines[0]["warehouse"] == "B"
    assert order.to_dict() == body


def test_an_unknown_field_beside_an_absent_optional_one_is_kept() -> None:
    """As many keys as the model has fields, one of them unknown: `_fill` counts the keys it read, so the
    unknown one is found; a body of only known keys makes no extras at all."""
    line = Line.from_dict({"sku": "A", "quantity": 1, "bin": 7})
    assert line.additional_properties == {"bin": 7} and line.price is None
    assert as_models(Line, [{"sku": "A", "quantity": 1, "bin": 7}])[0]["bin"] == 7
    assert "additional_properties" not in repr(Line.from_dict({"sku": "A", "quantity": 1, "price": 2.0}))


def test_unknown_enum_values_are_kept_in_fields_and_lists() -> None:
    """New values in a field, an int enum and a list of enum values parse and serialise back unchanged."""
    body = order_json(status="refunded", priority=9, history=["open", "disputed"])
    order = Order.from_dict(body)
    assert order.status == "refunded" and not order.status.known
    assert order.priority == 9
    assert isinstance(order.history, list) and order.history[1] == "disputed"
    assert order.to_dict() == body


def test_a_forgotten_null_is_kept() -> None:
    """null where the spec documents an object, a list, an enum or a string parses as None."""
    body = order_json(shop=None, lines=None, priority=None, note=None)
    order = Order.from_dict(body)
    assert order.shop is None and order.lines is None and order.priority is None and order.note is None
    assert order.to_dict() == body


def test_a_missing_required_field_is_left_unset_and_reading_it_says_so() -> None:
    """Lenient: the body parses; reading the missing field raises AttributeError naming it; to_dict leaves it out."""
    body = order_json()
    del body["id"]
    order = Order.from_dict(body)
    with pytest.raises(AttributeError, match=r"Order\.id is not set: the body left out this field"):
        _ = order.id
    assert order.status is Status.PAID  # the rest is read
    assert order.to_dict() == body
    assert "id=" not in repr(order)


def test_a_missing_optional_field_reads_none_and_is_not_set() -> None:
    """An optional field the body leaves out reads None; a required constant reads its value; neither is set."""
    order = Order.from_dict({"id": "o1", "status": "open"})
    assert order.note is None and order.lines is None and order.shop is None
    assert order.kind == "order"
    assert order.model_fields_set == {"id", "status"}
    assert order.to_dict() == {"id": "o1", "status": "open"}


def test_a_body_that_cannot_be_represented_names_the_json_path() -> None:
    """An object where an enum value is, four orders down a page: the error names data.orders[3].status."""
    orders = [order_json(id=f"o{i}") for i in range(5)]
    orders[3]["status"] = {"code": "paid"}
    with pytest.raises(ResponseValidationError) as info:
        Page.from_dict(page_json(orders))
    assert info.value.path == "data.orders[3].status"
    assert info.value.reason == "expected a value of Status, got an object"
    assert str(info.value) == "Page: data.orders[3].status: expected a value of Status, got an object"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("changes", "path", "reason"),
    [
        ({"lines": "none"}, "lines", "expected a list, got a string"),
        ({"lines": [{"sku": "A"}, 3]}, "lines[1]", "expected an object (Line), got a number"),
        ({"shop": ["Corner"]}, "shop", "expected an object (Shop), got a list"),
        ({"history": ["open", 4]}, "history[1]", "expected a value of Status, got a number"),
    ],
    ids=["list-as-string", "item-as-number", "object-as-list", "enum-item-as-number"],
)
def test_each_unrepresentable_shape_names_its_path(changes: dict[str, Any], path: str, reason: str) -> None:
    """Lists, list items, nested objects and enum list items that are another JSON type fail at their path."""
    with pytest.raises(ResponseValidationError) as info:
        Order.from_dict(order_json(**changes))
    assert (info.value.path, info.value.reason) == (path, reason)


def test_a_body_that_is_not_an_object_fails_at_the_root() -> None:
    """A list where the object should be: the path is the body itself."""
    with pytest.raises(ResponseValidationError, match="Order: the body: expected an object, got a list"):
        Order.from_dict([1, 2])  # type: ignore[arg-type]


def test_scalars_of_the_wrong_type_are_kept_when_lenient() -> None:
    """Lenient parsing converts only what it must: a number where a string is documented is kept as it came."""
    order = Order.from_dict(order_json(id=42, createdAt="yesterday"))
    assert order.id == 42 and order.created_at == "yesterday"
    assert check(Order, order_json(id=42), strict=False) == []


def test_from_dict_takes_any_mapping_and_leaves_it_unchanged() -> None:
    """The input is read, never changed (no copy is made of it either)."""
    body = order_json()
    before = copy.deepcopy(body)
    Order.from_dict(body)
    assert body == before


# --- strict parsing -------------------------------------------------------------------------------------


def test_strict_accepts_a_body_that_fits() -> None:
    """A body exactly as documented passes the strict check (ints where numbers are documented too)."""
    order = Order.from_dict(order_json(lines=[{"sku": "A", "quantity": 1, "price": 3}]), strict=True)
    assert order.lines == [Line(sku="A", quantity=1, price=3)]
    assert Order.from_dict(order_json(createdAt=None, shop={"name": None}), strict=True).created_at is None


@pytest.mark.parametrize(
    ("changes", "path", "reason"),
    [
        ({"id": 42}, "id", "expected a string, got a number"),
        ({"createdAt": "soon"}, "createdAt", "expected an integer, got a string"),
        ({"createdAt": True}, "createdAt", "expected an integer, got a boolean"),
        ({"status": "refunded"}, "status", "'refunded' is not a value of Status ('open', 'paid')"),
        ({"priority": 9}, "priority", "9 is not a value of Priority (1, 2)"),
        ({"note": None}, "note", "null is not allowed here (a string expected)"),
        ({"lines": None}, "lines", "null is not allowed here (a list expected)"),
        ({"kind": "invoice"}, "kind", "expected 'order', got a string"),
        ({"lines": [{"sku": "A"}]}, "lines[0].quantity", "a required field is missing"),
        ({"lines": [{"sku": "A", "quantity": 1, "price": "9"}]}, "lines[0].price", "expected a number, got a string"),
    ],
    ids=["str", "int", "bool-not-int", "enum", "int-enum", "null", "null-list", "const", "required", "nested-float"],
)
def test_strict_fails_with_the_path(changes: dict[str, Any], path: str, reason: str) -> None:
    """Strict: wrong scalar types, unknown enum values, forgotten nulls and missing required fields fail."""
    with pytest.raises(ResponseValidationError) as info:
        Order.from_dict(order_json(**changes), strict=True)
    assert (info.value.path, info.value.reason) == (path, reason)
    Order.from_dict(order_json(**changes))  # lenient: the same body parses


def test_strict_keeps_unknown_fields() -> None:
    """A field the vendor added is not an error even in strict mode (it is kept)."""
    order = Order.from_dict(order_json(giftWrap=True), strict=True)
    assert order["giftWrap"] is True


def test_strict_reports_every_problem() -> None:
    """All problems are listed; the message shows the first three and counts the rest."""
    body = order_json(id=1, createdAt="x", note=None, status="x", kind="y")
    with pytest.raises(ResponseValidationError) as info:
        parse(Order, body, strict=True)
    assert [p for p, _ in info.value.problems] == ["id", "status", "kind", "createdAt", "note"]
    assert str(info.value).endswith("(and 2 more)")


# --- the fast path and the check agree ----------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    key=st.sampled_from(["id", "status", "createdAt", "lines", "shop", "tags", "priority", "history", "note"]),
    value=JSON_VALUES,
)
def test_parsing_fails_exactly_where_the_lenient_check_finds_a_problem(key: str, value: Any) -> None:
    """Any JSON value in any field: `_fill` raises if and only if the lenient check names a path (that one)."""
    body = order_json(**{key: value})
    problems = check(Order, body, strict=False)
    try:
        as_model(Order, body)
    except (TypeError, ValueError, AttributeError, KeyError):
        assert problems and problems[0][0].startswith(key)
    else:
        assert problems == []


# --- serialising ----------------------------------------------------------------------------------------


def test_to_dict_and_to_json_give_the_json_back() -> None:
    """JSON keys (not attribute names), enum values (not members), nested models, unknown fields."""
    body = order_json(extra=[1])
    order = Order.from_dict(body)
    plain = order.to_dict()
    assert plain == body
    assert type(plain["status"]) is str
    assert json.loads(order.to_json()) == body
    assert order.to_json(indent=None) == json.dumps(plain, ensure_ascii=False)


def test_repr_shows_only_the_fields_that_are_set() -> None:
    """No UNSET noise: only the fields set, then the unknown fields."""
    order = Order.from_dict({"id": "o1", "status": "open", "x": 1})
    assert repr(order) == "Order(id='o1', status=<Status.OPEN: 'open'>, additional_properties={'x': 1})"
    assert repr(Line(sku="A", quantity=1)) == "Line(sku='A', quantity=1)"


def test_to_plain_makes_json_data_of_sdk_values() -> None:
    """Models, members, UUIDs, dates and tuples become JSON values; plain strings stay as they are."""
    stamp = Stamp(at=datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC), on=datetime.date(2024, 1, 2))
    value = {
        "line": Line(sku="A", quantity=1),
        "status": Status.PAID,
        "raw": "paid",
        "id": uuid.UUID(int=1),
        "stamp": stamp,
        "pair": (Priority.LOW, 2.5),
    }
    assert to_plain(value) == {
        "line": {"sku": "A", "quantity": 1},
        "status": "paid",
        "raw": "paid",
        "id": "00000000-0000-0000-0000-000000000001",
        "stamp": {"at": "2024-01-02T03:04:00+00:00", "on": "2024-01-02"},
        "pair": [1, 2.5],
    }


def test_dates_parse_from_iso_strings() -> None:
    """date-time and date fields read ISO 8601 (a trailing Z included); other values are errors at their path."""
    stamp = Stamp.from_dict({"at": "2024-01-02T03:04:05Z", "on": "2024-01-02"})
    assert stamp.at == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert stamp.on == datetime.date(2024, 1, 2)
    with pytest.raises(ResponseValidationError, match="at: expected an ISO 8601 date-time string, got 'soon'"):
        Stamp.from_dict({"at": "soon"})


def test_query_params_leave_out_unset_and_null_and_take_plain_values() -> None:
    """Enum members and plain strings are sent alike; a model parameter is spread into the query."""
    params = query_params(
        {"statuses": [Status.PAID, "open"], "term": UNSET, "skip": None, "archived": False, "shop": Shop(name="C")}
    )
    assert params == {"statuses": ["paid", "open"], "archived": False, "name": "C"}


def test_header_values_are_text() -> None:
    """Booleans as true/false, enums as their values, unset and null headers left out."""
    assert header_values({"X-A": True, "X-B": Status.OPEN, "X-C": UNSET, "X-D": None, "X-E": 3}) == {
        "X-A": "true",
        "X-B": "open",
        "X-E": "3",
    }


# --- responses and salvage ------------------------------------------------------------------------------


def test_response_for_status_uses_the_success_response_for_an_undocumented_2xx() -> None:
    """A 200 to a documented-201 write reads as the 201 response; an undocumented error status has no body."""
    responses = ((201, 201, "json", Order), (400, 400, "json", Shop), (500, 599, "none", None))
    assert response_for_status(responses, 201) == (True, "json", Order)
    assert response_for_status(responses, 200) == (False, "json", Order)
    assert response_for_status(responses, 400) == (True, "json", Shop)
    assert response_for_status(responses, 503) == (True, "none", None)
    assert response_for_status(responses, 404) == (False, "none", None)
    assert response_for_status(((204, 204, "none", None),), 200) == (False, "none", None)


def test_read_body_by_how_it_is_sent() -> None:
    """JSON is parsed into its type; text and bytes come as they are; a body-less response is None."""
    assert read_body("json", Shop, b'{"name": "C"}', lambda: "") == Shop(name="C")
    assert read_body("text", str, b"ok", lambda: "ok") == "ok"
    assert read_body("bytes", bytes, b"\x89PNG", lambda: "") == b"\x89PNG"
    assert read_body("none", None, b"ignored", lambda: "") is None


def test_a_binary_body_documented_as_a_file_is_a_file() -> None:
    """The generator types a download as the package's `File`: the content is its payload."""

    class File:
        def __init__(self, *, payload: Any) -> None:
            self.payload = payload

    download = read_body("bytes", File, b"%PDF-1.7", lambda: "")
    assert isinstance(download, File) and download.payload.read() == b"%PDF-1.7"


def test_a_list_response_parses_its_items_and_names_the_path() -> None:
    """A body documented as `list[Line]`: each item a model; an item of another type fails at its index."""
    lines = parse(list[Line], [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2, "x": 1}])
    assert lines == [Line(sku="A", quantity=1), Line.from_dict({"sku": "B", "quantity": 2, "x": 1})]
    with pytest.raises(ResponseValidationError, match=r"list\[Line\]: \[1\]: expected an object \(Line\)"):
        parse(list[Line], [{"sku": "A", "quantity": 1}, "B"])
    with pytest.raises(ResponseValidationError, match=r"\[0\]\.quantity: a required field is missing"):
        parse(list[Line], [{"sku": "A"}], strict=True)
    with pytest.raises(ResponseValidationError, match="expected a list, got nothing"):
        parse(list[Line], UNSET)
    assert parse(Any, {"anything": [1]}) == {"anything": [1]}
    assert parse(list[Status | Literal["open", "paid"]], ["open", "new"]) == ["open", "new"]


def test_decode_body_tells_empty_from_invalid() -> None:
    """An empty body is UNSET (the check then says 'got nothing'); text that is not JSON is an error."""
    assert decode_body(b"") is UNSET
    assert decode_body(b'{"a": 1}') == {"a": 1}
    with pytest.raises(ResponseValidationError, match="the body: the body is not JSON"):
        decode_body(b"<html>")
    with pytest.raises(ResponseValidationError, match="expected an object, got nothing"):
        parse(Order, UNSET)


def test_salvage_moves_what_does_not_fit_to_its_holder_and_keeps_the_rest() -> None:
    """The write's fallback: a list where an object is documented moves, under its key, to the holder's extras."""
    body = order_json(shop=["Corner"])
    body["lines"] = [{"sku": "A-1", "quantity": 1}, "garbage"]
    order = salvage(Order, body)
    assert isinstance(order, Order)
    assert order.id == "o1" and order.status is Status.PAID
    assert order.shop is None and order.lines is None
    assert not {"shop", "lines"} & order.model_fields_set
    assert order["shop"] == ["Corner"] and order["lines"] == body["lines"]
    assert order.to_dict() == body


def test_salvage_of_a_nested_value_keeps_the_nested_model() -> None:
    """A bad value deep in a page moves to the extras of the object that holds it, not of the page."""
    orders = [order_json(), order_json(shop="Corner")]
    page = salvage(Page, page_json(orders))
    assert page.data.orders[1]["shop"] == "Corner"
    assert page.data.orders[0].shop == Shop(name="Corner")
    assert page.to_dict() == page_json(orders)


def test_salvage_of_a_body_that_is_not_an_object_is_an_empty_model() -> None:
    """Nothing fits: a model with no field set (a required one raises on reading), never an exception."""
    order = salvage(Order, "created")
    assert order.to_dict() == {}
    assert order.note is None and order.model_fields_set == set()
    with pytest.raises(AttributeError, match=r"Order\.id is not set"):
        _ = order.id


def test_salvage_of_a_body_documented_as_a_list_is_the_json() -> None:
    """Not a model: the write's fallback is the decoded JSON as it came."""
    assert salvage(list[Line], [{"sku": 1}, "x"]) == [{"sku": 1}, "x"]
    assert salvage(list[Line], UNSET) is None


# --- fields no single converter reads, and multipart bodies ------------------------------------------------


class Event(Model):
    """`at: datetime | date` and a list of lists of models: read by their annotations (`read_field`)."""

    at: datetime.datetime | datetime.date | str | None = None
    grid: list[list[Line]] | None = None

    def _fill(self, data: dict[str, Any]) -> int:
        read = 0
        if "at" in data:
            self.at = read_field(Event, "at", data["at"])
            read += 1
        if "grid" in data:
            self.grid = read_field(Event, "grid", data["grid"])
            read += 1
        return read


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-26T10:00:00Z", datetime.datetime(2026, 11, 26, 10, tzinfo=datetime.UTC)),
        ("2026-11-26", datetime.datetime(2026, 11, 26)),  # an ISO date is a datetime too: the first member wins
        ("next week", "next week"),  # fits only the plain member: kept as it came
    ],
)
def test_a_union_of_two_converted_types_reads_the_first_member_that_fits(value: str, expected: object) -> None:
    assert Event.from_dict({"at": value}).at == expected


def test_a_list_of_lists_of_models_reads_each_item() -> None:
    event = Event.from_dict({"grid": [[{"sku": "A", "quantity": 1}], [], [{"sku": "B", "quantity": 2}]]})
    assert event.grid == [[Line(sku="A", quantity=1)], [], [Line(sku="B", quantity=2)]]
    with pytest.raises(ResponseValidationError, match=r"grid\[0\]\[1\]: expected an object \(Line\)"):
        Event.from_dict({"grid": [[{"sku": "A", "quantity": 1}, 5]]})


def test_a_model_as_multipart_parts() -> None:
    """A file as its tuple, nested objects as JSON parts, a list as one part per item, the rest as text."""

    class File:
        def to_tuple(self) -> tuple[str, bytes, str]:
            return ("logo.png", b"\x89PNG", "image/png")

    class Upload(Model):
        logo: Any
        shop: Shop | None = None
        tags: list[str] | None = None
        status: Status | None = None
        note: str | None = None

        def _fill(self, data: dict[str, Any]) -> int:
            return 0

    upload = Upload(logo=File(), shop=Shop(name="C"), tags=["a", "b"], status=Status.PAID)
    assert upload.to_multipart() == [
        ("logo", ("logo.png", b"\x89PNG", "image/png")),
        ("shop", (None, b'{"name": "C"}', "application/json")),
        ("tags", (None, b"a", "text/plain")),
        ("tags", (None, b"b", "text/plain")),
        ("status", (None, b"paid", "text/plain")),
    ]
