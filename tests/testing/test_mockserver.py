"""Tests for sdkpipeline.testing.mockserver: a real Prism serving the vendored CNaught spec (and tiny inline specs)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sdkpipeline.errors import PipelineError
from sdkpipeline.testing.mockserver import (
    PrismServer,
    Received,
    Violation,
    parse_requests,
    parse_violations,
    prism_server,
)

CNAUGHT = Path(__file__).resolve().parents[2] / "specs" / "cnaught" / "openapi.yaml"
AUTH = {"Authorization": "Bearer x"}

# One operation with no 422, 400 or default response, so Prism has to make up the 422 itself.
NO_ERROR_RESPONSES = """\
openapi: 3.1.0
info: {title: Tiny, version: '1'}
paths:
  /things:
    post:
      operationId: CreateThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        '201': {description: Created}
"""

# An excerpt of a real Prism 5.16 log: one request answered from the spec, then one Prism answered itself.
LOG = """\
[11:44:39 PM] › [HTTP SERVER] post /quotes ℹ  info      Request received
[11:44:39 PM] ›     [NEGOTIATOR] ℹ  info      Request contains an accept header: */*
[11:44:39 PM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules
[11:44:39 PM] ›     [VALIDATOR] ✖  error     Request body property amount_kg must be number
[11:44:39 PM] ›     [NEGOTIATOR] ✔  success   Found response 400. I'll try with it.
[11:44:39 PM] ›     [NEGOTIATOR] ℹ  info      > Responding with "400"
[11:44:39 PM] ›     [VALIDATOR] ✖  error     Violation: request.body.amount_kg Request body property amount_kg must be number
[11:46:39 PM] › [HTTP SERVER] post /things ℹ  info      Request received
[11:46:39 PM] ›     [NEGOTIATOR] ℹ  info      Request contains an accept header: */*
[11:46:39 PM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules
[11:46:39 PM] ›     [VALIDATOR] ✖  error     Request body property name must be string
[11:46:39 PM] › [HTTP SERVER] post /things ✖  error     Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request
[11:46:39 PM] › [HTTP SERVER] get /__sdkpipeline_log_sync__/516f ℹ  info      Request received
"""  # noqa: E501 (Prism's own line lengths)


def test_parse_violations() -> None:
    """Located "Violation:" lines win over the bare ones; a Prism-made error leaves the location empty."""
    assert parse_violations(LOG) == [
        Violation(
            method="POST",
            path="/quotes",
            location="request.body.amount_kg",
            severity="error",
            message="Request body property amount_kg must be number",
        ),
        Violation(
            method="POST",
            path="/things",
            location="",
            severity="error",
            message="Request body property name must be string",
        ),
    ]


def test_parse_requests() -> None:
    """Each received request once (not its "terminated" line), in order, the log-sync marker left out."""
    assert parse_requests(LOG) == [Received("POST", "/quotes"), Received("POST", "/things")]


@pytest.fixture(scope="module")
def cnaught(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    with prism_server(CNAUGHT, log_dir=tmp_path_factory.mktemp("prism")) as server:
        yield server


def _for(server: PrismServer, method: str, path: str) -> list[str]:
    return [v["message"] for v in server.violations() if (v["method"], v["path"]) == (method, path)]


@pytest.mark.slow
def test_get_list_of_order__valid(cnaught: PrismServer) -> None:
    """A valid authorised GET /orders answers the spec's 200 example and logs no violation."""
    response = httpx.get(f"{cnaught.base_url}/orders", headers=AUTH)
    assert response.status_code == 200
    assert isinstance(response.json()["data"], list)
    assert _for(cnaught, "GET", "/orders") == []


@pytest.mark.slow
def test_requests_lists_what_prism_received(cnaught: PrismServer) -> None:
    """A request shows up in `requests()` with its method and path, without the query."""
    before = len(cnaught.requests())
    httpx.get(f"{cnaught.base_url}/orders", params={"limit": 5}, headers=AUTH)
    httpx.get(f"{cnaught.base_url}/portfolios/oH5hlq", headers=AUTH)
    assert cnaught.requests()[before:] == [Received("GET", "/orders"), Received("GET", "/portfolios/oH5hlq")]


@pytest.mark.slow
def test_submit_order__wrong_type(cnaught: PrismServer) -> None:
    """A string amount_kg is refused with the spec's own 422 (POST /orders declares one) and logged."""
    response = httpx.post(f"{cnaught.base_url}/orders", headers=AUTH, json={"amount_kg": "ten"})
    assert response.status_code == 422
    found = [v for v in cnaught.violations() if (v["method"], v["path"]) == ("POST", "/orders")]
    assert {"location": "request.body.amount_kg", "message": "Request body property amount_kg must be number"} in [
        {"location": v["location"], "message": v["message"]} for v in found
    ]
    assert all(v["severity"] == "error" for v in found)


@pytest.mark.slow
def test_request_quote__missing_required(cnaught: PrismServer) -> None:
    """POST /quotes without amount_kg gets the spec's 400 (it declares no 422) and the violation is logged."""
    response = httpx.post(f"{cnaught.base_url}/quotes", headers=AUTH, json={})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-parameters")
    assert _for(cnaught, "POST", "/quotes") == ["Request body must have required property 'amount_kg'"]


@pytest.mark.slow
def test_get_list_of_order__no_credentials(cnaught: PrismServer) -> None:
    """A request without the bearer token gets the spec's 401 and a security violation on the whole request."""
    response = httpx.get(f"{cnaught.base_url}/orders", params={"limit": 5})
    assert response.status_code == 401
    assert {"method": "GET", "path": "/orders", "location": "request", "severity": "error",
            "message": "Invalid security scheme used"} in cnaught.violations()  # fmt: skip


@pytest.mark.slow
def test_prism_made_422(tmp_path: Path) -> None:
    """An operation that declares no error response gets Prism's own 422 listing the violation."""
    spec = tmp_path / "tiny.yaml"
    spec.write_text(NO_ERROR_RESPONSES, encoding="utf-8")
    with prism_server(spec, log_dir=tmp_path) as server:
        response = httpx.post(f"{server.base_url}/things", json={"name": 3})
        assert response.status_code == 422
        assert response.json()["validation"][0]["message"] == "Request body property name must be string"
        assert server.violations() == [
            Violation(
                method="POST",
                path="/things",
                location="",
                severity="error",
                message=response.json()["validation"][0]["message"],
            )
        ]


@pytest.mark.slow
def test_stops_on_exit(tmp_path: Path) -> None:
    """Leaving the block ends Prism and frees its port."""
    with prism_server(CNAUGHT, log_dir=tmp_path) as server:
        assert httpx.get(f"{server.base_url}/portfolios", headers=AUTH).status_code == 200
    assert server.process.poll() is not None
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=1.0):
        pass


@pytest.mark.slow
def test_unusable_spec(tmp_path: Path) -> None:
    """A spec Prism cannot serve fails fast with Prism's own explanation in the error."""
    spec = tmp_path / "empty.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: Empty, version: '1'}\npaths: {}\n", encoding="utf-8")
    with (
        pytest.raises(PipelineError, match="No operations found in the current file"),
        prism_server(spec, log_dir=tmp_path, startup_timeout=30),
    ):
        pass
