"""Wrapping text for docstrings: `wrap`, and Jinja's `wordwrap` filter through it for every template.

Wrapping only moves whitespace; what makes vendor text safe to print is codegen/escape.py, applied before.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import textwrap
from typing import TYPE_CHECKING

from jinja2 import pass_environment

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["fill_lines", "wordwrap", "wrap"]


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


# textwrap's own: how it turns whitespace into spaces, and where it may break a line (between words, after a hyphen
# inside a word).
_SPACES = textwrap.TextWrapper.unicode_whitespace_trans
_BREAKS = textwrap.TextWrapper.wordsep_re
_SPACE_RUNS = textwrap.TextWrapper.wordsep_simple_re  # the same breaks in a text without hyphens, and quicker


def fill_lines(text: str, width: int) -> list[str]:
    """`textwrap.wrap(text, width, break_long_words=False)`, line for line, in a tenth of the Python steps.

    textwrap moves one piece (a word, a space, the part of a word up to a hyphen) at a time onto the line; this
    finds where each line ends with a bisection of the pieces' running lengths. Model fields' descriptions are
    wrapped so on the generator's side of a run (Kubernetes apps: 865 descriptions, 0.05 s with textwrap).
    tests/codegen/test_text.py compares the two on made-up texts and on every description of the corpus.
    """
    text = text.expandtabs(8).translate(_SPACES)
    pieces = [piece for piece in (_BREAKS if "-" in text else _SPACE_RUNS).split(text) if piece]
    ends = list(itertools.accumulate(map(len, pieces), initial=0))  # ends[k]: the length of pieces[:k]
    lines: list[str] = []
    i, count = 0, len(pieces)
    while i < count:
        if lines and pieces[i].isspace():  # a line starts with no space (but the text's first line may)
            i += 1
            if i == count:
                break
        # The most pieces from i that fit; a piece longer than a line goes on a line of its own.
        k = bisect.bisect_right(ends, ends[i] + width, lo=i) - 1
        if k == i:
            k = i + 1
        j = k - 1 if pieces[k - 1].isspace() else k  # nor ends with one
        if j > i:
            lines.append("".join(pieces[i:j]))
        i = k
    return lines
