"""What `python -m sdkpipeline generate` loads in its own process, and when: not httpx (0.05 s of imports, with ssl
and h11), which the generator imports only to fetch a document by URL, and so not httpx's own command line either
(click, rich, pygments), which httpx loads wherever click is installed (as in the `bench` session); the generator
while a forked child reads and normalizes the document."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SPEC = Path(__file__).resolve().parents[1] / "data" / "corpus" / "oai-petstore-expanded.yaml"
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

# `python -m sdkpipeline ARGV`, saying at its end which of httpx, httpcore, ssl and rich are in sys.modules.
_SAYING = """
import runpy, sys
import sdkpipeline.interrupts as interrupts
end = interrupts.end
def said(code):
    print("loaded:", [m for m in ("httpx", "httpcore", "ssl", "rich") if m in sys.modules], file=sys.stderr)
    end(code)
interrupts.end = said
sys.argv = ["sdkpipeline", *sys.argv[1:]]
runpy.run_module("sdkpipeline", run_name="__main__")
"""


def _said(*argv: str, cwd: Path) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(SCRIPTS)}
    run = subprocess.run(
        [sys.executable, "-c", _SAYING, *argv], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    return run.returncode, run.stderr


def test_generate_loads_no_httpx(tmp_path: Path) -> None:
    code, said = _said("generate", "--spec", str(SPEC), "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert code == 0, said
    assert "loaded: []" in said
    assert (tmp_path / "out" / "pyproject.toml").is_file()  # and the package it made was checked (it imports httpx)


# `python -m sdkpipeline ARGV`, saying on stderr each piece of work it ran in a forked child (`generate._beside`) and
# whether the generator was loaded when it started, when the command let go of the document it read, and when the
# normalized one arrived.
_FORKS = """
import os, runpy, sys
import sdkpipeline.codegen.generate as generate
import sdkpipeline.spec.yamlio as yamlio
command = os.getpid()
beside, take, receive = generate._beside, yamlio.GivenDocument.take, generate._Handoff.take
def saying(work, **kwargs):
    print("forked:", kwargs["what"], "openapi_python_client" in sys.modules, file=sys.stderr)
    return beside(work, **kwargs)
def taking(self):
    document = take(self)
    if os.getpid() == command:
        print("the command lets go of the document:", document is not None, file=sys.stderr)
    return document
def receiving(self):
    print("the normalized document arrives", file=sys.stderr)
    return receive(self)
generate._beside, yamlio.GivenDocument.take, generate._Handoff.take = saying, taking, receiving
sys.argv = ["sdkpipeline", *sys.argv[1:]]
runpy.run_module("sdkpipeline", run_name="__main__")
"""
REPRODUCERS = Path(__file__).resolve().parents[1] / "data" / "reproducers"


@pytest.mark.parametrize("name", ["colliding_enum_members", "default_beside_all_of_ref", "generator_class_name_clash"])
def test_a_fresh_command_normalizes_beside_the_generators_import(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command normalizes the document in a child while it imports the generator (which that child never loads),
    lets go of the document it read, and makes what a run in a process that has the generator already makes, inline:
    the same files, the same repairs reported (the log came through the pipe). Each document needs one of the
    generator's rules the normalizer copies (enum member names, which defaults it takes, class names)."""
    from sdkpipeline import cli, upstream

    assert upstream.GENERATOR_VERSION  # loaded here: the run below normalizes inline
    spec = REPRODUCERS / f"{name}.yaml"
    env = {**os.environ, "PYTHONPATH": str(SCRIPTS)}
    argv = ["generate", "--spec", str(spec), "--verbose"]
    run = subprocess.run(
        [sys.executable, "-c", _FORKS, *argv, "--output", str(tmp_path / "fresh")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    said = run.stderr.splitlines()
    assert said[:3] == [
        "forked: normalizing the document False",
        # The document it read for the package's name: the child has its own, and this one is let go of before the
        # normalized one comes (Asana's run peaked at 107 MB holding both).
        "the command lets go of the document: True",
        "the normalized document arrives",
    ], said
    assert cli.main([*argv, "--output", str(tmp_path / "inline")]) == 0
    inline = capsys.readouterr().out
    diff = subprocess.run(
        ["diff", "-r", str(tmp_path / "fresh"), str(tmp_path / "inline")], capture_output=True, text=True, check=False
    )
    assert diff.returncode == 0, diff.stdout[:2000]

    def repairs(out: str) -> list[str]:
        return [line for line in out.splitlines() if line.startswith(" ")]  # all but the line with the time taken

    assert repairs(run.stdout) == repairs(inline)
    assert any("repaired" in line for line in repairs(inline)), inline
