"""`sdkpipeline COMMAND` in an environment that lacks a package the command needs: one clear error, no traceback.

Every nox session installs the CLI, each with only its own dependency groups (`.nox/generate/bin/sdkpipeline
build` has no `packaging`, `build` or `twine`). The missing package is made missing for real: the child
interpreter's import system is told it does not exist (None in sys.modules), exactly what a lacking
environment raises.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from sdkpipeline.cli import COMMANDS, session_for

# A command, arguments it would run with, the package it imports first that a lesser environment lacks,
# and the hint's way to run it.
CASES = [
    ("build", [], "packaging", "`nox -s build`"),
    ("publish", ["--repository-url", "http://127.0.0.1:9/"], "packaging", "`nox -s publish`"),
    ("release", ["--check"], "griffe", "`nox -s release`"),
    ("record", [], "vcr", "`.nox/contract/bin/sdkpipeline record`"),
]


def _run_without(package: str, argv: list[str]) -> subprocess.CompletedProcess[str]:
    code = f"import sys; sys.modules[{package!r}] = None\nfrom sdkpipeline.cli import main\nsys.exit(main({argv!r}))\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("command", "args", "package", "hint"), CASES, ids=[case[0] for case in CASES])
def test_a_missing_package_is_named_with_the_session_that_has_it(
    command: str, args: list[str], package: str, hint: str
) -> None:
    """Exit 1, the package and this environment named, the way to run the command; no traceback."""
    done = _run_without(package, [command, *args])
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    first, second = done.stderr.strip().splitlines()[:2]
    assert first == (
        f"error: `sdkpipeline {command}` needs the Python package {package!r}, "
        f"which this environment ({sys.prefix}) does not have"
    )
    assert second.startswith("  hint: ") and hint in second


def test_a_missing_module_of_the_pipeline_itself_stays_a_bug() -> None:
    """A missing sdkpipeline module is no environment problem: the traceback is kept for the bug report."""
    done = _run_without("sdkpipeline.release.publish", ["build"])
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "ModuleNotFoundError" in done.stderr


def test_every_command_has_a_session() -> None:
    """Each command maps to a session name (the noxfile side is checked in tests/workflows)."""
    assert {session_for(command) for command in COMMANDS} >= {"generate", "build", "contract"}
    assert session_for("update-specs") == "update_specs"
