"""Fixtures of the release tests: a throwaway copy of the repository's specs, and a loopback HTTP server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sdkpipeline.spec.repo import Repo

from ..conftest import copy_repo
from .vendor_edits import ROWS


@pytest.fixture
def workspace(tmp_path: Path) -> Repo:
    """A repository holding a copy of specs/ (registry, lock, vendored specs, overrides, CHANGELOGs) and templates."""
    return copy_repo(tmp_path / "repo", generated=False)


@dataclass
class SpecServer:
    """Serves the files put in `directory` at `url` + name, on 127.0.0.1."""

    directory: Path
    url: str

    def serve(self, name: str, data: bytes) -> str:
        (self.directory / name).write_bytes(data)
        return self.url + name


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def spec_server(tmp_path: Path) -> Iterator[SpecServer]:
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SpecServer(served, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The table of vendor edits (tests/release/test_vendor_edits.py): what each release said, one row per edit."""
    if not ROWS:
        return
    terminalreporter.section("vendor edits taken with update_specs")
    terminalreporter.write_line("| edit | API | spec report | bump | SDK surface | CHANGELOG summary line |")
    terminalreporter.write_line("| --- | --- | --- | --- | --- | --- |")
    for row in ROWS:
        summary = row.summary.replace("|", "\\|")
        cells = [row.kind, row.api, row.spec, row.bump, row.surface, summary]
        terminalreporter.write_line("| " + " | ".join(cells) + " |")
