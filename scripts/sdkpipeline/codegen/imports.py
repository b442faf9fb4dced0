"""A generated module's imports, written as the post-hooks' `ruff check --fix-only` would leave them.

The endpoint, model and resource templates print their imports as they come (the generator's `relative_imports`, a
fixed block of runtime names), and ruff's isort and unused-import fixes used to rewrite almost every module: on
Kubernetes apps' package, `ruff check --fix-only` took 0.08-0.11 s where the same files already fixed take 0.03 s.
`python_module` (a Jinja filter the three templates wrap their text in) writes the blocks of imports a module starts
and ends with the way ruff's isort sorts them with the package's settings (pyproject.toml: `select = ["F", "I",
"UP"]`, line length 120): sections (future, standard library, third party, local) one blank line apart, `import x`
before `from x import y`, relative imports furthest first, modules and names in natural order, case-insensitively,
names as constants, classes, then the rest; one statement per module; and leaves out a name the module never mentions.

Ruff still runs after it, unchanged: what this leaves that ruff would write otherwise (a form it does not read, a
name only a string mentions), ruff writes, so the output is the same either way; `tests/codegen/test_imports.py`
compares it with ruff on made-up blocks, and checks that ruff finds nothing else to fix in what the templates print.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field

LINE_LENGTH = 120  # the package's ruff `line-length` (templates/pyproject.toml.jinja)

_STATEMENT = re.compile(r"^(?:from\s+(?P<module>\.*[\w.]*)\s+import\s+(?P<names>.+)|import\s+(?P<plain>[\w.]+))$")
_NAME = re.compile(r"^\w+$")  # a name; an alias (`x as y`) is a statement of its own in ruff's isort
_DIGITS = re.compile(r"\d+")
_SECTIONS = ("future", "stdlib", "third_party", "local")


@dataclass
class _Statement:
    module: str  # "" for `from . import x`
    level: int  # the leading dots of a relative import
    plain: bool  # `import module`
    names: dict[str, None] = field(default_factory=dict)  # in order, once each

    @property
    def section(self) -> str:
        if self.level:
            return "local"
        top = self.module.partition(".")[0]
        if top == "__future__":
            return "future"
        return "stdlib" if top in sys.stdlib_module_names else "third_party"


def python_module(text: str, *, drop_unused: bool = False) -> str:
    """`text` with its blocks of imports written as ruff's isort writes them: those it starts with (after its
    docstring; nested under `if TYPE_CHECKING:` too) and those it ends with. With `drop_unused`, a name the rest of
    the module never mentions is left out (not for an `__init__` module, whose imports are what it exports); a name
    mentioned only in a string or a docstring is kept, and ruff removes it after (finding the strings would cost
    more than ruff's fix).

    A block holding anything but plain imports (a comment, a star, a continuation this does not read), or one that
    would be left empty, is left as it is, for ruff; so are imports between other statements. An absolute import of
    the package itself would be sorted as a third party's (ruff puts it in a section of its own after), so the
    output would still be ruff's; the templates import the package relatively."""
    lines = text.split("\n")
    blocks = _blocks(lines)
    if not blocks:
        return text
    rest = None
    if drop_unused:  # the module's text outside its import blocks
        starts, ends = [0, *(end for _, end, _ in blocks)], [*(start for start, _, _ in blocks), None]
        rest = "\n".join("\n".join(lines[a:b]) for a, b in zip(starts, ends, strict=True))
    out: list[str] = []
    at = 0
    for start, end, indent in blocks:
        statements = _parsed(lines[start:end], indent)
        if statements is None:
            continue
        written = _written(statements, used=rest, width=LINE_LENGTH - len(indent))
        if not written:
            continue
        out.extend(lines[at:start])
        out.extend(indent + line if line else "" for line in written)
        at = end
        if indent:
            continue  # what follows a nested block is left as it is
        # Blank lines after the block: two before a definition (a comment atop it is the definition's), else one
        # (ruff's `lines-after-imports = -1`); none added at the end of the module.
        following = end
        while following < len(lines) and not lines[following].strip():
            following += 1
        statement = following
        while statement < len(lines) and lines[statement].startswith("#"):
            statement += 1
        if statement < len(lines):
            out.extend([""] * (2 if lines[statement].startswith(("def ", "class ", "async def ", "@")) else 1))
            at = following
    out.extend(lines[at:])
    return "\n".join(out)


def _blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, indentation) of the runs of import statements at one indentation that `lines` start with (past
    a docstring, blank lines and comments; under `if TYPE_CHECKING:` too) and end with (top-level ones), blank lines
    between statements and a parenthesized statement's lines included. The rest is not read."""
    blocks: list[tuple[int, int, str]] = []
    i = 0
    if lines and lines[0].startswith('"""'):  # the module's docstring
        i = 1 if lines[0].count('"""') > 1 else next((j + 1 for j, x in enumerate(lines) if j and '"""' in x), 0)
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#") or line == "if TYPE_CHECKING:":
            i += 1
            continue
        if not stripped.startswith(("import ", "from ")):
            break
        indent = line[: len(line) - len(stripped)]
        end = i + 1
        if line.endswith("("):  # through its closing parenthesis
            end = next((j + 1 for j in range(i + 1, len(lines)) if lines[j] == indent + ")"), 0)
            if not end:
                return blocks
        _extend(blocks, lines, i, end, indent)
        i = end
    first_free = blocks[-1][1] if blocks else i
    j = len(lines)
    while j > first_free and (not lines[j - 1].strip() or lines[j - 1].startswith(("import ", "from "))):
        j -= 1
    trailing = [k for k in range(j, len(lines)) if lines[k].strip()]
    for k in trailing:
        _extend(blocks, lines, k, k + 1, "")
    return blocks


def _extend(blocks: list[tuple[int, int, str]], lines: list[str], start: int, end: int, indent: str) -> None:
    """Add a statement's lines to the last block, when only blank lines part them at its indentation, or as a new
    block."""
    if blocks:
        last_start, last_end, last_indent = blocks[-1]
        if last_indent == indent and not any(x.strip() for x in lines[last_end:start]):
            blocks[-1] = (last_start, end, indent)
            return
    blocks.append((start, end, indent))


def _parsed(lines: list[str], indent: str) -> list[_Statement] | None:
    """The block's statements, merged by module; None for a block this does not read."""
    merged: dict[tuple[str, int, bool], _Statement] = {}
    joined: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if joined and "(" in joined[-1] and not joined[-1].endswith(")"):  # inside a parenthesized statement
            joined[-1] += " " + line.strip()
        else:
            joined.append(line.removeprefix(indent).rstrip())
    for statement_text in joined:
        if "(" in statement_text:  # `from x import (a, b,)`
            head, _, rest = statement_text.partition("(")
            if not rest.endswith(")"):
                return None
            statement_text = head.rstrip() + " " + rest[:-1].strip().rstrip(",")
        match = _STATEMENT.match(statement_text)
        if match is None:
            return None
        if match["plain"] is not None:
            key = (match["plain"], 0, True)
            merged.setdefault(key, _Statement(module=match["plain"], level=0, plain=True))
            continue
        dotted = match["module"]
        module = dotted.lstrip(".")
        level = len(dotted) - len(module)
        statement = merged.setdefault((module, level, False), _Statement(module=module, level=level, plain=False))
        for part in match["names"].split(","):
            name = part.strip()
            if not _NAME.match(name):
                return None  # a star, a comment, an alias: ruff's
            statement.names[name] = None
    return list(merged.values())


def _written(statements: list[_Statement], *, used: str | None, width: int) -> list[str]:
    """The block's lines (an empty one between sections); with `used` (the module's text outside its import blocks),
    only the names it mentions."""
    sections: dict[str, list[_Statement]] = {}
    for statement in statements:
        if used is not None and statement.module != "__future__":
            if statement.plain:
                if not _mentions(used, statement.module.partition(".")[0]):
                    continue
            else:
                statement.names = {name: None for name in statement.names if _mentions(used, name)}
                if not statement.names:
                    continue
        sections.setdefault(statement.section, []).append(statement)
    written: list[str] = []
    for section in _SECTIONS:
        members = sections.get(section)
        if not members:
            continue
        if written:
            written.append("")
        plain = sorted((s for s in members if s.plain), key=lambda s: _module_key(s.module, 0))
        froms = sorted((s for s in members if not s.plain), key=lambda s: _module_key(s.module, s.level))
        written.extend(f"import {s.module}" for s in plain)
        for statement in froms:
            written.extend(_from_lines(statement, width=width))
    return written


def _mentions(code: str, name: str) -> bool:
    """Whether `name` is a word of `code` (not part of a longer name)."""
    at = code.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not _is_name_char(code[at - 1])) and (end == len(code) or not _is_name_char(code[end])):
            return True
        at = code.find(name, end)
    return False


def _is_name_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _from_lines(statement: _Statement, *, width: int) -> list[str]:
    shown = sorted(statement.names, key=_member_key)
    head = f"from {'.' * statement.level}{statement.module} import "
    line = head + ", ".join(shown)
    if len(line) <= width:
        return [line]
    return [head + "(", *(f"    {name}," for name in shown), ")"]


@functools.cache
def _natural(text: str) -> str:
    """A key in natural order (ruff's `natord`): each run of digits compares by its number (zero-padded to one
    width), every other character by its code."""
    return _DIGITS.sub(lambda digits: digits[0].zfill(20), text) if any(c.isdigit() for c in text) else text


def _module_key(module: str, level: int) -> tuple[object, ...]:
    # Furthest first (`...` before `..` before `.`); `from . import x` (no module) before `from .a import x`.
    return (-level, module != "", _natural(module.lower()), _natural(module))


@functools.cache
def _member_key(name: str) -> tuple[object, ...]:
    if len(name) > 1 and name.isupper():
        kind = 0  # a constant
    elif name[:1].isupper():
        kind = 1  # a class
    else:
        kind = 2
    return (kind, _natural(name.lower()), _natural(name))
