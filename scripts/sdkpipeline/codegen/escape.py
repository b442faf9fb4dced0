"""How text from a vendor document is printed into generated files: as data, never as code or markup.

A vendor document is untrusted input. Every value the templates print from it goes through one of these
functions, registered as the Jinja filters of every template (`install`):

- `py_str`: any value's text as a complete Python string literal, exact (`ast.literal_eval` gives the text
  back): quotes, backslashes, control characters, `\\r`, U+2028/U+2029, NUL, lone surrogates are escaped.
- `py_value`: a JSON value (a default, a const) as the Python expression that equals it.
- `docstring`: text inside a triple-quoted docstring; nothing in it can close the docstring or change
  what follows (every backslash is escaped, and every quote that could meet another or the closing quotes,
  and every invisible or line-breaking character).
- `md_text`, `md_code`: text and an inline code span in the package README (one line, no markup).
- `toml_str`: a TOML basic string (the package's pyproject.toml).

The generator's own filters `safe_for_docstring` and `in_double_quote_literal` are rebound to these, so its
templates that the pipeline does not override print through them too.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .text import wordwrap

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["FILTERS", "docstring", "install", "md_code", "md_text", "py_str", "py_value", "text_of", "toml_str"]


def text_of(value: object) -> str:
    """The text of a value: the generator's UntrustedString and PythonCode unwrapped, anything else `str()`."""
    for unwrap in ("get_untrusted_value", "as_unembedded_code"):
        get = getattr(value, unwrap, None)
        if callable(get):
            return str(get())
    return value if isinstance(value, str) else str(value)


# Invisible or line-breaking categories: controls, format characters (bidi overrides, zero widths), line and
# paragraph separators, surrogates, private use, unassigned.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_PLAIN = re.compile(r"[ !#-\[\]-~]*")  # printable ASCII but `"` and `\`: nothing to escape


def _code_point(char: str) -> str:
    cp = ord(char)
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}"


def py_str(value: object) -> str:
    """`value`'s text as a double-quoted Python string literal that evaluates to exactly that text."""
    text = text_of(value)
    if _PLAIN.fullmatch(text):
        return f'"{text}"'
    out = []
    for char in text:
        escaped = _LITERAL_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(_code_point(char))
    return '"' + "".join(out) + '"'


def py_value(value: Any) -> str:
    """A JSON value (string, number, boolean, null, list, object) as the Python expression that equals it."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f'float("{value}")'
    if isinstance(value, tuple):
        items = [py_value(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{py_str(k)}: {py_value(v)}" for k, v in value.items()) + "}"
    return py_str(value)


# A quote beside another, or followed by nothing but whitespace.
_QUOTE_AT_RISK = re.compile(r'"(?=")|"(?=\s*\Z)')
# What `_docstring_of` escapes in printable ASCII, tabs and newlines: a backslash, a quote at risk.
_DOCSTRING_AT_RISK = re.compile(r"\\|" + _QUOTE_AT_RISK.pattern)
_PRINTABLE_ASCII = re.compile(r"[\t\n -~]*")


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group()


# Escaped words stay shorter than the narrowest `wordwrap` of the templates, so wrapping never splits an
# escape (`\` at the end of a line would join it with the next: the escape would change).
MAX_ESCAPED_WORD = 76
_LONG_WORD = re.compile(rf"\S{{{MAX_ESCAPED_WORD + 1},}}")


def docstring(value: object) -> str:
    """Text to print inside `\"\"\"...\"\"\"`: what it says stays readable, and nothing in it ends the docstring.

    Every backslash is escaped, and every `"` that could meet another (`""`) or the closing quotes (the last
    one before nothing but whitespace, which wrapping may strip); line endings become newlines, and
    characters that are invisible or break lines elsewhere (NUL, bidi overrides, U+2028) are escapes.
    """
    return _docstring_of(text_of(value))


# A large document's templates escape the same text many times (an endpoint's docstring is printed four times).
@functools.lru_cache(maxsize=1 << 14, typed=True)
def _docstring_of(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _PLAIN.fullmatch(text.replace("\n", " ")):
        return text
    # Printable ASCII (most descriptions) has nothing hidden: only backslashes and the quotes at risk change, found
    # by one pattern rather than a character at a time (Kubernetes apps' 130 such docstrings: 0.029 s → 0.001 s).
    escaped = _DOCSTRING_AT_RISK.sub(_backslashed, text) if _PRINTABLE_ASCII.fullmatch(text) else _escaped_each(text)
    return _LONG_WORD.sub(_split_escaped_word, escaped)


def _escaped_each(text: str) -> str:
    out = []
    for index, char in enumerate(text):
        if char == "\\" or (char == '"' and _QUOTE_AT_RISK.match(text, index)):
            out.append("\\" + char)
        elif char in "\n\t" or unicodedata.category(char) not in _HIDDEN:
            out.append(char)
        else:
            out.append(_code_point(char))
    return "".join(out)


# One unit of escaped text: an escape as `docstring` writes them, or one character.
_UNIT = re.compile(r"\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)|.", re.S)


def _split_escaped_word(match: re.Match[str]) -> str:
    """A long word with escapes, in lines no longer than MAX_ESCAPED_WORD, each cut between two whole escapes."""
    word = match.group()
    if "\\" not in word:
        return word
    lines, line = [], ""
    for unit in _UNIT.findall(word):
        if len(line) + len(unit) > MAX_ESCAPED_WORD:
            lines.append(line)
            line = ""
        line += unit
    return "\n".join([*lines, line])


# What starts markup inside a line: emphasis, code, links and images, HTML and entities, table cells,
# strikethrough (line-start markers such as `#` or `-` never apply: the text is printed inside a line).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~])")


def _one_line(value: object) -> str:
    text = " ".join(text_of(value).split())
    return "".join(c if unicodedata.category(c) not in _HIDDEN else _code_point(c) for c in text)


def md_text(value: object) -> str:
    """Plain text inside a line of Markdown: one line, every character that would start markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(value))


def md_code(value: object) -> str:
    """An inline code span (with its backticks) showing the text as it is, on one line; `|` is escaped for tables."""
    text = _one_line(value).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def toml_str(value: object) -> str:
    """A TOML basic string (with its quotes) holding the text; a lone surrogate, which TOML cannot hold, is U+FFFD."""
    text = "".join("\ufffd" if unicodedata.category(c) == "Cs" else c for c in text_of(value))
    # JSON's escapes are TOML's, but for DEL, which TOML wants escaped and JSON does not.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(value: object) -> str:
    """A TOML key for the text: bare when TOML allows it (`Homepage`), else a quoted one."""
    text = text_of(value)
    return text if _BARE_KEY.fullmatch(text) else toml_str(text)


FILTERS: dict[str, Callable[..., str]] = {
    "py_str": py_str,
    "py_value": py_value,
    "docstring": docstring,
    "md_text": md_text,
    "md_code": md_code,
    "toml_str": toml_str,
    "toml_key": toml_key,
}


def install(env: Environment) -> None:
    """Register the escapes as filters, make the generator's own escaping filters print through them, and wrap
    through codegen/text.py."""
    env.filters.update(FILTERS)
    # The generator's templates that the pipeline does not override (endpoint_macros.py.jinja, ...) use
    # these two names: they now print through the same functions as ours.
    env.filters["safe_for_docstring"] = docstring
    env.filters["in_double_quote_literal"] = lambda value: py_str(value)[1:-1]
    # Not an escape: the one place every template's filters are set, so the kept wrapper (Jinja's text) is set here.
    env.filters["wordwrap"] = wordwrap
