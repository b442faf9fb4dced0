"""`sdkpipeline generate --spec BAD --output DIR` on the bad-spec corpus (issue 6, item 1).

Each case: the exit code, ONE message naming the file and the JSON pointer or line (or, for several
problems, one error listing each with its place), no traceback, and the previous output in DIR
byte-identical afterwards (or, where the normalizer fixes the input safely, success plus a warning naming
what it changed and where). Issue 17: every problem in one run, the overrides' patches before the checks,
optional operationIds, generator warnings judged one by one.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from sdkpipeline.cli import main
from sdkpipeline.codegen.drift import compare_trees

DATA = Path(__file__).resolve().parents[1] / "data"
BAD = DATA / "bad_specs"
SHOP = DATA / "specs" / "shop.yaml"


@dataclass(frozen=True)
class Case:
    file: str
    exit_code: int
    message: str  # what the one error line must say
    where: str  # the JSON pointer (after '#') or line (after ':') shown right after the file name


CASES = [
    # not YAML: the parser's line and column
    Case("not_yaml.yaml", 1, "not valid YAML", ":4:6"),
    # YAML, but not an OpenAPI document
    Case("not_openapi.yaml", 1, "not an OpenAPI 3.x document", "#/openapi"),
    # an empty file: there is no place to point at, the file is the place
    Case("empty.yaml", 1, "the file is empty", ""),
    # a local $ref to a component that does not exist
    Case(
        "ref_to_nothing.yaml",
        1,
        "points to nothing",
        "#/paths/~1orders/get/responses/200/content/application~1json/schema/items/$ref",
    ),
    # a $ref into another file, which does not exist either
    Case(
        "ref_to_missing_file.yaml",
        1,
        "points into another file, which does not exist",
        "#/paths/~1orders/get/responses/200/content/application~1json/schema/$ref",
    ),
    # two operations with the same operationId
    Case(
        "duplicate_operation_ids.yaml", 1, "duplicate operationId 'getOrders'", "#/paths/~1orders~1{id}/get/operationId"
    ),
    # enum values equal but for case (the generator crashes on them)
    Case(
        "enum_values_equal_but_for_case.yaml",
        1,
        "enum values 'usd' and 'USD' both become member USD",
        "#/components/schemas/Order/properties/currency/enum/2",
    ),
    # a structured request body only in a media type the SDK cannot encode: the error names the operation
    Case(
        "unsupported_request_content_type.yaml",
        1,
        "operation createOrder (POST /orders): its request body comes only as 'application/xml'",
        "#/paths/~1orders/post/requestBody/content/application~1xml",
    ),
    # a schema construct the generator would silently drop (if/then: the first of two problems, both reported)
    Case("unknown_schema_keyword.yaml", 1, "schema keyword 'if' at line 23", "#/components/schemas/Order/if"),
    # a query parameter declared twice: the generator would drop the operation
    Case(
        "duplicate_parameter.yaml",
        1,
        "openapi-python-client would drop the operation GET /orders",
        "#/paths/~1orders/get",
    ),
    # 100 levels of nesting
    Case(
        "too_deep.yaml", 1, "nested deeper than 64 levels inside /components/schemas/Deep", "#/components/schemas/Deep"
    ),
    # YAML aliases that expand to 10^9 nodes
    Case("billion_laughs.yaml", 1, "more than 2000000 nodes once YAML aliases are expanded", "#/components/schemas/i"),
    # two different enums that would get one class name (seen only after normalization)
    Case(
        "enum_class_name_collision.yaml",
        1,
        "would both name class OrderStatus",
        "#/components/schemas/Order/properties/status",
    ),
]


def _id(case: object) -> str:
    return case.file.removesuffix(".yaml") if isinstance(case, Case) else str(case)


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A package generated from a small valid spec: what a failed run must leave alone."""
    out = tmp_path_factory.mktemp("previous") / "out-client"
    assert main(["generate", "--spec", str(SHOP), "--output", str(out)]) == 0
    return out


@pytest.fixture
def output(previous_output: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out-client"
    shutil.copytree(previous_output, out)
    return out


def _untouched(previous: Path, output: Path) -> None:
    assert compare_trees(previous, output) == ([], [], [])
    assert (output / "shop.normalized.yaml").is_file()  # ad hoc, the normalized spec is inside the output
    assert sorted(p.name for p in output.parent.iterdir()) == [output.name]  # nothing beside it, no leftovers


def _problems(err: str) -> list[tuple[str, str]]:
    """(place, message) of each problem of the error printed: one, or a list after "N problems"."""
    first, *rest = err.strip().split("\n")
    assert first.startswith("error: "), err
    if " problems; nothing was written:" not in first:
        # One message: the error line, then at most its hint.
        assert len(rest) <= 1 and all(line.startswith("  hint: ") for line in rest), err
        place, message = first.removeprefix("error: ").split(": ", 1)
        return [(place, message)]
    items = [line.removeprefix("  - ") for line in rest if line.startswith("  - ")]
    assert all(line.startswith(("  - ", "    hint: ")) for line in rest), err
    assert len(items) == int(first.removeprefix("error: ").split(" ", 1)[0]), err
    return [(item.split(": ", 1)[0], item.split(": ", 1)[1]) for item in items]


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_generate_refuses_bad_spec(
    case: Case, output: Path, previous_output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = BAD / case.file
    code = main(["generate", "--spec", str(bad), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == case.exit_code
    assert "Traceback" not in err
    shown, message = _problems(err)[0]
    assert case.message in message, err
    assert shown.endswith(f"bad_specs/{case.file}{case.where}"), err
    _untouched(previous_output, output)


def test_every_problem_is_reported_in_one_run(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown keywords and duplicate operationIds of one document: all of them, each with its place."""
    code = main(["generate", "--spec", str(BAD / "several_problems.yaml"), "--output", str(output)])
    problems = _problems(capsys.readouterr().err)
    assert code == 1
    where = [place.split("several_problems.yaml", 1)[1] for place, _ in problems]
    assert where == [
        "#/paths/~1orders~1{id}/get/operationId",
        "#/paths/~1orders~1{id}/delete/operationId",
        "#/components/schemas/Order/if",
        "#/components/schemas/Order/then",
        "#/components/schemas/Order/properties/id/formt",
    ]


def test_the_patch_a_hint_suggests_works(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The overrides' patches apply before the checks: removing the refused keywords makes the spec generate."""
    spec = tmp_path / "spec" / "shop.yaml"
    spec.parent.mkdir()
    shutil.copy2(BAD / "unknown_schema_keyword.yaml", spec)
    reason = "reason: the condition only documents a rule the server enforces"
    (spec.parent / "overrides.yaml").write_text(
        "patches:\n"
        f"  - {{pointer: /components/schemas/Order/if, remove: true, {reason}}}\n"
        f"  - {{pointer: /components/schemas/Order/then, remove: true, {reason}}}\n",
        encoding="utf-8",
    )
    code = main(["generate", "--spec", str(spec), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "/components/schemas/Order/if" not in (tmp_path / "out" / "shop.normalized.yaml").read_text("utf-8")


def test_a_missing_operation_id_is_derived_with_a_warning(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["generate", "--spec", str(BAD / "missing_operation_id.yaml"), "--output", str(output)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "#/paths/~1orders~1{id}/get/operationId: no operationId: named 'get_orders_id'" in out
    assert (output / "shop_client" / "api" / "orders" / "get_orders_id.py").is_file()


def test_an_unreadable_download_is_returned_as_bytes(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A response only in a media type the generator cannot read (a binary spreadsheet) is returned as bytes."""
    code = main(["generate", "--spec", str(BAD / "unsupported_response_content_type.yaml"), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 0, err
    module = (output / "shop_client" / "api" / "default" / "export_orders.py").read_text(encoding="utf-8")
    assert "File(payload=BytesIO(response.content))" in module


def test_a_harmless_generator_warning_is_shown_not_refused(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A component no operation uses, which the generator cannot make a class of: a warning naming its pointer."""
    code = main(["generate", "--spec", str(BAD / "unused_unparsable_component.yaml"), "--output", str(output)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "warning: openapi-python-client at #/components/schemas/Mixed:" in out
    assert "Enum values must all be the same type" in out


def test_generate_declares_undeclared_path_parameter_with_a_warning(
    output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["generate", "--spec", str(BAD / "undeclared_path_parameter.yaml"), "--output", str(output)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert (output / "shop_client" / "api" / "default" / "get_order.py").is_file()
    assert "declared missing path parameter 'orderId'" in out
    assert "/paths/~1orders~1{orderId}/get/parameters" in out


def test_generate_fixes_undeclared_path_parameter(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["generate", "--spec", str(BAD / "undeclared_path_parameter.yaml"), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err == ""
    module = (output / "shop_client" / "api" / "default" / "get_order.py").read_text(encoding="utf-8")
    assert "order_id: str" in module


def test_generate_completes_array_without_items(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An array schema with no `items` (the generator drops it) is generated as a list of any value, with a warning."""
    code = main(["generate", "--spec", str(BAD / "array_without_items.yaml"), "--output", str(output)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "array without items: items may be any value" in out
    assert "#/components/schemas/Order" in out


def test_generate_spec_without_models(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["generate", "--spec", str(DATA / "specs" / "no_models.yaml"), "--output", str(output)])
    assert code == 0, capsys.readouterr().err


def test_generate_needs_spec_and_output_together(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--spec", str(SHOP)]) == 1
    assert capsys.readouterr().err == "error: --spec and --output go together\n"
    assert main(["generate", "cnaught", "--client-class", "Carbon"]) == 1
    assert capsys.readouterr().err == "error: --client-class needs --spec and --output\n"


def test_ad_hoc_advice_names_the_overrides_file_it_reads(output: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Never `/nonexistent`: the overrides file of an ad hoc run is `overrides.yaml` beside the spec."""
    spec = BAD / "unsupported_request_content_type.yaml"
    assert main(["generate", "--spec", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"a patch in the overrides file \S*tests/data/bad_specs/overrides\.yaml", err), err
    assert "nonexistent" not in err
