"""Importing a package and constructing its client loads no model and no endpoint module.

How long that takes is measured by `nox -s bench` (figures and ratios), never asserted in a test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sdkpipeline.registry import load_registry

APIS = load_registry()

PROBE = """
import json, sys
import {package}
client = {package}.{client_class}(**{keys!r})
def loaded(part):
    return sorted(m for m in sys.modules if m.startswith("{package}." + part))
state = {{"models": loaded("models"), "api": loaded("api")}}
resource = client.orders
state["after_resource"] = loaded("api") + loaded("models")
print(json.dumps(state))
"""

KEYS = {"cnaught": {"api_key": "k"}, "fungies": {"public_key": "p", "secret_key": "s"}}


def _run(code: str, path: str) -> str:
    env = {"PYTHONPATH": path, "PATH": ""}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("api", sorted(APIS))
def test_import_and_construct_load_no_model_or_endpoint(api: str) -> None:
    """`import pkg; pkg.Client(...)` and touching a resource import neither models nor endpoint modules."""
    entry = APIS[api]
    code = PROBE.format(package=entry.package, client_class=entry.client_class, keys=KEYS[api])
    state = json.loads(_run(code, str(entry.output_dir)))
    assert state["models"] == []
    assert state["api"] == []
    assert state["after_resource"] == []
