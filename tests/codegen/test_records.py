"""Tests for sdkpipeline.codegen.records: the runtime's records printed as Python source and read back from JSON.

The printer is the one way a record (an operation, a credential) reaches generated code: every string in it is
spec text, so a hostile one must come out as a literal with the same value, never as code.
"""

from __future__ import annotations

import ast
import json
import math

import pytest

from sdkpipeline.codegen import records
from sdkpipeline.codegen.records import (
    Body,
    BodyShape,
    CredentialRecord,
    Deprecation,
    Operation,
    Pagination,
    Param,
    python_source,
)
from sdkpipeline.errors import PipelineError

HOSTILE = [
    '"); import os; os.system("x"); ("',
    "'''\"\"\"",
    "line\nbreak\r\u2028and\x00nul",
    "back\\slash\\",
    "{__import__('os')}",
    "é—ß ✓",
]
# What a printed record may evaluate: the record classes and literals, nothing else.
NAMESPACE = {
    cls.__name__: cls for cls in (Operation, Param, Body, BodyShape, Deprecation, Pagination, CredentialRecord)
}

FULL = Operation(
    resource="orders",
    name="create",
    operation_id="SubmitOrder",
    method="POST",
    path="/orders/{id}",
    endpoint="api.orders.submit_order",
    params=(
        Param(keyword="id", location="path", required=True),
        Param(keyword="body", location="body"),
        Param(keyword="subaccount_id", location="header", wire_name="X-Subaccount-Id", argument="x_subaccount_id"),
    ),
    body=Body(
        required=True,
        fields=(Param(keyword="amount_kg", location="body", required=True), Param(keyword="kind", location="body")),
        shapes=(
            BodyShape(name="ByAmount", fields=("amount_kg", "kind"), required=("amount_kg",), defaults={"kind": "a"}),
        ),
    ),
    security=(("ApiKey",), ("Public", "Secret")),
    idempotency_header="Idempotency-Key",
    success_status="success",
    success_statuses=(200, 201),
    unwrap=("data", "order"),
    deprecation=Deprecation(replacement="orders.submit"),
    pagination=Pagination(kind="offset", items=("data",), cursor="skip", size="take", total=("count",)),
)


def _only_literals_and_records(source: str) -> None:
    """The source is calls of the record classes with literal arguments: nothing that could run code."""
    for node in ast.walk(ast.parse(source, mode="eval")):
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in NAMESPACE, ast.dump(node)
        assert not isinstance(node, ast.Attribute | ast.Subscript | ast.Lambda | ast.JoinedStr | ast.BinOp), ast.dump(
            node
        )


def test_a_full_record_prints_as_source_that_builds_it_again() -> None:
    source = python_source(FULL)
    _only_literals_and_records(source)
    assert eval(source, dict(NAMESPACE)) == FULL


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_spec_text_stays_a_literal_with_its_value(text: str) -> None:
    record = Operation(
        resource="r", name="m", operation_id=text, method="GET", path=text, endpoint="api.r.m",
        params=(Param(keyword="q", location="query", wire_name=text),),
        deprecation=Deprecation(replacement=text),
    )  # fmt: skip
    source = python_source(record)
    _only_literals_and_records(source)
    assert eval(source, dict(NAMESPACE)) == record


def test_defaults_and_what_a_record_derives_are_left_out() -> None:
    """`wire_name` and `argument` default to the keyword; a default value is not printed."""
    assert python_source(Param(keyword="limit", location="query")) == 'Param(keyword="limit", location="query")'
    assert python_source(Param(keyword="limit", location="query", wire_name="limit", argument="limit")) == (
        'Param(keyword="limit", location="query")'
    )
    assert python_source(Deprecation()) == "Deprecation()"


def test_a_runtime_credential_prints_its_constructor_keywords() -> None:
    """The client's credentials are slotted objects, not dataclasses: printed by the same rule."""
    credential = CredentialRecord(scheme="K", parameter="api_key", env="X_API_KEY", name="Authorization", prefix="B ")
    source = python_source((credential,))
    assert source == (
        '(Credential(scheme="K", parameter="api_key", env="X_API_KEY", name="Authorization", prefix="B "),)'
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [((), "()"), (("a",), '("a",)'), ([1, None], "[1, None]"), ({"k": True}, '{"k": True}'), (1.5, "1.5")],
)
def test_containers_and_scalars(value: object, expected: str) -> None:
    assert python_source(value) == expected


@pytest.mark.parametrize("value", [math.inf, math.nan, object()])
def test_what_has_no_literal_is_refused(value: object) -> None:
    with pytest.raises(PipelineError):
        python_source(value)


def test_a_record_reads_back_from_its_json() -> None:
    """`_operations.json` holds `to_json` of each record; `operation_from_json` gives the same record."""
    assert records.operation_from_json(json.loads(json.dumps(records.to_json(FULL)))) == FULL
