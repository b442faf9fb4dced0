"""The one module that imports openapi-python-client (sdkpipeline/upstream.py) is written against one pinned version."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from sdkpipeline import upstream
from sdkpipeline.spec.repo import Repo


def test_the_installed_generator_is_the_pinned_one() -> None:
    """A new generator version must be taken on purpose: the templates override its own by file name."""
    pyproject = tomllib.loads((Repo.default().root / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("openapi-python-client")]
    assert pins == [f"openapi-python-client=={upstream.GENERATOR_VERSION}"]
    assert metadata.version("openapi-python-client") == upstream.GENERATOR_VERSION


def test_the_generators_httpx_is_the_real_one_when_used() -> None:
    """upstream.py imports the generator with stand-ins for httpx and httpcore, which the pipeline never uses: in a
    fresh interpreter, neither is loaded by it; what the generator looks up on them is the real modules' (its URL
    fetching still works); a later `import httpx` gets the real module."""
    program = """
import sys, types
import sdkpipeline.upstream
assert not {"httpx", "httpcore", "ssl"} & set(sys.modules), sorted({"httpx", "httpcore", "ssl"} & set(sys.modules))
import openapi_python_client
assert callable(openapi_python_client.httpx.get)  # the real function, loaded on this first use
import httpx, httpcore
assert type(httpx) is types.ModuleType and type(httpcore) is types.ModuleType
assert openapi_python_client.httpx.get is httpx.get
assert openapi_python_client.httpcore.NetworkError is httpcore.NetworkError
print("ok")
"""
    env = {**os.environ, "PYTHONPATH": str(Path(upstream.__file__).parents[1])}
    run = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False)
    assert run.stdout.strip() == "ok", run.stderr
