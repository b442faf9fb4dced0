"""Shared test set-up: the pipeline importable without installing it, and no leaked signal handlers."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(autouse=True)
def _restore_signal_handlers() -> Iterator[None]:
    # sdkpipeline.cli.main turns SIGTERM into KeyboardInterrupt; keep that out of the test process.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
