"""`generate` refuses a spec over a limit (size, scalar, integer digits, name) with one clear error, and a flag
raises each limit; the previous output is left as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.cli import main

pytestmark = pytest.mark.slow


def _spec(**extra: Any) -> dict[str, Any]:
    item = {"type": "object", "properties": {"name": {"type": "string", **extra}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Limits", "version": "1"},
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": item}}}},
                }
            }
        },
    }


def _write(tmp_path: Path, text: str) -> Path:
    spec = tmp_path / "spec.json"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_a_5000_digit_integer_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(_spec()).replace('"type": "string"}', '"type": "string", "maxLength": ' + "9" * 5000 + "}")
    spec, output = _write(tmp_path, text), tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    pointer = "#/paths/~1items/get/responses/200/content/application~1json/schema/properties/name/maxLength"
    assert f"spec.json{pointer}: an integer of 5,000 digits at line 1, over the limit of 1,000" in err
    assert "--max-integer-digits N" in err and "Traceback" not in err
    assert not output.exists()
    # Raised, the same document generates (the bound is kept as the integer it is).
    assert main(["generate", "--spec", str(spec), "--output", str(output), "--max-integer-digits", "5000"]) == 0


def test_a_long_scalar_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, output = _write(tmp_path, json.dumps(_spec(description="d" * 2_000_000))), tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert "a value of 2,000,000 characters at line 1, over the limit of 1,000,000" in err
    assert "/properties/name/description" in err and "--max-scalar-chars N" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


def test_the_document_size_limit_and_its_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _write(tmp_path, json.dumps(_spec()))
    size = spec.stat().st_size
    output = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--output", str(output), "--max-document-bytes", str(size - 1)]) == 1
    assert f"the file is {size:,} bytes, over the limit of {size - 1:,}" in capsys.readouterr().err
    assert main(["generate", "--spec", str(spec), "--output", str(output), "--max-document-bytes", "0"]) == 1
    assert "--max-document-bytes must be a positive number, not 0" in capsys.readouterr().err
