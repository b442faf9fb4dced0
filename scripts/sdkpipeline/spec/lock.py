"""specs/specs.lock: each vendored spec's source URL, retrieval date and sha256."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from .registry import Api

_HEADER = """\
# Vendored upstream documents: where each came from, when, and its sha256.
# Written by `nox -s update_specs`; every pipeline command refuses a spec whose hash differs.
# Never edit a vendored spec by hand: fix defects in the normalizer or in specs/<api>/overrides.yaml.
"""


@dataclass(frozen=True)
class LockEntry:
    file: str
    url: str
    retrieved: str
    sha256: str


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_lock(path: Path) -> dict[str, LockEntry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(f"cannot read the specs lock: {exc}", file=path) from None
    try:
        return {name: LockEntry(**entry) for name, entry in data.items()}
    except TypeError as exc:
        raise PipelineError(f"malformed lock entry: {exc}", file=path) from None


def write_lock(entries: dict[str, LockEntry], path: Path) -> None:
    lines = [_HEADER]
    for name in sorted(entries):
        e = entries[name]
        lines.append(
            f'\n[{name}]\nfile = "{e.file}"\nurl = "{e.url}"\nretrieved = "{e.retrieved}"\nsha256 = "{e.sha256}"\n'
        )
    path.write_text("".join(lines), encoding="utf-8")


def verify_spec(api: Api, lock: dict[str, LockEntry] | None = None) -> None:
    """Refuse a vendored spec whose bytes differ from the lock (it was edited, or updated by hand)."""
    lock_path = api.repo.lock_file
    entries = lock if lock is not None else load_lock(lock_path)
    entry = entries.get(api.name)
    if entry is None:
        raise PipelineError(
            f"no lock entry for API '{api.name}'",
            file=lock_path,
            hint=f"vendor it with `nox -s update_specs -- {api.name} --source FILE_OR_URL`",
        )
    if not api.spec.exists():
        raise PipelineError("vendored spec is missing", file=api.spec, hint="restore it with `git checkout -- specs`")
    actual = sha256_of(api.spec)
    if actual != entry.sha256:
        raise PipelineError(
            f"sha256 {actual[:12]}… does not match the lock ({entry.sha256[:12]}…): "
            "the vendored spec was changed by hand",
            file=api.spec,
            hint=(
                "vendored specs are byte-for-byte copies of the vendor's document; put fixes in "
                f"{api.repo.shown(api.overrides)} "
                f"or a normalizer pass, and take a new vendor version with "
                f"`nox -s update_specs -- {api.name} --source FILE_OR_URL` (it updates the lock)"
            ),
        )
