"""The vendor material in specs/ (SOURCES.md, examples) is what specs/vendored.sha256 records, byte for byte."""

from __future__ import annotations

import hashlib

import pytest

from ..inputs import MANIFEST, SPECS, manifest, shown

# What the tests and the recorder read from the vendors, besides the locked specs (specs/VENDORED.md).
VENDORED_GLOBS = ("*/SOURCES.md", "*/examples/**/*")


def _on_disk() -> set[str]:
    return {p.relative_to(SPECS).as_posix() for pattern in VENDORED_GLOBS for p in SPECS.glob(pattern) if p.is_file()}


def test_every_vendor_file_is_listed() -> None:
    """A file copied into specs/<api>/examples or SOURCES.md without a manifest line is reported by name."""
    unlisted = sorted(_on_disk() - set(manifest()))
    assert not unlisted, f"not in {shown(MANIFEST)} (add its sha256sum line): {unlisted}"


def test_every_listed_file_is_there() -> None:
    """A manifest line whose file is gone is reported by name."""
    missing = sorted(set(manifest()) - _on_disk())
    assert not missing, f"listed in {shown(MANIFEST)} but missing from specs/: {missing}"


@pytest.mark.parametrize("name", sorted(manifest()))
def test_vendor_file_matches_its_hash(name: str) -> None:
    """The file's bytes are the ones copied from the vendor (never edited; no end-of-line conversion)."""
    path = SPECS / name
    assert path.is_file(), f"missing vendor file {shown(path)}"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == manifest()[name], f"{shown(path)} differs from its copy"
