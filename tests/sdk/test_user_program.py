"""A small user program type-checks with `mypy --strict` against both generated packages; typos in enum values,
a body with no variant's required field and a fractional page size do not.

mypy runs in a subprocess on tests/sdk/typing/, the packages found through MYPYPATH, as a user's project finds
them after `pip install`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sdkpipeline.spec.registry import load_registry

TYPING = Path(__file__).parent / "typing"


def _mypy(program: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    packages = os.pathsep.join(str(api.output_dir) for api in load_registry().values())
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "--no-error-summary", str(program)]
    env = {**os.environ, "MYPYPATH": packages}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=TYPING, check=False)


@pytest.mark.slow
def test_the_user_program_passes_mypy_strict(tmp_path: Path) -> None:
    result = _mypy(TYPING / "user_program.py", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_each_mistake_is_a_mypy_error_on_its_line(tmp_path: Path) -> None:
    program = TYPING / "wrong_values.py"
    expected = {n for n, line in enumerate(program.read_text().splitlines(), 1) if "# error:" in line}
    result = _mypy(program, tmp_path)
    reported = {int(m.group(1)) for m in re.finditer(r"wrong_values\.py:(\d+): error:", result.stdout)}
    assert result.returncode == 1
    assert reported == expected, result.stdout
