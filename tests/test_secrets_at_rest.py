"""No API key at rest: recorded fixtures, generated packages and specs hold none.

The SDK's own logs, reprs and exceptions are scanned during the run by tests/sdk/conftest.py; this
scans what the repository stores.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from sdkpipeline.spec.registry import load_registry
from sdkpipeline.spec.repo import Repo
from sdkpipeline.spec.yamlio import load_document

ROOT = Repo.default().root

FIXTURES = ROOT / "tests" / "contract" / "fixtures"
SCRUBBED = "<scrubbed>"
# Every key the test suite itself uses: tests/sdk/conftest.py's and the contract recorder's fake keys.
KNOWN_TEST_KEYS = (
    "cn-secret-api-key-5e1d8a",
    "fg-public-key-0c7b42",
    "fg-secret-key-93fa61",
    "sk_test_contract_FAKE_KEY_0000",
    "fake-x-fngs-public-key-0000",
    "fake-x-fngs-secret-key-0000",
)
# A credential-looking assignment or header with a long opaque value.
CREDENTIAL = re.compile(
    r"(?i)(api[_-]?key|secret[_-]?key|public[_-]?key|x-fngs-[a-z-]+|authorization)[\"']?\s*[:=]\s*"
    r"[\"']?(?:Bearer\s+)?(?!<scrubbed>|<redacted>|<set>)([A-Za-z0-9_\-]{24,})"
)


@functools.cache
def _secret_headers() -> frozenset[str]:
    names = {"authorization", "proxy-authorization", "cookie"}
    for api in load_registry().values():
        schemes = (load_document(api.normalized_spec).get("components") or {}).get("securitySchemes") or {}
        names |= {str(s["name"]).lower() for s in schemes.values() if s.get("type") == "apiKey"}
    return frozenset(names)


def _stored_files() -> list[Path]:
    roots = [FIXTURES, *(api.output_dir for api in load_registry().values()), ROOT / "specs"]
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


CASSETTES = sorted(FIXTURES.rglob("*.yaml"))


def test_there_are_fixtures_to_scan() -> None:
    """The scan has material: every operation of both APIs has recorded fixtures."""
    assert len(CASSETTES) >= 29 + 47


@pytest.mark.parametrize("cassette", CASSETTES, ids=lambda p: p.stem)
def test_fixture_credentials_are_scrubbed(cassette: Path) -> None:
    """Every credential header of every recorded request and response is scrubbed."""
    secret = _secret_headers()
    data = YAML(typ="safe").load(cassette.read_text(encoding="utf-8"))
    for interaction in data["interactions"]:
        for part in ("request", "response"):
            for name, values in (interaction[part].get("headers") or {}).items():
                if name.lower() in secret:
                    assert all(v.endswith(SCRUBBED) for v in values), f"{cassette.name}: {name}: {values}"


def test_no_key_in_fixtures_generated_code_or_specs() -> None:
    """No known test key and no credential-looking value anywhere the repository stores."""
    found = []
    for path in _stored_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(ROOT)}: test key" for key in KNOWN_TEST_KEYS if key in text]
        found += [f"{path.relative_to(ROOT)}: {m.group(0)[:60]}" for m in CREDENTIAL.finditer(text)]
    assert found == []


def test_the_scan_catches_a_leak(tmp_path: Path) -> None:
    """The pattern would flag a key written into a header or an assignment."""
    leaked = (
        'headers = {"x-fngs-secret-key": "sk_live_0123456789abcdefABCDEF0123"}\napi_key = "0123456789abcdef01234567"'
    )
    assert len(CREDENTIAL.findall(leaked)) == 2
    assert CREDENTIAL.findall("authorization: Bearer <scrubbed>") == []
