"""Tests for sdkpipeline.codegen.drift: missing, extra and changed files are all reported by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sdkpipeline.codegen import generate
from sdkpipeline.codegen.drift import compare_trees, run_drift
from sdkpipeline.normalize import PASSES, normalize
from sdkpipeline.spec.registry import Api, load_registry

from ..conftest import copy_repo


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_compare_trees_names_missing_extra_and_changed(tmp_path: Path) -> None:
    expected = _tree(tmp_path / "a", {"same.py": "x", "pkg/changed.py": "1", "pkg/gone.py": "", "gone/x.py": ""})
    actual = _tree(tmp_path / "b", {"same.py": "x", "pkg/changed.py": "2", "pkg/new.py": "", "new/y.py": ""})
    assert compare_trees(expected, actual) == (["gone", "pkg/gone.py"], ["new", "pkg/new.py"], ["pkg/changed.py"])


def test_compare_trees_same_size_same_mtime_still_compared(tmp_path: Path) -> None:
    expected = _tree(tmp_path / "a", {"f.py": "abc"})
    actual = _tree(tmp_path / "b", {"f.py": "abd"})
    stat = (expected / "f.py").stat()
    os.utime(actual / "f.py", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert compare_trees(expected, actual) == ([], [], ["f.py"])


def test_compare_trees_ignores_caches(tmp_path: Path) -> None:
    expected = _tree(tmp_path / "a", {"f.py": "", "pkg/g.py": ""})
    actual = _tree(tmp_path / "b", {"f.py": "", "pkg/g.py": "", "__pycache__/f.pyc": "x", "pkg/.ruff_cache/x": "y"})
    assert compare_trees(expected, actual) == ([], [], [])


@pytest.mark.slow
def test_no_drift_on_the_committed_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_drift(list(load_registry().values())) == 0
    assert "drifted" not in capsys.readouterr().out


@pytest.fixture
def cnaught_copy(tmp_path: Path) -> Api:
    """CNaught's specs, templates and generated package, copied under a temporary root the drift check reads."""
    repo = copy_repo(tmp_path / "root", apis=["cnaught"])
    copy = load_registry(repo)["cnaught"]
    assert copy.output_dir == tmp_path / "root" / "generated" / copy.dist_name
    return copy


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x01  # before the final newline, so the file stays one line longer or shorter by nothing
    path.write_bytes(bytes(data))


@pytest.mark.slow
def test_the_copy_has_no_drift(cnaught_copy: Api) -> None:
    assert run_drift([cnaught_copy]) == 0


@pytest.mark.slow
def test_one_changed_byte_in_generated_code(cnaught_copy: Api, capsys: pytest.CaptureFixture[str]) -> None:
    _flip_last_byte(cnaught_copy.output_dir / "cnaught_client" / "client.py")
    (cnaught_copy.output_dir / "cnaught_client" / "types.py").unlink()
    (cnaught_copy.output_dir / "cnaught_client" / "hand_edit.py").write_text("x = 1\n", encoding="utf-8")
    assert run_drift([cnaught_copy]) == 1
    out = capsys.readouterr().out
    assert "cnaught: generated code drifted from the pipeline (3 file(s)):" in out
    assert "  missing: generated/cnaught-client/cnaught_client/types.py" in out
    assert "  extra:   generated/cnaught-client/cnaught_client/hand_edit.py" in out
    assert "  changed: generated/cnaught-client/cnaught_client/client.py" in out
    assert "Regenerate with `nox -s generate`" in out


@pytest.mark.slow
def test_changed_normalized_spec(cnaught_copy: Api, capsys: pytest.CaptureFixture[str]) -> None:
    _flip_last_byte(cnaught_copy.normalized_spec)
    assert run_drift([cnaught_copy]) == 1
    assert "  changed: specs/cnaught/openapi.normalized.yaml" in capsys.readouterr().out


@pytest.mark.slow
def test_one_changed_byte_in_a_template(cnaught_copy: Api, capsys: pytest.CaptureFixture[str]) -> None:
    module = cnaught_copy.repo.templates / "endpoint_module.py.jinja"
    # One byte in a string literal, which ruff's formatting keeps: "method" → "methoD" in every endpoint.
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('"method":', '"methoD":', 1), encoding="utf-8")
    assert run_drift([cnaught_copy]) == 1
    out = capsys.readouterr().out
    assert "  changed: generated/cnaught-client/cnaught_client/api/orders/cancel_order.py" in out


@pytest.mark.slow
def test_a_changed_pass(cnaught_copy: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def without_readable_names(*args: object, **kwargs: object) -> object:
        passes = tuple(p for p in PASSES if p.__name__ != "name_sdk_classes")  # it titles CNaught's classes
        return normalize(*args, **kwargs, passes=passes)  # type: ignore[arg-type]

    monkeypatch.setattr(generate, "normalize", without_readable_names)
    assert run_drift([cnaught_copy]) == 1
    assert "  changed: specs/cnaught/openapi.normalized.yaml" in capsys.readouterr().out


@pytest.mark.slow
def test_one_changed_byte_in_the_vendored_spec(cnaught_copy: Api, capsys: pytest.CaptureFixture[str]) -> None:
    _flip_last_byte(cnaught_copy.spec)
    assert run_drift([cnaught_copy]) == 1
    err = capsys.readouterr().err
    assert "cnaught: drift check could not regenerate:" in err
    assert "specs/cnaught/openapi.yaml: sha256 " in err and "does not match the lock" in err
