"""Media types: one per request body and per response, the one the SDK sends or reads (JSON first).

openapi-python-client 0.29.1 sends JSON, forms, multipart and octet-stream, and reads JSON, text/* and
octet-stream (normalize/media.py). Offered several media types for one body, it types the method's `body`
as the union of their models and picks the encoding by `isinstance`, so one model offered as JSON and as
a form is sent as whichever comes last; a media type it cannot handle drops the whole operation. These
passes leave one media type per body and per response: the one the SDK handles best, or raw bytes in the
declared media type.
"""

from __future__ import annotations

from typing import Any

from ...spec.pointer import is_local_ref, pointer, resolve_ref
from ..context import Overrides, PassLog
from ..media import (
    JSON,
    MULTIPART,
    OCTET_STREAM,
    RAW_SCHEMA,
    bodies_and_responses,
    is_raw_schema,
    media_type,
    raw_media_types,
    readable_rank,
    sendable_rank,
)
from ..walk import types_of
from ._common import Document


def fill_missing_body_schemas(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A request body media type without a schema (any content) gets one, so the generator keeps the body.

    JSON takes any JSON value (`{}`), a form or multipart body any fields (`type: object`), anything else
    raw bytes. openapi-python-client refuses a body without a schema ("Missing schema") and drops the
    operation when it has no other one.
    """
    for owner, tokens, is_request in bodies_and_responses(doc):
        content = owner.get("content")
        if not is_request or not isinstance(content, dict):
            continue
        for media, item in content.items():
            if item is None:
                item = content[media] = {}
            if not isinstance(item, dict) or "schema" in item:
                continue
            rank = sendable_rank(str(media))
            schema: dict[str, Any] = (
                {} if rank in (0, 1) else {"type": "object"} if rank in (2, 3) else dict(RAW_SCHEMA)
            )
            item["schema"] = schema
            what = "any JSON value" if rank in (0, 1) else "any fields" if rank in (2, 3) else "raw bytes"
            log.change(pointer(*tokens, "content", str(media), "schema"), f"no schema: the body is {what}")
    return doc


# Media ranges a request body may be declared in: "any type", "any application type".
_WILDCARDS = ("*/*", "application/*")


def send_wildcard_bodies_as_json(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A request body declared in a media range (`*/*`, `application/*`) is sent as JSON, or as raw bytes.

    The range admits JSON, which the SDK sends typed: a structured schema (Kubernetes' `*/*` bodies are
    its objects) becomes `application/json`; a string schema (a file, a text) becomes raw bytes in
    `application/octet-stream`. openapi-python-client drops an operation whose only body is a range.
    """
    for owner, tokens, is_request in bodies_and_responses(doc):
        content = owner.get("content")
        if not is_request or not isinstance(content, dict):
            continue
        for media in [m for m in content if media_type(str(m)) in _WILDCARDS]:
            item = content[media]
            text = not isinstance(item, dict) or _is_text(doc, item.get("schema"))
            target = OCTET_STREAM if text else JSON
            if target in content:
                del content[media]  # the body is offered in that type already
                log.change(pointer(*tokens, "content"), f"request body in {media} and {target}: the SDK sends {target}")
                continue
            moved = {(target if m == media else m): v for m, v in content.items()}
            content.clear()
            content.update(moved)
            if text and isinstance(item, dict):
                item["schema"] = dict(RAW_SCHEMA)
            what = "raw bytes" if text else "JSON"
            log.change(pointer(*tokens, "content", str(media)), f"request body in {media}: sent as {what} ({target})")
    return doc


def wrap_multipart_files(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A multipart body whose schema is one file (Jira's attachments) is a form with that file as its `file` part.

    openapi-python-client sends a multipart body from a model's fields; a bare binary schema leaves it nothing to
    send (the generated code calls `to_multipart()` on a File, which has none). `file` is the part name such APIs
    use and the only guess here, so the repair is lossy: a published SDK names the part with a patch instead.
    """
    for owner, tokens, is_request in bodies_and_responses(doc):
        content = owner.get("content")
        if not is_request or not isinstance(content, dict):
            continue
        for media, item in content.items():
            if media_type(str(media)) != MULTIPART or not isinstance(item, dict):
                continue
            if not is_raw_schema(item.get("schema")):
                continue
            item["schema"] = {"type": "object", "properties": {"file": dict(RAW_SCHEMA)}, "required": ["file"]}
            log.change(
                pointer(*tokens, "content", str(media), "schema"),
                "a multipart body that is one file: sent as the form part `file`",
                lossy=True,
            )
    return doc


def prefer_json_media_types(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A body or response offered in several media types keeps the one the SDK handles best (JSON first).

    Requests: JSON, then `+json`, a form, multipart, octet-stream. Responses: JSON, then `+json`,
    octet-stream, text. The others are dropped with a warning naming them.
    """
    for owner, tokens, is_request in bodies_and_responses(doc):
        content = owner.get("content")
        if not isinstance(content, dict) or len(content) < 2:
            continue
        rank = sendable_rank if is_request else readable_rank
        ranked = sorted((r, i, str(m)) for i, m in enumerate(content) if (r := rank(str(m))) is not None)
        if not ranked:
            continue  # nothing the generator handles: treat_other_media_as_bytes takes the first
        kept = ranked[0][2]
        _keep_only(content, kept, tokens, is_request=is_request, log=log)
    return doc


def treat_other_media_as_bytes(doc: Document, overrides: Overrides, log: PassLog) -> Document:
    """A body or response only in media types the generator cannot handle is raw bytes in the first of them.

    A response is read as bytes whatever its schema (the caller parses the XML, the spreadsheet…), and a
    request body is sent as bytes (the caller encodes the YAML patch, the XML object: a structured schema
    is lost, which the log says). A body or response in a media type some request sends raw is raw too:
    the generator handles one media type one way.
    """
    for owner, tokens, is_request in bodies_and_responses(doc):
        content = owner.get("content")
        if not isinstance(content, dict) or not content:
            continue
        rank = sendable_rank if is_request else readable_rank
        if any(rank(str(m)) is not None for m in content):
            continue
        first, item = next(iter(content.items()))
        if len(content) > 1:
            _keep_only(content, str(first), tokens, is_request=is_request, log=log)
        if isinstance(item, dict) and not is_raw_schema(item.get("schema")):
            _make_raw(doc, item, (*tokens, "content", str(first)), is_request=is_request, log=log)
    raw = raw_media_types(doc)
    for owner, tokens, is_request in bodies_and_responses(doc):
        for media, item in (owner.get("content") or {}).items():
            if str(media) in raw and isinstance(item, dict) and not is_raw_schema(item.get("schema")):
                _make_raw(doc, item, (*tokens, "content", str(media)), is_request=is_request, log=log)
    return doc


def _keep_only(
    content: dict[str, Any], kept: str, tokens: tuple[str | int, ...], *, is_request: bool, log: PassLog
) -> None:
    dropped = [str(m) for m in content if m != kept]
    for media in dropped:
        del content[media]
    what, verb = ("request body", "sends") if is_request else ("response", "reads")
    log.change(pointer(*tokens, "content"), f"{what} offered as {', '.join([kept, *dropped])}: the SDK {verb} {kept}")


def _make_raw(
    doc: Document, item: dict[str, Any], tokens: tuple[str | int, ...], *, is_request: bool, log: PassLog
) -> None:
    structured = not _is_text(doc, item.get("schema"))
    item["schema"] = dict(RAW_SCHEMA)
    verb, who = ("sent", "the caller encodes it") if is_request else ("read", "the caller decodes it")
    lost = f"; its schema is not used ({who})" if structured else ""
    log.change(
        pointer(*tokens, "schema"),
        f"{tokens[-1]} is no media type the generator handles: {verb} as raw bytes (a File) in that media type{lost}",
        lossy=structured and is_request,  # a response's bytes are all there; a body's schema is gone
    )


def _is_text(doc: Document, schema: Any) -> bool:
    """A string schema (through a local `$ref`), or none at all: content the caller can hand over as bytes."""
    if isinstance(schema, dict) and is_local_ref(schema.get("$ref")):
        try:
            schema = resolve_ref(doc, schema["$ref"])
        except (KeyError, IndexError, TypeError, ValueError):
            return False
    return not schema or (isinstance(schema, dict) and types_of(schema) == ["string"])
