"""Process plumbing shared by the local servers the tests start (Prism, pypiserver): loopback only."""

from __future__ import annotations

import socket
import subprocess

STOP_TIMEOUT = 10.0
LOG_TAIL = 40


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill after a bounded wait."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tail(text: str) -> str:
    """The end of a server log, indented for an error message."""
    lines = text.strip().splitlines()[-LOG_TAIL:]
    return "\n".join("    " + line for line in lines) or "    (no output)"
