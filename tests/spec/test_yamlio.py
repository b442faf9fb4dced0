"""Tests for sdkpipeline.yamlio: the depth guard on the parser's events and the line lookup, any style."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.spec.yamlio import MAX_DEPTH, Limits, lines_in, load_document, parse_document


def _nested(levels: int) -> str:
    """`levels` mappings inside the root one, in flow style: the innermost value is at depth levels + 1."""
    return "root: " + "{a: " * levels + "1" + "}" * levels + "\n"


def test_nesting_up_to_the_limit_loads() -> None:
    doc = parse_document(_nested(MAX_DEPTH - 1).encode(), file=Path("ok.yaml"))
    node = doc["root"]
    for _ in range(MAX_DEPTH - 1):
        node = node["a"]
    assert node == 1


def test_one_level_more_is_refused_with_its_place() -> None:
    with pytest.raises(PipelineError) as info:
        parse_document(_nested(MAX_DEPTH).encode(), file=Path("deep.yaml"))
    assert info.value.where == "/root/a/a"
    assert (
        info.value.message == f"nested deeper than {MAX_DEPTH} levels inside /root/a/a at line 1: not a reasonable spec"
    )


@pytest.mark.parametrize("levels", [10_000, 200_000])
def test_any_depth_is_refused_without_recursing(levels: int) -> None:
    # 200,000 levels overflowed the C composer's stack (SIGSEGV) before the guard ran on the events.
    with pytest.raises(PipelineError, match="nested deeper than"):
        parse_document(("x: " + "[" * levels + "]" * levels).encode(), file=Path("lists.yaml"))


def test_a_smaller_limit_for_other_documents() -> None:
    with pytest.raises(PipelineError, match="nested deeper than 2 levels inside /a/b/c at line 3"):
        parse_document(b"a:\n  b:\n    c: [1]\n", file=Path("x.yaml"), max_depth=2)


def test_nesting_is_reported_before_a_value_over_a_limit_earlier_in_the_document() -> None:
    """Depth and limits are checked in one walk of the events, and too deep a document is refused as such first."""
    text = b"a: " + b"9" * 1001 + b"\n" + _nested(MAX_DEPTH).encode()
    with pytest.raises(PipelineError, match="nested deeper than") as info:
        parse_document(text, file=Path("deep.yaml"))
    assert info.value.where == "/root/a/a"


def test_broken_yaml_is_reported_by_the_scan_with_its_place() -> None:
    with pytest.raises(PipelineError, match="not valid YAML") as info:
        parse_document(b"a: [1, 2\nb: 3\n", file=Path("x.yaml"))
    assert info.value.where is not None and info.value.where.startswith(":")


BLOCK = """\
openapi: 3.1.0
paths:
  /orders:
    get:
      responses:
        '200': {description: ok}
tags:
  - name: a
  - name: b
    x-list: [[1, 2], [3, {deep: [4]}]]
"""


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("/openapi", 1),
        ("/paths/~1orders/get/responses/200/description", 6),  # a quoted key, then a flow mapping
        ("/tags/1", 9),  # a list item: its own line
        ("/tags/1/x-list/1/1/deep/0", 10),  # flow lists and mappings on one line
        ("/tags/1/missing", None),
        ("/nothing", None),
    ],
)
def test_lines_in(tmp_path: Path, pointer: str, line: int | None) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(BLOCK, encoding="utf-8")
    assert lines_in(spec).get(pointer) == line


def test_lines_in_a_pointer_thousands_of_levels_down(tmp_path: Path) -> None:
    levels = 5_000
    spec = tmp_path / "deep.yaml"
    spec.write_text("x: 1\ndeep:\n  " + "{a: " * levels + "1" + "}" * levels + "\n", encoding="utf-8")
    assert lines_in(spec).get("/deep" + "/a" * levels) == 3


# --- limits: checked on the file's size and the parser's events, before any value is built ---------------------


@pytest.mark.parametrize(
    ("text", "found", "where"),
    [
        # a 5,000-digit integer stopped Python's int conversion with a traceback
        (b"info:\n  x: " + b"9" * 5000 + b"\n", "an integer of 5,000 digits at line 2", "/info/x"),
        (b"a: -0x" + b"f" * 1001 + b"\n", "an integer of 1,001 digits at line 1", "/a"),
        (b"a:\n  - '" + b"x" * 1_000_001 + b"'\n", "a value of 1,000,001 characters at line 2", "/a/0"),
        (b"? " + b"k" * 1025 + b"\n: 1\n", "a name of 1,025 characters at line 1", "/" + "k" * 1025),
        (b"get: {operationId: " + b"o" * 1025 + b"}\n", "a name of 1,025 characters at line 1", "/get/operationId"),
    ],
    ids=["integer", "hex integer", "scalar", "key", "operationId"],
)
def test_over_a_limit_is_refused_with_its_place_and_the_flag(text: bytes, found: str, where: str) -> None:
    with pytest.raises(PipelineError) as info:
        parse_document(text, file=Path("big.yaml"))
    assert info.value.message.startswith(found + ", over the limit of ")
    assert info.value.where == where
    assert info.value.hint is not None and "generate --max-" in info.value.hint


def test_at_the_limits_is_accepted_and_quoted_digits_are_text() -> None:
    text = b"a: " + b"9" * 1000 + b"\nb: '" + b"9" * 5000 + b"'\nc: " + b"x" * 1_000_000 + b"\n"
    doc = parse_document(text, file=Path("ok.yaml"))
    assert doc["a"] == int("9" * 1000) and doc["b"] == "9" * 5000 and len(doc["c"]) == 1_000_000


def test_a_raised_limit_admits_the_document() -> None:
    doc = parse_document(b"a: " + b"9" * 5000 + b"\n", file=Path("big.yaml"), limits=Limits(integer_digits=6000))
    assert doc["a"] % 10 == 9


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_bytes(b"a: '" + b"x" * 494 + b"'\n")
    with pytest.raises(PipelineError, match=r"the file is 500 bytes, over the limit of 499"):
        load_document(spec, limits=Limits(document_bytes=499))
    assert load_document(spec, limits=Limits(document_bytes=500)) == {"a": "x" * 494}


# --- one text read twice: each read parses it afresh (a caller that has the document hands it on) ---------------------


def test_a_document_read_again_is_its_own_copy() -> None:
    """The second read of the same text makes a document of its own: equal, and no change to the first reaches it."""
    text = b"info: {title: Shop}\npaths:\n  /a: {get: {x: [1, 2]}}\n"
    first = parse_document(text, file=Path("spec.yaml"))
    first["paths"]["/a"]["get"]["x"].append(3)
    first["info"]["title"] = "changed"
    second = parse_document(text, file=Path("spec.yaml"))
    assert second == {"info": {"title": "Shop"}, "paths": {"/a": {"get": {"x": [1, 2]}}}}
    second["info"]["title"] = "changed too"
    assert parse_document(text, file=Path("spec.yaml"))["info"]["title"] == "Shop"


def test_a_document_read_again_under_smaller_limits_is_checked_again() -> None:
    text = b"a: " + b"9" * 50 + b"\n"
    assert parse_document(text, file=Path("spec.yaml"))["a"] % 10 == 9
    with pytest.raises(PipelineError, match="an integer of 50 digits"):
        parse_document(text, file=Path("spec.yaml"), limits=Limits(integer_digits=10))


def test_the_garbage_collector_is_back_on_after_a_read_and_a_refusal() -> None:
    """It is paused while a document is read (nothing is garbage then), never left off."""
    assert gc.isenabled()
    parse_document(b"a: 1\n", file=Path("spec.yaml"))
    assert gc.isenabled()
    with pytest.raises(PipelineError):
        parse_document(_nested(MAX_DEPTH).encode(), file=Path("deep.yaml"))
    assert gc.isenabled()


def test_reading_yaml_leaves_no_loader_for_a_collection_to_free() -> None:
    """ruamel's loader refers to itself, a cycle that held its parser and what it read (Asana's: 18 MB) until a
    collection: parse_document collects the young objects after reading, as the run's collections no longer walk
    what exists once it has parsed (codegen/generate.py `_long_lived`)."""

    def loaders() -> int:
        return sum(1 for o in gc.get_objects() if type(o).__name__ == "XLoader")

    enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # as during a run's reading: no collection comes by chance
    try:
        before = loaders()
        parse_document(b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", file=Path("t.yaml"))
        assert loaders() == before
    finally:
        if enabled:
            gc.enable()
