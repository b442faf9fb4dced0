"""The one rule for what a resource class's views are called (`OrdersResourceWithRawResponse` wraps
`OrdersResource`): the SDK model names them, the release surface reads a raw view's resource back from its name.

A leaf of its own so the release commands, which never run the generator, read it without importing it.
"""

from __future__ import annotations

RAW_VIEW_SUFFIX = "WithRawResponse"
STREAMING_VIEW_SUFFIX = "WithStreamingResponse"


def raw_view_name(resource_class: str) -> str:
    """The class of `with_raw_response` on a resource class: its methods answering with the raw `APIResponse`."""
    return resource_class + RAW_VIEW_SUFFIX


def streaming_view_name(resource_class: str) -> str:
    """The class of `with_streaming_response` on a resource class: its methods answering with a streamed response."""
    return resource_class + STREAMING_VIEW_SUFFIX


def resource_of_raw_view(view_class: str) -> str:
    """The resource class a raw view wraps, from the view's name (`raw_view_name` undone)."""
    return view_class.removesuffix(RAW_VIEW_SUFFIX)
