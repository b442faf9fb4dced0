"""What the loader keeps as the author's text (spec/yamlio.py): YAML timestamps and mapping keys, which JSON, and
so OpenAPI, holds as strings; and the line index that error messages read."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.spec.yamlio import lines_in, parse_document


def _load(text: str) -> dict[str, object]:
    return parse_document(text.encode(), file=Path("spec.yaml"))


def test_an_unquoted_date_or_timestamp_is_the_text_written() -> None:
    doc = _load("a: 2024-01-31\nb: 2001-12-14t21:59:43.10-05:00\nc: '2024-01-31'\n")
    assert doc == {"a": "2024-01-31", "b": "2001-12-14t21:59:43.10-05:00", "c": "2024-01-31"}


def test_every_mapping_key_is_the_text_written() -> None:
    doc = _load("responses: {200: ok, 404: gone, true: yes, null: none, 1.50: f}\n")
    assert doc == {"responses": {"200": "ok", "404": "gone", "true": "yes", "null": "none", "1.50": "f"}}


def test_values_keep_their_types_and_merge_keys_still_merge() -> None:
    doc = _load("base: &b {x: 1, on: true}\nm:\n  <<: *b\n  y: 2.5\n")
    assert doc["m"] == {"x": 1, "on": True, "y": 2.5}


def test_the_line_of_every_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\npaths:\n  /orders:\n    get:\n      responses:\n        200: {description: ok}\n")
    lines = lines_in(spec)
    assert (lines["/paths/~1orders/get"], lines["/paths/~1orders/get/responses/200"]) == (4, 6)
    assert "/paths/~1orders/post" not in lines
    assert lines_in(tmp_path / "missing.yaml") == {}


def test_a_json_document_reads_as_its_yaml_reading() -> None:
    text = (
        '{"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}, "n": [1, 2.5]}'
    )
    assert _load(text) == {
        "openapi": "3.1.0",
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "n": [1, 2.5],
    }


def test_a_json_document_with_a_repeated_key_is_still_refused_at_its_line() -> None:
    with pytest.raises(PipelineError, match="duplicate key") as info:
        _load('{\n"a": 1,\n"a": 2\n}')
    assert info.value.where is not None and info.value.where.startswith(":3")
