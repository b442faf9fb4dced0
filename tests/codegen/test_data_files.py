"""The package's JSON data files (`_operations.json`, `_testing.json`): `json_lines` writes what `json.dumps`
would, one item per line down to a depth, compact below it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sdkpipeline.codegen.generate import json_lines

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@given(JSON, st.integers(min_value=0, max_value=4))
def test_reads_back_as_the_same_value_at_any_depth(value: Any, depth: int) -> None:
    assert json.loads(json_lines(value, depth=depth)) == value


@given(JSON)
def test_deep_enough_it_is_json_dumps_indented_by_two(value: Any) -> None:
    assert json_lines(value, depth=100) == json.dumps(value, indent=2)


def test_below_the_depth_each_item_is_one_line() -> None:
    data = {"generated_by": "g", "operations": [{"name": "a", "params": [1, 2]}, {"name": "b"}], "empty": []}
    assert json_lines(data, depth=2).splitlines() == [
        "{",
        '  "generated_by": "g",',
        '  "operations": [',
        '    {"name": "a", "params": [1, 2]},',
        '    {"name": "b"}',
        "  ],",
        '  "empty": []',
        "}",
    ]
