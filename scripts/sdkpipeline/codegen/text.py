"""Wrapping text for docstrings: `wrap`, and Jinja's `wordwrap` filter through it for every template.

Wrapping only moves whitespace; what makes vendor text safe to print is codegen/escape.py, applied before.
"""

from __future__ import annotations

import functools
import textwrap
from typing import TYPE_CHECKING

from jinja2 import pass_environment

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["wordwrap", "wrap"]


@functools.lru_cache(maxsize=1 << 14, typed=True)
def wrap(
    text: str, width: int, newline: str = "\n", break_long_words: bool = True, break_on_hyphens: bool = True
) -> str:
    """Each line of `text` wrapped at `width` on its own (a paragraph the spec broke stays broken), the lines
    joined by `newline`: what Jinja's `wordwrap` filter gives, kept per text and width (an endpoint's docstring
    is printed four times, and a large document repeats its descriptions)."""
    return newline.join(
        newline.join(
            textwrap.wrap(
                line,
                width=width,
                expand_tabs=False,
                replace_whitespace=False,
                break_long_words=break_long_words,
                break_on_hyphens=break_on_hyphens,
            )
        )
        for line in text.splitlines()
    )


@pass_environment
def wordwrap(
    environment: Environment,
    text: str,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    """Jinja's `wordwrap` filter (same arguments, same text) through `wrap`."""
    newline = environment.newline_sequence if wrapstring is None else wrapstring
    return wrap(text, width, newline, break_long_words, break_on_hyphens)
