"""Every documented example parses into the model its operation documents and serialises back unchanged.

Sources: the vendors' example bodies in specs/<api>/examples (named <operationId>__<case>.json, listed in
specs/vendored.sha256) and every response example embedded in the vendored specs.
"""

from __future__ import annotations

import importlib
import json
import typing
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.statuses import is_success
from sdkpipeline.spec.yamlio import load_document

from ..inputs import SPECS, vendored_files

APIS = load_registry()
# Every example file the manifest lists: a lost file fails the collection by name.
EXAMPLE_FILES = vendored_files("*/examples/*.json")


@dataclass(frozen=True)
class Example:
    api: str
    operation_id: str
    status: int | None  # None: a request body
    body: Any
    source: str

    def __str__(self) -> str:
        return f"{self.api}:{self.source}"


def _operations(api: str) -> dict[str, dict[str, Any]]:
    index = json.loads((APIS[api].output_dir / APIS[api].package / "_operations.json").read_text())
    return {op["operation_id"]: op for op in index["operations"]}


def _success_status(doc: dict[str, Any], op_entry: dict[str, Any]) -> int:
    op = doc["paths"][op_entry["path"]][op_entry["method"].lower()]
    return min(int(s) for s in op["responses"] if is_success(s))


def _file_examples() -> list[Example]:
    out = []
    for api in APIS:
        doc = load_document(APIS[api].normalized_spec)
        ops = _operations(api)
        for path in (p for p in EXAMPLE_FILES if p.parent.parent.name == api):
            op_id, case = path.stem.split("__", 1)
            body = json.loads(path.read_text(encoding="utf-8"))
            if case.startswith("request_"):
                status = None
            elif case[:3].isdigit():
                status = int(case[:3])
            else:
                status = _success_status(doc, ops[op_id])
            out.append(Example(api, op_id, status, body, f"examples/{path.name}"))
    return out


def _embedded_examples() -> list[Example]:
    out = []
    for api, entry in APIS.items():
        doc = load_document(entry.spec)  # the vendor's own text, examples as published
        responses = (doc.get("components") or {}).get("responses") or {}
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                for status, response in (op.get("responses") or {}).items():
                    if "$ref" in response:
                        response = responses[response["$ref"].rsplit("/", 1)[-1]]
                    for media, content in (response.get("content") or {}).items():
                        bodies = []
                        if "example" in content:
                            bodies.append(("example", content["example"]))
                        for name, ex in (content.get("examples") or {}).items():
                            if isinstance(ex, dict) and "value" in ex:
                                bodies.append((name, ex["value"]))
                        for name, body in bodies:
                            source = f"spec {method.upper()} {path} {status} {media} {name}"
                            out.append(Example(api, op["operationId"], int(status), body, source))
    return out


FILE_EXAMPLES = _file_examples()
EMBEDDED_EXAMPLES = _embedded_examples()


def _module(example: Example) -> Any:
    # The record names the endpoint module relative to its package (`api.orders.get_v0_orders_list`).
    return importlib.import_module(
        f"{APIS[example.api].package}.{_operations(example.api)[example.operation_id]['endpoint']}"
    )


def _client(api: str) -> Any:
    return importlib.import_module(f"{APIS[api].package}.client").Client(base_url="https://example.invalid")


def _round_trip(example: Example) -> tuple[Any, Any]:
    module = _module(example)
    if example.status is None:
        body_type = module._get_kwargs.__annotations__["body"]
        cls = _resolve_annotation(module, body_type)
        parsed = cls.from_dict(example.body)
        return parsed, parsed.to_dict()
    media = "application/problem+json" if example.api == "cnaught" and example.status >= 400 else "application/json"
    response = httpx.Response(example.status, json=example.body, headers={"content-type": media})
    parsed = module._parse_response(client=_client(example.api), response=response)
    assert parsed is not None, f"status {example.status} is not documented for {example.operation_id}"
    return parsed, parsed.to_dict() if hasattr(parsed, "to_dict") else parsed


def _resolve_annotation(module: Any, annotation: Any) -> Any:
    """The model class of a request body annotation such as `UserUpdate | Unset`."""
    candidates = [a for a in (typing.get_args(annotation) or (annotation,)) if hasattr(a, "from_dict")]
    assert len(candidates) == 1, f"ambiguous request body type {annotation}"
    return candidates[0]


def test_example_sources_are_found() -> None:
    """Every listed example file belongs to a registered API and is picked up; every spec has examples."""
    picked_up = {f"{e.api}/{e.source}" for e in FILE_EXAMPLES}
    assert picked_up == {p.relative_to(SPECS).as_posix() for p in EXAMPLE_FILES}
    assert {e.api for e in EMBEDDED_EXAMPLES} == set(APIS)


@pytest.mark.parametrize("example", FILE_EXAMPLES + EMBEDDED_EXAMPLES, ids=str)
def test_example_round_trips(example: Example) -> None:
    """The body parses into its documented model and serialises back to the same JSON."""
    parsed, serialised = _round_trip(example)
    assert type(parsed).__module__.startswith(f"{APIS[example.api].package}.models"), type(parsed)
    assert serialised == example.body


def test_fungies_orders_list_with_null_currency_parses() -> None:
    """The vendor's nullable enums that omit null from `enum` accept null (a bare generator run raises)."""
    from fungies_client.api.orders import get_v0_orders_list
    from fungies_client.client import Client

    order = {
        "object": "order",
        "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "number": "ABCDEF123456",
        "orderNumber": "ABCDEF123456",
        "status": "PAID",
        "createdAt": 1700000000,
        "currency": None,
        "country": None,
        "user": None,
        "lastPayment": None,
        "subscription": None,
    }
    body = {"status": "success", "data": {"orders": [order], "count": 1}}
    response = httpx.Response(200, json=body)
    parsed = get_v0_orders_list._parse_response(client=Client(base_url="https://example.invalid"), response=response)
    assert parsed is not None and parsed.data.orders[0].currency is None
    assert parsed.to_dict() == body
