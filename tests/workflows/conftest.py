"""The noxfile, loaded as a module: its sessions and helpers called directly, with a session that records."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ..inputs import ROOT, required_file


@pytest.fixture(scope="session")
def noxfile() -> ModuleType:
    spec = importlib.util.spec_from_file_location("noxfile_under_test", required_file(ROOT / "noxfile.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first: its dataclasses look their module up by name.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class SessionError(Exception):
    """What `session.error` raised."""


@dataclass
class Call:
    """One command a session ran (or installed with), and the folder it ran in."""

    kind: str  # run, run_install or install
    args: tuple[str, ...]
    cwd: str
    env: dict[str, str]


@dataclass
class RecordingSession:
    """Stands in for nox.Session: records what a session function runs instead of running it."""

    posargs: list[str] = field(default_factory=list)
    invoked_from: str = str(ROOT)
    venv_backend: str = "uv"
    cwd: str = str(ROOT)
    calls: list[Call] = field(default_factory=list)

    def _record(self, kind: str, args: tuple[str, ...], env: dict[str, str] | None) -> None:
        self.calls.append(Call(kind, tuple(str(a) for a in args), self.cwd, dict(env or {})))

    def run(self, *args: str, env: dict[str, str] | None = None, **_: Any) -> None:
        self._record("run", args, env)

    def run_install(self, *args: str, env: dict[str, str] | None = None, **_: Any) -> None:
        self._record("run_install", args, env)

    def install(self, *args: str, env: dict[str, str] | None = None, **_: Any) -> None:
        self._record("install", args, env)

    def chdir(self, folder: str | Path) -> None:
        self.cwd = str(folder)

    def error(self, *args: Any) -> None:
        raise SessionError(" ".join(map(str, args)))

    def log(self, *args: Any) -> None:
        pass

    def ran(self, program: str) -> list[Call]:
        """The `run` calls of `program`."""
        return [call for call in self.calls if call.kind == "run" and call.args[0] == program]
