"""Route every httpx client a piece of code creates to one handler: how the README examples are run.

A README builds its own clients (`CNaught()`, `httpx.Client(proxy=...)` handed to the SDK); patching the two
httpx classes sends what they send to an `httpx.MockTransport` over `handler`. A client made with a proxy
keeps its own transport, so an example that configures one still shows what it configured.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest


def route_httpx_to(monkeypatch: pytest.MonkeyPatch, handler: Callable[[httpx.Request], httpx.Response]) -> None:
    real_client, real_async = httpx.Client, httpx.AsyncClient

    class RoutedClient(real_client):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            if "proxy" not in kwargs:
                kwargs["transport"] = httpx.MockTransport(handler)
            super().__init__(**kwargs)

    class RoutedAsyncClient(real_async):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            kwargs["transport"] = httpx.MockTransport(handler)
            super().__init__(**kwargs)

    monkeypatch.setattr(httpx, "Client", RoutedClient)
    monkeypatch.setattr(httpx, "AsyncClient", RoutedAsyncClient)
