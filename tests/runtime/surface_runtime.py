"""The SDK runtime as the package `runtime` (templates/runtime, before it is copied into any SDK)."""

from __future__ import annotations

import importlib
import sys
import types

from sdkpipeline.spec.repo import Repo


def runtime_module(name: str) -> types.ModuleType:
    """`runtime.<name>` from templates/: the modules every generated package carries unchanged."""
    templates = str(Repo.default().templates)
    if templates not in sys.path:
        sys.path.insert(0, templates)
    return importlib.import_module(f"runtime.{name}")
