"""Shared test set-up: the pipeline importable without installing it, and no leaked signal handlers."""

from __future__ import annotations

import gc
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from sdkpipeline.spec.registry import load_registry  # noqa: E402  (after the path set-up above)
from sdkpipeline.spec.repo import Repo  # noqa: E402


def copy_repo(dest: Path, *, apis: Sequence[str] | None = None, generated: bool = True) -> Repo:
    """A repository under `dest` with the registry, lock, templates and LICENSE, and the named APIs' specs and packages.

    Commands given the returned `Repo` read and write only there, so a test can change anything in it.
    """
    source = Repo.default()
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "specs").mkdir()
    for name in ("apis.toml", "specs.lock"):
        shutil.copy2(source.specs / name, dest / "specs" / name)
    shutil.copytree(source.templates, dest / "templates")
    shutil.copy2(source.root / "LICENSE", dest / "LICENSE")  # generation copies it into every package
    for name, api in load_registry(source).items():
        if apis is not None and name not in apis:
            continue
        shutil.copytree(api.spec.parent, dest / api.spec.parent.relative_to(source.root))
        if generated and api.output_dir.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", ".*_cache")
            shutil.copytree(api.output_dir, dest / api.output_dir.relative_to(source.root), ignore=ignore)
    return Repo(dest)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes: compared before and after a run that must change nothing, or
    between two runs that must write the same."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def _restore_signal_handlers() -> Iterator[None]:
    # sdkpipeline.cli.main turns SIGTERM into KeyboardInterrupt; keep that out of the test process.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Ctrl-C raises KeyboardInterrupt in every test, and in the processes it starts, however the suite was started:
    # a shell that starts it in the background without job control has it ignore SIGINT, and the tests of
    # interrupts then saw none arrive (five failed in a clone run started so).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture(autouse=True)
def _restore_gc_threshold() -> Iterator[None]:
    # `python -m sdkpipeline generate` collects cyclic garbage seldom (`__main__.run`); a test that runs it in the
    # test process must not leave the suite so (tests/codegen after it peaked at 331 MB, not 266 MB).
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)
