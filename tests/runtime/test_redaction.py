"""Secrets stay out of what a developer sees: debug logs (headers, URLs), httpx's own log, client reprs, errors
(and the errors they were raised from), whatever the server or a library says back."""

from __future__ import annotations

import logging

import httpx
import pytest
from runtime._base_client import AsyncAPIClient
from runtime._exceptions import APIConnectionError, AuthenticationError
from runtime._request import RequestOptions

from .conftest import BEARER, KEYS, PUBLIC, QUERY, SECRET, SESSION, Harness, get_kwargs, json_response, operation

ALL_KEYS = (BEARER, PUBLIC, SECRET, QUERY, SESSION)
# Every credential at once: a header, a bearer token, a query parameter and a cookie.
EVERY_LOCATION = operation(
    name="things.retrieve",
    operation_id="GetThing",
    method="GET",
    security=(("Bearer", "PublicKey", "SecretKey", "QueryKey", "CookieKey"),),
)


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record as formatted text, with its arguments (what any handler could print)."""
    return "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)


async def test_debug_log_masks_every_credential(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """Request and response lines, and the retry line, carry no key: headers redacted, query value masked."""
    harness.server.reply(
        json_response(503, {}, headers={"Set-Cookie": f"session={SESSION}"}),
        json_response(200, {"ok": True}),
    )
    with caplog.at_level(logging.DEBUG, logger="runtime"):
        await harness.request(EVERY_LOCATION, get_kwargs(params={"limit": 5}))
    text = _logged(caplog)
    assert [k for k in ALL_KEYS if k in text] == []
    assert "key=%3Credacted%3E" in text  # the query value, masked (URL-encoded) in the logged URL
    assert "limit=5" in text  # other parameters are shown
    assert "'authorization': '<redacted>'" in text and "'x-secret-key': '<redacted>'" in text
    assert "'set-cookie': '<redacted>'" in text
    assert "retrying things.retrieve in 0.500s after HTTP 503 (2 retries left)" in text
    # The keys did go out on the wire.
    sent = harness.server.last
    assert sent.url.params["key"] == QUERY and sent.headers["x-public-key"] == PUBLIC


async def test_no_debug_records_unless_enabled(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    harness.server.reply(json_response(200, {}))
    with caplog.at_level(logging.INFO, logger="runtime"):
        await harness.request(EVERY_LOCATION)
    assert caplog.records == []


def test_client_repr_says_which_keys_are_set_not_their_values(harness: Harness) -> None:
    client = harness.client(keys={**KEYS, "secret_key": None})
    shown = repr(client)
    assert shown.startswith(f"{type(client).__name__}(base_url='https://api.test/v1'")
    assert "api_key=<set>" in shown and "secret_key=None" in shown
    assert [k for k in ALL_KEYS if k in shown] == []


async def test_status_error_shows_no_key(harness: Harness) -> None:
    """The error a failed call raises names operation and status; its str and repr hold no key."""
    harness.server.reply(json_response(401, {"title": "Unauthorized", "detail": "bad key"}))
    with pytest.raises(AuthenticationError) as info:
        await harness.request(EVERY_LOCATION)
    shown = f"{info.value} {info.value!r}"
    assert "things.retrieve: HTTP 401: Unauthorized: bad key" in shown
    assert [k for k in ALL_KEYS if k in shown] == []


# -- what a server or a library says back: keys masked wherever they would show ------------------------------


async def test_a_key_the_server_echoes_in_its_error_is_masked(harness: Harness) -> None:
    """`str(err)` masks a key the problem quotes back, as given or URL-encoded; the body itself stays as sent."""
    key = "rt/secret+key=93fa61"
    problem = {"title": "Unauthorized", "detail": f"unknown key {key} (in the URL: rt%2Fsecret%2Bkey%3D93fa61)"}
    harness.server.reply(json_response(401, problem))
    with pytest.raises(AuthenticationError) as info:
        await harness.request(EVERY_LOCATION, client=harness.client(keys={**KEYS, "secret_key": key}))
    assert str(info.value) == "things.retrieve: HTTP 401: Unauthorized: unknown key <redacted> (in the URL: <redacted>)"
    assert info.value.problem == problem


async def test_a_library_error_quoting_a_key_is_masked_with_its_cause(harness: Harness) -> None:
    """An httpx error that quotes a key (as h11 quotes an illegal header whole): masked, and so is its cause."""
    harness.server.reply(httpx.RemoteProtocolError(f"Illegal header value b'{SECRET}'"))
    with pytest.raises(APIConnectionError) as info:
        await harness.request(EVERY_LOCATION, client=harness.client(max_retries=0))
    texts = [str(info.value), repr(info.value), str(info.value.__cause__), repr(info.value.__cause__)]
    assert [k for k in ALL_KEYS if any(k in t for t in texts)] == []
    assert str(info.value) == "Connection error: RemoteProtocolError: Illegal header value b'<redacted>'"


async def test_httpx_log_line_masks_a_query_key(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """httpx logs every request's URL at INFO: the value of a query parameter that carries a key is masked there."""
    harness.server.reply(json_response(200, {}))
    with caplog.at_level(logging.INFO, logger="httpx"):
        await harness.request(EVERY_LOCATION, get_kwargs(params={"limit": 5}))
    [line] = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert line.startswith("HTTP Request: GET https://api.test/v1/things/1?limit=5&key=%3Credacted%3E ")
    assert harness.server.last.url.params["key"] == QUERY  # sent all the same


async def test_a_response_header_echoing_a_key_is_masked_in_the_debug_log(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.server.reply(json_response(200, {}, headers={"X-Debug": f"seen key {PUBLIC}"}))
    with caplog.at_level(logging.DEBUG, logger="runtime"):
        await harness.request(EVERY_LOCATION)
    text = _logged(caplog)
    assert "'x-debug': 'seen key <redacted>'" in text and PUBLIC not in text


async def test_credential_like_headers_are_redacted_wherever_they_come_from(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A header named like a credential (auth, cookie, key, token, secret, password, session, signature) is redacted
    in the debug log whether the client's defaults, the call's extra_headers, a custom request or the server sent it;
    other headers, and the idempotency key, are shown."""
    harness.server.reply(json_response(200, {}, headers={"X-Refresh-Token": "tok-server-4"}))
    client = harness.client(default_headers={"X-Partner-Token": "tok-default-1", "X-Team": "blue"})
    extra = {"X-Upstream-Secret": "sec-extra-2", "Idempotency-Key": "idem-77", "X-Auth-User": "pw-extra-5"}
    with caplog.at_level(logging.DEBUG, logger="runtime"):
        await harness.request(EVERY_LOCATION, client=client, options=RequestOptions(extra_headers=extra))
        harness.server.reply(json_response(200, {}))
        custom = client.get("/things", cast_to=object, headers={"X-Session-Id": "sess-custom-3"})
        await custom if isinstance(client, AsyncAPIClient) else None
    text = _logged(caplog)
    given = ("tok-default-1", "sec-extra-2", "sess-custom-3", "tok-server-4", "pw-extra-5")
    assert [v for v in given if v in text] == []
    for name in ("x-partner-token", "x-upstream-secret", "x-session-id", "x-refresh-token", "x-auth-user"):
        assert f"'{name}': '<redacted>'" in text
    assert "'x-team': 'blue'" in text and "'idempotency-key': 'idem-77'" in text
    # They were sent as given all the same.
    assert harness.server.requests[0].headers["x-upstream-secret"] == "sec-extra-2"
    assert harness.server.last.headers["x-session-id"] == "sess-custom-3"
