"""Small spec fragments for the codegen tests: each goes through the normalizer and the generator's parser as a real
spec would, and `model` gives the SDK model of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sdkpipeline.codegen import generator
from sdkpipeline.codegen.model import SdkModel, build_model
from sdkpipeline.normalize import Overrides, normalize
from sdkpipeline.spec.repo import Repo

Doc = dict[str, Any]


def document(paths: Doc, *, schemas: Doc | None = None, security: Doc | None = None) -> Doc:
    doc: Doc = {
        "openapi": "3.1.0",
        "info": {"title": "Shop", "version": "1.0.0"},
        "servers": [{"url": "https://api.shop.example/v1"}],
        "paths": paths,
        "components": {"schemas": schemas or {}},
    }
    if security is not None:
        doc["components"]["securitySchemes"] = security
        doc["security"] = [{name: []} for name in security]
    return doc


def parse_fragment(normalized: Doc, tmp_path: Path) -> generator.Parsed:
    return generator.parse(
        normalized,
        document_file=tmp_path / "normalized.yaml",
        output=tmp_path / "out",
        dist_name="shop-client",
        package="shop_client",
        version="1.0.0",
        templates=Repo.default().templates,
        spec_path=tmp_path / "shop.yaml",
    )


def sdk_model(
    doc: Doc, tmp_path: Path, overrides: Overrides | None = None, *, keep_decisions: bool = False
) -> SdkModel:
    """The SDK model of a fragment; `keep_decisions` when the fragment states the project's own decisions (its
    webhook events, which a vendor document cannot)."""
    normalized, _ = normalize(doc, overrides or Overrides(), keep_decisions=keep_decisions)
    parsed = parse_fragment(normalized, tmp_path)
    assert parsed.problems() == []  # the generator read every part of the fragment
    return build_model(normalized, parsed, package="shop_client", env_prefix="SHOP")


def obj(required: list[str] | None = None, **properties: Any) -> Doc:
    schema: Doc = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def ok(schema: Doc, status: str = "200") -> Doc:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def query_params(*names: str) -> list[Doc]:
    return [{"name": n, "in": "query", "required": False, "schema": {"type": "integer"}} for n in names]


def listing(op_id: str, query: list[Doc], page: Doc) -> Doc:
    return {"get": {"operationId": op_id, "tags": ["Things"], "parameters": query, "responses": ok(page)}}


THING = obj(["id"], id={"type": "string"}, name={"type": "string"})
THINGS = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}


def post_operation(op_id: str, body_schema: Doc, *, path: str = "/orders", required: bool = True) -> Doc:
    body = {"required": required, "content": {"application/json": {"schema": body_schema}}}
    post = {"operationId": op_id, "tags": ["Orders"], "requestBody": body, "responses": ok(THING, "201")}
    return {path: {"post": post}}


BY_AMOUNT = obj(["amount_kg"], amount_kg={"type": "number"}, note={"type": "string"})
BY_PRICE = obj(["price_usd_cents"], price_usd_cents={"type": "integer"}, note={"type": "string"})
TWO_VARIANTS = {"oneOf": [{"$ref": "#/components/schemas/ByAmount"}, {"$ref": "#/components/schemas/ByPrice"}]}
