"""Which media types openapi-python-client 0.29.1 sends and reads: one rule for the checks, passes and seam.

Sends: parser/bodies.py `body_from_data`; reads: parser/responses.py `_source_by_content_type`; a media
type is parsed as `strings.get_content_type` does (parameters dropped; an unparsable one is none at all).
https://github.com/openapi-generators/openapi-python-client/tree/v0.29.1/openapi_python_client/parser
"""

from __future__ import annotations

from email.message import Message
from typing import Any

from ..spec.pointer import is_local_ref
from .walk import Tokens, operations, types_of

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
OCTET_STREAM = "application/octet-stream"
# The schema of a body or response the SDK passes through as bytes (a `File`).
RAW_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}


def media_type(media: str) -> str | None:
    """`application/json; charset=utf-8` → `application/json`; None when it does not parse."""
    message = Message()
    message.add_header("Content-Type", media)
    parsed = message.get_content_type()
    return parsed if media.startswith(parsed) else None


def sendable_rank(media: str) -> int | None:
    """How well the SDK sends a request body in `media` (0 best: JSON); None when the generator cannot."""
    parsed = media_type(media)
    if parsed is None:
        return None
    if parsed == JSON or parsed.endswith("+json"):
        return 0 if parsed == JSON else 1
    order = {FORM: 2, MULTIPART: 3, OCTET_STREAM: 4}
    return order.get(parsed)


def readable_rank(media: str) -> int | None:
    """How well the SDK reads a response in `media` (0 best: JSON); None when the generator cannot."""
    parsed = media_type(media)
    if parsed is None:
        return None
    if parsed == JSON or parsed.endswith("+json"):
        return 0 if parsed == JSON else 1
    if parsed == OCTET_STREAM:
        return 2
    return 3 if parsed.startswith("text/") else None


def can_send(media: str) -> bool:
    return sendable_rank(media) is not None


def can_read(media: str) -> bool:
    return readable_rank(media) is not None


def is_raw_schema(schema: Any) -> bool:
    """A binary string: what the SDK sends and reads as bytes."""
    return isinstance(schema, dict) and types_of(schema) == ["string"] and schema.get("format") == "binary"


def bodies_and_responses(doc: dict[str, Any]) -> list[tuple[dict[str, Any], Tokens, bool]]:
    """(request body or response, its pointer tokens, whether it is a request body), inline and shared ones."""
    found: list[tuple[dict[str, Any], Tokens, bool]] = []
    for path, method, op in operations(doc):
        base = ("paths", path, method)
        body = op.get("requestBody")
        if isinstance(body, dict) and not is_local_ref(body.get("$ref")):
            found.append((body, (*base, "requestBody"), True))
        for status, response in (op.get("responses") or {}).items():
            if isinstance(response, dict) and not is_local_ref(response.get("$ref")):
                found.append((response, (*base, "responses", str(status)), False))
    components = doc.get("components") or {}
    for kind in ("requestBodies", "responses"):
        for name, owner in (components.get(kind) or {}).items():
            if isinstance(owner, dict) and not is_local_ref(owner.get("$ref")):
                found.append((owner, ("components", kind, str(name)), kind == "requestBodies"))
    return found


def raw_media_types(doc: dict[str, Any]) -> set[str]:
    """Media types the generator does not handle in which the document has a raw (binary) body or response."""
    raw: set[str] = set()
    for owner, _, is_request in bodies_and_responses(doc):
        for media, item in _content(owner):
            native = can_send(media) if is_request else can_read(media)
            if not native and isinstance(item, dict) and is_raw_schema(item.get("schema")):
                raw.add(media)
    return raw


def raw_media_overrides(doc: dict[str, Any]) -> dict[str, str]:
    """The generator's `content_type_overrides`: each of `raw_media_types` is sent and read as octet-stream.

    The generator keeps the declared media type as the request's Content-Type.
    """
    return dict.fromkeys(sorted(raw_media_types(doc)), OCTET_STREAM)


def _content(owner: Any) -> list[tuple[str, Any]]:
    content = owner.get("content") if isinstance(owner, dict) else None
    return [(str(k), v) for k, v in content.items()] if isinstance(content, dict) else []
