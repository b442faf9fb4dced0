"""Replay: for every fixture the SDK sends the recorded request and parses the recorded response back.

Each fixture is replayed twice over: through the generated function layer (`sync_detailed`), and through
the public clients (`CNaught(api_key=...)`, `AsyncFungies(...)`) calling the resource method the SDK model
names, so credentials, header renaming, envelopes, typed errors and pagination meet the recorded exchange.

vcrpy serves the cassette and refuses any request that differs from the recorded one in method, URL
(scheme, host, port, path, query), JSON body, the credential headers it carries, or the header
parameters (X-Subaccount-Id, Idempotency-Key) it carries.
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import pytest
import vcr

from sdkpipeline.testing.contract import (
    fake_credentials,
    first_difference,
    is_model,
    make_client,
    parse_response,
    registry,
    sdk_client,
    secret_header_names,
    serialise,
    server_url,
)

from .cassettes import FIXTURES, Fixture
from .conftest import Report

_MATCH_ON = ["method", "scheme", "host", "port", "path", "query", "body", "credentials", "header_parameters"]
# Header names the recorder keeps besides credentials (recorder._KEPT_REQUEST_HEADERS): transport details.
_TRANSPORT = {"accept", "content-type"}
_SECRET = set().union(*(secret_header_names(api) for api in registry()))
# The typed error the public client raises for each status: the package README's table.
_ERRORS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}


def _headers(request: Any) -> dict[str, str]:
    return {k.lower(): v[0] if isinstance(v, list) else v for k, v in request.headers.items()}


def _credentials(live: Any, recorded: Any) -> None:
    """The live request carries exactly the credential headers the recorded one did (values are scrubbed)."""
    wanted = {name for name in _headers(recorded) if name in _SECRET}
    sent = {name for name in _headers(live) if name in _SECRET}
    assert wanted == sent, f"credential headers: recorded {sorted(wanted)}, sent {sorted(sent)}"


def _header_parameters(live: Any, recorded: Any) -> None:
    """Every header parameter the recording carries is sent with its value, and no other X- header is sent.

    The public client adds an Idempotency-Key of its own where the operation declares one and the
    recording has none; that one may differ.
    """
    recorded_headers, sent = _headers(recorded), _headers(live)
    wanted = {k: v for k, v in recorded_headers.items() if k not in _SECRET | _TRANSPORT}
    for name, value in wanted.items():
        assert sent.get(name) == value, f"header {name}: recorded {value!r}, sent {sent.get(name)!r}"
    extra = {k for k in sent if k.startswith("x-") and k not in _SECRET and k not in wanted}
    assert not extra, f"headers the recording does not carry: {sorted(extra)}"


REPLAY = vcr.VCR(record_mode="none", match_on=_MATCH_ON, decode_compressed_response=True)
REPLAY.register_matcher("credentials", _credentials)
REPLAY.register_matcher("header_parameters", _header_parameters)


def _expected_error(status: int) -> str:
    return "InternalServerError" if status >= 500 else _ERRORS.get(status, "APIStatusError")


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_replay(fixture: Fixture, report: Report) -> None:
    """The function layer issues exactly the recorded request, and the response parses and serialises back."""
    operation = fixture.operation
    client = make_client(operation, server_url(fixture.api), headers=fake_credentials(operation))
    with REPLAY.use_cassette(str(fixture.path)) as cassette:
        response = operation.module.sync_detailed(client=client, **fixture.call_arguments())
        assert cassette.all_played, "the SDK did not send the recorded request"
    report.replayed_functions[fixture.api] += 1
    assert response.status_code == fixture.status
    if not fixture.response_body:
        assert response.parsed is None
        return
    assert is_model(operation, response.parsed), f"parsed into {type(response.parsed)}, not a documented model"
    expected = fixture.response_json
    again = serialise(response.parsed)
    assert again == expected, first_difference(expected, again)


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_replay_through_client(fixture: Fixture, report: Report) -> None:
    """The resource method the model names sends exactly the recorded request; it returns the parsed body
    (a page for a list) or raises the typed error for the status."""
    call = fixture.resource_call()
    client = sdk_client(fixture.api, server_url(fixture.api), max_retries=0)
    with REPLAY.use_cassette(str(fixture.path)) as cassette, client:
        outcome = _outcome(lambda: call(client))
        assert cassette.all_played, f"{call} did not send the recorded request"
    report.replayed_clients[fixture.api] += 1
    _check_outcome(fixture, outcome)


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_replay_through_async_client(fixture: Fixture, report: Report) -> None:
    """The async client's resource method sends the same request and gives the same result or error."""
    call = fixture.resource_call()

    async def run() -> Any:
        client = sdk_client(fixture.api, server_url(fixture.api), asynchronous=True, max_retries=0)
        try:
            # An async list method returns a paginator: awaiting it fetches the first page.
            return await call(client)
        finally:
            await client.close()

    with REPLAY.use_cassette(str(fixture.path)) as cassette:
        outcome = _outcome(lambda: asyncio.run(run()))
        assert cassette.all_played, f"async {call} did not send the recorded request"
    report.replayed_async_clients[fixture.api] += 1
    _check_outcome(fixture, outcome)


def _outcome(run: Any) -> Any:
    """What the call returned, or the SDK error it raised (any other exception propagates)."""
    try:
        return run()
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in {api.package for api in registry().values()}:
            return exc
        raise


def _check_outcome(fixture: Fixture, outcome: Any) -> None:
    package = importlib.import_module(registry()[fixture.api].package)
    if fixture.is_error:
        assert isinstance(outcome, package.APIStatusError), f"HTTP {fixture.status} gave {outcome!r}, not an error"
        assert type(outcome).__name__ == _expected_error(fixture.status)
        assert outcome.status_code == fixture.status
        assert outcome.body == fixture.response_body
        return
    assert not isinstance(outcome, Exception), f"HTTP {fixture.status} raised {outcome!r}"
    _check_result(fixture, outcome)


def _check_result(fixture: Fixture, result: Any) -> None:
    """The method's result serialises back to the recorded body (or the part of it the method returns)."""
    operation = fixture.operation
    expected = fixture.response_json
    if operation.record.pagination is not None:
        assert type(result).__name__ in ("SyncPage", "AsyncPage"), f"a list method returned {type(result)}"
        page = serialise(result.response)
        assert page == expected, first_difference(expected, page)
        # The page's items are the list the spec's pagination decision names (wire names, not the model's).
        wire_items = _at(expected, operation.spec["x-sdk-pagination"]["items"])
        items = [serialise(item) for item in result.items]
        assert items == wire_items, first_difference(wire_items, items)
        return
    if operation.record.unwrap:
        # The method returns the resource the envelope carries: compare with that part of the full parse.
        full = parse_response(operation, fixture.status, fixture.response_body, fixture.response_media_type)
        expected = serialise(_attributes(full, operation.record.unwrap))
    if not fixture.response_body:
        assert result is None
        return
    again = serialise(result)
    assert again == expected, first_difference(expected, again)


def _at(body: Any, wire_path: list[str]) -> Any:
    for name in wire_path:
        body = body[name]
    return body


def _attributes(parsed: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        parsed = getattr(parsed, name)
    return parsed


def test_fixture_metadata_states_source() -> None:
    """Every fixture says what it covers and where its request and response come from."""
    for fixture in FIXTURES:
        meta = fixture.metadata
        assert meta.get("operation") == fixture.operation.record.operation_id, fixture
        assert meta.get("case") == fixture.case and meta.get("status") == fixture.status, fixture
        assert meta.get("covers"), fixture
        assert meta.get("source", {}).get("request") and meta["source"].get("response"), fixture
