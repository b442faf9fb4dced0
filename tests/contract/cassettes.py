"""The committed fixtures, read with vcrpy's own deserialiser: one exchange and its metadata each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vcr.serialize import deserialize
from vcr.serializers import yamlserializer

from sdkpipeline.testing.contract import (
    RecordedCall,
    ResourceCall,
    SpecOperation,
    case_status,
    fixture_paths,
    load_operations,
    read_request,
    registry,
    server_url,
    split_name,
)


@dataclass(frozen=True)
class Fixture:
    api: str
    path: Path
    operation: SpecOperation
    case: str
    status: int
    request: Any  # vcr.request.Request
    response: dict[str, Any]
    metadata: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.api}/{self.path.stem}"

    @property
    def request_body(self) -> bytes | None:
        body = self.request.body
        if body in (None, b"", ""):
            return None
        return body if isinstance(body, bytes) else str(body).encode()

    @property
    def request_content_type(self) -> str | None:
        values = self.request.headers.get("content-type")
        return values[0] if isinstance(values, list) else values

    @property
    def response_body(self) -> bytes:
        body = self.response["body"]["string"]
        return body if isinstance(body, bytes) else str(body).encode()

    @property
    def response_media_type(self) -> str | None:
        values = {k.lower(): v for k, v in self.response["headers"].items()}.get("content-type")
        return values[0] if values else None

    @property
    def response_json(self) -> Any:
        return json.loads(self.response_body) if self.response_body else None

    def recorded(self) -> RecordedCall:
        """The recorded request read through the SDK model: each parameter's value, and the body."""
        return read_request(
            self.operation,
            uri=self.request.uri,
            body=self.request_body,
            content_type=self.request_content_type,
            base_url=server_url(self.api),
            headers=self.request_headers,
        )

    def call_arguments(self) -> dict[str, Any]:
        """The generated function's arguments, rebuilt from the recorded request."""
        return self.recorded().function_arguments()

    def resource_call(self) -> ResourceCall:
        """The public client's resource method call, rebuilt from the recorded request."""
        return self.recorded().resource_call()

    @property
    def request_headers(self) -> dict[str, list[str]]:
        """The recorded request's headers, lower-cased (credential values are scrubbed)."""
        return {k.lower(): v if isinstance(v, list) else [v] for k, v in self.request.headers.items()}

    @property
    def is_error(self) -> bool:
        return self.status >= 400

    @property
    def path_and_query(self) -> tuple[str, str]:
        parts = urlsplit(self.request.uri)
        base = urlsplit(server_url(self.api)).path.rstrip("/")
        return parts.path[len(base) :], parts.query


def load_fixture(api: str, path: Path) -> Fixture:
    requests, responses, *rest = deserialize(path.read_text(encoding="utf-8"), yamlserializer)
    assert len(requests) == 1, f"{path}: one exchange per fixture, found {len(requests)}"
    operation_id, case = split_name(path.stem)
    operation = load_operations(api)[operation_id]
    status = case_status(operation, case)
    assert status is not None, f"{path}: a fixture case must name a response"
    return Fixture(api, path, operation, case, status, requests[0], responses[0], rest[0] if rest else {})


def all_fixtures() -> list[Fixture]:
    return [load_fixture(api, path) for api in registry() for path in fixture_paths(api)]


FIXTURES = all_fixtures()
