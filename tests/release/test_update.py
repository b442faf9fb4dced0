"""Tests for sdkpipeline.release.update: taking a vendor's new document, served from a loopback HTTP server."""

from __future__ import annotations

import copy
import datetime
import functools
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sdkpipeline import cli
from sdkpipeline.errors import PipelineError
from sdkpipeline.release.changelog import check_release_records, newest_entry, prepend_entry
from sdkpipeline.release.specdiff import Severity
from sdkpipeline.release.update import set_registry_version, summary, update_spec
from sdkpipeline.spec.lock import load_lock, sha256_of
from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo
from sdkpipeline.spec.yamlio import dump_document, load_document
from sdkpipeline.testing.localserver import free_port

from ..conftest import copy_repo, snapshot
from .conftest import SpecServer
from .vendor_edits import unarchive_removed_with_its_components

ROOT = Repo.default().root

BREAKING, ADDITIVE, PATCH = Severity.BREAKING, Severity.ADDITIVE, Severity.PATCH
TODAY = datetime.date(2027, 3, 14)
Doc = dict[str, Any]

SPECS = {"cnaught": ROOT / "specs/cnaught/openapi.yaml", "fungies": ROOT / "specs/fungies/api-docs.yaml"}


@functools.cache
def _vendored(api: str) -> Doc:
    return load_document(SPECS[api])


def _modified(api: str, change: Callable[[Doc], None]) -> bytes:
    doc = copy.deepcopy(_vendored(api))
    change(doc)
    return dump_document(doc).encode("utf-8")


def _schemas(doc: Doc) -> Doc:
    schemas: Doc = doc["components"]["schemas"]
    return schemas


# --- the modifications: each is one kind of vendor change -------------------------------------------------


def add_optional_response_field(doc: Doc) -> None:
    user = _schemas(doc)["GetV0UsersUserIdPositiveResponse"]["properties"]["data"]["properties"]["user"]
    user["properties"]["nickname"] = {"type": "string", "description": "Display name the user chose."}


def add_required_parameter(doc: Doc) -> None:
    doc["paths"]["/v0/orders/list"]["get"]["parameters"].append(
        {
            "name": "region",
            "in": "query",
            "required": True,
            "description": "Sales region.",
            "schema": {"type": "string"},
        }
    )


def remove_enum_value(doc: Doc) -> None:
    _schemas(doc)["GetV0OrdersListParameterStatuses"]["items"]["enum"].remove("EXPIRED")


def change_field_type(doc: Doc) -> None:
    # number → integer (float → int in the SDK); format, bounds and nullability stay as they are
    _schemas(doc)["GetV0OrdersListParameterValueFrom"]["type"] = ["integer", "null"]


def change_description(doc: Doc) -> None:
    doc["paths"]["/v0/orders/list"]["get"]["summary"] = "List the orders of your store"


def add_optional_parameter(doc: Doc) -> None:
    doc["paths"]["/orders"]["get"]["parameters"].append(
        {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}
    )


def change_cnaught_description(doc: Doc) -> None:
    doc["paths"]["/orders"]["get"]["description"] = "Lists your orders, newest first."


def change_cnaught_parameter_type(doc: Doc) -> None:
    limit = next(p for p in doc["paths"]["/orders"]["get"]["parameters"] if p.get("name") == "limit")
    limit["schema"]["type"] = ["number", "null"]  # int → float; default and bounds stay


# The registry has fungies at 0.5.0 and cnaught at 3.0.0 (specs/apis.toml).
CASES = [
    # (api, modification, the changes the report must list, the new version)
    pytest.param(
        "fungies",
        unarchive_removed_with_its_components,
        [("operation-removed", BREAKING)],
        "0.6.0",
        id="fungies-operation-removed",
    ),
    pytest.param(
        "fungies",
        add_optional_response_field,
        [("response-field-added", ADDITIVE)],
        "0.5.1",
        id="fungies-optional-response-field-added",
    ),
    pytest.param(
        "fungies",
        add_required_parameter,
        [("parameter-added", BREAKING)],
        "0.6.0",
        id="fungies-required-parameter-added",
    ),
    pytest.param(
        "fungies", remove_enum_value, [("enum-value-removed", BREAKING)], "0.6.0", id="fungies-enum-value-removed"
    ),
    pytest.param(
        "fungies",
        change_field_type,
        [("type-changed", BREAKING)],
        "0.6.0",
        id="fungies-parameter-type-changed",
    ),
    pytest.param(
        "fungies", change_description, [("description-changed", PATCH)], "0.5.1", id="fungies-description-only"
    ),
    pytest.param(
        "cnaught", add_optional_parameter, [("parameter-added", ADDITIVE)], "3.1.0", id="cnaught-optional-param"
    ),
    pytest.param(
        "cnaught",
        change_cnaught_description,
        [("description-changed", PATCH)],
        "3.0.1",
        id="cnaught-description-only",
    ),
    pytest.param(
        "cnaught",
        change_cnaught_parameter_type,
        [("type-changed", BREAKING)],
        "4.0.0",
        id="cnaught-parameter-type-changed",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("api", "modify", "expected", "version"), CASES)
def test_update_from_url(
    workspace: Repo,
    spec_server: SpecServer,
    api: str,
    modify: Callable[[Doc], None],
    expected: list[tuple[str, Severity]],
    version: str,
) -> None:
    """Each change is classified, the version bumped by the worst one, and every file written."""
    data = _modified(api, modify)
    url = spec_server.serve(SPECS[api].name, data)
    other = next(name for name in SPECS if name != api)
    other_before = {
        "spec": SPECS[other].read_bytes(),
        "changelog": load_registry(workspace)[other].changelog.read_bytes(),
        "lock": load_lock(workspace.lock_file)[other],
        "registry": tomllib.loads(workspace.registry_file.read_text(encoding="utf-8"))[other],
    }

    entries_before = load_registry(workspace)[api].changelog.read_text(encoding="utf-8").count("\n## ")

    update = update_spec(api, source=url, repo=workspace, today=TODAY)

    assert sorted((c.kind, c.severity) for c in update.changes) == sorted(expected)
    assert update.new_version == version
    entry = load_registry(workspace)[api]
    # the spec, byte for byte
    assert entry.spec.read_bytes() == data
    # the lock
    locked = load_lock(workspace.lock_file)[api]
    assert (locked.url, locked.retrieved, locked.sha256) == (url, "2027-03-14", sha256_of(entry.spec))
    # the registry: this API's version, nothing else (comments kept)
    assert entry.version == version
    assert "# The registry of APIs" in workspace.registry_file.read_text(encoding="utf-8")
    # the CHANGELOG: the report is the newest entry, stamped with the new sha256
    text = entry.changelog.read_text(encoding="utf-8")
    assert newest_entry(text) == (version, locked.sha256)
    assert update.entry in text
    assert all(c.detail in update.entry for c in update.changes)
    assert text.count("\n## ") == entries_before + 1, "the earlier entries are kept below the new one"
    # the regenerated package carries the version and the CHANGELOG
    package = entry.output_dir
    assert f'version = "{version}"' in (package / "pyproject.toml").read_text(encoding="utf-8")
    assert update.entry in (package / "CHANGELOG.md").read_text(encoding="utf-8")
    assert entry.normalized_spec.is_file()
    # the release records agree, so the drift check's extra check passes
    assert check_release_records(entry) == []
    # the other API is untouched
    assert SPECS[other].read_bytes() == other_before["spec"]
    assert load_registry(workspace)[other].changelog.read_bytes() == other_before["changelog"]
    assert load_lock(workspace.lock_file)[other] == other_before["lock"]
    assert tomllib.loads(workspace.registry_file.read_text(encoding="utf-8"))[other] == other_before["registry"]


@pytest.mark.slow
def test_update_from_file_keeps_lock_url(workspace: Repo, tmp_path: Path) -> None:
    """A document taken from a local file is stored; the lock keeps the vendor's URL."""
    new = tmp_path / "downloaded.yaml"
    new.write_bytes(_modified("fungies", change_description))
    url_before = load_lock(workspace.lock_file)["fungies"].url

    update = update_spec("fungies", source=str(new), repo=workspace, today=TODAY)

    assert update.changed and update.new_version == "0.5.1"
    assert load_lock(workspace.lock_file)["fungies"].url == url_before
    assert load_registry(workspace)["fungies"].spec.read_bytes() == new.read_bytes()


def test_unchanged_document_writes_nothing(workspace: Repo, spec_server: SpecServer) -> None:
    """The vendored document served again: reported as unchanged, no file touched, no version bump."""
    url = spec_server.serve("api-docs.yaml", SPECS["fungies"].read_bytes())
    before = snapshot(workspace.root)

    update = update_spec("fungies", source=url, repo=workspace, today=TODAY)

    assert not update.changed and update.changes == []
    assert update.new_version == update.old_version == "0.5.0"
    assert snapshot(workspace.root) == before
    assert "unchanged" in summary(update)


@pytest.mark.parametrize(
    ("served", "path", "message"),
    [
        # nothing listens on the port
        pytest.param(None, None, "Connection refused", id="unreachable"),
        # the server answers, but not with a document
        pytest.param(None, "missing.yaml", "HTTP 404", id="not-found"),
        # an HTML page (a docs site instead of the raw document)
        pytest.param(b"<!doctype html><html><body>API docs</body></html>", "docs.html", "not a mapping", id="html"),
        # a Swagger 2 document
        pytest.param(
            b"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "swagger.yaml",
            "not an OpenAPI 3.x document: found 'swagger: 2.0' (Swagger 2)",
            id="swagger-2",
        ),
        # YAML that does not parse
        pytest.param(b"openapi: 3.1.0\ninfo: [\n", "broken.yaml", "not valid YAML", id="broken-yaml"),
    ],
)
def test_bad_source_leaves_everything_untouched(
    workspace: Repo, spec_server: SpecServer, served: bytes | None, path: str | None, message: str
) -> None:
    """A source that is unreachable or not an OpenAPI 3.x document fails clearly and writes nothing."""
    if path is None:
        url = f"http://127.0.0.1:{free_port()}/openapi.yaml"
    elif served is None:
        url = spec_server.url + path
    else:
        url = spec_server.serve(path, served)
    before = snapshot(workspace.root)

    with pytest.raises(PipelineError) as raised:
        update_spec("cnaught", source=url, repo=workspace, today=TODAY)

    assert message in str(raised.value)
    assert url in str(raised.value)
    assert snapshot(workspace.root) == before


@pytest.mark.slow
def test_generation_failure_restores_every_file(workspace: Repo, spec_server: SpecServer) -> None:
    """A new document the pipeline cannot generate from (here: an override's patch no longer matches) is not taken."""

    def rename_a_patched_component(doc: Doc) -> None:
        # The overrides patch /components/schemas/Quote/required; the vendor calls the component CarbonQuote now.
        _schemas(doc)["CarbonQuote"] = _schemas(doc).pop("Quote")
        renamed = json.loads(
            json.dumps(doc).replace('"#/components/schemas/Quote"', '"#/components/schemas/CarbonQuote"')
        )
        doc.clear()
        doc.update(renamed)

    url = spec_server.serve("openapi.yaml", _modified("cnaught", rename_a_patched_component))
    before = snapshot(workspace.root)

    with pytest.raises(PipelineError, match="patch target /components/schemas/Quote/required does not exist"):
        update_spec("cnaught", source=url, repo=workspace, today=TODAY)

    assert snapshot(workspace.root) == before
    assert not (workspace.root / "generated").exists()


def test_hand_edited_vendored_spec_is_refused(workspace: Repo, spec_server: SpecServer) -> None:
    """The old side of the report must be the locked document: a hand-edited one is refused before fetching."""
    spec = load_registry(workspace)["cnaught"].spec
    spec.write_bytes(spec.read_bytes() + b"\n# edited\n")
    url = spec_server.serve("openapi.yaml", _modified("cnaught", change_cnaught_description))

    with pytest.raises(PipelineError, match="does not match the lock"):
        update_spec("cnaught", source=url, repo=workspace, today=TODAY)


def test_check_only_reports_without_writing(workspace: Repo, spec_server: SpecServer) -> None:
    """`--check` (write=False) computes the report and the version but writes nothing."""
    url = spec_server.serve("openapi.yaml", _modified("cnaught", add_optional_parameter))
    before = snapshot(workspace.root)

    update = update_spec("cnaught", source=url, repo=workspace, today=TODAY, write=False)

    assert update.changed and update.new_version == "3.1.0"
    assert snapshot(workspace.root) == before
    assert "nothing written (check only)" in summary(update, written=False)


# --- the command line ----------------------------------------------------------------------------------------


@pytest.fixture
def cli_workspace(workspace: Repo) -> Repo:
    """The temporary workspace; the CLI is pointed at it with --root."""
    return workspace


def test_cli_named_source_unchanged_is_an_error(
    cli_workspace: Repo, spec_server: SpecServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Naming the vendored document as --source is a mistake: exit 1, one line, nothing written."""
    url = spec_server.serve("openapi.yaml", SPECS["cnaught"].read_bytes())
    assert cli.main(["--root", str(cli_workspace.root), "update-specs", "cnaught", "--source", url]) == 1
    err = capsys.readouterr().err
    assert "byte-for-byte the vendored cnaught spec" in err and "Traceback" not in err


def test_cli_check_exits_1_on_change(
    cli_workspace: Repo, spec_server: SpecServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """`update-specs --check` prints the report and exits 1 when the document changed (for a scheduled job)."""
    url = spec_server.serve("openapi.yaml", _modified("cnaught", add_optional_parameter))
    assert cli.main(["--root", str(cli_workspace.root), "update-specs", "cnaught", "--source", url, "--check"]) == 1
    out = capsys.readouterr().out
    assert "## 3.1.0 (cnaught)" in out and "### Additions" in out and "3.0.0 → 3.1.0" in out


def test_cli_source_needs_one_api(cli_workspace: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """--source with several (or all) APIs is refused."""
    assert cli.main(["--root", str(cli_workspace.root), "update-specs", "--source", "x.yaml"]) == 1
    assert "--source needs exactly one API" in capsys.readouterr().err


# --- the release records ---------------------------------------------------------------------------------------


def test_committed_release_records_agree() -> None:
    """The repository's CHANGELOGs name the registry's versions and the lock's hashes."""
    for api in load_registry().values():
        assert check_release_records(api) == [], api.name


def test_spec_changed_without_bump_is_reported(workspace: Repo) -> None:
    """A lock (and spec) updated by hand, with no new CHANGELOG entry or version, fails the records check."""
    from sdkpipeline.spec.lock import LockEntry, write_lock

    lock = load_lock(workspace.lock_file)
    lock["fungies"] = LockEntry(lock["fungies"].file, lock["fungies"].url, "2027-01-01", "0" * 64)
    write_lock(lock, workspace.lock_file)

    problems = check_release_records(load_registry(workspace)["fungies"])

    assert len(problems) == 1
    assert "changed without a version bump and a CHANGELOG entry" in problems[0]
    assert check_release_records(load_registry(workspace)["cnaught"]) == []


def test_version_bumped_without_entry_is_reported(workspace: Repo) -> None:
    """A version bumped by hand, with no CHANGELOG entry for it, fails the records check."""
    released = load_registry(workspace)["cnaught"].version
    text = workspace.registry_file.read_text(encoding="utf-8")
    workspace.registry_file.write_text(set_registry_version(text, "cnaught", "9.9.9", file=workspace.registry_file))

    problems = check_release_records(load_registry(workspace)["cnaught"])

    assert problems and f"newest entry is {released}, but specs/apis.toml says 9.9.9" in problems[0]


def test_missing_changelog_is_reported(workspace: Repo) -> None:
    """An API without a CHANGELOG fails the records check."""
    load_registry(workspace)["cnaught"].changelog.unlink()
    (problem,) = check_release_records(load_registry(workspace)["cnaught"])
    assert "CHANGELOG.md is missing" in problem


def test_set_registry_version_changes_one_value() -> None:
    """Only the named table's version changes; comments, order and the other tables are kept byte for byte."""
    text = '# registry\n[a]\nname = "a"  # keep\nversion = "1.0.0"\n\n[b]\nversion = "1.0.0"\n'
    updated = set_registry_version(text, "b", "2.0.0", file=Path("apis.toml"))
    assert updated == text.replace('[b]\nversion = "1.0.0"', '[b]\nversion = "2.0.0"')
    with pytest.raises(PipelineError, match=r"no `version` line in \[c\]"):
        set_registry_version(text, "c", "2.0.0", file=Path("apis.toml"))


def test_prepend_entry_puts_the_newest_first(workspace: Repo) -> None:
    """A new entry goes above the previous ones, below the preamble; a new file gets the preamble."""
    api = load_registry(workspace)["cnaught"]
    text = api.changelog.read_text(encoding="utf-8")
    entry = f"## 1.0.1 (cnaught)\n\nVendored spec sha256 `{'a' * 64}`, retrieved 2027-03-14.\n"
    updated = prepend_entry(text, entry, api=api)
    assert updated.startswith("# Changelog: cnaught-client\n")
    assert updated.index("## 1.0.1") < updated.index("## 1.0.0")
    assert newest_entry(updated) == ("1.0.1", "a" * 64)
    assert newest_entry(prepend_entry(None, entry, api=api)) == ("1.0.1", "a" * 64)


def test_an_entry_opens_with_one_line_per_change(workspace: Repo) -> None:
    """The summary comes under the stamp, before the spec report's and the surface's details."""
    from sdkpipeline.release.changelog import changelog_entry, entry_summary
    from sdkpipeline.release.specdiff import Change

    api = load_registry(workspace)["cnaught"]
    changes = [
        Change("operation-removed", "/paths/~1x/get", "GET /x", "GET /x: operation removed", BREAKING),
        Change("description-changed", "/paths/~1y/get/summary", "GET /y", "GET /y: operation: summary changed", PATCH),
    ]
    entry = changelog_entry(
        changes, api=api, old_version="2.0.0", new_version="3.0.0", sha256="a" * 64, retrieved="2027-03-14", surface=[]
    )
    assert entry_summary(entry) == [
        "breaking: operation removed (GET /x)",
        "other: operation: summary changed (GET /y)",
    ]
    assert entry.index("- breaking: operation removed") < entry.index("Changes to the cnaught API description")
    assert newest_entry(prepend_entry(None, entry, api=api)) == ("3.0.0", "a" * 64)


# --- the SDK surface decides the bump too -----------------------------------------------------------------------


@pytest.mark.slow
def test_a_name_the_pipeline_moves_makes_the_release_breaking(tmp_path: Path, spec_server: SpecServer) -> None:
    """Without its names record, a harmless vendor edit renames a class: the surface comparison bumps the major.

    Project.due_diligence_figure becomes non-nullable (an addition for a response); hoisted only because it was
    nullable, the class DueDiligenceFigure would now be generated inline as ProjectDueDiligenceFigure.
    """
    repo = copy_repo(tmp_path / "repo", apis=["cnaught"])
    (repo.specs / "cnaught" / "names.yaml").unlink()

    def made_non_nullable(doc: Doc) -> None:
        _schemas(doc)["Project"]["properties"]["due_diligence_figure"]["type"] = "object"

    url = spec_server.serve("openapi.yaml", _modified("cnaught", made_non_nullable))
    update = update_spec("cnaught", source=url, repo=repo, today=TODAY)

    assert update.spec_severity is ADDITIVE
    assert update.surface is not None and update.surface_severity is BREAKING
    assert update.new_version == "4.0.0", "the larger of the spec report's bump and the surface's"
    entry = load_registry(repo)["cnaught"].changelog.read_text(encoding="utf-8").split("\n## ")[1]
    assert "### Additions" in entry and "### SDK surface" in entry
    assert (
        "breaking: class `cnaught_client.models.DueDiligenceFigure` renamed to "
        "`cnaught_client.models.ProjectDueDiligenceFigure`" in entry
    )
    assert "spec report: additive; SDK surface: breaking" in summary(update)
    # the record now holds what 4.0.0 published, so the drift check's release records agree
    assert check_release_records(load_registry(repo)["cnaught"]) == []
    assert "ProjectDueDiligenceFigure" in (repo.specs / "cnaught" / "names.yaml").read_text(encoding="utf-8")
