"""noxfile.py: the Python its sessions need."""

from __future__ import annotations

from types import ModuleType


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
