"""A third API added as README "Adding a third API" says (tests/release/third_api.py) gets its fixtures with
`sdkpipeline record` against Prism, and the contract suite passes on them: replay through the function layer and
the clients, both specs, coverage, Prism, property-based round-trips."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sdkpipeline import cli
from sdkpipeline.spec.repo import ROOT_ENV

from ..conftest import copy_repo
from ..release.third_api import DIST, NAME, ROOT, add_third_api

# The suite's API-generic files: the others test cnaught and fungies by name.
GENERIC = ("test_replay.py", "test_spec_validation.py", "test_coverage.py", "test_properties.py")


@pytest.mark.slow
def test_a_third_api_is_recorded_and_passes_the_contract_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = copy_repo(tmp_path / "repo", apis=[])
    # This copy registers the new API alone, so the suite below runs for it and nothing else.
    repo.registry_file.write_text("", encoding="utf-8")
    repo.lock_file.write_text("", encoding="utf-8")
    add_third_api(repo)
    root = ["--root", str(repo.root)]
    assert cli.main([*root, "generate", NAME]) == 0
    assert cli.main([*root, "release", NAME, "--initial"]) == 0
    # Prism as this checkout pins and installs it (`nox -s contract` runs `sdkpipeline install-prism` first).
    (repo.root / "scripts").mkdir()
    (repo.root / "scripts" / "prism").symlink_to(ROOT / "scripts" / "prism")
    repo.cache.mkdir(exist_ok=True)  # generating made it (compiled templates: .cache/jinja)
    (repo.cache / "prism").symlink_to(ROOT / ".cache" / "prism")
    monkeypatch.setenv(ROOT_ENV, str(repo.root))  # the recorder reads the registry of the repository it records
    capsys.readouterr()

    assert cli.main([*root, "record", NAME]) == 0
    out = capsys.readouterr().out
    assert "0 refused" in out
    recorded = sorted(p.name for p in (repo.fixtures / NAME).glob("*.yaml"))
    assert {name.split("__")[0] for name in recorded} == {"ListBooks", "CreateBook", "GetBook", "DeleteBook"}
    # What the raw spec rejects of the fixtures (nothing here): the suite compares it with this file.
    findings = repo.root / "tests" / "contract" / "raw_spec_findings" / f"{NAME}.txt"
    findings.parent.mkdir(parents=True)
    findings.write_text(
        "# fixtures the raw vendor spec rejects, one `<fixture>: <finding>` per line\n", encoding="utf-8"
    )

    env = {
        **os.environ,
        ROOT_ENV: str(repo.root),
        "PYTHONPATH": str(repo.generated / DIST),
        "CONTRACT_EXAMPLES": "3",
    }
    suite = [str(ROOT / "tests" / "contract" / name) for name in GENERIC]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *suite],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{NAME}: 4/4 operations with fixtures (100%)" in done.stdout
