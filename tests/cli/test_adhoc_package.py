"""What an ad hoc package (`sdkpipeline generate --spec FILE --output DIR`) says about itself: its version from the
document or a flag, and only the URLs, licence and files its user gives, never this project's; quiet about passes
that had nothing to do unless asked (`-v`)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from sdkpipeline.cli import main
from sdkpipeline.codegen.packagenames import package_version

pytestmark = pytest.mark.slow

NOTES = Path(__file__).resolve().parents[1] / "data" / "specs" / "notes.yaml"  # info.version 0.1.0
PROJECT = "sdk-pipeline/sdk-pipeline"


def _pyproject(output: Path) -> dict[str, Any]:
    return tomllib.loads((output / "pyproject.toml").read_text(encoding="utf-8"))


def test_a_plain_run_carries_the_documents_version_and_nothing_of_this_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "notes"
    assert main(["generate", "--spec", str(NOTES), "--output", str(output)]) == 0
    project = _pyproject(output)["project"]
    assert project["version"] == "0.1.0"
    assert "urls" not in project and "license" not in project and "license-files" not in project
    assert not (output / "LICENSE").exists() and not (output / "CHANGELOG.md").exists()
    include = _pyproject(output)["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    assert include == ["sticky_notes_client", "README.md"], "no file the package does not have"
    assert PROJECT not in (output / "pyproject.toml").read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert "found nothing to change" not in out and "warning" not in out, out


def test_flags_give_the_users_own_version_licence_and_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    licence = tmp_path / "COPYING"
    licence.write_text("Copyright 2027 Acme. All rights reserved.\n", encoding="utf-8")
    output = tmp_path / "notes"
    flags = ["--package-version", "2.1.0", "--license", "LicenseRef-Acme", "--license-file", str(licence)]
    flags += ["--url", "Homepage=https://acme.example/notes", "--url", "Source=https://git.acme.example/notes", "-v"]
    assert main(["generate", "--spec", str(NOTES), "--output", str(output), *flags]) == 0
    project = _pyproject(output)["project"]
    assert (project["version"], project["license"], project["license-files"]) == (
        "2.1.0",
        "LicenseRef-Acme",
        ["LICENSE"],
    )
    assert project["urls"] == {"Homepage": "https://acme.example/notes", "Source": "https://git.acme.example/notes"}
    assert (output / "LICENSE").read_text(encoding="utf-8") == licence.read_text(encoding="utf-8")
    assert _pyproject(output)["tool"]["hatch"]["build"]["targets"]["sdist"]["include"][-1] == "LICENSE"
    assert "found nothing to change:" in capsys.readouterr().out, "-v lists the passes that had nothing to do"


@pytest.mark.parametrize(
    ("info_version", "given", "expected"),
    [
        pytest.param("1.0.2", None, ("1.0.2", None), id="document"),
        pytest.param("v2", None, ("v2", None), id="document-with-v"),
        pytest.param("1.0.2", "3.0.0rc1", ("3.0.0rc1", None), id="flag-wins"),
        pytest.param(None, None, ("0.0.0", "info.version missing is no PEP 440 version"), id="missing"),
        pytest.param("2024-05-01", None, ("0.0.0", "info.version '2024-05-01' is no PEP 440 version"), id="a-date"),
    ],
)
def test_the_package_version(info_version: object, given: str | None, expected: tuple[str, str | None]) -> None:
    version, note = package_version(info_version, given=given)
    assert version == expected[0]
    assert (note or "").startswith(expected[1] or "")
    assert (note is None) == (expected[1] is None)


def test_a_version_flag_that_is_no_version_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "notes"
    assert main(["generate", "--spec", str(NOTES), "--output", str(output), "--package-version", "latest"]) == 1
    err = capsys.readouterr().err
    assert "--package-version 'latest' is not a PEP 440 version" in err and "Traceback" not in err
    assert not output.exists()


def test_a_url_flag_needs_a_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "notes"
    assert main(["generate", "--spec", str(NOTES), "--output", str(output), "--url", "https://acme.example"]) == 1
    assert "give LABEL=URL" in capsys.readouterr().err
    assert not output.exists()
