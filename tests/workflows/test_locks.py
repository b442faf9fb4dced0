"""requirements/*.txt: a hashed lock for every environment, written from pyproject.toml and checked against it.

The check (noxfile.lock_problems) is what `nox -s lint` and every session's install run; here it is run on
the committed locks, and on copies changed the ways a lock goes wrong.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import shutil
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sdkpipeline.release.publish import HATCHLING

from ..inputs import ROOT, required_file
from .test_workflows import WORKFLOWS, _run_scripts

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIP_INSTALL = re.compile(r"\bpip\s+install\b(?P<rest>.*)")


def _stale(problems: list[str]) -> set[str]:
    return {problem.split(":", 1)[0] for problem in problems}


def test_installs_go_through_the_locks(noxfile: ModuleType) -> None:
    """Only _install (the locks) and _wheelhouse (with _pip) install anything: no session installs by name."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    installing = {
        function.name
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Attribute) and node.attr in {"install", "run_install"}
    }
    assert installing == {"_install", "_wheelhouse", "_pip"}


def test_every_lock_matches_pyproject(noxfile: ModuleType) -> None:
    """The committed locks are the ones `nox -s lock` writes from pyproject.toml and the generated packages."""
    assert noxfile.lock_problems() == []
    assert {path.name for path in (ROOT / "requirements").glob("*.txt")} == {
        lock.path.name for lock in noxfile.LOCKS.values()
    }


def test_a_changed_pin_makes_the_locks_holding_it_stale(noxfile: ModuleType) -> None:
    """A new pin in one group: exactly the locks made from that group no longer match."""
    changed = copy.deepcopy(PYPROJECT)
    changed["dependency-groups"]["contract"] = ["vcrpy==9.4.1", *changed["dependency-groups"]["contract"][1:]]
    assert _stale(noxfile.lock_problems(pyproject=changed)) == {"requirements/contract.txt"}
    changed["project"]["dependencies"].append("rich==14.0.0")
    pipeline = {f"requirements/{lock.path.name}" for lock in noxfile.LOCKS.values() if lock.pipeline}
    assert _stale(noxfile.lock_problems(pyproject=changed)) == pipeline


def test_a_changed_sdk_dependency_makes_lowest_and_wheelhouse_stale(noxfile: ModuleType) -> None:
    """A generated package that raises a floor changes what sdk_tests_lowest and the built wheels install."""
    sdk = noxfile.sdk_dependencies()
    first = next(iter(sdk))
    sdk[first] = [text.replace("httpx>=0.28.1", "httpx>=0.28.0") for text in sdk[first]]
    assert _stale(noxfile.lock_problems(sdk=sdk)) == {"requirements/lowest.txt", "requirements/wheelhouse.txt"}


def test_a_dependency_without_a_floor_cannot_be_locked(noxfile: ModuleType) -> None:
    """sdk_tests_lowest needs one `>=` per dependency: without it the lock names the package and the text."""
    problems = noxfile.lock_problems(sdk={"x-client": ["httpx<0.29"]})
    assert "requirements/lowest.txt: cannot be made from pyproject.toml: x-client/pyproject.toml: 'httpx<0.29'" in (
        "\n".join(problems)
    )


def _copy_of_locks(tmp_path: Path) -> Path:
    folder = tmp_path / "requirements"
    shutil.copytree(ROOT / "requirements", folder)
    return folder


def test_a_hand_edited_version_is_found(noxfile: ModuleType, tmp_path: Path) -> None:
    """A lock whose version of a pinned package differs from pyproject.toml's pin is reported with both."""
    folder = _copy_of_locks(tmp_path)
    lock = folder / "test.txt"
    lock.write_text(lock.read_text(encoding="utf-8").replace("\npytest==9.0.3 ", "\npytest==9.0.2 "), encoding="utf-8")
    problems = noxfile.lock_problems(directory=folder)
    assert problems == ["requirements/test.txt: pyproject.toml pins pytest==9.0.3, the lock has 9.0.2"]


def test_a_requirement_without_hashes_is_found(noxfile: ModuleType, tmp_path: Path) -> None:
    """A package added to a lock by hand, without its --hash lines, is reported (pip would refuse it)."""
    folder = _copy_of_locks(tmp_path)
    lock = folder / "pipeline.txt"
    lock.write_text(lock.read_text(encoding="utf-8") + "rich==14.0.0\n", encoding="utf-8")
    (problem,) = noxfile.lock_problems(directory=folder)
    assert problem.startswith("requirements/pipeline.txt: a requirement without its --hash lines")


def test_a_missing_lock_is_found(noxfile: ModuleType, tmp_path: Path) -> None:
    """Every lock the noxfile knows must be there."""
    folder = _copy_of_locks(tmp_path)
    (folder / "bench.txt").unlink()
    assert noxfile.lock_problems(directory=folder) == ["requirements/bench.txt: missing"]


@pytest.mark.parametrize("lock", ["dev", "pipeline", "lint", "wheelhouse"])
def test_every_locked_file_has_a_sha256(noxfile: ModuleType, lock: str) -> None:
    """Each requirement line of a lock is `name==version` followed by at least one --hash=sha256."""
    text = noxfile.LOCKS[lock].path.read_text(encoding="utf-8")
    entries = [line for line in text.splitlines() if line and not line[0].isspace() and not line.startswith("#")]
    assert entries and len(noxfile.LOCKED.findall(text)) == len(entries)


def test_the_pins_that_live_elsewhere_agree(noxfile: ModuleType) -> None:
    """The build backend, hatchling and the bootstrap nox each have one version, whichever file names it."""
    groups = PYPROJECT["dependency-groups"]
    assert groups["editable"] == PYPROJECT["build-system"]["requires"]
    assert groups["sdk-build"] == [HATCHLING]
    assert [pin for pin in groups["lint"] if pin.startswith("nox==")] == [
        pin for pin in groups["bootstrap"] if pin.startswith("nox==")
    ]


def _pip_installs() -> list[tuple[str, str]]:
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for where, script in _run_scripts(path):
            found += [(where, m.group("rest")) for line in script.splitlines() if (m := PIP_INSTALL.search(line))]
    return found


def test_every_pip_install_in_ci_is_hash_checked() -> None:
    """The set-up in .ci/run and every workflow installs a committed lock with --require-hashes."""
    installs = _pip_installs()
    assert installs, "no workflow installs anything: the set-up moved"
    for where, rest in installs:
        args = rest.split()
        assert "--require-hashes" in args, where
        assert "-r" in args and args[args.index("-r") + 1] == "requirements/dev.txt", where


def test_the_ci_run_sets_up_as_the_readme_says() -> None:
    """.ci/run installs the bootstrap lock the way the README's first command does."""
    readme = required_file(ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install --require-hashes -r requirements/dev.txt" in readme
    assert "--require-hashes -r requirements/dev.txt" in required_file(ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_prism_installs_from_a_lock_with_integrity_hashes() -> None:
    """scripts/prism: `npm ci` installs exactly package-lock.json, and every package there has its sha512."""
    folder = ROOT / "scripts" / "prism"
    manifest: dict[str, Any] = json.loads(required_file(folder / "package.json").read_text(encoding="utf-8"))
    lock: dict[str, Any] = json.loads(required_file(folder / "package-lock.json").read_text(encoding="utf-8"))
    packages = {path: entry for path, entry in lock["packages"].items() if path}
    assert lock["packages"][""]["dependencies"] == manifest["dependencies"]
    assert packages
    unhashed = [path for path, entry in packages.items() if not entry.get("integrity", "").startswith("sha512-")]
    assert not unhashed, unhashed
