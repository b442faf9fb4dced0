"""Tests for sdkpipeline.release.surface: the public surface of small packages, and how two of them differ."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.release.specdiff import Severity
from sdkpipeline.release.surface import Item, compare_packages, diff_surfaces, format_surface, read_surface

BREAKING, ADDITIVE, PATCH = Severity.BREAKING, Severity.ADDITIVE, Severity.PATCH

# A package shaped like a generated SDK: lazily re-exported models (attrs classes, a str enum), a resource class
# with keyword arguments, a client with a resource property, and the operation index.
BASE = {
    "__init__.py": """
        from .client import Shop
        __all__ = ["Shop"]
    """,
    "client.py": """
        from .resources.orders import OrdersResource
        __all__ = ["Shop"]
        class Shop:
            def __init__(self, *, api_key: str | None = None, _sleep: object = None) -> None:
                self._key = api_key
            @property
            def orders(self) -> OrdersResource:
                return OrdersResource()
    """,
    "models/__init__.py": """
        from .order import Order
        from .order_input import OrderInput
        from .order_status import OrderStatus
        __all__ = ["Order", "OrderInput", "OrderStatus"]
    """,
    "models/order_input.py": """
        from typing import Literal
        from attrs import define as _attrs_define
        from ..types import UNSET, Unset
        @_attrs_define(kw_only=True)
        class OrderInput:
            amount: int
            priority: Literal["low", "high"] | Unset = "low"
    """,
    "models/order.py": """
        from typing import Literal
        from attrs import define as _attrs_define
        from attrs import field as _attrs_field
        from ..types import UNSET, Unset
        from .order_status import OrderStatus
        @_attrs_define(kw_only=True)
        class Order:
            id: str
            status: OrderStatus | Literal["PAID", "OPEN"]
            note: str | Unset = UNSET
            currency: str | Unset = "EUR"
            additional_properties: dict[str, object] = _attrs_field(init=False, factory=dict)
            def to_dict(self) -> dict[str, object]:
                return {}
    """,
    "models/order_status.py": """
        from enum import Enum
        class OrderStatus(str, Enum):
            PAID = "PAID"
            OPEN = "OPEN"
    """,
    "types.py": """
        class Unset: ...
        UNSET = Unset()
        class NotGiven: ...
        NOT_GIVEN = NotGiven()
    """,
    "resources/__init__.py": "",
    "resources/orders.py": """
        from typing import overload
        from ..models.order import Order
        from ..models.order_input import OrderInput
        from ..types import NOT_GIVEN, UNSET, NotGiven, Unset
        __all__ = ["OrdersResource"]
        class OrdersResource:
            def list(self, *, status: str | Unset = UNSET, limit: int | Unset = UNSET) -> list[Order]:
                return []
            def cancel(self, order_id: str) -> Order:
                raise NotImplementedError
            @overload
            def create(self, *, amount: int, rush: bool | Unset = False) -> Order: ...
            @overload
            def create(self, *, body: OrderInput) -> Order: ...
            def create(
                self,
                *,
                amount: int | NotGiven = NOT_GIVEN,
                rush: bool | Unset | NotGiven = NOT_GIVEN,
                body: OrderInput | NotGiven = NOT_GIVEN,
            ) -> Order:
                raise NotImplementedError
    """,
}
# The index as packages up to 1.0.0 wrote it (`sdk_method`); the SDK model's says `name`.
INDEX = {
    "operations": [
        {"operation_id": "ListOrders", "method": "GET", "path": "/orders", "resource": "orders", "sdk_method": "list"}
    ]
}


def _package(root: Path, files: dict[str, str], index: dict[str, object] | None = None) -> Path:
    for name, text in files.items():
        path = root / "shop" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "shop" / "_operations.json").write_text(json.dumps(index or INDEX), encoding="utf-8")
    return root


def _edited(tmp_path: Path, name: str, old: str, new: str, *, index: dict[str, object] | None = None) -> Path:
    files = dict(BASE)
    assert old in files[name], old
    files[name] = files[name].replace(old, new)
    return _package(tmp_path / "new", files, index)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return _package(tmp_path / "old", BASE)


def test_surface_of_a_small_package(base: Path) -> None:
    """Each public thing once, at its shortest import path; models' fields with type and required-ness."""
    surface = read_surface(base, "shop")
    assert surface["shop.models.Order"] == Item("class", "")
    assert surface["shop.models.Order.id"] == Item("field", "str", required=True)
    assert surface["shop.models.Order.note"] == Item("field", "Unset | str", required=False, default="UNSET")
    assert surface["shop.models.Order.__init__"] == Item("constructor", "keyword-only")
    assert "shop.models.Order.additional_properties" not in surface, "init=False is no constructor argument"
    assert surface["shop.models.OrderStatus.PAID"] == Item("member", "'PAID'")
    assert surface["shop.models.order.Order"] == Item("alias", "shop.models.order.Order")
    assert "shop.models.order.Order.id" not in surface, "a class is described once"
    assert surface["shop.Shop.orders"] == Item("property", "OrdersResource")
    assert surface["shop.Shop.__init__(api_key)"] == Item(
        "parameter", "keyword-only: None | str", required=False, default="None"
    )
    assert "shop.Shop.__init__(_sleep)" not in surface, "private keyword arguments are test seams"
    assert surface["shop.resources.orders.OrdersResource.cancel(order_id)"] == Item(
        "parameter", "positional or keyword: str", required=True
    )
    assert surface["shop.resources.orders.OrdersResource.create(rush)"] == Item(
        "parameter", "keyword-only: NotGiven | Unset | bool", default="False"
    ), "an overloaded method's defaults are its variants'"
    assert surface["SDK method orders.list"] == Item("operation", "GET /orders")


def test_the_same_package_has_no_changes(base: Path) -> None:
    assert compare_packages(base, base, "shop") == []


CASES = [
    # (file, old text, new text, expected (severity, detail) of the single change)
    pytest.param(
        "models/order.py",
        "            note: str | Unset = UNSET\n",
        "",
        (BREAKING, "model field `shop.models.Order.note` removed"),
        id="field-removed",
    ),
    pytest.param(
        "models/order.py",
        "            note: str | Unset = UNSET\n",
        "            note: str | Unset = UNSET\n            tag: str | Unset = UNSET\n",
        (ADDITIVE, "model field `shop.models.Order.tag` added"),
        id="optional-field-added",
    ),
    pytest.param(
        "models/order.py",
        "            note: str",
        "            total: int\n            note: str",
        (ADDITIVE, "model field `shop.models.Order.total` added"),
        id="required-response-field-added",
    ),
    pytest.param(
        "models/order_input.py",
        "            amount: int\n",
        "            amount: int\n            region: str\n",
        (BREAKING, "required model field `shop.models.OrderInput.region` added"),
        id="required-request-field-added",
    ),
    pytest.param(
        "models/order.py",
        'Literal["PAID", "OPEN"]',
        'Literal["PAID", "OPEN", "VOID"]',
        (
            ADDITIVE,
            "model field `shop.models.Order.status`: `Literal['PAID', 'OPEN'] | OrderStatus` → "
            "`Literal['PAID', 'OPEN', 'VOID'] | OrderStatus`",
        ),
        id="response-literal-widened",
    ),
    pytest.param(
        "models/order_input.py",
        'Literal["low", "high"]',
        'Literal["low"]',
        (
            BREAKING,
            "model field `shop.models.OrderInput.priority`: `Literal['low', 'high'] | Unset` → "
            "`Literal['low'] | Unset`",
        ),
        id="request-literal-narrowed",
    ),
    pytest.param(
        "models/order_input.py",
        'Literal["low", "high"]',
        'Literal["low", "high", "urgent"]',
        (
            ADDITIVE,
            "model field `shop.models.OrderInput.priority`: `Literal['low', 'high'] | Unset` → "
            "`Literal['low', 'high', 'urgent'] | Unset`",
        ),
        id="request-literal-widened",
    ),
    pytest.param(
        "models/order.py",
        "            id: str\n",
        "            id: str | None\n",
        (BREAKING, "model field `shop.models.Order.id`: `str` → `None | str`"),
        id="response-field-made-nullable",
    ),
    pytest.param(
        "models/order_input.py",
        "            amount: int\n",
        "            amount: int | None\n",
        (ADDITIVE, "model field `shop.models.OrderInput.amount`: `int` → `None | int`"),
        id="request-field-made-nullable",
    ),
    pytest.param(
        "models/order_input.py",
        '| Unset = "low"',
        '| Unset = "high"',
        # A model sends only the fields that were set: its default is never sent.
        (PATCH, "model field `shop.models.OrderInput.priority`: default `'low'` → `'high'`"),
        id="request-field-default-changed",
    ),
    pytest.param(
        "models/order.py",
        '| Unset = "EUR"',
        '| Unset = "USD"',
        (PATCH, "model field `shop.models.Order.currency`: default `'EUR'` → `'USD'`"),
        id="response-field-default-changed",
    ),
    pytest.param(
        "resources/orders.py",
        "rush: bool | Unset = False",
        "rush: bool | Unset = True",
        (
            BREAKING,
            "keyword argument `shop.resources.orders.OrdersResource.create(rush)`: default `False` → `True` "
            "(calls that leave it out now send `True`)",
        ),
        id="overload-default-changed",
    ),
    pytest.param(
        "resources/orders.py",
        "limit: int | Unset = UNSET)",
        "limit: int | Unset = 20)",
        (
            BREAKING,
            "keyword argument `shop.resources.orders.OrdersResource.list(limit)`: default `UNSET` → `20` "
            "(calls that leave it out now send `20`)",
        ),
        id="keyword-default-changed",
    ),
    pytest.param(
        "models/order.py",
        "            id: str\n",
        "            id: int\n",
        (BREAKING, "model field `shop.models.Order.id`: `str` → `int`"),
        id="field-type-changed",
    ),
    pytest.param(
        "models/order.py",
        "@_attrs_define(kw_only=True)",
        "@_attrs_define",
        (BREAKING, "constructor `shop.models.Order.__init__`: `keyword-only` → `positional: id, status`"),
        id="constructor-positional",
    ),
    pytest.param(
        "models/order_status.py",
        '            OPEN = "OPEN"\n',
        "",
        (BREAKING, "enum member `shop.models.OrderStatus.OPEN` removed"),
        id="enum-member-removed",
    ),
    pytest.param(
        "models/order_status.py",
        '            OPEN = "OPEN"\n',
        '            OPEN = "OPEN"\n            VOID = "VOID"\n',
        (ADDITIVE, "enum member `shop.models.OrderStatus.VOID` added"),
        id="enum-member-added",
    ),
    pytest.param(
        "models/__init__.py",
        '__all__ = ["Order", "OrderInput", "OrderStatus"]',
        '__all__ = ["OrderInput", "OrderStatus"]',
        (BREAKING, "class `shop.models.Order` removed"),
        id="export-removed",
    ),
    pytest.param(
        "resources/orders.py",
        "limit: int | Unset = UNSET) -> list[Order]",
        "limit: int | Unset = UNSET, after: str | Unset = UNSET) -> list[Order]",
        (ADDITIVE, "keyword argument `shop.resources.orders.OrdersResource.list(after)` added"),
        id="optional-keyword-added",
    ),
    pytest.param(
        "resources/orders.py",
        "limit: int | Unset = UNSET) -> list[Order]",
        "limit: int | Unset = UNSET, region: str) -> list[Order]",
        (BREAKING, "required keyword argument `shop.resources.orders.OrdersResource.list(region)` added"),
        id="required-keyword-added",
    ),
    pytest.param(
        "resources/orders.py",
        "limit: int | Unset = UNSET)",
        "limit: int | float | Unset = UNSET)",
        (
            ADDITIVE,
            "keyword argument `shop.resources.orders.OrdersResource.list(limit)`: "
            "`Unset | int` → `Unset | float | int`",
        ),
        id="keyword-widened",
    ),
    pytest.param(
        "resources/orders.py",
        "def cancel(self, order_id: str)",
        "def cancel(self, *, order_id: str)",
        (
            BREAKING,
            "keyword argument `shop.resources.orders.OrdersResource.cancel(order_id)`: "
            "positional or keyword → keyword-only",
        ),
        id="positional-made-keyword-only",
    ),
    pytest.param(
        "resources/orders.py",
        "def cancel(",
        "def cancel_order(",
        (BREAKING, "function `shop.resources.orders.OrdersResource.cancel` removed"),
        id="method-renamed",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), CASES)
def test_one_change_is_classified(
    tmp_path: Path, base: Path, name: str, old: str, new: str, expected: tuple[Severity, str]
) -> None:
    changes = compare_packages(base, _edited(tmp_path, name, old, new), "shop")
    found = [(c.severity, c.detail) for c in changes]
    assert expected in found
    # One change each; a renamed method is a removal and an addition, and a class no longer exported from
    # `models` is described at its module's path instead (the removal is the breaking change).
    if "cancel_order" in new or "__all__" in old:
        assert [c for c in changes if c.severity is BREAKING] == [c for c in changes if c.detail == expected[1]]
    else:
        assert len(found) == 1, found


def test_a_field_is_judged_by_the_way_its_model_travels() -> None:
    """`None` added to a field: a model the caller builds accepts more, one the caller reads may now hold None."""
    taken = {"m.f(x)": Item("parameter", "keyword-only: A"), "m.A": Item("class")}
    returned = {"m.g": Item("function", "A"), "m.A": Item("class")}
    for around, severity in ((taken, ADDITIVE), (returned, BREAKING), ({"m.A": Item("class")}, BREAKING)):
        old = {**around, "m.A.x": Item("field", "B | Unset")}
        new = {**around, "m.A.x": Item("field", "B | None | Unset")}
        assert [(c.severity, c.detail) for c in diff_surfaces(old, new)] == [
            (severity, "model field `m.A.x`: `B | Unset` → `B | None | Unset`")
        ], around
    # A model inside a returned model travels with it; a class's new name is a new type either way.
    inner = {
        "m.g": Item("function", "list[C]"),
        "m.C": Item("class"),
        "m.C.a": Item("field", "A"),
        "m.A": Item("class"),
    }
    old, new = {**inner, "m.A.x": Item("field", "B")}, {**inner, "m.A.x": Item("field", "B | Literal['b']")}
    assert [c.severity for c in diff_surfaces(old, new)] == [ADDITIVE]
    assert [c.severity for c in diff_surfaces(old, {**inner, "m.A.x": Item("field", "D")})] == [BREAKING]


def test_a_default_written_as_an_enum_member_is_its_value() -> None:
    """`'void'` and `Behaviour.VOID` send the same value: no change; `Behaviour.KEEP` sends another one."""
    enum = {"m.Behaviour": Item("class", "enum"), "m.Behaviour.VOID": Item("member", "'void'")}
    enum["m.Behaviour.KEEP"] = Item("member", "'keep'")
    taken = {**enum, "m.f(b)": Item("parameter", "keyword-only: Behaviour", default="'void'")}
    member = {**enum, "m.f(b)": Item("parameter", "keyword-only: Behaviour", default="Behaviour.VOID")}
    other = {**enum, "m.f(b)": Item("parameter", "keyword-only: Behaviour", default="Behaviour.KEEP")}
    assert diff_surfaces(taken, member) == []
    assert [c.severity for c in diff_surfaces(taken, other)] == [BREAKING]


def test_a_changed_http_method_under_the_same_sdk_method_is_a_note(tmp_path: Path, base: Path) -> None:
    """The index is keyed by the SDK method: another HTTP method or path (an operationId kept) is noted, not moved."""
    put = {"operations": [{"operation_id": "ListOrders", "method": "PUT", "path": "/orders", "resource": "orders"}]}
    put["operations"][0]["name"] = "list"
    new = _package(tmp_path / "new", BASE, put)
    assert [(c.severity, c.detail) for c in compare_packages(base, new, "shop")] == [
        (PATCH, "`orders.list` now calls PUT /orders (was GET /orders)")
    ]


def test_a_renamed_operation_id_changes_nothing_and_a_gone_method_is_removed(tmp_path: Path, base: Path) -> None:
    """No SDK method is reported removed while it is there; one whose operation went is."""
    renamed = {"operations": [{**INDEX["operations"][0], "operation_id": "GetOrders"}]}  # type: ignore[index]
    assert compare_packages(base, _package(tmp_path / "renamed", BASE, renamed), "shop") == []
    gone = _package(tmp_path / "gone", BASE, {"operations": []})
    assert [(c.severity, c.detail) for c in compare_packages(base, gone, "shop")] == [
        (BREAKING, "SDK method `orders.list` removed (it called GET /orders)")
    ]


def test_the_index_of_the_sdk_model_and_the_older_one_name_the_same_method(tmp_path: Path, base: Path) -> None:
    """`_operations.json` names a method `name` (codegen/model.py); packages up to 1.0.0 wrote `sdk_method`."""
    same = {"operations": [{"operation_id": "ListOrders", "method": "GET", "path": "/orders", "resource": "orders"}]}
    same["operations"][0]["name"] = "list"
    assert compare_packages(base, _package(tmp_path / "new", BASE, same), "shop") == []


def test_a_renamed_class_is_one_rename_and_what_names_it_follows(tmp_path: Path, base: Path) -> None:
    """`OrderStatus` → `OrderState` (its module too): one rename; the field typed with it only follows it."""
    files = {
        name.replace("order_status", "order_state"): text.replace("OrderStatus", "OrderState").replace(
            "order_status", "order_state"
        )
        for name, text in BASE.items()
    }
    changes = compare_packages(base, _package(tmp_path / "new", files), "shop")
    assert sorted((c.severity.value, c.detail, c.renamed) for c in changes) == sorted(
        [
            (
                BREAKING.value,
                "module `shop.models.order_status` renamed to `shop.models.order_state`",
                ("OrderStatus", "OrderState"),
            ),
            (
                BREAKING.value,
                "class `shop.models.OrderStatus` renamed to `shop.models.OrderState`",
                ("OrderStatus", "OrderState"),
            ),
            (
                BREAKING.value,
                "model field `shop.models.Order.status`: `Literal['PAID', 'OPEN'] | OrderStatus` → "
                "`Literal['PAID', 'OPEN'] | OrderState`",
                ("OrderStatus", "OrderState"),
            ),
        ]
    )


def test_a_renamed_keyword_argument_is_one_rename(tmp_path: Path, base: Path) -> None:
    """A renamed path parameter: the argument of the same kind and type under a new name, not one gone, one new."""
    new = _edited(tmp_path, "resources/orders.py", "def cancel(self, order_id: str)", "def cancel(self, id: str)")
    assert [(c.severity, c.detail, c.renamed) for c in compare_packages(base, new, "shop")] == [
        (
            BREAKING,
            "keyword argument `shop.resources.orders.OrdersResource.cancel(order_id)` renamed to `id`",
            ("order_id", "id"),
        )
    ]


def test_removing_a_class_is_one_line_not_one_per_field() -> None:
    old = {"m.A": Item("class"), "m.A.x": Item("field", "int", required=True), "m.B": Item("class")}
    assert [(c.severity, c.path) for c in diff_surfaces(old, {"m.B": Item("class")})] == [(BREAKING, "m.A")]


def test_report_section() -> None:
    changes = diff_surfaces({"m.A": Item("class"), "m.A.x": Item("field", "int")}, {"m.B": Item("class")})
    assert format_surface(changes) == (
        "### SDK surface\n\n- breaking: class `m.A` removed\n- additive: class `m.B` added\n"
    )
    assert "No change" in format_surface([])


def test_no_package_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="no package shop"):
        read_surface(tmp_path, "shop")


# The raw view as packages up to cnaught 3.0.0 / fungies 0.5.0 printed it (a stub per method under TYPE_CHECKING),
# and as one ParamSpec-typed wrapper per method; an async list returns an AsyncPaginator, awaited: its page.
RAW_STUBS = """
class OrdersResourceWithRawResponse:
    def __init__(self, client: object) -> None:
        pass
    if TYPE_CHECKING:
        def cancel(self, order_id: str) -> APIResponse[Order]: ...
class AsyncOrdersResource:
    def list(self, *, limit: int | Unset = UNSET) -> AsyncPaginator[Order]:
        raise NotImplementedError
class AsyncOrdersResourceWithRawResponse:
    def __init__(self, client: object) -> None:
        pass
    if TYPE_CHECKING:
        async def list(self, *, limit: int | Unset = UNSET) -> APIResponse[AsyncPage[Order]]: ...
"""
RAW_WRAPPED = """
class OrdersResourceWithRawResponse:
    def __init__(self, client: object) -> None:
        resource = OrdersResource()
        self.cancel = to_raw_response_wrapper(resource.cancel)
class AsyncOrdersResource:
    def list(self, *, limit: int | Unset = UNSET) -> AsyncPaginator[Order]:
        raise NotImplementedError
class AsyncOrdersResourceWithRawResponse:
    def __init__(self, client: object) -> None:
        resource = AsyncOrdersResource()
        self.list = async_to_raw_response_wrapper(resource.list)
"""


def _with_raw_views(root: Path, views: str, orders_edit: tuple[str, str] = ("", "")) -> Path:
    files = dict(BASE)
    orders = textwrap.dedent(files["resources/orders.py"]).replace(*orders_edit) + views
    classes = [f"{a}OrdersResource{v}" for a in ("", "Async") for v in ("", "WithRawResponse")]
    files["resources/orders.py"] = orders.replace('__all__ = ["OrdersResource"]', f"__all__ = {classes!r}")
    return _package(root, files)


def test_a_raw_view_wrapper_is_described_as_the_method_it_wraps(tmp_path: Path) -> None:
    """`self.cancel = to_raw_response_wrapper(resource.cancel)`: the method's parameters, answering APIResponse."""
    surface = read_surface(_with_raw_views(tmp_path, RAW_WRAPPED), "shop")
    view = "shop.resources.orders.OrdersResourceWithRawResponse"
    assert surface[f"{view}.cancel"] == Item("function", "APIResponse[Order]")
    assert surface[f"{view}.cancel(order_id)"] == Item("parameter", "positional or keyword: str", required=True)
    async_view = "shop.resources.orders.AsyncOrdersResourceWithRawResponse"
    assert surface[f"{async_view}.list"] == Item("function", "APIResponse[AsyncPage[Order]]")
    assert surface[f"{async_view}.list(limit)"] == Item("parameter", "keyword-only: Unset | int", default="UNSET")


def test_raw_view_stubs_becoming_wrappers_change_nothing(tmp_path: Path) -> None:
    old = _with_raw_views(tmp_path / "old", RAW_STUBS)
    assert compare_packages(old, _with_raw_views(tmp_path / "new", RAW_WRAPPED), "shop") == []


def test_a_changed_method_changes_its_raw_view_too(tmp_path: Path) -> None:
    old = _with_raw_views(tmp_path / "old", RAW_WRAPPED)
    rename = ("def cancel(self, order_id: str)", "def cancel(self, order: str)")
    changes = compare_packages(old, _with_raw_views(tmp_path / "new", RAW_WRAPPED, rename), "shop")
    assert {(c.path, c.renamed, c.severity) for c in changes} == {
        ("shop.resources.orders.OrdersResource.cancel(order)", ("order_id", "order"), BREAKING),
        ("shop.resources.orders.OrdersResourceWithRawResponse.cancel(order)", ("order_id", "order"), BREAKING),
    }


def test_reading_a_surface_does_not_import_the_generator() -> None:
    """The release commands read surfaces without loading openapi-python-client (heavy, and none of their work)."""
    loaded = "import sys, sdkpipeline.release.surface; print([m for m in sys.modules if 'openapi_python' in m])"
    done = subprocess.run([sys.executable, "-c", loaded], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
