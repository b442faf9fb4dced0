"""codegen/imports.py writes a module's imports as the post-hooks' `ruff check --fix-only` would: checked against
ruff itself, on made-up import blocks (a fixed seed) and on what the templates print for real documents."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest
import ruff

from sdkpipeline.cli import main
from sdkpipeline.codegen import generate
from sdkpipeline.codegen.imports import python_module

from ..conftest import copy_repo

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
# The generated packages' ruff settings (templates/pyproject.toml.jinja).
PYPROJECT = '[tool.ruff]\nline-length = 120\n\n[tool.ruff.lint]\nselect = ["F", "I", "UP"]\n'

# Modules and names that sort differently case-insensitively, naturally (v2 before v10) and by kind.
_STDLIB = {"typing": ["Any", "TYPE_CHECKING", "cast", "Literal", "overload"], "http": ["HTTPStatus"]}
_STDLIB |= {"collections.abc": ["Mapping", "Iterator"], "datetime": ["date", "timezone"]}
_THIRD = {"httpx": ["Response", "AsyncClient"], "attrs": ["define", "field", "evolve"], "dateutil.parser": ["isoparse"]}
_LOCAL_MODULES = ["", "types", "_models", "models.pet_v10", "models.pet_v2", "models.Pet_v2a", "models.io_k8s_v1se"]
_LOCAL_NAMES = ["UNSET", "Unset", "NOT_GIVEN", "NotGiven", "errors", "Model", "as_model", "Pet2", "Pet10", "pet_x", "X"]


def _ruff(folder: Path, select: str) -> None:
    subprocess.run(
        [ruff.find_ruff_bin(), "check", ".", "--fix-only", "--no-cache", "--select", select, "-q"],
        cwd=folder,
        check=True,
    )


def _statements(rng: random.Random, *, long: bool) -> list[tuple[str, list[str]]]:
    """(module, names) pairs: `import m` is a module with no names; relative modules start with dots."""
    picked: list[tuple[str, list[str]]] = []
    for _ in range(rng.randint(2, 9)):
        kind = rng.choice(["stdlib", "third", "local", "local", "plain"])
        if kind == "plain":
            picked.append((rng.choice(["datetime", "httpx", "json", "builtins"]), []))
        elif kind == "local":
            dots = "." * rng.randint(1, 3)
            picked.append((dots + rng.choice(_LOCAL_MODULES), rng.sample(_LOCAL_NAMES, rng.randint(1, 4))))
        else:
            pool = _STDLIB if kind == "stdlib" else _THIRD
            module = rng.choice(sorted(pool))
            picked.append((module, rng.sample(pool[module], rng.randint(1, len(pool[module])))))
    if long:  # one statement past the line length: wrapped, one name a line
        picked.append(("..models.a_long_module_name_" + "x" * 40, [f"LongClassName{i}" for i in range(8)]))
    return picked


def _block(statements: list[tuple[str, list[str]]], rng: random.Random, indent: str = "") -> list[str]:
    lines = []
    for module, names in statements:
        if rng.random() < 0.2:
            lines.append("")
        lines.append(indent + (f"import {module}" if not names else f"from {module} import {', '.join(names)}"))
    return lines


def _module(rng: random.Random, *, used_share: float) -> str:
    """A module of import blocks and code naming a share of what they import (never all of a block's names
    unused: ruff would remove the statement the module's blank lines hang on)."""
    top = _statements(rng, long=rng.random() < 0.3)
    nested = _statements(rng, long=False) if rng.random() < 0.4 else []
    lines = ["from __future__ import annotations", ""] if rng.random() < 0.5 else []
    lines += _block(top, rng)
    if nested:
        lines += ["", "if TYPE_CHECKING:", *_block(nested, rng, indent="    ")]
    names: set[str] = set()
    for module, imported in [*top, *nested]:
        shown = imported or [module.lstrip(".").partition(".")[0]]
        kept = [n for n in shown if rng.random() < used_share] or shown[:1]
        names.update(n for n in kept if n)
    names.add("TYPE_CHECKING")
    follower = rng.choice(["def f():", "class C:", "# a comment\ndef f():", "X = 1", "@decorate\ndef f():"])
    body = follower.split("\n") + ([f"    return [{', '.join(sorted(names))}]"] if follower.endswith(":") else [])
    uses = [] if follower.endswith(":") else [f"Y = [{', '.join(sorted(names))}]"]
    return "\n".join([*lines, *[""] * rng.randint(0, 4), *body, *uses, ""])


def _cases(seed: int, count: int, *, used_share: float) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        yield _module(rng, used_share=used_share)


@pytest.mark.parametrize(
    ("select", "drop_unused", "used_share"),
    [("I", False, 1.0), ("I,F401,F811", True, 0.6)],
    ids=["sorted", "unused-dropped"],
)
def test_blocks_are_written_as_ruff_writes_them(
    tmp_path: Path, select: str, drop_unused: bool, used_share: float
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    texts = list(_cases(2026, 150, used_share=used_share))
    for i, text in enumerate(texts):
        (tmp_path / f"m{i}.py").write_text(text, encoding="utf-8")
    _ruff(tmp_path, select)
    changed_by_ruff = 0
    for i, text in enumerate(texts):
        expected = (tmp_path / f"m{i}.py").read_text(encoding="utf-8")
        changed_by_ruff += expected != text
        assert python_module(text, drop_unused=drop_unused) == expected, f"case {i}:\n{text}"
    assert changed_by_ruff > 100  # the cases are ones ruff rewrites, not ones already in order


def test_a_name_only_a_string_mentions_is_kept_for_ruff() -> None:
    text = 'from .models import Pet, Tag\n\n\ndef f():\n    """Returns a Tag."""\n    return Pet\n'
    assert python_module(text, drop_unused=True) == text  # ruff removes Tag after (a documented limit)
    assert python_module(text.replace("a Tag", "a pet"), drop_unused=True) == text.replace("Pet, Tag", "Pet").replace(
        "a Tag", "a pet"
    )


@pytest.mark.parametrize(
    "text",
    [
        "from .b import x  # a comment\nfrom .a import y\n\nZ = x, y\n",
        "from .b import *\nfrom .a import y\n\nZ = y\n",
        "from .b import x as x\nfrom .a import y\n\nZ = x, y\n",
        "from .b import (x,  # a comment\n    y)\nfrom .a import z\n\nZ = x, y, z\n",
    ],
    ids=["comment", "star", "alias", "comment-in-parentheses"],
)
def test_a_block_it_does_not_read_is_left_for_ruff(text: str) -> None:
    assert python_module(text, drop_unused=True) == text


def test_a_block_that_would_be_left_empty_is_left_for_ruff() -> None:
    text = "if TYPE_CHECKING:\n    from .b import x\n\nZ = 1\n"
    assert python_module(text, drop_unused=True) == text  # an `if` with no body would not compile


@pytest.fixture(scope="module")
def unfixed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The packages of the Fungies SDK, a large document and a corpus document as the templates print them: the
    post-hooks (ruff) not run."""
    root = tmp_path_factory.mktemp("unfixed")
    repo = copy_repo(root / "repo", apis=["fungies"], generated=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generate, "_post_hooks", lambda *_: None)
        assert main(["--root", str(repo.root), "generate", "fungies"]) == 0
        packages = {"fungies": repo.root / "generated" / "fungies-client" / "fungies_client"}
        for spec in (CORPUS / "large" / "k8s-apps-v1.json", CORPUS / "ory-kratos.json"):
            output = root / spec.stem
            assert main(["--root", str(repo.root), "generate", "--spec", str(spec), "--output", str(output)]) == 0
            (packages[spec.stem],) = [p for p in output.iterdir() if (p / "__init__.py").is_file()]
    return packages


@pytest.mark.slow
@pytest.mark.parametrize("name", ["fungies", "k8s-apps-v1", "ory-kratos"])
def test_ruff_finds_nothing_to_fix_in_the_endpoint_model_and_resource_modules(
    unfixed: dict[str, Path], name: str
) -> None:
    package = unfixed[name]
    printed = [
        p
        for folder in ("api", "models", "resources")
        for p in (package / folder).rglob("*.py")
        if p.name != "__init__.py"  # the models' exports: ruff's
    ]
    assert len(printed) > 20
    proc = subprocess.run(
        [ruff.find_ruff_bin(), "check", "--no-cache", "--select", "I,F401,F811", "--output-format", "json", *printed],
        cwd=package.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(proc.stdout)
    # What is left: a name imported for annotations that a string of the module mentions (an operation record's
    # model name), which python_module keeps (test_a_name_only_a_string_mentions_is_kept_for_ruff).
    left = [f for f in findings if not (f["code"] == "F401" and _mentioned_in_a_string(f))]
    assert left == [], [(f["filename"], f["code"], f["message"]) for f in left]


def _mentioned_in_a_string(finding: dict[str, str]) -> bool:
    """Whether the name a finding says is unused is a word of one of its module's strings."""
    name = finding["message"].split("`")[1].rpartition(".")[2]
    with open(finding["filename"], encoding="utf-8") as source:
        strings = [t.string for t in tokenize.generate_tokens(source.readline) if t.type == tokenize.STRING]
    return any(re.search(rf"\b{re.escape(name)}\b", string) for string in strings)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["fungies", "k8s-apps-v1", "ory-kratos"])
def test_ruff_leaves_every_model_module_as_printed_but_those_with_longer_lines(
    unfixed: dict[str, Path], name: str, tmp_path: Path
) -> None:
    """The model template prints the class body as ruff formats it (blank lines, `_aliases`, `_nullable`), so that the
    import check's interpreter compiles the models while the rest of the package is made; what it leaves to ruff is an
    annotation or a read longer than a line (Kubernetes apps: 19 of 193 modules)."""
    models = unfixed[name] / "models"
    formatted = tmp_path / "models"
    shutil.copytree(models, formatted)
    subprocess.run([ruff.find_ruff_bin(), "format", "--no-cache", "--line-length", "120", formatted], check=True)
    printed = {p.name: p.read_text("utf-8") for p in models.glob("*.py") if p.name != "__init__.py"}  # ruff's imports
    changed = [name for name, text in printed.items() if (formatted / name).read_text("utf-8") != text]
    short = [name for name in changed if max(len(line) for line in printed[name].splitlines()) <= 120]
    assert len(printed) > 20 and len(changed) < len(printed) and short == []
