"""Tests for sdkpipeline.release.publish: refusals, the simple page, and a round trip through a real local index."""

from __future__ import annotations

import dataclasses
import email
import json
import os
import re
import shutil
import subprocess
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from sdkpipeline import cli
from sdkpipeline.errors import PipelineError
from sdkpipeline.release.publish import (
    build_sdk,
    check_repository_url,
    default_simple_url,
    make_venv,
    publish,
    refuse_dirty_tree,
    refuse_published,
    refuse_uncovered_surface,
    smoke_test,
    twine_check,
    versions_on_index,
)
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo
from sdkpipeline.testing.localindex import LocalIndex, local_index

from ..conftest import copy_repo
from .conftest import SpecServer

ROOT = Repo.default().root


def _clean_env(**extra: str) -> dict[str, str]:
    # pip may see only the index it is given; the tests session's PYTHONPATH (generated/) must not leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "TWINE_")) and k != "PYTHONPATH"}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env or _clean_env(), timeout=600, check=False
    )


# --- refusals and the simple page ---------------------------------------------------------------------------


def test_repository_url_with_credentials_is_refused() -> None:
    """Credentials in the URL would be credentials on the command line."""
    with pytest.raises(PipelineError, match="never taken from the command line"):
        check_repository_url("https://user:secret@127.0.0.1/")
    with pytest.raises(PipelineError, match="not an http"):
        check_repository_url("ftp://127.0.0.1/")


def test_cli_refuses_password_option(capsys: pytest.CaptureFixture[str]) -> None:
    """`publish -p …` is refused with the reason, before anything else happens."""
    assert cli.main(["publish", "--repository-url", "http://127.0.0.1:9/", "-p", "secret"]) == 1
    assert "never taken from the command line" in capsys.readouterr().err


def test_default_simple_url() -> None:
    """The simple API of an index is looked up at the upload host's /simple/ unless given."""
    assert default_simple_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/simple/"
    assert default_simple_url("https://index.test/upload/") == "https://index.test/simple/"


def test_dirty_tree_is_refused(tmp_path: Path) -> None:
    """A tree with uncommitted files cannot be published; an empty fresh repository is clean."""
    assert _run("git", "init", "--quiet", tmp_path).returncode == 0
    refuse_dirty_tree(tmp_path)
    (tmp_path / "stray.txt").write_text("x", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"uncommitted changes(.|\n)*stray.txt"):
        refuse_dirty_tree(tmp_path)


def test_not_a_repository_is_refused(tmp_path: Path) -> None:
    """Outside a git repository nobody can tell what the release was built from."""
    with pytest.raises(PipelineError, match="cannot tell whether the tree is clean"):
        refuse_dirty_tree(tmp_path)


SIMPLE_HTML = b"""<!DOCTYPE html><html><body>
<a href="../../packages/fungies_client-0.5.0-py3-none-any.whl#sha256=00">fungies_client-0.5.0-py3-none-any.whl</a>
<a href="../../packages/fungies_client-0.5.0.tar.gz#sha256=00">fungies_client-0.5.0.tar.gz</a>
<a href="../../packages/fungies_client-0.3.4.tar.gz">fungies_client-0.3.4.tar.gz</a>
<a href="../../packages/fungies_client_extra-9.0.0.tar.gz">fungies_client_extra-9.0.0.tar.gz</a>
</body></html>"""


def test_versions_on_index_reads_the_simple_page(spec_server: SpecServer) -> None:
    """Versions come from the file names on the PEP 503 page; another project's files are ignored."""
    (spec_server.directory / "simple" / "fungies-client").mkdir(parents=True)
    (spec_server.directory / "simple" / "fungies-client" / "index.html").write_bytes(SIMPLE_HTML)
    simple = spec_server.url + "simple/"

    assert versions_on_index(simple, "fungies-client") == {Version("0.5.0"), Version("0.3.4")}
    assert versions_on_index(simple, "cnaught-client") == set(), "a 404 is a project the index does not have"
    fungies = load_registry()["fungies"]
    assert fungies.version == "0.5.0", "SIMPLE_HTML lists the registry's version as published"
    with pytest.raises(PipelineError, match=r"already has fungies-client 0\.5\.0"):
        refuse_published([fungies], simple)


def test_unreachable_index_is_an_error() -> None:
    """An index that does not answer is an error, not 'the version is free'."""
    with pytest.raises(PipelineError, match="cannot reach the index"):
        versions_on_index("http://127.0.0.1:9/simple/", "cnaught-client")


# --- the round trip through a real local index ---------------------------------------------------------------

# The SDKs' runtime dependencies, at the test group's pins; the local index serves them beside the SDKs.
RUNTIME = ["httpx", "attrs", "python-dateutil"]
_TEST_GROUP = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]["test"]
RUNTIME_PINS = [pin for pin in _TEST_GROUP if isinstance(pin, str) and pin.split("==")[0] in RUNTIME]

CNAUGHT_CALL = """
import json, httpx
from cnaught_client.client import AuthenticatedClient
from cnaught_client.api.orders import get_list_of_order
seen = []
def handler(request):
    seen.append(request)
    return httpx.Response(200, json={"data": []})
client = AuthenticatedClient(
    base_url="https://api.cnaught.test/v1", token="x", httpx_args={"transport": httpx.MockTransport(handler)}
)
response = get_list_of_order.sync_detailed(client=client, limit=5)
print(json.dumps({"status": response.status_code, "parsed": type(response.parsed).__name__,
                  "url": str(seen[0].url), "auth": seen[0].headers["authorization"]}))
"""

FUNGIES_CALL = """
import json, httpx
from fungies_client.client import AuthenticatedClient
from fungies_client.api.users import get_v0_users_user_id
USER = "6f1c2e7a-0d5b-4a57-9c1e-2b3f4a5d6e7f"
seen = []
def handler(request):
    seen.append(request)
    return httpx.Response(200, json={"status": "success", "data": {"user": {"id": USER, "username": "ada"}}})
client = AuthenticatedClient(
    base_url="https://api.fungies.test", token="pub_x", prefix="", auth_header_name="x-fngs-public-key",
    httpx_args={"transport": httpx.MockTransport(handler)},
)
response = get_v0_users_user_id.sync_detailed(USER, client=client)
print(json.dumps({"status": response.status_code, "parsed": type(response.parsed).__name__,
                  "url": str(seen[0].url), "auth": seen[0].headers["x-fngs-public-key"],
                  "username": response.parsed.data.user.username}))
"""

EXPECTED = {
    "cnaught": (
        CNAUGHT_CALL,
        {
            "status": 200,
            "parsed": "OrderListResponse",  # readable class names (name_sdk_classes)
            "url": "https://api.cnaught.test/v1/orders?limit=5",
            "auth": "Bearer x",
        },
    ),
    "fungies": (
        FUNGIES_CALL,
        {
            "status": 200,
            "parsed": "UserRetrieveEnvelope",
            "url": "https://api.fungies.test/v0/users/6f1c2e7a-0d5b-4a57-9c1e-2b3f4a5d6e7f",
            "auth": "pub_x",
            "username": "ada",
        },
    ),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIndex]:
    with local_index(tmp_path_factory.mktemp("index")) as running:
        yield running


@pytest.fixture(scope="module")
def runtime_wheels(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Wheels of the SDKs' dependencies (and theirs), fetched with pip from the configured index (cached)."""
    assert len(RUNTIME_PINS) == len(RUNTIME), RUNTIME_PINS
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    # pip from a venv of its own (a uv-made nox venv has none); the machine's pip configuration applies.
    pip = make_venv(tmp_path_factory.mktemp("pip") / "venv")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    fetched = _run(
        pip, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--dest", wheelhouse, *RUNTIME_PINS, env=env
    )
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    return sorted(wheelhouse.glob("*.whl"))


@pytest.mark.slow
def test_publish_install_call_and_refuse_republish(
    index: LocalIndex, runtime_wheels: list[Path], tmp_path: Path
) -> None:
    """Both SDKs go up through twine, install with pip from the index alone, make a call; a re-upload is refused."""
    for wheel in runtime_wheels:
        shutil.copy2(wheel, index.packages_dir / wheel.name)
    apis = list(load_registry().values())
    credentials = {**os.environ, "TWINE_USERNAME": index.username, "TWINE_PASSWORD": index.password}

    builds = publish(
        apis,
        repository_url=index.url,
        simple_url=index.simple_url,
        out_dir=tmp_path / "dist",
        env=credentials,
        # The tree check and the drift check are tested on their own; here the committed SDKs are published
        # from whatever tree the test runs in.
        require_clean_tree=False,
        require_no_drift=False,
    )

    uploaded = {p.name for p in index.packages_dir.iterdir()}
    assert {f.name for b in builds for f in b.files} <= uploaded
    for api in apis:
        assert versions_on_index(index.simple_url, api.dist_name) == {Version(api.version)}

    for api in apis:
        venv = tmp_path / f"venv-{api.name}"
        python = make_venv(venv)
        installed = _run(
            python, "-m", "pip", "install", "--no-cache-dir", "--index-url", index.simple_url, api.dist_name
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert f"{api.dist_name}-{api.version}" in installed.stdout
        code, expected = EXPECTED[api.name]
        called = _run(python, "-c", code)
        assert called.returncode == 0, called.stderr
        assert json.loads(called.stdout) == expected
        located = _run(python, "-c", f"import {api.package}; print({api.package}.__file__)")
        assert Path(located.stdout.strip()).is_relative_to(venv)

    published = ", ".join(f"{api.dist_name} {re.escape(api.version)}" for api in apis)
    with pytest.raises(PipelineError, match=f"already has {published}"):
        publish(
            apis,
            repository_url=index.url,
            simple_url=index.simple_url,
            out_dir=tmp_path / "again",
            env=credentials,
            require_clean_tree=False,
            require_no_drift=False,
        )
    assert {p.name for p in index.packages_dir.iterdir()} == uploaded
    assert not (tmp_path / "again").exists(), "refused before building"


@pytest.mark.slow
def test_build_checks_and_smoke_installs(tmp_path: Path) -> None:
    """What `nox -s build` does for one SDK: sdist + wheel, twine check --strict, install into a fresh venv."""
    api = load_registry()["cnaught"]
    built = build_sdk(api, out_dir=tmp_path / "dist")

    assert built.sdist.name == f"cnaught_client-{api.version}.tar.gz"
    assert built.wheel.name == f"cnaught_client-{api.version}-py3-none-any.whl"
    assert "PASSED" in twine_check(built.files)
    assert "constructs AuthenticatedClient" in smoke_test(built, workdir=tmp_path)
    names = subprocess.run(["tar", "tzf", built.sdist], capture_output=True, text=True, check=True).stdout.split()
    assert f"cnaught_client-{api.version}/CHANGELOG.md" in names
    assert f"cnaught_client-{api.version}/LICENSE" in names
    assert not [n for n in names if "__pycache__" in n]
    with zipfile.ZipFile(built.wheel) as wheel:
        dist_info = f"cnaught_client-{api.version}.dist-info"
        assert f"{dist_info}/licenses/LICENSE" in wheel.namelist()
        metadata = email.message_from_bytes(wheel.read(f"{dist_info}/METADATA"))
    assert metadata["License-Expression"] == "MIT" and metadata["License-File"] == "LICENSE"
    urls = dict(url.split(", ", 1) for url in metadata.get_all("Project-URL", []))
    assert set(urls) == {"Homepage", "Source", "Changelog", "Issues"}
    assert urls["Changelog"].endswith("/specs/cnaught/CHANGELOG.md")


# --- the SDK surface against the newest release on the index ------------------------------------------------


@pytest.mark.slow
def test_publish_refuses_a_version_that_does_not_cover_the_surface_change(tmp_path: Path) -> None:
    """The registry's version is on a real local index; a package whose method moved cannot go up as a patch
    or a minor release, only as the next major."""
    repo = copy_repo(tmp_path / "repo", apis=["cnaught"])
    api = load_registry(repo)["cnaught"]
    with local_index(tmp_path / "index") as running:
        credentials = {**os.environ, "TWINE_USERNAME": running.username, "TWINE_PASSWORD": running.password}
        options = {"require_clean_tree": False, "require_no_drift": False, "env": credentials}
        publish([api], repository_url=running.url, simple_url=running.simple_url, out_dir=tmp_path / "d1", **options)
        uploaded = {p.name for p in running.packages_dir.iterdir()}
        # The next package renames a resource method (what a second tag or a naming rule used to do)
        resource = api.output_dir / api.package / "resources" / "orders.py"
        resource.write_text(resource.read_text(encoding="utf-8").replace("def cancel(", "def cancel_order("))
        major = int(api.version.split(".")[0])
        patch = dataclasses.replace(api, version=f"{major}.0.1")

        with pytest.raises(PipelineError) as refused:
            publish([patch], repository_url=running.url, simple_url=running.simple_url, **options)

        message = str(refused.value)
        assert f"cnaught-client {major}.0.1 does not cover its SDK surface change since {api.version}" in message
        assert f"breaking: at least {major + 1}.0.0" in message
        assert "OrdersResource.cancel` removed" in message
        assert {p.name for p in running.packages_dir.iterdir()} == uploaded, "nothing uploaded"
        # The version the change calls for passes this check (a minor bump would not).
        covered, minor = dataclasses.replace(api, version=f"{major + 1}.0.0"), f"{major}.1.0"
        refuse_uncovered_surface([covered], running.simple_url, env=credentials)
        with pytest.raises(PipelineError, match=rf"at least {major + 1}\.0\.0"):
            refuse_uncovered_surface([dataclasses.replace(api, version=minor)], running.simple_url, env=credentials)
