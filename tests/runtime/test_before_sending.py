"""What a resource method checks and builds before anything is sent (templates/runtime/_request.py).

Empty path parameters and ones that would change the target (`.`, `..` and what decodes to them),
deprecation warnings and request bodies given as keywords, a dict or a model.
"""

from __future__ import annotations

import datetime
import enum
import uuid
import warnings
from typing import Any

import pytest

from .conftest import operation
from .surface_runtime import runtime_module

request = runtime_module("_request")
sentinels = runtime_module("_sentinels")

PATH = (
    request.Param(keyword="id", location="path", required=True),
    request.Param(keyword="order_id", location="path", wire_name="orderId", required=True),
    request.Param(keyword="number", location="path", required=True),
)
OP = operation(name="orders.create", operation_id="SubmitOrder", method="POST", params=PATH)
OLD = operation(
    name="orders.create_ride",
    operation_id="SubmitRideOrder",
    method="POST",
    deprecation=request.Deprecation(replacement="quotes.ground_transport"),
)
UNSET = sentinels.UNSET
NOT_GIVEN = sentinels.NOT_GIVEN


class TestCheckPathParams:
    @pytest.mark.parametrize("value", ["", None, "  "])
    def test_an_empty_value_is_refused_naming_the_parameter(self, value: Any) -> None:
        with pytest.raises(ValueError) as info:
            request.check_path_params(OP, {"id": "a", "order_id": value, "number": 1})
        assert str(info.value) == f"Expected a non-empty value for `order_id` but received {value!r} (orders.create)"

    def test_strings_uuids_and_numbers_pass(self) -> None:
        request.check_path_params(OP, {"id": "Gre28Fc35bt3", "order_id": uuid.UUID(int=1), "number": 0})

    def test_only_path_parameters_are_checked(self) -> None:
        """An empty query value is the API's to judge: only a path parameter would change which URL is called."""
        query = operation(name="orders.list", operation_id="List", method="GET", params=(request.Param("q", "query"),))
        request.check_path_params(query, {"q": ""})

    @pytest.mark.parametrize(
        "value",
        [
            ".",
            "..",
            " .. ",  # a server may trim the spaces
            "%2e%2E",  # decoded by a server before routing
            "%252e%252e",  # decoded twice (a proxy, then the server)
            ".%2E",
            "\uff0e\uff0e",  # fullwidth full stops: NFKC makes them ".."
            "../admin",
            "a/../b",
            "..\\x",  # a backslash is a separator to some servers
            "%2e%2e%2fadmin",
            "%25252525252e",  # still decoding after every round: no id is encoded that many times
        ],
    )
    def test_a_dot_segment_is_refused_naming_the_parameter(self, value: str) -> None:
        """`delete("..")` would send DELETE to the parent path: httpx removes dot segments, servers decode first."""
        with pytest.raises(ValueError) as info:
            request.check_path_params(OP, {"id": value, "order_id": "o", "number": 1})
        assert str(info.value) == (
            f"Expected an id for `id` but received {value!r} (orders.create): a path parameter that is `.` or "
            "`..`, or has one between slashes once decoded, would send the request to another path"
        )

    @pytest.mark.parametrize("value", ["...", "a..b", "v1.2", ".hidden", "a/b", "%2F", "50%off", "o-1?x#y", "é.."])
    def test_dots_that_are_no_dot_segment_pass(self, value: str) -> None:
        """What holds already stays: `/ ? # %2F` are encoded by the endpoint, dots inside a name are no segment."""
        request.check_path_params(OP, {"id": value, "order_id": "o", "number": 1})


class TestPathSegment:
    """The function layer's URLs (`<package>.api.<tag>.<operation>`): the same refusals, each id quoted whole."""

    @pytest.mark.parametrize("value", ["..", "%2e%2E", "a/../b", "\uff0e\uff0e"])
    def test_a_dot_segment_is_refused(self, value: str) -> None:
        with pytest.raises(ValueError, match=r"^Expected an id for `id` but received .*would send the request"):
            request.path_segment(value, name="id")

    @pytest.mark.parametrize("value", ["", None])
    def test_an_empty_value_is_refused(self, value: Any) -> None:
        with pytest.raises(ValueError, match=r"^Expected a non-empty value for `id`"):
            request.path_segment(value, name="id")

    @pytest.mark.parametrize(
        ("value", "segment"),
        [("ord_1", "ord_1"), ("a/b?c#d", "a%2Fb%3Fc%23d"), ("50%off", "50%25off"), ("a\r\nb", "a%0D%0Ab"), (7, "7")],
    )
    def test_an_id_is_one_segment_quoted_whole(self, value: object, segment: str) -> None:
        assert request.path_segment(value, name="id") == segment


def _in_the_package(source: str) -> dict[str, Any]:
    """Functions defined as if in a module of the package (`runtime.resources.things`): the SDK frames a warning
    skips on its way to the user's line (resource method, raw or streaming wrapper, engine)."""
    namespace: dict[str, Any] = {"__name__": "runtime.resources.things", "request": request, "OLD": OLD}
    exec(compile(source, "<runtime/resources/things.py>", "exec"), namespace)
    return namespace


SDK = _in_the_package(
    """
def method():
    request.warn_deprecated(OLD)


def wrapper():
    return method()


async def coroutine():
    request.warn_deprecated(OLD)
"""
)


class TestWarnDeprecated:
    def test_the_warning_names_the_replacement_and_points_at_the_callers_line(self) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            line = _line_after()
            SDK["method"]()
        (warning,) = caught
        assert warning.category is DeprecationWarning
        assert str(warning.message) == (
            "orders.create_ride() is deprecated by the API; use client.quotes.ground_transport() instead"
        )
        assert (warning.filename, warning.lineno) == (__file__, line)

    def test_every_frame_of_the_package_is_skipped(self) -> None:
        """Through a wrapper (`with_raw_response`) too, the warning is the user's line's, not the SDK's."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            line = _line_after()
            SDK["wrapper"]()
        assert [(w.filename, w.lineno) for w in caught] == [(__file__, line)]

    async def test_an_async_method_points_at_the_awaiting_line(self) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            line = _line_after()
            await SDK["coroutine"]()
        assert [(w.filename, w.lineno) for w in caught] == [(__file__, line)]

    def test_an_operation_in_good_standing_warns_nothing(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            request.warn_deprecated(OP)


def _line_after() -> int:
    """The line number after the caller's line (where the call under test is)."""
    import inspect

    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    return frame.f_back.f_lineno + 1


FIELDS = (
    request.Param(keyword="amount_kg", location="body", required=True),
    request.Param(keyword="note", location="body"),
    request.Param(keyword="kind", location="body", wire_name="type"),
    request.Param(keyword="total_price_usd_cents", location="body", required=True),
)
BY_AMOUNT = request.BodyShape(
    name="ByAmount", fields=("amount_kg", "note", "kind"), required=("amount_kg",), defaults={"kind": "generic"}
)
BY_PRICE = request.BodyShape(
    name="ByPrice", fields=("total_price_usd_cents", "note"), required=("total_price_usd_cents",)
)
BODY_PARAM = request.Param(keyword="body", location="body")
ORDER = operation(
    name="orders.create",
    operation_id="SubmitOrder",
    method="POST",
    params=(BODY_PARAM,),
    body=request.Body(required=True, fields=FIELDS, shapes=(BY_AMOUNT, BY_PRICE)),
)
ONE_SHAPE = operation(
    name="orders.create",
    operation_id="SubmitOrder",
    method="POST",
    params=(BODY_PARAM,),
    body=request.Body(required=True, fields=FIELDS[:3], shapes=(BY_AMOUNT,)),
)


def _arguments(**given: Any) -> dict[str, Any]:
    """A method's arguments as `locals()` gives them: every field and `body`, NOT_GIVEN unless given."""
    names = [f.keyword for f in FIELDS] + ["body"]
    return {"self": object(), **{name: given.get(name, NOT_GIVEN) for name in names}, "timeout": NOT_GIVEN}


class Model:
    """A generated model, as far as a body is concerned."""

    def to_dict(self) -> dict[str, Any]:
        return {"amount_kg": 3}


class TestJsonBody:
    def test_keywords_pick_the_shape_and_its_defaults_fill_in_by_their_wire_names(self) -> None:
        body = request.json_body(ORDER, _arguments(amount_kg=10))
        assert body.to_dict() == {"type": "generic", "amount_kg": 10}

    def test_the_second_shape_by_its_keywords(self) -> None:
        body = request.json_body(ORDER, _arguments(total_price_usd_cents=2500, note="n"))
        assert body.to_dict() == {"total_price_usd_cents": 2500, "note": "n"}

    def test_an_unset_keyword_is_left_out(self) -> None:
        body = request.json_body(ORDER, _arguments(amount_kg=1, note=UNSET))
        assert body.to_dict() == {"type": "generic", "amount_kg": 1}

    def test_keywords_of_two_shapes_are_refused_naming_both(self) -> None:
        with pytest.raises(TypeError) as info:
            request.json_body(ORDER, _arguments(amount_kg=1, total_price_usd_cents=2))
        assert str(info.value) == (
            "orders.create(): the keyword arguments amount_kg, total_price_usd_cents fit none of the body's shapes; "
            "pass the required fields of exactly one of ByAmount (amount_kg) or ByPrice (total_price_usd_cents)"
        )

    def test_a_missing_required_field_is_refused(self) -> None:
        with pytest.raises(TypeError, match=r"orders.create\(\) missing required keyword argument\(s\): amount_kg"):
            request.json_body(ONE_SHAPE, _arguments(note="x"))

    def test_a_dict_is_sent_as_given_made_json(self) -> None:
        class Colour(enum.Enum):
            RED = "red"

        given = {"amount_kg": 10, "colour": Colour.RED, "when": datetime.date(2024, 1, 2), "id": uuid.UUID(int=1)}
        body = request.json_body(ORDER, _arguments(body=given))
        assert body.to_dict() == {
            "amount_kg": 10,
            "colour": "red",
            "when": "2024-01-02",
            "id": "00000000-0000-0000-0000-000000000001",
        }

    def test_a_model_is_passed_through(self) -> None:
        model = Model()
        assert request.json_body(ORDER, _arguments(body=model)) is model

    def test_body_beside_keywords_is_refused(self) -> None:
        with pytest.raises(TypeError, match="not both"):
            request.json_body(ORDER, _arguments(note="x", body={"amount_kg": 1}))


class TestToJsonable:
    def test_nested_values(self) -> None:
        class Status(enum.StrEnum):
            PAID = "PAID"

        value = {"items": [Model(), {"s": Status.PAID, "skip": UNSET}], "at": datetime.datetime(2024, 1, 2, 3, 4)}
        assert request.to_jsonable(value) == {
            "items": [{"amount_kg": 3}, {"s": "PAID"}],
            "at": "2024-01-02T03:04:00",
        }

    def test_none_is_kept(self) -> None:
        assert request.to_jsonable({"metadata": None}) == {"metadata": None}

    def test_a_value_json_cannot_hold_is_refused(self) -> None:
        with pytest.raises(TypeError, match="object is not JSON"):
            request.to_jsonable(object())
