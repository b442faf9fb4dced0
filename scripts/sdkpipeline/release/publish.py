"""Building the SDKs into sdists and wheels, checking them, and uploading them to a package index.

Built with `build` and uploaded with `twine` (the PyPA tools), never by hand. What is written here is only
what they leave to the caller: building from a clean copy of `generated/<dist>`, installing each wheel into
a fresh venv, and the refusals before an upload (dirty tree, drift, a version the index already has).
Credentials come from TWINE_USERNAME/TWINE_PASSWORD or keyring, through twine; nothing here takes or
stores them.
"""

from __future__ import annotations

import html.parser
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from ..errors import PipelineError
from ..spec.registry import Api
from ..spec.repo import Repo
from .specdiff import bump_version
from .surface import SurfaceChange, compare_packages, surface_severity

# The generated pyproject asks for `hatchling>=1.18`; a release is built with exactly this one.
HATCHLING = "hatchling==1.33.0"
_TIMEOUT = 600
_INDEX_TIMEOUT = 30.0
# Variables that would make a subprocess import or install something other than what it was given.
_LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "VIRTUAL_ENV")


@dataclass(frozen=True)
class Built:
    """One SDK's release files."""

    api: Api
    sdist: Path
    wheel: Path

    @property
    def files(self) -> list[Path]:
        return [self.sdist, self.wheel]


# --- build ------------------------------------------------------------------------------------------------


def build_sdk(api: Api, *, out_dir: Path | None = None, source: Path | None = None) -> Built:
    """sdist and wheel (the wheel built from the sdist, so the sdist is known complete) for one SDK."""
    package = source or api.output_dir
    out_dir = out_dir or api.repo.dist
    if not (package / "pyproject.toml").is_file():
        raise PipelineError("no generated package to build", file=package, hint="run `nox -s generate` first")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"build-{api.dist_name}-") as tmp:
        # A clean copy: caches left by tests or editors (__pycache__, .mypy_cache) never reach a release.
        copy = Path(tmp) / api.dist_name
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache", "dist"))
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text(HATCHLING + "\n", encoding="utf-8")
        staging = Path(tmp) / "dist"
        _run(
            [sys.executable, "-m", "build", "--outdir", str(staging), str(copy)],
            what=f"building {api.dist_name}",
            env={**_clean_env(), "PIP_CONSTRAINT": str(constraints)},
        )
        built = _release_files(api, staging)
        for path in built.files:
            shutil.copy2(path, out_dir / path.name)
    return Built(api, out_dir / built.sdist.name, out_dir / built.wheel.name)


def _release_files(api: Api, directory: Path) -> Built:
    wanted = Version(api.version)
    sdists: list[Path] = []
    wheels: list[Path] = []
    for path in sorted(directory.iterdir()):
        found = _parse_filename(path.name)
        if found is not None and found[0] == canonicalize_name(api.dist_name) and found[1] == wanted:
            (wheels if path.suffix == ".whl" else sdists).append(path)
    if len(sdists) != 1 or len(wheels) != 1:
        names = ", ".join(p.name for p in directory.iterdir()) or "nothing"
        raise PipelineError(
            f"expected one sdist and one wheel of {api.dist_name} {api.version}, found {names}", file=directory
        )
    return Built(api, sdists[0], wheels[0])


def twine_check(files: list[Path]) -> str:
    """`twine check --strict`: the metadata and the README render on the index."""
    proc = _run(
        [sys.executable, "-m", "twine", "--no-color", "check", "--strict", *map(str, files)],
        what="twine check",
        env=_clean_env(),
    )
    return proc.stdout.strip()


def smoke_test(built: Built, *, workdir: Path | None = None) -> str:
    """Install the wheel into a fresh venv (dependencies from the configured index) and use it there."""
    api = built.api
    with tempfile.TemporaryDirectory(prefix=f"smoke-{api.dist_name}-", dir=workdir) as tmp:
        python = make_venv(Path(tmp) / "venv")
        _run(
            [str(python), "-m", "pip", "install", "--quiet", "--no-cache-dir", str(built.wheel)],
            what=f"installing {built.wheel.name} into a fresh venv",
        )
        proc = _run([str(python), "-c", _smoke_code(api)], what=f"importing {api.package} from the installed wheel")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    if report["version"] != api.version or not Path(report["file"]).is_relative_to(tmp):
        raise PipelineError(f"the fresh venv imported the wrong {api.package}: {report}", file=built.wheel)
    client = f"imports {api.client_class}" if report["client"] else f"has no {api.client_class} yet"
    return f"{built.wheel.name}: installs, imports {api.package}.models, constructs AuthenticatedClient, {client}"


def _smoke_code(api: Api) -> str:
    # Constructs the generated AuthenticatedClient (no request is made). The top-level client class comes
    # with the SDK runtime templates; when the package has it, it must import (how it reads credentials
    # is the runtime's business, so it is not constructed here).
    return f"""
import importlib, importlib.metadata, json
pkg = importlib.import_module({api.package!r})
importlib.import_module({api.package!r} + ".models")
from {api.package}.client import AuthenticatedClient
AuthenticatedClient(base_url="http://127.0.0.1:9", token="smoke-test")
client = getattr(pkg, {api.client_class!r}, None)
assert client is None or isinstance(client, type), client
print(json.dumps({{"version": importlib.metadata.version({api.dist_name!r}), "file": pkg.__file__,
                  "client": client is not None}}))
"""


def make_venv(path: Path) -> Path:
    """A fresh venv with pip; returns its interpreter."""
    _run([sys.executable, "-m", "venv", str(path)], what=f"creating a venv in {path}")
    return path / ("Scripts" if os.name == "nt" else "bin") / "python"


# --- publish ----------------------------------------------------------------------------------------------


def default_simple_url(repository_url: str) -> str:
    """Where pip reads an index whose upload URL is given: `<scheme>://<host>/simple/` (pypiserver, devpi…).

    Indexes that serve their simple pages elsewhere (a separate upload host, a path prefix) need
    --simple-url.
    """
    parts = urlsplit(repository_url)
    return f"{parts.scheme}://{parts.netloc}/simple/"


def check_repository_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PipelineError(f"--repository-url {url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise PipelineError(
            "the repository URL carries credentials; they are never taken from the command line",
            hint="set TWINE_USERNAME and TWINE_PASSWORD in the environment, or store the password with keyring",
        )


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (file name, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append((urlsplit(href).path.rsplit("/", 1)[-1], href))


def versions_on_index(simple_url: str, dist_name: str, *, env: Mapping[str, str] | None = None) -> set[Version]:
    """The versions of `dist_name` the index has files for (PEP 503 HTML or PEP 691 JSON simple page)."""
    return {version for version, _, _ in files_on_index(simple_url, dist_name, env=env)}


def files_on_index(
    simple_url: str, dist_name: str, *, env: Mapping[str, str] | None = None
) -> list[tuple[Version, str, str]]:
    """(version, file name, URL) of every sdist and wheel of `dist_name` on the index's simple page."""
    page = urljoin(simple_url if simple_url.endswith("/") else simple_url + "/", canonicalize_name(dist_name) + "/")
    headers = {"Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.1", "User-Agent": "sdkpipeline"}
    found = _read_index(page, headers, env=env, missing_ok=True)
    if found is None:
        return []
    body, content_type = found
    if "json" in content_type:
        links = [(str(f.get("filename", "")), str(f.get("url", ""))) for f in json.loads(body).get("files", [])]
    else:
        parser = _Links()
        parser.feed(body.decode("utf-8", errors="replace"))
        links = parser.links
    files = []
    for name, href in links:
        parsed = _parse_filename(urllib.request.url2pathname(name))
        if parsed is not None and parsed[0] == canonicalize_name(dist_name):
            files.append((parsed[1], urllib.request.url2pathname(name), urljoin(page, href)))
    return files


def _read_index(
    url: str, headers: dict[str, str], *, env: Mapping[str, str] | None, missing_ok: bool = False
) -> tuple[bytes, str] | None:
    """GET from the index; a private index is read with the upload credentials from the environment."""
    try:
        return _get(url, headers)
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and missing_ok:
            return None
        if exc.code not in (401, 403):
            raise PipelineError(f"cannot read {url}: HTTP {exc.code} {exc.reason}") from None
        username, password = (env or os.environ).get("TWINE_USERNAME"), (env or os.environ).get("TWINE_PASSWORD")
        if not (username and password):
            raise PipelineError(
                f"{url} needs credentials to list the versions it has (HTTP {exc.code})",
                hint="set TWINE_USERNAME and TWINE_PASSWORD in the environment",
            ) from None
        try:
            return _get(url, headers, auth=(username, password))
        except urllib.error.HTTPError as again:
            raise PipelineError(f"cannot read {url}: HTTP {again.code} {again.reason}") from None


def _get(url: str, headers: dict[str, str], *, auth: tuple[str, str] | None = None) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers=headers)
    if auth is not None:
        import base64

        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=_INDEX_TIMEOUT) as response:
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError:
        raise
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PipelineError(f"cannot reach the index at {url}: {getattr(exc, 'reason', exc)}") from None


def refuse_published(apis: list[Api], simple_url: str, *, env: Mapping[str, str] | None = None) -> None:
    """Refuse when the index already has any of these SDKs at its registry version."""
    taken = [api for api in apis if Version(api.version) in versions_on_index(simple_url, api.dist_name, env=env)]
    if taken:
        listed = ", ".join(f"{api.dist_name} {api.version}" for api in taken)
        raise PipelineError(
            f"the index at {simple_url} already has {listed}; an index never takes the same version twice",
            hint="a new release needs a new version: take the vendor's new document with `nox -s update_specs`",
        )


def refuse_uncovered_surface(apis: list[Api], simple_url: str, *, env: Mapping[str, str] | None = None) -> None:
    """Refuse a version that does not cover how the SDK's public surface changed since the newest one on the index.

    The newest release is downloaded from the index (its wheel, else its sdist) and compared with the package
    about to be published: a breaking surface change needs a breaking bump, an addition at least a minor one
    (from 1.0), whatever the CHANGELOG says.
    """
    problems = []
    for api in apis:
        files = files_on_index(simple_url, api.dist_name, env=env)
        if not files:
            continue  # a first release: nothing published to break
        newest = max(version for version, _, _ in files)
        with tempfile.TemporaryDirectory(prefix=f"published-{api.dist_name}-") as tmp:
            previous = _unpack_release(files, newest, Path(tmp), env=env)
            changes = compare_packages(previous, api.output_dir, api.package)
        problem = _uncovered(api, changes, newest=newest)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise PipelineError(
            "\n".join(problems),
            hint="release it as what it is: `nox -s release -- API` bumps the version from the surface change",
        )


def _uncovered(api: Api, changes: list[SurfaceChange], *, newest: Version) -> str | None:
    """Why the API's version does not cover its surface changes since the `newest` release; None: it does."""
    severity = surface_severity(changes)
    needed = bump_version(str(newest), severity) if severity is not None else None
    if needed is None or Version(api.version) >= Version(needed):
        return None
    worst = [c.detail for c in changes if c.severity is severity]
    shown = "\n".join(f"    {line}" for line in worst[:10]) + ("\n    …" if len(worst) > 10 else "")
    return (
        f"{api.dist_name} {api.version} does not cover its SDK surface change since {newest} on the index "
        f"({severity.value if severity else 'none'}: at least {needed}):\n{shown}"
    )


def _unpack_release(
    files: list[tuple[Version, str, str]], version: Version, into: Path, *, env: Mapping[str, str] | None
) -> Path:
    """Download the wheel (else the sdist) of `version` and unpack it; returns the directory holding the package."""
    candidates = sorted((f for f in files if f[0] == version), key=lambda f: not f[1].endswith(".whl"))
    _, name, url = candidates[0]
    found = _read_index(url, {"User-Agent": "sdkpipeline"}, env=env)
    assert found is not None
    archive = into / name
    archive.write_bytes(found[0])
    target = into / "unpacked"
    if name.endswith(".whl"):
        with zipfile.ZipFile(archive) as wheel:
            wheel.extractall(target)
        return target
    with tarfile.open(archive) as sdist:
        sdist.extractall(target, filter="data")
    roots = [p for p in target.iterdir() if p.is_dir()]
    if len(roots) != 1:
        raise PipelineError(f"unexpected layout of {name}", file=archive)
    return roots[0]


def refuse_dirty_tree(root: Path) -> None:
    """Refuse to publish what is not committed: a release must be rebuildable from its commit."""
    try:
        proc = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=normal"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PipelineError(f"cannot tell whether the tree is clean: {exc}", file=root) from None
    if proc.returncode != 0:
        raise PipelineError(f"cannot tell whether the tree is clean: {proc.stderr.strip()}", file=root)
    dirty = proc.stdout.splitlines()
    if dirty:
        shown = "\n".join(f"    {line}" for line in dirty[:20]) + ("\n    …" if len(dirty) > 20 else "")
        raise PipelineError(
            f"the working tree at {root} has uncommitted changes; a release is built from a commit:\n{shown}",
            hint="commit (or stash) them, then publish",
        )


def refuse_drift(apis: list[Api]) -> None:
    from ..codegen.drift import run_drift  # regenerates every SDK: imported only when publishing
    from .changelog import release_checks

    if run_drift(apis, extra_checks=release_checks) != 0:
        raise PipelineError(
            "the drift check failed (see above): generated/ or the release records do not match the pipeline",
            hint="run `nox -s generate` (or `nox -s update_specs`), commit, then publish",
        )


def upload(files: list[Path], repository_url: str, *, env: Mapping[str, str] | None = None) -> str:
    """twine upload; credentials from TWINE_USERNAME/TWINE_PASSWORD or keyring, never arguments."""
    check_repository_url(repository_url)
    proc = _run(
        [
            sys.executable,
            "-m",
            "twine",
            "--no-color",
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            "--repository-url",
            repository_url,
            *map(str, files),
        ],
        what=f"uploading to {repository_url}",
        env=_clean_env(env),
        hint=(
            "credentials come from TWINE_USERNAME and TWINE_PASSWORD in the environment, or from keyring "
            "(`keyring set REPOSITORY_URL USERNAME`, with TWINE_USERNAME set)"
        ),
    )
    return proc.stdout.strip()


def publish(
    apis: list[Api],
    *,
    repository_url: str,
    simple_url: str | None = None,
    out_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    require_clean_tree: bool = True,
    require_no_drift: bool = True,
) -> list[Built]:
    """Check everything that can refuse a release, then build, check and upload every SDK.

    The cheap refusals come first (tree, credentials in the URL, versions on the index), then the SDK surface
    against the newest release on the index, then the drift check, then building; nothing is uploaded unless
    every SDK passed, so a refusal never leaves half a release on the index.
    """
    check_repository_url(repository_url)
    if require_clean_tree:
        refuse_dirty_tree(apis[0].repo.root if apis else Repo.default().root)
    index = simple_url or default_simple_url(repository_url)
    refuse_published(apis, index, env=env)
    refuse_uncovered_surface(apis, index, env=env)
    if require_no_drift:
        refuse_drift(apis)
    builds = [build_sdk(api, out_dir=out_dir) for api in apis]
    twine_check([f for b in builds for f in b.files])
    for built in builds:
        upload(built.files, repository_url, env=env)
    return builds


# --- helpers ----------------------------------------------------------------------------------------------


def _parse_filename(name: str) -> tuple[str, Version] | None:
    try:
        if name.endswith(".whl"):
            found, version, *_ = parse_wheel_filename(name)
            return str(found), version
        if name.endswith((".tar.gz", ".zip")):
            found, version = parse_sdist_filename(name)
            return str(found), version
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def _clean_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    source = os.environ if base is None else base
    return {k: v for k, v in source.items() if k not in _LEAKY}


def _run(
    command: list[str], *, what: str, env: Mapping[str, str] | None = None, hint: str | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=dict(env) if env is not None else _clean_env(),
            stdin=subprocess.DEVNULL,
            timeout=_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PipelineError(f"{what}: no result after {_TIMEOUT} s") from None
    if proc.returncode != 0:
        tail = "\n".join(f"    {line}" for line in (proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise PipelineError(f"{what} failed (exit {proc.returncode}):\n{tail}", hint=hint)
    return proc
