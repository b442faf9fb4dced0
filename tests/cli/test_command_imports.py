"""What `python -m sdkpipeline generate` loads in its own process: not httpx (0.05 s of imports, with ssl and h11),
which the generator imports only to fetch a document by URL, and so not httpx's own command line either (click, rich,
pygments), which httpx loads wherever click is installed (as in the `bench` session)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SPEC = Path(__file__).resolve().parents[1] / "data" / "corpus" / "oai-petstore-expanded.yaml"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

# `python -m sdkpipeline ARGV`, saying at its end which of httpx, httpcore, ssl and rich are in sys.modules.
_SAYING = """
import runpy, sys
import sdkpipeline.interrupts as interrupts
end = interrupts.end
def said(code):
    print("loaded:", [m for m in ("httpx", "httpcore", "ssl", "rich") if m in sys.modules], file=sys.stderr)
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


def test_generate_loads_no_httpx(tmp_path: Path) -> None:
    code, said = _said("generate", "--spec", str(SPEC), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert code == 0, said
    assert "loaded: []" in said
    assert (tmp_path / "out" / "pyproject.toml").is_file()  # and the package it made was checked (it imports httpx)
