"""Tests for `sdkpipeline release`: a release made because the SDK's surface changed, not the vendor document."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from sdkpipeline import cli
from sdkpipeline.release.changelog import check_release_records, newest_entry
from sdkpipeline.spec.lock import load_lock
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo

from ..conftest import copy_repo, snapshot


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return copy_repo(tmp_path / "repo", apis=["cnaught"])


def _previous(repo: Repo, tmp_path: Path, *, old: str = "", new: str = "") -> Path:
    """The committed cnaught package as the previous release, with `old` in its orders resource put back as `new`."""
    api = load_registry(repo)["cnaught"]
    previous = tmp_path / "previous" / api.dist_name
    shutil.copytree(api.output_dir, previous)
    resource = previous / api.package / "resources" / "orders.py"
    text = resource.read_text(encoding="utf-8")
    assert old in text
    resource.write_text(text.replace(old, new), encoding="utf-8")
    return previous


@pytest.mark.slow
def test_a_surface_change_is_released_as_breaking(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last release called the method `cancel_order`; today's SDK calls it `cancel`: a major release."""
    previous = _previous(repo, tmp_path, old="def cancel(", new="def cancel_order(")
    lock = load_lock(repo.lock_file)["cnaught"]
    notes = tmp_path / "notes.md"
    notes.write_text("### Upgrading\n\n`orders.cancel_order(id)` is now `orders.cancel(id)`.\n", encoding="utf-8")
    old_version = load_registry(repo)["cnaught"].version
    new_version = f"{int(old_version.split('.')[0]) + 1}.0.0"

    command = ["--root", str(repo.root), "release", "cnaught", "--previous", str(previous), "--notes", str(notes)]
    assert cli.main(command) == 0

    out = capsys.readouterr().out
    print(out)
    api = load_registry(repo)["cnaught"]
    assert api.version == new_version
    text = api.changelog.read_text(encoding="utf-8")
    assert newest_entry(text) == (new_version, lock.sha256), "the entry records the unchanged spec"
    entry = text.split("\n## ")[1]
    assert "### SDK surface" in entry
    assert entry.index("`orders.cancel_order(id)` is now `orders.cancel(id)`.") < entry.index("### SDK surface")
    assert "breaking: function `cnaught_client.resources.orders.OrdersResource.cancel_order` removed" in entry
    assert "additive: function `cnaught_client.resources.orders.OrdersResource.cancel` added" in entry
    assert f'version = "{new_version}"' in (api.output_dir / "pyproject.toml").read_text(encoding="utf-8")
    assert entry in (api.output_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    assert check_release_records(api) == []
    assert f"cnaught: {old_version} → {new_version} (breaking" in out
    assert tomllib.loads(repo.registry_file.read_text(encoding="utf-8"))["cnaught"]["version"] == new_version


def test_an_unchanged_surface_is_not_released(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    previous = _previous(repo, tmp_path)
    before = snapshot(repo.root)

    assert cli.main(["--root", str(repo.root), "release", "cnaught", "--previous", str(previous)]) == 0

    assert "nothing to release, nothing written" in capsys.readouterr().out
    assert snapshot(repo.root) == before


def test_the_previous_release_is_the_package_of_the_newest_changelog_entry(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --previous, the package is read from the commit that wrote the newest CHANGELOG entry."""

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo.root, check=True, capture_output=True)

    git("init", "--quiet")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "release 1.0.0")
    before = snapshot(repo.root)

    assert cli.main(["--root", str(repo.root), "release", "cnaught", "--check"]) == 0

    out = capsys.readouterr().out
    assert "generated/cnaught-client at " in out and "the commit of the newest specs/cnaught/CHANGELOG.md entry" in out
    assert "nothing to release" in out
    assert snapshot(repo.root) == before
