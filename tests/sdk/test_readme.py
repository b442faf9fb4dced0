"""Each generated README's ```python blocks run, in order and in one namespace, against a mock of the API.

The mock answers every documented operation with a body built from the normalized spec (the bench's
BodyBuilder), and 404 for the id "does-not-exist", so the examples exercise the real client code paths.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from sdkpipeline.perf.bench import BodyBuilder, response_schema
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.yamlio import load_document

from ..httpx_routing import route_httpx_to
from ..readme_examples import python_blocks, run_testing_example
from .conftest import CN_KEY, FG_PUBLIC, FG_SECRET

APIS = load_registry()
KEYS = {
    # The webhook receiver examples read their secret from the environment too.
    "cnaught": {"CNAUGHT_API_KEY": CN_KEY, "CNAUGHT_CALLBACK_TOKEN": "callback-token"},
    "fungies": {"FUNGIES_PUBLIC_KEY": FG_PUBLIC, "FUNGIES_SECRET_KEY": FG_SECRET, "FUNGIES_WEBHOOK_SECRET": "whsec"},
}


class FakeAPI:
    """Answers each documented operation with a schema-valid body; counts the requests."""

    def __init__(self, api: str) -> None:
        self.doc = load_document(APIS[api].normalized_spec)
        index = APIS[api].output_dir / APIS[api].package / "_operations.json"
        self.ops = json.loads(index.read_text(encoding="utf-8"))["operations"]
        self.base = str(self.doc["servers"][0]["url"]).rstrip("/")
        self.requests: list[httpx.Request] = []

    def _match(self, request: httpx.Request) -> dict[str, Any]:
        path = str(request.url).split("?")[0].removeprefix(self.base)
        for op in self.ops:
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", op["path"]) + "$"
            if op["method"] == request.method and re.match(pattern, path):
                return dict(op)
        raise AssertionError(f"the README called an undocumented operation: {request.method} {path}")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        op = self._match(request)
        if "does-not-exist" in request.url.path:
            return httpx.Response(404, json={"title": "Not found", "status": 404, "error": {"message": "Not found"}})
        responses = self.doc["paths"][op["path"]][op["method"].lower()]["responses"]
        status = min(str(s) for s in responses if str(s).startswith("2"))
        body = BodyBuilder(self.doc, top_items=1, nested_items=1).build(
            response_schema(self.doc, op["operation_id"], status)
        )
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, dict) and "count" in data:
            data["count"] = sum(len(v) for v in data.values() if isinstance(v, list))
        if isinstance(data, dict) and "hasMore" in data:
            data["hasMore"] = False
        return httpx.Response(int(status), json=body)


@pytest.mark.parametrize("api", sorted(APIS))
def test_readme_examples_run_against_the_mock_api(api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every README example runs: quickstart, auth, errors, retries, pagination, raw, async, logging, http_client."""
    fake = FakeAPI(api)
    for name, value in KEYS[api].items():
        monkeypatch.setenv(name, value)
    route_httpx_to(monkeypatch, fake)
    readme = APIS[api].output_dir / "README.md"
    blocks = python_blocks(readme)
    assert len(blocks) >= 9, f"{readme} lost examples"
    namespace: dict[str, Any] = {"__name__": f"readme_{api}"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for number, block in enumerate(blocks, 1):
            try:
                exec(compile(block, f"{readme}:block{number}", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"{readme} example {number} failed: {exc!r}\n{block}") from exc
    printed = out.getvalue()
    assert "not found: 404" in printed  # the errors example took its NotFoundError branch
    assert "the API refused" not in printed
    called = {(r.method, r.url.path) for r in fake.requests}
    assert any(method != "GET" for method, _ in called), "no write was exercised"
    assert any(r.url.path.endswith("/does-not-exist") for r in fake.requests)
    assert callable(namespace.get("app")), "the webhook receiver example defines its WSGI app"


@pytest.mark.parametrize("api", sorted(APIS))
def test_the_testing_example_passes_under_pytest(api: str, tmp_path: Path) -> None:
    """The "Testing your code" example, saved as a test file, passes under pytest: each of its tests runs."""
    readme = APIS[api].output_dir / "README.md"
    defined, passed, output = run_testing_example(readme, tmp_path, pythonpath=[a.output_dir for a in APIS.values()])
    assert len(defined) >= 3, f"{readme} lost its testing example"
    assert sorted(passed) == sorted(defined), output
