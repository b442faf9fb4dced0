"""The one npm installer (Prism, the document converters): what counts as installed, and the errors it gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.spec.npm import npm_ci, pin_installed


def _pin(folder: Path, lock: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "package.json").write_text('{"name": "pin", "version": "1.0.0"}', encoding="utf-8")
    (folder / "package-lock.json").write_text(lock, encoding="utf-8")
    return folder


def _package(install: Path, name: str, version: str) -> None:
    (install / "node_modules" / name).mkdir(parents=True)
    (install / "node_modules" / name / "package.json").write_text(json.dumps({"version": version}), encoding="utf-8")


def test_installed_means_the_same_lock_and_every_package_at_its_version(tmp_path: Path) -> None:
    pin = _pin(tmp_path / "pin", '{"lockfileVersion": 3}')
    install = _pin(tmp_path / "install", '{"lockfileVersion": 3}')
    assert not pin_installed(install, pin, {"tool": "1.2.3"}), "the package is missing"
    _package(install, "tool", "1.2.2")
    assert not pin_installed(install, pin, {"tool": "1.2.3"}), "another version"
    (install / "node_modules" / "tool" / "package.json").write_text('{"version": "1.2.3"}', encoding="utf-8")
    assert pin_installed(install, pin, {"tool": "1.2.3"})
    (pin / "package-lock.json").write_text('{"lockfileVersion": 3, "packages": {}}', encoding="utf-8")
    assert not pin_installed(install, pin, {"tool": "1.2.3"}), "the pin's lock changed"


def test_without_npm_the_error_names_what_and_the_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pin = _pin(tmp_path / "pin", "{}")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PipelineError, match="npm is not on PATH, so Prism 9 cannot be installed") as raised:
        npm_ci(tmp_path / "install", pin, what="Prism 9", node="20 or later")
    assert "package.json" in str(raised.value) and "install Node.js (20 or later)" in str(raised.value)
    assert not (tmp_path / "install").exists(), "nothing is written when npm is missing"
