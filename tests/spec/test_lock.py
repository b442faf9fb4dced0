"""Tests for sdkpipeline.spec.lock: a vendored spec whose bytes differ from the lock is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.spec.lock import LockEntry, load_lock, sha256_of, verify_spec, write_lock
from sdkpipeline.spec.registry import Api, load_registry
from sdkpipeline.spec.repo import Repo


def _api(tmp_path: Path) -> Api:
    spec = tmp_path / "specs" / "shop" / "openapi.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text("openapi: 3.1.0\ninfo: {title: Shop, version: 1.0.0}\npaths: {}\n", encoding="utf-8")
    return Api(
        name="shop",
        spec=spec,
        overrides=spec.with_name("overrides.yaml"),
        dist_name="shop-client",
        package="shop_client",
        version="1.0.0",
        client_class="Shop",
        display_name="Shop",
        env_prefix="SHOP",
        repo=Repo(tmp_path),
    )


def _lock(tmp_path: Path, api: Api) -> Path:
    path = api.repo.lock_file
    entry = LockEntry("specs/shop/openapi.yaml", "https://example.com/openapi.yaml", "2025-01-01", sha256_of(api.spec))
    write_lock({"shop": entry}, path)
    return path


def test_matching_spec_passes(tmp_path: Path) -> None:
    api = _api(tmp_path)
    _lock(tmp_path, api)
    verify_spec(api)


def test_written_lock_reads_back(tmp_path: Path) -> None:
    api = _api(tmp_path)
    lock = _lock(tmp_path, api)
    assert load_lock(lock)["shop"].sha256 == sha256_of(api.spec)


def test_one_changed_byte_is_refused(tmp_path: Path) -> None:
    api = _api(tmp_path)
    _lock(tmp_path, api)
    api.spec.write_bytes(api.spec.read_bytes().replace(b"Shop", b"Shoq"))
    with pytest.raises(PipelineError) as info:
        verify_spec(api)
    error = info.value
    assert error.file == api.spec
    assert "does not match the lock" in error.message and "changed by hand" in error.message
    assert error.hint is not None and "`nox -s update_specs -- shop --source FILE_OR_URL`" in error.hint
    assert str(error).startswith(f"{api.spec}: sha256 ")


def test_missing_lock_entry(tmp_path: Path) -> None:
    api = _api(tmp_path)
    lock = api.repo.lock_file
    write_lock({}, lock)
    with pytest.raises(PipelineError, match="no lock entry for API 'shop'") as info:
        verify_spec(api)
    assert info.value.file == lock and "nox -s update_specs" in str(info.value.hint)


def test_missing_spec(tmp_path: Path) -> None:
    api = _api(tmp_path)
    _lock(tmp_path, api)
    api.spec.unlink()
    with pytest.raises(PipelineError, match="vendored spec is missing"):
        verify_spec(api)


def test_unreadable_lock(tmp_path: Path) -> None:
    lock = tmp_path / "specs.lock"
    lock.write_text("[shop\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="cannot read the specs lock") as info:
        load_lock(lock)
    assert info.value.file == lock


@pytest.mark.parametrize("api", sorted(load_registry()), ids=str)
def test_vendored_specs_match_the_lock(api: str) -> None:
    verify_spec(load_registry()[api])
