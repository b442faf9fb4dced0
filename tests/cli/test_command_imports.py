"""What `python -m sdkpipeline generate` loads: not httpx's own command line (click, rich, pygments), which httpx
loads whenever they are installed (openapi-python-client's command line uses rich; click comes with other tools,
as in the `bench` session) and the pipeline never uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SPEC = Path(__file__).resolve().parents[1] / "data" / "corpus" / "oai-petstore-expanded.yaml"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

# `python -m sdkpipeline ARGV`, saying at its end what httpx's command line module is in sys.modules: None when
# blocked, "absent" when its import failed (click missing, as in this session), else the module.
_SAYING = """
import runpy, sys
import sdkpipeline.interrupts as interrupts
end = interrupts.end
def said(code):
    print("httpx._main:", repr(sys.modules.get("httpx._main", "absent")), "rich" in sys.modules, file=sys.stderr)
    end(code)
interrupts.end = said
sys.argv = ["sdkpipeline", *sys.argv[1:]]
runpy.run_module("sdkpipeline", run_name="__main__")
"""


def _said(*argv: str, cwd: Path) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(SCRIPTS)}
    run = subprocess.run(
        [sys.executable, "-c", _SAYING, *argv], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    return run.returncode, run.stderr


def test_generate_blocks_httpxs_command_line(tmp_path: Path) -> None:
    code, said = _said("generate", "--spec", str(SPEC), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert code == 0, said
    assert "httpx._main: None False" in said  # blocked, and rich not loaded
    assert (tmp_path / "out" / "pyproject.toml").is_file()


def test_other_commands_leave_httpx_as_it_is(tmp_path: Path) -> None:
    # The other commands run tests, servers and benchmarks, whatever those import.
    code, said = _said("--root", str(SCRIPTS.parent), "verify-lock", cwd=tmp_path)
    assert code == 0, said
    assert "httpx._main: None" not in said
