"""The function layer (`<package>.api.<tag>.<operation>`) sends only what its caller passed, as the resources do:
an optional parameter defaults to UNSET, never to the spec's default (which its docstring still names)."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import cnaught_client
import fungies_client
import pytest

from sdkpipeline.testing.faultserver import Reply, running

from .conftest import CN_KEY

PACKAGES = {"cnaught": cnaught_client, "fungies": fungies_client}


def _endpoints() -> list[tuple[str, str]]:
    found = []
    for api, package in PACKAGES.items():
        index = json.loads((Path(package.__file__).parent / "_operations.json").read_text(encoding="utf-8"))
        found += [(api, op["endpoint"]) for op in index["operations"]]
    return found


ENDPOINTS = _endpoints()


def test_every_operation_has_a_function() -> None:
    """Both packages' operations are here (a parametrisation that collected nothing would pass silently)."""
    counts = {api: sum(1 for a, _ in ENDPOINTS if a == api) for api in PACKAGES}
    assert counts["cnaught"] >= 29 and counts["fungies"] >= 47, counts


@pytest.mark.parametrize(("api", "endpoint"), ENDPOINTS, ids=[f"{a}-{e}" for a, e in ENDPOINTS])
def test_an_optional_argument_defaults_to_unset(api: str, endpoint: str) -> None:
    package = PACKAGES[api]
    module = importlib.import_module(f"{package.__name__}.{endpoint}")
    for function in (module.sync_detailed, module.asyncio_detailed):
        for parameter in inspect.signature(function).parameters.values():
            if parameter.name == "client" or parameter.default is inspect.Parameter.empty:
                continue
            assert parameter.default is package.types.UNSET, f"{endpoint}.{function.__name__}({parameter.name}=…)"


def test_a_list_called_without_limit_sends_no_limit() -> None:
    """`get_list_of_order` documents the server's default of 20 for `limit`; a call without it sends no query."""
    from cnaught_client.api.orders import get_list_of_order
    from cnaught_client.client import AuthenticatedClient

    page = {"data": [], "has_more": False}
    with running(lambda seen: Reply(status=200, body=json.dumps(page).encode())) as api:
        client = AuthenticatedClient(base_url=f"{api.url}/v1", token=CN_KEY)
        get_list_of_order.sync_detailed(client=client)
        get_list_of_order.sync_detailed(client=client, limit=5)
        assert [(seen.path, seen.query) for seen in api.seen] == [("/v1/orders", {}), ("/v1/orders", {"limit": "5"})]
    assert "Default: 20." in (get_list_of_order.sync_detailed.__doc__ or "")
