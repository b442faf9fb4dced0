"""The escapes every template prints vendor text through (sdkpipeline.codegen.escape), on hostile and random text."""

from __future__ import annotations

import ast
import math
import re
import tomllib
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdkpipeline.codegen.escape import (
    _LONG_WORD,
    _escaped_each,
    _split_escaped_word,
    docstring,
    install,
    md_code,
    md_text,
    py_str,
    py_value,
    toml_key,
    toml_str,
)
from sdkpipeline.codegen.escape import _docstring_of as _docstring_escaped
from sdkpipeline.codegen.text import wordwrap

# Each closes, breaks or changes a string or docstring when printed as it is.
HOSTILE = [
    "a\"b\\c'd",
    '"""',
    'ends in a quote "',
    'ends in a quote and a space " ',
    '""',
    "\\",
    'x"""+__import__("os").system("id")+"""',
    "\x00NUL\rCR\nLF\u2028LS\u2029PS\x85NEL\x7fDEL\x0bVT\x0cFF",
    "\ud800 lone surrogate",
    "\u202egnp.exe bidi override, \u200b zero width",
    "{format} %s {{jinja}}",
    "a\\" + '"' * 90,
    "\\" * 200 + '"' * 100,
]
# Text from any code point, lone surrogates included.
TEXT = st.text(alphabet=st.characters(codec=None, categories=None))
FAST = settings(derandomize=True, max_examples=300, deadline=None)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_string_literal_is_the_text_exactly(text: str) -> None:
    assert ast.literal_eval(py_str(text)) == text


@FAST
@given(TEXT)
def test_a_string_literal_is_the_text_exactly_for_any_text(text: str) -> None:
    literal = py_str(text)
    assert ast.literal_eval(literal) == text
    literal.encode("utf-8")  # a file of generated code can hold it (a lone surrogate is an escape)


def _docstring_of(printed: str) -> str | None:
    """The docstring of a function whose docstring line is `printed`, if that is all the function holds."""
    tree = ast.parse(f'def f():\n    """{printed}"""\n')
    (function,) = tree.body
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 1
    return ast.get_docstring(function, clean=False)


def _wrapped(text: str, width: int) -> str:
    """As the templates print it: escaped, wrapped, indented (Jinja's wordwrap splits long words)."""
    return jinja2.Environment().from_string(f"{{{{ t | wordwrap({width}) | indent(8) }}}}").render(t=docstring(text))


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("width", [90, 100])
def test_nothing_ends_a_docstring(text: str, width: int) -> None:
    shown = _docstring_of(_wrapped(text, width))
    # What it says survives: wrapping moves whitespace only, and line endings become newlines.
    assert shown is not None and "".join(shown.split()) == "".join(text.split())


@FAST
@given(TEXT, st.sampled_from([90, 100, 112]))
def test_nothing_ends_a_docstring_for_any_text(text: str, width: int) -> None:
    assert _docstring_of(_wrapped(text, width)) is not None
    assert _docstring_of(_wrapped(text, width) + " (the raw response)") is not None


def test_templates_wrap_through_the_kept_wordwrap() -> None:
    """`install` sets every template's filters, the wrapper of codegen/text.py among them."""
    env = jinja2.Environment()
    install(env)
    assert env.filters["wordwrap"] is wordwrap


@FAST
@given(TEXT)
def test_a_kept_docstring_is_the_text_escaped_anew(text: str) -> None:
    assert docstring(text) == docstring(text) == _docstring_escaped.__wrapped__(text)


# Printable ASCII thick with what a docstring must escape: the text most descriptions are.
ASCII_AT_RISK = st.text(alphabet=st.sampled_from([*"\"\\ \t\nab`'", *"xyz.,"]), max_size=120)


@FAST
@given(ASCII_AT_RISK, st.sampled_from([90, 100, 112]))
def test_printable_ascii_is_escaped_as_each_character_would_be(text: str, width: int) -> None:
    """`_docstring_of` escapes printable ASCII with one pattern: the same as the character-by-character walk that
    every other text takes, and nothing in it ends a docstring or is lost."""
    escaped = _docstring_escaped.__wrapped__(text)
    assert escaped == _LONG_WORD.sub(_split_escaped_word, _escaped_each(text))
    shown = _docstring_of(_wrapped(text, width))
    assert shown is not None and "".join(shown.split()) == "".join(text.split())


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@FAST
@given(JSON)
def test_a_json_value_is_the_python_that_equals_it(value: Any) -> None:
    assert _same(
        eval(py_value(value), {"__builtins__": {"float": float}}), value
    )  # our own output, evaluated without builtins


def test_a_tuple_stays_a_tuple() -> None:
    assert (py_value((200,)), py_value(("data", "order")), py_value(())) == ("(200,)", '("data", "order")', "()")


@FAST
@given(TEXT)
def test_a_toml_string_holds_the_text(text: str) -> None:
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    assert tomllib.loads(f"v = {toml_str(text)}")["v"] == expected


@FAST
@given(TEXT)
def test_a_toml_key_names_the_text(text: str) -> None:
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    assert list(tomllib.loads(f"{toml_key(text)} = 1")) == [expected]


def test_a_toml_key_is_bare_where_toml_allows_it() -> None:
    assert (toml_key("Homepage"), toml_key("Bug tracker")) == ("Homepage", '"Bug tracker"')


@FAST
@given(TEXT)
def test_markdown_text_and_code_stay_on_one_line_without_markup(text: str) -> None:
    for printed in (md_text(text), md_code(text)):
        assert "\n" not in printed and "\r" not in printed and "\u2028" not in printed
    unescaped = re.sub(r"\\.", "", md_text(text))  # what is left once every backslash escape is taken out
    assert not set("\\`*_[]<>|&~") & set(unescaped)


def test_markdown_code_span_holds_backticks_and_pipes() -> None:
    assert md_code("a`b|c") == "``a`b\\|c``"
    assert md_text("*bold* <b>") == "\\*bold\\* \\<b\\>"
