"""Fixture coverage: every operation has a success and an error fixture; no fixture holds a secret."""

from __future__ import annotations

import pytest

from sdkpipeline.testing.contract import FAKE_BEARER, coverage, registry

from .cassettes import FIXTURES


@pytest.mark.parametrize("api", list(registry()))
def test_every_operation_has_success_and_error_fixtures(api: str) -> None:
    """100% of operations have fixtures, each with a success case and at least one error case."""
    report = coverage(api)
    assert report.with_fixtures == report.total, f"{report.with_fixtures}/{report.total}"
    assert not report.missing(), report.missing()
    assert not report.unknown, report.unknown


def test_fixtures_hold_no_secret() -> None:
    """Credential headers are scrubbed and the fake keys used for recording appear nowhere."""
    for fixture in FIXTURES:
        text = fixture.path.read_text(encoding="utf-8")
        assert FAKE_BEARER not in text and "fake-x-fngs" not in text, fixture
        for name, value in fixture.request.headers.items():
            if name.lower() == "authorization":
                assert value == "Bearer <scrubbed>", fixture
            elif name.lower().startswith("x-fngs-"):
                assert value == "<scrubbed>", fixture
