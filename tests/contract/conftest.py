"""Contract tests: options, the Prism servers, and the report printed at the end of the run.

Needs the `contract` dependency group (vcrpy, openapi-core, hypothesis-jsonschema); `nox -s contract`
installs it. Where it is missing (the plain `tests` session) the whole folder is left out.
"""

from __future__ import annotations

import importlib.util
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_NEEDS = ("vcr", "openapi_core", "hypothesis_jsonschema")
if not all(importlib.util.find_spec(name) for name in _NEEDS):
    collect_ignore_glob = ["test_*.py"]

# Examples per schema in the property-based round-trips: --contract-examples N, else this variable.
EXAMPLES_ENV = "CONTRACT_EXAMPLES"
DEFAULT_EXAMPLES = 10
_SHOWN = 240  # characters of one finding shown in the report (enum listings run to kilobytes)


@dataclass
class Report:
    """What the run found, printed after the results (see pytest_terminal_summary)."""

    replayed_functions: Counter[str] = field(default_factory=Counter)
    replayed_clients: Counter[str] = field(default_factory=Counter)
    replayed_async_clients: Counter[str] = field(default_factory=Counter)
    prism_calls: Counter[str] = field(default_factory=Counter)
    prism_client_calls: Counter[str] = field(default_factory=Counter)
    prism_operations_seen: dict[str, str] = field(default_factory=dict)  # "<seen>/<total>" in Prism's log
    prism_violations: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    mock_findings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    property_schemas: Counter[str] = field(default_factory=Counter)
    property_examples: Counter[str] = field(default_factory=Counter)
    request_schemas: Counter[str] = field(default_factory=Counter)
    request_examples: Counter[str] = field(default_factory=Counter)
    raw_spec_findings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    extra_lines: list[str] = field(default_factory=list)


REPORT = Report()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contract")
    group.addoption(
        "--extra-fixtures",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="also parse and round-trip every <operationId>__<case>.json body in DIR (repeatable)",
    )
    group.addoption(
        "--contract-examples",
        type=int,
        default=None,
        metavar="N",
        help=f"hypothesis examples per schema (default: ${EXAMPLES_ENV} or {DEFAULT_EXAMPLES})",
    )


def examples_per_schema(config: pytest.Config) -> int:
    chosen = config.getoption("--contract-examples", default=None)
    if chosen is None:
        chosen = int(os.environ.get(EXAMPLES_ENV, DEFAULT_EXAMPLES))
    return max(1, int(chosen))


@pytest.fixture(scope="session")
def report() -> Report:
    return REPORT


@pytest.fixture(scope="session")
def prism_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """One Prism per API serving its normalized spec on loopback, for the whole session."""
    import contextlib

    from sdkpipeline.testing.contract import registry
    from sdkpipeline.testing.mockserver import prism_server

    with contextlib.ExitStack() as stack:
        yield {
            name: stack.enter_context(
                prism_server(api.normalized_spec, errors=True, log_dir=tmp_path_factory.mktemp(f"prism-{name}"))
            )
            for name, api in registry().items()
        }


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not importlib.util.find_spec("vcr"):
        return
    from sdkpipeline.testing.contract import coverage, format_coverage, registry

    write = terminalreporter.write_line
    terminalreporter.section("contract coverage")
    for name in registry():
        for line in format_coverage(coverage(name)):
            write(line)
    for name in registry():
        write(
            f"{name}: replayed {REPORT.replayed_functions[name]} fixture(s) through the function layer, "
            f"{REPORT.replayed_clients[name]} through the client, {REPORT.replayed_async_clients[name]} through "
            "the async client"
        )
        violations = REPORT.prism_violations.get(name, [])
        write(
            f"{name}: Prism: {REPORT.prism_calls[name]} function-layer call(s), {REPORT.prism_client_calls[name]} "
            f"client call(s), {len(violations)} request violation(s); operations in Prism's log through the "
            f"client: {REPORT.prism_operations_seen.get(name, 'not checked')}"
        )
        for violation in violations:
            write(f"  VIOLATION {violation}")
        for finding in REPORT.mock_findings.get(name, []):
            write(f"  mock response finding: {finding}")
        write(
            f"{name}: property-based: {REPORT.property_schemas[name]} response schema(s), "
            f"{REPORT.property_examples[name]} example(s); {REPORT.request_schemas[name]} request model(s), "
            f"{REPORT.request_examples[name]} example(s)"
        )
    if REPORT.raw_spec_findings:
        terminalreporter.section("findings about the raw vendor specs (expected in tests/contract/raw_spec_findings)")
        for name, findings in REPORT.raw_spec_findings.items():
            write(f"{name}: {len(findings)} finding(s)")
            for finding in findings:
                write(f"  {finding[:_SHOWN]}…" if len(finding) > _SHOWN else f"  {finding}")
    if REPORT.extra_lines:
        terminalreporter.section("extra fixtures")
        for line in REPORT.extra_lines:
            write(line)
