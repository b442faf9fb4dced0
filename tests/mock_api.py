"""The mock API of the runtime and SDK tests: an `httpx.MockTransport` handler that answers from a queue.

Given to a client as `httpx.MockTransport(server)`; each request is read and recorded (`server.requests`,
`server.last`), and answered with the next queued reply, the last one repeating: a response, an exception
to raise (a timeout, a connection error), or a function of the request.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Server:
    """The mock API: answers each request with the next queued reply (the last one repeats)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.replies: list[Reply] = []

    def reply(self, *replies: Reply) -> Server:
        """Answer the next requests with these replies (replacing any left from before)."""
        self.replies = list(replies)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        if callable(reply) and not isinstance(reply, httpx.Response):
            return reply(request)
        return reply

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]
