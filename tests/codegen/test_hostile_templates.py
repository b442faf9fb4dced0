"""Every template, rendered with hostile text in every field of a vendor document that reaches generated code,
writes nothing it did not write for benign text of the same role.

One spec is generated twice per API template folder (`templates/sdk.<api>/`, so every template under `templates/`
is rendered): once with benign text, once with the same text followed by a payload of every shape that could
close, break or change a string, a docstring, a Markdown line or a TOML value. Every generated `.py` must parse,
and its AST must equal the benign one once string constants are masked; `pyproject.toml`, `README.md` and
`_operations.json` must parse as their formats with the same structure; and where the text is data (a default, a
const, a header, a server URL, a wire name), the hostile string must reach a constant unchanged.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markdown_it import MarkdownIt

from sdkpipeline.codegen.generate import generate_api
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo

pytestmark = pytest.mark.slow

TEMPLATES = Repo.default().root / "templates"

# Shapes that close, break or change what they are printed into, each as a vendor could write it.
SHAPES = {
    "docstring close": '"""',
    "single-quoted docstring close": "'''",
    "code after a closed string": '+__import__("os").system("touch /tmp/pwned")+',
    "backslash escapes": "\\x41\\u0041\\N{DASH}\\",
    "escaped quote": '\\"',
    "newline and dedented code": "\nimport os\n",
    "carriage return": "\r\r\n",
    "line and paragraph separators, NEL": "\u2028\u2029\x85",
    "NUL, escape, DEL": "\x00\x1b\x7f",
    "bidi override, zero width": "\u202e\u200b",
    "format and template fields": "{0}{x}%s{{ x }}{% if %}",
    "comment": "# noqa",
    "Markdown fence, table cell, HTML, link": "\n```python\nimport os\n```\n| x | <script>[a](javascript:x)",
    "TOML table": '"]\n[evil]\nx = "',
    "trailing quote": '"',
}
PAYLOAD = "".join(SHAPES.values())
# For text that also names something (an operationId, a tag, a property, a parameter, a schema): shapes made
# only of characters every naming rule drops, so the names are the benign ones and the text still carries them.
NAME_SHAPES = {
    "docstring close": '"""',
    "single quotes": "'''",
    "backslash": "\\",
    "newline": "\n",
    "line separator": "\u2028",
    "NUL": "\x00",
    "format fields": "{}%",
    "comment": "#",
    "markup": "<>|`[]()",
    "operators": "+;=,*:!?@$^&~",  # no `/`: a class title is read as a reference path
    "trailing quote": '"',
}
NAME_PAYLOAD = "".join(NAME_SHAPES.values())

Text = Callable[[str, str], str]  # (role, benign text) → what the document holds


def _spec(text: Text) -> dict[str, Any]:
    """A small API whose every text field goes through `text`; `name` fields carry only NAME_PAYLOAD."""

    def name(benign: str) -> str:
        return text("name", benign)

    def prose(benign: str) -> str:
        return text("text", benign)

    thing = {
        "type": "object",
        "title": name("Thing"),  # a class name
        "description": prose("A thing."),
        "required": [name("Thing-Name")],
        "properties": {
            name("Thing-Name"): {"type": "string", "description": prose("Its name.")},
            name("kind-Of"): {"type": "string", "enum": [text("enum", "Round"), text("enum", "Square")]},
            name("label-Text"): {"type": "string", "default": text("default", "plain")},
            name("fixed-Value"): {"type": "string", "const": text("const", "fixed")},
            name("rank-Int"): {"type": "integer", "enum": [1, 2], "description": prose("An integer enum.")},
        },
    }
    list_op = {
        "operationId": name("listThings"),
        "tags": [name("things")],
        "summary": prose("List things."),
        "description": prose("Every thing."),
        "parameters": [
            {
                "name": name("Filter-By"),
                "in": "query",
                "description": prose("A filter."),
                # the example is printed in the endpoint function's docstring
                "schema": {"type": "string", "default": text("default", "all"), "example": prose("some")},
            },
            {
                "name": name("X-Trace-Id"),
                "in": "header",
                "description": prose("A header."),
                "schema": {"type": "string"},
            },
            {"name": name("session-Cookie"), "in": "cookie", "schema": {"type": "string"}},
            # A list that pages (cursor), so the README shows its pagination examples too.
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
            {"name": "starting_after", "in": "query", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {
                "description": prose("The things."),
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    }
                },
            }
        },
    }
    create_op = {
        "operationId": name("createThing"),
        "tags": [name("things")],
        "summary": prose("Create a thing."),
        "requestBody": {
            "required": True,
            "description": prose("The thing to create."),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        },
        "responses": {
            "201": {
                "description": prose("Created."),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
    }
    one = {
        "name": "thingId",
        "in": "path",
        "required": True,
        "description": prose("The id."),
        "schema": {"type": "string"},
    }
    get_op = {
        "operationId": name("getThing"),
        "tags": [name("things")],
        "description": prose("[Deprecated] use `/things` instead."),
        "parameters": [one],
        "responses": {
            "200": {
                "description": prose("One thing."),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
    }
    # One thing in an envelope, and a write on one thing with an Idempotency-Key: with the paging list above, every
    # optional part of the package README applies (its examples call `retrieve`, `cancel`, `list`).
    envelope = {
        "type": "object",
        "required": ["status", "data"],
        "properties": {
            "status": {"type": "string", "const": "success"},
            "data": {"type": "object", "properties": {"thing": {"$ref": "#/components/schemas/Thing"}}},
        },
    }
    retrieve_op = {
        "operationId": "retrieveThing",
        "tags": [name("things")],
        "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "One thing.", "content": {"application/json": {"schema": envelope}}}},
    }
    cancel_op = {
        "operationId": "cancelThing",
        "tags": [name("things")],
        "parameters": [
            {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {
                "description": "Cancelled.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
    }
    # A resource whose answers are the README's exceptions: one carries a member beside the resource (named by the
    # vendor), one holds no single resource (its `data` is returned whole).
    beside = {
        "type": "object",
        "required": ["status", "data"],
        "properties": {
            "status": {"type": "string", "const": "success"},
            "data": {
                "type": "object",
                "properties": {
                    "widget": {"$ref": "#/components/schemas/Thing"},
                    name("relatedThings"): {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                },
            },
        },
    }
    done = {
        "type": "object",
        "required": ["status", "data"],
        "properties": {
            "status": {"type": "string", "const": "success"},
            "data": {"type": "object", "properties": {"archived": {"type": "boolean"}}},
        },
    }
    widget_id = {"name": "widgetId", "in": "path", "required": True, "schema": {"type": "string"}}
    widget_ops = {
        "/widgets/{widgetId}": {
            "get": {
                "operationId": "retrieveWidget",
                "tags": ["widgets"],
                "parameters": [widget_id],
                "responses": {"200": {"description": "One.", "content": {"application/json": {"schema": beside}}}},
            }
        },
        "/widgets/{widgetId}/archive": {
            "post": {
                "operationId": "archiveWidget",
                "tags": ["widgets"],
                "parameters": [widget_id],
                "responses": {"200": {"description": "Done.", "content": {"application/json": {"schema": done}}}},
            }
        },
    }
    # A body that is one file, so the README shows its Uploads section.
    upload_op = {
        "operationId": name("uploadThingLogo"),
        "tags": [name("things")],
        "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        },
        "responses": {
            "200": {
                "description": prose("Uploaded."),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
    }
    event = {
        "type": "object",
        "title": "ThingEvent",
        "x-webhook-event": True,
        "required": ["type", "data"],
        "properties": {
            "type": {"type": "string", "const": text("const", "thing.created")},
            "data": {"$ref": "#/components/schemas/Thing"},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": prose("Hostile API"), "version": prose("1.0.0"), "description": prose("An API.")},
        "servers": [{"url": text("url", "https://api.example/v1")}],
        "security": [{name("keyScheme"): []}, {name("bearerScheme"): []}],
        "tags": [{"name": name("things"), "description": prose("Things.")}],
        "paths": {
            "/things": {"get": list_op, "post": create_op},
            "/things/{thingId}" + text("path", "/detail"): {"get": get_op},
            "/things/{thingId}": {"get": retrieve_op},
            "/things/{thingId}/cancel": {"post": cancel_op},
            "/things/{thingId}/logo": {"put": upload_op},
            **widget_ops,
        },
        "components": {
            "securitySchemes": {
                name("keyScheme"): {
                    "type": "apiKey",
                    "in": "header",
                    "name": text("header", "X-Api-Key"),
                    "description": prose("A key."),
                },
                name("bearerScheme"): {"type": "http", "scheme": "bearer", "description": prose("A token.")},
                name("queryScheme"): {"type": "apiKey", "in": "query", "name": text("header", "api-token")},
                name("cookieScheme"): {"type": "apiKey", "in": "cookie", "name": text("header", "session-key")},
            },
            "schemas": {"Thing": thing, "ThingEvent": event},
        },
    }


def _benign(role: str, text: str) -> str:
    return text


# Roles whose text also names something: an enum value its member, an apiKey's header its client argument.
NAME_ROLES = frozenset({"name", "path", "enum", "header"})


def _hostile(role: str, text: str) -> str:
    return text + (NAME_PAYLOAD if role in NAME_ROLES else PAYLOAD)


def _roles() -> dict[str, int]:
    """How many fields of each role the spec has (each a place the payload is put)."""
    counted: dict[str, int] = {}

    def count(role: str, text: str) -> str:
        counted[role] = counted.get(role, 0) + 1
        return text

    _spec(count)
    return counted


WEBHOOK_MARKER = "x-webhook-event"
API_FOLDERS = sorted(p.name.removeprefix("sdk.") for p in TEMPLATES.glob("sdk.*") if p.is_dir())


@dataclasses.dataclass(frozen=True)
class Pair:
    api: str
    benign: Path
    hostile: Path
    rendered: frozenset[str]


@pytest.fixture(scope="module", params=API_FOLDERS)
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """The spec generated with benign and with hostile text, as the registry's API of that template folder."""
    api_name: str = request.param
    base = tmp_path_factory.mktemp(f"hostile-{api_name}")
    # Appended to a file: the SDK layer's templates are loaded in a forked child (generate._beside).
    record = base / "rendered.txt"
    original = jinja2.Environment.get_template

    def recording(self: jinja2.Environment, name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        with record.open("a", encoding="utf-8") as names:
            names.write(str(getattr(name, "name", name)) + "\n")
        return original(self, name, *args, **kwargs)

    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Environment, "get_template", recording)
        for kind, text in (("benign", _benign), ("hostile", _hostile)):
            spec = base / kind / "spec.json"
            spec.parent.mkdir()
            document = _spec(text)
            # Webhook events are the project's own schemas (the overrides' `extra_schemas`; a vendor document's
            # `x-webhook-event` is dropped): given to a template folder whose webhooks module is built from them.
            event = document["components"]["schemas"].pop("ThingEvent")
            spec.write_text(json.dumps(document), encoding="utf-8")
            overrides = spec.with_name("overrides.yaml")
            if WEBHOOK_MARKER in (TEMPLATES / f"sdk.{api_name}" / "webhooks.py.jinja").read_text("utf-8"):
                spec.with_name("events.json").write_text(
                    json.dumps({"components": {"schemas": {"ThingEvent": event}}}), encoding="utf-8"
                )
                overrides.write_text(json.dumps({"patches": [], "extra_schemas": "events.json"}), encoding="utf-8")
            api = dataclasses.replace(load_registry()[api_name], spec=spec, overrides=overrides)
            outputs[kind] = base / kind / "out"
            generate_api(api, spec=spec, output=outputs[kind])
    rendered = frozenset(record.read_text(encoding="utf-8").splitlines())
    yield Pair(api_name, outputs["benign"], outputs["hostile"], rendered)


def test_the_payloads_cover_every_role_and_shape() -> None:
    roles = _roles()
    assert roles == {"name": 28, "text": 22, "enum": 2, "default": 2, "const": 2, "url": 1, "header": 3, "path": 1}
    assert (sum(roles.values()), len(SHAPES), len(NAME_SHAPES)) == (61, 15, 11)


def test_every_template_is_rendered(pair: Pair) -> None:
    every = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.jinja")}
    mine = {t for t in every if not t.startswith("sdk.") or t.startswith(f"sdk.{pair.api}/")}
    assert mine - pair.rendered == set(), "a template the hostile test does not render: give its fields payloads"


class _Masked(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant(value="…") if isinstance(node.value, str) else node


def _python(root: Path) -> dict[str, ast.Module]:
    return {str(p.relative_to(root)): ast.parse(p.read_bytes(), str(p)) for p in sorted(root.rglob("*.py"))}


def test_every_module_is_the_benign_one_but_for_its_strings(pair: Pair) -> None:
    benign, hostile = _python(pair.benign), _python(pair.hostile)
    assert sorted(hostile) == sorted(benign)
    different = [
        name for name in benign if ast.dump(_Masked().visit(benign[name])) != ast.dump(_Masked().visit(hostile[name]))
    ]
    assert different == []


def _masked_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _masked_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked_json(v) for v in value]
    return "…" if isinstance(value, str) else value


def _markdown_shape(text: str) -> list[tuple[str, str]]:
    return [(t.type, t.info if t.type == "fence" else "") for t in MarkdownIt("commonmark").enable("table").parse(text)]


def test_pyproject_readme_and_operation_index_parse_as_the_benign_ones(pair: Pair) -> None:
    assert _masked_json(tomllib.loads((pair.hostile / "pyproject.toml").read_text("utf-8"))) == _masked_json(
        tomllib.loads((pair.benign / "pyproject.toml").read_text("utf-8"))
    )
    readme = [(root / "README.md").read_text("utf-8") for root in (pair.benign, pair.hostile)]
    assert _markdown_shape(readme[1]) == _markdown_shape(readme[0])
    operations = [
        json.loads(next(root.glob("*/_operations.json")).read_text("utf-8")) for root in (pair.benign, pair.hostile)
    ]
    assert _masked_json(operations[1]) == _masked_json(operations[0])


def _strings(root: Path) -> set[str]:
    return {
        node.value
        for tree in _python(root).values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_data_reaches_the_code_unchanged(pair: Pair) -> None:
    strings = _strings(pair.hostile)
    for role, benign in [
        ("url", "https://api.example/v1"),  # DEFAULT_BASE_URL
        ("header", "X-Api-Key"),  # the credential's header
        ("header", "api-token"),
        ("header", "session-key"),
        ("const", "fixed"),  # a const field
        ("enum", "Round"),  # an enum member's value
        ("name", "Thing-Name"),  # a property's JSON key
        ("name", "X-Trace-Id"),  # a header parameter's name on the wire
        ("name", "keyScheme"),  # a security requirement
        ("name", "getThing"),  # the operationId in the operation's record
    ]:
        assert _hostile(role, benign) in strings, (role, benign)
    # A default is the server's: docstrings say it, the code neither holds nor sends it: not a model field's,
    # not a query parameter's (in the resources or the function layer).
    assert _hostile("default", "plain") not in strings
    assert _hostile("default", "all") not in strings
    if pair.api == "fungies":
        assert _hostile("const", "thing.created") in strings  # the webhook event type table
