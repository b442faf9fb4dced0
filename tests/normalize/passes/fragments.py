"""The tiny inline specs the pass tests are written in, and the two ways they run one pass through the runner."""

from __future__ import annotations

import copy
from typing import Any

from sdkpipeline.normalize import Overrides, PassLog, normalize
from sdkpipeline.normalize.passes import Pass

Doc = dict[str, Any]
NOTHING = "found nothing to change"
NO_OVERRIDES = Overrides()
REF = "#/components/schemas/{}".format
NULL = {"type": "null"}


def make_spec(schemas: Doc | None = None, paths: Doc | None = None, version: str = "3.1.0") -> Doc:
    doc: Doc = {"openapi": version, "info": {"title": "Shop", "version": "1.0.0"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def make_op(operation_id: str, **fields: Any) -> Doc:
    return {"operationId": operation_id, "responses": {"200": {"description": "ok"}}, **fields}


def json_content(schema: Doc) -> Doc:
    return {"content": {"application/json": {"schema": schema}}}


def make_obj(**properties: Any) -> Doc:
    return {"type": "object", "properties": properties}


CURRENCY = {"type": "string", "enum": ["USD", "EUR"]}
ADDRESS = make_obj(street={"type": "string"}, city={"type": "string"})


def run_pass(step: Pass, doc: Doc, overrides: Overrides = NO_OVERRIDES) -> tuple[Doc, PassLog]:
    """Run one pass through the runner (which checks the document and logs the pass), as for a published SDK."""
    return normalize(
        doc, overrides, passes=(step,), keep_decisions=True
    )  # the document states earlier passes' decisions


def run_repair(
    step: Pass, doc: Doc, overrides: Overrides | None = None, *, strict: bool = False
) -> tuple[Doc, PassLog]:
    """One pass through the runner, as ad hoc mode runs it unless `strict` (a published SDK)."""
    return normalize(doc, overrides or Overrides(), passes=(step,), strict=strict)


def schemas_of(doc: Doc) -> Doc:
    schemas: Doc = doc["components"]["schemas"]
    return schemas


def changes_of(log: PassLog) -> list[tuple[str, str]]:
    return [(c.pointer, c.message) for c in log.changes]


def assert_nothing_to_do(step: Pass, doc: Doc, overrides: Overrides = NO_OVERRIDES) -> None:
    out, log = run_pass(step, copy.deepcopy(doc), overrides)
    assert log.changes == []
    assert log.warnings == [f"{step.__name__}: {NOTHING}"]
    assert out == doc
