"""Consts and enum values with quotes and backslashes reach the wire exactly as the spec says; defaults are
the server's, documented exactly and never sent.

The generator escaped them twice (`a"b` was sent as `a\\"b`); the SDK is generated from a small spec and called
against a real HTTP server on 127.0.0.1, which records what arrives.
"""

from __future__ import annotations

import ast
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from sdkpipeline.cli import main
from sdkpipeline.codegen.escape import py_str

pytestmark = pytest.mark.slow

QUERY_DEFAULT = "a\"b\\c'd\u2028e"
CONST = 'k"\\q'
BODY_DEFAULT = 'l"""\\m'
ENUM_VALUES = ['say "hi"', "back\\slash"]


def _spec() -> dict[str, Any]:
    new_thing = {
        "type": "object",
        "required": ["kind", "shape"],
        "properties": {
            "kind": {"type": "string", "const": CONST},
            "label": {"type": "string", "default": BODY_DEFAULT},
            "shape": {"type": "string", "enum": ENUM_VALUES},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Wire", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "tags": ["things"],
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string", "default": QUERY_DEFAULT}}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}},
                    },
                    "responses": {"204": {"description": "created"}},
                }
            }
        },
        "components": {"schemas": {"NewThing": new_thing}},
    }


class _Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        self.received.append((self.path, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", _Recorder.received
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def wire_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("wire")
    spec = folder / "wire.json"
    spec.write_text(json.dumps(_spec()), encoding="utf-8")
    output = folder / "out"
    assert main(["generate", "--spec", str(spec), "--output", str(output)]) == 0
    sys.path.insert(0, str(output))
    try:
        import wire_client  # type: ignore[import-not-found]

        yield wire_client
    finally:
        sys.path.remove(str(output))
        for name in [m for m in sys.modules if m.split(".")[0] == "wire_client"]:
            del sys.modules[name]


def test_consts_and_enum_values_arrive_as_written_and_defaults_are_not_sent(
    wire_client: Any, server: tuple[str, list[tuple[str, bytes]]]
) -> None:
    url, received = server
    with wire_client.Wire(base_url=url, max_retries=0) as client:
        client.things.create(shape=ENUM_VALUES[0])
        client.things.create(shape=ENUM_VALUES[1], label="given", q="x")
    (path, body), (path2, body2) = received[-2:]
    assert parse_qs(urlsplit(path).query) == {}
    assert json.loads(body) == {"kind": CONST, "shape": ENUM_VALUES[0]}
    assert parse_qs(urlsplit(path2).query) == {"q": ["x"]}
    assert json.loads(body2) == {"kind": CONST, "label": "given", "shape": ENUM_VALUES[1]}


def test_the_enum_members_hold_the_values(wire_client: Any) -> None:
    from wire_client.models import NewThingShape  # type: ignore[import-not-found]

    assert sorted(member.value for member in NewThingShape) == sorted(ENUM_VALUES)


def test_the_documented_defaults_are_the_spec_values(wire_client: Any) -> None:
    """The method's docstring and the model field's docstring say the server's default as the exact literal."""
    doc = " ".join((wire_client.Wire(base_url="http://127.0.0.1").things.create.__doc__ or "").split())
    assert f"Server default: {py_str(QUERY_DEFAULT)}." in doc
    source = (Path(wire_client.__file__).parent / "models" / "new_thing.py").read_text(encoding="utf-8")
    (model,) = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ClassDef)]
    at = next(
        i
        for i, node in enumerate(model.body)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "label"
    )
    label, documented = model.body[at], model.body[at + 1]
    assert isinstance(label, ast.AnnAssign) and isinstance(label.value, ast.Constant) and label.value.value is None
    assert isinstance(documented, ast.Expr) and isinstance(documented.value, ast.Constant)
    assert documented.value.value == f"Server default: {py_str(BODY_DEFAULT)}."
