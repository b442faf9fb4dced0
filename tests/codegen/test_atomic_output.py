"""`sdkpipeline generate` swaps its output in atomically and deterministically.

The runs are real subprocesses on a copy of the Fungies spec (about 2.5 s each), so they are slow tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sdkpipeline.codegen.drift import compare_trees
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo

ROOT = Repo.default().root

pytestmark = pytest.mark.slow
FUNGIES = load_registry()["fungies"]
SENTINEL = "# the previous normalized spec\n"


def _fungies_input(tmp_path: Path) -> Path:
    """The vendored Fungies spec and its overrides, copied where the ad hoc `--spec` mode finds both."""
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    shutil.copy(FUNGIES.spec, spec_dir / FUNGIES.spec.name)
    shutil.copy(FUNGIES.overrides, spec_dir / "overrides.yaml")
    shutil.copy(FUNGIES.overrides.parent / "webhooks.yaml", spec_dir / "webhooks.yaml")  # its extra_schemas
    return spec_dir / FUNGIES.spec.name


def _generate(spec: Path, output: Path, *, hash_seed: str = "0") -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts"), "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "sdkpipeline.cli", "generate", "--spec", str(spec), "--output", str(output)]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _staging_dirs(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}."))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_leaves_the_previous_output(tmp_path: Path, sig: signal.Signals) -> None:
    spec = _fungies_input(tmp_path)
    output = tmp_path / "out" / FUNGIES.dist_name
    shutil.copytree(FUNGIES.output_dir, output, ignore=shutil.ignore_patterns(".ruff_cache"))
    # Ad hoc, the normalized spec is written inside the output folder (nothing beside it).
    previous_normalized = output / f"{FUNGIES.spec.stem}.normalized.yaml"
    previous_normalized.write_text(SENTINEL, encoding="utf-8")
    proc = _generate(spec, output)
    # Interrupt while the package is being built: once the staging directory exists, plus a little.
    deadline = time.monotonic() + 30
    while not _staging_dirs(output) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted: previous output left untouched"
    assert "Traceback" not in err
    assert compare_trees(FUNGIES.output_dir, output) == ([], [previous_normalized.name], [])
    assert previous_normalized.read_text(encoding="utf-8") == SENTINEL
    assert [p.name for p in output.parent.iterdir()] == [output.name]


def test_two_runs_give_byte_identical_output(tmp_path: Path) -> None:
    spec = _fungies_input(tmp_path)
    # Different hash seeds and directories: neither set order nor absolute paths may leak in.
    outputs = [tmp_path / run / FUNGIES.dist_name for run in ("first", "second")]
    runs = [_generate(spec, out, hash_seed=seed) for out, seed in zip(outputs, ("1", "2"), strict=True)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    first, second = outputs
    assert compare_trees(first, second) == ([], [], [])
    normalized = f"{FUNGIES.spec.stem}.normalized.yaml"  # ad hoc, inside the output (compared above too)
    assert (first / normalized).read_bytes() == (second / normalized).read_bytes()
    assert str(tmp_path) not in "".join(p.read_text(encoding="utf-8") for p in first.rglob("*.py"))


def test_ctrl_c_while_the_staging_folder_is_removed_waits_for_the_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The swap is done and the staging folder (the check's claims in it) is being removed: a stress run of 80
    # interrupts once left `.fungies-client.*` behind, cut short there.
    from sdkpipeline.codegen import generate

    rmtree = shutil.rmtree

    def interrupted_rmtree(path: Path, ignore_errors: bool = False) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs here unless the signal is held
        rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(generate.shutil, "rmtree", interrupted_rmtree)
    with pytest.raises(KeyboardInterrupt), generate._staging(tmp_path / "out") as stage:
        (stage / "left.txt").write_text("by the run", encoding="utf-8")
    assert list(tmp_path.iterdir()) == []
