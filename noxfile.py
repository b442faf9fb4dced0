"""The front door: every maintainer and CI task is a nox session (`nox -l` lists them)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
APIS = tomllib.loads((ROOT / "specs" / "apis.toml").read_text(encoding="utf-8"))
GENERATED = [ROOT / "generated" / entry["dist_name"] for entry in APIS.values()]

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
# What `nox` with no arguments runs: the README's test command, and CI's.
nox.options.sessions = ["lint", "typecheck", "drift", "tests", "contract"]

PYTHON = "3.11"


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
    """ruff on the pipeline, the tests and the generated packages; the pipeline's import layering."""
    _install_pipeline(session)
    session.install(*_group("lint"))
    session.run("lint-imports")
    session.run("ruff", "check", "scripts", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "scripts", "tests", "noxfile.py")
    for package in GENERATED:
        # Each package is checked with its own (generated) ruff settings.
        session.chdir(package)
        session.run("ruff", "check", ".")
        session.run("ruff", "format", "--check", ".")
        session.chdir(ROOT)


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the pipeline and on each generated package."""
    _install_pipeline(session)
    session.install(*_group("typecheck"), *_group("test"))
    session.run("mypy", "--strict", "scripts/sdkpipeline")
    for package in GENERATED:
        name = next(p.name for p in package.iterdir() if (p / "__init__.py").exists())
        session.run("mypy", "--strict", str(package / name))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """pytest: normalizer passes, pipeline (lock, errors, drift), and the SDKs against the examples."""
    _install_pipeline(session)
    session.install(*_group("test"))
    # The generated packages are used from their directories, so a test always sees the current output.
    session.run("pytest", *(session.posargs or ["tests"]), env={"PYTHONPATH": _generated_path()})


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
