"""Test inputs kept in the repository (specs/VENDORED.md): a missing one fails the run and names its path.

Called at import or collection time, so a test module whose inputs are gone is a collection error
that says what is missing, never a test that is skipped or passes on nothing.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import NoReturn

import pytest

from sdkpipeline.spec.repo import Repo

ROOT = Repo.default().root
SPECS = ROOT / "specs"
# sha256sum lines ("<hash>  <path relative to specs/>") of every vendor file copied into specs/.
MANIFEST = SPECS / "vendored.sha256"


def missing_input(what: str, *, hint: str = "the repository keeps it; see specs/VENDORED.md") -> NoReturn:
    """Fail with one line naming the missing input (no traceback: there is nothing to debug)."""
    pytest.fail(f"missing test input: {what}" + (f" ({hint})" if hint else ""), pytrace=False)


def shown(path: Path) -> str:
    """`path` relative to the repository when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def required_file(path: Path) -> Path:
    """`path`, which must be a file."""
    if not path.is_file():
        missing_input(shown(path))
    return path


def required_files(folder: Path, pattern: str = "*.json") -> list[Path]:
    """The files in `folder` (any folder, e.g. one named on the command line) matching `pattern`, sorted.

    Fails when the folder is missing or holds no such file.
    """
    if not folder.is_dir():
        missing_input(f"folder {shown(folder)}", hint="no such folder")
    files = sorted(p for p in folder.glob(pattern) if p.is_file())
    if not files:
        missing_input(f"{shown(folder)}/{pattern}", hint="the folder holds no such file")
    return files


def vendor_file(name: str) -> Path:
    """specs/<name>, a vendor file (e.g. `cnaught/examples/CancelOrder__docs_example.json`), which must exist."""
    return required_file(SPECS / name)


def manifest() -> dict[str, str]:
    """specs/vendored.sha256 as {path relative to specs/: sha256}; fails when it is missing or empty."""
    required_file(MANIFEST)
    entries: dict[str, str] = {}
    for number, line in enumerate(MANIFEST.read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not name:
            pytest.fail(f"{shown(MANIFEST)}:{number}: not a '<sha256>  <path>' line: {line!r}", pytrace=False)
        entries[name] = digest
    if not entries:
        missing_input(f"entries in {shown(MANIFEST)} (the file is empty)")
    return entries


def vendored_files(pattern: str) -> list[Path]:
    """The vendor files the manifest lists under specs/ matching `pattern` (e.g. `*/examples/*.json`).

    Each must be on disk, and the pattern must match at least one entry: the list of inputs is the
    committed manifest, so a lost file fails by name instead of shrinking the test run.
    """
    names = sorted(name for name in manifest() if PurePosixPath(name).match(pattern))
    if not names:
        missing_input(f"files matching specs/{pattern} (none listed in {shown(MANIFEST)})")
    return [vendor_file(name) for name in names]
