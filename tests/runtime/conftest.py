"""The SDK runtime (templates/runtime/*.py) importable as the package `runtime`, as it is copied into each SDK."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

RUNTIME = Path(__file__).resolve().parents[2] / "templates" / "runtime"

if "runtime" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "runtime", RUNTIME / "__init__.py", submodule_search_locations=[str(RUNTIME)]
    )
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["runtime"] = _module
    _spec.loader.exec_module(_module)
