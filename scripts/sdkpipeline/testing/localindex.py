"""A throwaway package index (pypiserver) on 127.0.0.1, for tests that upload and install real packages."""

from __future__ import annotations

import contextlib
import importlib.metadata
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PipelineError
from .localserver import free_port, stop, tail

PYPISERVER_VERSION = "2.4.2"
# The passlib extra is what lets pypiserver read an htpasswd file (-P).
PYPISERVER_REQUIREMENT = f"pypiserver[passlib]=={PYPISERVER_VERSION}"


@dataclass
class LocalIndex:
    """A running index: where to upload, where pip reads, and the throwaway account allowed to upload."""

    url: str
    simple_url: str
    username: str
    password: str
    packages_dir: Path
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def log(self) -> str:
        """Everything pypiserver has written so far (stdout and stderr together)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def local_index(root: Path | None = None, *, startup_timeout: float = 30.0) -> Iterator[LocalIndex]:
    """Run pypiserver on 127.0.0.1 until the block ends; uploads need the yielded username and password.

    root: directory for the served packages/, the htpasswd file and the log (kept afterwards); by default
        a temporary directory removed on exit. The index never falls back to a public one, so a package
        pip finds there is one that was uploaded there. Uploading a file that exists already is refused.
    """
    _require_pypiserver()
    with contextlib.ExitStack() as stack:
        base = root if root is not None else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        packages_dir = base / "packages"
        packages_dir.mkdir(parents=True, exist_ok=True)
        username, password = "sdkpipeline", secrets.token_urlsafe(16)
        htpasswd = base / "htpasswd"
        _write_htpasswd(htpasswd, username, password)
        port = free_port()
        log_path = base / "pypiserver.log"
        # `-a update`: only uploads need the account; --disable-fallback: a name missing here is a 404,
        # never a redirect to the public index.
        command = [
            sys.executable, "-m", "pypiserver", "run",
            "-i", "127.0.0.1", "-p", str(port),
            "-a", "update", "-P", str(htpasswd),
            "--disable-fallback",
            str(packages_dir),
        ]  # fmt: skip
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=base
            )
        stack.callback(stop, process)
        index = LocalIndex(
            url=f"http://127.0.0.1:{port}/",
            simple_url=f"http://127.0.0.1:{port}/simple/",
            username=username,
            password=password,
            packages_dir=packages_dir,
            port=port,
            log_path=log_path,
            process=process,
        )
        _wait_until_healthy(index, startup_timeout)
        yield index


def _require_pypiserver() -> None:
    try:
        installed = importlib.metadata.version("pypiserver")
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed != PYPISERVER_VERSION:
        found = f"found {installed}" if installed else "it is not installed"
        raise PipelineError(
            f"the local index needs pypiserver {PYPISERVER_VERSION} in {sys.executable}; {found}",
            hint=f"pip install '{PYPISERVER_REQUIREMENT}' (the nox test sessions do)",
        )


def _write_htpasswd(path: Path, username: str, password: str) -> None:
    # Imported here: passlib comes with pypiserver's passlib extra, which only this module needs. Its
    # 1.7.4 (pinned by pypiserver) imports the stdlib `crypt` module, deprecated since Python 3.11.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="'crypt' is deprecated", category=DeprecationWarning)
        from passlib.apache import HtpasswdFile

    htpasswd = HtpasswdFile(str(path), new=True)
    htpasswd.set_password(username, password)
    htpasswd.save()


def _wait_until_healthy(index: LocalIndex, timeout: float) -> None:
    health = f"http://127.0.0.1:{index.port}/health"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if index.process.poll() is not None:
            raise PipelineError(
                f"pypiserver exited with code {index.process.returncode} before serving:\n{tail(index.log())}",
                file=index.log_path,
            )
        with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=1.0) as response:
            if response.status == 200 and response.read() == b"Ok":
                return
        time.sleep(0.1)
    raise PipelineError(
        f"pypiserver did not answer {health} within {timeout:.0f} s:\n{tail(index.log())}", file=index.log_path
    )
