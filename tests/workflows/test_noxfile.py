"""noxfile.py: what its sessions run with the caller's arguments, and the Python they need.

The session functions are called with a session that records (a real session would build a venv); what
the recorded pytest arguments mean is checked with a real pytest on a small tree.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sdkpipeline.cli import COMMANDS, session_for

from ..inputs import ROOT
from .conftest import RecordingSession
from .test_workflows import _listed_sessions

ELSEWHERE = "/somewhere/else"


def _pytest_args(session: RecordingSession) -> tuple[str, ...]:
    (call,) = session.ran("pytest")
    return call.args[1:]


@pytest.mark.parametrize("posargs", [[], ["-x", "-q"], ["-k", "redirect"], ["tests/codegen"]], ids=repr)
def test_tests_keeps_its_ignores_with_any_arguments(
    noxfile: ModuleType, monkeypatch: pytest.MonkeyPatch, posargs: list[str]
) -> None:
    """`nox -s tests -- ARGS` still leaves out the SDK tests and the workflow checks, and passes ARGS on."""
    monkeypatch.setattr(noxfile, "_wheelhouse", lambda session: {})
    session = RecordingSession(posargs=posargs)
    noxfile.tests(session)
    args = _pytest_args(session)
    ignored = {arg.removeprefix("--ignore=") for arg in args if arg.startswith("--ignore=")}
    assert ignored == {*noxfile.SDK_TESTS, noxfile.WORKFLOW_TESTS}
    assert list(args[len(args) - len(posargs) :]) == posargs


@pytest.mark.parametrize("name", ["sdk_tests", "sdk_tests_lowest", "release_tests"])
def test_test_sessions_keep_their_paths_unless_given_one(noxfile: ModuleType, name: str) -> None:
    """`nox -s sdk_tests -- -x` runs the SDK tests (not the whole suite): the paths go to pytest's testpaths."""
    session = RecordingSession(posargs=["-x"])
    getattr(noxfile, name)(session)
    args = _pytest_args(session)
    assert args[-1] == "-x"
    option = args.index("-o")
    assert args[option + 1].startswith("testpaths=")
    expected = noxfile.SDK_TESTS if name.startswith("sdk_tests") else ["tests/release"]
    assert args[option + 1].removeprefix("testpaths=").split() == expected


def test_pytest_reads_those_arguments_as_the_sessions_mean_them(noxfile: ModuleType, tmp_path: Path) -> None:
    """A real pytest: ignores hold beside -k, testpaths apply only when no path is given, a named path wins."""
    for folder in ("mine", "ignored", "other"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"test_{folder}.py").write_text("def test_it():\n    pass\n", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")

    def collected(posargs: list[str], **paths: list[str]) -> set[str]:
        session = RecordingSession(posargs=posargs)
        noxfile._pytest(session, **paths)
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", *_pytest_args(session)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        return {line.split("/")[0] for line in done.stdout.splitlines() if "::" in line}

    assert collected(["-k", "it"], ignore=["ignored"]) == {"mine", "other"}
    assert collected(["-x"], testpaths=["mine"]) == {"mine"}
    assert collected(["other"], testpaths=["mine"]) == {"other"}


@pytest.mark.parametrize(
    ("name", "posargs"),
    [
        ("generate", ["--spec", "pet.yaml", "--output", "pet-client"]),
        ("update_specs", ["fungies", "--source", "new.yaml", "--check"]),
        ("release", ["fungies", "--notes", "notes.md", "--check"]),
        ("bench", ["--json", "figures.json"]),
    ],
)
def test_the_cli_runs_in_the_callers_folder(noxfile: ModuleType, name: str, posargs: list[str]) -> None:
    """Relative paths given to a session mean the caller's folder (nox's invoked_from), not the repository."""
    session = RecordingSession(posargs=posargs, invoked_from=ELSEWHERE)
    getattr(noxfile, name)(session)
    (call,) = session.ran("sdkpipeline")
    assert call.args[2:] == tuple(posargs)
    assert call.cwd == ELSEWHERE
    assert session.cwd == str(ROOT), "the session goes back to the repository afterwards"


def test_every_cli_command_has_its_session(noxfile: ModuleType) -> None:
    """The session the CLI's error names for each command exists (sdkpipeline.cli.session_for)."""
    sessions = {entry["name"] for entry in _listed_sessions(*{session_for(c) for c in COMMANDS})}
    assert {session_for(command) for command in COMMANDS} <= sessions


def test_the_pipeline_python_is_named_with_its_reason(noxfile: ModuleType) -> None:
    """A machine without Python 3.11 is told that exactly 3.11 is needed, why, and how to get it."""
    assert noxfile.PYTHON == "3.11" and noxfile.nox.options.download_python == "never"
    assert noxfile.missing_python_message([]) is None
    message = noxfile.missing_python_message(["3.11"])
    assert message is not None
    assert "run on Python 3.11 exactly" in message and "oldest Python the SDKs support" in message
    assert "pyenv install 3.11" in message and "never downloads" in message
    sdk_only = noxfile.missing_python_message(["3.13"]) or ""
    assert "sdk_tests runs once on each" in sdk_only and "exactly" not in sdk_only
