"""A client shared by threads from its very first request: one connection pool, closed by `close()`."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from sdkpipeline.perf import reliability as rel
from sdkpipeline.testing.faultserver import running

THREADS = 8


@pytest.mark.parametrize("api", ["cn", "fg"])
def test_threads_racing_to_the_first_request_share_one_pool(api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool is made on first use: threads arriving together must not each make one (the losers' leak)."""
    made: list[httpx.Client] = []
    original = httpx.Client.__init__

    def slow_init(self: httpx.Client, *args: Any, **kwargs: Any) -> None:
        time.sleep(0.05)  # widens the window between the check and the assignment, as a busy machine would
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(httpx.Client, "__init__", slow_init)
    with running(rel.api_route()) as server:
        clients = rel.make_clients(server.url, use_async=False)
        client = getattr(clients, api)
        start = threading.Barrier(THREADS)
        seen: list[httpx.Client] = []

        def first_request(n: int) -> None:
            start.wait()
            seen.append(client.http_client)
            if api == "cn":
                client.orders.retrieve(f"o-{n}")
            else:
                client.orders.retrieve(str(n))

        workers = [threading.Thread(target=first_request, args=(n,)) for n in range(THREADS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        clients.close()
        assert len(made) == 1
        assert {id(c) for c in seen} == {id(made[0])}
        assert server.wait_until_closed() == 0
