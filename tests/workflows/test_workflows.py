""".github/workflows: what they run exists, and they hold to the project's rules for CI.

The workflows cannot run here; `nox -s lint` runs actionlint and zizmor on them and these tests, which
check what neither knows: every `nox` command a workflow (or a script it calls) runs names sessions this
noxfile has, every action is pinned to a full commit SHA with its version beside it, every job states its
permissions, and the CI job sets up every Python the SDKs declare, runs once per change (a pull request
from a branch here is tested by its push) and restores the download caches.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ..inputs import ROOT, required_file, required_files

WORKFLOWS = ROOT / ".github" / "workflows"
# The workflows the README describes; each must be there.
EXPECTED = ("ci.yml", "update-specs.yml", "release.yml")
WORKFLOW_FILES = required_files(WORKFLOWS, "*.yml")
# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`, as written in the file (comments are lost when parsing).
PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(?:\.\d+)*\s*$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:")
# Scripts in the repository a workflow step runs (`bash .ci/run`): their nox commands are checked too.
SCRIPT = re.compile(r"(?:^|\s)(?:bash\s+)?(\.ci/[\w.-]+)")
PYTHON_CLASSIFIER = re.compile(r"Programming Language :: Python :: (3\.\d+)")


@dataclass(frozen=True)
class NoxCommand:
    """One `nox` invocation in a run script: the sessions it names (none: the default sessions)."""

    where: str
    sessions: tuple[str, ...]


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


def _steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for number, step in enumerate(job.get("steps") or []):
            yield f"jobs.{job_id}.steps[{number}]", step


def _run_scripts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, shell text) of every `run:` step, and of every repository script such a step calls."""
    for where, step in _steps(_load(path)):
        script = step.get("run")
        if not script:
            continue
        yield f"{path.name} {where}", script
        for called in SCRIPT.findall(script):
            yield f"{path.name} {where} → {called}", required_file(ROOT / called).read_text(encoding="utf-8")


def _nox_commands(where: str, script: str) -> Iterator[NoxCommand]:
    for number, line in enumerate(script.splitlines(), start=1):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for start, token in enumerate(tokens):
            if Path(token).name != "nox":
                continue
            sessions: list[str] = []
            naming = False
            for arg in tokens[start + 1 :]:
                if arg == "--" or arg[0] in ";&|<>()":
                    break
                if arg in ("-s", "--session", "--sessions"):
                    naming = True
                elif arg.startswith("-"):
                    naming = False
                elif naming:
                    sessions.append(arg)
            yield NoxCommand(f"{where}, line {number}", tuple(sessions))


def _commands(path: Path) -> list[NoxCommand]:
    return [command for where, script in _run_scripts(path) for command in _nox_commands(where, script)]


def _listed_sessions(*names: str) -> list[dict[str, Any]]:
    """`nox --list --json` for these sessions (the default ones when none is named); fails on an unknown name."""
    command = [sys.executable, "-m", "nox", "--noxfile", str(ROOT / "noxfile.py"), "--list", "--json"]
    done = subprocess.run(
        [*command, *(("--sessions", *names) if names else ())], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"nox does not know {names or 'its default sessions'}: {done.stderr.strip()}"
    listed: list[dict[str, Any]] = json.loads(done.stdout)
    return listed


def _ids(path: Path) -> str:
    return path.name


def test_the_readme_workflows_are_there() -> None:
    """CI on push and pull request, the scheduled spec check, the release: the three the README describes."""
    assert set(EXPECTED) <= {p.name for p in WORKFLOW_FILES}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=_ids)
def test_every_nox_command_names_real_sessions(path: Path) -> None:
    """Each `nox -s X …` a workflow runs (directly or through .ci/run) names sessions of noxfile.py."""
    commands = _commands(path)
    assert commands, f"{path.name} runs no nox command"
    named = sorted({name for command in commands for name in command.sessions})
    # `nox -s sdk_tests` names every `sdk_tests-3.x`: both forms are session names.
    listed = {name for entry in _listed_sessions(*named) for name in (entry["session"], entry["name"])}
    for command in commands:
        unknown = [name for name in command.sessions if name not in listed]
        assert not unknown, f"{command.where}: no nox session {unknown}"


def test_ci_runs_the_readme_test_command() -> None:
    """ci.yml runs a bare `nox` (the default sessions), and those include the SDK tests on every SDK Python."""
    commands = _commands(WORKFLOWS / "ci.yml")
    assert any(not command.sessions for command in commands), "ci.yml never runs the default `nox`"
    default = {entry["session"] for entry in _listed_sessions()}
    assert {"lint", "typecheck", "drift", "tests", "contract"} <= default
    assert {f"sdk_tests-{version}" for version in _sdk_pythons()} <= default


def _sdk_pythons() -> set[str]:
    """The Python versions the generated packages declare (their classifiers)."""
    versions: set[str] = set()
    for pyproject in (ROOT / "generated").glob("*/pyproject.toml"):
        classifiers = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["classifiers"]
        found = {m.group(1) for c in classifiers if (m := PYTHON_CLASSIFIER.fullmatch(c))}
        assert found, f"{pyproject.relative_to(ROOT)} declares no Python version"
        versions |= found
    assert versions, "no generated package found"
    return versions


def test_sdk_pythons_are_the_tested_ones() -> None:
    """The SDKs declare exactly the Pythons the sdk_tests session runs on, and CI sets each of them up."""
    tested = {entry["python"] for entry in _listed_sessions("sdk_tests")}
    assert tested == _sdk_pythons()
    setup = [step for _, step in _steps(_load(WORKFLOWS / "ci.yml")) if "setup-python" in step.get("uses", "")]
    assert setup, "ci.yml sets up no Python"
    assert set(str(setup[0]["with"]["python-version"]).split()) == tested


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=_ids)
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    """`uses:` names a full 40-hex commit SHA followed by `# vX.Y.Z` (a tag can be moved; a SHA cannot)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    uses = [(number, line) for number, line in enumerate(lines, start=1) if USES_LINE.match(line)]
    assert uses, f"{path.name} uses no action"
    unpinned = [f"{path.name}:{number}: {line.strip()}" for number, line in uses if not PINNED_USES.match(line)]
    assert not unpinned, unpinned


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=_ids)
def test_least_privilege_and_concurrency(path: Path) -> None:
    """No permission by default (`permissions: {}`), each job states its own, and runs are grouped."""
    workflow = _load(path)
    assert workflow.get("permissions") == {}, f"{path.name}: the top level must say `permissions: {{}}`"
    assert workflow.get("concurrency"), f"{path.name}: no concurrency group"
    for job_id, job in workflow["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{path.name}: job {job_id} states no permissions"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=_ids)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    """Every checkout drops the token from .git/config, so no later step can push with it."""
    for where, step in _steps(_load(path)):
        if "actions/checkout@" in step.get("uses", ""):
            assert (step.get("with") or {}).get("persist-credentials") is False, f"{path.name} {where}"


def test_release_publishes_with_trusted_publishing_and_attests() -> None:
    """The upload job holds the OIDC permission and no password; the files are attested before upload."""
    workflow = _load(WORKFLOWS / "release.yml")
    assert "tags" in workflow["on"]["push"]
    publishing = [
        (job_id, job)
        for job_id, job in workflow["jobs"].items()
        if any("pypa/gh-action-pypi-publish@" in step.get("uses", "") for step in job.get("steps") or [])
    ]
    assert len(publishing) == 1
    job_id, job = publishing[0]
    assert job["permissions"].get("id-token") == "write", job_id
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any("actions/attest-build-provenance@" in u for u in uses), job_id
    for step in job["steps"]:
        assert not {"password", "user"} & set(step.get("with") or {}), f"{job_id}: a stored credential"
    assert "secrets." not in (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    # Only the jobs that run no project code may hold a write permission.
    for other_id, other in workflow["jobs"].items():
        if other_id != job_id:
            assert set(other["permissions"].values()) <= {"read"}, other_id


def test_scheduled_job_checks_the_vendors() -> None:
    """update-specs.yml runs on a schedule, checks with `update_specs -- --check`, and opens a pull request."""
    path = WORKFLOWS / "update-specs.yml"
    workflow = _load(path)
    assert workflow["on"].get("schedule")
    text = path.read_text(encoding="utf-8")
    assert "nox -s update_specs -- --check" in text
    assert any("create-pull-request@" in step.get("uses", "") for _, step in _steps(workflow))


# `${{ }}`-less expressions of `if:`: strings, true/false/null, dotted context names, ! == != && || and ().
LITERALS = {"true": True, "false": False, "null": None}
EXPRESSION_TOKEN = re.compile(r"\s*(?:(==|!=|&&|\|\||[()!])|'([^']*)'|([A-Za-z_][\w.-]*))")


def _evaluate(expression: str, context: dict[str, Any]) -> Any:
    """A GitHub Actions expression as the runner evaluates it, for the operators listed above."""
    tokens: list[tuple[str, Any]] = []
    position = 0
    while expression[position:].strip():
        match = EXPRESSION_TOKEN.match(expression, position)
        assert match, f"cannot read {expression[position:]!r}"
        operator, string, name = match.groups()
        if operator:
            tokens.append(("op", operator))
        elif string is not None:
            tokens.append(("value", string))
        elif name in LITERALS:
            tokens.append(("value", LITERALS[name]))
        else:
            value: Any = context
            for part in name.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            tokens.append(("value", value))
        position = match.end()

    def take(*operators: str) -> bool:
        if tokens and tokens[0][0] == "op" and tokens[0][1] in operators:
            tokens.pop(0)
            return True
        return False

    def primary() -> Any:
        if take("!"):
            return not primary()
        if take("("):
            value = either()
            assert take(")"), expression
            return value
        kind, value = tokens.pop(0)
        assert kind == "value", expression
        return value

    def compared() -> Any:
        left = primary()
        if take("=="):
            return left == primary()
        if take("!="):
            return left != primary()
        return left

    def both() -> Any:
        value = compared()
        while take("&&"):
            right = compared()
            value = value and right
        return value

    def either() -> Any:
        value = both()
        while take("||"):
            right = both()
            value = value or right
        return value

    result = either()
    assert not tokens, expression
    return result


def _event(name: str, *, head_repository: str | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {"github": {"event_name": name, "repository": "owner/sdk", "event": {}}}
    if head_repository:
        context["github"]["event"]["pull_request"] = {"head": {"repo": {"full_name": head_repository}}}
    return context


@pytest.mark.parametrize(
    ("context", "runs"),
    [
        (_event("push"), True),
        (_event("pull_request", head_repository="owner/sdk"), False),
        (_event("pull_request", head_repository="someone/sdk"), True),
    ],
    ids=["push to a branch", "pull request from a branch here", "pull request from a fork"],
)
def test_ci_runs_once_per_change(context: dict[str, Any], runs: bool) -> None:
    """A pull request from a branch of this repository is tested by its push only; one from a fork by itself."""
    workflow = _load(WORKFLOWS / "ci.yml")
    assert set(workflow["on"]) == {"push", "pull_request"}
    for job_id, job in workflow["jobs"].items():
        assert bool(_evaluate(job.get("if", "true"), context)) is runs, job_id


def test_ci_caches_downloads_keyed_on_the_locks() -> None:
    """ci.yml restores uv's, pip's and npm's download caches, keyed on every lock."""
    workflow = _load(WORKFLOWS / "ci.yml")
    (job,) = workflow["jobs"].values()
    caches = [step for step in job["steps"] if "actions/cache@" in step.get("uses", "")]
    assert len(caches) == 1
    settings = caches[0]["with"]
    assert set(settings["path"].split()) == {"~/.cache/uv", "~/.cache/pip", "~/.npm"}
    assert "hashFiles('requirements/*.txt', 'scripts/*/package-lock.json')" in settings["key"]
    # Every npm lock the project installs from is under that pattern (Prism's, the document converters').
    npm_locks = {p.parent.name for p in (ROOT / "scripts").glob("*/package-lock.json")}
    assert npm_locks >= {"prism", "convert"}
