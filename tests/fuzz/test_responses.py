"""Arbitrary JSON (and bytes) as the body of every documented 2xx of every operation of both SDKs.

Each resource method, called through the public client over an `httpx.MockTransport`, must return its
typed result or raise `APIResponseValidationError` (or an `APIStatusError` where a 2xx body carries the
API's error envelope): never anything else. List methods are also walked a few pages.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cnaught_client
import fungies_client
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import load_document
from tests.sdk.test_operations import FakeValues

from .conftest import DERANDOMIZE, EXAMPLES, REPORT

PACKAGES = {"cnaught": cnaught_client, "fungies": fungies_client}
RUNS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PAGES_WALKED = 3
DEEP = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def _operations(api: str) -> list[dict[str, Any]]:
    path = Path(PACKAGES[api].__file__).parent / "_operations.json"
    ops: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["operations"]
    return ops


def _names(node: Any) -> Iterator[str]:
    """Every property name in a schema tree: keys the fuzzer puts in its objects so parsing goes deep."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                yield from (str(k) for k in props)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _cases() -> list[Any]:
    cases = []
    for api in PACKAGES:
        spec = load_document(load_registry()[api].normalized_spec)
        names = sorted(set(_names(spec.get("components") or {})))
        for op in _operations(api):
            responses = spec["paths"][op["path"]][op["method"].lower()]["responses"]
            for status in sorted(str(s) for s in responses if str(s).startswith("2")):
                case_id = f"{api}-{op['resource']}.{op['name']}-{status}"
                cases.append(pytest.param(api, op, int(status), names, id=case_id))
    assert {c.values[0] for c in cases} == set(PACKAGES)  # both APIs, so no run collects nothing silently
    return cases


def _json_values(names: list[str]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(names) | st.text(max_size=10) if names else st.text(max_size=10)
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
        max_leaves=30,
    )


def _client(api: str, status: int, body: bytes) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    options: dict[str, Any] = {"http_client": http, "max_retries": 0, "base_url": "https://api.test"}
    if api == "cnaught":
        return cnaught_client.CNaught(api_key="fuzz-key", **options)
    return fungies_client.Fungies(public_key="fuzz-public", secret_key="fuzz-secret", **options)


def _call(api: str, op: dict[str, Any], status: int, body: bytes) -> None:
    """One call: a typed result, or one of the errors a response may legitimately cause."""
    package = PACKAGES[api]
    client = _client(api, status, body)
    method = getattr(getattr(client, op["resource"]), op["name"])
    args, kwargs = FakeValues(package).call_args(method)
    allowed = (package.APIResponseValidationError, package.APIStatusError)
    with REPORT.example(f"responses: {api} ({len(_operations(api))} operations)"), contextlib.suppress(*allowed):
        result = method(*args, **kwargs)
        if isinstance(result, package._pagination.SyncPage):
            # Pages after the first come back with the same body: walk a few, never forever.
            for _ in itertools.islice(result.iter_pages(), PAGES_WALKED):
                pass


@pytest.mark.parametrize(("api", "op", "status", "names"), _cases())
@RUNS
@given(data=st.data())
def test_any_body(api: str, op: dict[str, Any], status: int, names: list[str], data: st.DataObject) -> None:
    """Arbitrary JSON shaped with the spec's field names, or arbitrary bytes (empty, and hostile nesting, first)."""
    json_body = _json_values(names).map(lambda value: json.dumps(value).encode())
    body = data.draw(st.sampled_from([b"", DEEP]) | json_body | st.binary(max_size=200))
    _call(api, op, status, body)


@pytest.mark.parametrize("api", sorted(PACKAGES))
def test_a_deeply_nested_body_is_a_validation_error(api: str) -> None:
    """json.loads recursed past the stack on 100,000 brackets: RecursionError escaped the resource method."""
    client = _client(api, 200, DEEP)
    with pytest.raises(PACKAGES[api].APIResponseValidationError, match="nested too deeply to parse"):
        client.orders.retrieve("o1")
