"""Prism (serving each normalized spec, in validation mode) receives the SDK call of every fixture.

Every fixture's request is sent twice: by the generated function layer, and by the public client's
resource method (`CNaught(...).orders.cancel(...)`). A request Prism flags is a violation and fails its
test; Prism's log must show the client's request arrive at the operation's path; a mock response Prism
itself finds invalid (a bad example in the spec, served with `--errors` as a 500) is reported as a
finding about the spec.
"""

from __future__ import annotations

import functools
import importlib
import json
from typing import Any

import pytest

from sdkpipeline.testing.contract import (
    fake_credentials,
    load_operations,
    make_client,
    operation_at,
    registry,
    sdk_client,
)
from sdkpipeline.testing.mockserver import PrismServer

from .cassettes import FIXTURES, Fixture
from .conftest import Report


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_prism_accepts_sdk_request(fixture: Fixture, prism_servers: dict[str, Any], report: Report) -> None:
    """Prism logs no request violation for the function-layer call the fixture records."""
    server = prism_servers[fixture.api]
    operation = fixture.operation
    client = make_client(operation, server.base_url, headers=fake_credentials(operation))
    client.raise_on_unexpected_status = False
    seen = len(server.violations())
    response = operation.module.sync_detailed(client=client, **fixture.call_arguments())
    report.prism_calls[fixture.api] += 1
    new = _record_violations(fixture, server.violations()[seen:], report)
    if response.status_code == 500:
        finding = f"{operation.record.operation_id}: {_mock_problem(response.content)}"
        if finding not in report.mock_findings[fixture.api]:
            report.mock_findings[fixture.api].append(finding)
    assert not new, [f"{v['location']}: {v['message']}" for v in new]


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_prism_accepts_client_request(fixture: Fixture, prism_servers: dict[str, Any], report: Report) -> None:
    """The public client's call of the fixture reaches the operation on Prism and breaks none of its rules."""
    server: PrismServer = prism_servers[fixture.api]
    call = fixture.resource_call()
    seen = len(server.requests())
    violations = len(server.violations())
    with sdk_client(fixture.api, server.base_url, max_retries=0) as client:
        _call_ignoring_status(fixture.api, lambda: call(client))
    report.prism_client_calls[fixture.api] += 1
    received = server.requests()[seen:]
    assert [operation_at(fixture.api, r.method, r.path) for r in received] == [fixture.operation], (
        f"{call}: Prism received {received}, not one {fixture.operation.record.method} {fixture.operation.record.path}"
    )
    new = _record_violations(fixture, server.violations()[violations:], report, via="client")
    assert not new, [f"{v['location']}: {v['message']}" for v in new]


@pytest.mark.parametrize("api", list(registry()))
def test_every_operation_reaches_prism(api: str, prism_servers: dict[str, Any], report: Report) -> None:
    """Through the public client, Prism's log shows every operation (method and path template) received."""
    server: PrismServer = prism_servers[api]
    operations = load_operations(api)
    calls = {}
    for fixture in FIXTURES:
        if fixture.api == api and fixture.operation.record.operation_id not in calls:
            calls[fixture.operation.record.operation_id] = fixture.resource_call()
    assert set(calls) == set(operations), f"no fixture for {sorted(set(operations) - set(calls))}"
    seen = len(server.requests())
    with sdk_client(api, server.base_url, max_retries=0) as client:
        for call in calls.values():
            _call_ignoring_status(api, functools.partial(call, client))
    received = server.requests()[seen:]
    reached = {
        op.record.operation_id for op in (operation_at(api, r.method, r.path) for r in received) if op is not None
    }
    missing = [
        f"{op.record.method} {op.record.path} ({op_id})" for op_id, op in operations.items() if op_id not in reached
    ]
    report.prism_operations_seen[api] = f"{len(operations) - len(missing)}/{len(operations)}"
    assert not missing, f"Prism's log shows no request for: {missing}"
    assert len(received) == len(operations), f"{len(received)} requests for {len(operations)} calls: {received}"


def _call_ignoring_status(api: str, run: Any) -> Any:
    """Run the call; an error status (Prism's mock of a documented error) is an answer, not a failure."""
    package = importlib.import_module(registry()[api].package)
    try:
        return run()
    except package.APIStatusError as exc:
        return exc


def _record_violations(fixture: Fixture, new: list[Any], report: Report, *, via: str = "function layer") -> list[Any]:
    for v in new:
        report.prism_violations[fixture.api].append(
            f"{fixture.path.stem} ({via}): {v['location'] or 'request'}: {v['message']}"
        )
    return new


def _mock_problem(content: bytes) -> str:
    try:
        body = json.loads(content)
        problems = sorted({f"/{'/'.join(map(str, v['location']))}: {v['message']}" for v in body["validation"]})
    except (ValueError, AttributeError, KeyError, TypeError):
        return content.decode(errors="replace")[:300]
    shown = "; ".join(problems[:2]) + (f" (+{len(problems) - 2} more)" if len(problems) > 2 else "")
    return f"Prism's mock response violates the spec: {shown}"


def test_received_requests_route_to_their_operation() -> None:
    """Routing a logged request: the method counts, and a literal path beats a template that also matches."""
    cases = [("GET", "/v0/orders/list"), ("GET", "/v0/orders/1001"), ("DELETE", "/v0/orders/list")]
    found = {case: operation_at("fungies", *case) for case in cases}
    routed = {case: op.record.operation_id if op else None for case, op in found.items()}
    # GET /v0/orders/list matches both /v0/orders/list and /v0/orders/{orderIdOrNumber}.
    assert routed == {
        ("GET", "/v0/orders/list"): "GetV0OrdersList",
        ("GET", "/v0/orders/1001"): "GetV0OrdersOrderIdOrNumber",
        ("DELETE", "/v0/orders/list"): None,
    }
