"""The overrides file's schema (normalize/overrides.py): the vendor files load; a misspelt key or a bad value is an
error naming its pointer and line, every one of them at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.normalize import load_overrides
from sdkpipeline.spec.registry import load_registry


@pytest.mark.parametrize("api", sorted(load_registry()))
def test_the_vendor_overrides_files_follow_the_schema(api: str) -> None:
    overrides = load_overrides(load_registry()[api].overrides)
    assert overrides.patches  # both vendor files patch their documents


def _problems(tmp_path: Path, text: str) -> str:
    path = tmp_path / "overrides.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        load_overrides(path)
    return str(info.value)


def test_every_problem_is_named_with_its_line(tmp_path: Path) -> None:
    said = _problems(
        tmp_path,
        "renames: []\n"
        "patches:\n"
        "  - {pointer: /a, set: 1, remove: true, reason: both}\n"
        "  - {pointer: b, remove: true, reason: not a pointer}\n"
        "operation_names: {getOrder: 'orders retrieve'}\n"
        "repairs: {drop_unsuported_defaults: apply, move_required_flags: maybe}\n"
        "hoisting: {keep_inlne: [metadata]}\n",
    )
    assert said.startswith("6 problems; nothing was written:")
    for line in [
        "overrides.yaml#/renames: unknown key 'renames': did you mean 'names'? at line 1",
        "overrides.yaml#/patches/1/pointer: 'pointer': a JSON pointer starts with '/' (e.g. /components/schemas/Order)",
        "overrides.yaml#/operation_names/getOrder: 'getOrder': 'orders retrieve' is not a method name or "
        "resource.method at line 5",
        "overrides.yaml#/repairs/drop_unsuported_defaults: no repair pass named 'drop_unsuported_defaults': did you "
        "mean 'drop_unsupported_defaults'? at line 6",
        "overrides.yaml#/repairs/move_required_flags: 'move_required_flags': Input should be 'apply' or 'refuse'",
        "overrides.yaml#/hoisting/keep_inlne: unknown key 'keep_inlne': did you mean 'keep_inline'? at line 7",
    ]:
        assert line in said, said


def test_a_patch_takes_exactly_one_operation(tmp_path: Path) -> None:
    said = _problems(tmp_path, "patches:\n  - {pointer: /a, set: 1, remove: true, reason: both}\n")
    assert "#/patches/0: a patch needs exactly one of set, merge, remove (found set, remove) at line 2" in said


def test_the_keys_are_read(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(
        "patches: [{pointer: /info/title, set: null, reason: no title}]\n"
        "names: [{pointer: /components/schemas/A, name: Better, reason: clearer}]\n"
        "operation_names: {getA: a.retrieve}\n"
        "hoisting: {keep_inline: [metadata]}\n"
        "repairs: {drop_unsupported_defaults: apply}\n",
        encoding="utf-8",
    )
    overrides = load_overrides(path)
    assert [(p.pointer, p.op, p.value) for p in overrides.patches] == [("/info/title", "set", None)]
    assert [(n.pointer, n.name) for n in overrides.names] == [("/components/schemas/A", "Better")]
    assert overrides.operation_names == {"getA": "a.retrieve"}
    assert overrides.keep_inline == frozenset({"metadata"})
    assert overrides.repairs == {"drop_unsupported_defaults": "apply"}


_SCHEMA_BUILT = """
import sys
from pathlib import Path
from sdkpipeline.normalize import load_overrides
load_overrides(Path(sys.argv[1]) if sys.argv[1] else None)
print("sdkpipeline.normalize.overrides_schema" in sys.modules)
"""


@pytest.mark.parametrize(("has_file", "built"), [(False, False), (True, True)], ids=["no-file", "a-file"])
def test_the_schema_is_built_only_for_a_file_to_read(tmp_path: Path, has_file: bool, built: bool) -> None:
    # Its pydantic models cost 0.01 s to build: a run without an overrides file does not pay it.
    path = tmp_path / "overrides.yaml"
    if has_file:
        path.write_text("patches: []\n", encoding="utf-8")
    scripts = Path(__file__).resolve().parents[2] / "scripts"
    run = subprocess.run(
        [sys.executable, "-c", _SCHEMA_BUILT, str(path) if has_file else ""],
        env={**os.environ, "PYTHONPATH": str(scripts)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == str(built)
