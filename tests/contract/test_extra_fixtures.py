"""Captured bodies: `--extra-fixtures DIR` parses and round-trips every <operationId>__<case>.json there.

Without the option every committed fixture's response body is the input (written out as such a file),
so the check itself is always exercised; a directory holding no such file is a usage error, not a
silently empty run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.testing.contract import check_body_file

from .cassettes import FIXTURES, Fixture
from .conftest import Report


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "body_file" not in metafunc.fixturenames:
        return
    directories: list[Path] = metafunc.config.getoption("--extra-fixtures", default=None) or []
    if not directories:
        with_body = [f for f in FIXTURES if f.response_body]
        metafunc.parametrize("body_file", with_body, ids=str, indirect=True)
        return
    files = sorted(p for d in directories if d.is_dir() for p in d.glob("*.json"))
    if not files:
        raise pytest.UsageError(
            f"--extra-fixtures: no <operationId>__<case>.json in {', '.join(map(str, directories))}"
        )
    metafunc.parametrize("body_file", files, ids=lambda p: p.name, indirect=True)


@pytest.fixture
def body_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The captured body's file: as given, or a committed fixture's response body written out as one."""
    given = request.param
    if isinstance(given, Fixture):
        path = tmp_path / f"{given.path.stem}.json"
        path.write_bytes(given.response_body)
        return path
    assert isinstance(given, Path)
    return given


def test_extra_fixture(body_file: Path, report: Report, request: pytest.FixtureRequest) -> None:
    """The body parses with the SDK of its operation and serialises back to the same JSON."""
    result = check_body_file(body_file)
    if request.config.getoption("--extra-fixtures"):
        report.extra_lines.append(result.line())  # one line per file given: the report the option promises
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
