"""The noxfile, loaded as a module: its helpers called directly."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

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
