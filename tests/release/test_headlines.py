"""Tests for sdkpipeline.release.headlines: the one line per change a CHANGELOG entry opens with."""

from __future__ import annotations

from sdkpipeline.release.headlines import Headline, format_headlines, headlines
from sdkpipeline.release.specdiff import Change, Severity
from sdkpipeline.release.surface import SurfaceChange

BREAKING, ADDITIVE, PATCH = Severity.BREAKING, Severity.ADDITIVE, Severity.PATCH
STATE = "/components/schemas/Order/properties/state/enum/3"


def _enum_added(operation: str) -> Change:
    detail = f'{operation}: response field `state`: enum value "refunded" added'
    return Change("enum-value-added", STATE, operation, detail, ADDITIVE)


def test_a_change_reached_through_several_operations_is_one_line_naming_them() -> None:
    lines = headlines([_enum_added("GET /orders"), _enum_added("POST /orders")])
    assert lines == [
        Headline(ADDITIVE, 'response field `state`: enum value "refunded" added (GET /orders, POST /orders)')
    ]


def test_more_than_three_places_are_counted() -> None:
    ops = [f"GET /o{i}" for i in range(5)]
    [line] = headlines([_enum_added(op) for op in ops])
    assert line.text.endswith("(GET /o0, GET /o1, GET /o2 and 2 more)")


def test_a_renamed_class_is_one_line_from_the_report_and_the_surface() -> None:
    """The spec's renamed model at each use and the surface's class, module and annotations: one line."""
    spec = [
        Change(
            "model-renamed",
            "/components/schemas/CarbonQuote",
            op,
            f"{op}: the 200 response body is now component `CarbonQuote` instead of component `Quote` (the "
            "generated model class is renamed)",
            BREAKING,
        )
        for op in ("POST /quotes", "POST /quotes/flight")
    ]
    renamed = ("Quote", "CarbonQuote")
    surface = [
        SurfaceChange(
            "p.models.CarbonQuote", "class `p.models.Quote` renamed to `p.models.CarbonQuote`", BREAKING, renamed
        ),
        SurfaceChange("p.models.carbon_quote", "module `p.models.quote` renamed to …", BREAKING, renamed),
        SurfaceChange(
            "p.resources.quotes.QuotesResource.create", "function …: `Quote` → `CarbonQuote`", BREAKING, renamed
        ),
    ]
    assert headlines(spec, surface) == [Headline(BREAKING, "`Quote` renamed to `CarbonQuote`")]


def test_the_twins_of_a_method_and_its_function_layer_are_one_line() -> None:
    """The sync, async and raw-response resources and the function layer's four functions say one thing."""
    what = ": default `20` → `50` (calls that leave it out now send `50`)"
    paths = [
        *(f"p.resources.orders.{c}.list(limit)" for c in ("OrdersResource", "AsyncOrdersResourceWithRawResponse")),
        *(f"p.api.orders.get_list_of_order.{f}(limit)" for f in ("sync", "asyncio_detailed")),
    ]
    surface = [SurfaceChange(p, f"keyword argument `{p}`{what}", BREAKING) for p in paths]
    assert headlines([], surface) == [
        Headline(BREAKING, f"keyword argument `limit`{what} in `orders.list`, `api.orders.get_list_of_order`")
    ]


def test_a_renamed_keyword_argument_names_where_it_was_renamed() -> None:
    change = SurfaceChange(
        "p.resources.orders.OrdersResource.retrieve(order_id)",
        "keyword argument `p.resources.orders.OrdersResource.retrieve(id)` renamed to `order_id`",
        BREAKING,
        ("id", "order_id"),
        "p.resources.orders.OrdersResource.retrieve(id)",
    )
    assert headlines([], [change]) == [
        Headline(BREAKING, "keyword argument `id` renamed to `order_id` in `orders.retrieve`")
    ]


def test_the_worst_comes_first_and_the_report_before_the_surface() -> None:
    spec = [_enum_added("GET /orders"), Change("parameter-removed", "/x", "GET /x", "GET /x: parameter gone", BREAKING)]
    surface = [SurfaceChange("p.models.Order.state", "model field `p.models.Order.state`: `A` → `B`", BREAKING)]
    assert [(h.severity, h.text) for h in headlines(spec, surface)] == [
        (BREAKING, "parameter gone (GET /x)"),
        (BREAKING, "model field `state`: `A` → `B` in `Order`"),
        (ADDITIVE, 'response field `state`: enum value "refunded" added (GET /orders)'),
    ]
    assert format_headlines(headlines(spec[1:])) == "- breaking: parameter gone (GET /x)\n"
