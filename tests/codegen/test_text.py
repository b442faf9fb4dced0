"""Wrapping docstring text (sdkpipeline.codegen.text): `wrap`, and the kept `wordwrap` filter giving Jinja's text."""

from __future__ import annotations

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from sdkpipeline.codegen.text import wordwrap, wrap

# Text from any code point, lone surrogates included.
TEXT = st.text(alphabet=st.characters(codec=None, categories=None))
FAST = settings(derandomize=True, max_examples=300, deadline=None)


def test_each_line_is_wrapped_on_its_own() -> None:
    """A paragraph the spec broke stays broken; a long line is cut at the width, between words."""
    assert wrap("one two three\nfour", 8) == "one two\nthree\nfour"
    assert wrap("one two three\nfour", 8, "\n    ") == "one two\n    three\n    four"


def _wordwraps(text: str, width: int, flags: str) -> tuple[str, str]:
    """`text` through Jinja's own `wordwrap` filter and through the kept one, twice (the second from the cache)."""
    template = f"{{{{ t | wordwrap({width}{flags}) }}}}"
    ours = jinja2.Environment()
    ours.filters["wordwrap"] = wordwrap
    theirs = jinja2.Environment().from_string(template).render(t=text)
    first, second = (ours.from_string(template).render(t=text) for _ in range(2))
    assert first == second
    return first, theirs


@FAST
@given(
    # Words, hyphens, spaces, tabs and line breaks, words longer than the width; and any text.
    st.lists(st.sampled_from([" ", "\n", "\t", "-", "a", "bc", "é", "\r", "x" * 30]), max_size=80).map("".join) | TEXT,
    st.sampled_from([1, 5, 20, 90, 100]),
    st.sampled_from(["", ", break_long_words=false", ', wrapstring="\\n    "', ", break_on_hyphens=false"]),
)
def test_the_kept_wordwrap_is_jinjas(text: str, width: int, flags: str) -> None:
    ours, theirs = _wordwraps(text, width, flags)
    assert ours == theirs
