"""Property-based round-trips with hypothesis-jsonschema on the normalized specs.

Responses: for every response schema of every operation, schema-valid bodies parse with the SDK into
a model that serialises back to the same JSON. Requests: for every request model, instances built
from schema-valid bodies serialise to bodies the request schema accepts (and to the same JSON).
Examples per schema: --contract-examples N or $CONTRACT_EXAMPLES (default 10).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from sdkpipeline.testing.contract import (
    SpecOperation,
    first_difference,
    is_model,
    load_operations,
    normalized_spec,
    parse_response,
    registry,
    request_body,
    request_models,
    request_schema,
    serialise,
    standalone_schema,
)
from sdkpipeline.testing.recorder import schema_strategy

from .conftest import Report, examples_per_schema


@dataclass(frozen=True)
class Target:
    operation: SpecOperation
    status: int | None  # None: the request body
    schema: Any
    media_type: str | None

    def __str__(self) -> str:
        side = "request" if self.status is None else str(self.status)
        return f"{self.operation.api.name}/{self.operation.record.operation_id}/{side}"


def _response_targets() -> list[Target]:
    """One target per distinct response schema of an API (the 28 CNaught 401s are one schema)."""
    out: list[Target] = []
    for api in registry():
        doc = normalized_spec(api)
        seen: set[str] = set()
        for operation in load_operations(api).values():
            for status, response in operation.responses.items():
                if response.schema is None:
                    continue
                key = json.dumps(response.schema, sort_keys=True)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Target(operation, status, standalone_schema(doc, response.schema), response.media_type))
    return out


def _request_targets() -> list[Target]:
    out = []
    for api in registry():
        for operation in load_operations(api).values():
            media, schema = request_schema(operation)
            if schema is not None and media == "application/json" and request_models(operation):
                out.append(Target(operation, None, schema, media))
    return out


def _settings(examples: int) -> settings:
    # No "explain" phase: it re-runs each failing example many times, which costs seconds per schema.
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )


@pytest.mark.parametrize("target", _response_targets(), ids=str)
def test_response_round_trip(target: Target, request: pytest.FixtureRequest, report: Report) -> None:
    """Generated bodies of the response schema parse into its model and serialise back unchanged."""
    operation, status = target.operation, target.status
    assert status is not None
    runs = 0

    @_settings(examples_per_schema(request.config))
    @given(schema_strategy(target.schema))
    def round_trip(body: Any) -> None:
        nonlocal runs
        runs += 1
        parsed = parse_response(operation, status, json.dumps(body).encode(), target.media_type)
        assert is_model(operation, parsed), f"parsed into {type(parsed)}"
        again = serialise(parsed)
        assert again == body, first_difference(body, again)

    round_trip()
    report.property_schemas[operation.api.name] += 1
    report.property_examples[operation.api.name] += runs


@pytest.mark.parametrize("target", _request_targets(), ids=str)
def test_request_model_serialises_to_valid_body(target: Target, request: pytest.FixtureRequest, report: Report) -> None:
    """Request models built from generated bodies serialise to the same, schema-valid JSON."""
    operation = target.operation
    validator = jsonschema.Draft202012Validator(target.schema, format_checker=jsonschema.FormatChecker())
    runs = 0

    @_settings(examples_per_schema(request.config))
    @given(schema_strategy(target.schema))
    def serialises(body: Any) -> None:
        nonlocal runs
        runs += 1
        model = request_body(operation, json.dumps(body).encode(), target.media_type)
        sent = model.to_dict()
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(sent)]
        assert not errors, errors
        assert sent == body, first_difference(body, sent)

    serialises()
    report.request_schemas[operation.api.name] += 1
    report.request_examples[operation.api.name] += runs
