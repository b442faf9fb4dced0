"""Captured bodies: `--extra-fixtures DIR` parses and round-trips every <operationId>__<case>.json there.

Without the option the vendors' example bodies (specs/<api>/examples, listed in specs/vendored.sha256) are
the input, so the check itself is always exercised. A named directory that is missing or holds no body
fails the collection with its path: a check that ran on nothing is not a pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.testing.contract import check_body_file

from ..inputs import required_files, vendored_files
from .conftest import Report


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "body_file" not in metafunc.fixturenames:
        return
    directories: list[Path] = metafunc.config.getoption("--extra-fixtures", default=None) or []
    default = vendored_files("*/examples/*.json")
    files = [p for d in directories for p in required_files(d)] if directories else default
    metafunc.parametrize("body_file", files, ids=lambda p: p.name)


def test_extra_fixture(body_file: Path, report: Report) -> None:
    """The body parses with the SDK of its operation and serialises back to the same JSON."""
    result = check_body_file(body_file)
    report.extra_lines.append(result.line())
    assert result.ok, result.message


def test_unknown_operation_is_reported(tmp_path: Path) -> None:
    """A file naming no operation fails with a one-line reason, no traceback."""
    path = tmp_path / "NoSuchOperation__docs_example.json"
    path.write_text("{}", encoding="utf-8")
    result = check_body_file(path)
    assert not result.ok and "NoSuchOperation" in result.message


def test_undocumented_status_is_reported(tmp_path: Path) -> None:
    """A status the operation does not document is named in the result."""
    path = tmp_path / "GetOrderById__418_teapot.json"
    path.write_text("{}", encoding="utf-8")
    result = check_body_file(path)
    assert not result.ok and "418" in result.message
