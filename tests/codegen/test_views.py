"""Tests for sdkpipeline.codegen.views: what a resource class's raw and streaming views are called, and back."""

from __future__ import annotations

import pytest

from sdkpipeline.codegen.views import raw_view_name, resource_of_raw_view, streaming_view_name


def test_each_view_is_named_after_its_resource_class() -> None:
    assert raw_view_name("AsyncOrdersResource") == "AsyncOrdersResourceWithRawResponse"
    assert streaming_view_name("OrdersResource") == "OrdersResourceWithStreamingResponse"


@pytest.mark.parametrize("resource", ["OrdersResource", "AsyncOrdersResource", "WithRawResponseResource"])
def test_a_raw_views_resource_class_is_read_back_from_its_name(resource: str) -> None:
    """Only the suffix comes off, wherever else the words appear in the resource's name."""
    assert resource_of_raw_view(raw_view_name(resource)) == resource
