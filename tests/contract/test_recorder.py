"""The recorder: a real recording against Prism is scrubbed, and a cassette holding a secret is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.testing.contract import load_operations
from sdkpipeline.testing.recorder import Case, default_request, plan, record_case, write_cassette

from .cassettes import load_fixture

SECRET = "sk_live_THIS_MUST_NEVER_BE_WRITTEN"


def test_recording_scrubs_keys_before_writing(prism_servers: dict[str, Any], tmp_path: Path) -> None:
    """A key given to the recorder appears nowhere in the cassette it writes."""
    operation = load_operations("cnaught")["GetOrderById"]
    body, source, content_type = default_request(operation)
    case = Case(
        operation, "404_prism", 404, "test", request_body=body, request_source=source, content_type=content_type
    )
    cassette = record_case(
        case,
        prism_servers["cnaught"].base_url,
        credentials={"Authorization": f"Bearer {SECRET}"},
        prefer_status=True,
        source="test recording",
    )
    path = tmp_path / "cnaught" / f"{case.stem}.yaml"
    write_cassette(path, cassette, secrets=[SECRET])
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and "Bearer <scrubbed>" in text
    fixture = load_fixture("cnaught", path)
    assert fixture.status == 404 and fixture.response["status"]["code"] == 404


def test_cassette_with_a_secret_is_refused(tmp_path: Path) -> None:
    """write_cassette refuses, and writes nothing, when a secret survived scrubbing."""
    from vcr.request import Request

    request = Request("GET", f"https://api.example.invalid/things?key={SECRET}", b"", {})
    response = {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": b"{}"}}
    path = tmp_path / "Leaky__200.yaml"
    with pytest.raises(PipelineError, match="secret"):
        write_cassette(path, {"requests": [request], "responses": [response]}, secrets=[SECRET])
    assert not path.exists()


def test_plan_covers_every_documented_status() -> None:
    """The plan has a case for every documented response of every operation."""
    for api in ("cnaught", "fungies"):
        planned = {(c.operation.record.operation_id, c.status) for c in plan(api)}
        for op_id, operation in load_operations(api).items():
            assert {(op_id, s) for s in operation.responses} <= planned
