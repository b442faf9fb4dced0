"""The secret scan of conftest.py: it sees the run's logs, errors and clients, and it would catch a leak."""

from __future__ import annotations

import logging
from typing import Any

import cnaught_client
import fungies_client
import httpx
import pytest

from .conftest import CN_KEY, FG_SECRET, SeenObjects, Server, json_response, leaks


def test_secret_scan_sees_logs_errors_and_clients(
    make_cn: Any, make_fg: Any, server: Server, secret_scan: SeenObjects
) -> None:
    """A run with retries, status errors, connection errors and a missing key gives the scan texts to check."""
    server.reply(json_response(401, {"title": "Unauthorized", "status": 401}), httpx.ReadTimeout("slow"))
    with pytest.raises(cnaught_client.AuthenticationError):
        make_cn().orders.retrieve("a")
    with pytest.raises(cnaught_client.APITimeoutError):
        make_cn(max_retries=1).orders.retrieve("a")
    with pytest.raises(fungies_client.MissingCredentialsError):
        make_fg(secret_key=None).orders.cancel("1")
    kinds = {type(e).__name__ for e in secret_scan.errors}
    assert kinds == {"AuthenticationError", "APITimeoutError", "MissingCredentialsError"}
    assert len(secret_scan.records) >= 4
    assert {type(c).__name__ for c in secret_scan.clients} == {"CNaught", "Fungies"}
    texts = [text for _, text in secret_scan.texts()]
    assert any("<redacted>" in t for t in texts)
    assert any(t == "CNaught(base_url='https://api.cnaught.com/v1', api_key=<set>)" for t in texts)
    assert leaks(secret_scan) == []


def test_secret_scan_catches_a_key_in_a_log_record() -> None:
    """A record or exception carrying a key is reported by the scan."""
    seen = SeenObjects()
    seen.records.append(logging.LogRecord("cnaught_client", logging.DEBUG, __file__, 1, "key=%s", (CN_KEY,), None))
    seen.errors.append(ValueError(f"bad key {FG_SECRET}"))
    found = leaks(seen)
    assert ("log record", f"key={CN_KEY}") in found
    assert ("ValueError str", f"bad key {FG_SECRET}") in found
