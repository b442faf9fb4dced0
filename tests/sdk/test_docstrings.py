"""`help()` of every method of both SDKs (blocking, asyncio, and their raw and streaming views) documents the
per-call options (`extra_headers`, `extra_query`, `extra_body`, `timeout`, `max_retries`), from the one shared text
the runtime adds at import, not repeated in the generated modules.
"""

from __future__ import annotations

import inspect
import json
import pydoc
from typing import Any

import pytest

from sdkpipeline.spec.registry import load_registry

from .conftest import CN_KEY, FG_PUBLIC, FG_SECRET

APIS = load_registry()
KEYS = {"cnaught": {"api_key": CN_KEY}, "fungies": {"public_key": FG_PUBLIC, "secret_key": FG_SECRET}}
OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")


def _methods(api: str, client: Any) -> list[tuple[str, Any]]:
    """Every generated method of the client, by the operation index, with its raw and streaming views."""
    index = APIS[api].output_dir / APIS[api].package / "_operations.json"
    found = []
    for op in json.loads(index.read_text(encoding="utf-8"))["operations"]:
        resource = getattr(client, op["resource"])
        for view, holder in (("", resource), ("raw ", resource.with_raw_response)):
            found.append((f"{view}{op['resource']}.{op['name']}", getattr(holder, op["name"])))
        found.append(
            (f"streaming {op['resource']}.{op['name']}", getattr(resource.with_streaming_response, op["name"]))
        )
    return found


@pytest.mark.parametrize("api", sorted(APIS))
@pytest.mark.parametrize("engine", ["", "Async"])
def test_help_of_every_method_documents_the_per_call_options(api: str, engine: str) -> None:
    package = __import__(APIS[api].package)
    client = getattr(package, engine + APIS[api].client_class)(**KEYS[api], base_url="http://127.0.0.1:1")
    methods = _methods(api, client)
    assert len(methods) >= 3 * 20  # both APIs have more than 20 operations: the index was read
    for name, method in methods:
        shown = pydoc.render_doc(method, renderer=pydoc.plaintext)
        doc = inspect.getdoc(method) or ""
        assert doc.count("Options (every method takes them):") == 1, name
        for option in OPTIONS:
            assert f"\n    {option}: " in doc, (name, option)
            assert option in shown, (name, option)


@pytest.mark.parametrize("api", sorted(APIS))
def test_the_generated_modules_do_not_repeat_the_options_text(api: str) -> None:
    resources = APIS[api].output_dir / APIS[api].package / "resources"
    modules = sorted(resources.glob("*.py"))
    assert len(modules) > 3
    for module in modules:
        assert "instead of the client's" not in module.read_text(encoding="utf-8"), module.name
