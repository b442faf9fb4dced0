"""`sdkpipeline generate --spec BAD --output DIR` on the bad-spec corpus.

Each case: the exit code, ONE message naming the file and the JSON pointer or line (or, for several
problems, one error listing each with its place), no traceback, and the previous output in DIR
byte-identical afterwards (or, where the normalizer fixes the input safely, success plus a warning naming
what it changed and where). Issue 17: every problem in one run, the overrides' patches before the checks,
optional operationIds, generator warnings judged one by one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
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
    # a component that is a $ref to itself (the generator crashes on it)
    Case(
        "ref_to_itself.yaml",
        1,
        "$ref cycle #/components/schemas/Order → #/components/schemas/Order",
        "#/components/schemas/Order/$ref",
    ),
    # $refs going round without reaching a schema (the generator loops forever on it)
    Case(
        "ref_cycle.yaml",
        1,
        "$ref cycle #/components/schemas/Purchase → #/components/schemas/Sale → #/components/schemas/Purchase",
        "#/components/schemas/Sale/$ref",
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
    # Nothing written beside it: no normalized spec, no staging directory or backup left over.
    beside = [
        p.name
        for p in output.parent.iterdir()
        if p.name.startswith(".") or p.name.endswith(("normalized.yaml", ".tmp"))
    ]
    assert beside == []


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
    """Unknown keywords of one document (its repeated operationIds are renamed): all of them, each with its place."""
    code = main(["generate", "--spec", str(BAD / "several_problems.yaml"), "--output", str(output)])
    problems = _problems(capsys.readouterr().err)
    assert code == 1
    where = [place.split("several_problems.yaml", 1)[1] for place, _ in problems]
    assert where == [
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
    assert '_RESPONSES: Responses = ((200, 200, "bytes", File),)' in module  # read by _models.read_bytes


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
    spec = BAD / "unknown_schema_keyword.yaml"
    assert main(["generate", "--spec", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"a patch in the overrides file \S*tests/data/bad_specs/overrides\.yaml", err), err
    assert "nonexistent" not in err


# --- hostile nesting, generated (megabytes are not committed) and run through the real CLI in a subprocess,
# since the failure it guards against includes the interpreter dying (the C composer overflowed the C stack
# near 50,000 levels) as well as RecursionError tracebacks.

_HEAD = "openapi: 3.1.0\ninfo: {title: Shop, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n"
_DEEP_AT = "nested deeper than 64 levels inside /components/schemas/Deep at line"


def _flow(levels: int) -> str:
    return (
        _HEAD + "    Deep: " + "{type: object, properties: {child: " * levels + "{type: string}" + "}}" * levels + "\n"
    )


def _block(levels: int) -> str:
    lines, indent = ["    Deep:"], "    "
    for _ in range(levels):
        lines += [f"{indent}  type: object", f"{indent}  properties:", f"{indent}    child:"]
        indent += "    "
    return _HEAD + "\n".join([*lines, f"{indent}  type: string"]) + "\n"


def _json(levels: int) -> str:
    deep = '{"type":"object","properties":{"child":' * levels + '{"type":"string"}' + "}}" * levels
    head = '{"openapi":"3.1.0","info":{"title":"Shop","version":"1.0.0"},"paths":{}'
    return head + ',"components":{"schemas":{"Deep":' + deep + "}}}"


def _flow_lists(levels: int) -> str:
    return _HEAD + "    Deep: {type: object, x-matrix: " + "[" * levels + "]" * levels + "}\n"


def _block_lists(levels: int) -> str:
    # Block sequences nest on one line: `- - - 1` is [[[1]]].
    return _HEAD + "    Deep:\n      type: object\n      x-matrix:\n        " + "- " * levels + "1\n"


def _alias_made(levels: int) -> str:
    # Each half is shallow in the text; the alias puts one inside the other (check_size sees the expanded tree).
    half = "{type: object, properties: {child: " * levels + "{type: string}" + "}}" * levels
    inner = "{type: object, properties: {child: " * levels + "*half" + "}}" * levels
    return _HEAD + f"    Half: &half {half}\n    Deep: {inner}\n"


def _array_chain(length: int) -> str:
    lines = [f"    A{i}: {{type: array, items: {{$ref: '#/components/schemas/A{i + 1}'}}}}" for i in range(length)]
    return _HEAD + "\n".join([*lines, f"    A{length}: {{type: string}}"]) + "\n"


@dataclass(frozen=True)
class Generated:
    name: str
    text: Callable[[], str]
    message: str
    where: str


GENERATED_CASES = [
    # the held-out escape: thousands of levels in flow style on one line (the line lookup recursed)
    Generated("flow_5000_levels.yaml", lambda: _flow(5_000), f"{_DEEP_AT} 6", "#/components/schemas/Deep"),
    # far past where the C composer overflowed the C stack (the interpreter died with SIGSEGV)
    Generated("flow_100000_levels.yaml", lambda: _flow(100_000), f"{_DEEP_AT} 6", "#/components/schemas/Deep"),
    # block style: three lines a level (300 levels: 540 kB of indentation); Deep is at line 6 and depth 3, so
    # the first node deeper than 64 is the 31st `child`, whose key is on line 6 + 3 * 31
    Generated("block_300_levels.yaml", lambda: _block(300), f"{_DEEP_AT} 99", "#/components/schemas/Deep"),
    # JSON, one line
    Generated("json_5000_levels.json", lambda: _json(5_000), f"{_DEEP_AT} 1", "#/components/schemas/Deep"),
    # lists in flow style, inside a vendor extension
    Generated("flow_lists_5000_levels.yaml", lambda: _flow_lists(5_000), f"{_DEEP_AT} 6", "#/components/schemas/Deep"),
    # lists in block style, all on line 9 (after Deep, type and x-matrix)
    Generated(
        "block_lists_5000_levels.yaml", lambda: _block_lists(5_000), f"{_DEEP_AT} 9", "#/components/schemas/Deep"
    ),
    # shallow text, deep once the YAML alias is expanded
    # (17 levels: Half reaches depth 3 + 34, Deep puts it under 34 more; Deep is line 7)
    Generated("alias_made_depth.yaml", lambda: _alias_made(17), f"{_DEEP_AT} 7", "#/components/schemas/Deep"),
    # 2,000 array components, each the items of the one before: list[list[…]] (the generator recursed).
    # A2000 is one level and each array adds one: A1936 is the first past 64, with 65 components in its chain.
    Generated(
        "array_chain_2000.yaml",
        lambda: _array_chain(2_000),
        "once its $refs are followed (65 components: A1936 → A1937 → A1938 → A1939 → …)",
        "#/components/schemas/A1936",
    ),
]


@pytest.mark.parametrize("case", GENERATED_CASES, ids=lambda c: c.name)
def test_generate_refuses_hostile_nesting(case: Generated, output: Path, previous_output: Path, tmp_path: Path) -> None:
    spec = tmp_path / case.name
    spec.write_text(case.text(), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "sdkpipeline.cli", "generate", "--spec", str(spec), "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    message, *rest = run.stderr.strip().split("\n")
    assert len(rest) <= 1 and all(line.startswith("  hint: ") for line in rest), run.stderr[-2000:]
    assert message.startswith(f"error: {case.name}{case.where}: ") and case.message in message, message
    _untouched(previous_output, output)


def test_generate_refuses_deep_overrides(output: Path, previous_output: Path, tmp_path: Path) -> None:
    """The overrides file beside a spec is read with the same guard as the spec."""
    shutil.copy2(SHOP, tmp_path / "shop.yaml")
    value = "{a: " * 5_000 + "1" + "}" * 5_000
    patch = f"patches:\n  - {{pointer: /info/x-deep, set: {value}, reason: test}}\n"
    (tmp_path / "overrides.yaml").write_text(patch, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "sdkpipeline.cli", "generate", "--spec", "shop.yaml", "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith(
        "error: overrides.yaml#/patches/0/set: nested deeper than 64 levels inside /patches/0/set at line 2"
    ), run.stderr
    _untouched(previous_output, output)
