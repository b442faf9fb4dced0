"""Node tools from a committed npm pin: the one way the project installs them (Prism for the tests, the document
converters for the normalizer), each pin's package.json + package-lock.json installed by `npm ci` into a folder
of .cache, with install scripts off and every package checked against the lock's sha512 by npm itself."""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import PipelineError

__all__ = ["NPM_TIMEOUT", "locked", "npm_ci", "pin_installed"]

NPM_TIMEOUT = 600.0
_SHOWN = 12  # npm error lines in a message


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise installs into one folder (parallel test workers) on one lock file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def pin_installed(install: Path, pin: Path, packages: Mapping[str, str]) -> bool:
    """`install` holds the pin: the same lock, and each of `packages` (name → version) at its version."""
    try:
        if (install / "package-lock.json").read_bytes() != (pin / "package-lock.json").read_bytes():
            return False
        for package, version in packages.items():
            manifest = json.loads((install / "node_modules" / package / "package.json").read_text(encoding="utf-8"))
            if manifest.get("version") != version:
                return False
    except (OSError, ValueError):
        return False
    return True


def npm_ci(install: Path, pin: Path, *, what: str, node: str) -> None:
    """Install the pin in `pin` into `install` (emptied first) with `npm ci`; `what` names it in errors, `node` the
    Node.js version it needs."""
    npm = shutil.which("npm")
    if npm is None:
        raise PipelineError(
            f"npm is not on PATH, so {what} cannot be installed",
            file=pin / "package.json",
            hint=f"install Node.js ({node}) with npm",
        )
    shutil.rmtree(install, ignore_errors=True)
    install.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        try:
            shutil.copyfile(pin / name, install / name)
        except OSError as exc:
            raise PipelineError(f"cannot copy the pin of {what}: {exc}", file=pin / name) from None
    # --ignore-scripts: no pinned tool needs an install script, and none may run one (Prism's tree has
    # @scarf/scarf's postinstall, which sends install analytics over the network).
    command = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    try:
        done = subprocess.run(command, cwd=install, capture_output=True, text=True, timeout=NPM_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise PipelineError(
            f"`npm ci` for {what} did not finish within {NPM_TIMEOUT:.0f} s",
            file=pin / "package-lock.json",
            hint="check that the npm registry is reachable",
        ) from None
    if done.returncode != 0:
        raise PipelineError(
            f"`npm ci` for {what} failed (exit {done.returncode}) in {install}:\n"
            + _npm_errors(done.stderr or done.stdout),
            file=pin / "package-lock.json",
            hint=f"if the pin changed, regenerate the lock with `npm install --package-lock-only` in {pin}",
        )


def _npm_errors(output: str) -> str:
    # npm puts the reason first, then details and perhaps the whole usage text of the command.
    errors: list[str] = []
    for line in output.splitlines():
        if line.startswith(("npm error", "npm ERR!")):
            if "Usage:" in line or "Clean install a project" in line:
                break
            errors.append(line)
    if not errors:
        errors = output.strip().splitlines()[-_SHOWN:] or ["(no output)"]
    elif len(errors) > _SHOWN:
        errors = [*errors[:_SHOWN], f"(… {len(errors) - _SHOWN} more lines)"]
    return "\n".join("    " + line for line in errors)
