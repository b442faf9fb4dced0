"""Wrapping docstring text (sdkpipeline.codegen.text): `wrap`, the kept `wordwrap` filter giving Jinja's text, and
`fill_lines` giving textwrap's."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from sdkpipeline.codegen.text import fill_lines, wordwrap, wrap
from sdkpipeline.spec.yamlio import load_document

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


# Pieces textwrap treats apart: hyphens inside words and between them, em-dashes, tabs, runs of spaces, a word
# longer than any line, a leading space, a no-break space.
_PIECES = ["a", "word", "api-concepts", "x--y", "--", "-", "foo-bar-baz", "http://e.com/a-b/c", "\t", "  ", "e.g."]
_PIECES += ["Don't", "a-", "-b", "1-2", "x" * 130, "é-à", "(see", "end.)", "co-op", "well--known", "\u00a0", " "]


def test_fill_lines_is_textwraps_wrap() -> None:
    rng = random.Random(2026)
    checked = hyphenated = 0
    for _ in range(5000):
        text = "".join(rng.choice(_PIECES) + rng.choice([" ", " ", "", "\t", " - "]) for _ in range(rng.randint(0, 50)))
        width = rng.choice([10, 20, 40, 80, 108, 112])
        assert fill_lines(text, width) == textwrap.wrap(text, width, break_long_words=False), (text, width)
        checked += 1
        hyphenated += "-" in text
    assert checked == 5000 and 1000 < hyphenated < 5000  # both ways of breaking were taken


@given(text=TEXT, width=st.integers(min_value=1, max_value=120))
@FAST
def test_fill_lines_is_textwraps_wrap_for_any_text(text: str, width: int) -> None:
    assert fill_lines(text, width) == textwrap.wrap(text, width, break_long_words=False)


def test_fill_lines_is_textwraps_wrap_for_every_description_of_the_corpus() -> None:
    paragraphs = [line for text in _corpus_texts() for line in text.splitlines()]
    assert len(paragraphs) > 20_000
    for width in (108, 112):
        assert [fill_lines(p, width) for p in paragraphs] == [
            textwrap.wrap(p, width, break_long_words=False) for p in paragraphs
        ]


def _corpus_texts() -> list[str]:
    """Every description, title and summary of the documents in tests/data/corpus (large ones too)."""
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "title", "summary") and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    for document in sorted([*corpus.glob("*.*"), *(corpus / "large").glob("*.*")]):
        if document.suffix in (".yaml", ".json"):
            walk(load_document(document))
    return texts
