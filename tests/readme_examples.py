"""The ```python examples of a package README: read by section, and the testing example run under pytest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def python_blocks(readme: Path, *, section: str | None = None) -> list[str]:
    """The ```python fenced blocks of a Markdown file (or of one `## ` section of it), in order."""
    text = readme.read_text(encoding="utf-8")
    if section is not None:
        heading = f"\n## {section}\n"
        text = text.split(heading, 1)[1].split("\n## ", 1)[0] if heading in text else ""
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.M | re.S)


def run_testing_example(readme: Path, work: Path, *, pythonpath: Sequence[Path]) -> tuple[list[str], list[str], str]:
    """The README's "Testing your code" example saved as a test file and run by pytest in a fresh interpreter.

    Returns (the tests the example defines, the ones pytest reports as passed, pytest's output).
    """
    blocks = python_blocks(readme, section="Testing your code")
    example = work / "test_readme_example.py"
    example.write_text("\n\n".join(blocks), encoding="utf-8")
    defined = re.findall(r"^def (test_\w+)", example.read_text(encoding="utf-8"), flags=re.M)
    # No bytecode: the packages' folders stay as generated (an ad hoc output folder is checked for it).
    env = {
        "PYTHONPATH": os.pathsep.join(str(p) for p in pythonpath),
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", example.name],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    passed = re.findall(r"::(test_\w+) PASSED", run.stdout)
    return defined, passed, run.stdout + run.stderr
