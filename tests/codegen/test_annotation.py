"""Tests for sdkpipeline.codegen.annotation: type annotations as trees, the one reading of the generator's types."""

from __future__ import annotations

import pytest

from sdkpipeline.codegen.annotation import PyType
from sdkpipeline.errors import PipelineError


@pytest.mark.parametrize(
    "text",
    [
        "str",  # a name
        "None | str | Unset",  # a union keeps its order
        "list[Order] | Unset",
        "Mapping[str, Any]",  # several arguments
        "datetime.date | None",  # a dotted name
        'Literal["PAID", "UNPAID"]',
        'list[Currency | Literal["EUR", 1, None]] | None',  # values printed by the one string escape
        "builtins.list[Order]",
    ],
)
def test_an_annotation_prints_back_as_it_was_read(text: str) -> None:
    assert str(PyType.parse(text)) == text


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        (("str", "str | UUID"), "str | UUID"),  # each member once, first met first
        (("list[A | B] | None", "None"), "list[A | B] | None"),
        (('Literal["a|b"]', 'Literal["a|b"]'), 'Literal["a|b"]'),  # a `|` inside a literal is no union
        (("A | B", "B | C", "A"), "A | B | C"),
    ],
)
def test_union_keeps_each_member_once(types: tuple[str, ...], expected: str) -> None:
    assert str(PyType.union(*types)) == expected


def test_a_union_of_one_member_is_that_member() -> None:
    assert PyType.union("str", "str") == PyType("str")
    assert not PyType.union("str").is_union


def test_replace_widens_a_name_wherever_it_stands_and_keeps_unions_flat() -> None:
    """An enum widened to its values inside a list and at the top: no nested or repeated members."""
    widened = {"Status": PyType.union("Status", "Literal['A', 'B']"), "UUID": PyType.union("str", "UUID")}
    annotation = PyType.parse("list[Status] | Status | str | UUID | Unset")
    result = annotation.replace(lambda t: widened.get(t.name) if not t.args and not t.values else None)
    assert str(result) == 'list[Status | Literal["A", "B"]] | Status | Literal["A", "B"] | str | UUID | Unset'


def test_replace_can_qualify_a_subscripted_builtin_only() -> None:
    """`list[X]` becomes `builtins.list[X]` where a method named `list` shadows it; a bare `list` is left alone."""
    annotation = PyType.parse("list[list[int]] | list | dict[str, int]")
    result = annotation.replace(lambda t: PyType(f"builtins.{t.name}", t.args) if t.name == "list" and t.args else None)
    assert str(result) == "builtins.list[builtins.list[int]] | list | dict[str, int]"


def test_names_and_literal_values_read_the_whole_tree() -> None:
    annotation = PyType.parse("list[Order | Literal['x', 2]] | datetime.date | None")
    assert annotation.names() == {"list", "Order", "Literal", "datetime.date", "None"}
    assert annotation.literal_values() == ("x", 2)
    assert annotation.members[0].is_list and not annotation.members[1].is_list


@pytest.mark.parametrize("text", ["list[", "f(x)", "Literal[Order]", "1 + 2"])
def test_what_is_no_annotation_is_refused_naming_it(text: str) -> None:
    with pytest.raises(PipelineError, match=r"annotation|Literal"):
        PyType.parse(text)


def test_a_text_is_parsed_once_and_a_bad_one_refused_every_time() -> None:
    # Kubernetes apps parses a few dozen texts 2,500 times: the tree (immutable) is kept per text.
    assert PyType.parse("list[Order] | None | Unset") is PyType.parse("list[Order] | None | Unset")
    for _ in range(2):
        with pytest.raises(PipelineError, match="not a Python annotation"):
            PyType.parse("list[")
