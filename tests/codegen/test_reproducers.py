"""The smallest documents that show each way a real-world document went wrong (tests/data/reproducers), through
ad hoc mode: each now generates, with the repair said where it happened, or fails with every problem at once.

Each reproducer's first lines say what went wrong before and what repairs it now.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sdkpipeline.cli import main

pytestmark = pytest.mark.slow

REPRODUCERS = Path(__file__).resolve().parents[1] / "data" / "reproducers"


@dataclass(frozen=True)
class Made:
    """What one ad hoc run printed and wrote."""

    code: int
    printed: str
    output: Path

    @property
    def package(self) -> Path:
        (package,) = [p for p in self.output.iterdir() if (p / "__init__.py").is_file()]
        return package

    def module(self, *parts: str) -> str:
        return self.package.joinpath(*parts).read_text(encoding="utf-8")

    def operations(self) -> list[dict[str, str]]:
        index = json.loads(self.module("_operations.json"))
        return [{"method": op["method"], "path": op["path"], "name": op["name"]} for op in index["operations"]]


def _generate(spec: Path, output: Path) -> Made:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = main(["generate", "--spec", str(spec), "--output", str(output)])
    return Made(code, printed.getvalue(), output)


@dataclass(frozen=True)
class Case:
    file: str
    said: str  # what the run prints where it repaired the document
    check: Callable[[Made], object]  # what the package shows of the repair (asserts)


def _enum_members(made: Made, ending: str) -> list[str]:
    (module,) = (made.package / "models").glob(f"*{ending}")
    return re.findall(r"^    (\w+) = ", module.read_text(encoding="utf-8"), re.MULTILINE)


def _check_any_media(made: Made) -> None:
    replace = made.module("api", "default", "replace_deployment.py")
    assert "body: Deployment" in replace and '"application/json"' in replace
    assert "File" in made.module("api", "default", "upload_avatar.py")


def _check_enums(made: Made) -> None:
    assert _enum_members(made, "_direction.py") == ["ASC", "ASC_2", "DESC", "DESC_2"]
    assert _enum_members(made, "_op.py") == ["ADD", "ADD_2", "REMOVE"]
    assert _enum_members(made, "_zone.py") == ["GMT0", "GMT0_2", "UTC"]


def _check_dropped_default(made: Made) -> None:
    assert "metadata: ObjectMeta | None = None\n" in made.module("models", "deployment.py")


def _check_enum_default(made: Made) -> None:
    assert [op["path"] for op in made.operations()] == ["/orders"]  # the operation is kept


def _check_clash(made: Made) -> None:
    assert "status: OrderStatus2 | " in made.module("models", "order.py")
    assert "payment_status: OrderStatus | " in made.module("models", "order.py")


def _check_head(made: Made) -> None:
    assert sorted(op["method"] for op in made.operations()) == ["GET", "HEAD"]
    assert (made.package / "api" / "default" / "get_order_head.py").is_file()


def _check_hoisted_name(made: Made) -> None:
    # The vendor's `plan` keeps class Plan; the shared shape, which wanted that name too, has one of its own.
    assert "class Plan(Model):\n    id: str" in made.module("models", "plan.py")
    assert "plan: InvoicesPlan | None = None" in made.module("models", "default_subscriptions_response.py")


def _check_date(made: Made) -> None:
    assert "datetime.date.fromisoformat('2024-01-31')" in made.module("api", "default", "list_orders.py")


def _check_codes(made: Made) -> None:
    assert "(404, 404," in made.module("api", "default", "list_tasks.py")


def _check_required(made: Made) -> None:
    (body,) = (made.package / "models").glob("*_params.py")
    assert "    name: str\n" in body.read_text(encoding="utf-8")


def _check_path_parameter(made: Made) -> None:
    assert "id: str," in made.module("api", "default", "get_order.py")


def _check_bytes(made: Made) -> None:
    assert "body: File" in made.module("api", "default", "create_order.py")


def _check_union(made: Made) -> None:
    assert "class ResultA2(Model):" in made.module("models", "result_a2.py")


def _check_alias(made: Made) -> None:
    assert "class TemplateResponse(Model)" in made.module("models", "template_response.py")


def _check_fragments(made: Made) -> None:
    mini = made.module("models", "file_mini.py")
    assert "sequence_id: str | None = None" in mini and "role: Role | " in mini


def _check_redefinition(made: Made) -> None:
    assert "resource_subtype: TaskResourceSubtype | " in made.module("models", "attachment_parent.py")


def _check_nothing(made: Made) -> None:
    assert made.operations()


GENERATED = [
    # a body declared in */*: JSON for a structured schema, raw bytes for a file
    Case("any_media_type_body.yaml", "request body in */*: sent as JSON (application/json)", _check_any_media),
    # a default beside allOf [$ref] to a model: dropped, the property named
    Case(
        "default_beside_all_of_ref.yaml",
        "property 'metadata': dropped default {}: a model takes no default",
        _check_dropped_default,
    ),
    # an enum default that is none of its values: dropped, naming the parameter, the value and the enum
    Case(
        "enum_default_not_a_value.yaml",
        "parameter 'sort': dropped default '': not one of the enum's values ('newest', 'oldest')",
        _check_enum_default,
    ),
    # required: true on a property and on a body's schema
    Case(
        "required_true_on_property.yaml",
        "`required: true` on property 'name' moved to its parent's list",
        _check_required,
    ),
    # an optional, nullable path parameter
    Case("nullable_path_parameter.yaml", "path parameter 'id' made required", _check_path_parameter),
    # two classes the generator would name alike
    Case("generator_class_name_clash.yaml", "this enum is class OrderStatus2", _check_clash),
    # a structured body only in a media type the generator cannot send: raw bytes (lossy, said)
    Case("structured_body_in_another_media_type.yaml", "its schema is not used (the caller encodes it)", _check_bytes),
    # colliding enum members and a value listed twice
    Case("colliding_enum_members.yaml", "enum members named apart: 'asc' → ASC_2, 'desc' → DESC_2", _check_enums),
    # a hoisted name beside a vendor component the generator names alike
    Case("hoisted_name_beside_vendor_component.yaml", "", _check_hoisted_name),
    # an unquoted YAML date in a default and an example
    Case("unquoted_date.yaml", "", _check_date),
    # response codes written as YAML integers
    Case("integer_response_codes.yaml", "", _check_codes),
    # $ref in an example and in x- extensions (one pointing at a file that does not exist)
    Case("ref_in_example_and_extension.yaml", "", _check_nothing),
    # a HEAD and a GET with one operationId
    Case("head_and_get_share_an_operation_id.yaml", "renamed 'getOrder_head'", _check_head),
    # a union member titled like a component
    Case("union_member_titled_like_a_component.yaml", "this model is class ResultA2", _check_union),
    # a component that is allOf of one model
    Case("component_alias_of_a_model.yaml", "a copy of it", _check_alias),
    # allOf of scalar fragments, of a reference and its description, a nullable base model
    Case("all_of_fragments.yaml", "2 fragments of one string: merged", _check_fragments),
    # a property defined again in an allOf with a type the generator cannot merge
    Case("all_of_redefinition.yaml", "the first definition stands", _check_redefinition),
    # Swagger 2.0, converted
    Case("swagger2/kennel.yaml", "", _check_nothing),
    # a document over several files, bundled
    Case("multi_file/openapi.yaml", "", _check_nothing),
]


@pytest.mark.parametrize("case", GENERATED, ids=lambda c: c.file)
def test_the_reproducer_generates_with_its_repair_said(case: Case, tmp_path: Path) -> None:
    made = _generate(REPRODUCERS / case.file, tmp_path / "out")
    assert made.code == 0, made.printed
    assert case.said in made.printed
    case.check(made)


def test_every_reproducer_has_a_case() -> None:
    files = {str(p.relative_to(REPRODUCERS)) for p in REPRODUCERS.rglob("*.yaml")}
    parts = {"multi_file/parameters.yaml", "multi_file/paths/orders.yaml", "multi_file/schemas/order.yaml"}
    parts |= {"multi_file/schemas/line.yaml", "overrides_typo/overrides.yaml"}
    refused = {"problems_of_every_stage.yaml", "overrides_typo/spec.yaml"}
    assert files - parts - refused == {c.file for c in GENERATED}


def test_a_converted_document_is_kept_beside_what_it_made(tmp_path: Path) -> None:
    made = _generate(REPRODUCERS / "swagger2" / "kennel.yaml", tmp_path / "out")
    assert made.code == 0, made.printed
    converted = (tmp_path / "out" / "kennel.prepared.yaml").read_text(encoding="utf-8")
    assert "converted from Swagger 2.0 by swagger2openapi 7.0.8" in converted
    assert "openapi: 3.0.0" in converted
    normalized = (tmp_path / "out" / "kennel.normalized.yaml").read_text(encoding="utf-8")
    assert "# kennel.yaml: converted from Swagger 2.0 by swagger2openapi 7.0.8" in normalized


def test_problems_of_every_stage_come_in_one_run(tmp_path: Path) -> None:
    """A check's problems, a broken reference and what only the generator's parse finds: one error."""
    made = _generate(REPRODUCERS / "problems_of_every_stage.yaml", tmp_path / "out")
    assert made.code == 1
    assert "4 problems; nothing was written" in made.printed
    places = re.findall(r"problems_of_every_stage\.yaml(#\S+):", made.printed)
    assert places == [
        "#/components/schemas/Order/not",
        "#/paths/~1refunds/get/responses/200/content/application~1json/schema/$ref",
        "#/components/schemas/Order/properties/kind",
        "#/paths/~1orders/get/responses/200/content/application~1json/schema/items",
    ]
    assert "property 'kind', enum [1, 'standard']" in made.printed
    assert "Traceback" not in made.printed
    assert not (tmp_path / "out").exists()


def test_a_misspelt_overrides_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    made = _generate(REPRODUCERS / "overrides_typo" / "spec.yaml", tmp_path / "out")
    assert made.code == 1
    assert "overrides.yaml#/renames: unknown key 'renames': did you mean 'names'? at line 1" in made.printed
    assert "overrides.yaml#/patches/0/resaon: unknown key 'resaon': did you mean 'reason'? at line 6" in made.printed
    assert "overrides.yaml#/repairs/drop_unsupported_defaults: 'drop_unsupported_defaults': Input should be" in (
        made.printed
    )
