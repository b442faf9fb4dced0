"""A Python type annotation as a typed tree (gapic-generator-python's `PythonType`, for annotations).

The generator spells each type as text (`list[Order] | None | Unset`); the SDK model reads that text once, with
`ast`, into a `PyType`, and every rule about annotations works on the tree: a union with each member once, an
enum widened to accept its values, `list[...]` qualified where a method named `list` shadows the builtin, the
names an annotation needs imported, a Literal's values. `str()` prints it back as Python.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import PipelineError
from .escape import py_value

__all__ = ["LiteralValue", "PyType"]

LiteralValue = str | int | bool | None


@dataclass(frozen=True)
class PyType:
    """A name with its subscript arguments (`Mapping[str, Any]`), a `Literal[...]` with its values, or a union
    (`name` empty) of its members in `args`, each once and none itself a union."""

    name: str = ""
    args: tuple[PyType, ...] = ()
    values: tuple[LiteralValue, ...] = ()  # a Literal's values

    @classmethod
    def parse(cls, text: str) -> PyType:
        """The tree of an annotation the generator printed (or the SDK model spelled)."""
        return _parsed(text)

    @classmethod
    def named(cls, name: str, *args: PyType) -> PyType:
        return cls(name=name, args=args)

    @classmethod
    def literal(cls, values: tuple[LiteralValue, ...]) -> PyType:
        return cls(name="Literal", values=values)

    @classmethod
    def union(cls, *types: PyType | str) -> PyType:
        """The union of these types, each member once, in the order first met (`str | UUID`, `str` → `str | UUID`)."""
        members: list[PyType] = []
        for item in types:
            for member in (PyType.parse(item) if isinstance(item, str) else item).members:
                if member not in members:
                    members.append(member)
        return members[0] if len(members) == 1 else cls(args=tuple(members))

    @property
    def is_union(self) -> bool:
        return not self.name

    @property
    def members(self) -> tuple[PyType, ...]:
        """The members of a union; a type that is no union is its own only member."""
        return self.args if self.is_union else (self,)

    @property
    def is_list(self) -> bool:
        return self.name in ("list", "builtins.list")

    def walk(self) -> Iterator[PyType]:
        """This type and every type inside it."""
        yield self
        for arg in self.args:
            yield from arg.walk()

    def names(self) -> frozenset[str]:
        """The names the annotation uses (`Order`, `datetime.date`, `Literal`): what it needs in scope."""
        return frozenset(t.name for t in self.walk() if t.name)

    def literal_values(self) -> tuple[LiteralValue, ...]:
        """The values of every Literal in it, in order."""
        return tuple(v for t in self.walk() if t.name == "Literal" for v in t.values)

    def replace(self, change: Callable[[PyType], PyType | None]) -> PyType:
        """This type with each part for which `change` gives a type replaced (inner parts first), unions kept
        canonical (a member replaced by a union is spread into the enclosing one, each member once)."""
        rebuilt = PyType(self.name, tuple(arg.replace(change) for arg in self.args), self.values)
        if rebuilt.is_union:
            rebuilt = PyType.union(*rebuilt.args)
        elif rebuilt.args and rebuilt.name != "Literal":
            rebuilt = PyType(rebuilt.name, tuple(PyType.union(a) for a in rebuilt.args), rebuilt.values)
        return change(rebuilt) or rebuilt

    def __str__(self) -> str:
        if self.is_union:
            return " | ".join(str(m) for m in self.args)
        if self.name == "Literal":
            return f"Literal[{', '.join(py_value(v) for v in self.values)}]"
        if self.args:
            return f"{self.name}[{', '.join(str(a) for a in self.args)}]"
        return self.name


def _from_ast(node: ast.expr, text: str) -> PyType:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return PyType.union(_from_ast(node.left, text), _from_ast(node.right, text))
    if isinstance(node, ast.Constant) and node.value is None:
        return PyType("None")
    if isinstance(node, ast.Name | ast.Attribute):
        return PyType(ast.unparse(node))
    if isinstance(node, ast.Subscript):
        name = ast.unparse(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if name == "Literal":
            values = [i.value for i in items if isinstance(i, ast.Constant)]
            if len(values) != len(items) or not all(v is None or isinstance(v, str | int) for v in values):
                raise PipelineError(f"a Literal of something but strings, numbers and None: {text!r}")
            return PyType.literal(tuple(v for v in values if v is None or isinstance(v, str | int)))
        return PyType(name, tuple(_from_ast(i, text) for i in items))
    raise PipelineError(f"an annotation the SDK model does not read: {ast.unparse(node)!r} in {text!r}")


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> PyType:
    """`PyType.parse`, once per text: a tree is immutable, and a document spells the same few annotations again and
    again (Kubernetes apps: 2,500 parses of a few hundred texts)."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise PipelineError(f"not a Python annotation: {text!r}") from None
    return _from_ast(node, text)
