"""Tests for sdkpipeline.spec.statuses: the one rule for a success status."""

from __future__ import annotations

import pytest

from sdkpipeline.spec.statuses import is_success


@pytest.mark.parametrize(
    ("status", "expected"),
    [("200", True), ("201", True), ("2XX", True), ("2xx", True), (204, True), ("default", False), ("302", False)],
)
def test_is_success_is_the_one_2xx_rule(status: object, expected: bool) -> None:
    """Response keys of the spec and status codes alike."""
    assert is_success(status) is expected
