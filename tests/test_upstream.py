"""The one module that imports openapi-python-client (sdkpipeline/upstream.py) is written against one pinned version."""

from __future__ import annotations

import tomllib
from importlib import metadata

from sdkpipeline import upstream
from sdkpipeline.spec.repo import Repo


def test_the_installed_generator_is_the_pinned_one() -> None:
    """A new generator version must be taken on purpose: the templates override its own by file name."""
    pyproject = tomllib.loads((Repo.default().root / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("openapi-python-client")]
    assert pins == [f"openapi-python-client=={upstream.GENERATOR_VERSION}"]
    assert metadata.version("openapi-python-client") == upstream.GENERATOR_VERSION
