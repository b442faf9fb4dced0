"""A Prism mock server started from an OpenAPI document, for tests that need a real HTTP peer."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypedDict

from ..errors import PipelineError
from ..spec.npm import locked, npm_ci, pin_installed
from ..spec.repo import Repo
from .localserver import free_port, stop, tail

PRISM_VERSION = "5.16.0"


# Prism 5.16 has no structured-log flag: its pino JSON is piped through signale, so the log is text.
# With FORCE_COLOR=0 a request starts with "[HTTP SERVER] post /quotes <icon> info  Request received";
# an invalid one then logs "[VALIDATOR] <icon> warning  Request did not pass the validation rules" and one
# "[VALIDATOR] <icon> error  <message>" per problem. Only when the response comes from the spec (not from a
# Prism-made 401/422) does it also log "Violation: <location> <message>" lines, which carry the location.
_REQUEST_LINE = re.compile(r"\[HTTP SERVER\] (?P<method>[a-z]+) (?P<path>\S+) .*Request received\s*$")
_VALIDATOR_LINE = re.compile(r"\[VALIDATOR\] .*?\b(?P<severity>error|warning|info|success)\s+(?P<message>.*?)\s*$")
_LOCATED = re.compile(r"Violation: (?P<location>(?:request|response)(?:\.\S+)?) (?P<message>.*)$")
_FAILED = "Request did not pass the validation rules"
_SYNC_PREFIX = "/__sdkpipeline_log_sync__/"


class Violation(TypedDict):
    """One request validation problem Prism logged: the request it belongs to and what was wrong."""

    method: str
    path: str
    location: str
    severity: str
    message: str


class Received(NamedTuple):
    """One request Prism logged as received: the method (upper case) and the path without the query."""

    method: str
    path: str


def ensure_prism(repo: Repo | None = None, *, install_dir: Path | None = None, pin_dir: Path | None = None) -> Path:
    """Install the pinned Prism into `install_dir` unless it is already there; return its executable.

    The pin is the committed scripts/prism/package.json + package-lock.json (`npm ci` installs exactly
    what the lock says); it is installed into .cache/prism of the repository by default.
    """
    repo = repo or Repo.default()
    install_dir = install_dir or repo.cache / "prism"
    pin_dir = pin_dir or repo.prism_pin
    executable = install_dir / "node_modules" / ".bin" / "prism"
    with locked(install_dir.parent / f"{install_dir.name}.lock"):
        if _installed_matches(install_dir, pin_dir) and executable.exists():
            return executable
        npm_ci(install_dir, pin_dir, what=f"Prism {PRISM_VERSION}", node="20 or later")
        if not _installed_matches(install_dir, pin_dir) or not executable.exists():
            raise PipelineError(
                f"npm ci finished but {executable} is not Prism {PRISM_VERSION}",
                file=pin_dir / "package.json",
                hint=f"delete {install_dir} and retry; check that it pins @stoplight/prism-cli {PRISM_VERSION}",
            )
        return executable


def _installed_matches(install_dir: Path, pin_dir: Path) -> bool:
    return pin_installed(install_dir, pin_dir, {"@stoplight/prism-cli": PRISM_VERSION})


def parse_violations(log: str) -> list[Violation]:
    """Read the request validation violations out of a Prism 5.16 log, each with its request.

    A violation belongs to the latest "Request received" line before it, which is exact as long as
    requests to one server are not sent concurrently. `location` (e.g. "request.body.amount_kg") is
    empty when Prism answered with an error of its own making, as its log then does not say it.
    """
    found: list[Violation] = []
    method = path = ""
    located: list[Violation] = []
    plain: list[Violation] = []
    failing = False

    def flush() -> None:
        if not path.startswith(_SYNC_PREFIX):
            found.extend(located or plain)
        located.clear()
        plain.clear()

    for line in log.splitlines():
        if request := _REQUEST_LINE.search(line):
            flush()
            method, path, failing = request["method"].upper(), request["path"], False
            continue
        validator = _VALIDATOR_LINE.search(line)
        if validator is None:
            failing = False
            continue
        message = validator["message"]
        if message == _FAILED:
            failing = True
        elif violation := _LOCATED.match(message):
            if violation["location"].startswith("request"):
                located.append(
                    Violation(
                        method=method,
                        path=path,
                        location=violation["location"],
                        severity=validator["severity"],
                        message=violation["message"],
                    )
                )
        elif failing and validator["severity"] == "error":
            plain.append(Violation(method=method, path=path, location="", severity="error", message=message))
    flush()
    return found


def parse_requests(log: str) -> list[Received]:
    """Every request a Prism 5.16 log says was received, in order (the log-sync markers left out)."""
    found: list[Received] = []
    for line in log.splitlines():
        request = _REQUEST_LINE.search(line)
        if request is not None and not request["path"].startswith(_SYNC_PREFIX):
            found.append(Received(request["method"].upper(), request["path"].split("?", 1)[0]))
    return found


@dataclass
class PrismServer:
    """A running Prism: where it listens and what it logged."""

    base_url: str
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def log(self) -> str:
        """Everything Prism has written so far (stdout and stderr together)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def violations(self, *, timeout: float = 5.0) -> list[Violation]:
        """Request validation violations Prism logged so far (see `parse_violations`)."""
        return parse_violations(self._synced_log(timeout))

    def requests(self, *, timeout: float = 5.0) -> list[Received]:
        """Every request Prism received so far, in order (see `parse_requests`)."""
        return parse_requests(self._synced_log(timeout))

    def _synced_log(self, timeout: float) -> str:
        # Prism writes a request's log lines asynchronously, possibly after the response was sent.
        # Its log is one ordered stream, so once a marker request shows up, everything before it has too.
        marker = f"{_SYNC_PREFIX}{uuid.uuid4().hex}"
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(self.base_url + marker, timeout=timeout).close()
        deadline = time.monotonic() + timeout
        while True:
            text = self.log()
            if marker in text:
                return text
            if time.monotonic() > deadline:
                raise PipelineError(
                    f"Prism did not log the sync request {marker} within {timeout:.0f} s", file=self.log_path
                )
            time.sleep(0.05)


@contextlib.contextmanager
def prism_server(
    spec: Path,
    *,
    port: int | None = None,
    errors: bool = True,
    dynamic: bool = False,
    startup_timeout: float = 60.0,
    log_dir: Path | None = None,
) -> Iterator[PrismServer]:
    """Serve `spec` with Prism on 127.0.0.1 until the block ends.

    errors: pass `--errors`, so a mocked response that violates the spec becomes a 500. An invalid
        request is refused either way: with the spec's own 422, else 400, else default response, else
        a Prism-made 422.
    dynamic: generate bodies from the schemas instead of returning the spec's examples.
    log_dir: keep Prism's log there (for example pytest's tmp_path); by default it is a temporary
        directory removed on exit.
    """
    spec = spec.resolve()
    if not spec.is_file():
        raise PipelineError("no such spec to mock", file=spec)
    executable = ensure_prism()
    chosen = port if port is not None else free_port()
    with contextlib.ExitStack() as stack:
        directory = log_dir if log_dir is not None else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        directory.mkdir(parents=True, exist_ok=True)
        log_path = directory / "prism.log"
        command = [str(executable), "mock", str(spec), "-h", "127.0.0.1", "-p", str(chosen)]
        if errors:
            command.append("--errors")
        if dynamic:
            command.append("--dynamic")
        # FORCE_COLOR=0 keeps ANSI colour codes out of the log that violations() parses.
        env = {**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"}
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=directory
            )
        stack.callback(stop, process)
        server = PrismServer(base_url=f"http://127.0.0.1:{chosen}", port=chosen, log_path=log_path, process=process)
        _wait_until_listening(server, spec, startup_timeout)
        yield server


def _wait_until_listening(server: PrismServer, spec: Path, timeout: float) -> None:
    # Wait for Prism's own "listening" line as well as an open port, so that another program that
    # happens to hold the port is not mistaken for Prism.
    ready = f"Prism is listening on {server.base_url}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise PipelineError(
                f"Prism exited with code {server.process.returncode} before listening:\n{tail(server.log())}",
                file=spec,
                hint="fix the spec (Prism reports why it rejects it above) or free the port",
            )
        if ready in server.log() and _accepts(server.port):
            return
        time.sleep(0.1)
    raise PipelineError(
        f"Prism did not start listening on {server.base_url} within {timeout:.0f} s:\n{tail(server.log())}",
        file=spec,
    )


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False
