"""Tests for sdkpipeline.testing.localindex: upload a real wheel with twine, install it with pip from a fresh venv."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdkpipeline.testing.localindex import LocalIndex, local_index

pytestmark = pytest.mark.slow

NAME, MODULE, VERSION = "sdkpipeline-index-probe", "sdkpipeline_index_probe", "0.1.0"
PYPROJECT = f"""\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{NAME}"
version = "{VERSION}"

[tool.setuptools]
py-modules = ["{MODULE}"]
"""


def _clean_env(**extra: str) -> dict[str, str]:
    # The machine's pip and twine settings (extra indexes, find-links, a default repository) must not
    # leak in: pip may only see the local index, twine only the URL given.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "TWINE_"))}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env or _clean_env(), timeout=300, check=False
    )


def _upload(index: LocalIndex, wheel: Path, *, password: str) -> subprocess.CompletedProcess[str]:
    # The password goes through the environment, never the command line (visible in `ps`).
    return _run(
        sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar",
        "--repository-url", index.url, "-u", index.username, wheel,
        env=_clean_env(TWINE_PASSWORD=password),
    )  # fmt: skip


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIndex]:
    with local_index(tmp_path_factory.mktemp("index")) as running:
        yield running


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("probe")
    (source / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (source / f"{MODULE}.py").write_text("ANSWER = 42\n", encoding="utf-8")
    dist = source / "dist"
    # --no-isolation: build with the setuptools already here instead of fetching one from an index.
    built = _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, source)
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = dist.glob("*.whl")
    return found


def test_upload_install_and_refuse_reupload(index: LocalIndex, wheel: Path, tmp_path: Path) -> None:
    """A wheel uploaded with twine installs with pip from the index alone; the same version again is refused."""
    uploaded = _upload(index, wheel, password=index.password)
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
    assert (index.packages_dir / wheel.name).is_file()

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    python = venv / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "--no-cache-dir", "--index-url", index.simple_url, NAME)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert f"Successfully installed {NAME}-{VERSION}" in installed.stdout
    imported = _run(python, "-c", f"import {MODULE}; print({MODULE}.ANSWER, {MODULE}.__file__)")
    assert imported.returncode == 0, imported.stderr
    answer, location = imported.stdout.split()
    assert answer == "42"
    assert Path(location).is_relative_to(venv)

    again = _upload(index, wheel, password=index.password)
    assert again.returncode != 0
    assert "400 Bad Request" in again.stdout + again.stderr
    # twine shows only the status; the reason is in the server's log.
    assert f"Cannot upload '{wheel.name}' since it already exists" in index.log()
    assert [p.name for p in index.packages_dir.iterdir()] == [wheel.name]


def test_upload_with_wrong_password(index: LocalIndex, wheel: Path) -> None:
    """An upload with a wrong password is refused before the server looks at the file."""
    refused = _upload(index, wheel, password="not-" + index.password)
    assert refused.returncode != 0
    assert "403 Forbidden" in refused.stdout + refused.stderr


def test_missing_name_is_not_fetched_elsewhere(index: LocalIndex) -> None:
    """A name the index lacks is a plain 404, not a redirect to the public index."""
    with pytest.raises(urllib.error.HTTPError, match="404"):
        urllib.request.urlopen(index.simple_url + "requests/", timeout=5)


def test_stops_on_exit(tmp_path: Path) -> None:
    """Leaving the block ends pypiserver and frees its port."""
    with local_index(tmp_path) as running:
        assert running.process.poll() is None
    assert running.process.poll() is not None
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", running.port), timeout=1.0):
        pass
