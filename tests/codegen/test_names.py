"""Names from a vendor document that once broke the package: fields named like the runtime's Model API, a schema
named like the client, names Python reads as one (NFKC), look-alike letters, a 400-character operationId."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.cli import main
from sdkpipeline.codegen.identifiers import field_name, model_members, printed_name, shortened
from sdkpipeline.spec.repo import Repo

RUNTIME_MODELS = Repo.default().runtime / "_models.py"
LONG_ID = "get" + "Thing" * 79  # 398 characters


def _spec(properties: dict[str, Any], *, schemas: dict[str, Any] | None = None, op_id: str = "getThing") -> str:
    thing = {"type": "object", "properties": properties}
    return json.dumps(
        {
            "openapi": "3.0.3",
            "info": {"title": "Names", "version": "1"},
            "servers": [{"url": "https://names.example"}],
            "paths": {
                "/things/{id}": {
                    "get": {
                        "operationId": op_id,
                        "tags": ["things"],
                        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                            }
                        },
                    }
                }
            },
            "components": {"schemas": {"Thing": thing, **(schemas or {})}},
        }
    )


def _generate(tmp_path: Path, text: str, name: str = "out") -> tuple[int, Path]:
    spec = tmp_path / f"{name}.json"
    spec.write_text(text, encoding="utf-8")
    output = tmp_path / name
    return main(["generate", "--spec", str(spec), "--output", str(output)]), output


def _run(output: Path, code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=output, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_model_members_are_read_from_the_runtime() -> None:
    members = model_members(RUNTIME_MODELS)
    assert {"to_dict", "from_dict", "additional_properties", "to_json", "_fill", "_aliases", "_extra"} <= members
    assert "src_dict" not in members and "cls" not in members  # arguments and locals are no members


def test_a_field_named_like_a_member_is_suffixed() -> None:
    reserved = model_members(RUNTIME_MODELS)
    assert [field_name(n, reserved=reserved) for n in ("to_dict", "additional_properties", "name")] == [
        "to_dict_",
        "additional_properties_",
        "name",
    ]


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("\uff43olor", "color"),  # full-width c: Python reads it as `color`
        ("c\u043elor", "c_u043e_lor"),  # Cyrillic о among Latin letters: spelled out
        ("\u0441\u043e\u043b\u043e\u0440", "\u0441\u043e\u043b\u043e\u0440"),  # all Cyrillic: kept
        ("na\u00efve", "na\u00efve"),  # Latin with a diaeresis: kept
        ("api_version", "api_version"),  # ASCII (the quick way): as written
        ("_1st", "_1st"),
    ],
)
def test_printed_names_are_what_python_reads_and_look_alikes_are_spelled_out(written: str, printed: str) -> None:
    assert printed_name(written) == printed
    assert printed.isidentifier()


def test_a_long_name_is_shortened_the_same_way_every_time() -> None:
    name = "get_thing" + "_thing" * 70
    short = shortened(name)
    assert len(short) == 100 and short.startswith("get_thing_thing") and short == shortened(name)
    assert short != shortened(name + "_x") and shortened("short") == "short"
    assert short.endswith("_" + __import__("hashlib").sha256(name.encode()).hexdigest()[:10])


@pytest.mark.slow
def test_fields_named_like_the_model_api_keep_their_wire_names(tmp_path: Path) -> None:
    code, output = _generate(
        tmp_path, _spec({n: {"type": "string"} for n in ("to_dict", "from_dict", "additional_properties", "name")})
    )
    assert code == 0
    shown = _run(
        output,
        "from names_client.models import Thing\n"
        "t = Thing.from_dict({'to_dict': 'a', 'from_dict': 'b', 'additional_properties': 'c', 'name': 'n', 'x': 1})\n"
        "print(t.to_dict_, t.from_dict_, t.additional_properties_, t.additional_properties, sorted(t.to_dict()))",
    )
    assert shown == "a b c {'x': 1} ['additional_properties', 'from_dict', 'name', 'to_dict', 'x']"


@pytest.mark.slow
def test_a_cyrillic_look_alike_is_a_field_of_its_own_spelled_out(tmp_path: Path) -> None:
    code, output = _generate(tmp_path, _spec({"color": {"type": "string"}, "c\u043elor": {"type": "string"}}))
    assert code == 0
    shown = _run(
        output,
        "from names_client.models import Thing\n"
        "t = Thing.from_dict({'color': 'latin', 'c\\u043elor': 'cyrillic'})\n"
        "print(t.color, t.c_u043e_lor, Thing(c_u043e_lor='x').to_dict())",
    )
    assert shown == "latin cyrillic {'c\u043elor': 'x'}"


@pytest.mark.slow
def test_names_python_reads_as_one_are_an_error_naming_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _generate(tmp_path, _spec({"color": {"type": "string"}, "\uff43olor": {"type": "string"}}))
    assert code == 1 and not output.exists()
    err = capsys.readouterr().err
    assert "#/components/schemas/Thing/properties/color and #/components/schemas/Thing/properties/\uff43olor" in err
    assert "are one name to Python, `color`" in err and "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize("schema", ["Client", "AuthenticatedClient", "Operation"])
def test_a_schema_named_like_the_client_or_an_import_is_renamed(tmp_path: Path, schema: str) -> None:
    """A class name the package or its generated modules already use is a repair, not a refusal: the schema's class
    takes the first free `<Name>2`, and the package's own name still means what it meant."""
    extra = {schema: {"type": "object", "properties": {"a": {"type": "string"}}}}
    props = {"other": {"$ref": f"#/components/schemas/{schema}"}}
    code, output = _generate(tmp_path, _spec(props, schemas=extra))
    assert code == 0
    shown = _run(
        output,
        f"from names_client.models import Thing, {schema}2\n"
        "import names_client\n"
        "t = Thing.from_dict({'other': {'a': 'x'}})\n"
        f"print(type(t.other).__name__, t.other.a, {schema}2.__module__.startswith('names_client.models'))",
    )
    assert shown == f"{schema}2 x True"


@pytest.mark.slow
@pytest.mark.parametrize("schema", ["Names", "AsyncNames"])
def test_a_schema_named_like_a_resource_class_is_refused(
    tmp_path: Path, schema: str, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = {schema: {"type": "object", "properties": {"a": {"type": "string"}}}}
    props = {"other": {"$ref": f"#/components/schemas/{schema}"}}
    code, output = _generate(tmp_path, _spec(props, schemas=extra))
    assert code == 1 and not output.exists()
    err = capsys.readouterr().err
    assert (
        f"#/components/schemas/{schema}: a schema would be the class {schema}, which the package already names" in err
    )
    assert "`names` entry" in err


@pytest.mark.slow
def test_a_400_character_operation_id_generates_the_same_package_twice(tmp_path: Path) -> None:
    spec = tmp_path / "names.json"
    spec.write_text(_spec({"name": {"type": "string"}}, op_id=LONG_ID), encoding="utf-8")
    outputs = [tmp_path / run for run in ("first", "second")]
    for output in outputs:
        assert main(["generate", "--spec", str(spec), "--output", str(output)]) == 0
    (module,) = (outputs[0] / "names_client" / "api" / "things").glob("get_thing*.py")
    assert len(module.stem) == 100
    assert (outputs[1] / "names_client" / "api" / "things" / module.name).read_bytes() == module.read_bytes()
    index = json.loads((outputs[0] / "names_client" / "_operations.json").read_text(encoding="utf-8"))
    assert index["operations"][0]["operation_id"] == LONG_ID  # the spec's name stays the operation's


@pytest.mark.slow
def test_tags_are_packages_python_can_import(tmp_path: Path) -> None:
    """A full-width tag is the package Python's `import` looks for (NFKC); a look-alike tag is spelled out."""
    spec = json.loads(_spec({"name": {"type": "string"}}))
    spec["paths"]["/things/{id}"]["get"]["tags"] = ["\uff54hings"]  # full-width t
    spec["paths"]["/others"] = {
        "get": {"operationId": "listOthers", "tags": ["th\u0456ngs"], "responses": {"204": {"description": "none"}}}
    }
    code, output = _generate(tmp_path, json.dumps(spec))
    assert code == 0
    assert sorted(p.name for p in (output / "names_client" / "api").iterdir() if p.is_dir()) == [
        "th_u0456_ngs",
        "things",
    ]
    # Each method imports its endpoint module on first call: both calls reach the server.
    shown = _run(
        output,
        "import httpx, names_client\n"
        "seen = []\n"
        "def answer(request):\n"
        "    seen.append(request.url.path)\n"
        "    return httpx.Response(204 if request.url.path == '/others' else 200, json={'name': 'n'})\n"
        "client = names_client.Names(http_client=httpx.Client(transport=httpx.MockTransport(answer)))\n"
        "resources = [getattr(client, r) for r in sorted(vars(type(client))) if r.endswith(('hings', 'ngs'))]\n"
        "for resource in resources:\n"
        "    views = ('with_raw_response', 'with_streaming_response')\n"
        "    for method in [m for m in vars(type(resource)) if not m.startswith('_') and m not in views]:\n"
        "        getattr(resource, method)(*(['t1'] if method == 'retrieve' else []))\n"
        "print(sorted(seen))",
    )
    assert shown == "['/others', '/things/t1']"
