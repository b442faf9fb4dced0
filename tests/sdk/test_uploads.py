"""Uploads (CNaught's logo, `subaccounts.upload_logo`), blocking and asyncio, against a real server on 127.0.0.1: the
file given as bytes, a `pathlib.Path`, a binary file object, a `(file name, content[, content type])` tuple or
`File` goes out as its bytes with the content type it was given or its name says; anything else is refused before
anything is sent.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import cnaught_client
import pytest
from cnaught_client.types import File

from sdkpipeline.testing.faultserver import Reply, running

from .conftest import CN_KEY, resolve

PNG = b"\x89PNG\r\n\x1a\n-logo-bytes"
SUBACCOUNT = json.dumps({"id": "s1", "name": "Shop", "logo_url": "https://cdn.example/logo.png"}).encode()


def _client(engine: str, url: str) -> Any:
    cls = cnaught_client.AsyncCNaught if engine == "async" else cnaught_client.CNaught
    return cls(api_key=CN_KEY, base_url=url, max_retries=0)


@pytest.mark.parametrize(
    ("form", "content_type"),
    [
        ("bytes", "application/octet-stream"),
        ("path", "image/png"),
        ("binary file", "image/png"),
        ("tuple", "image/svg+xml"),
        ("name and content", "image/png"),
        ("File", "image/webp"),
    ],
)
async def test_a_logo_in_any_form_goes_out_as_its_bytes(
    engine: str, form: str, content_type: str, tmp_path: Path
) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(PNG)
    with path.open("rb") as opened:
        given: Any = {
            "bytes": PNG,
            "path": path,
            "binary file": opened,
            "tuple": ("logo.svg", PNG, "image/svg+xml"),
            "name and content": ("logo.png", io.BytesIO(PNG)),
            "File": File(payload=io.BytesIO(PNG), file_name="logo", mime_type="image/webp"),
        }[form]
        with running(lambda seen: Reply(body=SUBACCOUNT)) as server:
            client = _client(engine, server.url)
            subaccount = await resolve(client.subaccounts.upload_logo("s1", body=given))
            await resolve(client.close())
    assert subaccount.logo_url == "https://cdn.example/logo.png"
    (seen,) = server.snapshot()
    assert (seen.method, seen.path, seen.body) == ("PUT", "/subaccounts/s1/logo", PNG)
    assert seen.headers["content-type"] == content_type


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("logo.png", r"body: a str is neither a file nor its content here: pass pathlib\.Path\('logo\.png'\)"),
        (io.StringIO("text"), "open it in binary mode"),
        (("logo.png",), r"is \(file name, content\) or \(file name, content, content type\)"),
        (12, "a file is given as bytes, a pathlib.Path, .* not int"),
    ],
)
async def test_anything_else_is_refused_before_sending(engine: str, given: Any, message: str) -> None:
    with running(lambda seen: Reply(body=SUBACCOUNT)) as server:
        client = _client(engine, server.url)
        with pytest.raises(TypeError, match=message):
            await resolve(client.subaccounts.upload_logo("s1", body=given))
        await resolve(client.close())
    assert server.snapshot() == []
