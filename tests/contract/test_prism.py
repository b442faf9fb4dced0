"""Prism (serving each normalized spec, in validation mode) receives the SDK call of every fixture.

A request Prism flags is a violation and fails its test; a mock response Prism itself finds invalid
(a bad example in the spec, served with `--errors` as a 500) is reported as a finding about the spec.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from sdkpipeline.testing.contract import fake_credentials, load_operations, make_client, registry

from .cassettes import FIXTURES, Fixture
from .conftest import Report


@pytest.mark.parametrize("fixture", FIXTURES, ids=str)
def test_prism_accepts_sdk_request(fixture: Fixture, prism_servers: dict[str, Any], report: Report) -> None:
    """Prism logs no request violation for the SDK call the fixture records."""
    server = prism_servers[fixture.api]
    operation = fixture.operation
    client = make_client(operation, server.base_url, headers=fake_credentials(operation))
    client.raise_on_unexpected_status = False
    seen = len(server.violations())
    response = operation.module.sync_detailed(client=client, **fixture.call_arguments())
    report.prism_calls[fixture.api] += 1
    new = server.violations()[seen:]
    for v in new:
        report.prism_violations[fixture.api].append(
            f"{fixture.path.stem}: {v['location'] or 'request'}: {v['message']}"
        )
    if response.status_code == 500:
        finding = f"{operation.operation_id}: {_mock_problem(response.content)}"
        if finding not in report.mock_findings[fixture.api]:
            report.mock_findings[fixture.api].append(finding)
    assert not new, [f"{v['location']}: {v['message']}" for v in new]


def _mock_problem(content: bytes) -> str:
    try:
        body = json.loads(content)
        problems = sorted({f"/{'/'.join(map(str, v['location']))}: {v['message']}" for v in body["validation"]})
    except (ValueError, AttributeError, KeyError, TypeError):
        return content.decode(errors="replace")[:300]
    shown = "; ".join(problems[:2]) + (f" (+{len(problems) - 2} more)" if len(problems) > 2 else "")
    return f"Prism's mock response violates the spec: {shown}"


def test_every_operation_reaches_prism() -> None:
    """The fixtures give Prism a call of every operation of every API."""
    for api in registry():
        called = {f.operation.operation_id for f in FIXTURES if f.api == api}
        assert called == set(load_operations(api)), sorted(set(load_operations(api)) - called)
