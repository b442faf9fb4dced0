"""Importing a package and constructing its client loads no model, no endpoint module and no httpx.

How long that takes is measured by `nox -s bench` (figures and ratios), never asserted in a test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sdkpipeline.spec.registry import load_registry

APIS = load_registry()

PROBE = """
import json, sys
before = set(sys.modules)
import {package}
client = {package}.{client_class}(**{keys!r}, base_url="http://127.0.0.1:1", max_retries=0)
def loaded(part):
    return sorted(m for m in sys.modules if m.startswith("{package}." + part))
def heavy():
    return sorted(m for m in {heavy!r} if m in sys.modules and m not in before)
state = {{"models": loaded("models"), "api": loaded("api"), "heavy": heavy()}}
resource = client.orders
state["after_resource"] = loaded("api") + loaded("models")
state["httpx_after_resource"] = "httpx" in sys.modules
try:
    resource.list()
except {package}.APIConnectionError as exc:
    state["error"] = type(exc).__name__
state["httpx_after_request"] = "httpx" in sys.modules
print(json.dumps(state))
"""

# What importing the package and constructing its client must not load: httpx (ssl, email, ...) and attrs
# wait for the first request; typing and dataclasses would be most of the import's cost.
HEAVY = ("httpx", "attrs", "typing", "dataclasses")

KEYS = {"cnaught": {"api_key": "k"}, "fungies": {"public_key": "p", "secret_key": "s"}}


def _run(code: str, path: str) -> str:
    env = {"PYTHONPATH": path, "PATH": ""}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("api", sorted(APIS))
def test_import_and_construct_load_no_model_or_endpoint(api: str) -> None:
    """`import pkg; pkg.Client(...)` loads no model, endpoint module, httpx, attrs, typing or dataclasses."""
    entry = APIS[api]
    code = PROBE.format(package=entry.package, client_class=entry.client_class, keys=KEYS[api], heavy=HEAVY)
    state = json.loads(_run(code, str(entry.output_dir)))
    assert state["models"] == []
    assert state["api"] == []
    assert state["after_resource"] == []
    assert state["heavy"] == []


@pytest.mark.parametrize("api", sorted(APIS))
def test_httpx_loads_with_the_first_request(api: str) -> None:
    """httpx is imported by the first request (here refused by a closed port), not by touching a resource."""
    entry = APIS[api]
    code = PROBE.format(package=entry.package, client_class=entry.client_class, keys=KEYS[api], heavy=HEAVY)
    state = json.loads(_run(code, str(entry.output_dir)))
    assert state["httpx_after_resource"] is False
    assert state["error"] == "APIConnectionError"
    assert state["httpx_after_request"] is True
