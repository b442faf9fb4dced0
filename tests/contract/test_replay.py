"""Replay: for every fixture the SDK sends the recorded request and parses the recorded response back.

vcrpy serves the cassette and refuses any request that differs from the recorded one in method,
URL (scheme, host, port, path, query), JSON body, or the credential headers it carries.
"""

from __future__ import annotations

from typing import Any

import pytest
import vcr

from sdkpipeline.testing.contract import (
    fake_credentials,
    first_difference,
    is_model,
    make_client,
    serialise,
    server_url,
)

from .cassettes import FIXTURES, Fixture

_MATCH_ON = ["method", "scheme", "host", "port", "path", "query", "body", "credentials"]


def _credentials(live: Any, recorded: Any) -> None:
    """The live request carries every credential header the recorded one did (values are scrubbed)."""
    wanted = {name.lower() for name in recorded.headers if name.lower().startswith(("authorization", "x-fngs-"))}
    sent = {name.lower() for name in live.headers}
    assert wanted <= sent, f"credential headers missing: {sorted(wanted - sent)}"


REPLAY = vcr.VCR(record_mode="none", match_on=_MATCH_ON, decode_compressed_response=True)
REPLAY.register_matcher("credentials", _credentials)


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_replay(fixture: Fixture) -> None:
    """The SDK issues exactly the recorded request, and the response parses and serialises back."""
    operation = fixture.operation
    client = make_client(operation, server_url(fixture.api), headers=fake_credentials(operation))
    with REPLAY.use_cassette(str(fixture.path)) as cassette:
        response = operation.module.sync_detailed(client=client, **fixture.call_arguments())
        assert cassette.all_played, "the SDK did not send the recorded request"
    assert response.status_code == fixture.status
    if not fixture.response_body:
        assert response.parsed is None
        return
    assert is_model(operation, response.parsed), f"parsed into {type(response.parsed)}, not a documented model"
    expected = fixture.response_json
    again = serialise(response.parsed)
    assert again == expected, first_difference(expected, again)


def test_fixture_metadata_states_source() -> None:
    """Every fixture says what it covers and where its request and response come from."""
    for fixture in FIXTURES:
        meta = fixture.metadata
        assert meta.get("operation") == fixture.operation.operation_id, fixture
        assert meta.get("case") == fixture.case and meta.get("status") == fixture.status, fixture
        assert meta.get("covers"), fixture
        assert meta.get("source", {}).get("request") and meta["source"].get("response"), fixture
