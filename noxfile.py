"""The front door: every maintainer and CI task is a nox session (`nox -l` lists them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import nox
from packaging.requirements import Requirement

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
APIS = tomllib.loads((ROOT / "specs" / "apis.toml").read_text(encoding="utf-8"))
GENERATED = [ROOT / "generated" / entry["dist_name"] for entry in APIS.values()]

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
# What `nox` with no arguments runs: the README's test command, and CI's (`sdk_tests` is one run per Python).
nox.options.sessions = ["lint", "typecheck", "drift", "tests", "sdk_tests", "sdk_tests_lowest", "contract"]

# The pipeline runs on one Python; the SDKs it makes support every version in SDK_PYTHONS (the classifiers
# of templates/pyproject.toml.jinja say the same; tests/workflows checks that they agree).
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


def _install_pipeline(session: nox.Session) -> None:
    # The pipeline's own pins (generator, ruff, ruamel.yaml, jinja2) are exact in pyproject.toml.
    session.install("-e", ".")


def _group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate both SDKs (or: -- --spec FILE --output DIR for any spec)."""
    _install_pipeline(session)
    session.run("sdkpipeline", "generate", *session.posargs)


@nox.session(python=PYTHON)
def drift(session: nox.Session) -> None:
    """Regenerate into a temporary directory and fail on any difference from generated/ and specs/."""
    _install_pipeline(session)
    session.run("sdkpipeline", "drift", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, the pipeline's import layering; actionlint, zizmor and tests/workflows on the CI workflows."""
    _install_pipeline(session)
    session.install(*_group("lint"))
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
    _install_pipeline(session)
    session.install(*_group("typecheck"), *_group("test"))
    session.run("mypy", "--strict", "scripts/sdkpipeline")
    # The SDK runtime, once, as the package `runtime` (it is copied unchanged into every SDK).
    session.run("mypy", "--strict", "templates/runtime")
    for package in GENERATED:
        name = next(p.name for p in package.iterdir() if (p / "__init__.py").exists())
        session.run("mypy", "--strict", str(package / name))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """pytest on everything but the SDK tests: spec, normalizer, codegen, release, local servers, CLI, perf."""
    _install_pipeline(session)
    # mypy too: the corpus tests type-check each package they generate (tests/codegen/test_corpus.py).
    session.install(*_group("test"), *_group("typecheck"))
    elsewhere = [f"--ignore={path}" for path in [*SDK_TESTS, WORKFLOW_TESTS]]
    # The generated packages are used from their directories, so a test always sees the current output.
    session.run("pytest", *(session.posargs or ["tests", *elsewhere]), env={"PYTHONPATH": _generated_path()})


@nox.session(python=SDK_PYTHONS)
def sdk_tests(session: nox.Session) -> None:
    """pytest on the generated SDKs (runtime, webhooks, the vendors' examples) on every Python they support."""
    # The tests read the registry and the specs through a few sdkpipeline helpers.
    _install_pipeline(session)
    session.install(*_group("test"))
    session.run("pytest", *(session.posargs or SDK_TESTS), env={"PYTHONPATH": _generated_path()})


@nox.session(python=PYTHON)
def sdk_tests_lowest(session: nox.Session) -> None:
    """The SDK tests with each runtime dependency at the lowest version the generated packages declare."""
    _install_pipeline(session)
    session.install(*_group("test"))
    # Installed last, so these replace the test group's pins of the same packages.
    session.install(*_lowest_runtime_dependencies(session))
    session.run("pytest", *(session.posargs or SDK_TESTS), env={"PYTHONPATH": _generated_path()})


def _lowest_runtime_dependencies(session: nox.Session) -> list[str]:
    """`name==X` for every `name>=X,...` in the generated packages' dependencies (each must declare a floor)."""
    pins: set[str] = set()
    for package in GENERATED:
        for text in nox.project.load_toml(package / "pyproject.toml")["project"]["dependencies"]:
            requirement = Requirement(text)
            floors = [spec.version for spec in requirement.specifier if spec.operator == ">="]
            if len(floors) != 1:
                session.error(f"{package.name}/pyproject.toml: {text!r} needs one lower bound (>=) to be tested")
            pins.add(f"{requirement.name}=={floors[0]}")
    return sorted(pins)


def _generated_path() -> str:
    return os.pathsep.join(str(p) for p in GENERATED)


@nox.session(python=PYTHON)
def update_specs(session: nox.Session) -> None:
    """Take the vendors' current documents (-- [API] [--source URL|FILE] [--check]): report, bump, log, regenerate."""
    _install_pipeline(session)
    # griffe compares the regenerated SDK's public surface with the previous package's (the bump covers both).
    session.install(*_group("release"))
    session.run("sdkpipeline", "update-specs", *session.posargs)


@nox.session(python=PYTHON)
def release(session: nox.Session) -> None:
    """Release SDKs whose surface changed without a new vendor document (-- [API] [--previous DIR] [--check])."""
    _install_pipeline(session)
    session.install(*_group("release"))
    session.run("sdkpipeline", "release", *session.posargs)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """sdist + wheel for each SDK into dist/, twine check, and each wheel installed into a fresh venv."""
    _install_pipeline(session)
    session.install(*_group("release"))
    session.run("sdkpipeline", "build", *session.posargs)


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
    _install_pipeline(session)
    session.install(*_group("release"))
    session.run("sdkpipeline", "publish", *session.posargs)


@nox.session(python=PYTHON)
def release_tests(session: nox.Session) -> None:
    """pytest on the release path only: spec updates, changelog records, build and a local-index round trip."""
    _install_pipeline(session)
    session.install(*_group("test"))
    session.run("pytest", *(session.posargs or ["tests/release"]))


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks: bare generator vs this pipeline (generation, import, parsing, drift); figures, not a gate."""
    _install_pipeline(session)
    session.install(*_group("bench"))
    # Writes .cache/bench/bench-results.json unless given --json PATH; `-- --help` lists the options.
    session.run("sdkpipeline", "bench", *session.posargs)


@nox.session(python=PYTHON)
def reliability(session: nox.Session) -> None:
    """The SDKs against a misbehaving local server: faults, concurrency, long lists; one table, exit 1 if wrong."""
    _install_pipeline(session)
    session.install(*_group("test"))
    # `-- --scale 0.1` for a quick look; the outcomes are judged, never the durations.
    session.run("sdkpipeline", "reliability", *session.posargs, env={"PYTHONPATH": _generated_path()})


@nox.session(python=PYTHON)
def scale(session: nox.Session) -> None:
    """The pipeline on a synthesized spec 10× the Fungies spec: wall time and peak memory next to 1×."""
    _install_pipeline(session)
    session.run("sdkpipeline", "scale", *(session.posargs or ["fungies", "--factor", "10"]))


@nox.session(python=PYTHON)
def contract(session: nox.Session) -> None:
    """Contract tests: fixtures replayed and spec-validated, SDK calls to Prism, property-based round-trips."""
    _install_pipeline(session)
    session.install(*_group("test"), *_group("contract"))
    # Prism is installed by this session (npm ci of the committed pin), not by the first test that needs it.
    session.run("sdkpipeline", "install-prism")
    # Examples per schema in the property-based tests: bounded here, `CONTRACT_EXAMPLES=200 nox -s contract` for more.
    env = {"PYTHONPATH": _generated_path(), "CONTRACT_EXAMPLES": os.environ.get("CONTRACT_EXAMPLES", "10")}
    # posargs go to pytest: `-- --extra-fixtures DIR` checks a directory of captured response bodies too.
    session.run("pytest", "tests/contract", *session.posargs, env=env)
