"""The front door: every maintainer and CI task is a nox session (`nox -l` lists them)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nox
from nox.logger import logger
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
APIS = tomllib.loads((ROOT / "specs" / "apis.toml").read_text(encoding="utf-8"))
GENERATED = [ROOT / "generated" / entry["dist_name"] for entry in APIS.values()]

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
# A missing interpreter is an error that names it, never a download of one from outside the package
# registries (which fails offline, and would be a Python nobody pinned).
nox.options.download_python = "never"
# What `nox` with no arguments runs: the README's test command, and CI's (`sdk_tests` is one run per Python).
nox.options.sessions = ["lint", "typecheck", "drift", "tests", "sdk_tests", "sdk_tests_lowest", "contract"]

# The pipeline runs on one Python, the oldest the SDKs support: its import check and tests then run the
# generated code where the SDKs' oldest users are, and every maintainer and CI generate with the same
# interpreter. The SDKs support every version in SDK_PYTHONS (the classifiers of
# templates/pyproject.toml.jinja say the same; tests/workflows checks that they agree).
PYTHON = "3.11"
SDK_PYTHONS = ["3.11", "3.12", "3.13"]
# The tests that exercise what ships in the packages (the runtime on its own, each SDK, webhooks, the
# vendors' examples): `sdk_tests` runs them on every SDK Python, `tests` runs the rest once.
SDK_TESTS = ["tests/runtime", "tests/sdk", "tests/webhooks", "tests/examples"]
# Checks of .github/workflows (they list this noxfile's sessions, so they need nox): run by `lint`.
WORKFLOW_TESTS = "tests/workflows"


def _use_pyenv_versions(wanted: list[str]) -> None:
    """Let nox find pyenv-installed Pythons that are not pyenv's active version.

    pyenv's shims (`python3.12`, …) run only the versions pyenv has active, and nox resolves a shim through
    PYENV_VERSION; so the newest installed X.Y.Z of each wanted X.Y is added to it. Where pyenv is absent
    (CI: setup-python puts every version on PATH) or already serves them, nothing changes.
    """
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return

    def ask(*args: str) -> str:
        done = subprocess.run([pyenv, *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    active = [v for v in (os.environ.get("PYENV_VERSION") or ask("version-name")).split(":") if v]
    installed = ask("versions", "--bare").split()
    added = []
    for version in wanted:
        if any(v == version or v.startswith(f"{version}.") for v in active):
            continue
        patches = [v for v in installed if re.fullmatch(rf"{re.escape(version)}\.\d+", v)]
        if patches:
            added.append(max(patches, key=lambda v: tuple(int(part) for part in v.split("."))))
    if added:
        os.environ["PYENV_VERSION"] = ":".join([*active, *added])


_use_pyenv_versions([PYTHON, *SDK_PYTHONS])


def _runs(executable: str) -> bool:
    try:
        return subprocess.run([executable, "-c", ""], capture_output=True, check=False, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _python_found(version: str) -> bool:
    """Whether nox will find this Python: `pythonX.Y` on PATH first (fast), else nox's own discovery."""
    on_path = shutil.which(f"python{version}")
    if on_path and _runs(on_path):
        return True
    from python_discovery import get_interpreter  # nox's interpreter discovery; slow, so only when PATH fails

    return get_interpreter(version) is not None


def missing_python_message(missing: Sequence[str]) -> str | None:
    """What to tell a maintainer whose machine lacks Pythons the sessions run on (None: nothing is missing)."""
    if not missing:
        return None
    lines = [f"no Python {', '.join(missing)} on this machine (nox looks on PATH and through pyenv)."]
    if PYTHON in missing:
        lines.append(
            f"The pipeline's sessions (generate, drift, lint, typecheck, tests, …) run on Python {PYTHON} exactly:"
            " the oldest Python the SDKs support, so the generated code is imported and tested where their"
            " oldest users are, and everyone generates with the same interpreter."
        )
    sdk = [version for version in missing if version in SDK_PYTHONS]
    if sdk:
        lines.append(f"sdk_tests runs once on each Python the SDKs support ({', '.join(SDK_PYTHONS)}).")
    lines.append(
        f"Install {' and '.join(missing)} (`pyenv install {missing[0]}`, or your system's python{missing[0]}); "
        "nox never downloads an interpreter."
    )
    return "\n".join(lines)


if message := missing_python_message([v for v in dict.fromkeys([PYTHON, *SDK_PYTHONS]) if not _python_found(v)]):
    logger.error(message)


# --- hashed locks --------------------------------------------------------------------------------------------
# Every environment the pipeline and CI install comes from a lock in requirements/ that pins every
# package, with the sha256 of each of its files, for Python 3.11 and newer on every platform
# (`uv pip compile --universal --generate-hashes`). `nox -s lock` writes them all from pyproject.toml;
# each records the digest of its inputs, so a lock that no longer matches pyproject.toml is found
# offline (`nox -s lint`, and every session before it installs from that lock).
REQUIREMENTS = ROOT / "requirements"
INPUTS_LINE = re.compile(r"^# inputs: sha256=([0-9a-f]{64})$", re.MULTILINE)
# One requirement of a lock: `name==version [; marker] \\` then its `--hash=sha256:…` lines.
LOCKED = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)(?: ;[^\\\n]*)? \\\n((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Lock:
    """One hashed lock, requirements/<name>.txt: what it is for, the dependency groups it holds, and what else."""

    name: str
    purpose: str
    groups: tuple[str, ...]
    # The pipeline installed editable: [project] dependencies, and the `editable` group it is built with.
    pipeline: bool = True
    # The generated packages' dependencies at the lowest version each declares (sdk_tests_lowest).
    sdk_floors: bool = False
    # The generated packages' dependencies as declared: what installing a built SDK wheel pulls in.
    sdk_dependencies: bool = False

    @property
    def path(self) -> Path:
        return REQUIREMENTS / f"{self.name}.txt"

    @property
    def all_groups(self) -> tuple[str, ...]:
        return ("editable", *self.groups) if self.pipeline else self.groups


LOCKS = {
    lock.name: lock
    for lock in (
        Lock("dev", "the README's set-up, .venv: nox and uv", ("bootstrap",), pipeline=False),
        Lock("pipeline", "sessions generate, drift, scale", ()),
        Lock("lint", "session lint", ("lint",)),
        Lock("typecheck", "sessions typecheck, tests", ("typecheck", "test")),
        Lock("test", "sessions sdk_tests (every SDK Python), release_tests, reliability", ("test",)),
        Lock("lowest", "session sdk_tests_lowest", ("test",), sdk_floors=True),
        Lock("release", "sessions update_specs, release, build, publish", ("release",)),
        Lock("bench", "session bench", ("bench",)),
        Lock("contract", "session contract", ("test", "contract")),
        # Installed into no session: see _wheelhouse.
        Lock(
            "wheelhouse",
            "the only files pip takes when a session builds an SDK or installs a built one",
            ("sdk-build",),
            pipeline=False,
            sdk_dependencies=True,
        ),
    )
}


class LockInputError(Exception):
    """pyproject.toml or a generated package declares something a lock cannot be made from."""


def sdk_dependencies(packages: Sequence[Path] = GENERATED) -> dict[str, list[str]]:
    """Each generated package's runtime dependencies, as its pyproject.toml declares them."""
    return {
        package.name: list(nox.project.load_toml(package / "pyproject.toml")["project"]["dependencies"])
        for package in packages
    }


def sdk_floors(dependencies: Mapping[str, Sequence[str]]) -> list[str]:
    """`name==X` for every `name>=X,...` the generated packages depend on (each must declare one floor)."""
    pins: set[str] = set()
    for package, texts in dependencies.items():
        for text in texts:
            requirement = Requirement(text)
            floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
            if len(floors) != 1:
                raise LockInputError(f"{package}/pyproject.toml: {text!r} needs one lower bound (>=) to be tested")
            pins.add(f"{requirement.name}=={floors[0]}")
    return sorted(pins)


def lock_inputs(lock: Lock, pyproject: Mapping[str, Any], sdk: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Everything a lock is made from; its digest is recorded in the lock."""
    inputs: dict[str, Any] = {
        "python": f">={PYTHON}",
        "groups": {group: list(nox.project.dependency_groups(pyproject, group)) for group in lock.all_groups},
    }
    if lock.pipeline:
        inputs["project"] = list(pyproject["project"]["dependencies"])
    if lock.sdk_floors:
        inputs["floors"] = sdk_floors(sdk)
    if lock.sdk_dependencies:
        inputs["sdk"] = {name: list(texts) for name, texts in sorted(sdk.items())}
    return inputs


def inputs_digest(inputs: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode("utf-8")).hexdigest()


def _exact_pins(inputs: Mapping[str, Any]) -> dict[str, str]:
    """{name: version} of every `name==version` among a lock's inputs (each must be locked at that version)."""
    texts = [*inputs.get("project", []), *inputs.get("floors", [])]
    texts += [text for group in inputs["groups"].values() for text in group]
    pins: dict[str, str] = {}
    for text in texts:
        requirement = Requirement(text)
        exact = [spec.version for spec in requirement.specifier if spec.operator == "=="]
        if exact:
            pins[canonicalize_name(requirement.name)] = exact[0]
    # The floors are installed over the groups' pins (uv's overrides): they win.
    for text in inputs.get("floors", []):
        requirement = Requirement(text)
        pins[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
    return pins


def lock_problems(
    locks: Sequence[Lock] = tuple(LOCKS.values()),
    *,
    pyproject: Mapping[str, Any] = PYPROJECT,
    sdk: Mapping[str, Sequence[str]] | None = None,
    directory: Path = REQUIREMENTS,
) -> list[str]:
    """Why each lock cannot be installed as it is: missing, made from other inputs, a pin or a hash missing."""
    sdk = sdk_dependencies() if sdk is None else sdk
    problems: list[str] = []
    for lock in locks:
        path = directory / lock.path.name
        shown = f"requirements/{path.name}"
        try:
            inputs = lock_inputs(lock, pyproject, sdk)
        except (LockInputError, InvalidRequirement, KeyError, ValueError) as exc:
            problems.append(f"{shown}: cannot be made from pyproject.toml: {exc}")
            continue
        if not path.is_file():
            problems.append(f"{shown}: missing")
            continue
        text = path.read_text(encoding="utf-8")
        recorded = INPUTS_LINE.search(text)
        if recorded is None or recorded.group(1) != inputs_digest(inputs):
            groups = ", ".join(lock.all_groups) or "none"
            problems.append(f"{shown}: no longer matches pyproject.toml (dependency groups: {groups})")
            continue
        locked = {canonicalize_name(m.group(1)): m.group(2) for m in LOCKED.finditer(text)}
        entries = [line for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("#")]
        if len(entries) != len(LOCKED.findall(text)):
            problems.append(f"{shown}: a requirement without its --hash lines (hand-edited? run `nox -s lock`)")
        for name, version in sorted(_exact_pins(inputs).items()):
            if locked.get(name) != version:
                problems.append(f"{shown}: pyproject.toml pins {name}=={version}, the lock has {locked.get(name)}")
    return problems


def _check_locks(session: nox.Session, *locks: Lock) -> None:
    if problems := lock_problems(locks or tuple(LOCKS.values())):
        session.error("\n".join([*problems, "write the locks again from pyproject.toml: `nox -s lock`"]))


def _install(session: nox.Session, name: str) -> None:
    """Install exactly the lock `name` (every file hash-checked), then the pipeline itself, editable."""
    lock = LOCKS[name]
    _check_locks(session, lock)
    if session.venv_backend == "uv":
        # sync: the environment holds the lock and nothing else, also when nox reuses it.
        session.run_install("uv", "pip", "sync", "--require-hashes", str(lock.path))
    else:
        session.install("--require-hashes", "-r", str(lock.path))
    if lock.pipeline:
        # The project's own source, not hash-checked; built with the lock's setuptools (no isolated build
        # environment, which would fetch a build backend unchecked).
        session.install("--no-deps", "--no-build-isolation", "-e", ".")


def _wheelhouse(session: nox.Session) -> dict[str, str]:
    """pip settings under which pip in this session takes only the wheelhouse lock's files, hash-checked.

    Building an SDK (hatchling, in build's isolated environment) and installing a built wheel into a fresh
    venv (its dependencies) run pip inside the session. The files of requirements/wheelhouse.txt are fetched
    once with `pip download --require-hashes` into .cache/wheelhouse/<digest of the lock>, and those pips
    see that folder and no index. The SDK wheels themselves are this repository's own, built from
    generated/ in the same run: nothing to check them against but the source they were built from.
    """
    lock = LOCKS["wheelhouse"]
    _check_locks(session, lock)
    digest = hashlib.sha256(lock.path.read_bytes()).hexdigest()[:16]
    folder = ROOT / ".cache" / "wheelhouse" / digest
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        session.run_install(
            *_pip(session), "download", "--quiet", "--disable-pip-version-check", "--require-hashes", "--no-deps",
            "--only-binary=:all:", "--dest", str(folder), "-r", str(lock.path), external=True,
        )  # fmt: skip
        # Marked complete only when pip made the folder (`--install-only`, `--no-install` and the noxfile's
        # tests record the command without running it: a marker on an empty folder would skip the fetch).
        if folder.is_dir():
            done.touch()
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(folder)}


def _pip(session: nox.Session) -> list[str]:
    """A pip to fetch files with: nox's own interpreter's (the set-up's .venv has one), else a throwaway venv's.

    Either is the pip that comes with the interpreter (ensurepip); the session's venv has none when uv made it.
    """
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    pip_venv = ROOT / ".cache" / "wheelhouse" / "pip-venv"
    session.run_install("python", "-m", "venv", "--clear", str(pip_venv), silent=True)
    return [str(pip_venv / "bin" / "python"), "-m", "pip"]


def _sdkpipeline(session: nox.Session, command: str, *args: str, env: Mapping[str, str] | None = None) -> None:
    """`sdkpipeline COMMAND ARGS`, run from the folder nox was called from: relative paths are the caller's."""
    session.chdir(session.invoked_from)
    try:
        session.run("sdkpipeline", command, *args, env=dict(env or {}))
    finally:
        session.chdir(ROOT)


def _pytest(session: nox.Session, *, testpaths: Sequence[str] = (), ignore: Sequence[str] = (), **kw: Any) -> None:
    """pytest with the caller's arguments: the session's ignores always hold, its test paths when none is given.

    pytest reads `testpaths` only when no path is given on its command line, so `-- -x -k name` runs the
    session's own tests, and `-- tests/codegen` that folder; --ignore never drops a path named explicitly.
    """
    options = [f"--ignore={path}" for path in ignore]
    if testpaths:
        options += ["-o", f"testpaths={' '.join(testpaths)}"]
    session.run("pytest", *options, *session.posargs, **kw)


@nox.session(venv_backend="none")
def lock(session: nox.Session) -> None:
    """Write every hashed lock in requirements/ from pyproject.toml (-- --upgrade: newest versions; --check)."""
    if "--check" in session.posargs:
        _check_locks(session)
        session.log(f"{len(LOCKS)} locks match pyproject.toml")
        return
    sdk = sdk_dependencies()
    try:
        inputs = {name: lock_inputs(lock, PYPROJECT, sdk) for name, lock in LOCKS.items()}
    except (LockInputError, InvalidRequirement) as exc:
        session.error(str(exc))
    scratch = ROOT / ".cache" / "lock"
    scratch.mkdir(parents=True, exist_ok=True)
    for name, lock in LOCKS.items():
        command = [
            sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--universal", "--generate-hashes",
            "--python-version", PYTHON, "--custom-compile-command", "nox -s lock", "--output-file", str(lock.path),
        ]  # fmt: skip
        if lock.pipeline:
            command.append("pyproject.toml")
        command += [arg for group in lock.all_groups for arg in ("--group", f"pyproject.toml:{group}")]
        if lock.sdk_floors:
            # A path relative to the repository, so the lock's annotations read the same on every machine.
            floors = scratch / "sdk-floors.txt"
            floors.write_text("\n".join(inputs[name]["floors"]) + "\n", encoding="utf-8")
            command += ["--override", str(floors.relative_to(ROOT))]
        if lock.sdk_dependencies:
            command += [str((package / "pyproject.toml").relative_to(ROOT)) for package in GENERATED]
        session.run(*command, *session.posargs)
        written = lock.path.read_text(encoding="utf-8")
        what = ", ".join(lock.all_groups)
        holds = [
            *(["the pipeline's [project] dependencies"] if lock.pipeline else []),
            f"dependency groups {what}",
            *(["the generated packages' dependencies at their floors"] if lock.sdk_floors else []),
            *(["the generated packages' dependencies"] if lock.sdk_dependencies else []),
        ]
        header = (
            f"# Hashed lock for {lock.purpose}: {'; '.join(holds)}.\n"
            "# Written from pyproject.toml by `nox -s lock` (Python 3.11 and newer, every platform): never edit it.\n"
            f"# inputs: sha256={inputs_digest(inputs[name])}\n"
        )
        lock.path.write_text(header + written[written.index("# This file was autogenerated") :], encoding="utf-8")
    session.log(f"wrote {len(LOCKS)} locks: " + ", ".join(f"requirements/{lk.path.name}" for lk in LOCKS.values()))


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate both SDKs (or: -- --spec FILE --output DIR for any spec)."""
    _install(session, "pipeline")
    _sdkpipeline(session, "generate", *session.posargs)


@nox.session(python=PYTHON)
def drift(session: nox.Session) -> None:
    """Regenerate into a temporary directory and fail on any difference from generated/ and specs/."""
    _install(session, "pipeline")
    _sdkpipeline(session, "drift", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """The locks; ruff, the pipeline's import layering; actionlint, zizmor and tests/workflows on the CI workflows."""
    # Every lock, first: a lock that no longer matches pyproject.toml fails here, whatever session uses it.
    _check_locks(session)
    _install(session, "lint")
    session.run("lint-imports")
    session.run("ruff", "check", "scripts", "templates/runtime", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "scripts", "templates/runtime", "tests", "noxfile.py")
    for package in GENERATED:
        # Each package is checked with its own (generated) ruff settings.
        session.chdir(package)
        session.run("ruff", "check", ".")
        session.run("ruff", "format", "--check", ".")
        session.chdir(ROOT)
    # The workflows cannot run here: lint them (actionlint runs shellcheck on every `run:` script), audit
    # them (zizmor, offline: no GitHub token, no network), and check that what they run exists.
    session.run("actionlint")
    session.run("zizmor", "--offline", "--no-progress", ".github/workflows")
    session.run("pytest", WORKFLOW_TESTS)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the pipeline and on each generated package."""
    _install(session, "typecheck")
    session.run("mypy", "--strict", "scripts/sdkpipeline")
    # The SDK runtime, once, as the package `runtime` (it is copied unchanged into every SDK).
    session.run("mypy", "--strict", "templates/runtime")
    for package in GENERATED:
        name = next(p.name for p in package.iterdir() if (p / "__init__.py").exists())
        session.run("mypy", "--strict", str(package / name))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """pytest on everything but the SDK tests: spec, normalizer, codegen, release, local servers, CLI, perf."""
    # mypy too: the corpus tests type-check each package they generate (tests/codegen/test_corpus.py).
    _install(session, "typecheck")
    # The release tests build SDKs and install wheels with pip: from the hash-checked wheelhouse only.
    env = {**_wheelhouse(session), "PYTHONPATH": _generated_path()}
    # The generated packages are used from their directories, so a test always sees the current output.
    _pytest(session, ignore=[*SDK_TESTS, WORKFLOW_TESTS], env=env)


@nox.session(python=SDK_PYTHONS)
def sdk_tests(session: nox.Session) -> None:
    """pytest on the generated SDKs (runtime, webhooks, the vendors' examples) on every Python they support."""
    # The tests read the registry and the specs through a few sdkpipeline helpers.
    _install(session, "test")
    _pytest(session, testpaths=SDK_TESTS, env={"PYTHONPATH": _generated_path()})


@nox.session(python=PYTHON)
def sdk_tests_lowest(session: nox.Session) -> None:
    """The SDK tests with each runtime dependency at the lowest version the generated packages declare."""
    _install(session, "lowest")
    _pytest(session, testpaths=SDK_TESTS, env={"PYTHONPATH": _generated_path()})


def _generated_path() -> str:
    return os.pathsep.join(str(p) for p in GENERATED)


@nox.session(python=PYTHON)
def update_specs(session: nox.Session) -> None:
    """Take the vendors' current documents (-- [API] [--source URL|FILE] [--check]): report, bump, log, regenerate."""
    # griffe compares the regenerated SDK's public surface with the previous package's (the bump covers both).
    _install(session, "release")
    _sdkpipeline(session, "update-specs", *session.posargs)


@nox.session(python=PYTHON)
def release(session: nox.Session) -> None:
    """Release SDKs whose surface changed without a new vendor document (-- [API] [--previous DIR] [--check])."""
    _install(session, "release")
    _sdkpipeline(session, "release", *session.posargs)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """sdist + wheel for each SDK into dist/, twine check, and each wheel installed into a fresh venv."""
    _install(session, "release")
    _sdkpipeline(session, "build", *session.posargs, env=_wheelhouse(session))


@nox.session(venv_backend="none")
def release_tag(session: nox.Session) -> None:
    """Which SDK a release tag `<dist name>-v<version>` releases; fails unless specs/apis.toml has that version."""
    if len(session.posargs) != 1:
        session.error("usage: nox -s release_tag -- <dist name>-v<version>   (e.g. cnaught-client-v1.0.0)")
    tag = session.posargs[0]
    releases = {f"{entry['dist_name']}-v{entry['version']}": name for name, entry in APIS.items()}
    if tag not in releases:
        session.error(f"tag {tag!r} is no SDK at its registry version; releasable tags: {', '.join(sorted(releases))}")
    session.log(f"{tag} releases the {releases[tag]} SDK")
    # In a GitHub Actions step the API's name becomes the step's output `api`.
    if output := os.environ.get("GITHUB_OUTPUT"):
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(f"api={releases[tag]}\n")


@nox.session(python=PYTHON)
def publish(session: nox.Session) -> None:
    """Upload both SDKs (-- --repository-url URL); credentials from TWINE_USERNAME/TWINE_PASSWORD or keyring."""
    _install(session, "release")
    _sdkpipeline(session, "publish", *session.posargs, env=_wheelhouse(session))


@nox.session(python=PYTHON)
def release_tests(session: nox.Session) -> None:
    """pytest on the release path only: spec updates, changelog records, build and a local-index round trip."""
    _install(session, "test")
    _pytest(session, testpaths=["tests/release"], env=_wheelhouse(session))


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks: bare generator vs this pipeline (generation, import, parsing, drift); figures, not a gate."""
    _install(session, "bench")
    # Writes .cache/bench/bench-results.json unless given --json PATH; `-- --help` lists the options.
    _sdkpipeline(session, "bench", *session.posargs)


@nox.session(python=PYTHON)
def reliability(session: nox.Session) -> None:
    """The SDKs against a misbehaving local server: faults, concurrency, long lists; one table, exit 1 if wrong."""
    _install(session, "test")
    # `-- --scale 0.1` for a quick look; the outcomes are judged, never the durations.
    _sdkpipeline(session, "reliability", *session.posargs, env={"PYTHONPATH": _generated_path()})


@nox.session(python=PYTHON)
def scale(session: nox.Session) -> None:
    """The pipeline on a synthesized spec 10× the Fungies spec: wall time and peak memory next to 1×."""
    _install(session, "pipeline")
    _sdkpipeline(session, "scale", *(session.posargs or ["fungies", "--factor", "10"]))


@nox.session(python=PYTHON)
def contract(session: nox.Session) -> None:
    """Contract tests: fixtures replayed and spec-validated, SDK calls to Prism, property-based round-trips."""
    _install(session, "contract")
    # Prism is installed by this session (npm ci of the committed pin), not by the first test that needs it.
    session.run("sdkpipeline", "install-prism")
    # Examples per schema in the property-based tests: bounded here, `CONTRACT_EXAMPLES=200 nox -s contract` for more.
    env = {"PYTHONPATH": _generated_path(), "CONTRACT_EXAMPLES": os.environ.get("CONTRACT_EXAMPLES", "10")}
    # posargs go to pytest: `-- --extra-fixtures DIR` checks a directory of captured response bodies too.
    session.run("pytest", "tests/contract", *session.posargs, env=env)
